//! What the binary tells the user after a build or a diff: results on stdout (the
//! diff), messages on stderr, and the exit code.

use fitsm_pack::build::{BuildOptions, BuildOutcome};
use fitsm_pack::output::Change;
use fitsm_pack::{EXIT_OK, EXIT_PROBLEM};

/// Prints the outcome of `build` and returns its exit code.
pub(crate) fn build(outcome: &BuildOutcome, options: &BuildOptions, quiet: bool, verbose: bool) -> i32 {
    let report = &outcome.report;
    for change in &report.changes {
        let show = verbose && change.change != Change::Unchanged;
        if show || change.change.needs_attention() || change.change == Change::UserDeleted {
            eprintln!("{:>12} {}{}", change.change.label(), change.path, explanation(change.change));
        }
    }
    if let Some(site) = outcome.site.as_ref().filter(|_| verbose) {
        for path in &site.written {
            eprintln!("{:>12} {path}", "html");
        }
    }
    if let Some(backup) = &report.backup {
        eprintln!("edited files were saved to {} before being overwritten", backup.display());
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
        eprintln!(
            "{} documents; {verb} {} files in {} ({}) in {:.0?}",
            outcome.documents,
            report.written(),
            options.out.display(),
            counts.join(", "),
            outcome.elapsed
        );
        if let Some(site) = &outcome.site {
            eprintln!(
                "site: {} pages, {} written, in {}",
                site.pages,
                site.written.len(),
                options.out.join("html").display()
            );
        }
    }
    let attention = report.needs_attention().count();
    if attention > 0 {
        eprintln!(
            "{attention} file{} need{} your attention (see above); fix them and build again",
            if attention == 1 { "" } else { "s" },
            if attention == 1 { "s" } else { "" }
        );
        EXIT_PROBLEM
    } else {
        EXIT_OK
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
pub(crate) fn diff(outcome: &BuildOutcome, quiet: bool) -> i32 {
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
        println!("# {}: {}", change.change.label(), change.path);
        let text = patch.to_string();
        // diffy's header names the sides "original" and "modified"; use the paths.
        let body =
            text.split_once('\n').and_then(|(_, rest)| rest.split_once('\n')).map_or(text.as_str(), |(_, rest)| rest);
        println!("--- {old}\n+++ {new}\n{body}");
    }
    if !quiet {
        eprintln!("{pending} file{} would change", if pending == 1 { "" } else { "s" });
    }
    if pending > 0 { EXIT_PROBLEM } else { EXIT_OK }
}
