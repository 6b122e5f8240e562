//! The finishing pass: every rendered page leaves through [`finish`], one streaming pass of a
//! real HTML rewriter (lol_html) that
//!
//! - writes each URL of the one list of URL-bearing attributes (`attributes.rs`) as the page
//!   needs it: root-relative URLs relative to the page ([`crate::urls`]), relative URLs of raw
//!   HTML from the folder of the content file that wrote them (as markdown's links are), every
//!   candidate of a `srcset`;
//! - marks, in each `<nav>`, the first link to the page itself with `aria-current="page"`;
//! - records the page's ids and URLs with their line and column ([`Facts`]).
//!
//! Comments and raw text (`<pre>`, `<script>`, `<style>`, `<textarea>`) are never read as tags:
//! the rewriter's tokenizer follows the HTML standard, so text that looks like an attribute is
//! left as written. The pass never fails on what an author wrote; it does no I/O.

pub(crate) mod attributes;
pub mod body;
pub mod facts;
mod head;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::{Element, SourceLocation};

use lol_html::{ElementContentHandlers, HandlerResult, HtmlRewriter, Selector, Settings, end_tag};

pub use body::Body;
pub use facts::Facts;
use facts::{Id, Lines, Link};
pub use head::append_to_head;

use crate::diagnostic::Diagnostic;
use crate::markdown::is_external;
use crate::output::OutputFile;
use crate::urls::Rewriter;

/// Where a page goes, which decides how its URLs are written.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The page's root-relative URL (`/guide/first/`, `/404.html`).
    pub url: &'a str,
    pub rewriter: Rewriter<'a>,
    /// The root-relative folder of the content file the page was built from (`/guide/`), from
    /// which the relative URLs of its raw HTML are read; `None` for pages of no content file.
    pub source_folder: Option<&'a str>,
    /// The markdown body the template printed, for the content file's places of its URLs.
    pub body: Option<Body<'a>>,
}

/// A finished page as it goes to the sink: its file, and what the pass recorded of it.
#[derive(Debug)]
pub struct Page {
    pub file: OutputFile,
    pub facts: Facts,
}

/// The attribute that marks the link to the page being read.
const ARIA_CURRENT: &str = "aria-current";

/// Finishes one rendered page, to be published at `path` (see the module's documentation).
pub fn finish(path: String, html: &str, target: &Target<'_>) -> Result<Page, Diagnostic> {
    // How many `<nav>`s are open: their end tags close them from a handler of their own, which
    // must own what it changes. (A `nav a` selector would make the rewriter track every
    // element's ancestors, which costs more than the whole pass.)
    let open_navs = Rc::new(Cell::new(0_usize));
    let state = RefCell::new(Pass {
        target,
        html,
        written_url: target.rewriter.url(target.url),
        page_folder: &target.url[..target.url.rfind('/').map_or(0, |i| i + 1)],
        lines: Lines::new(html),
        facts: Facts::default(),
        open_navs: Rc::clone(&open_navs),
        navs: 0,
        marked_nav: 0,
        body: target.body.and_then(|body| body.place_in(html)),
        urls: Vec::new(),
    });
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let selectors = &*SELECTORS;
    // Two handlers: one for `<nav>`s, one for every element. Reading each element's attributes
    // once beats a selector per attribute (`[href]`, `[src]`...), whose matching and lookups
    // cost more than the rest of the pass.
    let settings = Settings::new()
        .with_strict(false)
        .append_element_content_handler(handler(&selectors.nav, |el| {
            state.borrow_mut().navs += 1;
            open_navs.set(open_navs.get() + 1);
            let closing = Rc::clone(&open_navs);
            el.on_end_tag(end_tag!(move |_end| {
                closing.set(closing.get().saturating_sub(1));
                Ok(())
            }))
        }))
        .append_element_content_handler(handler(&selectors.any, |el| {
            state.borrow_mut().element(el);
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    let written = rewriter
        .write(html.as_bytes())
        .and_then(|()| rewriter.end());
    if let Err(err) = written {
        return Err(Diagnostic::error(format!(
            "cannot finish the page at `{}`: {err}",
            target.url
        )));
    }
    Ok(Page {
        file: OutputFile::new(path, out),
        facts: state.into_inner().facts,
    })
}

/// The pass's selectors, parsed once per process.
struct Selectors {
    nav: Selector,
    any: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |text: &str| {
        text.parse::<Selector>()
            .unwrap_or_else(|err| unreachable!("`{text}` is a valid selector: {err}"))
    };
    Selectors {
        nav: parse("nav"),
        any: parse("*"),
    }
});

/// An element handler for an already parsed selector.
fn handler<'h, 's>(
    selector: &'s Selector,
    handler: impl FnMut(&mut Element<'_, '_>) -> HandlerResult + 'h,
) -> (Cow<'s, Selector>, ElementContentHandlers<'h>) {
    (
        Cow::Borrowed(selector),
        ElementContentHandlers::default().element(handler),
    )
}

/// The state of one page's pass.
struct Pass<'t, 'a> {
    target: &'t Target<'a>,
    /// The page as rendered, which the attributes' names are read from.
    html: &'t str,
    /// The page's own URL as its links to itself are written.
    written_url: String,
    /// The page's folder, root-relative (`/guide/first/`).
    page_folder: &'a str,
    lines: Lines<'t>,
    facts: Facts,
    /// `<nav>` elements open around the element being read.
    open_navs: Rc<Cell<usize>>,
    /// `<nav>` elements opened so far, and the last one whose current link is marked.
    navs: usize,
    marked_nav: usize,
    body: Option<body::Placed<'t>>,
    /// The URL attributes of the element being read: kept between elements, as most have one.
    urls: Vec<(&'static str, &'t str)>,
}

impl Pass<'_, '_> {
    /// Records the id and writes and records the URLs of `el`, reading its attributes once.
    fn element(&mut self, el: &mut Element<'_, '_>) {
        let html = self.html;
        // Names and values as the page spells them, borrowed: lol_html's lookups by name and
        // its values allocate.
        let text = |at: Option<SourceLocation>| at.and_then(|at| html.get(at.bytes()));
        let mut urls = std::mem::take(&mut self.urls);
        let mut rel = None;
        let mut marked = false;
        for attribute in el.attributes() {
            let name = text(attribute.name_source_location()).unwrap_or_default();
            let value = text(attribute.value_source_location()).unwrap_or_default();
            if name.eq_ignore_ascii_case("id") {
                let start = el.source_location().bytes().start;
                self.facts.ids.push(Id {
                    name: unescape(value),
                    at: self.lines.at(start),
                    source: self.body.and_then(|body| body.source_of(start)),
                });
            } else if name.eq_ignore_ascii_case("rel") {
                rel = Some(value);
            } else if name.eq_ignore_ascii_case(ARIA_CURRENT) {
                marked = true;
            } else if let Some(&known) = attributes::URL_ATTRIBUTES
                .iter()
                .find(|known| name.eq_ignore_ascii_case(known))
            {
                urls.push((known, value));
            }
        }
        if !urls.is_empty() {
            self.write_urls(el, &urls, rel, marked);
        }
        urls.clear();
        self.urls = urls;
    }

    /// Writes and records the URLs of `el`: `(attribute, value)` pairs, beside its `rel` and
    /// whether it is already marked as the current page's link.
    fn write_urls(
        &mut self,
        el: &mut Element<'_, '_>,
        urls: &[(&'static str, &str)],
        rel: Option<&str>,
        marked: bool,
    ) {
        let tag = known_tag(&el.tag_name());
        let start = el.source_location().bytes().start;
        let at = self.lines.at(start);
        let source = self.body.and_then(|body| body.source_of(start));
        for &(name, value) in urls {
            if tag == "a" && name == "href" && self.open_navs.get() > 0 && !marked {
                self.mark_current(el, value);
            }
            let written = if name == "srcset" {
                self.srcset(value)
            } else {
                self.url(value.trim())
            };
            let loaded = attributes::loads(tag, name, rel);
            let url = written.as_deref().unwrap_or(value);
            let mut record = |url: &str| {
                if !url.is_empty() {
                    self.facts.links.push(Link {
                        url: unescape(url),
                        tag,
                        attribute: name,
                        loaded,
                        at,
                        source,
                    });
                }
            };
            if name == "srcset" {
                for range in attributes::srcset_urls(url) {
                    record(&url[range]);
                }
            } else {
                record(url.trim());
            }
            if let Some(written) = written {
                // The names come from a list of valid attribute names, so this cannot fail.
                let _ = el.set_attribute(name, &written);
            }
        }
    }

    /// The URL to write for `url`, when it is not `url` itself.
    fn url(&self, url: &str) -> Option<String> {
        let target = self.target;
        if url.starts_with('/') && !url.starts_with("//") {
            return Some(target.rewriter.url(url));
        }
        let folder = target.source_folder?;
        if url.is_empty()
            || url.starts_with(['#', '?'])
            || is_external(url)
            || folder == self.page_folder
        {
            return None;
        }
        Some(target.rewriter.url(&format!("{folder}{url}")))
    }

    /// `srcset` with each candidate's URL written as the page needs it, when any changes.
    fn srcset(&self, value: &str) -> Option<String> {
        let mut written = String::with_capacity(value.len() + 16);
        let mut copied = 0;
        for range in attributes::srcset_urls(value) {
            if let Some(url) = self.url(&value[range.clone()]) {
                written.push_str(&value[copied..range.start]);
                written.push_str(&url);
                copied = range.end;
            }
        }
        if copied == 0 {
            return None;
        }
        written.push_str(&value[copied..]);
        Some(written)
    }

    /// Marks the link of a `<nav>` that leads to the page itself (`href`), once per `<nav>`.
    fn mark_current(&mut self, el: &mut Element<'_, '_>, href: &str) {
        if self.marked_nav == self.navs {
            return;
        }
        let target = self.target;
        if href == target.url || href == self.written_url {
            let _ = el.set_attribute(ARIA_CURRENT, "page");
            self.marked_nav = self.navs;
        }
    }
}

/// The elements the checks name, as `'static` names; any other is `element`.
fn known_tag(name: &str) -> &'static str {
    const KNOWN: [&str; 22] = [
        "a",
        "area",
        "audio",
        "base",
        "blockquote",
        "button",
        "del",
        "embed",
        "form",
        "iframe",
        "img",
        "input",
        "ins",
        "link",
        "object",
        "q",
        "script",
        "source",
        "track",
        "video",
        "image",
        "use",
    ];
    KNOWN
        .iter()
        .copied()
        .find(|known| *known == name)
        .unwrap_or("element")
}

/// An attribute value as the browser reads it: its character references expanded by the
/// standard's rules for attributes (`&amp;` in a query string is `&`; `&copy=` is left as
/// written).
fn unescape(value: &str) -> String {
    htmlize::unescape_attribute(value).into_owned()
}

#[cfg(test)]
mod tests;
