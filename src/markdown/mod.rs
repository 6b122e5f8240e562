//! Markdown -> HTML for one document: heading ids and the table of contents, links between
//! content files resolved to URLs, fenced code highlighted, checklists embedded, GitHub's
//! alerts as callouts (`callouts.rs`), shortcodes (`shortcodes.rs`), `$...$` math as MathML
//! (`math.rs`).
//!
//! Rendering is a pure function of the document and the [`Links`] and [`Embeds`] it is given:
//! no I/O, so pages render in parallel. Anchors pointing into other pages cannot be checked
//! until every page has its heading ids; they are returned as [`AnchorCheck`]s for the caller.

mod callouts;
pub mod highlight;
mod math;
pub mod search_text;
pub mod shortcodes;
pub mod source_map;
mod tables;
mod toc;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::content::paths::resolve as paths_resolve;
use crate::content::{DocId, Document, summary};
use crate::diagnostic::{Diagnostic, suggest};
pub use highlight::Highlighter;
pub use search_text::SearchText;
pub use shortcodes::{NoShortcodes, Shortcodes};
pub use source_map::SourceMap;
use toc::HeadingIds;
pub use toc::TocEntry;

/// Where each content file is published: content path (`guide/a.md`) -> URL and document.
pub type Links = HashMap<String, (String, DocId)>;

/// Compiled checklists by id, as the HTML an embed puts in the page.
pub type Embeds = HashMap<String, String>;

/// Everything markdown rendering reads besides the document itself.
pub struct RenderContext<'a> {
    pub smart_punctuation: bool,
    pub links: &'a Links,
    pub embeds: &'a Embeds,
    pub highlighter: &'a Highlighter,
    /// The templates `{{ name() }}` calls render.
    pub shortcodes: &'a dyn Shortcodes,
}

/// A document's body as HTML, with what templates and link checks need from it.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every heading id of the page.
    pub anchors: HashSet<String>,
    /// The text before `<!-- more -->`, or else the first paragraph, as plain text.
    pub summary: String,
    /// The HTML before `<!-- more -->`, when the page has the marker.
    pub summary_html: Option<String>,
    pub word_count: usize,
    pub has_checklist: bool,
    /// Whether the page holds highlighted code, and so needs the highlighting stylesheet.
    pub has_code: bool,
    pub anchor_checks: Vec<AnchorCheck>,
    pub diagnostics: Vec<Diagnostic>,
    /// The body's text part by part, for the search index.
    pub search: SearchText,
    /// Where in the content file each link and piece of raw HTML of `html` was written.
    pub sources: SourceMap,
}

/// A link to `#anchor` in `target`, to check once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorCheck {
    pub target: DocId,
    pub anchor: String,
    /// Where the link is in the linking document.
    pub span: Range<usize>,
}

/// Renders the markdown body of `doc`, which is `this` in the site.
pub fn render(doc: &Document, this: DocId, cx: &RenderContext<'_>) -> Rendered {
    let (markdown, offset) = doc.markdown();
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH;
    if cx.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut diagnostics = doc.meta.warnings.clone();
    let cut = may_call_shortcodes(markdown).then(|| {
        let code = code_ranges(markdown, options);
        let input = shortcodes::Input {
            markdown,
            offset,
            source: &doc.source,
            code: &code,
            relative_path: &doc.relative_path,
        };
        shortcodes::cut(&input, cx.shortcodes, &mut diagnostics)
    });
    let text = cut.as_ref().map_or(markdown, |cut| cut.text.as_str());
    let mut state = State {
        doc,
        this,
        cx,
        offset,
        cut: cut.as_ref(),
        out: Vec::new(),
        heading: None,
        code: None,
        paragraph: None,
        ids: HeadingIds::default(),
        flat_toc: Vec::new(),
        embedded: HashMap::new(),
        rendered: Rendered {
            diagnostics,
            ..Rendered::default()
        },
        in_word: false,
        table: tables::Table::default(),
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        state.event(event, range);
    }
    let State {
        out,
        ids,
        flat_toc,
        mut rendered,
        ..
    } = state;
    rendered.html.reserve(markdown.len() * 3 / 2);
    rendered.sources = source_map::write_html(&mut rendered.html, out);
    // Each change below moves what follows it in the HTML: the map forgets those places.
    // CommonMark: U+0000 is replaced by U+FFFD wherever it appears, for security.
    if let Some(at) = rendered.html.find('\0') {
        rendered.sources.forget_from(at);
        rendered.html = rendered.html.replace('\0', "\u{FFFD}");
    }
    if let Some(cut) = &cut {
        if let Some(at) = rendered.html.find(shortcodes::OPEN) {
            rendered.sources.forget_from(at);
        }
        let html = std::mem::take(&mut rendered.html);
        rendered.html = shortcodes::expand(
            html,
            cut,
            cx.shortcodes,
            &doc.source,
            &mut rendered.diagnostics,
        );
        rendered.summary = shortcodes::without_placeholders(&rendered.summary);
    }
    if let Some(summary) = &doc.meta.summary {
        rendered.summary.clone_from(summary);
        rendered.summary_html = rendered
            .html
            .find(summary::MORE)
            .map(|end| rendered.html[..end].trim_end().to_owned());
    }
    let placeholders = cut.is_some();
    rendered.search.finish(|text| {
        if placeholders {
            shortcodes::without_placeholders(text)
        } else {
            text.to_owned()
        }
    });
    rendered.toc = toc::nest(flat_toc);
    rendered.anchors = ids.into_set();
    // A build holds every body until its page renders: a string grown by doubling would
    // hold up to twice its bytes, a third of a 100,000-page build's peak memory.
    rendered.html.shrink_to_fit();
    rendered.summary.shrink_to_fit();
    rendered
}

/// Whether `markdown` has `{{` or `{%` anywhere: most pages do not, and skip shortcodes.
fn may_call_shortcodes(markdown: &str) -> bool {
    memchr::memmem::find(markdown.as_bytes(), b"{{").is_some()
        || memchr::memmem::find(markdown.as_bytes(), b"{%").is_some()
}

/// The byte ranges of `markdown` that are code (spans and blocks), where shortcodes are text.
fn code_ranges(markdown: &str, options: Options) -> Vec<Range<usize>> {
    Parser::new_ext(markdown, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// An event to write, with the span of the content file it was parsed from when it may write
/// a URL or an id the author wrote (see [`SourceMap`]).
type Mapped<'a> = (Event<'a>, Option<Range<usize>>);

struct Heading<'a> {
    tag: Tag<'a>,
    /// Where the heading is in the content file.
    span: Range<usize>,
    events: Vec<Mapped<'a>>,
    text: String,
}

struct Code {
    info: String,
    text: String,
    span: Range<usize>,
}

struct State<'a, 'c> {
    doc: &'c Document,
    this: DocId,
    cx: &'c RenderContext<'c>,
    offset: usize,
    /// The body with its shortcode calls cut out, when it had any: positions map back through it.
    cut: Option<&'c shortcodes::Cut>,
    out: Vec<Mapped<'a>>,
    heading: Option<Heading<'a>>,
    code: Option<Code>,
    /// Text of the first paragraph, while it is being read.
    paragraph: Option<String>,
    ids: HeadingIds,
    flat_toc: Vec<TocEntry>,
    /// Checklists embedded so far, with where: each may be embedded once per page.
    embedded: HashMap<String, Range<usize>>,
    rendered: Rendered,
    /// Whether the last text ended inside a word.
    in_word: bool,
    table: tables::Table,
}

impl<'a> State<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if !matches!(event, Event::Text(_) | Event::Code(_)) {
            self.in_word = false;
            if self.heading.is_none() && self.code.is_none() {
                self.rendered.search.gap();
            }
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.text.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.finish_code(),
                _ => {}
            }
            return;
        }
        let event = self.table.rewrite(event);
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let Event::Start(tag) = event else {
                    unreachable!()
                };
                self.heading = Some(Heading {
                    tag,
                    span: self.span(&range),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Html(ref html) | Event::InlineHtml(ref html) if summary::is_more(html) => {
                self.push(Event::Html(CowStr::Borrowed(summary::MORE)));
            }
            Event::InlineMath(latex) => self.math(latex, false, &range),
            Event::DisplayMath(latex) => self.math(latex, true, &range),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.push(Event::Html(CowStr::from(callouts::open(kind))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.push(Event::Html(CowStr::Borrowed(callouts::CLOSE)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(Code {
                    info,
                    text: String::new(),
                    span: self.span(&range),
                });
            }
            Event::Start(Tag::Paragraph)
                if self.rendered.summary.is_empty() && self.paragraph.is_none() =>
            {
                self.paragraph = Some(String::new());
                self.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(text) = self.paragraph.take() {
                    self.rendered.summary = text.trim().to_owned();
                }
                self.push(event);
            }
            // An email autolink's destination is the bare address: pulldown-cmark adds the
            // `mailto:` when it writes the link, so it is no path to resolve.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => self.push_parsed(event, &range),
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    let written = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = self.resolve_link(written, &range);
                }
                self.push_parsed(Event::Start(tag), &range);
            }
            // Footnotes get ids of their own kind (`fn-1`), which no heading's id can be.
            Event::FootnoteReference(label) => {
                self.push_parsed(Event::FootnoteReference(footnote_id(&label)), &range);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let definition = Event::Start(Tag::FootnoteDefinition(footnote_id(&label)));
                self.push_parsed(definition, &range);
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                self.count_words(text);
                match &mut self.heading {
                    Some(heading) => heading.text.push_str(text),
                    None => self.rendered.search.text(text),
                }
                if let Some(paragraph) = &mut self.paragraph {
                    paragraph.push_str(text);
                }
                self.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(paragraph) = &mut self.paragraph {
                    paragraph.push(' ');
                }
                self.push(event);
            }
            event @ (Event::Html(_) | Event::InlineHtml(_)) => self.push_parsed(event, &range),
            event => self.push(event),
        }
    }

    /// Counts the words of `text`; a word split over two text events (at a `$` the math
    /// extension looked at) counts once.
    fn count_words(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                self.rendered.word_count += 1;
            }
        }
    }

    /// Adds an event plumb wrote, which has no place in the content file.
    fn push(&mut self, event: Event<'a>) {
        self.push_mapped((event, None));
    }

    /// Adds an event as parsed from `range` of the markdown, its URLs the author's.
    fn push_parsed(&mut self, event: Event<'a>, range: &Range<usize>) {
        let span = self.span(range);
        self.push_mapped((event, Some(span)));
    }

    fn push_mapped(&mut self, event: Mapped<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.out.push(event),
        }
    }

    fn span(&self, range: &Range<usize>) -> Range<usize> {
        let position = |at: usize| self.cut.map_or(at, |cut| cut.source_position(at));
        self.offset + position(range.start)..self.offset + position(range.end)
    }

    fn math(&mut self, latex: CowStr<'a>, display: bool, range: &Range<usize>) {
        self.rendered.word_count += 1;
        match math::to_mathml(&latex, display) {
            Ok(mathml) => self.push(Event::InlineHtml(CowStr::from(mathml))),
            Err(problem) => {
                self.rendered.diagnostics.push(
                    Diagnostic::error(format!("this math does not parse: {problem}"))
                        .at(&self.doc.source, self.span(range))
                        .with_hint("check the LaTeX between the `$` signs; to write a dollar sign, write `\\$`"),
                );
                self.push(Event::Code(latex));
            }
        }
    }

    fn finish_heading(&mut self) {
        let Some(Heading {
            tag,
            span,
            events,
            text,
        }) = self.heading.take()
        else {
            return;
        };
        let Tag::Heading {
            level,
            id,
            classes,
            attrs,
        } = tag
        else {
            return;
        };
        let id = self.ids.assign(id.as_deref(), text.trim());
        self.rendered.search.heading(&id, text.trim());
        self.flat_toc.push(TocEntry {
            level: level as u8,
            id: id.clone(),
            title: text.trim().to_owned(),
            children: Vec::new(),
        });
        self.out.push((
            Event::Start(Tag::Heading {
                level,
                id: Some(id.into()),
                classes,
                attrs,
            }),
            Some(span),
        ));
        self.out.extend(events);
        self.out.push((Event::End(TagEnd::Heading(level)), None));
    }

    fn finish_code(&mut self) {
        let Some(code) = self.code.take() else { return };
        if code.info == "checklist" {
            return self.embed_checklist(code);
        }
        self.rendered.has_code = true;
        self.rendered.search.code(&code.text);
        let html = match self.cx.highlighter.highlight(&code.info, &code.text) {
            highlight::Highlighted::Html(html) => html,
            highlight::Highlighted::UnknownLanguage(html) => {
                let source = &self.doc.source;
                self.rendered.diagnostics.push(
                    Diagnostic::warning(format!(
                        "no highlighting for the language `{}`",
                        code.info
                    ))
                    .at(
                        source,
                        code.span.start..code.span.start + 3 + code.info.len(),
                    )
                    .with_hint("use a known language name such as `toml`, `json`, `sh` or `text`"),
                );
                html
            }
            highlight::Highlighted::LongLine(html, index) => {
                let source = &self.doc.source;
                let fence_line = source.line_col(code.span.start).0;
                self.rendered.diagnostics.push(
                    Diagnostic::warning(format!(
                        "line {} is longer than {} characters: this `{}` block is shown without highlighting",
                        fence_line + 1 + index,
                        highlight::LONGEST_HIGHLIGHTED_LINE,
                        code.info
                    ))
                    .at(
                        source,
                        code.span.start..code.span.start + 3 + code.info.len(),
                    )
                    .with_hint("break the line, or mark the block `text` to show it plain without a warning"),
                );
                html
            }
        };
        self.push(Event::Html(CowStr::from(html.to_string())));
    }

    /// Puts the checklist's form in the page. A second embed of one checklist on a page is an
    /// error: the two forms would share their ids and their saved answers, and a reader would
    /// scroll past the same questions twice; a link to `#checklist-<id>` serves instead.
    fn embed_checklist(&mut self, code: Code) {
        let id = code.text.trim();
        if let Some(first) = self.embedded.get(id) {
            let line = self.doc.source.text[..first.start].matches('\n').count() + 1;
            self.rendered.diagnostics.push(
                Diagnostic::error(format!(
                    "the checklist `{id}` is already embedded on this page, at line {line}"
                ))
                .at(&self.doc.source, code.span)
                .with_hint(format!(
                    "embed a checklist once per page; elsewhere link to it with `[the checklist](#checklist-{id})`"
                )),
            );
            return;
        }
        self.embedded.insert(id.to_owned(), code.span.clone());
        // A translation embeds the form in its own language, when the checklist has one.
        let translated = crate::checklist::embed_key(id, self.doc.translation_language());
        match self
            .cx
            .embeds
            .get(&translated)
            .or_else(|| self.cx.embeds.get(id))
        {
            Some(html) => {
                self.rendered.has_checklist = true;
                self.push(Event::Html(CowStr::from(html.clone())));
            }
            None => {
                let known: Vec<&str> = self
                    .cx
                    .embeds
                    .keys()
                    .map(String::as_str)
                    .filter(|key| !key.contains('@'))
                    .collect();
                let hint = match suggest(id, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => {
                        "add a criteria file such as `content/checklists/<id>.toml`".to_owned()
                    }
                    None => format!("known checklists: {}", sorted(known).join(", ")),
                };
                self.rendered.diagnostics.push(
                    Diagnostic::error(format!("unknown checklist `{id}`"))
                        .at(&self.doc.source, code.span)
                        .with_hint(hint),
                );
            }
        }
    }

    /// A link as written -> the URL to publish. Links to `.md` files become their page's URL;
    /// other relative paths become root-relative paths to the file beside the page.
    fn resolve_link(&mut self, dest: CowStr<'a>, range: &Range<usize>) -> CowStr<'a> {
        if is_external(&dest) || dest.starts_with('/') {
            return dest;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (&*dest, None),
        };
        let span = self.span(range);
        if path.is_empty() {
            if let Some(anchor) = fragment {
                self.rendered.anchor_checks.push(AnchorCheck {
                    target: self.this,
                    anchor: anchor.to_owned(),
                    span,
                });
            }
            return dest;
        }
        // Zola's `@/guide/risk.md` names a content path from `content/` itself.
        let resolved = match path.strip_prefix("@/") {
            Some(from_root) => paths_resolve("", from_root),
            None => paths_resolve(&self.doc.relative_path, path),
        };
        let Some(resolved) = resolved else {
            self.rendered.diagnostics.push(
                Diagnostic::error(format!("the link `{path}` leads outside `content/`"))
                    .at(&self.doc.source, span)
                    .with_hint("link to a file inside `content/`, relative to this file's folder"),
            );
            return dest;
        };
        if !(resolved.ends_with(".md") || resolved.ends_with(".toml")) {
            return CowStr::from(format!(
                "/{resolved}{}",
                fragment.map(|f| format!("#{f}")).unwrap_or_default()
            ));
        }
        let Some((url, target)) = self.cx.links.get(&resolved) else {
            let known = self.cx.links.keys().map(String::as_str);
            let hint = match suggest(&resolved, known) {
                Some(near) => format!(
                    "did you mean `{}`? (paths are relative to this file's folder)",
                    relative_hint(&self.doc.relative_path, near)
                ),
                None => {
                    "check the path: it is relative to this file's folder, as on GitHub".to_owned()
                }
            };
            self.rendered.diagnostics.push(
                Diagnostic::error(format!(
                    "link to a missing page `{path}` (content/{resolved})"
                ))
                .at(&self.doc.source, span)
                .with_hint(hint),
            );
            return dest;
        };
        match fragment {
            Some(anchor) => {
                self.rendered.anchor_checks.push(AnchorCheck {
                    target: *target,
                    anchor: anchor.to_owned(),
                    span,
                });
                CowStr::from(format!("{url}#{anchor}"))
            }
            None => CowStr::from(url.clone()),
        }
    }
}

fn sorted(mut list: Vec<&str>) -> Vec<&str> {
    list.sort_unstable();
    list
}

/// `near` (a content path) written relative to the folder of `from`, as the author would.
fn relative_hint(from: &str, near: &str) -> String {
    let from_dir: Vec<&str> = from
        .rsplit_once('/')
        .map_or(Vec::new(), |(d, _)| d.split('/').collect());
    let target: Vec<&str> = near.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&target)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

/// The id of the footnote labelled `label`. pulldown-cmark uses the bare label, so `[^1]` and a
/// heading `## 1` both had the id `1`; a heading would now have to read `Fn 1` to clash, which
/// the finishing pass reports as a duplicate id.
fn footnote_id(label: &str) -> CowStr<'static> {
    CowStr::from(format!("fn-{label}"))
}

/// `https:`, `mailto:`, `//host`: anything with a scheme or a host is not the site's to resolve.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests;
