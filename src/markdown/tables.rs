//! Table cells written with their column's alignment as a class (`class="align-center"`),
//! where pulldown-cmark writes a `style` attribute, which a strict Content-Security-Policy
//! blocks. The cells are rewritten in the event stream, so nothing the author wrote is touched.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

/// Where the renderer is in the table being read.
#[derive(Debug, Default)]
pub(super) struct Table {
    alignments: Vec<Alignment>,
    head: bool,
    column: usize,
}

impl Table {
    /// The event to write for `event`: a cell's start and end tags as HTML of their own, any
    /// other event as it is.
    pub(super) fn rewrite<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match &event {
            Event::Start(Tag::Table(alignments)) => {
                self.alignments.clone_from(alignments);
            }
            Event::Start(Tag::TableHead) => {
                self.head = true;
                self.column = 0;
            }
            Event::End(TagEnd::TableHead) => self.head = false,
            Event::Start(Tag::TableRow) => self.column = 0,
            Event::Start(Tag::TableCell) => {
                let alignment = self.alignments.get(self.column).copied();
                return Event::InlineHtml(CowStr::Borrowed(open(self.head, alignment)));
            }
            Event::End(TagEnd::TableCell) => {
                self.column += 1;
                let close = if self.head { "</th>" } else { "</td>" };
                return Event::InlineHtml(CowStr::Borrowed(close));
            }
            _ => {}
        }
        event
    }
}

/// A cell's start tag.
fn open(head: bool, alignment: Option<Alignment>) -> &'static str {
    match (head, alignment.unwrap_or(Alignment::None)) {
        (true, Alignment::None) => "<th>",
        (true, Alignment::Left) => "<th class=\"align-left\">",
        (true, Alignment::Center) => "<th class=\"align-center\">",
        (true, Alignment::Right) => "<th class=\"align-right\">",
        (false, Alignment::None) => "<td>",
        (false, Alignment::Left) => "<td class=\"align-left\">",
        (false, Alignment::Center) => "<td class=\"align-center\">",
        (false, Alignment::Right) => "<td class=\"align-right\">",
    }
}
