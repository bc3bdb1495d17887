//! Evidence kept as files: every file below an `evidence/` folder beside the config
//! whose path names FitSM requirement ids (`evidence/GR1.3-management-review-2026.pdf`,
//! `evidence/PR9.1/ticket-sample.csv`) is a record for those requirements, exactly as
//! if it were listed in `[[evidence]]`. People then keep records where they belong,
//! next to the config, and the compliance matrix finds them without a config edit.
//!
//! The folder is read, never written; links are not followed, and a name that is not
//! UTF-8 or names no requirement is left out (it cannot be traced to anything).

use std::path::Path;

use toml::Spanned;

use super::model::Evidence;
use crate::catalogue::Catalogue;
use crate::error::Error;

/// The folder's name, beside the config file.
pub const FOLDER: &str = "evidence";

/// The records found below `base/evidence`, sorted by path (so a build does not depend
/// on the order the file system lists them in).
pub fn from_folder(base: &Path, catalogue: &Catalogue) -> Result<Vec<Evidence>, Error> {
    let root = base.join(FOLDER);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|error| {
            let path = error.path().map_or_else(|| root.clone(), Path::to_owned);
            Error::Read { path, source: error.into() }
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(relative) = entry.path().strip_prefix(&root).ok().and_then(Path::to_str) else { continue };
        let relative = relative.replace('\\', "/");
        let ids: Vec<String> =
            requirement_ids(&relative).into_iter().filter(|id| catalogue.requirement(id).is_some()).collect();
        if ids.is_empty() {
            continue;
        }
        let name = relative.rsplit('/').next().unwrap_or(&relative).to_owned();
        found.push(Evidence {
            requirements: ids.into_iter().map(|id| Spanned::new(0..0, id)).collect(),
            description: name,
            date: None,
            location: Some(format!("{FOLDER}/{relative}")),
        });
    }
    Ok(found)
}

/// The requirement ids a path names, in order, each once: `GR1.3`, `pr9.1` (any case).
fn requirement_ids(path: &str) -> Vec<String> {
    let bytes = path.as_bytes();
    let mut ids: Vec<String> = Vec::new();
    let mut at = 0;
    while at + 2 < bytes.len() {
        let prefix = [bytes[at].to_ascii_uppercase(), bytes[at + 1].to_ascii_uppercase()];
        let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if starts_word && (prefix == *b"GR" || prefix == *b"PR") {
            let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
            let major = digits(at + 2);
            let dot = at + 2 + major;
            if major > 0 && bytes.get(dot) == Some(&b'.') {
                let minor = digits(dot + 1);
                let end = dot + 1 + minor;
                if minor > 0 && !bytes.get(end).is_some_and(u8::is_ascii_digit) {
                    let id = format!("{}{}", String::from_utf8_lossy(&prefix), &path[at + 2..end]);
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                    at = end;
                    continue;
                }
            }
        }
        at += 1;
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_file_and_folder_names() {
        assert_eq!(requirement_ids("GR1.3-management-review.pdf"), vec!["GR1.3"]);
        assert_eq!(requirement_ids("pr9.1/PR9.2 ticket sample.csv"), vec!["PR9.1", "PR9.2"]);
        assert_eq!(requirement_ids("APR9.1.pdf"), Vec::<String>::new());
        assert_eq!(requirement_ids("PR10.4.txt"), vec!["PR10.4"]);
        assert_eq!(requirement_ids("minutes.pdf"), Vec::<String>::new());
    }

    #[test]
    fn the_folder_gives_one_record_per_file_that_names_a_requirement() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join(FOLDER).join("PR12.4");
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("cab-minutes-2026-10.pdf"), "x").expect("file");
        std::fs::write(dir.path().join(FOLDER).join("GR1.3 review.pdf"), "x").expect("file");
        std::fs::write(dir.path().join(FOLDER).join("notes.txt"), "x").expect("file");
        let found = from_folder(dir.path(), Catalogue::builtin()).expect("read");
        let summary: Vec<(Vec<&str>, Option<&str>)> = found
            .iter()
            .map(|e| (e.requirements.iter().map(|r| r.get_ref().as_str()).collect(), e.location.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (vec!["GR1.3"], Some("evidence/GR1.3 review.pdf")),
                (vec!["PR12.4"], Some("evidence/PR12.4/cab-minutes-2026-10.pdf")),
            ]
        );
    }
}
