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

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::Element;
use lol_html::{ElementContentHandlers, HandlerResult, HtmlRewriter, Selector, Settings, end_tag};

pub use body::Body;
pub use facts::Facts;
use facts::{Id, Lines, Link};

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
        lines: Lines::new(html),
        facts: Facts::default(),
        open_navs: Rc::clone(&open_navs),
        navs: 0,
        marked_nav: 0,
        body: target.body.and_then(|body| body.place_in(html)),
    });
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let selectors = &*SELECTORS;
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
        .append_element_content_handler(handler(&selectors.id, |el| {
            state.borrow_mut().id(el);
            Ok(())
        }));
    // One selector per attribute: elements with none of them (most of a page) cost no call.
    let settings = attributes::URL_ATTRIBUTES.iter().zip(&selectors.urls).fold(
        settings,
        |settings, (&name, selector)| {
            let state = &state;
            settings.append_element_content_handler(handler(selector, move |el| {
                state.borrow_mut().url_attribute(el, name);
                Ok(())
            }))
        },
    );
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
    id: Selector,
    /// `[href]`, `[src]`...: one per URL-bearing attribute, in the list's order.
    urls: Vec<Selector>,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let parse = |text: &str| {
        text.parse::<Selector>()
            .unwrap_or_else(|err| unreachable!("`{text}` is a valid selector: {err}"))
    };
    Selectors {
        nav: parse("nav"),
        id: parse("[id]"),
        urls: attributes::URL_ATTRIBUTES
            .iter()
            .map(|name| parse(&format!("[{name}]")))
            .collect(),
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
    lines: Lines<'t>,
    facts: Facts,
    /// `<nav>` elements open around the element being read.
    open_navs: Rc<Cell<usize>>,
    /// `<nav>` elements opened so far, and the last one whose current link is marked.
    navs: usize,
    marked_nav: usize,
    body: Option<body::Placed<'t>>,
}

impl Pass<'_, '_> {
    /// Records the `id` of `el`.
    fn id(&mut self, el: &Element<'_, '_>) {
        if let Some(id) = el.get_attribute("id") {
            let at = self.lines.at(el.source_location().bytes().start);
            self.facts.ids.push(Id {
                name: unescape(&id),
                at,
            });
        }
    }

    /// Writes and records the URLs of the attribute `name` of `el`.
    fn url_attribute(&mut self, el: &mut Element<'_, '_>, name: &'static str) {
        let Some(value) = el.get_attribute(name) else {
            return;
        };
        let tag = known_tag(&el.tag_name());
        if tag == "a" && name == "href" && self.open_navs.get() > 0 {
            self.mark_current(el, &value);
        }
        let written = if name == "srcset" {
            self.srcset(&value)
        } else {
            self.url(value.trim())
        };
        let loaded = attributes::loads(tag, name, el.get_attribute("rel").as_deref());
        let start = el.source_location().bytes().start;
        let at = self.lines.at(start);
        let source = self.body.and_then(|body| body.source_of(start));
        let url = written.as_deref().unwrap_or(&value);
        let urls: Vec<&str> = if name == "srcset" {
            attributes::srcset_urls(url)
                .into_iter()
                .map(|r| &url[r])
                .collect()
        } else {
            vec![url.trim()]
        };
        for url in urls.into_iter().filter(|url| !url.is_empty()) {
            self.facts.links.push(Link {
                url: unescape(url),
                tag,
                attribute: name,
                loaded,
                at,
                source,
            });
        }
        if let Some(written) = written {
            // The names come from a list of valid attribute names, so this cannot fail.
            let _ = el.set_attribute(name, &written);
        }
    }

    /// The URL to write for `url`, when it is not `url` itself.
    fn url(&self, url: &str) -> Option<String> {
        let target = self.target;
        if url.starts_with('/') && !url.starts_with("//") {
            return Some(target.rewriter.url(url));
        }
        let folder = target.source_folder?;
        let page_folder = &target.url[..target.url.rfind('/').map_or(0, |i| i + 1)];
        if url.is_empty()
            || url.starts_with(['#', '?'])
            || is_external(url)
            || folder == page_folder
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
        if self.marked_nav == self.navs || el.has_attribute(ARIA_CURRENT) {
            return;
        }
        let target = self.target;
        if href == target.url || href == target.rewriter.url(target.url) {
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

/// An attribute value as the browser reads it, for the few character references URLs and ids
/// carry (`&amp;` in a query string); values are written by plumb's escape function or an
/// author, so others are left as written.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests;
