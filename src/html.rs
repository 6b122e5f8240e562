//! Just enough reading of generated HTML to check it: the start tags of a page with their
//! attributes. It reads plumb's own output (and the raw HTML authors put in markdown), not
//! arbitrary web pages: comments and `<script>` bodies are not special-cased, which is sound
//! because plumb's script bodies are JSON with `<` escaped.

/// A start tag of a page, read lazily: its attributes are parsed only when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    name: &'a str,
    attributes: &'a str,
}

impl<'a> Tag<'a> {
    /// Whether this is a `name` tag (`name` in lowercase).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The tag's name, lowercase.
    pub fn name(&self) -> String {
        self.name.to_ascii_lowercase()
    }

    /// Every attribute: names lowercase, values as written.
    pub fn attrs(&self) -> Vec<(String, String)> {
        parse_attributes(self.attributes)
    }

    pub fn attr(&self, name: &str) -> Option<String> {
        // Attribute names are case-insensitive; skip the parse when the name is nowhere.
        let mentioned = self
            .attributes
            .as_bytes()
            .windows(name.len())
            .any(|w| w.eq_ignore_ascii_case(name.as_bytes()));
        if !mentioned {
            return None;
        }
        self.attrs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Every start tag of `html`, in order.
pub fn tags(html: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find('<')?;
            rest = &rest[start + 1..];
            let name_end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            if name_end == 0 {
                continue;
            }
            let end = tag_end(rest).unwrap_or(rest.len());
            let tag = Tag {
                name: &rest[..name_end],
                attributes: &rest[name_end..end],
            };
            rest = &rest[end..];
            return Some(tag);
        }
    })
}

/// The offset of the `>` closing a tag, skipping quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    // Quotes and `>` are ASCII, so the offsets found are character boundaries.
    let bytes = tag.as_bytes();
    let mut at = 0;
    loop {
        let i = at + memchr::memchr3(b'>', b'"', b'\'', &bytes[at..])?;
        if bytes[i] == b'>' {
            return Some(i);
        }
        at = i + 2 + memchr::memchr(bytes[i], &bytes[i + 1..])?;
    }
}

/// `name="value"` pairs of a tag's attribute text (names lowercased).
fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return attrs;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remainder) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remainder;
            value.to_owned()
        } else {
            if name.is_empty() {
                return attrs;
            }
            String::new()
        };
        attrs.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_and_attributes() {
        let found: Vec<Tag> =
            tags(r#"<p>x</p><A HREF='/a' data-x="1 > 0" hidden><img src=pic.png alt="">"#)
                .collect();
        assert_eq!(found.len(), 3);
        assert!(found[1].is("a"));
        assert_eq!(found[1].name(), "a");
        assert_eq!(found[1].attr("href").as_deref(), Some("/a"));
        assert_eq!(found[1].attr("data-x").as_deref(), Some("1 > 0"));
        assert_eq!(found[1].attr("hidden").as_deref(), Some(""));
        assert_eq!(found[2].attr("src").as_deref(), Some("pic.png"));
    }

    #[test]
    fn a_tag_ends_at_the_first_unquoted_close() {
        let tag = r#" title="it's > x" alt='say "hi" >'>after"#;
        assert_eq!(tag_end(tag), tag.find(">after"));
        assert_eq!(tag_end(r#" title="never closed>"#), None);
        assert_eq!(tag_end(">"), Some(0));
    }
}
