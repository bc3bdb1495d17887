//! Links between documents of the pack.
//!
//! Templates write `{{ link(to="sla", entity=service.id, from=doc.path) }}`; this module
//! turns that into a relative Markdown link `[Title](../services/hpc/sla.md)`, and with
//! `section="4. Service level targets"` into a link to that heading's anchor. Links are
//! resolved from the plan, so a link to a document that the pack does not contain is a
//! template error rather than a broken link found later. The HTML step rewrites `.md`
//! targets to `.html`.
//!
//! A path becomes a link target only through [`relative_href`], which percent-encodes
//! every segment: a file name is data, so `javascript:x.md` can never read as a scheme
//! and `#`, `?`, `%` or a space in a name still lead to that file.

use std::cell::RefCell;
use std::collections::HashMap;

use tera::Value;

use super::escape::escape_inline;
use crate::pack::paths::relative_href;
use crate::plan::Plan;

/// The agreement of a supplier is an underpinning or operational level agreement,
/// or a federation member agreement for a member: a link to either key finds the
/// one the supplier has, so documents that list every supplier need not ask which.
const AGREEMENTS: [&str; 2] = ["supplier-agreement", "member-agreement"];

/// What a `link()` asks for: the target's document key and entity id.
pub type LinkTarget = (String, Option<String>);

/// Document key and entity id → (path under `markdown/`, title).
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    targets: HashMap<LinkTarget, (String, String)>,
}

thread_local! {
    /// The targets `link()` looked up on this thread since [`recording`] began: a
    /// document renders on one thread, so this is what that document links to.
    static LOOKED_UP: RefCell<Option<Vec<LinkTarget>>> = const { RefCell::new(None) };
}

/// Runs `render` and returns, with its result, the link targets it looked up, in the
/// order it asked for them (repeats included). A document's text depends on the other
/// documents only through these, which is what lets a build tell that a document
/// would render the same without rendering it (`render::reuse`).
pub fn recording<R>(render: impl FnOnce() -> R) -> (R, Vec<LinkTarget>) {
    let outer = LOOKED_UP.with(|cell| cell.replace(Some(Vec::new())));
    let result = render();
    let looked_up = LOOKED_UP.with(|cell| cell.replace(outer)).unwrap_or_default();
    (result, looked_up)
}

impl LinkIndex {
    pub fn new(plan: &Plan) -> Self {
        let targets = plan
            .documents
            .iter()
            .map(|d| ((d.key.clone(), d.entity.as_ref().map(|e| e.id.clone())), (d.path.clone(), d.title.clone())))
            .collect();
        LinkIndex { targets }
    }

    /// The (path, title) a link to `key` (and `entity`) leads to. An agreement key
    /// finds whichever agreement the supplier has.
    pub fn resolve(&self, key: &str, entity: Option<&str>) -> Option<&(String, String)> {
        let lookup = |key: &str| self.targets.get(&(key.to_owned(), entity.map(str::to_owned)));
        lookup(key)
            .or_else(|| AGREEMENTS.contains(&key).then(|| AGREEMENTS.iter().find_map(|other| lookup(other))).flatten())
    }
}

impl tera::Function for LinkIndex {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text_arg = |name: &str| args.get(name).and_then(Value::as_str);
        let key =
            text_arg("to").ok_or_else(|| tera::Error::msg("link() needs `to`, the key of the target document"))?;
        let from = text_arg("from").ok_or_else(|| tera::Error::msg("link() needs `from=doc.path`"))?;
        let entity = text_arg("entity").map(str::to_owned);
        LOOKED_UP.with(|cell| {
            if let Some(looked_up) = cell.borrow_mut().as_mut() {
                looked_up.push((key.to_owned(), entity.clone()));
            }
        });
        let found = self.resolve(key, entity.as_deref());
        let Some((path, title)) = found else {
            let which = entity.map(|e| format!(" for `{e}`")).unwrap_or_default();
            return Err(tera::Error::msg(format!("link() to `{key}`{which}: the pack has no such document")));
        };
        let label = text_arg("text").unwrap_or(title);
        // `section` names a heading of the target; the link lands on its anchor.
        // `anchor` is an anchor as the outline made it (`outline::Section::anchor`).
        let anchor = text_arg("anchor")
            .map(crate::outline::slug)
            .or_else(|| text_arg("section").map(crate::outline::slug))
            .map(|anchor| format!("#{anchor}"))
            .unwrap_or_default();
        Ok(Value::String(format!("[{}]({}{anchor})", escape_inline(label), relative_href(from, path))))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ path_to(file="assessment/maturity-chart.svg", from=doc.path) }}`: the relative
/// path of a file of the pack (under `markdown/`) as seen from the current document.
pub struct PathTo;

impl tera::Function for PathTo {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text_arg = |name: &str| args.get(name).and_then(Value::as_str);
        let file = text_arg("file").ok_or_else(|| tera::Error::msg("path_to() needs `file`"))?;
        let from = text_arg("from").ok_or_else(|| tera::Error::msg("path_to() needs `from=doc.path`"))?;
        if file.starts_with('/') || file.split('/').any(|part| part == "..") {
            return Err(tera::Error::msg(format!("path_to(): `{file}` must be a path inside the pack")));
        }
        Ok(Value::String(relative_href(from, file)))
    }
}
