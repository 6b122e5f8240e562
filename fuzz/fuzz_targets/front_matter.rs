//! Front matter splitting and parsing of arbitrary text: never panics; a successful split's
//! ranges lie inside the text, in order, on char boundaries; diagnostics render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plumb::content::front_matter::{parse, split};
use plumb::diagnostic::Source;

fuzz_target!(|text: &str| {
    let source = Source::new("content/fuzz.md", text);
    match split(&source) {
        Ok(s) => {
            assert!(s.header.start <= s.header.end, "{s:?}");
            assert!(s.header.end <= s.body, "{s:?}");
            assert!(s.body <= text.len(), "{s:?}");
            for at in [s.header.start, s.header.end, s.body] {
                assert!(text.is_char_boundary(at), "{s:?} splits a character");
            }
            let _ = &text[s.header.clone()];
            let _ = &text[s.body..];
        }
        Err(diagnostic) => {
            let _ = diagnostic.to_string();
            let _ = diagnostic.render(false);
        }
    }
    match parse(&source) {
        Ok((front_matter, body)) => {
            // The header ends at a `+++` line at or after the first one (a multi-line string
            // may hold a `+++` line), and the body starts on a line of its own.
            let first = split(&source).expect("parse succeeded, so split does").body;
            assert!(first <= body && body <= text.len(), "{first} {body}");
            assert!(text.is_char_boundary(body));
            assert!(body == text.len() || text[..body].ends_with('\n'), "{body}");
            for date in [front_matter.date, front_matter.updated]
                .into_iter()
                .flatten()
            {
                let _ = date.rfc3339();
                let _ = date.day();
            }
        }
        Err(diagnostic) => {
            let _ = diagnostic.to_string();
            let _ = diagnostic.render(false);
            let _ = diagnostic.render(true);
        }
    }
});
