//! Integration tests: the real `fitsm-pack` binary on real configs, one module per
//! feature, all in one test binary (one link step, fast CI).

// The harness is shared between the modules of this one binary.
#![allow(unreachable_pub)]

mod project;
mod properties;

mod architecture;
mod bad_input;
mod browser;
mod build;
mod bundle;
mod check;
mod config_errors;
mod consistency;
mod crash;
mod derived;
mod escaping;
mod improvements;
mod incremental;
mod init;
mod lifecycle;
mod no_crash;
mod regenerate;
mod site;
mod snapshots;
mod templates;
mod todo;
mod torture;
mod traceability;
mod trust;
mod types;
mod word;
mod workbook;
