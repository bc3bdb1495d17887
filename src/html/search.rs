//! The site's offline search: an index of every section of every page, written as a
//! script (`assets/search-index.js`) that `search.html` loads with a `<script>` tag, so
//! search works from `file://` with no server and no network (a browser does not let a
//! page fetch files beside it over `file://`). The searching itself is MiniSearch
//! (`html/vendor/minisearch.js`, MIT), a small, maintained full-text library; our own
//! script (`html/search.js`) only feeds it and lists the results.
//!
//! One entry per section, so a result names the section that matched and links to its
//! anchor. Documents of very large groups (thousands of service agreements) are indexed
//! by title and id only, which keeps the index a few megabytes at 10,000 services; they
//! are found by name, id or owner, and their text is the same template's anyway.

use serde::Serialize;

use super::SourcePage;
use super::markdown::Section;

/// Where the index is written under `html/`.
pub(super) const INDEX_SCRIPT: &str = "assets/search-index.js";

#[derive(Serialize)]
struct Entry<'a> {
    /// Document id, e.g. `SLA-HPC`.
    doc: &'a str,
    title: &'a str,
    /// Page (and section anchor) relative to the site root.
    href: String,
    section: &'a str,
    /// The requirement ids the section says it addresses, space-separated: search
    /// ranks a match here above one in the text.
    addresses: String,
    text: &'a str,
}

/// The index script: `window.FITSM_SEARCH = [entries…];`. `sections` gives the sections of
/// a page by its index in `pages`, or `None` for a page indexed by title only.
pub(super) fn index_script<'a>(pages: &'a [SourcePage], sections: impl Fn(usize) -> Option<&'a [Section]>) -> String {
    let mut entries = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let doc = page.document.field("id").unwrap_or_default();
        let owner = page.document.field("owner").unwrap_or_default();
        match sections(index) {
            Some(sections) => entries.extend(sections.iter().map(|section| Entry {
                doc,
                title: &page.title,
                href: match &section.anchor {
                    Some(anchor) => format!("{}#{anchor}", page.html_path),
                    None => page.html_path.clone(),
                },
                section: &section.heading,
                addresses: section.requirements.join(" "),
                text: &section.text,
            })),
            None => entries.push(Entry {
                doc,
                title: &page.title,
                href: page.html_path.clone(),
                section: "",
                addresses: String::new(),
                text: owner,
            }),
        }
    }
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_owned());
    format!("/* Search index of the site, made by fitsm-pack; read by search.html. */\nwindow.FITSM_SEARCH = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn page(id: &str, html_path: &str) -> SourcePage {
        SourcePage {
            markdown_path: html_path.replace(".html", ".md"),
            sha256: String::new(),
            html_path: html_path.to_owned(),
            document: Document {
                fields: vec![("id".into(), id.into()), ("owner".into(), "Ann Lee".into())],
                ..Document::default()
            },
            body_kept: true,
            title: format!("Title of {id}"),
            group: None,
            order: 0,
        }
    }

    #[test]
    fn sections_link_to_their_anchor_and_large_groups_list_titles() {
        let pages = [page("PROC-SLM", "processes/slm.html"), page("SLA-HPC", "services/hpc/sla.html")];
        let sections = vec![
            Section { anchor: None, heading: String::new(), text: "Intro".into(), requirements: Vec::new() },
            Section {
                anchor: Some("5-escalation".into()),
                heading: "5. Escalation".into(),
                text: "PR9.3 \"x\"".into(),
                requirements: vec!["PR9.3".into(), "PR9.4".into()],
            },
        ];
        let script = index_script(&pages, |index| (index == 0).then_some(sections.as_slice()));
        let json = script.split_once("= ").and_then(|(_, rest)| rest.strip_suffix(";\n")).expect("assignment");
        let entries: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(entries[1]["href"], "processes/slm.html#5-escalation");
        assert_eq!(entries[1]["section"], "5. Escalation");
        assert_eq!(entries[1]["text"], "PR9.3 \"x\"");
        assert_eq!(entries[1]["addresses"], "PR9.3 PR9.4");
        assert_eq!(entries[2]["doc"], "SLA-HPC");
        assert_eq!(entries[2]["text"], "Ann Lee", "title-only entries are found by owner");
        assert_eq!(entries.as_array().map(Vec::len), Some(3));
    }
}
