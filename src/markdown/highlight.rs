//! Code highlighting with syntect: fenced code -> HTML with CSS classes, and the stylesheet for
//! those classes.
//!
//! Syntaxes and themes come from two-face's pre-built dumps (syntect's own set lacks TOML),
//! loaded once per process and only when a page has code. Each distinct (language, code) pair is
//! highlighted once per build, however many pages show it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use pulldown_cmark_escape::escape_html_body_text;
use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::{EmbeddedLazyThemeSet, EmbeddedThemeName};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static THEMES: LazyLock<EmbeddedLazyThemeSet> = LazyLock::new(two_face::theme::extra);

/// Prefix of every highlighting class, so theme CSS and syntax CSS cannot collide.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Names of the themes `site.toml` may choose for highlighting.
pub fn theme_names() -> Vec<&'static str> {
    EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|t| t.as_name())
        .collect()
}

pub fn has_theme(name: &str) -> bool {
    find_theme(name).is_some()
}

fn find_theme(name: &str) -> Option<&'static Theme> {
    let embedded: EmbeddedThemeName = *EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|t| t.as_name() == name)?;
    Some(THEMES.get(embedded))
}

/// The stylesheet of the highlighting classes: `light` by default, `dark` under
/// `prefers-color-scheme: dark`.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let css = |name: &str| {
        find_theme(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    // Each scheme's rules apply only in that scheme, so a more specific light rule can never
    // win in dark mode.
    format!(
        "@media not all and (prefers-color-scheme: dark) {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css(light),
        css(dark)
    )
}

/// Languages written as a fence's info string that mean "no highlighting", without a warning.
const PLAIN: &[&str] = &["", "text", "txt", "plain", "plaintext"];

/// Names authors write that the syntax set knows by another name.
fn alias(lang: &str) -> &str {
    match lang.to_ascii_lowercase().as_str() {
        "shell" | "console" | "zsh" | "shell-session" => "bash",
        "jsonc" | "json5" => "json",
        _ => lang,
    }
}

/// Highlights code blocks, remembering each result for the rest of the build.
#[derive(Default)]
pub struct Highlighter {
    cache: Mutex<HashMap<(String, String), Highlighted>>,
}

/// Lines longer than this (in characters) are not highlighted: some syntaxes take time that
/// grows with the square of a line's length (a 100,000-character line of Perl took minutes).
pub const LONGEST_HIGHLIGHTED_LINE: usize = 2_000;

/// A highlighted block, or the knowledge that its language is unknown, or that one of its
/// lines is too long to highlight (its index, from 0): both of those come as plain code.
#[derive(Clone)]
pub enum Highlighted {
    Html(Arc<str>),
    UnknownLanguage(Arc<str>),
    LongLine(Arc<str>, usize),
}

impl Highlighter {
    /// The HTML of a fenced block: `<pre class="code" data-lang="..."><code>...</code></pre>`.
    /// An unknown language gives the same markup, unhighlighted, marked as such.
    pub fn highlight(&self, lang: &str, code: &str) -> Highlighted {
        let key = (lang.to_owned(), code.to_owned());
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let result = highlight_uncached(lang, code);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, result.clone());
        }
        result
    }
}

fn highlight_uncached(lang: &str, code: &str) -> Highlighted {
    let mut attr_lang = String::new();
    pulldown_cmark_escape::escape_html(&mut attr_lang, lang).ok();
    let open = if lang.is_empty() {
        "<pre class=\"code\"><code>".to_owned()
    } else {
        format!("<pre class=\"code\" data-lang=\"{attr_lang}\"><code>")
    };
    let syntax = (!PLAIN.contains(&lang.to_ascii_lowercase().as_str()))
        .then(|| SYNTAXES.find_syntax_by_token(alias(lang)))
        .flatten();
    let long_line = syntax.and_then(|_| {
        code.lines().position(|line| {
            line.len() > LONGEST_HIGHLIGHTED_LINE && line.chars().count() > LONGEST_HIGHLIGHTED_LINE
        })
    });
    if let (Some(syntax), None) = (syntax, long_line) {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
        let complete = LinesWithEndings::from(code).all(|line| {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .is_ok()
        });
        if complete {
            let html = format!("{open}{}</code></pre>\n", generator.finalize());
            return Highlighted::Html(html.into());
        }
    }
    let mut html = open;
    escape_html_body_text(&mut html, code).ok();
    html.push_str("</code></pre>\n");
    if let Some(line) = long_line {
        Highlighted::LongLine(html.into(), line)
    } else if syntax.is_none() && !PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
        Highlighted::UnknownLanguage(html.into())
    } else {
        Highlighted::Html(html.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(lang: &str, code: &str) -> (bool, String) {
        match Highlighter::default().highlight(lang, code) {
            Highlighted::Html(h) => (true, h.to_string()),
            Highlighted::UnknownLanguage(h) | Highlighted::LongLine(h, _) => (false, h.to_string()),
        }
    }

    #[test]
    fn guide_languages_are_known() {
        for lang in [
            "toml", "yaml", "json", "sh", "bash", "rust", "html", "css", "js",
        ] {
            let (known, out) = html(lang, "x = 1\n");
            assert!(known, "{lang} should be known");
            assert!(out.contains("class=\"hl-"), "{lang}: {out}");
        }
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let (known, out) = html("klingon", "<b>&</b>\n");
        assert!(!known);
        assert_eq!(
            out,
            "<pre class=\"code\" data-lang=\"klingon\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn a_line_too_long_to_highlight_leaves_the_block_plain() {
        let long = format!("my $x = '{}';", "a".repeat(100_000));
        let code = format!("print 1;\n{long}\n");
        match Highlighter::default().highlight("perl", &code) {
            Highlighted::LongLine(html, line) => {
                assert_eq!(line, 1);
                assert!(!html.contains("hl-"), "plain");
                assert!(html.contains(&long));
            }
            _ => panic!("a 100,000-character line is highlighted"),
        }
        let at_limit = "a".repeat(LONGEST_HIGHLIGHTED_LINE);
        assert!(
            html("perl", &at_limit).0,
            "a line at the limit is highlighted"
        );
    }

    #[test]
    fn stylesheet_has_light_and_dark() {
        let css = stylesheet("Coldark-Cold", "Coldark-Dark");
        assert!(css.contains(".hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }
}
