//! Word export: one `.docx` per document in `docx/`, made from the Markdown *as it
//! stands on disk* (edits included), in pure Rust with docx-rs: no pandoc, no LaTeX.
//!
//! Each file opens with the title and the document-control table, carries the
//! organisation and document id in the page header and the FitSM attribution with the
//! page number in the footer of every page, and has its properties set (title, author =
//! document owner, subject). docx-rs cannot set those properties and stamps its zip
//! entries with the current time, so the package is re-zipped here with our
//! `docProps/core.xml` and fixed timestamps: the same Markdown gives the same bytes.

mod convert;
mod styles;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;

use docx_rs::{
    AlignmentType, Docx, Footer, Header, PageMargin, PageNum, Paragraph, Run, Shading, Table, TableCell, TableRow,
    WidthType,
};

use crate::document::{Document, field_label};
use crate::error::Error;
use crate::fs::safe_join;
use crate::pack::documents_on_disk;
use crate::progress::{Progress, Step};
use crate::text::xml_escape;
use convert::{Block, convert};

/// What the Word step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxReport {
    pub documents: usize,
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// Builds `out/docx/` from `out/markdown/`.
///
/// Only Word files this step made are ever removed: they are listed in
/// `.fitsm-pack/docx.json`, and the list is saved *before* new files are written, so
/// even a build killed half-way leaves no file of ours unlisted. A `.docx` someone put
/// into `docx/` by hand is never deleted.
///
/// `attribution` is the pack's attribution wording as plain text, for the footer.
pub fn build_docx(
    out: &Path,
    organisation: &str,
    attribution: &str,
    progress: &dyn Progress,
) -> Result<DocxReport, Error> {
    let mut report = DocxReport::default();
    let documents = documents_on_disk(out)?;
    let previous = Record::load(out)?;
    let current: BTreeSet<String> = documents.iter().map(|(path, _)| docx_path(path)).collect();
    // Validate every target path before the first write.
    for relative in &current {
        safe_join(out, relative)?;
    }
    Record { files: previous.files.union(&current).cloned().collect() }.save(out)?;
    progress.start(Step::Word, documents.len());
    for (path, text) in &documents {
        let relative = docx_path(path);
        let target = safe_join(out, &relative)?;
        // Characters XML cannot hold (a control character typed into the Markdown by
        // hand) would make the whole file unreadable: the pack's one rule drops them.
        let bytes = document_docx(&Document::parse(&crate::text::clean(text)), organisation, attribution)
            .map_err(|source| Error::Write { path: target.clone(), source })?;
        if crate::fs::write_if_changed(&target, &bytes)? {
            report.written.push(relative);
        }
        report.documents += 1;
        progress.advance(1);
    }
    progress.finish();
    // Word files we made whose document is gone.
    for relative in previous.files.difference(&current) {
        let target = safe_join(out, relative)?;
        if target.is_file() {
            crate::fs::remove_if_exists(&target)?;
            report.removed.push(relative.clone());
        }
    }
    Record { files: current }.save(out)?;
    Ok(report)
}

/// `markdown/a/b.md` → `docx/a/b.docx`.
fn docx_path(markdown_path: &str) -> String {
    let relative = markdown_path.strip_prefix("markdown/").unwrap_or(markdown_path);
    format!("docx/{}.docx", relative.strip_suffix(".md").unwrap_or(relative))
}

/// `.fitsm-pack/docx.json`: the Word files this step made, relative to the output folder.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Record {
    files: BTreeSet<String>,
}

impl Record {
    const FILE: &'static str = "docx.json";

    /// The record; a pack built before there was one gets the Word files that belong
    /// to the documents the manifest lists (those were certainly made here).
    fn load(out: &Path) -> Result<Record, Error> {
        if let Some(record) = crate::pack::load_record(out, Self::FILE) {
            return Ok(record);
        }
        let manifest = crate::output::Manifest::load(out)?.unwrap_or_default();
        let files = manifest.files.keys().filter(|p| p.starts_with("markdown/")).map(|p| docx_path(p)).collect();
        Ok(Record { files })
    }

    fn save(&self, out: &Path) -> Result<(), Error> {
        crate::pack::save_record(out, Self::FILE, self).map(|_| ())
    }
}

/// One Word file for one document.
pub fn document_docx(document: &Document, organisation: &str, attribution: &str) -> std::io::Result<Vec<u8>> {
    let field = |key: &str| document.field(key).unwrap_or_default().to_owned();
    let title = document.field("title").map(str::to_owned).unwrap_or_else(|| first_heading(&document.body));
    let id = field("id");

    // The title and the control table come from the front matter; the body's own
    // first-level heading would repeat the title.
    let body_markdown = strip_first_heading(&document.body);
    let rewrite = |target: &str| crate::document::retarget_link(target, "docx");
    let heading = document.body.lines().find_map(|l| l.strip_prefix("# ")).map(str::trim);
    let body = convert(&body_markdown, &rewrite, heading);
    // The title stands for the first heading: links to it land here.
    let title_bookmark = convert::bookmark(&crate::outline::slug(heading.unwrap_or(&title)));

    let mut docx = styles::apply(Docx::new())
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1300).bottom(1300).left(1300).right(1300).header(600).footer(600))
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .style("HeaderText")
                    .align(AlignmentType::Right)
                    .add_run(Run::new().add_text(format!("{organisation}  ·  {id}"))),
            ),
        )
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .style("FooterText")
                    .add_run(Run::new().add_text(format!("{attribution}  ·  Page ")))
                    .add_page_num(PageNum::new()),
            ),
        )
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .add_bookmark_start(0, title_bookmark)
                .add_run(Run::new().add_text(&title))
                .add_bookmark_end(0),
        )
        .add_table(control_table(document))
        .add_paragraph(Paragraph::new());
    for numbering in body.abstract_numberings {
        docx = docx.add_abstract_numbering(numbering);
    }
    for numbering in body.numberings {
        docx = docx.add_numbering(numbering);
    }
    for block in body.blocks {
        docx = match block {
            Block::Paragraph(paragraph) => docx.add_paragraph(*paragraph),
            Block::Table(table) => docx.add_table(*table),
        };
    }
    let mut packed = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut packed).map_err(std::io::Error::other)?;
    let properties = core_properties(&title, &field("owner"), &id, &field("requirements"), &field("effective_date"));
    normalise_package(&packed.into_inner(), &properties)
}

fn first_heading(body: &str) -> String {
    body.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or("Document").trim().to_owned()
}

fn strip_first_heading(body: &str) -> String {
    let mut removed = false;
    body.lines()
        .filter(|line| {
            if !removed && line.starts_with("# ") {
                removed = true;
                return false;
            }
            true
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The document-control table on the first page, from the front matter.
fn control_table(document: &Document) -> Table {
    let rows: Vec<TableRow> = document
        .fields
        .iter()
        .filter(|(key, _)| key != "title")
        .map(|(key, value)| {
            TableRow::new(vec![
                TableCell::new().width(2600, WidthType::Dxa).shading(Shading::new().fill("F5F7FA")).add_paragraph(
                    Paragraph::new().style("TableText").add_run(Run::new().add_text(field_label(key)).bold()),
                ),
                TableCell::new()
                    .width(6400, WidthType::Dxa)
                    .add_paragraph(Paragraph::new().style("TableText").add_run(Run::new().add_text(value))),
            ])
        })
        .collect();
    Table::new(rows).set_grid(vec![2600, 6400]).width(9000, WidthType::Dxa)
}

fn core_properties(title: &str, owner: &str, id: &str, requirements: &str, effective: &str) -> String {
    let date = if effective.len() == 10 && effective.chars().all(|c| c.is_ascii_digit() || c == '-') {
        format!("{effective}T00:00:00Z")
    } else {
        "1980-01-01T00:00:00Z".to_owned()
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>\
         <cp:keywords>{}</cp:keywords><cp:lastModifiedBy>fitsm-pack</cp:lastModifiedBy><cp:revision>1</cp:revision>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        xml_escape(title),
        xml_escape(&format!("{id}: service management system document")),
        xml_escape(owner),
        xml_escape(&format!("FitSM; {requirements}")),
    )
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

/// Re-zips the package with our core properties and one fixed timestamp, keeping the
/// entry order (`[Content_Types].xml` first, as Word expects).
fn normalise_package(package: &[u8], core_xml: &str) -> std::io::Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(std::io::Error::other)?;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .system(zip::System::Unix);
    let mut names: Vec<String> = (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().and_then(|e| e.name().ok().map(|n| n.into_owned())))
        .collect();
    // docx-rs adds folder entries, which Word does not need and some readers dislike.
    names.retain(|name| !name.ends_with('/'));
    if !names.iter().any(|n| n == "docProps/core.xml") {
        names.push("docProps/core.xml".to_owned());
    }
    for name in names {
        writer.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        if name == "docProps/core.xml" {
            writer.write_all(core_xml.as_bytes())?;
            continue;
        }
        let mut entry = archive.by_name(&name).map_err(std::io::Error::other)?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name.ends_with(".rels") {
            bytes = sorted_relationships(&String::from_utf8_lossy(&bytes)).into_bytes();
        }
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish().map_err(std::io::Error::other)?.into_inner())
}
