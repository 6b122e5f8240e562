//! The one diagnostic type every stage reports through, and its rendering.
//!
//! A [`Diagnostic`] names the file, the byte span in it, what is wrong and how to fix it. Stages
//! collect diagnostics instead of stopping at the first one, so an author sees every problem of a
//! build at once. Rendering (plain for tests and the browser overlay, coloured for a terminal) is
//! done by `codespan-reporting`; this module never decides whether a build fails.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Shown and counted; fails the build only in strict mode.
    Warning,
    /// Fails the build.
    Error,
}

/// A file's text as it was read, shared by every diagnostic that points into it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path shown to the author: relative to the site root where possible.
    pub path: PathBuf,
    /// The whole text of the file.
    pub text: Arc<str>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in the author's input.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems of the site as a whole.
    pub location: Option<Location>,
    /// How to fix it, in one sentence.
    pub hint: Option<String>,
}

/// A span inside a source file, or a whole file when the span is empty and at 0.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Source,
    pub span: Range<usize>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    /// Points the diagnostic at `span` in `source`.
    pub fn at(mut self, source: &Source, span: Range<usize>) -> Self {
        self.location = Some(Location {
            source: source.clone(),
            span,
        });
        self
    }

    /// Points the diagnostic at a file with no particular place in it.
    pub fn in_file(self, path: &Path) -> Self {
        self.at(&Source::new(path, ""), 0..0)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` of the start of the span, as editors and terminals link it.
    pub fn position(&self) -> Option<String> {
        let location = self.location.as_ref()?;
        let path = location.source.path.display();
        if location.source.text.is_empty() {
            return Some(path.to_string());
        }
        let (line, col) = location.source.line_col(location.span.start);
        Some(format!("{path}:{line}:{col}"))
    }

    /// Renders the diagnostic like a compiler does: message, position, the source line with a
    /// caret under the span, and the hint.
    pub fn render(&self, color: bool) -> String {
        let mut report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&self.message);
        if let Some(hint) = &self.hint {
            report = report.with_notes(vec![format!("hint: {hint}")]);
        }
        let Some(location) = &self.location else {
            return emit(&report, &SimpleFile::new(String::new(), ""), color);
        };
        let name = location.source.path.display().to_string();
        if location.source.text.is_empty() {
            report.message = format!("{}\n  --> {name}", report.message);
            return emit(&report, &SimpleFile::new(name, ""), color);
        }
        let file = SimpleFile::new(name, &*location.source.text);
        let span = clamp_span(&location.source.text, &location.span);
        report = report.with_labels(vec![Label::primary((), span)]);
        emit(&report, &file, color)
    }
}

fn clamp_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    start..end
}

fn emit(report: &Report<()>, file: &SimpleFile<String, &str>, color: bool) -> String {
    let config = term::Config::default();
    if color {
        let mut buffer = termcolor::Buffer::ansi();
        if term::emit_to_write_style(&mut buffer, &config, file, report).is_ok() {
            return String::from_utf8_lossy(buffer.as_slice()).into_owned();
        }
    }
    term::emit_into_string(&config, file, report).unwrap_or_else(|_| report.message.clone())
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: error: message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(position) = self.position() {
            write!(f, "{position}: ")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The diagnostics a stage collected.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    /// Orders diagnostics by file and position so output does not depend on thread timing, and
    /// drops repeats (a broken base template fails every page the same way).
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.source.path.clone(), l.span.start))
            };
            key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
        });
        self.0.dedup_by(|a, b| a.to_string() == b.to_string());
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// Prints every diagnostic to stderr, coloured when stderr is a terminal.
pub fn print(diagnostics: &Diagnostics) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal();
    for diagnostic in diagnostics.iter() {
        eprint!("{}", diagnostic.render(color));
    }
}

/// The nearest of `candidates` to `word`, if it is near enough to be a likely typo: at most one
/// edit (a swap of neighbours counts as one) per four characters.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let allowed = (word.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let source = Source::new("a.md", "é\nab=1\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(source.line_col(5), (2, 3));
    }

    #[test]
    fn display_names_position_and_hint() {
        let source = Source::new("site.toml", "titel = 'x'\n");
        let d = Diagnostic::error("unknown key `titel`")
            .at(&source, 0..5)
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "site.toml:1:1: error: unknown key `titel` (hint: did you mean `title`?)"
        );
        let rendered = d.render(false);
        assert!(rendered.contains("site.toml:1:1"), "{rendered}");
        assert!(rendered.contains("^^^^^"), "{rendered}");
    }

    #[test]
    fn suggest_finds_typos_only() {
        assert_eq!(suggest("titel", ["title", "weight"]), Some("title"));
        assert_eq!(suggest("zzz", ["title", "weight"]), None);
        assert_eq!(suggest("third.md", ["first.md", "_index.md"]), None);
        assert_eq!(
            suggest("frist.md", ["first.md", "_index.md"]),
            Some("first.md")
        );
    }
}
