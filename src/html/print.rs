//! `print.html`: the whole pack as one page in reading order, with a contents list, for
//! "print to PDF" in one go; and the running header every printed page carries (CSS
//! paged media: organisation, document id, version, status, page N of M).
//!
//! Each document is a `<section>` of its own named page (`page: dN`), so it starts on a
//! new sheet and its sheets carry its own id and status in the header. Ids inside a
//! document are prefixed with its section id, so the headings of 50 documents do not
//! clash, and links between documents point into the same page.
//!
//! Groups too large for the sidebar (thousands of service agreements) are named with a
//! link instead of printed: nobody prints them in one go, and the page would not open.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use serde::Serialize;

use super::SourcePage;

/// Where the whole-pack page is written under `html/`.
pub(super) const PRINT_PAGE: &str = "print.html";

/// One document of `print.html`.
#[derive(Serialize)]
pub(super) struct PrintDocument {
    /// Id of its `<section>` and name of its printed pages, e.g. `d3`.
    pub(super) anchor: String,
    pub(super) title: String,
    pub(super) id: String,
    pub(super) draft_notice: Option<String>,
    pub(super) control: Vec<(String, String)>,
    /// The document's `<h1>` and body, ids prefixed and links rebased onto `print.html`.
    pub(super) heading: String,
    pub(super) body: String,
    /// Text of the running header, as a CSS string.
    pub(super) running_header: String,
}

/// What stands for the body of the `n`th printed document while the print page's
/// template is rendered (see [`fill_bodies`]).
pub(super) fn body_marker(n: usize) -> String {
    format!("{BODY_MARKER}{n}\u{1}")
}

/// The start of every [`body_marker`]: control characters, which neither the
/// template's text nor the escaped page titles hold.
const BODY_MARKER: &str = "\u{1}fitsm-pack-body-";

/// `page` with the marker of each of `count` bodies replaced by `body(n)`; `None` if
/// the page does not show each marker exactly once, in order.
pub(super) fn fill_bodies(page: &str, count: usize, body: impl Fn(usize) -> String) -> Option<String> {
    if page.matches(BODY_MARKER).count() != count {
        return None;
    }
    let mut filled = String::with_capacity(page.len());
    let mut rest = page;
    for n in 0..count {
        let marker = body_marker(n);
        let (before, after) = rest.split_once(&marker)?;
        filled.push_str(before);
        filled.push_str(&body(n));
        rest = after;
    }
    filled.push_str(rest);
    Some(filled)
}

/// The section id of each printed page, by its path under `html/`.
pub(super) fn anchors<'a>(pages: impl Iterator<Item = &'a SourcePage>) -> HashMap<String, String> {
    pages.enumerate().map(|(n, page)| (page.html_path.clone(), format!("d{}", n + 1))).collect()
}

/// An `@page` rule (for the pages named `name`, or every page) with the organisation
/// top left and the document's running header top right; both are CSS strings and
/// either may be empty. Page numbers and the margins are the stylesheet's.
pub(super) fn page_rule(name: Option<&str>, organisation: &str, running_header: Option<&str>) -> String {
    let mut rule = format!("@page {}{{ ", name.unwrap_or_default());
    if !organisation.is_empty() {
        rule.push_str(&format!("@top-left {{ content: {organisation}; }} "));
    }
    if let Some(header) = running_header {
        rule.push_str(&format!("@top-right {{ content: {header}; }} "));
    }
    rule.push_str("}\n");
    if let Some(name) = name {
        rule.push_str(&format!("#{name} {{ page: {name}; }}\n"));
    }
    rule
}

/// The text of the running header of a document's printed pages.
pub(super) fn running_header(page: &SourcePage) -> String {
    let field = |key: &str| page.document.field(key).unwrap_or_default().trim();
    let mut parts = Vec::new();
    for (label, value) in [("", field("id")), ("version ", field("version")), ("", field("status"))] {
        if !value.is_empty() {
            parts.push(format!("{label}{value}"));
        }
    }
    if page.document.draft_notice().is_some() && !field("status").eq_ignore_ascii_case("draft") {
        parts.push("DRAFT".to_owned());
    }
    css_string(&parts.join(" · "))
}

/// `text` as a CSS string literal, safe inside a `<style>` element: quotes, backslashes
/// and line breaks escaped, and `<` too, so no `</style>` can close the element.
pub(super) fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '\n' | '\r' | '\u{c}' => out.push_str("\\a "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Moves a page's HTML into `print.html`: every `id` gets the document's prefix, every
/// region label the document's id (so the tables of 50 documents stay distinguishable),
/// and every local `href`/`src` is resolved from the page's folder: to the printed
/// section when it points at a printed page, otherwise to the file from the site root.
pub(super) fn rebase(
    html: &str,
    (page_path, document_id): (&str, &str),
    prefix: &str,
    printed: &HashMap<String, String>,
) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut attributes = Attributes::new(html);
    let mut copied = 0;
    while let Some(position) = attributes.next_from(copied) {
        let (before, attribute) = html[copied..].split_at(position - copied);
        out.push_str(before);
        let name_end = attribute.find('"').map_or(attribute.len(), |i| i + 1);
        let (name, value_and_rest) = attribute.split_at(name_end);
        let value_end = value_and_rest.find('"').unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..value_end];
        out.push_str(name);
        if name.starts_with(" id=") {
            out.push_str(prefix);
            out.push('-');
            out.push_str(value);
        } else if name.starts_with(" aria-label=") {
            if !document_id.is_empty() {
                pulldown_cmark_escape::escape_html(&mut out, document_id).ok();
                out.push_str(" · ");
            }
            out.push_str(value);
        } else {
            out.push_str(&rebase_target(value, page_path, prefix, printed));
        }
        copied = position + name.len() + value.len();
    }
    out.push_str(&html[copied..]);
    out
}

/// The attributes `rebase` rewrites: ` id="`, ` aria-label="`, ` href="`, ` src="`.
/// The page's HTML comes from our Markdown renderer, where text and attribute values
/// are escaped, so these only ever start a real attribute.
const ATTRIBUTES: [&str; 4] = [" id=\"", " aria-label=\"", " href=\"", " src=\""];

/// Finds the attributes of a page in order, in one pass: the next place of each name
/// is kept until it is passed. Looking each name up again from every attribute made a
/// page with thousands of links (a catalogue of a thousand services) quadratic, as a
/// name the page lacks was searched for to the end each time.
struct Attributes<'h> {
    html: &'h str,
    next: [Option<usize>; 4],
}

impl<'h> Attributes<'h> {
    fn new(html: &'h str) -> Self {
        Attributes { html, next: ATTRIBUTES.map(|name| html.find(name)) }
    }

    /// The first attribute at or after byte `from`.
    fn next_from(&mut self, from: usize) -> Option<usize> {
        for (name, next) in ATTRIBUTES.iter().zip(&mut self.next) {
            if next.is_some_and(|at| at < from) {
                *next = self.html[from..].find(name).map(|at| from + at);
            }
        }
        self.next.iter().flatten().min().copied()
    }
}

fn rebase_target(target: &str, page_path: &str, prefix: &str, printed: &HashMap<String, String>) -> String {
    if let Some(fragment) = target.strip_prefix('#') {
        return format!("#{prefix}-{fragment}");
    }
    if target.is_empty() || target.contains(':') {
        return target.to_owned();
    }
    let (path, fragment) = target.split_once('#').map_or((target, None), |(p, f)| (p, Some(f)));
    let (path, query) = path.split_once('?').map_or((path, ""), |(p, _)| (p, "?"));
    let resolved = resolve(page_path, path);
    let decoded = percent_decode_str(&resolved).decode_utf8_lossy();
    match printed.get(decoded.as_ref()) {
        Some(anchor) if query.is_empty() => match fragment {
            Some(fragment) => format!("#{anchor}-{fragment}"),
            None => format!("#{anchor}"),
        },
        _ => {
            let mut href = resolved;
            if let Some(fragment) = fragment {
                href.push('#');
                href.push_str(fragment);
            }
            href
        }
    }
}

/// `target`, relative to the folder of `from`, as a path from the site root. `..` above
/// the root stays at the root (the site has nothing there).
fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            segment => parts.push(segment),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_fill_their_markers_and_a_page_that_moves_them_gets_none() {
        let body = |n: usize| format!("<p>body {n}</p>");
        let page = format!("<h1>a</h1>{}<h1>b</h1>{}end", body_marker(0), body_marker(1));
        assert_eq!(fill_bodies(&page, 2, body).as_deref(), Some("<h1>a</h1><p>body 0</p><h1>b</h1><p>body 1</p>end"));
        let twice = format!("{}{}", body_marker(0), body_marker(0));
        assert_eq!(fill_bodies(&twice, 1, body), None, "a marker shown twice");
        assert_eq!(fill_bodies(&twice, 2, body), None, "the second body's marker missing");
        let swapped = format!("{}{}", body_marker(1), body_marker(0));
        assert_eq!(fill_bodies(&swapped, 2, body), None, "out of order");
        assert_eq!(fill_bodies("no documents", 0, body).as_deref(), Some("no documents"));
    }

    #[test]
    fn ids_are_prefixed_and_links_point_into_the_print_page() {
        let printed: HashMap<String, String> =
            [("processes/change-management.html".to_owned(), "d4".to_owned())].into_iter().collect();
        let html = "<h2 id=\"scope\">S</h2><div aria-label=\"Table: S\"></div><p><a href=\"#scope\">x</a> <a href=\"../../processes/change-management.html#2-roles\">c</a> \
                    <a href=\"../../processes/change-management.html\">c</a> <a href=\"chart.svg\">p</a> \
                    <img src=\"./chart.svg\" alt=\"\"> <a href=\"https://x.org/#a\">w</a></p>";
        let rebased = rebase(html, ("services/hpc/sla.html", "SLA-HPC"), "d2", &printed);
        assert_eq!(
            rebased,
            "<h2 id=\"d2-scope\">S</h2><div aria-label=\"SLA-HPC · Table: S\"></div><p><a href=\"#d2-scope\">x</a> <a href=\"#d4-2-roles\">c</a> \
             <a href=\"#d4\">c</a> <a href=\"services/hpc/chart.svg\">p</a> \
             <img src=\"services/hpc/chart.svg\" alt=\"\"> <a href=\"https://x.org/#a\">w</a></p>"
        );
    }

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("SLA-\"X\" </style> \\ \n"), "\"SLA-\\\"X\\\" \\3c /style> \\\\ \\a \"");
    }
}
