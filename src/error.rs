//! The library's error type and the exit codes it maps to.
//!
//! Variants carry data (paths, template names, line numbers, diagnostics) rather than
//! pre-formatted strings, so callers and tests can inspect them. Display gives the
//! user-facing text: lowercase, the cause first, then where, then a hint.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostics, WorkbookProblems};

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

/// How a run that worked ended: with nothing to report, or with something a person
/// must look at (a conflict, a failed check, pending changes), which is exit code 1.
/// Ordered, so that the worse of two outcomes is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Clean,
    Problem,
}

impl Outcome {
    /// `Problem` if `found`.
    pub fn problem_if(found: bool) -> Outcome {
        if found { Outcome::Problem } else { Outcome::Clean }
    }

    /// The process exit code (see the README's exit codes).
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clean => EXIT_OK,
            Outcome::Problem => EXIT_PROBLEM,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read config file {path}", path = .path.display())]
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

    /// The assessment workbook the config imports has unusable cells (a CSV file's
    /// problems are [`Error::ConfigInvalid`]: it has lines and columns to point at).
    #[error("{0}\n\n{summary}", summary = summary(.0.items.len(), &.0.path))]
    Workbook(WorkbookProblems),

    /// `assessment export` would overwrite a workbook someone may have filled in.
    #[error("{path} already exists; not overwriting it\n  help: pass --force to replace it (scores typed into it are lost unless sms.toml imports it), or write another file with `-o`", path = .path.display())]
    ExportExists { path: PathBuf },

    #[error("{0}")]
    Template(TemplateError),

    #[error("template folder {path} does not exist or is not a folder\n  help: check `--templates` or `pack.templates` (relative paths are relative to the config file)", path = .path.display())]
    TemplateDir { path: PathBuf },

    #[error("cannot read {path}", path = .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("cannot write {path}", path = .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{path} already exists; not overwriting it\n  help: edit it, or run `fitsm-pack init` in another folder", path = .path.display())]
    InitExists { path: PathBuf },

    #[error("output folder {path} is a file\n  help: choose another folder with `-o`", path = .path.display())]
    OutputNotDir { path: PathBuf },

    /// `-c` names a folder.
    #[error("{path} is a folder, not a config file\n  help: pass the file itself, e.g. `-c {example}`", path = .path.display(), example = .path.join("sms.toml").display())]
    ConfigIsFolder { path: PathBuf },

    /// `templates eject` was asked for a template that does not exist.
    #[error("no built-in template `{name}`\n  help: {}", match .suggestion {
        Some(candidate) => format!("did you mean `{candidate}`? `fitsm-pack templates list` shows them all"),
        None => "`fitsm-pack templates list` shows the document keys; template paths like `html/style.css` work too".to_owned(),
    })]
    UnknownTemplate { name: String, suggestion: Option<String> },

    /// `templates eject` would overwrite templates someone may have edited.
    #[error("{dir} already has {}\n  help: templates are never overwritten; move or delete those files first, or eject into another folder", .existing.join(", "), dir = .dir.display())]
    EjectWouldOverwrite { dir: PathBuf, existing: Vec<String> },

    /// A command that needs a built pack found none.
    #[error("{path} holds no pack\n  help: build it first: `fitsm-pack build`, or `fitsm-pack build --zip` to build and zip in one go", path = .path.display())]
    NoPack { path: PathBuf },

    #[error("another fitsm-pack build is writing to {path}; gave up waiting for it\n  help: wait for it to finish and run the build again", path = .path.display())]
    Locked { path: PathBuf },

    /// A folder or file the build writes into is a symbolic link.
    #[error("{path} is a symbolic link; fitsm-pack never writes or deletes through links, so nothing was written\n  help: replace the link by a real folder (move what it points to into its place), or choose another output folder with `-o`", path = .path.display())]
    Symlink { path: PathBuf },

    /// `approve` names a document the pack does not have.
    #[error("the pack has no document `{id}`\n  help: {}", match .suggestion {
        Some(candidate) => format!("did you mean `{candidate}`? Document ids are in each document's control data and in the document register"),
        None => "document ids look like SMS-POLICY or SLA-HPC: they are in each document's control data and in the document register".to_owned(),
    })]
    UnknownDocument { id: String, suggestion: Option<String> },

    /// `approve --by` names someone the config does not know.
    #[error("no person `{id}` in the config\n  help: {}", match .suggestion {
        Some(candidate) => format!("did you mean `{candidate}`? `--by` takes the id of a [[people]] entry"),
        None => "`--by` takes the id of a [[people]] entry of the config".to_owned(),
    })]
    UnknownPerson { id: String, suggestion: Option<String> },

    /// `approve --by` names someone who is not the document's approver.
    #[error(
        "{by} is not the approver of {document}: {approver}\n  help: the approver of each document is in its control data; ask them to approve it, or change who approves this kind of document in the config"
    )]
    NotTheApprover { document: String, by: String, approver: String },

    /// `approve` was asked to approve a document that is not as the build would leave it.
    #[error(
        "{document} ({path}) is not up to date with the config, or holds a merge conflict; nothing was approved\n  help: run `fitsm-pack build`, read the document as it now stands, then approve it"
    )]
    ApproveStale { document: String, path: String },

    /// `approve --date` is not a date.
    #[error("`{date}` is not a date\n  help: write it as YYYY-MM-DD, e.g. 2026-12-01")]
    BadDate { date: String },

    /// A document (or state file) that is not UTF-8 text: rewriting it would damage it.
    #[error("{path} is not UTF-8 text (line {line}, column {column}); it was left as it is and nothing was written\n  help: open it in your editor and save it as UTF-8 (it was probably saved as Latin-1 or Windows-1252), then build again", path = .path.display())]
    NotUtf8 { path: PathBuf, line: usize, column: usize },
}

impl Error {
    /// The process exit code for this error (see the README's exit codes). Every
    /// variant is listed, so a new one must decide.
    pub fn exit_code(&self) -> i32 {
        match self {
            // The input was unusable: the config, a template, the command line, or a
            // file or folder the run depends on.
            Error::ConfigRead { .. }
            | Error::ConfigEncoding { .. }
            | Error::ConfigInvalid(_)
            | Error::ConfigIsFolder { .. }
            | Error::Workbook(_)
            | Error::ExportExists { .. }
            | Error::Template(_)
            | Error::TemplateDir { .. }
            | Error::UnknownTemplate { .. }
            | Error::EjectWouldOverwrite { .. }
            | Error::InitExists { .. }
            | Error::OutputNotDir { .. }
            | Error::NoPack { .. }
            | Error::Symlink { .. }
            | Error::NotUtf8 { .. }
            | Error::UnknownDocument { .. }
            | Error::UnknownPerson { .. }
            | Error::NotTheApprover { .. }
            | Error::ApproveStale { .. }
            | Error::BadDate { .. }
            | Error::Read { .. }
            | Error::Write { .. }
            | Error::Locked { .. } => EXIT_UNUSABLE,
        }
    }

    /// The message for a terminal: the error, then each cause once (ripgrep style:
    /// `cannot write dist/x.md: permission denied`). Config problems carry their own
    /// `error:` headings, with colours when `colour` is set; others get one.
    pub fn render(&self, colour: bool) -> String {
        if let Error::ConfigInvalid(diagnostics) = self {
            return format!("{}\n\n{}", diagnostics.render(colour), config_summary(diagnostics));
        }
        if let Error::Workbook(problems) = self {
            return format!("{}\n\n{}", problems.render(colour), summary(problems.items.len(), &problems.path));
        }
        let mut text = self.to_string();
        // The hint stays last, after the causes.
        let (first, hint) = match text.find("\n  help:") {
            Some(at) => {
                let hint = text.split_off(at);
                (text, hint)
            }
            None => (text, String::new()),
        };
        let mut causes = String::new();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            causes.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        let style = if colour {
            anstyle::Style::new().bold().fg_color(Some(anstyle::AnsiColor::Red.into()))
        } else {
            anstyle::Style::new()
        };
        format!("{style}error{style:#}: {first}{causes}{hint}")
    }
}

fn config_summary(diagnostics: &Diagnostics) -> String {
    summary(diagnostics.items.len(), &diagnostics.path)
}

/// The last line after the problems of one file.
fn summary(count: usize, path: &std::path::Path) -> String {
    format!("{count} problem{} in {}; nothing was written", if count == 1 { "" } else { "s" }, path.display())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_printed_once_and_the_hint_comes_last() {
        let error = Error::Write {
            path: "dist/x.md".into(),
            source: io::Error::new(io::ErrorKind::PermissionDenied, "permission denied"),
        };
        assert_eq!(error.render(false), "error: cannot write dist/x.md: permission denied");
        let error = Error::NoPack { path: "dist".into() };
        let text = error.render(false);
        assert!(text.starts_with("error: dist holds no pack\n  help: build it first"), "{text}");
        assert_eq!(Outcome::Clean.max(Outcome::Problem).exit_code(), EXIT_PROBLEM);
    }
}
