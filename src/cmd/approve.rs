//! `fitsm-pack approve`: record approvals, rebuild, say what changed.

use fitsm_pack::approve::ApproveOptions;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::cli::ApproveArgs;
use crate::report;

pub(super) fn approve(args: ApproveArgs, global: Global) -> Result<Outcome, Error> {
    let options = ApproveOptions {
        config: args.pack.config,
        out: args.pack.out,
        templates: args.pack.templates,
        documents: args.documents,
        by: args.by,
        date: args.date,
        note: args.note,
    };
    let outcome = fitsm_pack::approve::approve(&options)?;
    let mut text = String::new();
    for (id, version) in &outcome.approved {
        text.push_str(&format!("approved {id}: version {version}\n"));
    }
    for (id, version) in &outcome.unchanged {
        text.push_str(&format!("{id} is already approved as version {version} with this content; nothing to record\n"));
    }
    if !global.quiet {
        report::stdout(&text)?;
    }
    Ok(Outcome::problem_if(outcome.build.report.needs_attention().next().is_some()))
}
