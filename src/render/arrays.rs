//! Tera's array filters (`filter`, `map`, `first`, `last`, `nth`) without the copies.
//!
//! Tera 1's built-in versions turn their input into a `Vec<Value>` by cloning the
//! whole array and deserialising the clone, then serialise the result back: three deep
//! copies of, say, every requirement with its documents and sections, for one
//! `requirements | filter(attribute="id", value=s.id) | first`. A summary looks a
//! requirement up that way for each requirement, so the copies made the compliance
//! matrix and the self-assessment report cost more than the other 54 documents
//! together. These read the array in place and copy only what they return.
//!
//! They replace the built-ins under the same names, with the same results and the same
//! error messages, for our templates and for anyone's own (the test below renders both
//! ways and compares).

use std::collections::HashMap;

use tera::{Filter, Value, dotted_pointer};

/// The input as an array, or Tera's error for a filter called on something else.
fn array<'v>(filter: &str, value: &'v Value) -> tera::Result<&'v [Value]> {
    value.as_array().map(Vec::as_slice).ok_or_else(|| {
        tera::Error::msg(format!(
            "Filter `{filter}` was called on an incorrect value: got `{value}` but expected a Vec<Value>"
        ))
    })
}

fn attribute<'a>(filter: &str, args: &'a HashMap<String, Value>) -> tera::Result<&'a str> {
    match args.get("attribute") {
        Some(Value::String(attribute)) => Ok(attribute),
        Some(other) => Err(tera::Error::msg(format!(
            "Filter `{filter}` received an incorrect type for arg `attribute`: got `{other}` but expected a String"
        ))),
        None => Err(tera::Error::msg(format!("The `{filter}` filter has to have an `attribute` argument"))),
    }
}

/// `filter(attribute, value)`: the items whose attribute equals `value` (or, without a
/// value, is not null).
pub(super) struct FilterItems;

impl Filter for FilterItems {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let items = array("filter", value)?;
        if items.is_empty() {
            return Ok(Value::Array(Vec::new()));
        }
        let key = attribute("filter", args)?;
        let wanted = args.get("value").unwrap_or(&Value::Null);
        let kept = items
            .iter()
            .filter(|item| {
                let found = dotted_pointer(item, key).unwrap_or(&Value::Null);
                if wanted.is_null() { !found.is_null() } else { found == wanted }
            })
            .cloned()
            .collect();
        Ok(Value::Array(kept))
    }
}

/// `map(attribute)`: each item's attribute, nulls left out.
pub(super) struct MapItems;

impl Filter for MapItems {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let items = array("map", value)?;
        if items.is_empty() {
            return Ok(Value::Array(Vec::new()));
        }
        let key = attribute("map", args)?;
        let mapped = items.iter().filter_map(|item| dotted_pointer(item, key).filter(|v| !v.is_null())).cloned();
        Ok(Value::Array(mapped.collect()))
    }
}

/// `first`: the first item, or `""` for an empty array.
pub(super) struct First;

impl Filter for First {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(array("first", value)?.first().cloned().unwrap_or_else(empty))
    }
}

/// `last`: the last item, or `""` for an empty array.
pub(super) struct Last;

impl Filter for Last {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(array("last", value)?.last().cloned().unwrap_or_else(empty))
    }
}

/// `nth(n)`: item `n`, or `""` past the end.
pub(super) struct Nth;

impl Filter for Nth {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let items = array("nth", value)?;
        if items.is_empty() {
            return Ok(empty());
        }
        let index = match args.get("n") {
            Some(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| {
                tera::Error::msg(format!(
                    "Filter `nth` received an incorrect type for arg `n`: got `{n}` but expected a usize"
                ))
            })?,
            None => return Err(tera::Error::msg("The `nth` filter has to have an `n` argument")),
        };
        Ok(items.get(index).cloned().unwrap_or_else(empty))
    }
}

fn empty() -> Value {
    Value::String(String::new())
}

/// Puts these in place of Tera's own.
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("filter", FilterItems);
    tera.register_filter("map", MapItems);
    tera.register_filter("first", First);
    tera.register_filter("last", Last);
    tera.register_filter("nth", Nth);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `template` rendered with Tera's built-ins and with ours: result or error text.
    fn both(template: &str, data: &Value) -> (String, String) {
        let context = tera::Context::from_value(serde_json::json!({ "data": data })).expect("an object");
        let render = |tera: &mut tera::Tera| {
            tera.add_raw_template("t", template).expect("parses");
            tera.render("t", &context)
                .map_err(|e| crate::error::tera_chain(&e))
                .unwrap_or_else(|e| format!("error: {e}"))
        };
        let mut builtin = tera::Tera::default();
        let mut ours = tera::Tera::default();
        register(&mut ours);
        (render(&mut builtin), render(&mut ours))
    }

    #[test]
    fn results_and_errors_are_tera_s_own() {
        let items = serde_json::json!([
            { "id": "PR1", "group": "SPM", "n": 1, "nested": { "x": true } },
            { "id": "PR2", "group": "SLM", "n": null, "nested": { "x": false } },
            { "id": "PR3", "group": "SLM", "n": 3 },
        ]);
        let cases = [
            r#"{{ data | filter(attribute="group", value="SLM") | map(attribute="id") | join(sep=",") }}"#,
            r#"{{ data | filter(attribute="n") | length }}"#,
            r#"{{ data | filter(attribute="nested.x", value=true) | first | get(key="id") }}"#,
            r#"{% set f = data | filter(attribute="id", value="none") | first %}[{{ f }}]"#,
            r#"{{ data | map(attribute="n") | join(sep="+") }} {{ data | last | get(key="id") }}"#,
            r#"{{ data | nth(n=1) | get(key="id") }} [{{ data | nth(n=7) }}]"#,
            r#"{{ data | first | get(key="id") }} {{ [] | first }}|{{ [] | last }}|{{ [] | filter(attribute="x") | length }}"#,
            r#"{{ data | filter(value=1) }}"#,
            r#"{{ data | map }}"#,
            r#"{{ data | nth }}"#,
            r#"{{ data | nth(n=-1) }}"#,
            r#"{{ data.0.id | first }}"#,
            r#"{{ data | filter(attribute=3, value=1) }}"#,
        ];
        for case in cases {
            let (builtin, ours) = both(case, &items);
            assert_eq!(ours, builtin, "{case}");
        }
    }
}
