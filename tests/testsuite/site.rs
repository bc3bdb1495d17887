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
    for own in ["index.html", "search.html", "print.html"] {
        assert!(pages.contains(own), "no {own}");
    }
    assert_eq!(pages.len(), markdown.len() + 3);

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
        assert!(text.contains("<form class=\"search-form\" role=\"search\""), "{page}: no search box");
        if page == "print.html" {
            // One h1 per printed document, each in a section of its own.
            assert_eq!(text.matches("<h1").count(), text.matches("<section class=\"print-document\"").count() + 1);
        } else {
            assert_eq!(text.matches("<h1").count(), 1, "{page}: one h1 per page");
        }
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
        // The only scripts are the site's own files, loaded by name.
        for (at, _) in text.match_indices("<script") {
            let tag = &text[at..text[at..].find('>').map_or(text.len(), |end| at + end + 1)];
            let own = ["site.js", "search.js", "search-index.js", "minisearch.js"]
                .iter()
                .any(|name| tag.ends_with(&format!("assets/{name}\">")) && tag.starts_with("<script src=\""));
            assert!(own && text[at..].starts_with(&format!("{tag}</script>")), "{page}: live script {tag}");
        }
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
    project.run(["build"]).success().stderr_contains("site: 59 pages, 0 written");
    let path = "dist/markdown/processes/change-management.md";
    std::fs::write(project.path(path), project.read(path).replacen("\n## ", "\nReviewed by the CAB.\n\n## ", 1))
        .expect("edit");
    // The page, and the two pages made from every document: search index and print page.
    project.run(["build"]).success().stderr_contains("site: 59 pages, 3 written");
    assert!(project.read("dist/html/processes/change-management.html").contains("Reviewed by the CAB."));
    assert!(project.read("dist/html/assets/search-index.js").contains("Reviewed by the CAB."));
    assert!(project.read("dist/html/print.html").contains("Reviewed by the CAB."));
}

/// The modification time of a file of the project.
fn modified(project: &Project, relative: &str) -> std::time::SystemTime {
    std::fs::metadata(project.path(relative)).and_then(|m| m.modified()).expect("modification time")
}

/// A file's modification time in nanoseconds since 1970, as the site's stamps keep it.
fn modified_ns(metadata: &std::fs::Metadata) -> u64 {
    let since = metadata.modified().expect("mtime").duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    u64::try_from(since.as_nanos()).expect("before 2554")
}

#[test]
fn a_site_with_nothing_to_do_is_left_alone_and_every_change_is_still_seen() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    project.run(["build"]).success().stderr_contains("site: 59 pages, 0 written");
    // Nothing to do: the record of the site is not even written again.
    let stamps = modified(&project, "dist/.fitsm-pack/site-stamps.json");
    project.run(["build"]).success().stderr_contains("site: 59 pages, 0 written");
    assert_eq!(stamps, modified(&project, "dist/.fitsm-pack/site-stamps.json"));

    // A generated file someone changed or deleted is made again.
    let index = project.read("dist/html/index.html");
    std::fs::write(project.path("dist/html/index.html"), "<p>ours</p>").expect("overwrite");
    std::fs::remove_file(project.path("dist/html/assets/style.css")).expect("delete");
    project.run(["build"]).success().stderr_contains("site: 59 pages, 2 written");
    assert_eq!(project.read("dist/html/index.html"), index);
    assert!(project.exists("dist/html/assets/style.css"));

    // A save of the same size, in place, in the same clock tick as the modification
    // before it leaves the file's stamp as it was. The record below is what a build
    // leaves when it stamps a file 20 ms after it was modified: too young a stamp to
    // prove anything, so the file is read again.
    let path = "markdown/processes/change-management.md";
    let record_path = project.path("dist/.fitsm-pack/site-stamps.json");
    let mut record: serde_json::Value =
        serde_json::from_str(&project.read("dist/.fitsm-pack/site-stamps.json")).expect("the stamps are JSON");
    let taken = record["sources"][path]["taken_ns"].as_u64().expect("the page's stamp");
    let modified = taken - 20_000_000;
    record["sources"][path]["stamp"]["modified_ns"] = modified.into();
    std::fs::write(&record_path, record.to_string()).expect("rewrite the stamps");
    let text = project.read(&format!("dist/{path}"));
    let edited = text.replacen("deliberate", "delibarate", 1);
    assert!(edited != text && edited.len() == text.len());
    let file = std::fs::OpenOptions::new().write(true).open(project.path(&format!("dist/{path}"))).expect("open");
    std::io::Write::write_all(&mut &file, edited.as_bytes()).expect("write in place");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_nanos(modified)).expect("set the time");
    drop(file);
    let stamp = |record: &serde_json::Value| {
        let meta = std::fs::metadata(project.path(&format!("dist/{path}"))).expect("metadata");
        let now = (meta.len(), std::os::unix::fs::MetadataExt::ino(&meta), modified_ns(&meta));
        let seen = &record["sources"][path]["stamp"];
        (now, (seen["len"].as_u64(), seen["inode"].as_u64(), seen["modified_ns"].as_u64()))
    };
    let (now, seen) = stamp(&record);
    assert_eq!((Some(now.0), Some(now.1), Some(now.2)), seen, "the file shows the stamp the record holds");
    project.run(["build"]).success();
    assert!(project.read("dist/html/processes/change-management.html").contains("delibarate"));

    // The stamps lost: one ordinary build, same site.
    let pages = project.files_below("dist/html");
    std::fs::remove_file(project.path("dist/.fitsm-pack/site-stamps.json")).expect("delete the stamps");
    project.run(["build"]).success().stderr_contains("site: 59 pages, 0 written");
    assert!(project.exists("dist/.fitsm-pack/site-stamps.json"));
    assert_eq!(pages, project.files_below("dist/html"));
}

#[test]
fn a_site_template_change_renders_every_page_again_even_when_nothing_else_changed() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    project.run(["build"]).success().stderr_contains("0 written");
    let layout = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/html/partials/top.html");
    let overlay = std::fs::read_to_string(&layout).map(|text| format!("{text}<!-- our intranet -->\n"));
    let project = project.file("templates/html/partials/top.html", &overlay.expect("the built-in partial"));
    project.run(["build", "--templates", "templates"]).success();
    assert!(project.read("dist/html/sms/service-management-policy.html").contains("<!-- our intranet -->"));
}

/// Every `href` and `src` of every page of the site, with the page it is on.
fn site_links(project: &Project) -> Vec<(String, String)> {
    let mut links = Vec::new();
    for page in project.files_below("dist/html").into_iter().filter(|p| p.ends_with(".html")) {
        let text = project.read(&format!("dist/html/{page}"));
        for target in attribute_values(&text, "href").into_iter().chain(attribute_values(&text, "src")) {
            links.push((page.clone(), target.to_owned()));
        }
    }
    links
}

#[test]
fn a_file_name_never_becomes_a_scheme_and_odd_names_still_link() {
    let project = Project::example("minimal")
        .file("dist/markdown/javascript:alert(1).md", "# Looks like a link\n")
        .file("dist/markdown/data:text.md", "# Also\n")
        .file("dist/markdown/notes/a b#c?d%e.md", "# Odd but fine\n");
    project.run(["build"]).success();
    let html_root = project.path("dist/html");
    let mut odd = 0;
    for (page, target) in site_links(&project) {
        let lower = target.to_ascii_lowercase();
        assert!(!lower.starts_with("javascript:") && !lower.starts_with("data:"), "{page}: live link {target}");
        if target.starts_with("https://") || target.starts_with('#') {
            continue;
        }
        let file = target.split(['#', '?']).next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(file).decode_utf8().expect("UTF-8 link");
        let from = html_root.join(&page);
        let resolved = normalise(&from.parent().expect("page folder").join(decoded.as_ref()));
        assert!(resolved.exists(), "{page}: {target} leads nowhere ({})", resolved.display());
        if target.contains("%3A") || target.contains("%23") {
            odd += 1;
        }
    }
    assert!(odd >= 3 * 4, "the odd names are linked from the index and every sidebar ({odd})");
}

#[test]
fn an_svg_that_could_run_a_script_is_not_copied_and_is_named() {
    let project = Project::example("minimal")
        .file("dist/markdown/pictures/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>")
        .file(
            "dist/markdown/pictures/evil.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g><rect onload=\"alert(1)\"/></g></svg>",
        );
    project
        .run(["build"])
        .success()
        .stderr_contains("warning: not in the site: markdown/pictures/evil.svg: it has an `onload` event attribute");
    assert!(project.exists("dist/html/pictures/chart.svg"));
    assert!(!project.exists("dist/html/pictures/evil.svg"));
    // a copy made before the picture turned bad is the site's own, and goes
    std::fs::write(project.path("dist/markdown/pictures/chart.svg"), "<svg><script>x</script></svg>").expect("edit");
    project.run(["build"]).success().stderr_contains("markdown/pictures/chart.svg: it has a <script> element");
    assert!(!project.exists("dist/html/pictures/chart.svg"));
}

#[test]
fn the_site_deletes_only_the_files_it_made() {
    let project = Project::example("minimal")
        .file("dist/html/handmade.html", "<p>our old intranet page</p>\n")
        .file("dist/html/assets/logo.png", "not ours");
    project.run(["build"]).success();
    assert_eq!(project.read("dist/html/handmade.html"), "<p>our old intranet page</p>\n");
    assert!(project.exists("dist/html/assets/logo.png"));
    let record: serde_json::Value =
        serde_json::from_str(&project.read("dist/.fitsm-pack/site.json")).expect("site record");
    let recorded: BTreeSet<String> =
        record["files"].as_array().expect("files").iter().filter_map(|f| f.as_str().map(str::to_owned)).collect();
    for file in project.files_below("dist/html") {
        assert_eq!(recorded.contains(&file), !["handmade.html", "assets/logo.png"].contains(&file.as_str()), "{file}");
    }

    // a page whose document is gone is removed; a file the record does not know stays
    project.run(["build"]).success();
    let extra = "dist/markdown/extra.md";
    std::fs::write(project.path(extra), "# Extra\n").expect("extra document");
    project.run(["build"]).success();
    assert!(project.exists("dist/html/extra.html"));
    std::fs::remove_file(project.path(extra)).expect("remove");
    project.run(["build"]).success();
    assert!(!project.exists("dist/html/extra.html"));
    assert!(project.exists("dist/html/handmade.html") && project.exists("dist/html/assets/logo.png"));
}

#[test]
fn a_file_the_site_did_not_make_is_replaced_only_when_the_site_needs_its_path_and_then_named() {
    let project = Project::example("minimal").file("dist/html/index.html", "<p>someone's index</p>\n");
    project.run(["build"]).success().stderr_contains(
        "warning: html/index.html was not made by fitsm-pack; the site needed its path and replaced it",
    );
    assert!(project.read("dist/html/index.html").contains("<!DOCTYPE html>"));
    project.run(["build"]).success().stderr_lacks("was not made by fitsm-pack");
}
