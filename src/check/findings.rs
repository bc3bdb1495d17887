//! What the files on disk say, for `check`: placeholders, sections and their
//! requirement markers, control data, attribution and conflicts.
//!
//! A file whose note ([`crate::notes`], made by the last `check` that read it or the
//! build that wrote it) is proven by its stamp is not read again; every other file
//! is read, and its note made.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use super::{DocumentCount, OverdueReview};
use crate::error::Error;
use crate::lifecycle::{Control, Lifecycle};
use crate::notes::{Noted, Notes, Said};
use crate::outline::Section;
use crate::pack::shipped::{self, FileCheck};
use rayon::prelude::*;

/// What the documents on disk say: placeholders, reviews, and the inspection of
/// everything that ships.
pub(super) struct Findings {
    pub(super) documents: usize,
    /// The sections of each document that carry requirement markers (all coverage
    /// looks at), as it stands on disk, by path in the pack.
    pub(super) outlines: HashMap<String, Vec<Section>>,
    /// The lifecycle state of each planned document on disk.
    pub(super) controls: HashMap<String, Controlled>,
    pub(super) placeholders: Vec<DocumentCount>,
    pub(super) overdue_reviews: Vec<OverdueReview>,
    pub(super) inspection: shipped::Inspection,
}

/// A document's control data as its content makes it, with who owns it.
pub(super) struct Controlled {
    pub(super) id: String,
    pub(super) owner: String,
    pub(super) control: Control,
}

/// What `check` has of one listed file.
enum Found {
    /// The note of an unchanged file.
    Noted(Noted),
    /// What the file says, read now.
    Read(Noted),
    /// A page or Word file, not opened (see [`made_from_the_documents`]).
    Unread,
    /// It went away since it was listed.
    Gone,
}

/// Whether `relative` is a page or a Word file made from the Markdown documents: what
/// they could say wrong, the documents say first (a conflict in a document is
/// reported there; its page shows the markers as escaped text, never as markers, and
/// a Word file is not text). Reading them was three quarters of the bytes a `check`
/// of 10,000 services read.
fn made_from_the_documents(relative: &str) -> bool {
    let generated = ["html/", "docx/"].iter().any(|folder| relative.starts_with(folder));
    generated && [".html", ".docx"].iter().any(|extension| relative.ends_with(extension))
}

impl Findings {
    pub(super) fn read(out: &Path, lifecycle: &Lifecycle) -> Result<Findings, Error> {
        let notes = Notes::load(out);
        let listing = shipped::shipped(out)?;
        // Files are independent of each other: the ones to read are read in parallel.
        let found: Vec<Found> = listing
            .files
            .par_iter()
            .map(|relative| {
                if made_from_the_documents(relative) {
                    return Ok(Found::Unread);
                }
                let path = out.join(relative);
                let metadata = std::fs::symlink_metadata(&path).ok();
                let known = notes.files.get(relative).filter(|note| {
                    metadata.as_ref().is_some_and(|m| note.stamped.proves(m)) && note.said.serves(relative, lifecycle)
                });
                if let Some(note) = known {
                    return Ok(Found::Noted(note.clone()));
                }
                let taken = SystemTime::now();
                let Some((bytes, stamp)) = crate::fs::read_bytes_stamped(&path)? else { return Ok(Found::Gone) };
                let said = Said::of(relative, &bytes, lifecycle);
                Ok(Found::Read(Noted { stamped: crate::fs::Stamped::new(stamp, taken), said }))
            })
            .collect::<Result<_, Error>>()?;
        let read_again = found.iter().any(|found| matches!(found, Found::Read(_)));
        let mut noted = Notes::default();
        // `inspect_with` asks about the listed files once each, in order.
        let mut found = found.into_iter();
        let inspection = shipped::inspect_with(out, listing, |relative, _| {
            Ok(match found.next() {
                Some(Found::Noted(note) | Found::Read(note)) => {
                    let check = note.said.check;
                    noted.files.insert(relative.to_owned(), note);
                    Some(check)
                }
                // Listed, not opened: see `made_from_the_documents`.
                Some(Found::Unread) => Some(FileCheck { conflict: false, attributed: true }),
                Some(Found::Gone) | None => None,
            })
        })?;
        if read_again || noted.files.len() != notes.files.len() {
            noted.save(out);
        }
        // The notes are by path, and so is the listing: the findings keep its order.
        let said = noted.files.into_iter().map(|(path, note)| (path, note.said));
        Ok(Findings::from_said(said, lifecycle, inspection))
    }

    fn from_said(
        said: impl Iterator<Item = (String, Said)>,
        lifecycle: &Lifecycle,
        inspection: shipped::Inspection,
    ) -> Findings {
        let today = jiff::ZonedDateTime::now().date();
        let mut findings = Findings {
            documents: 0,
            outlines: HashMap::new(),
            controls: HashMap::new(),
            placeholders: Vec::new(),
            overdue_reviews: Vec::new(),
            inspection,
        };
        for (path, Said { document, .. }) in said {
            let Some(document) = document else { continue };
            findings.documents += 1;
            if document.placeholders > 0 {
                findings.placeholders.push(DocumentCount { path: path.clone(), count: document.placeholders });
            }
            let control = lifecycle.control_with(&path, || document.content_sha256.clone().unwrap_or_default());
            if let (Some(id), Some(control)) = (lifecycle.id_of(&path), control) {
                let owner = document.owner.clone();
                findings.controls.insert(path.clone(), Controlled { id: id.to_owned(), owner, control });
            }
            let next = document.next_review.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok());
            if let Some(next) = next.filter(|next| *next < today) {
                let owner = document.owner.clone();
                findings.overdue_reviews.push(OverdueReview {
                    path: path.clone(),
                    next_review: next.to_string(),
                    owner,
                });
            }
            findings.outlines.insert(path, document.sections);
        }
        findings
    }
}
