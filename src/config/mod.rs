//! Loading `sms.toml`: read the file, parse it (collecting every structural problem),
//! then check meaning (ids, references, ranges). The result is a [`Config`] that later
//! steps can trust: every reference resolves, every id is a safe slug.

mod dates;
pub mod evidence;
pub mod facts;
mod ids;
mod import;
mod load;
pub mod model;
mod operations;
mod root_causes;
mod validate;

use std::path::{Path, PathBuf};

pub use ids::id_syntax_problem;
pub use model::*;

use crate::catalogue::Catalogue;
use crate::diagnostic::Diagnostics;
use crate::error::Error;

/// A validated config and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    /// The file's exact text; its hash tells later whether the pack is stale.
    pub text: String,
    pub config: Config,
    /// The assessment file `[assessment] import` names, once read and merged.
    pub imported: Option<ImportedFile>,
}

/// A file the config imports: rendering depends on it as on the config itself.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub path: PathBuf,
    pub sha256: String,
}

impl LoadedConfig {
    /// The folder relative paths in the config (like `pack.templates`) are resolved from.
    pub fn base_dir(&self) -> &Path {
        base_dir(&self.path)
    }
}

fn base_dir(config_path: &Path) -> &Path {
    config_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Reads, parses and validates a config file, and merges the assessment file it
/// imports. All problems of a file are reported together.
pub fn load(path: &Path) -> Result<LoadedConfig, Error> {
    if path.is_dir() {
        return Err(Error::ConfigIsFolder { path: path.to_owned() });
    }
    let bytes = std::fs::read(path).map_err(|source| Error::ConfigRead { path: path.to_owned(), source })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&error.as_bytes()[..offset]).into_owned();
            let (line, column) = crate::diagnostic::line_column(&valid, offset);
            return Err(Error::ConfigEncoding { path: path.to_owned(), line, column });
        }
    };
    let mut config = parse_str(&text, path)?;
    let imported = import::apply(&mut config, path, &spanned_source(&text))?;
    config.evidence.extend(evidence::from_folder(base_dir(path), Catalogue::builtin())?);
    Ok(LoadedConfig { path: path.to_owned(), text, config, imported })
}

/// The text that spans count in. A byte-order mark is invisible in editors and
/// harmless; TOML parsers reject it. It becomes three spaces, so every byte offset
/// (and so every line:column) stays right.
fn spanned_source(text: &str) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_owned(),
    }
}

/// Parses and validates config text; `path` is only used in messages.
pub fn parse_str(text: &str, path: &Path) -> Result<Config, Error> {
    let source = spanned_source(text);
    let invalid = |items| Error::ConfigInvalid(Diagnostics { path: path.to_owned(), source: source.clone(), items });
    let config = load::parse(&source).map_err(invalid)?;
    let mut problems = validate::validate(&config, Catalogue::builtin());
    problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
    if problems.is_empty() { Ok(config) } else { Err(invalid(problems)) }
}

/// The JSON Schema of `sms.toml`, for editors with TOML language support (Taplo /
/// Even Better TOML read it through a `#:schema` line) and for CI validation.
/// Generated from the same types the loader uses, so it cannot drift from them.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(Config);
    schema.insert("title".into(), "fitsm-pack sms.toml".into());
    schema.insert(
        "description".into(),
        "The facts about a service organisation from which fitsm-pack renders its FitSM-style documentation pack."
            .into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod reference_doc {
    //! docs/config.md documents every key of `sms.toml`. This test walks the JSON
    //! Schema (made from the same types the loader uses) and fails if a key is not
    //! named there, so the reference cannot fall behind the config.

    use serde_json::Value;

    const REFERENCE: &str = include_str!("../../docs/config.md");

    fn resolve<'a>(schema: &'a Value, node: &'a Value) -> &'a Value {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or_default();
            return &schema["$defs"][name];
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(options) = node.get(key).and_then(Value::as_array)
                && let Some(option) = options.iter().find(|o| o.get("type") != Some(&Value::from("null")))
            {
                return resolve(schema, option);
            }
        }
        node
    }

    fn keys(schema: &Value, node: &Value, prefix: &str, into: &mut Vec<String>) {
        let node = resolve(schema, node);
        let node = if node.get("type") == Some(&Value::from("array")) { resolve(schema, &node["items"]) } else { node };
        let Some(properties) = node.get("properties").and_then(Value::as_object) else { return };
        for (key, inner) in properties {
            let path = format!("{prefix}{key}");
            let resolved = resolve(schema, inner);
            if resolved.get("properties").is_some() {
                keys(schema, inner, &format!("{path}."), into);
            } else {
                into.push(path);
            }
        }
    }

    #[test]
    fn every_key_of_the_config_is_documented() {
        let schema: Value = serde_json::from_str(&super::json_schema()).expect("schema is JSON");
        let mut missing = Vec::new();
        for (section, node) in schema["properties"].as_object().expect("sections") {
            if !REFERENCE.contains(&format!("## `[{section}]`")) && !REFERENCE.contains(&format!("## `[[{section}]]`"))
            {
                missing.push(format!("[{section}]"));
            }
            let mut paths = Vec::new();
            keys(&schema, node, "", &mut paths);
            // Process tables and assessment areas are keyed by code: documented as CODE.…
            if section == "processes" || section == "assessment" {
                continue;
            }
            missing.extend(
                paths.into_iter().filter(|p| !REFERENCE.contains(&format!("`{p}`"))).map(|p| format!("{section}.{p}")),
            );
        }
        assert!(missing.is_empty(), "docs/config.md does not document: {missing:?}");
    }
}
