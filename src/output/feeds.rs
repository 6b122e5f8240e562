//! The machine-readable files of a site: `sitemap.xml`, the Atom feeds (`atom.xml`, and
//! `xx/atom.xml` for each other language), `robots.txt`. All URLs here are absolute (built from
//! `base_url`), as their readers require. A site in several languages lists each page's
//! versions in the sitemap (`xhtml:link` alternates, as search engines read them).

use std::fmt::Write;

use pulldown_cmark_escape::escape_html;

use crate::config::{Config, Language};
use crate::content::translations::{Translations, language_of};
use crate::content::{Document, Site};

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html(&mut out, text).ok();
    out
}

/// Every page and section, with its last change where known.
pub fn sitemap(config: &Config, site: &Site) -> String {
    let translations = (config.languages.len() > 1).then(|| Translations::of(site, config));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if translations.is_some() {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for (_, doc) in site
        .documents()
        .filter(|(_, d)| d.meta.redirect_to.is_none())
    {
        let loc = xml_escape(&config.permalink(&doc.url));
        let _ = write!(xml, "  <url><loc>{loc}</loc>");
        if let Some(date) = doc.meta.updated.or(doc.meta.date) {
            let _ = write!(xml, "<lastmod>{}</lastmod>", date.day());
        }
        if let Some(translations) = &translations {
            let versions = translations.versions(site, config, doc);
            let default = versions.first().and_then(|v| v.permalink.clone());
            let written = versions
                .iter()
                .filter_map(|v| Some((v.code.as_str(), v.permalink.as_deref()?)))
                .chain(default.as_deref().map(|url| ("x-default", url)));
            for (code, url) in written {
                let _ = write!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                    xml_escape(url)
                );
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Each language's Atom feed, with the path it is published at: `atom.xml` for the default
/// language, `xx/atom.xml` for the others.
pub fn atoms(config: &Config, site: &Site) -> Vec<(String, String)> {
    config
        .languages
        .iter()
        .map(|language| {
            let home = language.home(config.default_language());
            let path = format!("{}atom.xml", home.trim_start_matches('/'));
            (path, atom(config, site, language))
        })
        .collect()
}

/// An Atom feed of the dated pages in `language`, newest first. Its `updated` is the newest
/// page's date, not the build's time, so an unchanged site builds byte for byte the same.
pub fn atom(config: &Config, site: &Site, language: &Language) -> String {
    let mut dated: Vec<&Document> = site
        .pages
        .iter()
        .map(|p| &p.doc)
        .filter(|d| d.meta.date.is_some() && language_of(config, d) == language.code)
        .collect();
    let newest = |d: &Document| d.meta.updated.max(d.meta.date);
    dated.sort_by(|a, b| newest(b).cmp(&newest(a)).then_with(|| a.url.cmp(&b.url)));
    let home = language.home(config.default_language());
    let feed_url = config.permalink(&format!("{home}atom.xml"));
    let updated = dated
        .first()
        .and_then(|d| newest(d))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |d| d.rfc3339());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{subtitle}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{updated}</updated>\n",
        lang = xml_escape(if language.code == config.default_language() {
            &config.language
        } else {
            &language.code
        }),
        title = xml_escape(&language.title),
        subtitle = xml_escape(&language.description),
        feed = xml_escape(&feed_url),
        home = xml_escape(&config.permalink(&home)),
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
