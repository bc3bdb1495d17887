//! fitsm-pack: from one config file describing a service organisation, render a
//! FitSM-style service management documentation pack (Markdown to edit, and later a
//! static site and a zip), keeping FitSM's CC BY 4.0 attribution and showing which
//! requirement each document addresses.
//!
//! The modules follow the data flow in DESIGN.md:
//! [`config`] (load + validate) → [`plan`] (which documents, where) → [`render`] (Tera,
//! pure, in memory) → [`output`] (safe, atomic writes) → [`html`] (the site, from the
//! Markdown on disk). [`build`] wires them together.
//! [`templates`] and [`catalogue`] hold the embedded data: document templates and the
//! FitSM requirement catalogue.

pub mod assessment;
pub mod build;
pub mod bundle;
pub mod catalogue;
pub mod check;
pub mod config;
pub mod coverage;
pub mod diagnostic;
pub mod document;
pub mod docx;
pub mod error;
pub mod fs;
pub mod graph;
pub mod html;
pub mod init;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod placeholder;
pub mod plan;
pub mod progress;
pub mod render;
#[doc(hidden)]
pub mod synth;
pub mod templates;
pub mod text;

pub use error::{EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, Error};
