//! `fitsm-pack assessment export`: write the self-assessment workbook to fill in.

use fitsm_pack::export::ExportOptions;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::cli::AssessmentExportArgs;
use crate::report;

pub(super) fn export(args: AssessmentExportArgs, global: Global) -> Result<Outcome, Error> {
    let options =
        ExportOptions { config: args.config, output: args.output, templates: args.templates, force: args.force };
    let exported = fitsm_pack::export::export(&options)?;
    if !global.quiet {
        report::message!(
            "wrote {}: {} areas, {} requirements ({} scored so far)",
            exported.path.display(),
            exported.areas,
            exported.requirements,
            exported.scored
        );
        match &exported.import_line {
            Some(line) => report::message!("next: fill it in, then set `{line}` in [assessment] and build"),
            None => report::message!(
                "next: fill it in, then set `import` in [assessment] to its path (relative to the config file) and build"
            ),
        }
    }
    Ok(Outcome::Clean)
}
