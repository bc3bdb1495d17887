//! `.fitsm-pack/site.json`, the site's record of what it made: only files listed there
//! are ever deleted, and the list is saved before new files are written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::{INDEX_PAGE, STYLESHEET_PATH};
use crate::error::Error;

/// `.fitsm-pack/site.json`: the shared signature and the Markdown hash of every page
/// as of the last site build, and every file the site has generated (the only files it
/// may ever delete).
#[derive(Debug, Default, Serialize, serde::Deserialize, PartialEq)]
pub(super) struct SiteCache {
    pub(super) signature: String,
    pub(super) pages: BTreeMap<String, String>,
    /// Paths under `html/` of every generated file. Absent in records written before
    /// fitsm-pack kept it (see `generated_files`).
    #[serde(default)]
    pub(super) files: BTreeSet<String>,
}

impl SiteCache {
    const FILE: &'static str = "site.json";

    /// The record, with its text as read (empty if there is none).
    pub(super) fn load(out: &Path) -> (Self, String) {
        let text = crate::pack::load_record_text(out, Self::FILE).unwrap_or_default();
        (serde_json::from_str(&text).unwrap_or_default(), text)
    }

    /// Saves the record; returns the SHA-256 of its text.
    pub(super) fn save(&self, out: &Path) -> Result<String, Error> {
        let text = crate::pack::record_text(self);
        crate::pack::save_record_text(out, Self::FILE, &text)?;
        Ok(crate::fs::sha256_hex(text.as_bytes()))
    }

    /// The files this record vouches for as generated. A record from before the file
    /// list was kept names only pages; the site always wrote the index, the stylesheet
    /// and a copy of each picture too, so those count as generated then.
    pub(super) fn generated_files(&self, assets: &[(String, Vec<u8>)]) -> BTreeSet<String> {
        let mut files = self.files.clone();
        files.extend(self.pages.keys().cloned());
        if self.files.is_empty() && !self.pages.is_empty() {
            files.extend([INDEX_PAGE.to_owned(), STYLESHEET_PATH.to_owned()]);
            files.extend(assets.iter().map(|(path, _)| path.clone()));
        }
        files
    }
}
