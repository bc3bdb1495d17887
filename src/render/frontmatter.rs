//! Document-control front matter, written by code rather than by templates so it is
//! always valid YAML whatever the config contains.
//!
//! Every value is written as a double-quoted scalar using JSON string escaping, which
//! YAML 1.2 (and 1.1) reads identically; no config text can end the block or start a
//! new key.

use serde_json::Value;

use super::engine::PLACEHOLDER_PREFIX;
use crate::plan::PlannedDocument;

pub(super) fn render(document: &PlannedDocument, context: &tera::Context) -> String {
    let doc = context.get("doc").cloned().unwrap_or(Value::Null);
    let text = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_owned);
    let person = |key: &str, role: &str| {
        doc.get(key)
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{PLACEHOLDER_PREFIX}{role}]"))
    };
    let todo = |what: &str| format!("{PLACEHOLDER_PREFIX}{what}]");
    let fields: [(&str, String); 9] = [
        ("id", document.id.clone()),
        ("title", document.title.clone()),
        ("version", text("version").unwrap_or_default()),
        ("status", text("status").unwrap_or_default()),
        ("owner", person("owner", &document.owner_role)),
        ("approver", person("approver", &document.approver_role)),
        ("effective_date", text("effective_date").unwrap_or_else(|| todo("effective date"))),
        ("next_review", text("next_review").unwrap_or_else(|| todo("next review date"))),
        ("classification", text("classification").unwrap_or_default()),
    ];
    let mut out = String::from("---\n");
    for (key, value) in fields {
        out.push_str(key);
        out.push_str(": ");
        out.push_str(&quote(&value));
        out.push('\n');
    }
    out.push_str("requirements: [");
    out.push_str(&document.requirements.iter().map(|r| quote(r)).collect::<Vec<_>>().join(", "));
    out.push_str("]\n---\n");
    out
}

fn quote(value: &str) -> String {
    // Folding line breaks keeps each field on one line for people reading the file.
    let one_line: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    serde_json::to_string(&one_line).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_neutralises_yaml_and_front_matter_breakers() {
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("x\n---\ny"), "\"x --- y\"");
        assert_eq!(quote("say \"hi\" \\"), "\"say \\\"hi\\\" \\\\\"");
    }
}
