//! The text of one document as search reads it, collected from the same event stream that
//! renders it: one [`Part`] before the first heading and one per heading, each with the
//! heading's id, its words and its code apart (a site chooses whether code is searched).
//!
//! It only gathers text; tokenizing and weighing are `search`'s job.

/// A document's searchable text, part by part.
#[derive(Debug, Default, Clone)]
pub struct SearchText {
    /// The text before the first heading comes first (its anchor and heading empty).
    pub parts: Vec<Part>,
}

/// The text under one heading, up to the next.
#[derive(Debug, Default, Clone)]
pub struct Part {
    /// The heading's id, the page's top for the first part.
    pub anchor: String,
    pub heading: String,
    /// Prose, words separated by single spaces.
    pub text: String,
    /// Inline code is prose; this is the text of code blocks.
    pub code: String,
}

impl SearchText {
    fn current(&mut self) -> &mut Part {
        if self.parts.is_empty() {
            self.parts.push(Part::default());
        }
        let last = self.parts.len() - 1;
        &mut self.parts[last]
    }

    /// Text of the current part (prose or inline code).
    pub(crate) fn text(&mut self, text: &str) {
        let part = self.current();
        let text = if part.text.is_empty() || part.text.ends_with(' ') {
            text.trim_start()
        } else {
            text
        };
        part.text.push_str(text);
    }

    /// The end of a word: anything but text between two texts (a break, a paragraph's end).
    pub(crate) fn gap(&mut self) {
        let part = self.current();
        if !part.text.is_empty() && !part.text.ends_with(' ') {
            part.text.push(' ');
        }
    }

    /// A heading starts a new part.
    pub(crate) fn heading(&mut self, anchor: &str, heading: &str) {
        if self.parts.is_empty() {
            self.parts.push(Part::default());
        }
        self.parts.push(Part {
            anchor: anchor.to_owned(),
            heading: heading.to_owned(),
            ..Part::default()
        });
    }

    /// A code block of the current part.
    pub(crate) fn code(&mut self, code: &str) {
        let part = self.current();
        if !part.code.is_empty() {
            part.code.push(' ');
        }
        part.code.push_str(code);
    }

    /// Removes the shortcodes' placeholders and trailing spaces, and returns spare capacity.
    pub(crate) fn finish(&mut self, clean: impl Fn(&str) -> String) {
        for part in &mut self.parts {
            part.text = clean(part.text.trim_end());
            part.code.shrink_to_fit();
        }
    }
}
