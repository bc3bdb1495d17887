//! `check`: is the pack ready to show an auditor? Reads everything and writes nothing
//! but its own note of what each file said (`findings`), so that checking a pack
//! nobody touched since does not read it all again.
//!
//! It reports config validity (a bad config stops here, like every command), whether
//! the pack on disk is stale against the config, requirement coverage and its gaps,
//! open placeholders per document, reviews that are overdue, documents whose
//! attribution was removed, and unresolved merge conflicts. Gaps, staleness, missing
//! attribution and conflicts are failures (exit 1); placeholders and overdue reviews
//! are warnings unless `--strict`.
//!
//! It looks at every file that ships (the list `zip` archives, from
//! [`crate::pack::shipped`]), not only the documents: `ATTRIBUTION.md` and the licence
//! text must be there, no text file may hold a conflict, and files whose names cannot
//! ship are named (warnings: the zip and the site leave them out). The site's pages
//! and the Word files are listed but not opened, since they are made from the
//! documents it checks (see `findings`).

use std::path::PathBuf;

use serde::Serialize;

mod findings;

use crate::build::{BuildOptions, Format};
use crate::catalogue::Catalogue;
use crate::coverage::Coverage;
use crate::error::Error;
use crate::lifecycle::{Approvals, Lifecycle, State};
use crate::output::{self, Change};
use crate::pack::shipped;
use crate::pipeline::Planned;
use findings::Findings;

pub use crate::pack::shipped::ATTRIBUTION_LINK;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub config: PathBuf,
    pub out: PathBuf,
    pub templates: Option<PathBuf>,
    pub strict: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentCount {
    pub path: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueReview {
    pub path: String,
    pub next_review: String,
    /// The document owner, from its control data.
    pub owner: String,
}

/// A document in a lifecycle state `check` reports.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentState {
    pub path: String,
    pub id: String,
    pub version: String,
    pub owner: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StaleFile {
    pub path: String,
    pub change: Change,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverages {
    /// Written down: a section addresses it and no such section has a placeholder.
    pub documented: crate::coverage::Share,
    /// Documented in documents that are all approved and within their review date.
    pub approved: crate::coverage::Share,
    /// Shown at work by records (`[[evidence]]`, the `evidence/` folder).
    pub evidenced: crate::coverage::Share,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub id: String,
    pub topic: String,
}

/// Where the pack addresses one requirement, section by section.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementReport {
    pub id: String,
    pub status: crate::coverage::Status,
    pub sections: Vec<SectionReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionReport {
    /// The document, under the output folder (first copy of a per-entity document).
    pub path: String,
    pub anchor: String,
    pub section: String,
    /// Copies of the document (one per service, supplier … for per-entity documents).
    pub copies: usize,
    /// Open placeholders in the section, over all copies.
    pub placeholders: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub config: String,
    pub out: String,
    pub config_valid: bool,
    /// Whether a pack has been built in the output folder at all.
    pub built: bool,
    pub stale: bool,
    pub stale_files: Vec<StaleFile>,
    /// The headline: requirements documented, approved and evidenced, in percent of
    /// those in scope (requirements excluded by the config do not count).
    pub coverage: f64,
    /// The three stages separately.
    pub coverages: Coverages,
    pub requirements_total: usize,
    pub requirements_addressed: usize,
    pub requirements_with_placeholders: usize,
    pub requirements_excluded: usize,
    pub gaps: Vec<Gap>,
    /// Every requirement with the sections that address it.
    pub requirements: Vec<RequirementReport>,
    pub placeholders_total: usize,
    pub placeholders: Vec<DocumentCount>,
    /// Documents never approved.
    pub awaiting_approval: Vec<DocumentState>,
    /// Approved documents whose content changed since (each now the next draft).
    pub changed_since_approval: Vec<DocumentState>,
    pub overdue_reviews: Vec<OverdueReview>,
    pub missing_attribution: Vec<String>,
    /// Files every pack must hold that are not there (`ATTRIBUTION.md`, the licence).
    pub missing_files: Vec<String>,
    /// Files left out of the zip and the site because their names cannot ship, with why.
    pub unsafe_names: Vec<String>,
    pub conflicts: Vec<String>,
    /// Documents whose owner is also their approver (the config names no one else).
    pub self_approved: Vec<String>,
    pub documents: usize,
    pub failures: Vec<String>,
    pub warnings: Vec<String>,
    pub passed: bool,
}

/// What a build would change now, exactly as `build --dry-run` decides it (which
/// renders the whole pack: only when its inputs changed since the last build).
fn stale_files(options: &CheckOptions) -> Result<Vec<StaleFile>, Error> {
    let preview = crate::build::build(&BuildOptions {
        config: options.config.clone(),
        out: options.out.clone(),
        formats: vec![Format::Markdown],
        templates: options.templates.clone(),
        dry_run: true,
        force: false,
        restore: false,
    })?;
    let stale = |change: Change| {
        matches!(change, Change::New | Change::Updated | Change::Merged | Change::Conflict | Change::Removed)
    };
    Ok(preview
        .report
        .changes
        .iter()
        .filter(|c| stale(c.change))
        .map(|c| StaleFile { path: c.path.clone(), change: c.change })
        .collect())
}

pub fn check(options: &CheckOptions) -> Result<CheckReport, Error> {
    let planned = crate::pipeline::plan(&options.config, options.templates.as_deref())?;
    let out = &options.out;
    let built = output::Manifest::load(out)?.is_some();
    let Planned { loaded, plan, .. } = &planned;
    let lifecycle = Lifecycle::new(plan, Approvals::load(out)?, &loaded.config.pack);
    let up_to_date = crate::build::up_to_date(&planned, &lifecycle, out)?;
    let stale_files = if up_to_date { Vec::new() } else { stale_files(options)? };

    let found = Findings::read(out, &lifecycle)?;
    let shipped::Inspection { missing_attribution, conflicts, skipped, missing, .. } = found.inspection;
    // Before the first build nothing is missing but the pack itself (said in the verdict).
    let missing_files = if built { missing } else { Vec::new() };
    let placeholders = found.placeholders;
    let outlines = &found.outlines;
    let on_disk = |document: &crate::plan::PlannedDocument| {
        outlines.get(&format!("markdown/{}", document.path)).map(Vec::as_slice)
    };
    let today = crate::lifecycle::today();
    let controls = &found.controls;
    let approved = |document: &crate::plan::PlannedDocument| {
        controls.get(&format!("markdown/{}", document.path)).is_some_and(|c| c.control.in_force(&today))
    };
    let coverage = Coverage::compute(plan, Catalogue::builtin(), &loaded.config, on_disk, approved);
    let listed = |state: State| -> Vec<DocumentState> {
        let mut list: Vec<DocumentState> = found
            .controls
            .iter()
            .filter(|(_, c)| c.control.state == state)
            .map(|(path, c)| DocumentState {
                path: path.clone(),
                id: c.id.clone(),
                version: c.control.version.clone(),
                owner: c.owner.clone(),
            })
            .collect();
        list.sort_by(|a, b| a.path.cmp(&b.path));
        list
    };
    let (awaiting_approval, changed_since_approval) = (listed(State::Draft), listed(State::ChangedSinceApproval));
    let gaps: Vec<Gap> = coverage.gaps().map(|r| Gap { id: r.id.clone(), topic: r.topic.clone() }).collect();

    let mut report = CheckReport {
        config: loaded.path.display().to_string(),
        out: out.display().to_string(),
        config_valid: true,
        built,
        stale: !stale_files.is_empty() || !built,
        stale_files,
        coverage: coverage.percent,
        coverages: Coverages {
            documented: coverage.documented,
            approved: coverage.approved,
            evidenced: coverage.evidenced,
        },
        requirements_total: coverage.total,
        requirements_addressed: coverage.addressed + coverage.with_placeholders,
        requirements_with_placeholders: coverage.with_placeholders,
        requirements_excluded: coverage.excluded,
        gaps,
        requirements: coverage
            .requirements
            .iter()
            .map(|r| RequirementReport {
                id: r.id.clone(),
                status: r.status,
                sections: r
                    .documents
                    .iter()
                    .flat_map(|d| {
                        d.sections.iter().map(|s| SectionReport {
                            path: format!("markdown/{}", s.path),
                            anchor: s.anchor.clone(),
                            section: s.section.clone(),
                            copies: d.copies,
                            placeholders: s.placeholders,
                        })
                    })
                    .collect(),
            })
            .collect(),
        placeholders_total: placeholders.iter().map(|p| p.count).sum(),
        placeholders,
        awaiting_approval,
        changed_since_approval,
        overdue_reviews: found.overdue_reviews,
        missing_attribution,
        missing_files,
        unsafe_names: skipped.iter().map(ToString::to_string).collect(),
        conflicts,
        self_approved: plan
            .documents
            .iter()
            .filter(|d| d.owner.is_some() && d.owner == d.approver)
            .map(|d| format!("markdown/{}", d.path))
            .collect(),
        documents: found.documents,
        failures: Vec::new(),
        warnings: Vec::new(),
        passed: false,
    };
    let (mut failures, soft) = verdict(&report);
    if options.strict {
        failures.extend(soft);
    } else {
        report.warnings = soft;
    }
    report.passed = failures.is_empty();
    report.failures = failures;
    Ok(report)
}

/// The failures and the warnings (failures under `--strict`) a report's facts amount to.
fn verdict(report: &CheckReport) -> (Vec<String>, Vec<String>) {
    let mut failures = Vec::new();
    if !report.built {
        failures.push(format!("no pack has been built in {} yet: run `fitsm-pack build`", report.out));
    } else if !report.stale_files.is_empty() {
        let count = report.stale_files.len();
        failures.push(format!(
            "the pack is stale: {count} file{} would change; run `fitsm-pack build` (`fitsm-pack diff` shows how)",
            plural(count)
        ));
    }
    if !report.gaps.is_empty() {
        let ids: Vec<&str> = report.gaps.iter().map(|g| g.id.as_str()).collect();
        failures.push(format!(
            "{} requirement{} not addressed by any document: {}",
            ids.len(),
            plural(ids.len()),
            ids.join(", ")
        ));
    }
    if !report.missing_attribution.is_empty() {
        let count = report.missing_attribution.len();
        failures.push(format!(
            "{count} document{} lost the CC BY 4.0 attribution the FitSM licence requires",
            plural(count)
        ));
    }
    if !report.missing_files.is_empty() {
        failures.push(format!(
            "the pack lacks {}, which every copy you distribute must hold: run `fitsm-pack build --restore` to write it again",
            report.missing_files.join(" and ")
        ));
    }
    if !report.conflicts.is_empty() {
        let count = report.conflicts.len();
        failures.push(format!(
            "{count} file{} still hold{} merge conflict markers",
            plural(count),
            if count == 1 { "s" } else { "" }
        ));
    }
    let mut soft = Vec::new();
    if !report.self_approved.is_empty() {
        let count = report.self_approved.len();
        soft.push(format!(
            "{count} document{} would be approved by {} own owner, because the config names no one else \
             (set roles.sms_owner and roles.sms_manager to two other people): {}",
            plural(count),
            if count == 1 { "its" } else { "their" },
            report.self_approved.join(", ")
        ));
    }
    let unsafe_names = &report.unsafe_names;
    if !unsafe_names.is_empty() {
        let one = unsafe_names.len() == 1;
        soft.push(format!(
            "{} file{} cannot ship under {} name and {} left out of the zip and the site; rename {}: {}",
            unsafe_names.len(),
            plural(unsafe_names.len()),
            if one { "its" } else { "their" },
            if one { "is" } else { "are" },
            if one { "it" } else { "them" },
            unsafe_names.join("; ")
        ));
    }
    if report.placeholders_total > 0 {
        soft.push(format!(
            "{} open placeholder{} in {} document{}",
            report.placeholders_total,
            plural(report.placeholders_total),
            report.placeholders.len(),
            plural(report.placeholders.len())
        ));
    }
    if !report.overdue_reviews.is_empty() {
        let count = report.overdue_reviews.len();
        soft.push(format!("{count} document{} overdue for review", plural(count)));
    }
    if !report.changed_since_approval.is_empty() {
        let count = report.changed_since_approval.len();
        soft.push(format!(
            "{count} approved document{} changed since approval and need{} approving again: {}",
            plural(count),
            if count == 1 { "s" } else { "" },
            report
                .changed_since_approval
                .iter()
                .map(|d| format!("{} (owner {})", d.id, d.owner))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !report.awaiting_approval.is_empty() {
        let count = report.awaiting_approval.len();
        soft.push(format!("{count} document{} not yet approved (`fitsm-pack approve`)", plural(count)));
    }
    (failures, soft)
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
