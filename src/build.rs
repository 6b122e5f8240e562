//! The build pipeline in one place: load -> compile checklists -> render markdown -> apply
//! templates -> write. Each step is timed (`--timings`); errors of every step are collected so
//! the author sees them all at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checklist::{self, Checklist};
use crate::config::{BuildOptions, Config, ExternalResources};
use crate::content::{self, Body, DocId, Document, FrontMatter, Site};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Source, suggest};
use crate::markdown::{self, Embeds, Highlighter, Links, RenderContext, Rendered};
use crate::output::{self, OutputFile, assets::Assets, feeds, offline};
use crate::render::{self, RenderInput};
use crate::theme::Theme;
use crate::urls::LinkStyle;

/// A site compiled in memory: everything a build would write, not yet written.
pub struct Built {
    pub config: Config,
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// Warnings (a build with errors returns them instead of a `Built`).
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    /// Bytes the service worker precaches, when the site works offline.
    pub offline_bytes: Option<u64>,
}

/// What `build` reports on success.
pub struct Summary {
    pub pages: usize,
    pub sections: usize,
    pub checklists: usize,
    pub files: usize,
    pub output_dir: std::path::PathBuf,
    pub warnings: Diagnostics,
    pub timings: Timings,
    pub elapsed: Duration,
    pub offline_bytes: Option<u64>,
}

/// How long each step took.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn step<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let value = f();
        self.0.push((name, start.elapsed()));
        value
    }
}

/// Builds the site and writes it to the output folder, replacing the previous build only when
/// this one succeeded.
pub fn build(options: &BuildOptions) -> Result<Summary, Diagnostics> {
    let start = Instant::now();
    let mut built = compile(options)?;
    let config = &built.config;
    output::check_output_dir(config, options.force)?;
    built
        .timings
        .step("write", || output::publish(&config.output_dir, &built.files))
        .map_err(|err| {
            Diagnostic::error(format!("cannot write the site: {err}"))
                .in_file(&config.output_dir)
                .with_hint("check that the output folder's parent exists and is writable; the previous build is untouched")
        })?;
    let checklists = built
        .site
        .pages
        .iter()
        .filter(|p| matches!(p.doc.body, Body::Checklist(_)))
        .count();
    Ok(Summary {
        pages: built.site.pages.len() - checklists,
        sections: built.site.sections.len(),
        checklists,
        files: built.files.len(),
        output_dir: built.config.output_dir,
        warnings: built.diagnostics,
        timings: built.timings,
        elapsed: start.elapsed(),
        offline_bytes: built.offline_bytes,
    })
}

/// Runs the whole pipeline but the write: the site as it would be published.
pub fn compile(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut timings = Timings::default();
    let config = timings.step("config", || Config::load(options))?;
    let content = timings.step("load", || content::load(&config))?;
    let (checklists, mut diagnostics) =
        timings.step("checklists", || checklist::parse_all(&content.criteria));
    let mut documents = content.documents;
    documents.extend(
        checklists
            .iter()
            .map(|(c, source)| checklist_document(c, source)),
    );
    let site = match content::assemble(documents) {
        Ok(site) => site,
        Err(errors) => {
            diagnostics.extend(errors);
            return Err(diagnostics);
        }
    };
    let mut theme = timings
        .step("theme", || Theme::load(&config))
        .map_err(|e| merged(&diagnostics, e))?;
    let built_in = vec![
        (
            "checklist.js".to_owned(),
            output::assets::CHECKLIST_JS.to_owned(),
        ),
        (
            "offline.js".to_owned(),
            output::assets::OFFLINE_JS.to_owned(),
        ),
        (
            "syntax.css".to_owned(),
            markdown::highlight::stylesheet(&config.highlight_theme, &config.highlight_theme_dark),
        ),
    ];
    let assets = timings
        .step("assets", || {
            Assets::collect(&theme.static_files, &content.assets, built_in)
        })
        .map_err(|e| merged(&diagnostics, e))?;
    theme.register_functions(Arc::new(assets.urls.clone()));

    let mut embeds = Embeds::new();
    for (checklist, source) in &checklists {
        let context =
            tera::Context::from_value(checklist::template_context(checklist)).unwrap_or_default();
        match theme.render("checklist.html", &context) {
            Ok(html) => {
                embeds.insert(checklist.id.clone(), html);
            }
            Err(err) => diagnostics.push(err.at(source, 0..0)),
        }
    }

    let rendered = timings.step("markdown", || render_markdown(&config, &site, &embeds));
    for body in &rendered {
        diagnostics.extend(body.diagnostics.iter().cloned());
    }
    diagnostics.extend(check_anchors(&site, &rendered));
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }

    let checklist_url = site
        .pages
        .iter()
        .find(|p| matches!(p.doc.body, Body::Checklist(_)))
        .map(|p| p.doc.url.clone());
    let input = RenderInput {
        config: &config,
        site: &site,
        theme: &theme,
        link_style: if config.portable {
            LinkStyle::IndexFile
        } else {
            LinkStyle::Pretty
        },
        checklist_url: checklist_url.as_deref(),
    };
    let (mut files, render_errors) =
        timings.step("templates", || render::render_all(&input, rendered));
    diagnostics.extend(render_errors);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    timings.step("feeds", || {
        files.push(OutputFile::new(
            "sitemap.xml".into(),
            feeds::sitemap(&config, &site).into_bytes(),
        ));
        files.push(OutputFile::new(
            "atom.xml".into(),
            feeds::atom(&config, &site).into_bytes(),
        ));
        files.push(OutputFile::new(
            "robots.txt".into(),
            feeds::robots(&config).into_bytes(),
        ));
    });
    files.extend(assets.files);
    let severity = match config.external_resources {
        ExternalResources::Error => Some(Severity::Error),
        ExternalResources::Warning => Some(Severity::Warning),
        ExternalResources::Allow => None,
    };
    if let Some(severity) = severity {
        let sources = output_sources(&site);
        diagnostics.extend(timings.step("hosts", || {
            offline::check_external(&files, &sources, severity)
        }));
    }
    let offline_bytes = if config.offline {
        files.push(OutputFile::new(
            offline::MANIFEST.into(),
            offline::manifest(&config).into_bytes(),
        ));
        let (worker, bytes) = timings
            .step("offline", || offline::service_worker(&files))
            .map_err(|err| {
                merged(
                    &diagnostics,
                    Diagnostic::error(format!("cannot read a static file: {err}")).into(),
                )
            })?;
        files.push(OutputFile::new(
            offline::SERVICE_WORKER.into(),
            worker.into_bytes(),
        ));
        Some(bytes)
    } else {
        None
    };
    diagnostics.sort();
    if diagnostics.has_errors() || (config.strict && !diagnostics.is_empty()) {
        return Err(diagnostics);
    }
    Ok(Built {
        config,
        site,
        files,
        diagnostics,
        timings,
        offline_bytes,
    })
}

/// The extra check of `plumb check`: every link of every generated page leads somewhere.
pub fn check_links(built: Built) -> Result<Built, Diagnostics> {
    let errors = crate::check::links(
        &built.files,
        &built.config.base_path,
        &output_sources(&built.site),
    );
    if errors.is_empty() {
        return Ok(built);
    }
    let mut diagnostics = built.diagnostics;
    diagnostics.extend(errors);
    diagnostics.sort();
    Err(diagnostics)
}

/// Output path of each document's page -> the content file it was built from.
fn output_sources(site: &Site) -> HashMap<String, std::path::PathBuf> {
    site.documents()
        .map(|(_, doc)| (render::page_path(&doc.url), doc.source.path.clone()))
        .collect()
}

fn merged(earlier: &Diagnostics, errors: Diagnostics) -> Diagnostics {
    let mut all = earlier.clone();
    all.extend(errors);
    all
}

/// The page of a checklist, placed by its criteria file's path.
fn checklist_document(checklist: &Checklist, source: &Source) -> Document {
    let relative_path = source
        .path
        .strip_prefix("content")
        .unwrap_or(&source.path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Document {
        source: source.clone(),
        url: content::paths::url_of(&relative_path, None),
        relative_path,
        meta: FrontMatter {
            title: checklist.title.clone(),
            description: (!checklist.intro.is_empty()).then(|| checklist.intro.clone()),
            ..FrontMatter::default()
        },
        body: Body::Checklist(checklist.id.clone()),
    }
}

/// Every document's markdown, in parallel, in the order of [`Site::documents`].
fn render_markdown(config: &Config, site: &Site, embeds: &Embeds) -> Vec<Rendered> {
    let links: Links = site
        .documents()
        .map(|(id, doc)| (doc.relative_path.clone(), (doc.url.clone(), id)))
        .collect();
    let highlighter = Highlighter::default();
    let cx = RenderContext {
        smart_punctuation: config.smart_punctuation,
        links: &links,
        embeds,
        highlighter: &highlighter,
    };
    let documents: Vec<(DocId, &Document)> = site.documents().collect();
    documents
        .into_par_iter()
        .map(|(id, doc)| match &doc.body {
            Body::Markdown(_) => markdown::render(doc, id, &cx),
            Body::Checklist(checklist) => Rendered {
                html: embeds.get(checklist).cloned().unwrap_or_default(),
                has_checklist: true,
                ..Rendered::default()
            },
        })
        .collect()
}

/// Links to `#anchor`s, checked once every page has its heading ids.
fn check_anchors(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
    let index: HashMap<DocId, usize> = site
        .documents()
        .enumerate()
        .map(|(i, (id, _))| (id, i))
        .collect();
    let mut diagnostics = Vec::new();
    for ((_, doc), body) in site.documents().zip(rendered) {
        for check in &body.anchor_checks {
            let Some(&target) = index.get(&check.target) else {
                continue;
            };
            let anchors = &rendered[target].anchors;
            if anchors.contains(&check.anchor) {
                continue;
            }
            let target_doc = site.document(check.target);
            let hint = match suggest(&check.anchor, anchors.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `#{near}`?"),
                None if anchors.is_empty() => {
                    format!("`{}` has no headings", target_doc.source.path.display())
                }
                None => "anchors are the headings' ids: lowercase words joined by `-`".to_owned(),
            };
            diagnostics.push(
                Diagnostic::error(format!(
                    "link to a missing anchor `#{}` in `{}`",
                    check.anchor,
                    target_doc.source.path.display()
                ))
                .at(&doc.source, check.span.clone())
                .with_hint(hint),
            );
        }
    }
    diagnostics
}
