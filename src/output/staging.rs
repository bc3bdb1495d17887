//! Staged texts: what a build will write, kept on disk instead of in memory until every
//! file is decided.
//!
//! A build decides the whole pack before it replaces any document (a file it cannot
//! read, a template that fails on the 9,000th service, must leave the pack as it was).
//! Holding every decided text until then cost the whole pack two or three times over in
//! memory (1.3 GB at 10,000 services). So each batch of decisions writes the texts it
//! will put in place into `.fitsm-pack/staging/` and its new bases into the base store,
//! and keeps only hashes; applying the decisions is then one rename per file.
//!
//! Nothing staged is visible in the pack. A build that fails before applying removes
//! what it staged and the bases it added ([`Staging`]'s `Drop`); one that is killed
//! leaves the folder, which the next build removes (and sweeps the base store, which may
//! hold bases nobody refers to).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::state::Bases;
use crate::error::Error;
use crate::fs::{Stamp, remove_if_exists, safe_join};
use crate::pack::STATE_DIR;

const STAGING: &str = "staging";

/// The staged texts and stored bases of one build.
pub(super) struct Staging<'a> {
    out: &'a Path,
    folder: Option<PathBuf>,
    next: usize,
    /// Hashes of every base this build put in the store: after the manifest, those it
    /// does not refer to are collected.
    pub(super) stored: BTreeSet<String>,
    /// Of those, the bases that were not in the store before this build: removed again
    /// if the build fails before it applies anything.
    added: Vec<String>,
    /// Set once the journal is written: from then on a failed build is one the next
    /// build repairs (and sweeps), so nothing may be taken back.
    committed: bool,
}

impl<'a> Staging<'a> {
    pub(super) fn new(out: &'a Path) -> Self {
        Staging { out, folder: None, next: 0, stored: BTreeSet::new(), added: Vec::new(), committed: false }
    }

    /// Removes what a build that did not finish left staged. True if there was
    /// anything: that build may also have stored bases nothing refers to.
    pub(super) fn clear_leftover(out: &Path) -> Result<bool, Error> {
        let folder = folder(out)?;
        if !folder.is_dir() {
            return Ok(false);
        }
        std::fs::remove_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
        Ok(true)
    }

    /// Whether an unfinished build left texts staged in `out`.
    pub(super) fn left_in(out: &Path) -> bool {
        folder(out).is_ok_and(|folder| folder.is_dir())
    }

    /// Writes `text` to a new staged file and returns its path, with its stamp (which
    /// the file keeps when it is renamed into place).
    pub(super) fn stage(&mut self, text: &str) -> Result<(PathBuf, Option<Stamp>), Error> {
        let folder = match &self.folder {
            Some(folder) => folder.clone(),
            None => {
                let folder = folder(self.out)?;
                std::fs::create_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
                self.folder = Some(folder.clone());
                folder
            }
        };
        let path = folder.join(self.next.to_string());
        self.next += 1;
        std::fs::write(&path, text).map_err(|source| Error::Write { path: path.clone(), source })?;
        let stamp = Stamp::now(&path);
        Ok((path, stamp))
    }

    /// Puts a base into the store, remembering it for collection and for taking back.
    pub(super) fn store(&mut self, bases: &Bases<'_>, text: &str, hash: String) -> Result<String, Error> {
        let (hash, added) = bases.put_hashed(text, hash)?;
        if added && !self.committed {
            self.added.push(hash.clone());
        }
        self.stored.insert(hash.clone());
        Ok(hash)
    }

    /// The journal is on disk: what is staged now belongs to a build in progress.
    pub(super) fn commit(&mut self) {
        self.committed = true;
    }

    /// The build is recorded: nothing staged is needed any more.
    pub(super) fn finish(&mut self) -> Result<(), Error> {
        self.committed = true;
        match self.folder.take() {
            Some(folder) if folder.is_dir() => {
                std::fs::remove_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })
            }
            _ => Ok(()),
        }
    }
}

impl Drop for Staging<'_> {
    /// A build that stops before its journal takes back what it staged and stored;
    /// whatever this cannot remove, the next build does.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Some(folder) = &self.folder {
            let _ = std::fs::remove_dir_all(folder);
        }
        let bases = Bases::new(self.out);
        for hash in &self.added {
            if let Ok(path) = bases.object(hash) {
                let _ = remove_if_exists(&path);
            }
        }
    }
}

fn folder(out: &Path) -> Result<PathBuf, Error> {
    safe_join(out, &format!("{STATE_DIR}/{STAGING}"))
}
