//! One build at a time per output folder.
//!
//! Two builds writing the same pack at once could interleave their merges and
//! manifests. The lock is an OS file lock on `.fitsm-pack/lock` (released by the OS
//! when the process ends, even when it is killed, so a crash never leaves a stale lock).
//! A second build waits briefly, then gives up with a clear message.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
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

/// Held for the duration of a build; dropping it releases the lock.
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
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
            Ok(()) => return Ok(BuildLock { _file: file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => std::thread::sleep(Duration::from_millis(100)),
            Err(TryLockError::WouldBlock) => return Err(Error::Locked { path: out.to_owned() }),
            Err(TryLockError::Error(source)) => return Err(Error::Write { path, source }),
        }
    }
}
