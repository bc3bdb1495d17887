//! The command line: the clap types and their help. `cmd` turns them into the
//! library's options; nothing below the binary knows about clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use fitsm_pack::build::Format;

const AFTER_HELP: &str = "\
Examples:
  fitsm-pack init my-sms                 write my-sms/sms.toml to start from
  fitsm-pack build -c my-sms/sms.toml    render the pack into dist/ (Markdown and HTML)
  fitsm-pack diff -c my-sms/sms.toml     what a build would change, before it does
  fitsm-pack check -c my-sms/sms.toml    ready for the auditor? (coverage, placeholders, stale)
  fitsm-pack build --zip                 build, then write dist/<org>-sms-pack-<version>.zip
  fitsm-pack assessment export           write assessment.xlsx, the self-assessment to fill in

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
        /// Start from the example of this kind of organisation.
        #[arg(long = "type", value_enum)]
        kind: Option<OrganisationTypeArg>,
    },
    /// Render the documentation pack from the config, keeping people's edits.
    Build(BuildArgs),
    /// Zip the pack as it is in the output folder now (edits included), reproducibly.
    Zip(ZipArgs),
    /// Show what `build` would change, as a unified diff. Writes nothing.
    Diff {
        #[command(flatten)]
        pack: PackArgs,
    },
    /// Check the pack: config valid, pack up to date, requirement coverage, open
    /// placeholders, reviews overdue, attribution kept. Exit 1 on failures (for CI).
    Check(CheckArgs),
    /// Record that a person approved documents as they now stand (first approval: 1.0;
    /// a later change makes the next draft, 1.1, until approved again as 2.0), then
    /// rebuild so their control data and change history say so.
    Approve(ApproveArgs),
    /// List the facts the config still lacks, most placeholders filled first, each with
    /// the key to set and an example; then what only the documents can answer.
    Todo(TodoArgs),
    /// The self-assessment: write the workbook to fill in, read back through
    /// `[assessment] import` in sms.toml.
    #[command(subcommand)]
    Assessment(AssessmentCommand),
    /// Print the FitSM-1 (3.0) requirement catalogue; with --sections, where the built
    /// pack addresses each requirement, section by section.
    Requirements(RequirementsArgs),
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

// The arguments of `fitsm-pack build` (a plain comment: clap would take a doc comment for help text).
#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) pack: PackArgs,
    /// Output formats, comma-separated: md, html, docx (Word).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "md,html")]
    pub(crate) format: Vec<FormatArg>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Regenerate every document, even edited ones (edited files are saved to
    /// .fitsm-pack/backup/ first).
    #[arg(long)]
    pub(crate) force: bool,
    /// Bring back generated documents that were deleted by hand.
    #[arg(long)]
    pub(crate) restore: bool,
    /// Also write the distributable zip (see `fitsm-pack zip`).
    #[arg(long)]
    pub(crate) zip: bool,
    /// With --zip: zip even if a document lost its CC BY attribution.
    #[arg(long, requires = "zip")]
    pub(crate) allow_missing_attribution: bool,
    /// With --zip: zip even if files still hold merge conflict markers.
    #[arg(long, requires = "zip")]
    pub(crate) allow_conflicts: bool,
}

// The arguments of `fitsm-pack approve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ApproveArgs {
    #[command(flatten)]
    pub(crate) pack: PackArgs,
    /// Ids of the documents to approve, as in their control data (e.g. SMS-POLICY).
    #[arg(required = true, value_name = "DOC-ID")]
    pub(crate) documents: Vec<String>,
    /// The approver: the id of a [[people]] entry, who must be the documents' approver.
    #[arg(long, value_name = "PERSON")]
    pub(crate) by: String,
    /// Date of the approval, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE")]
    pub(crate) date: Option<String>,
    /// What changed since the last approved version, for the change history.
    #[arg(long)]
    pub(crate) note: Option<String>,
}

// The arguments of `fitsm-pack zip`.
#[derive(Debug, clap::Args)]
pub(crate) struct ZipArgs {
    /// The output folder that holds the pack.
    #[arg(short, long, default_value = "dist")]
    pub(crate) out: PathBuf,
    /// The zip to write [default: <out>/<org>-sms-pack-<version>.zip].
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
    /// Zip even if a document lost its CC BY attribution.
    #[arg(long)]
    pub(crate) allow_missing_attribution: bool,
    /// Zip even if files still hold unresolved merge conflict markers.
    #[arg(long)]
    pub(crate) allow_conflicts: bool,
}

// The arguments of `fitsm-pack check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) pack: PackArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub(crate) format: CheckFormat,
    /// Treat warnings (open placeholders, overdue reviews) as failures.
    #[arg(long)]
    pub(crate) strict: bool,
}

// The arguments of `fitsm-pack todo`.
#[derive(Debug, clap::Args)]
pub(crate) struct TodoArgs {
    /// The config file.
    #[arg(short, long, default_value = "sms.toml")]
    pub(crate) config: PathBuf,
    /// Folder of templates that replace or add to the built-in ones.
    #[arg(long)]
    pub(crate) templates: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub(crate) format: CheckFormat,
}

#[derive(Debug, Subcommand)]
pub(crate) enum AssessmentCommand {
    /// Write a FitSM-6-style workbook (.xlsx) to fill in: a Summary sheet of formulas,
    /// and one sheet per area with its scope, goal level and requirements, the documents
    /// that address each, and a 0–4 score column. Scores the config has are filled in.
    /// Read it back with `import = "assessment.xlsx"` in [assessment]. Never
    /// overwrites without --force.
    Export(AssessmentExportArgs),
}

// The arguments of `fitsm-pack assessment export`.
#[derive(Debug, clap::Args)]
pub(crate) struct AssessmentExportArgs {
    /// The config file.
    #[arg(short, long, default_value = "sms.toml")]
    pub(crate) config: PathBuf,
    /// The workbook to write.
    #[arg(short, long, default_value = "assessment.xlsx")]
    pub(crate) output: PathBuf,
    /// Folder of templates that replace or add to the built-in ones.
    #[arg(long)]
    pub(crate) templates: Option<PathBuf>,
    /// Replace the workbook if it exists (scores typed into it are lost unless the
    /// config imports it).
    #[arg(long)]
    pub(crate) force: bool,
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

/// `init --type`: the kinds of organisation that have an example to start from.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum OrganisationTypeArg {
    /// A university or research computing centre.
    ComputingCentre,
    /// A federated infrastructure with member sites or partners.
    Federation,
    /// A hosting or managed-services company.
    ServiceProvider,
}

impl From<OrganisationTypeArg> for fitsm_pack::config::OrganisationType {
    fn from(kind: OrganisationTypeArg) -> Self {
        match kind {
            OrganisationTypeArg::ComputingCentre => Self::ComputingCentre,
            OrganisationTypeArg::Federation => Self::Federation,
            OrganisationTypeArg::ServiceProvider => Self::ServiceProvider,
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

// The arguments of `fitsm-pack requirements`.
#[derive(Debug, clap::Args)]
pub(crate) struct RequirementsArgs {
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Md)]
    pub(crate) format: CatalogueFormat,
    /// List, per requirement, the sections of the built pack that address it (as
    /// `check` counts them: from the documents on disk, edits included).
    #[arg(long)]
    pub(crate) sections: bool,
    /// The config file (with --sections).
    #[arg(short, long, default_value = "sms.toml", requires = "sections")]
    pub(crate) config: PathBuf,
    /// The output folder (with --sections).
    #[arg(short, long, default_value = "dist", requires = "sections")]
    pub(crate) out: PathBuf,
    /// Folder of templates that replace or add to the built-in ones (with --sections).
    #[arg(long, requires = "sections")]
    pub(crate) templates: Option<PathBuf>,
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
#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
