//! Document-control front matter, written by code rather than by templates so it is
//! always valid YAML whatever the config contains. It is built from the document's
//! typed view (`view::DocView`), the same data templates see as `doc`.
//!
//! Every value is written as a double-quoted scalar using JSON string escaping, which
//! YAML 1.2 (and 1.1) reads identically; no config text can end the block or start a
//! new key.

use super::engine::PLACEHOLDER_PREFIX;
use super::view::DocView;
use crate::placeholder::{Home, tagged};

pub(super) fn render(doc: &DocView<'_>) -> String {
    let person = |person: &Option<super::view::PersonRef<'_>>, role: &str, home: Option<&Home>| {
        person.as_ref().map_or_else(
            || {
                let what = format!("name of the {role}");
                home.map_or_else(|| format!("{PLACEHOLDER_PREFIX}{what}]"), |home| tagged(home, &what))
            },
            |p| p.name.to_owned(),
        )
    };
    // Both dates follow from the pack's effective date: that is the key to set.
    let effective = Home { section: "pack".into(), id: None, key: "effective_date".into() };
    let todo = |what: &str| tagged(&effective, what);
    let fields: [(&str, String); 9] = [
        ("id", doc.id.to_owned()),
        ("title", doc.title.to_owned()),
        ("version", doc.version.to_owned()),
        ("status", doc.status.to_owned()),
        ("owner", person(&doc.owner, doc.owner_role, doc.owner_home)),
        ("approver", person(&doc.approver, doc.approver_role, doc.approver_home)),
        ("effective_date", doc.effective_date.map_or_else(|| todo("effective date"), str::to_owned)),
        ("next_review", doc.next_review.map_or_else(|| todo("next review date"), str::to_owned)),
        ("classification", doc.classification.to_owned()),
    ];
    let mut out = String::from("---\n");
    for (key, value) in fields {
        out.push_str(key);
        out.push_str(": ");
        out.push_str(&quote(&value));
        out.push('\n');
    }
    out.push_str("requirements: [");
    out.push_str(&doc.requirements.iter().map(|r| quote(r.id)).collect::<Vec<_>>().join(", "));
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
