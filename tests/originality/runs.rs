//! Runs of eight words, as the originality test compares them: one definition shared by
//! `tests/guide.rs` and `examples/source-runs.rs`, which writes `source-runs.txt`.
//!
//! Words are lowercased, apostrophes dropped, and split at anything that is not a letter or a
//! digit, so punctuation, case and line breaks do not hide a copied run. A run is stored as the
//! 64-bit xxh3 hash of its words joined by single spaces: the test needs only to know whether a
//! run occurs in the article, not the article's words.

/// How many words make a run.
pub(crate) const RUN: usize = 8;

/// A word of `text` and the line (from 1) it stands on.
pub(crate) struct Word {
    pub text: String,
    pub line: usize,
}

/// The words of `text`, normalised.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_text = line.to_lowercase().replace(['\u{2019}', '\''], "");
        words.extend(
            line_text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| Word {
                    text: w.to_owned(),
                    line: index + 1,
                }),
        );
    }
    words
}

/// The hash of one run of words.
pub(crate) fn hash(run: &[Word]) -> u64 {
    let joined: Vec<&str> = run.iter().map(|w| w.text.as_str()).collect();
    xxhash_rust::xxh3::xxh3_64(joined.join(" ").as_bytes())
}

/// The hashes of every run of `text`, each with the line its first word stands on.
pub(crate) fn runs(text: &str) -> Vec<(u64, usize)> {
    words(text)
        .windows(RUN)
        .map(|run| (hash(run), run[0].line))
        .collect()
}
