//! The theme: tera templates and static files, from `themes/<name>/` with the site's own
//! `templates/` and `static/` overriding them file by file; template functions; and turning
//! tera's errors into diagnostics that name the template file and line.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Tera, Value};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Source, suggest};

pub mod deps;
mod depth;
pub mod i18n;
mod recursion;

/// Templates every theme must have.
pub const REQUIRED: [&str; 4] = ["index.html", "section.html", "page.html", "404.html"];

/// Templates plumb supplies when the theme does not.
const BUILT_IN: [(&str, &str); 1] = [("checklist.html", include_str!("assets/checklist.html"))];

/// A theme ready to render: parsed templates and the static files to publish.
pub struct Theme {
    pub tera: Tera,
    /// Template name -> its file, for error messages.
    files: HashMap<String, Source>,
    /// Path below `static/` -> file on disk; the site's files have replaced the theme's.
    pub static_files: BTreeMap<String, PathBuf>,
    /// How deep macro calls nest on each rendering thread.
    macro_depth: depth::MacroDepth,
    /// The theme's words in each language of the site, for `t()`.
    pub words: Arc<i18n::Words>,
}

impl Theme {
    /// Loads the theme `config.theme` with the site's overrides.
    pub fn load(config: &Config) -> Result<Self, Diagnostics> {
        let themes = config.root.join("themes");
        let dir = themes.join(&config.theme);
        if !dir.is_dir() {
            let known = folder_names(&themes);
            let hint = match suggest(&config.theme, known.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None if known.is_empty() => {
                    "create `themes/<name>/templates/` or set `theme` in site.toml".to_owned()
                }
                None => format!("known themes: {}", known.join(", ")),
            };
            return Err(Diagnostic::error(format!(
                "there is no theme `{}` in `themes/`",
                config.theme
            ))
            .at(&config.site_toml, config.theme_span.clone())
            .with_hint(hint)
            .into());
        }
        let mut diagnostics = Diagnostics::default();
        let mut files: BTreeMap<String, Source> = BTreeMap::new();
        for (folder, shown) in [
            (
                dir.join("templates"),
                PathBuf::from("themes")
                    .join(&config.theme)
                    .join("templates"),
            ),
            (config.root.join("templates"), PathBuf::from("templates")),
        ] {
            for (name, path) in files_under(&folder, &shown, &mut diagnostics) {
                match crate::content::read_text(&path, &shown.join(&name)) {
                    Ok(text) => {
                        files.insert(
                            name,
                            Source::new(
                                shown.join(path.strip_prefix(&folder).unwrap_or(&path)),
                                text,
                            ),
                        );
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        for name in REQUIRED {
            if !files.contains_key(name) {
                diagnostics.push(
                    Diagnostic::error(format!("the theme has no template `{name}`"))
                        .in_file(
                            &PathBuf::from("themes")
                                .join(&config.theme)
                                .join("templates"),
                        )
                        .with_hint(format!(
                            "add `themes/{}/templates/{name}`, or `templates/{name}` to the site",
                            config.theme
                        )),
                );
            }
        }
        let mut static_files = BTreeMap::new();
        for (folder, shown) in [
            (
                dir.join("static"),
                PathBuf::from("themes").join(&config.theme).join("static"),
            ),
            (config.root.join("static"), PathBuf::from("static")),
        ] {
            static_files.extend(files_under(&folder, &shown, &mut diagnostics));
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        for (name, text) in BUILT_IN {
            files
                .entry(name.to_owned())
                .or_insert_with(|| Source::new(format!("(built-in) {name}"), text));
        }

        let mismatched: Vec<Diagnostic> = files.values().filter_map(check_block_names).collect();
        if !mismatched.is_empty() {
            return Err(mismatched.into_iter().collect());
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let templates = files
            .iter()
            .map(|(name, source)| (name.as_str(), &*source.text));
        let added = tera.add_raw_templates(templates);
        let files: HashMap<String, Source> = files.into_iter().collect();
        if let Err(err) = added {
            return Err(template_error(&err, &files, None).into());
        }
        let endless = recursion::check(&tera, &files);
        if !endless.is_empty() {
            return Err(endless.into_iter().collect());
        }
        let macro_depth = depth::MacroDepth::default();
        macro_depth.install(&mut tera);
        let words = Arc::new(i18n::Words::load(
            config,
            &dir,
            &PathBuf::from("themes").join(&config.theme),
        )?);
        tera.register_function("t", Arc::clone(&words).function());

        Ok(Self {
            words,
            tera,
            files,
            static_files,
            macro_depth,
        })
    }

    /// Registers the functions templates call: `asset(path=...)` and `url(path=...)`, and
    /// tera's `range` with a bound ([`LONGEST_RANGE`] numbers at most).
    pub fn register_functions(&mut self, assets: Arc<HashMap<String, String>>) {
        self.tera.register_function("range", range);
        self.tera
            .register_function("asset", move |args: &HashMap<String, Value>| {
                let path = string_arg(args, "asset")?;
                assets
                    .get(path.trim_start_matches('/'))
                    .map(|url| Value::String(url.clone()))
                    .ok_or_else(|| {
                        let mut known: Vec<&str> = assets.keys().map(String::as_str).collect();
                        known.sort_unstable();
                        tera::Error::msg(format!(
                            "asset(path=\"{path}\"): no such CSS or JS file; known assets: {}",
                            known.join(", ")
                        ))
                    })
            });
        self.tera
            .register_function("url", |args: &HashMap<String, Value>| {
                let path = string_arg(args, "url")?;
                let path = path.trim_matches('/');
                Ok(Value::String(if path.is_empty() {
                    "/".to_owned()
                } else {
                    format!("/{path}/")
                }))
            });
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders `template`, turning a failure into a diagnostic about the template.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.macro_depth.reset();
        self.tera
            .render(template, context)
            .map_err(|err| template_error(&err, &self.files, Some(template)))
    }
}

/// The theme's (and the site's) `templates/shortcodes/*.html`, called from markdown.
impl crate::markdown::Shortcodes for Theme {
    fn names(&self) -> Vec<&str> {
        self.files
            .keys()
            .filter_map(|name| name.strip_prefix(SHORTCODES)?.strip_suffix(".html"))
            .filter(|name| !name.contains('/'))
            .collect()
    }

    fn render(&self, name: &str, args: &serde_json::Map<String, Value>) -> Result<String, String> {
        let context = tera::Context::from_value(Value::Object(args.clone()))
            .map_err(|err| err.to_string())?;
        self.tera
            .render(&format!("{SHORTCODES}{name}.html"), &context)
            .map_err(|err| {
                let mut message = err.to_string();
                let mut source = err.source();
                while let Some(cause) = source {
                    message = cause.to_string();
                    source = cause.source();
                }
                message
            })
    }
}

/// Where shortcode templates live below `templates/`.
const SHORTCODES: &str = "shortcodes/";

/// Escapes text for HTML bodies and quoted attributes. Unlike tera's default it leaves `/` alone,
/// so URLs printed by templates stay URLs (and root-relative ones can be made relative).
pub fn escape_html(text: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // Most values have nothing to escape, and tera escapes every string it evaluates (even in
    // conditions): copy those in one go.
    let Some(first) = text.as_bytes().iter().position(special) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The longest list `range(...)` makes: tera's own would build `range(end=100000000)` whole
/// and loop over it for minutes.
pub const LONGEST_RANGE: u64 = 100_000;

/// tera's `range(start=0, end, step_by=1)`, refusing a list longer than [`LONGEST_RANGE`].
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |name: &str, default: Option<u64>| match args.get(name) {
        Some(value) => value.as_u64().ok_or_else(|| {
            tera::Error::msg(format!(
                "range() needs `{name}` to be a whole number of 0 or more, not {value}"
            ))
        }),
        None => default.ok_or_else(|| tera::Error::msg("range() needs an `end` argument")),
    };
    let (start, end, step) = (
        number("start", Some(0))?,
        number("end", None)?,
        number("step_by", Some(1))?,
    );
    if step == 0 || start > end {
        return Err(tera::Error::msg(
            "range() needs `start` at most `end`, and a `step_by` above 0",
        ));
    }
    let count = (end - start).div_ceil(step);
    if count > LONGEST_RANGE {
        return Err(tera::Error::msg(format!(
            "`range` would make {count} numbers, more than plumb allows ({LONGEST_RANGE}): a page never needs that many"
        )));
    }
    Ok(Value::Array(
        (start..end)
            .step_by(step as usize)
            .map(Value::from)
            .collect(),
    ))
}

fn string_arg(args: &HashMap<String, Value>, function: &str) -> tera::Result<String> {
    match args.get("path") {
        Some(Value::String(path)) => Ok(path.clone()),
        _ => Err(tera::Error::msg(format!(
            "{function}() needs a string argument `path`"
        ))),
    }
}

/// Every file below `folder`, keyed by its path below it with `/` separators. A name that is
/// not UTF-8 is an error (at `shown`, the folder as the author knows it), not a lossy key.
fn files_under(
    folder: &Path,
    shown: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
    {
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let Some(text) = relative.to_str() else {
            diagnostics.push(crate::content::not_utf8_name(&shown.join(relative)));
            continue;
        };
        let name = text.replace(std::path::MAIN_SEPARATOR, "/");
        files.push((name, entry.into_path()));
    }
    files
}

fn folder_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A tera error -> a diagnostic pointing into the template's file, at the line tera names.
fn template_error(
    err: &tera::Error,
    files: &HashMap<String, Source>,
    rendering: Option<&str>,
) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    let full = chain.join("\n");
    let name = quoted_name(&chain[0])
        .filter(|n| files.contains_key(*n))
        .or(rendering)
        .unwrap_or_default();
    let detail = chain.last().map(String::as_str).unwrap_or_default();
    let (message, span) = match line_col(&full) {
        Some((line, col)) => {
            let summary = full
                .lines()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("syntax error");
            (
                format!("template syntax error: {summary}"),
                Some((line, col)),
            )
        }
        None => (format!("template error: {}", detail.trim()), None),
    };
    let diagnostic = Diagnostic::error(message);
    let hint = match span {
        Some(_) => "fix the template at the marked place; templates use tera syntax (like Jinja2)",
        None => "check that the variable, function or filter exists where the template uses it",
    };
    match (files.get(name), span) {
        (Some(file), Some((line, col))) => diagnostic
            .at(file, offset_of(&file.text, line, col))
            .with_hint(hint),
        // tera does not say where a render error happened: point at the first use of the
        // variable or function it names, or else at the template as a whole.
        (Some(file), None) => {
            let span =
                named_in(detail).and_then(|name| file.text.find(name).map(|i| i..i + name.len()));
            match span {
                Some(span) => diagnostic.at(file, span).with_hint(hint),
                None => diagnostic.in_file(&file.path).with_hint(hint),
            }
        }
        (None, _) => diagnostic.with_hint(hint),
    }
}

/// tera accepts `{% endblock other %}` as the end of any block; a name there that is not the
/// block's own is a typo that hides which block ends where.
fn check_block_names(source: &Source) -> Option<Diagnostic> {
    let text = &*source.text;
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find(['{']) {
        let start = at + found;
        let rest = &text[start..];
        let close = if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{#") {
            "#}"
        } else {
            at = start + 1;
            continue;
        };
        let length = rest.find(close)?;
        let end = start + length + close.len();
        at = end;
        if close == "#}" {
            continue;
        }
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let mut words = inner.split_whitespace();
        match words.next() {
            Some("raw") => at = end + text[end..].find("endraw")?,
            Some("block") => open.push(words.next().unwrap_or("")),
            Some("endblock") => {
                let opened = open.pop().unwrap_or("");
                if let Some(name) = words.next()
                    && name != opened
                {
                    return Some(
                        Diagnostic::error(format!(
                            "`{{% endblock {name} %}}` closes the block `{opened}`"
                        ))
                        .at(source, start..end)
                        .with_hint(format!("write `{{% endblock {opened} %}}`")),
                    );
                }
            }
            _ => {}
        }
    }
    None
}

/// The first name between backticks in tera's message (`Variable `page.x` not found...`).
fn named_in(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    (end > start).then(|| &message[start..end])
}

fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let end = message[start..].find('\'')? + start;
    Some(&message[start..end])
}

/// Reads tera's (pest's) ` --> line:col` marker.
fn line_col(text: &str) -> Option<(usize, usize)> {
    let after = &text[text.find("--> ")? + 4..];
    let end = after
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(after.len());
    let (line, col) = after[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

fn offset_of(text: &str, line: usize, col: usize) -> std::ops::Range<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_text = text[start..].lines().next().unwrap_or("");
    let col_offset: usize = line_text
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let offset = start + col_offset;
    offset..(offset + 1).min(start + line_text.len()).max(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(name: &str, text: &str) -> HashMap<String, Source> {
        [(
            name.to_owned(),
            Source::new(format!("themes/t/templates/{name}"), text),
        )]
        .into()
    }

    #[test]
    fn range_counts_as_teras_but_refuses_a_huge_list() {
        let call = |args: &[(&str, u64)]| {
            let args: HashMap<String, Value> = args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
                .collect();
            range(&args).map_err(|e| e.to_string())
        };
        assert_eq!(call(&[("end", 3)]), Ok(serde_json::json!([0, 1, 2])));
        assert_eq!(
            call(&[("start", 2), ("end", 10), ("step_by", 3)]),
            Ok(serde_json::json!([2, 5, 8]))
        );
        assert!(call(&[("end", LONGEST_RANGE)]).is_ok());
        let err = call(&[("end", 100_000_000)]).unwrap_err();
        assert!(err.contains("more than plumb allows"), "{err}");
    }

    #[test]
    fn escaping_covers_markup_and_both_quotes_but_not_slashes() {
        assert_eq!(
            escape_html(r#"<a href='x' title="y">&</a>"#),
            "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_html("/a/b/"), "/a/b/");
    }

    fn check_blocks(text: &str) -> Option<String> {
        check_block_names(&Source::new("themes/t/templates/page.html", text)).map(|d| d.to_string())
    }

    #[test]
    fn an_endblock_naming_another_block_is_an_error() {
        assert_eq!(
            check_blocks("{% block main %}\n<p>{% block inner %}x{% endblock inner %}</p>\n{% endblock mian %}\n").as_deref(),
            Some("themes/t/templates/page.html:3:1: error: `{% endblock mian %}` closes the block `main` (hint: write `{% endblock main %}`)")
        );
        assert_eq!(
            check_blocks("{% block main %}{#- {% endblock x %} -#}{%- endblock -%}"),
            None
        );
        assert_eq!(
            check_blocks("{% block a %}{% raw %}{% endblock b %}{% endraw %}{% endblock a %}"),
            None
        );
    }

    #[test]
    fn syntax_errors_point_at_the_template_line() {
        let text = "<p>\n{% if %}x{% endif %}\n</p>\n";
        let mut tera = Tera::default();
        let err = tera
            .add_raw_templates(vec![("page.html", text)])
            .unwrap_err();
        let d = template_error(&err, &files("page.html", text), None);
        let shown = d.to_string();
        assert!(
            shown.starts_with("themes/t/templates/page.html:2:"),
            "{shown}"
        );
        assert!(shown.contains("template syntax error"), "{shown}");
    }

    #[test]
    fn render_errors_name_the_template_and_variable() {
        let text = "<p>{{ nothing.here }}</p>";
        let mut tera = Tera::default();
        tera.add_raw_templates(vec![("page.html", text)]).unwrap();
        let err = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let shown = template_error(&err, &files("page.html", text), Some("page.html")).to_string();
        assert!(
            shown.starts_with("themes/t/templates/page.html:1:7: error: template error:"),
            "{shown}"
        );
        assert!(shown.contains("nothing.here"), "{shown}");
    }
}
