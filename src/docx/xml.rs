//! WordprocessingML written as text, straight into the part it belongs to.
//!
//! The Word step used docx-rs's builders: every run and paragraph became a tree of
//! structs (moved by value at each builder call), then an XML event stream, then a zip
//! that was read back to put in what docx-rs cannot write. That cost more than twice
//! the whole site. The few elements a pack needs are written here instead, each in
//! schema order, so the converter appends text to a `String` as it reads the
//! Markdown, and the package step zips the parts as they are.

use crate::text::push_xml_escaped;

/// How a run of text looks (the `w:rPr` of a run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Format {
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) strike: bool,
    /// Set in the monospace font (code).
    pub(super) monospace: bool,
    /// On a grey ground (inline code).
    pub(super) shaded: bool,
    /// Blue and underlined (a link).
    pub(super) link: bool,
    /// A `[TO BE COMPLETED: …]` placeholder: the `Placeholder` character style.
    pub(super) placeholder: bool,
}

impl Format {
    fn write(&self, out: &mut String) {
        if *self == Format::default() {
            return;
        }
        // CT_RPr's order: rStyle, rFonts, b, bCs, i, iCs, strike, color, u, shd.
        out.push_str("<w:rPr>");
        if self.placeholder {
            out.push_str("<w:rStyle w:val=\"Placeholder\"/>");
        }
        if self.monospace {
            let font = super::styles::MONOSPACE;
            out.push_str(&format!("<w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:cs=\"{font}\"/>"));
        }
        if self.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        if self.strike {
            out.push_str("<w:strike/>");
        }
        if self.link {
            out.push_str("<w:color w:val=\"1F5F99\"/><w:u w:val=\"single\"/>");
        }
        if self.shaded {
            out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEEEEE\"/>");
        }
        out.push_str("</w:rPr>");
    }
}

/// A run of text.
pub(super) fn run(out: &mut String, text: &str, format: Format) {
    out.push_str("<w:r>");
    format.write(out);
    out.push_str("<w:t xml:space=\"preserve\">");
    push_xml_escaped(out, text);
    out.push_str("</w:t></w:r>");
}

/// A line break inside a paragraph.
pub(super) const LINE_BREAK: &str = "<w:r><w:br/></w:r>";
/// The next paragraph starts on a new page.
pub(super) const PAGE_BREAK: &str = "<w:r><w:br w:type=\"page\"/></w:r>";

/// A bookmark around nothing: the place links and the contents go to.
pub(super) fn bookmark(out: &mut String, id: usize, name: &str) {
    out.push_str(&format!("<w:bookmarkStart w:id=\"{id}\" w:name=\""));
    push_xml_escaped(out, name);
    out.push_str(&format!("\"/><w:bookmarkEnd w:id=\"{id}\"/>"));
}

/// A paragraph being written: its properties and, so far, its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Paragraph {
    pub(super) style: Option<String>,
    /// Word numbering instance and level: the paragraph carries a list's number or bullet.
    pub(super) numbering: Option<(usize, usize)>,
    /// Left indent in twentieths of a point (a further paragraph of a list item).
    pub(super) indent: Option<usize>,
    /// Runs, links, bookmarks, pictures, as XML.
    pub(super) content: String,
}

impl Paragraph {
    pub(super) fn styled(style: &str) -> Paragraph {
        Paragraph { style: Some(style.to_owned()), ..Paragraph::default() }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.content.is_empty()
    }

    pub(super) fn run(&mut self, text: &str, format: Format) {
        run(&mut self.content, text, format);
    }

    /// The paragraph as `w:p`.
    pub(super) fn write(&self, out: &mut String) {
        out.push_str("<w:p>");
        if self.style.is_some() || self.numbering.is_some() || self.indent.is_some() {
            // CT_PPr's order: pStyle, numPr, ind.
            out.push_str("<w:pPr>");
            if let Some(style) = &self.style {
                out.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
            }
            if let Some((num_id, level)) = self.numbering {
                out.push_str(&format!("<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{num_id}\"/></w:numPr>"));
            }
            if let Some(left) = self.indent {
                out.push_str(&format!("<w:ind w:left=\"{left}\"/>"));
            }
            out.push_str("</w:pPr>");
        }
        out.push_str(&self.content);
        out.push_str("</w:p>");
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A bookmark of this document.
    Bookmark(String),
    /// Another file or a web address: a relationship of the document part.
    Relationship(String),
}

/// Hyperlinks and pictures refer to the document part's relationships by id; this
/// hands the ids out and remembers what they point to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Relationships {
    /// External link targets, in order: link `n` is `rIdLink{n + 1}`.
    pub(super) links: Vec<String>,
    /// Pictures (PNG bytes), in order: picture `n` is `rIdImage{n + 1}`, in
    /// `word/media/image{n + 1}.png`.
    pub(super) images: Vec<Vec<u8>>,
}

impl Relationships {
    fn link(&mut self, target: &str) -> String {
        // The same target twice is one relationship.
        let index = match self.links.iter().position(|t| t == target) {
            Some(index) => index,
            None => {
                self.links.push(target.to_owned());
                self.links.len() - 1
            }
        };
        format!("rIdLink{}", index + 1)
    }

    /// `word/_rels/document.xml.rels`.
    pub(super) fn xml(&self) -> String {
        const TYPES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        );
        for (id, kind, target) in [
            ("rIdStyles", "styles", "styles.xml"),
            ("rIdNumbering", "numbering", "numbering.xml"),
            ("rIdSettings", "settings", "settings.xml"),
            ("rIdHeader1", "header", "header1.xml"),
            ("rIdFooter1", "footer", "footer1.xml"),
        ] {
            xml.push_str(&format!("<Relationship Id=\"{id}\" Type=\"{TYPES}/{kind}\" Target=\"{target}\"/>"));
        }
        for index in 1..=self.images.len() {
            xml.push_str(&format!(
                "<Relationship Id=\"rIdImage{index}\" Type=\"{TYPES}/image\" Target=\"media/image{index}.png\"/>"
            ));
        }
        for (index, target) in self.links.iter().enumerate() {
            xml.push_str(&format!("<Relationship Id=\"rIdLink{}\" Type=\"{TYPES}/hyperlink\" Target=\"", index + 1));
            push_xml_escaped(&mut xml, target);
            xml.push_str("\" TargetMode=\"External\"/>");
        }
        xml.push_str("</Relationships>");
        xml
    }
}

/// A link around `runs` (runs already written as XML).
pub(super) fn hyperlink(out: &mut String, target: &Target, runs: &str, relationships: &mut Relationships) {
    match target {
        Target::Bookmark(name) => {
            out.push_str("<w:hyperlink w:anchor=\"");
            push_xml_escaped(out, name);
            out.push_str("\" w:history=\"1\">");
        }
        Target::Relationship(target) => {
            out.push_str(&format!("<w:hyperlink r:id=\"{}\" w:history=\"1\">", relationships.link(target)));
        }
    }
    out.push_str(runs);
    out.push_str("</w:hyperlink>");
}

/// A picture in the text: `png` shown at `width` × `height` EMU, with its alt text (for
/// screen readers, and what python-docx reads as its description).
pub(super) fn picture(
    out: &mut String,
    png: Vec<u8>,
    (width, height): (u64, u64),
    alt: &str,
    rels: &mut Relationships,
) {
    rels.images.push(png);
    let number = rels.images.len();
    out.push_str(&format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{width}\" cy=\"{height}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"{number}\" name=\"Figure {number}\" descr=\""
    ));
    push_xml_escaped(out, alt);
    out.push_str(&format!(
        "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{number}\" name=\"image{number}.png\"/><pic:cNvPicPr/></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"rIdImage{number}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{width}\" cy=\"{height}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>\
         </wp:inline></w:drawing></w:r>"
    ));
}

/// The pack's table look: the `PackTable` style, thin grey rules, and a fixed layout
/// with these column widths (our widths, not the reader's guess).
pub(super) fn table_start(out: &mut String, widths: &[usize]) {
    let total: usize = widths.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"PackTable\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>"
    ));
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFC7D1\"/>"));
    }
    out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
    for width in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
}

/// A row that does not break across pages; a header row is repeated on every page.
pub(super) fn row_start(out: &mut String, header: bool) {
    out.push_str(if header {
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    } else {
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    });
}

pub(super) const ROW_END: &str = "</w:tr>";
pub(super) const TABLE_END: &str = "</w:tbl>";

/// A cell of `width` twips holding one paragraph, on a `fill` ground if given.
pub(super) fn cell(out: &mut String, width: usize, fill: Option<&str>, paragraph: &Paragraph) {
    out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"));
    if let Some(fill) = fill {
        out.push_str(&format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>"));
    }
    out.push_str("</w:tcPr>");
    paragraph.write(out);
    out.push_str("</w:tc>");
}

/// The namespaces of the document part.
const DOCUMENT_NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
    xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
    xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
    xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

/// `word/document.xml` around `body`: A4, margins of 1300 twips, our header and footer.
pub(super) fn document(body: &str) -> String {
    let mut xml = String::with_capacity(body.len() + 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    xml.push_str(&format!("<w:document {DOCUMENT_NAMESPACES}><w:body>"));
    xml.push_str(body);
    xml.push_str(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1300\" w:right=\"1300\" w:bottom=\"1300\" w:left=\"1300\" w:header=\"600\" \
         w:footer=\"600\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
    );
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed(fragment: &str) -> bool {
        roxmltree::Document::parse(&document(fragment)).is_ok()
    }

    #[test]
    fn runs_carry_their_format_in_schema_order_and_are_escaped() {
        let mut paragraph = Paragraph::styled("Quote");
        let format = Format { bold: true, italic: true, link: true, placeholder: true, ..Format::default() };
        paragraph.run("a < b & \"c\"", format);
        let mut xml = String::new();
        paragraph.write(&mut xml);
        assert!(well_formed(&xml), "{xml}");
        assert!(xml.contains("a &lt; b &amp; &quot;c&quot;"));
        let order = ["rStyle", "<w:b/>", "<w:i/>", "<w:color", "<w:u "];
        let at: Vec<usize> = order.iter().map(|tag| xml.find(tag).unwrap_or(usize::MAX)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{xml}");
    }

    #[test]
    fn links_and_pictures_get_relationships() {
        let mut rels = Relationships::default();
        let mut xml = String::new();
        hyperlink(&mut xml, &Target::Relationship("b.docx#s_x".into()), "<w:r/>", &mut rels);
        hyperlink(&mut xml, &Target::Relationship("b.docx#s_x".into()), "<w:r/>", &mut rels);
        hyperlink(&mut xml, &Target::Bookmark("s_y".into()), "<w:r/>", &mut rels);
        picture(&mut xml, vec![1, 2], (100, 50), "Chart <1>", &mut rels);
        let body = format!("<w:p>{xml}</w:p>");
        assert!(well_formed(&body), "{body}");
        assert_eq!(rels.links, ["b.docx#s_x"]);
        assert!(xml.contains("descr=\"Chart &lt;1&gt;\"") && xml.contains("r:embed=\"rIdImage1\""));
        let rels_xml = rels.xml();
        assert!(roxmltree::Document::parse(&rels_xml).is_ok());
        assert!(rels_xml.contains("Target=\"b.docx#s_x\" TargetMode=\"External\""));
    }

    #[test]
    fn tables_repeat_header_rows_and_keep_rows_whole() {
        let mut xml = String::new();
        table_start(&mut xml, &[1000, 2000]);
        row_start(&mut xml, true);
        cell(&mut xml, 1000, Some("E8F0F8"), &Paragraph::styled("TableHeading"));
        cell(&mut xml, 2000, None, &Paragraph::default());
        xml.push_str(ROW_END);
        xml.push_str(TABLE_END);
        assert!(well_formed(&xml), "{xml}");
        assert!(xml.contains("<w:cantSplit/><w:tblHeader/>") && xml.contains("<w:gridCol w:w=\"2000\"/>"));
    }
}
