//! `.fitsm-pack/site-stamps.json`: how the site's files looked when the last finished
//! site build left them, so that a build with nothing to do for the site can tell
//! without compiling a template or reading a page. That was three quarters of a
//! no-op build of 1,000 services.
//!
//! For each Markdown source (pages and pictures) and each generated file other than
//! the pages (index, search, print page, scripts, stylesheet, pictures), the record
//! keeps the file's stamp and its SHA-256. A file still has its stamp if its size,
//! modification time and inode are unchanged; a stamp taken too soon after the file
//! was modified proves nothing ([`Stamp::settled_at`]), and such a file is read and
//! hashed instead. The pages themselves only need to exist, as in a full site build,
//! which renders a page again only when its Markdown changed.
//!
//! The stamps are this machine's (inodes, times), so this file is kept apart from
//! `site.json` and is not part of what a build reproduces: two builds of the same
//! config in two folders have the same `site.json` and different stamps. Losing it
//! costs one slower build.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fs::{Stamp, Stamped};

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub(super) struct SiteStamps {
    /// Everything the site is made from apart from the Markdown files (see
    /// `site_inputs`).
    pub(super) inputs: String,
    /// SHA-256 of the `site.json` written with these stamps: the two belong together.
    pub(super) record_sha256: String,
    /// Path relative to the output folder (`markdown/…`, `html/…`) → how it looked.
    pub(super) files: BTreeMap<String, Seen>,
}

/// One file as the build read or wrote it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(super) struct Seen {
    #[serde(flatten)]
    pub(super) stamped: Stamped,
    pub(super) sha256: String,
}

impl Seen {
    pub(super) fn new(stamp: Stamp, taken: SystemTime, sha256: String) -> Self {
        Seen { stamped: Stamped::new(stamp, taken), sha256 }
    }

    /// Whether the file at `path` (`metadata`: what is there, not following a link)
    /// is still the one seen: proven by its stamp, else by its content.
    fn still(&self, path: &Path, metadata: Option<&std::fs::Metadata>) -> bool {
        let Some(metadata) = metadata.filter(|m| m.is_file()) else { return false };
        if self.stamped.proves(metadata) {
            return true;
        }
        crate::fs::read_bytes_if_exists(path)
            .ok()
            .flatten()
            .is_some_and(|bytes| crate::fs::sha256_hex(&bytes) == self.sha256)
    }
}

impl SiteStamps {
    const FILE: &'static str = "site-stamps.json";

    pub(super) fn load(out: &Path) -> Self {
        crate::pack::load_record(out, Self::FILE).unwrap_or_default()
    }

    pub(super) fn save(&self, out: &Path) -> Result<(), Error> {
        crate::pack::save_cache(out, Self::FILE, self)
    }

    /// Forgets the stamps before a site build changes anything they vouch for: a build
    /// killed half-way must not leave them behind.
    pub(super) fn clear(out: &Path) -> Result<(), Error> {
        crate::fs::remove_if_exists(&crate::fs::safe_join(out, &format!("{}/{}", crate::pack::STATE_DIR, Self::FILE))?)
    }

    /// Whether the site in `out` is exactly as these stamps left it, made from
    /// `inputs`: `site.json` is the one written with them (`record`, its text),
    /// `sources` (every Markdown page and picture the listing found, relative to the
    /// output folder) are the ones seen, none more, none fewer, every other generated
    /// file is as written and every page in `pages` (paths under `html/`) exists.
    pub(super) fn vouch_for<'p>(
        &self,
        out: &Path,
        (inputs, record): (&str, &str),
        sources: &[String],
        pages: impl IntoIterator<Item = &'p String>,
    ) -> bool {
        let seen_sources = self.files.keys().filter(|path| path.starts_with("markdown/")).count();
        let mut join = crate::fs::SafeJoin::new(out);
        !self.inputs.is_empty()
            && self.inputs == inputs
            && self.record_sha256 == crate::fs::sha256_hex(record.as_bytes())
            && seen_sources == sources.len()
            && sources.iter().all(|path| self.files.contains_key(path))
            && self
                .files
                .iter()
                .all(|(path, seen)| join.join(path).is_ok_and(|(path, metadata)| seen.still(&path, metadata.as_ref())))
            && pages.into_iter().all(|page| {
                join.join(&format!("html/{page}")).is_ok_and(|(_, metadata)| metadata.is_some_and(|m| m.is_file()))
            })
    }
}
