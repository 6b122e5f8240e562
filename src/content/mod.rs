//! The site's content as a tree: [`Section`]s holding ordered [`Page`]s, each with its URL.
//!
//! `load` walks `content/` and builds this model; nothing here renders or writes. Pages and
//! sections refer to each other by index into [`Site`]'s vectors, so the model is plain data that
//! stages can share across threads.

pub mod front_matter;
mod load;
pub mod paths;
pub mod redirects;
pub mod summary;
pub mod tags;
pub mod translations;

pub use front_matter::FrontMatter;
pub use load::{Content, assemble, is_ignored, load, not_utf8_name, read_document, read_text};
pub use redirects::Redirect;
pub use tags::Tag;

use crate::diagnostic::Source;

/// One content file that becomes one HTML page: a markdown page, a section's `_index.md`, or a
/// checklist's own page.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: Source,
    /// Path below `content/`, with `/` separators: `guide/risk.md`.
    pub relative_path: String,
    /// Root-relative URL: `/guide/risk/`.
    pub url: String,
    pub meta: FrontMatter,
    pub body: Body,
}

/// Where a document's content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Markdown starting at this byte offset of the source.
    Markdown(usize),
    /// The page of the checklist with this id.
    Checklist(String),
}

impl Document {
    /// The language of a translation (`Some("es")` for `a.es.md`); `None` for a document in the
    /// site's default language.
    pub fn translation_language(&self) -> Option<&str> {
        paths::split_language(&self.relative_path).1
    }

    /// The content path of the document this one translates, or its own.
    pub fn original_path(&self) -> String {
        paths::split_language(&self.relative_path).0
    }

    /// The markdown body, empty for checklist pages.
    pub fn markdown(&self) -> (&str, usize) {
        match &self.body {
            Body::Markdown(offset) => (&self.source.text[*offset..], *offset),
            Body::Checklist(_) => ("", 0),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document,
    /// Index of the section the page is listed in.
    pub section: usize,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub doc: Document,
    pub parent: Option<usize>,
    /// Indexes into [`Site::pages`], in display order.
    pub pages: Vec<usize>,
    /// Indexes into [`Site::sections`], in display order.
    pub subsections: Vec<usize>,
}

/// All the content of a site. `sections[0]` is the home section (`content/_index.md`); each
/// other language has its own tree, whose home (`content/_index.es.md`) has no parent.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    /// Old addresses that send readers on (aliases, sections' `redirect_to`).
    pub redirects: Vec<Redirect>,
    /// Every tag of the pages, by slug.
    pub tags: Vec<Tag>,
}

impl Site {
    /// The previous and next page of `page` within its section.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let list = &self.sections[self.pages[page].section].pages;
        let Some(position) = list.iter().position(|&p| p == page) else {
            return (None, None);
        };
        let prev = position.checked_sub(1).map(|i| list[i]);
        (prev, list.get(position + 1).copied())
    }

    /// The sections in tree order (each before its subsections, depth first), with their depth
    /// below the root.
    pub fn sections_in_order(&self) -> Vec<(usize, usize)> {
        let mut order = Vec::with_capacity(self.sections.len());
        let mut stack = if self.sections.is_empty() {
            Vec::new()
        } else {
            vec![(0, 0)]
        };
        while let Some((section, depth)) = stack.pop() {
            order.push((section, depth));
            let children = self.sections[section].subsections.iter().rev();
            stack.extend(children.map(|&child| (child, depth + 1)));
        }
        order
    }

    /// Every document, sections first, with a stable identity for each.
    pub fn documents(&self) -> impl Iterator<Item = (DocId, &Document)> {
        let sections = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (DocId::Section(i), &s.doc));
        let pages = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (DocId::Page(i), &p.doc));
        sections.chain(pages)
    }

    pub fn document(&self, id: DocId) -> &Document {
        match id {
            DocId::Section(i) => &self.sections[i].doc,
            DocId::Page(i) => &self.pages[i].doc,
        }
    }
}

/// Which document: a section's index page or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocId {
    Section(usize),
    Page(usize),
}
