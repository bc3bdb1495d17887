//! `fitsm-pack templates list | eject`: see the built-in templates, or copy them to edit.

use std::path::Path;

use fitsm_pack::templates::TemplateSet;
use fitsm_pack::{Error, Outcome};

use super::Global;
use crate::report;

pub(super) fn list(overlay: Option<&Path>) -> Result<Outcome, Error> {
    let set = match overlay {
        Some(dir) => TemplateSet::with_overlay(dir)?,
        None => TemplateSet::builtin(),
    };
    report::stdout(&report::templates(&set)?)?;
    Ok(Outcome::Clean)
}

pub(super) fn eject(dir: &Path, names: &[String], global: Global) -> Result<Outcome, Error> {
    let written = fitsm_pack::templates::eject::eject(dir, names)?;
    if !global.quiet {
        for path in &written {
            report::message!("wrote {}", path.display());
        }
        report::message!(
            "{} template(s) copied; edit them, then build with `--templates {}` (or set pack.templates)",
            written.len(),
            dir.display()
        );
    }
    Ok(Outcome::Clean)
}
