//! The library's error type and the exit codes it maps to.
//!
//! Variants carry data (paths, template names, line numbers, diagnostics) rather than
//! pre-formatted strings, so callers and tests can inspect them. Display gives the
//! user-facing text: lowercase, the cause first, then where, then a hint.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostics;

/// Where one template came from, for error messages and `templates list`. It lives here,
/// not in `templates`, because template errors carry it and everything imports errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Overlay(PathBuf),
}

/// Exit code: the run worked and found nothing wrong.
pub const EXIT_OK: i32 = 0;
/// Exit code: the run worked but found a problem (conflicts, failed checks, stale pack).
pub const EXIT_PROBLEM: i32 = 1;
/// Exit code: the input was unusable (bad config, bad template, bad usage, I/O failure).
pub const EXIT_UNUSABLE: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read config file {path}: {source}", path = .path.display())]
    ConfigRead {
        path: PathBuf,
        #[source]
        source: io::Error,
        // A hint is part of the message so it reaches the user whatever prints it.
    },

    #[error("config file {path} is not valid UTF-8 text (line {line}, column {column})\n  help: save the file as UTF-8 in your editor (it may have been saved as Latin-1 or from a spreadsheet)", path = .path.display())]
    ConfigEncoding { path: PathBuf, line: usize, column: usize },

    #[error("{0}\n\n{summary}", summary = config_summary(.0))]
    ConfigInvalid(Diagnostics),

    #[error("{0}")]
    Template(TemplateError),

    #[error("template folder {path} does not exist or is not a folder\n  help: check `--templates` or `pack.templates` (relative paths are relative to the config file)", path = .path.display())]
    TemplateDir { path: PathBuf },

    #[error("cannot read {path}: {source}", path = .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot write {path}: {source}", path = .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{path} already exists; not overwriting it\n  help: edit it, or run `fitsm-pack init` in another folder", path = .path.display())]
    InitExists { path: PathBuf },

    #[error("output folder {path} is a file\n  help: choose another folder with `-o`", path = .path.display())]
    OutputNotDir { path: PathBuf },

    #[error("{message}\n  help: {hint}")]
    Usage { message: String, hint: String },

    #[error("another fitsm-pack build is writing to {path}; gave up waiting for it\n  help: wait for it to finish and run the build again", path = .path.display())]
    Locked { path: PathBuf },

    /// A folder or file the build writes into is a symbolic link.
    #[error("{path} is a symbolic link; fitsm-pack never writes or deletes through links, so nothing was written\n  help: replace the link by a real folder (move what it points to into its place), or choose another output folder with `-o`", path = .path.display())]
    Symlink { path: PathBuf },

    /// A document (or state file) that is not UTF-8 text: rewriting it would damage it.
    #[error("{path} is not UTF-8 text (line {line}, column {column}); it was left as it is and nothing was written\n  help: open it in your editor and save it as UTF-8 (it was probably saved as Latin-1 or Windows-1252), then build again", path = .path.display())]
    NotUtf8 { path: PathBuf, line: usize, column: usize },
}

impl Error {
    /// The process exit code for this error (see the README's exit codes).
    pub fn exit_code(&self) -> i32 {
        EXIT_UNUSABLE
    }

    /// The message for a terminal: config problems with colours, others as Display.
    /// Config diagnostics carry their own `error:` headings; other errors get one.
    pub fn render(&self, colour: bool) -> String {
        match self {
            Error::ConfigInvalid(diagnostics) => {
                format!("{}\n\n{}", diagnostics.render(colour), config_summary(diagnostics))
            }
            other if colour => format!("\x1b[1;31merror\x1b[0m: {other}"),
            other => format!("error: {other}"),
        }
    }
}

fn config_summary(diagnostics: &Diagnostics) -> String {
    let count = diagnostics.items.len();
    format!(
        "{count} problem{} in {}; nothing was written",
        if count == 1 { "" } else { "s" },
        diagnostics.path.display()
    )
}

/// A problem in a template: its name, where it came from, the line if known, the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub template: String,
    pub origin: Origin,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = match &self.origin {
            Origin::Builtin => format!("built-in template {}", self.template),
            Origin::Overlay(path) => path.display().to_string(),
        };
        match self.line {
            Some(line) => write!(f, "template error in {location}:{line}: {}", self.message),
            None => write!(f, "template error in {location}: {}", self.message),
        }
    }
}

/// Tera 1.x puts the useful part of an error in its `source()` chain ("Failed to render
/// 'x'" says nothing by itself), so we always flatten the whole chain.
pub fn tera_chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut current: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(cause) = current {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        current = cause.source();
    }
    parts.join(": ")
}
