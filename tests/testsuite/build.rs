//! `build` on the example organisations: the whole pack, its structure, and the rules
//! every document follows.

use crate::project::{FULL_EXAMPLE, Project};

fn documents(project: &Project) -> Vec<String> {
    project.files_below("dist/markdown").into_iter().filter(|f| f.ends_with(".md")).collect()
}

#[test]
fn full_example_builds_the_complete_pack() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success().stderr_contains("documents");
    let documents = documents(&project);
    assert!(documents.len() >= 45, "only {} documents", documents.len());

    let config = project.read("sms.toml");
    let count = |table: &str| config.matches(&format!("[[{table}]]")).count();
    let slas = documents.iter().filter(|d| d.ends_with("/service-level-agreement.md")).count();
    assert_eq!(slas, count("services"), "one SLA per service");
    let designs = documents.iter().filter(|d| d.ends_with("/service-design-and-transition.md")).count();
    assert_eq!(designs, count("services"), "one design and transition record per service");
    let agreements = documents.iter().filter(|d| d.starts_with("relationships/suppliers/")).count();
    assert_eq!(agreements, count("suppliers"), "one agreement per supplier");
    let records = documents.iter().filter(|d| d.starts_with("relationships/customers/")).count();
    assert_eq!(records, count("customers"), "one record per customer");
    let processes = documents.iter().filter(|d| d.ends_with("-management.md") && d.starts_with("processes/")).count();
    assert_eq!(processes, 14, "one description per FitSM process");

    assert!(project.exists("dist/ATTRIBUTION.md"));
    let licence = project.read("dist/licenses/CC-BY-4.0.txt");
    assert!(licence.contains("Attribution 4.0 International"), "legal code present");
    assert!(licence.len() > 15_000, "the full legal code, not a summary");
}

#[test]
fn every_document_has_control_data_footer_and_no_template_syntax() {
    for example in [FULL_EXAMPLE, "minimal"] {
        let project = Project::example(example);
        project.run(["build"]).success();
        for document in documents(&project) {
            let text = project.read(&format!("dist/markdown/{document}"));
            let context = format!("{example}: {document}");
            assert!(text.starts_with("---\n"), "{context}: no front matter");
            let front_matter = text.split("\n---\n").next().unwrap_or_default();
            for key in [
                "id:",
                "title:",
                "version:",
                "status:",
                "owner:",
                "approver:",
                "effective_date:",
                "next_review:",
                "classification:",
                "requirements:",
            ] {
                assert!(front_matter.contains(&format!("\n{key} ")), "{context}: front matter lacks {key}");
            }
            assert!(text.contains("https://creativecommons.org/licenses/by/4.0/"), "{context}: no licence link");
            assert!(text.contains("Changes were made"), "{context}: no change statement");
            assert!(text.contains("FitSM"), "{context}: FitSM not named");
            for syntax in ["{{", "}}", "{%", "%}", "{#", "#}"] {
                assert!(!text.contains(syntax), "{context}: unrendered template syntax {syntax}");
            }
            assert!(!text.contains("STUB"), "{context}: unfinished template");
            assert!(text.lines().any(|l| l.starts_with("# ")), "{context}: no title heading");
        }
    }
}

#[test]
fn front_matter_is_one_valid_json_string_per_field() {
    // Our front matter writes every value as a JSON-quoted string, which YAML reads the
    // same way; checking it as JSON proves no config text can break it.
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let text = project.read("dist/markdown/services/hpc/service-level-agreement.md");
    let front_matter = text.strip_prefix("---\n").and_then(|t| t.split("\n---\n").next()).expect("front matter");
    for line in front_matter.lines() {
        let (key, value) = line.split_once(": ").expect("key: value");
        let parsed: serde_json::Value = serde_json::from_str(value).unwrap_or_else(|e| panic!("{key}: {value}: {e}"));
        assert!(parsed.is_string() || parsed.is_array(), "{key}");
    }
    assert!(front_matter.contains("id: \"SLA-HPC\""));
    assert!(front_matter.contains("owner: \"Li Chen\""));
    assert!(front_matter.contains("next_review: \"2027-02-01\""));
}

#[test]
fn missing_information_shows_as_placeholders() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let sla = project.read("dist/markdown/services/web-hosting/service-level-agreement.md");
    assert!(sla.contains("[TO BE COMPLETED: service hours]"), "{sla}");
    assert!(sla.contains("[TO BE COMPLETED: availability target]"), "{sla}");
    assert!(sla.contains("effective_date: \"[TO BE COMPLETED: effective date]\""), "{sla}");
}

#[test]
fn a_second_build_writes_nothing() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let modified = |p: &Project| -> Vec<(String, std::time::SystemTime)> {
        p.files_below("dist")
            .into_iter()
            .map(|f| {
                let time = std::fs::metadata(p.path(&format!("dist/{f}"))).and_then(|m| m.modified()).expect("mtime");
                (f, time)
            })
            .collect()
    };
    let before = modified(&project);
    project.run(["build"]).success().stderr_contains("wrote 0 files");
    assert_eq!(before, modified(&project));
}

#[test]
fn builds_are_byte_identical() {
    let first = Project::example(FULL_EXAMPLE);
    let second = Project::example(FULL_EXAMPLE);
    first.run(["build"]).success();
    second.run(["build"]).success();
    let files = first.files_below("dist");
    assert_eq!(files, second.files_below("dist"));
    // The stamps the site and `check` keep are this machine's file times and inodes,
    // not the pack's.
    let stamps = [".fitsm-pack/site-stamps.json", ".fitsm-pack/check-stamps.json"];
    for file in files.into_iter().filter(|file| !stamps.contains(&file.as_str())) {
        assert_eq!(first.read(&format!("dist/{file}")), second.read(&format!("dist/{file}")), "{file}");
    }
}

#[test]
fn dry_run_writes_nothing() {
    let project = Project::example("minimal");
    project.run(["build", "--dry-run"]).success().stderr_contains("would write");
    assert!(!project.exists("dist"));
}

#[test]
fn options_choose_config_and_output_folder() {
    let project = Project::new();
    let config = crate::project::example_path("minimal");
    project.run(["build", "-c", config.to_str().expect("utf-8 path"), "-o", "out/pack"]).success();
    assert!(project.exists("out/pack/markdown/services/web-hosting/service-level-agreement.md"));
}

#[test]
fn unknown_format_is_a_usage_error() {
    Project::example("minimal")
        .run(["build", "--format", "pdf"])
        .exit(2)
        .stderr_contains("invalid value 'pdf'")
        .stderr_contains("possible values: md, html, docx");
}

#[test]
fn an_output_path_that_is_a_file_is_refused() {
    let project = Project::example("minimal").file("dist", "not a folder");
    project.run(["build"]).exit(2).stderr_contains("is a file");
}

#[test]
fn formats_take_their_aliases_and_repeat_harmlessly() {
    let project = Project::example("minimal");
    project.run(["build", "--format", "word,markdown,docx"]).success();
    assert!(project.exists("dist/docx/services/web-hosting/service-level-agreement.docx"));
    assert!(!project.exists("dist/html/index.html"), "html was not asked for");
}
