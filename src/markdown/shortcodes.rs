//! Shortcodes: templates of `templates/shortcodes/` called from markdown with Zola's syntax,
//! `{{ name(key="value") }}` inline and `{% name(key="value") %}...{% end %}` with a body.
//!
//! Before markdown is parsed, every call outside code is cut out of the text and replaced by a
//! placeholder (private-use characters, which markdown passes through as text); after the
//! markdown became HTML, each placeholder is replaced by its template's output. A body is
//! ordinary markdown of the page (its links and headings are checked like any other), handed to
//! the template as HTML in `body`, and `page_folder` is the URL of the page's folder (where
//! the files beside it are published). Positions in the cut text map back to the file, so every
//! diagnostic of the page still points at the right line. `{{/* ... */}}` writes a call
//! literally. Text that looks like a call but is not one (Hugo's `{{< >}}`, mdBook's
//! `{{#include}}`, a template variable) is left as written, with a warning. In code, calls are
//! text, and escaped calls are unescaped as everywhere else.

use std::ops::Range;

use serde_json::{Map, Number, Value};

use crate::diagnostic::{Diagnostic, Source, suggest};

/// The shortcode templates a page may call.
pub trait Shortcodes: Sync {
    /// Every shortcode's name (`figure` for `templates/shortcodes/figure.html`).
    fn names(&self) -> Vec<&str>;
    /// Renders `name` with `args` as its variables (and `body`, HTML, for a call with a body).
    /// An error is tera's message.
    fn render(&self, name: &str, args: &Map<String, Value>) -> Result<String, String>;
}

/// No shortcodes at all: every call is an unknown name.
#[derive(Debug)]
pub struct NoShortcodes;

impl Shortcodes for NoShortcodes {
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }

    fn render(&self, name: &str, _: &Map<String, Value>) -> Result<String, String> {
        Err(format!("no shortcode `{name}`"))
    }
}

pub(super) const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// One call found in the text.
#[derive(Debug)]
pub(super) struct Call {
    name: String,
    args: Map<String, Value>,
    /// Where the call is in the file (for a call with a body: its opening tag).
    span: Range<usize>,
    has_body: bool,
}

/// A markdown body with its calls cut out.
#[derive(Debug, Default)]
pub(super) struct Cut {
    pub text: String,
    /// (position in `text` where a replacement ends, `text` position minus source position
    /// from there on), in order.
    shifts: Vec<(usize, isize)>,
    calls: Vec<Call>,
    /// The URL of the folder of the page's file (`/guide/`), where its files are published.
    folder: String,
}

impl Cut {
    /// The position in the original markdown of a position in the cut text.
    pub(super) fn source_position(&self, position: usize) -> usize {
        let index = self.shifts.partition_point(|&(end, _)| end <= position);
        let delta = index.checked_sub(1).map_or(0, |i| self.shifts[i].1);
        position.saturating_add_signed(-delta)
    }
}

/// Where in a document's markdown its calls are read from.
pub(super) struct Input<'a> {
    pub markdown: &'a str,
    /// Byte offset of `markdown` in `source`.
    pub offset: usize,
    pub source: &'a Source,
    /// Ranges of `markdown` that are code, in order: calls there stay as written.
    pub code: &'a [Range<usize>],
    /// The document's path below `content/`.
    pub relative_path: &'a str,
}

/// Cuts every call out of `input.markdown`.
pub(super) fn cut(
    input: &Input<'_>,
    shortcodes: &dyn Shortcodes,
    diagnostics: &mut Vec<Diagnostic>,
) -> Cut {
    let text = input.markdown;
    let known = shortcodes.names();
    let folder = match input.relative_path.rsplit_once('/') {
        Some((folder, _)) => format!("/{folder}/"),
        None => "/".to_owned(),
    };
    let mut cut = Cut {
        text: String::with_capacity(text.len()),
        folder,
        ..Cut::default()
    };
    let mut copied = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    let located = |range: Range<usize>| input.offset + range.start..input.offset + range.end;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        at = start + 1;
        let Some(kind) = text[start..]
            .strip_prefix('{')
            .and_then(|rest| rest.chars().next())
            .filter(|c| matches!(c, '{' | '%'))
        else {
            continue;
        };
        let closer = if kind == '{' { "}}" } else { "%}" };
        let tag = tag_at(text, start, kind, closer);
        // In code, a call is text; an escaped one is still unescaped, as Zola does, so pages
        // that document shortcodes read the same.
        let in_code = {
            let i = input.code.partition_point(|r| r.end <= start);
            input.code.get(i).is_some_and(|r| r.start <= start)
        };
        if in_code && !matches!(tag, Tag::Literal { .. }) {
            continue;
        }
        let replacement = match tag {
            Tag::Literal { end, inner } => {
                let written = format!("{{{kind}{inner}{}", closer);
                Some((end, written))
            }
            Tag::End { end } => match open.pop() {
                Some(index) => Some((end, format!("\n\n{OPEN}c{index}{CLOSE}"))),
                None => {
                    diagnostics.push(
                        Diagnostic::error("`{% end %}` without a shortcode to end")
                            .at(input.source, located(start..end))
                            .with_hint("remove it, or open a shortcode with a body before it: `{% name() %}`"),
                    );
                    Some((end, String::new()))
                }
            },
            Tag::Call { name, args, end } => {
                let span = located(start..end);
                let has_body = kind == '%';
                if !known.contains(&name.as_str()) {
                    let hint = match suggest(&name, known.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if known.is_empty() => format!(
                            "add `templates/shortcodes/{name}.html`; to show the call as written, write `{{{kind}/* ... */{closer}`"
                        ),
                        None => format!("known shortcodes: {}", sorted(&known).join(", ")),
                    };
                    diagnostics.push(
                        Diagnostic::error(format!("unknown shortcode `{name}`"))
                            .at(input.source, span)
                            .with_hint(hint),
                    );
                    continue;
                }
                if has_body
                    && !text[..start]
                        .rsplit('\n')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .is_empty()
                {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the shortcode `{name}` with a body does not start a line"
                        ))
                        .at(input.source, span)
                        .with_hint("put `{% name(...) %}` and `{% end %}` on lines of their own"),
                    );
                    continue;
                }
                let index = cut.calls.len();
                cut.calls.push(Call {
                    name,
                    args,
                    span,
                    has_body,
                });
                if has_body {
                    open.push(index);
                    Some((end, format!("{OPEN}o{index}{CLOSE}\n\n")))
                } else {
                    Some((end, format!("{OPEN}i{index}{CLOSE}")))
                }
            }
            Tag::BadArgument { at: bad, message } => {
                diagnostics.push(
                    Diagnostic::error(message)
                        .at(input.source, located(bad))
                        .with_hint("write arguments as key=\"text\", key=3, key=true or key=[\"a\", \"b\"], separated by commas"),
                );
                continue;
            }
            Tag::NotACall { end } => {
                let written = &text[start..end];
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "`{}` looks like a shortcode call but is not one; it is shown as written",
                        shorten(written)
                    ))
                    .at(input.source, located(start..end))
                    .with_hint(not_a_call_hint(written, kind, closer)),
                );
                at = end;
                None
            }
        };
        if let Some((end, written)) = replacement {
            cut.text.push_str(&text[copied..start]);
            cut.text.push_str(&written);
            copied = end;
            at = end;
            let delta = cut.text.len() as isize - end as isize;
            cut.shifts.push((cut.text.len(), delta));
        }
    }
    cut.text.push_str(&text[copied..]);
    for index in open {
        let call = &cut.calls[index];
        diagnostics.push(
            Diagnostic::error(format!(
                "the shortcode `{}` has no `{{% end %}}`",
                call.name
            ))
            .at(input.source, call.span.clone())
            .with_hint("end its body with `{% end %}` on a line of its own"),
        );
    }
    cut
}

/// The template outputs in place of the placeholders of `html`.
pub(super) fn expand(
    html: String,
    cut: &Cut,
    shortcodes: &dyn Shortcodes,
    source: &Source,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let mut html = html;
    let mut render = |call: &Call, body: Option<String>| -> String {
        let mut args = call.args.clone();
        args.insert("page_folder".to_owned(), Value::String(cut.folder.clone()));
        if let Some(body) = body {
            args.insert("body".to_owned(), Value::String(body));
        }
        shortcodes
            .render(&call.name, &args)
            .unwrap_or_else(|message| {
                diagnostics.push(
                    Diagnostic::error(format!("the shortcode `{}` failed: {message}", call.name))
                        .at(source, call.span.clone())
                        .with_hint(
                            "check the call's arguments against the variables its template uses",
                        ),
                );
                String::new()
            })
    };
    for (index, call) in cut.calls.iter().enumerate().filter(|(_, c)| !c.has_body) {
        let marker = format!("{OPEN}i{index}{CLOSE}");
        let output = render(call, None);
        let alone = format!("<p>{marker}</p>");
        html = if html.contains(&alone) {
            html.replacen(&alone, &output, 1)
        } else {
            html.replacen(&marker, &output, 1)
        };
    }
    // Innermost first: a later call's body sits inside an earlier one's.
    for (index, call) in cut
        .calls
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, c)| c.has_body)
    {
        let open = format!("<p>{OPEN}o{index}{CLOSE}</p>\n");
        let close = format!("<p>{OPEN}c{index}{CLOSE}</p>\n");
        let (Some(start), Some(end)) = (html.find(&open), html.find(&close)) else {
            continue;
        };
        if end < start {
            continue;
        }
        let body = html[start + open.len()..end].to_owned();
        let output = render(call, Some(body));
        html.replace_range(start..end + close.len(), &output);
    }
    html
}

/// `text` without the placeholders left in it (a summary's plain text).
pub(super) fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            OPEN => inside = true,
            CLOSE => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

enum Tag {
    /// `{{/* x */}}`: `inner` is written between the braces.
    Literal { end: usize, inner: String },
    /// `{% end %}`.
    End { end: usize },
    Call {
        name: String,
        args: Map<String, Value>,
        end: usize,
    },
    /// The call's arguments do not parse: `message` about the text at `at`.
    BadArgument { at: Range<usize>, message: String },
    /// Call-like text that is not a call, up to `end`.
    NotACall { end: usize },
}

/// Reads the tag starting at `start` (`{{` or `{%`).
fn tag_at(text: &str, start: usize, kind: char, closer: &str) -> Tag {
    let after = start + 2;
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let not_a_call = || Tag::NotACall {
        end: text[start..line_end]
            .find(closer)
            .map_or(line_end, |i| start + i + closer.len()),
    };
    if text[after..].starts_with("/*") {
        let end_marker = format!("*/{closer}");
        if let Some(i) = text[after..].find(&end_marker) {
            return Tag::Literal {
                end: after + i + end_marker.len(),
                inner: text[after + 2..after + i].to_owned(),
            };
        }
    }
    let mut reader = Reader { text, at: after };
    reader.skip_space();
    let Some(name) = reader.identifier() else {
        return not_a_call();
    };
    reader.skip_space();
    if kind == '%' && name == "end" && reader.eat(closer) {
        return Tag::End { end: reader.at };
    }
    if !reader.eat("(") {
        return not_a_call();
    }
    let args = match reader.arguments() {
        Ok(args) => args,
        Err((at, message)) => return Tag::BadArgument { at, message },
    };
    reader.skip_space();
    if !reader.eat(closer) {
        let at = reader.at..(reader.at + 1).min(text.len());
        return Tag::BadArgument {
            at,
            message: format!("the shortcode call `{name}(...)` does not end with `{closer}`"),
        };
    }
    Tag::Call {
        name,
        args,
        end: reader.at,
    }
}

struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Reader<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn identifier(&mut self) -> Option<String> {
        let rest = self.rest();
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..length];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        self.at += length;
        Some(name.to_owned())
    }

    /// `key=value, ...)` up to and including the closing parenthesis.
    fn arguments(&mut self) -> Result<Map<String, Value>, (Range<usize>, String)> {
        let mut args = Map::new();
        loop {
            self.skip_space();
            if self.eat(")") {
                return Ok(args);
            }
            let key_start = self.at;
            let Some(key) = self.identifier() else {
                return Err((
                    self.at..(self.at + 1).min(self.text.len()),
                    "expected an argument name or `)`".to_owned(),
                ));
            };
            self.skip_space();
            if !self.eat("=") {
                return Err((
                    key_start..self.at,
                    format!("the argument `{key}` has no value"),
                ));
            }
            self.skip_space();
            let value = self.value(&key)?;
            if args.insert(key.clone(), value).is_some() {
                return Err((
                    key_start..key_start + key.len(),
                    format!("the argument `{key}` is given twice"),
                ));
            }
            self.skip_space();
            if !self.eat(",") && !self.rest().starts_with(')') {
                return Err((
                    self.at..(self.at + 1).min(self.text.len()),
                    "expected `,` or `)` after an argument".to_owned(),
                ));
            }
        }
    }

    fn value(&mut self, key: &str) -> Result<Value, (Range<usize>, String)> {
        let start = self.at;
        let rest = self.rest();
        if let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        {
            let body = &rest[1..];
            let Some(length) = body.find(quote) else {
                return Err((
                    start..start + 1,
                    format!("the text of `{key}` has no closing {quote}"),
                ));
            };
            self.at += length + 2;
            return Ok(Value::String(body[..length].to_owned()));
        }
        if self.eat("[") {
            let mut items = Vec::new();
            loop {
                self.skip_space();
                if self.eat("]") {
                    return Ok(Value::Array(items));
                }
                items.push(self.value(key)?);
                self.skip_space();
                if !self.eat(",") && !self.rest().starts_with(']') {
                    return Err((
                        start..self.at,
                        format!("the list of `{key}` does not close with `]`"),
                    ));
                }
            }
        }
        let length = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_')))
            .unwrap_or(rest.len());
        let word = &rest[..length];
        let value = match word {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => word.parse::<i64>().ok().map(Value::from).or_else(|| {
                word.parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
            }),
        };
        match value {
            Some(value) => {
                self.at += length;
                Ok(value)
            }
            None => Err((
                start..start + length.max(1),
                format!(
                    "the value of `{key}` is not text in quotes, a number, true, false or a list"
                ),
            )),
        }
    }
}

fn not_a_call_hint(written: &str, kind: char, closer: &str) -> String {
    let literally =
        format!("to show it as written without this warning, write `{{{kind}/* ... */{closer}`");
    if written.starts_with("{{<") || written.starts_with("{{%") {
        format!(
            "Hugo shortcodes are written here as `{{{{ name(key=\"value\") }}}}`, with a template in `templates/shortcodes/`; {literally}"
        )
    } else if written.starts_with("{{#") {
        format!(
            "mdBook's `{{{{#include}}}}` and `{{{{#rustdoc_include}}}}` have no counterpart: paste the text into a fenced code block; {literally}"
        )
    } else {
        format!(
            "a shortcode call is `{{{{ name(key=\"value\") }}}}`, and templates' variables work only in templates; {literally}"
        )
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_owned(),
    }
}

fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}
