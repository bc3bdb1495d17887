//! What the binary tells the user: results (diffs, reports, listings) are returned as
//! text for stdout, messages go to stderr, and each command gets its exit code.
//!
//! Every byte the binary prints goes through [`stdout`] or [`message!`], never through
//! `println!` / `eprintln!`: those panic when the other end is gone
//! (`fitsm-pack diff | head`, `fitsm-pack build 2>&1 | head -1`), and a panic is a bug.
//! A reader that stops reading has what it wanted, so, as ripgrep and fd do, results stop
//! quietly and the command keeps its exit code; a message nobody can read is dropped.

use std::fmt::Write as _;
use std::io::Write as _;

use fitsm_pack::Outcome;
use fitsm_pack::build::{BuildOptions, BuildOutcome};
use fitsm_pack::bundle::ZipOutcome;
use fitsm_pack::check::CheckReport;
use fitsm_pack::output::Change;
use fitsm_pack::templates::{DOCUMENTS_DIR, RenderFor, TemplateSet};

/// `eprintln!` that never panics: writes one line to stderr, and if stderr is closed or
/// its reader has gone, drops it (there is nobody left to tell).
macro_rules! message {
    ($($arg:tt)*) => {
        $crate::report::message_line(format_args!($($arg)*))
    };
}
pub(crate) use message;

/// The body of [`message!`].
pub(crate) fn message_line(args: std::fmt::Arguments<'_>) {
    let mut handle = anstream::stderr().lock();
    let _ = handle.write_fmt(args).and_then(|()| handle.write_all(b"\n"));
}

/// Prints the outcome of `build` and returns its exit code.
pub(crate) fn build(outcome: &BuildOutcome, options: &BuildOptions, quiet: bool, verbose: bool) -> Outcome {
    let report = &outcome.report;
    for warning in &outcome.warnings {
        message!("warning: {warning}");
    }
    for change in &report.changes {
        let show = verbose && change.change != Change::Unchanged;
        if show || change.change.needs_attention() || change.change == Change::UserDeleted {
            message!("{:>12} {}{}", change.change.label(), change.path, explanation(change.change));
        }
    }
    if let Some(site) = &outcome.site {
        for skipped in &site.skipped {
            message!("warning: not in the site: {skipped}\n  help: {}", skipped.hint());
        }
        for path in &site.replaced {
            message!("warning: {path} was not made by fitsm-pack; the site needed its path and replaced it");
        }
        if verbose {
            for path in &site.written {
                message!("{:>12} {path}", "html");
            }
        }
    }
    if let Some(backup) = &report.backup {
        message!("edited files were saved to {} before being overwritten", backup.display());
    }
    if !quiet {
        let verb = if options.dry_run { "would write" } else { "wrote" };
        let mut counts: Vec<String> = [
            Change::New,
            Change::Updated,
            Change::Merged,
            Change::Conflict,
            Change::Removed,
            Change::Restored,
            Change::Overwritten,
            Change::Unchanged,
        ]
        .iter()
        .map(|change| (report.count(*change), change.label()))
        .filter(|(count, _)| *count > 0)
        .map(|(count, label)| format!("{count} {label}"))
        .collect();
        if counts.is_empty() {
            counts.push("nothing".to_owned());
        }
        message!(
            "{} documents; {verb} {} files in {} ({}) in {:.0?}",
            outcome.documents,
            report.written(),
            options.out.display(),
            counts.join(", "),
            outcome.elapsed
        );
        if let Some(site) = &outcome.site {
            message!(
                "site: {} pages, {} written, in {}",
                site.pages,
                site.written.len(),
                options.out.join("html").display()
            );
        }
        if let Some(docx) = &outcome.docx {
            let folder = options.out.join("docx");
            message!("word: {} documents, {} written, in {}", docx.documents, docx.written.len(), folder.display());
        }
    }
    let attention = report.needs_attention().count();
    if attention > 0 {
        message!(
            "{attention} file{} need{} your attention (see above); fix them and build again",
            if attention == 1 { "" } else { "s" },
            if attention == 1 { "s" } else { "" }
        );
        Outcome::Problem
    } else {
        Outcome::Clean
    }
}

fn explanation(change: Change) -> &'static str {
    match change {
        Change::Conflict => ": your edit and the new content overlap; resolve the <<<<<<< / >>>>>>> markers",
        Change::StillConflicted => ": still has conflict markers from an earlier build; resolve them",
        Change::Orphaned => ": no longer generated, but edited, so kept; delete it if it is no longer needed",
        Change::UserDeleted => ": you deleted it, so it stays deleted (--restore brings it back)",
        Change::KeptUnknown => {
            ": not made by fitsm-pack (or its record is lost), so kept; --force overwrites it after a backup"
        }
        _ => "",
    }
}

/// Prints what a build would change as a unified diff; exit 1 if anything would change.
pub(crate) fn diff(outcome: &BuildOutcome, quiet: bool) -> (String, Outcome) {
    let mut out = String::new();
    let mut pending = 0;
    for change in &outcome.report.changes {
        if change.before == change.after {
            continue;
        }
        pending += 1;
        let before = change.before.as_deref().unwrap_or_default();
        let after = change.after.as_deref().unwrap_or_default();
        let patch = diffy::create_patch(before, after);
        let old = if change.before.is_some() { format!("a/{}", change.path) } else { "/dev/null".to_owned() };
        let new = if change.after.is_some() { format!("b/{}", change.path) } else { "/dev/null".to_owned() };
        let _ = writeln!(out, "# {}: {}", change.change.label(), change.path);
        let text = patch.to_string();
        // diffy's header names the sides "original" and "modified"; use the paths.
        let body =
            text.split_once('\n').and_then(|(_, rest)| rest.split_once('\n')).map_or(text.as_str(), |(_, rest)| rest);
        let _ = writeln!(out, "--- {old}\n+++ {new}\n{body}");
    }
    if !quiet {
        message!("{pending} file{} would change", if pending == 1 { "" } else { "s" });
    }
    (out, Outcome::problem_if(pending > 0))
}

/// Prints the `check` report for people.
pub(crate) fn check_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "fitsm-pack check: {} (config {})", report.out, report.config);
    check_facts(&mut out, report);
    let _ = writeln!(out);
    for failure in &report.failures {
        let _ = writeln!(out, "failure: {failure}");
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    let verdict = match (report.passed, report.warnings.len()) {
        (true, 0) => "passed".to_owned(),
        (true, warnings) => format!("passed with {warnings} warning(s)"),
        (false, _) => format!("failed: {} problem(s)", report.failures.len()),
    };
    let _ = writeln!(out, "{verdict}");
    out
}

/// How many files a list of `check` names in text. A pack of a thousand services has
/// thousands of documents with placeholders, and listing them all buried the verdict;
/// `--format json` lists everything.
const SHOWN: usize = 10;

/// One line below a fact of `check`.
fn detail(out: &mut String, text: String) {
    let _ = writeln!(out, "  {:<18}   {text}", "");
}

/// The first [`SHOWN`] of `lines` below a fact, then how many more there are.
fn details(out: &mut String, lines: impl ExactSizeIterator<Item = String>) {
    let total = lines.len();
    for text in lines.take(SHOWN) {
        detail(out, text);
    }
    if total > SHOWN {
        detail(out, format!("… and {} more (check --format json lists them all)", total - SHOWN));
    }
}

/// One labelled line per fact of `check`, with the files behind it indented below.
fn check_facts(out: &mut String, report: &CheckReport) {
    let line = |out: &mut String, label: &str, value: String| {
        let _ = writeln!(out, "  {label:<18} {value}");
    };
    let none_or = |items: &[String], text: String| if items.is_empty() { "none".to_owned() } else { text };
    line(out, "config", "valid".to_owned());
    let pack = if !report.built {
        "not built yet".to_owned()
    } else if report.stale {
        format!("STALE: {} file(s) would change", report.stale_files.len())
    } else {
        format!("up to date ({} documents)", report.documents)
    };
    line(out, "pack", pack);
    details(out, report.stale_files.iter().map(|file| format!("{} {}", file.change.label(), file.path)));
    let in_scope = report.requirements_total - report.requirements_excluded;
    let stage = |share: &fitsm_pack::coverage::Share| format!("{} of {in_scope} ({:.1} %)", share.count, share.percent);
    line(
        out,
        "coverage",
        format!(
            "{:.1} % ready for audit (documented, approved and evidenced); {} excluded",
            report.coverage, report.requirements_excluded
        ),
    );
    detail(
        out,
        format!(
            "documented {}: {} addressed, {} of them with open placeholders",
            stage(&report.coverages.documented),
            report.requirements_addressed,
            report.requirements_with_placeholders
        ),
    );
    detail(out, format!("approved   {}", stage(&report.coverages.approved)));
    detail(out, format!("evidenced  {}", stage(&report.coverages.evidenced)));
    let gaps: Vec<String> = report.gaps.iter().map(|g| format!("{} ({})", g.id, g.topic)).collect();
    line(out, "gaps", none_or(&gaps, gaps.join(", ")));
    line(
        out,
        "placeholders",
        format!("{} open in {} document(s)", report.placeholders_total, report.placeholders.len()),
    );
    // The documents with the most left open first: where the work is.
    let mut open: Vec<_> = report.placeholders.iter().collect();
    open.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
    details(out, open.into_iter().map(|document| format!("{:>3}  {}", document.count, document.path)));
    let approvals = format!(
        "{} approved and current, {} changed since approval, {} never approved",
        report.documents.saturating_sub(report.awaiting_approval.len() + report.changed_since_approval.len()),
        report.changed_since_approval.len(),
        report.awaiting_approval.len()
    );
    line(out, "approvals", approvals);
    let changed = report.changed_since_approval.iter();
    details(out, changed.map(|d| format!("changed  {} now {} (owner {})", d.id, d.version, d.owner)));
    let awaiting = report.awaiting_approval.iter();
    details(out, awaiting.map(|d| format!("awaiting {} {} (owner {})", d.id, d.version, d.owner)));
    let overdue: Vec<String> = report
        .overdue_reviews
        .iter()
        .map(|r| format!("{} (due {}, owner {})", r.path, r.next_review, r.owner))
        .collect();
    line(out, "reviews overdue", none_or(&overdue, overdue.len().to_string()));
    details(out, overdue.into_iter());
    let attribution = if report.missing_attribution.is_empty() {
        format!("kept in all {} documents", report.documents)
    } else {
        format!("MISSING in {}", report.missing_attribution.join(", "))
    };
    line(out, "attribution", attribution);
    line(out, "conflicts", none_or(&report.conflicts, report.conflicts.join(", ")));
}

/// Prints `templates list`.
pub(crate) fn templates(set: &TemplateSet) -> Result<String, fitsm_pack::Error> {
    let documents = set.documents()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<30} {:<14} {:<9} {:<58} {:<11} REQUIREMENTS",
        "KEY", "ID", "FOR", "PATH (under markdown/)", "SOURCE"
    );
    for document in &documents {
        let declaration = &document.declaration;
        let render_for = match declaration.render_for {
            RenderFor::Once => "once",
            RenderFor::Service => "service",
            RenderFor::Supplier => "supplier",
            RenderFor::Customer => "customer",
            RenderFor::FederationMember => "member",
        };
        let _ = writeln!(
            out,
            "{:<30} {:<14} {:<9} {:<58} {:<11} {}",
            declaration.key,
            declaration.id,
            render_for,
            declaration.path,
            set.source_of(&document.name),
            declaration.requirements.join(" ")
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Other templates (layouts, partials, styles):");
    for file in set.files().filter(|f| !f.name.starts_with(DOCUMENTS_DIR) && f.name != "requirements.toml") {
        let _ = writeln!(out, "  {:<40} {}", file.name, set.source_of(&file.name));
    }
    Ok(out)
}

/// Writes a command's result to stdout. A closed pipe (`fitsm-pack … | head`) is not an
/// error: the reader has what it wanted.
pub(crate) fn stdout(text: &str) -> Result<(), fitsm_pack::Error> {
    let mut handle = std::io::stdout().lock();
    match handle.write_all(text.as_bytes()).and_then(|()| handle.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(fitsm_pack::Error::Write { path: "standard output".into(), source }),
    }
}

/// Prints the outcome of `zip` and returns its exit code: a refused pack is exit 1.
pub(crate) fn zipped(outcome: &ZipOutcome, quiet: bool) -> Outcome {
    match outcome {
        ZipOutcome::Written(report) => {
            for skipped in &report.skipped {
                message!("warning: not zipped: {skipped}\n  help: {}", skipped.problem.hint());
            }
            if !quiet {
                message!(
                    "zip: {} ({} files, {} KiB)",
                    report.path.display(),
                    report.entries,
                    report.bytes.div_ceil(1024)
                );
            }
            Outcome::Clean
        }
        ZipOutcome::Refused(refusal) => {
            for (cause, hint) in refusal.problems() {
                message!("error: {cause}\n  help: {hint}");
            }
            message!("no zip was written");
            Outcome::Problem
        }
    }
}
