//! Markdown → Word body: pulldown-cmark events turned into docx-rs paragraphs and
//! tables. Headings get Word's heading styles (so the navigation pane and the contents
//! work) and a bookmark each; every list gets a Word numbering instance of its own (so
//! it restarts) and nested lists the next level; tables go to [`super::tables`];
//! pictures to [`super::picture`]; `[TO BE COMPLETED: …]` gets the `Placeholder` style,
//! so a gap stands out on paper as it does in `check`.

use docx_rs::{Hyperlink, HyperlinkType, IndentLevel, NumberingId, Paragraph, Pic, Run, RunFonts, Shading, Table};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::numbering::{ListInstance, ListKind};
use super::picture::Picture;
use super::styles::MONOSPACE;
use super::tables::{Cell, TEXT_WIDTH, TableState, build_table};
use crate::document::markdown_options as options;

/// A block of the Word body, in order.
pub(super) enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

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
    pub(super) blocks: Vec<Block>,
    /// The lists, in order: list `n` is Word numbering instance `n + 1`.
    pub(super) lists: Vec<ListInstance>,
    pub(super) headings: Vec<Heading>,
    /// The alt text of each picture, in order (docx-rs cannot write it).
    pub(super) alt_texts: Vec<String>,
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

struct Converter<'a> {
    blocks: Vec<Block>,
    paragraph: Option<Paragraph>,
    inline: Inline,
    link: Option<(String, Vec<Run>)>,
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
    alt_texts: Vec<String>,
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
        blocks: Vec::new(),
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
        alt_texts: Vec::new(),
    };
    for event in Parser::new_ext(markdown, options()) {
        converter.event(event);
    }
    converter.flush_text();
    converter.finish_paragraph();
    Body {
        blocks: converter.blocks,
        lists: converter.list_instances,
        headings: converter.headings,
        alt_texts: converter.alt_texts,
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
                let run = self
                    .run(&text)
                    .fonts(RunFonts::new().ascii(MONOSPACE).hi_ansi(MONOSPACE))
                    .shading(Shading::new().fill("EEEEEE"));
                self.push_run(run);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => self.text(&raw),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push_run(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
            Event::Rule => {
                self.finish_paragraph();
                self.blocks.push(Block::Paragraph(Box::new(Paragraph::new().style("Rule"))));
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
                self.paragraph = Some(Paragraph::new().style(&format!("Heading{level}")));
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
                self.paragraph = Some(Paragraph::new().style("TableText"));
                self.cell_text = Some(String::new());
            }
            Tag::Emphasis => self.inline.italic += 1,
            Tag::Strong => self.inline.bold += 1,
            Tag::Strikethrough => self.inline.strike += 1,
            Tag::Link { dest_url, .. } => self.link = Some((dest_url.to_string(), Vec::new())),
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
                if let Some(paragraph) = self.paragraph.take() {
                    self.paragraph = Some(paragraph.add_bookmark_start(id, &name).add_bookmark_end(id));
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
                    self.blocks.push(Block::Table(Box::new(build_table(table))));
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
        let Some((target, runs)) = self.link.take() else { return };
        let link = match (self.context.rewrite_link)(&target) {
            Some(url) => {
                // A section of this document is a bookmark here; of another document,
                // that file's bookmark.
                let hyperlink = match url.split_once('#') {
                    Some(("", anchor)) => Hyperlink::new(bookmark(anchor), HyperlinkType::Anchor),
                    Some((file, anchor)) => {
                        Hyperlink::new(format!("{file}#{}", bookmark(anchor)), HyperlinkType::External)
                    }
                    None => Hyperlink::new(url, HyperlinkType::External),
                };
                runs.into_iter().fold(hyperlink, |link, run| link.add_run(run.color("1F5F99").underline("single")))
            }
            None => {
                for run in runs {
                    self.push_run(run);
                }
                return;
            }
        };
        let paragraph = self.paragraph.take().unwrap_or_else(|| self.new_paragraph());
        self.paragraph = Some(paragraph.add_hyperlink(link));
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
        let number = self.alt_texts.len() + 1;
        // docx-rs numbers pictures with a counter shared by the whole process; ours
        // counts per document, so the same Markdown gives the same file.
        let (width, height) = fit(&picture);
        let pic = Pic::new_with_dimensions(picture.png, picture.width_px, picture.height_px)
            .id(format!("rIdImage{number}"))
            .size(width, height);
        self.blocks
            .push(Block::Paragraph(Box::new(Paragraph::new().style("Figure").add_run(Run::new().add_image(pic)))));
        let caption = if alt.is_empty() { format!("Figure {number}") } else { format!("Figure {number}: {alt}") };
        self.blocks
            .push(Block::Paragraph(Box::new(Paragraph::new().style("Caption").add_run(Run::new().add_text(caption)))));
        self.alt_texts.push(alt);
    }

    fn new_paragraph(&mut self) -> Paragraph {
        let mut paragraph = Paragraph::new();
        if self.code_block {
            paragraph = paragraph.style("Code");
        } else if self.quote > 0 {
            paragraph = paragraph.style("Quote");
        } else if !self.lists.is_empty() {
            paragraph = paragraph.style("ListParagraph");
        }
        if let Some(list) = self.lists.last() {
            let level = self.lists.len() - 1;
            if std::mem::take(&mut self.item_starts) {
                paragraph = paragraph.numbering(NumberingId::new(list.num_id), IndentLevel::new(level));
            } else if !self.code_block {
                // A further paragraph of an item lines up with its text, unnumbered.
                paragraph = paragraph.indent(Some(360 * (level as i32 + 1)), None, None, None);
            }
        }
        paragraph
    }

    fn open_paragraph(&mut self) {
        if self.paragraph.is_none() {
            self.paragraph = Some(self.new_paragraph());
        }
    }

    fn finish_paragraph(&mut self) {
        self.flush_text();
        if self.table.is_some() {
            return; // cells are collected by the table
        }
        if let Some(paragraph) = self.paragraph.take().filter(|p| !p.children().is_empty()) {
            self.blocks.push(Block::Paragraph(Box::new(paragraph)));
        }
    }

    fn run(&self, text: &str) -> Run {
        let mut run = Run::new().add_text(text);
        let in_table_head = self.table.as_ref().is_some_and(|t| t.in_head);
        if self.inline.bold > 0 || in_table_head {
            run = run.bold();
        }
        if self.inline.italic > 0 {
            run = run.italic();
        }
        if self.inline.strike > 0 {
            run = run.strike();
        }
        run
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
                let run = Run::new().add_text(line).fonts(RunFonts::new().ascii(MONOSPACE).hi_ansi(MONOSPACE));
                self.push_run(run);
            }
            return;
        }
        for (segment, placeholder) in self.split_placeholders(text) {
            let run = self.run(segment);
            self.push_run(if placeholder { run.style("Placeholder") } else { run });
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

    fn push_run(&mut self, run: Run) {
        if let Some((_, runs)) = &mut self.link {
            runs.push(run);
            return;
        }
        let paragraph = match self.paragraph.take() {
            Some(paragraph) => paragraph,
            None => self.new_paragraph(),
        };
        self.paragraph = Some(paragraph.add_run(run));
    }
}

/// The size to show a picture at, in EMU: its own, or the text width if it is wider.
fn fit(picture: &Picture) -> (u32, u32) {
    const EMU_PER_PX: u64 = 9525;
    const EMU_PER_TWIP: u64 = 635;
    let width = u64::from(picture.width_px) * EMU_PER_PX;
    let height = u64::from(picture.height_px) * EMU_PER_PX;
    let widest = TEXT_WIDTH as u64 * EMU_PER_TWIP;
    let (width, height) = if width > widest { (widest, height * widest / width.max(1)) } else { (width, height) };
    (u32::try_from(width).unwrap_or(u32::MAX), u32::try_from(height).unwrap_or(u32::MAX))
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
        let mut converter_body = body("Investment: [TO BE COMPLETED: capacity *investments*] and more.");
        let Some(Block::Paragraph(paragraph)) = converter_body.blocks.pop() else { panic!("a paragraph") };
        let xml = String::from_utf8(docx_rs::BuildXML::build(paragraph.as_ref())).unwrap_or_default();
        assert_eq!(xml.matches("<w:rStyle w:val=\"Placeholder\" />").count(), 3, "{xml}");
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
        let mut converted = body("![Maturity per area](chart.svg)");
        let Some(Block::Paragraph(paragraph)) = converted.blocks.pop() else { panic!("a paragraph") };
        let xml = String::from_utf8(docx_rs::BuildXML::build(paragraph.as_ref())).unwrap_or_default();
        assert!(xml.contains("[Figure: Maturity per area]"), "{xml}");
    }
}
