//! `todo`: which facts the config still lacks, sorted by how many placeholders each
//! would fill, with the key to set and an example to paste; and the prompts only the
//! documents can answer.
//!
//! It renders the pack in memory, exactly as `build` would, and reads the tags that
//! rendering puts on every placeholder of a fact (`placeholder::untag`), so the
//! counts are the pack's own: the placeholders of all facts plus the document-only
//! prompts add up to the placeholders a fresh build writes. Setting a fact's key to
//! its example fills exactly the placeholders counted for it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::config::facts::{FactSpec, Registry};
use crate::error::Error;
use crate::pipeline::{Prepared, prepare};
use crate::placeholder::Home;

/// One missing fact of the config (the JSON shape is a contract).
#[derive(Debug, Clone, Serialize)]
pub struct MissingFact {
    /// The top-level table of the config.
    pub section: String,
    /// The entity's id, for an array of tables; null for a plain table.
    pub id: Option<String>,
    /// The dotted key inside it.
    pub key: String,
    /// A value the loader accepts for the key.
    pub example: serde_json::Value,
    /// How many placeholders setting the key fills.
    pub placeholders: usize,
    /// The documents that hold them, as paths in the output folder.
    pub documents: Vec<String>,
    /// What the placeholders ask for (for the text report).
    #[serde(skip)]
    pub prompt: String,
    /// The line to paste, in TOML.
    #[serde(skip)]
    pub toml: String,
    /// Where the fact is set instead of sms.toml: the place of an assessment area in
    /// the file `[assessment] import` reads (`assessment.xlsx, sheet "SLM"`).
    #[serde(skip)]
    pub imported_from: Option<String>,
}

/// A placeholder only the document can answer.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentPrompt {
    pub path: String,
    pub line: usize,
    pub prompt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TodoReport {
    pub facts: Vec<MissingFact>,
    pub document_only: Vec<DocumentPrompt>,
}

impl TodoReport {
    /// Every placeholder the report accounts for.
    pub fn placeholders(&self) -> usize {
        self.facts.iter().map(|f| f.placeholders).sum::<usize>() + self.document_only.len()
    }
}

/// The report for the config at `config_path` (with an optional template overlay).
pub fn todo(config_path: &Path, templates: Option<&Path>) -> Result<TodoReport, Error> {
    let Prepared { loaded, rendered, .. } = prepare(config_path, templates)?;
    Ok(report(&loaded.config, &rendered))
}

/// The report for a pack rendered from `config`.
pub fn report(config: &Config, rendered: &crate::render::RenderedPack) -> TodoReport {
    let mut facts: BTreeMap<Home, MissingFact> = BTreeMap::new();
    let mut document_only = Vec::new();
    for (file, found) in rendered.documents.iter().zip(&rendered.placeholders) {
        for placeholder in found {
            let Some(home) = &placeholder.home else {
                document_only.push(DocumentPrompt {
                    path: file.path.clone(),
                    line: placeholder.line,
                    prompt: placeholder.prompt.clone(),
                });
                continue;
            };
            let fact = facts.entry(home.clone()).or_insert_with(|| {
                let example = example(config, home);
                let imported_from = imported_area(config, home).map(str::to_owned);
                MissingFact {
                    imported_from,
                    section: home.section.clone(),
                    id: home.id.clone(),
                    key: home.key.clone(),
                    toml: format!("{} = {}", home.key, toml_inline(&example)),
                    example: to_json(&example),
                    placeholders: 0,
                    documents: Vec::new(),
                    prompt: placeholder.prompt.clone(),
                }
            });
            fact.placeholders += 1;
            if fact.documents.last() != Some(&file.path) && !fact.documents.contains(&file.path) {
                fact.documents.push(file.path.clone());
            }
        }
    }
    let mut facts: Vec<MissingFact> = facts.into_values().collect();
    for fact in &mut facts {
        fact.documents.sort();
    }
    facts.sort_by(|a, b| {
        b.placeholders.cmp(&a.placeholders).then_with(|| (&a.section, &a.id, &a.key).cmp(&(&b.section, &b.id, &b.key)))
    });
    document_only.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    TodoReport { facts, document_only }
}

/// For a fact of an assessment area that `[assessment] import` gives, where in that
/// file the area is: the fact is to be filled in there, not in sms.toml.
fn imported_area<'c>(config: &'c Config, home: &Home) -> Option<&'c str> {
    let area = home.key.strip_prefix("areas.")?.split_once('.')?.0;
    let areas = &config.assessment.as_ref()?.areas;
    (home.section == "assessment")
        .then(|| areas.iter().find(|(code, _)| code.get_ref() == area))
        .flatten()
        .and_then(|(_, details)| details.imported_from.as_deref())
}

/// The registry entry behind a home, and the assessment area it is in, if any.
fn spec_for(home: &Home) -> Option<(&'static FactSpec, Option<&str>)> {
    let registry = Registry::builtin();
    match home.section.as_str() {
        "processes" => registry.get("processes", home.key.split_once('.')?.1).map(|s| (s, None)),
        "assessment" if home.key.starts_with("areas.") => {
            let (area, key) = home.key.strip_prefix("areas.")?.split_once('.')?;
            registry.get("assessment.areas", key).map(|s| (s, Some(area)))
        }
        section => registry.get(section, &home.key).map(|s| (s, None)),
    }
}

fn example(config: &Config, home: &Home) -> toml::Value {
    spec_for(home).map_or_else(|| toml::Value::String("…".into()), |(spec, area)| spec.example_for(config, area))
}

/// A TOML value as it is written on the right of `key = `.
fn toml_inline(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            let entries: Vec<String> =
                table.iter().map(|(k, v)| format!("{} = {}", quoted_key(k), toml_inline(v))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Array(items) => format!("[{}]", items.iter().map(toml_inline).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

fn quoted_key(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_owned()
    } else {
        format!("\"{key}\"")
    }
}

/// The example as JSON: dates become `YYYY-MM-DD` strings (the loader accepts them).
fn to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        toml::Value::String(text) => Json::String(text.clone()),
        toml::Value::Integer(number) => Json::from(*number),
        toml::Value::Float(number) => serde_json::Number::from_f64(*number).map_or(Json::Null, Json::Number),
        toml::Value::Boolean(flag) => Json::Bool(*flag),
        toml::Value::Datetime(date) => Json::String(date.to_string()),
        toml::Value::Array(items) => Json::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => Json::Object(table.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// The report for people: facts first, biggest gain first, each with what to paste.
pub fn text(report: &TodoReport) -> String {
    let mut out = String::new();
    let filled: usize = report.facts.iter().map(|f| f.placeholders).sum();
    if report.facts.is_empty() {
        out.push_str("Every fact the documents ask for is in the config.\n");
    } else {
        out.push_str(&format!(
            "{} fact{} missing from the config; setting {} would fill {filled} placeholder{}.\n\n",
            report.facts.len(),
            if report.facts.len() == 1 { " is" } else { "s are" },
            if report.facts.len() == 1 { "it" } else { "them" },
            if filled == 1 { "" } else { "s" },
        ));
        for fact in &report.facts {
            let table = match (&fact.imported_from, &fact.id) {
                (Some(place), _) => place.clone(),
                (None, Some(id)) => format!("[[{}]] id = \"{id}\"", fact.section),
                (None, None) => format!("[{}]", fact.section),
            };
            let what = match &fact.imported_from {
                Some(_) => "fill it in there: the config imports this area",
                None => &fact.toml,
            };
            let documents = fact.documents.len();
            out.push_str(&format!(
                "{:>4}  {}: {}\n      in {table}:  {what}\n      ({} document{})\n",
                fact.placeholders,
                fact.prompt,
                fact.key,
                documents,
                if documents == 1 { "" } else { "s" }
            ));
        }
    }
    if !report.document_only.is_empty() {
        out.push_str(&format!(
            "\n{} placeholder{} can only be answered in the documents themselves:\n",
            report.document_only.len(),
            if report.document_only.len() == 1 { "" } else { "s" }
        ));
        for prompt in &report.document_only {
            out.push_str(&format!("  {}:{}: {}\n", prompt.path, prompt.line, prompt.prompt));
        }
    }
    out
}
