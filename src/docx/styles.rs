//! The style sheet of the Word files (`word/styles.xml`): a controlled document, not a
//! web page. Readable fonts, Word's own heading styles (navigation pane, contents),
//! quiet colours.
//!
//! It is written here as XML rather than through docx-rs, because docx-rs always adds
//! a second `Normal` style of its own and cannot mark a style as the default one, and
//! python-docx, Word and LibreOffice give a paragraph without a style the *default*
//! paragraph style: without one, body text has no style at all. Every style id the
//! converter uses is defined here; [`STYLE_IDS`] lists them for the tests.

/// The body font: on every Windows and Mac Word; LibreOffice uses the metric-compatible
/// Carlito.
const BODY_FONT: &str = "Calibri";
pub(super) const MONOSPACE: &str = "Consolas";
const HEADING_COLOUR: &str = "1F3B57";
const QUIET_COLOUR: &str = "5B6573";

/// Paragraph and character styles the converter refers to by id.
#[cfg(test)]
pub(super) const STYLE_IDS: &[&str] = &[
    "Normal",
    "Title",
    "Subtitle",
    "Heading1",
    "Heading2",
    "Heading3",
    "Heading4",
    "ListParagraph",
    "Quote",
    "Code",
    "TableText",
    "TableHeading",
    "TableTextSmall",
    "TableHeadingSmall",
    "Caption",
    "Figure",
    "Header",
    "Footer",
    "TOCHeading",
    "TOC1",
    "TOC2",
    "TOC3",
    "DraftBanner",
    "Rule",
    "Placeholder",
    "PackTable",
];

/// A paragraph style; `ppr` and `rpr` are the contents of its `w:pPr` and `w:rPr`, in
/// schema order.
fn paragraph(id: &str, name: &str, based_on: Option<&str>, next: Option<&str>, ppr: &str, rpr: &str) -> String {
    let based_on = based_on.map(|b| format!("<w:basedOn w:val=\"{b}\"/>")).unwrap_or_default();
    let next = next.map(|n| format!("<w:next w:val=\"{n}\"/>")).unwrap_or_default();
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{based_on}{next}<w:qFormat/>\
         <w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

fn heading(level: usize, size: usize, before: usize) -> String {
    // keepNext + keepLines: a heading never ends a page apart from its text; the
    // outline level puts it in the navigation pane and the contents.
    paragraph(
        &format!("Heading{level}"),
        &format!("heading {level}"),
        Some("Normal"),
        Some("Normal"),
        &format!(
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"80\"/><w:outlineLvl w:val=\"{}\"/>",
            level - 1
        ),
        &format!(
            "<w:b/><w:bCs/><w:color w:val=\"{HEADING_COLOUR}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
        ),
    )
}

fn toc(level: usize) -> String {
    paragraph(
        &format!("TOC{level}"),
        &format!("toc {level}"),
        Some("Normal"),
        Some("Normal"),
        &format!(
            "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9296\"/></w:tabs>\
             <w:spacing w:after=\"40\"/><w:ind w:left=\"{}\"/>",
            (level - 1) * 240
        ),
        if level == 1 { "<w:b/>" } else { "" },
    )
}

/// `word/styles.xml`.
pub(super) fn styles_xml() -> String {
    let fonts = format!(
        "<w:rFonts w:ascii=\"{BODY_FONT}\" w:eastAsia=\"{BODY_FONT}\" w:hAnsi=\"{BODY_FONT}\" w:cs=\"{BODY_FONT}\"/>"
    );
    let mono = format!("<w:rFonts w:ascii=\"{MONOSPACE}\" w:hAnsi=\"{MONOSPACE}\" w:cs=\"{MONOSPACE}\"/>");
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFC7D1\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    let styles = [
        // The default paragraph style, once, marked as the default.
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr><w:rPr/></w:style>"
        .to_owned(),
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
         <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
            .to_owned(),
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
            .to_owned(),
        "<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
            .to_owned(),
        paragraph(
            "Title",
            "Title",
            Some("Normal"),
            Some("Normal"),
            "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>",
            &format!("<w:b/><w:bCs/><w:color w:val=\"{HEADING_COLOUR}\"/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/>"),
        ),
        paragraph(
            "Subtitle",
            "Subtitle",
            Some("Normal"),
            Some("Normal"),
            "<w:keepNext/><w:spacing w:after=\"240\"/>",
            &format!("<w:color w:val=\"{QUIET_COLOUR}\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"),
        ),
        heading(1, 32, 360),
        heading(2, 28, 300),
        heading(3, 24, 240),
        heading(4, 22, 200),
        // Indents come from the list's numbering level; the style keeps items together.
        paragraph(
            "ListParagraph",
            "List Paragraph",
            Some("Normal"),
            None,
            "<w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/><w:contextualSpacing/>",
            "",
        ),
        paragraph(
            "Quote",
            "Quote",
            Some("Normal"),
            Some("Normal"),
            "<w:ind w:left=\"567\"/>",
            "<w:i/><w:iCs/><w:color w:val=\"444444\"/>",
        ),
        paragraph(
            "Code",
            "Code",
            Some("Normal"),
            None,
            "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
            &format!("{mono}<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
        ),
        paragraph(
            "TableText",
            "Table Text",
            Some("Normal"),
            None,
            "<w:spacing w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\"/>",
            "<w:sz w:val=\"19\"/><w:szCs w:val=\"19\"/>",
        ),
        paragraph(
            "TableHeading",
            "Table Heading",
            Some("TableText"),
            None,
            "",
            "<w:b/><w:bCs/>",
        ),
        paragraph(
            "TableTextSmall",
            "Table Text Small",
            Some("TableText"),
            None,
            "",
            "<w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>",
        ),
        paragraph(
            "TableHeadingSmall",
            "Table Heading Small",
            Some("TableTextSmall"),
            None,
            "",
            "<w:b/><w:bCs/>",
        ),
        paragraph(
            "Caption",
            "caption",
            Some("Normal"),
            Some("Normal"),
            "<w:spacing w:before=\"60\" w:after=\"200\"/>",
            &format!("<w:i/><w:iCs/><w:color w:val=\"{QUIET_COLOUR}\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
        ),
        // A picture stays with its caption.
        paragraph("Figure", "Figure", Some("Normal"), Some("Caption"), "<w:keepNext/><w:jc w:val=\"center\"/>", ""),
        paragraph(
            "Header",
            "header",
            Some("Normal"),
            None,
            "<w:spacing w:after=\"0\"/><w:jc w:val=\"right\"/>",
            &format!("<w:color w:val=\"{QUIET_COLOUR}\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>"),
        ),
        paragraph(
            "Footer",
            "footer",
            Some("Normal"),
            None,
            "<w:spacing w:after=\"0\"/>",
            &format!("<w:color w:val=\"{QUIET_COLOUR}\"/><w:sz w:val=\"15\"/><w:szCs w:val=\"15\"/>"),
        ),
        paragraph(
            "TOCHeading",
            "TOC Heading",
            Some("Heading1"),
            Some("Normal"),
            // Not an outline level: the contents must not list itself.
            "<w:outlineLvl w:val=\"9\"/>",
            "",
        ),
        toc(1),
        toc(2),
        toc(3),
        paragraph(
            "DraftBanner",
            "Draft Banner",
            Some("Normal"),
            Some("Normal"),
            "<w:pBdr><w:top w:val=\"single\" w:sz=\"12\" w:space=\"4\" w:color=\"B42318\"/>\
             <w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"4\" w:color=\"B42318\"/></w:pBdr>\
             <w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FDECEA\"/><w:spacing w:before=\"120\" w:after=\"240\"/>\
             <w:jc w:val=\"center\"/>",
            "<w:b/><w:bCs/><w:color w:val=\"B42318\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>",
        ),
        paragraph(
            "Rule",
            "Rule",
            Some("Normal"),
            Some("Normal"),
            "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"BFC7D1\"/></w:pBdr>",
            "",
        ),
        // `[TO BE COMPLETED: …]`: a gap to fill before the audit must stand out.
        "<w:style w:type=\"character\" w:styleId=\"Placeholder\"><w:name w:val=\"Placeholder\"/>\
         <w:basedOn w:val=\"DefaultParagraphFont\"/><w:uiPriority w:val=\"1\"/><w:qFormat/>\
         <w:rPr><w:b/><w:bCs/><w:color w:val=\"7A2E00\"/><w:highlight w:val=\"yellow\"/></w:rPr></w:style>"
            .to_owned(),
        format!(
            "<w:style w:type=\"table\" w:styleId=\"PackTable\"><w:name w:val=\"Pack Table\"/>\
             <w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"59\"/><w:qFormat/>\
             <w:tblPr><w:tblBorders>{borders}</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/>\
             <w:left w:w=\"100\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"100\" w:type=\"dxa\"/>\
             </w:tblCellMar></w:tblPr></w:style>"
        ),
    ];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/>\
         </w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults>{}</w:styles>",
        styles.concat()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_the_converter_uses_is_defined_once() {
        let xml = styles_xml();
        for id in STYLE_IDS {
            assert_eq!(xml.matches(&format!("w:styleId=\"{id}\"")).count(), 1, "{id}");
        }
        assert_eq!(xml.matches("w:default=\"1\" w:styleId=\"Normal\"").count(), 1);
        assert!(roxmltree::Document::parse(&xml).is_ok(), "well-formed");
    }
}
