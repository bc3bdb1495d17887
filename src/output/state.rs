//! fitsm-pack's own state in `<out>/.fitsm-pack/`:
//!
//! - `manifest.json`: generator version, hashes of the inputs, and for every generated
//!   file the SHA-256 of what was generated for it (its merge base).
//! - `renders.json`: what each generated file's rendering read ([`Renders`]), for
//!   `render::reuse`.
//! - `bases/<hh>/<sha256>`: the generated texts, stored by their hash. Content
//!   addressing is what makes a killed build harmless: a new base never overwrites the
//!   one the manifest still points to, so the manifest and the store agree after any
//!   prefix of a build. Format 1 kept one `base/<path>` per document; those are still
//!   read, moved into the store, and removed once a format-2 manifest is written.
//! - `journal.json`: written before a build replaces any document, removed after the
//!   manifest. It says, per file, what the build is about to write and which base that
//!   write belongs to, so that the next build, finding it, can tell a file the killed
//!   build wrote (base: the new rendering) from one it had not reached yet (base: the
//!   old one) — without it, every file written between the crash and the manifest
//!   looks edited and the merge would stall on it.
//! - `staging/<n>`: the texts a build will write, while it decides the rest (see
//!   `staging`); gone once the manifest is written.
//! - `backup/<timestamp>[-n]/<path>`: edited files saved before `--force` overwrote them;
//!   never reused, so two forced builds in one second keep both copies.
//! - `lock`: held while a build writes (see `lock`).
//!
//! The site keeps its own records beside these (`html::record`, `html::stamps`), and
//! `check` its notes of what each file said (`notes`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fs::{Stamp, read_if_exists, remove_if_exists, safe_join, sha256_hex, write_atomic};
use crate::pack::{STATE_DIR, load_record, save_cache, save_record};
use crate::render::reuse::RenderInputs;
const MANIFEST: &str = "manifest.json";
const RENDERS: &str = "renders.json";
const JOURNAL: &str = "journal.json";
const BASES: &str = "bases";
/// Where format 1 kept its bases, one file per document path.
const LEGACY_BASES: &str = "base";
const MANIFEST_FORMAT: u32 = 2;

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
    /// The attribution wording the pack was built with (Markdown), for the zip's README.
    #[serde(default)]
    pub attribution: String,
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

    /// The manifest of the last finished build, as written; `None` if there was none or
    /// it is unreadable (then every existing file is treated as possibly edited, never
    /// overwritten). Builds use [`State::load`], which also replays a journal.
    pub fn load(out: &Path) -> Result<Option<Manifest>, Error> {
        Ok(load_record(out, MANIFEST))
    }

    /// Writes the manifest if it differs from what is on disk.
    pub fn save(&self, out: &Path) -> Result<bool, Error> {
        save_record(out, MANIFEST, self)
    }
}

/// `renders.json`: path → what the rendering of a generated file read
/// (`render::reuse`), with the hash of the text it generated. The next build takes
/// the text from the base store instead of rendering it when the document would
/// render the same. It is kept apart from the manifest because it is most of what a
/// build records (at 10,000 services 19 of 22 MB, the links each document looked
/// up) and only a build that renders needs it: a no-op build and `check` read the
/// manifest alone. An entry counts only while the manifest still gives its path the
/// text it generated, so this record may be written before the manifest, and one
/// that is lost or damaged costs a full rendering, nothing else.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Renders {
    files: BTreeMap<String, Rendered>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Rendered {
    /// SHA-256 of the text the rendering generated (its base).
    generated: String,
    #[serde(flatten)]
    inputs: RenderInputs,
}

impl Renders {
    /// The record in `out`; an empty one if there is none or it cannot be read.
    pub(super) fn load(out: &Path) -> Renders {
        load_record(out, RENDERS).unwrap_or_default()
    }

    pub(super) fn save(&self, out: &Path) -> Result<(), Error> {
        save_cache(out, RENDERS, self)
    }

    /// Notes what the rendering that generated `generated` (a hash) for `path` read.
    pub(super) fn insert(&mut self, path: String, generated: String, inputs: RenderInputs) {
        self.files.insert(path, Rendered { generated, inputs });
    }

    /// What the rendering of `path` read, if `manifest` still gives `path` the text
    /// that rendering generated.
    pub(super) fn of<'r>(&'r self, path: &str, manifest: &Manifest) -> Option<&'r RenderInputs> {
        let rendered = self.files.get(path)?;
        (manifest.files.get(path) == Some(&rendered.generated)).then_some(&rendered.inputs)
    }
}

/// What a build needs to know about the previous one.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The manifest of the last build, corrected by its journal if it was interrupted.
    pub manifest: Option<Manifest>,
    /// The last build was interrupted while writing documents.
    pub interrupted: bool,
    /// The manifest and journal files as they were when read.
    seen: [Option<Stamp>; 2],
}

impl State {
    pub fn load(out: &Path) -> Result<State, Error> {
        // Stamped before they are read: a write in between shows as a change.
        let seen = Self::stamps(out)?;
        let mut manifest = Manifest::load(out)?;
        let Some(journal) = Journal::load(out)? else {
            return Ok(State { manifest, interrupted: false, seen });
        };
        let files = &mut manifest.get_or_insert_with(Manifest::default).files;
        for (path, entry) in journal.files {
            let Ok(target) = safe_join(out, &path) else { continue };
            // Raw bytes: this is only "is it exactly what the killed build wrote?".
            if std::fs::read(&target).is_ok_and(|bytes| sha256_hex(&bytes) == entry.written) {
                files.insert(path, entry.base);
            }
        }
        Ok(State { manifest, interrupted: true, seen })
    }

    /// This state if no build has recorded anything since it was read, else the state
    /// read again. A build reads the state before it takes the lock (to know whether
    /// there is anything to do), and another build may have finished meanwhile.
    pub fn reloaded_if_changed(self, out: &Path) -> Result<State, Error> {
        if Self::stamps(out)? == self.seen { Ok(self) } else { State::load(out) }
    }

    fn stamps(out: &Path) -> Result<[Option<Stamp>; 2], Error> {
        Ok([Stamp::now(&state_path(out, MANIFEST)?), Stamp::now(&state_path(out, JOURNAL)?)])
    }
}

/// One write a build is about to make.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct JournalEntry {
    /// The base the file has once the write is done.
    pub(super) base: String,
    /// SHA-256 of the bytes written.
    pub(super) written: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(super) struct Journal {
    pub(super) files: BTreeMap<String, JournalEntry>,
}

impl Journal {
    fn load(out: &Path) -> Result<Option<Journal>, Error> {
        let path = state_path(out, JOURNAL)?;
        // An unreadable journal is one the killed build was still writing: it wrote
        // no document yet (the journal comes first), so there is nothing to replay.
        Ok(read_if_exists(&path)?.map(|text| serde_json::from_str(&text).unwrap_or_default()))
    }

    pub(super) fn save(&self, out: &Path) -> Result<(), Error> {
        save_record(out, JOURNAL, self).map(|_| ())
    }

    pub(super) fn remove(out: &Path) -> Result<(), Error> {
        remove_if_exists(&state_path(out, JOURNAL)?)
    }
}

fn state_path(out: &Path, name: &str) -> Result<PathBuf, Error> {
    safe_join(out, &format!("{STATE_DIR}/{name}"))
}

/// The store of merge bases, addressed by the SHA-256 of their text.
pub(super) struct Bases<'a> {
    out: &'a Path,
}

impl<'a> Bases<'a> {
    pub(super) fn new(out: &'a Path) -> Self {
        Bases { out }
    }

    pub(super) fn object(&self, hash: &str) -> Result<PathBuf, Error> {
        let prefix = hash.get(..2).unwrap_or("00");
        safe_join(self.out, &format!("{STATE_DIR}/{BASES}/{prefix}/{hash}"))
    }

    fn legacy(&self, relative: &str) -> Result<PathBuf, Error> {
        safe_join(self.out, &format!("{STATE_DIR}/{LEGACY_BASES}/{relative}"))
    }

    /// The base text with this hash. `relative` finds a base that format 1 stored by
    /// path. A text that does not match its hash is not trusted for merging.
    pub(super) fn get(&self, relative: &str, hash: &str) -> Result<Option<String>, Error> {
        let matches = |text: &String| sha256_hex(text.as_bytes()) == hash;
        if let Some(text) = read_if_exists(&self.object(hash)?)?.filter(matches) {
            return Ok(Some(text));
        }
        Ok(read_if_exists(&self.legacy(relative)?)?.filter(matches))
    }

    /// Stores a base; a base that is already stored is not written again. Returns its
    /// hash, and whether it was new to the store.
    pub(super) fn put(&self, text: &str) -> Result<(String, bool), Error> {
        self.put_hashed(text, sha256_hex(text.as_bytes()))
    }

    /// [`Bases::put`] for a text whose hash the caller has already computed.
    pub(super) fn put_hashed(&self, text: &str, hash: String) -> Result<(String, bool), Error> {
        let path = self.object(&hash)?;
        if path.is_file() {
            return Ok((hash, false));
        }
        write_atomic(&path, text.as_bytes())?;
        Ok((hash, true))
    }

    /// Makes sure the base a kept file still refers to is in the store (it may be a
    /// format-1 base that is about to be removed).
    pub(super) fn keep(&self, relative: &str, hash: &str) -> Result<(), Error> {
        if self.object(hash)?.is_file() {
            return Ok(());
        }
        if let Some(text) = self.get(relative, hash)? {
            self.put(&text)?;
        }
        Ok(())
    }

    /// Removes every stored base the manifest does not refer to, and format 1's folder.
    /// `candidates` are the hashes that may have become unreferenced; `sweep` looks at
    /// the whole store instead (after an interrupted build, which may have stored bases
    /// it never recorded).
    pub(super) fn collect_garbage(
        &self,
        referenced: &BTreeSet<&str>,
        candidates: &BTreeSet<String>,
        sweep: bool,
    ) -> Result<(), Error> {
        let legacy = safe_join(self.out, &format!("{STATE_DIR}/{LEGACY_BASES}"))?;
        if legacy.is_dir() {
            std::fs::remove_dir_all(&legacy).map_err(|source| Error::Write { path: legacy.clone(), source })?;
        }
        let mut unreferenced: Vec<String> =
            candidates.iter().filter(|hash| !referenced.contains(hash.as_str())).cloned().collect();
        if sweep {
            let store = safe_join(self.out, &format!("{STATE_DIR}/{BASES}"))?;
            for entry in walkdir::WalkDir::new(&store).follow_links(false).into_iter().filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_file() && !referenced.contains(name.as_ref()) {
                    unreferenced.push(name.into_owned());
                }
            }
        }
        for hash in unreferenced {
            remove_if_exists(&self.object(&hash)?)?;
        }
        Ok(())
    }
}

/// The folder one `--force` build saves edited files to: made on first use, and never
/// one an earlier build used.
pub(super) struct Backup<'a> {
    out: &'a Path,
    folder: Option<PathBuf>,
}

impl<'a> Backup<'a> {
    pub(super) fn new(out: &'a Path) -> Self {
        Backup { out, folder: None }
    }

    /// Saves a copy of an edited file under the build's backup folder.
    pub(super) fn save(&mut self, relative: &str, text: &str) -> Result<(), Error> {
        let folder = match &self.folder {
            Some(folder) => folder.clone(),
            None => {
                let folder = self.claim_folder()?;
                self.folder = Some(folder.clone());
                folder
            }
        };
        write_atomic(&safe_join(&folder, relative)?, text.as_bytes())
    }

    pub(super) fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// `backup/<UTC stamp>`, or `<stamp>-2`, `-3`… if an earlier build used it:
    /// `create_dir` either makes the folder or fails, so no two builds share one.
    fn claim_folder(&self) -> Result<PathBuf, Error> {
        let root = safe_join(self.out, &format!("{STATE_DIR}/backup"))?;
        std::fs::create_dir_all(&root).map_err(|source| Error::Write { path: root.clone(), source })?;
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
        let mut attempt = 1;
        loop {
            let name = if attempt == 1 { stamp.clone() } else { format!("{stamp}-{attempt}") };
            let folder = root.join(name);
            match std::fs::create_dir(&folder) {
                Ok(()) => return Ok(folder),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => attempt += 1,
                Err(source) => return Err(Error::Write { path: folder, source }),
            }
        }
    }
}
