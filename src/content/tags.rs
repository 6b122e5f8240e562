//! Tags: the pages of each tag, for a page per tag (`/tags/<tag>/`) and an index (`/tags/`).
//! Names are grouped by their slug, so `Pay` and `pay` are one tag, named as the first page in
//! display order writes it.

use std::collections::BTreeMap;

use super::Site;

/// Where tag pages are published.
pub const TAGS_URL: &str = "/tags/";

/// One tag and the pages that carry it, in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    /// `/tags/<slug>/`.
    pub url: String,
    /// Indexes into [`Site::pages`].
    pub pages: Vec<usize>,
}

/// The URL of the tag `name`.
pub fn tag_url(name: &str) -> String {
    format!("{TAGS_URL}{}/", slug::slugify(name))
}

/// Every tag of `site`'s pages, by slug.
pub(super) fn collect(site: &Site) -> Vec<Tag> {
    let mut by_url: BTreeMap<String, Tag> = BTreeMap::new();
    for section in &site.sections {
        for &page in &section.pages {
            for name in &site.pages[page].doc.meta.tags {
                let url = tag_url(name);
                by_url
                    .entry(url.clone())
                    .or_insert_with(|| Tag {
                        name: name.clone(),
                        url,
                        pages: Vec::new(),
                    })
                    .pages
                    .push(page);
            }
        }
    }
    let mut tags: Vec<Tag> = by_url.into_values().collect();
    for tag in &mut tags {
        tag.pages
            .sort_by(|&a, &b| super::load::display_order(&site.pages[a].doc, &site.pages[b].doc));
    }
    tags
}
