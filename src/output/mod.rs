//! Writing a rendered pack into the output folder without ever losing anyone's edits.
//!
//! For each file this module first *decides* what to do (pure apart from reading the
//! disk: that is what `--dry-run` and `diff` show), a batch of renderings at a time,
//! staging each batch's texts on disk (`staging`); only when the whole pack is decided
//! does it *apply* the decisions: files through atomic renames, base copies, and the
//! manifest last. So a bad template or an unreadable file never leaves a half-written
//! pack, and a build killed at any moment leaves one the next build repairs.
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
mod staging;
mod state;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::error::Error;
pub use crate::fs::sha256_hex;
use crate::fs::{Stamp, read_if_exists, read_stamped, safe_join};
pub use crate::pack::STATE_DIR;
use crate::pack::conflict::has_conflict_markers;
use crate::pack::refuse_links;
use crate::progress::{NoProgress, Progress, Step};
use crate::render::RenderedFile;
use crate::render::reuse::{Previous, RenderInputs};
use apply::Apply;
use endings::LineEnding;
use merge::Merged;
use rayon::prelude::*;
use staging::Staging;
use state::{Bases, Renders};
pub use state::{Manifest, PackInfo, State};

/// Whether a build that did not finish left texts staged in `out` (then the pack is
/// not up to date, whatever the manifest says).
pub fn unfinished(out: &Path) -> bool {
    Staging::left_in(out)
}

/// Takes back an output folder a failed build made: its lock file and every folder
/// left empty go; any other file stays where it is.
pub fn discard_empty(out: &Path) {
    let _ = crate::fs::remove_if_exists(&out.join(STATE_DIR).join("lock"));
    let folders = walkdir::WalkDir::new(out).follow_links(false).contents_first(true).into_iter();
    for entry in folders.filter_map(Result::ok).filter(|entry| entry.file_type().is_dir()) {
        let _ = std::fs::remove_dir(entry.path());
    }
}

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

/// A document's text in a decision. Shared, not copied: most files end the build as
/// they were on disk or as they were rendered, so `before`, `after` and `generated`
/// are often one text, and at 10,000 services each copy of the pack is 400 MB.
pub type Text = Arc<str>;

/// The decision for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    pub change: Change,
    /// The file on disk before the build.
    pub before: Option<Text>,
    /// The file after the build (`None`: absent).
    pub after: Option<Text>,
    /// The new rendering, which becomes the base of the next merge.
    generated: Option<Text>,
    /// What that rendering read (`render::reuse`), recorded with its base.
    inputs: Option<RenderInputs>,
    /// Set once the texts are staged on disk and let go (a build, not a dry run).
    staged: Option<Staged>,
}

/// What a decision keeps once its texts are staged (see `staging`): a build holds
/// hashes and paths, not the pack. `before` is kept only where `--force` must back
/// up an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Staged {
    /// The file as it was read (`None`: there was none), to notice a save made before
    /// the write without reading the file again.
    seen: Option<Stamp>,
    /// The text the file gets, staged; `None` where the file is not written.
    after: Option<PathBuf>,
    /// The stamp of the staged file `after` (set only with it), which the file keeps
    /// when it is renamed into place.
    after_stamp: Option<Stamp>,
    after_sha256: Option<String>,
    /// Hash of the new rendering, which is in the base store.
    generated_sha256: Option<String>,
}

impl FileChange {
    /// Hash of the new rendering (the next merge base).
    fn generated_sha256(&self) -> Option<String> {
        match &self.staged {
            Some(staged) => staged.generated_sha256.clone(),
            None => self.generated.as_deref().map(|text| sha256_hex(text.as_bytes())),
        }
    }

    /// The stamp the file has once it is written, if it is written by renaming its
    /// staged text into place (see [`WriteReport::written_at`]).
    pub fn written_stamp(&self) -> Option<Stamp> {
        self.staged.as_ref().and_then(|staged| staged.after_stamp)
    }

    /// Hash of the text the file has after the build.
    fn after_sha256(&self) -> Option<String> {
        match &self.staged {
            Some(staged) => staged.after_sha256.clone(),
            None => self.after.as_deref().map(|text| sha256_hex(text.as_bytes())),
        }
    }
}

/// Everything a write did or would do.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    pub changes: Vec<FileChange>,
    /// Where `--force` saved edited files, if it saved any.
    pub backup: Option<PathBuf>,
    /// A moment before the first file was put in place (a build, not a dry run): a
    /// file that still has the [`FileChange::written_stamp`] it was written with and
    /// was staged well before it is proven unchanged since ([`crate::fs::Stamped`]).
    pub written_at: Option<std::time::SystemTime>,
}

impl WriteReport {
    /// The report of a write that was skipped because nothing could change: every file
    /// is unchanged, except those someone deleted (which stay deleted).
    pub fn unchanged(out: &Path, manifest: &Manifest) -> Self {
        // A stat per file (50,000 services: 100,000 of them), spread over the threads.
        let paths: Vec<&String> = manifest.files.keys().collect();
        let changes = paths
            .into_par_iter()
            .map_init(
                || crate::fs::SafeJoin::new(out),
                |join, path| {
                    let exists = join.join(path).is_ok_and(|(_, metadata)| metadata.is_some());
                    let change = if exists { Change::Unchanged } else { Change::UserDeleted };
                    let (before, after, generated, inputs, staged) = (None, None, None, None, None);
                    FileChange { path: path.clone(), change, before, after, generated, inputs, staged }
                },
            )
            .collect();
        WriteReport { changes, backup: None, written_at: None }
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

    /// Lets go of the texts once they are on disk: the steps after the Markdown (site,
    /// Word files) read the files themselves, and holding the whole pack two or three
    /// times while they run was most of a large build's memory. What each file
    /// became (`change`) stays.
    pub fn release_texts(&mut self) {
        for change in &mut self.changes {
            (change.before, change.after, change.generated) = (None, None, None);
        }
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

/// A last step on every decided document: given the text a file will have after the
/// build and the new rendering (its next base), return both rewritten, or `None` to
/// leave them. The document lifecycle uses it to write control data that depends on
/// the final, merged text (the `lifecycle` module). It must be idempotent.
pub trait Finish: Sync {
    fn finish(&self, path: &str, after: &str, generated: &str) -> Option<(String, String)>;
}

/// No last step.
pub struct NoFinish;

impl Finish for NoFinish {
    fn finish(&self, _: &str, _: &str, _: &str) -> Option<(String, String)> {
        None
    }
}

/// Decides and (unless `dry_run`) applies the writes for a rendered pack. `manifest`
/// is the new manifest without its file list, which this fills in.
pub fn write_pack(
    out: &Path,
    files: Vec<RenderedFile>,
    manifest: Manifest,
    options: WriteOptions,
) -> Result<WriteReport, Error> {
    write_pack_with_progress(out, files, manifest, options, &NoProgress)
}

/// [`write_pack`], telling `progress` how far it got.
pub fn write_pack_with_progress(
    out: &Path,
    files: Vec<RenderedFile>,
    manifest: Manifest,
    options: WriteOptions,
    progress: &dyn Progress,
) -> Result<WriteReport, Error> {
    let mut pending = Pending::begin(out, options, &NoFinish)?;
    pending.decide(files, progress)?;
    pending.finish(manifest, progress)
}

/// A write in progress: files are decided in batches (a later batch may depend on
/// the decisions for an earlier one, as the pack's summaries depend on the final text
/// of every other document), then everything is applied at once, so a build is still
/// one journal and one manifest. Unless it is a dry run, each batch's texts are staged
/// on disk as it is decided (`staging`), so a build holds one batch of texts at a time.
pub struct Pending<'a> {
    out: &'a Path,
    options: WriteOptions,
    finish: &'a dyn Finish,
    /// The last build's manifest: the caller's when it has read it already (a build
    /// needs it before this step, and at 10,000 services it is 40 MB of JSON).
    previous: Cow<'a, Manifest>,
    /// The previous build did not finish: sweep the base store afterwards.
    interrupted: bool,
    bases: Bases<'a>,
    staging: Staging<'a>,
    report: WriteReport,
}

impl<'a> Pending<'a> {
    /// Reads the state of the output folder; nothing is written yet.
    pub fn begin(out: &'a Path, options: WriteOptions, finish: &'a dyn Finish) -> Result<Pending<'a>, Error> {
        let State { manifest, interrupted, .. } = Self::check_folder(out).and_then(|()| State::load(out))?;
        Self::with_state(out, options, finish, Cow::Owned(manifest.unwrap_or_default()), interrupted)
    }

    /// [`Pending::begin`] with the state the caller read with [`State::load`].
    pub fn begin_with(
        out: &'a Path,
        options: WriteOptions,
        finish: &'a dyn Finish,
        state: &'a State,
    ) -> Result<Pending<'a>, Error> {
        Self::check_folder(out)?;
        let previous = state.manifest.as_ref().map_or_else(|| Cow::Owned(Manifest::default()), Cow::Borrowed);
        Self::with_state(out, options, finish, previous, state.interrupted)
    }

    fn check_folder(out: &Path) -> Result<(), Error> {
        if out.exists() && !out.is_dir() {
            return Err(Error::OutputNotDir { path: out.to_owned() });
        }
        refuse_links(out)
    }

    fn with_state(
        out: &'a Path,
        options: WriteOptions,
        finish: &'a dyn Finish,
        previous: Cow<'a, Manifest>,
        interrupted: bool,
    ) -> Result<Pending<'a>, Error> {
        // A dry run looks; only a build (which holds the lock) clears up after another.
        let left_over = !options.dry_run && Staging::clear_leftover(out)?;
        Ok(Pending {
            out,
            options,
            finish,
            previous,
            interrupted: interrupted || left_over,
            bases: Bases::new(out),
            staging: Staging::new(out),
            report: WriteReport::default(),
        })
    }

    /// Reads and decides a batch of files, before the first write: a file that cannot
    /// be read (not UTF-8, say) stops the build with nothing written. The renderings
    /// move into the decisions, which keep them as long as they are needed.
    pub fn decide(&mut self, files: Vec<RenderedFile>, progress: &dyn Progress) -> Result<(), Error> {
        self.decide_observing(files, progress, &mut |_| {})
    }

    /// [`Pending::decide`], showing `observe` the batch's decisions while they still
    /// hold their texts (a build reads the outlines the summaries need from them).
    pub fn decide_observing(
        &mut self,
        files: Vec<RenderedFile>,
        progress: &dyn Progress,
        observe: &mut dyn FnMut(&[FileChange]),
    ) -> Result<(), Error> {
        progress.start(Step::Compare, files.len());
        // Each file is read and decided on its own (merges of large documents take a
        // while), so the batch is decided in parallel; it is staged in order below.
        let (out, previous, bases, options, finish) =
            (self.out, &*self.previous, &self.bases, self.options, self.finish);
        let decided: Vec<(FileChange, Option<Stamp>)> = files
            .into_par_iter()
            .with_max_len(1)
            .map(|file| {
                let (current, stamp) = read_stamped(&safe_join(out, &file.path)?)?.unzip();
                let previous_hash = previous.files.get(&file.path).map(String::as_str);
                let generated = Text::from(file.text);
                let mut change = decide(&file.path, generated, current, previous_hash, bases, options, finish)?;
                change.inputs = file.inputs;
                progress.advance(1);
                Ok((change, stamp))
            })
            .collect::<Vec<Result<_, Error>>>()
            .into_iter()
            // The first failure in the batch's order, as a serial loop would report it.
            .collect::<Result<_, Error>>()?;
        progress.finish();
        let (mut batch, seen): (Vec<FileChange>, Vec<Option<Stamp>>) = decided.into_iter().unzip();
        observe(&batch);
        if !self.options.dry_run {
            for (change, seen) in batch.iter_mut().zip(seen) {
                self.stage(change, seen)?;
            }
        }
        self.report.changes.extend(batch);
        Ok(())
    }

    /// Stores the change's new base, stages the text it writes, and lets go of its
    /// texts.
    fn stage(&mut self, change: &mut FileChange, seen: Option<Stamp>) -> Result<(), Error> {
        let generated_sha256 = change.generated_sha256();
        store_base(&self.previous, &self.bases, &mut self.staging, change, generated_sha256.clone())?;
        let written = change.after.as_deref().filter(|_| change.change.writes());
        let (after, after_stamp) = match written {
            Some(text) => self.staging.stage(text).map(|(path, stamp)| (Some(path), stamp))?,
            None => (None, None),
        };
        let after_sha256 = written.map(|text| sha256_hex(text.as_bytes()));
        change.staged = Some(Staged { seen, after, after_stamp, after_sha256, generated_sha256 });
        if change.change != Change::Overwritten {
            change.before = None;
        }
        (change.after, change.generated) = (None, None);
        Ok(())
    }

    /// Files generated last time that no batch planned.
    fn decide_orphans(&mut self) -> Result<(), Error> {
        let planned: BTreeSet<String> = self.report.changes.iter().map(|c| c.path.clone()).collect();
        for (path, hash) in self.previous.files.iter().filter(|(path, _)| !planned.contains(path.as_str())) {
            let current = read_if_exists(&safe_join(self.out, path)?)?;
            if let Some(change) = decide_orphan(path, hash, current, self.options) {
                self.report.changes.push(change);
            }
        }
        Ok(())
    }

    /// The decisions so far.
    pub fn changes(&self) -> &[FileChange] {
        &self.report.changes
    }

    /// Decides what happens to files generated last time and no longer planned, then
    /// (unless `dry_run`) applies every decision; `manifest` is the new manifest
    /// without its file list, which this fills in.
    pub fn finish(mut self, manifest: Manifest, progress: &dyn Progress) -> Result<WriteReport, Error> {
        self.decide_orphans()?;
        if !self.options.dry_run {
            let context = Apply {
                out: self.out,
                previous: &self.previous,
                bases: &self.bases,
                options: self.options,
                finish: self.finish,
                interrupted: self.interrupted,
                dies_after: None,
            };
            context.apply(&mut self.report, manifest, &mut self.staging, progress)?;
        }
        Ok(self.report)
    }
}

/// The last build's renderings, for `render::reuse`: what each read, and from the
/// base store the text it generated. Nothing after an interrupted build: its journal
/// moved some bases on, and what they were rendered from is not recorded.
pub struct PreviousRenders<'a> {
    manifest: &'a Manifest,
    renders: Renders,
    bases: Bases<'a>,
}

impl<'a> PreviousRenders<'a> {
    /// Reads the record of what the last build rendered (`renders.json`).
    pub fn new(out: &'a Path, state: &'a State) -> Option<Self> {
        let manifest = state.manifest.as_ref().filter(|_| !state.interrupted)?;
        Some(PreviousRenders { manifest, renders: Renders::load(out), bases: Bases::new(out) })
    }
}

impl Previous for PreviousRenders<'_> {
    fn inputs(&self, path: &str) -> Option<&RenderInputs> {
        self.renders.of(path, self.manifest)
    }

    fn text(&self, path: &str) -> Option<String> {
        // A base that is missing or damaged is rendered anew, not an error.
        self.bases.get(path, self.manifest.files.get(path)?).ok().flatten()
    }
}

/// The decision for a planned file, with the last step ([`Finish`]) applied to it.
fn decide(
    path: &str,
    generated: Text,
    current: Option<String>,
    previous_hash: Option<&str>,
    bases: &Bases<'_>,
    options: WriteOptions,
    finish: &dyn Finish,
) -> Result<FileChange, Error> {
    let change = decide_raw(path, generated, current, previous_hash, bases, options)?;
    Ok(finished(change, finish))
}

/// `change` with its texts finished. A file the last step alone brings back to what
/// is on disk is unchanged; one it alone changes is updated.
fn finished(mut change: FileChange, finish: &dyn Finish) -> FileChange {
    if matches!(change.change, Change::StillConflicted | Change::KeptUnknown | Change::UserDeleted) {
        return change;
    }
    let (Some(after), Some(generated)) = (change.after.as_deref(), change.generated.as_deref()) else { return change };
    let ending = LineEnding::of(after);
    let Some((after, generated)) = finish.finish(&change.path, &endings::normalise(after), generated) else {
        return change;
    };
    let generated = Text::from(generated);
    let after = in_ending(ending, &if after == *generated { generated.clone() } else { Text::from(after) });
    let same_as_disk = change.before.as_deref() == Some(&*after);
    change.change = match change.change {
        Change::Unchanged | Change::Updated | Change::Merged if same_as_disk => Change::Unchanged,
        Change::Unchanged => Change::Updated,
        other => other,
    };
    change.after = Some(after);
    change.generated = Some(generated);
    change
}

/// The decision for a file the plan contains. `current` is the file on disk (raw, in
/// its own line endings); `previous_hash` the base it had after the last build.
fn decide_raw(
    path: &str,
    generated: Text,
    current: Option<String>,
    previous_hash: Option<&str>,
    bases: &Bases<'_>,
    options: WriteOptions,
) -> Result<FileChange, Error> {
    let before = current.map(Text::from);
    let decision = |change: Change, after: Option<Text>| FileChange {
        path: path.to_owned(),
        change,
        before: before.clone(),
        after,
        generated: Some(generated.clone()),
        inputs: None,
        staged: None,
    };
    let Some(raw) = before.as_ref() else {
        return Ok(match previous_hash {
            None => decision(Change::New, Some(generated.clone())),
            Some(_) if options.restore || options.force => decision(Change::Restored, Some(generated.clone())),
            Some(_) => decision(Change::UserDeleted, None),
        });
    };
    let ending = LineEnding::of(raw);
    let text = endings::normalise(raw);
    if *text == *generated {
        return Ok(decision(Change::Unchanged, Some(raw.clone())));
    }
    let edited = previous_hash != Some(sha256_hex(text.as_bytes()).as_str());
    if options.force {
        let change = if edited { Change::Overwritten } else { Change::Updated };
        return Ok(decision(change, Some(in_ending(ending, &generated))));
    }
    if !edited {
        return Ok(decision(Change::Updated, Some(in_ending(ending, &generated))));
    }
    if has_conflict_markers(&text) {
        return Ok(decision(Change::StillConflicted, Some(raw.clone())));
    }
    let Some(previous_hash) = previous_hash else {
        return Ok(decision(Change::KeptUnknown, Some(raw.clone())));
    };
    // A base that is gone or damaged (the state folder edited by hand) leaves nothing
    // to merge against: both whole versions are shown as one conflict, so the file is
    // neither overwritten nor left behind for ever.
    let base = bases.get(path, previous_hash)?.unwrap_or_default();
    Ok(match merge::merge(&base, &text, &generated) {
        Merged::Clean(merged) if merged == *text => decision(Change::Unchanged, Some(raw.clone())),
        Merged::Clean(merged) => decision(Change::Merged, Some(in_ending(ending, &Text::from(merged)))),
        Merged::Conflict(merged) => decision(Change::Conflict, Some(in_ending(ending, &Text::from(merged)))),
    })
}

/// `text` (LF) in `ending`: the same shared text when that is LF.
fn in_ending(ending: LineEnding, text: &Text) -> Text {
    match ending.apply(text) {
        Cow::Borrowed(_) => text.clone(),
        Cow::Owned(converted) => Text::from(converted),
    }
}

/// A file generated last time that the plan no longer contains.
fn decide_orphan(path: &str, hash: &str, current: Option<String>, options: WriteOptions) -> Option<FileChange> {
    let current = Text::from(current?); // already gone: forget it
    let edited = sha256_hex(endings::normalise(&current).as_bytes()) != hash;
    let change = if edited && !options.force { Change::Orphaned } else { Change::Removed };
    let after = (change == Change::Orphaned).then(|| current.clone());
    let before = Some(current);
    Some(FileChange { path: path.to_owned(), change, before, after, generated: None, inputs: None, staged: None })
}

/// Puts the base the change leaves the file with into the store. `generated_sha256`
/// is the hash of its new rendering, if it has one.
fn store_base(
    previous: &Manifest,
    bases: &Bases<'_>,
    staging: &mut Staging<'_>,
    change: &FileChange,
    generated_sha256: Option<String>,
) -> Result<(), Error> {
    let previous_hash = previous.files.get(&change.path);
    match (keeps_previous_base(change.change), &change.generated, generated_sha256) {
        (false, Some(generated), Some(hash)) => {
            if previous_hash != Some(&hash) || previous.format < 2 {
                staging.store(bases, generated, hash)?;
            }
        }
        _ => {
            if let Some(hash) = previous_hash.filter(|_| previous.format < 2) {
                bases.keep(&change.path, hash)?;
            }
        }
    }
    Ok(())
}

/// Files kept as they were: the old base is remembered so they are still recognised.
fn keeps_previous_base(change: Change) -> bool {
    matches!(change, Change::Orphaned | Change::UserDeleted | Change::StillConflicted)
}

#[cfg(test)]
mod tests;
