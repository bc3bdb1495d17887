//! Rendering: config + templates → the text of every file of the pack, in memory.
//!
//! Pure by design: nothing here touches the file system, so `build`, `--dry-run`, `diff`
//! and `check` share it, and tests render whole packs without a temp folder.
//! A document is its front matter (document control, written by code so it is always
//! valid YAML), the body (the document template) and the attribution footer (a shared
//! partial template, so every document carries it).

mod arrays;
mod diagnose;
mod engine;
pub mod escape;
mod fact;
mod frontmatter;
pub mod links;
mod reads;
pub mod reuse;
mod view;

pub use engine::PLACEHOLDER_PREFIX;

use std::collections::HashMap;

use rayon::prelude::*;
use tera::Tera;

use crate::assessment::{self, AssessmentResult};
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::coverage::Coverage;
use crate::error::Error;
use crate::outline::Section;
use crate::placeholder::{self, Found};
use crate::plan::{Plan, PlannedDocument};
use crate::progress::{NoProgress, Progress, Step};
use crate::templates::TemplateSet;
use links::LinkIndex;
use reads::Reads;
use reuse::{NoPrevious, Previous, RenderInputs};
use view::SharedViews;

/// Template rendered after every document body.
const FOOTER_TEMPLATE: &str = "partials/attribution-footer.md";
/// Template of the self-assessment's maturity chart.
const CHART_TEMPLATE: &str = "pack/maturity-chart.svg";
/// Documents a build renders and decides together: enough to keep every core busy,
/// few enough that a pack of 50,000 services holds only this many texts at once.
pub const BATCH: usize = 512;
/// Template of the pack's `ATTRIBUTION.md`.
const ATTRIBUTION_TEMPLATE: &str = "pack/ATTRIBUTION.md";

/// The maturity chart as SVG, from its template, with values escaped for XML (Tera's
/// HTML escaping is valid XML; the documents' Markdown escaping would not be).
pub fn chart_svg(chart: &crate::assessment::ChartView, templates: &TemplateSet) -> Result<String, Error> {
    let file = templates.get(CHART_TEMPLATE);
    let mut context = tera::Context::new();
    context.insert("chart", chart);
    let svg = tera::Tera::one_off(file.map_or("", |f| f.text.as_str()), &context, true);
    svg.map(|svg| format!("{}\n", svg.trim()))
        .map_err(|error| templates.error(CHART_TEMPLATE, crate::error::tera_chain(&error)))
}

/// One rendered file, with its path relative to the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub text: String,
    /// What the rendering read, for the next build to tell whether it would render
    /// the same (`reuse`); `None` for files that are always rendered.
    pub inputs: Option<RenderInputs>,
}

impl RenderedFile {
    /// A file that is always rendered anew.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        RenderedFile { path: path.into(), text: text.into(), inputs: None }
    }
}

/// Everything a build writes, in memory.
#[derive(Debug, Clone)]
pub struct RenderedPack {
    /// The editable documents, paths under `markdown/`.
    pub documents: Vec<RenderedFile>,
    /// Pack-level files: `ATTRIBUTION.md`, `licenses/CC-BY-4.0.txt`.
    pub extras: Vec<RenderedFile>,
    /// The placeholders of each document (same order as `documents`), with the config
    /// key that fills each where it has one: what `fitsm-pack todo` reports. Empty
    /// for a document whose last text was reused (only `build` reuses, and it does
    /// not report placeholders).
    pub placeholders: Vec<Vec<Found>>,
    /// How many documents took the last build's text instead of rendering.
    pub reused: usize,
}

impl RenderedPack {
    /// The sections of each rendered document, by its path in the output folder.
    pub fn outlines(&self) -> HashMap<String, Vec<Section>> {
        self.documents.iter().map(|file| (file.path.clone(), outline_of(&file.text))).collect()
    }

    /// Which sections address which requirement, as the rendered texts say, with no
    /// document approved (`assessment export` and tests: no pack on disk to ask).
    pub fn coverage(&self, plan: &Plan, config: &Config) -> Coverage {
        let outlines = self.outlines();
        Coverage::compute(
            plan,
            Catalogue::builtin(),
            config,
            |document| outlines.get(&format!("markdown/{}", document.path)).map(Vec::as_slice),
            |_| false,
        )
    }
}

/// A rendered document and its placeholders.
struct RenderedDocument {
    file: RenderedFile,
    placeholders: Vec<Found>,
    /// The text is the last build's (see `reuse`).
    reused: bool,
}

pub struct Renderer<'a> {
    tera: Tera,
    /// What each document template (with the footer) can read from its context, by
    /// template name: contexts hold only that (see `reads`).
    reads: HashMap<String, Reads>,
    /// Threads with deep stacks for parsing and rendering (`None`: the global pool).
    pool: Option<rayon::ThreadPool>,
    shared: SharedViews<'a>,
    /// Where each document's links lead, to tell whether they still lead there.
    links: LinkIndex,
    /// The template set's part of every fingerprint; `None`: nothing may be reused.
    template_set: Option<String>,
    config: &'a Config,
    plan: &'a Plan,
    templates: &'a TemplateSet,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, plan: &'a Plan, templates: &'a TemplateSet) -> Result<Self, Error> {
        let pool = render_pool();
        let links = LinkIndex::new(plan);
        let tera = on_pool(pool.as_ref(), || engine::build(templates, links.clone()))?;
        let shared = SharedViews::new(config, plan, Catalogue::builtin(), templates)?;
        let footer = reads::reads(&tera, FOOTER_TEMPLATE);
        let reads = plan
            .documents
            .iter()
            .map(|document| document.template.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|name| (name.to_owned(), reads::reads(&tera, name).with(&footer)))
            .collect();
        let template_set = reuse::template_set_sha256(templates);
        Ok(Renderer { tera, reads, pool, shared, links, template_set, config, plan, templates })
    }

    /// Renders every planned document and the pack-level files, the summaries with
    /// coverage counted on what was rendered and no approvals (`check`, `todo`, tests;
    /// `build` renders the summaries from the final, merged texts instead).
    pub fn render_all(&self) -> Result<RenderedPack, Error> {
        self.render_all_with_progress(&NoProgress)
    }

    /// [`Renderer::render_all`], telling `progress` of each document done.
    pub fn render_all_with_progress(&self, progress: &dyn Progress) -> Result<RenderedPack, Error> {
        let mut pack = self.render_documents(progress)?;
        let summaries = self.render_summaries(&pack.outlines(), &|_| false)?;
        for (file, placeholders) in summaries {
            pack.documents.push(file);
            pack.placeholders.push(placeholders);
        }
        Ok(pack)
    }

    /// Every planned document except the summaries, and the pack-level files.
    /// Documents are independent of each other, so they render in parallel.
    pub fn render_documents(&self, progress: &dyn Progress) -> Result<RenderedPack, Error> {
        self.render_documents_reusing(&NoPrevious, progress)
    }

    /// [`Renderer::render_documents`], taking `previous`'s text for every document
    /// that would render as it did then (see `reuse`).
    pub fn render_documents_reusing(
        &self,
        previous: &dyn Previous,
        progress: &dyn Progress,
    ) -> Result<RenderedPack, Error> {
        let mut rendered = Vec::new();
        self.render_batches(previous, usize::MAX, progress, &mut |batch| {
            rendered.extend(batch);
            Ok(())
        })?;
        let reused = rendered.iter().filter(|d| d.reused).count();
        let (documents, placeholders) = rendered.into_iter().map(|d| (d.file, d.placeholders)).unzip();
        Ok(RenderedPack { documents, extras: self.render_extras()?, placeholders, reused })
    }

    /// The documents [`Renderer::render_documents_reusing`] renders, handed to `each`
    /// [`BATCH`] at a time in plan order, so a build holds one batch of texts at once.
    /// Placeholders are not kept (a build does not report them).
    pub fn render_documents_in_batches(
        &self,
        previous: &dyn Previous,
        progress: &dyn Progress,
        each: &mut dyn FnMut(Vec<RenderedFile>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.render_batches(previous, BATCH, progress, &mut |batch| each(batch.into_iter().map(|d| d.file).collect()))
    }

    fn render_batches(
        &self,
        previous: &dyn Previous,
        size: usize,
        progress: &dyn Progress,
        each: &mut dyn FnMut(Vec<RenderedDocument>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let documents: Vec<&PlannedDocument> = self.plan.documents.iter().filter(|d| !d.summary).collect();
        progress.start(Step::Render, documents.len());
        // Documents are independent of each other, so a batch renders in parallel, one
        // document a task: a few whole-pack documents take seconds each at thousands of
        // services, and rayon's default split left them all to one thread in turn.
        for batch in documents.chunks(size.max(1)) {
            let render_parallel = || {
                batch
                    .par_iter()
                    .with_max_len(1)
                    .map(|document| {
                        let rendered = self.render_document(document, None, previous);
                        progress.advance(1);
                        rendered
                    })
                    .collect::<Result<Vec<RenderedDocument>, Error>>()
            };
            let rendered = on_pool(self.pool.as_ref(), render_parallel);
            self.shared.forget_spares();
            each(rendered?)?;
        }
        progress.finish();
        Ok(())
    }

    /// The summary documents (compliance matrix, self-assessment report), given the
    /// sections of every other document as it will stand, by path in the output folder
    /// (`markdown/…`), and whether each is approved. Summaries address requirements
    /// too: they are rendered once to read their own markers, then again with the
    /// coverage that includes them.
    pub fn render_summaries(
        &self,
        outlines: &HashMap<String, Vec<Section>>,
        approved: &dyn Fn(&PlannedDocument) -> bool,
    ) -> Result<Vec<(RenderedFile, Vec<Found>)>, Error> {
        let summaries: Vec<&PlannedDocument> = self.plan.documents.iter().filter(|d| d.summary).collect();
        let mut own: HashMap<&str, Vec<Section>> = HashMap::new();
        let mut done = Vec::with_capacity(summaries.len());
        for pass in 0..2 {
            let coverage = Coverage::compute(
                self.plan,
                Catalogue::builtin(),
                self.config,
                |document| {
                    own.get(document.path.as_str())
                        .or_else(|| outlines.get(&format!("markdown/{}", document.path)))
                        .map(Vec::as_slice)
                },
                approved,
            );
            // The summaries are independent of each other within a pass.
            let render = || {
                summaries
                    .par_iter()
                    .with_max_len(1)
                    .map(|document| self.render_document(document, Some(&coverage), &NoPrevious))
                    .collect::<Result<Vec<RenderedDocument>, Error>>()
            };
            let drafts = on_pool(self.pool.as_ref(), render);
            self.shared.forget_spares();
            let drafts = drafts?;
            if pass == 0 {
                for (document, draft) in summaries.iter().zip(&drafts) {
                    own.insert(document.path.as_str(), outline_of(&draft.file.text));
                }
            } else {
                done = drafts.into_iter().map(|d| (d.file, d.placeholders)).collect();
            }
        }
        Ok(done)
    }

    /// `ATTRIBUTION.md`, the licence and the maturity chart.
    pub fn render_extras(&self) -> Result<Vec<RenderedFile>, Error> {
        let attribution_context = self.shared.for_pack();
        let assessment = AssessmentResult::compute(self.config, Catalogue::builtin());
        let attribution = self.render_template(ATTRIBUTION_TEMPLATE, &attribution_context)?;
        Ok(vec![
            RenderedFile::new("ATTRIBUTION.md", format!("{}\n", attribution.trim())),
            RenderedFile::new("licenses/CC-BY-4.0.txt", cc_by_legal_code()),
            RenderedFile::new(
                format!("markdown/{}", assessment::CHART_PATH),
                chart_svg(&assessment.chart(&self.config.organisation.name), self.templates)?,
            ),
        ])
    }

    /// One document: its last text if `previous` has it and the fingerprint says it
    /// would render the same, else rendered. Summaries (given `coverage`) read the
    /// whole pack's outlines and always render.
    fn render_document(
        &self,
        document: &PlannedDocument,
        coverage: Option<&Coverage>,
        previous: &dyn Previous,
    ) -> Result<RenderedDocument, Error> {
        let template_error =
            |error: &tera::Error| self.templates.error(&document.template, crate::error::tera_chain(error));
        let everything = Reads::everything();
        let reads = self.reads.get(&document.template).unwrap_or(&everything);
        let front = frontmatter::render(&self.shared.doc_view(document));
        let path = format!("markdown/{}", document.path);
        let mut made = view::MadeParts::new();
        let hashed = match (&self.template_set, coverage) {
            (Some(set), None) => {
                let mut hasher = reuse::start(set, &document.template, &front);
                self.shared
                    .hash_context(document, self.plan, reads, &mut hasher, &mut made)
                    .map_err(|error| template_error(&tera::Error::msg(error.to_string())))?;
                Some(hasher)
            }
            _ => None,
        };
        if let Some(hashed) = &hashed
            && let Some(last) = previous.inputs(&path)
            && reuse::fingerprint(hashed.clone(), &last.links, &self.links) == last.sha256
            && let Some(text) = previous.text(&path)
        {
            let file = RenderedFile { path, text, inputs: Some(last.clone()) };
            return Ok(RenderedDocument { file, placeholders: Vec::new(), reused: true });
        }
        let lent = self
            .shared
            .lend_context(document, self.plan, coverage, reads, made)
            .map_err(|error| template_error(&error))?;
        let (rendered, looked_up) = links::recording(|| {
            Ok::<_, Error>((
                self.render_template(&document.template, &lent.context)?,
                self.render_template(FOOTER_TEMPLATE, &lent.context)?,
            ))
        });
        self.shared.give_back(lent);
        let (body, footer) = rendered?;
        let inputs = hashed.map(|hashed| {
            let links = reuse::targets(looked_up);
            RenderInputs { sha256: reuse::fingerprint(hashed, &links, &self.links), links }
        });
        let (text, placeholders) = placeholder::untag(&format!("{front}\n{}\n\n{}\n", body.trim(), footer.trim()));
        drop((body, footer));
        crate::memory::release_after(text.len());
        Ok(RenderedDocument { file: RenderedFile { path, text, inputs }, placeholders, reused: false })
    }

    fn render_template(&self, name: &str, context: &tera::Context) -> Result<String, Error> {
        self.tera
            .render(name, context)
            .map_err(|error| Error::Template(diagnose::render_error(self.templates, name, context, &error)))
    }
}

/// The sections of a document's text (front matter left out).
pub fn outline_of(text: &str) -> Vec<Section> {
    crate::outline::sections(&crate::document::Document::parse(text).body)
}

/// Stack of each rendering thread. Tera renders recursively; the template checks
/// (`templates::MAX_NESTING`, `templates::MAX_CHAIN`) bound how deep it can go, to some
/// hundreds of frames, and this leaves a wide margin over that bound (rayon's default
/// is 2 MiB). Only address space is reserved; pages are used as the stack grows.
const RENDER_STACK: usize = 64 * 1024 * 1024;

/// Threads for rendering, with [`RENDER_STACK`]; `None` (render on the global pool)
/// if the system refuses to make them.
fn render_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new().stack_size(RENDER_STACK).thread_name(|i| format!("render-{i}")).build().ok()
}

/// Runs `work` on `pool` (its parallel parts on the pool's threads), or here without one.
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The CC BY 4.0 legal code, from the SPDX data in the `license` crate (never typed by hand).
pub fn cc_by_legal_code() -> String {
    use license::License;
    let text = license::licenses::CcBy4_0.text();
    if text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") }
}

#[cfg(test)]
mod reference_doc {
    //! docs/templates.md is the template author's reference. This test renders the
    //! contexts of the example pack and checks that every variable and field templates
    //! can see, and every filter and function, is named there, so the reference
    //! cannot silently fall behind the code.

    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::config::parse_str;

    const REFERENCE: &str = include_str!("../../docs/templates.md");
    const EXAMPLE: &str = include_str!("../../examples/university-computing-centre/sms.toml");

    /// Every key of every object in `value`, however deep (arrays: all elements).
    fn keys(value: &Value, into: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                for (key, inner) in object {
                    into.insert(key.clone());
                    match (key.as_str(), inner) {
                        // Keyed by person id (data); the entries' own names count.
                        ("responsibilities", Value::Object(by_person)) => {
                            by_person.values().for_each(|entry| keys(entry, into))
                        }
                        _ => keys(inner, into),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| keys(item, into)),
            _ => {}
        }
    }

    #[test]
    fn every_variable_filter_and_function_is_documented() {
        let config = parse_str(EXAMPLE, std::path::Path::new("sms.toml")).expect("example is valid");
        let templates = TemplateSet::builtin();
        let plan =
            Plan::new(&config, &templates.documents().expect("declarations"), Catalogue::builtin()).expect("plan");
        let shared = SharedViews::new(&config, &plan, Catalogue::builtin(), &templates).expect("views");
        let coverage = Coverage::compute(&plan, Catalogue::builtin(), &config, |_| None, |_| false);
        let mut names = BTreeSet::new();
        let mut seen_kinds = BTreeSet::new();
        for document in &plan.documents {
            let kind = (document.entity.as_ref().map(|e| e.kind), document.process.is_some(), document.summary);
            if !seen_kinds.insert(kind) {
                continue;
            }
            let context = shared
                .for_document(document, &plan, document.summary.then_some(&coverage), &Reads::everything())
                .expect("context");
            keys(&context.into_json(), &mut names);
        }
        // Keys of score tables are requirement ids, and goals are G1…: data, not names.
        names.retain(|name| !name.starts_with("PR") && !name.starts_with("GR") && !name.starts_with('G'));
        names.extend(
            ["or_todo", "person", "md_block", "percent", "todo", "fact", "link", "path_to", "addresses"]
                .map(String::from),
        );
        let documented =
            |name: &str| REFERENCE.contains(&format!("`{name}`")) || REFERENCE.contains(&format!("{name}("));
        let missing: Vec<&String> = names.iter().filter(|name| !documented(name)).collect();
        assert!(missing.is_empty(), "docs/templates.md does not mention: {missing:?}");
    }
}

#[cfg(test)]
mod restricted_contexts {
    //! Contexts hold only what their template can read (`reads`), names and the
    //! fields of whole-pack lists' entries: every document of every example renders
    //! the same with the whole context.

    use super::*;

    #[test]
    fn every_document_renders_as_it_would_with_the_whole_context() {
        for example in ["university-computing-centre", "research-federation", "managed-hosting", "minimal"] {
            let path = std::path::PathBuf::from(format!("examples/{example}/sms.toml"));
            let planned = crate::pipeline::plan(&path, None).expect("the example plans");
            let renderer = Renderer::new(&planned.loaded.config, &planned.plan, &planned.templates).expect("renders");
            let coverage =
                Coverage::compute(&planned.plan, Catalogue::builtin(), &planned.loaded.config, |_| None, |_| false);
            let (mut smaller, mut trimmed) = (0, 0);
            for document in &planned.plan.documents {
                let reads = renderer.reads.get(&document.template).expect("every template's reads");
                let context = |reads: &Reads| {
                    let coverage = document.summary.then_some(&coverage);
                    renderer.shared.for_document(document, &planned.plan, coverage, reads).expect("context")
                };
                let (whole, restricted) = (context(&Reads::everything()), context(reads));
                let (restricted_json, whole_json) = (restricted.clone().into_json(), whole.clone().into_json());
                smaller += usize::from(restricted_json != whole_json);
                let first_service =
                    |json: &serde_json::Value| json.pointer("/services/0").and_then(|s| s.as_object()).map(|s| s.len());
                if let (Some(kept), Some(all)) = (first_service(&restricted_json), first_service(&whole_json)) {
                    trimmed += usize::from(kept < all);
                }
                let render = |context| renderer.render_template(&document.template, context).expect("renders");
                assert_eq!(render(&restricted), render(&whole), "{example}: {}", document.path);
            }
            assert!(smaller > planned.plan.documents.len() / 2, "{example}: most contexts are smaller");
            assert!(trimmed > 0, "{example}: whole-pack documents get services with the fields they read only");
        }
    }

    #[test]
    fn a_part_given_back_serves_the_next_document_as_a_fresh_one_would() {
        for example in ["university-computing-centre", "research-federation"] {
            let path = std::path::PathBuf::from(format!("examples/{example}/sms.toml"));
            let planned = crate::pipeline::plan(&path, None).expect("the example plans");
            let (config, plan, templates) = (&planned.loaded.config, &planned.plan, &planned.templates);
            let renderer = Renderer::new(config, plan, templates).expect("renders");
            // Never given anything back, so every context it makes is made afresh.
            let fresh = SharedViews::new(config, plan, Catalogue::builtin(), templates).expect("views");
            let mut lent_parts = 0;
            for document in plan.documents.iter().filter(|d| !d.summary) {
                let reads = renderer.reads.get(&document.template).expect("every template's reads");
                let lent = renderer.shared.lend_context(document, plan, None, reads, Vec::new()).expect("context");
                let made = fresh.for_document(document, plan, None, reads).expect("context");
                assert_eq!(lent.context.clone().into_json(), made.into_json(), "{example}: {}", document.path);
                lent_parts += lent.lent.len();
                renderer.shared.give_back(lent);
            }
            assert!(lent_parts > plan.documents.len(), "{example}: documents share parts");
        }
    }
}
