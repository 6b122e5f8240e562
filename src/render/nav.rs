//! Which sections the navigation of a page lists, so that its size does not grow with the site.
//!
//! A site of up to [`LISTED_PER_LEVEL`] sections lists all of them, in tree order, on every page.
//! A bigger site lists the path to the current section: at each level from the home page down,
//! the sections around the one on the path (at most [`LISTED_PER_LEVEL`]), then the current
//! section's subsections. A level cut short ends with a `more` entry that links to the section
//! listing all of them (the home page, or the parent section's page, whose templates list every
//! subsection). The current section's pages are always listed in full.
//!
//! The navigation therefore holds at most about `LISTED_PER_LEVEL` entries per level of the
//! current section's depth, whatever the number of sections; this module only chooses entries
//! and never renders.

use serde_json::{Value, json};

use crate::content::Site;

/// How many sections of one level the navigation lists at most, and how many sections a site
/// may have for every page to list them all.
pub const LISTED_PER_LEVEL: usize = 24;

/// One line of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The section at this index of [`Site::sections`], `depth` levels below the home page.
    Section { index: usize, depth: usize },
    /// `count` subsections of `parent` were listed in part: the link to all of them.
    More {
        parent: usize,
        depth: usize,
        count: usize,
    },
}

/// The navigation data of pages whose section is `current` (`None` for pages outside any, such
/// as the 404 page): the entries of [`entries`] as the theme's `nav` value.
pub fn for_section(site: &Site, current: Option<usize>) -> Value {
    let children: Vec<&[usize]> = site
        .sections
        .iter()
        .map(|s| s.subsections.as_slice())
        .collect();
    let parents: Vec<Option<usize>> = site.sections.iter().map(|s| s.parent).collect();
    let values = entries(&children, &parents, current, LISTED_PER_LEVEL)
        .into_iter()
        .map(|entry| match entry {
            Entry::Section { index, depth } => {
                let section = &site.sections[index];
                let pages: Vec<Value> = if Some(index) == current {
                    section
                        .pages
                        .iter()
                        .map(|&p| {
                            let doc = &site.pages[p].doc;
                            json!({"title": doc.meta.title, "url": doc.url})
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                json!({
                    "title": section.doc.meta.title,
                    "url": section.doc.url,
                    "depth": depth,
                    "current": Some(index) == current,
                    "pages": pages,
                })
            }
            Entry::More {
                parent,
                depth,
                count,
            } => {
                let section = &site.sections[parent];
                json!({
                    "title": section.doc.meta.title,
                    "url": section.doc.url,
                    "depth": depth,
                    "current": false,
                    "pages": [],
                    "more": count,
                })
            }
        })
        .collect();
    Value::Array(values)
}

/// The entries listed for `current`, in the order shown. `children[i]` are section `i`'s
/// subsections in display order, `parents[i]` its parent; the listing starts at the home page
/// of the current section's tree (section 0, the default language's, when there is none).
pub fn entries(
    children: &[&[usize]],
    parents: &[Option<usize>],
    current: Option<usize>,
    limit: usize,
) -> Vec<Entry> {
    if children.is_empty() {
        return Vec::new();
    }
    let mut path = Vec::new();
    let mut at = current.filter(|&c| c < children.len());
    while let Some(section) = at {
        path.push(section);
        at = parents[section];
    }
    path.reverse();
    // Each language has its own tree; the current section's home is its root.
    let root = path.first().copied().unwrap_or(0);
    let listing = Listing {
        children,
        path: &path,
        limit,
        everything: children.len() <= limit,
    };
    let mut out = vec![Entry::Section {
        index: root,
        depth: 0,
    }];
    listing.walk(root, 0, &mut out);
    out
}

/// What [`entries`] walks: the tree, the path from the home page to the current section, and
/// whether the site is small enough to list everything.
struct Listing<'a> {
    children: &'a [&'a [usize]],
    path: &'a [usize],
    limit: usize,
    everything: bool,
}

impl Listing<'_> {
    /// Lists the subsections of `section` (at `depth`), going down into the one on the path.
    fn walk(&self, section: usize, depth: usize, out: &mut Vec<Entry>) {
        let children = self.children[section];
        let on_path = self.path.get(depth + 1).copied();
        let shown = if self.everything {
            0..children.len()
        } else {
            let position = on_path.and_then(|next| children.iter().position(|&c| c == next));
            window(children.len(), position, self.limit)
        };
        for &child in &children[shown.clone()] {
            out.push(Entry::Section {
                index: child,
                depth: depth + 1,
            });
            if self.everything || Some(child) == on_path {
                self.walk(child, depth + 1, out);
            }
        }
        if shown.len() < children.len() {
            out.push(Entry::More {
                parent: section,
                depth: depth + 1,
                count: children.len(),
            });
        }
    }
}

/// The `limit` positions of `0..len` around `position` (the first ones without one).
fn window(len: usize, position: Option<usize>, limit: usize) -> std::ops::Range<usize> {
    if len <= limit {
        return 0..len;
    }
    let start = position
        .map_or(0, |p| p.saturating_sub(limit / 2))
        .min(len - limit);
    start..start + limit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A home page with `top` sections, the second of which has `nested` subsections.
    fn tree(top: usize, nested: usize) -> (Vec<Vec<usize>>, Vec<Option<usize>>) {
        let mut children = vec![(1..=top).collect::<Vec<_>>()];
        let mut parents = vec![None];
        for i in 1..=top {
            children.push(Vec::new());
            parents.push(Some(0));
            if i == 2 {
                children[2] = (top + 1..=top + nested).collect();
            }
        }
        for _ in 0..nested {
            children.push(Vec::new());
            parents.push(Some(2));
        }
        (children, parents)
    }

    /// The entries for `current` as `index@depth`, and `+parent@depth/count` for a `more`.
    fn check(top: usize, nested: usize, current: Option<usize>, limit: usize, expected: &str) {
        let (children, parents) = tree(top, nested);
        let children: Vec<&[usize]> = children.iter().map(Vec::as_slice).collect();
        let shown: Vec<String> = entries(&children, &parents, current, limit)
            .into_iter()
            .map(|entry| match entry {
                Entry::Section { index, depth } => format!("{index}@{depth}"),
                Entry::More {
                    parent,
                    depth,
                    count,
                } => format!("+{parent}@{depth}/{count}"),
            })
            .collect();
        assert_eq!(shown.join(" "), expected);
    }

    #[test]
    fn a_small_site_lists_every_section_in_tree_order() {
        check(3, 2, Some(1), 10, "0@0 1@1 2@1 4@2 5@2 3@1");
        check(3, 2, None, 10, "0@0 1@1 2@1 4@2 5@2 3@1");
    }

    #[test]
    fn a_big_site_lists_the_sections_around_the_current_one() {
        check(10, 0, Some(7), 4, "0@0 5@1 6@1 7@1 8@1 +0@1/10");
        check(10, 0, Some(10), 4, "0@0 7@1 8@1 9@1 10@1 +0@1/10");
        check(10, 0, Some(0), 4, "0@0 1@1 2@1 3@1 4@1 +0@1/10");
        check(10, 0, None, 4, "0@0 1@1 2@1 3@1 4@1 +0@1/10");
    }

    #[test]
    fn a_big_site_opens_only_the_path_to_the_current_section() {
        // Section 2 holds 11..=16; from one of them, its siblings around it are listed.
        check(
            10,
            6,
            Some(15),
            4,
            "0@0 1@1 2@1 13@2 14@2 15@2 16@2 +2@2/6 3@1 4@1 +0@1/10",
        );
        // From section 2 itself, its first subsections; from section 3, none of them.
        check(
            10,
            6,
            Some(2),
            4,
            "0@0 1@1 2@1 11@2 12@2 13@2 14@2 +2@2/6 3@1 4@1 +0@1/10",
        );
        check(10, 6, Some(3), 4, "0@0 1@1 2@1 3@1 4@1 +0@1/10");
    }

    #[test]
    fn navigation_size_does_not_grow_with_the_number_of_sections() {
        for top in [100, 1_000, 10_000] {
            let (children, parents) = tree(top, 0);
            let children: Vec<&[usize]> = children.iter().map(Vec::as_slice).collect();
            for current in [Some(0), Some(1), Some(top / 2), Some(top), None] {
                let listed = entries(&children, &parents, current, LISTED_PER_LEVEL);
                assert_eq!(
                    listed.len(),
                    LISTED_PER_LEVEL + 2,
                    "{top} sections, {current:?}"
                );
            }
        }
    }
}
