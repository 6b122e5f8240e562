//! Applying the theme's templates to every document: building each template context once and
//! rendering pages, sections and the 404 page in parallel.
//!
//! Render does no I/O: it turns the site, its rendered markdown and the theme into
//! finished [`Page`]s in memory. Every URL in a context is root-relative; each page leaves
//! through [`crate::finish`], which makes them relative, as its last step.

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::config::Config;
use crate::content::tags::{TAGS_URL, tag_url};
use crate::content::translations::{self, Translations};
use crate::content::{DocId, Document, Redirect, Site};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::finish::{self, Page, Target};
use crate::markdown::Rendered;
use crate::theme::Theme;
use crate::urls::{LinkStyle, Rewriter};

pub mod nav;
pub mod slow;
pub use slow::SlowPages;

/// What rendering reads.
pub struct RenderInput<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub link_style: LinkStyle,
    /// The URL of the first checklist's page, for "start the checklist" links.
    pub checklist_url: Option<&'a str>,
    /// Names pages that take long to render, while they render.
    pub slow_pages: Option<&'a SlowPages>,
}

/// Documents whose pages render before the others, and what to do once they are out: the
/// dev server shows the pages open in a browser before the rest of a full rebuild.
pub struct First<'a> {
    /// The output paths of the pages to render first.
    pub paths: &'a [String],
    /// Called once every one of those pages went to `emit`, unless none is a page of the site
    /// or one failed.
    pub then: &'a mut dyn FnMut(),
}

/// Renders every document (those of `first` before the others) and the 404 page, then the tag
/// and redirect pages, handing each page to `emit` as soon as it is finished, so a build never
/// holds every page at once. `body_of` gives a document's markdown as HTML when its page
/// renders, so a build never holds every body at once either.
pub fn render_all(
    input: &RenderInput<'_>,
    shared: &Shared,
    first: First<'_>,
    body_of: &(dyn Fn(DocId) -> Rendered + Sync),
    emit: &(dyn Fn(Page) -> Result<(), Diagnostic> + Sync),
) -> Diagnostics {
    let render = |ids: Vec<DocId>| -> Vec<Diagnostic> {
        ids.into_par_iter()
            .filter_map(|id| {
                render_document(input, shared, id, body_of(id))
                    .and_then(emit)
                    .err()
            })
            .collect()
    };
    let (ahead, rest): (Vec<DocId>, Vec<DocId>) =
        input.site.documents().map(|(id, _)| id).partition(|&id| {
            first
                .paths
                .contains(&page_path(&input.site.document(id).url))
        });
    let shown = !ahead.is_empty();
    let mut diagnostics: Diagnostics = render(ahead).into_iter().collect();
    if shown && diagnostics.is_empty() {
        (first.then)();
    }
    diagnostics.extend(render(rest));
    if let Err(d) = render_not_found(input, shared).and_then(emit) {
        diagnostics.push(d);
    }
    for page in render_listings_and_redirects(input, shared) {
        if let Err(d) = page.and_then(emit) {
            diagnostics.push(d);
        }
    }
    diagnostics
}

/// The pages that are no content file: each tag's page and the tag index (when the theme has
/// `tag.html` and `tags.html`), and a redirect page for each alias.
pub fn render_listings_and_redirects(
    input: &RenderInput<'_>,
    shared: &Shared,
) -> Vec<Result<Page, Diagnostic>> {
    let site = input.site;
    let mut pages: Vec<Result<Page, Diagnostic>> = site
        .redirects
        .iter()
        .filter(|r| !r.replaces_section)
        .map(|r| redirect_page(input, r))
        .collect();
    let has_templates =
        input.theme.has_template(TAG_TEMPLATE) && input.theme.has_template(TAGS_TEMPLATE);
    if site.tags.is_empty() || !has_templates {
        return pages;
    }
    let tag_value = |tag: &crate::content::Tag| {
        json!({
            "name": tag.name,
            "url": tag.url,
            "count": tag.pages.len(),
        })
    };
    for tag in &site.tags {
        let mut context = base_context(input, shared, &tag.url, usize::MAX);
        let mut value = tag_value(tag);
        value["pages"] = tag
            .pages
            .iter()
            .map(|&p| shared.page_summaries[p].clone())
            .collect();
        context.insert("tag".to_owned(), value);
        pages.push(render_page(input, TAG_TEMPLATE, context, &tag.url));
    }
    let mut context = base_context(input, shared, TAGS_URL, usize::MAX);
    context.insert("tags".to_owned(), site.tags.iter().map(tag_value).collect());
    pages.push(render_page(input, TAGS_TEMPLATE, context, TAGS_URL));
    pages
}

/// The template of one tag's page, and of the tag index.
const TAG_TEMPLATE: &str = "tag.html";
const TAGS_TEMPLATE: &str = "tags.html";

/// A page of no content file, at `url`.
fn render_page(
    input: &RenderInput<'_>,
    template: &str,
    context: Map<String, Value>,
    url: &str,
) -> Result<Page, Diagnostic> {
    let html = render_with(input.theme, template, context)?;
    let target = Target {
        url,
        rewriter: Rewriter::RelativeTo(url, input.link_style),
        source_folder: None,
        body: None,
    };
    finish::finish(page_path(url), &html, &target)
}

/// A page that sends readers from an old address to the new one: a meta refresh (no script),
/// a canonical link for search engines, and a plain link for anyone whose browser stays.
fn redirect_page(input: &RenderInput<'_>, redirect: &Redirect) -> Result<Page, Diagnostic> {
    let external = crate::markdown::is_external(&redirect.to);
    let canonical = if external {
        redirect.to.clone()
    } else {
        input.config.permalink(&redirect.to)
    };
    let target = if external {
        redirect.to.clone()
    } else {
        Rewriter::RelativeTo(&redirect.from, input.link_style).url(&redirect.to)
    };
    let escape = crate::theme::escape_html;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved: <a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        lang = escape(&input.config.language),
        title = escape(&redirect.title),
        canonical = escape(&canonical),
        target = escape(&target),
    );
    let target = Target {
        url: &redirect.from,
        rewriter: Rewriter::RelativeTo(&redirect.from, input.link_style),
        source_folder: None,
        body: None,
    };
    finish::finish(redirect.output_path(), &html, &target)
}

/// Context values that are the same for many pages, built once per site.
pub struct Shared {
    /// The `site` value in each language, by code.
    site: HashMap<String, Value>,
    /// Each document's versions in the site's languages.
    translations: Translations,
    /// The first checklist's page in each language, by code.
    checklist_urls: HashMap<String, String>,
    /// Per section, and last for pages outside any (the 404 page): the navigation data with
    /// that section current.
    nav: Vec<Value>,
    /// The theme's `nav.html` rendered once per section (same indexes as `nav`), when the theme
    /// has one: pages then get it as `nav_html` instead of rendering `nav` themselves, and the
    /// finishing pass marks the link to the page itself.
    nav_html: Option<Vec<String>>,
    /// Per page: the short form used in listings and prev/next.
    page_summaries: Vec<Value>,
}

impl Shared {
    pub fn new(input: &RenderInput<'_>) -> Result<Self, Diagnostic> {
        let config = input.config;
        let site_value = |language: &crate::config::Language| {
            json!({
            "title": language.title,
            "description": language.description,
            "base_url": config.base_url,
            "language": language_tag(config, &language.code),
            "offline": config.offline,
            "offline_text": offline_text(input, &language.code),
            "search": {
                "enabled": config.search.enabled,
                "results": config.search.results,
            },
            "extra": config.extra,
            })
        };
        let site: HashMap<String, Value> = config
            .languages
            .iter()
            .map(|language| (language.code.clone(), site_value(language)))
            .collect();
        let translations = Translations::of(input.site, config);
        let mut checklist_urls = HashMap::new();
        if let Some(url) = input.checklist_url
            && let Some((_, doc)) = input.site.documents().find(|(_, doc)| doc.url == url)
        {
            for version in translations.versions(input.site, config, doc) {
                if let Some(url) = version.url {
                    checklist_urls.insert(version.code, url);
                }
            }
        }
        let page_summaries = input.site.pages.iter().map(|p| summary(&p.doc)).collect();
        let nav: Vec<Value> = (0..=input.site.sections.len())
            .into_par_iter()
            .map(|current| nav::for_section(input.site, Some(current)))
            .collect();
        let nav_html = if input.theme.has_template(NAV_TEMPLATE) {
            let rendered: Result<Vec<String>, Diagnostic> = nav
                .par_iter()
                .enumerate()
                .map(|(section, nav)| {
                    let code = section_language(input, section);
                    let mut context = Map::new();
                    context.insert("site".to_owned(), site_in(&site, config, code));
                    context.insert(
                        "lang".to_owned(),
                        Value::String(language_tag(config, code).to_owned()),
                    );
                    context.insert("nav".to_owned(), nav.clone());
                    render_with(input.theme, NAV_TEMPLATE, context)
                })
                .collect();
            Some(rendered?)
        } else {
            None
        };
        Ok(Self {
            site,
            translations,
            checklist_urls,
            nav,
            nav_html,
            page_summaries,
        })
    }
}

/// The theme's navigation partial, rendered once per section instead of once per page.
pub const NAV_TEMPLATE: &str = "nav.html";

fn summary(doc: &Document) -> Value {
    json!({
        "title": doc.meta.title,
        "url": doc.url,
        "description": doc.meta.description,
        "summary": doc.meta.summary,
        "date": doc.meta.date.map(|d| d.day()),
    })
}

/// The template a document renders with: its own, or its kind's.
pub fn template_of(id: DocId, doc: &Document) -> &str {
    let default_template = match id {
        // A section at the top of `content/` is a language's home page.
        DocId::Section(_) if !doc.relative_path.contains('/') => "index.html",
        DocId::Section(_) => "section.html",
        DocId::Page(_) => "page.html",
    };
    doc.meta.template().unwrap_or(default_template)
}

/// Renders one document through its template, as the file to publish.
pub fn render_document(
    input: &RenderInput<'_>,
    shared: &Shared,
    id: DocId,
    mut body: Rendered,
) -> Result<Page, Diagnostic> {
    let site = input.site;
    let doc = site.document(id);
    if let DocId::Section(_) = id
        && let Some(redirect) = site
            .redirects
            .iter()
            .find(|r| r.replaces_section && r.from == doc.url)
    {
        return redirect_page(input, redirect);
    }
    let section_index = match id {
        DocId::Section(i) => i,
        DocId::Page(i) => site.pages[i].section,
    };
    let mut context = base_context(input, shared, &doc.url, section_index);
    if input.config.languages.len() > 1 {
        let versions = shared.translations.versions(site, input.config, doc);
        context.insert("languages".to_owned(), json!(versions));
    }
    // The finishing pass finds the body in the page to name its links' places in `doc`.
    let sources = std::mem::take(&mut body.sources);
    let body_html = (!sources.is_empty()).then(|| body.html.clone());
    let value = document_value(input.config, doc, body);
    let template = template_of(id, doc);
    let _rendering = input
        .slow_pages
        .map(|watch| watch.start(&doc.source.path, template));
    if !input.theme.has_template(template) {
        return Err(Diagnostic::error(format!("the template `{template}` does not exist"))
            .at(&doc.source, doc.meta.template.as_ref().map_or(0..0, toml::Spanned::span))
            .with_hint("name a template of the theme's `templates/` folder, or add it to the site's `templates/`"));
    }
    context.insert("toc".to_owned(), value["toc"].clone());
    match id {
        DocId::Page(i) => {
            let (prev, next) = site.neighbours(i);
            for (key, neighbour) in [("prev", prev), ("next", next)] {
                if let Some(p) = neighbour {
                    context.insert(key.to_owned(), shared.page_summaries[p].clone());
                }
            }
            context.insert("page".to_owned(), value);
        }
        DocId::Section(i) => {
            let mut value = value;
            let section = &site.sections[i];
            value["pages"] = section
                .pages
                .iter()
                .map(|&p| shared.page_summaries[p].clone())
                .collect();
            value["subsections"] = section
                .subsections
                .iter()
                .map(|&s| summary(&site.sections[s].doc))
                .collect();
            context.insert("section".to_owned(), value);
        }
    }
    let html = render_with(input.theme, template, context)?;
    let source_folder = format!(
        "/{}",
        &doc.relative_path[..doc.relative_path.rfind('/').map_or(0, |i| i + 1)]
    );
    let target = Target {
        url: &doc.url,
        rewriter: Rewriter::RelativeTo(&doc.url, input.link_style),
        source_folder: Some(&source_folder),
        body: body_html.as_deref().map(|html| finish::Body {
            html,
            sources: &sources,
        }),
    };
    finish::finish(page_path(&doc.url), &html, &target)
}

/// Renders the 404 page.
pub fn render_not_found(input: &RenderInput<'_>, shared: &Shared) -> Result<Page, Diagnostic> {
    let _rendering = input
        .slow_pages
        .map(|watch| watch.start(std::path::Path::new("404.html"), "404.html"));
    let context = base_context(input, shared, "/404.html", usize::MAX);
    let html = render_with(input.theme, "404.html", context)?;
    let rewriter = match input.link_style {
        LinkStyle::Pretty => Rewriter::UnderBase(&input.config.base_path),
        LinkStyle::IndexFile => Rewriter::RelativeTo("/404.html", LinkStyle::IndexFile),
    };
    let target = Target {
        url: "/404.html",
        rewriter,
        source_folder: None,
        body: None,
    };
    finish::finish("404.html".to_owned(), &html, &target)
}

fn base_context(
    input: &RenderInput<'_>,
    shared: &Shared,
    url: &str,
    section: usize,
) -> Map<String, Value> {
    let section = section.min(shared.nav.len() - 1);
    let code = section_language(input, section);
    let mut context = Map::new();
    context.insert("site".to_owned(), site_in(&shared.site, input.config, code));
    context.insert(
        "lang".to_owned(),
        Value::String(language_tag(input.config, code).to_owned()),
    );
    context.insert("current_url".to_owned(), Value::String(url.to_owned()));
    let home = input.config.language(code).map_or_else(
        || "/".to_owned(),
        |l| l.home(input.config.default_language()),
    );
    context.insert("home_url".to_owned(), Value::String(home));
    match &shared.nav_html {
        Some(nav_html) => {
            let html = nav_html[section].clone();
            context.insert("nav_html".to_owned(), Value::String(html));
        }
        None => {
            context.insert("nav".to_owned(), shared.nav[section].clone());
        }
    }
    if let Some(checklist) = shared.checklist_urls.get(code) {
        context.insert("checklist_url".to_owned(), Value::String(checklist.clone()));
    }
    context
}

/// The words of the offline notice in language `code`: `site.toml`'s in the default language,
/// the theme's translations (`offline.*`) in the others.
fn offline_text(input: &RenderInput<'_>, code: &str) -> Value {
    let policy = &input.config.offline_policy;
    let words = &input.theme.words;
    let mut text = Map::new();
    for (key, default) in [
        ("saving", &policy.saving),
        ("ready", &policy.ready),
        ("paused", &policy.paused),
        ("note", &policy.note),
        ("update", &policy.update),
        ("reload", &policy.reload),
    ] {
        let word = if code == input.config.default_language() {
            default.as_str()
        } else {
            words
                .get(code, &format!("offline.{key}"))
                .unwrap_or(default)
        };
        text.insert(key.to_owned(), Value::String(word.to_owned()));
    }
    Value::Object(text)
}

/// The `site` value in language `code`, the default language's for a code the site lacks.
fn site_in(site: &HashMap<String, Value>, config: &Config, code: &str) -> Value {
    site.get(code)
        .or_else(|| site.get(config.default_language()))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The language code of a section's pages (the default language's for pages outside any).
fn section_language<'a>(input: &'a RenderInput<'_>, section: usize) -> &'a str {
    match input.site.sections.get(section) {
        Some(section) => translations::language_of(input.config, &section.doc),
        None => input.config.default_language(),
    }
}

/// The tag a page in language `code` declares in `<html lang>`: `language` of `site.toml` as
/// written (`en-US`) for the default, the code for the others.
fn language_tag<'a>(config: &'a Config, code: &'a str) -> &'a str {
    if code == config.default_language() {
        &config.language
    } else {
        code
    }
}

fn document_value(config: &Config, doc: &Document, body: Rendered) -> Value {
    let meta = &doc.meta;
    json!({
        "title": meta.title,
        "description": meta.description,
        "date": meta.date.map(|d| d.day()),
        "updated": meta.updated.map(|d| d.day()),
        "url": doc.url,
        "permalink": config.permalink(&doc.url),
        "content": body.html,
        "summary": body.summary,
        "summary_html": body.summary_html,
        "toc": body.toc,
        "word_count": body.word_count,
        "reading_time": body.word_count.div_ceil(200).max(1),
        "extra": meta.extra,
        "has_checklist": body.has_checklist,
        "has_code": body.has_code,
        "section_url": doc.url.rsplit_once('/').map(|_| parent_url(&doc.url)),
        "template": meta.template,
        "draft": meta.draft,
        "tags": meta.tags.iter().map(|name| json!({"name": name, "url": tag_url(name)})).collect::<Vec<_>>(),
        "relative_path": doc.relative_path,
        "edit_url": config.edit_url.as_ref().map(|base| format!("{base}{}", doc.relative_path)),
    })
}

fn parent_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => trimmed[..=i].to_owned(),
        None => "/".to_owned(),
    }
}

fn render_with(
    theme: &Theme,
    template: &str,
    context: Map<String, Value>,
) -> Result<String, Diagnostic> {
    let context = tera::Context::from_value(Value::Object(context))
        .map_err(|err| Diagnostic::error(format!("cannot build the template context: {err}")))?;
    theme.render(template, &context)
}

/// The output path of a page at `url`: `/a/b/` -> `a/b/index.html`.
pub fn page_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_and_parents() {
        assert_eq!(page_path("/"), "index.html");
        assert_eq!(page_path("/a/b/"), "a/b/index.html");
        assert_eq!(parent_url("/a/b/"), "/a/");
        assert_eq!(parent_url("/a/"), "/");
    }
}
