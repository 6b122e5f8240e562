//! Rebuilding after template edits: only the pages rendered with a template that uses an edited
//! one (`theme::deps`), with the theme read again. Anything a template reaches beyond the pages'
//! own templates (the navigation, markdown through shortcodes or the checklist form, pages that
//! are no document), or most pages, calls for a full rebuild instead, which this module only
//! reports; the pages open in a browser are rendered with the edited theme and shown first even
//! then, so an author sees the edit before the full rebuild is done.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{Preview, bytes_of};
use crate::build;
use crate::content::Site;
use crate::diagnostic::Diagnostics;
use crate::markdown::{self, RenderContext};
use crate::render::{self, RenderInput, SlowPages};
use crate::theme::{Theme, deps};
use crate::urls::LinkStyle;

/// Templates whose output every page, or markdown, holds: an edit of one rebuilds everything.
const EVERYWHERE: [&str; 5] = [
    render::NAV_TEMPLATE,
    "checklist.html",
    "404.html",
    "tag.html",
    "tags.html",
];

/// What became of an edit of templates.
pub(super) enum Templates {
    /// This many pages were rebuilt.
    Rebuilt(usize),
    /// The edit reaches beyond a few pages (why, in words): a full rebuild is due.
    Beyond(String),
}

impl Preview {
    /// Rebuilds the pages that use the templates `names` (edited, by name), with the theme
    /// read again. On error, nothing changes.
    pub(super) fn templates(&mut self, names: &BTreeSet<String>) -> Result<Templates, Diagnostics> {
        let Some(c) = self.compiled.as_mut() else {
            return Ok(Templates::Beyond("the last build failed".to_owned()));
        };
        let mut theme = Theme::load(&c.config)?;
        theme.register_functions(c.kept.asset_urls.clone());
        let mut users = BTreeSet::new();
        for name in names {
            if theme.has_template(name) != c.kept.theme.has_template(name) {
                return Ok(Templates::Beyond(format!("`{name}` appeared or went")));
            }
            users.extend(deps::users_of(&theme.tera, name));
        }
        let documents = documents_using(&c.site, &users);
        let beyond = match users
            .iter()
            .find(|u| EVERYWHERE.contains(&u.as_str()) || u.starts_with("shortcodes/"))
        {
            Some(wide) => Some(format!("`{wide}` is on every page")),
            None if documents.len() * 2 > c.kept.bodies.len() => {
                Some("most pages use it".to_owned())
            }
            None => None,
        };
        if let Some(why) = beyond {
            self.show_open_pages(&theme)?;
            return Ok(Templates::Beyond(why));
        }
        let c = self.compiled.as_mut().expect("compiled above");
        let cx = RenderContext {
            smart_punctuation: c.config.smart_punctuation,
            links: &c.kept.links,
            embeds: &c.kept.embeds,
            highlighter: &self.highlighter,
            shortcodes: &theme,
        };
        let slow_pages = SlowPages::new(render::slow::SLOW_PAGE, build::print_at_once());
        let input = RenderInput {
            config: &c.config,
            site: &c.site,
            theme: &theme,
            link_style: LinkStyle::Pretty,
            checklist_url: c.kept.checklist_url.as_deref(),
            slow_pages: Some(&slow_pages),
        };
        let first = &self.first;
        let mut ordered = documents;
        ordered.sort_by_key(|id| !first.contains(&render::page_path(&c.site.document(*id).url)));
        let pages: Result<Vec<_>, Diagnostics> = ordered
            .into_par_iter()
            .map(|id| {
                let doc = c.site.document(id);
                let mut body = markdown::render(doc, id, &cx);
                body.diagnostics.clear();
                render::render_document(&input, &c.kept.shared, id, body)
                    .and_then(|page| bytes_of(page.file))
            })
            .collect::<Result<Vec<_>, crate::diagnostic::Diagnostic>>()
            .map_err(Diagnostics::from);
        let pages = pages?;
        let rebuilt = pages.len();
        self.files.extend(pages);
        c.kept.theme = theme;
        Ok(Templates::Rebuilt(rebuilt))
    }
}

impl Preview {
    /// Renders the pages open in a browser with the edited `theme` and shows them at once, ahead
    /// of the full rebuild that follows, which renders them again with everything else.
    fn show_open_pages(&mut self, theme: &Theme) -> Result<(), Diagnostics> {
        let (Some(c), Some(early)) = (self.compiled.as_ref(), self.early.as_mut()) else {
            return Ok(());
        };
        let open: Vec<_> = c
            .site
            .documents()
            .filter(|(_, doc)| self.first.contains(&render::page_path(&doc.url)))
            .map(|(id, _)| id)
            .collect();
        if open.is_empty() {
            return Ok(());
        }
        let cx = RenderContext {
            smart_punctuation: c.config.smart_punctuation,
            links: &c.kept.links,
            embeds: &c.kept.embeds,
            highlighter: &self.highlighter,
            shortcodes: theme,
        };
        let input = RenderInput {
            config: &c.config,
            site: &c.site,
            theme,
            link_style: LinkStyle::Pretty,
            checklist_url: c.kept.checklist_url.as_deref(),
            slow_pages: None,
        };
        let mut files = self.files.clone();
        for id in open {
            let mut body = markdown::render(c.site.document(id), id, &cx);
            body.diagnostics.clear();
            let (path, bytes) = render::render_document(&input, &c.kept.shared, id, body)
                .and_then(|page| bytes_of(page.file))
                .map_err(Diagnostics::from)?;
            files.insert(path, bytes);
        }
        early(&files);
        Ok(())
    }
}

/// The documents rendered with one of `templates`.
fn documents_using(site: &Site, templates: &BTreeSet<String>) -> Vec<crate::content::DocId> {
    site.documents()
        .filter(|(id, doc)| templates.contains(render::template_of(*id, doc)))
        .map(|(id, _)| id)
        .collect()
}
