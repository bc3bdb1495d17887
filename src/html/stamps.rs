//! `.fitsm-pack/site-stamps.json`: how the site's files looked when the last finished
//! site build left them, so that a build with nothing to do for the site can tell
//! without compiling a template or reading a page. That was three quarters of a
//! no-op build of 1,000 services.
//!
//! For each Markdown source (pages and pictures) the record keeps the file's stamp
//! (size, modification time, inode), when it was taken, and the file's SHA-256. A
//! stamp taken too soon after the file was modified proves nothing
//! ([`Stamp::settled_at`]): a save in the same clock tick keeps it. Such a source is
//! read and hashed instead, so an edit always reaches the site.
//!
//! For each file the site generated the record keeps its stamp only, and a file that
//! shows it counts as the one written. Nobody edits those files; one edited by hand
//! is made again when its stamp changes, as a full site build would (which makes a
//! page again only when its Markdown changed, whatever is in the page), and an edit
//! that keeps the stamp would stay until the page is next made. Treating them as
//! sources would mean hashing the search index and the print page (100 MB at 10,000
//! services) on every build that follows the one that wrote them.
//!
//! The stamps are this machine's (inodes, times), so this file is kept apart from
//! `site.json` and is not part of what a build reproduces: two builds of the same
//! config in two folders have the same `site.json` and different stamps. Losing it
//! costs one slower build.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fs::{SafeJoin, Stamp, Stamped};

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
pub(super) struct SiteStamps {
    /// Everything the site is made from apart from the Markdown files (see
    /// `site_inputs`).
    pub(super) inputs: String,
    /// SHA-256 of the `site.json` written with these stamps: the two belong together.
    pub(super) record_sha256: String,
    /// Path relative to the output folder (`markdown/…`) → how it looked when read.
    pub(super) sources: BTreeMap<String, Seen>,
    /// Path relative to the output folder (`html/…`) → the file as written.
    pub(super) generated: BTreeMap<String, Stamp>,
}

/// One source as the build read it.
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

    /// The record of a finished site build: `sources` as they were read, looked at
    /// again now (a source the stamp of which changed since is left out: it proves
    /// nothing), and the stamps of the `generated` files (paths under `html/`).
    pub(super) fn taken_now<'g>(
        out: &Path,
        (inputs, record_sha256): (String, String),
        mut sources: BTreeMap<String, Seen>,
        generated: impl IntoIterator<Item = &'g String>,
    ) -> Self {
        // Looked at again at the end, the sources written just before the site step
        // are mostly old enough for their stamps to prove something next time. A
        // stamp that was too young when the source was read proves nothing about
        // what was read, so such a source is read again to be stamped now.
        let taken = SystemTime::now();
        let mut join = SafeJoin::new(out);
        sources.retain(|path, seen| {
            let Some((path, Some(metadata))) = join.join(path).ok() else { return false };
            let now = Stamped::new(Stamp::of(&metadata), taken);
            if now.stamp != seen.stamped.stamp {
                return false;
            }
            let proven_when_read = seen.stamped.proves(&metadata);
            let still = || crate::fs::read_bytes_if_exists(&path).ok().flatten().map(|b| crate::fs::sha256_hex(&b));
            if proven_when_read || (now.proves(&metadata) && still().as_ref() == Some(&seen.sha256)) {
                seen.stamped = now;
            }
            true
        });
        let generated = generated
            .into_iter()
            .filter_map(|path| {
                let relative = format!("html/{path}");
                let metadata = join.join(&relative).ok()?.1?;
                Some((relative, Stamp::of(&metadata)))
            })
            .collect();
        SiteStamps { inputs, record_sha256, sources, generated }
    }

    /// Whether the site in `out` is exactly as these stamps left it, made from
    /// `inputs`: `site.json` is the one written with them (`record`, its text),
    /// `sources` (every Markdown page and picture the listing found, relative to the
    /// output folder) are the ones seen, none more, none fewer, and every generated
    /// file is as written.
    pub(super) fn vouch_for(&self, out: &Path, (inputs, record): (&str, &str), sources: &[String]) -> bool {
        // A stat per file, tens of thousands in a large pack: spread over the threads,
        // each with its own record of the folders it has checked.
        let join = || SafeJoin::new(out);
        !self.inputs.is_empty()
            && self.inputs == inputs
            && self.record_sha256 == crate::fs::sha256_hex(record.as_bytes())
            && self.sources.len() == sources.len()
            && sources.iter().all(|path| self.sources.contains_key(path))
            && self
                .sources
                .par_iter()
                .map_init(join, |join, (path, seen)| {
                    join.join(path).is_ok_and(|(path, metadata)| seen.still(&path, metadata.as_ref()))
                })
                .all(|still| still)
            && self
                .generated
                .par_iter()
                .map_init(join, |join, (path, stamp)| {
                    join.join(path).is_ok_and(|(_, metadata)| metadata.is_some_and(|m| Stamp::of(&m) == *stamp))
                })
                .all(|same| same)
    }
}
