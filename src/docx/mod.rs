//! Word export: one `.docx` per document in `docx/`, made from the Markdown *as it
//! stands on disk* (edits included), in pure Rust: no pandoc, no LaTeX.
//! The files go to boards, customers and auditors, so they are controlled documents,
//! not conversions.
//!
//! The work is split by what it makes:
//! - [`convert`]: the Markdown body as Word paragraphs, lists and tables ([`tables`]),
//!   pictures ([`picture`]: SVG drawn as PNG), written as XML by [`xml`];
//! - [`control`]: the control page (title, control table, DRAFT banner, contents),
//!   header and footer, core and custom properties;
//! - [`styles`] and [`numbering`]: the style sheet and the list definitions;
//! - [`package`]: zips the parts with fixed timestamps, so the same Markdown gives the same bytes.

mod control;
mod convert;
mod numbering;
mod package;
mod picture;
mod styles;
mod tables;
mod xml;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use rayon::prelude::*;

use crate::document::Document;
use crate::error::Error;
use crate::fs::safe_join;
use crate::pack::documents_on_disk;
use crate::progress::{Progress, Step};
use control::Control;
use convert::convert;

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
    // Each file is made on its own (nothing is shared between documents), so they are
    // made in parallel; they are written in the documents' order.
    let made: Vec<Result<Made, Error>> = documents
        .par_iter()
        .map(|(path, text)| {
            let relative = docx_path(path);
            let target = safe_join(out, &relative)?;
            // Characters XML cannot hold (a control character typed into the Markdown by
            // hand) would make the whole file unreadable: the pack's one rule drops them.
            let document = Document::parse(&crate::text::clean(text));
            let bytes = document_docx(&document, organisation, attribution, Some((out, path.as_str())))
                .map_err(|source| Error::Write { path: target.clone(), source })?;
            progress.advance(1);
            Ok(Made { relative, target, bytes })
        })
        .collect();
    for result in made {
        let Made { relative, target, bytes } = result?;
        if crate::fs::write_if_changed(&target, &bytes)? {
            report.written.push(relative);
        }
        report.documents += 1;
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

/// One Word file made, before it is written.
struct Made {
    /// `docx/a/b.docx`.
    relative: String,
    target: std::path::PathBuf,
    bytes: Vec<u8>,
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
///
/// `source` is the output folder and the document's path in it (`markdown/a/b.md`),
/// where pictures the Markdown refers to are found; without it, pictures show their
/// alt text.
pub fn document_docx(
    document: &Document,
    organisation: &str,
    attribution: &str,
    source: Option<(&Path, &str)>,
) -> std::io::Result<Vec<u8>> {
    let title = document.field("title").map(str::to_owned).unwrap_or_else(|| first_heading(&document.body));
    let control = Control::new(document, title, organisation, attribution);

    // The title and the control table come from the front matter; the body's own
    // first-level heading would repeat the title.
    let body_markdown = strip_first_heading(&document.body);
    let rewrite = |target: &str| crate::document::retarget_link(target, "docx");
    let picture = |target: &str| source.and_then(|(out, path)| load_picture(out, path, target));
    let heading = document.body.lines().find_map(|l| l.strip_prefix("# ")).map(str::trim);
    let context = convert::Context { rewrite_link: &rewrite, picture: &picture };
    let body = convert(&body_markdown, &context, heading);
    // The title stands for the first heading: links to it land here.
    let title_bookmark = convert::bookmark(&crate::outline::slug(heading.unwrap_or(&control.title)));

    let page = control::control_page(document, &control, &title_bookmark, &body.headings);
    let parts = package::Parts {
        document: xml::document(&(page + &body.xml)),
        relationships: body.relationships,
        numbering: numbering::numbering_xml(&body.lists),
        header: control::header_xml(&control),
        footer: control::footer_xml(&control),
        core: control::core_xml(&control),
        custom: control::custom_xml(&control),
    };
    package::write_package(parts, &STYLES, &SETTINGS)
}

/// The style sheet and settings are the same in every file: made once.
static STYLES: LazyLock<String> = LazyLock::new(styles::styles_xml);
static SETTINGS: LazyLock<String> = LazyLock::new(control::settings_xml);

/// Pictures larger than this are not read (the Word file would be unusable anyway).
const LARGEST_PICTURE: u64 = 20 * 1024 * 1024;

/// The picture `target` (as written in the Markdown at `markdown_path`) refers to, if it
/// is a file of `markdown/` that can be shown: an SVG (drawn as PNG) or a PNG. Links to
/// the web, outside `markdown/` or through a symbolic link are not followed.
fn load_picture(out: &Path, markdown_path: &str, target: &str) -> Option<picture::Picture> {
    let target = target.split(['#', '?']).next().unwrap_or_default();
    if target.is_empty() || target.contains(':') || target.starts_with('/') {
        return None;
    }
    let mut segments: Vec<&str> = markdown_path.split('/').collect();
    segments.pop(); // the document's own file name
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            name => segments.push(name),
        }
    }
    if segments.first() != Some(&"markdown") || segments.len() < 2 {
        return None;
    }
    let path = safe_join(out, &segments.join("/")).ok()?;
    let metadata = std::fs::metadata(&path).ok()?;
    if !metadata.is_file() || metadata.len() > LARGEST_PICTURE {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "svg" => picture::svg_to_png(&bytes).ok(),
        "png" => picture::png(bytes),
        _ => None,
    }
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
