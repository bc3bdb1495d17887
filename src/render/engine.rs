//! The Tera environment: every template of the set compiled once, Markdown escaping
//! switched on for `.md` templates, and the small vocabulary of filters and functions
//! templates use (see docs/templates.md for the author's view).

use std::collections::HashMap;

use rayon::prelude::*;
use tera::{Template, Tera, Value};

use super::escape::{escape_block, escape_inline};
use super::links::LinkIndex;
use crate::error::{Error, TemplateError, tera_chain};
use crate::templates::{Origin, TemplateSet};

/// The visible marker for information the config does not give. `check` counts these.
pub use crate::placeholder::PREFIX as PLACEHOLDER_PREFIX;

/// Compiles all templates of the set. A syntax error names the template and line.
///
/// Runs its parsing on the current rayon pool: the caller installs the render pool,
/// whose deep stacks the parser's recursion needs as much as rendering does.
pub(super) fn build(templates: &TemplateSet, links: LinkIndex) -> Result<Tera, Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".md"]);
    tera.set_escape_fn(escape_inline);
    // Tera's array filters, without their deep copies (see `arrays`).
    super::arrays::register(&mut tera);
    tera.register_filter("or_todo", OrTodo);
    tera.register_filter("person", PersonFilter);
    tera.register_filter("md_block", MdBlock);
    tera.register_filter("percent", Percent);
    tera.register_filter("fact", super::fact::Fact);
    tera.register_function("todo", Todo);
    tera.register_function("addresses", Addresses);
    tera.register_function("link", links);
    tera.register_function("path_to", super::links::PathTo);

    // Parsing is most of a small build's time (Tera's parser costs thousands of
    // instructions a byte) and each template parses on its own, so they are parsed in
    // parallel and put together as `Tera::add_raw_templates` does: the same templates,
    // the same checks, the first error in the set's order.
    let sources: Vec<_> = templates.markdown_sources().collect();
    let parsed: Vec<Result<Template, tera::Error>> = sources
        .par_iter()
        .map(|file| {
            Template::new(&file.name, None, &file.text)
                .map_err(|error| tera::Error::chain(format!("Failed to parse '{}'", file.name), error))
        })
        .collect();
    for (file, template) in sources.iter().zip(parsed) {
        let template = template.map_err(|error| compile_error(templates, &error))?;
        tera.templates.insert(file.name.clone(), template);
    }
    tera.build_inheritance_chains().map_err(|error| compile_error(templates, &error))?;
    tera.check_macro_files().map_err(|error| compile_error(templates, &error))?;
    Ok(tera)
}

/// Tera reports syntax errors as "Failed to parse 'name'" with the position in the
/// source chain; we lift the template name and line out of it.
fn compile_error(templates: &TemplateSet, error: &tera::Error) -> Error {
    let chain = tera_chain(error);
    let name = chain.split('\'').nth(1).unwrap_or_default().to_owned();
    let line =
        chain.split("-->").nth(1).and_then(|rest| rest.trim().split(':').next()).and_then(|n| n.trim().parse().ok());
    let origin = templates.get(&name).map_or(Origin::Builtin, |f| f.origin.clone());
    Error::Template(TemplateError { template: name, origin, line, message: chain })
}

fn placeholder(what: &str) -> String {
    crate::placeholder::placeholder(&escape_inline(what))
}

/// The placeholder, tagged with the config key in the `home` argument when the
/// template passes one (`person(role=…, home=doc.owner_home)`), so `todo` can name it.
fn placeholder_at(what: &str, args: &HashMap<String, Value>) -> String {
    let home = args.get("home").and_then(|home| {
        Some(crate::placeholder::Home {
            section: home.get("section")?.as_str()?.to_owned(),
            id: home.get("id").and_then(Value::as_str).map(str::to_owned),
            key: home.get("key")?.as_str()?.to_owned(),
        })
    });
    match home {
        Some(home) => crate::placeholder::tagged(&home, &escape_inline(what)),
        None => placeholder(what),
    }
}

fn what_arg(args: &HashMap<String, Value>, name: &str) -> String {
    args.get(name).and_then(Value::as_str).unwrap_or("this information").to_owned()
}

/// Whether a value counts as not given: null, blank text, an empty list or table.
pub(super) fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(items) => items.is_empty(),
        _ => false,
    }
}

/// Text as written, escaped as a single line; lists joined with commas.
pub(super) fn render_text(value: &Value) -> String {
    match value {
        Value::String(text) => escape_inline(text),
        Value::Array(items) => items.iter().map(render_text).collect::<Vec<_>>().join(", "),
        other => escape_inline(&other.to_string()),
    }
}

/// `{{ service.hours | or_todo(what="service hours") }}`: the value, or a visible
/// placeholder when the config leaves it out.
struct OrTodo;
impl tera::Filter for OrTodo {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(if is_blank(value) {
            placeholder_at(&what_arg(args, "what"), args)
        } else {
            render_text(value)
        }))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ roles.sms_owner | person(role="SMS owner") }}`: "Name (Title)" or a placeholder.
struct PersonFilter;
impl tera::Filter for PersonFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        if !value.is_object() {
            return Ok(Value::String(placeholder_at(&format!("name of the {}", what_arg(args, "role")), args)));
        }
        Ok(Value::String(person_text(value)))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// A person as documents name them: "Name (Title)", escaped.
pub(super) fn person_text(person: &Value) -> String {
    let name = person.get("name").and_then(Value::as_str).unwrap_or_default();
    match person.get("title").and_then(Value::as_str).filter(|title| !title.trim().is_empty()) {
        Some(title) => format!("{} ({})", escape_inline(name), escape_inline(title)),
        None => escape_inline(name),
    }
}

/// `{{ service.description | md_block }}`: multi-paragraph text, escaped line by line.
struct MdBlock;
impl tera::Filter for MdBlock {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(match value {
            Value::String(text) if !text.trim().is_empty() => escape_block(text),
            _ => placeholder(&what_arg(args, "what")),
        }))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ service.availability_target | percent }}`: `99.5 %`, or a placeholder.
struct Percent;
impl tera::Filter for Percent {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(match value.as_f64() {
            Some(number) => format!("{number} %"),
            None => placeholder(&what_arg(args, "what")),
        }))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ todo(what="the escalation contact") }}`: a placeholder on its own.
struct Todo;
impl tera::Function for Todo {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::String(placeholder(&what_arg(args, "what"))))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

/// `addresses(ids=["PR9.1", "PR9.2"])`: the marker line that says which requirements
/// the section it stands in addresses ([`crate::outline`] reads it back). An id the
/// FitSM catalogue does not know is a template error, so every marker names a real
/// requirement.
struct Addresses;
impl tera::Function for Addresses {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let ids: Vec<String> = match args.get("ids") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(Value::String(text)) => text.split([',', ' ']).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
            _ => return Err(tera::Error::msg("addresses() needs `ids`: a list of FitSM requirement ids")),
        };
        if ids.is_empty() {
            return Err(tera::Error::msg("addresses() needs at least one requirement id"));
        }
        let catalogue = crate::catalogue::Catalogue::builtin();
        if let Some(unknown) = ids.iter().find(|id| catalogue.requirement(id).is_none()) {
            return Err(tera::Error::msg(format!("addresses(): `{unknown}` is not a FitSM requirement id")));
        }
        Ok(Value::String(crate::outline::marker(&ids)))
    }
    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Filter;

    #[test]
    fn or_todo_shows_value_or_placeholder() {
        let args = HashMap::from([("what".to_owned(), Value::from("service hours"))]);
        assert_eq!(OrTodo.filter(&Value::from("24/7 | always"), &args).ok(), Some(Value::from("24/7 \\| always")));
        assert_eq!(OrTodo.filter(&Value::Null, &args).ok(), Some(Value::from("[TO BE COMPLETED: service hours]")));
        assert_eq!(
            OrTodo.filter(&Value::from("  "), &args).ok(),
            Some(Value::from("[TO BE COMPLETED: service hours]"))
        );
    }

    #[test]
    fn person_filter_escapes_names() {
        let person = serde_json::json!({"name": "Ann *Admin*", "title": "Head of IT"});
        let shown = PersonFilter.filter(&person, &HashMap::new()).ok();
        assert_eq!(shown, Some(Value::from("Ann \\*Admin\\* (Head of IT)")));
    }
}
