//! The `build` command: plan and render the pack ([`crate::pipeline`]), write it
//! ([`crate::output`]), then make the site and the Word files from what is on disk.
//! Each step is its own module; this one only wires them together in the order of the
//! data flow, so a reader can follow a build top to bottom here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::docx::{self, DocxReport};
use crate::error::Error;
use crate::html::{self, SiteInfo, SiteReport};
use crate::lifecycle::{self, Approvals, Lifecycle};
use crate::outline::Section;
use crate::output::{self, Manifest, Pending, PreviousRenders, State, WriteOptions, WriteReport};
use crate::pack::attribution;
use crate::pipeline::{Planned, pack_info, plan};
use crate::plan::PlannedDocument;
use crate::progress::{NoProgress, Progress};
use crate::render::reuse::{NoPrevious, Previous};
use crate::render::{RenderedFile, Renderer, outline_of};
use crate::templates::TemplateSet;

/// Output formats. Markdown is always produced: the other formats are made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Docx,
}

impl Format {
    /// The formats to make from a list the user gave: each once, Markdown always (the
    /// other formats are made from it) and first.
    pub fn with_markdown(list: impl IntoIterator<Item = Format>) -> Vec<Format> {
        let mut formats = vec![Format::Markdown];
        for format in list {
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        formats
    }
}

/// Everything `build` needs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub config: PathBuf,
    pub out: PathBuf,
    pub formats: Vec<Format>,
    pub templates: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
    /// Bring back generated documents that were deleted by hand.
    pub restore: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildOutcome {
    pub documents: usize,
    pub report: WriteReport,
    /// Set when the site was built.
    pub site: Option<SiteReport>,
    /// Set when Word files were made.
    pub docx: Option<DocxReport>,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    /// The build lock, still held (not for a dry run): `build --zip` zips under it, so
    /// no other build can write between this build and its archive.
    pub lock: Option<output::lock::BuildLock>,
}

pub fn build(options: &BuildOptions) -> Result<BuildOutcome, Error> {
    build_with_progress(options, &NoProgress)
}

/// Whether the output folder holds a build of exactly these inputs that finished with
/// nothing left to look at. Then the documents would render exactly as they are
/// recorded, so a build skips rendering and writing them, and `check` knows the pack is
/// not stale without rendering it. People's edits need no regeneration; they are
/// merged when an input changes. A build that was interrupted is always finished
/// properly, and so is one where an approved document was edited (it becomes the next
/// draft).
fn settled(previous: &State, inputs: &str, lifecycle: &Lifecycle, out: &Path) -> Result<bool, Error> {
    Ok(!previous.interrupted
        && previous.manifest.as_ref().is_some_and(|m| m.inputs_sha256 == inputs && m.settled)
        && lifecycle.settled(out)?)
}

/// [`settled`] for `check`: the pack in `out` is up to date with the planned inputs.
pub(crate) fn up_to_date(planned: &Planned, lifecycle: &Lifecycle, out: &Path) -> Result<bool, Error> {
    let inputs = lifecycle.inputs_sha256(&planned.inputs_sha256());
    settled(&State::load(out)?, &inputs, lifecycle, out)
}

/// [`build`], telling `progress` how far each long step got.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildOutcome, Error> {
    let started = Instant::now();
    let planned = plan(&options.config, options.templates.as_deref())?;
    if options.out.exists() && !options.out.is_dir() {
        return Err(Error::OutputNotDir { path: options.out.clone() });
    }
    // Before anything is read or written: a link where the build writes is refused,
    // whatever else the build would do.
    crate::pack::refuse_links(&options.out)?;
    let lifecycle = Lifecycle::new(&planned.plan, Approvals::load(&options.out)?, &planned.loaded.config.pack);
    let inputs = lifecycle.inputs_sha256(&planned.inputs_sha256());
    let previous = State::load(&options.out)?;
    let unchanged = !options.force
        && !options.restore
        && !options.dry_run
        && settled(&previous, &inputs, &lifecycle, &options.out)?;
    let Planned { loaded, templates, plan, warnings } = planned;
    // Render before taking the lock or touching the output folder: a template error
    // must leave nothing behind. Unchanged inputs need no templates at all: parsing
    // them was nearly all of a no-op build, and they compiled when they were recorded.
    let renderer = if unchanged { None } else { Some(Renderer::new(&loaded.config, &plan, &templates)?) };
    // Documents that would render as last time take last time's text (`render::reuse`);
    // `--force` and `--restore` ask for everything anew.
    let reusable = PreviousRenders::new(&options.out, &previous).filter(|_| !options.force && !options.restore);
    let previous_renders: &dyn Previous = match &reusable {
        Some(previous) => previous,
        None => &NoPrevious,
    };
    let rendered = match &renderer {
        Some(renderer) => Some((renderer, renderer.render_documents_reusing(previous_renders, progress)?)),
        None => None,
    };
    // One build at a time per output folder; a dry run writes nothing and needs no lock.
    let lock = if options.dry_run { None } else { Some(output::lock::acquire(&options.out)?) };
    if !options.dry_run {
        // A build killed earlier may have left temporary files; the lock makes them ours.
        crate::fs::remove_stale_temporaries(&options.out)?;
    }
    let report = match rendered {
        Some((renderer, rendered)) => {
            let write_options =
                WriteOptions { force: options.force, restore: options.restore, dry_run: options.dry_run };
            let mut manifest = Manifest::new(&loaded.text, pack_info(&loaded.config, &templates));
            manifest.inputs_sha256 = inputs;
            let mut pending = Pending::begin(&options.out, write_options, &lifecycle)?;
            let files: Vec<_> = rendered.documents.into_iter().chain(rendered.extras).collect();
            pending.decide(files, progress)?;
            // The summaries count what the documents will say once written, people's
            // edits and approvals included; nothing is written until all are decided.
            let summaries = summaries(renderer, &pending, &lifecycle)?;
            pending.decide(summaries, &NoProgress)?;
            let mut report = pending.finish(manifest, progress)?;
            // A dry run reports its texts (`diff` prints them); a build wrote them.
            if !options.dry_run {
                report.release_texts();
            }
            report
        }
        None => WriteReport::unchanged(&options.out, &previous.manifest.unwrap_or_default()),
    };
    let site = if options.formats.contains(&Format::Html) && !options.dry_run {
        Some(html::build_site(&options.out, &plan, &site_info(&loaded.config, &templates), &templates, progress)?)
    } else {
        None
    };
    let docx = if options.formats.contains(&Format::Docx) && !options.dry_run {
        let footer = attribution::plain(&attribution::markdown(&templates));
        Some(docx::build_docx(&options.out, &loaded.config.organisation.name, &footer, progress)?)
    } else {
        None
    };
    let documents = plan.documents.len();
    Ok(BuildOutcome { documents, report, site, docx, warnings, elapsed: started.elapsed(), lock })
}

/// The summary documents, rendered from the decided texts of all other documents.
fn summaries(
    renderer: &Renderer<'_>,
    pending: &Pending<'_>,
    lifecycle: &Lifecycle,
) -> Result<Vec<RenderedFile>, Error> {
    let finals: HashMap<&str, &str> =
        pending.changes().iter().filter_map(|c| Some((c.path.as_str(), c.after.as_deref()?))).collect();
    let outlines: HashMap<String, Vec<Section>> =
        finals.iter().map(|(path, text)| ((*path).to_owned(), outline_of(text))).collect();
    let today = lifecycle::today();
    let approved = |document: &PlannedDocument| {
        let path = format!("markdown/{}", document.path);
        finals
            .get(path.as_str())
            .and_then(|text| lifecycle.control(&path, text))
            .is_some_and(|control| control.in_force(&today))
    };
    Ok(renderer.render_summaries(&outlines, &approved)?.into_iter().map(|(file, _)| file).collect())
}

fn site_info(config: &Config, templates: &TemplateSet) -> SiteInfo {
    let organisation = &config.organisation;
    SiteInfo {
        org_name: organisation.name.clone(),
        org_description: organisation.description.clone(),
        website: organisation.website.clone(),
        contact_email: organisation.contact_email.clone(),
        service_desk: organisation.service_desk.clone(),
        scope_statement: config.scope.statement.clone(),
        language: config.pack.language.clone(),
        pack_version: config.pack.version.clone(),
        generator: concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")).to_owned(),
        attribution_html: html::markdown::render_inline(&attribution::markdown(templates)),
    }
}
