//! Compressed copies of text files (`.gz`, `.br`) for hosts that serve them as they are (nginx
//! `gzip_static`, `brotli_static`), and the compressed size the build reports for a page's
//! first load.
//!
//! Functions of bytes, but for reading a static text file that is copied as it is: the build
//! decides which files get copies and hands them to the sink.

use std::borrow::Cow;
use std::io::Write;

use crate::config::Compression;
use crate::output::{Contents, OutputFile};

/// The bytes of a text file (see [`is_text`]), read from its source when it is copied as it is.
/// `None` for other files, and for a source that cannot be read (the sink reports that).
pub fn text_of(file: &OutputFile) -> Option<Cow<'_, [u8]>> {
    if !is_text(&file.path) {
        return None;
    }
    match &file.contents {
        Contents::Bytes(bytes) => Some(Cow::Borrowed(bytes)),
        Contents::Copy(from) => std::fs::read(from).ok().map(Cow::Owned),
    }
}

/// A file's size, from its source's metadata when it is copied as it is (0 if unreadable).
pub fn size_of(file: &OutputFile) -> u64 {
    match &file.contents {
        Contents::Bytes(bytes) => bytes.len() as u64,
        Contents::Copy(from) => std::fs::metadata(from).map_or(0, |m| m.len()),
    }
}

/// Whether a file is text that compresses well (the formats hosts compress).
pub fn is_text(path: &str) -> bool {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        extension,
        "html" | "css" | "js" | "json" | "svg" | "xml" | "txt" | "webmanifest" | "map"
    )
}

/// The extension a copy in `format` gets beside the file.
pub fn extension(format: Compression) -> &'static str {
    match format {
        Compression::Gzip => "gz",
        Compression::Brotli => "br",
    }
}

/// `bytes` compressed as `format`, at the level a host would use for files compressed once.
pub fn compress(format: Compression, bytes: &[u8]) -> Vec<u8> {
    match format {
        Compression::Gzip => gzip(bytes, flate2::Compression::best()),
        Compression::Brotli => {
            let mut out = Vec::with_capacity(bytes.len() / 3);
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let mut input = bytes;
            // Writing to a Vec cannot fail.
            if brotli::BrotliCompress(&mut input, &mut out, &params).is_err() {
                out.clear();
            }
            out
        }
    }
}

/// The size `bytes` travel as from a host that compresses on the fly (gzip's default level).
pub fn transfer_size(bytes: &[u8]) -> u64 {
    gzip(bytes, flate2::Compression::default()).len() as u64
}

fn gzip(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_file() {
        let text = "<p>Who decides when you work?</p>\n".repeat(50);
        let gz = compress(Compression::Gzip, text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = compress(Compression::Brotli, text.as_bytes());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert!(
            br.len() < text.len() / 10 && transfer_size(text.as_bytes()) < text.len() as u64 / 10
        );
    }

    #[test]
    fn only_text_is_compressed() {
        assert!(
            is_text("a/index.html") && is_text("style.1.css") && is_text("manifest.webmanifest")
        );
        assert!(!is_text("pic.png") && !is_text("font.woff2") && !is_text("README"));
    }
}
