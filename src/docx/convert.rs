//! Markdown → Word body: pulldown-cmark events turned into docx-rs paragraphs and
//! tables. Headings get Word's heading styles (so the navigation pane and a table of
//! contents work), lists get real Word numbering (nested), tables get a header row.

use docx_rs::{
    AbstractNumbering, Hyperlink, HyperlinkType, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
    NumberingId, Paragraph, Run, RunFonts, Shading, SpecialIndentType, Start, Table, TableCell, TableRow, WidthType,
};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::document::markdown_options as options;

/// A block of the Word body, in order.
pub(super) enum Block {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// The converted body and the numbering definitions its lists need.
pub(super) struct Body {
    pub(super) blocks: Vec<Block>,
    pub(super) abstract_numberings: Vec<AbstractNumbering>,
    pub(super) numberings: Vec<Numbering>,
}

pub(super) const MONOSPACE: &str = "Consolas";
const BULLET_ABSTRACT: usize = 1;

#[derive(Default)]
struct Inline {
    bold: usize,
    italic: usize,
    strike: usize,
}

struct List {
    numbering: usize,
}

struct TableState {
    rows: Vec<Vec<Paragraph>>,
    head_rows: usize,
    in_head: bool,
}

struct Converter<'a> {
    blocks: Vec<Block>,
    paragraph: Option<Paragraph>,
    inline: Inline,
    link: Option<(String, Vec<Run>)>,
    lists: Vec<List>,
    next_numbering: usize,
    abstract_numberings: Vec<AbstractNumbering>,
    numberings: Vec<Numbering>,
    table: Option<TableState>,
    quote: usize,
    code_block: bool,
    /// How links to other documents of the pack are written (`.md` → `.docx`).
    rewrite_link: &'a dyn Fn(&str) -> Option<String>,
    /// The text of the heading being read, for its bookmark.
    heading: Option<String>,
    /// Heading anchors as the site makes them ([`crate::outline`]), so a link to
    /// `doc.md#anchor` lands on the same heading in Word.
    anchors: crate::outline::Anchors,
    next_bookmark: usize,
}

/// `title` is the document's first-level heading when the caller took it out of
/// `markdown` (Word shows it as the title): it still counts for the anchors, so the
/// other headings get the anchors the site gives them.
pub(super) fn convert(markdown: &str, rewrite_link: &dyn Fn(&str) -> Option<String>, title: Option<&str>) -> Body {
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
        next_numbering: 2,
        abstract_numberings: vec![bullets()],
        numberings: vec![Numbering::new(BULLET_ABSTRACT, BULLET_ABSTRACT)],
        table: None,
        quote: 0,
        code_block: false,
        rewrite_link,
        heading: None,
        anchors,
        next_bookmark: 1,
    };
    for event in Parser::new_ext(markdown, options()) {
        converter.event(event);
    }
    converter.finish_paragraph();
    Body {
        blocks: converter.blocks,
        abstract_numberings: converter.abstract_numberings,
        numberings: converter.numberings,
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

fn bullets() -> AbstractNumbering {
    let symbols = ["•", "◦", "▪", "•", "◦", "▪"];
    symbols.iter().enumerate().fold(AbstractNumbering::new(BULLET_ABSTRACT), |numbering, (level, symbol)| {
        numbering.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(*symbol),
                LevelJc::new("left"),
            )
            .indent(Some(360 * (level as i32 + 1)), Some(SpecialIndentType::Hanging(360)), None, None),
        )
    })
}

fn decimal(id: usize) -> AbstractNumbering {
    (0..6).fold(AbstractNumbering::new(id), |numbering, level| {
        let text = (1..=level + 1).map(|l| format!("%{l}.")).collect::<String>();
        numbering.add_level(
            Level::new(level, Start::new(1), NumberFormat::new("decimal"), LevelText::new(text), LevelJc::new("left"))
                .indent(Some(360 * (level as i32 + 1) + 180), Some(SpecialIndentType::Hanging(540)), None, None),
        )
    })
}

impl Converter<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(heading) = &mut self.heading {
                    heading.push_str(&text);
                }
                self.text(&text)
            }
            Event::Code(text) => {
                if let Some(heading) = &mut self.heading {
                    heading.push_str(&text);
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
                let style = match level {
                    HeadingLevel::H1 => "Heading1",
                    HeadingLevel::H2 => "Heading2",
                    HeadingLevel::H3 => "Heading3",
                    _ => "Heading4",
                };
                self.paragraph = Some(Paragraph::new().style(style));
                self.heading = Some(String::new());
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
                let numbering = match first {
                    Some(_) => {
                        // Each ordered list gets its own definition, so it starts at 1.
                        let id = self.next_numbering;
                        self.next_numbering += 1;
                        self.abstract_numberings.push(decimal(id));
                        self.numberings.push(Numbering::new(id, id));
                        id
                    }
                    None => BULLET_ABSTRACT,
                };
                self.lists.push(List { numbering });
            }
            Tag::Item => {
                self.finish_paragraph();
                self.open_paragraph();
            }
            Tag::Table(_) => {
                self.finish_paragraph();
                self.table = Some(TableState { rows: Vec::new(), head_rows: 0, in_head: false });
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
            Tag::TableCell => self.paragraph = Some(Paragraph::new().style("TableText")),
            Tag::Emphasis => self.inline.italic += 1,
            Tag::Strong => self.inline.bold += 1,
            Tag::Strikethrough => self.inline.strike += 1,
            Tag::Link { dest_url, .. } => self.link = Some((dest_url.to_string(), Vec::new())),
            Tag::Image { dest_url, .. } => self.text(&format!("[picture: {dest_url}] ")),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                // Every heading is a bookmark named after its anchor: the target of
                // links to its section from other documents (the compliance matrix).
                let anchor = self.anchors.next(&self.heading.take().unwrap_or_default());
                let id = self.next_bookmark;
                self.next_bookmark += 1;
                if let Some(paragraph) = self.paragraph.take() {
                    self.paragraph = Some(paragraph.add_bookmark_start(id, bookmark(&anchor)).add_bookmark_end(id));
                }
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
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(paragraph);
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
            TagEnd::Link => {
                if let Some((target, runs)) = self.link.take() {
                    let link = match (self.rewrite_link)(&target) {
                        Some(url) => {
                            // A section of this document is a bookmark here; of another
                            // document, that file's bookmark.
                            let hyperlink = match url.split_once('#') {
                                Some(("", anchor)) => Hyperlink::new(bookmark(anchor), HyperlinkType::Anchor),
                                Some((file, anchor)) => {
                                    Hyperlink::new(format!("{file}#{}", bookmark(anchor)), HyperlinkType::External)
                                }
                                None => Hyperlink::new(url, HyperlinkType::External),
                            };
                            runs.into_iter()
                                .fold(hyperlink, |link, run| link.add_run(run.color("1F5F99").underline("single")))
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
            }
            _ => {}
        }
    }

    fn new_paragraph(&self) -> Paragraph {
        let mut paragraph = Paragraph::new();
        if self.code_block {
            paragraph = paragraph.style("Code");
        } else if self.quote > 0 {
            paragraph = paragraph.style("Quote");
        }
        if let Some(list) = self.lists.last() {
            paragraph = paragraph.numbering(NumberingId::new(list.numbering), IndentLevel::new(self.lists.len() - 1));
        }
        paragraph
    }

    fn open_paragraph(&mut self) {
        if self.paragraph.is_none() {
            self.paragraph = Some(self.new_paragraph());
        }
    }

    fn finish_paragraph(&mut self) {
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

    fn text(&mut self, text: &str) {
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
        let run = self.run(text);
        self.push_run(run);
    }

    fn push_run(&mut self, run: Run) {
        if let Some((_, runs)) = &mut self.link {
            runs.push(run);
            return;
        }
        let paragraph = self.paragraph.take().unwrap_or_else(|| self.new_paragraph());
        self.paragraph = Some(paragraph.add_run(run));
    }
}

fn build_table(table: TableState) -> Table {
    let columns = table.rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // A4 text width is about 9000 twentieths of a point; share it evenly.
    let width = 9000 / columns;
    let rows: Vec<TableRow> = table
        .rows
        .into_iter()
        .enumerate()
        .map(|(index, cells)| {
            let header = index < table.head_rows;
            let mut cells: Vec<TableCell> = cells
                .into_iter()
                .map(|paragraph| {
                    let cell = TableCell::new().add_paragraph(paragraph).width(width, WidthType::Dxa);
                    if header { cell.shading(Shading::new().fill("E8F0F8")) } else { cell }
                })
                .collect();
            while cells.len() < columns {
                cells.push(TableCell::new().add_paragraph(Paragraph::new()).width(width, WidthType::Dxa));
            }
            TableRow::new(cells)
        })
        .collect();
    Table::new(rows).set_grid(vec![width; columns]).width(9000, WidthType::Dxa)
}
