//! Markdown → Word body: pulldown-cmark events written as WordprocessingML paragraphs
//! and tables ([`super::xml`]). Headings get Word's heading styles (so the navigation pane and the contents
//! work) and a bookmark each; every list gets a Word numbering instance of its own (so
//! it restarts) and nested lists the next level; tables go to [`super::tables`];
//! pictures to [`super::picture`]; `[TO BE COMPLETED: …]` gets the `Placeholder` style,
//! so a gap stands out on paper as it does in `check`.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::numbering::{ListInstance, ListKind};
use super::picture::Picture;
use super::tables::{Cell, TEXT_WIDTH, TableState, build_table};
use super::xml::{self, Format, Paragraph, Relationships, Target};
use crate::document::markdown_options as options;

/// A heading of the body, for the contents on the control page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// The Word heading level, 1 to 4.
    pub(super) level: usize,
    pub(super) text: String,
    pub(super) bookmark: String,
}

/// The converted body, with what the rest of the package needs to know about it.
pub(super) struct Body {
    /// The paragraphs and tables, as XML.
    pub(super) xml: String,
    /// The lists, in order: list `n` is Word numbering instance `n + 1`.
    pub(super) lists: Vec<ListInstance>,
    pub(super) headings: Vec<Heading>,
    /// The links and pictures the body refers to.
    pub(super) relationships: Relationships,
}

/// How the converter reaches outside the Markdown text.
pub(super) struct Context<'a> {
    /// How links to other documents of the pack are written (`.md` → `.docx`).
    pub(super) rewrite_link: &'a dyn Fn(&str) -> Option<String>,
    /// The picture a Markdown image refers to, if it can be shown.
    pub(super) picture: &'a dyn Fn(&str) -> Option<Picture>,
}

/// The mark that opens a placeholder the config did not fill (see `crate::placeholder`).
const PLACEHOLDER: &str = "[TO BE COMPLETED";

#[derive(Default)]
struct Inline {
    bold: usize,
    italic: usize,
    strike: usize,
}

/// A list being read: its Word numbering instance.
struct List {
    num_id: usize,
    kind: ListKind,
}

/// A picture being read: where it points and its alt text so far.
struct Image {
    target: String,
    alt: String,
}

/// A link being read: its runs as they look in a link and as plain text (if the link
/// turns out to go nowhere Word can follow, its text stays, plain).
struct Link {
    target: String,
    linked: String,
    plain: String,
}

struct Converter<'a> {
    body: String,
    paragraph: Option<Paragraph>,
    inline: Inline,
    link: Option<Link>,
    lists: Vec<List>,
    list_instances: Vec<ListInstance>,
    /// The next paragraph is the first of a list item: it carries the number or bullet.
    item_starts: bool,
    table: Option<TableState>,
    /// The plain text of the table cell being read, for its column's width.
    cell_text: Option<String>,
    quote: usize,
    code_block: bool,
    context: &'a Context<'a>,
    /// Text events are gathered until the next other event: pulldown-cmark splits
    /// `[TO BE COMPLETED: …]` at its brackets, and the placeholder is found whole.
    pending: String,
    /// Inside a placeholder (it may span emphasis or a line break).
    in_placeholder: bool,
    /// The text of the heading being read, for its bookmark.
    heading: Option<(usize, String)>,
    headings: Vec<Heading>,
    /// Heading anchors as the site makes them ([`crate::outline`]), so a link to
    /// `doc.md#anchor` lands on the same heading in Word.
    anchors: crate::outline::Anchors,
    next_bookmark: usize,
    image: Option<Image>,
    relationships: Relationships,
}

/// `title` is the document's first-level heading when the caller took it out of
/// `markdown` (Word shows it as the title): it still counts for the anchors, so the
/// other headings get the anchors the site gives them.
pub(super) fn convert(markdown: &str, context: &Context<'_>, title: Option<&str>) -> Body {
    let mut anchors = crate::outline::Anchors::default();
    if let Some(title) = title {
        anchors.next(title);
    }
    let mut converter = Converter {
        body: String::with_capacity(markdown.len() * 4),
        paragraph: None,
        inline: Inline::default(),
        link: None,
        lists: Vec::new(),
        list_instances: Vec::new(),
        item_starts: false,
        table: None,
        cell_text: None,
        quote: 0,
        code_block: false,
        context,
        pending: String::new(),
        in_placeholder: false,
        heading: None,
        headings: Vec::new(),
        anchors,
        next_bookmark: 1,
        image: None,
        relationships: Relationships::default(),
    };
    for event in Parser::new_ext(markdown, options()) {
        converter.event(event);
    }
    converter.flush_text();
    converter.finish_paragraph();
    Body {
        xml: converter.body,
        lists: converter.list_instances,
        headings: converter.headings,
        relationships: converter.relationships,
    }
}

/// The Word bookmark of a heading anchor. Word wants a name that starts with a letter,
/// holds only letters, digits and underscores, and is at most 40 characters long; a
/// longer one keeps its start and gets a short hash of the whole, so it stays unique.
pub(crate) fn bookmark(anchor: &str) -> String {
    let name: String = std::iter::once('s')
        .chain(std::iter::once('_'))
        .chain(anchor.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }))
        .collect();
    if name.len() <= 40 {
        return name;
    }
    let hash = crate::fs::sha256_hex(anchor.as_bytes());
    format!("{}_{}", &name[..31], &hash[..8])
}

impl Converter<'_> {
    fn event(&mut self, event: Event<'_>) {
        if !matches!(event, Event::Text(_)) {
            self.flush_text();
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(image) = &mut self.image {
                    image.alt.push_str(&text);
                    return;
                }
                if let Some((_, heading)) = &mut self.heading {
                    heading.push_str(&text);
                }
                self.pending.push_str(&text);
            }
            Event::Code(text) => {
                if let Some(image) = &mut self.image {
                    image.alt.push_str(&text);
                    return;
                }
                if let Some((_, heading)) = &mut self.heading {
                    heading.push_str(&text);
                }
                if let Some(cell) = &mut self.cell_text {
                    cell.push_str(&text);
                }
                let format = Format { monospace: true, shaded: true, ..self.format() };
                self.push_run(&text, format);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => self.text(&raw),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push_raw(xml::LINE_BREAK),
            Event::Rule => {
                self.finish_paragraph();
                Paragraph::styled("Rule").write(&mut self.body);
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::FootnoteReference(label) => self.text(&format!("[{label}]")),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.open_paragraph(),
            Tag::Heading { level, .. } => {
                self.finish_paragraph();
                // The first-level heading is the title (see `control`): sections start
                // at Word's Heading 1, as in any Word report.
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 1,
                    HeadingLevel::H3 => 2,
                    HeadingLevel::H4 => 3,
                    _ => 4,
                };
                self.paragraph = Some(Paragraph::styled(&format!("Heading{level}")));
                self.heading = Some((level, String::new()));
            }
            Tag::BlockQuote(_) => {
                self.finish_paragraph();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.finish_paragraph();
                self.code_block = true;
            }
            Tag::List(first) => {
                self.finish_paragraph();
                let kind = if first.is_some() { ListKind::Ordered } else { ListKind::Bullet };
                // A list nested in a list of its kind is that list's next level; any
                // other list is a numbering instance of its own, so it starts afresh.
                let num_id = match self.lists.last() {
                    Some(parent) if parent.kind == kind && first.is_none_or(|n| n == 1) => parent.num_id,
                    _ => {
                        let level = self.lists.len();
                        self.list_instances.push(ListInstance { kind, level, start: first.unwrap_or(1) });
                        self.list_instances.len()
                    }
                };
                self.lists.push(List { num_id, kind });
            }
            Tag::Item => {
                self.finish_paragraph();
                self.item_starts = true;
                self.open_paragraph();
            }
            Tag::Table(_) => {
                self.finish_paragraph();
                self.table = Some(TableState::default());
            }
            Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = true;
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                self.paragraph = Some(Paragraph::styled("TableText"));
                self.cell_text = Some(String::new());
            }
            Tag::Emphasis => self.inline.italic += 1,
            Tag::Strong => self.inline.bold += 1,
            Tag::Strikethrough => self.inline.strike += 1,
            Tag::Link { dest_url, .. } => {
                self.link = Some(Link { target: dest_url.to_string(), linked: String::new(), plain: String::new() })
            }
            Tag::Image { dest_url, .. } => {
                self.image = Some(Image { target: dest_url.to_string(), alt: String::new() })
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                // Every heading is a bookmark named after its anchor: the target of
                // links to its section from other documents (the compliance matrix)
                // and of the contents.
                let (level, text) = self.heading.take().unwrap_or_default();
                let anchor = self.anchors.next(&text);
                let name = bookmark(&anchor);
                let id = self.next_bookmark;
                self.next_bookmark += 1;
                if let Some(paragraph) = &mut self.paragraph {
                    xml::bookmark(&mut paragraph.content, id, &name);
                }
                self.headings.push(Heading { level, text: text.trim().to_owned(), bookmark: name });
                self.finish_paragraph();
            }
            TagEnd::Paragraph | TagEnd::Item => self.finish_paragraph(),
            TagEnd::BlockQuote(_) => {
                self.finish_paragraph();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.finish_paragraph();
                self.code_block = false;
            }
            TagEnd::List(_) => {
                self.finish_paragraph();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                let paragraph = self.paragraph.take().unwrap_or_default();
                let text = self.cell_text.take().unwrap_or_default();
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Cell { paragraph, text });
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = false;
                    table.head_rows = table.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    build_table(table, &mut self.body);
                }
            }
            TagEnd::Emphasis => self.inline.italic = self.inline.italic.saturating_sub(1),
            TagEnd::Strong => self.inline.bold = self.inline.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.inline.strike = self.inline.strike.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            _ => {}
        }
    }

    fn end_link(&mut self) {
        let Some(link) = self.link.take() else { return };
        let Some(url) = (self.context.rewrite_link)(&link.target) else {
            self.push_raw(&link.plain);
            return;
        };
        // A section of this document is a bookmark here; of another document, that
        // file's bookmark.
        let target = match url.split_once('#') {
            Some(("", anchor)) => Target::Bookmark(bookmark(anchor)),
            Some((file, anchor)) => Target::Relationship(format!("{file}#{}", bookmark(anchor))),
            None => Target::Relationship(url),
        };
        self.open_paragraph();
        if let Some(paragraph) = &mut self.paragraph {
            xml::hyperlink(&mut paragraph.content, &target, &link.linked, &mut self.relationships);
        }
    }

    /// A picture is a paragraph of its own, with its alt text as the caption below it;
    /// one that cannot be shown leaves its alt text in the text.
    fn end_image(&mut self) {
        let Some(image) = self.image.take() else { return };
        let alt = image.alt.trim().to_owned();
        let Some(picture) = (self.context.picture)(&image.target) else {
            let shown = if alt.is_empty() { image.target } else { alt };
            self.text(&format!("[Figure: {shown}]"));
            return;
        };
        if self.table.is_some() {
            // A table cell holds text only here; the caption says what is missing.
            self.text(&format!("[Figure: {alt}]"));
            return;
        }
        self.finish_paragraph();
        let number = self.relationships.images.len() + 1;
        let mut figure = Paragraph::styled("Figure");
        let size = fit(&picture);
        xml::picture(&mut figure.content, picture.png, size, &alt, &mut self.relationships);
        figure.write(&mut self.body);
        let caption = if alt.is_empty() { format!("Figure {number}") } else { format!("Figure {number}: {alt}") };
        let mut paragraph = Paragraph::styled("Caption");
        paragraph.run(&caption, Format::default());
        paragraph.write(&mut self.body);
    }

    fn new_paragraph(&mut self) -> Paragraph {
        let style = if self.code_block {
            Some("Code")
        } else if self.quote > 0 {
            Some("Quote")
        } else if !self.lists.is_empty() {
            Some("ListParagraph")
        } else {
            None
        };
        let mut paragraph = Paragraph { style: style.map(str::to_owned), ..Paragraph::default() };
        if let Some(list) = self.lists.last() {
            let level = self.lists.len() - 1;
            if std::mem::take(&mut self.item_starts) {
                paragraph.numbering = Some((list.num_id, level));
            } else if !self.code_block {
                // A further paragraph of an item lines up with its text, unnumbered.
                paragraph.indent = Some(360 * (level + 1));
            }
        }
        paragraph
    }

    fn open_paragraph(&mut self) {
        self.current_paragraph();
    }

    fn finish_paragraph(&mut self) {
        self.flush_text();
        if self.table.is_some() {
            return; // cells are collected by the table
        }
        if let Some(paragraph) = self.paragraph.take().filter(|p| !p.is_empty()) {
            paragraph.write(&mut self.body);
        }
    }

    /// The format of text here: emphasis, and bold in a table's head.
    fn format(&self) -> Format {
        let in_table_head = self.table.as_ref().is_some_and(|t| t.in_head);
        Format {
            bold: self.inline.bold > 0 || in_table_head,
            italic: self.inline.italic > 0,
            strike: self.inline.strike > 0,
            ..Format::default()
        }
    }

    /// Text gathered from consecutive text events, as runs: placeholders get their
    /// style.
    fn flush_text(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending);
        self.text(&text);
    }

    fn text(&mut self, text: &str) {
        if let Some(cell) = &mut self.cell_text {
            cell.push_str(text);
        }
        if self.code_block {
            // One Word paragraph per line keeps the layout of code.
            for (index, line) in text.split('\n').enumerate() {
                if index > 0 {
                    self.finish_paragraph();
                }
                if index > 0 && line.is_empty() {
                    continue;
                }
                self.open_paragraph();
                self.push_run(line, Format { monospace: true, ..Format::default() });
            }
            return;
        }
        let format = self.format();
        for (segment, placeholder) in self.split_placeholders(text) {
            self.push_run(segment, Format { placeholder, ..format });
        }
    }

    /// `text` cut where placeholders open and close, each piece with whether it is
    /// part of a placeholder (one may have opened in earlier text).
    fn split_placeholders<'t>(&mut self, text: &'t str) -> Vec<(&'t str, bool)> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if self.in_placeholder {
                match rest.find(']') {
                    Some(end) => {
                        pieces.push((&rest[..=end], true));
                        rest = &rest[end + 1..];
                        self.in_placeholder = false;
                    }
                    None => {
                        pieces.push((rest, true));
                        rest = "";
                    }
                }
            } else {
                match rest.find(PLACEHOLDER) {
                    Some(0) => self.in_placeholder = true,
                    Some(start) => {
                        pieces.push((&rest[..start], false));
                        rest = &rest[start..];
                        self.in_placeholder = true;
                    }
                    None => {
                        pieces.push((rest, false));
                        rest = "";
                    }
                }
            }
        }
        pieces
    }

    fn push_run(&mut self, text: &str, format: Format) {
        if let Some(link) = &mut self.link {
            xml::run(&mut link.linked, text, Format { link: true, ..format });
            xml::run(&mut link.plain, text, format);
            return;
        }
        self.current_paragraph().run(text, format);
    }

    /// A run already written as XML (a line break, a link's plain text).
    fn push_raw(&mut self, raw: &str) {
        if let Some(link) = &mut self.link {
            link.linked.push_str(raw);
            link.plain.push_str(raw);
            return;
        }
        self.current_paragraph().content.push_str(raw);
    }

    /// The paragraph being written, opened if there is none.
    fn current_paragraph(&mut self) -> &mut Paragraph {
        let paragraph = self.paragraph.take().unwrap_or_else(|| self.new_paragraph());
        self.paragraph.insert(paragraph)
    }
}

/// The size to show a picture at, in EMU: its own, or the text width if it is wider.
fn fit(picture: &Picture) -> (u64, u64) {
    const EMU_PER_PX: u64 = 9525;
    const EMU_PER_TWIP: u64 = 635;
    let width = u64::from(picture.width_px) * EMU_PER_PX;
    let height = u64::from(picture.height_px) * EMU_PER_PX;
    let widest = TEXT_WIDTH as u64 * EMU_PER_TWIP;
    if width > widest { (widest, height * widest / width.max(1)) } else { (width, height) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(markdown: &str) -> Body {
        let context = Context { rewrite_link: &|_| None, picture: &|_| None };
        convert(markdown, &context, None)
    }

    #[test]
    fn every_list_is_an_instance_of_its_own_and_nested_lists_go_a_level_down() {
        let lists = body("- a\n- b\n  - c\n\ntext\n\n1. one\n2. two\n   - x\n\npara\n\n- again\n").lists;
        let kinds: Vec<(ListKind, usize)> = lists.iter().map(|l| (l.kind, l.level)).collect();
        assert_eq!(
            kinds,
            [(ListKind::Bullet, 0), (ListKind::Ordered, 0), (ListKind::Bullet, 1), (ListKind::Bullet, 0)]
        );
    }

    #[test]
    fn placeholders_are_found_across_text_events_and_styled() {
        let xml = body("Investment: [TO BE COMPLETED: capacity *investments*] and more.").xml;
        assert_eq!(xml.matches("<w:rStyle w:val=\"Placeholder\"/>").count(), 3, "{xml}");
        assert!(xml.contains("and more."));
    }

    #[test]
    fn headings_are_collected_for_the_contents() {
        let headings = body("## 1. Scope\n\ntext\n\n### Details\n").headings;
        assert_eq!(headings.len(), 2);
        assert_eq!((headings[0].level, headings[0].text.as_str()), (1, "1. Scope"));
        assert_eq!(headings[1].level, 2);
        assert!(headings[1].bookmark.starts_with("s_"));
    }

    #[test]
    fn a_picture_that_cannot_be_shown_leaves_its_alt_text() {
        let xml = body("![Maturity per area](chart.svg)").xml;
        assert!(xml.contains("[Figure: Maturity per area]"), "{xml}");
    }
}
