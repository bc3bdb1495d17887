//! Organisation types: each pack uses the examples of its own type only, a federation
//! gets one member agreement per member with real targets, and the type changes the
//! examples and nothing else.

use std::collections::BTreeSet;

use regex::Regex;

use crate::project::{Project, example_path};

const TYPES: [&str; 3] = ["computing-centre", "federation", "service-provider"];

fn type_data(kind: &str) -> toml::Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/types/{kind}.toml"));
    std::fs::read_to_string(path).expect("type data").parse().expect("type data parses")
}

fn vocabulary(kind: &str) -> Vec<String> {
    type_data(kind)["vocabulary"]
        .as_array()
        .expect("vocabulary")
        .iter()
        .filter_map(|w| w.as_str().map(str::to_lowercase))
        .collect()
}

fn build(config: &str) -> Project {
    let project = Project::new().config(config);
    project.run(["build"]).success();
    project
}

fn with_type(name: &str, kind: Option<&str>) -> String {
    let text = std::fs::read_to_string(example_path(name)).expect("example");
    let without: Vec<&str> = text.lines().filter(|l| !l.starts_with("type = ")).collect();
    let mut out = String::new();
    for line in without {
        out.push_str(line);
        out.push('\n');
        if line == "[organisation]"
            && let Some(kind) = kind
        {
            out.push_str(&format!("type = \"{kind}\"\n"));
        }
    }
    out
}

#[test]
fn no_pack_holds_the_example_vocabulary_of_another_type() {
    let cases = [
        ("university-computing-centre", Some("computing-centre")),
        ("research-federation", Some("federation")),
        ("minimal", Some("service-provider")),
        ("minimal", None),
    ];
    for (name, kind) in cases {
        let project = build(&with_type(name, kind));
        let foreign: Vec<String> = TYPES.iter().filter(|t| Some(**t) != kind).flat_map(|t| vocabulary(t)).collect();
        let mut found = Vec::new();
        for (path, text) in project.markdown_documents() {
            let lower = text.to_lowercase();
            for word in &foreign {
                let pattern = Regex::new(&format!(r"\b{}\b", regex::escape(word))).expect("regex");
                if pattern.is_match(&lower) {
                    found.push(format!("{path}: `{word}`"));
                }
            }
        }
        assert!(found.is_empty(), "{name} as {kind:?} holds other types' examples:\n{}", found.join("\n"));
    }
}

#[test]
fn every_federation_member_has_an_agreement_with_real_targets() {
    let text = std::fs::read_to_string(example_path("research-federation")).expect("example");
    let config: toml::Table = text.parse().expect("config");
    let members: Vec<&str> = config["suppliers"]
        .as_array()
        .expect("suppliers")
        .iter()
        .filter(|s| s.get("kind").and_then(|k| k.as_str()) == Some("federation-member"))
        .filter_map(|s| s.get("id").and_then(|i| i.as_str()))
        .collect();
    assert!(members.len() >= 4, "the example has at least four member sites");
    let project = build(&text);
    let agreements: BTreeSet<String> = project.files_below("dist/markdown/relationships/members").into_iter().collect();
    let expected: BTreeSet<String> = members.iter().map(|id| format!("{id}.md")).collect();
    assert_eq!(agreements, expected, "one member agreement per member");
    for id in members {
        let agreement = project.read(&format!("dist/markdown/relationships/members/{id}.md"));
        let targets =
            agreement.split("## 3. Targets").nth(1).and_then(|t| t.split("\n## ").next()).expect("a targets section");
        assert!(!targets.contains("[TO BE COMPLETED"), "{id}: targets are derived, not asked:\n{targets}");
        assert!(targets.contains(" %"), "{id}: an availability target:\n{targets}");
        assert!(targets.contains("the availability target of "), "{id}: says where the target comes from");
    }
}

#[test]
fn the_type_changes_the_examples_and_nothing_else() {
    let name = "university-computing-centre";
    let campus = build(&with_type(name, Some("computing-centre"))).markdown_documents();
    let federation = build(&with_type(name, Some("federation"))).markdown_documents();
    // Every example sentence of either type, with `{service}` standing for any service.
    let mut patterns = Vec::new();
    for kind in ["computing-centre", "federation"] {
        collect_examples(&toml::Value::Table(type_data(kind)), &mut patterns);
    }
    let patterns: Vec<Regex> = patterns
        .iter()
        .map(|text| Regex::new(&regex::escape(text).replace(r"\{service\}", ".+")).expect("regex"))
        .collect();
    assert_eq!(campus.len(), federation.len(), "the same documents");
    let mut unexplained = Vec::new();
    for ((path, a), (_, b)) in campus.iter().zip(&federation) {
        for (line_a, line_b) in a.lines().zip(b.lines()).filter(|(x, y)| x != y) {
            let explained = patterns.iter().any(|p| p.is_match(line_a)) || patterns.iter().any(|p| p.is_match(line_b));
            if !explained {
                unexplained.push(format!("{path}:\n  - {line_a}\n  + {line_b}"));
            }
        }
        assert_eq!(a.lines().count(), b.lines().count(), "{path}: the type adds or removes lines");
    }
    assert!(unexplained.is_empty(), "changes that are not examples:\n{}", unexplained.join("\n"));
}

fn collect_examples(value: &toml::Value, into: &mut Vec<String>) {
    match value {
        toml::Value::String(text) if text.len() > 12 => into.push(text.clone()),
        toml::Value::Array(items) => items.iter().for_each(|item| collect_examples(item, into)),
        toml::Value::Table(table) => {
            for (key, item) in table {
                if key != "vocabulary" && key != "fits" {
                    collect_examples(item, into);
                }
            }
        }
        _ => {}
    }
}
