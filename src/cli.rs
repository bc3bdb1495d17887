//! The command line: clap types, and turning them into the library's options.
//! Nothing below this layer knows about clap.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};
use fitsm_pack::build::{BuildOptions, Format};
use fitsm_pack::bundle::ZipOptions;
use fitsm_pack::catalogue::Catalogue;
use fitsm_pack::check::CheckOptions;
use fitsm_pack::output::Change;
use fitsm_pack::templates::TemplateSet;
use fitsm_pack::{Error, Outcome};

use crate::report;

const AFTER_HELP: &str = "\
Examples:
  fitsm-pack init my-sms                 write my-sms/sms.toml to start from
  fitsm-pack build -c my-sms/sms.toml    render the pack into dist/ (Markdown and HTML)
  fitsm-pack diff -c my-sms/sms.toml     what a build would change, before it does
  fitsm-pack check -c my-sms/sms.toml    ready for the auditor? (coverage, placeholders, stale)
  fitsm-pack build --zip                 build, then write dist/<org>-sms-pack-<version>.zip

Exit codes:
  0  success
  1  the run worked but found a problem: a merge conflict, an edited document whose
     entity left the config (build); changes pending (diff); failed checks (check);
     a pack not fit to ship: conflict markers, attribution lost (zip)
  2  the input was unusable (bad config, bad template, bad usage)";

/// Generate and maintain a FitSM-style service management documentation pack.
#[derive(Debug, Parser)]
#[command(name = "fitsm-pack", version, about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Also list every file written.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write DIR/sms.toml: a commented, realistic example to adapt. Never overwrites.
    Init {
        /// Folder to create the config in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Render the documentation pack from the config, keeping people's edits.
    Build {
        #[command(flatten)]
        pack: PackArgs,
        /// Output formats, comma-separated: md, html, docx (Word).
        #[arg(long, value_enum, value_delimiter = ',', default_value = "md,html")]
        format: Vec<FormatArg>,
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Regenerate every document, even edited ones (edited files are saved to
        /// .fitsm-pack/backup/ first).
        #[arg(long)]
        force: bool,
        /// Bring back generated documents that were deleted by hand.
        #[arg(long)]
        restore: bool,
        /// Also write the distributable zip (see `fitsm-pack zip`).
        #[arg(long)]
        zip: bool,
        /// With --zip: zip even if a document lost its CC BY attribution.
        #[arg(long, requires = "zip")]
        allow_missing_attribution: bool,
        /// With --zip: zip even if files still hold merge conflict markers.
        #[arg(long, requires = "zip")]
        allow_conflicts: bool,
    },
    /// Zip the pack as it is in the output folder now (edits included), reproducibly.
    Zip {
        /// The output folder that holds the pack.
        #[arg(short, long, default_value = "dist")]
        out: PathBuf,
        /// The zip to write [default: <out>/<org>-sms-pack-<version>.zip].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Zip even if a document lost its CC BY attribution.
        #[arg(long)]
        allow_missing_attribution: bool,
        /// Zip even if files still hold unresolved merge conflict markers.
        #[arg(long)]
        allow_conflicts: bool,
    },
    /// Show what `build` would change, as a unified diff. Writes nothing.
    Diff {
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Check the pack: config valid, pack up to date, requirement coverage, open
    /// placeholders, reviews overdue, attribution kept. Exit 1 on failures (for CI).
    Check {
        #[command(flatten)]
        pack: PackArgs,
        /// Report format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Treat warnings (open placeholders, overdue reviews) as failures.
        #[arg(long)]
        strict: bool,
    },
    /// Print the FitSM-1 (3.0) requirement catalogue.
    Requirements {
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Md)]
        format: CatalogueFormat,
    },
    /// See the built-in templates, or copy them into a folder to edit.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Print the JSON Schema of sms.toml (for editors and CI).
    Schema,
    /// Print shell completions, e.g. `fitsm-pack completions bash > /etc/bash_completion.d/fitsm-pack`.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff), e.g. `fitsm-pack man > fitsm-pack.1`.
    Man,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TemplatesCommand {
    /// List every document template: key, id, what it is rendered for, output path,
    /// FitSM requirements, and whether your templates folder overrides it.
    List {
        /// Your templates folder, to show what it overrides or adds.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Copy built-in templates into DIR for editing (all of them, or the named ones by
    /// document key, document id or template path). Never overwrites.
    Eject {
        dir: PathBuf,
        /// e.g. `sla`, `SMS-POL`, `html/style.css`
        names: Vec<String>,
    },
}

/// `build --format`: the names users type, mapped to the library's formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum FormatArg {
    #[value(alias = "markdown")]
    Md,
    Html,
    #[value(alias = "word")]
    Docx,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Md => Format::Markdown,
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Docx,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum CatalogueFormat {
    Md,
    Json,
    Csv,
}

/// Where the config, the output and the templates are.
#[derive(Debug, clap::Args)]
pub(crate) struct PackArgs {
    /// The config file.
    #[arg(short, long, default_value = "sms.toml")]
    pub(crate) config: PathBuf,
    /// The output folder.
    #[arg(short, long, default_value = "dist")]
    pub(crate) out: PathBuf,
    /// Folder of templates that replace or add to the built-in ones.
    #[arg(long)]
    pub(crate) templates: Option<PathBuf>,
}

/// Runs the command; returns the exit code for a run that worked.
pub(crate) fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Init { dir } => {
            let path = fitsm_pack::init::init(&dir)?;
            if !cli.quiet {
                report::message!("wrote {}", path.display());
                report::message!("next: edit it, then run `fitsm-pack build -c {}`", path.display());
            }
            Ok(Outcome::Clean)
        }
        Command::Build { pack, format, dry_run, force, restore, zip, allow_missing_attribution, allow_conflicts } => {
            let options = BuildOptions {
                config: pack.config,
                out: pack.out,
                formats: Format::with_markdown(format.into_iter().map(Format::from)),
                templates: pack.templates,
                dry_run,
                force,
                restore,
            };
            let progress = crate::progress_bar::TerminalProgress::for_stderr(cli.quiet);
            let outcome = fitsm_pack::build::build_with_progress(&options, &progress)?;
            let code = report::build(&outcome, &options, cli.quiet, cli.verbose);
            if zip && !dry_run {
                // With --allow-conflicts, conflicts are no reason to hold the zip back;
                // anything else that needs attention still is.
                let held_back = outcome
                    .report
                    .needs_attention()
                    .any(|c| !(allow_conflicts && matches!(c.change, Change::Conflict | Change::StillConflicted)));
                if held_back {
                    report::message!("not zipping: resolve the files above first, then run `fitsm-pack zip`");
                    return Ok(code);
                }
                // Zipped under the build's own lock: no other build can write between
                // this build and its archive.
                let zip_options =
                    ZipOptions { out: options.out.clone(), output: None, allow_missing_attribution, allow_conflicts };
                let zipped = match &outcome.lock {
                    Some(lock) => fitsm_pack::bundle::zip_locked(&zip_options, lock)?,
                    None => fitsm_pack::bundle::zip(&zip_options)?,
                };
                let zipped = report::zipped(&zipped, cli.quiet);
                return Ok(code.max(zipped));
            }
            Ok(code)
        }
        Command::Zip { out, output, allow_missing_attribution, allow_conflicts } => {
            let options = ZipOptions { out, output, allow_missing_attribution, allow_conflicts };
            Ok(report::zipped(&fitsm_pack::bundle::zip(&options)?, cli.quiet))
        }
        Command::Check { pack, format, strict } => {
            let options = CheckOptions { config: pack.config, out: pack.out, templates: pack.templates, strict };
            let result = fitsm_pack::check::check(&options)?;
            let text = match format {
                CheckFormat::Text => report::check_text(&result),
                CheckFormat::Json => serde_json::to_string_pretty(&result).unwrap_or_default() + "\n",
            };
            report::stdout(&text)?;
            Ok(Outcome::problem_if(!result.passed))
        }
        Command::Requirements { format } => {
            let catalogue = Catalogue::builtin();
            let text = match format {
                CatalogueFormat::Md => catalogue.to_markdown(),
                CatalogueFormat::Json => catalogue.to_json(),
                CatalogueFormat::Csv => catalogue.to_csv(),
            };
            report::stdout(&text)?;
            Ok(Outcome::Clean)
        }
        Command::Templates(TemplatesCommand::List { templates }) => {
            let set = match &templates {
                Some(dir) => TemplateSet::with_overlay(dir)?,
                None => TemplateSet::builtin(),
            };
            report::stdout(&report::templates(&set)?)?;
            Ok(Outcome::Clean)
        }
        Command::Templates(TemplatesCommand::Eject { dir, names }) => {
            let written = fitsm_pack::templates::eject::eject(&dir, &names)?;
            if !cli.quiet {
                for path in &written {
                    report::message!("wrote {}", path.display());
                }
                report::message!(
                    "{} template(s) copied; edit them, then build with `--templates {}` (or set pack.templates)",
                    written.len(),
                    dir.display()
                );
            }
            Ok(Outcome::Clean)
        }
        Command::Schema => {
            report::stdout(&fitsm_pack::config::json_schema())?;
            Ok(Outcome::Clean)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "fitsm-pack", &mut script);
            report::stdout(&String::from_utf8_lossy(&script))?;
            Ok(Outcome::Clean)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|source| Error::Write { path: "standard output".into(), source })?;
            report::stdout(&String::from_utf8_lossy(&page))?;
            Ok(Outcome::Clean)
        }
        Command::Diff { pack } => {
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
            let (patch, code) = report::diff(&outcome, cli.quiet);
            report::stdout(&patch)?;
            Ok(code)
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
