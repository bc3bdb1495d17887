//! File-system helpers that every write goes through: paths that cannot leave the
//! output folder, and atomic replacement (temporary file + rename).

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// Joins a `/`-separated relative path to `out`, refusing anything that could land
/// outside it: absolute paths, `..`, and symbolic links on the way.
pub fn safe_join(out: &Path, relative: &str) -> Result<PathBuf, Error> {
    let refuse = |path: PathBuf, why: &str| Error::Write {
        path,
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_owned()),
    };
    let mut target = out.to_owned();
    for part in Path::new(relative).components() {
        match part {
            Component::Normal(name) => {
                target.push(name);
                if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(refuse(target, "is a symbolic link; fitsm-pack does not write through links"));
                }
            }
            _ => return Err(refuse(out.join(relative), "path would leave the output folder")),
        }
    }
    if target == out {
        return Err(refuse(out.join(relative), "path would leave the output folder"));
    }
    Ok(target)
}

/// Writes via a temporary file in the same folder and an atomic rename, so readers and
/// a killed process see the old file or the new one, never a mix. There is no fsync
/// per file: it multiplied build times by ten on large packs, and what it adds (surviving
/// a power cut mid-build) is covered by the manifest being written last: the next build
/// repairs any file the cut left behind.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write { path: target.to_owned(), source };
    let folder = target.parent().unwrap_or(Path::new("."));
    // A stat is far cheaper than a mkdir that fails with "exists" (measured: 12 µs
    // against 215 µs here), and almost every folder exists already.
    if !folder.is_dir() {
        std::fs::create_dir_all(folder).map_err(write_error)?;
    }
    let mut temporary = tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(TEMPORARY_SUFFIX)
        .tempfile_in(folder)
        .map_err(write_error)?;
    temporary.write_all(bytes).map_err(write_error)?;
    temporary.persist(target).map_err(|error| write_error(error.error))?;
    Ok(())
}

/// The file's text, `None` if it does not exist. Bytes that are not UTF-8 can only come
/// from an edit (or damage), so they are read lossily and count as a change.
pub fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        })),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path: path.to_owned(), source }),
    }
}

/// Prefix and suffix of the temporary files `write_atomic` renames into place.
const TEMPORARY_PREFIX: &str = ".fitsm-pack-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Removes temporary files a killed build left behind. Called under the build lock,
/// so no other build can be using them.
pub fn remove_stale_temporaries(out: &Path) -> Result<usize, Error> {
    let mut removed = 0;
    if !out.is_dir() {
        return Ok(0);
    }
    for entry in walkdir::WalkDir::new(out).follow_links(false).into_iter().filter_map(Result::ok) {
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
    fn paths_cannot_leave_the_output_folder() {
        let out = Path::new("/tmp/out");
        assert!(safe_join(out, "../x").is_err());
        assert!(safe_join(out, "/etc/passwd").is_err());
        assert!(safe_join(out, "").is_err());
        assert!(safe_join(out, "markdown/a.md").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_output_are_not_followed() {
        let (Ok(dir), Ok(outside)) = (tempfile::tempdir(), tempfile::tempdir()) else { return };
        if std::os::unix::fs::symlink(outside.path(), dir.path().join("markdown")).is_ok() {
            assert!(safe_join(dir.path(), "markdown/a.md").is_err());
        }
    }
}
