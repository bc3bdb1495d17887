//! Limits that keep a user's templates from crashing the build.
//!
//! Tera 1.x parses and renders recursively and has no depth limit of its own: a template
//! that includes itself, two templates that include, extend or import each other, a
//! macro that calls itself, or a few thousand nested `(` or `{% if %}` overflow the
//! stack, and a stack overflow aborts the process: no error message, no exit code 2.
//! (Tera catches only an `extends` cycle through the template it starts from.) So before
//! Tera sees an overlay, we check it here, statically, and turn each of these into a
//! template error that names the template:
//!
//! - **Nesting** inside one template — tag blocks (`if`, `for`, `macro`, `block`,
//!   `filter`) and brackets — is at most [`MAX_NESTING`] levels. Checked on the text,
//!   because Tera's parser is the recursive part.
//! - **Cycles** through `include`, `extends`, `import` or macro calls are refused. That
//!   includes every recursive macro, even one with a base case: whether a condition
//!   stops the recursion cannot be decided in general, and the depth it reaches depends
//!   on data we do not bound. Nothing needs it either: the data templates see is flat
//!   (a service's `depends_on` lists services, not their dependencies), so a
//!   `{% for %}` loop does what recursion would.
//! - **Chains** of those relations are at most [`MAX_CHAIN`] long.
//!
//! With both bounds, how deep rendering goes is bounded by the templates alone, and the
//! renderer runs on threads with a stack sized for that bound (see `render`). The walks
//! here are iterative (see `graph`). The built-in templates pass the same checks (a
//! test says so); they are not checked at run time.
//!
//! The macro and include graph comes from Tera's own parser (`tera::Template` and
//! `tera::ast`, public but hidden from Tera's docs; Tera 1.x is in maintenance, and the
//! tests below fail if that API changes).

use std::collections::HashMap;

use tera::ast::{Expr, ExprVal, Node};

use super::{Origin, TemplateFile, TemplateSet};
use crate::error::{Error, TemplateError};

/// Deepest nesting of tag blocks plus brackets in one template. Built-in templates
/// need about 6; Tera's parser overflows an 8 MiB stack at about 2,000.
pub const MAX_NESTING: usize = 32;

/// Longest chain of includes, extends, imports and macro calls. Built-in templates
/// need 3.
pub const MAX_CHAIN: usize = 16;

/// Checks every template of the set (built-in ones too, as an overlay can make them
/// part of a cycle by replacing one of the templates they use).
pub(super) fn check(set: &TemplateSet) -> Result<(), Error> {
    for file in set.files().filter(|f| is_tera_template(&f.name)) {
        if let Some((depth, line)) = deepest_nesting(&file.text).filter(|(depth, _)| *depth > MAX_NESTING) {
            return Err(error(
                file,
                Some(line),
                format!(
                    "blocks and brackets are nested {depth} levels deep here; at most {MAX_NESTING} are supported\n  \
                     help: move the inner part into a macro or a separate partial"
                ),
            ));
        }
    }
    Graph::new(set).check(set)
}

fn is_tera_template(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".html")
}

fn error(file: &TemplateFile, line: Option<usize>, message: String) -> Error {
    Error::Template(TemplateError { template: file.name.clone(), origin: file.origin.clone(), line, message })
}

/// The deepest nesting in `text` and the (1-based) line where it is reached, or `None`
/// for a template without tags.
fn deepest_nesting(text: &str) -> Option<(usize, usize)> {
    const OPENERS: &[&str] = &["if", "for", "macro", "block", "filter"];
    let mut blocks = 0usize;
    let mut deepest: Option<(usize, usize)> = None;
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let (close, is_tag) = if after.starts_with("{#") {
            ("#}", false)
        } else if after.starts_with("{%") {
            ("%}", true)
        } else if after.starts_with("{{") {
            ("}}", false)
        } else {
            rest = &rest[start + 1..];
            continue;
        };
        let Some(end) = after[2..].find(close) else { break };
        let inner = &after[2..2 + end];
        let offset = text.len() - after.len();
        rest = &after[2 + end + 2..];
        if after.starts_with("{#") {
            continue;
        }
        let word = inner.trim_start_matches('-').split_whitespace().next().unwrap_or_default();
        if is_tag && word == "raw" {
            // Nothing inside `{% raw %}` is a tag; skip to its end.
            match rest.find("endraw") {
                Some(end_raw) => rest = &rest[end_raw..],
                None => break,
            }
            continue;
        }
        if is_tag && word.starts_with("end") && OPENERS.contains(&&word[3..]) {
            blocks = blocks.saturating_sub(1);
        }
        let here = blocks + bracket_depth(inner);
        if deepest.is_none_or(|(depth, _)| here > depth) {
            deepest = Some((here, crate::diagnostic::line_column(text, offset).0));
        }
        if is_tag && OPENERS.contains(&word) {
            blocks += 1;
            if deepest.is_none_or(|(depth, _)| blocks > depth) {
                deepest = Some((blocks, crate::diagnostic::line_column(text, offset).0));
            }
        }
    }
    deepest
}

/// Deepest nesting of `(`, `[` and `{` in an expression, outside string literals.
fn bracket_depth(expression: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0usize, None);
    for c in expression.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Templates and macros as nodes; includes, extends, imports and macro calls as edges.
struct Graph {
    /// `(template, None)` for a template, `(file, Some(macro))` for a macro.
    nodes: Vec<(String, Option<String>)>,
    edges: Vec<Vec<usize>>,
}

/// What one body of template code refers to.
#[derive(Default)]
struct References {
    includes: Vec<String>,
    /// `(namespace, macro)`
    calls: Vec<(String, String)>,
}

impl Graph {
    fn new(set: &TemplateSet) -> Graph {
        // Templates that do not parse are left out: compiling them reports the syntax
        // error with Tera's own message and position.
        let parsed: Vec<tera::Template> = set
            .files()
            .filter(|f| is_tera_template(&f.name))
            .filter_map(|f| tera::Template::new(&f.name, None, &f.text).ok())
            .collect();
        let mut nodes: Vec<(String, Option<String>)> = Vec::new();
        let mut index: HashMap<(String, Option<String>), usize> = HashMap::new();
        for template in &parsed {
            let mut add = |key: (String, Option<String>)| {
                index.insert(key.clone(), nodes.len());
                nodes.push(key);
            };
            add((template.name.clone(), None));
            let mut macros: Vec<&String> = template.macros.keys().collect();
            macros.sort();
            for name in macros {
                add((template.name.clone(), Some(name.clone())));
            }
        }
        let by_name: HashMap<&str, &tera::Template> = parsed.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut edges = vec![Vec::new(); nodes.len()];
        let template_node = |name: &str| index.get(&(name.to_owned(), None)).copied();
        for template in &parsed {
            let Some(from) = template_node(&template.name) else { continue };
            let mut targets: Vec<usize> = Vec::new();
            targets.extend(template.parent.as_deref().and_then(template_node));
            targets.extend(template.imported_macro_files.iter().filter_map(|(file, _)| template_node(file)));
            let top = references(&template.ast);
            targets.extend(top.includes.iter().filter_map(|name| template_node(name)));
            for (namespace, name) in &top.calls {
                let file = resolve_namespace(&by_name, template, namespace);
                targets.extend(file.and_then(|file| index.get(&(file, Some(name.clone())))).copied());
            }
            edges[from] = targets;
            for (name, definition) in &template.macros {
                let Some(&node) = index.get(&(template.name.clone(), Some(name.clone()))) else { continue };
                let body = references(&definition.body);
                let mut targets: Vec<usize> = body.includes.iter().filter_map(|name| template_node(name)).collect();
                for (namespace, callee) in &body.calls {
                    let file = resolve_namespace(&by_name, template, namespace);
                    targets.extend(file.and_then(|file| index.get(&(file, Some(callee.clone())))).copied());
                }
                edges[node] = targets;
            }
        }
        Graph { nodes, edges }
    }

    fn label(&self, node: usize) -> String {
        match &self.nodes[node] {
            (template, None) => template.clone(),
            (file, Some(name)) => format!("macro {name} ({file})"),
        }
    }

    fn check(&self, set: &TemplateSet) -> Result<(), Error> {
        // The template to name: the first overlay file on the path, as that is what the
        // user wrote and can change.
        let blame = |path: &[usize]| -> Option<&TemplateFile> {
            let files: Vec<&TemplateFile> = path.iter().filter_map(|&n| set.get(&self.nodes[n].0)).collect();
            files.iter().find(|f| matches!(f.origin, Origin::Overlay(_))).or(files.first()).copied()
        };
        let fail = |file: Option<&TemplateFile>, line: Option<usize>, message: String| match file {
            Some(file) => error(file, line, message),
            None => Error::Template(TemplateError { template: String::new(), origin: Origin::Builtin, line, message }),
        };
        let mut cycle: Option<Vec<usize>> =
            (0..self.edges.len()).find(|&n| self.edges[n].contains(&n)).map(|node| vec![node]);
        if cycle.is_none() {
            crate::graph::for_each_cycle(&self.edges, |path, _, _| {
                if cycle.is_none() {
                    cycle = Some(path.to_vec());
                }
            });
        }
        if let Some(path) = cycle {
            let mut names: Vec<String> = path.iter().map(|&n| self.label(n)).collect();
            names.push(self.label(path[0]));
            let is_macro = path.iter().all(|&n| self.nodes[n].1.is_some());
            let file = blame(&path);
            let message = if is_macro {
                format!(
                    "recursive macro: {}; recursion has no depth limit and could crash the build, so it is not \
                     supported\n  help: use a `{{% for %}}` loop; the data templates see is never nested deeper than a list",
                    names.join(" → ")
                )
            } else {
                format!(
                    "templates include, extend or import each other in a cycle: {}; this would never end\n  \
                     help: remove one of these `include` / `extends` / `import` tags or macro calls",
                    names.join(" → ")
                )
            };
            let line = path.get(1).or(path.first()).zip(file).and_then(|(&next, file)| {
                let needle = self.nodes[next].1.clone().unwrap_or_else(|| self.nodes[next].0.clone());
                line_of(&file.text, &needle)
            });
            return Err(fail(file, line, message));
        }
        let lengths = crate::graph::longest_paths(&self.edges);
        if let Some(start) = (0..lengths.len()).filter(|&n| lengths[n].0 > MAX_CHAIN).max_by_key(|&n| lengths[n].0) {
            let mut chain = vec![start];
            while let Some(next) = lengths[chain[chain.len() - 1]].1 {
                chain.push(next);
            }
            let names: Vec<String> = chain.iter().map(|&n| self.label(n)).collect();
            return Err(fail(
                blame(&chain),
                None,
                format!(
                    "templates include, extend, import or call each other {} levels deep ({}); at most {MAX_CHAIN} \
                     levels are supported\n  help: merge some of these templates",
                    lengths[start].0,
                    names.join(" → ")
                ),
            ));
        }
        Ok(())
    }
}

/// The file a macro namespace refers to in `template`: `self`, its own imports, then
/// those of the templates it extends (Tera makes a parent's imports visible).
fn resolve_namespace(
    templates: &HashMap<&str, &tera::Template>,
    template: &tera::Template,
    namespace: &str,
) -> Option<String> {
    if namespace == "self" {
        return Some(template.name.clone());
    }
    let mut current = Some(template);
    let mut seen = 0;
    while let Some(t) = current.filter(|_| seen <= templates.len()) {
        if let Some((file, _)) = t.imported_macro_files.iter().find(|(_, ns)| ns == namespace) {
            return Some(file.clone());
        }
        current = t.parent.as_deref().and_then(|p| templates.get(p).copied());
        seen += 1;
    }
    None
}

/// The includes and macro calls in a body of nodes, without recursion (bodies are as
/// deep as [`MAX_NESTING`] allows, but this walk need not rely on it).
fn references(body: &[Node]) -> References {
    enum Item<'a> {
        Nodes(&'a [Node]),
        Expr(&'a Expr),
        Value(&'a ExprVal),
    }
    let mut found = References::default();
    let mut stack = vec![Item::Nodes(body)];
    while let Some(item) = stack.pop() {
        match item {
            Item::Nodes(nodes) => {
                for node in nodes {
                    match node {
                        Node::VariableBlock(_, expr) => stack.push(Item::Expr(expr)),
                        Node::Include(_, names, _) => found.includes.extend(names.iter().cloned()),
                        Node::Set(_, set) => stack.push(Item::Expr(&set.value)),
                        Node::FilterSection(_, section, _) => {
                            stack.extend(section.filter.args.values().map(Item::Expr));
                            stack.push(Item::Nodes(&section.body));
                        }
                        Node::Block(_, block, _) => stack.push(Item::Nodes(&block.body)),
                        Node::Forloop(_, forloop, _) => {
                            stack.push(Item::Expr(&forloop.container));
                            stack.push(Item::Nodes(&forloop.body));
                            stack.extend(forloop.empty_body.as_deref().map(Item::Nodes));
                        }
                        Node::If(condition, _) => {
                            for (_, expr, nodes) in &condition.conditions {
                                stack.push(Item::Expr(expr));
                                stack.push(Item::Nodes(nodes));
                            }
                            stack.extend(condition.otherwise.as_ref().map(|(_, nodes)| Item::Nodes(nodes)));
                        }
                        // Macro definitions are nodes of their own in the graph.
                        _ => {}
                    }
                }
            }
            Item::Expr(expr) => {
                stack.push(Item::Value(&expr.val));
                stack.extend(expr.filters.iter().flat_map(|f| f.args.values()).map(Item::Expr));
            }
            Item::Value(value) => match value {
                ExprVal::MacroCall(call) => {
                    found.calls.push((call.namespace.clone(), call.name.clone()));
                    stack.extend(call.args.values().map(Item::Expr));
                }
                ExprVal::FunctionCall(call) => stack.extend(call.args.values().map(Item::Expr)),
                ExprVal::Math(math) => stack.extend([Item::Expr(&math.lhs), Item::Expr(&math.rhs)]),
                ExprVal::Logic(logic) => stack.extend([Item::Expr(&logic.lhs), Item::Expr(&logic.rhs)]),
                ExprVal::In(contains) => stack.extend([Item::Expr(&contains.lhs), Item::Expr(&contains.rhs)]),
                ExprVal::Test(test) => stack.extend(test.args.iter().map(Item::Expr)),
                ExprVal::Array(items) => stack.extend(items.iter().map(Item::Expr)),
                ExprVal::StringConcat(concat) => stack.extend(concat.values.iter().map(Item::Value)),
                _ => {}
            },
        }
    }
    found
}

/// The first line of `text` that mentions `needle`, for pointing at a tag.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    let offset = text.find(&format!("\"{needle}\"")).or_else(|| text.find(&format!("{needle}(")))?;
    Some(crate::diagnostic::line_column(text, offset).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(files: &[(&str, &str)]) -> Result<(), Error> {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, text).expect("write");
        }
        TemplateSet::with_overlay(dir.path()).map(|_| ())
    }

    fn message(result: Result<(), Error>) -> String {
        result.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn the_built_in_templates_are_within_bounds() {
        check(&TemplateSet::builtin()).expect("built-in templates pass");
        let deepest = TemplateSet::builtin().files().filter_map(|f| deepest_nesting(&f.text)).map(|(d, _)| d).max();
        assert!(deepest.unwrap_or_default() <= MAX_NESTING / 2, "built-ins nest {deepest:?} deep");
    }

    #[test]
    fn nesting_counts_blocks_and_brackets_but_not_strings() {
        assert_eq!(
            deepest_nesting("{% if a %}{% for x in y %}{{ f(a=[(1)]) }}{% endfor %}{% endif %}").map(|d| d.0),
            Some(5)
        );
        assert_eq!(deepest_nesting("{{ \"((((\" }}{# {% if %} #}").map(|d| d.0), Some(0));
        assert_eq!(deepest_nesting("{% raw %}{% if %}{% if %}{% endraw %}").map_or(0, |d| d.0), 0);
        let deep = format!("x\n{}1{}", "{{ ".to_owned() + &"(".repeat(5000), ")".repeat(5000) + " }}");
        assert_eq!(deepest_nesting(&deep), Some((5000, 2)));
    }

    #[test]
    fn include_cycles_recursive_macros_and_deep_nesting_are_template_errors() {
        let shown = message(overlay(&[("partials/a.md", "{% include \"partials/a.md\" %}")]));
        assert!(shown.contains("partials/a.md → partials/a.md"), "{shown}");
        let shown = message(overlay(&[
            ("partials/a.md", "{% include \"partials/b.md\" %}"),
            ("partials/b.md", "x\n{% include \"partials/a.md\" %}"),
        ]));
        assert!(shown.contains("cycle: partials/a.md → partials/b.md → partials/a.md"), "{shown}");
        let shown = message(overlay(&[
            ("partials/e1.md", "{% extends \"partials/e2.md\" %}"),
            ("partials/e2.md", "{% extends \"partials/e1.md\" %}"),
        ]));
        assert!(shown.contains("cycle"), "{shown}");
        let shown = message(overlay(&[
            (
                "partials/m.md",
                "{% import \"partials/n.md\" as n %}{% macro r(k) %}{% if k > 0 %}{{ n::q(k=k - 1) }}{% endif %}{% endmacro r %}",
            ),
            ("partials/n.md", "{% import \"partials/m.md\" as m %}{% macro q(k) %}{{ m::r(k=k) }}{% endmacro q %}"),
        ]));
        assert!(shown.contains("cycle"), "an import cycle: {shown}");
        let shown = message(overlay(&[(
            "partials/m.md",
            "{% macro r(k) %}{% if k > 0 %}{{ self::r(k=k - 1) }}{% endif %}{% endmacro r %}",
        )]));
        assert!(shown.contains("recursive macro: macro r (partials/m.md) → macro r (partials/m.md)"), "{shown}");
        let deep = format!("{}x{}", "{% if true %}".repeat(40), "{% endif %}".repeat(40));
        let shown = message(overlay(&[("partials/deep.md", &deep)]));
        assert!(shown.contains("nested 40 levels deep"), "{shown}");
    }

    #[test]
    fn long_chains_are_refused_short_ones_pass() {
        let chain = |n: usize| -> Vec<(String, String)> {
            (0..n)
                .map(|i| (format!("partials/c{i}.md"), format!("{{% include \"partials/c{}.md\" %}}", i + 1)))
                .collect()
        };
        let files = chain(MAX_CHAIN + 2);
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert!(message(overlay(&files)).contains("levels deep"));
        let files = chain(4);
        let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert!(overlay(&files).is_ok());
    }
}
