//! `{{ service | fact(key="recovery_time") }}`: a fact of the config, or the
//! placeholder that names its home.
//!
//! The filter is applied to an entity view (a service, a supplier, `tools`, a
//! process, an assessment area …), whose `home` says where it lives in the config.
//! It looks the dotted `key` up in the view; a value is shown (escaped as Markdown),
//! a missing one becomes a placeholder tagged with its config key (see
//! `placeholder::tagged`), worded from the fact registry unless `what` says
//! otherwise. A key the registry does not know is a template error, so a template
//! cannot ask for a fact that has no home.
//!
//! `as` chooses the form: `text` (default; lists are joined with commas), `percent`,
//! `person` (`Name (Title)`), `block` (paragraphs), `list` (one bullet per item).

use std::collections::HashMap;

use tera::Value;

use super::engine::{is_blank, person_text, render_text};
use super::escape::{escape_block, escape_inline};
use crate::config::facts::Registry;
use crate::placeholder::{Home, tagged};

pub(super) struct Fact;

impl tera::Filter for Fact {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("`fact` needs a key, e.g. fact(key=\"recovery_time\")"))?;
        let home = value.get("home").ok_or_else(|| {
            tera::Error::msg(format!(
                "`fact(key=\"{key}\")` is applied to something that is not an entity of the config; \
                 apply it to a service, supplier, customer, process, `tools`, `practices` …"
            ))
        })?;
        let text = |name: &str| home.get(name).and_then(Value::as_str).unwrap_or_default();
        let kind = text("kind");
        let registry = Registry::builtin();
        let spec = registry.get(kind, key).ok_or_else(|| {
            let hint =
                crate::diagnostic::suggest(key, registry.keys_of(kind), "see the fact registry in docs/config.md");
            tera::Error::msg(format!("`{kind}` has no fact `{key}`; {hint}"))
        })?;
        let found = key.split('.').try_fold(value, |at, part| at.get(part));
        if let Some(found) = found.filter(|v| !is_blank(v)) {
            return Ok(Value::String(show(found, args.get("as").and_then(Value::as_str).unwrap_or("text"))?));
        }
        let what = args.get("what").and_then(Value::as_str).unwrap_or(&spec.prompt);
        let home = match spec.fallback_home() {
            Some((section, key)) => Home { section: section.to_owned(), id: None, key: key.to_owned() },
            None => Home {
                section: text("section").to_owned(),
                id: home.get("id").and_then(Value::as_str).map(str::to_owned),
                key: format!("{}{key}", text("prefix")),
            },
        };
        Ok(Value::String(tagged(&home, &escape_inline(what))))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn show(value: &Value, form: &str) -> tera::Result<String> {
    let plain = |value: &Value| match value {
        Value::String(text) => escape_inline(text),
        other => escape_inline(&other.to_string()),
    };
    Ok(match form {
        "text" => render_text(value),
        "percent" => match value.as_f64() {
            Some(number) => format!("{number} %"),
            None => plain(value),
        },
        "person" => person_text(value),
        "block" => match value {
            Value::String(text) => escape_block(text),
            other => plain(other),
        },
        "list" => match value {
            Value::Array(items) => items.iter().map(|item| format!("- {}", plain(item))).collect::<Vec<_>>().join("\n"),
            other => format!("- {}", plain(other)),
        },
        other => {
            return Err(tera::Error::msg(format!(
                "`fact` cannot show a value `as=\"{other}\"`; use text, percent, person, block or list"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tera::Filter;

    fn args(pairs: &[(&str, &str)]) -> HashMap<String, Value> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect()
    }

    fn service() -> Value {
        json!({"home": {"kind": "services", "section": "services", "id": "hpc", "prefix": ""},
               "recovery_time": "8 hours", "response_times": {"critical": null}, "software": ["Slurm", "Lustre"]})
    }

    #[test]
    fn a_value_is_shown_and_a_missing_one_names_its_home() {
        let shown = Fact.filter(&service(), &args(&[("key", "recovery_time")])).expect("shown");
        assert_eq!(shown, Value::from("8 hours"));
        let listed = Fact.filter(&service(), &args(&[("key", "software")])).expect("listed");
        assert_eq!(listed, Value::from("Slurm, Lustre"));
        let missing = Fact.filter(&service(), &args(&[("key", "response_times.critical")])).expect("placeholder");
        let (_, found) = crate::placeholder::untag(missing.as_str().unwrap_or_default());
        // Response times fall back to the pack-wide default, so that is where to set them.
        assert_eq!(
            found[0].home,
            Some(Home { section: "support".into(), id: None, key: "response_times.critical".into() })
        );
        let missing = Fact.filter(&service(), &args(&[("key", "users")])).expect("placeholder");
        let (_, found) = crate::placeholder::untag(missing.as_str().unwrap_or_default());
        assert_eq!(
            found[0].home,
            Some(Home { section: "services".into(), id: Some("hpc".into()), key: "users".into() })
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_with_a_hint() {
        let error = Fact.filter(&service(), &args(&[("key", "recovery_tme")])).expect_err("unknown");
        assert!(error.to_string().contains("recovery_time"), "{error}");
    }
}
