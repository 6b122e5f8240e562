//! The search index a build writes: a word finds its page, stop words are left out, words
//! stem, the index splits into shards by the first letters of its terms, each language has
//! its own index, and `[search]` turns it off or adds code. The index is read back from the
//! classic scripts the browser loads.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{Fixture, copy_tree, repo};
use serde_json::Value;

/// One language's index of a built site, read from its folder (`public/search/`).
struct Index {
    manifest: Value,
    /// By shard key.
    shards: BTreeMap<String, Shard>,
    /// Every page's `[url, title, parts]`, in order.
    pages: Vec<Value>,
}

/// One term shard: stem -> flat postings, word -> stem.
struct Shard {
    stems: BTreeMap<String, Vec<u32>>,
    words: BTreeMap<String, String>,
}

/// The arguments of the one `plumbSearch.<call>(...)` in a file, as a JSON array.
fn arguments(text: &str, call: &str) -> Vec<Value> {
    let inner = text
        .strip_prefix(&format!("plumbSearch.{call}("))
        .and_then(|rest| rest.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("not a {call} call: {text:.80}"));
    serde_json::from_str::<Vec<Value>>(&format!("[{inner}]")).expect("JSON arguments")
}

impl Index {
    fn read(site: &Fixture) -> Self {
        Self::read_in(site, "search")
    }

    /// The index in `folder` (below the output): `search`, `es/search`.
    fn read_in(site: &Fixture, folder_name: &str) -> Self {
        let folder = site.output().join(folder_name);
        let manifest = arguments(&site.read(&format!("{folder_name}/index.js")), "init").remove(0);
        let mut shards = BTreeMap::new();
        let mut docs = BTreeMap::new();
        for entry in fs::read_dir(&folder).expect("search folder") {
            let name = entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("name");
            let text = site.read(&format!("{folder_name}/{name}"));
            if let Some(key) = name
                .strip_prefix("terms-")
                .and_then(|k| k.strip_suffix(".js"))
            {
                let args = arguments(&text, "terms");
                assert_eq!(args[0], key, "{name} names its shard");
                let shard = Shard {
                    stems: serde_json::from_value(args[1].clone()).expect("stems"),
                    words: serde_json::from_value(args[2].clone()).expect("words"),
                };
                shards.insert(key.to_owned(), shard);
            } else if let Some(n) = name
                .strip_prefix("docs-")
                .and_then(|n| n.strip_suffix(".js"))
            {
                let args = arguments(&text, "docs");
                let n: u64 = n.parse().expect("a number");
                assert_eq!(args[0], n, "{name} names its number");
                docs.insert(n, args[1].as_array().expect("rows").clone());
            }
        }
        Self {
            manifest,
            shards,
            pages: docs.into_values().flatten().collect(),
        }
    }

    /// The shard a term is in, as `search.js` finds it.
    fn shard_of(&self, term: &str) -> String {
        let length = self.manifest["key"].as_u64().expect("key") as usize;
        plumb::search::shards::shard_key(term, length)
    }

    fn stem_of(&self, word: &str) -> String {
        self.try_stem_of(word)
            .unwrap_or_else(|| panic!("`{word}` is not in the index"))
    }

    fn try_stem_of(&self, word: &str) -> Option<String> {
        let shard = self.shards.get(&self.shard_of(word))?;
        shard
            .words
            .get(word)
            .cloned()
            .or_else(|| shard.stems.contains_key(word).then(|| word.to_owned()))
    }

    /// The URLs of the pages `word` (folded, unstemmed) finds, best first; none for a word
    /// the index does not have.
    fn find(&self, word: &str) -> Vec<String> {
        let Some(stem) = self.try_stem_of(word) else {
            return Vec::new();
        };
        let postings = &self.shards[&self.shard_of(&stem)].stems[&stem];
        let mut page = 0;
        let mut scored: Vec<(u32, u32)> = postings
            .chunks(3)
            .map(|posting| {
                page += posting[0];
                (posting[2], page)
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut urls: Vec<String> = Vec::new();
        for (_, page) in scored {
            let url = self.pages[page as usize][0]
                .as_str()
                .expect("url")
                .to_owned();
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        urls
    }

    fn has_stem(&self, stem: &str) -> bool {
        self.shards
            .values()
            .any(|shard| shard.stems.contains_key(stem))
    }
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}\n")
}

fn built(pages: &[(&str, String)], site_toml_tail: &str) -> Fixture {
    let site = Fixture::new("basic");
    for (path, text) in pages {
        site.write(path, text);
    }
    if !site_toml_tail.is_empty() {
        let toml = fs::read_to_string(site.root.join("site.toml")).expect("site.toml");
        site.write("site.toml", &format!("{toml}\n{site_toml_tail}\n"));
    }
    site.build().expect("the site builds");
    site
}

#[test]
fn a_word_finds_its_page_and_its_title_ranks_it_first() {
    let site = built(
        &[
            (
                "content/notes/appeals.md",
                page("Appeals", "How a driver appeals a decision."),
            ),
            (
                "content/notes/pay.md",
                page("Pay", "Pay, and when to appeal it."),
            ),
        ],
        "",
    );
    let index = Index::read(&site);
    assert_eq!(index.find("appeal"), ["notes/appeals/", "notes/pay/"]);
    assert_eq!(index.find("driver"), ["notes/appeals/"]);
}

#[test]
fn stop_words_are_left_out() {
    let site = built(
        &[(
            "content/notes/a.md",
            page("A note", "The route and the shift."),
        )],
        "",
    );
    let index = Index::read(&site);
    assert!(index.has_stem("rout") && index.has_stem("shift"));
    for stop in ["the", "and"] {
        assert!(!index.has_stem(stop), "`{stop}` is indexed");
        let listed = index.manifest["stop"].as_array().expect("stop words");
        assert!(listed.iter().any(|w| w == stop), "`{stop}` is not listed");
    }
}

#[test]
fn words_stem_to_one_term_and_accents_fold() {
    let site = built(
        &[(
            "content/notes/a.md",
            page("Deactivation", "Drivers were deactivated. Un café décidé."),
        )],
        "",
    );
    let index = Index::read(&site);
    assert_eq!(index.stem_of("deactivated"), index.stem_of("deactivation"));
    assert_eq!(index.find("deactivated"), ["notes/a/"]);
    assert_eq!(index.find("drivers"), index.find("driver"));
    assert_eq!(index.find("cafe"), ["notes/a/"]);
}

#[test]
fn a_large_site_is_split_by_first_letters_and_its_pages_in_parts() {
    // 200 pages of 150 words of their own: 30,000 hits, past one shard's worth.
    let letters = |mut n: usize| {
        let mut word = String::new();
        for _ in 0..4 {
            word.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        word
    };
    let pages: Vec<(String, String)> = (0..200)
        .map(|p| {
            let words: Vec<String> = (0..150)
                .map(|w| format!("q{}", letters(p * 150 + w)))
                .collect();
            (
                format!("content/many/p{p}.md"),
                page(&format!("Page {p}"), &words.join(" ").repeat(3)),
            )
        })
        .collect();
    let pages: Vec<(&str, String)> = pages.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    let site = built(&pages, "");
    let index = Index::read(&site);
    assert_eq!(index.manifest["key"], 1, "one letter names a shard");
    assert!(index.shards.len() > 2, "{:?}", index.shards.keys());
    for (key, shard) in &index.shards {
        for term in shard.stems.keys().chain(shard.words.keys()) {
            assert!(term.starts_with(key.as_str()), "`{term}` in shard `{key}`");
        }
    }
    let per = index.manifest["per"].as_u64().expect("per") as usize;
    assert!(
        per < index.pages.len(),
        "the pages are in several document shards"
    );
    assert_eq!(
        index.pages.len(),
        index.manifest["pages"].as_u64().expect("pages") as usize
    );
    assert_eq!(
        index.find(&format!("q{}", letters(7 * 150 + 3))),
        ["many/p7/"]
    );
}

#[test]
fn search_can_be_turned_off() {
    let site = built(&[], "[search]\nenabled = false");
    assert!(!site.output().join("search").exists());
    let assets: Vec<_> = fs::read_dir(site.output())
        .expect("output")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("search."))
        .collect();
    assert!(assets.is_empty(), "no search script");
}

#[test]
fn code_blocks_are_searched_only_when_asked() {
    let text = page("Code", "Prose.\n\n```text\nfrobnicate\n```");
    let without = built(&[("content/notes/code.md", text.clone())], "");
    assert!(!Index::read(&without).has_stem("frobnic"));
    let with = built(
        &[("content/notes/code.md", text)],
        "[search]\ninclude_code = true",
    );
    assert_eq!(Index::read(&with).find("frobnicate"), ["notes/code/"]);
}

/// The two-language fixture (English, Spanish in `/es/`) built with the guide theme.
fn two_languages() -> Fixture {
    let site = Fixture::new("languages");
    copy_tree(
        &repo().join("themes/guide"),
        &site.root.join("themes/guide"),
    );
    site.build().expect("the site builds");
    site
}

#[test]
fn each_language_has_its_own_index_of_its_own_pages() {
    let site = two_languages();
    let english = Index::read(&site);
    let spanish = Index::read_in(&site, "es/search");
    let urls = |index: &Index| -> Vec<String> {
        index
            .pages
            .iter()
            .map(|page| page[0].as_str().expect("url").to_owned())
            .collect()
    };
    assert!(!urls(&english).is_empty() && !urls(&spanish).is_empty());
    assert!(
        urls(&english).iter().all(|url| !url.starts_with("es/")),
        "{:?}",
        urls(&english)
    );
    assert!(
        urls(&spanish).iter().all(|url| url.starts_with("es/")),
        "{:?}",
        urls(&spanish)
    );
    // "guía" is one letter from "guide": in one index, a Spanish reader's search found the
    // English pages too.
    assert_eq!(english.find("guia"), Vec::<String>::new());
    assert!(spanish.find("guia").contains(&"es/guide/".to_owned()));
    assert!(english.find("guide").contains(&"guide/".to_owned()));
    assert_eq!(spanish.find("guide"), Vec::<String>::new());
    // The default language's manifest names the others' indexes, for pages in those.
    assert_eq!(english.manifest["languages"]["es"], "es/search/");
    assert!(spanish.manifest.get("languages").is_none());
}

#[test]
fn spanish_pages_are_stemmed_in_spanish_without_spanish_stop_words() {
    let site = two_languages();
    let spanish = Index::read_in(&site, "es/search");
    // Spanish Snowball: "pago" and "pagos" are one stem; English's would keep "pago".
    assert_eq!(spanish.stem_of("pago"), "pag");
    assert!(spanish.find("pago").contains(&"es/guide/pay/".to_owned()));
    let stop = |index: &Index| -> Vec<String> {
        serde_json::from_value(index.manifest["stop"].clone()).expect("stop words")
    };
    for word in ["de", "el", "la", "los"] {
        assert!(stop(&spanish).contains(&word.to_owned()), "`{word}`");
        assert!(!spanish.has_stem(word), "`{word}` is indexed");
    }
    let english = Index::read(&site);
    assert!(stop(&english).contains(&"the".to_owned()));
    assert!(!stop(&english).contains(&"de".to_owned()));
}
