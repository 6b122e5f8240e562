//! The core build over fixture sites: what is written, how it looks, and that it is stable.

mod common;

use common::{Fixture, main_of};

#[test]
fn basic_site_writes_every_published_page() {
    let site = Fixture::new("basic");
    let summary = site.build().expect("builds");
    assert_eq!((summary.pages, summary.sections), (3, 2));
    for path in [
        "index.html",
        "guide/index.html",
        "guide/first/index.html",
        "guide/page-two/index.html",
        "notes/loose/index.html",
        "guide/pic.svg",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
    ] {
        assert!(site.output().join(path).is_file(), "{path} missing");
    }
    assert!(
        !site.output().join("guide/draft").exists(),
        "drafts stay out"
    );
}

#[test]
fn drafts_are_published_on_request() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    options.drafts = true;
    plumb::build(&options).expect("builds");
    assert!(site.output().join("guide/draft/index.html").is_file());
}

#[test]
fn pages_render_as_snapshotted() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    for page in [
        "index.html",
        "guide/index.html",
        "guide/first/index.html",
        "guide/page-two/index.html",
    ] {
        let html = site.read(page);
        insta::assert_snapshot!(page.replace('/', "_"), main_of(&html));
    }
}

#[test]
fn navigation_lists_the_current_sections_pages_only() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let first = site.read("guide/first/index.html");
    assert!(
        first.contains(r#"href="../page-two/">Second page</a>"#),
        "{first}"
    );
    let loose = site.read("notes/loose/index.html");
    assert!(
        !loose.contains("Second page"),
        "other sections' pages are not listed"
    );
}

#[test]
fn code_is_highlighted_with_one_stylesheet() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let page = site.read("guide/first/index.html");
    assert!(page.contains(r#"<pre class="code" data-lang="toml"><code><span class="hl-"#));
    let sheets: Vec<_> = site
        .snapshot_tree()
        .into_iter()
        .filter(|(p, _)| p.starts_with("syntax.") && p.ends_with(".css"))
        .collect();
    assert_eq!(sheets.len(), 1);
    let css = String::from_utf8(sheets[0].1.clone()).expect("utf-8");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn assets_are_fingerprinted_and_linked_relatively() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let page = site.read("guide/first/index.html");
    let href = page
        .split("href=\"")
        .map(|s| &s[..s.find('"').expect("closing quote")])
        .find(|h| h.contains("style."))
        .expect("a stylesheet link");
    assert!(
        href.starts_with("../../style.") && href.ends_with(".css"),
        "{href}"
    );
    assert!(
        site.output()
            .join(href.trim_start_matches("../../"))
            .is_file()
    );
}

#[test]
fn the_404_page_uses_absolute_paths_under_the_base() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let page = site.read("404.html");
    assert!(page.contains(r#"href="/docs/""#), "{page}");
    assert!(page.contains(r#"href="/docs/style."#), "{page}");
}

#[test]
fn feed_and_sitemap_use_absolute_urls_and_page_dates() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let atom = site.read("atom.xml");
    assert!(
        atom.contains("<updated>2024-07-01T00:00:00Z</updated>"),
        "{atom}"
    );
    assert!(atom.contains("<id>https://example.org/docs/guide/page-two/</id>"));
    assert!(atom.contains("<title>Basic &lt;site&gt;</title>"));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/docs/guide/first/</loc><lastmod>2024-05-01</lastmod>"
        )
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/docs/sitemap.xml")
    );
}

#[test]
fn second_build_is_byte_identical() {
    let site = Fixture::new("basic");
    site.build().expect("first build");
    let first = site.snapshot_tree();
    site.build().expect("second build");
    assert_eq!(first, site.snapshot_tree());
}

#[test]
fn site_templates_override_the_themes() {
    let site = Fixture::new("basic");
    site.write("templates/404.html", "<main>custom 404</main>");
    site.build().expect("builds");
    assert_eq!(site.read("404.html"), "<main>custom 404</main>");
}

#[test]
fn base_url_option_overrides_site_toml() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:8080/sub".into());
    plumb::build(&options).expect("builds");
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>http://127.0.0.1:8080/sub/guide/first/</loc>")
    );
}

#[test]
fn checklist_pages_and_embeds() {
    let site = Fixture::new("checklist");
    let summary = site.build().expect("builds");
    assert_eq!(summary.checklists, 1);
    let own = site.read("checklists/demo/index.html");
    let embedded = site.read("guide/article/index.html");
    for html in [&own, &embedded] {
        assert!(html.contains(r#"data-checklist="demo""#));
        assert!(html.contains(r#"<script type="application/json" class="checklist-model">"#));
        assert!(
            html.contains(r#"<script src="../../checklist."#),
            "the script is loaded from a file"
        );
    }
    insta::assert_snapshot!("checklist_embed", main_of(&embedded));
}

#[test]
fn offline_files_are_written() {
    let site = Fixture::new("basic");
    let summary = site.build().expect("builds");
    assert!(summary.offline.expect("offline on by default").ahead_bytes > 1000);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("manifest.webmanifest")).expect("json");
    assert_eq!(manifest["start_url"], "./");
    assert_eq!(manifest["name"], "Basic <site>");
    let worker = site.read("sw.js");
    for url in [
        "\"./\"",
        "\"guide/first/\"",
        "\"guide/pic.svg\"",
        "\"404.html\"",
    ] {
        assert!(worker.contains(url), "{url} is precached");
    }
    assert!(
        !worker.contains("\"sw.js\""),
        "the worker does not cache itself"
    );
    let page = site.read("guide/first/index.html");
    assert!(
        page.contains(r#"<link rel="manifest" href="../../manifest.webmanifest">"#),
        "{page}"
    );
    assert!(page.contains(r#"<script src="../../offline."#));
}

/// The worker's list of files saved ahead: `(url, revision, bytes, 1 for a page)` in order.
fn worker_files(worker: &str) -> Vec<(String, String, u64, u64)> {
    worker_list(worker, "const FILES = ")
}

/// The worker's list of files never saved.
fn worker_unsaved(worker: &str) -> Vec<String> {
    worker_list(worker, "const UNSAVED = ")
}

fn worker_list<T: serde::de::DeserializeOwned>(worker: &str, prefix: &str) -> T {
    let line = worker
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .expect("the worker's list");
    serde_json::from_str(line.trim_end_matches(';')).expect("a JSON list")
}

#[test]
fn a_changed_page_changes_only_its_revision() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let first = site.read("sw.js");
    site.write(
        "content/guide/first.md",
        &std::fs::read_to_string(site.root.join("content/guide/first.md"))
            .expect("page")
            .replace("Start here", "Begin here"),
    );
    site.build().expect("builds");
    let second = site.read("sw.js");
    let cache = |w: &str| {
        w.lines()
            .find(|l| l.starts_with("const CACHE"))
            .expect("cache line")
            .to_owned()
    };
    assert_ne!(cache(&first), cache(&second), "a new build, a new cache");
    let changed: Vec<String> = worker_files(&first)
        .into_iter()
        .zip(worker_files(&second))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0)
        .collect();
    assert_eq!(
        changed,
        ["guide/first/", "search/docs-0.js", "search/terms-all.js"],
        "only the changed page's revision, and those of the search index's parts with its words"
    );
}

#[test]
fn machines_files_excluded_files_and_opted_out_pages_are_not_saved() {
    let site = Fixture::new("basic");
    let config = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[offline]\nexclude = [\"guide/*.svg\"]\n"),
    );
    let loose = std::fs::read_to_string(site.root.join("content/notes/loose.md")).expect("page");
    site.write(
        "content/notes/loose.md",
        &loose.replacen("+++\n", "+++\noffline = false\n", 1),
    );
    site.build().expect("builds");
    let saved: Vec<String> = worker_files(&site.read("sw.js"))
        .into_iter()
        .map(|f| f.0)
        .collect();
    for never in [
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "notes/loose/",
        "guide/pic.svg",
        "sw.js",
    ] {
        assert!(
            !saved.iter().any(|s| s == never),
            "{never} is not saved: {saved:?}"
        );
    }
    assert!(
        saved.iter().any(|s| s == "guide/page-two/"),
        "other pages are: {saved:?}"
    );
    let worker = site.read("sw.js");
    assert!(
        !saved.iter().any(|f| f.starts_with("checklist.")),
        "a script no page loads is not saved ahead: {saved:?}"
    );
    assert_eq!(
        worker_unsaved(&worker),
        [
            "atom.xml",
            "guide/pic.svg",
            "notes/loose/",
            "robots.txt",
            "sitemap.xml"
        ],
        "the worker never saves these, even when asked"
    );
}

#[test]
fn past_the_budget_pages_are_saved_as_visited() {
    let site = Fixture::new("basic");
    let config = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[offline]\nbudget = \"6 KB\"\n"),
    );
    let summary = site.build().expect("builds");
    let offline = summary.offline.as_ref().expect("offline");
    assert_eq!(offline.policy, plumb::output::precache::Policy::AsVisited);
    assert!(offline.ahead_bytes <= 6 * 1024 && offline.ahead_pages >= 1);
    let files = worker_files(&site.read("sw.js"));
    let ahead: u64 = files.iter().map(|f| f.2).sum();
    assert_eq!(
        ahead, offline.ahead_bytes,
        "the worker lists what is saved ahead"
    );
    let pages = files.iter().filter(|f| f.3 == 1).count();
    assert!(
        pages == offline.ahead_pages && pages < offline.pages,
        "the other pages wait for a visit"
    );
    let line = summary.to_string();
    assert!(
        line.contains(&format!(
            "saved ahead for offline: {} of {} pages, {} KB (budget 6 KB), the rest as readers visit them",
            offline.ahead_pages,
            offline.pages,
            offline.ahead_bytes.div_ceil(1024)
        )),
        "{line}"
    );
}

#[test]
fn the_summary_states_the_policy_and_the_heaviest_first_load() {
    let site = Fixture::new("basic");
    let summary = site.build().expect("builds");
    let heaviest = summary.heaviest.as_ref().expect("a heaviest page");
    assert_eq!(
        heaviest.page, "guide/first/index.html",
        "the page with code"
    );
    let page = site.read(&heaviest.page);
    assert!(heaviest.bytes > 0 && heaviest.bytes < page.len() as u64 + 20_000);
    let line = summary.to_string();
    assert!(
        line.contains("; saved ahead for offline: all 6 pages, "),
        "{line}"
    );
    assert!(
        line.contains(" KB (budget 5 MB); heaviest first load: "),
        "{line}"
    );
    assert!(line.ends_with(" KB compressed (/guide/first/)"), "{line}");
}

#[test]
fn precompressed_copies_sit_beside_text_files() {
    use std::io::Read;
    let site = Fixture::new("basic");
    let config = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[offline]\nprecompress = [\"gzip\", \"brotli\"]\n"),
    );
    site.build().expect("builds");
    let page = site.read("guide/first/index.html");
    let gz = std::fs::read(site.output().join("guide/first/index.html.gz")).expect(".gz");
    let mut unzipped = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut unzipped)
        .expect("gzip");
    assert_eq!(unzipped, page);
    let br = std::fs::read(site.output().join("guide/first/index.html.br")).expect(".br");
    let mut unbrotli = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut unbrotli).expect("brotli");
    assert_eq!(unbrotli, page.as_bytes());
    assert!(site.output().join("sw.js.gz").is_file(), "the worker too");
    let saved = worker_files(&site.read("sw.js"));
    assert!(
        !saved
            .iter()
            .any(|f| f.0.ends_with(".gz") || f.0.ends_with(".br"))
    );
}

#[test]
fn the_highlighting_stylesheet_only_on_pages_with_code() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    assert!(site.read("guide/first/index.html").contains("syntax."));
    assert!(!site.read("guide/page-two/index.html").contains("syntax."));
    assert!(!site.read("404.html").contains("syntax."));
}

#[test]
fn offline_can_be_turned_off() {
    let site = Fixture::new("basic");
    let config = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &config.replace("theme = \"plain\"", "theme = \"plain\"\noffline = false"),
    );
    assert!(site.build().expect("builds").offline.is_none());
    assert!(!site.output().join("sw.js").exists());
    assert!(!site.read("index.html").contains("manifest"));
}

#[test]
fn portable_builds_link_to_index_files() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    options.portable = true;
    plumb::build(&options).expect("builds");
    let page = site.read("guide/first/index.html");
    assert!(
        page.contains(r#"<a href="../page-two/index.html">second page</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"href="../../index.html""#), "{page}");
    let not_found = site.read("404.html");
    assert!(not_found.contains(r#"href="index.html""#), "{not_found}");
}

#[test]
fn external_resources_can_be_allowed_or_warned_about() {
    let site = Fixture::new("basic");
    site.write(
        "content/guide/second.md",
        "+++\ntitle = \"Second\"\n+++\n<img src=\"https://e.org/a.png\" alt=\"a\">\n",
    );
    let config = std::fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
    site.write(
        "site.toml",
        &config.replace(
            "theme = \"plain\"",
            "theme = \"plain\"\nexternal_resources = \"warning\"",
        ),
    );
    let summary = site.build().expect("a warning does not fail the build");
    let warnings = common::lines(&summary.warnings);
    assert!(
        warnings
            .contains("`guide/second/index.html` loads `https://e.org/a.png` from another host"),
        "{warnings}"
    );
    site.write(
        "site.toml",
        &config.replace(
            "theme = \"plain\"",
            "theme = \"plain\"\nexternal_resources = \"allow\"",
        ),
    );
    assert!(site.build().expect("builds").warnings.is_empty());
}
