//! Properties that hold for every input, checked on generated ones (proptest): page-relative
//! URLs resolve back to their targets, the finishing pass leaves other HTML alone, front matter
//! titles survive any escaping, and scoring keeps its invariants for any answers. The last tests
//! are inputs the fuzz targets (`fuzz/`) found, kept as regressions.

use std::collections::HashMap;

use plumb::checklist::{self, Answers, Checklist};
use plumb::content::front_matter;
use plumb::diagnostic::Source;
use plumb::finish::{self, Page, Target};
use plumb::output::Contents;
use plumb::urls::{LinkStyle, Rewriter};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// A tiny URL resolver (RFC 3986, section 5.2) for path-only references, as a browser resolves a
// link's `href` against the page's URL.

/// Splits a reference into its path and its `?query#fragment` suffix.
fn split_suffix(reference: &str) -> (&str, &str) {
    reference.split_at(reference.find(['?', '#']).unwrap_or(reference.len()))
}

/// Whether `reference` starts with a scheme (`mailto:`), so a browser would not resolve it
/// against the page at all.
fn has_scheme(reference: &str) -> bool {
    let (path, _) = split_suffix(reference);
    let first = path.split('/').next().unwrap_or("");
    match first.find(':') {
        Some(i) => {
            let scheme = &first[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    // `path` starts with `/`, so segments[0] is "".
    for (i, segment) in segments.iter().enumerate().skip(1) {
        let last = i == segments.len() - 1;
        match *segment {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// `reference` resolved against the page at root-relative path `base`.
fn resolve(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_owned();
    }
    let (path, suffix) = split_suffix(reference);
    if path.starts_with('/') {
        return format!("{}{suffix}", remove_dot_segments(path));
    }
    let base_dir = &base[..=base.rfind('/').expect("a root-relative base")];
    if path.is_empty() {
        // `#x` or `?q`: the page itself.
        return format!("{base}{suffix}");
    }
    format!(
        "{}{suffix}",
        remove_dot_segments(&format!("{base_dir}{path}"))
    )
}

#[test]
fn the_resolver_agrees_with_rfc_3986_examples() {
    // RFC 3986, 5.4.1, with the base's path only.
    let base = "/b/c/d;p";
    for (reference, expected) in [
        ("g", "/b/c/g"),
        ("./g", "/b/c/g"),
        ("g/", "/b/c/g/"),
        ("/g", "/g"),
        ("#s", "/b/c/d;p#s"),
        ("g#s", "/b/c/g#s"),
        (".", "/b/c/"),
        ("./", "/b/c/"),
        ("..", "/b/"),
        ("../", "/b/"),
        ("../g", "/b/g"),
        ("../..", "/"),
        ("../../", "/"),
        ("../../g", "/g"),
        ("../../../g", "/g"),
    ] {
        assert_eq!(resolve(base, reference), expected, "{reference}");
    }
}

// ---------------------------------------------------------------------------------------------
// Generators.

/// A path segment as plumb publishes them: slugs, file names with dots.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9][a-z0-9-]{0,6}",
        "[a-z0-9][a-z0-9_-]{0,5}\\.[a-z0-9]{1,4}",
        Just("a".to_owned()),
        Just("b".to_owned()),
    ]
}

/// A page's URL: `/`, `/a/b/`, or a file such as `/404.html`.
fn page_url() -> impl Strategy<Value = String> {
    (prop::collection::vec(segment(), 0..4), any::<bool>()).prop_map(|(segments, file)| {
        let mut url = String::from("/");
        for s in &segments {
            url.push_str(s);
            url.push('/');
        }
        if file {
            url.push_str("404.html");
        }
        url
    })
}

/// A root-relative target: a folder (`/a/b/`) or a file (`/a/s.css`), with an optional query
/// and fragment.
fn target_url() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(segment(), 0..4),
        prop::option::of(segment()),
        prop_oneof![
            Just(String::new()),
            "#[a-z0-9-]{1,6}",
            "\\?[a-z]=[a-z0-9]{1,3}",
            "\\?[a-z]=1#[a-z]{1,3}",
        ],
    )
        .prop_map(|(dirs, file, suffix)| {
            let mut url = String::from("/");
            for s in &dirs {
                url.push_str(s);
                url.push('/');
            }
            if let Some(file) = file {
                url.push_str(&file);
            }
            url + &suffix
        })
}

fn style() -> impl Strategy<Value = LinkStyle> {
    prop_oneof![Just(LinkStyle::Pretty), Just(LinkStyle::IndexFile)]
}

/// What a link to `target` must lead to with `style`: with index files, folders get
/// `index.html`.
fn expected_target(target: &str, style: LinkStyle) -> String {
    let (path, suffix) = split_suffix(target);
    if style == LinkStyle::IndexFile && path.ends_with('/') {
        format!("{path}index.html{suffix}")
    } else {
        target.to_owned()
    }
}

/// Text with no root-relative attribute value: anything but `="/` and `='/`.
fn html_without_root_relative_values() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        "[ <>=\"'/a-z#:.-]{0,12}",
        Just("<a href=\"https://e.org/\">".to_owned()),
        Just("<a href=\"//cdn/x\">".to_owned()),
        Just("<a href=\"#top\">".to_owned()),
        Just("<a href=\"../up/\">".to_owned()),
        Just("<code>href=&quot;/a/&quot;</code>".to_owned()),
        Just("src=".to_owned()),
        Just("=".to_owned()),
        Just("\"".to_owned()),
        Just("/".to_owned()),
    ];
    prop::collection::vec(piece, 0..12)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("has a root-relative value", |html| {
            // The only `/`s are those of the pieces above, none of them a root-relative URL.
            let rest = [
                "https://e.org/",
                "//cdn/x",
                "../up/",
                "&quot;/a/&quot;</code>",
            ]
            .iter()
            .fold(html.clone(), |rest, piece| rest.replace(piece, ""));
            !rest.contains('/')
        })
}

/// `html` finished as the page at `url` with `rewriter`.
fn finished(html: &str, url: &str, rewriter: Rewriter<'_>) -> Page {
    let target = Target {
        url,
        rewriter,
        source_folder: None,
        body: None,
    };
    finish::finish("page.html".to_owned(), html, &target).expect("finishes")
}

fn text(page: &Page) -> String {
    match &page.file.contents {
        Contents::Bytes(bytes) => String::from_utf8(bytes.clone()).expect("UTF-8"),
        Contents::Copy(path) => panic!("copied from {}", path.display()),
    }
}

/// HTML with root-relative URL attributes among other text.
fn html_with_urls() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[ <>a-z.]{0,10}",
        target_url().prop_map(|t| format!("<a href=\"{t}\">x</a>")),
        target_url().prop_map(|t| format!("<img src='{t}'>")),
        target_url().prop_map(|t| format!("<form action=\"{t}\">")),
        target_url().prop_map(|t| format!("<p data-x=\"{t}\">{t}</p>")),
        Just("<a href=\"https://e.org/\">".to_owned()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

// ---------------------------------------------------------------------------------------------
// (a) and (b): URLs.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn relative_urls_resolve_back_to_their_target(
        page in page_url(),
        target in target_url(),
        style in style(),
    ) {
        let url = Rewriter::RelativeTo(&page, style).url(&target);
        prop_assert!(!url.is_empty());
        prop_assert!(!url.starts_with('/'), "{url} is not relative");
        prop_assert_eq!(
            resolve(&page, &url),
            expected_target(&target, style),
            "page {} target {} wrote {}", page, target, url
        );
    }

    #[test]
    fn rewriting_html_without_root_relative_values_is_the_identity(
        html in html_without_root_relative_values(),
        page in page_url(),
        style in style(),
    ) {
        let relative = finished(&html, &page, Rewriter::RelativeTo(&page, style));
        prop_assert_eq!(&text(&relative), &html);
        prop_assert_eq!(&text(&finished(&html, "/404.html", Rewriter::UnderBase("/guide/"))), &html);
    }

    #[test]
    fn rewritten_urls_resolve_to_the_written_ones_and_a_second_pass_changes_nothing(
        html in html_with_urls(),
        page in page_url(),
    ) {
        let rewriter = Rewriter::RelativeTo(&page, LinkStyle::Pretty);
        let once = finished(&html, &page, rewriter);
        let once_text = text(&once);
        prop_assert_eq!(&text(&finished(&once_text, &page, rewriter)), &once_text);
        // URL by URL (as the pass read them), the written value resolves to the original: the
        // same HTML finished under the root `/` keeps every URL as written.
        let original = finished(&html, "/", Rewriter::UnderBase("/"));
        prop_assert_eq!(original.facts.links.len(), once.facts.links.len());
        for (before, after) in original.facts.links.iter().zip(&once.facts.links) {
            let (original, written) = (&before.url, &after.url);
            if original.starts_with('/') && !original.starts_with("//") {
                prop_assert_eq!(&resolve(&page, written), original);
            } else {
                prop_assert_eq!(original, written);
            }
        }
        // Other attributes and text keep their root-relative URLs.
        let data = html.matches("data-x=\"/").count();
        prop_assert_eq!(once_text.matches("data-x=\"/").count(), data);
    }
}

/// A folder or file name with a `:` is legal in a URL path, but as the first segment of a
/// relative reference it reads as a scheme (RFC 3986, 4.2): `Rewriter::url` must write `./a:b/`.
#[test]
fn a_colon_in_the_first_segment_is_not_read_as_a_scheme() {
    for style in [LinkStyle::Pretty, LinkStyle::IndexFile] {
        for (page, target) in [("/", "/a:b/"), ("/x/", "/x/c:d.png"), ("/", "/mailto:x")] {
            let url = Rewriter::RelativeTo(page, style).url(target);
            assert_eq!(
                resolve(page, &url),
                expected_target(target, style),
                "page {page} target {target} wrote {url}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Front matter: any title written by a TOML serializer comes back (a blank one is refused).

fn front_matter_of(title: &str) -> String {
    let mut table = toml::Table::new();
    table.insert("title".into(), toml::Value::String(title.to_owned()));
    format!(
        "+++\n{}+++\nBody\n",
        toml::to_string(&table).expect("serializes")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_title_survives_front_matter(
        title in prop_oneof![
            any::<String>(),
            "[\"'\\\\\n\r\t +#=\\[\\]{}<>&a-zé]{0,30}",
            Just("\"\"\"".to_owned()),
            Just("'''".to_owned()),
        ]
    ) {
        let text = front_matter_of(&title);
        let source = Source::new("content/a.md", text.as_str());
        let parsed = front_matter::parse(&source);
        if title.trim().is_empty() {
            // A blank title is refused where it is written.
            let message = parsed.err().map(|d| d.to_string()).unwrap_or_default();
            prop_assert!(message.starts_with("content/a.md:2:9: error: the title is empty"), "{}", message);
            return Ok(());
        }
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err().map(|d| d.to_string()), text);
        let (meta, body) = parsed.expect("checked");
        prop_assert_eq!(&meta.title, &title);
        prop_assert_eq!(&text[body..], "Body\n");
    }
}

/// A title whose text has a line that is only `+++`: the serializer writes it as a multi-line
/// string, and the front matter must not end inside that string.
#[test]
fn a_title_with_a_fence_line_survives_front_matter() {
    for title in ["a\n+++\nb", "a\n+++", "+++\nb", "a\r\n+++\r\nb"] {
        let text = front_matter_of(title);
        let source = Source::new("content/a.md", text.as_str());
        let (meta, body) = front_matter::parse(&source)
            .unwrap_or_else(|d| panic!("{title:?}: {d}\n--- written as:\n{text}"));
        assert_eq!(meta.title, title, "written as:\n{text}");
        assert_eq!(&text[body..], "Body\n");
    }
}

// ---------------------------------------------------------------------------------------------
// (d) Scoring: invariants for any answers to the demo checklist.

fn demo() -> Checklist {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/checklist/content/checklists/demo.toml"
    );
    let text = std::fs::read_to_string(path).expect("demo.toml");
    checklist::parse(&Source::new(path, text)).expect("the demo checklist is valid")
}

/// Answers: for each question maybe one of its options, maybe a stray value; plus stray keys.
fn answers(checklist: &Checklist) -> impl Strategy<Value = Answers> + use<> {
    let questions: Vec<(String, Vec<String>)> = checklist
        .questions
        .iter()
        .map(|q| {
            (
                q.id.clone(),
                q.options.iter().map(|o| o.id.clone()).collect(),
            )
        })
        .collect();
    let per_question: Vec<_> = questions
        .into_iter()
        .map(|(id, options)| {
            prop_oneof![
                2 => Just(None),
                6 => prop::sample::select(options).prop_map(Some),
                1 => "[a-z-]{0,8}".prop_map(Some),
            ]
            .prop_map(move |answer| answer.map(|a| (id.clone(), a)))
        })
        .collect();
    (
        per_question,
        prop::collection::hash_map("[a-z-]{1,8}", "[a-z-]{0,8}", 0..3),
    )
        .prop_map(|(chosen, stray)| {
            let mut answers: Answers = stray;
            answers.extend(chosen.into_iter().flatten());
            answers
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn scoring_keeps_its_invariants(answers in answers(&demo())) {
        let checklist = demo();
        let outcome = checklist::score(&checklist, &answers);
        if let Some(overall) = outcome.overall {
            prop_assert!(overall <= 100, "{:?}", outcome);
        }
        prop_assert_eq!(outcome.band.is_some(), outcome.overall.is_some(), "{:?}", outcome);
        if let Some(band) = &outcome.band {
            let band = checklist.bands.iter().find(|b| &b.id == band).expect("a known band");
            let overall = outcome.overall.expect("scored");
            prop_assert!(band.min <= overall && overall <= band.max);
        }
        prop_assert!(outcome.answered <= outcome.visible, "{:?}", outcome);
        prop_assert_eq!(outcome.visible, outcome.visible_questions.len());
        // No verdict, score or finding before enough is answered.
        prop_assert_eq!(outcome.ready, outcome.left == 0, "{:?}", outcome);
        if !outcome.ready {
            prop_assert!(outcome.overall.is_none() && outcome.band.is_none() && outcome.findings.is_empty());
        }
        for id in &outcome.find_out {
            prop_assert!(outcome.visible_questions.contains(id), "{} in {:?}", id, outcome);
        }
        for point in &outcome.control_map {
            prop_assert!(outcome.visible_questions.contains(&point.question));
        }
        for score in outcome.dimensions.values().flatten() {
            prop_assert!(*score <= 100);
        }
        // Stray keys and values change nothing.
        let known: HashMap<String, String> = answers
            .iter()
            .filter(|(q, a)| {
                checklist
                    .questions
                    .iter()
                    .any(|question| &&question.id == q && question.options.iter().any(|o| &&o.id == a))
            })
            .map(|(q, a)| (q.clone(), a.clone()))
            .collect();
        prop_assert_eq!(checklist::score(&checklist, &known), outcome);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the fuzz targets (`fuzz/`, see its README).

/// A small valid criteria file with `band_max` as its one band's `max`, and `weight` and
/// `points` on its one question.
fn criteria(band_max: u64, weight: u64, points: u64) -> String {
    format!(
        r#"id = "a"
version = 1
title = "T"
[[dimensions]]
id = "d"
title = "D"
[[questions]]
id = "q"
dimension = "d"
text = "Q"
weight = {weight}
[[questions.options]]
id = "yes"
label = "Yes"
points = {points}
[[questions.options]]
id = "no"
label = "No"
[[bands]]
id = "b"
min = 0
max = {band_max}
title = "B"
summary = "S"
"#
    )
}

/// fuzz/criteria: `max = 4294967295` overflowed `max + 1` in the bands' tiling check (a panic
/// in debug builds; in release the check wrapped to 0 and reported nonsense). It is an error
/// about the band, like any `max` above 100.
#[test]
fn a_band_max_of_u32_max_is_an_error_not_a_panic() {
    let text = criteria(u64::from(u32::MAX), 1, 1);
    let result = std::panic::catch_unwind(|| {
        checklist::parse(&Source::new("c.toml", text.as_str())).map(|_| ())
    });
    let Ok(result) = result else {
        panic!("checklist::parse panicked on a band with max = u32::MAX");
    };
    let errors = result.expect_err("max above 100 is an error");
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("band `b` runs from 0 to 4294967295")),
        "{errors:?}"
    );
}

/// fuzz/criteria: the largest weight and points overflowed scoring's u64 arithmetic (a panic in
/// debug builds, a wrong score in release; the browser script, with doubles, disagrees long
/// before). Validation refuses such numbers, or else scoring gives 100 for the best answer.
#[test]
fn huge_weights_and_points_do_not_overflow_scoring() {
    let text = criteria(100, u64::from(u32::MAX), u64::from(u32::MAX));
    let Ok(checklist) = checklist::parse(&Source::new("c.toml", text.as_str())) else {
        return; // refused by validation: fine
    };
    let answers: Answers = [("q".to_owned(), "yes".to_owned())].into();
    let outcome = std::panic::catch_unwind(|| checklist::score(&checklist, &answers))
        .expect("scoring panicked on weight = points = u32::MAX");
    assert_eq!(outcome.overall, Some(100), "{outcome:?}");
}

/// Found while adapting the front_matter fuzz target to parse's later-fence rule: a header whose
/// multi-line string never closes, followed by many `+++` lines, was parsed once per `+++` line,
/// each time to the end (quadratic: 37 s for an 80 KB file). `parse` now tries a bounded number
/// of cuts and reports the first cut's error: the string that never closes.
#[test]
fn many_fence_lines_after_an_open_string_report_the_first_cut() {
    let text = format!("+++\ntitle = \"\"\"\n{}", "+++\n".repeat(6000));
    let source = Source::new("content/a.md", text.as_str());
    let err = front_matter::parse(&source).expect_err("the string never closes");
    assert!(err.to_string().starts_with("content/a.md:"), "{err}");
    assert!(err.message.contains("string"), "{err}");
}
