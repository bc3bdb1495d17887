//! The `build` command: plan and render the pack ([`crate::pipeline`]), write it
//! ([`crate::output`]), then make the site and the Word files from what is on disk.
//! Each step is its own module; this one only wires them together in the order of the
//! data flow, so a reader can follow a build top to bottom here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::docx::{self, DocxReport};
use crate::error::Error;
use crate::html::{self, SiteInfo, SiteReport};
use crate::lifecycle::{self, Approvals, Lifecycle};
use crate::notes::{Notes, Said};
use crate::outline::Section;
use crate::output::{self, FileChange, Manifest, Pending, PreviousRenders, State, WriteOptions, WriteReport};
use crate::pack::attribution;
use crate::pipeline::{Planned, pack_info, plan};
use crate::plan::PlannedDocument;
use crate::progress::{NoProgress, Progress};
use crate::render::reuse::{NoPrevious, Previous};
use crate::render::{Renderer, outline_of};
use crate::templates::TemplateSet;
use rayon::prelude::*;

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
        && !output::unfinished(out)
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
    // Parse the templates before taking the lock or touching the output folder: a
    // template that does not compile leaves nothing behind. Unchanged inputs need no
    // templates at all: parsing them was nearly all of a no-op build, and they
    // compiled when they were recorded.
    let renderer = if unchanged { None } else { Some(Renderer::new(&loaded.config, &plan, &templates)?) };
    // One build at a time per output folder; a dry run writes nothing and needs no lock.
    let new_folder = !options.out.exists();
    let lock = if options.dry_run { None } else { Some(output::lock::acquire(&options.out)?) };
    if let Some(lock) = &lock {
        // A build killed earlier may have left temporary files anywhere; the lock makes
        // them ours. Otherwise only `check`, which writes its notes without the lock,
        // can have left one, in the state folder.
        let killed = lock.previous_killed();
        let folder = if killed { options.out.clone() } else { options.out.join(crate::pack::STATE_DIR) };
        crate::fs::remove_stale_temporaries(&folder, killed)?;
    }
    // Another build may have finished while this one waited for the lock.
    let previous = previous.reloaded_if_changed(&options.out)?;
    // Documents that would render as last time take last time's text (`render::reuse`);
    // `--force` and `--restore` ask for everything anew, and a build that renders
    // nothing does not read the record.
    let reusable = (renderer.is_some() && !options.force && !options.restore)
        .then(|| PreviousRenders::new(&options.out, &previous))
        .flatten();
    let previous_renders: &dyn Previous = match &reusable {
        Some(previous) => previous,
        None => &NoPrevious,
    };
    let report = match &renderer {
        Some(renderer) => {
            let manifest = Manifest {
                inputs_sha256: inputs,
                ..Manifest::new(&loaded.text, pack_info(&loaded.config, &templates))
            };
            match write_markdown(renderer, (&previous, previous_renders), manifest, &lifecycle, options, progress) {
                Ok(report) => report,
                Err(error) => {
                    // What the failed build staged is gone already (`output`); an
                    // output folder it made for nothing goes too.
                    drop(lock);
                    if new_folder && !options.dry_run {
                        output::discard_empty(&options.out);
                    }
                    return Err(error);
                }
            }
        }
        None => WriteReport::unchanged(&options.out, previous.manifest.as_ref().unwrap_or(&Manifest::default())),
    };
    if renderer.is_some() {
        // What rendering left free on this thread is not needed by the site's threads.
        crate::memory::release();
    }
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

/// Renders, decides and (unless `dry_run`) writes the Markdown pack, a batch of
/// documents at a time: each batch is decided and staged before the next is rendered,
/// and only what the summaries need of it is kept ([`Finals`]). A document that
/// fails to render or a file that cannot be read stops the build with no document
/// touched; the summaries come last, from the decided texts of all the others.
fn write_markdown(
    renderer: &Renderer<'_>,
    (state, previous): (&State, &dyn Previous),
    manifest: Manifest,
    lifecycle: &Lifecycle,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<WriteReport, Error> {
    let write_options = WriteOptions { force: options.force, restore: options.restore, dry_run: options.dry_run };
    let mut pending = Pending::begin_with(&options.out, write_options, lifecycle, state)?;
    // A dry run writes no file, so it notes nothing for `check`.
    let mut finals = Finals { notes: !options.dry_run, ..Finals::default() };
    let today = lifecycle::today();
    let mut note = |decided: &[FileChange]| finals.note(decided, lifecycle, &today);
    renderer.render_documents_in_batches(previous, progress, &mut |batch| {
        pending.decide_observing(batch, &NoProgress, &mut note)
    })?;
    pending.decide_observing(renderer.render_extras()?, &NoProgress, &mut note)?;
    // The summaries count what the documents will say once written, people's edits
    // and approvals included; nothing is written until all are decided.
    let summaries = renderer.render_summaries(&finals.outlines, &|document| finals.in_force(document))?;
    let summaries = summaries.into_iter().map(|(file, _)| file).collect();
    pending.decide_observing(summaries, &NoProgress, &mut |decided| finals.note_said(decided, lifecycle))?;
    let mut report = pending.finish(manifest, progress)?;
    // A dry run reports its texts (`diff` prints them); a build wrote them, and notes
    // what they say for `check`.
    if !options.dry_run {
        report.release_texts();
        Notes::note_written(&options.out, &report, finals.into_said());
    }
    Ok(report)
}

/// What the summaries need of the other documents as they will stand after the build
/// (their sections, and which are approved and in force), and what `check` will
/// want to know of each file the build writes ([`crate::notes`]).
#[derive(Default)]
struct Finals {
    /// By path in the output folder (`markdown/…`).
    outlines: HashMap<String, Vec<Section>>,
    in_force: HashSet<String>,
    /// Whether to work out `said` (not for a dry run).
    notes: bool,
    said: BTreeMap<String, Said>,
}

impl Finals {
    fn note(&mut self, decided: &[FileChange], lifecycle: &Lifecycle, today: &str) {
        let notes = self.notes;
        let noted: Vec<(String, Vec<Section>, bool, Option<Said>)> = decided
            .par_iter()
            .with_max_len(1)
            .filter_map(|change| {
                let text = change.after.as_deref()?;
                let in_force = lifecycle.control(&change.path, text).is_some_and(|control| control.in_force(today));
                let outline = outline_of(text);
                // Its sections come from `outline` when the notes are made: two
                // copies of them for every document were 40 MB at 10,000 services.
                let said = said(change, lifecycle, Said::of_all_but_sections).filter(|_| notes);
                Some((change.path.clone(), outline, in_force, said))
            })
            .collect();
        for (path, outline, in_force, said) in noted {
            if in_force {
                self.in_force.insert(path.clone());
            }
            if let Some(said) = said {
                self.said.insert(path.clone(), said);
            }
            self.outlines.insert(path, outline);
        }
    }

    /// What `check` wants of the files in `decided`, the summaries, which nothing
    /// else reads.
    fn note_said(&mut self, decided: &[FileChange], lifecycle: &Lifecycle) {
        if !self.notes {
            return;
        }
        let said: Vec<(String, Said)> = decided
            .par_iter()
            .with_max_len(1)
            .filter_map(|change| Some((change.path.clone(), said(change, lifecycle, Said::of)?)))
            .collect();
        self.said.extend(said);
    }

    /// What `check` will want of each file the build writes, for [`Notes::note_written`].
    fn into_said(self) -> BTreeMap<String, Said> {
        let Finals { mut outlines, mut said, .. } = self;
        for (path, said) in &mut said {
            if let Some(outline) = outlines.remove(path) {
                said.set_outline(outline);
            }
        }
        said
    }

    fn in_force(&self, document: &PlannedDocument) -> bool {
        self.in_force.contains(&format!("markdown/{}", document.path))
    }
}

/// What a file the build writes will say, for `check` (`None` for one it does not
/// write: its note, if it has one, still stands or falls by its stamp).
fn said(change: &FileChange, lifecycle: &Lifecycle, of: fn(&str, &[u8], &Lifecycle) -> Said) -> Option<Said> {
    let text = change.after.as_deref().filter(|_| change.change.writes())?;
    Some(of(&change.path, text.as_bytes(), lifecycle))
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
