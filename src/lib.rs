//! fitsm-pack: from one config file describing a service organisation, render a
//! FitSM-style service management documentation pack (Markdown to edit, a static site,
//! Word files and a reproducible zip), keeping FitSM's CC BY 4.0 attribution and showing
//! which requirement each document addresses.
//!
//! The modules follow the data flow, and imports only point down it (see
//! `docs/architecture.md`; a test fails on any cycle):
//! [`config`] (load + validate) → [`plan`] (which documents, where) → [`render`] (Tera,
//! pure, in memory; [`pipeline`] runs these three) → [`output`] (merge, journal, atomic
//! writes) → [`lifecycle`] (approvals, versions, change history) → [`html`], [`docx`],
//! [`bundle`] (the site, Word files and zip, from the pack on disk) → [`check`] ([`trace`]
//! prints its traceability), [`todo`], [`export`] (the assessment workbook). [`build`] wires a build together. [`workbook`]
//! knows the assessment workbook and CSV formats: it writes what [`assessment`] describes
//! and reads what [`config`] imports.
//! Below them all: [`fs`] (file-system rules), [`pack`] (the output folder's layout and
//! what ships), [`error`], [`text`], [`graph`], [`placeholder`], [`outline`] (headings, anchors and
//! the requirements each section addresses), [`progress`].
//! [`templates`] and [`catalogue`] hold the embedded data: document templates and the
//! FitSM requirement catalogue.

pub mod approve;
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
pub mod export;
pub mod fs;
pub mod graph;
pub mod html;
pub mod init;
pub mod lifecycle;
pub mod memory;
pub mod notes;
pub mod outline;
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
pub mod todo;
pub mod trace;
pub mod workbook;

pub use error::{EXIT_OK, EXIT_PROBLEM, EXIT_UNUSABLE, Error, Outcome};
