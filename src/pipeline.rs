//! The pure front of every command that renders: load the config, load the template
//! set, plan the pack, render it in memory. `build` writes what this produces; `check`
//! and the benchmarks only look at it. Nothing here touches the output folder.

use std::path::Path;

use crate::catalogue::Catalogue;
use crate::config::{self, Config, LoadedConfig};
use crate::error::Error;
use crate::output::PackInfo;
use crate::plan::Plan;
use crate::render::{RenderedPack, Renderer};
use crate::templates::{TemplateSet, eject};

/// A pack rendered in memory, with what it was made from.
pub struct Prepared {
    pub loaded: LoadedConfig,
    pub templates: TemplateSet,
    pub plan: Plan,
    pub rendered: RenderedPack,
    /// Things worth telling the user that do not stop the build.
    pub warnings: Vec<String>,
}

/// The config, the template set and the plan: everything before rendering.
pub struct Planned {
    pub loaded: LoadedConfig,
    pub templates: TemplateSet,
    pub plan: Plan,
    pub warnings: Vec<String>,
}

impl Planned {
    /// What the rendering depends on: the config text (and the assessment file it
    /// imports), the evidence records, every template, and this version of fitsm-pack.
    /// Rendering is pure, so equal inputs give equal output.
    pub fn inputs_sha256(&self) -> String {
        let mut inputs = String::with_capacity(self.loaded.text.len() + 256 * 1024);
        inputs.push_str(concat!("fitsm-pack ", env!("CARGO_PKG_VERSION"), "\0"));
        inputs.push_str(&self.loaded.text);
        // Records in the evidence folder count like `[[evidence]]` in the config.
        for record in self.loaded.config.evidence.iter().filter_map(|e| e.location.as_deref()) {
            inputs.push('\0');
            inputs.push_str(record);
        }
        if let Some(imported) = &self.loaded.imported {
            // The assessment file feeds the report and the chart like the config does.
            inputs.push_str("\0assessment import\0");
            inputs.push_str(&imported.sha256);
        }
        for file in self.templates.files() {
            inputs.push('\0');
            inputs.push_str(&file.name);
            inputs.push('\0');
            inputs.push_str(&file.text);
        }
        crate::fs::sha256_hex(inputs.as_bytes())
    }
}

/// Loads the config and the template set and plans the pack.
pub fn plan(config_path: &Path, templates_override: Option<&Path>) -> Result<Planned, Error> {
    let loaded = config::load(config_path)?;
    // Parsing a large config leaves many times its size free (the spanned TOML tree).
    crate::memory::release_after(loaded.text.len());
    let overlay = templates_override
        .map(Path::to_owned)
        .or_else(|| loaded.config.pack.templates.as_ref().map(|dir| loaded.base_dir().join(dir)));
    let (templates, warnings) = match &overlay {
        Some(dir) => {
            let set = TemplateSet::with_overlay(dir)?;
            let warnings = eject::outdated_overrides(&set, dir);
            (set, warnings)
        }
        None => (TemplateSet::builtin(), Vec::new()),
    };
    let plan = Plan::new(&loaded.config, &templates.documents()?, Catalogue::builtin())?;
    Ok(Planned { loaded, templates, plan, warnings })
}

/// Loads the config and template set, and plans and renders the pack, without writing.
pub fn prepare(config_path: &Path, templates_override: Option<&Path>) -> Result<Prepared, Error> {
    let Planned { loaded, templates, plan, warnings } = self::plan(config_path, templates_override)?;
    let rendered = Renderer::new(&loaded.config, &plan, &templates)?.render_all()?;
    Ok(Prepared { loaded, templates, plan, rendered, warnings })
}

/// What the manifest records about the pack (for naming and dating the zip).
pub fn pack_info(config: &Config, templates: &TemplateSet) -> PackInfo {
    let organisation = &config.organisation;
    PackInfo {
        attribution: crate::pack::attribution::markdown(templates),
        organisation: organisation.name.clone(),
        short_name: organisation.short_name.clone().unwrap_or_else(|| organisation.name.clone()),
        version: config.pack.version.clone(),
        effective_date: config.pack.effective_date.as_ref().and_then(|d| d.get_ref().date).map(|d| d.to_string()),
    }
}
