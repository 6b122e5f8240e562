//! Criteria files: parse + validate arbitrary text; on success scoring never panics and keeps
//! its invariants, and the model JSON is safe inside `<script>` and parses back.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    common::check_criteria_text(text);
});
