//! Section-level traceability: every section that addresses a requirement says so under
//! its heading, the document's declared requirements are exactly those its sections
//! name, the compliance matrix links to those sections in Markdown and in the site, and
//! `check` counts coverage per section from the files as people edited them.

use std::collections::BTreeSet;

use regex::Regex;

use crate::project::{FULL_EXAMPLE, Project};

const EXAMPLES: [&str; 4] = ["university-computing-centre", "research-federation", "managed-hosting", "minimal"];

fn built(example: &str) -> Project {
    let project = Project::example(example);
    project.run(["build"]).success();
    project
}

fn ids(list: &str) -> BTreeSet<String> {
    Regex::new(r"(?:GR|PR)\d+\.\d+").expect("regex").find_iter(list).map(|m| m.as_str().to_owned()).collect()
}

#[test]
fn every_declared_requirement_is_marked_at_a_section_and_only_those() {
    let declared = Regex::new(r#"(?m)^requirements: \[(.*)\]$"#).expect("regex");
    let marker = Regex::new(r"(?m)^\*FitSM requirements: (.*)\*$").expect("regex");
    for example in EXAMPLES {
        let project = built(example);
        for (path, text) in project.markdown_documents() {
            let Some(front) = declared.captures(&text) else { continue };
            let declared = ids(&front[1]);
            let marked: BTreeSet<String> = marker.captures_iter(&text).flat_map(|c| ids(&c[1])).collect();
            assert_eq!(declared, marked, "{example}: {path} declares {declared:?} but its sections mark {marked:?}");
        }
    }
}

/// `(target path, anchor)` of every link with an anchor in a Markdown text.
fn anchored_links(text: &str) -> Vec<(String, String)> {
    Regex::new(r"\]\(([^)#\s]+)#([^)\s]+)\)")
        .expect("regex")
        .captures_iter(text)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[test]
fn the_matrix_links_to_sections_that_exist_in_markdown_and_in_the_site() {
    let project = built(FULL_EXAMPLE);
    let matrix_path = "assessment/requirements-compliance-matrix.md";
    let matrix = project.read(&format!("dist/markdown/{matrix_path}"));
    let links = anchored_links(&matrix);
    assert!(links.len() > 100, "the matrix links to sections: {} links", links.len());
    let heading_anchor = Regex::new(r#"<h[1-6] id="([^"]+)""#).expect("regex");
    for (target, anchor) in links {
        let markdown = resolve(matrix_path, &target);
        assert!(project.exists(&format!("dist/markdown/{markdown}")), "matrix links to missing {markdown}");
        let html = project.read(&format!("dist/html/{}", markdown.replace(".md", ".html")));
        let anchors: BTreeSet<&str> =
            heading_anchor.captures_iter(&html).map(|c| c.get(1).map_or("", |m| m.as_str())).collect();
        assert!(anchors.contains(anchor.as_str()), "{markdown} has no heading #{anchor} in the site (has {anchors:?})");
    }
    // The site's matrix keeps the anchors.
    let site_matrix = project.read("dist/html/assessment/requirements-compliance-matrix.html");
    assert!(
        site_matrix.contains("incident-and-service-request-management.html#5-activities"),
        "site links keep anchors"
    );
}

fn check_json(project: &Project) -> serde_json::Value {
    let run = project.run(["check", "--format", "json"]);
    serde_json::from_str(&run.stdout()).expect("check --format json is JSON")
}

fn status_of(report: &serde_json::Value, id: &str) -> String {
    report["requirements"]
        .as_array()
        .expect("requirements in the report")
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["status"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

#[test]
fn check_counts_coverage_per_section_from_the_files_on_disk() {
    // The minimal example leaves the SLA targets open: PR2.2's sections have placeholders.
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let before = check_json(&project);
    assert_eq!(status_of(&before, "PR2.2"), "addressed-with-placeholders");

    // Somebody takes the marker out of every section that addresses PR9.6: no section
    // of the pack names it any more, so it is not addressed.
    let without = |line: &str| {
        let ids: Vec<&str> = line
            .trim_start_matches("*FitSM requirements: ")
            .trim_end_matches('*')
            .split(", ")
            .filter(|id| *id != "PR9.6")
            .collect();
        if ids.is_empty() { String::new() } else { format!("*FitSM requirements: {}*\n", ids.join(", ")) }
    };
    for (path, text) in project.markdown_documents() {
        let edited: String = text
            .split_inclusive('\n')
            .map(
                |line| {
                    if line.starts_with("*FitSM requirements: ") { without(line.trim_end()) } else { line.to_owned() }
                },
            )
            .collect();
        if edited != text {
            std::fs::write(project.path(&format!("dist/markdown/{path}")), edited).expect("edit");
        }
    }
    let after = check_json(&project);
    assert_eq!(status_of(&after, "PR9.6"), "not-addressed");
    assert!(after["gaps"].as_array().is_some_and(|g| g.iter().any(|g| g["id"] == "PR9.6")), "PR9.6 is a gap");

    // A section that only gets its marker is enough: the requirement is back.
    let matrix = "dist/markdown/processes/incident-priority-and-escalation-matrix.md";
    let text = project.read(matrix);
    let text = text.replacen("## 8. Major incidents\n", "## 8. Major incidents\n\n*FitSM requirements: PR9.6*\n", 1);
    std::fs::write(project.path(matrix), text).expect("edit");
    assert_ne!(status_of(&check_json(&project), "PR9.6"), "not-addressed");
}

#[test]
fn requirements_with_sections_lists_what_check_found_in_three_formats() {
    let project = built(FULL_EXAMPLE);
    let json: serde_json::Value =
        serde_json::from_str(&project.run(["requirements", "--sections", "--format", "json"]).success().stdout())
            .expect("JSON");
    let requirements = json["requirements"].as_array().expect("requirements");
    assert_eq!(requirements.len(), 82);
    let pr22 = requirements.iter().find(|r| r["id"] == "PR2.2").expect("PR2.2");
    assert_eq!(pr22["topic"], "SLAs agreed and reviewed");
    let sections = pr22["sections"].as_array().expect("sections");
    assert!(
        sections.iter().any(|s| s["path"] == "markdown/processes/service-level-management.md"
            && s["anchor"] == "5-activities"
            && s["section"] == "5. Activities"),
        "{sections:?}"
    );
    // The same sections as `check` reports, for every requirement.
    let check = check_json(&project);
    for requirement in requirements {
        let checked = check["requirements"]
            .as_array()
            .and_then(|list| list.iter().find(|r| r["id"] == requirement["id"]))
            .expect("check reports it");
        assert_eq!(checked["sections"], requirement["sections"], "{}", requirement["id"]);
    }

    let markdown = project.run(["requirements", "--sections"]).success().stdout();
    let row = markdown.lines().find(|l| l.starts_with("| PR2.2 |")).expect("a PR2.2 row");
    assert!(row.contains("markdown/processes/service-level-management.md#5-activities 5. Activities"), "{row}");

    let csv = project.run(["requirements", "--sections", "--format", "csv"]).success().stdout();
    assert!(csv.starts_with("id,topic,status,path,anchor,section,copies,placeholders\r\n"));
    let sla_rows = csv.lines().filter(|l| l.starts_with("\"PR2.2\"")).count();
    assert_eq!(sla_rows, sections.len(), "one row per section");

    // Without --sections, -c means nothing and is refused rather than ignored.
    project.run(["requirements", "-c", "sms.toml"]).exit(2).stderr_contains("--sections");
}
