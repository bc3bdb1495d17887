//! `fitsm-pack todo`: its JSON contract, and the promise behind it: setting each
//! listed key to its example fills exactly the placeholders counted for it, and once
//! every fact is set only the document-only prompts are left.

use serde_json::Value;

use crate::project::{FULL_EXAMPLE, Project, example_path};

const EXAMPLES: [&str; 2] = ["minimal", FULL_EXAMPLE];

/// At most this many prompts may be left for the documents alone in the full example.
const DOCUMENT_ONLY_BUDGET: usize = 80;

fn todo_json(project: &Project) -> Value {
    let run = project.run(["todo", "--format", "json"]).success();
    serde_json::from_str(&run.stdout()).unwrap_or_else(|e| panic!("todo --format json is JSON: {e}"))
}

fn placeholders_in_pack(project: &Project) -> usize {
    project
        .files_below("dist/markdown")
        .iter()
        .filter(|path| path.ends_with(".md"))
        .map(|path| project.read(&format!("dist/markdown/{path}")).matches("[TO BE COMPLETED: ").count())
        .sum()
}

/// Checks the shape the contract names, field by field, and returns the total count.
fn check_contract(report: &Value) -> usize {
    let object = report.as_object().expect("an object");
    assert_eq!(object.keys().collect::<Vec<_>>(), ["document_only", "facts"], "exactly two lists");
    let mut total = 0;
    for fact in report["facts"].as_array().expect("facts is a list") {
        assert!(fact["section"].is_string(), "section: {fact}");
        assert!(fact["id"].is_string() || fact["id"].is_null(), "id: {fact}");
        assert!(fact["key"].as_str().is_some_and(|k| !k.is_empty()), "key: {fact}");
        assert!(!fact["example"].is_null(), "example: {fact}");
        let count = fact["placeholders"].as_u64().expect("placeholders is a number");
        assert!(count > 0, "a listed fact fills something: {fact}");
        total += count as usize;
        let documents = fact["documents"].as_array().expect("documents is a list");
        assert!(!documents.is_empty());
        assert!(documents.iter().all(|d| d.as_str().is_some_and(|d| d.starts_with("markdown/") && d.ends_with(".md"))));
    }
    for prompt in report["document_only"].as_array().expect("document_only is a list") {
        assert!(prompt["path"].as_str().is_some_and(|p| p.starts_with("markdown/")), "path: {prompt}");
        assert!(prompt["line"].as_u64().is_some_and(|l| l > 0), "line: {prompt}");
        assert!(prompt["prompt"].as_str().is_some_and(|p| !p.is_empty()), "prompt: {prompt}");
        total += 1;
    }
    total
}

fn to_toml(value: &Value) -> toml::Value {
    match value {
        Value::String(text) => toml::Value::String(text.clone()),
        Value::Number(number) => number
            .as_i64()
            .map_or_else(|| toml::Value::Float(number.as_f64().unwrap_or_default()), toml::Value::Integer),
        Value::Bool(flag) => toml::Value::Boolean(*flag),
        Value::Array(items) => toml::Value::Array(items.iter().map(to_toml).collect()),
        Value::Object(map) => toml::Value::Table(map.iter().map(|(k, v)| (k.clone(), to_toml(v))).collect()),
        Value::Null => toml::Value::String(String::new()),
    }
}

/// Sets `fact.key` to `fact.example` in the config, as a person would.
fn apply(config: &mut toml::Table, fact: &Value) {
    let section = fact["section"].as_str().expect("section");
    let mut table: &mut toml::Table = match fact["id"].as_str() {
        Some(id) => config
            .get_mut(section)
            .and_then(toml::Value::as_array_mut)
            .and_then(|entries| {
                entries
                    .iter_mut()
                    .filter_map(toml::Value::as_table_mut)
                    .find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id))
            })
            .unwrap_or_else(|| panic!("no [[{section}]] with id {id}")),
        None => config
            .entry(section)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .unwrap_or_else(|| panic!("[{section}] is a table")),
    };
    let key = fact["key"].as_str().expect("key");
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().expect("a key");
    for part in parts {
        table = table
            .entry(part)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .unwrap_or_else(|| panic!("{key}: {part} is a table"));
    }
    table.insert(last.to_owned(), to_toml(&fact["example"]));
}

fn config_of(name: &str) -> toml::Table {
    let text = std::fs::read_to_string(example_path(name)).expect("example");
    text.parse().expect("example parses")
}

#[test]
fn the_json_report_follows_the_contract_and_counts_every_placeholder() {
    for name in EXAMPLES {
        let project = Project::example(name);
        let report = todo_json(&project);
        let total = check_contract(&report);
        project.run(["build"]).success();
        assert_eq!(total, placeholders_in_pack(&project), "{name}: todo accounts for every placeholder");
    }
}

#[test]
fn setting_every_fact_leaves_only_the_document_only_prompts() {
    for name in EXAMPLES {
        let project = Project::example(name);
        let report = todo_json(&project);
        let mut config = config_of(name);
        for fact in report["facts"].as_array().expect("facts") {
            apply(&mut config, fact);
        }
        Project::config_in_place(&project, &toml::to_string(&config).expect("serialise"));
        let after = todo_json(&project);
        assert_eq!(after["facts"].as_array().map(Vec::len), Some(0), "{name}: every fact set: {}", after["facts"]);
        let document_only = report["document_only"].as_array().map_or(0, Vec::len);
        project.run(["build"]).success();
        assert_eq!(placeholders_in_pack(&project), document_only, "{name}: only the document-only prompts remain");
        if name == FULL_EXAMPLE {
            assert!(
                document_only <= DOCUMENT_ONLY_BUDGET,
                "{document_only} document-only prompts (budget {DOCUMENT_ONLY_BUDGET})"
            );
        }
    }
}

#[test]
fn each_fact_fills_exactly_the_placeholders_counted_for_it() {
    for name in EXAMPLES {
        let project = Project::example(name);
        let report = todo_json(&project);
        let before = check_contract(&report);
        for fact in report["facts"].as_array().expect("facts") {
            let mut config = config_of(name);
            apply(&mut config, fact);
            Project::config_in_place(&project, &toml::to_string(&config).expect("serialise"));
            let after = check_contract(&todo_json(&project));
            let filled = fact["placeholders"].as_u64().unwrap_or_default() as usize;
            assert_eq!(before - after, filled, "{name}: setting {} {} {}", fact["section"], fact["id"], fact["key"]);
        }
    }
}

#[test]
fn the_text_report_names_the_key_and_the_line_to_paste() {
    let project = Project::example("minimal");
    let text = project.run(["todo"]).success().stdout();
    assert!(text.contains("missing from the config"), "{text}");
    assert!(text.contains("[support]") || text.contains("[[services]]"), "{text}");
}
