//! `check`: is the pack ready to show an auditor? Reads everything, writes nothing.
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
//! ship are named (warnings: the zip and the site leave them out).

use std::path::PathBuf;

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::coverage::{Coverage, count_placeholders};
use crate::document::Document;
use crate::error::Error;
use crate::output::{self, Change, WriteOptions};
use crate::pack::shipped::{self, is_document};
use crate::pipeline::{Prepared, pack_info, prepare};

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
}

#[derive(Debug, Clone, Serialize)]
pub struct StaleFile {
    pub path: String,
    pub change: Change,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub id: String,
    pub topic: String,
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
    /// Requirement coverage in percent (requirements excluded by the config do not count).
    pub coverage: f64,
    pub requirements_total: usize,
    pub requirements_addressed: usize,
    pub requirements_with_placeholders: usize,
    pub requirements_excluded: usize,
    pub gaps: Vec<Gap>,
    pub placeholders_total: usize,
    pub placeholders: Vec<DocumentCount>,
    pub overdue_reviews: Vec<OverdueReview>,
    pub missing_attribution: Vec<String>,
    /// Files every pack must hold that are not there (`ATTRIBUTION.md`, the licence).
    pub missing_files: Vec<String>,
    /// Files left out of the zip and the site because their names cannot ship, with why.
    pub unsafe_names: Vec<String>,
    pub conflicts: Vec<String>,
    pub documents: usize,
    pub failures: Vec<String>,
    pub warnings: Vec<String>,
    pub passed: bool,
}

pub fn check(options: &CheckOptions) -> Result<CheckReport, Error> {
    let Prepared { loaded, plan, rendered, templates, .. } = prepare(&options.config, options.templates.as_deref())?;
    let out = &options.out;
    let built = output::Manifest::load(out)?.is_some();

    let files: Vec<_> = rendered.documents.into_iter().chain(rendered.extras).collect();
    let decisions = output::write_pack(
        out,
        &files,
        output::Manifest::new(&loaded.text, pack_info(&loaded.config, &templates)),
        WriteOptions { dry_run: true, ..WriteOptions::default() },
    )?;
    let stale_files: Vec<StaleFile> = decisions
        .changes
        .iter()
        .filter(|c| {
            matches!(c.change, Change::New | Change::Updated | Change::Merged | Change::Conflict | Change::Removed)
        })
        .map(|c| StaleFile { path: c.path.clone(), change: c.change })
        .collect();

    let today = jiff::ZonedDateTime::now().date();
    let mut placeholders = Vec::new();
    let mut overdue_reviews = Vec::new();
    let mut documents = 0;
    let inspection = shipped::inspect(out, |path, bytes| {
        if !is_document(path) {
            return Ok(());
        }
        documents += 1;
        let text = String::from_utf8_lossy(&bytes);
        let count = count_placeholders(&text);
        if count > 0 {
            placeholders.push(DocumentCount { path: path.to_owned(), count });
        }
        let document = Document::parse(&text);
        if let Some(next) = document.field("next_review").and_then(|d| d.parse::<jiff::civil::Date>().ok())
            && next < today
        {
            overdue_reviews.push(OverdueReview { path: path.to_owned(), next_review: next.to_string() });
        }
        Ok(())
    })?;
    let shipped::Inspection { missing_attribution, conflicts, skipped, .. } = inspection;
    // Before the first build nothing is missing but the pack itself (said below).
    let missing_files = if built { inspection.missing } else { Vec::new() };
    let unsafe_names: Vec<String> = skipped.iter().map(ToString::to_string).collect();

    let on_disk =
        |path: &str| placeholders.iter().find(|p| p.path == format!("markdown/{path}")).map_or(0, |p| p.count);
    let coverage = Coverage::compute(&plan, Catalogue::builtin(), &loaded.config, on_disk);
    let gaps: Vec<Gap> = coverage.gaps().map(|r| Gap { id: r.id.clone(), topic: r.topic.clone() }).collect();
    let placeholders_total = placeholders.iter().map(|p| p.count).sum();

    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    if !built {
        failures.push(format!("no pack has been built in {} yet: run `fitsm-pack build`", out.display()));
    } else if !stale_files.is_empty() {
        failures.push(format!(
            "the pack is stale: {} file{} would change; run `fitsm-pack build` (`fitsm-pack diff` shows how)",
            stale_files.len(),
            plural(stale_files.len())
        ));
    }
    if !gaps.is_empty() {
        failures.push(format!(
            "{} requirement{} not addressed by any document: {}",
            gaps.len(),
            plural(gaps.len()),
            gaps.iter().map(|g| g.id.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    if !missing_attribution.is_empty() {
        failures.push(format!(
            "{} document{} lost the CC BY 4.0 attribution the FitSM licence requires",
            missing_attribution.len(),
            plural(missing_attribution.len())
        ));
    }
    if !missing_files.is_empty() {
        failures.push(format!(
            "the pack lacks {}, which every copy you distribute must hold: run `fitsm-pack build --restore` to write it again",
            missing_files.join(" and ")
        ));
    }
    if !conflicts.is_empty() {
        failures.push(format!(
            "{} file{} still hold{} merge conflict markers",
            conflicts.len(),
            plural(conflicts.len()),
            if conflicts.len() == 1 { "s" } else { "" }
        ));
    }
    let mut soft = Vec::new();
    if !unsafe_names.is_empty() {
        soft.push(format!(
            "{} file{} cannot ship under {} name and {} left out of the zip and the site; rename {}: {}",
            unsafe_names.len(),
            plural(unsafe_names.len()),
            if unsafe_names.len() == 1 { "its" } else { "their" },
            if unsafe_names.len() == 1 { "is" } else { "are" },
            if unsafe_names.len() == 1 { "it" } else { "them" },
            unsafe_names.join("; ")
        ));
    }
    if placeholders_total > 0 {
        soft.push(format!(
            "{placeholders_total} open placeholder{} in {} document{}",
            plural(placeholders_total),
            placeholders.len(),
            plural(placeholders.len())
        ));
    }
    if !overdue_reviews.is_empty() {
        soft.push(format!("{} document{} overdue for review", overdue_reviews.len(), plural(overdue_reviews.len())));
    }
    if options.strict {
        failures.extend(soft)
    } else {
        warnings.extend(soft)
    }

    Ok(CheckReport {
        config: loaded.path.display().to_string(),
        out: out.display().to_string(),
        config_valid: true,
        built,
        stale: !stale_files.is_empty() || !built,
        stale_files,
        coverage: coverage.percent,
        requirements_total: coverage.total,
        requirements_addressed: coverage.addressed + coverage.with_placeholders,
        requirements_with_placeholders: coverage.with_placeholders,
        requirements_excluded: coverage.excluded,
        gaps,
        placeholders_total,
        placeholders,
        overdue_reviews,
        missing_attribution,
        missing_files,
        unsafe_names,
        conflicts,
        documents,
        passed: failures.is_empty(),
        failures,
        warnings,
    })
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
