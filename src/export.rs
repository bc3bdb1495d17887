//! `fitsm-pack assessment export`: the self-assessment as a workbook to fill in.
//!
//! It loads, plans and renders the pack in memory as `build` does (the workbook lists,
//! per requirement, the documents and sections that address it, and the sections are
//! known once the documents are rendered), then writes one file.
//! That file is someone's work once they start typing scores into it, so it is never
//! replaced without `--force`; the no-overwrite check and the write are one atomic step.

use std::path::{Path, PathBuf};

use crate::catalogue::Catalogue;
use crate::error::Error;
use crate::pipeline::{Planned, plan};
use crate::render::Renderer;

/// What `assessment export` is asked to do.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub config: PathBuf,
    /// The workbook to write.
    pub output: PathBuf,
    pub templates: Option<PathBuf>,
    /// Replace an existing file.
    pub force: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Exported {
    pub path: PathBuf,
    pub areas: usize,
    pub requirements: usize,
    /// Requirements whose score the config already gives.
    pub scored: usize,
    /// The `import = "…"` line that reads this file back, when the config and the
    /// workbook are in the same folder (else the path is the user's to write).
    pub import_line: Option<String>,
}

pub fn export(options: &ExportOptions) -> Result<Exported, Error> {
    let Planned { loaded, templates, plan, .. } = plan(&options.config, options.templates.as_deref())?;
    let catalogue = Catalogue::builtin();
    // Placeholders and approvals do not matter here: only which sections address what.
    let coverage = Renderer::new(&loaded.config, &plan, &templates)?.render_all()?.coverage(&plan, &loaded.config);
    let workbook = crate::assessment::workbook::workbook(&loaded.config, &coverage, catalogue);
    let bytes = crate::workbook::export::to_bytes(&workbook)
        .map_err(|source| Error::Write { path: options.output.clone(), source })?;
    if options.force {
        crate::fs::write_atomic(&options.output, &bytes)?;
    } else if !crate::fs::write_new(&options.output, &bytes)? {
        return Err(Error::ExportExists { path: options.output.clone() });
    }
    let requirements = workbook.areas.iter().map(|a| a.requirements.len()).sum();
    let scored = workbook.areas.iter().flat_map(|a| &a.requirements).filter(|r| r.score.is_some()).count();
    Ok(Exported {
        path: options.output.clone(),
        areas: workbook.areas.len(),
        requirements,
        scored,
        import_line: import_line(loaded.base_dir(), &options.output),
    })
}

/// `import = "assessment.xlsx"` when the workbook lies beside the config.
fn import_line(config_dir: &Path, output: &Path) -> Option<String> {
    let folder = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let same =
        folder == config_dir || matches!((folder.canonicalize(), config_dir.canonicalize()), (Ok(a), Ok(b)) if a == b);
    let name = output.file_name()?.to_str()?;
    same.then(|| format!("import = \"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")))
}
