//! The machine-readable files of a site: `sitemap.xml`, the Atom feed `atom.xml`, `robots.txt`.
//! All URLs here are absolute (built from `base_url`), as their readers require.

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use crate::config::Config;
use crate::content::{Document, Site};

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html(&mut out, text).ok();
    out
}

/// Every page and section, with its last change where known.
pub fn sitemap(config: &Config, site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (_, doc) in site
        .documents()
        .filter(|(_, d)| d.meta.redirect_to.is_none())
    {
        let loc = xml_escape(&config.permalink(&doc.url));
        let _ = write!(xml, "  <url><loc>{loc}</loc>");
        if let Some(date) = doc.meta.updated.or(doc.meta.date) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", date.day());
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// An Atom feed of the dated pages, newest first. Its `updated` is the newest page's date, not
/// the build's time, so an unchanged site builds byte for byte the same.
pub fn atom(config: &Config, site: &Site) -> String {
    let mut dated: Vec<&Document> = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .filter(|d| d.meta.date.is_some())
        .collect();
    let newest = |d: &Document| d.meta.updated.max(d.meta.date);
    dated.sort_by(|a, b| newest(b).cmp(&newest(a)).then_with(|| a.url.cmp(&b.url)));
    let feed_url = config.permalink("/atom.xml");
    let updated = dated
        .first()
        .and_then(|d| newest(d))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| d.rfc3339());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{subtitle}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{updated}</updated>\n",
        lang = xml_escape(&config.language),
        title = xml_escape(&config.title),
        subtitle = xml_escape(&config.description),
        feed = xml_escape(&feed_url),
        home = xml_escape(&config.base_url),
    );
    for doc in dated {
        let link = xml_escape(&config.permalink(&doc.url));
        let published = doc.meta.date.map(|d| d.rfc3339()).unwrap_or_default();
        let updated = newest(doc).map(|d| d.rfc3339()).unwrap_or_default();
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n",
            xml_escape(&doc.meta.title),
        );
        if let Some(summary) = doc.meta.description.as_ref().or(doc.meta.summary.as_ref()) {
            let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(summary));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        config.permalink("/sitemap.xml")
    )
}
