//! Where a page's markdown body sits in the page its template wrote, so that each URL and id the pass
//! meets inside it is named at the place of the content file that wrote it
//! ([`crate::markdown::SourceMap`]) rather than at the generated page's line.
//!
//! The body is found as the template wrote it (`{{ page.content | safe }}`): a template that
//! changes it, or does not print it, leaves every URL and id at its place in the page.

use crate::markdown::SourceMap;

/// A page's rendered markdown and the map of where it came from.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    pub html: &'a str,
    pub sources: &'a SourceMap,
}

/// How many of the body's first bytes are searched for.
const PREFIX: usize = 64;

/// A body found in one page: from `start` of the page, `len` bytes long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed<'a> {
    start: usize,
    len: usize,
    sources: &'a SourceMap,
}

impl<'a> Body<'a> {
    /// Where the body is in `page`, when it is there as written.
    pub(crate) fn place_in(&self, page: &str) -> Option<Placed<'a>> {
        if self.sources.is_empty() || self.html.is_empty() {
            return None;
        }
        let start = find(page.as_bytes(), self.html.as_bytes())?;
        Some(Placed {
            start,
            len: self.html.len(),
            sources: self.sources,
        })
    }
}

/// Where `body` first is in `page`. Searching for the whole body would first build a searcher
/// as long as the body; its first bytes find the candidates, and one comparison confirms each.
fn find(page: &[u8], body: &[u8]) -> Option<usize> {
    let prefix = &body[..body.len().min(PREFIX)];
    memchr::memmem::find_iter(page, prefix)
        .find(|&start| page.get(start..start + body.len()) == Some(body))
}

impl Placed<'_> {
    /// The byte offset in the content file that wrote the page's byte `offset`, when the body
    /// did.
    pub(crate) fn source_of(&self, offset: usize) -> Option<usize> {
        let within = offset.checked_sub(self.start)?;
        if within >= self.len {
            return None;
        }
        self.sources.source_of(within)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_found_past_a_copy_of_its_beginning() {
        let body = format!("<h1>Title</h1>{}<p>end</p>", "x".repeat(PREFIX));
        let start = format!("<title>{}</title>", &body[..PREFIX + 4]);
        let page = format!("{start}<main>{body}</main>");
        assert_eq!(
            find(page.as_bytes(), body.as_bytes()),
            Some(start.len() + "<main>".len())
        );
        assert_eq!(find(b"<main><h1>Title</h1></main>", body.as_bytes()), None);
    }
}
