//! The static site: every Markdown document *as it stands on disk* (so people's edits
//! show) rendered to HTML with a layout, a sidebar, a per-page table of contents and a
//! document-control table, plus an index page and the stylesheet.
//!
//! The layout and CSS are templates like the documents (`templates/html/`), so an
//! organisation can restyle the site with the same overlay folder. They are rendered by
//! a Tera instance of their own, with Tera's HTML escaping (the document templates use
//! Markdown escaping instead).
//!
//! What people put in `markdown/` is data, never code or a path trick: every href made
//! from a file name is percent-encoded ([`relative_href`]); a picture is copied only if
//! nothing in it would run ([`asset`]); a file whose name cannot ship is left out and
//! named. All of that is decided before the first write, so a refusal never leaves a
//! half-written site.
//!
//! The site deletes only what it made. Every file it writes (pages, index, stylesheet,
//! copied pictures) is recorded in `.fitsm-pack/site.json` *before* it is written, so a
//! killed build leaves no generated file unrecorded, and a file the record does not
//! know is never deleted. `html/` is the site's folder, though: if a generated file
//! needs the path of a file fitsm-pack did not make, it is written there and the build
//! says which file it replaced (a warning), rather than failing the site.
//!
//! A site with nothing to do is left alone: if every Markdown source and generated
//! file is as the last finished site build left it (`stamps`), and nothing else the
//! site is made from changed, the build stops before compiling a template.

pub mod asset;
pub mod markdown;
mod nav;
mod print;
mod record;
mod search;
mod stamps;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use serde::Serialize;
use tera::Tera;

use crate::document::{Document, field_label};
use crate::error::{Error, tera_chain};
use crate::fs::Stamp;
use crate::pack::paths::relative_href;
use crate::pack::shipped::{self, NameProblem};
use crate::plan::Plan;
use crate::progress::{Progress, Step};
use crate::templates::{DocumentGroup, TemplateSet};
use asset::UnsafeAsset;
use nav::{GroupTitles, Nav, navigation, navigation_full};
use record::SiteCache;
use stamps::{Seen, SiteStamps};

const LAYOUT: &str = "html/layout.html";
const INDEX: &str = "html/index.html";
const STYLESHEET: &str = "html/style.css";
const TOP: &str = "html/partials/top.html";
const CONTROL: &str = "html/partials/control.html";
const SEARCH: &str = "html/search.html";
const PRINT: &str = "html/print.html";
/// Scripts the site ships as they are: (template file, path under `html/`).
const SCRIPTS: [(&str, &str); 3] = [
    ("html/site.js", "assets/site.js"),
    ("html/search.js", "assets/search.js"),
    ("html/vendor/minisearch.js", "assets/minisearch.js"),
];
/// Groups with more documents than this are listed on the index page only, so that
/// every page of a pack with thousands of services does not carry thousands of links.
const SIDEBAR_LIMIT: usize = 40;

/// What the site step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteReport {
    pub pages: usize,
    pub written: Vec<String>,
    /// Generated files removed because their source is gone.
    pub removed: Vec<String>,
    /// Files of `markdown/` the site left out, with why (warnings).
    pub skipped: Vec<NotCopied>,
    /// Files in `html/` that fitsm-pack had not made, replaced by a generated file of the
    /// same path (warnings).
    pub replaced: Vec<String>,
}

/// A file of `markdown/` that has no place in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCopied {
    /// Path relative to the output folder, e.g. `markdown/chart.svg`.
    pub path: String,
    pub reason: NotCopiedReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotCopiedReason {
    /// Its name cannot be represented safely in the site (or the zip).
    Name(NameProblem),
    /// A browser could run it.
    Content(UnsafeAsset),
    /// `markdown/index.md` would have the path of the site's own index page.
    ReplacesIndex,
}

impl NotCopied {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match &self.reason {
            NotCopiedReason::Name(problem) => problem.hint(),
            NotCopiedReason::Content(_) => {
                "export it again as a plain picture (no scripts, event attributes or links out of it), \
                 then build again"
            }
            NotCopiedReason::ReplacesIndex => "rename it: the site makes its own index page",
        }
    }
}

impl fmt::Display for NotCopied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            NotCopiedReason::Name(problem) => write!(f, "{}: {problem}", self.path),
            NotCopiedReason::Content(problem) => write!(f, "{}: {problem}", self.path),
            NotCopiedReason::ReplacesIndex => {
                write!(f, "{}: its page would replace the site's index page (html/index.html)", self.path)
            }
        }
    }
}

/// Organisation facts shown on the index page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub org_name: String,
    pub org_description: Option<String>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub service_desk: Option<String>,
    pub scope_statement: Option<String>,
    pub language: String,
    pub pack_version: String,
    pub generator: String,
    /// The pack's attribution wording as inline HTML (see `pack::attribution`).
    pub attribution_html: String,
}

/// One Markdown document of the pack, read from disk: what the navigation, the index
/// and the document-control tables need, and the body while the bodies kept so far
/// fit in [`BODIES_KEPT`]. At 10,000 services the bodies are 440 MB, so beyond that a
/// page's body is read again when its page is rendered, a batch at a time
/// ([`SourcePage::body`]); a pack of a few thousand documents reads each file once.
struct SourcePage {
    /// Path under `markdown/`, e.g. `services/hpc/service-level-agreement.md`.
    markdown_path: String,
    /// SHA-256 of the Markdown file, to skip pages whose input did not change.
    sha256: String,
    /// Path under `html/`, e.g. `services/hpc/service-level-agreement.html`.
    html_path: String,
    /// Front matter; `document.body` is empty when `body_kept` is false.
    document: Document,
    body_kept: bool,
    title: String,
    group: Option<DocumentGroup>,
    order: usize,
}

/// Bytes of Markdown bodies the site keeps from listing its pages to rendering them.
const BODIES_KEPT: usize = 64 << 20;

/// Builds `out/html/` from `out/markdown/`.
pub fn build_site(
    out: &Path,
    plan: &Plan,
    info: &SiteInfo,
    templates: &TemplateSet,
    progress: &dyn Progress,
) -> Result<SiteReport, Error> {
    // Stamps taken from here on prove a file unchanged only if it is older than this.
    let stamped = SystemTime::now();
    // Everything the site reads is listed, named and checked before the first write.
    let Source { pages, assets, mut skipped } = Source::list(out)?;
    let inputs = site_inputs(templates, info, plan);
    let (previous, record_text) = SiteCache::load(out);
    let sources: Vec<String> = pages.iter().chain(&assets).map(|path| format!("markdown/{path}")).collect();
    if SiteStamps::load(out).vouch_for(out, (&inputs, &record_text), &sources) {
        return Ok(SiteReport { pages: pages.len() + 3, skipped, ..SiteReport::default() });
    }
    let tera = compile(templates)?;
    let titles = GroupTitles::load(templates)?;
    let mut stamps = BTreeMap::new();
    let pages = read_pages(out, plan, &pages, &mut skipped, (&mut stamps, stamped))?;
    let nav = Nav::new(titles, &pages);
    let assets = read_assets(out, &assets, &mut skipped, (&mut stamps, stamped))?;
    // The documents' pages, the index, search and the print page.
    let mut report = SiteReport { pages: pages.len() + 3, skipped, ..SiteReport::default() };
    let html_root = out.join("html");

    // A page is rendered again only when its Markdown or something every page shares
    // (layout, stylesheet, organisation facts, navigation) changed since the last build.
    let shared = site_signature(templates, info, &pages, &nav);
    let fresh: Vec<bool> = pages
        .iter()
        .map(|page| {
            previous.signature == shared
                && previous.pages.get(&page.html_path) == Some(&page.sha256)
                && html_root.join(&page.html_path).is_file()
        })
        .collect();
    let pending: Vec<usize> = (0..pages.len()).filter(|&index| !fresh[index]).collect();
    // The search index and the print page hold every page's text: made again whenever
    // any page is. Pages of groups too large for the sidebar are in them by title only.
    let whole_pack_stale = !pending.is_empty()
        || [search::INDEX_SCRIPT, print::PRINT_PAGE].iter().any(|path| !html_root.join(path).is_file());
    let in_full = nav::listed_in_full(&pages);
    let index = render_index(&tera, templates, info, (&pages, &nav))?;
    let search_page = render_search(&tera, templates, info, (&pages, &nav))?;
    let generated: BTreeSet<String> = pages
        .iter()
        .map(|page| page.html_path.clone())
        .chain([INDEX_PAGE, SEARCH_PAGE, STYLESHEET_PATH, search::INDEX_SCRIPT, print::PRINT_PAGE].map(str::to_owned))
        .chain(SCRIPTS.iter().map(|(_, path)| (*path).to_owned()))
        .chain(assets.iter().map(|(path, _)| path.clone()))
        .collect();

    // Recorded before written: whatever point a build is killed at, every generated
    // file on disk is in the record. Only pages that are fresh already count as fresh.
    let known = previous.generated_files(&assets);
    let in_progress = SiteCache {
        signature: shared.clone(),
        pages: pages
            .iter()
            .zip(&fresh)
            .filter(|(_, fresh)| **fresh)
            .map(|(page, _)| (page.html_path.clone(), page.sha256.clone()))
            .collect(),
        files: known.union(&generated).cloned().collect(),
    };
    SiteStamps::clear(out)?;
    in_progress.save(out)?;

    // Pages are rendered and written a batch at a time, so a pack of thousands of
    // documents never holds all its HTML at once; the bodies the search index and the
    // print page need are kept.
    progress.start(Step::Site, pending.len());
    let mut kept: HashMap<usize, markdown::Page> = HashMap::new();
    // Pages whose Markdown changed on disk between the listing and the rendering: not
    // recorded as done, so the next build renders them again.
    let mut moved: BTreeSet<usize> = BTreeSet::new();
    for batch in pending.chunks(PAGE_BATCH) {
        // One page a task: the whole-pack pages are large, and rayon's default split
        // could leave them all to one thread.
        // Each page is written by the thread that renders it, so a batch holding the
        // whole-pack pages (megabytes each at thousands of services) never holds all
        // their HTML at once; only the bodies the search index and print page need wait.
        let rendered: Vec<(usize, Option<markdown::Page>, PageWrite, bool)> = batch
            .par_iter()
            .with_max_len(1)
            .map(|&index| {
                let page = &pages[index];
                let (body, same) = page.body(out)?;
                let body = markdown::render(&body);
                let html = render_page(&tera, templates, info, (&pages, &nav), index, &body)?;
                let relative = page.html_path.as_str();
                let written = write_page(&html_root, relative, html.as_bytes(), known.contains(relative))?;
                let size = html.len();
                drop(html);
                crate::memory::release_after(size);
                progress.advance(1);
                let keep = whole_pack_stale && in_full[index];
                Ok((index, keep.then_some(body), written, same))
            })
            .collect::<Result<_, Error>>()?;
        for (index, body, written, same) in rendered {
            written.report(&pages[index].html_path, &mut report);
            if let Some(body) = body {
                kept.insert(index, body);
            }
            if !same {
                moved.insert(index);
            }
        }
    }
    progress.finish();
    if whole_pack_stale {
        // Fresh pages are in the search index and the print page too.
        let fresh_in_full: Vec<usize> = (0..pages.len()).filter(|&index| fresh[index] && in_full[index]).collect();
        let bodies = fresh_in_full
            .par_iter()
            .with_max_len(1)
            .map(|&index| Ok((index, markdown::render(&pages[index].body(out)?.0))))
            .collect::<Result<Vec<_>, Error>>()?;
        kept.extend(bodies);
    }
    let whole_pack = if whole_pack_stale {
        let index_script = search::index_script(&pages, |index| {
            in_full[index].then(|| kept.get(&index)).flatten().map(|body| body.sections.as_slice())
        });
        let print_page = render_print(&tera, templates, info, (&pages, &nav), (&in_full, &kept))?;
        Some((index_script, print_page))
    } else {
        None
    };
    let css = templates.get(STYLESHEET).map(|f| f.text.as_str()).unwrap_or_default();

    let mut writes: Vec<(&str, &[u8])> =
        vec![(INDEX_PAGE, index.as_bytes()), (SEARCH_PAGE, search_page.as_bytes()), (STYLESHEET_PATH, css.as_bytes())];
    for (template, path) in SCRIPTS {
        writes.push((path, templates.get(template).map(|f| f.text.as_bytes()).unwrap_or_default()));
    }
    if let Some((index_script, print_page)) = &whole_pack {
        writes.push((search::INDEX_SCRIPT, index_script.as_bytes()));
        writes.push((print::PRINT_PAGE, print_page.as_bytes()));
    }
    writes.extend(assets.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())));
    for (relative, bytes) in writes {
        write_if_changed(&html_root, relative, bytes, known.contains(relative), &mut report)?;
    }
    remove_stale_files(&html_root, known.difference(&generated), &mut report)?;
    // A page whose Markdown changed while it was rendered proves nothing: no stamp.
    for &index in &moved {
        stamps.remove(&format!("markdown/{}", pages[index].markdown_path));
    }
    let done = SiteCache {
        signature: shared,
        pages: pages
            .iter()
            .enumerate()
            .filter(|(index, _)| !moved.contains(index))
            .map(|(_, page)| (page.html_path.clone(), page.sha256.clone()))
            .collect(),
        files: generated,
    };
    let record_sha256 = done.save(out)?;
    // A shortcut for the next build, which does without it if it cannot be saved.
    let _ = SiteStamps::taken_now(out, (inputs, record_sha256), stamps, &done.files).save(out);
    Ok(report)
}

/// Pages rendered and written together (in parallel): enough to keep both cores busy,
/// few enough that a pack of thousands of documents holds only this many in memory.
const PAGE_BATCH: usize = 256;

/// The index page: every document by group, with owner and next review.
fn render_index(
    tera: &Tera,
    templates: &TemplateSet,
    info: &SiteInfo,
    (pages, nav): (&[SourcePage], &Nav),
) -> Result<String, Error> {
    render_template(
        tera,
        templates,
        INDEX,
        serde_json::json!({
            "site": info,
            "nav": navigation(pages, None, nav),
            "groups": navigation_full(pages, nav),
            "document_count": pages.len(),
            "page": { "title": info.org_name, "root": "" },
        }),
    )
}

/// `search.html`: the search box and, filled in by `html/search.js`, the results.
fn render_search(
    tera: &Tera,
    templates: &TemplateSet,
    info: &SiteInfo,
    (pages, nav): (&[SourcePage], &Nav),
) -> Result<String, Error> {
    render_template(
        tera,
        templates,
        SEARCH,
        serde_json::json!({
            "site": info,
            "nav": navigation(pages, None, nav),
            "page": { "title": "Search", "root": "" },
        }),
    )
}

/// `print.html`: every page of a group small enough for the sidebar, in reading order;
/// the large groups are named with a link to their list.
fn render_print(
    tera: &Tera,
    templates: &TemplateSet,
    info: &SiteInfo,
    (pages, nav): (&[SourcePage], &Nav),
    (in_full, bodies): (&[bool], &HashMap<usize, markdown::Page>),
) -> Result<String, Error> {
    let in_print: Vec<usize> = (0..pages.len()).filter(|&index| in_full[index]).collect();
    let anchors = print::anchors(in_print.iter().map(|&index| &pages[index]));
    let printed: Vec<usize> = in_print.into_iter().filter(|index| bodies.contains_key(index)).collect();
    // A document's heading and body, ids prefixed and links rebased onto the print page.
    let rebased = |index: usize| {
        let page = &pages[index];
        let anchor = anchors.get(&page.html_path).map_or("", String::as_str);
        let id = page.document.field("id").unwrap_or_default();
        let html = bodies.get(&index).map_or("", |body| body.html.as_str());
        let (heading, body) = split_title(html, &page.title);
        let rebase = |html: &str| print::rebase(html, (&page.html_path, id), anchor, &anchors);
        (rebase(&heading), rebase(&body))
    };
    let mut documents = Vec::with_capacity(printed.len());
    let mut page_rules = print::page_rule(None, &print::css_string(&info.org_name), None);
    for (n, &index) in printed.iter().enumerate() {
        let page = &pages[index];
        let anchor = anchors.get(&page.html_path).cloned().unwrap_or_default();
        let running_header = print::running_header(page);
        page_rules.push_str(&print::page_rule(Some(&anchor), "", Some(&running_header)));
        documents.push(print::PrintDocument {
            heading: rebased(index).0,
            body: print::body_marker(n),
            title: page.title.clone(),
            id: page.document.field("id").unwrap_or_default().to_owned(),
            draft_notice: page.document.draft_notice(),
            control: control_rows(&page.document),
            running_header,
            anchor,
        });
    }
    let left_out: Vec<serde_json::Value> = navigation_full(pages, nav)
        .iter()
        .filter(|group| group.items.len() > SIDEBAR_LIMIT)
        .map(|group| serde_json::json!({ "title": group.title, "id": group.id, "count": group.items.len() }))
        .collect();
    let render = |documents: &[print::PrintDocument]| {
        render_template(
            tera,
            templates,
            PRINT,
            serde_json::json!({
                "site": info,
                "nav": navigation(pages, None, nav),
                "documents": documents,
                "left_out": left_out,
                "page": { "title": "The whole pack for printing", "root": "", "print_css": page_rules },
            }),
        )
    };
    // The bodies are nearly all of the page (tens of MB at thousands of services), so
    // the template gets a marker for each, and each body is put in its place after,
    // one at a time: the bodies are not copied into the template's context and out
    // again. A template that does not show each marker once gets the bodies themselves.
    let page = render(&documents)?;
    if let Some(page) = print::fill_bodies(&page, printed.len(), |n| rebased(printed[n]).1) {
        return Ok(page);
    }
    for (document, &index) in documents.iter_mut().zip(&printed) {
        document.body = rebased(index).1;
    }
    render(&documents)
}

/// The site's own files, at the root of `html/`.
const INDEX_PAGE: &str = "index.html";
const SEARCH_PAGE: &str = "search.html";
const STYLESHEET_PATH: &str = "assets/style.css";

/// The files of `markdown/` the site is made from, by name, before any is read.
struct Source {
    /// Paths under `markdown/` of the documents.
    pages: Vec<String>,
    /// Paths under `markdown/` of the pictures and PDFs to copy.
    assets: Vec<String>,
    skipped: Vec<NotCopied>,
}

impl Source {
    fn list(out: &Path) -> Result<Source, Error> {
        let listing = shipped::walk(out, "markdown")?;
        let mut source = Source { pages: Vec::new(), assets: Vec::new(), skipped: Vec::new() };
        for path in listing.files {
            let Some(relative) = path.strip_prefix("markdown/") else { continue };
            if relative.ends_with(".md") {
                source.pages.push(relative.to_owned());
            } else if asset_extension(relative).is_some() {
                source.assets.push(relative.to_owned());
            }
        }
        // Names nobody would miss in the site (notes.txt, a spreadsheet) are the zip's
        // and check's to report; the site names what it would have used.
        source.skipped = listing
            .skipped
            .into_iter()
            .filter(|s| s.path.ends_with(".md") || asset_extension(&s.path).is_some())
            .map(|s| NotCopied { path: s.path, reason: NotCopiedReason::Name(s.problem) })
            .collect();
        Ok(source)
    }
}

fn render_page(
    tera: &Tera,
    templates: &TemplateSet,
    info: &SiteInfo,
    (pages, nav): (&[SourcePage], &Nav),
    index: usize,
    rendered: &markdown::Page,
) -> Result<String, Error> {
    let page = &pages[index];
    let (heading, body) = split_title(&rendered.html, &page.title);
    let root = relative_href(&page.html_path, "");
    // Previous and next in reading order (the order of the index page).
    let neighbour = |other: Option<&SourcePage>| {
        other.map(|other| serde_json::json!({ "title": other.title, "href": relative_href(&page.html_path, &other.html_path) }))
    };
    let print_css = print::page_rule(None, &print::css_string(&info.org_name), Some(&print::running_header(page)));
    render_template(
        tera,
        templates,
        LAYOUT,
        serde_json::json!({
            "site": info,
            "nav": navigation(pages, Some(index), nav),
            "page": {
                "title": page.title,
                "heading": heading,
                "body": body,
                "toc": rendered.toc,
                "control": control_rows(&page.document),
                "draft_notice": page.document.draft_notice(),
                "front_matter_error": page.document.front_matter_error,
                "root": root,
                "source": format!("markdown/{}", page.markdown_path),
                "previous": neighbour(index.checked_sub(1).and_then(|i| pages.get(i))),
                "next": neighbour(pages.get(index + 1)),
                "print_css": print_css,
            },
        }),
    )
}

/// Hash of everything the site is made from except the Markdown files: the site's
/// templates, the organisation facts it shows, the plan's order and grouping of the
/// documents, and the generator.
fn site_inputs(templates: &TemplateSet, info: &SiteInfo, plan: &Plan) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(concat!("fitsm-pack ", env!("CARGO_PKG_VERSION"), "\0"));
    for file in templates.files().filter(|file| file.name.starts_with("html/")) {
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    hasher.update(serde_json::to_string(info).unwrap_or_default());
    for document in &plan.documents {
        hasher.update(format!("\0{}\0{:?}", document.path, document.group));
    }
    crate::fs::hex(&hasher.finalize())
}

/// Hash of what every page shares: layout and index templates, stylesheet, site facts
/// and the navigation (titles and paths of the listed documents).
fn site_signature(templates: &TemplateSet, info: &SiteInfo, pages: &[SourcePage], nav: &Nav) -> String {
    let mut shared = String::new();
    for name in [TOP, CONTROL, LAYOUT, INDEX, STYLESHEET, SEARCH, PRINT] {
        shared.push_str(templates.get(name).map_or("", |f| f.text.as_str()));
        shared.push('\0');
    }
    shared.push_str(&serde_json::to_string(info).unwrap_or_default());
    shared.push_str(&serde_json::to_string(&navigation(pages, None, nav)).unwrap_or_default());
    shared.push_str(concat!("\0", env!("CARGO_PKG_VERSION")));
    crate::fs::sha256_hex(shared.as_bytes())
}

/// The lowercase extension of a file the site copies, if `path` is one.
fn asset_extension(path: &str) -> Option<String> {
    let extension = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    asset::EXTENSIONS.contains(&extension.as_str()).then_some(extension)
}

/// Images beside the documents (the assessment chart, pictures people add) are copied
/// to the same place in the site, so relative links keep working. Only images and PDFs
/// that a browser would not run (see [`asset`]); HTML and scripts are never copied.
/// Returns (path under `html/`, bytes), all read and checked before anything is written.
fn read_assets(
    out: &Path,
    assets: &[String],
    skipped: &mut Vec<NotCopied>,
    (stamps, stamped): (&mut BTreeMap<String, Seen>, SystemTime),
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let markdown_root = out.join("markdown");
    let mut copies = Vec::new();
    for relative in assets {
        let (bytes, stamp) = read_source(&markdown_root, relative)?;
        let extension = asset_extension(relative).unwrap_or_default();
        match asset::check(&extension, &bytes) {
            Ok(()) => {
                // Only copied pictures are stamped: one left out is checked (and named)
                // again by every build.
                stamps.insert(format!("markdown/{relative}"), Seen::new(stamp, stamped, crate::fs::sha256_hex(&bytes)));
                copies.push((relative.clone(), bytes));
            }
            Err(problem) => skipped
                .push(NotCopied { path: format!("markdown/{relative}"), reason: NotCopiedReason::Content(problem) }),
        }
    }
    Ok(copies)
}

/// Generated files whose source is gone (a document whose entity left the config, a
/// picture someone deleted) are removed. Only files of the record reach this, and never
/// through a symbolic link.
fn remove_stale_files<'a>(
    html_root: &Path,
    stale: impl Iterator<Item = &'a String>,
    report: &mut SiteReport,
) -> Result<(), Error> {
    for relative in stale {
        let Ok(target) = crate::fs::safe_join(html_root, relative) else { continue };
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            crate::fs::remove_if_exists(&target)?;
            report.removed.push(format!("html/{relative}"));
        }
    }
    Ok(())
}

fn compile(templates: &TemplateSet) -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Tera's default also turns `/` into `&#x2F;`, which is valid but makes every path in
    // the site unreadable; `& < > "` is what text and double-quoted attributes need.
    tera.set_escape_fn(escape_html);
    let sources: Vec<(String, String)> = [TOP, CONTROL, LAYOUT, INDEX, SEARCH, PRINT]
        .iter()
        .filter_map(|name| templates.get(name).map(|f| (f.name.clone(), f.text.clone())))
        .collect();
    tera.add_raw_templates(sources).map_err(|e| layout_error(templates, LAYOUT, &e))?;
    Ok(tera)
}

/// Renders one of the site's templates; errors name the template and its line.
fn render_template(
    tera: &Tera,
    templates: &TemplateSet,
    name: &str,
    context: serde_json::Value,
) -> Result<String, Error> {
    let context = tera::Context::from_serialize(context).map_err(|e| layout_error(templates, name, &e))?;
    tera.render(name, &context).map_err(|e| layout_error(templates, name, &e))
}

fn layout_error(templates: &TemplateSet, name: &str, error: &tera::Error) -> Error {
    templates.error(name, tera_chain(error))
}

fn read_pages(
    out: &Path,
    plan: &Plan,
    sources: &[String],
    skipped: &mut Vec<NotCopied>,
    (stamps, stamped): (&mut BTreeMap<String, Seen>, SystemTime),
) -> Result<Vec<SourcePage>, Error> {
    let markdown_root = out.join("markdown");
    let planned: HashMap<&str, (DocumentGroup, usize)> =
        plan.documents.iter().enumerate().map(|(i, d)| (d.path.as_str(), (d.group, i))).collect();
    let mut pages = Vec::new();
    let mut kept_bytes = 0;
    for markdown_path in sources {
        let html_path = format!("{}.html", markdown_path.strip_suffix(".md").unwrap_or(markdown_path));
        if html_path == INDEX_PAGE {
            skipped
                .push(NotCopied { path: format!("markdown/{markdown_path}"), reason: NotCopiedReason::ReplacesIndex });
            continue;
        }
        let (bytes, stamp) = read_source(&markdown_root, markdown_path)?;
        let sha256 = crate::fs::sha256_hex(&bytes);
        stamps.insert(format!("markdown/{markdown_path}"), Seen::new(stamp, stamped, sha256.clone()));
        let document = Document::parse(&String::from_utf8_lossy(&bytes));
        let fallback_title = || {
            markdown::render(&document.body).title.unwrap_or_else(|| markdown_path.trim_end_matches(".md").to_owned())
        };
        let title = document.field("title").filter(|t| !t.trim().is_empty()).map_or_else(fallback_title, str::to_owned);
        let (group, order) = planned.get(markdown_path.as_str()).map_or((None, usize::MAX), |(g, i)| (Some(*g), *i));
        let markdown_path = markdown_path.clone();
        kept_bytes += document.body.len();
        let body_kept = kept_bytes <= BODIES_KEPT;
        let document = if body_kept { document } else { Document { body: String::new(), ..document } };
        pages.push(SourcePage { markdown_path, sha256, html_path, document, body_kept, title, group, order });
    }
    pages.sort_by(|a, b| {
        (a.group.is_none(), a.group, a.order, &a.title).cmp(&(b.group.is_none(), b.group, b.order, &b.title))
    });
    Ok(pages)
}

impl SourcePage {
    /// The page's Markdown body (kept, or read again), and whether it is the text that
    /// was listed (someone may save the file while the site is built; the page then
    /// shows the saved text and is rendered again next time; one deleted meanwhile
    /// shows empty).
    fn body(&self, out: &Path) -> Result<(Cow<'_, str>, bool), Error> {
        if self.body_kept {
            return Ok((Cow::Borrowed(&self.document.body), true));
        }
        let path = out.join("markdown").join(&self.markdown_path);
        let Some(bytes) = crate::fs::read_bytes_if_exists(&path)? else { return Ok((Cow::Borrowed(""), false)) };
        let same = crate::fs::sha256_hex(&bytes) == self.sha256;
        Ok((Cow::Owned(Document::parse(&String::from_utf8_lossy(&bytes)).body), same))
    }
}

/// A file the listing found under `markdown/`, with its stamp.
fn read_source(markdown_root: &Path, relative: &str) -> Result<(Vec<u8>, Stamp), Error> {
    let path = markdown_root.join(relative);
    let gone = || Error::Read { path: path.clone(), source: std::io::ErrorKind::NotFound.into() };
    crate::fs::read_bytes_stamped(&path)?.ok_or_else(gone)
}

/// The document-control table: every front-matter field except the title (the page's
/// heading), with readable labels.
fn control_rows(document: &Document) -> Vec<(String, String)> {
    document
        .fields
        .iter()
        .filter(|(key, _)| key != "title")
        .map(|(key, value)| (field_label(key), value.clone()))
        .collect()
}

/// Splits the rendered body into its first `<h1>` and the rest, so the layout can put
/// the document-control table and contents right under the title. A page without an
/// `<h1>` gets one from its title: every page has exactly one top heading.
fn split_title(html: &str, title: &str) -> (String, String) {
    if let Some(start) = html.find("<h1")
        && let Some(end) = html[start..].find("</h1>")
    {
        let end = start + end + "</h1>".len();
        let rest = format!("{}{}", &html[..start], &html[end..]);
        return (html[start..end].to_owned(), rest);
    }
    (format!("<h1>{}</h1>", escape_html(title)), html.to_owned())
}

/// Escapes text for HTML text and double-quoted attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// Writes `relative` under `root` unless it already holds `bytes`. A file there that
/// the site record does not know (`known` false) is replaced all the same (the site
/// needs that path), but reported.
fn write_if_changed(
    root: &Path,
    relative: &str,
    bytes: &[u8],
    known: bool,
    report: &mut SiteReport,
) -> Result<(), Error> {
    write_page(root, relative, bytes, known)?.report(relative, report);
    Ok(())
}

/// What [`write_page`] did, for the report.
#[derive(Clone, Copy)]
enum PageWrite {
    Unchanged,
    /// Written where the site had made the file, or where there was none.
    New,
    /// Written over a file the site had not made.
    Replaced,
}

impl PageWrite {
    fn report(self, relative: &str, report: &mut SiteReport) {
        if let PageWrite::Replaced = self {
            report.replaced.push(format!("html/{relative}"));
        }
        if !matches!(self, PageWrite::Unchanged) {
            report.written.push(format!("html/{relative}"));
        }
    }
}

/// [`write_if_changed`], telling what it did instead of reporting it: pages are
/// written from the threads that render them.
fn write_page(root: &Path, relative: &str, bytes: &[u8], known: bool) -> Result<PageWrite, Error> {
    let target = crate::fs::safe_join(root, relative)?;
    let someone_elses = !known && target.is_file();
    Ok(match crate::fs::write_if_changed(&target, bytes)? {
        false => PageWrite::Unchanged,
        true if someone_elses => PageWrite::Replaced,
        true => PageWrite::New,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_well() {
        assert_eq!(field_label("next_review"), "Next review");
        assert_eq!(field_label("classification"), "Classification");
        assert_eq!(field_label("custom_field"), "Custom field");
    }

    #[test]
    fn every_page_gets_exactly_one_top_heading() {
        let (heading, rest) = split_title("<p>a</p><h1 id=\"t\">T</h1><h2>x</h2>", "T");
        assert_eq!(heading, "<h1 id=\"t\">T</h1>");
        assert_eq!(rest, "<p>a</p><h2>x</h2>");
        let (heading, _) = split_title("<p>no heading</p>", "A <b>");
        assert_eq!(heading, "<h1>A &lt;b&gt;</h1>");
    }
}
