//! Sites in more than one language: translations published under `/xx/`, `<html lang>`,
//! `hreflang` both ways, the switcher (which never invents a page), the theme's words in each
//! language, and every bad input located.

mod common;

use common::{Fixture, copy_tree, lines, repo};

/// The `languages` fixture (English and Spanish) in the default theme.
fn languages() -> Fixture {
    let site = Fixture::new("languages");
    copy_tree(
        &repo().join("themes/guide"),
        &site.root.join("themes/guide"),
    );
    site
}

fn built() -> Fixture {
    let site = languages();
    if let Err(errors) = site.build() {
        panic!("{}", lines(&errors));
    }
    site
}

/// The first diagnostic of a build that must fail.
fn first_error(site: &Fixture) -> String {
    let errors = site.build().err().expect("the build fails");
    errors.iter().next().expect("an error").to_string()
}

fn check_error(site: &Fixture, expected: &str) {
    let found = first_error(site);
    assert!(found.starts_with(expected), "{found}");
}

#[test]
fn translations_publish_under_their_language_with_its_lang() {
    let site = built();
    for (page, lang) in [
        ("index.html", "en"),
        ("guide/pay/index.html", "en"),
        ("es/index.html", "es"),
        ("es/guide/index.html", "es"),
        ("es/guide/pay/index.html", "es"),
    ] {
        let html = site.read(page);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{page}: {html}"
        );
    }
    let home = site.read("es/index.html");
    assert!(home.contains("<title>Guía de campo</title>"), "{home}");
}

#[test]
fn alternates_point_both_ways_with_a_default() {
    let site = built();
    for page in ["guide/pay/index.html", "es/guide/pay/index.html"] {
        let html = site.read(page);
        for alternate in [
            r#"<link rel="alternate" hreflang="en" href="https://example.org/guide/pay/">"#,
            r#"<link rel="alternate" hreflang="es" href="https://example.org/es/guide/pay/">"#,
            r#"<link rel="alternate" hreflang="x-default" href="https://example.org/guide/pay/">"#,
        ] {
            assert!(html.contains(alternate), "{page} lacks {alternate}");
        }
    }
}

#[test]
fn the_switcher_links_to_the_same_page_in_the_other_language() {
    let site = built();
    let english = site.read("guide/pay/index.html");
    assert!(
        english.contains(r#"<a href="../../es/guide/pay/" hreflang="es" lang="es">Español</a>"#),
        "{english}"
    );
    let spanish = site.read("es/guide/pay/index.html");
    assert!(
        spanish.contains(r#"<a href="../../../guide/pay/" hreflang="en" lang="en">English</a>"#),
        "{spanish}"
    );
    assert!(spanish.contains(r#"aria-label="Idiomas""#), "{spanish}");
}

#[test]
fn a_page_without_a_translation_is_not_invented() {
    let site = built();
    assert!(!site.output().join("es/guide/hours").exists());
    let hours = site.read("guide/hours/index.html");
    assert!(
        hours.contains(r#"<a href="../../es/" hreflang="es" lang="es">Español</a> <span class="language-missing">(this page is not translated yet: home page)</span>"#),
        "{hours}"
    );
    assert!(!hours.contains(r#"hreflang="es" href="#), "{hours}");
}

#[test]
fn spanish_pages_link_to_spanish_pages_and_list_only_them() {
    let site = built();
    let home = site.read("es/index.html");
    assert!(
        home.contains(r#"<a href="guide/pay/">el pago</a>"#),
        "{home}"
    );
    let pay = site.read("es/guide/pay/index.html");
    assert!(pay.contains(r#"<a href="../">la guía</a>"#), "{pay}");
    assert!(pay.contains(r#"<a href="../../">inicio</a>"#), "{pay}");
    let nav = &pay[pay
        .find("<nav class=\"guide-nav\"")
        .expect("the guide's navigation")..];
    assert!(nav.contains("La guía") && !nav.contains("Hours"), "{nav}");
    assert!(
        pay.contains(r#"<a class="site-title" href="../../">"#),
        "{pay}"
    );
}

/// Every value of the English words (the theme's and the checklist's), in pieces between
/// `{placeholders}`.
fn english_words() -> Vec<String> {
    let mut words = Vec::new();
    let mut stack = Vec::new();
    for file in ["themes/guide/i18n/en.toml", "src/assets/i18n/en.toml"] {
        let text = std::fs::read_to_string(repo().join(file)).expect(file);
        let table: toml::Table = toml::from_str(&text).expect(file);
        stack.push((String::new(), table));
    }
    while let Some((prefix, table)) = stack.pop() {
        for (key, value) in table {
            let dotted = format!("{prefix}{key}");
            match value {
                toml::Value::Table(inner) => stack.push((format!("{dotted}."), inner)),
                // The switcher names English in English, marked `lang="en"`.
                toml::Value::String(_) if dotted == "language.name" => {}
                toml::Value::String(text) => words.extend(
                    text.split(['{', '}'])
                        .step_by(2)
                        .map(str::trim)
                        // A lowercase word alone (` pages`) could be markup's.
                        .filter(|piece| {
                            piece.len() > 3
                                && (piece.contains(' ')
                                    || piece.starts_with(|c: char| c.is_uppercase()))
                        })
                        .map(str::to_owned),
                ),
                other => panic!("{dotted} is not text: {other}"),
            }
        }
    }
    words
}

/// Asserts that no page under `es` says one of the English interface words.
fn assert_no_english_words(es: &std::path::Path) {
    let words = english_words();
    assert!(words.iter().any(|w| w == "Skip to content"), "{words:?}");
    assert!(words.iter().any(|w| w == "Reset answers"), "{words:?}");
    let spanish = common::tree(es);
    assert!(spanish.len() >= 3, "{spanish:?}");
    for (path, bytes) in spanish {
        // The Spanish search index holds the pages' own text and calls `plumbSearch`: no
        // interface word, though that name contains one.
        if plumb::search::shards::is_index_file(&format!("es/{path}")) {
            continue;
        }
        let Ok(html) = String::from_utf8(bytes) else {
            continue;
        };
        for word in &words {
            assert!(!html.contains(word.as_str()), "es/{path} says `{word}`");
        }
    }
}

#[test]
fn no_english_interface_words_on_spanish_pages() {
    assert_no_english_words(&built().output().join("es"));
}

/// The shipped guide, built into a temporary folder.
fn shipped_guide() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let options = plumb::BuildOptions {
        root: repo().to_path_buf(),
        output_dir: Some(out.path().join("public")),
        ..plumb::BuildOptions::default()
    };
    if let Err(errors) = plumb::build(&options) {
        panic!("{}", lines(&errors));
    }
    out
}

#[test]
fn the_spanish_guide_shows_no_english_interface_words() {
    assert_no_english_words(&shipped_guide().path().join("public/es"));
}

#[test]
fn every_page_of_the_guide_has_a_spanish_page() {
    let mut originals = 0;
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let path = entry.expect("content").into_path();
        let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
            continue;
        };
        let stem = stem.to_string_lossy();
        if !matches!(ext.to_str(), Some("md" | "toml")) || stem.contains('.') {
            continue;
        }
        originals += 1;
        let spanish = path.with_file_name(format!("{stem}.es.{}", ext.to_string_lossy()));
        assert!(
            spanish.is_file(),
            "{} has no {}",
            path.display(),
            spanish.display()
        );
    }
    assert!(originals >= 16, "{originals} pages");
}

#[test]
fn an_unknown_language_code_in_site_toml_is_located() {
    let site = languages();
    let toml = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &toml.replace("[languages.es]", "[languages.spanish]"),
    );
    check_error(
        &site,
        "site.toml:7:12: error: `spanish` is not a language code",
    );
}

#[test]
fn a_translation_into_a_language_the_site_lacks_is_located() {
    let site = languages();
    site.write("content/guide/pay.fr.md", "+++\ntitle = 'Paie'\n+++\n");
    check_error(
        &site,
        "content/guide/pay.fr.md:1:1: error: `fr` is not a language of the site (its other languages are `es`)",
    );
}

#[test]
fn a_translation_in_the_default_language_is_located() {
    let site = languages();
    site.write("content/guide/pay.en.md", "+++\ntitle = 'Pay'\n+++\n");
    check_error(
        &site,
        "content/guide/pay.en.md:1:1: error: `en` is the site's default language",
    );
}

#[test]
fn a_translation_without_its_original_is_located() {
    let site = languages();
    site.write("content/guide/tips.es.md", "+++\ntitle = 'Propinas'\n+++\n");
    check_error(
        &site,
        "content/guide/tips.es.md:1:1: error: `content/guide/tips.es.md` translates `content/guide/tips.md`, which does not exist",
    );
}

#[test]
fn a_word_missing_from_a_language_names_its_file_and_key() {
    let site = languages();
    let path = site.root.join("themes/guide/i18n/es.toml");
    let words = std::fs::read_to_string(&path).expect("es.toml");
    let without = words.replace("skip = \"Ir al contenido\"\n", "");
    assert_ne!(words, without);
    site.write("themes/guide/i18n/es.toml", &without);
    let found = first_error(&site);
    assert!(
        found.contains("error: `themes/guide/i18n/es.toml` has no key `nav.skip`"),
        "{found}"
    );
}

#[test]
fn a_theme_without_a_language_file_names_the_file() {
    let site = languages();
    std::fs::remove_file(site.root.join("themes/guide/i18n/es.toml")).expect("remove");
    check_error(
        &site,
        "themes/guide/i18n/es.toml: error: the theme has no words for the language `es`",
    );
}

#[test]
fn a_translated_checklist_keeps_the_original_id_and_links_to_its_language() {
    let site = built();
    let spanish = site.read("es/checklists/demo/index.html");
    assert!(spanish.contains(r#"data-checklist="demo""#), "{spanish}");
    assert!(spanish.contains(">Lista de prueba</h2>"), "{spanish}");
    assert!(spanish.contains(r#"<span class="checklist-label">Las acordamos</span>"#));
    assert!(
        spanish.contains(
            r#"data-link="../guide/article.md" href="../../guide/article/">Artículo</a>"#
        ),
        "{spanish}"
    );
    let english = site.read("checklists/demo/index.html");
    assert!(english.contains(r#"data-checklist="demo""#));
    assert!(english.contains(">Demo checklist</h2>"));
    let home = site.read("es/index.html");
    assert!(
        home.contains(r#"<a class="button button-cta" href="checklists/demo/">"#),
        "{home}"
    );
}

/// The Spanish demo checklist with `from` replaced by `to` (which must be there).
fn with_translation_edit(from: &str, to: &str) -> Fixture {
    let site = languages();
    let path = "content/checklists/demo.es.toml";
    let text = std::fs::read_to_string(site.root.join(path)).expect("translation");
    assert!(text.contains(from), "{from}");
    site.write(path, &text.replacen(from, to, 1));
    site
}

#[test]
fn an_unknown_id_in_a_translation_lists_the_originals() {
    check_error(
        &with_translation_edit("[questions.refuse]", "[questions.refuze]"),
        "content/checklists/demo.es.toml:33:12: error: unknown id `refuze` in `[questions]`: the original has no such id (hint: did you mean `refuse`? the original's ids here: `hours`, `refuse`, `costs`, `apps`, `switch`, `penalty`)",
    );
    let site = with_translation_edit("both = \"Las acordamos\"", "bth = \"Las acordamos\"");
    let errors = lines(&site.build().err().expect("the build fails"));
    assert!(
        errors.contains("content/checklists/demo.es.toml:29:1: error: unknown id `bth` in `[questions.hours.options]`"),
        "{errors}"
    );
}

#[test]
fn an_untranslated_text_is_an_error_or_a_draft_warning() {
    let site = with_translation_edit("summary = \"Algunas decisiones son suyas.\"\n", "");
    check_error(
        &site,
        "content/checklists/demo.es.toml:76:1: error: `bands.partly.summary` is not translated",
    );
    let drafts = plumb::BuildOptions {
        drafts: true,
        ..site.options()
    };
    let summary = plumb::build(&drafts).expect("builds with --drafts");
    let warnings = lines(&summary.warnings);
    assert!(
        warnings.contains("warning: `bands.partly.summary` is not translated"),
        "{warnings}"
    );
}

#[test]
fn a_list_of_another_length_is_an_error() {
    check_error(
        &with_translation_edit(
            "next_steps = [\"Guarde registros.\", \"Haga preguntas.\"]",
            "next_steps = [\"Guarde registros.\"]",
        ),
        "content/checklists/demo.es.toml:74:14: error: `bands.label.next_steps` has 1 texts, the original 2",
    );
}

#[test]
fn the_sitemap_lists_every_version_and_each_language_has_its_feed() {
    let site = built();
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(r#"<url><loc>https://example.org/es/guide/pay/</loc><xhtml:link rel="alternate" hreflang="en" href="https://example.org/guide/pay/"/><xhtml:link rel="alternate" hreflang="es" href="https://example.org/es/guide/pay/"/><xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/guide/pay/"/></url>"#),
        "{sitemap}"
    );
    assert!(
        sitemap.contains(r#"<url><loc>https://example.org/guide/hours/</loc><xhtml:link rel="alternate" hreflang="en" href="https://example.org/guide/hours/"/><xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/guide/hours/"/></url>"#),
        "{sitemap}"
    );
    let spanish = site.read("es/atom.xml");
    assert!(spanish.contains(r#"xml:lang="es""#), "{spanish}");
    assert!(
        spanish.contains("<title>Guía de campo</title>"),
        "{spanish}"
    );
    let english = site.read("atom.xml");
    assert!(english.contains("<title>Field guide</title>"), "{english}");
    let worker = site.read("sw.js");
    let line = |start: &str| {
        worker
            .lines()
            .find(|line| line.starts_with(start))
            .unwrap_or_else(|| panic!("{start} in sw.js"))
            .to_owned()
    };
    assert!(!line("const FILES").contains("es/atom.xml"), "{worker}");
    assert!(
        line("const UNSAVED").contains("\"es/atom.xml\""),
        "{worker}"
    );
}
