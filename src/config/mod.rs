//! Loading `sms.toml`: read the file, parse it (collecting every structural problem),
//! then check meaning (ids, references, ranges). The result is a [`Config`] that later
//! steps can trust: every reference resolves, every id is a safe slug.

mod dates;
pub mod facts;
mod ids;
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
}

impl LoadedConfig {
    /// The folder relative paths in the config (like `pack.templates`) are resolved from.
    pub fn base_dir(&self) -> &Path {
        self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
    }
}

/// Reads, parses and validates a config file. All problems are reported together.
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
    let config = parse_str(&text, path)?;
    Ok(LoadedConfig { path: path.to_owned(), text, config })
}

/// Parses and validates config text; `path` is only used in messages.
pub fn parse_str(text: &str, path: &Path) -> Result<Config, Error> {
    // A byte-order mark is invisible in editors and harmless; TOML parsers reject it.
    // Replace it with a space so every byte offset (and so every line:column) stays right.
    let source = match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_owned(),
    };
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
