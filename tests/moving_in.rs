//! What authors coming from Zola, Hugo and mdBook write, built with the default theme: page
//! bundles, `README.md` indexes, `@/` links, shortcodes, callouts, summaries, aliases and
//! `redirect_to`, tags, edit links, drafts, and the files plumb leaves alone or warns about.

mod common;

use common::{Fixture, copy_tree, main_of, repo};

fn moving_in() -> Fixture {
    let site = Fixture::new("moving-in");
    copy_tree(
        &repo().join("themes/guide"),
        &site.root.join("themes/guide"),
    );
    site
}

#[test]
fn pages_render_as_snapshotted() {
    let site = moving_in();
    site.build().expect("builds");
    for page in [
        "pay/tips/index.html",
        "pay/fees/index.html",
        "hours/index.html",
        "tags/index.html",
        "tags/customers/index.html",
    ] {
        let html = site.read(page);
        insta::assert_snapshot!(
            format!("moving_in_{}", page.replace('/', "_")),
            main_of(&html)
        );
    }
}

#[test]
fn a_bundle_publishes_at_its_folder_with_its_files() {
    let site = moving_in();
    site.build().expect("builds");
    let tips = site.read("pay/tips/index.html");
    assert!(tips.contains(r#"<img src="receipt.svg""#), "{tips}");
    assert!(site.output().join("pay/tips/receipt.svg").is_file());
    assert!(!site.output().join("pay/tips/index/index.html").exists());
}

#[test]
fn a_readme_is_its_folders_section_index() {
    let site = moving_in();
    site.build().expect("builds");
    let hours = site.read("hours/index.html");
    assert!(
        hours.contains(r#"href="logbook/">Keep a logbook</a>"#),
        "{hours}"
    );
    assert!(!site.output().join("hours/readme").exists());
}

#[test]
fn aliases_and_redirect_to_write_redirect_pages_outside_the_sitemap() {
    let site = moving_in();
    site.build().expect("builds");
    let old = site.read("old-tips/index.html");
    assert!(
        old.contains(r#"<meta http-equiv="refresh" content="0; url=../pay/tips/">"#),
        "{old}"
    );
    assert!(
        old.contains(r#"<link rel="canonical" href="https://example.org/pay/tips/">"#),
        "{old}"
    );
    assert!(!old.contains("<script"), "{old}");
    let file = site.read("pay/tips.html");
    assert!(file.contains(r#"content="0; url=tips/""#), "{file}");
    let section = site.read("old/index.html");
    assert!(
        section.contains(r#"content="0; url=../pay/fees/""#),
        "{section}"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/pay/tips/</loc>"));
    for redirect in ["old-tips", "tips.html", "/old/"] {
        assert!(!sitemap.contains(redirect), "{redirect} in\n{sitemap}");
    }
    let built = plumb::compile(&site.options()).expect("compiles");
    let listed: Vec<String> = built.site.redirect_paths().collect();
    assert_eq!(
        listed,
        ["old-tips/index.html", "old/index.html", "pay/tips.html"]
    );
}

#[test]
fn tags_from_both_forms_get_pages_and_an_index() {
    let site = moving_in();
    site.build().expect("builds");
    let pay = site.read("tags/pay/index.html");
    assert!(pay.contains(r#"href="../../pay/tips/">Tips</a>"#), "{pay}");
    assert!(pay.contains(r#"href="../../pay/fees/">Fees</a>"#), "{pay}");
    let index = site.read("tags/index.html");
    assert!(index.contains(r#"<a href="pay/">Pay (2)</a>"#), "{index}");
}

#[test]
fn more_sets_the_summary_of_listings_and_the_feed() {
    let site = moving_in();
    site.build().expect("builds");
    let pay = site.read("pay/index.html");
    assert!(
        pay.contains("<p>Tips belong to the person who delivered the order. Some apps show them only after the shift.</p>"),
        "{pay}"
    );
    let feed = site.read("atom.xml");
    assert!(
        feed.contains("<published>2024-05-31T08:00:00Z</published>"),
        "{feed}"
    );
    assert!(
        feed.contains("<published>2024-06-01T09:00:00+02:00</published>"),
        "{feed}"
    );
}

#[test]
fn edit_links_name_the_content_file() {
    let site = moving_in();
    site.build().expect("builds");
    let fees = site.read("pay/fees/index.html");
    assert!(
        fees.contains(r#"<a href="https://example.org/edit/main/content/pay/fees.md">Suggest a change to this page</a>"#),
        "{fees}"
    );
}

#[test]
fn drafts_carry_a_banner_when_published() {
    let site = moving_in();
    let mut options = site.options();
    options.drafts = true;
    plumb::build(&options).expect("builds");
    let draft = site.read("pay/draft-notes/index.html");
    assert!(
        draft.contains(r#"<p class="draft-banner" role="note">"#),
        "{draft}"
    );
    assert!(!site.read("pay/fees/index.html").contains("draft-banner"));
}

#[test]
fn other_toml_files_are_copied_and_mdbook_and_zola_leftovers_are_warned_about() {
    let site = moving_in();
    let summary = site.build().expect("builds");
    assert_eq!(
        summary.checklists, 1,
        "only the checklists folder holds checklists"
    );
    assert_eq!(
        site.read("samples/Cargo.toml"),
        std::fs::read_to_string(site.root.join("content/samples/Cargo.toml")).expect("read")
    );
    let warnings = common::lines(&summary.warnings);
    assert!(
        warnings.contains("site.toml:6:1: warning: `compile_sass` has no use in plumb"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/pay/_index.md:4:1: warning: `sort_by` has no use in plumb"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "content/SUMMARY.md: warning: `SUMMARY.md` (mdBook's table of contents) is not used"
        ),
        "{warnings}"
    );
    assert!(!site.output().join("summary").exists());
}
