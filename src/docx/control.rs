//! What makes a Word file a controlled document: the control page (title, the
//! document-control table from the front matter, a DRAFT banner until the document is
//! approved, the contents), the page header (organisation, id, version, status,
//! classification; a DRAFT watermark on drafts), the footer (attribution, "Page N of
//! M") and the document properties (core and custom), which document management
//! systems and auditors' checklists read.
//!
//! All of it is XML text, zipped by [`super::package`], and all of it comes from the
//! front matter: a document edited on disk
//! and approved shows its own version and status.

use super::convert::Heading;
use super::tables::TEXT_WIDTH;
use super::xml::{self, Format, Paragraph};
use crate::document::{Document, field_label};
use crate::text::xml_escape;

/// The document-control facts every page and the properties show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Control {
    pub(super) title: String,
    pub(super) organisation: String,
    pub(super) attribution: String,
    pub(super) id: String,
    pub(super) version: String,
    pub(super) status: String,
    pub(super) classification: String,
    pub(super) owner: String,
    pub(super) approver: String,
    pub(super) effective_date: String,
    pub(super) next_review: String,
    pub(super) requirements: String,
}

impl Control {
    pub(super) fn new(document: &Document, title: String, organisation: &str, attribution: &str) -> Control {
        let field = |key: &str| document.field(key).unwrap_or_default().trim().to_owned();
        Control {
            title,
            organisation: organisation.to_owned(),
            attribution: attribution.to_owned(),
            id: field("id"),
            version: field("version"),
            status: field("status"),
            classification: field("classification"),
            owner: field("owner"),
            approver: field("approver"),
            effective_date: field("effective_date"),
            next_review: field("next_review"),
            requirements: field("requirements"),
        }
    }

    /// Anything not approved (draft, in review, retired, no status at all) is marked.
    pub(super) fn is_draft(&self) -> bool {
        !crate::document::is_approved(&self.status)
    }
}

/// The title, the control table and the contents, before the body (as XML).
pub(super) fn control_page(
    document: &Document,
    control: &Control,
    title_bookmark: &str,
    headings: &[Heading],
) -> String {
    let mut xml = String::new();
    let mut title = Paragraph::styled("Title");
    xml::bookmark(&mut title.content, 0, title_bookmark);
    title.run(&control.title, Format::default());
    title.write(&mut xml);
    let mut subtitle = Paragraph::styled("Subtitle");
    subtitle.run(&control.organisation, Format::default());
    subtitle.write(&mut xml);
    // The same notice as on the site and the print page.
    if let Some(banner) = document.draft_notice() {
        let mut paragraph = Paragraph::styled("DraftBanner");
        paragraph.run(&banner, Format::default());
        paragraph.write(&mut xml);
    }
    control_table(document, &mut xml);
    xml.push_str(&contents_xml(headings));
    // The body starts on a page of its own.
    Paragraph { content: xml::PAGE_BREAK.to_owned(), ..Paragraph::default() }.write(&mut xml);
    xml
}

/// The document-control table, from the front matter: labels in the first column, no
/// header row.
fn control_table(document: &Document, out: &mut String) {
    const LABEL: usize = 2600;
    let widths = [LABEL, TEXT_WIDTH - LABEL];
    xml::table_start(out, &widths);
    for (key, value) in document.fields.iter().filter(|(key, _)| key != "title") {
        xml::row_start(out, false);
        let mut label = Paragraph::styled("TableHeading");
        label.run(&field_label(key), Format::default());
        xml::cell(out, widths[0], Some("F5F7FA"), &label);
        let mut text = Paragraph::styled("TableText");
        text.run(value, Format::default());
        xml::cell(out, widths[1], None, &text);
        out.push_str(xml::ROW_END);
    }
    out.push_str(xml::TABLE_END);
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
    xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
    xmlns:w10=\"urn:schemas-microsoft-com:office:word\"";

fn text_run(text: &str, rpr: &str) -> String {
    format!("<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_escape(text))
}

/// A field (`PAGE`, `NUMPAGES`, `TOC …`) with the result shown until it is updated.
fn field(instruction: &str, shown: &str) -> String {
    format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> {instruction} </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        text_run(shown, "<w:noProof/>")
    )
}

/// The status as it reads in the header: `Draft`, `Approved`.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `word/header1.xml`: organisation · id · version · status · classification, and the
/// DRAFT watermark on drafts.
pub(super) fn header_xml(control: &Control) -> String {
    let mut facts = vec![control.organisation.clone()];
    if !control.id.is_empty() {
        facts.push(control.id.clone());
    }
    if !control.version.is_empty() {
        facts.push(format!("Version {}", control.version));
    }
    let mut runs = text_run(&format!("{}  ·  ", facts.join("  ·  ")), "");
    let status = if control.status.is_empty() { "No status".to_owned() } else { capitalised(&control.status) };
    let status_style = if control.is_draft() { "<w:b/><w:bCs/><w:color w:val=\"B42318\"/>" } else { "<w:b/><w:bCs/>" };
    runs.push_str(&text_run(&status, status_style));
    if !control.classification.is_empty() {
        runs.push_str(&text_run(&format!("  ·  {}", capitalised(&control.classification)), ""));
    }
    let watermark = if control.is_draft() { watermark("DRAFT") } else { String::new() };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:hdr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>{watermark}{runs}</w:p></w:hdr>"
    )
}

/// A diagonal text watermark behind the page, as Word itself writes one (a VML text
/// path in the header, which Word and LibreOffice both show on every page).
fn watermark(text: &str) -> String {
    format!(
        "<w:r><w:rPr><w:noProof/></w:rPr><w:pict>\
         <v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" o:spt=\"136\" adj=\"10800\" \
         path=\"m@7,l@8,m@5,21600l@6,21600e\"><v:formulas><v:f eqn=\"sum #0 0 10800\"/><v:f eqn=\"prod #0 2 1\"/>\
         <v:f eqn=\"sum 21600 0 @1\"/><v:f eqn=\"sum 0 0 @2\"/><v:f eqn=\"sum 21600 0 @3\"/><v:f eqn=\"if @0 @3 0\"/>\
         <v:f eqn=\"if @0 21600 @1\"/><v:f eqn=\"if @0 0 @2\"/><v:f eqn=\"if @0 @4 21600\"/><v:f eqn=\"mid @5 @6\"/>\
         <v:f eqn=\"mid @8 @5\"/><v:f eqn=\"mid @7 @8\"/><v:f eqn=\"mid @6 @7\"/><v:f eqn=\"sum @6 0 @5\"/></v:formulas>\
         <v:path textpathok=\"t\" o:connecttype=\"custom\" o:connectlocs=\"@9,0;@10,10800;@11,21600;@12,10800\" \
         o:connectangles=\"270,180,90,0\"/><v:textpath on=\"t\" fitshape=\"t\"/>\
         <v:handles><v:h position=\"#0,bottomRight\" xrange=\"6629,14971\"/></v:handles>\
         <o:lock v:ext=\"edit\" text=\"t\" shapetype=\"t\"/></v:shapetype>\
         <v:shape id=\"PowerPlusWaterMarkObject1\" o:spid=\"_x0000_s1025\" type=\"#_x0000_t136\" \
         style=\"position:absolute;margin-left:0;margin-top:0;width:415pt;height:138pt;rotation:315;z-index:-251657216;\
         mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;\
         mso-position-vertical-relative:margin\" o:allowincell=\"f\" fillcolor=\"#e8c4c0\" stroked=\"f\">\
         <v:fill opacity=\".5\"/><v:textpath style=\"font-family:&quot;Calibri&quot;;font-size:1pt\" string=\"{}\"/>\
         <w10:wrap anchorx=\"margin\" anchory=\"margin\"/></v:shape></w:pict></w:r>",
        xml_escape(text)
    )
}

/// `word/footer1.xml`: the attribution, and "Page N of M".
pub(super) fn footer_xml(control: &Control) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}</w:p>\
         <w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"right\"/></w:pPr>{}{}{}{}</w:p></w:ftr>",
        text_run(&control.attribution, ""),
        text_run("Page ", ""),
        field("PAGE", "1"),
        text_run(" of ", ""),
        field("NUMPAGES", "1"),
    )
}

/// The contents: a `TOC` field over the heading levels 1–3, marked dirty so Word
/// updates it (with page numbers) on opening, with an entry per heading already in it,
/// each a link to its heading, for readers that do not update fields. Those entries
/// have no page numbers: a guessed number would be wrong, and LibreOffice shows the
/// entries as they are.
pub(super) fn contents_xml(headings: &[Heading]) -> String {
    let entries: Vec<&Heading> = headings.iter().filter(|h| h.level <= 3 && !h.text.is_empty()).collect();
    let begin = "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
        <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-3\" \\h \\z \\u </w:instrText></w:r>\
        <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
    let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
    let mut xml = format!("<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr>{}</w:p>", text_run("Contents", ""));
    if entries.is_empty() {
        xml.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>{begin}{}{end}</w:p>",
            text_run("This document has no sections.", "")
        ));
        return xml;
    }
    let last = entries.len() - 1;
    for (index, heading) in entries.into_iter().enumerate() {
        xml.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"TOC{}\"/></w:pPr>{}<w:hyperlink w:anchor=\"{}\" w:history=\"1\">\
             {}</w:hyperlink>{}</w:p>",
            heading.level,
            if index == 0 { begin } else { "" },
            heading.bookmark,
            text_run(&heading.text, ""),
            if index == last { end } else { "" },
        ));
    }
    xml
}

/// `word/settings.xml`: fields (contents, page numbers) are updated when the file is
/// opened.
pub(super) fn settings_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings xmlns:w=\"{W}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/><w:updateFields w:val=\"true\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" \
         w:val=\"15\"/></w:compat></w:settings>"
    )
}

/// A date for the properties: the effective date, or a fixed one (never the clock).
fn property_date(date: &str) -> String {
    if date.len() == 10 && date.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("{date}T00:00:00Z")
    } else {
        "1980-01-01T00:00:00Z".to_owned()
    }
}

/// `docProps/core.xml`.
pub(super) fn core_xml(control: &Control) -> String {
    let date = property_date(&control.effective_date);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>\
         <cp:keywords>{}</cp:keywords><cp:category>{}</cp:category><cp:contentStatus>{}</cp:contentStatus>\
         <cp:version>{}</cp:version><cp:lastModifiedBy>fitsm-pack</cp:lastModifiedBy><cp:revision>1</cp:revision>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        xml_escape(&control.title),
        xml_escape(&format!("{}: service management system document", control.id)),
        xml_escape(&control.owner),
        xml_escape(&format!("FitSM; {}", control.requirements)),
        xml_escape(&control.classification),
        xml_escape(&control.status),
        xml_escape(&control.version),
    )
}

/// `docProps/custom.xml`: the control facts as named properties, in a fixed order.
pub(super) fn custom_xml(control: &Control) -> String {
    let properties = [
        ("Document ID", &control.id),
        ("Version", &control.version),
        ("Status", &control.status),
        ("Owner", &control.owner),
        ("Approver", &control.approver),
        ("Classification", &control.classification),
        ("Effective date", &control.effective_date),
        ("Next review", &control.next_review),
    ];
    let items: String = properties
        .iter()
        .enumerate()
        .map(|(index, (name, value))| {
            // Property ids start at 2 by the standard's rule.
            format!(
                "<property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"{}\" name=\"{name}\">\
                 <vt:lpwstr>{}</vt:lpwstr></property>",
                index + 2,
                xml_escape(value)
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">{items}</Properties>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(status: &str) -> Control {
        Control {
            title: "Policy <A&B>".into(),
            organisation: "Org".into(),
            attribution: "Based on FitSM, CC BY 4.0".into(),
            id: "POL-1".into(),
            version: "0.1".into(),
            status: status.into(),
            classification: "internal".into(),
            ..Control::default()
        }
    }

    fn well_formed(xml: &str) -> bool {
        roxmltree::Document::parse(xml).is_ok()
    }

    #[test]
    fn drafts_get_a_watermark_and_a_red_status_approved_documents_do_not() {
        let draft = header_xml(&control("draft"));
        assert!(well_formed(&draft));
        assert!(draft.contains("string=\"DRAFT\"") && draft.contains(">Draft<"), "{draft}");
        assert!(draft.contains("POL-1") && draft.contains("Version 0.1") && draft.contains("Internal"));
        let approved = header_xml(&control("approved"));
        assert!(!approved.contains("DRAFT") && approved.contains(">Approved<"));
    }

    #[test]
    fn the_footer_counts_pages() {
        let footer = footer_xml(&control("approved"));
        assert!(well_formed(&footer));
        assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES ") && footer.contains("CC BY 4.0"));
    }

    #[test]
    fn the_contents_is_one_field_with_an_entry_per_heading() {
        let headings = [
            Heading { level: 1, text: "Scope & aims".into(), bookmark: "s_scope".into() },
            Heading { level: 2, text: "Detail".into(), bookmark: "s_detail".into() },
        ];
        let xml = format!("<w:body xmlns:w=\"{W}\">{}</w:body>", contents_xml(&headings));
        assert!(well_formed(&xml), "{xml}");
        assert_eq!(xml.matches("fldCharType=\"begin\" w:dirty").count(), 1);
        assert!(xml.contains("w:anchor=\"s_detail\"") && xml.contains("w:anchor=\"s_scope\""));
        assert!(xml.contains("TOC2") && xml.contains("Scope &amp; aims"));
        assert!(well_formed(&format!("<w:body xmlns:w=\"{W}\">{}</w:body>", contents_xml(&[]))));
    }

    #[test]
    fn properties_are_escaped_and_in_a_fixed_order() {
        let custom = custom_xml(&control("draft"));
        assert!(well_formed(&custom));
        assert!(custom.find("Document ID") < custom.find("Next review"));
        let core = core_xml(&control("draft"));
        assert!(well_formed(&core) && core.contains("Policy &lt;A&amp;B&gt;") && core.contains("1980-01-01"));
        assert!(well_formed(&settings_xml()) && settings_xml().contains("updateFields"));
    }
}
