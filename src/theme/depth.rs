//! A stack limit on macro calls while rendering. [`super::recursion`] refuses recursion that can
//! never end; a macro that calls itself under an `{% if %}` whose condition never turns false
//! still would, and tera has no limit of its own: the stack runs out and the process dies (and
//! `plumb serve` with it). So every macro body starts with a call to plumb (added to tera's
//! syntax tree after parsing), which measures how much stack the render has used on this thread
//! (from the address of one of its locals, compared with one taken when the render began) and
//! fails the render, with an error naming the macro, past [`STACK_FOR_MACROS`]: half of the
//! smallest stack a rendering thread has, whatever the build profile's frame sizes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Tera, Value};

use crate::output::lock;

/// How much stack a render may use by the time it enters a macro: half of the 2 MiB that
/// rayon's threads (and Rust's) get, hundreds of levels of macros in a release build.
pub(super) const STACK_FOR_MACROS: usize = 1024 * 1024;

const ENTER: &str = "__plumb_enter_macro";

/// Where the stack stood when the current render began, on each rendering thread.
#[derive(Debug, Default, Clone)]
pub(super) struct MacroDepth(Arc<Mutex<HashMap<ThreadId, usize>>>);

/// Where this thread's stack stands: the address of a local of this call.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl MacroDepth {
    /// Adds the measuring call to every macro of `tera` and registers it.
    pub(super) fn install(&self, tera: &mut Tera) {
        for template in tera.templates.values_mut() {
            let file = template.name.clone();
            for (name, definition) in &mut template.macros {
                let label = format!("the macro `{name}` of `{file}`");
                definition.body.insert(0, call(ENTER, &label));
            }
        }
        let depth = self.clone();
        tera.register_function(ENTER, move |args: &HashMap<String, Value>| {
            let here = stack_position();
            let base = *lock(&depth.0).entry(thread::current().id()).or_insert(here);
            if base.abs_diff(here) > STACK_FOR_MACROS {
                let label = args.get("macro").and_then(Value::as_str).unwrap_or("a macro");
                return Err(tera::Error::msg(format!(
                    "{label} calls itself so deep that rendering would run out of stack: the condition meant to stop its recursion never does"
                )));
            }
            Ok(Value::String(String::new()))
        });
    }

    /// Marks where this thread's stack stands as a render begins.
    pub(super) fn reset(&self) {
        lock(&self.0).insert(thread::current().id(), stack_position());
    }
}

/// `{{ name(macro="label") }}`
fn call(name: &str, label: &str) -> Node {
    let args = HashMap::from([(
        "macro".to_owned(),
        Expr::new(ExprVal::String(label.to_owned())),
    )]);
    Node::VariableBlock(
        WS::default(),
        Expr::new(ExprVal::FunctionCall(FunctionCall {
            name: name.to_owned(),
            args,
        })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(templates: &[(&str, &str)], page: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        let depth = MacroDepth::default();
        depth.install(&mut tera);
        depth.reset();
        tera.render(page, &tera::Context::new()).map_err(|err| {
            let mut chain = vec![err.to_string()];
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                chain.push(cause.to_string());
                source = cause.source();
            }
            chain.join(": ")
        })
    }

    const MACROS: &str = "{% macro down(n) %}{% if n > 0 %}{{ n }} {{ self::down(n=n - 1) }}{% endif %}{% endmacro %}\
                          {% macro up(n) %}{% if n > -1 %}{{ self::up(n=n + 1) }}{% endif %}{% endmacro %}";

    #[test]
    fn a_recursion_whose_condition_never_stops_it_is_an_error_not_a_crash() {
        // A rendering thread's stack (rayon's default) must outlast the limit.
        let result = thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                render(
                    &[
                        ("macros.html", MACROS),
                        (
                            "page.html",
                            "{% import \"macros.html\" as m %}{{ m::up(n=0) }}",
                        ),
                    ],
                    "page.html",
                )
            })
            .unwrap()
            .join()
            .unwrap();
        let err = result.unwrap_err();
        assert!(
            err.contains("the macro `up` of `macros.html` calls itself so deep that rendering would run out of stack"),
            "{err}"
        );
    }

    #[test]
    fn a_recursion_that_ends_renders_as_before() {
        let html = render(
            &[
                ("macros.html", MACROS),
                (
                    "page.html",
                    "{% import \"macros.html\" as m %}[{{ m::down(n=3) }}][{{ m::down(n=20) | length > 0 }}]",
                ),
            ],
            "page.html",
        )
        .unwrap();
        assert!(html.starts_with("[3 2 1 ]"), "{html}");
    }
}
