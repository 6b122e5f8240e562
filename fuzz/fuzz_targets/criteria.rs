//! Criteria files: parse + validate arbitrary text; on success scoring never panics and keeps
//! its invariants, and the model JSON is safe inside `<script>` and parses back.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use plumb::checklist::parse;
use plumb::diagnostic::Source;

fuzz_target!(|text: &str| {
    let source = Source::new("content/checklists/fuzz.toml", text);
    match parse(&source) {
        Ok(checklist) => {
            common::report(Ok(&checklist));
            common::check_checklist(&checklist, text.len());
        }
        Err(diagnostics) => {
            common::report(Err(&diagnostics));
            for diagnostic in diagnostics.iter() {
                let _ = diagnostic.to_string();
                let _ = diagnostic.render(false);
            }
        }
    }
});
