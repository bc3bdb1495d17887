//! `fitsm-pack zip`: the pack as it is in the output folder now, reproducibly.

use fitsm_pack::bundle::ZipOptions;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::cli::ZipArgs;
use crate::report;

pub(super) fn zip(args: ZipArgs, global: Global) -> Result<Outcome, Error> {
    let options = ZipOptions {
        out: args.out,
        output: args.output,
        allow_missing_attribution: args.allow_missing_attribution,
        allow_conflicts: args.allow_conflicts,
    };
    Ok(report::zipped(&fitsm_pack::bundle::zip(&options)?, global.quiet))
}
