//! What readers' devices save for offline use, in what order, and how much of it ahead of
//! time: the [`Plan`] the service worker is written from.
//!
//! The order is the reader's: the checklists' pages first (the guide's reason to exist), the
//! 404 page (shown offline for pages not saved), then every page in reading order (sections depth first, each followed by its pages), each page
//! followed by the files it loads that no earlier page loaded; then whatever no page loads
//! (the 404 page, the search index's parts, pictures linked but not shown). The worker itself saves the page being read
//! before all of these.
//!
//! Never saved: the feed, the sitemap and `robots.txt` (machines read them, not readers), pages
//! whose front matter says `offline = false`, files matched by `exclude` in `[offline]`, and
//! compressed copies. If the rest fits the budget, all of it is saved ahead; otherwise files are
//! saved ahead in that order while they fit, and the others when the reader opens them.
//!
//! This module decides; it reads and writes nothing.

use std::collections::{HashMap, HashSet};

use crate::content::{Body, Document, Site};
use crate::output::Record;

/// Files of a build that only machines read.
pub const NOT_SAVED: &[&str] = &["sitemap.xml", "atom.xml", "robots.txt", super::MARKER];

/// One file the worker may save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Below the output folder.
    pub path: String,
    /// Hash of its bytes: the worker's revision of the file.
    pub hash: u64,
    pub len: u64,
    /// An HTML page (counted in the reader's status).
    pub page: bool,
    /// Saved ahead, rather than when the reader opens it.
    pub ahead: bool,
}

/// How much is saved ahead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Policy {
    /// The whole site fits the budget: all of it is saved ahead.
    #[default]
    Everything,
    /// It does not: files are saved ahead in reading order while they fit, the rest as visited.
    AsVisited,
}

/// The files the worker saves, in the order it saves them.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub policy: Policy,
    pub ahead_bytes: u64,
    pub ahead_pages: usize,
    /// Pages the worker may save, ahead or as visited.
    pub pages: usize,
    /// Files of the build the worker never saves, sorted (compressed copies aside).
    pub unsaved: Vec<String>,
}

/// What [`plan`] reads: the build's files and what is known of its pages.
pub struct SiteFiles<'a> {
    pub records: &'a [Record],
    /// Page paths, checklists' first, then in reading order.
    pub pages: &'a [String],
    /// Page path -> the files of the site it loads, in document order.
    pub loads: &'a HashMap<String, Vec<String>>,
    /// Pages never saved: those whose front matter says `offline = false`, and redirect pages.
    pub opted_out: &'a HashSet<String>,
    /// Compressed copies of other files (never requested by browsers: not listed anywhere).
    pub copies: &'a HashSet<String>,
    pub exclude: &'a globset::GlobSet,
    pub budget: u64,
}

/// Orders and splits the build's files as the module's comment says.
pub fn plan<'a>(files: &'a SiteFiles<'a>) -> Plan {
    let by_path: HashMap<&str, &Record> =
        files.records.iter().map(|r| (r.path.as_str(), r)).collect();
    let saved = |path: &str| {
        by_path.contains_key(path)
            && !NOT_SAVED.contains(&path)
            // Each other language's feed (`es/atom.xml`) is a machine's file too.
            && !path.ends_with("/atom.xml")
            && !files.opted_out.contains(path)
            && !files.copies.contains(path)
            && !files.exclude.is_match(path)
    };
    let mut order: Vec<&str> = Vec::with_capacity(files.records.len());
    let mut seen: HashSet<&str> = HashSet::with_capacity(files.records.len());
    for page in files.pages.iter().filter(|page| saved(page)) {
        let loads = files.loads.get(page).into_iter().flatten();
        for path in std::iter::once(page).chain(loads) {
            if saved(path) && seen.insert(path) {
                order.push(path);
            }
        }
    }
    // What only unsaved pages load (the highlighting stylesheet of an excluded page of code),
    // and scripts and styles no page loads, are saved if the reader happens to open them,
    // never ahead; but the search index's parts, which the search script loads, are saved
    // ahead like the pages, so search works offline.
    let for_unsaved: HashSet<&str> = files
        .loads
        .iter()
        .filter(|(page, _)| !saved(page))
        .flat_map(|(_, loads)| loads.iter().map(String::as_str))
        .filter(|path| !seen.contains(path))
        .collect();
    let mut rest: Vec<&str> = files.records.iter().map(|r| r.path.as_str()).collect();
    rest.sort_unstable();
    let (visited_only, rest): (Vec<&str>, Vec<&str>) = rest.into_iter().partition(|path| {
        for_unsaved.contains(path)
            || (!seen.contains(path)
                && (path.ends_with(".css") || path.ends_with(".js"))
                && !crate::search::shards::is_index_file(path))
    });
    for path in rest.into_iter().chain(visited_only.iter().copied()) {
        if saved(path) && seen.insert(path) {
            order.push(path);
        }
    }
    let visited_only: HashSet<&str> = visited_only.into_iter().collect();

    let total: u64 = order
        .iter()
        .filter(|p| !visited_only.contains(*p))
        .map(|p| by_path[p].len)
        .sum();
    let policy = if total <= files.budget {
        Policy::Everything
    } else {
        Policy::AsVisited
    };
    let mut unsaved: Vec<String> = files
        .records
        .iter()
        .filter(|r| !saved(&r.path) && !files.copies.contains(&r.path))
        .map(|r| r.path.clone())
        .collect();
    unsaved.sort_unstable();
    let mut plan = Plan {
        policy,
        unsaved,
        ..Plan::default()
    };
    let mut fits = true;
    for path in order {
        let record = by_path[path];
        fits =
            fits && !visited_only.contains(path) && plan.ahead_bytes + record.len <= files.budget;
        let page = path.ends_with(".html");
        if fits {
            plan.ahead_bytes += record.len;
            plan.ahead_pages += usize::from(page);
        }
        plan.pages += usize::from(page);
        plan.entries.push(Entry {
            path: path.to_owned(),
            hash: record.hash,
            len: record.len,
            page,
            ahead: fits,
        });
    }
    plan
}

/// The site's 404 page.
const NOT_FOUND: &str = "404.html";

/// Every page's output path: checklists' pages first, the 404 page, then in reading order (each section
/// followed by its pages, subsections depth first). Pages with `offline = false` are left out.
pub fn reading_order(site: &Site) -> Vec<String> {
    let mut documents = Vec::with_capacity(site.sections.len() + site.pages.len());
    for (section, _) in site.sections_in_order() {
        let this = &site.sections[section];
        documents.push(&this.doc);
        documents.extend(this.pages.iter().map(|&p| &site.pages[p].doc));
    }
    let (checklists, others): (Vec<_>, Vec<_>) = documents
        .into_iter()
        .filter(|doc| doc.meta.offline != Some(false))
        .partition(|doc| matches!(doc.body, Body::Checklist(_)));
    let page_path = |doc: &Document| crate::render::page_path(&doc.url);
    // The 404 page is what the worker shows, offline, for a page it does not have: small, and
    // saved early.
    checklists
        .into_iter()
        .map(page_path)
        .chain(std::iter::once(NOT_FOUND.to_owned()))
        .chain(others.into_iter().map(page_path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, len: u64) -> Record {
        Record {
            path: path.to_owned(),
            hash: len,
            len,
        }
    }

    /// Plans a site of `records` whose pages (in order) load `loads`, and lists its entries as
    /// `path` or `path (visited)`.
    fn check(
        records: &[Record],
        loads: &[(&str, &[&str])],
        exclude: &[&str],
        budget: u64,
        expected: &[&str],
    ) -> Plan {
        let pages: Vec<String> = loads.iter().map(|(p, _)| (*p).to_owned()).collect();
        let loads: HashMap<String, Vec<String>> = loads
            .iter()
            .map(|(p, l)| ((*p).to_owned(), l.iter().map(|s| (*s).to_owned()).collect()))
            .collect();
        let mut globs = globset::GlobSetBuilder::new();
        for pattern in exclude {
            globs.add(globset::Glob::new(pattern).unwrap());
        }
        let plan = plan(&SiteFiles {
            records,
            pages: &pages,
            loads: &loads,
            opted_out: &HashSet::new(),
            copies: &HashSet::from(["index.html.gz".to_owned()]),
            exclude: &globs.build().unwrap(),
            budget,
        });
        let listed: Vec<String> = plan
            .entries
            .iter()
            .map(|e| {
                if e.ahead {
                    e.path.clone()
                } else {
                    format!("{} (visited)", e.path)
                }
            })
            .collect();
        assert_eq!(listed, expected);
        plan
    }

    #[test]
    fn checklists_then_reading_order_each_page_with_its_files() {
        let records = [
            record("index.html", 10),
            record("index.html.gz", 5),
            record("style.css", 10),
            record("checklist.js", 10),
            record("checklists/x/index.html", 10),
            record("guide/a/index.html", 10),
            record("guide/a/pic.png", 10),
            record("404.html", 10),
            record("atom.xml", 10),
            record("sitemap.xml", 10),
            record("robots.txt", 10),
            record("authors/index.html", 10),
            record("syntax.css", 10),
        ];
        let plan = check(
            &records,
            &[
                ("checklists/x/index.html", &["style.css", "checklist.js"]),
                ("index.html", &["style.css"]),
                ("guide/a/index.html", &["style.css", "guide/a/pic.png"]),
                ("authors/index.html", &["style.css", "syntax.css"]),
            ],
            &["authors/**"],
            1 << 20,
            &[
                "checklists/x/index.html",
                "style.css",
                "checklist.js",
                "index.html",
                "guide/a/index.html",
                "guide/a/pic.png",
                "404.html",
                "syntax.css (visited)",
            ],
        );
        assert_eq!(plan.policy, Policy::Everything);
        assert_eq!(
            plan.unsaved,
            [
                "atom.xml",
                "authors/index.html",
                "robots.txt",
                "sitemap.xml"
            ]
        );
        assert_eq!((plan.ahead_bytes, plan.ahead_pages, plan.pages), (70, 4, 4));
    }

    #[test]
    fn the_search_index_is_saved_ahead_though_no_page_loads_it() {
        let records = [
            record("index.html", 10),
            record("search.js", 10),
            record("search/index.js", 10),
            record("search/terms-all.js", 10),
            record("unused.js", 10),
        ];
        check(
            &records,
            &[("index.html", &["search.js"])],
            &[],
            1 << 20,
            &[
                "index.html",
                "search.js",
                "search/index.js",
                "search/terms-all.js",
                "unused.js (visited)",
            ],
        );
    }

    #[test]
    fn past_the_budget_the_rest_is_saved_as_visited() {
        let records = [
            record("a/index.html", 40),
            record("style.css", 20),
            record("b/index.html", 40),
            record("c/index.html", 10),
        ];
        let plan = check(
            &records,
            &[
                ("a/index.html", &["style.css"]),
                ("b/index.html", &["style.css"]),
                ("c/index.html", &["style.css"]),
            ],
            &[],
            99,
            &[
                "a/index.html",
                "style.css",
                "b/index.html (visited)",
                "c/index.html (visited)",
            ],
        );
        assert_eq!(plan.policy, Policy::AsVisited);
        assert_eq!((plan.ahead_bytes, plan.ahead_pages, plan.pages), (60, 1, 3));
    }
}
