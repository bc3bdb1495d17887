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

mod endings;
pub mod lock;
pub mod merge;
mod state;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
pub use crate::fs::sha256_hex;
use crate::fs::{read_if_exists, remove_if_exists, safe_join, write_atomic};
pub use crate::pack::STATE_DIR;
use crate::pack::conflict::has_conflict_markers;
use crate::pack::refuse_links;
use crate::progress::{NoProgress, Progress, Step};
use crate::render::RenderedFile;
use endings::LineEnding;
use merge::Merged;
use state::{Backup, Bases, Journal, JournalEntry};
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

/// What applying the decisions needs besides the decisions.
struct Apply<'a> {
    out: &'a Path,
    previous: &'a Manifest,
    bases: &'a Bases<'a>,
    options: WriteOptions,
    /// The previous build was killed while writing: sweep the base store afterwards.
    interrupted: bool,
    /// Tests only: stop dead after this many file writes, as a killed build would.
    dies_after: Option<usize>,
}

impl Apply<'_> {
    /// Applies the decisions in an order that makes every prefix safe: journal, then
    /// bases, then documents, then the manifest; see `state` for why.
    fn apply(&self, report: &mut WriteReport, mut manifest: Manifest, progress: &dyn Progress) -> Result<(), Error> {
        let mut journal = Journal::default();
        for change in &report.changes {
            self.journal(&mut journal, change);
        }
        if !journal.files.is_empty() {
            journal.save(self.out)?;
        }
        let mut stored = BTreeSet::new();
        for change in &report.changes {
            self.store_base(change, &mut stored)?;
        }
        let mut backup = Backup::new(self.out);
        progress.start(Step::Write, report.changes.iter().filter(|c| c.change.writes()).count());
        let mut writes = 0;
        for index in 0..report.changes.len() {
            if report.changes[index].change.writes() {
                if self.dies_after == Some(writes) {
                    return Ok(());
                }
                writes += 1;
                // Someone may have saved the file since it was read: decide again on
                // what is there now, so a save during the build is merged, not lost.
                if let Some(fresh) = self.recheck(&report.changes[index])? {
                    self.store_base(&fresh, &mut stored)?;
                    self.journal(&mut journal, &fresh);
                    journal.save(self.out)?;
                    report.changes[index] = fresh;
                }
                self.write(&report.changes[index], &mut backup)?;
                progress.advance(1);
            }
            self.record(&report.changes[index], &mut manifest);
        }
        progress.finish();
        report.backup = backup.folder().map(Path::to_owned);
        if self.dies_after == Some(writes) {
            return Ok(()); // killed after the last document, before the manifest
        }
        manifest.settled = report.needs_attention().next().is_none();
        // Until here the previous manifest, corrected by the journal, describes what is
        // on disk; from here the new one does.
        manifest.save(self.out)?;
        Journal::remove(self.out)?;
        let referenced: BTreeSet<&str> = manifest.files.values().map(String::as_str).collect();
        stored.extend(self.previous.files.values().cloned());
        self.bases.collect_garbage(&referenced, &stored, self.interrupted)
    }

    fn journal(&self, journal: &mut Journal, change: &FileChange) {
        if let (true, Some(after), Some(generated)) = (change.change.writes(), &change.after, &change.generated) {
            let entry = JournalEntry { base: sha256_hex(generated.as_bytes()), written: sha256_hex(after.as_bytes()) };
            journal.files.insert(change.path.clone(), entry);
        }
    }

    /// Puts the base the change leaves the file with into the store.
    fn store_base(&self, change: &FileChange, stored: &mut BTreeSet<String>) -> Result<(), Error> {
        let previous = self.previous.files.get(&change.path);
        match (self.keeps_previous_base(change.change), &change.generated) {
            (true, _) | (false, None) => {
                if let Some(hash) = previous.filter(|_| self.previous.format < 2) {
                    self.bases.keep(&change.path, hash)?;
                }
            }
            (false, Some(generated)) => {
                let hash = sha256_hex(generated.as_bytes());
                if previous != Some(&hash) || self.previous.format < 2 {
                    stored.insert(self.bases.put(generated)?);
                }
            }
        }
        Ok(())
    }

    /// Files kept as they were: the old base is remembered so they are still recognised.
    fn keeps_previous_base(&self, change: Change) -> bool {
        matches!(change, Change::Orphaned | Change::UserDeleted | Change::StillConflicted)
    }

    /// The decision again, if the file changed on disk since it was decided.
    fn recheck(&self, change: &FileChange) -> Result<Option<FileChange>, Error> {
        let current = read_if_exists(&safe_join(self.out, &change.path)?)?;
        if current == change.before {
            return Ok(None);
        }
        let previous_hash = self.previous.files.get(&change.path);
        Ok(match &change.generated {
            Some(generated) => Some(decide(
                &change.path,
                generated,
                current,
                previous_hash.map(String::as_str),
                self.bases,
                self.options,
            )?),
            None => previous_hash.and_then(|hash| decide_orphan(&change.path, hash, current, self.options)),
        })
    }

    fn write(&self, change: &FileChange, backup: &mut Backup<'_>) -> Result<(), Error> {
        if !change.change.writes() {
            return Ok(());
        }
        let target = safe_join(self.out, &change.path)?;
        let previous = self.previous.files.get(&change.path);
        let edited_before = change
            .before
            .as_ref()
            .is_some_and(|text| previous != Some(&sha256_hex(endings::normalise(text).as_bytes())));
        // `--force` never destroys an edit without keeping a copy.
        let destroys_edit = change.change == Change::Overwritten || (change.change == Change::Removed && edited_before);
        if let Some(text) = change.before.as_ref().filter(|_| destroys_edit) {
            backup.save(&change.path, text)?;
        }
        match &change.after {
            Some(text) => write_atomic(&target, text.as_bytes()),
            None => remove_if_exists(&target),
        }
    }

    fn record(&self, change: &FileChange, manifest: &mut Manifest) {
        let previous = self.previous.files.get(&change.path);
        match (change.change, &change.generated) {
            (Change::Removed | Change::KeptUnknown, _) => {}
            (kept, _) if self.keeps_previous_base(kept) => {
                if let Some(hash) = previous {
                    manifest.files.insert(change.path.clone(), hash.clone());
                }
            }
            (_, Some(generated)) => {
                manifest.files.insert(change.path.clone(), sha256_hex(generated.as_bytes()));
            }
            (_, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> RenderedFile {
        RenderedFile { path: path.into(), text: text.into() }
    }

    fn write(dir: &Path, files: &[RenderedFile], options: WriteOptions) -> WriteReport {
        write_pack(dir, files, Manifest::new("config", PackInfo::default()), options).expect("write")
    }

    fn changes(report: &WriteReport) -> Vec<(&str, Change)> {
        report.changes.iter().map(|c| (c.path.as_str(), c.change)).collect()
    }

    const BASE: &str = "# T\n\nintro\n\n## A\n\none\n\n## B\n\ntwo\n";

    #[test]
    fn lifecycle_of_an_edited_document() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        let plain = WriteOptions::default();
        assert_eq!(changes(&write(out, &[file("m/a.md", BASE)], plain)), [("m/a.md", Change::New)]);
        assert_eq!(write(out, &[file("m/a.md", BASE)], plain).written(), 0);

        // the user edits section A; the generator changes section B: both survive
        let edited = BASE.replace("one\n", "one, with our own words\n");
        std::fs::write(out.join("m/a.md"), &edited).expect("edit");
        let generated = BASE.replace("two\n", "two, regenerated\n");
        let report = write(out, &[file("m/a.md", &generated)], plain);
        assert_eq!(changes(&report), [("m/a.md", Change::Merged)]);
        let merged = std::fs::read_to_string(out.join("m/a.md")).expect("read");
        assert!(merged.contains("our own words") && merged.contains("regenerated"), "{merged}");

        // both change the same line: conflict markers, then the user resolves them
        let mine = merged.replace("two, regenerated\n", "two, as we say it\n");
        std::fs::write(out.join("m/a.md"), &mine).expect("edit");
        let next = generated.replace("two, regenerated\n", "two, regenerated again\n");
        let report = write(out, &[file("m/a.md", &next)], plain);
        assert_eq!(changes(&report), [("m/a.md", Change::Conflict)]);
        let conflicted = std::fs::read_to_string(out.join("m/a.md")).expect("read");
        assert!(
            conflicted
                .contains("<<<<<<< your edit\ntwo, as we say it\n=======\ntwo, regenerated again\n>>>>>>> generated\n"),
            "{conflicted}"
        );
        assert_eq!(changes(&write(out, &[file("m/a.md", &next)], plain)), [("m/a.md", Change::StillConflicted)]);
        let resolved = conflicted.replace(
            "<<<<<<< your edit\ntwo, as we say it\n=======\ntwo, regenerated again\n>>>>>>> generated\n",
            "two, agreed\n",
        );
        std::fs::write(out.join("m/a.md"), &resolved).expect("resolve");
        assert_eq!(changes(&write(out, &[file("m/a.md", &next)], plain)), [("m/a.md", Change::Unchanged)]);
        assert_eq!(std::fs::read_to_string(out.join("m/a.md")).expect("read"), resolved);
    }

    #[test]
    fn deleted_and_orphaned_documents() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        let plain = WriteOptions::default();
        write(out, &[file("m/a.md", "A\n"), file("m/b.md", "B\n"), file("m/c.md", "C\n")], plain);
        std::fs::remove_file(out.join("m/a.md")).expect("delete");
        std::fs::write(out.join("m/c.md"), "C\nedited\n").expect("edit");
        // a.md stays deleted; b.md and c.md left the plan: b removed, c (edited) kept
        let report = write(out, &[file("m/a.md", "A\n")], plain);
        let mut found = changes(&report);
        found.sort();
        assert_eq!(found, [("m/a.md", Change::UserDeleted), ("m/b.md", Change::Removed), ("m/c.md", Change::Orphaned)]);
        assert!(!out.join("m/a.md").exists() && !out.join("m/b.md").exists());
        assert!(out.join("m/c.md").exists());
        // still reported next time
        assert!(changes(&write(out, &[file("m/a.md", "A\n")], plain)).contains(&("m/c.md", Change::Orphaned)));
        let restore = WriteOptions { restore: true, ..plain };
        assert!(changes(&write(out, &[file("m/a.md", "A\n")], restore)).contains(&("m/a.md", Change::Restored)));
    }

    #[test]
    fn force_backs_up_edits_first() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        write(out, &[file("m/a.md", "A\n")], WriteOptions::default());
        std::fs::write(out.join("m/a.md"), "A\nmine\n").expect("edit");
        let report = write(out, &[file("m/a.md", "A2\n")], WriteOptions { force: true, ..WriteOptions::default() });
        assert_eq!(changes(&report), [("m/a.md", Change::Overwritten)]);
        let backup = report.backup.expect("backup folder");
        assert_eq!(std::fs::read_to_string(backup.join("m/a.md")).expect("backup"), "A\nmine\n");
    }

    /// Runs a write that dies after `writes` file writes, as a killed build would.
    fn write_dying(dir: &Path, files: &[RenderedFile], writes: usize) {
        let Decided { mut report, previous, interrupted } =
            decide_all(dir, files, WriteOptions::default(), &NoProgress).expect("decide");
        let bases = Bases::new(dir);
        let options = WriteOptions::default();
        let context =
            Apply { out: dir, previous: &previous, bases: &bases, options, interrupted, dies_after: Some(writes) };
        context.apply(&mut report, Manifest::new("config", PackInfo::default()), &NoProgress).expect("apply");
    }

    fn generation(round: usize) -> Vec<RenderedFile> {
        (0..4)
            .map(|i| {
                file(&format!("m/{i}.md"), &format!("# Doc {i}\n\nintro\n\n## A\n\nround {round}\n\n## B\n\nend\n"))
            })
            .collect()
    }

    #[test]
    fn a_build_killed_after_any_write_is_repaired_by_the_next() {
        // v1 built, doc 0 edited, v2 killed after k writes (k = 0 … all, and before the
        // manifest), then v3: every unedited document is v3, the edit is merged, nothing
        // is kept back or left in conflict.
        for dies_after in 0..=5 {
            let dir = tempfile::tempdir().expect("temp");
            let out = dir.path();
            write(out, &generation(1), WriteOptions::default());
            let edited = std::fs::read_to_string(out.join("m/0.md")).expect("read").replace("end\n", "end, and ours\n");
            std::fs::write(out.join("m/0.md"), &edited).expect("edit");
            write_dying(out, &generation(2), dies_after);
            let report = write(out, &generation(3), WriteOptions::default());
            assert!(report.needs_attention().next().is_none(), "after dying at {dies_after}: {:?}", changes(&report));
            for (i, expected) in generation(3).iter().enumerate() {
                let text = std::fs::read_to_string(out.join(&expected.path)).expect("read");
                if i == 0 {
                    assert!(text.contains("round 3") && text.contains("end, and ours"), "{dies_after}: {text}");
                } else {
                    assert_eq!(text, expected.text, "after dying at {dies_after}");
                }
            }
            assert!(!out.join(STATE_DIR).join("journal.json").exists());
            // Only the bases the manifest refers to are left in the store.
            let stored = walkdir::WalkDir::new(out.join(STATE_DIR).join("bases"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .count();
            assert_eq!(stored, 4, "after dying at {dies_after}");
        }
    }

    #[test]
    fn a_file_saved_during_the_build_is_merged_not_overwritten() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        write(out, &[file("m/a.md", BASE)], WriteOptions::default());
        let next = [file("m/a.md", &BASE.replace("two\n", "two, regenerated\n"))];
        let Decided { mut report, previous, interrupted } =
            decide_all(out, &next, WriteOptions::default(), &NoProgress).expect("decide");
        assert_eq!(changes(&report), [("m/a.md", Change::Updated)]);
        // saved by someone between the decision and the write
        std::fs::write(out.join("m/a.md"), BASE.replace("one\n", "one, saved meanwhile\n")).expect("save");
        let bases = Bases::new(out);
        let options = WriteOptions::default();
        let context = Apply { out, previous: &previous, bases: &bases, options, interrupted, dies_after: None };
        context.apply(&mut report, Manifest::new("config", PackInfo::default()), &NoProgress).expect("apply");
        assert_eq!(changes(&report), [("m/a.md", Change::Merged)]);
        let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
        assert!(text.contains("saved meanwhile") && text.contains("regenerated"), "{text}");
    }

    #[test]
    fn crlf_is_not_an_edit_and_is_kept() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        write(out, &[file("m/a.md", BASE)], WriteOptions::default());
        std::fs::write(out.join("m/a.md"), BASE.replace('\n', "\r\n")).expect("crlf");
        let next = BASE.replace("two\n", "two, regenerated\n");
        assert_eq!(
            changes(&write(out, &[file("m/a.md", &next)], WriteOptions::default())),
            [("m/a.md", Change::Updated)]
        );
        assert_eq!(std::fs::read_to_string(out.join("m/a.md")).expect("read"), next.replace('\n', "\r\n"));
        // an edit in a CRLF file merges like any other
        let edited = next.replace("one\n", "one, ours\n").replace('\n', "\r\n");
        std::fs::write(out.join("m/a.md"), &edited).expect("edit");
        let again = next.replace("two, regenerated\n", "two, again\n");
        assert_eq!(
            changes(&write(out, &[file("m/a.md", &again)], WriteOptions::default())),
            [("m/a.md", Change::Merged)]
        );
        let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
        assert_eq!(text, again.replace("one\n", "one, ours\n").replace('\n', "\r\n"));
        assert_eq!(
            changes(&write(out, &[file("m/a.md", &again)], WriteOptions::default())),
            [("m/a.md", Change::Unchanged)]
        );
    }

    #[test]
    fn forced_builds_never_share_a_backup_folder() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        let force = WriteOptions { force: true, ..WriteOptions::default() };
        write(out, &[file("m/a.md", "A\n")], WriteOptions::default());
        let mut folders = Vec::new();
        for edit in ["first edit", "second edit"] {
            std::fs::write(out.join("m/a.md"), format!("A\n{edit}\n")).expect("edit");
            folders.push(write(out, &[file("m/a.md", "A\n")], force).backup.expect("backup"));
        }
        assert_ne!(folders[0], folders[1]);
        for (folder, edit) in folders.iter().zip(["first edit", "second edit"]) {
            assert!(std::fs::read_to_string(folder.join("m/a.md")).expect("backup").contains(edit));
        }
    }

    #[test]
    fn a_missing_base_shows_both_sides_instead_of_keeping_the_file_back() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        write(out, &[file("m/a.md", BASE)], WriteOptions::default());
        std::fs::write(out.join("m/a.md"), BASE.replace("one\n", "one, ours\n")).expect("edit");
        std::fs::remove_dir_all(out.join(STATE_DIR).join("bases")).expect("damage the state");
        let report = write(out, &[file("m/a.md", &BASE.replace("two\n", "two, new\n"))], WriteOptions::default());
        assert_eq!(changes(&report), [("m/a.md", Change::Conflict)]);
        let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
        assert!(text.contains("one, ours") && text.contains("two, new"), "{text}");
    }

    #[test]
    fn dry_run_and_unknown_files_write_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        std::fs::create_dir_all(out.join("m")).expect("dir");
        std::fs::write(out.join("m/a.md"), "someone else's file\n").expect("write");
        let report = write(
            out,
            &[file("m/a.md", "A\n"), file("m/b.md", "B\n")],
            WriteOptions { dry_run: true, ..WriteOptions::default() },
        );
        assert_eq!(changes(&report), [("m/a.md", Change::KeptUnknown), ("m/b.md", Change::New)]);
        assert!(!out.join("m/b.md").exists() && !out.join(STATE_DIR).exists());
    }
}
