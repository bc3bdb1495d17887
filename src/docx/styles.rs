//! The look of the Word files: a controlled document, not a web page. Readable fonts,
//! Word's own heading styles (navigation pane, table of contents), quiet colours.

use docx_rs::{Docx, LineSpacing, LineSpacingType, RunFonts, Style, StyleType};

use super::convert::MONOSPACE;

const BODY_FONT: &str = "Calibri";
const HEADING_COLOUR: &str = "1F3B57";

pub(super) fn apply(docx: Docx) -> Docx {
    let fonts = RunFonts::new().ascii(BODY_FONT).hi_ansi(BODY_FONT).cs(BODY_FONT).east_asia(BODY_FONT);
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .color(HEADING_COLOUR)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(240).after(80))
    };
    docx.default_fonts(fonts)
        .default_size(21)
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .line_spacing(LineSpacing::new().after(120).line(276).line_rule(LineSpacingType::Auto)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .size(40)
                .bold()
                .color(HEADING_COLOUR)
                .line_spacing(LineSpacing::new().after(240).line(240).line_rule(LineSpacingType::Auto)),
        )
        .add_style(heading("Heading1", "heading 1", 32, 0))
        .add_style(heading("Heading2", "heading 2", 26, 1))
        .add_style(heading("Heading3", "heading 3", 23, 2))
        .add_style(heading("Heading4", "heading 4", 21, 3))
        .add_style(
            Style::new("Quote", StyleType::Paragraph).name("Quote").based_on("Normal").italic().color("444444").indent(
                Some(567),
                None,
                None,
                None,
            ),
        )
        .add_style(
            Style::new("Code", StyleType::Paragraph)
                .name("Code")
                .based_on("Normal")
                .size(18)
                .fonts(RunFonts::new().ascii(MONOSPACE).hi_ansi(MONOSPACE))
                .line_spacing(LineSpacing::new().after(0)),
        )
        .add_style(
            Style::new("TableText", StyleType::Paragraph)
                .name("Table text")
                .based_on("Normal")
                .size(19)
                .line_spacing(LineSpacing::new().after(0).before(0)),
        )
        .add_style(
            Style::new("HeaderText", StyleType::Paragraph)
                .name("Header text")
                .based_on("Normal")
                .size(16)
                .color("5B6573"),
        )
        .add_style(
            Style::new("FooterText", StyleType::Paragraph)
                .name("Footer text")
                .based_on("Normal")
                .size(15)
                .color("5B6573"),
        )
        .add_style(Style::new("Rule", StyleType::Paragraph).name("Rule").based_on("Normal"))
}
