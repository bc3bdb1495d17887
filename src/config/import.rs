//! `[assessment] import`: the areas of a workbook or CSV file, merged into the config
//! as if they were `[assessment.areas]` tables. It runs where the config is loaded, so
//! every command that loads it (build, diff, check, todo, assessment export) sees one
//! and the same assessment, and the report, the chart and `todo` cannot tell where a
//! score came from.
//!
//! Precedence is "one home per area": the file gives every area it holds (a sheet of
//! the workbook, rows of the CSV), sms.toml the others. An area in both is an error
//! that names both places, rather than one silently winning over the other.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::model::{AssessmentArea, Config};
use super::{ImportedFile, base_dir};
use crate::catalogue::Catalogue;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::workbook::ImportedArea;

/// Reads the file `[assessment] import` names (if any) and merges its areas into
/// `config`. `source` is the config's text as its spans count it.
pub(super) fn apply(config: &mut Config, config_path: &Path, source: &str) -> Result<Option<ImportedFile>, Error> {
    let Some(assessment) = config.assessment.as_mut() else { return Ok(None) };
    let Some(import) = assessment.import.clone() else { return Ok(None) };
    let invalid =
        |items| Error::ConfigInvalid(Diagnostics { path: config_path.to_owned(), source: source.to_owned(), items });
    let path = resolve(config_path, import.get_ref());
    let bytes = std::fs::read(&path).map_err(|error| {
        invalid(vec![
            Diagnostic::new(
                format!("cannot read the assessment file {}: {error}", path.display()),
                Some(import.span()),
            )
            .with_hint(
                "the path is relative to the config file; `fitsm-pack assessment export` writes a workbook to fill in",
            ),
        ])
    })?;
    let Some(read) = crate::workbook::import::read(&path, &bytes, Catalogue::builtin()) else {
        // Not .xlsx or .csv: validation has reported it already.
        return Ok(None);
    };
    let areas = read?;
    let file = path.display().to_string();
    let conflicts: Vec<(&Spanned<String>, &ImportedArea)> = areas
        .iter()
        .filter_map(|area| Some((assessment.areas.keys().find(|key| key.get_ref() == &area.code)?, area)))
        .collect();
    if let Some((key, area)) = conflicts.first() {
        // One cause, one problem: the first clash in full, the others named in a note.
        let what = if area.place.starts_with("sheet") { "sheet" } else { "rows" };
        let mut problem = Diagnostic::new(
            format!("assessment area `{}` is given twice: here and in {file} ({})", area.code, area.place),
            Some(key.span()),
        )
        .with_related(import.span(), "imported here")
        .with_hint(format!(
            "an area has one home: delete [assessment.areas.{}] from the config, or its {what} from {file}",
            area.code
        ));
        if conflicts.len() > 1 {
            let others: Vec<&str> = conflicts[1..].iter().map(|(_, area)| area.code.as_str()).collect();
            problem = problem.with_note(format!(
                "{} more area{} {} in both: {}",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                if others.len() == 1 { "is" } else { "are" },
                others.join(", ")
            ));
        }
        return Err(invalid(vec![problem]));
    }
    let out_of_scope: Vec<Diagnostic> = areas
        .iter()
        .filter(|area| area.in_scope == Some(false))
        .filter_map(|area| {
            let place = format!("{file}, {}: In scope is \"no\"", area.place);
            super::validate::out_of_scope_without_exclusions(
                &area.code,
                import.span(),
                Some(&place),
                config,
                Catalogue::builtin(),
            )
        })
        .collect();
    if !out_of_scope.is_empty() {
        return Err(invalid(out_of_scope));
    }
    let assessment = config.assessment.as_mut().expect("checked above");
    for area in areas {
        let from = format!("{file}, {}", area.place);
        assessment.areas.insert(Spanned::new(0..0, area.code.clone()), merged(area, from));
    }
    Ok(Some(ImportedFile { path, sha256: crate::fs::sha256_hex(&bytes) }))
}

/// The file's path: relative paths are relative to the config's folder.
fn resolve(config_path: &Path, import: &str) -> PathBuf {
    let import = Path::new(import);
    match base_dir(config_path) {
        base if import.is_absolute() || base == Path::new(".") => import.to_owned(),
        base => base.join(import),
    }
}

/// An imported area in the config's own shape. Values come without a place in
/// sms.toml (empty spans), which only the validator, already done, would look at.
fn merged(area: ImportedArea, from: String) -> AssessmentArea {
    AssessmentArea {
        in_scope: area.in_scope.unwrap_or(true),
        goal: area.goal.map(|goal| Spanned::new(0..0, goal)),
        scores: area
            .scores
            .into_iter()
            .map(|(id, score)| (Spanned::new(0..0, id), Spanned::new(0..0, score)))
            .collect(),
        evidence: area.evidence,
        imported_from: Some(from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_config() {
        assert_eq!(resolve(Path::new("sms.toml"), "a.xlsx"), Path::new("a.xlsx"));
        assert_eq!(resolve(Path::new("my-sms/sms.toml"), "a.xlsx"), Path::new("my-sms/a.xlsx"));
        assert_eq!(resolve(Path::new("my-sms/sms.toml"), "/tmp/a.csv"), Path::new("/tmp/a.csv"));
    }
}
