//! The static site: every Markdown document *as it stands on disk* (so people's edits
//! show) rendered to HTML with a layout, a sidebar, a per-page table of contents and a
//! document-control table, plus an index page and the stylesheet.
//!
//! The layout and CSS are templates like the documents (`templates/html/`), so an
//! organisation can restyle the site with the same overlay folder. They are rendered by
//! a Tera instance of their own, with Tera's HTML escaping (the document templates use
//! Markdown escaping instead).

pub mod markdown;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use serde::Serialize;
use tera::Tera;

use crate::document::{Document, field_label};
use crate::error::{Error, TemplateError, tera_chain};
use crate::output;
use crate::plan::Plan;
use crate::render::links::relative_path;
use crate::templates::{DocumentGroup, Origin, TemplateSet};

const LAYOUT: &str = "html/layout.html";
const INDEX: &str = "html/index.html";
const STYLESHEET: &str = "html/style.css";
const TOP: &str = "html/partials/top.html";
/// Groups with more documents than this are listed on the index page only, so that
/// every page of a pack with thousands of services does not carry thousands of links.
const SIDEBAR_LIMIT: usize = 40;

/// What the site step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteReport {
    pub pages: usize,
    pub written: Vec<String>,
    /// Pages removed because their document is gone.
    pub removed: Vec<String>,
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
}

/// One Markdown document of the pack, read from disk.
struct SourcePage {
    /// Path under `markdown/`, e.g. `services/hpc/service-level-agreement.md`.
    markdown_path: String,
    /// SHA-256 of the Markdown file, to skip pages whose input did not change.
    sha256: String,
    /// Path under `html/`, e.g. `services/hpc/service-level-agreement.html`.
    html_path: String,
    document: Document,
    title: String,
    group: Option<DocumentGroup>,
    order: usize,
}

#[derive(Serialize)]
struct NavGroup {
    id: &'static str,
    title: &'static str,
    items: Vec<NavItem>,
    /// The group is too long for the sidebar: link to its list on the index page.
    collapsed: bool,
}

#[derive(Serialize, Clone)]
struct NavItem {
    title: String,
    href: String,
    current: bool,
    id: String,
    owner: String,
    next_review: String,
}

/// Builds `out/html/` from `out/markdown/`.
pub fn build_site(out: &Path, plan: &Plan, info: &SiteInfo, templates: &TemplateSet) -> Result<SiteReport, Error> {
    let tera = compile(templates)?;
    let pages = read_pages(out, plan)?;
    let mut report = SiteReport { pages: pages.len() + 1, ..SiteReport::default() };
    let html_root = out.join("html");

    // A page is rendered again only when its Markdown or something every page shares
    // (layout, stylesheet, organisation facts, navigation) changed since the last build.
    let shared = site_signature(templates, info, &pages);
    let previous = SiteCache::load(out);
    let mut cache = SiteCache { signature: shared.clone(), pages: BTreeMap::new() };
    let pending: Vec<usize> = (0..pages.len())
        .filter(|&index| {
            let page = &pages[index];
            let fresh = previous.signature == shared
                && previous.pages.get(&page.html_path) == Some(&page.sha256)
                && html_root.join(&page.html_path).is_file();
            !fresh
        })
        .collect();
    let rendered: Vec<(usize, String)> = pending
        .par_iter()
        .map(|&index| render_page(&tera, templates, info, &pages, index).map(|html| (index, html)))
        .collect::<Result<_, Error>>()?;
    for (index, html) in rendered {
        write_if_changed(&html_root, &pages[index].html_path, html.as_bytes(), &mut report)?;
    }
    for page in &pages {
        cache.pages.insert(page.html_path.clone(), page.sha256.clone());
    }

    let context = tera::Context::from_serialize(serde_json::json!({
        "site": info,
        "nav": navigation(&pages, None),
        "groups": navigation_full(&pages),
        "document_count": pages.len(),
        "page": { "title": info.org_name, "root": "" },
    }))
    .map_err(|e| layout_error(templates, INDEX, &e))?;
    let index = tera.render(INDEX, &context).map_err(|e| layout_error(templates, INDEX, &e))?;
    write_if_changed(&html_root, "index.html", index.as_bytes(), &mut report)?;

    let css = templates.get(STYLESHEET).map(|f| f.text.as_str()).unwrap_or_default();
    write_if_changed(&html_root, "assets/style.css", css.as_bytes(), &mut report)?;
    copy_assets(out, &html_root, &mut report)?;
    remove_stale_pages(&html_root, &pages, &mut report)?;
    cache.save(out)?;
    Ok(report)
}

fn render_page(
    tera: &Tera,
    templates: &TemplateSet,
    info: &SiteInfo,
    pages: &[SourcePage],
    index: usize,
) -> Result<String, Error> {
    let page = &pages[index];
    let rendered = markdown::render(&page.document.body);
    let (heading, body) = split_title(&rendered.html, &page.title);
    let root = relative_path(&page.html_path, "");
    let context = tera::Context::from_serialize(serde_json::json!({
        "site": info,
        "nav": navigation(pages, Some(index)),
        "page": {
            "title": page.title,
            "heading": heading,
            "body": body,
            "toc": rendered.toc,
            "control": control_rows(&page.document),
            "front_matter_error": page.document.front_matter_error,
            "root": root,
            "source": format!("markdown/{}", page.markdown_path),
        },
    }))
    .map_err(|e| layout_error(templates, LAYOUT, &e))?;
    tera.render(LAYOUT, &context).map_err(|e| layout_error(templates, LAYOUT, &e))
}

/// Hash of what every page shares: layout and index templates, stylesheet, site facts
/// and the navigation (titles and paths of the listed documents).
fn site_signature(templates: &TemplateSet, info: &SiteInfo, pages: &[SourcePage]) -> String {
    let mut shared = String::new();
    for name in [TOP, LAYOUT, INDEX, STYLESHEET] {
        shared.push_str(templates.get(name).map_or("", |f| f.text.as_str()));
        shared.push('\0');
    }
    shared.push_str(&serde_json::to_string(info).unwrap_or_default());
    shared.push_str(&serde_json::to_string(&navigation(pages, None)).unwrap_or_default());
    shared.push_str(concat!("\0", env!("CARGO_PKG_VERSION")));
    output::sha256_hex(shared.as_bytes())
}

/// `.fitsm-pack/site.json`: the shared signature and the Markdown hash of every page
/// as of the last site build.
#[derive(Debug, Default, Serialize, serde::Deserialize, PartialEq)]
struct SiteCache {
    signature: String,
    pages: BTreeMap<String, String>,
}

impl SiteCache {
    const FILE: &'static str = "site.json";

    fn load(out: &Path) -> Self {
        let path = out.join(output::STATE_DIR).join(Self::FILE);
        std::fs::read_to_string(path).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
    }

    fn save(&self, out: &Path) -> Result<(), Error> {
        let path = out.join(output::STATE_DIR).join(Self::FILE);
        let text = serde_json::to_string(self).unwrap_or_default();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            output::write_atomic(&path, text.as_bytes())?;
        }
        Ok(())
    }
}

/// Images beside the documents (the assessment chart, pictures people add) are copied
/// to the same place in the site, so relative links keep working. Only image and PDF
/// files: anything that a browser could run (HTML, scripts) is never copied.
const ASSET_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"];

fn copy_assets(out: &Path, html_root: &Path, report: &mut SiteReport) -> Result<(), Error> {
    let markdown_root = out.join("markdown");
    for entry in walkdir::WalkDir::new(&markdown_root).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let is_asset = entry.file_type().is_file()
            && entry
                .path()
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ASSET_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            && !entry.file_name().to_string_lossy().starts_with('.');
        let Some(relative) = entry.path().strip_prefix(&markdown_root).ok().and_then(|p| p.to_str()) else { continue };
        if is_asset {
            let bytes =
                std::fs::read(entry.path()).map_err(|source| Error::Read { path: entry.path().to_owned(), source })?;
            write_if_changed(html_root, &relative.replace('\\', "/"), &bytes, report)?;
        }
    }
    Ok(())
}

/// Pages whose Markdown document is gone (its entity left the config, or someone
/// deleted it) are removed: `html/` is entirely generated, nobody edits it.
fn remove_stale_pages(html_root: &Path, pages: &[SourcePage], report: &mut SiteReport) -> Result<(), Error> {
    let current: std::collections::HashSet<&str> = pages.iter().map(|p| p.html_path.as_str()).collect();
    for entry in walkdir::WalkDir::new(html_root).into_iter().filter_map(Result::ok) {
        let is_page = entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html");
        let Some(relative) = entry.path().strip_prefix(html_root).ok().and_then(|p| p.to_str()) else { continue };
        let relative = relative.replace('\\', "/");
        if is_page && relative != "index.html" && !current.contains(relative.as_str()) {
            output::remove_if_exists(entry.path())?;
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
    let sources: Vec<(String, String)> = [TOP, LAYOUT, INDEX]
        .iter()
        .filter_map(|name| templates.get(name).map(|f| (f.name.clone(), f.text.clone())))
        .collect();
    tera.add_raw_templates(sources).map_err(|e| layout_error(templates, LAYOUT, &e))?;
    Ok(tera)
}

fn layout_error(templates: &TemplateSet, name: &str, error: &tera::Error) -> Error {
    let origin = templates.get(name).map_or(Origin::Builtin, |f| f.origin.clone());
    Error::Template(TemplateError { template: name.to_owned(), origin, line: None, message: tera_chain(error) })
}

fn read_pages(out: &Path, plan: &Plan) -> Result<Vec<SourcePage>, Error> {
    let markdown_root = out.join("markdown");
    let planned: HashMap<&str, (DocumentGroup, usize)> =
        plan.documents.iter().enumerate().map(|(i, d)| (d.path.as_str(), (d.group, i))).collect();
    let mut pages = Vec::new();
    if !markdown_root.is_dir() {
        return Ok(pages);
    }
    for entry in walkdir::WalkDir::new(&markdown_root).sort_by_file_name() {
        let entry = entry.map_err(|error| Error::Read {
            path: error.path().unwrap_or(&markdown_root).to_owned(),
            source: error.into(),
        })?;
        let is_markdown = entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md");
        if !is_markdown {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&markdown_root) else { continue };
        let Some(markdown_path) = relative.to_str().map(|p| p.replace('\\', "/")) else { continue };
        let bytes =
            std::fs::read(entry.path()).map_err(|source| Error::Read { path: entry.path().to_owned(), source })?;
        let sha256 = output::sha256_hex(&bytes);
        let document = Document::parse(&String::from_utf8_lossy(&bytes));
        let fallback_title = || {
            markdown::render(&document.body).title.unwrap_or_else(|| markdown_path.trim_end_matches(".md").to_owned())
        };
        let title = document.field("title").filter(|t| !t.trim().is_empty()).map_or_else(fallback_title, str::to_owned);
        let (group, order) = planned.get(markdown_path.as_str()).map_or((None, usize::MAX), |(g, i)| (Some(*g), *i));
        let html_path = format!("{}.html", markdown_path.trim_end_matches(".md"));
        pages.push(SourcePage { markdown_path, sha256, html_path, document, title, group, order });
    }
    pages.sort_by(|a, b| {
        (a.group.is_none(), a.group, a.order, &a.title).cmp(&(b.group.is_none(), b.group, b.order, &b.title))
    });
    Ok(pages)
}

const GROUPS: [(Option<DocumentGroup>, &str, &str); 6] = [
    (Some(DocumentGroup::PoliciesAndPlans), "policies-and-plans", "Policies and plans"),
    (Some(DocumentGroup::Processes), "processes", "Processes"),
    (Some(DocumentGroup::Services), "services", "Services"),
    (Some(DocumentGroup::SuppliersAndCustomers), "suppliers-and-customers", "Suppliers and customers"),
    (Some(DocumentGroup::Assessment), "assessment", "Assessment"),
    (None, "other", "Other documents"),
];

/// The sidebar as seen from page `current` (`None` for the index page).
fn navigation(pages: &[SourcePage], current: Option<usize>) -> Vec<NavGroup> {
    let from = current.map_or("index.html", |i| pages[i].html_path.as_str());
    GROUPS
        .iter()
        .filter_map(|(group, id, title)| {
            let members: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].group == *group).collect();
            if members.is_empty() {
                return None;
            }
            let collapsed = members.len() > SIDEBAR_LIMIT;
            let items = if collapsed {
                Vec::new()
            } else {
                members.iter().map(|&i| nav_item(&pages[i], from, current == Some(i))).collect()
            };
            Some(NavGroup { id, title, items, collapsed })
        })
        .collect()
}

/// Every group with all its documents, for the index page.
fn navigation_full(pages: &[SourcePage]) -> Vec<NavGroup> {
    GROUPS
        .iter()
        .filter_map(|(group, id, title)| {
            let items: Vec<NavItem> =
                pages.iter().filter(|p| p.group == *group).map(|p| nav_item(p, "index.html", false)).collect();
            (!items.is_empty()).then_some(NavGroup { id, title, items, collapsed: false })
        })
        .collect()
}

fn nav_item(page: &SourcePage, from: &str, current: bool) -> NavItem {
    let field = |key: &str| page.document.field(key).unwrap_or_default().to_owned();
    NavItem {
        title: page.title.clone(),
        href: relative_path(from, &page.html_path),
        current,
        id: field("id"),
        owner: field("owner"),
        next_review: field("next_review"),
    }
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

fn write_if_changed(root: &Path, relative: &str, bytes: &[u8], report: &mut SiteReport) -> Result<(), Error> {
    let target = output::safe_join(root, relative)?;
    if std::fs::read(&target).is_ok_and(|current| current == bytes) {
        return Ok(());
    }
    output::write_atomic(&target, bytes)?;
    report.written.push(format!("html/{relative}"));
    Ok(())
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
