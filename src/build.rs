//! The build pipeline in one place: load -> compile checklists -> render markdown -> apply
//! templates -> write. Each step is timed (`--timings`); errors of every step are collected so
//! the author sees them all at once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::checklist::{self, Checklist};
use crate::config::{BuildOptions, Compression, Config, ExternalResources};
use crate::content::{self, Body, DocId, Document, FrontMatter, Site};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Source, suggest};
use crate::finish::facts::Recorded;
use crate::finish::{Facts, Page};
use crate::markdown::{self, Embeds, Highlighter, Links, RenderContext, Rendered};
use crate::output::claims::{self, Origin};
use crate::output::first_load::FirstLoad;
use crate::output::first_load::FirstLoads;
use crate::output::{
    self, OutputFile, Sink, assets::Assets, compress, feeds, lock, offline, precache,
};
use crate::render::{self, RenderInput, Shared};
use crate::search;
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
    /// What the service worker saves, when the site works offline.
    pub offline: Option<OfflineSummary>,
    pub heaviest: Option<FirstLoad>,
}

/// What readers' devices save, for the build's summary.
#[derive(Debug, Clone)]
pub struct OfflineSummary {
    pub policy: precache::Policy,
    pub ahead_bytes: u64,
    pub ahead_pages: usize,
    /// Pages the worker may save, ahead or as visited.
    pub pages: usize,
    /// The budget as `site.toml` wrote it.
    pub budget: String,
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
    pub offline: Option<OfflineSummary>,
    pub heaviest: Option<FirstLoad>,
}

/// The line `plumb build` prints: what was built, what readers' devices save ahead, and the
/// heaviest first visit.
impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Built {}, {}, {} ({}) in {} ms -> {}",
            count(self.pages, "page"),
            count(self.sections, "section"),
            count(self.checklists, "checklist"),
            count(self.files, "file"),
            self.elapsed.as_millis(),
            self.output_dir.display()
        )?;
        if let Some(offline) = &self.offline {
            write!(f, "; {offline}")?;
        }
        if let Some(heaviest) = &self.heaviest {
            let page = heaviest
                .page
                .strip_suffix("index.html")
                .unwrap_or(&heaviest.page);
            write!(
                f,
                "; heaviest first load: {} compressed (/{page})",
                kilobytes(heaviest.bytes)
            )?;
        }
        Ok(())
    }
}

impl std::fmt::Display for OfflineSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = kilobytes(self.ahead_bytes);
        match self.policy {
            precache::Policy::Everything => write!(
                f,
                "saved ahead for offline: all {}, {bytes} (budget {})",
                count(self.pages, "page"),
                self.budget
            ),
            precache::Policy::AsVisited => write!(
                f,
                "saved ahead for offline: {} of {}, {bytes} (budget {}), the rest as readers visit them",
                self.ahead_pages,
                count(self.pages, "page"),
                self.budget
            ),
        }
    }
}

/// `1 page`, `2 pages`: every count plumb prints, in one place.
pub fn count(n: usize, singular: &str) -> String {
    format!("{n} {singular}{}", if n == 1 { "" } else { "s" })
}

/// `1234` -> `2 KB`: rounded up, so that a budget is never seemingly exceeded by rounding down.
fn kilobytes(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
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
/// this one succeeded. Pages are written as they are rendered, into a staging folder.
pub fn build(options: &BuildOptions) -> Result<Summary, Diagnostics> {
    let start = Instant::now();
    let open = |config: &Config| {
        output::check_output_dir(config, options.force)?;
        let waiting = || {
            eprintln!(
                "another build is writing `{}`; waiting for it to finish",
                config.output_dir.display()
            );
        };
        output::Staging::begin(&config.output_dir, &waiting)
            .map_err(|err| write_error(config, &err))
    };
    let mut run = run(options, &Highlighter::default(), open, None)?;
    let config = &run.config;
    run.timings
        .step("commit", || run.sink.commit())
        .map_err(|err| write_error(config, &err))?;
    let checklists = run
        .site
        .pages
        .iter()
        .filter(|p| matches!(p.doc.body, Body::Checklist(_)))
        .count();
    Ok(Summary {
        pages: run.site.pages.len() - checklists,
        sections: run.site.sections.len(),
        checklists,
        files: run.records.len(),
        output_dir: run.config.output_dir,
        warnings: run.diagnostics,
        timings: run.timings,
        elapsed: start.elapsed(),
        offline: run.offline,
        heaviest: run.heaviest,
    })
}

fn write_error(config: &Config, err: &std::io::Error) -> Diagnostics {
    Diagnostic::error(format!("cannot write the site: {err}"))
        .in_file(&config.output_dir)
        .with_hint("check that the output folder's parent exists and is writable; the previous build is untouched")
        .into()
}

/// What `plumb check` found of a site whose links all hold.
#[derive(Debug)]
pub struct Checked {
    pub pages: usize,
    pub sections: usize,
    pub warnings: Diagnostics,
}

/// Runs the whole pipeline but the write: the site as it would be published, in memory.
pub fn compile(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let run = run(
        options,
        &Highlighter::default(),
        |_| Ok(output::Memory::default()),
        None,
    )?;
    Ok(Built {
        files: run.sink.into_files(),
        config: run.config,
        site: run.site,
        diagnostics: run.diagnostics,
        timings: run.timings,
        offline: run.offline,
        heaviest: run.heaviest,
    })
}

/// A finished run of the pipeline, its files handed to `sink`.
pub(crate) struct Run<S> {
    pub(crate) config: Config,
    pub(crate) site: Site,
    pub(crate) sink: S,
    pub(crate) records: Vec<output::Record>,
    pub(crate) diagnostics: Diagnostics,
    pub(crate) timings: Timings,
    pub(crate) offline: Option<OfflineSummary>,
    pub(crate) heaviest: Option<FirstLoad>,
    /// In a preview, what it keeps; `None` in a build.
    pub(crate) kept: Option<Kept>,
}

/// What the dev server's preview keeps of a run to render a page or a few again after an edit
/// without running it whole. A build lets each part go as soon as it is done with it: the
/// shared context alone weighs more than 100 MB at 100,000 pages, and the search index, written
/// after the pages, is the build's peak.
pub(crate) struct Kept {
    /// The theme the pages rendered with, its functions knowing the assets.
    pub(crate) theme: Theme,
    /// The context values the pages shared.
    pub(crate) shared: Shared,
    pub(crate) embeds: Embeds,
    pub(crate) links: Links,
    pub(crate) checklist_url: Option<String>,
    /// The assets' URLs, for a theme read again.
    pub(crate) asset_urls: Arc<HashMap<String, String>>,
    /// Per document, in the order of [`Site::documents`]: its anchors and anchor links, nothing
    /// else of its body.
    pub(crate) bodies: Vec<Rendered>,
    /// When the site has search: the indexer and each document's share of the index, in the
    /// order of [`Site::documents`].
    pub(crate) search: Option<(search::Indexer, Vec<search::Page>)>,
}

/// Pages a run renders before the others, and what it calls with the sink once they are in it:
/// the dev server's preview shows the pages open in a browser before the rest.
pub(crate) struct Ahead<'a, S> {
    /// The output paths of those pages.
    pub(crate) pages: &'a [String],
    /// Called with the sink once every one of those pages is in it, unless one failed.
    pub(crate) then: &'a mut dyn FnMut(&S),
}

/// Everything compiled before markdown: the checked site, the theme ready to render, the
/// assets and each checklist's form.
struct Compiled {
    config: Config,
    site: Site,
    theme: Theme,
    assets: Assets,
    /// The assets' URLs, as the theme's functions know them.
    asset_urls: Arc<HashMap<String, String>>,
    embeds: Embeds,
    diagnostics: Diagnostics,
    timings: Timings,
}

/// The pipeline up to markdown: load -> checklists -> theme and assets.
fn compile_site(options: &BuildOptions) -> Result<Compiled, Diagnostics> {
    let mut timings = Timings::default();
    let config = timings.step("config", || Config::load(options))?;
    let content = timings.step("load", || content::load(&config))?;
    let (checklists, mut diagnostics) = timings.step("checklists", || {
        checklist::parse_all(&content.criteria, config.drafts)
    });
    diagnostics.extend(config.warnings.iter().cloned());
    diagnostics.extend(content.warnings.iter().cloned());
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
    let assets = timings
        .step("assets", || {
            Assets::collect(
                &theme.static_files,
                &content.assets,
                built_in_assets(&config),
                !options.preview,
            )
        })
        .map_err(|e| merged(&diagnostics, e))?;
    let collisions = claim_paths(&config, &site, &assets);
    if !collisions.is_empty() {
        diagnostics.extend(collisions);
        return Err(diagnostics);
    }
    let asset_urls = Arc::new(assets.urls.clone());
    theme.register_functions(asset_urls.clone());
    let embeds = compile_embeds(&config, &theme, &site, &checklists, &mut diagnostics);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(Compiled {
        config,
        site,
        theme,
        assets,
        asset_urls,
        embeds,
        diagnostics,
        timings,
    })
}

/// The whole pipeline: `compile_site`, then each page's markdown rendered just before its
/// template (with `highlighter`, which keeps highlighted code across runs of one process; the
/// pages of `ahead` first), then feeds and offline files, each file handed to the sink that
/// `open` makes once the site has compiled far enough to be worth writing. Build, check and
/// serve's preview all run it, so they report the same warnings and fail alike.
pub(crate) fn run<S: Sink>(
    options: &BuildOptions,
    highlighter: &Highlighter,
    open: impl FnOnce(&Config) -> Result<S, Diagnostics>,
    ahead: Option<Ahead<'_, S>>,
) -> Result<Run<S>, Diagnostics> {
    let Compiled {
        config,
        site,
        theme,
        assets,
        asset_urls,
        embeds,
        mut diagnostics,
        mut timings,
    } = compile_site(options)?;

    let sink = open(&config).map_err(|e| merged(&diagnostics, e))?;
    let seen = Seen::default();
    // The preview is published nowhere: it makes no compressed copies and measures no first
    // visit.
    let first_loads = (!options.preview).then(|| {
        FirstLoads::new(
            assets
                .files
                .iter()
                .map(|f| (f.path.clone(), compress::size_of(f)))
                .collect(),
        )
    });
    let precompress: &[Compression] = if options.preview {
        &[]
    } else {
        &config.offline_policy.precompress
    };
    let found = Mutex::new(Vec::new());
    let sources = output_sources(&site);
    // Pages come with the facts the finishing pass recorded: what they load, their ids.
    let emit = |file: OutputFile, facts: Option<Facts>| -> Result<(), Diagnostic> {
        let text = if first_loads.is_some() || !precompress.is_empty() {
            compress::text_of(&file)
        } else {
            None
        };
        if let Some(facts) = &facts {
            let source = sources.get(&file.path).copied();
            let problems = page_checks(&file.path, facts, source, &config);
            if !problems.is_empty() {
                lock(&found).extend(problems);
            }
            if first_loads.is_some() || config.offline {
                let loads = offline::local(facts, &file.path, &config.base_path);
                if let (Some(first_loads), Some(bytes)) = (&first_loads, &text) {
                    first_loads.page(&file.path, bytes, &loads);
                }
                lock(&seen.loads).insert(file.path.clone(), loads);
            }
        } else if let (Some(first_loads), Some(bytes)) = (&first_loads, &text)
            && !precache::NOT_SAVED.contains(&file.path.as_str())
            && !search::shards::is_index_file(&file.path)
        {
            // The sitemap, the feed and the search index grow with the site and no page loads
            // them: compressing them to measure a first visit would cost time for nothing.
            first_loads.text(&file.path, bytes);
        }
        let accept = |file: OutputFile| {
            let path = file.path.clone();
            let record = sink.accept(file).map_err(|err| {
                Diagnostic::error(format!("cannot write `{path}`: {err}")).with_hint(
                    "check the output folder's file system; the previous build is untouched",
                )
            })?;
            lock(&seen.records).push(record);
            Ok::<(), Diagnostic>(())
        };
        if let Some(bytes) = &text {
            for &format in precompress {
                let path = format!("{}.{}", file.path, compress::extension(format));
                accept(OutputFile::new(
                    path.clone(),
                    compress::compress(format, bytes),
                ))?;
                lock(&seen.copies).insert(path);
            }
        }
        if let Some(facts) = facts {
            sink.keep_facts(&file.path, facts);
        }
        accept(file)
    };
    let emit_page = |page: Page| emit(page.file, Some(page.facts));

    let checklist_url = site
        .pages
        .iter()
        .find(|p| matches!(p.doc.body, Body::Checklist(_)))
        .map(|p| p.doc.url.clone());
    let slow_pages = render::SlowPages::new(render::slow::SLOW_PAGE, print_at_once());
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
        slow_pages: Some(&slow_pages),
    };
    let shared = Shared::new(&input).map_err(|e| merged(&diagnostics, e.into()))?;
    // Each page's markdown is rendered just before its template, and only what the checks
    // need is kept (heading ids, anchor links, diagnostics): holding every body until the
    // templates ran was a third of a 100,000-page build's memory. A markdown error fails the
    // build after the pages went to the sink, which never publishes a failed build.
    let links = links_of(&site);
    let markdown = MarkdownInput {
        cx: RenderContext {
            smart_punctuation: config.smart_punctuation,
            links: &links,
            embeds: &embeds,
            highlighter,
            shortcodes: &theme,
        },
        embeds: &embeds,
    };
    let documents: Vec<DocId> = site.documents().map(|(id, _)| id).collect();
    let checked: Vec<Mutex<Rendered>> = documents.iter().map(|_| Mutex::default()).collect();
    let index: HashMap<DocId, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    // Each page's share of the search index is taken from its body as it renders.
    let indexer = search::Indexer::new(&config);
    let searched: Vec<Mutex<search::Page>> = match indexer {
        Some(_) => documents.iter().map(|_| Mutex::default()).collect(),
        None => Vec::new(),
    };
    let body_of = |id: DocId| {
        let doc = site.document(id);
        let body = markdown.render(doc, id);
        if let Some(&i) = index.get(&id) {
            if let (Some(indexer), Some(page)) = (&indexer, searched.get(i)) {
                *lock(page) = indexer.page(doc, &body.search);
            }
            *lock(&checked[i]) = Rendered {
                diagnostics: body.diagnostics.clone(),
                ..anchors_of(&body)
            };
        }
        body
    };
    let (ahead_pages, mut then) = match ahead {
        Some(ahead) => (ahead.pages, Some(ahead.then)),
        None => (&[][..], None),
    };
    let mut show_ahead = || {
        if let Some(then) = then.as_mut() {
            then(&sink);
        }
    };
    let first = render::First {
        paths: ahead_pages,
        then: &mut show_ahead,
    };
    diagnostics.extend(timings.step("templates", || {
        render::render_all(&input, &shared, first, &body_of, &emit_page)
    }));
    // A build lets go of what only the preview renders again, as soon as it is done with it.
    let shared = options.preview.then_some(shared);
    let mut checked: Vec<Rendered> = checked
        .into_iter()
        .map(|body| body.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    for body in &mut checked {
        diagnostics.extend(std::mem::take(&mut body.diagnostics));
    }
    diagnostics.extend(check_anchors(&site, &checked));
    let bodies = options.preview.then_some(checked);
    let fixed = [
        ("sitemap.xml".to_owned(), feeds::sitemap(&config, &site)),
        ("robots.txt".to_owned(), feeds::robots(&config)),
    ]
    .into_iter()
    .chain(feeds::atoms(&config, &site));
    timings.step("files", || {
        let files = fixed
            .into_iter()
            .map(|(path, text)| OutputFile::new(path, text.into_bytes()))
            .chain(assets.files);
        for file in files {
            if let Err(d) = emit(file, None) {
                lock(&found).push(d);
            }
        }
    });
    let pages: Vec<search::Page> = searched
        .into_iter()
        .map(|page| page.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    if let Some(indexer) = &indexer {
        timings.step("search", || {
            indexer.write(&pages, &|file| {
                if let Err(d) = emit(file, None) {
                    lock(&found).push(d);
                }
            });
        });
    }
    let pages = options.preview.then_some(pages);
    let manifest = || {
        OutputFile::new(
            offline::MANIFEST.into(),
            offline::manifest(&config).into_bytes(),
        )
    };
    if config.offline
        && let Err(d) = emit(manifest(), None)
    {
        lock(&found).push(d);
    }
    if config.offline
        && !lock(&seen.records)
            .iter()
            .any(|r| r.path == config.manifest.icon)
    {
        diagnostics.push(
            Diagnostic::warning(format!("the manifest's icon `{}` is not a file of the site", config.manifest.icon))
                .in_file(std::path::Path::new("site.toml"))
                .with_hint("add the icon to `static/` (or the theme's), or name another with `icon` in `[manifest]`"),
        );
    }
    let offline = if config.offline {
        let plan = timings.step("offline", || seen.plan(&config, &site));
        let language_folders: Vec<String> = config
            .languages
            .iter()
            .skip(1)
            .map(|language| format!("{}/", language.code))
            .collect();
        let worker = offline::service_worker(&plan, &language_folders);
        if let Err(d) = emit(
            OutputFile::new(offline::SERVICE_WORKER.into(), worker.into_bytes()),
            None,
        ) {
            lock(&found).push(d);
        }
        Some(OfflineSummary {
            policy: plan.policy,
            ahead_bytes: plan.ahead_bytes,
            ahead_pages: plan.ahead_pages,
            pages: plan.pages,
            budget: config.offline_policy.budget_text.clone(),
        })
    } else {
        None
    };
    diagnostics.extend(found.into_inner().unwrap_or_else(|e| e.into_inner()));
    let records = seen.records.into_inner().unwrap_or_else(|e| e.into_inner());
    let heaviest = first_loads.and_then(|first_loads| {
        let lens: HashMap<&str, u64> = records.iter().map(|r| (r.path.as_str(), r.len)).collect();
        let worker = if config.offline {
            first_loads
                .transfer_of(offline::SERVICE_WORKER)
                .unwrap_or(0)
        } else {
            0
        };
        first_loads.heaviest(|path| lens.get(path).copied().unwrap_or(0), worker)
    });
    diagnostics.sort();
    if fails(&diagnostics, &config) {
        return Err(diagnostics);
    }
    Ok(Run {
        config,
        site,
        sink,
        records,
        diagnostics,
        timings,
        offline,
        heaviest,
        kept: shared.zip(bodies).map(|(shared, bodies)| Kept {
            theme,
            shared,
            embeds,
            links,
            checklist_url,
            asset_urls,
            bodies,
            search: indexer.zip(pages),
        }),
    })
}

/// Prints a warning as soon as it is found (a slow page is named while it still renders).
pub fn print_at_once() -> render::slow::Report {
    Box::new(|warning| crate::diagnostic::print(&warning.into()))
}

/// Every output path with what writes it: two sources for one path are errors.
fn claim_paths(config: &Config, site: &Site, assets: &Assets) -> Vec<Diagnostic> {
    let pages = site.documents().map(|(_, doc)| {
        (
            render::page_path(&doc.url),
            Origin::Page(doc.source.path.clone()),
        )
    });
    let files = assets.origins.iter().map(|(path, origin)| {
        let origin = match origin {
            Origin::File(disk) => Origin::File(claims::shown(&config.root, disk)),
            other => other.clone(),
        };
        (path.clone(), origin)
    });
    claims::check(pages.chain(claims::generated(config.offline)).chain(files))
}

/// What the build learns of its files as they pass to the sink (from many threads at once).
#[derive(Default)]
struct Seen {
    records: Mutex<Vec<output::Record>>,
    /// Page path -> the files of the site it loads.
    loads: Mutex<HashMap<String, Vec<String>>>,
    /// The compressed copies written beside text files.
    copies: Mutex<HashSet<String>>,
}

impl Seen {
    /// What the service worker saves, from the files written so far.
    fn plan(&self, config: &Config, site: &Site) -> precache::Plan {
        let records = lock(&self.records);
        let loads = lock(&self.loads);
        let copies = lock(&self.copies);
        let opted_out: HashSet<String> = site
            .documents()
            .filter(|(_, doc)| doc.meta.offline == Some(false))
            .map(|(_, doc)| render::page_path(&doc.url))
            .chain(site.redirect_paths())
            .collect();
        precache::plan(&precache::SiteFiles {
            records: &records,
            pages: &precache::reading_order(site),
            loads: &loads,
            opted_out: &opted_out,
            copies: &copies,
            exclude: &config.offline_policy.exclude,
            budget: config.offline_policy.budget,
        })
    }
}

/// The assets plumb supplies: the checklist, offline and search scripts, the highlighting
/// stylesheet.
fn built_in_assets(config: &Config) -> Vec<(String, String)> {
    let search = config
        .search
        .enabled
        .then(|| ("search.js".to_owned(), output::assets::SEARCH_JS.to_owned()));
    let mut assets = vec![
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
    assets.extend(search);
    assets
}

/// Each checklist's form, rendered once through the theme's `checklist.html`, with its links
/// resolved to the pages of `site`.
fn compile_embeds(
    config: &Config,
    theme: &Theme,
    site: &Site,
    checklists: &[(Checklist, Source)],
    diagnostics: &mut Diagnostics,
) -> Embeds {
    let pages: HashMap<String, checklist::LinkTarget> = site
        .documents()
        .map(|(_, doc)| {
            let target = checklist::LinkTarget {
                url: doc.url.clone(),
                title: doc.meta.title.clone(),
            };
            (doc.relative_path.clone(), target)
        })
        .collect();
    let mut embeds = Embeds::new();
    for (checklist, source) in checklists {
        let urls = match checklist::resolve_links(
            checklist,
            source,
            &checklist::content_path(source),
            &pages,
        ) {
            Ok(urls) => urls,
            Err(errors) => {
                diagnostics.extend(errors);
                continue;
            }
        };
        let language = checklist::language_of(source);
        let mut context = checklist::template_context(checklist, &urls);
        let lang = language.as_deref().unwrap_or(&config.language);
        context["lang"] = lang.into();
        // The script's words reach it through the page, in the page's language.
        context["words_json"] =
            checklist::script_json(&theme.words.group(lang, "checklist.script")).into();
        let context = tera::Context::from_value(context).unwrap_or_default();
        match theme.render("checklist.html", &context) {
            Ok(html) => {
                embeds.insert(
                    checklist::embed_key(&checklist.id, language.as_deref()),
                    html,
                );
            }
            Err(err) => diagnostics.push(err.at(source, 0..0)),
        }
    }
    embeds
}

/// `plumb check`: the whole pipeline, keeping of each file only its path and of each page what
/// the finishing pass recorded, then the extra check that every link of every generated page
/// leads somewhere. The same run as a build, so both report the same; only the bytes are not
/// kept.
pub fn check(options: &BuildOptions) -> Result<Checked, Diagnostics> {
    let run = run(
        options,
        &Highlighter::default(),
        |_| Ok(output::FactsOnly::default()),
        None,
    )?;
    let facts = run.sink.into_pages();
    let paths: HashSet<&str> = run.records.iter().map(|r| r.path.as_str()).collect();
    let sources = output_sources(&run.site);
    let errors = crate::check::links(&paths, &facts, &run.config.base_path, &sources);
    let mut diagnostics = run.diagnostics;
    if !errors.is_empty() {
        diagnostics.extend(errors);
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok(Checked {
        pages: run.site.pages.len(),
        sections: run.site.sections.len(),
        warnings: diagnostics,
    })
}

/// The checks of one finished page (at `path`, built from `source` when a content file built
/// it) that build and serve both run: ids on one element each, nothing loaded from another host
/// (as `config` allows).
pub(crate) fn page_checks(
    path: &str,
    facts: &Facts,
    source: Option<&Source>,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut problems = duplicate_ids(path, facts, source);
    let severity = match config.external_resources {
        ExternalResources::Error => Some(Severity::Error),
        ExternalResources::Warning => Some(Severity::Warning),
        ExternalResources::Allow => None,
    };
    if let Some(severity) = severity {
        problems.extend(offline::check_external(path, facts, source, severity));
    }
    problems
}

/// Whether `diagnostics` fail a build of `config`: any error, or in strict mode any warning.
pub(crate) fn fails(diagnostics: &Diagnostics, config: &Config) -> bool {
    diagnostics.has_errors() || (config.strict && !diagnostics.is_empty())
}

/// An error for each id that is on two elements of the page at `path` (built from `source`):
/// links to it would reach only the first, and the checklist script finds its fields by id.
fn duplicate_ids(path: &str, facts: &Facts, source: Option<&Source>) -> Vec<Diagnostic> {
    facts
        .duplicate_ids()
        .into_iter()
        .map(|id| {
            let place = Recorded {
                path,
                file: source,
                written: id.source,
                at: id.at,
            };
            let message = format!("`{path}` has a second element with the id `{}`", id.name);
            place
                .diagnostic(Severity::Error, &message, None)
                .with_hint("ids must be unique in a page: rename one (a heading's id is set with `{#id}` after it), or embed the checklist once")
        })
        .collect()
}

/// Output path of each document's page -> the content file it was built from.
pub fn output_sources(site: &Site) -> HashMap<String, &Source> {
    site.documents()
        .map(|(_, doc)| (render::page_path(&doc.url), &doc.source))
        .collect()
}

fn merged(earlier: &Diagnostics, errors: Diagnostics) -> Diagnostics {
    let mut all = earlier.clone();
    all.extend(errors);
    all
}

/// The page of a checklist, placed by its criteria file's path.
fn checklist_document(checklist: &Checklist, source: &Source) -> Document {
    let relative_path = checklist::content_path(source);
    Document {
        source: source.clone(),
        url: content::paths::url_of(&relative_path, None),
        relative_path,
        meta: FrontMatter {
            title: checklist.title.clone(),
            description: (!checklist.intro.is_empty()).then(|| checklist.intro.clone()),
            ..FrontMatter::default()
        },
        body: Body::Checklist(checklist::embed_key(
            &checklist.id,
            checklist::language_of(source).as_deref(),
        )),
    }
}

/// Every document by its content path, for `.md` links.
fn links_of(site: &Site) -> Links {
    site.documents()
        .map(|(id, doc)| (doc.relative_path.clone(), (doc.url.clone(), id)))
        .collect()
}

/// What rendering one document's markdown reads.
struct MarkdownInput<'a> {
    cx: RenderContext<'a>,
    embeds: &'a Embeds,
}

impl MarkdownInput<'_> {
    /// The markdown of `doc` as HTML; a checklist's page is its form.
    fn render(&self, doc: &Document, id: DocId) -> Rendered {
        match &doc.body {
            Body::Markdown(_) => markdown::render(doc, id, &self.cx),
            Body::Checklist(checklist) => Rendered {
                html: self.embeds.get(checklist).cloned().unwrap_or_default(),
                has_checklist: true,
                ..Rendered::default()
            },
        }
    }
}

/// What the anchor check needs of a body: its anchors and its links to anchors.
pub(crate) fn anchors_of(body: &Rendered) -> Rendered {
    Rendered {
        anchors: body.anchors.clone(),
        anchor_checks: body.anchor_checks.clone(),
        ..Rendered::default()
    }
}

/// Links to `#anchor`s, checked once every page has its heading ids.
pub fn check_anchors(site: &Site, rendered: &[Rendered]) -> Vec<Diagnostic> {
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
