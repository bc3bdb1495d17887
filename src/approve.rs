//! `approve`: record that a person approved documents as they stand on disk, then
//! rebuild so their control data and change history say so.
//!
//! An approval covers what the approver read: the document's content on disk (see
//! [`crate::lifecycle::content_hash`]), which is why a document that a build would
//! still change, or that holds a merge conflict, is refused. Only the document's named
//! approver may approve it, which keeps GR2.4's "approved by an authorised person"
//! true without a second list of who may approve what. Approving a document again
//! with unchanged content changes nothing.

use std::path::PathBuf;

use crate::build::{BuildOptions, BuildOutcome, Format, build};
use crate::diagnostic::did_you_mean;
use crate::error::Error;
use crate::fs::{read_if_exists, safe_join};
use crate::lifecycle::{Approval, Approvals, Lifecycle, content_hash, today};
use crate::output::{Change, Manifest, lock};
use crate::pack::conflict::has_conflict_markers;
use crate::pipeline::plan;
use crate::plan::PlannedDocument;

#[derive(Debug, Clone)]
pub struct ApproveOptions {
    pub config: PathBuf,
    pub out: PathBuf,
    pub templates: Option<PathBuf>,
    /// Document ids (any case).
    pub documents: Vec<String>,
    /// Person id of the approver.
    pub by: String,
    /// `YYYY-MM-DD`; today when not given.
    pub date: Option<String>,
    /// What changed, for the change history.
    pub note: Option<String>,
}

/// What `approve` did.
#[derive(Debug)]
pub struct ApproveOutcome {
    /// (document id, version) newly approved.
    pub approved: Vec<(String, String)>,
    /// (document id, version) already approved with this content.
    pub unchanged: Vec<(String, String)>,
    /// The build that wrote the control data.
    pub build: BuildOutcome,
}

pub fn approve(options: &ApproveOptions) -> Result<ApproveOutcome, Error> {
    let planned = plan(&options.config, options.templates.as_deref())?;
    let documents =
        options.documents.iter().map(|id| find_document(&planned.plan.documents, id)).collect::<Result<Vec<_>, _>>()?;
    let config = &planned.loaded.config;
    let person = config.people.iter().find(|p| p.id.get_ref() == &options.by).ok_or_else(|| Error::UnknownPerson {
        id: options.by.clone(),
        suggestion: did_you_mean(&options.by, config.people.iter().map(|p| p.id.get_ref().as_str())).map(str::to_owned),
    })?;
    for document in &documents {
        if document.approver.as_deref() != Some(person.id.get_ref().as_str()) {
            let approver = document
                .approver
                .as_deref()
                .and_then(|id| config.people.iter().find(|p| p.id.get_ref() == id))
                .map_or_else(|| format!("it names no {}", document.approver_role), |p| format!("it is {}", p.name));
            return Err(Error::NotTheApprover { document: document.id.clone(), by: person.name.clone(), approver });
        }
    }
    let date = match &options.date {
        Some(date) => date.parse::<jiff::civil::Date>().map_err(|_| Error::BadDate { date: date.clone() })?.to_string(),
        None => today(),
    };
    if Manifest::load(&options.out)?.is_none() {
        return Err(Error::NoPack { path: options.out.clone() });
    }
    // What the approver read must be what a build leaves: nothing pending for it.
    let preview = build(&BuildOptions { dry_run: true, ..build_options(options) })?;
    for document in &documents {
        let path = format!("markdown/{}", document.path);
        let pending =
            preview.report.changes.iter().find(|c| c.path == path).is_some_and(|c| c.change != Change::Unchanged);
        let on_disk = read_if_exists(&safe_join(&options.out, &path)?)?;
        if pending || on_disk.as_deref().is_none_or(has_conflict_markers) {
            return Err(Error::ApproveStale { document: document.id.clone(), path });
        }
    }

    let (mut approved, mut unchanged) = (Vec::new(), Vec::new());
    {
        let _lock = lock::acquire(&options.out)?;
        let mut approvals = Approvals::load(&options.out)?;
        let lifecycle = Lifecycle::new(&planned.plan, approvals.clone(), &config.pack);
        for document in &documents {
            let path = format!("markdown/{}", document.path);
            let text = read_if_exists(&safe_join(&options.out, &path)?)?.unwrap_or_default();
            let hash = content_hash(&text);
            if let Some(last) = approvals.of(&document.id).last().filter(|a| a.content_sha256 == hash) {
                unchanged.push((document.id.clone(), last.version.clone()));
                continue;
            }
            let version = lifecycle.next_approved_version(&document.id);
            approvals.approvals.push(Approval {
                document: document.id.clone(),
                version: version.clone(),
                date: date.clone(),
                by: person.id.get_ref().clone(),
                by_name: person.name.clone(),
                note: options.note.clone(),
                content_sha256: hash,
            });
            approved.push((document.id.clone(), version));
        }
        if !approved.is_empty() {
            approvals.save(&options.out)?;
        }
    }
    let build = build(&build_options(options))?;
    Ok(ApproveOutcome { approved, unchanged, build })
}

/// A plain build of the same pack, in the formats it already has.
fn build_options(options: &ApproveOptions) -> BuildOptions {
    let mut formats = vec![Format::Markdown];
    if options.out.join("html").is_dir() {
        formats.push(Format::Html);
    }
    if options.out.join("docx").is_dir() {
        formats.push(Format::Docx);
    }
    BuildOptions {
        config: options.config.clone(),
        out: options.out.clone(),
        formats,
        templates: options.templates.clone(),
        dry_run: false,
        force: false,
        restore: false,
    }
}

fn find_document<'p>(documents: &'p [PlannedDocument], id: &str) -> Result<&'p PlannedDocument, Error> {
    documents.iter().find(|d| d.id.eq_ignore_ascii_case(id)).ok_or_else(|| Error::UnknownDocument {
        id: id.to_owned(),
        suggestion: did_you_mean(id, documents.iter().map(|d| d.id.as_str())).map(str::to_owned),
    })
}
