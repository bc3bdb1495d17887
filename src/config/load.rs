//! Reading `sms.toml` into a [`Config`], collecting every structural problem in one pass.
//!
//! serde stops at the first error. To report all of them together we parse the file once
//! into toml's spanned document tree, then deserialize, and whenever deserialization fails
//! we record the error, cut the offending entry out of the tree, and try again. Each round
//! removes one entry, so the loop ends; what is reported is the same message serde would
//! have given, plus the location and a hint.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::Config;
use crate::diagnostic::{Diagnostic, did_you_mean, suggest};

/// Upper bound on recovery rounds: far more than any real file needs, and a guard
/// against a deserializer that reports the same error for ever.
const MAX_ROUNDS: usize = 200;

/// Parses and deserializes the config text. `Err` holds every problem found.
pub(super) fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    // Most configs are valid: the first attempt takes the tree itself (copying the
    // tree of 10,000 services was a tenth of reading it). Only a config with a
    // problem is parsed again, to be taken apart one entry at a time.
    let (root, _) = document(text)?;
    let first = match Config::deserialize(ValueDeserializer::from(root)) {
        Ok(config) => return Ok(config),
        Err(error) => error,
    };
    let (mut root, document_span) = document(text)?;
    // The first round takes the error just found; each later one deserialises anew.
    let mut found = Some(Err(first));

    let mut problems: Vec<Diagnostic> = Vec::new();
    // Entries cut out so far, as (key, span of the table they were in). A later "missing
    // key" for one of them is a consequence of the cut, not a second problem.
    let mut removed: Vec<(String, Range<usize>)> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        match found.take().unwrap_or_else(|| Config::deserialize(ValueDeserializer::from(root.clone()))) {
            Ok(config) if problems.is_empty() => return Ok(config),
            Ok(_) => break,
            Err(error) => {
                let span = error.span();
                let diagnostic = explain(error.message(), span.clone());
                let consequence = missing_key(error.message())
                    .is_some_and(|key| removed.iter().any(|(k, table)| k == key && Some(table) == span.as_ref()));
                if problems.contains(&diagnostic) {
                    break;
                }
                if !consequence {
                    problems.push(diagnostic);
                }
                let Some(span) = span else { break };
                match remove_entry_at(&mut root, &span, &document_span) {
                    Some((key, table)) => {
                        // A misspelt key also makes the intended key "missing": one problem, not two.
                        if let Some(intended) = suggestion(error.message()) {
                            removed.push((intended.to_owned(), table.clone()));
                        }
                        removed.push((key, table));
                    }
                    None => break,
                }
            }
        }
    }
    problems.sort_by_key(|p| p.span.as_ref().map_or(usize::MAX, |s| s.start));
    Err(problems)
}

/// The config's spanned tree, its strings cleaned, and the span of the whole document.
fn document(text: &str) -> Result<(Spanned<DeValue<'_>>, Range<usize>), Vec<Diagnostic>> {
    let document = DeTable::parse(text).map_err(|error| vec![syntax_error(&error)])?;
    let span = document.span();
    let mut root = Spanned::new(span.clone(), DeValue::Table(document.into_inner()));
    clean_strings(&mut root);
    Ok((root, span))
}

/// Applies the pack-wide character rule ([`crate::text::clean`]) to every string value,
/// once, here: a control character typed into the config (`"\u0007"`) then cannot reach
/// any output format — Markdown, front matter, HTML, SVG or Word's XML — nor the
/// terminal through an error message. Keys are left alone (a key with such characters
/// is an unknown key and reported as one). Iterative: TOML nesting is bounded by the
/// parser, but this walk need not rely on it.
fn clean_strings(root: &mut Spanned<DeValue<'_>>) {
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value.get_mut() {
            DeValue::String(text) => {
                if let std::borrow::Cow::Owned(cleaned) = crate::text::clean(text) {
                    *text = std::borrow::Cow::Owned(cleaned);
                }
            }
            DeValue::Table(table) => stack.extend(table.iter_mut().map(|(_, entry)| entry)),
            DeValue::Array(array) => stack.extend(array.as_mut().iter_mut()),
            _ => {}
        }
    }
}

/// For an unknown-key message, the allowed key it most likely meant.
fn suggestion(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    did_you_mean(key, backticked(expected))
}

fn missing_key(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn syntax_error(error: &toml::de::Error) -> Diagnostic {
    let message = error.message().trim().trim_end_matches('.');
    Diagnostic::new(format!("invalid TOML: {}", first_line(message)), error.span())
        .with_hint("check quotes, brackets and `key = value` pairs on this line; strings need double quotes")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// Turns serde's message into ours: the same facts, the words a config author uses
/// ("key" rather than "field"), and a hint.
fn explain(message: &str, span: Option<Range<usize>>) -> Diagnostic {
    let message = first_line(message.trim());
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let hint = match suggestion(message) {
            Some(candidate) => format!("did you mean `{candidate}`?"),
            None if allowed.is_empty() => "this table takes no keys".to_owned(),
            None => format!("keys allowed here: {}", allowed.join(", ")),
        };
        return Diagnostic::new(format!("unknown key `{key}`"), span).with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        // A value outside a fixed list (a supplier's kind, a service's status).
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed = backticked(expected);
        let listed = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
        let hint = suggest(value, allowed.iter().copied(), &format!("allowed: {listed}"));
        return Diagnostic::new(format!("invalid value \"{value}\""), span).with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        if key == "organisation" {
            // The one required table: its absence usually means an empty or wrong file.
            return Diagnostic::new("missing key `organisation`: the file has no [organisation] table", span).with_hint(
                "start the file with `[organisation]` and `name = \"…\"`; `fitsm-pack init` writes a commented example",
            );
        }
        return Diagnostic::new(format!("missing key `{key}`"), span)
            .with_hint(format!("add `{key} = …` to this table"));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        let hint = type_hint(expected);
        // serde's words for types are Rust's; say them the way a config author would.
        let found = found
            .replace("sequence", "a list")
            .replace("map", "a table")
            .replace(" as i128", "")
            .replace(" as u128", "");
        return Diagnostic::new(format!("wrong type: found {found}, expected {}", plain_type(expected)), span)
            .with_hint(hint);
    }
    Diagnostic::new(message.to_owned(), span)
}

/// serde names Rust types; users know TOML's.
fn plain_type(expected: &str) -> &str {
    match expected {
        "f64" | "f32" => "a number",
        "i64" | "i32" | "u32" | "u64" | "usize" => "a whole number",
        "a sequence" => "a list",
        "a map" | "struct" => "a table",
        other if other.starts_with("struct ") => "a table",
        other => other,
    }
}

fn type_hint(expected: &str) -> String {
    match plain_type(expected) {
        "a string" => "put text in double quotes, e.g. name = \"Compute cloud\"".to_owned(),
        "a number" => "write a plain number without quotes or a % sign, e.g. 99.5".to_owned(),
        "a whole number" => "write a whole number without quotes, e.g. 12".to_owned(),
        "a list" => "write a list in square brackets, e.g. customers = [\"physics\", \"chemistry\"]".to_owned(),
        "a table" => "this must be a table: a [section] or { key = value } pairs".to_owned(),
        "a boolean" => "write true or false, without quotes".to_owned(),
        other if other.contains("datetime") => "write a date without quotes, e.g. 2026-01-15".to_owned(),
        other => format!("expected {other}"),
    }
}

/// The names between backticks in serde's "expected one of `a`, `b`" text.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Removes the innermost table entry or array element whose key or value covers `span`,
/// and returns its key with the span of the table it was in (`own_span` is the span of
/// `value` itself). `None` when nothing smaller than the whole document covers it.
///
/// Spans of `[section]` tables cover only their header, not their body, so the search
/// does not rely on a parent covering its children: it looks into every entry, deepest
/// match first. Spans are positions in the file, so only the offending entry (or one of
/// its ancestors) can match.
fn remove_entry_at(
    value: &mut Spanned<DeValue<'_>>,
    span: &Range<usize>,
    own_span: &Range<usize>,
) -> Option<(String, Range<usize>)> {
    match value.get_mut() {
        DeValue::Table(table) => {
            let mut hit = None;
            for (key, entry) in table.iter_mut() {
                if covers(&key.span(), span) {
                    hit = Some(key.clone());
                    break;
                }
                let entry_span = entry.span();
                if let Some(cut) = remove_entry_at(entry, span, &entry_span) {
                    return Some(cut);
                }
                if covers(&entry_span, span) {
                    hit = Some(key.clone());
                    break;
                }
            }
            let key = hit?;
            table.remove(&key)?;
            Some((key.get_ref().to_string(), own_span.clone()))
        }
        DeValue::Array(array) => {
            let mut hit = None;
            for (index, item) in array.as_mut().iter_mut().enumerate() {
                let item_span = item.span();
                if let Some(cut) = remove_entry_at(item, span, &item_span) {
                    return Some(cut);
                }
                if covers(&item_span, span) {
                    hit = Some(index);
                    break;
                }
            }
            let index = hit?;
            // DeArray has no `remove`; rebuild it without the element.
            let kept = std::mem::replace(array, toml::de::DeArray::new())
                .into_iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, item)| item);
            *array = kept.collect();
            Some((String::new(), own_span.clone()))
        }
        _ => None,
    }
}

fn covers(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.end > outer.start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Diagnostic> {
        parse(text).err().unwrap_or_default()
    }

    #[test]
    fn minimal_config_parses() {
        let config = parse("[organisation]\nname = \"Acme\"\n").expect("valid");
        assert_eq!(config.organisation.name, "Acme");
        assert_eq!(config.pack.review_interval_months.into_inner(), 12);
    }

    #[test]
    fn unknown_key_gets_did_you_mean_and_points_at_the_key() {
        let text = "[organisation]\nnmae = \"Acme\"\n";
        let found = problems(text);
        assert_eq!(found[0].message, "unknown key `nmae`");
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `name`?"));
        let span = found[0].span.clone().expect("span");
        assert_eq!(&text[span], "nmae");
    }

    #[test]
    fn several_problems_are_reported_together() {
        let text = r#"
[organisation]
name = "Acme"
webiste = "https://acme.example"

[[people]]
id = "ann"
name = 5

[[services]]
id = "web"
name = "Web"
availability_target = "99.5%"
ownr = "ann"
"#;
        let found = problems(text);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert!(messages.contains(&"unknown key `webiste`"), "{messages:?}");
        assert!(messages.iter().any(|m| m.starts_with("wrong type: found integer `5`")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("expected a number")), "{messages:?}");
        assert!(messages.contains(&"unknown key `ownr`"), "{messages:?}");
    }

    #[test]
    fn control_characters_are_dropped_from_every_string() {
        let config = parse("[organisation]\nname = \"Ac\\u0007me\\u0000 Ltd\"\n[scope]\nin_scope = [\"a\\u001bb\"]\n")
            .expect("valid");
        assert_eq!(config.organisation.name, "Acme Ltd");
        assert_eq!(config.scope.in_scope, vec!["ab".to_owned()]);
    }

    #[test]
    fn missing_required_key_is_named() {
        let found = problems("[organisation]\nwebsite = \"x\"\n");
        assert_eq!(found[0].message, "missing key `name`");
    }

    #[test]
    fn syntax_error_has_a_location() {
        let found = problems("[organisation]\nname = \"Acme\n");
        assert!(found[0].message.starts_with("invalid TOML"));
        assert!(found[0].span.is_some());
    }
}
