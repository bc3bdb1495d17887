//! The command line: clap types, and turning them into the library's options.
//! Nothing below this layer knows about clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use fitsm_pack::build::{BuildOptions, Format};
use fitsm_pack::{EXIT_OK, EXIT_PROBLEM, Error};

const AFTER_HELP: &str = "\
Examples:
  fitsm-pack init my-sms                 write my-sms/sms.toml to start from
  fitsm-pack build -c my-sms/sms.toml    render the pack into dist/

Exit codes:
  0  success
  1  the run worked but found a problem (e.g. edited documents were kept, not regenerated)
  2  the input was unusable (bad config, bad template, bad usage)";

/// Generate and maintain a FitSM-style service management documentation pack.
#[derive(Debug, Parser)]
#[command(name = "fitsm-pack", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also list every file written.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write DIR/sms.toml: a commented, realistic example to adapt. Never overwrites.
    Init {
        /// Folder to create the config in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Render the documentation pack from the config.
    Build {
        /// The config file.
        #[arg(short, long, default_value = "sms.toml")]
        config: PathBuf,
        /// The output folder.
        #[arg(short, long, default_value = "dist")]
        out: PathBuf,
        /// Output formats, comma-separated: md, html.
        #[arg(long, default_value = "md,html")]
        format: String,
        /// Folder of templates that replace or add to the built-in ones.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Show what would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite documents even if someone edited them.
        #[arg(long)]
        force: bool,
    },
}

/// Runs the command; returns the exit code for a run that worked.
pub(crate) fn run(cli: Cli) -> Result<i32, Error> {
    match cli.command {
        Command::Init { dir } => {
            let path = fitsm_pack::init::init(&dir)?;
            if !cli.quiet {
                eprintln!("wrote {}", path.display());
                eprintln!("next: edit it, then run `fitsm-pack build -c {}`", path.display());
            }
            Ok(EXIT_OK)
        }
        Command::Build { config, out, format, templates, dry_run, force } => {
            let options =
                BuildOptions { config, out, formats: Format::parse_list(&format)?, templates, dry_run, force };
            let outcome = fitsm_pack::build::build(&options)?;
            let report = &outcome.report;
            if cli.verbose {
                for (label, paths) in [("created", &report.created), ("updated", &report.updated)] {
                    for path in paths {
                        eprintln!("{label:>9} {path}");
                    }
                }
            }
            for path in &report.kept_edited {
                eprintln!("warning: kept {path}: it was edited since it was generated (use --force to overwrite)");
            }
            if let Some(site) = &outcome.site {
                if cli.verbose {
                    for path in &site.written {
                        eprintln!("{:>9} {path}", "html");
                    }
                }
            }
            if !cli.quiet {
                if let Some(site) = &outcome.site {
                    eprintln!("site: {} pages, {} written, in {}", site.pages, site.written.len(), options.out.join("html").display());
                }
                let verb = if dry_run { "would write" } else { "wrote" };
                eprintln!(
                    "{} documents; {verb} {} files ({} new, {} updated, {} unchanged) in {} in {:.0?}",
                    outcome.documents,
                    report.written(),
                    report.created.len(),
                    report.updated.len(),
                    report.unchanged.len(),
                    options.out.display(),
                    outcome.elapsed
                );
            }
            Ok(if report.kept_edited.is_empty() { EXIT_OK } else { EXIT_PROBLEM })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
