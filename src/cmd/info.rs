//! The commands that print something and change nothing but, at most, one new file:
//! `init`, `requirements`, `schema`, `completions`, `man`.

use std::path::Path;

use clap::CommandFactory;
use fitsm_pack::catalogue::Catalogue;
use fitsm_pack::trace;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::cli::{CatalogueFormat, Cli, RequirementsArgs};
use crate::report;

pub(super) fn init(
    dir: &Path,
    kind: Option<fitsm_pack::config::OrganisationType>,
    global: Global,
) -> Result<Outcome, Error> {
    let path = fitsm_pack::init::init(dir, kind)?;
    if !global.quiet {
        report::message!("wrote {}", path.display());
        report::message!("next: edit it, then run `fitsm-pack build -c {}`", path.display());
    }
    Ok(Outcome::Clean)
}

pub(super) fn requirements(args: RequirementsArgs) -> Result<Outcome, Error> {
    let catalogue = Catalogue::builtin();
    let text = if args.sections {
        let report = fitsm_pack::check::check(&fitsm_pack::check::CheckOptions {
            config: args.config,
            out: args.out,
            templates: args.templates,
            strict: false,
        })?;
        if !report.built {
            // Every requirement would read "not addressed": say why rather than let it
            // pass for a finding.
            report::message!(
                "warning: {} holds no built pack yet, so no section addresses anything; run `fitsm-pack build` first",
                report.out
            );
        }
        match args.format {
            CatalogueFormat::Md => trace::to_markdown(&report, catalogue),
            CatalogueFormat::Json => trace::to_json(&report, catalogue),
            CatalogueFormat::Csv => trace::to_csv(&report, catalogue),
        }
    } else {
        match args.format {
            CatalogueFormat::Md => catalogue.to_markdown(),
            CatalogueFormat::Json => catalogue.to_json(),
            CatalogueFormat::Csv => catalogue.to_csv(),
        }
    };
    report::stdout(&text)?;
    Ok(Outcome::Clean)
}

pub(super) fn schema() -> Result<Outcome, Error> {
    report::stdout(&fitsm_pack::config::json_schema())?;
    Ok(Outcome::Clean)
}

pub(super) fn completions(shell: clap_complete::Shell) -> Result<Outcome, Error> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "fitsm-pack", &mut script);
    report::stdout(&String::from_utf8_lossy(&script))?;
    Ok(Outcome::Clean)
}

pub(super) fn man() -> Result<Outcome, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|source| Error::Write { path: "standard output".into(), source })?;
    report::stdout(&String::from_utf8_lossy(&page))?;
    Ok(Outcome::Clean)
}
