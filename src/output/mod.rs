//! Writing a rendered pack into the output folder without ever losing anyone's edits.
//!
//! Everything is rendered in memory before this step runs, so a bad config or template
//! never leaves a half-written pack. For each file this module first *decides* what to
//! do (pure apart from reading the disk: that is what `--dry-run` and `diff` show), then
//! *applies* the decisions: files through atomic renames, base copies, and the manifest
//! last, so a build killed at any moment leaves a pack the next build repairs.
//!
//! The rules, per file (base = what was generated last time):
//! - not on disk: new (or, if it was generated before, deleted by the user: it stays
//!   deleted unless `--restore`);
//! - on disk and equal to the base: unedited, replaced by the new rendering;
//! - edited: 3-way merge of base, edit and new rendering; overlaps are written with
//!   conflict markers and reported;
//! - generated before but no longer planned: removed if unedited, kept and reported if
//!   edited;
//! - `--force`: regenerate everything, after saving edited files to a backup folder.

mod apply;
mod endings;
pub mod lock;
pub mod merge;
mod state;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
pub use crate::fs::sha256_hex;
use crate::fs::{read_if_exists, safe_join};
pub use crate::pack::STATE_DIR;
use crate::pack::conflict::has_conflict_markers;
use crate::pack::refuse_links;
use crate::progress::{NoProgress, Progress, Step};
use crate::render::RenderedFile;
use apply::Apply;
use endings::LineEnding;
use merge::Merged;
use state::Bases;
pub use state::{Manifest, PackInfo, State};

/// What happens (or would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Generated for the first time.
    New,
    /// Nothing to do.
    Unchanged,
    /// Unedited, replaced by the new rendering.
    Updated,
    /// Edited; the user's edit and the new rendering were merged cleanly.
    Merged,
    /// Edited; overlaps with the new rendering were written with conflict markers.
    Conflict,
    /// Still holds conflict markers from an earlier build; left alone.
    StillConflicted,
    /// Its entity left the config but it was edited: kept.
    Orphaned,
    /// Its entity left the config and it was not edited: deleted.
    Removed,
    /// Generated before and deleted by the user: stays deleted.
    UserDeleted,
    /// Deleted by the user and brought back with `--restore` or `--force`.
    Restored,
    /// On disk, but fitsm-pack has no record of generating it: kept.
    KeptUnknown,
    /// Edited, overwritten by `--force` after a backup.
    Overwritten,
}

impl Change {
    /// Words for the report, e.g. "merged".
    pub fn label(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Unchanged => "unchanged",
            Change::Updated => "updated",
            Change::Merged => "merged",
            Change::Conflict => "conflict",
            Change::StillConflicted => "unresolved",
            Change::Orphaned => "orphaned",
            Change::Removed => "removed",
            Change::UserDeleted => "user-deleted",
            Change::Restored => "restored",
            Change::KeptUnknown => "kept",
            Change::Overwritten => "overwritten",
        }
    }

    /// Changes that need a person to look at them (exit code 1).
    pub fn needs_attention(self) -> bool {
        matches!(self, Change::Conflict | Change::StillConflicted | Change::Orphaned | Change::KeptUnknown)
    }

    /// Whether the file's content on disk changes.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Change::New
                | Change::Updated
                | Change::Merged
                | Change::Conflict
                | Change::Removed
                | Change::Restored
                | Change::Overwritten
        )
    }
}

/// The decision for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    pub change: Change,
    /// The file on disk before the build.
    pub before: Option<String>,
    /// The file after the build (`None`: absent).
    pub after: Option<String>,
    /// The new rendering, which becomes the base of the next merge.
    generated: Option<String>,
}

/// Everything a write did or would do.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub changes: Vec<FileChange>,
    /// Where `--force` saved edited files, if it saved any.
    pub backup: Option<PathBuf>,
}

impl WriteReport {
    /// The report of a write that was skipped because nothing could change: every file
    /// is unchanged, except those someone deleted (which stay deleted).
    pub fn unchanged(out: &Path, manifest: &Manifest) -> Self {
        let changes = manifest
            .files
            .keys()
            .map(|path| {
                let exists = safe_join(out, path).is_ok_and(|p| p.exists());
                let change = if exists { Change::Unchanged } else { Change::UserDeleted };
                FileChange { path: path.clone(), change, before: None, after: None, generated: None }
            })
            .collect();
        WriteReport { changes, backup: None }
    }

    pub fn count(&self, change: Change) -> usize {
        self.changes.iter().filter(|c| c.change == change).count()
    }

    /// Files whose content changes.
    pub fn written(&self) -> usize {
        self.changes.iter().filter(|c| c.change.writes()).count()
    }

    pub fn needs_attention(&self) -> impl Iterator<Item = &FileChange> {
        self.changes.iter().filter(|c| c.change.needs_attention())
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Overwrite edited files (after a backup) and restore deleted ones.
    pub force: bool,
    /// Bring back documents the user deleted.
    pub restore: bool,
    /// Decide everything, write nothing.
    pub dry_run: bool,
}

/// Decides and (unless `dry_run`) applies the writes for a rendered pack. `manifest`
/// is the new manifest without its file list, which this fills in.
pub fn write_pack(
    out: &Path,
    files: &[RenderedFile],
    manifest: Manifest,
    options: WriteOptions,
) -> Result<WriteReport, Error> {
    write_pack_with_progress(out, files, manifest, options, &NoProgress)
}

/// [`write_pack`], telling `progress` how far it got.
pub fn write_pack_with_progress(
    out: &Path,
    files: &[RenderedFile],
    manifest: Manifest,
    options: WriteOptions,
    progress: &dyn Progress,
) -> Result<WriteReport, Error> {
    let Decided { mut report, previous, interrupted } = decide_all(out, files, options, progress)?;
    if !options.dry_run {
        let bases = Bases::new(out);
        let context = Apply { out, previous: &previous, bases: &bases, options, interrupted, dies_after: None };
        context.apply(&mut report, manifest, progress)?;
    }
    Ok(report)
}

/// The decisions for every file, and what they were made against.
struct Decided {
    report: WriteReport,
    previous: Manifest,
    interrupted: bool,
}

/// Reads and decides every file before the first write: a file that cannot be read
/// (not UTF-8, say) stops the build with nothing written.
fn decide_all(
    out: &Path,
    files: &[RenderedFile],
    options: WriteOptions,
    progress: &dyn Progress,
) -> Result<Decided, Error> {
    if out.exists() && !out.is_dir() {
        return Err(Error::OutputNotDir { path: out.to_owned() });
    }
    refuse_links(out)?;
    let state = State::load(out)?;
    let previous = state.manifest.unwrap_or_default();
    let bases = Bases::new(out);
    let mut report = WriteReport::default();
    progress.start(Step::Compare, files.len());
    for file in files {
        let current = read_if_exists(&safe_join(out, &file.path)?)?;
        let previous_hash = previous.files.get(&file.path).map(String::as_str);
        report.changes.push(decide(&file.path, &file.text, current, previous_hash, &bases, options)?);
        progress.advance(1);
    }
    progress.finish();
    let planned: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for (path, hash) in previous.files.iter().filter(|(path, _)| !planned.contains(path.as_str())) {
        let current = read_if_exists(&safe_join(out, path)?)?;
        if let Some(change) = decide_orphan(path, hash, current, options) {
            report.changes.push(change);
        }
    }
    Ok(Decided { report, previous, interrupted: state.interrupted })
}

/// The decision for a file the plan contains. `current` is the file on disk (raw, in
/// its own line endings); `previous_hash` the base it had after the last build.
fn decide(
    path: &str,
    generated: &str,
    current: Option<String>,
    previous_hash: Option<&str>,
    bases: &Bases<'_>,
    options: WriteOptions,
) -> Result<FileChange, Error> {
    let decision = |change: Change, after: Option<String>| FileChange {
        path: path.to_owned(),
        change,
        before: current.clone(),
        after,
        generated: Some(generated.to_owned()),
    };
    let Some(raw) = current.as_deref() else {
        return Ok(match previous_hash {
            None => decision(Change::New, Some(generated.to_owned())),
            Some(_) if options.restore || options.force => decision(Change::Restored, Some(generated.to_owned())),
            Some(_) => decision(Change::UserDeleted, None),
        });
    };
    let ending = LineEnding::of(raw);
    let text = endings::normalise(raw);
    if text == generated {
        return Ok(decision(Change::Unchanged, Some(raw.to_owned())));
    }
    let edited = previous_hash != Some(sha256_hex(text.as_bytes()).as_str());
    if options.force {
        let change = if edited { Change::Overwritten } else { Change::Updated };
        return Ok(decision(change, Some(ending.apply(generated))));
    }
    if !edited {
        return Ok(decision(Change::Updated, Some(ending.apply(generated))));
    }
    if has_conflict_markers(&text) {
        return Ok(decision(Change::StillConflicted, Some(raw.to_owned())));
    }
    let Some(previous_hash) = previous_hash else {
        return Ok(decision(Change::KeptUnknown, Some(raw.to_owned())));
    };
    // A base that is gone or damaged (the state folder edited by hand) leaves nothing
    // to merge against: both whole versions are shown as one conflict, so the file is
    // neither overwritten nor left behind for ever.
    let base = bases.get(path, previous_hash)?.unwrap_or_default();
    Ok(match merge::merge(&base, &text, generated) {
        Merged::Clean(merged) if merged == *text => decision(Change::Unchanged, Some(raw.to_owned())),
        Merged::Clean(merged) => decision(Change::Merged, Some(ending.apply(&merged))),
        Merged::Conflict(merged) => decision(Change::Conflict, Some(ending.apply(&merged))),
    })
}

/// A file generated last time that the plan no longer contains.
fn decide_orphan(path: &str, hash: &str, current: Option<String>, options: WriteOptions) -> Option<FileChange> {
    let current = current?; // already gone: forget it
    let edited = sha256_hex(endings::normalise(&current).as_bytes()) != hash;
    let change = if edited && !options.force { Change::Orphaned } else { Change::Removed };
    let after = (change == Change::Orphaned).then(|| current.clone());
    Some(FileChange { path: path.to_owned(), change, before: Some(current), after, generated: None })
}

#[cfg(test)]
mod tests;
