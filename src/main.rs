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

/// Hands what this thread's heap keeps free back to the system (see `memory`).
#[allow(unsafe_code)]
fn release_memory() {
    // SAFETY: `mi_collect` only frees memory mimalloc holds and no block in use.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

fn main() -> ExitCode {
    fitsm_pack::memory::set_release(release_memory);
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
