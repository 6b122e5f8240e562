//! Adding to a finished page's `<head>`: `plumb serve` adds its live-reload script to each page
//! it sends, after the finishing pass, as the script names the build the page came from. The
//! page is read by the same HTML tokenizer as the pass, so a `</head>` in a comment or in text is
//! no head.

use std::cell::Cell;

use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, Settings, element, end};

/// `html` with `fragment` (trusted HTML) appended to its `<head>`, or at its end when it has
/// none.
pub fn append_to_head(html: &[u8], fragment: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + fragment.len());
    let added = Cell::new(false);
    let settings = Settings::new()
        .with_strict(false)
        .append_element_content_handler(element!("head", |el| {
            if !added.replace(true) {
                el.append(fragment, ContentType::Html);
            }
            Ok(())
        }))
        .append_document_content_handler(end!(|end| {
            if !added.get() {
                end.append(fragment, ContentType::Html);
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    let written = rewriter.write(html).and_then(|()| rewriter.end());
    if written.is_err() {
        // The rewriter fails only on memory limits plumb does not set; a page it could not read
        // is sent with the fragment after it.
        out.clear();
        out.extend_from_slice(html);
        out.extend_from_slice(fragment.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appended(html: &str) -> String {
        String::from_utf8(append_to_head(
            html.as_bytes(),
            "<script src=\"x.js\"></script>",
        ))
        .expect("UTF-8")
    }

    #[test]
    fn the_fragment_ends_the_head() {
        assert_eq!(
            appended("<html><head><title>t</title></head><body></body></html>"),
            "<html><head><title>t</title><script src=\"x.js\"></script></head><body></body></html>"
        );
    }

    #[test]
    fn a_head_in_a_comment_or_in_text_is_no_head() {
        assert_eq!(
            appended("<!-- </head> --><head><title>&lt;/head&gt;</title></head><pre></head></pre>"),
            "<!-- </head> --><head><title>&lt;/head&gt;</title><script src=\"x.js\"></script></head><pre></head></pre>"
        );
    }

    #[test]
    fn a_page_without_a_head_gets_the_fragment_at_its_end() {
        assert_eq!(
            appended("<p>hi</p>"),
            "<p>hi</p><script src=\"x.js\"></script>"
        );
    }
}
