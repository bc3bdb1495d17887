//! One function per subcommand, as mdBook's `src/cmd/` has it: each turns its parsed
//! arguments into the library's options, runs the library, and has `report` tell the
//! user. `run` only dispatches.

mod approve;
mod assessment;
mod build;
mod check;
mod info;
mod templates;
mod todo;
mod zip;

use fitsm_pack::{Error, Outcome};

use crate::cli::{AssessmentCommand, Cli, Command, TemplatesCommand};

/// What every command may consult besides its own arguments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Global {
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
}

pub(crate) fn run(cli: Cli) -> Result<Outcome, Error> {
    let global = Global { quiet: cli.quiet, verbose: cli.verbose };
    match cli.command {
        Command::Init { dir, kind } => info::init(&dir, kind.map(Into::into), global),
        Command::Build(args) => build::build(args, global),
        Command::Diff { pack } => build::diff(pack, global),
        Command::Zip(args) => zip::zip(args, global),
        Command::Check(args) => check::check(args),
        Command::Todo(args) => todo::todo(args),
        Command::Approve(args) => approve::approve(args, global),
        Command::Assessment(AssessmentCommand::Export(args)) => assessment::export(args, global),
        Command::Requirements(args) => info::requirements(args),
        Command::Templates(TemplatesCommand::List { templates }) => templates::list(templates.as_deref()),
        Command::Templates(TemplatesCommand::Eject { dir, names }) => templates::eject(&dir, &names, global),
        Command::Schema => info::schema(),
        Command::Completions { shell } => info::completions(shell),
        Command::Man => info::man(),
    }
}
