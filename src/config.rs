//! `site.toml` -> a checked [`Config`].
//!
//! The file is read once into [`SiteToml`] (exactly what the author wrote, unknown keys
//! rejected), then resolved with the command line's options into [`Config`], the only form the
//! rest of the pipeline sees: a normalised base URL, absolute paths, chosen highlight themes.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Source};
use crate::markdown::highlight;
use crate::toml_input;

pub mod languages;
pub use languages::Language;

/// `site.toml` as the author writes it. Unknown keys are found before it is read
/// (`toml_input::check_keys`): all of them at once, in file order, with [`FOREIGN_KEYS`] as
/// warnings.
#[derive(Debug, Deserialize)]
pub struct SiteToml {
    /// The site's name, shown in page titles and the header.
    pub title: String,
    /// One sentence about the site, for search engines, sharing and the feed.
    #[serde(default)]
    pub description: String,
    /// Where the site is published, e.g. `https://example.org/guide/`.
    pub base_url: Spanned<String>,
    /// The language of the content, as a BCP 47 tag (`en`, `en-US`).
    #[serde(default = "default_language")]
    pub language: String,
    /// The folder under `themes/` whose templates and static files the site wears.
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    /// How markdown is turned into HTML.
    #[serde(default)]
    pub markdown: MarkdownToml,
    /// Write links as `.../index.html`, so a copy of the output works opened from the file system.
    #[serde(default)]
    pub portable: bool,
    /// Fail the build on warnings too.
    #[serde(default)]
    pub strict: bool,
    /// Offline use: `false` for none, or an `[offline]` table saying what readers' devices save.
    #[serde(default)]
    pub offline: OfflineSetting,
    /// What a page that loads a file from another host is: `error`, `warning` or `allow`.
    #[serde(default)]
    pub external_resources: ExternalResources,
    /// The web app manifest's settings.
    #[serde(default)]
    pub manifest: ManifestToml,
    /// Site search: what is indexed and the words of the search field.
    #[serde(default)]
    pub search: SearchToml,
    /// Where a page's source can be edited: the page's path below `content/` is appended
    /// (`https://github.com/me/guide/edit/main/content/`). The theme then offers
    /// "Suggest a change".
    pub edit_url: Option<String>,
    /// The other languages the site is published in, by code: `[languages.es]`.
    #[serde(default)]
    pub languages: std::collections::BTreeMap<String, languages::LanguageToml>,
    /// Anything else, passed to templates as `site.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// How a page that loads a file from another host is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExternalResources {
    /// The build fails.
    #[default]
    Error,
    /// The build warns.
    Warning,
    /// Nothing is said.
    Allow,
}

/// The `[manifest]` table of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ManifestToml {
    /// A short name for home screens; the title when unset.
    pub short_name: Option<String>,
    /// The colour of the browser's toolbar for the installed site.
    pub theme_color: String,
    /// The colour behind the icon while the site starts.
    pub background_color: String,
    /// The icon: a file of `static/`, relative to the site's root.
    pub icon: String,
}

impl Default for ManifestToml {
    fn default() -> Self {
        Self {
            short_name: None,
            theme_color: "#ffffff".to_owned(),
            background_color: "#ffffff".to_owned(),
            icon: "icon.svg".to_owned(),
        }
    }
}

fn yes() -> bool {
    true
}

/// The `[search]` table of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchToml {
    /// Write a search index and offer a search field in the header.
    pub enabled: bool,
    /// Search the text of code blocks too (inline code always is).
    pub include_code: bool,
    /// How many results are shown at most, from 1 to 50.
    pub results: Spanned<i64>,
}

impl Default for SearchToml {
    fn default() -> Self {
        Self {
            enabled: true,
            include_code: false,
            results: Spanned::new(0..0, 8),
        }
    }
}

/// What search indexes and says, checked.
#[derive(Debug, Clone)]
pub struct Search {
    pub enabled: bool,
    pub include_code: bool,
    pub results: usize,
}

/// The most results a search may show (`results` in `[search]`).
const MOST_RESULTS: i64 = 50;

impl Search {
    /// Checks the `[search]` table: `results` within 1..=50.
    fn resolve(raw: SearchToml, source: &Source, diagnostics: &mut Diagnostics) -> Self {
        let results = *raw.results.get_ref();
        if !(1..=MOST_RESULTS).contains(&results) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`results` is {results}: search shows 1 to {MOST_RESULTS} results"
                ))
                .at(source, raw.results.span())
                .with_hint("write a number from 1 to 50, such as `results = 8`"),
            );
        }
        Self {
            enabled: raw.enabled,
            include_code: raw.include_code,
            results: results.clamp(1, MOST_RESULTS) as usize,
        }
    }
}

/// `offline = false`, or the `[offline]` table of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OfflineToml {
    /// Write a web app manifest and a service worker that saves the site on readers' devices.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Glob patterns of output paths never saved for offline use (`screenshots/**`,
    /// `authors/index.html`); matched against the file's path below the output folder.
    pub exclude: Vec<Spanned<String>>,
    /// How many bytes are saved ahead, before the reader opens a page (`"5 MB"`). Past it, pages
    /// are saved as the reader visits them.
    pub budget: Spanned<String>,
    /// Compressed copies written beside every text file, for hosts that serve them
    /// (nginx `gzip_static`): `"gzip"` (`.gz`), `"brotli"` (`.br`).
    pub precompress: Vec<Spanned<Compression>>,
    /// The status while saving; `{saved}` and `{total}` are numbers of pages.
    pub saving: String,
    /// The status once everything saved ahead is on the device.
    pub ready: String,
    /// The status when saving stopped before the end (it resumes on the next visit).
    pub paused: String,
    /// One sentence for the footer saying what is saved on the reader's device.
    pub note: String,
    /// The offer shown when a new version of the site has installed.
    pub update: String,
    /// The offer's button.
    pub reload: String,
}

impl Default for OfflineToml {
    fn default() -> Self {
        Self {
            enabled: true,
            exclude: Vec::new(),
            budget: Spanned::new(0..0, DEFAULT_BUDGET.to_owned()),
            precompress: Vec::new(),
            saving: "Saving for offline: {saved} of {total} pages".to_owned(),
            ready: "Ready to use offline".to_owned(),
            paused: "Saving for offline paused: it goes on at your next visit".to_owned(),
            note: "Once opened, this guide is saved on your device so that it and the checklist work without a connection. Your answers never leave your device.".to_owned(),
            update: "A new version of this site is ready.".to_owned(),
            reload: "Reload".to_owned(),
        }
    }
}

/// `offline = true` and `offline = false` stand for the default table, switched on or off.
impl<'de> Deserialize<'de> for OfflineSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OfflineSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`true`, `false` or an `[offline]` table")
            }
            fn visit_bool<E: serde::de::Error>(self, enabled: bool) -> Result<Self::Value, E> {
                Ok(OfflineSetting(OfflineToml {
                    enabled,
                    ..OfflineToml::default()
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                OfflineToml::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(OfflineSetting)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The `offline` key as written: a switch or a table.
#[derive(Debug, Clone, Default)]
pub struct OfflineSetting(pub OfflineToml);

/// The budget when `site.toml` names none: a guide's text, styles and a few pictures fit well
/// below it; a site of screenshots or thousands of pages does not, and is saved as read.
pub const DEFAULT_BUDGET: &str = "5 MB";

/// A compressed copy's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// `.gz` beside the file.
    Gzip,
    /// `.br` beside the file.
    Brotli,
}

/// What the build saves for offline use, checked.
#[derive(Debug, Clone)]
pub struct Offline {
    /// Output paths never saved.
    pub exclude: globset::GlobSet,
    /// Bytes saved ahead at most.
    pub budget: u64,
    /// The budget as the author wrote it, for the summary.
    pub budget_text: String,
    pub precompress: Vec<Compression>,
    pub saving: String,
    pub ready: String,
    pub paused: String,
    pub note: String,
    pub update: String,
    pub reload: String,
}

impl Offline {
    /// Checks the `[offline]` table: every pattern a glob, the budget a size.
    fn resolve(raw: OfflineToml, source: &Source, diagnostics: &mut Diagnostics) -> Self {
        let mut globs = globset::GlobSetBuilder::new();
        for pattern in &raw.exclude {
            match globset::GlobBuilder::new(pattern.get_ref())
                .literal_separator(true)
                .build()
            {
                Ok(glob) => {
                    globs.add(glob);
                }
                Err(err) => diagnostics.push(
                    Diagnostic::error(format!("`{}` is not a glob pattern: {}", pattern.get_ref(), err.kind()))
                        .at(source, pattern.span())
                        .with_hint("write patterns of output paths such as `screenshots/**` or `authors/index.html`; `*` stays within a folder, `**` crosses folders"),
                ),
            }
        }
        let exclude = globs.build().unwrap_or_else(|_| globset::GlobSet::empty());
        let budget = match parse_size(raw.budget.get_ref()) {
            Some(bytes) => bytes,
            None => {
                diagnostics.push(
                    Diagnostic::error(format!("`{}` is not a size", raw.budget.get_ref()))
                        .at(source, raw.budget.span())
                        .with_hint("write a number and a unit, such as \"5 MB\" or \"800 KB\""),
                );
                0
            }
        };
        let mut precompress: Vec<Compression> =
            raw.precompress.iter().map(|c| *c.get_ref()).collect();
        precompress.dedup();
        Self {
            exclude,
            budget,
            budget_text: raw.budget.into_inner(),
            precompress,
            saving: raw.saving,
            ready: raw.ready,
            paused: raw.paused,
            note: raw.note,
            update: raw.update,
            reload: raw.reload,
        }
    }
}

/// `"5 MB"` -> 5 * 1024 * 1024: a number (decimals allowed) and `B`, `KB`, `MB` or `GB`.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "B" | "" => 1,
        "KB" | "K" | "KIB" => 1 << 10,
        "MB" | "M" | "MIB" => 1 << 20,
        "GB" | "G" | "GIB" => 1 << 30,
        _ => return None,
    };
    let bytes = number * scale as f64;
    (bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64).then(|| bytes.round() as u64)
}

/// The `[markdown]` table of `site.toml`.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct MarkdownToml {
    /// Curly quotes, en and em dashes, ellipses.
    pub smart_punctuation: bool,
    /// The code highlighting theme for light mode.
    pub highlight_theme: Spanned<String>,
    /// The code highlighting theme for dark mode (`prefers-color-scheme: dark`).
    pub highlight_theme_dark: Spanned<String>,
}

impl Default for MarkdownToml {
    fn default() -> Self {
        Self {
            smart_punctuation: true,
            highlight_theme: unwritten("Coldark-Cold"),
            highlight_theme_dark: unwritten("Coldark-Dark"),
        }
    }
}

/// A default value: written nowhere in the file, so its span is empty.
fn unwritten(value: &str) -> Spanned<String> {
    Spanned::new(0..0, value.to_owned())
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_theme() -> Spanned<String> {
    unwritten("guide")
}

/// What the command line asks of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (holding `site.toml`).
    pub root: PathBuf,
    /// Where to write the site; `public/` under the root when `None`.
    pub output_dir: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// Publish pages marked `draft = true`.
    pub drafts: bool,
    /// Write `index.html` links (overrides `portable` of `site.toml` when set).
    pub portable: bool,
    /// Fail on warnings too (as does `strict = true` in `site.toml`).
    pub strict: bool,
    /// Replace an output folder even if it holds files plumb did not write.
    pub force: bool,
    /// Build for the dev server: CSS and JS keep their names, no service worker.
    pub preview: bool,
}

/// The checked configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub output_dir: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/guide/`; `/` for a site at the host's root.
    pub base_path: String,
    pub language: String,
    /// Every language of the site, the default (`language`'s primary subtag) first.
    pub languages: Vec<Language>,
    pub theme: String,
    /// Where `theme` is written in `site.toml` (empty when it is not).
    pub theme_span: std::ops::Range<usize>,
    /// `site.toml` as read, for errors found after it was resolved.
    pub site_toml: Source,
    pub smart_punctuation: bool,
    pub highlight_theme: String,
    pub highlight_theme_dark: String,
    pub extra: toml::Table,
    pub drafts: bool,
    /// Links written as `.../index.html` (never in the preview, which the server answers
    /// at pretty URLs).
    pub portable: bool,
    pub strict: bool,
    pub offline: bool,
    /// What is saved for offline use, and the compressed copies written beside text files.
    pub offline_policy: Offline,
    pub search: Search,
    pub external_resources: ExternalResources,
    pub manifest: ManifestToml,
    pub edit_url: Option<String>,
    /// Warnings about `site.toml` (keys of other generators).
    pub warnings: Vec<Diagnostic>,
}

/// `site.toml` keys that Zola or Hugo know and plumb has no use for, with what to do instead.
pub const FOREIGN_KEYS: &[(&str, &str)] = &[
    (
        "compile_sass",
        "plumb publishes `static/` as it is: compile Sass before the build",
    ),
    (
        "build_search_index",
        "plumb builds its search index unless `[search]` says `enabled = false`: remove the key",
    ),
    (
        "generate_feeds",
        "plumb always writes `atom.xml` of the dated pages: remove the key",
    ),
    (
        "generate_feed",
        "plumb always writes `atom.xml` of the dated pages: remove the key",
    ),
    (
        "feed_filenames",
        "the feed is always `atom.xml`: remove the key",
    ),
    (
        "minify_html",
        "pages are written as rendered: remove the key",
    ),
    ("default_language", "write it as `language`"),
    ("languageCode", "write it as `language`"),
    ("baseURL", "write it as `base_url`"),
    (
        "taxonomies",
        "plumb has one taxonomy, tags, always on: remove the key",
    ),
    (
        "ignored_content",
        "files starting with `.` or `#` are ignored; move other files out of `content/`",
    ),
    (
        "output_dir",
        "name the output folder with `plumb build --output-dir`",
    ),
    (
        "author",
        "put it under `[extra]`, where templates read it as `site.extra.author`",
    ),
    (
        "markdown.highlight_code",
        "code is always highlighted: remove the key",
    ),
    (
        "markdown.render_emoji",
        "write emoji as characters: remove the key",
    ),
    (
        "markdown.external_links_target_blank",
        "links open where readers choose: remove the key",
    ),
    (
        "markdown.bottom_footnotes",
        "footnotes are always at the bottom: remove the key",
    ),
];

impl Config {
    /// Reads `site.toml` under `options.root` and resolves it with `options`.
    pub fn load(options: &BuildOptions) -> Result<Self, Diagnostics> {
        let path = options.root.join("site.toml");
        let text = std::fs::read_to_string(&path).map_err(|err| {
            Diagnostic::error(format!("cannot read site.toml: {err}"))
                .in_file(Path::new("site.toml"))
                .with_hint("run plumb in the site's folder, or name it with --root")
        })?;
        let source = Source::new("site.toml", text.as_str());
        let rules = toml_input::KeyRules {
            tables: &[
                ("", toml_input::fields_of::<SiteToml>()),
                ("markdown", toml_input::fields_of::<MarkdownToml>()),
                ("manifest", toml_input::fields_of::<ManifestToml>()),
                ("search", toml_input::fields_of::<SearchToml>()),
            ],
            foreign: FOREIGN_KEYS,
        };
        let found = toml_input::check_keys(&source, &text, 0, &rules);
        if found.iter().any(Diagnostic::is_error) {
            return Err(found.into_iter().collect());
        }
        let raw: SiteToml = toml_input::parse(&source, &text, 0)?;
        let mut config = Self::resolve(raw, options, &source)?;
        config.warnings = found;
        Ok(config)
    }

    fn resolve(
        raw: SiteToml,
        options: &BuildOptions,
        source: &Source,
    ) -> Result<Self, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let base_url_span = raw.base_url.span();
        let base_url = options
            .base_url
            .clone()
            .unwrap_or_else(|| raw.base_url.into_inner());
        let base_path = match base_path_of(&base_url) {
            Some(path) => path,
            None => {
                diagnostics.push(
                    Diagnostic::error(format!("`base_url` is not an http(s) URL: `{base_url}`"))
                        .at(source, base_url_span)
                        .with_hint(
                            "write it as https://example.org/ or https://example.org/guide/",
                        ),
                );
                "/".to_owned()
            }
        };
        for theme in [
            &raw.markdown.highlight_theme,
            &raw.markdown.highlight_theme_dark,
        ] {
            if !highlight::has_theme(theme.get_ref()) {
                diagnostics.push(
                    Diagnostic::error(format!("unknown highlight theme `{theme}`"))
                        .at(source, theme.span())
                        .with_hint(format!(
                            "known themes: {}",
                            highlight::theme_names().join(", ")
                        )),
                );
            }
        }
        let offline = raw.offline.0;
        let enabled = offline.enabled;
        let offline_policy = Offline::resolve(offline, source, &mut diagnostics);
        let default_language = Language {
            code: languages::primary_subtag(&raw.language),
            name: None,
            title: raw.title.clone(),
            description: raw.description.clone(),
        };
        let languages =
            languages::resolve(default_language, raw.languages, source).unwrap_or_else(|errors| {
                diagnostics.extend(errors);
                Vec::new()
            });
        let search = Search::resolve(raw.search, source, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let root = options.root.clone();
        let output_dir = match &options.output_dir {
            Some(dir) if dir.is_absolute() => dir.clone(),
            Some(dir) => std::env::current_dir().unwrap_or_default().join(dir),
            None => root.join("public"),
        };
        Ok(Self {
            root,
            output_dir,
            title: raw.title,
            description: raw.description,
            base_url: with_trailing_slash(&base_url),
            base_path,
            language: raw.language,
            languages,
            theme_span: raw.theme.span(),
            theme: raw.theme.into_inner(),
            site_toml: source.clone(),
            smart_punctuation: raw.markdown.smart_punctuation,
            highlight_theme: raw.markdown.highlight_theme.into_inner(),
            highlight_theme_dark: raw.markdown.highlight_theme_dark.into_inner(),
            extra: raw.extra,
            drafts: options.drafts,
            portable: (options.portable || raw.portable) && !options.preview,
            strict: options.strict || raw.strict,
            offline: enabled && !options.preview,
            offline_policy,
            search,
            external_resources: raw.external_resources,
            manifest: raw.manifest,
            edit_url: raw.edit_url,
            warnings: Vec::new(),
        })
    }

    /// The code of the site's default language (`en` for `language = "en-US"`).
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", |l| l.code.as_str())
    }

    /// The language of this code, if the site has it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The absolute URL of a root-relative site path (`/a/b/` -> `https://host/base/a/b/`).
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

fn with_trailing_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// The path of an http(s) URL, with a trailing slash: `https://h/guide` -> `/guide/`.
fn base_path_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, String> {
        let dir = tempfile_dir(text);
        let options = BuildOptions {
            root: dir.clone(),
            ..BuildOptions::default()
        };
        let loaded = Config::load(&options);
        std::fs::remove_dir_all(&dir).ok();
        loaded.map_err(|ds| {
            ds.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// A fresh folder holding `site.toml` with `text`.
    fn tempfile_dir(text: &str) -> PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "plumb-config-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join("site.toml"), text).ok();
        dir
    }

    #[test]
    fn every_unknown_key_is_reported_at_once_in_file_order() {
        let err = load(
            "title = 't'\nzzz = 1\nbase_url = 'https://e.org/'\naaa = 2\n[markdown]\nsmart_punctuaton = false\n",
        )
        .unwrap_err();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 3, "{err}");
        assert!(
            lines[0].starts_with("site.toml:2:1: error: unknown key `zzz`"),
            "{err}"
        );
        assert!(
            lines[1].starts_with("site.toml:4:1: error: unknown key `aaa`"),
            "{err}"
        );
        assert_eq!(
            lines[2],
            "site.toml:6:1: error: unknown key `smart_punctuaton` (hint: did you mean `smart_punctuation`?)"
        );
    }

    #[test]
    fn zola_keys_are_warnings_that_say_what_to_do() {
        let config = load(
            "title = 't'\nbase_url = 'https://e.org/'\ncompile_sass = true\n[markdown]\nrender_emoji = true\n",
        )
        .unwrap();
        let warnings: Vec<String> = config.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("site.toml:3:1: warning: `compile_sass` has no use in plumb")
        );
        assert!(
            warnings[1]
                .starts_with("site.toml:5:1: warning: `markdown.render_emoji` has no use in plumb")
        );
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let config = load("title = 't'\nbase_url = 'https://example.org/guide'\n").unwrap();
        assert_eq!(config.base_url, "https://example.org/guide/");
        assert_eq!(config.base_path, "/guide/");
        assert_eq!(config.permalink("/a/b/"), "https://example.org/guide/a/b/");
    }

    #[test]
    fn unknown_key_is_an_error_with_suggestion() {
        let err = load("title = 't'\nbase_url = 'https://e.org/'\nthem = 'x'\n").unwrap_err();
        assert_eq!(
            err,
            "site.toml:3:1: error: unknown key `them` (hint: did you mean `theme`?)"
        );
    }

    #[test]
    fn base_url_must_be_http() {
        let err = load("title = 't'\nbase_url = 'example.org'\n").unwrap_err();
        assert!(
            err.starts_with("site.toml:2:12: error: `base_url` is not an http(s) URL"),
            "{err}"
        );
    }

    /// The place comes from the parse: a line of a string that reads like the key is not it.
    #[test]
    fn errors_name_the_key_the_parser_read() {
        let err = load(
            "title = 't'\ndescription = '''\nbase_url = 'https://e.org/'\n'''\nbase_url = 'e.org'\n",
        )
        .unwrap_err();
        assert!(
            err.starts_with("site.toml:5:12: error: `base_url` is not an http(s) URL"),
            "{err}"
        );
    }

    #[test]
    fn unknown_highlight_theme_lists_known_ones() {
        let err = load(
            "title = 't'\nbase_url = 'https://e.org/'\n[markdown]\nhighlight_theme = 'nope'\n",
        )
        .unwrap_err();
        assert!(
            err.contains("site.toml:4:19: error: unknown highlight theme `nope`"),
            "{err}"
        );
        assert!(err.contains("InspiredGitHub"), "{err}");
    }

    #[test]
    fn offline_is_a_switch_or_a_table() {
        let base = "title = 't'\nbase_url = 'https://e.org/'\n";
        assert!(load(base).unwrap().offline);
        assert!(!load(&format!("{base}offline = false\n")).unwrap().offline);
        let config = load(&format!(
            "{base}[offline]\nexclude = ['shots/**']\nbudget = '800 KB'\nprecompress = ['gzip', 'brotli']\n"
        ))
        .unwrap();
        assert!(config.offline);
        let policy = config.offline_policy;
        assert_eq!(policy.budget, 800 * 1024);
        assert!(policy.exclude.is_match("shots/a/b.png"));
        assert!(!policy.exclude.is_match("guide/shots.png"));
        assert_eq!(policy.precompress, [Compression::Gzip, Compression::Brotli]);
        assert_eq!(load(base).unwrap().offline_policy.budget, 5 << 20);
    }

    #[test]
    fn bad_offline_values_are_located() {
        let base = "title = 't'\nbase_url = 'https://e.org/'\n[offline]\n";
        let err = load(&format!("{base}exclude = ['ok/**', 'a/[b']\n")).unwrap_err();
        assert!(
            err.starts_with("site.toml:4:21: error: `a/[b` is not a glob pattern"),
            "{err}"
        );
        let err = load(&format!("{base}budget = '5 parsecs'\n")).unwrap_err();
        assert!(
            err.starts_with("site.toml:4:10: error: `5 parsecs` is not a size"),
            "{err}"
        );
        let err = load(&format!("{base}precompress = ['zip']\n")).unwrap_err();
        assert!(
            err.starts_with("site.toml:4:16: error: unknown variant `zip`"),
            "{err}"
        );
        let err = load(&format!("{base}budgett = '1 MB'\n")).unwrap_err();
        assert!(err.contains("did you mean `budget`?"), "{err}");
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        let base = "title = 't'\nbase_url = 'https://e.org/'\n";
        let config = load(base).unwrap();
        assert!(config.search.enabled && !config.search.include_code);
        assert_eq!(config.search.results, 8);
        let config = load(&format!(
            "{base}[search]\nenabled = false\ninclude_code = true\nresults = 3\n"
        ))
        .unwrap();
        assert!(!config.search.enabled && config.search.include_code);
        assert_eq!(config.search.results, 3);
    }

    #[test]
    fn bad_search_values_are_located() {
        let base = "title = 't'\nbase_url = 'https://e.org/'\n[search]\n";
        let err = load(&format!("{base}results = 0\n")).unwrap_err();
        assert!(
            err.starts_with("site.toml:4:11: error: `results` is 0: search shows 1 to 50 results"),
            "{err}"
        );
        let err = load(&format!("{base}enabled = 'yes'\n")).unwrap_err();
        assert!(
            err.starts_with("site.toml:4:11: error: invalid type"),
            "{err}"
        );
        let err = load(&format!("{base}include_cod = true\n")).unwrap_err();
        assert!(err.contains("did you mean `include_code`?"), "{err}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(parse_size("5 MB"), Some(5 << 20));
        assert_eq!(parse_size("1.5MB"), Some(3 << 19));
        assert_eq!(parse_size("800 kb"), Some(800 << 10));
        assert_eq!(parse_size("1200"), Some(1200));
        assert_eq!(parse_size("MB"), None);
        assert_eq!(parse_size("5 parsecs"), None);
    }
}
