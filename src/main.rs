//! The `fitsm-pack` binary: parse arguments, run, print any error, exit with its code.

mod cli;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Config diagnostics carry their own `error:` headings.
            if matches!(error, fitsm_pack::Error::ConfigInvalid(_)) {
                eprintln!("{error}");
            } else {
                eprintln!("error: {error}");
            }
            error.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
