//! What each file of the pack said when fitsm-pack last read or wrote it: its
//! placeholders, the sections that carry requirement markers, its owner and next
//! review, whether it keeps its attribution and holds a conflict. `check` needs all of
//! it, and reading and parsing every document was four fifths of a `check` of 10,000
//! services.
//!
//! So what a file said is kept in `.fitsm-pack/check-stamps.json` beside the file's
//! stamp (size, modification time, inode, and when the stamp was taken). `check`
//! notes each file it reads; a build notes each document it writes, from the text it
//! has in hand, so a `check` after a build reads almost nothing. A note counts only
//! while the file's stamp proves the file unchanged ([`Stamped::proves`]). The record
//! is this machine's and only ever a shortcut: a file no note proves is read, and a
//! record that cannot be read or written is no error.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::fs::Stamped;
use crate::lifecycle::Lifecycle;
use crate::outline::Section;
use crate::output::WriteReport;
use crate::pack::shipped::{FileCheck, is_document};
use crate::pack::{STATE_DIR, load_record, save_cache};

/// What one file said when it was read or written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Said {
    #[serde(flatten)]
    pub check: FileCheck,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentSaid>,
}

/// What a document said.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentSaid {
    pub placeholders: usize,
    /// Its sections with requirement markers.
    pub sections: Vec<Section>,
    pub owner: String,
    pub next_review: Option<String>,
    /// [`crate::lifecycle::content_hash`] of its text, if it was ever approved.
    pub content_sha256: Option<String>,
}

impl Said {
    /// What the file says. The content hash approvals are checked against is worked
    /// out only for documents that have an approval.
    pub fn of(relative: &str, bytes: &[u8], lifecycle: &Lifecycle) -> Said {
        Said::read(relative, bytes, lifecycle, true)
    }

    /// [`Said::of`] a document whose outline the caller works out anyway: all but its
    /// sections, which [`Said::set_outline`] puts in.
    pub fn of_all_but_sections(relative: &str, bytes: &[u8], lifecycle: &Lifecycle) -> Said {
        Said::read(relative, bytes, lifecycle, false)
    }

    /// Puts in the sections of `outline` (the document's, as
    /// [`crate::outline::sections`] gives them) that a note keeps.
    pub fn set_outline(&mut self, outline: Vec<Section>) {
        if let Some(document) = &mut self.document {
            document.sections = Said::marked(outline);
        }
    }

    fn read(relative: &str, bytes: &[u8], lifecycle: &Lifecycle, with_sections: bool) -> Said {
        let check = FileCheck::of(relative, bytes);
        if !is_document(relative) {
            return Said { check, document: None };
        }
        let text = String::from_utf8_lossy(bytes);
        let document = Document::parse(&text);
        let sections = if with_sections { Said::marked(crate::outline::sections(&document.body)) } else { Vec::new() };
        let document = DocumentSaid {
            placeholders: crate::placeholder::count(&text),
            sections,
            owner: document.field("owner").unwrap_or_default().to_owned(),
            next_review: document.field("next_review").map(str::to_owned),
            content_sha256: lifecycle.approved_ever(relative).then(|| crate::lifecycle::content_hash(&text)),
        };
        Said { check, document: Some(document) }
    }

    /// The sections of an outline a note keeps: those with requirement markers.
    fn marked(mut outline: Vec<Section>) -> Vec<Section> {
        outline.retain(|section| !section.requirements.is_empty());
        outline
    }

    /// Whether this note says all that `lifecycle` asks of the file (a document
    /// approved since it was noted needs its content hash).
    pub fn serves(&self, relative: &str, lifecycle: &Lifecycle) -> bool {
        self.document.as_ref().is_none_or(|d| d.content_sha256.is_some() || !lifecycle.approved_ever(relative))
    }
}

/// `.fitsm-pack/check-stamps.json`: path → what the file said, with its stamp.
#[derive(Debug, Serialize, Deserialize)]
pub struct Notes {
    /// The generator that noted them: what a file says may be read differently by
    /// another version.
    generator: String,
    pub files: BTreeMap<String, Noted>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Noted {
    #[serde(flatten)]
    pub stamped: Stamped,
    pub said: Said,
}

impl Default for Notes {
    fn default() -> Self {
        Notes { generator: GENERATOR.to_owned(), files: BTreeMap::new() }
    }
}

const FILE: &str = "check-stamps.json";
const GENERATOR: &str = concat!("fitsm-pack ", env!("CARGO_PKG_VERSION"));

impl Notes {
    /// The notes in `out`; none if there are none, they cannot be read, or another
    /// version of fitsm-pack made them.
    pub fn load(out: &Path) -> Notes {
        load_record(out, FILE).filter(|notes: &Notes| notes.generator == GENERATOR).unwrap_or_default()
    }

    /// Writes the notes, only into a pack's own state folder and never as an error:
    /// they are a shortcut.
    pub fn save(&self, out: &Path) {
        if out.join(STATE_DIR).is_dir() {
            let _ = save_cache(out, FILE, self);
        }
    }

    /// Notes what each file a build wrote says (`said`, by path, worked out from the
    /// texts it wrote) and forgets the files it removed. A file's note takes the stamp
    /// its text had when it was staged: applying the build renames that very file into
    /// place, so the stamp stays, and a save made after that changes it. A file the
    /// build wrote some other way (decided again because someone saved it during the
    /// build) is forgotten, and `check` reads it.
    pub fn note_written(out: &Path, report: &WriteReport, mut said: BTreeMap<String, Said>) {
        let Some(taken) = report.written_at else { return };
        let mut notes = Notes::load(out);
        let mut changed = false;
        for change in report.changes.iter().filter(|change| change.change.writes()) {
            let noted = change.written_stamp().zip(said.remove(&change.path));
            changed |= match noted {
                Some((stamp, said)) => {
                    let noted = Noted { stamped: Stamped::new(stamp, taken), said };
                    notes.files.insert(change.path.clone(), noted);
                    true
                }
                None => notes.files.remove(&change.path).is_some(),
            };
        }
        if changed {
            notes.save(out);
        }
    }
}
