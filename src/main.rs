//! The `fitsm-pack` binary: parse arguments, run, print any error, exit with its code.
//! All output goes through `report` (see there why `println!` is not allowed here).

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod progress_bar;
mod report;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            report::message!("{}", error.render(colour_on_stderr()));
            error.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// Colour only for a person at a terminal, and never when NO_COLOR is set
/// (https://no-color.org).
fn colour_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}
