//! Which templates use which: the templates a template extends, includes (anywhere, under a
//! condition or not) and imports macros from, read from tera's syntax trees. `plumb serve` asks
//! it which page templates an edited template reaches, to rebuild only the pages rendered with
//! them.
//!
//! This module only reads the theme; it never renders and never decides what to rebuild.

use std::collections::{BTreeMap, BTreeSet};

use tera::Tera;
use tera::ast::Node;

/// Every template that uses `changed`, directly or through others, and `changed` itself.
pub fn users_of(tera: &Tera, changed: &str) -> BTreeSet<String> {
    let used_by = used_by(tera);
    let mut found = BTreeSet::from([changed.to_owned()]);
    let mut next = vec![changed.to_owned()];
    while let Some(name) = next.pop() {
        for user in used_by.get(&name).into_iter().flatten() {
            if found.insert(user.clone()) {
                next.push(user.clone());
            }
        }
    }
    found
}

/// Template -> the templates that use it directly.
fn used_by(tera: &Tera) -> BTreeMap<String, BTreeSet<String>> {
    let mut used_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, template) in &tera.templates {
        let mut uses: Vec<String> = template.parent.iter().cloned().collect();
        uses.extend(template.imported_macro_files.iter().map(|(f, _)| f.clone()));
        includes(&template.ast, &mut uses);
        for definition in template.macros.values() {
            includes(&definition.body, &mut uses);
        }
        for used in uses {
            used_by.entry(used).or_default().insert(name.clone());
        }
    }
    used_by
}

/// The templates `nodes` include, at any depth.
fn includes(nodes: &[Node], found: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Include(_, names, _) => found.extend(names.iter().cloned()),
            Node::Block(_, block, _) => includes(&block.body, found),
            Node::FilterSection(_, section, _) => includes(&section.body, found),
            Node::Forloop(_, forloop, _) => {
                includes(&forloop.body, found);
                if let Some(empty) = &forloop.empty_body {
                    includes(empty, found);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &branches.conditions {
                    includes(body, found);
                }
                if let Some((_, body)) = &branches.otherwise {
                    includes(body, found);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(templates: &[(&str, &str)], changed: &str, expected: &[&str]) {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        let users: Vec<String> = users_of(&tera, changed).into_iter().collect();
        assert_eq!(users, expected, "{changed}");
    }

    const THEME: &[(&str, &str)] = &[
        (
            "base.html",
            "{% block main %}{% endblock main %}{% include \"nav.html\" %}",
        ),
        ("nav.html", "<nav></nav>"),
        (
            "macros.html",
            "{% macro card() %}{% include \"card.html\" %}{% endmacro card %}",
        ),
        ("card.html", "<div></div>"),
        (
            "page.html",
            "{% extends \"base.html\" %}{% block main %}x{% endblock main %}",
        ),
        (
            "section.html",
            "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block main %}{% for p in pages %}{{ m::card() }}{% endfor %}{% endblock main %}",
        ),
        (
            "index.html",
            "{% extends \"base.html\" %}{% block main %}{% if x %}{% include \"hero.html\" %}{% endif %}{% endblock main %}",
        ),
        ("hero.html", "<h1></h1>"),
    ];

    #[test]
    fn a_template_few_pages_use_reaches_only_them() {
        check(THEME, "hero.html", &["hero.html", "index.html"]);
        check(
            THEME,
            "card.html",
            &["card.html", "macros.html", "section.html"],
        );
        check(THEME, "index.html", &["index.html"]);
    }

    #[test]
    fn a_template_every_page_uses_reaches_every_page_template() {
        check(
            THEME,
            "nav.html",
            &[
                "base.html",
                "index.html",
                "nav.html",
                "page.html",
                "section.html",
            ],
        );
    }
}
