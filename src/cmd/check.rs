//! `fitsm-pack check`: is the pack ready to show an auditor? Exit 1 when not.

use fitsm_pack::check::CheckOptions;
use fitsm_pack::{Error, Outcome};

use crate::cli::{CheckArgs, CheckFormat};
use crate::report;

pub(super) fn check(args: CheckArgs) -> Result<Outcome, Error> {
    let options = CheckOptions {
        config: args.pack.config,
        out: args.pack.out,
        templates: args.pack.templates,
        strict: args.strict,
    };
    let result = fitsm_pack::check::check(&options)?;
    let text = match args.format {
        CheckFormat::Text => report::check_text(&result),
        CheckFormat::Json => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
    };
    report::stdout(&text)?;
    Ok(Outcome::problem_if(!result.passed))
}
