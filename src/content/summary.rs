//! A page's summary where its author marks one: the text before `<!-- more -->`, as Zola and
//! Hugo read it. Found with the markdown parser, so a marker inside code is not one.

use pulldown_cmark::{Event, Parser, TagEnd};

/// The marker as markdown rendering writes it back, wherever and however it was written.
pub const MORE: &str = "<!-- more -->";

/// The plain text before the `<!-- more -->` marker of `markdown`, if it has one.
pub fn before_more(markdown: &str) -> Option<String> {
    memchr::memmem::find(markdown.as_bytes(), b"<!--")?;
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) if is_more(&html) => {
                return Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    None
}

/// Whether a piece of raw HTML is the marker (spaces inside the comment may vary).
pub(crate) fn is_more(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_before_the_marker_is_the_summary() {
        assert_eq!(
            before_more("First *part*.\n\nSecond\npart.\n\n<!-- more -->\n\nRest.\n").as_deref(),
            Some("First part. Second part.")
        );
        assert_eq!(before_more("No marker.\n"), None);
        assert_eq!(before_more("```html\n<!-- more -->\n```\n"), None);
        assert_eq!(
            before_more("Inline <!--more--> marker.").as_deref(),
            Some("Inline")
        );
        assert_eq!(MORE, "<!-- more -->");
    }
}
