//! `fitsm-pack todo`: the facts the config still lacks. Always exit 0: a list of
//! work to do is not a failure (`check --strict` is the gate for CI).

use fitsm_pack::{Error, Outcome};

use crate::cli::{CheckFormat, TodoArgs};
use crate::report;

pub(super) fn todo(args: TodoArgs) -> Result<Outcome, Error> {
    let result = fitsm_pack::todo::todo(&args.config, args.templates.as_deref())?;
    let text = match args.format {
        CheckFormat::Text => fitsm_pack::todo::text(&result),
        CheckFormat::Json => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
    };
    report::stdout(&text)?;
    Ok(Outcome::Clean)
}
