//! Making Tera's render errors useful to a template author.
//!
//! Tera 1.x reports an undefined variable as "Variable `x.y` not found in context while
//! rendering 'name'", without a line. We find the line in the template source (or in
//! a template it extends or includes) and list the variables that do exist at that
//! point, so the author sees the typo at once.

use serde_json::Value;

use crate::error::{TemplateError, tera_chain};
use crate::templates::{Origin, TemplateSet};

pub(super) fn render_error(
    templates: &TemplateSet,
    name: &str,
    context: &tera::Context,
    error: &tera::Error,
) -> TemplateError {
    let origin_of = |template: &str| templates.get(template).map_or(Origin::Builtin, |f| f.origin.clone());
    let Some(variable) = undefined_variable(error) else {
        let message = tera_chain(error);
        return TemplateError { template: name.to_owned(), origin: origin_of(name), line: None, message };
    };
    // The template being rendered first, then the partials it may pull in.
    let located = std::iter::once(name.to_owned())
        .chain(templates.files().map(|f| f.name.clone()).filter(|n| n != name && n.starts_with("partials/")))
        .find_map(|template| {
            let text = &templates.get(&template)?.text;
            line_of(text, &variable).map(|line| (template, line))
        });
    let (template, line) = located.map_or((name.to_owned(), None), |(t, l)| (t, Some(l)));
    let available = available_here(&context.clone().into_json(), &variable);
    TemplateError {
        origin: origin_of(&template),
        template,
        line,
        message: format!("undefined variable `{variable}`; {available}"),
    }
}

/// The variable a render failed on, if that is why it failed. Tera 1 reports it only
/// as the message of one cause in the chain ("Variable `x` not found in context …"),
/// so that cause is found by walking the chain, not by searching a flattened string.
fn undefined_variable(error: &tera::Error) -> Option<String> {
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(current) = cause {
        let message = current.to_string();
        if let Some(rest) = message.strip_prefix("Variable `")
            && let Some(end) = rest.find("` not found")
        {
            return Some(rest[..end].to_owned());
        }
        cause = current.source();
    }
    None
}

/// 1-based line of the first Tera expression or tag that mentions `variable`.
fn line_of(text: &str, variable: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.match_indices(variable).any(|(at, _)| {
                let before = line[..at].chars().last();
                let after = line[at + variable.len()..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
                boundary(before) && boundary(after) && (line.contains("{{") || line.contains("{%"))
            })
        })
        .map(|index| index + 1)
}

/// "available here: doc, org, …" for the deepest part of the path that exists.
fn available_here(context: &Value, variable: &str) -> String {
    let mut current = context;
    let mut path = Vec::new();
    for part in variable.split('.') {
        match current.get(part) {
            Some(next) if next.is_object() => {
                current = next;
                path.push(part);
            }
            _ => break,
        }
    }
    let keys: Vec<&str> = current.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    let place =
        if path.is_empty() { "variables available here".to_owned() } else { format!("fields of `{}`", path.join(".")) };
    let missing = variable.split('.').nth(path.len()).unwrap_or(variable);
    crate::diagnostic::suggest(missing, keys.iter().copied(), &format!("{place}: {}", keys.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_variable_and_its_line() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("documents/x.md", "{{ servcie.name }}").expect("parses");
        let error = tera.render("documents/x.md", &tera::Context::new()).expect_err("undefined");
        assert_eq!(undefined_variable(&error).as_deref(), Some("servcie.name"));
        assert_eq!(line_of("# T\n\nText servcie.name\n| {{ servcie.name }} |\n", "servcie.name"), Some(4));
    }

    #[test]
    fn lists_what_exists() {
        let context = serde_json::json!({"service": {"name": "x", "hours": "y"}, "org": {}});
        assert_eq!(available_here(&context, "service.nmae"), "did you mean `name`? fields of `service`: hours, name");
        assert!(
            available_here(&context, "servcie.name").starts_with("did you mean `service`? variables available here")
        );
    }
}
