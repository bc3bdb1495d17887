//! `templates eject`: copy built-in templates into a folder for editing, and remember
//! which version was copied.
//!
//! The record (`.fitsm-pack-ejected.toml` in that folder) holds the SHA-256 of each
//! built-in template at the time it was ejected. When a later fitsm-pack ships a
//! changed built-in, `build` warns that the override may be missing an improvement,
//! instead of silently keeping the old text for ever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Origin, TemplateSet};
use crate::error::Error;
use crate::fs::{read_if_exists, sha256_hex, write_atomic};

/// File in the overlay folder that records what was ejected.
pub const RECORD: &str = ".fitsm-pack-ejected.toml";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Record {
    #[serde(default)]
    ejected: BTreeMap<String, Ejected>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Ejected {
    sha256: String,
    version: String,
}

/// Files that are part of the template set but not templates (the requirement
/// catalogue is data fitsm-pack relies on, not something to restyle).
const NOT_EJECTABLE: &[&str] = &["requirements.toml"];

/// Copies the built-in templates named by `selection` (document keys, document ids or
/// template paths; all of them when empty) into `dir`. Existing files are never
/// overwritten. Returns the files written.
pub fn eject(dir: &Path, selection: &[String]) -> Result<Vec<PathBuf>, Error> {
    let builtin = TemplateSet::builtin();
    let documents = builtin.documents()?;
    let mut names: Vec<String> = Vec::new();
    if selection.is_empty() {
        names.extend(builtin.files().map(|f| f.name.clone()).filter(|n| !NOT_EJECTABLE.contains(&n.as_str())));
    } else {
        for wanted in selection {
            let by_document = documents.iter().find(|d| {
                d.declaration.key.eq_ignore_ascii_case(wanted) || d.declaration.id.eq_ignore_ascii_case(wanted)
            });
            let name = match by_document {
                Some(document) => document.name.clone(),
                None if builtin.get(wanted).is_some() && !NOT_EJECTABLE.contains(&wanted.as_str()) => wanted.clone(),
                None => {
                    let keys = documents.iter().map(|d| d.declaration.key.as_str());
                    let suggestion = crate::diagnostic::did_you_mean(wanted, keys).map(str::to_owned);
                    return Err(Error::UnknownTemplate { name: wanted.clone(), suggestion });
                }
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let existing: Vec<String> = names.iter().filter(|n| dir.join(n).exists()).cloned().collect();
    if !existing.is_empty() {
        return Err(Error::EjectWouldOverwrite { dir: dir.to_owned(), existing });
    }
    let record_path = dir.join(RECORD);
    let mut record: Record =
        read_if_exists(&record_path)?.and_then(|text| toml::from_str(&text).ok()).unwrap_or_default();
    let mut written = Vec::new();
    for name in &names {
        let Some(file) = builtin.get(name) else { continue };
        let target = crate::fs::safe_join(dir, name)?;
        write_atomic(&target, file.text.as_bytes())?;
        record.ejected.insert(
            name.clone(),
            Ejected { sha256: sha256_hex(file.text.as_bytes()), version: env!("CARGO_PKG_VERSION").to_owned() },
        );
        written.push(target);
    }
    let text = format!(
        "# Written by `fitsm-pack templates eject`: the built-in version of each template you copied.\n\
         # fitsm-pack compares it with its own templates to tell you when one of them improved.\n{}",
        toml::to_string(&record).unwrap_or_default()
    );
    write_atomic(&record_path, text.as_bytes())?;
    Ok(written)
}

/// Overridden templates whose built-in version changed since they were ejected.
pub fn outdated_overrides(set: &TemplateSet, dir: &Path) -> Vec<String> {
    let record: Record = read_if_exists(&dir.join(RECORD))
        .ok()
        .flatten()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default();
    let builtin = TemplateSet::builtin();
    set.files()
        .filter(|file| matches!(file.origin, Origin::Overlay(_)))
        .filter_map(|file| {
            let ejected = record.ejected.get(&file.name)?;
            let current = builtin.get(&file.name)?;
            (sha256_hex(current.text.as_bytes()) != ejected.sha256).then(|| {
                format!(
                    "the built-in template {} changed since you ejected it (fitsm-pack {}); your copy in {} may be \
                     missing improvements: eject it into an empty folder and compare",
                    file.name,
                    ejected.version,
                    dir.display()
                )
            })
        })
        .collect()
}
