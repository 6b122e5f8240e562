//! One page's markdown body rendered with a small links map and one embedded checklist: never
//! panics; no `<script` (or inline `style=`) appears that the author did not write; every
//! diagnostic and anchor check points inside the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use plumb::content::{Body, DocId, Document, FrontMatter};
use plumb::diagnostic::Source;
use plumb::markdown::{Embeds, Highlighter, Links, RenderContext, render};

const HEADER: &str = "+++\ntitle = \"Fuzz\"\n+++\n";

fn links() -> &'static Links {
    static LINKS: OnceLock<Links> = OnceLock::new();
    LINKS.get_or_init(|| {
        [
            ("guide/here.md", "/guide/here/", DocId::Page(0)),
            ("guide/risk.md", "/guide/risk/", DocId::Page(1)),
            ("guide/_index.md", "/guide/", DocId::Section(1)),
            ("about.md", "/about/", DocId::Page(2)),
            ("checklists/demo.toml", "/checklists/demo/", DocId::Page(3)),
        ]
        .into_iter()
        .map(|(path, url, id)| (path.to_owned(), (url.to_owned(), id)))
        .collect()
    })
}

fn embeds() -> &'static Embeds {
    static EMBEDS: OnceLock<Embeds> = OnceLock::new();
    EMBEDS.get_or_init(|| {
        [(
            "demo".to_owned(),
            "<section class=\"checklist\" data-checklist=\"demo\"></section>".to_owned(),
        )]
        .into()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let text = format!("{HEADER}{body}");
    let doc = Document {
        source: Source::new("content/guide/here.md", text.as_str()),
        relative_path: "guide/here.md".to_owned(),
        url: "/guide/here/".to_owned(),
        meta: FrontMatter::default(),
        body: Body::Markdown(HEADER.len()),
    };
    // A highlighter per input: its cache lives as long as a build, and would otherwise grow
    // with every input the fuzzer tries.
    let highlighter = Highlighter::default();
    let cx = RenderContext {
        smart_punctuation: flags & 1 == 1,
        links: links(),
        embeds: embeds(),
        highlighter: &highlighter,
        shortcodes: &plumb::markdown::NoShortcodes,
    };
    let rendered = render(&doc, DocId::Page(0), &cx);

    let lower_in = body.to_ascii_lowercase();
    let lower_out = rendered.html.to_ascii_lowercase();
    if !lower_in.contains("<script") {
        assert!(
            !lower_out.contains("<script"),
            "a <script the author did not write:\n{}",
            rendered.html
        );
    }
    if !lower_in.contains("style") {
        assert!(
            !lower_out.contains("style="),
            "an inline style the author did not write:\n{}",
            rendered.html
        );
    }
    for check in &rendered.anchor_checks {
        assert!(check.span.start <= check.span.end && check.span.end <= text.len());
    }
    for entry in &rendered.toc {
        assert!(rendered.anchors.contains(&entry.id), "{entry:?}");
    }
    for diagnostic in &rendered.diagnostics {
        let _ = diagnostic.to_string();
        let _ = diagnostic.render(false);
    }
});
