//! The last step of a Word file: docx-rs writes the package, and this rewrites it into
//! the file we ship.
//!
//! Some parts are ours outright (styles, numbering, settings, header, footer, core and
//! custom properties: see [`super::styles`], [`super::numbering`], [`super::control`]),
//! because docx-rs cannot write them as a controlled document needs. In the document
//! part, three things docx-rs cannot express are put in by text replacement on marks
//! that the converter left and that nothing else produces: repeated header rows
//! (`w:tblHeader`), the contents field, and the pictures' alt text. Then everything is
//! zipped again with one fixed timestamp and relationships in a fixed order, so the same
//! Markdown gives the same bytes.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use super::tables::{HEADER_ROW, HEADER_ROW_MARK};
use crate::text::xml_escape;

/// What replaces or patches docx-rs's parts.
pub(super) struct Parts {
    /// Whole parts by name (`word/styles.xml`), replacing docx-rs's or added.
    pub(super) replace: BTreeMap<&'static str, String>,
    /// The contents field, in place of the paragraph styled with this mark.
    pub(super) contents: Option<(&'static str, String)>,
    /// The alt text of each picture, in order.
    pub(super) alt_texts: Vec<String>,
}

/// The document part with the marks turned into what they stand for.
fn patch_document(xml: &str, parts: &Parts) -> String {
    let mut xml = xml.replace(HEADER_ROW_MARK, HEADER_ROW);
    if let Some((mark, contents)) = &parts.contents {
        xml = replace_marked_paragraph(&xml, mark, contents);
    }
    if !parts.alt_texts.is_empty() {
        xml = describe_pictures(&xml, &parts.alt_texts);
    }
    xml
}

/// Replaces the paragraph whose style is `mark` by `replacement`.
fn replace_marked_paragraph(xml: &str, mark: &str, replacement: &str) -> String {
    let style = format!("<w:pStyle w:val=\"{mark}\" />");
    let Some(at) = xml.find(&style) else { return xml.to_owned() };
    let Some(start) = xml[..at].rfind("<w:p ").or_else(|| xml[..at].rfind("<w:p>")) else { return xml.to_owned() };
    let Some(end) = xml[at..].find("</w:p>").map(|e| at + e + "</w:p>".len()) else { return xml.to_owned() };
    format!("{}{replacement}{}", &xml[..start], &xml[end..])
}

/// docx-rs names every picture "Figure" with the same id and no description: each gets
/// an id of its own and its alt text, which screen readers and python-docx read.
fn describe_pictures(xml: &str, alt_texts: &[String]) -> String {
    const DOC_PR: &str = "<wp:docPr id=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut index = 0;
    while let Some(at) = rest.find(DOC_PR) {
        let Some(end) = rest[at..].find("/>").map(|e| at + e + 2) else { break };
        out.push_str(&rest[..at]);
        let alt = alt_texts.get(index).map(String::as_str).unwrap_or_default();
        index += 1;
        out.push_str(&format!(
            "<wp:docPr id=\"{}\" name=\"Figure {index}\" descr=\"{}\" />",
            1000 + index,
            xml_escape(alt)
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// docx-rs lists hyperlink relationships in hash order, which differs from run to run;
/// their order means nothing, so they are sorted to make the file reproducible.
fn sorted_relationships(xml: &str) -> String {
    const OPEN: &str = "<Relationship ";
    let Some(first) = xml.find(OPEN) else { return xml.to_owned() };
    let Some(close) = xml.rfind("</Relationships>") else { return xml.to_owned() };
    if close < first {
        return xml.to_owned();
    }
    let mut items: Vec<&str> =
        xml[first..close].split_inclusive("/>").map(str::trim).filter(|i| !i.is_empty()).collect();
    items.sort_unstable();
    format!("{}{}{}", &xml[..first], items.concat(), &xml[close..])
}

/// Re-zips the package with our parts and one fixed timestamp, keeping the entry order
/// (`[Content_Types].xml` first, as Word expects).
pub(super) fn normalise_package(package: &[u8], parts: &Parts) -> std::io::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(std::io::Error::other)?;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // The fastest level: XML compresses well at any level, and the Word step should
        // cost no more than the site.
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .system(zip::System::Unix);
    let mut names: Vec<String> = (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().and_then(|e| e.name().ok().map(|n| n.into_owned())))
        .collect();
    // docx-rs adds folder entries, which Word does not need and some readers dislike.
    names.retain(|name| !name.ends_with('/'));
    for name in parts.replace.keys() {
        if !names.iter().any(|n| n == name) {
            names.push((*name).to_owned());
        }
    }
    for name in names {
        writer.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        if let Some(replacement) = parts.replace.get(name.as_str()) {
            writer.write_all(replacement.as_bytes())?;
            continue;
        }
        let mut entry = archive.by_name(&name).map_err(std::io::Error::other)?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name.ends_with(".rels") {
            bytes = sorted_relationships(&String::from_utf8_lossy(&bytes)).into_bytes();
        } else if name == "word/document.xml" {
            bytes = patch_document(&String::from_utf8_lossy(&bytes), parts).into_bytes();
        }
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marked_paragraph_is_replaced_and_nothing_else() {
        let xml = "<w:p w14:paraId=\"1\"><w:pPr><w:pStyle w:val=\"Title\" /></w:pPr></w:p>\
                   <w:p w14:paraId=\"2\"><w:pPr><w:rPr /><w:pStyle w:val=\"Mark\" /></w:pPr></w:p><w:tbl/>";
        assert_eq!(
            replace_marked_paragraph(xml, "Mark", "<w:p>TOC</w:p>"),
            "<w:p w14:paraId=\"1\"><w:pPr><w:pStyle w:val=\"Title\" /></w:pPr></w:p><w:p>TOC</w:p><w:tbl/>"
        );
        assert_eq!(replace_marked_paragraph(xml, "Other", "x"), xml);
    }

    #[test]
    fn pictures_get_their_own_id_and_alt_text() {
        let xml = "<wp:docPr id=\"1\" name=\"Figure\" /><x/><wp:docPr id=\"1\" name=\"Figure\" />";
        let described = describe_pictures(xml, &["Chart <1>".to_owned()]);
        assert_eq!(
            described,
            "<wp:docPr id=\"1001\" name=\"Figure 1\" descr=\"Chart &lt;1&gt;\" /><x/>\
             <wp:docPr id=\"1002\" name=\"Figure 2\" descr=\"\" />"
        );
    }

    #[test]
    fn relationships_are_sorted() {
        let xml = "<Relationships><Relationship Id=\"b\" /><Relationship Id=\"a\" /></Relationships>";
        assert_eq!(
            sorted_relationships(xml),
            "<Relationships><Relationship Id=\"a\" /><Relationship Id=\"b\" /></Relationships>"
        );
    }
}
