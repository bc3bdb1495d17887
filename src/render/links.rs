//! Links between documents of the pack.
//!
//! Templates write `{{ link(to="sla", entity=service.id, from=doc.path) }}`; this module
//! turns that into a relative Markdown link `[Title](../services/hpc/sla.md)`. Links are
//! resolved from the plan, so a link to a document that the pack does not contain is a
//! template error rather than a broken link found later. The HTML step rewrites `.md`
//! targets to `.html`.
//!
//! A path becomes a link target only through [`relative_href`], which percent-encodes
//! every segment: a file name is data, so `javascript:x.md` can never read as a scheme
//! and `#`, `?`, `%` or a space in a name still lead to that file.

use std::collections::HashMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use tera::Value;

use super::escape::escape_inline;
use crate::plan::Plan;

/// Document key and entity id → (path under `markdown/`, title).
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    targets: HashMap<(String, Option<String>), (String, String)>,
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
}

impl tera::Function for LinkIndex {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let text_arg = |name: &str| args.get(name).and_then(Value::as_str);
        let key =
            text_arg("to").ok_or_else(|| tera::Error::msg("link() needs `to`, the key of the target document"))?;
        let from = text_arg("from").ok_or_else(|| tera::Error::msg("link() needs `from=doc.path`"))?;
        let entity = text_arg("entity").map(str::to_owned);
        let Some((path, title)) = self.targets.get(&(key.to_owned(), entity.clone())) else {
            let which = entity.map(|e| format!(" for `{e}`")).unwrap_or_default();
            return Err(tera::Error::msg(format!("link() to `{key}`{which}: the pack has no such document")));
        };
        let label = text_arg("text").unwrap_or(title);
        Ok(Value::String(format!("[{}]({})", escape_inline(label), relative_href(from, path))))
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

/// The path of `to` as seen from the folder of `from` (both `/`-separated, relative to
/// the same root).
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Characters encoded in a path segment of an href: everything with a meaning in a URL
/// (`:` a scheme, `#` a fragment, `?` a query, `%` an escape), in HTML or in a Markdown
/// link (`<`, `>`, quotes, brackets, parentheses, backslash), spaces and controls.
/// Letters, digits, `-`, `.`, `_`, `~` and non-ASCII text (as UTF-8) are what remain.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// [`relative_path`] as a link target: each segment percent-encoded, so the result is
/// always a relative reference to exactly that file, whatever its name.
pub fn relative_href(from: &str, to: &str) -> String {
    let path = relative_path(from, to);
    let segments: Vec<String> = path
        .split('/')
        .map(
            |segment| {
                if segment == ".." { segment.to_owned() } else { utf8_percent_encode(segment, SEGMENT).to_string() }
            },
        )
        .collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::{relative_href, relative_path};

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("policy.md", "processes/slm.md"), "processes/slm.md");
        assert_eq!(relative_path("processes/slm.md", "services/hpc/sla.md"), "../services/hpc/sla.md");
        assert_eq!(relative_path("services/hpc/sla.md", "services/hpc/sdt.md"), "sdt.md");
        assert_eq!(relative_path("services/hpc/sla.md", "policy.md"), "../../policy.md");
    }

    #[test]
    fn hrefs_from_file_names_are_never_a_scheme_a_query_or_a_fragment() {
        assert_eq!(relative_href("index.html", "javascript:alert(1).html"), "javascript%3Aalert%281%29.html");
        assert_eq!(relative_href("a/b.html", "data:text.html"), "../data%3Atext.html");
        assert_eq!(relative_href("index.html", "a b#c?d%e.html"), "a%20b%23c%3Fd%25e.html");
        assert_eq!(relative_href("index.html", "dir:x/page.html"), "dir%3Ax/page.html");
        assert_eq!(relative_href("services/hpc/sla.md", "policy.md"), "../../policy.md");
        assert_eq!(relative_href("a/b.html", ""), "../");
        assert_eq!(relative_href("index.html", "café/ünïcode.html"), "caf%C3%A9/%C3%BCn%C3%AFcode.html");
    }
}
