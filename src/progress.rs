//! Progress of the long steps of a build, for a person watching a terminal.
//!
//! The library only reports how far it got; whether and how that is shown is the
//! binary's business (a bar on a terminal, nothing under `-q` or in a pipe). So the
//! library needs no terminal crate and its callers, tests included, get silence by
//! default.

/// The steps a build reports, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Rendering the documents in memory.
    Render,
    /// Comparing each rendering with the file on disk.
    Compare,
    /// Writing the files that changed.
    Write,
    /// Rendering the site's pages.
    Site,
    /// Making the Word files.
    Word,
}

impl Step {
    /// A word or two for a progress line.
    pub fn label(self) -> &'static str {
        match self {
            Step::Render => "rendering",
            Step::Compare => "comparing",
            Step::Write => "writing",
            Step::Site => "site",
            Step::Word => "Word files",
        }
    }
}

/// Told how far a step got. Called from worker threads while rendering, so it is `Sync`.
pub trait Progress: Sync {
    /// A step begins that has `total` items.
    fn start(&self, _step: Step, _total: usize) {}
    /// `count` more items of the current step are done.
    fn advance(&self, _count: usize) {}
    /// The current step is done.
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
