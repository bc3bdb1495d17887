//! Writing a rendered pack into the output folder, safely.
//!
//! Everything is rendered in memory before this step runs, so a bad config or template
//! never leaves a half-written pack. Each file is written to a temporary file beside its
//! target and renamed into place, so a reader (or a crash) sees the old file or the new
//! one, never a mix. Files whose content is unchanged are not touched, so a rebuild with
//! nothing changed writes nothing.
//!
//! A document someone edited is never overwritten silently: the manifest in
//! `.fitsm-pack/` records the hash of what was generated, and a file on disk that no
//! longer matches it is kept and reported (`--force` overwrites). Merging edits with the
//! new rendering builds on this record.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::render::RenderedFile;

/// Folder inside the output folder that holds fitsm-pack's own state.
pub const STATE_DIR: &str = ".fitsm-pack";
const MANIFEST: &str = "manifest.json";

/// What was generated last time: path → SHA-256 of the generated text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub generator: String,
    pub config_sha256: String,
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    pub fn load(out: &Path) -> Result<Option<Manifest>, Error> {
        let path = out.join(STATE_DIR).join(MANIFEST);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(serde_json::from_str(&text).ok()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Read { path, source }),
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What happened to each file in one write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Edited by someone since it was generated; left as it is.
    pub kept_edited: Vec<String>,
}

impl WriteReport {
    pub fn written(&self) -> usize {
        self.created.len() + self.updated.len()
    }
}

pub struct WriteOptions {
    /// Overwrite documents even when they were edited.
    pub force: bool,
    /// Decide everything, write nothing.
    pub dry_run: bool,
}

/// Writes `files` under `out` and records them in the manifest.
pub fn write_pack(
    out: &Path,
    files: &[RenderedFile],
    config_text: &str,
    options: &WriteOptions,
) -> Result<WriteReport, Error> {
    if out.exists() && !out.is_dir() {
        return Err(Error::OutputNotDir { path: out.to_owned() });
    }
    let previous = Manifest::load(out)?.unwrap_or_default();
    let mut manifest = Manifest {
        generator: concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")).to_owned(),
        config_sha256: sha256_hex(config_text.as_bytes()),
        files: BTreeMap::new(),
    };
    let mut report = WriteReport::default();
    for file in files {
        let target = safe_join(out, &file.path)?;
        let new_hash = sha256_hex(file.text.as_bytes());
        let on_disk = read_if_exists(&target)?;
        match on_disk {
            None => {
                report.created.push(file.path.clone());
                if !options.dry_run {
                    write_atomic(&target, file.text.as_bytes())?;
                }
                manifest.files.insert(file.path.clone(), new_hash);
            }
            Some(current) if current == file.text => {
                report.unchanged.push(file.path.clone());
                manifest.files.insert(file.path.clone(), new_hash);
            }
            Some(current) => {
                let generated_last_time = previous.files.get(&file.path);
                let edited = generated_last_time != Some(&sha256_hex(current.as_bytes()));
                if edited && !options.force {
                    report.kept_edited.push(file.path.clone());
                    // Keep the old base so the edit is still recognised as an edit next time.
                    if let Some(hash) = generated_last_time {
                        manifest.files.insert(file.path.clone(), hash.clone());
                    }
                } else {
                    report.updated.push(file.path.clone());
                    if !options.dry_run {
                        write_atomic(&target, file.text.as_bytes())?;
                    }
                    manifest.files.insert(file.path.clone(), new_hash);
                }
            }
        }
    }
    if !options.dry_run && (report.written() > 0 || manifest != previous) {
        let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        text.push('\n');
        let path = out.join(STATE_DIR).join(MANIFEST);
        if read_if_exists(&path)?.as_deref() != Some(text.as_str()) {
            write_atomic(&path, text.as_bytes())?;
        }
    }
    Ok(report)
}

fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read(path) {
        // Non-UTF-8 content can only be an edit (or damage); treat it as different text.
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read { path: path.to_owned(), source }),
    }
}

/// Joins a `/`-separated relative path to `out`, refusing anything that could land
/// outside it: absolute paths, `..`, and symbolic links on the way.
pub fn safe_join(out: &Path, relative: &str) -> Result<PathBuf, Error> {
    let unsafe_path = || Error::Write {
        path: out.join(relative),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "path would leave the output folder"),
    };
    let mut target = out.to_owned();
    for part in Path::new(relative).components() {
        match part {
            Component::Normal(name) => {
                target.push(name);
                if std::fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(Error::Write {
                        path: target,
                        source: std::io::Error::new(
                            std::io::ErrorKind::InvalidInput,
                            "is a symbolic link; fitsm-pack does not write through links",
                        ),
                    });
                }
            }
            _ => return Err(unsafe_path()),
        }
    }
    if target == out {
        return Err(unsafe_path());
    }
    Ok(target)
}

/// Writes via a temporary file in the same folder and an atomic rename.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let write_error = |source| Error::Write { path: target.to_owned(), source };
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(write_error)?;
    let mut temporary =
        tempfile::Builder::new().prefix(".fitsm-pack-").suffix(".tmp").tempfile_in(folder).map_err(write_error)?;
    temporary.write_all(bytes).map_err(write_error)?;
    temporary.as_file().sync_data().map_err(write_error)?;
    temporary.persist(target).map_err(|error| write_error(error.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> RenderedFile {
        RenderedFile { path: path.into(), text: text.into() }
    }

    const WRITE: WriteOptions = WriteOptions { force: false, dry_run: false };

    #[test]
    fn second_identical_write_touches_nothing() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(|source| Error::Write { path: "tmp".into(), source })?;
        let files = [file("markdown/a.md", "A\n")];
        let first = write_pack(dir.path(), &files, "cfg", &WRITE)?;
        assert_eq!(first.created, ["markdown/a.md"]);
        let second = write_pack(dir.path(), &files, "cfg", &WRITE)?;
        assert_eq!(second.written(), 0);
        assert_eq!(second.unchanged, ["markdown/a.md"]);
        Ok(())
    }

    #[test]
    fn edited_files_are_kept_unless_forced() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(|source| Error::Write { path: "tmp".into(), source })?;
        write_pack(dir.path(), &[file("markdown/a.md", "A\n")], "cfg", &WRITE)?;
        std::fs::write(dir.path().join("markdown/a.md"), "A\nmy edit\n")
            .map_err(|source| Error::Write { path: "a".into(), source })?;
        let report = write_pack(dir.path(), &[file("markdown/a.md", "A2\n")], "cfg2", &WRITE)?;
        assert_eq!(report.kept_edited, ["markdown/a.md"]);
        let kept = std::fs::read_to_string(dir.path().join("markdown/a.md")).unwrap_or_default();
        assert_eq!(kept, "A\nmy edit\n");
        // still recognised as edited on the next run
        let again = write_pack(dir.path(), &[file("markdown/a.md", "A2\n")], "cfg2", &WRITE)?;
        assert_eq!(again.kept_edited, ["markdown/a.md"]);
        let forced = write_pack(
            dir.path(),
            &[file("markdown/a.md", "A2\n")],
            "cfg2",
            &WriteOptions { force: true, dry_run: false },
        )?;
        assert_eq!(forced.updated, ["markdown/a.md"]);
        Ok(())
    }

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
        let Ok(dir) = tempfile::tempdir() else { return };
        let outside = tempfile::tempdir().ok();
        if let Some(outside) = &outside {
            let _ = std::os::unix::fs::symlink(outside.path(), dir.path().join("markdown"));
            assert!(safe_join(dir.path(), "markdown/a.md").is_err());
        }
    }
}
