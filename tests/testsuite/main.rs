#![allow(unreachable_pub)] // a test harness shared between modules of one binary

//! Integration tests: the real `fitsm-pack` binary on real configs, one module per
//! feature, all in one test binary (one link step, fast CI).

mod project;

mod build;
mod config_errors;
mod escaping;
mod init;
mod snapshots;
