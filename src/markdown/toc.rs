//! Heading ids and the nested table of contents built from them.

use std::collections::HashSet;

use serde::Serialize;

/// One heading in a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Gives each heading of a page a unique id: the slug of its text, then `-1`, `-2`... for
/// repeats. Ids the author set explicitly (`{#id}`) are kept and reserved too.
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    pub(super) fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) => id.to_owned(),
            None => {
                let slug = slug::slugify(text);
                if slug.is_empty() {
                    "section".to_owned()
                } else {
                    slug
                }
            }
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    pub(super) fn into_set(self) -> HashSet<String> {
        self.used
    }
}

/// Nests a flat list of headings: each heading holds the deeper ones that follow it.
pub(super) fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: u8, id: &str) -> TocEntry {
        TocEntry {
            level,
            id: id.to_owned(),
            title: id.to_owned(),
            children: Vec::new(),
        }
    }

    #[test]
    fn ids_are_slugs_made_unique() {
        let mut ids = HeadingIds::default();
        assert_eq!(
            ids.assign(None, "Who pays for the van?"),
            "who-pays-for-the-van"
        );
        assert_eq!(
            ids.assign(None, "Who pays for the van"),
            "who-pays-for-the-van-1"
        );
        assert_eq!(
            ids.assign(None, "Who pays for the van"),
            "who-pays-for-the-van-2"
        );
        assert_eq!(ids.assign(Some("custom"), "Anything"), "custom");
        assert_eq!(ids.assign(None, "Custom"), "custom-1");
        assert_eq!(ids.assign(None, "?!"), "section");
    }

    #[test]
    fn nesting_follows_levels() {
        let toc = nest(vec![
            entry(2, "a"),
            entry(3, "b"),
            entry(4, "c"),
            entry(2, "d"),
            entry(3, "e"),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "b");
        assert_eq!(toc[0].children[0].children[0].id, "c");
        assert_eq!(toc[1].children[0].id, "e");
    }

    #[test]
    fn a_deeper_first_heading_still_appears() {
        let toc = nest(vec![entry(3, "a"), entry(2, "b")]);
        assert_eq!(
            toc.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
    }
}
