//! `fitsm-pack build` (with `--zip`) and `fitsm-pack diff`, which is a build that
//! writes nothing and shows what it would change.

use fitsm_pack::build::{BuildOptions, Format};
use fitsm_pack::bundle::ZipOptions;
use fitsm_pack::output::Change;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::cli::{BuildArgs, PackArgs};
use crate::progress_bar::TerminalProgress;
use crate::report;

pub(super) fn build(args: BuildArgs, global: Global) -> Result<Outcome, Error> {
    let options = BuildOptions {
        config: args.pack.config,
        out: args.pack.out,
        formats: Format::with_markdown(args.format.into_iter().map(Format::from)),
        templates: args.pack.templates,
        dry_run: args.dry_run,
        force: args.force,
        restore: args.restore,
    };
    let progress = TerminalProgress::for_stderr(global.quiet);
    let outcome = fitsm_pack::build::build_with_progress(&options, &progress)?;
    let code = report::build(&outcome, &options, global.quiet, global.verbose);
    if !args.zip || args.dry_run {
        return Ok(code);
    }
    // With --allow-conflicts, conflicts are no reason to hold the zip back; anything
    // else that needs attention still is.
    let held_back = outcome
        .report
        .needs_attention()
        .any(|c| !(args.allow_conflicts && matches!(c.change, Change::Conflict | Change::StillConflicted)));
    if held_back {
        report::message!("not zipping: resolve the files above first, then run `fitsm-pack zip`");
        return Ok(code);
    }
    // Zipped under the build's own lock: no other build can write between this build
    // and its archive.
    let zip_options = ZipOptions {
        out: options.out.clone(),
        output: None,
        allow_missing_attribution: args.allow_missing_attribution,
        allow_conflicts: args.allow_conflicts,
    };
    let zipped = match &outcome.lock {
        Some(lock) => fitsm_pack::bundle::zip_locked(&zip_options, lock)?,
        None => fitsm_pack::bundle::zip(&zip_options)?,
    };
    Ok(code.max(report::zipped(&zipped, global.quiet)))
}

pub(super) fn diff(pack: PackArgs, global: Global) -> Result<Outcome, Error> {
    let options = BuildOptions {
        config: pack.config,
        out: pack.out,
        formats: vec![Format::Markdown],
        templates: pack.templates,
        dry_run: true,
        force: false,
        restore: false,
    };
    let outcome = fitsm_pack::build::build(&options)?;
    let (patch, code) = report::diff(&outcome, global.quiet);
    report::stdout(&patch)?;
    Ok(code)
}
