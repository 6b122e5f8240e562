//! The one place that decides how a URL is written into a page.
//!
//! Templates and markdown produce root-relative URLs (`/guide/risk/`). The finishing pass
//! ([`crate::finish`]) writes each URL attribute holding one with [`Rewriter::url`], relative to
//! the page (`../risk/`), so the output works under any sub-path of any host and, with index
//! file names, straight from the file system. External URLs, `//host` and anchors are never
//! given to it.

/// How links to pages are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStyle {
    /// `../risk/`: pretty URLs for a web server.
    Pretty,
    /// `../risk/index.html`: works from `file://` too.
    IndexFile,
}

/// Rewrites the root-relative URLs of one page.
#[derive(Debug, Clone, Copy)]
pub enum Rewriter<'a> {
    /// Relative to the page at this root-relative URL.
    RelativeTo(&'a str, LinkStyle),
    /// Absolute paths under the site's base path, for pages served at any address (the 404 page).
    UnderBase(&'a str),
}

impl Rewriter<'_> {
    /// The URL to write for `target` (root-relative, e.g. `/a/b/#x`).
    pub fn url(&self, target: &str) -> String {
        // Room for the target and a few `../`, so the URL is written without growing.
        let mut url = String::with_capacity(target.len() + 16);
        self.push_url(&mut url, target);
        url
    }

    fn push_url(&self, out: &mut String, target: &str) {
        match *self {
            Rewriter::UnderBase(base) => {
                out.push_str(base);
                out.push_str(&target[1..]);
            }
            Rewriter::RelativeTo(page, style) => push_relative(out, page, target, style),
        }
    }
}

/// Appends `target` (root-relative) as seen from the page at root-relative `page`: up to the
/// folders they share, then down to the target. A page has hundreds of links, so this writes
/// straight into the page's output.
fn push_relative(out: &mut String, page: &str, target: &str, style: LinkStyle) {
    let split = memchr::memchr2(b'?', b'#', target.as_bytes()).unwrap_or(target.len());
    let (path, suffix) = target.split_at(split);
    // Folders as `a/b/`, without the leading `/`; a page's file name (`404.html`) is dropped.
    let after_last_slash = |text: &str| memchr::memrchr(b'/', text.as_bytes()).map(|i| i + 1);
    let page_dir = &page[1..after_last_slash(page).unwrap_or(1)];
    let path = &path[1..];
    let target_dir = &path[..after_last_slash(path).unwrap_or(0)];
    // The whole folders both start with, then one `../` for each of the page's other folders.
    let common = page_dir
        .bytes()
        .zip(target_dir.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let shared = memchr::memrchr(b'/', &page_dir.as_bytes()[..common]).map_or(0, |i| i + 1);
    let ups = memchr::memchr_iter(b'/', &page_dir.as_bytes()[shared..]).count();
    let start = out.len();
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(&path[shared..]);
    if style == LinkStyle::IndexFile && (out.len() == start || out.ends_with('/')) {
        out.push_str("index.html");
    }
    // An empty URL, or one whose first segment has a `:` (which would read as a scheme).
    let url = &out[start..];
    let first = &url.as_bytes()[..memchr::memchr(b'/', url.as_bytes()).unwrap_or(url.len())];
    if url.is_empty() || memchr::memchr(b':', first).is_some() {
        out.insert_str(start, "./");
    }
    out.push_str(suffix);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(page: &str, target: &str, style: LinkStyle) -> String {
        Rewriter::RelativeTo(page, style).url(target)
    }

    #[test]
    fn relative_urls() {
        let pretty = LinkStyle::Pretty;
        assert_eq!(relative("/", "/", pretty), "./");
        assert_eq!(relative("/", "/a/", pretty), "a/");
        assert_eq!(relative("/a/b/", "/", pretty), "../../");
        assert_eq!(relative("/a/b/", "/a/c/#x", pretty), "../c/#x");
        assert_eq!(relative("/a/b/", "/a/b/", pretty), "./");
        assert_eq!(relative("/a/b/", "/x/y/", pretty), "../../x/y/");
        assert_eq!(
            relative("/a/", "/style.1234.css", pretty),
            "../style.1234.css"
        );
        assert_eq!(relative("/", "/#top", pretty), "./#top");
        assert_eq!(relative("/404.html", "/a/", pretty), "a/");
        assert_eq!(relative("/a/bc/", "/a/b/", pretty), "../b/");
        assert_eq!(relative("/é/", "/è/", pretty), "../è/", "no shared folder");
        assert_eq!(relative("/a/", "/a:b/", pretty), "../a:b/");
        assert_eq!(
            relative("/", "/a:b/", pretty),
            "./a:b/",
            "not read as a scheme"
        );
    }

    #[test]
    fn index_file_links_name_the_file() {
        let style = LinkStyle::IndexFile;
        assert_eq!(relative("/", "/", style), "index.html");
        assert_eq!(relative("/a/b/", "/a/c/#x", style), "../c/index.html#x");
        assert_eq!(relative("/a/b/", "/a/b/", style), "index.html");
        assert_eq!(relative("/a/", "/s.css", style), "../s.css");
    }

    #[test]
    fn under_base_for_pages_served_anywhere() {
        assert_eq!(Rewriter::UnderBase("/guide/").url("/a/"), "/guide/a/");
    }
}
