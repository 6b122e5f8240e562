//! GitHub's alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) as
//! callouts: a `role="note"` block whose visible title says which kind it is, so the kind is
//! never carried by colour or an icon alone. The theme styles `.callout-<kind>`.

use pulldown_cmark::BlockQuoteKind;

/// The opening HTML of a callout of `kind`.
pub(super) fn open(kind: BlockQuoteKind) -> String {
    let (class, title) = names(kind);
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

/// The closing HTML of a callout.
pub(super) const CLOSE: &str = "</div>\n";

fn names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
