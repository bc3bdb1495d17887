//! Applying the decisions: journal, bases, documents, manifest, in an order that makes
//! every prefix of a build safe (see `state` for why), with each file checked once more
//! just before it is replaced.

use std::collections::BTreeSet;
use std::path::Path;

use super::endings;
use super::staging::Staging;
use super::state::{Backup, Bases, Journal, JournalEntry, Renders};
use super::{
    Change, FileChange, Finish, Manifest, Text, WriteOptions, WriteReport, decide, decide_orphan, keeps_previous_base,
    store_base,
};
use crate::error::Error;
use crate::fs::{Stamp, move_into_place, read_if_exists, remove_if_exists, safe_join, sha256_hex, write_atomic};
use crate::progress::{Progress, Step};

/// What applying the decisions needs besides the decisions.
pub(super) struct Apply<'a> {
    pub(super) out: &'a Path,
    pub(super) previous: &'a Manifest,
    pub(super) bases: &'a Bases<'a>,
    pub(super) options: WriteOptions,
    pub(super) finish: &'a dyn Finish,
    /// The previous build did not finish: sweep the base store afterwards.
    pub(super) interrupted: bool,
    /// Tests only: stop dead after this many file writes, as a killed build would.
    pub(super) dies_after: Option<usize>,
}

impl Apply<'_> {
    /// Applies the decisions in an order that makes every prefix safe: journal, then
    /// bases, then documents, then the manifest; see `state` for why. Staged decisions
    /// stored their bases when they were staged.
    pub(super) fn apply(
        &self,
        report: &mut WriteReport,
        mut manifest: Manifest,
        staging: &mut Staging<'_>,
        progress: &dyn Progress,
    ) -> Result<(), Error> {
        let mut journal = Journal::default();
        for change in &report.changes {
            self.journal(&mut journal, change);
        }
        if !journal.files.is_empty() {
            journal.save(self.out)?;
        }
        staging.commit();
        for change in report.changes.iter().filter(|change| change.staged.is_none()) {
            self.store_base(change, staging)?;
        }
        let mut backup = Backup::new(self.out);
        let mut renders = Renders::default();
        report.written_at = Some(std::time::SystemTime::now());
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
                    self.store_base(&fresh, staging)?;
                    self.journal(&mut journal, &fresh);
                    journal.save(self.out)?;
                    report.changes[index] = fresh;
                }
                self.write(&report.changes[index], &mut backup)?;
                progress.advance(1);
            }
            self.record(&mut report.changes[index], &mut manifest, &mut renders);
        }
        progress.finish();
        report.backup = backup.folder().map(Path::to_owned);
        if self.dies_after == Some(writes) {
            return Ok(()); // killed after the last document, before the manifest
        }
        manifest.settled = report.needs_attention().next().is_none();
        // Before the manifest: its entries count only where the manifest agrees.
        renders.save(self.out)?;
        // Until here the previous manifest, corrected by the journal, describes what is
        // on disk; from here the new one does.
        manifest.save(self.out)?;
        Journal::remove(self.out)?;
        staging.finish()?;
        let referenced: BTreeSet<&str> = manifest.files.values().map(String::as_str).collect();
        let mut candidates = std::mem::take(&mut staging.stored);
        candidates.extend(self.previous.files.values().cloned());
        self.bases.collect_garbage(&referenced, &candidates, self.interrupted)
    }

    fn journal(&self, journal: &mut Journal, change: &FileChange) {
        if let (true, Some(written), Some(base)) =
            (change.change.writes(), change.after_sha256(), change.generated_sha256())
        {
            journal.files.insert(change.path.clone(), JournalEntry { base, written });
        }
    }

    /// Puts the base the change leaves the file with into the store.
    fn store_base(&self, change: &FileChange, staging: &mut Staging<'_>) -> Result<(), Error> {
        store_base(self.previous, self.bases, staging, change, change.generated_sha256())
    }

    /// The decision again, if the file changed on disk since it was decided. A staged
    /// decision tells by the file's stamp and reads the file only if that changed;
    /// its rendering comes back from the base store.
    fn recheck(&self, change: &FileChange) -> Result<Option<FileChange>, Error> {
        let target = safe_join(self.out, &change.path)?;
        let generated = match &change.staged {
            Some(staged) => {
                if Stamp::now(&target) == staged.seen {
                    return Ok(None);
                }
                let Some(hash) = &staged.generated_sha256 else { return Ok(None) };
                // A base that went missing meanwhile: write what was decided.
                let Some(text) = self.bases.get(&change.path, hash)? else { return Ok(None) };
                Some(Text::from(text))
            }
            None => change.generated.clone(),
        };
        let current = read_if_exists(&target)?;
        if change.staged.is_none() && current.as_deref() == change.before.as_deref() {
            return Ok(None);
        }
        let previous_hash = self.previous.files.get(&change.path);
        Ok(match generated {
            Some(generated) => Some(FileChange {
                inputs: change.inputs.clone(),
                ..decide(
                    &change.path,
                    generated,
                    current,
                    previous_hash.map(String::as_str),
                    self.bases,
                    self.options,
                    self.finish,
                )?
            }),
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
        let staged = change.staged.as_ref().and_then(|staged| staged.after.as_deref());
        match (staged, &change.after) {
            (Some(staged), _) => move_into_place(staged, &target),
            (None, Some(text)) => write_atomic(&target, text.as_bytes()),
            (None, None) => remove_if_exists(&target),
        }
    }

    /// Enters the file's base in the new manifest, and what its rendering read in
    /// `renders`: it moves there, as the report has no use for it, and at 50,000
    /// services each copy of the link lists is over 100 MB.
    fn record(&self, change: &mut FileChange, manifest: &mut Manifest, renders: &mut Renders) {
        let previous = self.previous.files.get(&change.path);
        match (change.change, change.generated_sha256()) {
            (Change::Removed | Change::KeptUnknown, _) => {}
            (kept, _) if keeps_previous_base(kept) => {
                if let Some(hash) = previous {
                    manifest.files.insert(change.path.clone(), hash.clone());
                }
            }
            (_, Some(generated)) => {
                if let Some(inputs) = change.inputs.take() {
                    renders.insert(change.path.clone(), generated.clone(), inputs);
                }
                manifest.files.insert(change.path.clone(), generated);
            }
            (_, None) => {}
        }
    }
}
