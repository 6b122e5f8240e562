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
