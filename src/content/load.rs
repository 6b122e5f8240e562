//! Reading `content/`: every markdown file with its front matter, every criteria file, every
//! other file (published beside the pages); then assembling the section tree.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{Body, Document, Page, Section, Site, front_matter, paths};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Source};

/// What `content/` holds, read but not yet arranged.
#[derive(Debug, Default)]
pub struct Content {
    /// Markdown pages and section indexes.
    pub documents: Vec<Document>,
    /// Criteria files: see `is_criteria` for the rule.
    pub criteria: Vec<Source>,
    /// Any other file: (path below `content/`, path on disk), published as it is.
    pub assets: Vec<(String, PathBuf)>,
    /// Warnings about files that were left out (an mdBook `SUMMARY.md`).
    pub warnings: Vec<Diagnostic>,
}

enum Kind {
    Markdown,
    Criteria,
    Asset,
}

/// Reads every file under `content/`. Drafts are dropped unless the config asks for them.
pub fn load(config: &Config) -> Result<Content, Diagnostics> {
    let dir = config.root.join("content");
    if !dir.is_dir() {
        return Err(Diagnostic::error("there is no `content/` folder")
            .in_file(Path::new("content"))
            .with_hint("create `content/_index.md` for the home page")
            .into());
    }
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                match entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap_or(entry.path())
                    .to_str()
                {
                    Some(_) => {
                        let relative = relative_path(&dir, entry.path());
                        files.push((relative, entry.into_path()));
                    }
                    None => diagnostics.push(not_utf8_name(
                        &Path::new("content").join(relative_path(&dir, entry.path())),
                    )),
                }
            }
            Ok(_) => {}
            Err(err) => diagnostics.push(
                Diagnostic::error(format!("cannot read this folder entry: {err}"))
                    .in_file(err.path().unwrap_or(&dir))
                    .with_hint("check the file's permissions"),
            ),
        }
    }

    let read: Vec<_> = files
        .into_par_iter()
        .map(|(relative, path)| read_one(config, relative, path))
        .collect();
    let mut content = Content::default();
    for result in read {
        match result {
            Ok(Some(Entry::Document(doc))) => content.documents.push(*doc),
            Ok(Some(Entry::Criteria(source))) => content.criteria.push(source),
            Ok(Some(Entry::Asset(relative, path))) => content.assets.push((relative, path)),
            Ok(Some(Entry::Skipped(warning))) => content.warnings.push(warning),
            Ok(None) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(content)
}

/// The error for a file whose name is not UTF-8: its URL and output path could only be a lossy
/// copy, which two such names may share.
pub fn not_utf8_name(shown: &Path) -> Diagnostic {
    Diagnostic::error("this file's name is not UTF-8 text")
        .in_file(shown)
        .with_hint("rename the file (or its folder) using UTF-8 characters; the name becomes part of a URL")
}

/// Hidden files, editors' swap and backup files, and OS clutter are not content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

fn relative_path(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

enum Entry {
    Document(Box<Document>),
    Criteria(Source),
    Asset(String, PathBuf),
    /// A file left out, and why.
    Skipped(Diagnostic),
}

fn kind_of(relative: &str) -> Kind {
    if relative.ends_with(".md") {
        Kind::Markdown
    } else if relative.ends_with(".toml") {
        Kind::Criteria
    } else {
        Kind::Asset
    }
}

/// Which `.toml` files of `content/` are checklists: every one in a folder named `checklists`,
/// and elsewhere one that has `[[questions]]` at its top level. Any other `.toml` file (a
/// sample `Cargo.toml`) is published as it is, like any file beside the pages.
pub(super) fn is_criteria(relative: &str, text: &str) -> bool {
    let in_checklists = relative
        .split('/')
        .rev()
        .skip(1)
        .any(|folder| folder == "checklists");
    in_checklists
        || toml::de::DeTable::parse(text).is_ok_and(|table| {
            table.get_ref().iter().any(|(key, value)| {
                key.get_ref() == "questions"
                    && matches!(value.get_ref(), toml::de::DeValue::Array(_))
            })
        })
}

fn read_one(config: &Config, relative: String, path: PathBuf) -> Result<Option<Entry>, Diagnostic> {
    let kind = kind_of(&relative);
    if let Kind::Asset = kind {
        return Ok(Some(Entry::Asset(relative, path)));
    }
    let shown = PathBuf::from("content").join(&relative);
    let text = read_text(&path, &shown)?;
    let source = Source::new(shown, text);
    check_language(config, &relative, &source)?;
    if let Kind::Criteria = kind {
        if is_criteria(&relative, &source.text) {
            return Ok(Some(Entry::Criteria(source)));
        }
        return Ok(Some(Entry::Asset(relative, path)));
    }
    if relative.rsplit('/').next() == Some("SUMMARY.md") && !source.text.starts_with("+++") {
        return Ok(Some(Entry::Skipped(
            Diagnostic::warning("`SUMMARY.md` (mdBook's table of contents) is not used")
                .in_file(&source.path)
                .with_hint("plumb orders pages by `weight` in each page's front matter, then by date and title; folders with `_index.md` or `README.md` are the parts: give each page a `weight` and delete this file"),
        )));
    }
    let (mut meta, body) = front_matter::parse(&source)?;
    meta.summary = super::summary::before_more(&source.text[body..]);
    if meta.draft && !config.drafts {
        return Ok(None);
    }
    if let Some(slug) = &meta.slug
        && let Some(problem) = paths::check_slug(slug.get_ref())
    {
        return Err(Diagnostic::error(problem)
            .at(&source, slug.span())
            .with_hint("a slug is one URL segment: letters, digits and `-`, like `my-page`"));
    }
    let url = paths::url_of(&relative, meta.slug());
    Ok(Some(Entry::Document(Box::new(Document {
        source,
        relative_path: relative,
        url,
        meta,
        body: Body::Markdown(body),
    }))))
}

/// Refuses a translation (`a.xx.md`, `x.xx.toml`) whose `xx` is not one of the site's other
/// languages.
fn check_language(config: &Config, relative: &str, source: &Source) -> Result<(), Diagnostic> {
    let (original, Some(code)) = paths::split_language(relative) else {
        return Ok(());
    };
    let original_name = original.rsplit('/').next().unwrap_or(&original);
    if code == config.default_language() {
        return Err(Diagnostic::error(format!(
            "`{code}` is the site's default language"
        ))
        .at(source, 0..0)
        .with_hint(format!(
            "pages in the default language have no code in their name: rename the file `{original_name}`"
        )));
    }
    if config.language(code).is_none() {
        let known: Vec<&str> = config
            .languages
            .iter()
            .skip(1)
            .map(|l| l.code.as_str())
            .collect();
        let known = if known.is_empty() {
            "the site has no other language".to_owned()
        } else {
            format!("its other languages are `{}`", known.join("`, `"))
        };
        return Err(Diagnostic::error(format!(
            "`{code}` is not a language of the site ({known})"
        ))
        .at(source, 0..0)
        .with_hint(format!(
            "add `[languages.{code}]` with a `title` to site.toml, or rename the file (a name ending in `.{code}.md` is a translation of `{original_name}`)"
        )));
    }
    Ok(())
}

/// Reads one markdown file of `content/` (`relative` below it) as a document; `None` for a draft
/// that is not published.
pub fn read_document(config: &Config, relative: &str) -> Result<Option<Document>, Diagnostic> {
    let path = config.root.join("content").join(relative);
    match read_one(config, relative.to_owned(), path)? {
        Some(Entry::Document(doc)) => Ok(Some(*doc)),
        _ => Ok(None),
    }
}

/// Reads a text file, with errors for unreadable and non-UTF-8 files.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(format!("cannot read this file: {err}"))
            .in_file(shown)
            .with_hint("check that the file exists and that you may read it")
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.into_bytes()[..valid]).into_owned();
        let source = Source::new(shown, text.as_str());
        Diagnostic::error("this file is not UTF-8 text")
            .at(&source, valid..valid)
            .with_hint("save the file as UTF-8 in your editor")
    })
}

/// Arranges documents into the section tree, orders pages, and refuses two documents with
/// one URL.
pub fn assemble(documents: Vec<Document>) -> Result<Site, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut seen: HashMap<&str, &Document> = HashMap::new();
    for doc in &documents {
        if let Some(first) = seen.insert(&doc.url, doc) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` has the same URL `{}` as `{}`",
                    doc.source.path.display(),
                    doc.url,
                    first.source.path.display()
                ))
                .in_file(&doc.source.path)
                .with_hint("rename one of the files or give it another `slug`"),
            );
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }

    diagnostics.extend(missing_originals(&documents));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }

    let (indexes, pages): (Vec<_>, Vec<_>) = documents
        .into_iter()
        .partition(|d| paths::is_section_index(&d.relative_path));

    // Sections keyed by language (`None` for the default, first) and folder ("" for a home), so
    // parents are found by walking up within one language.
    let mut by_folder: BTreeMap<Tree, Document> =
        indexes.into_iter().map(|d| (tree_of(&d), d)).collect();
    let languages: Vec<Option<String>> = pages
        .iter()
        .map(|d| d.translation_language().map(str::to_owned))
        .chain(by_folder.keys().map(|(language, _)| language.clone()))
        .chain([None])
        .collect();
    for language in languages {
        by_folder
            .entry((language.clone(), String::new()))
            .or_insert_with(|| implicit_home(language.as_deref()));
    }

    let folders: Vec<Tree> = by_folder.keys().cloned().collect();
    let index_of: HashMap<(Option<&str>, &str), usize> = folders
        .iter()
        .enumerate()
        .map(|(i, (language, folder))| ((language.as_deref(), folder.as_str()), i))
        .collect();
    let nearest = |language: Option<&str>, folder: &str| -> usize {
        let mut folder = folder;
        loop {
            if let Some(&i) = index_of.get(&(language, folder)) {
                return i;
            }
            folder = folder.rfind('/').map_or("", |i| &folder[..i]);
        }
    };

    let mut site = Site::default();
    for ((language, folder), doc) in by_folder {
        let parent =
            (!folder.is_empty()).then(|| nearest(language.as_deref(), parent_folder(&folder)));
        site.sections.push(Section {
            doc,
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
        });
    }
    for doc in pages {
        let section = nearest(doc.translation_language(), folder_of(&doc.relative_path));
        site.pages.push(Page { doc, section });
    }
    link_tree(&mut site);
    site.redirects = super::redirects::collect(&site)?;
    site.tags = super::tags::collect(&site);
    if !site.tags.is_empty()
        && let Some((_, doc)) = site
            .documents()
            .find(|(_, d)| d.url.starts_with(super::tags::TAGS_URL))
    {
        return Err(Diagnostic::error(format!(
            "`{}` is published under `{}`, where the tag pages go",
            doc.source.path.display(),
            super::tags::TAGS_URL
        ))
        .in_file(&doc.source.path)
        .with_hint("move the file to another folder, or give it another `slug`")
        .into());
    }
    Ok(site)
}

/// A section tree's key for a section: its language (`None` for the default) and folder.
type Tree = (Option<String>, String);

fn tree_of(doc: &Document) -> Tree {
    (
        doc.translation_language().map(str::to_owned),
        folder_of(&doc.relative_path).to_owned(),
    )
}

/// A translation whose original is missing: an error at the translation.
fn missing_originals(documents: &[Document]) -> Vec<Diagnostic> {
    let originals: HashSet<&str> = documents
        .iter()
        .filter(|d| d.translation_language().is_none())
        .map(|d| d.relative_path.as_str())
        .collect();
    documents
        .iter()
        .filter(|d| d.translation_language().is_some())
        .filter_map(|d| {
            let original = d.original_path();
            // Every language has a home page, written or not.
            let home = original == "_index.md";
            (!home && !originals.contains(original.as_str())).then(|| {
                Diagnostic::error(format!(
                    "`{}` translates `content/{original}`, which does not exist",
                    d.source.path.display()
                ))
                .at(&d.source, 0..0)
                .with_hint(format!(
                    "a translation sits beside its original and shares its name: write `content/{original}` first, or rename this file"
                ))
            })
        })
        .collect()
}

/// The home page of a language with no `_index.md` of its own.
fn implicit_home(language: Option<&str>) -> Document {
    let relative_path = match language {
        Some(code) => format!("_index.{code}.md"),
        None => "_index.md".to_owned(),
    };
    Document {
        source: Source::new(format!("content/{relative_path}"), ""),
        url: paths::url_of(&relative_path, None),
        relative_path,
        meta: front_matter::FrontMatter::default(),
        body: Body::Markdown(0),
    }
}

fn folder_of(relative_path: &str) -> &str {
    relative_path.rfind('/').map_or("", |i| &relative_path[..i])
}

fn parent_folder(folder: &str) -> &str {
    folder.rfind('/').map_or("", |i| &folder[..i])
}

/// Fills each section's page and subsection lists, in display order.
pub(crate) fn link_tree(site: &mut Site) {
    let Site {
        sections, pages, ..
    } = site;
    for section in sections.iter_mut() {
        section.pages.clear();
    }
    for (i, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(i);
    }
    for section in sections.iter_mut() {
        section
            .pages
            .sort_by(|&a, &b| display_order(&pages[a].doc, &pages[b].doc));
    }
    let mut children = vec![Vec::new(); sections.len()];
    // A section that only redirects is no part of the tree readers see.
    for (i, section) in sections.iter().enumerate() {
        if let Some(parent) = section.parent
            && section.doc.meta.redirect_to.is_none()
        {
            children[parent].push(i);
        }
    }
    for list in &mut children {
        list.sort_by(|&a: &usize, &b: &usize| display_order(&sections[a].doc, &sections[b].doc));
    }
    for (section, list) in sections.iter_mut().zip(children) {
        section.subsections = list;
    }
}

/// Weight (lower first, unweighted last), then date (newest first), then title in natural
/// order (`Part 2` before `Part 10`, `é` beside `e`), then URL.
pub(super) fn display_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    let weight = |d: &Document| (d.meta.weight.is_none(), d.meta.weight);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| b.meta.date.cmp(&a.meta.date))
        .then_with(|| lexical_sort::natural_lexical_cmp(&a.meta.title, &b.meta.title))
        .then_with(|| a.url.cmp(&b.url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, front: &str) -> Document {
        let text = format!("+++\n{front}\n+++\nbody\n");
        let source = Source::new(format!("content/{path}"), text);
        let (meta, body) = front_matter::parse(&source).unwrap();
        Document {
            url: paths::url_of(path, meta.slug()),
            source,
            relative_path: path.to_owned(),
            meta,
            body: Body::Markdown(body),
        }
    }

    fn titles(site: &Site, section: usize) -> Vec<&str> {
        site.sections[section]
            .pages
            .iter()
            .map(|&p| site.pages[p].doc.meta.title.as_str())
            .collect()
    }

    #[test]
    fn pages_order_by_weight_then_date_then_title() {
        let site = assemble(vec![
            doc("b.md", "title = 'B'"),
            doc("a.md", "title = 'A'"),
            doc("old.md", "title = 'Old'\ndate = 2020-01-01"),
            doc("new.md", "title = 'New'\ndate = 2024-01-01"),
            doc("w2.md", "title = 'W2'\nweight = 2"),
            doc("w1.md", "title = 'W1'\nweight = 1"),
        ])
        .unwrap();
        assert_eq!(titles(&site, 0), ["W1", "W2", "New", "Old", "A", "B"]);
    }

    #[test]
    fn dated_pages_order_by_instant_not_wall_clock() {
        let site = assemble(vec![
            doc("a.md", "title = '05Z'\ndate = 2024-05-31T05:00:00Z"),
            doc(
                "b.md",
                "title = '08 minus 2'\ndate = 2024-05-31T08:00:00-02:00",
            ),
            doc("c.md", "title = '11Z'\ndate = 2024-05-31T11:00:00Z"),
            doc("d.md", "title = '07Z'\ndate = 2024-05-31T07:00:00Z"),
            doc(
                "e.md",
                "title = '08 plus 2'\ndate = 2024-05-31T08:00:00+02:00",
            ),
            doc("f.md", "title = '09Z'\ndate = 2024-05-31T09:00:00Z"),
        ])
        .unwrap();
        assert_eq!(
            titles(&site, 0),
            ["11Z", "08 minus 2", "09Z", "07Z", "08 plus 2", "05Z"]
        );
    }

    #[test]
    fn titles_order_as_people_count() {
        let site = assemble(vec![
            doc("p10.md", "title = 'Part 10'"),
            doc("p2.md", "title = 'Part 2'"),
            doc("p1.md", "title = 'Part 1'"),
            doc("z.md", "title = 'Zones'"),
            doc("e.md", "title = 'Étapes'"),
        ])
        .unwrap();
        assert_eq!(
            titles(&site, 0),
            ["Étapes", "Part 1", "Part 2", "Part 10", "Zones"]
        );
    }

    #[test]
    fn pages_belong_to_the_nearest_section() {
        let site = assemble(vec![
            doc("_index.md", "title = 'Home'"),
            doc("guide/_index.md", "title = 'Guide'"),
            doc("guide/a.md", "title = 'A'"),
            doc("guide/deep/b.md", "title = 'B'"),
            doc("loose/c.md", "title = 'C'"),
        ])
        .unwrap();
        assert_eq!(site.sections.len(), 2);
        assert_eq!(titles(&site, 1), ["A", "B"]);
        assert_eq!(titles(&site, 0), ["C"]);
        assert_eq!(site.sections[0].subsections, [1]);
        assert_eq!(site.sections[1].parent, Some(0));
    }

    #[test]
    fn neighbours_within_a_section() {
        let site = assemble(vec![
            doc("a.md", "title = 'A'\nweight = 1"),
            doc("b.md", "title = 'B'\nweight = 2"),
            doc("c.md", "title = 'C'\nweight = 3"),
        ])
        .unwrap();
        let b = site
            .pages
            .iter()
            .position(|p| p.doc.meta.title == "B")
            .unwrap();
        let (prev, next) = site.neighbours(b);
        assert_eq!(site.pages[prev.unwrap()].doc.meta.title, "A");
        assert_eq!(site.pages[next.unwrap()].doc.meta.title, "C");
    }

    #[test]
    fn tags_group_pages_by_slug_and_keep_the_tag_folder_free() {
        let site = assemble(vec![
            doc("a.md", "title = 'A'\ntags = ['Pay', 'hours']"),
            doc("b.md", "title = 'B'\nweight = 1\ntags = ['pay']"),
        ])
        .unwrap();
        let tags: Vec<(&str, &str, usize)> = site
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.url.as_str(), t.pages.len()))
            .collect();
        assert_eq!(
            tags,
            [("hours", "/tags/hours/", 1), ("pay", "/tags/pay/", 2)]
        );
        let pay = &site.tags[1];
        assert_eq!(site.pages[pay.pages[0]].doc.meta.title, "B");
        let err = assemble(vec![
            doc("a.md", "title = 'A'\ntags = ['pay']"),
            doc("tags/pay.md", "title = 'Mine'"),
        ])
        .unwrap_err();
        assert!(
            err.iter()
                .next()
                .unwrap()
                .to_string()
                .contains("where the tag pages go"),
            "{err:?}"
        );
    }

    #[test]
    fn two_pages_with_one_url_is_an_error() {
        let err = assemble(vec![
            doc("a.md", "title = 'A'"),
            doc("b.md", "title = 'B'\nslug = 'a'"),
        ])
        .unwrap_err();
        let message = err.iter().next().unwrap().to_string();
        assert!(
            message.contains("has the same URL `/a/` as `content/a.md`"),
            "{message}"
        );
    }
}
