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

mod fs;
pub mod lock;
pub mod merge;
mod state;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Error;
use crate::render::RenderedFile;
pub use fs::{read_if_exists, remove_if_exists, remove_stale_temporaries, safe_join, write_atomic};
use merge::{Merged, has_conflict_markers};
use state::{Bases, backup};
pub use state::{Manifest, PackInfo, STATE_DIR, sha256_hex};

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
    if out.exists() && !out.is_dir() {
        return Err(Error::OutputNotDir { path: out.to_owned() });
    }
    let previous = Manifest::load(out)?.unwrap_or_default();
    let bases = Bases::new(out);
    let mut report = WriteReport::default();
    for file in files {
        report.changes.push(decide(out, file, &previous, &bases, options)?);
    }
    let planned: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for (path, hash) in previous.files.iter().filter(|(path, _)| !planned.contains(path.as_str())) {
        if let Some(change) = decide_orphan(out, path, hash, options)? {
            report.changes.push(change);
        }
    }
    if !options.dry_run {
        apply(out, &mut report, &previous, manifest)?;
    }
    Ok(report)
}

fn decide(
    out: &Path,
    file: &RenderedFile,
    previous: &Manifest,
    bases: &Bases<'_>,
    options: WriteOptions,
) -> Result<FileChange, Error> {
    let generated = file.text.clone();
    let current = read_if_exists(&safe_join(out, &file.path)?)?;
    let previous_hash = previous.files.get(&file.path);
    let decision = |change: Change, after: Option<String>| FileChange {
        path: file.path.clone(),
        change,
        before: current.clone(),
        after,
        generated: Some(generated.clone()),
    };
    let Some(current_text) = current.as_deref() else {
        return Ok(match previous_hash {
            None => decision(Change::New, Some(generated.clone())),
            Some(_) if options.restore || options.force => decision(Change::Restored, Some(generated.clone())),
            Some(_) => decision(Change::UserDeleted, None),
        });
    };
    if current_text == generated {
        return Ok(decision(Change::Unchanged, Some(generated.clone())));
    }
    let edited = previous_hash != Some(&sha256_hex(current_text.as_bytes()));
    if options.force {
        let change = if edited { Change::Overwritten } else { Change::Updated };
        return Ok(decision(change, Some(generated.clone())));
    }
    if !edited {
        return Ok(decision(Change::Updated, Some(generated.clone())));
    }
    if has_conflict_markers(current_text) {
        return Ok(decision(Change::StillConflicted, current.clone()));
    }
    let base = match previous_hash {
        Some(hash) => bases.get(&file.path, hash)?,
        None => None,
    };
    let Some(base) = base else {
        return Ok(decision(Change::KeptUnknown, current.clone()));
    };
    Ok(match merge::merge(&base, current_text, &generated) {
        Merged::Clean(text) if text == current_text => decision(Change::Unchanged, Some(text)),
        Merged::Clean(text) => decision(Change::Merged, Some(text)),
        Merged::Conflict(text) => decision(Change::Conflict, Some(text)),
    })
}

/// A file generated last time that the plan no longer contains.
fn decide_orphan(out: &Path, path: &str, hash: &str, options: WriteOptions) -> Result<Option<FileChange>, Error> {
    let Some(current) = read_if_exists(&safe_join(out, path)?)? else {
        return Ok(None); // already gone: forget it
    };
    let edited = sha256_hex(current.as_bytes()) != hash;
    let change = if edited && !options.force { Change::Orphaned } else { Change::Removed };
    let after = (change == Change::Orphaned).then(|| current.clone());
    Ok(Some(FileChange { path: path.to_owned(), change, before: Some(current), after, generated: None }))
}

fn apply(out: &Path, report: &mut WriteReport, previous: &Manifest, mut manifest: Manifest) -> Result<(), Error> {
    let bases = Bases::new(out);
    let stamp = backup_stamp();
    let mut backed_up = false;
    for change in &report.changes {
        let target = safe_join(out, &change.path)?;
        let edited_before = change
            .before
            .as_ref()
            .is_some_and(|text| previous.files.get(&change.path) != Some(&sha256_hex(text.as_bytes())));
        // `--force` never destroys an edit without keeping a copy.
        let destroys_edit = change.change == Change::Overwritten || (change.change == Change::Removed && edited_before);
        if let Some(text) = change.before.as_ref().filter(|_| destroys_edit) {
            backup(out, &stamp, &change.path, text)?;
            backed_up = true;
        }
        if change.change.writes() {
            match &change.after {
                Some(text) => write_atomic(&target, text.as_bytes())?,
                None => remove_if_exists(&target)?,
            }
        }
        match (change.change, &change.generated) {
            (Change::Removed, _) => bases.remove(&change.path)?,
            // Kept as they were: remember the old base so they are still recognised.
            (Change::Orphaned | Change::UserDeleted | Change::StillConflicted, _) => {
                if let Some(hash) = previous.files.get(&change.path) {
                    manifest.files.insert(change.path.clone(), hash.clone());
                }
            }
            (Change::KeptUnknown, _) => {}
            (_, Some(generated)) => {
                bases.put(&change.path, generated)?;
                manifest.files.insert(change.path.clone(), sha256_hex(generated.as_bytes()));
            }
            (_, None) => {}
        }
    }
    if backed_up {
        report.backup = Some(state::backup_dir(out, &stamp));
    }
    manifest.settled = report.needs_attention().next().is_none();
    // Written last: until here the previous manifest describes what is on disk well
    // enough for the next build to finish the job.
    manifest.save(out)?;
    Ok(())
}

fn backup_stamp() -> String {
    jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string()
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
