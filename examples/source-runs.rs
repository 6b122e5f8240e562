//! Writes `tests/originality/source-runs.txt` from a copy of the article the guide grows from:
//!
//! ```sh
//! cargo run --example source-runs -- path/to/article.txt > tests/originality/source-runs.txt
//! ```
//!
//! The file holds only hashes of the article's runs of eight words (see
//! `tests/originality/runs.rs`), never its text, so the repository carries none of the article
//! while `tests/guide.rs` can still find a copied run anywhere in `content/`.

use std::collections::BTreeSet;
use std::process::ExitCode;

#[path = "../tests/originality/runs.rs"]
mod runs;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!(
            "usage: cargo run --example source-runs -- ARTICLE.txt > tests/originality/source-runs.txt"
        );
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", path.to_string_lossy());
            return ExitCode::FAILURE;
        }
    };
    let hashes: BTreeSet<u64> = runs::runs(&text)
        .into_iter()
        .map(|(hash, _)| hash)
        .collect();
    println!("# Hashes of the runs of eight words of the article the guide grows from.");
    println!(
        "# Written by `cargo run --example source-runs -- ARTICLE.txt`; read by tests/guide.rs."
    );
    println!(
        "# One run per line: xxh3-64 of its normalised words joined by spaces (tests/originality/runs.rs)."
    );
    for hash in hashes {
        println!("{hash:016x}");
    }
    ExitCode::SUCCESS
}
