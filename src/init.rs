//! `init`: start a new pack with a commented, realistic `sms.toml`.
//!
//! The file written is the example organisation shipped in `examples/`, so what a new
//! user starts from is exactly what the tests build; it is never written over an
//! existing file. Beside it goes `sms.schema.json`, referenced from the config's first
//! line, so editors can check the file as it is typed.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

use crate::config::OrganisationType;

/// The starter config: the realistic example organisation.
pub const STARTER_CONFIG: &str = include_str!("../examples/university-computing-centre/sms.toml");

/// The example each organisation type starts from.
pub fn starter_config(kind: Option<OrganisationType>) -> &'static str {
    match kind {
        None | Some(OrganisationType::ComputingCentre) => STARTER_CONFIG,
        Some(OrganisationType::Federation) => include_str!("../examples/research-federation/sms.toml"),
        Some(OrganisationType::ServiceProvider) => include_str!("../examples/managed-hosting/sms.toml"),
    }
}

/// File name of the schema written beside the config.
pub const SCHEMA_FILE: &str = "sms.schema.json";

/// Writes `dir/sms.toml` (and its JSON Schema, if missing) and returns the config's
/// path. Fails if the config already exists.
pub fn init(dir: &Path, kind: Option<OrganisationType>) -> Result<PathBuf, Error> {
    let write_error = |source| Error::Write { path: dir.to_owned(), source };
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let path = dir.join("sms.toml");
    // `create_new` makes "never overwrite" atomic: no check-then-write race.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Err(Error::InitExists { path }),
        Err(source) => return Err(Error::Write { path, source }),
    };
    // The first line lets editors with TOML support validate and complete the file.
    let text = format!("#:schema ./{SCHEMA_FILE}\n{}", starter_config(kind));
    file.write_all(text.as_bytes()).map_err(|source| Error::Write { path: path.clone(), source })?;
    let schema = dir.join(SCHEMA_FILE);
    if !schema.exists() {
        crate::fs::write_atomic(&schema, crate::config::json_schema().as_bytes())?;
    }
    Ok(path)
}
