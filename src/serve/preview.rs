//! The dev server's build, kept in memory and brought up to date change by change.
//!
//! A full rebuild is `build::run`, the pipeline of `plumb build` (without fingerprints,
//! compressed copies or a service worker), with a sink that keeps the files in memory
//! (`generation`), and keeps what the run hands back for a later change: the site, the theme,
//! each page's shared context, each document's anchors and anchor links. A page whose body
//! changed is then rendered alone. Nothing here touches `public/`; on any error the last good
//! files stay as they are.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::build;
use crate::config::{BuildOptions, Config};
use crate::content::{self, DocId, Document, Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::{self, Highlighter, RenderContext};
use crate::output::{Contents, OutputFile};
use crate::render::{self, RenderInput, SlowPages};
use crate::search;
use crate::urls::LinkStyle;

use super::plan::RebuildPlan;

mod generation;
mod templates;

use generation::Generation;

/// The files the server answers with: path below the site -> bytes.
pub(super) type Files = HashMap<String, Arc<[u8]>>;

/// What a rebuild did, for the terminal and the browser.
#[derive(Debug, Clone)]
pub(super) struct Rebuilt {
    /// What was rebuilt, in words: "everything (site.toml)", "1 page".
    pub what: String,
    /// Only stylesheets changed: the browser can swap them without a reload.
    pub css_only: bool,
    /// The warnings of a full rebuild, the same `plumb build` prints.
    pub warnings: Diagnostics,
}

/// What became of a changed markdown file.
enum Page {
    /// Its page alone was rebuilt.
    Rebuilt,
    /// The change reaches other pages (why, in words): a full rebuild is due.
    Beyond(&'static str),
}

/// The state a single-page rebuild needs.
struct Compiled {
    config: Config,
    site: Site,
    kept: build::Kept,
}

/// Shows the open pages of a full rebuild before the rest are rendered: the files as they
/// will be, but for the pages not yet rendered, which are still the last build's.
pub(super) type Early = Box<dyn FnMut(&Files) + Send>;

pub(super) struct Preview {
    options: BuildOptions,
    highlighter: Highlighter,
    compiled: Option<Compiled>,
    files: Files,
    /// The output paths to render first (the open pages), from the plan being applied.
    first: Vec<String>,
    early: Option<Early>,
}

impl Preview {
    pub(super) fn new(options: BuildOptions) -> Self {
        Self {
            options,
            highlighter: Highlighter::default(),
            compiled: None,
            files: Files::new(),
            first: Vec::new(),
            early: None,
        }
    }

    /// Calls `early` in each full rebuild, and in each page edit, once the plan's open pages are
    /// rendered (before the search index is written again).
    pub(super) fn on_first_pages(&mut self, early: Early) {
        self.early = Some(early);
    }

    pub(super) fn files(&self) -> &Files {
        &self.files
    }

    pub(super) fn output_dir(&self) -> Option<&Path> {
        self.compiled
            .as_ref()
            .map(|c| c.config.output_dir.as_path())
    }

    pub(super) fn theme_name(&self) -> Option<&str> {
        self.compiled.as_ref().map(|c| c.config.theme.as_str())
    }

    /// Brings the preview up to date with `plan`. On error, the previous files stay.
    pub(super) fn apply(&mut self, plan: &RebuildPlan) -> Result<Rebuilt, Diagnostics> {
        self.first.clone_from(&plan.first);
        if let Some(why) = &plan.full {
            return self.full().map(|warnings| Rebuilt {
                what: format!("everything ({why})"),
                css_only: false,
                warnings,
            });
        }
        // Static files first: they cannot fail on another file's error.
        for path in &plan.statics {
            if !self.copy_static(path)? {
                return self.full().map(|warnings| Rebuilt {
                    what: format!("everything ({} appeared or went)", path.display()),
                    css_only: false,
                    warnings,
                });
            }
        }
        let mut pages = 0;
        if !plan.templates.is_empty() {
            match self.templates(&plan.templates)? {
                templates::Templates::Rebuilt(n) => pages += n,
                templates::Templates::Beyond(why) => {
                    return self.full().map(|warnings| Rebuilt {
                        what: format!("everything ({why})"),
                        css_only: false,
                        warnings,
                    });
                }
            }
        }
        for path in &plan.pages {
            match self.page(path)? {
                Page::Rebuilt => pages += 1,
                Page::Beyond(why) => {
                    return self.full().map(|warnings| Rebuilt {
                        what: format!("everything ({} {why})", path.display()),
                        css_only: false,
                        warnings,
                    });
                }
            }
        }
        let css_only = pages == 0
            && plan
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"));
        let mut what = Vec::new();
        if pages > 0 {
            what.push(format!("{pages} page{}", if pages == 1 { "" } else { "s" }));
        }
        if !plan.statics.is_empty() {
            what.push(format!(
                "{} static file{}",
                plan.statics.len(),
                if plan.statics.len() == 1 { "" } else { "s" }
            ));
        }
        Ok(Rebuilt {
            what: what.join(" and "),
            css_only,
            warnings: Diagnostics::default(),
        })
    }

    /// Rebuilds everything through the pipeline of `plumb build`, reusing highlighted code and,
    /// for each file that did not change, the previous generation's bytes; the open pages
    /// render first and are shown at once. Its warnings are those `plumb build` reports (and
    /// fail it the same way under `--strict`). On error, the previous files stay.
    pub(super) fn full(&mut self) -> Result<Diagnostics, Diagnostics> {
        let early = &mut self.early;
        let mut show = |generation: &Generation<'_>| {
            if let Some(early) = early.as_mut() {
                early(&generation.so_far());
            }
        };
        let ahead = build::Ahead {
            pages: &self.first,
            then: &mut show,
        };
        let build::Run {
            config,
            site,
            sink,
            diagnostics,
            kept,
            ..
        } = build::run(
            &self.options,
            &self.highlighter,
            |_| Ok(Generation::after(&self.files)),
            Some(ahead),
        )?;
        let Some(kept) = kept else {
            unreachable!("a preview's run keeps what the preview renders again")
        };
        self.files = sink.into_files();
        self.compiled = Some(Compiled { config, site, kept });
        Ok(diagnostics)
    }

    /// Rebuilds the page of one markdown file, unless the change reaches beyond it.
    fn page(&mut self, path: &Path) -> Result<Page, Diagnostics> {
        let Some(c) = self.compiled.as_mut() else {
            return Ok(Page::Beyond("changed"));
        };
        let Ok(relative) = path.strip_prefix("content") else {
            return Ok(Page::Beyond("changed"));
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let exists = c.config.root.join(path).is_file();
        let Some((index, (id, old))) = c
            .site
            .documents()
            .enumerate()
            .find(|(_, (_, d))| d.relative_path == relative)
        else {
            return Ok(Page::Beyond(if exists { "appeared" } else { "changed" }));
        };
        if !exists {
            return Ok(Page::Beyond("went"));
        }
        let Some(doc) = content::read_document(&c.config, &relative)? else {
            return Ok(Page::Beyond("became a draft"));
        };
        if !same_listing(old, &doc) {
            return Ok(Page::Beyond("changed what other pages show of it"));
        }
        let cx = RenderContext {
            smart_punctuation: c.config.smart_punctuation,
            links: &c.kept.links,
            embeds: &c.kept.embeds,
            highlighter: &self.highlighter,
            shortcodes: &c.kept.theme,
        };
        let mut body = markdown::render(&doc, id, &cx);
        let text = std::mem::take(&mut body.search);
        let mut errors: Diagnostics = body.diagnostics.iter().cloned().collect();
        let previous = std::mem::replace(&mut c.kept.bodies[index], build::anchors_of(&body));
        set_document(&mut c.site, id, doc);
        errors.extend(build::check_anchors(&c.site, &c.kept.bodies));
        if errors.has_errors() {
            c.kept.bodies[index] = previous;
            errors.sort();
            return Err(errors);
        }
        let slow_pages = SlowPages::new(render::slow::SLOW_PAGE, build::print_at_once());
        let input = RenderInput {
            config: &c.config,
            site: &c.site,
            theme: &c.kept.theme,
            link_style: LinkStyle::Pretty,
            checklist_url: c.kept.checklist_url.as_deref(),
            slow_pages: Some(&slow_pages),
        };
        let search_page = c.kept.search.as_ref().map(|(indexer, _)| {
            let doc = c.site.document(id);
            indexer.page(doc, &text)
        });
        body.diagnostics.clear();
        let page =
            render::render_document(&input, &c.kept.shared, id, body).map_err(Diagnostics::from)?;
        let (path, bytes) = bytes_of(page.file).map_err(Diagnostics::from)?;
        let open = self.first.contains(&path);
        self.files.insert(path, bytes);
        // The open page shows its edit now; the search index, written again below, follows.
        if open && let Some(early) = self.early.as_mut() {
            early(&self.files);
        }
        if let (Some((indexer, pages)), Some(search_page)) = (&mut c.kept.search, search_page) {
            pages[index] = search_page;
            // The index may now be split otherwise: its files are all written again.
            self.files
                .retain(|path, _| !search::shards::is_index_file(path));
            for file in indexer.files(pages) {
                let (path, bytes) = bytes_of(file).map_err(Diagnostics::from)?;
                self.files.insert(path, bytes);
            }
        }
        Ok(Page::Rebuilt)
    }

    /// Copies a changed static file. `Ok(false)` when it appeared or went (the asset list
    /// changes: a full rebuild).
    fn copy_static(&mut self, path: &Path) -> Result<bool, Diagnostics> {
        let Some(c) = self.compiled.as_ref() else {
            return Ok(false);
        };
        let source = c.config.root.join(path);
        let relative = path.to_string_lossy().replace('\\', "/");
        let name = relative
            .strip_prefix("static/")
            .or_else(|| relative.strip_prefix("content/"))
            .or_else(|| relative.strip_prefix(&format!("themes/{}/static/", c.config.theme)))
            .unwrap_or(&relative)
            .to_owned();
        if !source.is_file() || !self.files.contains_key(&name) {
            return Ok(false);
        }
        let overridden =
            relative.starts_with("themes/") && c.config.root.join("static").join(&name).is_file();
        if overridden {
            return Ok(true);
        }
        let bytes = std::fs::read(&source).map_err(|err| {
            Diagnostics::from(
                Diagnostic::error(format!("cannot read this file: {err}")).in_file(path),
            )
        })?;
        self.files.insert(name, bytes.into());
        Ok(true)
    }
}

/// Whether two versions of a document show the same in every other page: navigation,
/// listings, neighbours' links, feed and sitemap.
fn same_listing(old: &Document, new: &Document) -> bool {
    let (a, b) = (&old.meta, &new.meta);
    old.url == new.url
        && a.title == b.title
        && a.description == b.description
        && a.date == b.date
        && a.updated == b.updated
        && a.weight == b.weight
        && a.draft == b.draft
        && a.summary == b.summary
        && a.tags == b.tags
        && a.aliases == b.aliases
        && a.redirect_to == b.redirect_to
}

fn set_document(site: &mut Site, id: DocId, doc: Document) {
    match id {
        DocId::Section(i) => site.sections[i].doc = doc,
        DocId::Page(i) => site.pages[i].doc = doc,
    }
}

fn bytes_of(file: OutputFile) -> Result<(String, Arc<[u8]>), Diagnostic> {
    let bytes: Arc<[u8]> = match file.contents {
        Contents::Bytes(bytes) => bytes.into(),
        Contents::Copy(from) => std::fs::read(&from)
            .map_err(|err| {
                Diagnostic::error(format!("cannot read this file: {err}")).in_file(&from)
            })?
            .into(),
    };
    Ok((file.path, bytes))
}
