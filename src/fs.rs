//! File-system helpers that every read and write of the pack goes through: paths that
//! cannot leave the output folder or pass through a link, atomic replacement that keeps
//! the file's mode, and reads that never silently change a person's text. They sit
//! below every module that touches the disk, and import nothing but the error type.
//!
//! These rules are the promise the README makes to users ("nothing is written or deleted
//! outside the output folder or through a symlink"), so they live in one place: a
//! caller that wants to write below the output folder asks [`safe_join`] for the path
//! and [`write_atomic`] for the write, and cannot get either rule wrong.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// Joins a `/`-separated relative path to `out`, refusing anything that could land
/// outside it: absolute paths, `..`, and symbolic links on the way (the output folder
/// itself is the user's choice and may be a link).
pub fn safe_join(out: &Path, relative: &str) -> Result<PathBuf, Error> {
    let leaves = || leaves(out, relative);
    let mut target = out.to_owned();
    for part in Path::new(relative).components() {
        match part {
            Component::Normal(name) => {
                target.push(name);
                if is_symlink(&target) {
                    return Err(Error::Symlink { path: target });
                }
            }
            _ => return Err(leaves()),
        }
    }
    if target == out {
        return Err(leaves());
    }
    Ok(target)
}

/// The error for a path that would land outside the output folder.
fn leaves(out: &Path, relative: &str) -> Error {
    Error::Write {
        path: out.join(relative),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "path would leave the output folder"),
    }
}

/// [`safe_join`] for many paths under one folder, each folder on the way looked at
/// once: a no-op build of 10,000 services looks at 25,000 files, and checking every
/// folder above each of them again was a fifth of its time.
pub struct SafeJoin<'a> {
    out: &'a Path,
    folders: std::collections::HashSet<PathBuf>,
}

impl<'a> SafeJoin<'a> {
    pub fn new(out: &'a Path) -> Self {
        SafeJoin { out, folders: std::collections::HashSet::new() }
    }

    /// `relative` joined as [`safe_join`] joins it, with what is there (not following
    /// a link; `None` if nothing).
    pub fn join(&mut self, relative: &str) -> Result<(PathBuf, Option<std::fs::Metadata>), Error> {
        let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let mut target = if folder.is_empty() {
            self.out.to_owned()
        } else if let Some(known) = self.folders.get(Path::new(folder)) {
            self.out.join(known)
        } else {
            let joined = safe_join(self.out, folder)?;
            self.folders.insert(PathBuf::from(folder));
            joined
        };
        if Path::new(name).components().ne([Component::Normal(name.as_ref())]) {
            return Err(leaves(self.out, relative));
        }
        target.push(name);
        let metadata = std::fs::symlink_metadata(&target).ok();
        if metadata.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Symlink { path: target });
        }
        Ok((target, metadata))
    }
}

/// True if `path` itself is a symbolic link (not following it).
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Writes via a temporary file in the same folder and an atomic rename, so readers and
/// a killed process see the old file or the new one, never a mix.
///
/// A new file gets the mode the user's umask gives (0644 under umask 022: a web server
/// running as another user can serve the site); a replaced file keeps its mode.
/// There is no fsync per file: it multiplied build times by ten on large packs, and what
/// it adds (surviving a power cut mid-build) is covered by the write journal: the next
/// build repairs any file the cut left behind.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write { path: target.to_owned(), source };
    let folder = target.parent().unwrap_or(Path::new("."));
    // A stat is far cheaper than a mkdir that fails with "exists" (measured: 12 µs
    // against 215 µs here), and almost every folder exists already.
    if !folder.is_dir() {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    let mut temporary = temporary_in(folder, TEMPORARY_SUFFIX).map_err(write_error)?;
    temporary.write_all(bytes).map_err(write_error)?;
    persist(temporary, target).map_err(write_error)
}

/// Writes a new file atomically, never over an existing one (nor over a link): false,
/// with nothing written, if `target` exists. The check and the rename are one step
/// (tempfile's `persist_noclobber`), so no other writer can slip in between.
pub fn write_new(target: &Path, bytes: &[u8]) -> Result<bool, Error> {
    let write_error = |source| Error::Write { path: target.to_owned(), source };
    if std::fs::symlink_metadata(target).is_ok() {
        return Ok(false);
    }
    let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    let mut temporary = temporary_in(folder, TEMPORARY_SUFFIX).map_err(write_error)?;
    temporary.write_all(bytes).map_err(write_error)?;
    match temporary.persist_noclobber(target) {
        Ok(_) => Ok(true),
        Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(write_error(error.error)),
    }
}

/// Moves a finished file (a staged text, see `output::staging`) over `target` in one
/// atomic rename, with the same mode rules as [`write_atomic`]: a replaced file keeps
/// its mode. Folders that do not exist yet are made; where the two are on different
/// file systems (a mount inside the output folder), the text is copied instead.
pub fn move_into_place(staged: &Path, target: &Path) -> Result<(), Error> {
    let write_error = |source| Error::Write { path: target.to_owned(), source };
    let folder = target.parent().unwrap_or(Path::new("."));
    if !folder.is_dir() {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    if let Some(metadata) = std::fs::symlink_metadata(target).ok().filter(|m| m.is_file()) {
        std::fs::set_permissions(staged, metadata.permissions()).map_err(write_error)?;
    }
    match std::fs::rename(staged, target) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::CrossesDevices => {
            let bytes = std::fs::read(staged).map_err(|source| Error::Read { path: staged.to_owned(), source })?;
            write_atomic(target, &bytes)?;
            remove_if_exists(staged)
        }
        Err(source) => Err(write_error(source)),
    }
}

/// What a file looked like when it was read: enough to notice that it was saved since
/// (a different size, modification time or inode: editors that save by renaming give
/// a new inode) without reading it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "StampRecord", from = "StampRecord")]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

/// How long before a moment a file must have been modified for its stamp, taken at
/// that moment, to prove it unchanged later. File times are coarse: a save in the same
/// tick as the modification before it, at the same size and in place, leaves the stamp
/// as it was. Git calls such entries "racily clean" and reads them again; so do we.
/// A time with a fraction of a second comes from a file system that keeps fine times
/// (a tick of a few milliseconds at most); one without may be from FAT, whose tick
/// is two seconds.
const SETTLED_AFTER_FINE: std::time::Duration = std::time::Duration::from_millis(100);
const SETTLED_AFTER_COARSE: std::time::Duration = std::time::Duration::from_secs(2);

/// A stamp with the moment it was taken: what a record keeps to know, later, that a
/// file is unchanged without reading it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamped {
    pub stamp: Stamp,
    /// When the stamp was taken (no later), in nanoseconds since 1970.
    pub taken_ns: u64,
}

impl Stamped {
    pub fn new(stamp: Stamp, taken: std::time::SystemTime) -> Self {
        Stamped { stamp, taken_ns: nanos_since_epoch(taken).unwrap_or(0) }
    }

    /// Whether the file `metadata` describes (not following a link) is proven the one
    /// stamped: a plain file with the same stamp, taken long enough after it was
    /// modified to prove it ([`Stamp::settled_at`]).
    pub fn proves(&self, metadata: &std::fs::Metadata) -> bool {
        let taken = at_nanos_since_epoch(self.taken_ns);
        metadata.is_file() && Stamp::of(metadata) == self.stamp && self.stamp.settled_at(taken)
    }
}

/// A moment as records keep it: nanoseconds since 1970 (`None` before 1970 or after 2554).
fn nanos_since_epoch(moment: std::time::SystemTime) -> Option<u64> {
    let since = moment.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

/// The moment [`nanos_since_epoch`] gave `nanos` for.
fn at_nanos_since_epoch(nanos: u64) -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos)
}

/// [`Stamp`] as records keep it: the modification time in nanoseconds since 1970.
#[derive(serde::Serialize, serde::Deserialize)]
struct StampRecord {
    len: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modified_ns: Option<u64>,
    inode: u64,
}

impl From<Stamp> for StampRecord {
    fn from(stamp: Stamp) -> Self {
        StampRecord { len: stamp.len, modified_ns: stamp.modified.and_then(nanos_since_epoch), inode: stamp.inode }
    }
}

impl From<StampRecord> for Stamp {
    fn from(record: StampRecord) -> Self {
        Stamp { len: record.len, modified: record.modified_ns.map(at_nanos_since_epoch), inode: record.inode }
    }
}

impl Stamp {
    pub fn of(metadata: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp { len: metadata.len(), modified: metadata.modified().ok(), inode }
    }

    /// The stamp of the file at `path` now; `None` if there is none.
    pub fn now(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|metadata| Stamp::of(&metadata))
    }

    /// Whether this stamp, taken at `taken`, still proves the file unchanged when the
    /// file shows the same stamp later: the file was last modified well before
    /// (see [`SETTLED_AFTER_FINE`]). A file with no modification time proves nothing.
    pub fn settled_at(&self, taken: std::time::SystemTime) -> bool {
        self.modified.is_some_and(|modified| {
            let fine = modified.duration_since(std::time::UNIX_EPOCH).is_ok_and(|since| since.subsec_nanos() != 0);
            modified + if fine { SETTLED_AFTER_FINE } else { SETTLED_AFTER_COARSE } <= taken
        })
    }
}

/// [`read_if_exists`], with the stamp of the file that was read (taken from the same
/// open file, so the two always belong together).
pub fn read_stamped(path: &Path) -> Result<Option<(String, Stamp)>, Error> {
    let Some((bytes, stamp)) = read_bytes_stamped(path)? else { return Ok(None) };
    let text = String::from_utf8(bytes).map_err(|error| not_utf8(path, error.as_bytes()))?;
    Ok(Some((text, stamp)))
}

/// [`read_bytes_if_exists`], with the stamp of the file that was read (taken from the
/// open file before reading: a save during the read shows as a different stamp).
pub fn read_bytes_stamped(path: &Path) -> Result<Option<(Vec<u8>, Stamp)>, Error> {
    use std::io::Read;
    let read_error = |source| Error::Read { path: path.to_owned(), source };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(read_error(source)),
    };
    let stamp = Stamp::of(&file.metadata().map_err(read_error)?);
    let mut bytes = Vec::with_capacity(usize::try_from(stamp.len).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(read_error)?;
    Ok(Some((bytes, stamp)))
}

/// Writes `bytes` to `target` unless it holds exactly them already (a rebuild with
/// nothing changed writes nothing). True if it wrote.
pub fn write_if_changed(target: &Path, bytes: &[u8]) -> Result<bool, Error> {
    if std::fs::read(target).is_ok_and(|current| current == bytes) {
        return Ok(false);
    }
    write_atomic(target, bytes)?;
    Ok(true)
}

/// Renames a finished temporary file (from [`temporary_in`]) over `target`, which
/// keeps its mode if it exists.
pub fn persist(temporary: tempfile::NamedTempFile, target: &Path) -> std::io::Result<()> {
    keep_mode(target, temporary.as_file())?;
    temporary.persist(target).map(|_| ()).map_err(|error| error.error)
}

/// A temporary file in `folder` for an atomic replacement, created with the mode the
/// umask allows (tempfile's default, 0600, would make the whole site unreadable to a
/// web server). Its name is one that [`remove_stale_temporaries`] recognises.
pub fn temporary_in(folder: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode asked of open(2): the kernel takes the umask off it.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Gives the temporary file the mode of the file it replaces, if there is one.
fn keep_mode(target: &Path, temporary: &std::fs::File) -> std::io::Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(metadata) if metadata.is_file() => temporary.set_permissions(metadata.permissions()),
        _ => Ok(()),
    }
}

/// The file's text, `None` if it does not exist.
///
/// A file that is not UTF-8 (saved as Latin-1 or Windows-1252, say) is an error that
/// names it: reading it lossily and writing the merge back would replace every accented
/// letter with U+FFFD, an edit destroyed without a word.
pub fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
    read_bytes_if_exists(path)?
        .map(|bytes| String::from_utf8(bytes).map_err(|error| not_utf8(path, error.as_bytes())))
        .transpose()
}

/// The bytes of a file, or `None` if there is no file.
pub fn read_bytes_if_exists(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path: path.to_owned(), source }),
    }
}

/// The error for a file that is not UTF-8, with the line and column of the first
/// offending byte so the user can find it.
fn not_utf8(path: &Path, bytes: &[u8]) -> Error {
    let valid = std::str::from_utf8(bytes).err().map_or(bytes.len(), |e| e.valid_up_to());
    let before = &bytes[..valid];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Safe: `before` is valid UTF-8 up to `valid`, so this slice is too.
    let column = std::str::from_utf8(&before[line_start..]).map_or(1, |s| s.chars().count() + 1);
    Error::NotUtf8 { path: path.to_owned(), line, column }
}

/// The SHA-256 of some bytes, in hex: the hash every record of the pack uses (manifest,
/// merge bases, journal, site record).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// A digest in lower-case hexadecimal, as every hash in the state records is written.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prefix and suffix of the temporary files `write_atomic` renames into place.
const TEMPORARY_PREFIX: &str = ".fitsm-pack-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Removes temporary files a killed build left behind in `folder`, and in its
/// subfolders if `deep`. Called under the build lock, so no other build can be using
/// them. Links are not followed.
pub fn remove_stale_temporaries(folder: &Path, deep: bool) -> Result<usize, Error> {
    let mut removed = 0;
    if !folder.is_dir() {
        return Ok(0);
    }
    let walk = walkdir::WalkDir::new(folder).follow_links(false).max_depth(if deep { usize::MAX } else { 1 });
    for entry in walk.into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX) {
            remove_if_exists(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes a file; a file that is already gone is fine.
pub fn remove_if_exists(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Write { path: path.to_owned(), source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_proves_a_file_unchanged_only_once_its_clock_has_moved_on() {
        use std::time::{Duration, UNIX_EPOCH};
        let at = |ns: u64| UNIX_EPOCH + Duration::from_nanos(ns);
        let stamp = |ns: u64| Stamp { len: 1, modified: Some(at(ns)), inode: 7 };
        // Fine times (a fraction of a second): 100 ms is enough.
        let fine = 1_800_000_000_123_456_789;
        assert!(!stamp(fine).settled_at(at(fine + 99_000_000)));
        assert!(stamp(fine).settled_at(at(fine + 100_000_000)));
        // Whole seconds, as FAT keeps them: two seconds.
        let coarse = 1_800_000_000_000_000_000;
        assert!(!stamp(coarse).settled_at(at(coarse + 1_999_000_000)));
        assert!(stamp(coarse).settled_at(at(coarse + 2_000_000_000)));
        assert!(!Stamp { modified: None, ..stamp(fine) }.settled_at(at(u64::MAX)));
        // A record keeps it exactly.
        let json = serde_json::to_string(&stamp(fine)).expect("serialise");
        assert_eq!(serde_json::from_str::<Stamp>(&json).expect("read back"), stamp(fine));
    }

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        let out = Path::new("/tmp/out");
        assert!(safe_join(out, "../x").is_err());
        assert!(safe_join(out, "/etc/passwd").is_err());
        assert!(safe_join(out, "").is_err());
        assert!(safe_join(out, "markdown/a.md").is_ok());
        let mut join = SafeJoin::new(out);
        for bad in ["../x", "/etc/passwd", "", "markdown/..", "markdown/../../x", "markdown/."] {
            assert!(join.join(bad).is_err(), "{bad}");
        }
        assert_eq!(join.join("markdown/a.md").expect("inside").0, out.join("markdown/a.md"));
        assert_eq!(join.join("a.md").expect("inside").0, out.join("a.md"));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_output_are_refused() {
        let dir = tempfile::tempdir().expect("temp");
        let outside = tempfile::tempdir().expect("temp");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("html")).expect("symlink");
        assert!(matches!(safe_join(dir.path(), "html/a.html"), Err(Error::Symlink { .. })));
        assert!(matches!(crate::pack::refuse_links(dir.path()), Err(Error::Symlink { .. })));
        let mut join = SafeJoin::new(dir.path());
        assert!(matches!(join.join("html/a.html"), Err(Error::Symlink { .. })));
        std::fs::write(outside.path().join("a.md"), "elsewhere").expect("write");
        std::os::unix::fs::symlink(outside.path().join("a.md"), dir.path().join("a.md")).expect("symlink");
        assert!(matches!(join.join("a.md"), Err(Error::Symlink { .. })));
    }

    #[test]
    fn text_that_is_not_utf8_is_an_error_with_its_position() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("latin1.md");
        std::fs::write(&path, b"# Title\n\nCaf\xe9 au lait\n").expect("write");
        match read_if_exists(&path) {
            Err(Error::NotUtf8 { line, column, .. }) => assert_eq!((line, column), (3, 4)),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("a.md");
        write_atomic(&path, b"one").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"two").expect("write");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
