//! fitsm-pack's own state in `<out>/.fitsm-pack/`:
//!
//! - `manifest.json`: generator version, hash of the config, and for every generated
//!   file the SHA-256 of what was generated. Written last in a build, so a build that
//!   dies half-way leaves the previous manifest, and the next build repairs the pack.
//! - `base/<path>`: the text generated last time for each file; the base of the 3-way
//!   merge that keeps people's edits.
//! - `backup/<timestamp>/<path>`: edited files saved before `--force` overwrote them.
//! - `lock`: held while a build writes (see `lock`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fs::{read_if_exists, remove_if_exists, safe_join, write_atomic};
use crate::error::Error;

/// Folder inside the output folder that holds fitsm-pack's own state.
pub const STATE_DIR: &str = ".fitsm-pack";
const MANIFEST: &str = "manifest.json";
const MANIFEST_FORMAT: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub generator: String,
    pub config_sha256: String,
    /// Hash of everything rendering depends on (config, templates, generator version).
    #[serde(default)]
    pub inputs_sha256: String,
    /// The build that wrote this manifest left nothing for a person to look at (no
    /// conflict, orphan or unknown file), so an identical rebuild may be skipped.
    #[serde(default)]
    pub settled: bool,
    /// What the pack is, so that `zip` can name and date the bundle from the output
    /// folder alone.
    #[serde(default)]
    pub pack: PackInfo,
    /// Path (relative to the output folder) → SHA-256 of the generated text.
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackInfo {
    pub organisation: String,
    /// Short name, or the name when there is none.
    pub short_name: String,
    pub version: String,
    /// `YYYY-MM-DD`, when the config gives one.
    pub effective_date: Option<String>,
}

impl Manifest {
    pub fn new(config_text: &str, pack: PackInfo) -> Self {
        Manifest {
            format: MANIFEST_FORMAT,
            generator: concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")).to_owned(),
            config_sha256: sha256_hex(config_text.as_bytes()),
            inputs_sha256: String::new(),
            settled: false,
            pack,
            files: BTreeMap::new(),
        }
    }

    /// The manifest of the last build; `None` if there was none or it is unreadable
    /// (then every existing file is treated as possibly edited, never overwritten).
    pub fn load(out: &Path) -> Result<Option<Manifest>, Error> {
        let path = state_path(out, MANIFEST);
        Ok(read_if_exists(&path)?.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Writes the manifest if it differs from what is on disk.
    pub fn save(&self, out: &Path) -> Result<bool, Error> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        let path = state_path(out, MANIFEST);
        if read_if_exists(&path)?.as_deref() == Some(text.as_str()) {
            return Ok(false);
        }
        write_atomic(&path, text.as_bytes())?;
        Ok(true)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn state_path(out: &Path, name: &str) -> PathBuf {
    out.join(STATE_DIR).join(name)
}

/// The base copy of one generated file.
pub(super) struct Bases<'a> {
    out: &'a Path,
}

impl<'a> Bases<'a> {
    pub(super) fn new(out: &'a Path) -> Self {
        Bases { out }
    }

    fn path(&self, relative: &str) -> Result<PathBuf, Error> {
        safe_join(&self.out.join(STATE_DIR).join("base"), relative)
    }

    /// The base text, if it exists and matches the hash the manifest recorded (a base
    /// that does not match is not trusted for merging).
    pub(super) fn get(&self, relative: &str, expected_hash: &str) -> Result<Option<String>, Error> {
        Ok(read_if_exists(&self.path(relative)?)?.filter(|text| sha256_hex(text.as_bytes()) == expected_hash))
    }

    pub(super) fn put(&self, relative: &str, text: &str) -> Result<(), Error> {
        let path = self.path(relative)?;
        if read_if_exists(&path)?.as_deref() != Some(text) {
            write_atomic(&path, text.as_bytes())?;
        }
        Ok(())
    }

    pub(super) fn remove(&self, relative: &str) -> Result<(), Error> {
        remove_if_exists(&self.path(relative)?)
    }
}

/// The folder one `--force` build saves edited files to.
pub(super) fn backup_dir(out: &Path, stamp: &str) -> PathBuf {
    out.join(STATE_DIR).join("backup").join(stamp)
}

/// Saves a copy of an edited file under `backup/<stamp>/`.
pub(super) fn backup(out: &Path, stamp: &str, relative: &str, text: &str) -> Result<(), Error> {
    write_atomic(&safe_join(&backup_dir(out, stamp), relative)?, text.as_bytes())
}
