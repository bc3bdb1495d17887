//! The pack as it lies in the output folder: its layout, what ships from it, and how to
//! read what people left in it.
//!
//! Everything after rendering works on the pack on disk (the site, Word export, the zip
//! and `check` all read the documents *as people edited them*), so the names of its
//! parts and the rules for walking it live here, below all of them: each reads the
//! same files the same way, and none has to import another to do so.

pub mod attribution;
pub mod conflict;
pub mod paths;
pub mod shipped;

use std::path::Path;

use crate::error::Error;
use crate::fs::read_if_exists;

/// The editable documents.
pub const MARKDOWN_DIR: &str = "markdown";
/// Folder inside the output folder that holds fitsm-pack's own state.
pub const STATE_DIR: &str = ".fitsm-pack";

/// The folders and files directly below the output folder that a build writes into.
/// Each is refused up front when it is a symbolic link (see [`refuse_links`]).
pub const WRITTEN_TOP_LEVEL: &[&str] =
    &[MARKDOWN_DIR, "html", "docx", STATE_DIR, "licenses", shipped::ATTRIBUTION_FILE];

/// Refuses a build into an output folder where any folder or file the build writes
/// into is a symbolic link. Checked before anything is read or written, so the answer
/// is the same whether or not the config changed, and a link is never half-followed.
pub fn refuse_links(out: &Path) -> Result<(), Error> {
    for name in WRITTEN_TOP_LEVEL {
        let path = out.join(name);
        if crate::fs::is_symlink(&path) {
            return Err(Error::Symlink { path });
        }
    }
    // Every record in the state folder is written by some step, the last ones after
    // the documents: a link among them is refused now, not half-way through a build.
    let Ok(records) = std::fs::read_dir(out.join(STATE_DIR)) else { return Ok(()) };
    for entry in records.filter_map(Result::ok) {
        if entry.file_type().is_ok_and(|kind| kind.is_symlink()) {
            return Err(Error::Symlink { path: entry.path() });
        }
    }
    Ok(())
}

/// A JSON record of fitsm-pack's in `.fitsm-pack/` (manifest, journal, the site's and
/// the Word step's lists of what they made). `None` when it is absent or unreadable:
/// a record is never worth stopping a build for, and every reader treats "no record"
/// as the safe case (nothing is known to be ours, so nothing is deleted or trusted).
pub fn load_record<T: serde::de::DeserializeOwned>(out: &Path, name: &str) -> Option<T> {
    load_record_text(out, name).and_then(|text| serde_json::from_str(&text).ok())
}

/// The text of a record (see [`load_record`]), as it is on disk.
pub fn load_record_text(out: &Path, name: &str) -> Option<String> {
    let path = crate::fs::safe_join(out, &format!("{STATE_DIR}/{name}")).ok()?;
    read_if_exists(&path).ok().flatten()
}

/// Writes a record (see [`load_record`]) if it changed. True if it wrote.
pub fn save_record(out: &Path, name: &str, value: &impl serde::Serialize) -> Result<bool, Error> {
    save_record_text(out, name, &record_text(value))
}

/// [`save_record`] of a text made by [`record_text`].
pub fn save_record_text(out: &Path, name: &str, text: &str) -> Result<bool, Error> {
    crate::fs::write_if_changed(&crate::fs::safe_join(out, &format!("{STATE_DIR}/{name}"))?, text.as_bytes())
}

/// Writes a cache (a record only fitsm-pack reads, of a size that grows with the
/// pack) as compact JSON.
pub fn save_cache(out: &Path, name: &str, value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_vec(value).unwrap_or_default();
    crate::fs::write_atomic(&crate::fs::safe_join(out, &format!("{STATE_DIR}/{name}"))?, &text)
}

/// The text [`save_record`] writes for `value`.
pub fn record_text(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Every Markdown document under `out/markdown` that ships, as (path relative to
/// `out`, text).
pub fn documents_on_disk(out: &Path) -> Result<Vec<(String, String)>, Error> {
    let mut found = Vec::new();
    for relative in shipped::walk(out, MARKDOWN_DIR)?.files.into_iter().filter(|path| shipped::is_document(path)) {
        if let Some(text) = read_if_exists(&out.join(&relative))? {
            found.push((relative, text));
        }
    }
    Ok(found)
}
