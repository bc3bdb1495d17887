//! The HTML site: one page per Markdown document, no broken links or anchors, config
//! text never live, accessible structure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::project::{FULL_EXAMPLE, Project};

/// Values of `attribute="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(start, _)| {
            let rest = &html[start + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn every_document_has_a_page_and_no_link_is_broken() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success().stderr_contains("site:");
    let markdown: Vec<String> =
        project.files_below("dist/markdown").into_iter().filter(|p| p.ends_with(".md")).collect();
    let pages: BTreeSet<String> =
        project.files_below("dist/html").into_iter().filter(|p| p.ends_with(".html")).collect();
    for document in &markdown {
        let page = format!("{}.html", document.trim_end_matches(".md"));
        assert!(pages.contains(&page), "no page for {document}");
    }
    assert!(pages.contains("index.html"));
    assert_eq!(pages.len(), markdown.len() + 1);

    let html_root = project.path("dist/html");
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    for page in &pages {
        let path = normalise(&html_root.join(page));
        let text = project.read(&format!("dist/html/{page}"));
        ids.insert(path.clone(), attribute_values(&text, "id").into_iter().map(str::to_owned).collect());
        texts.insert(path, text);
    }
    let mut checked = 0;
    for (path, text) in &texts {
        for target in attribute_values(text, "href").into_iter().chain(attribute_values(text, "src")) {
            if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let resolved =
                if file.is_empty() { path.clone() } else { normalise(&path.parent().expect("page folder").join(file)) };
            assert!(resolved.starts_with(&html_root), "{}: link {target} leaves the site", path.display());
            assert!(resolved.exists(), "{}: broken link {target}", path.display());
            if !anchor.is_empty() {
                let known = ids.get(&resolved).unwrap_or_else(|| panic!("{}: {target} is not a page", path.display()));
                assert!(known.contains(anchor), "{}: broken anchor {target}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn pages_are_accessible_documents() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    for page in project.files_below("dist/html").into_iter().filter(|p| p.ends_with(".html")) {
        let text = project.read(&format!("dist/html/{page}"));
        assert!(text.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(text.contains("<html lang=\"en\">"), "{page}: no lang");
        assert!(text.contains("<main id=\"content\""), "{page}: no main landmark");
        assert!(text.contains("<nav class=\"sidebar\" aria-label=\"Documents\">"), "{page}: no navigation");
        assert_eq!(text.matches("<h1").count(), 1, "{page}: one h1 per page");
        assert!(!text.contains("next_review:"), "{page}: front matter shown as text");
        assert!(text.contains("assets/style.css"), "{page}: no stylesheet");
    }
    let sla = project.read("dist/html/services/hpc/service-level-agreement.html");
    assert!(sla.contains("<caption>Document control</caption>"));
    assert!(sla.contains("<th scope=\"row\">Next review</th><td>2027-02-01</td>"), "{sla}");
    assert!(sla.contains("href=\"../../processes/service-level-management.html\""));
    assert!(sla.contains("creativecommons.org/licenses/by/4.0/"), "attribution footer on the page");
    assert!(project.read("dist/html/assets/style.css").contains("@media print"));
}

#[test]
fn config_text_never_becomes_live_html() {
    let config = "[organisation]\nname = \"<script>alert(1)</script> Acme\"\ndescription = \"<img src=x onerror=alert(2)>\"\n\n\
                  [[people]]\nid = \"ann\"\nname = \"<b onmouseover=alert(3)>Ann</b>\"\n\n[[services]]\nid = \"web\"\n\
                  name = \"Web <script>x</script>\"\nowner = \"ann\"\nurl = \"javascript:alert(4)\"\n";
    let project = Project::new().config(config);
    project.run(["build"]).success();
    for page in project.files_below("dist/html").into_iter().filter(|p| p.ends_with(".html")) {
        let text = project.read(&format!("dist/html/{page}")).to_lowercase();
        assert!(!text.contains("<script"), "{page}: live script");
        for tag in
            text.match_indices("<img").map(|(at, _)| &text[at..text[at..].find('>').map_or(text.len(), |end| at + end)])
        {
            assert!(!tag.contains("onerror") && !tag.contains("src=x"), "{page}: live image from config: {tag}");
        }
        assert!(!text.contains("<b "), "{page}: live markup");
        assert!(!text.contains("href=\"javascript"), "{page}: live javascript link");
    }
    let index = project.read("dist/html/index.html");
    assert!(index.contains("&lt;script&gt;alert(1)&lt;/script&gt; Acme"), "{index}");
}

#[test]
fn user_edits_appear_in_the_site() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let path = "dist/markdown/sms/service-management-policy.md";
    let edited = project.read(path).replace("\n## ", "\nAn approved addition by the SMS owner.\n\n## ");
    std::fs::write(project.path(path), edited).expect("edit");
    project.run(["build"]).success();
    assert!(
        project.read("dist/html/sms/service-management-policy.html").contains("An approved addition by the SMS owner.")
    );
}

#[test]
fn markdown_only_builds_no_site() {
    let project = Project::example("minimal");
    project.run(["build", "--format", "md"]).success();
    assert!(!project.exists("dist/html"));
}

#[test]
fn only_pages_whose_markdown_changed_are_rendered_again() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    project.run(["build"]).success().stderr_contains("site: 57 pages, 0 written");
    let path = "dist/markdown/processes/change-management.md";
    std::fs::write(project.path(path), project.read(path).replacen("\n## ", "\nReviewed by the CAB.\n\n## ", 1))
        .expect("edit");
    project.run(["build"]).success().stderr_contains("site: 57 pages, 1 written");
    assert!(project.read("dist/html/processes/change-management.html").contains("Reviewed by the CAB."));
}
