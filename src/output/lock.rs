//! One build at a time per output folder.
//!
//! Two builds writing the same pack at once could interleave their merges and
//! manifests. The lock is an OS file lock on `.fitsm-pack/lock` (released by the OS
//! when the process ends, even when it is killed, so a crash never leaves a stale lock).
//! A second build waits briefly, then gives up with a clear message.
//!
//! Whoever holds the lock also keeps `.fitsm-pack/writing` while it holds it. Only a
//! writer that was killed leaves it behind, so the next one knows when temporary files
//! may be lying anywhere in the folder and must be swept (a walk of every file: a
//! second at 10,000 services), and when there can be none.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::pack::STATE_DIR;

/// How long a second build waits for the first before giving up.
const WAIT: Duration = Duration::from_secs(5);

/// The wait, shortened by `FITSM_PACK_LOCK_WAIT_MS` (used by the tests, which should
/// not sit out the full wait).
fn wait() -> Duration {
    std::env::var("FITSM_PACK_LOCK_WAIT_MS").ok().and_then(|ms| ms.parse().ok()).map_or(WAIT, Duration::from_millis)
}

/// Present while a writer holds the lock (see the module doc).
const WRITING: &str = "writing";

/// Held for the duration of a build; dropping it releases the lock.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
    writing: PathBuf,
    previous_killed: bool,
}

impl BuildLock {
    /// The last writer was killed before it let go of the lock: it may have left
    /// temporary files anywhere in the output folder.
    pub fn previous_killed(&self) -> bool {
        self.previous_killed
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Released on purpose (an error included): its temporary files are gone.
        let _ = std::fs::remove_file(&self.writing);
    }
}

/// Leaves the `writing` mark; `true` if the last writer had left one. A link of that
/// name is replaced, never followed (`create_new` does not follow links).
fn mark_writing(path: &Path) -> Result<bool, Error> {
    let left = std::fs::symlink_metadata(path).is_ok();
    if left {
        crate::fs::remove_if_exists(path)?;
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| Error::Write { path: path.to_owned(), source })?;
    Ok(left)
}

pub fn acquire(out: &Path) -> Result<BuildLock, Error> {
    let folder = out.join(STATE_DIR);
    std::fs::create_dir_all(&folder).map_err(|source| Error::Write { path: folder.clone(), source })?;
    let path = folder.join("lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Write { path: path.clone(), source })?;
    let started = Instant::now();
    let wait = wait();
    loop {
        match file.try_lock() {
            Ok(()) => {
                let writing = folder.join(WRITING);
                let previous_killed = mark_writing(&writing)?;
                return Ok(BuildLock { _file: file, writing, previous_killed });
            }
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => std::thread::sleep(Duration::from_millis(100)),
            Err(TryLockError::WouldBlock) => return Err(Error::Locked { path: out.to_owned() }),
            Err(TryLockError::Error(source)) => return Err(Error::Write { path, source }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_writer_that_did_not_let_go_leaves_its_mark() {
        let out = tempfile::tempdir().expect("temp dir");
        let lock = acquire(out.path()).expect("lock");
        assert!(!lock.previous_killed(), "a new folder had no writer before");
        assert!(out.path().join(STATE_DIR).join(WRITING).is_file(), "marked while held");
        drop(lock);
        assert!(!out.path().join(STATE_DIR).join(WRITING).exists(), "let go: no mark");
        assert!(!acquire(out.path()).expect("lock").previous_killed());

        // A killed writer never runs its drop: its mark stays for the next one (the OS
        // lets go of the lock itself).
        std::fs::write(out.path().join(STATE_DIR).join(WRITING), "").expect("a killed writer's mark");
        assert!(acquire(out.path()).expect("lock").previous_killed());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_place_of_the_mark_is_replaced_not_followed() {
        let out = tempfile::tempdir().expect("temp dir");
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let target = elsewhere.path().join("precious.txt");
        std::fs::write(&target, "keep me").expect("write");
        std::fs::create_dir_all(out.path().join(STATE_DIR)).expect("state dir");
        std::os::unix::fs::symlink(&target, out.path().join(STATE_DIR).join(WRITING)).expect("link");
        let lock = acquire(out.path()).expect("lock");
        assert!(lock.previous_killed(), "something was in the mark's place");
        assert!(!std::fs::symlink_metadata(out.path().join(STATE_DIR).join(WRITING)).expect("mark").is_symlink());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    }
}
