//! Rebuild planning: which changed files call for which work.
//!
//! The rules, and why:
//! - `site.toml`, criteria files, and markdown files that appear or disappear change what every
//!   page shows (navigation, listings, embeds) or which pages exist: a full rebuild, which still
//!   reuses highlighted code.
//! - A template rebuilds only the pages rendered with a template that uses it (extends,
//!   includes, imports; `theme::deps`): the preview decides that with the reloaded theme, and
//!   rebuilds fully when the template reaches every page (the base, the navigation), markdown
//!   (shortcodes, the checklist form) or pages that are no document (404, tags).
//! - A markdown file that changed in place rebuilds that page alone, unless its front matter
//!   changed what other pages show of it (title, description, dates, weight, slug, draft,
//!   template): the preview decides that after reading it, and then rebuilds fully.
//! - A static file, or a file beside the pages in `content/`, is copied alone.
//! - Anything else (the output folder, hidden files, editors' swap files, other themes) is not
//!   the site's, and is ignored.
//! - Whatever the change, the pages open in a browser (their live-reload sockets say which) are
//!   rendered and published first, and the rest after them: an author sees the edit where they
//!   look without waiting for the pages nobody has open.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::content::is_ignored;

/// What a batch of changes calls for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RebuildPlan {
    /// Why everything is rebuilt, when it is.
    pub full: Option<String>,
    /// Markdown files changed (or removed), below the root.
    pub pages: BTreeSet<PathBuf>,
    /// Static files changed (or removed), below the root.
    pub statics: BTreeSet<PathBuf>,
    /// Templates changed (or removed), by name (`page.html`, `shortcodes/note.html`).
    pub templates: BTreeSet<String>,
    /// The output paths of the pages open in a browser (`guide/risk/index.html`), to render and
    /// publish before the rest. Empty when nothing is to be rebuilt.
    pub first: Vec<String>,
}

impl RebuildPlan {
    pub fn is_empty(&self) -> bool {
        self.full.is_none()
            && self.pages.is_empty()
            && self.statics.is_empty()
            && self.templates.is_empty()
    }

    fn rebuild_all(&mut self, why: String) {
        self.full.get_or_insert(why);
    }
}

/// Plans the work for `changed` (absolute paths) in the site at `root`, wearing `theme`, whose
/// output (which the planner ignores) is `output`, while the pages at the output paths `open`
/// are open in a browser.
pub fn plan(
    root: &Path,
    output: &Path,
    theme: &str,
    changed: &[PathBuf],
    open: &[String],
) -> RebuildPlan {
    let mut plan = changed_files(root, output, theme, changed);
    if !plan.is_empty() {
        plan.first = open.to_vec();
    }
    plan
}

/// The plan's work for each changed file.
fn changed_files(root: &Path, output: &Path, theme: &str, changed: &[PathBuf]) -> RebuildPlan {
    let mut plan = RebuildPlan::default();
    for path in changed {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        if path.starts_with(output) || !is_site_file(relative) {
            continue;
        }
        let parts: Vec<&str> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect();
        let shown = relative.display().to_string();
        match parts.as_slice() {
            ["site.toml"] => plan.rebuild_all(shown),
            ["content", .., last] if last.ends_with(".md") => {
                plan.pages.insert(relative.to_path_buf());
            }
            ["content", .., last] if last.ends_with(".toml") => plan.rebuild_all(shown),
            ["content", _, ..] => {
                plan.statics.insert(relative.to_path_buf());
            }
            ["content"] => plan.rebuild_all(shown),
            ["templates", template @ ..] | ["themes", _, "templates", template @ ..]
                if !template.is_empty() && (parts[0] == "templates" || parts[1] == theme) =>
            {
                plan.templates.insert(template.join("/"));
            }
            ["templates"] => plan.rebuild_all(shown),
            ["themes", name, "templates"] if *name == theme => plan.rebuild_all(shown),
            ["static", _, ..] => {
                plan.statics.insert(relative.to_path_buf());
            }
            ["themes", name, "static", _, ..] if *name == theme => {
                plan.statics.insert(relative.to_path_buf());
            }
            _ => {}
        }
    }
    plan
}

/// Hidden files and folders, swap and backup files, and the build's own folders are not the
/// site's sources.
fn is_site_file(relative: &Path) -> bool {
    relative.components().all(|c| match c {
        Component::Normal(part) => {
            let part = part.to_string_lossy();
            !is_ignored(&part) && part != "target" && part != "node_modules"
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(changed: &[&str], full: Option<&str>, pages: &[&str], statics: &[&str]) {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = changed.iter().map(|p| root.join(p)).collect();
        let plan = plan(root, &root.join("public"), "guide", &paths, &[]);
        assert_eq!(plan.full.as_deref(), full, "{changed:?}");
        let as_strings = |set: &BTreeSet<PathBuf>| {
            set.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(as_strings(&plan.pages), pages, "{changed:?}");
        assert_eq!(as_strings(&plan.statics), statics, "{changed:?}");
    }

    #[test]
    fn a_page_body_rebuilds_that_page() {
        check(&["content/guide/a.md"], None, &["content/guide/a.md"], &[]);
        check(
            &["content/a.md", "content/a.md"],
            None,
            &["content/a.md"],
            &[],
        );
    }

    #[test]
    fn a_template_goes_to_the_preview_to_rebuild_its_users_only() {
        let root = Path::new("/site");
        for (changed, name) in [
            ("themes/guide/templates/page.html", "page.html"),
            ("templates/index.html", "index.html"),
            (
                "themes/guide/templates/shortcodes/note.html",
                "shortcodes/note.html",
            ),
        ] {
            let plan = plan(
                root,
                &root.join("public"),
                "guide",
                &[root.join(changed)],
                &[],
            );
            assert_eq!(plan.full, None, "{changed}");
            assert_eq!(
                plan.templates,
                BTreeSet::from([name.to_owned()]),
                "{changed}"
            );
        }
        let other_theme = plan(
            root,
            &root.join("public"),
            "guide",
            &[root.join("themes/other/templates/page.html")],
            &[],
        );
        assert!(other_theme.is_empty());
    }

    #[test]
    fn config_and_criteria_rebuild_everything() {
        check(&["site.toml"], Some("site.toml"), &[], &[]);
        check(
            &["content/checklists/x.toml"],
            Some("content/checklists/x.toml"),
            &[],
            &[],
        );
    }

    #[test]
    fn static_files_are_copied_alone() {
        check(&["static/style.css"], None, &[], &["static/style.css"]);
        check(
            &["themes/guide/static/style.css"],
            None,
            &[],
            &["themes/guide/static/style.css"],
        );
        check(
            &["content/guide/pic.png"],
            None,
            &[],
            &["content/guide/pic.png"],
        );
    }

    #[test]
    fn open_pages_come_first_for_every_kind_of_change() {
        let root = Path::new("/site");
        let open = ["guide/risk/index.html".to_owned(), "index.html".to_owned()];
        for changed in [
            "site.toml",
            "themes/guide/templates/base.html",
            "content/checklists/independence.toml",
            "content/guide/risk.md",
            "static/style.css",
        ] {
            let plan = plan(
                root,
                &root.join("public"),
                "guide",
                &[root.join(changed)],
                &open,
            );
            assert_eq!(plan.first, open, "{changed}");
        }
        let ignored = plan(
            root,
            &root.join("public"),
            "guide",
            &[root.join("README.md")],
            &open,
        );
        assert!(ignored.is_empty() && ignored.first.is_empty());
    }

    #[test]
    fn what_is_not_the_sites_is_ignored() {
        check(
            &[
                "public/index.html",
                ".git/index",
                "content/.a.md.swp",
                "content/a.md~",
                "content/4913",
                "themes/other/templates/page.html",
                "target/debug/x",
                "README.md",
                ".public.staging/index.html",
            ],
            None,
            &[],
            &[],
        );
    }
}
