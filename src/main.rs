//! The `fitsm-pack` binary: parse arguments, run, print any error, exit with its code.
//! All output goes through `report` (see there why `println!` is not allowed here).

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod cmd;
mod progress_bar;
mod report;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cmd::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            // Always styled: `report::message!` writes through anstream, which drops the
            // colours unless a person at a terminal reads them (and honours NO_COLOR).
            report::message!("{}", error.render(true));
            error.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
