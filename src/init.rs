//! `plumb init`: writes a new site that builds at once: `site.toml`, a home page, one section
//! with one page, an example checklist, the default theme, and a `.gitignore` for the output
//! and staging folders. It writes only into a folder
//! that is missing or empty.

use std::fs;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The files of a new site: path below its folder, and contents.
const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("init/site.toml")),
    (".gitignore", include_str!("init/gitignore")),
    ("content/_index.md", include_str!("init/home.md")),
    ("content/guide/_index.md", include_str!("init/guide.md")),
    (
        "content/guide/first-steps.md",
        include_str!("init/first-steps.md"),
    ),
    (
        "content/checklists/example.toml",
        include_str!("init/checklist.toml"),
    ),
    (
        "themes/guide/i18n/en.toml",
        include_str!("../themes/guide/i18n/en.toml"),
    ),
    (
        "themes/guide/i18n/es.toml",
        include_str!("../themes/guide/i18n/es.toml"),
    ),
    (
        "themes/guide/templates/base.html",
        include_str!("../themes/guide/templates/base.html"),
    ),
    (
        "themes/guide/templates/index.html",
        include_str!("../themes/guide/templates/index.html"),
    ),
    (
        "themes/guide/templates/section.html",
        include_str!("../themes/guide/templates/section.html"),
    ),
    (
        "themes/guide/templates/page.html",
        include_str!("../themes/guide/templates/page.html"),
    ),
    (
        "themes/guide/templates/macros.html",
        include_str!("../themes/guide/templates/macros.html"),
    ),
    (
        "themes/guide/templates/nav.html",
        include_str!("../themes/guide/templates/nav.html"),
    ),
    (
        "themes/guide/templates/404.html",
        include_str!("../themes/guide/templates/404.html"),
    ),
    (
        "themes/guide/templates/tag.html",
        include_str!("../themes/guide/templates/tag.html"),
    ),
    (
        "themes/guide/templates/tags.html",
        include_str!("../themes/guide/templates/tags.html"),
    ),
    (
        "themes/guide/templates/shortcodes/figure.html",
        include_str!("../themes/guide/templates/shortcodes/figure.html"),
    ),
    (
        "themes/guide/templates/shortcodes/key_point.html",
        include_str!("../themes/guide/templates/shortcodes/key_point.html"),
    ),
    (
        "themes/guide/templates/shortcodes/checklist_link.html",
        include_str!("../themes/guide/templates/shortcodes/checklist_link.html"),
    ),
    (
        "themes/guide/static/style.css",
        include_str!("../themes/guide/static/style.css"),
    ),
    (
        "themes/guide/static/icon.svg",
        include_str!("../themes/guide/static/icon.svg"),
    ),
];

/// Writes a new site into `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(
            Diagnostic::error(format!("the folder `{}` is not empty", dir.display()))
                .with_hint("name a new or empty folder: `plumb init my-guide`"),
        );
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, text));
        if let Err(err) = written {
            return Err(
                Diagnostic::error(format!("cannot write `{}`: {err}", target.display()))
                    .with_hint("check that you may write to that folder"),
            );
        }
    }
    Ok(())
}
