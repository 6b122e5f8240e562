//! Which attributes hold URLs, and which of them make the browser load something: the one list
//! the finishing pass, the link check and the offline files all read. It must never be copied:
//! three lists drifted apart before (one knew `poster`, another `srcset`).

/// Attributes whose value is a URL (`srcset`: a list of them), on any element.
pub(crate) const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "srcset",
    "poster",
    "action",
    "formaction",
    "data",
    "cite",
];

/// Elements that load what these attributes name (the others only link to it).
const LOADING: &[(&str, &[&str])] = &[
    ("script", &["src"]),
    ("img", &["src", "srcset"]),
    ("iframe", &["src"]),
    ("source", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("track", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("link", &["href"]),
];

/// `rel` values of `<link>` that make the browser fetch the `href`.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "preconnect",
];

/// Whether `<tag attribute=…>` makes the browser load the URL; `rel` is the element's `rel`.
pub(crate) fn loads(tag: &str, attribute: &str, rel: Option<&str>) -> bool {
    let Some((_, attributes)) = LOADING.iter().find(|(name, _)| *name == tag) else {
        return false;
    };
    if !attributes.contains(&attribute) {
        return false;
    }
    tag != "link"
        || rel.is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| LOADING_RELS.iter().any(|l| l.eq_ignore_ascii_case(r)))
        })
}

/// One URL of a `srcset`: its byte range in the attribute's value.
pub(crate) fn srcset_urls(value: &str) -> Vec<std::ops::Range<usize>> {
    // Candidates are `url [descriptor]` separated by commas; a URL may itself hold commas only
    // when it is not followed by whitespace, which is how the HTML standard splits them too.
    let mut urls = Vec::new();
    let bytes = value.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut end = at;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            urls.push(start..end);
        }
        if end < at {
            // The URL ended with a comma: the candidate has no descriptor.
            continue;
        }
        while at < bytes.len() && bytes[at] != b',' {
            at += 1;
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(srcset: &str, expected: &[&str]) {
        let found: Vec<&str> = srcset_urls(srcset)
            .into_iter()
            .map(|r| &srcset[r])
            .collect();
        assert_eq!(found, expected, "{srcset}");
    }

    #[test]
    fn srcset_candidates() {
        check("/a.png", &["/a.png"]);
        check("/a.png 1x, /b.png 2x", &["/a.png", "/b.png"]);
        check(" a.png 100w,b.png  200w ", &["a.png", "b.png"]);
        check("a.png, b.png 2x", &["a.png", "b.png"]);
        // Without whitespace after it, a comma belongs to the URL (as in the HTML standard).
        check("a.png,b.png 2x", &["a.png,b.png"]);
        check("a.png,, b.png", &["a.png", "b.png"]);
        check("", &[]);
    }

    #[test]
    fn what_loads() {
        assert!(loads("img", "srcset", None));
        assert!(loads("link", "href", Some("preload stylesheet")));
        assert!(!loads("link", "href", Some("canonical")));
        assert!(!loads("a", "href", None));
        assert!(!loads("script", "href", None));
    }
}
