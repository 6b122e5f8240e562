//! Template recursion that can never end, found before anything renders: a template that
//! includes itself (directly or through others), a macro that calls itself, where the include
//! or call is not inside an `{% if %}` or `{% for %}` that could stop it. tera has no depth
//! limit, so rendering one would run the stack out and kill the process (and with it
//! `plumb serve`). Recursion under a condition or a loop (a macro walking a tree) is allowed.
//!
//! tera's syntax tree keeps no positions, so the diagnostic points at the first place in the
//! template's text where the include or call is written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::Tera;
use tera::ast::{Expr, ExprVal, Node};

use crate::diagnostic::{Diagnostic, Source};

/// A template, or a macro of a template file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro { file: String, name: String },
}

/// One unconditional step from a unit to another, and how the template's text writes it.
#[derive(Debug, Clone)]
struct Step {
    to: Unit,
    /// The file the step is written in, and a piece of its text that finds it.
    file: String,
    needle: String,
    /// "includes `x.html`", "calls the macro `m::x`".
    words: String,
}

/// Every cycle of unconditional includes and macro calls, as an error at its first step.
pub(super) fn check(tera: &Tera, files: &HashMap<String, Source>) -> Vec<Diagnostic> {
    let steps = steps(tera);
    let mut reported: BTreeSet<BTreeSet<Unit>> = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for start in steps.keys() {
        let Some(cycle) = cycle_from(start, &steps) else {
            continue;
        };
        let members: BTreeSet<Unit> = cycle.iter().map(|s| s.to.clone()).collect();
        if !reported.insert(members) {
            continue;
        }
        let path: Vec<String> = cycle.iter().map(|s| s.words.clone()).collect();
        let first = &cycle[0];
        let message = format!(
            "{} {}: rendering would never end",
            name_of(start),
            path.join(", which ")
        );
        let diagnostic = Diagnostic::error(message).with_hint(
            "put the include or call inside an `{% if %}` or `{% for %}` that stops it, or remove it",
        );
        diagnostics.push(match files.get(&first.file) {
            Some(source) => match source.text.find(&first.needle) {
                Some(at) => diagnostic.at(source, at..at + first.needle.len()),
                None => diagnostic.in_file(&source.path),
            },
            None => diagnostic,
        });
    }
    diagnostics
}

fn name_of(unit: &Unit) -> String {
    match unit {
        Unit::Template(name) => format!("`{name}`"),
        Unit::Macro { file, name } => format!("the macro `{name}` of `{file}`"),
    }
}

/// A path of steps from `start` back to it, if there is one.
fn cycle_from(start: &Unit, steps: &BTreeMap<Unit, Vec<Step>>) -> Option<Vec<Step>> {
    let mut seen = BTreeSet::new();
    let mut path = Vec::new();
    walk(start, start, steps, &mut seen, &mut path).then_some(path)
}

fn walk(
    start: &Unit,
    at: &Unit,
    steps: &BTreeMap<Unit, Vec<Step>>,
    seen: &mut BTreeSet<Unit>,
    path: &mut Vec<Step>,
) -> bool {
    for step in steps.get(at).into_iter().flatten() {
        path.push(step.clone());
        if &step.to == start
            || (seen.insert(step.to.clone()) && walk(start, &step.to, steps, seen, path))
        {
            return true;
        }
        path.pop();
    }
    false
}

/// Every unit's unconditional steps.
fn steps(tera: &Tera) -> BTreeMap<Unit, Vec<Step>> {
    let mut all = BTreeMap::new();
    for (name, template) in &tera.templates {
        let imports: HashMap<&str, &str> = template
            .imported_macro_files
            .iter()
            .map(|(file, namespace)| (namespace.as_str(), file.as_str()))
            .collect();
        let scope = Scope {
            tera,
            file: name,
            imports: &imports,
        };
        let mut found = Vec::new();
        if let Some(parent) = &template.parent {
            found.push(Step {
                to: Unit::Template(parent.clone()),
                file: name.clone(),
                needle: parent.clone(),
                words: format!("extends `{parent}`"),
            });
        }
        scope.nodes(&template.ast, &mut found);
        all.insert(Unit::Template(name.clone()), found);
        for (macro_name, definition) in &template.macros {
            let mut found = Vec::new();
            scope.nodes(&definition.body, &mut found);
            all.insert(
                Unit::Macro {
                    file: name.clone(),
                    name: macro_name.clone(),
                },
                found,
            );
        }
    }
    all
}

/// What names mean inside one template file.
struct Scope<'a> {
    tera: &'a Tera,
    file: &'a str,
    /// Namespace -> the file its macros come from.
    imports: &'a HashMap<&'a str, &'a str>,
}

impl Scope<'_> {
    /// The steps `nodes` take whatever the context holds: not those inside `if` or `for`
    /// bodies, but those in their conditions and containers.
    fn nodes(&self, nodes: &[Node], found: &mut Vec<Step>) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, expr) => self.expr(expr, found),
                Node::Set(_, set) => self.expr(&set.value, found),
                Node::Include(_, names, _) => {
                    if let Some(name) = names.iter().find(|n| self.tera.templates.contains_key(*n))
                    {
                        found.push(Step {
                            to: Unit::Template(name.clone()),
                            file: self.file.to_owned(),
                            needle: name.clone(),
                            words: format!("includes `{name}`"),
                        });
                    }
                }
                Node::FilterSection(_, section, _) => {
                    self.exprs(section.filter.args.values(), found);
                    self.nodes(&section.body, found);
                }
                Node::Block(_, block, _) => self.nodes(&block.body, found),
                Node::Forloop(_, forloop, _) => self.expr(&forloop.container, found),
                Node::If(branches, _) => {
                    if let Some((_, condition, _)) = branches.conditions.first() {
                        self.expr(condition, found);
                    }
                }
                _ => {}
            }
        }
    }

    fn exprs<'e>(&self, exprs: impl IntoIterator<Item = &'e Expr>, found: &mut Vec<Step>) {
        for expr in exprs {
            self.expr(expr, found);
        }
    }

    fn expr(&self, expr: &Expr, found: &mut Vec<Step>) {
        for filter in &expr.filters {
            self.exprs(filter.args.values(), found);
        }
        match &expr.val {
            ExprVal::MacroCall(call) => {
                let file = if call.namespace == "self" {
                    Some(self.file)
                } else {
                    self.imports.get(call.namespace.as_str()).copied()
                };
                if let Some(file) = file {
                    found.push(Step {
                        to: Unit::Macro {
                            file: file.to_owned(),
                            name: call.name.clone(),
                        },
                        file: self.file.to_owned(),
                        needle: format!("{}::{}", call.namespace, call.name),
                        words: format!("calls the macro `{}::{}`", call.namespace, call.name),
                    });
                }
                self.exprs(call.args.values(), found);
            }
            ExprVal::FunctionCall(call) => self.exprs(call.args.values(), found),
            ExprVal::Math(math) => self.exprs([&*math.lhs, &*math.rhs], found),
            ExprVal::Logic(logic) => self.exprs([&*logic.lhs, &*logic.rhs], found),
            ExprVal::In(within) => self.exprs([&*within.lhs, &*within.rhs], found),
            ExprVal::Test(test) => self.exprs(&test.args, found),
            ExprVal::Array(items) => self.exprs(items, found),
            ExprVal::String(_)
            | ExprVal::Int(_)
            | ExprVal::Float(_)
            | ExprVal::Bool(_)
            | ExprVal::Ident(_)
            | ExprVal::StringConcat(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors for these templates, one line each.
    fn check_templates(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        let files = templates
            .iter()
            .map(|(name, text)| {
                (
                    (*name).to_owned(),
                    Source::new(format!("templates/{name}"), *text),
                )
            })
            .collect();
        check(&tera, &files)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_template_including_itself_is_an_error_at_the_include() {
        let errors = check_templates(&[("page.html", "<p>\n{% include \"page.html\" %}\n</p>")]);
        assert_eq!(
            errors,
            [
                "templates/page.html:2:13: error: `page.html` includes `page.html`: rendering would never end (hint: put the include or call inside an `{% if %}` or `{% for %}` that stops it, or remove it)"
            ]
        );
    }

    #[test]
    fn an_include_cycle_through_two_templates_is_one_error() {
        let errors = check_templates(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "x {% include \"a.html\" %}"),
        ]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("`a.html` includes `b.html`, which includes `a.html`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_macro_calling_itself_unconditionally_is_an_error() {
        let errors = check_templates(&[
            (
                "macros.html",
                "{% macro loop(n) %}{{ self::loop(n=n) }}{% endmacro %}",
            ),
            (
                "page.html",
                "{% import \"macros.html\" as m %}{{ m::loop(n=1) }}",
            ),
        ]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("the macro `loop` of `macros.html` calls the macro `self::loop`"),
            "{errors:?}"
        );
    }

    #[test]
    fn recursion_under_a_condition_or_a_loop_is_allowed() {
        let errors = check_templates(&[
            (
                "macros.html",
                "{% macro tree(node) %}{% for child in node.children %}{{ self::tree(node=child) }}{% endfor %}{% endmacro %}\
                 {% macro down(n) %}{% if n > 0 %}{{ self::down(n=n - 1) }}{% endif %}{% endmacro %}",
            ),
            (
                "page.html",
                "{% import \"macros.html\" as m %}{{ m::tree(node=page) }}{% include \"part.html\" %}",
            ),
            ("part.html", "part"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
