//! The approval records of a pack: `.fitsm-pack/approvals.json` in the output folder.
//!
//! `approve` is the only writer; every build reads it. A record says who approved
//! which version of a document on which date, and the hash of the content they
//! approved. The file sits with the pack's other state because an approval is about
//! the documents in this folder; `--force` and every rebuild leave it alone, which is
//! what makes approvals survive them. A file that cannot be read is an error, never
//! an empty list: losing an approval silently would un-approve documents.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fs::{read_if_exists, safe_join, write_atomic};
use crate::pack::STATE_DIR;

const FILE: &str = "approvals.json";

/// One approval of one version of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The document id, e.g. `SLA-HPC`.
    pub document: String,
    /// The version this approval made: `1.0`, `2.0` …
    pub version: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Person id and name of the approver.
    pub by: String,
    pub by_name: String,
    /// What changed, if the approver said (`approve --note`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// SHA-256 of the content approved (see [`super::content_hash`]).
    pub content_sha256: String,
}

/// Every approval of the pack, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approvals {
    pub approvals: Vec<Approval>,
}

impl Approvals {
    pub fn load(out: &Path) -> Result<Approvals, Error> {
        let path = safe_join(out, &format!("{STATE_DIR}/{FILE}"))?;
        let Some(text) = read_if_exists(&path)? else { return Ok(Approvals::default()) };
        serde_json::from_str(&text).map_err(|error| Error::Read {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("not a valid approvals file: {error}"),
            ),
        })
    }

    pub fn save(&self, out: &Path) -> Result<(), Error> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        write_atomic(&safe_join(out, &format!("{STATE_DIR}/{FILE}"))?, text.as_bytes())
    }

    /// The approvals of one document, oldest first.
    pub fn of<'a>(&'a self, document: &'a str) -> impl Iterator<Item = &'a Approval> + 'a {
        self.approvals.iter().filter(move |a| a.document == document)
    }

    /// The text of the store, for the hash of the build's inputs.
    pub fn fingerprint(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
