//! Which top-level names of the context a template can read, and which fields of
//! the whole-pack lists' entries, from its syntax tree.
//!
//! A document's context is built per document (`view::SharedViews::lend_context`).
//! Serialising every list for every document was a fifth of a large build (each of a
//! thousand SLAs carried every process, person and register entry it never shows), so
//! a context holds only the names its template — with the templates it includes and
//! extends, and the macros it imports — mentions anywhere.
//!
//! The answer errs on the side of more: every identifier counts wherever it stands
//! (output, conditions, loops, filter and function arguments, `is defined` tests),
//! loop variables and `set` names included, and the magic `__tera_context` (which
//! prints the whole context) asks for everything. So every name a template mentions is
//! in its context whenever the whole context has it, and a name it never mentions
//! cannot change what it renders.
//!
//! Fields are found the same way, by name rather than by path: every segment after the
//! first of a dotted identifier (`s.owner.name`: `owner`, `name`), every piece of a
//! string literal (`filter(attribute="status")`, `fact(key="continuity.risk")`), and
//! the fields the Rust filters look up themselves ([`READ_BY_FILTERS`]). A whole-pack
//! list's entries keep only those of their own fields (see `view::fields`): at
//! 10,000 services an entry with every field made each whole-pack document's context
//! some 250 MB, though the capacity plan shows a dozen fields of each service.

use std::collections::BTreeSet;
use std::sync::Arc;

use tera::Tera;
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// Fields the filters and functions of `engine` read from the value they are given,
/// whatever the template names: `fact` the entity's `home` (and the key it is passed),
/// `person` a person's `name` and `title`. `id` is every entry's identity.
const READ_BY_FILTERS: [&str; 4] = ["home", "id", "name", "title"];

/// What a template can read: top-level names of its context, and fields of the
/// entries of the whole-pack lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reads {
    /// `None`: every name (the template prints the whole context, or is unknown).
    names: Option<BTreeSet<String>>,
    fields: Fields,
}

/// The fields of a whole-pack list's entries a template can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Fields(Option<Arc<BTreeSet<String>>>);

impl Fields {
    /// Every field.
    pub(super) const ALL: Fields = Fields(None);

    /// Only the fields `names`.
    pub(super) fn named(names: BTreeSet<String>) -> Fields {
        Fields(Some(Arc::new(names)))
    }

    /// The names kept, `None` for every field.
    pub(super) fn names(&self) -> Option<&BTreeSet<String>> {
        self.0.as_deref()
    }

    pub(super) fn keeps(&self, field: &str) -> bool {
        self.0.as_ref().is_none_or(|names| names.contains(field))
    }

    fn with(&self, other: &Fields) -> Fields {
        match (&self.0, &other.0) {
            (Some(mine), Some(theirs)) => Fields(Some(Arc::new(mine.union(theirs).cloned().collect()))),
            _ => Fields::ALL,
        }
    }
}

impl Reads {
    /// The whole context, every field.
    pub(super) fn everything() -> Reads {
        Reads { names: None, fields: Fields::ALL }
    }

    /// Both templates' names and fields (a document's body and its footer share one
    /// context).
    pub(super) fn with(self, other: &Reads) -> Reads {
        let names = match (self.names, &other.names) {
            (Some(mut names), Some(more)) => {
                names.extend(more.iter().cloned());
                Some(names)
            }
            _ => None,
        };
        Reads { names, fields: self.fields.with(&other.fields) }
    }

    pub(super) fn includes(&self, name: &str) -> bool {
        self.names.as_ref().is_none_or(|names| names.contains(name))
    }

    /// The top-level names, `None` for all of them.
    #[cfg(test)]
    fn names(&self) -> Option<&BTreeSet<String>> {
        self.names.as_ref()
    }

    pub(super) fn fields(&self) -> &Fields {
        &self.fields
    }
}

/// What the template `name` can read, through its includes, parents and macros.
pub(super) fn reads(tera: &Tera, name: &str) -> Reads {
    let mut walk =
        Walk { tera, names: BTreeSet::new(), fields: BTreeSet::new(), seen: BTreeSet::new(), everything: false };
    walk.template(name);
    if walk.everything {
        return Reads::everything();
    }
    walk.fields.extend(READ_BY_FILTERS.map(String::from));
    Reads { names: Some(walk.names), fields: Fields::named(walk.fields) }
}

struct Walk<'t> {
    tera: &'t Tera,
    names: BTreeSet<String>,
    fields: BTreeSet<String>,
    /// Templates already walked (an include may come back to one).
    seen: BTreeSet<String>,
    everything: bool,
}

impl Walk<'_> {
    fn template(&mut self, name: &str) {
        if !self.seen.insert(name.to_owned()) {
            return;
        }
        let Some(template) = self.tera.templates.get(name) else {
            // Unknown to us: whatever it is, it may read anything.
            self.everything = true;
            return;
        };
        self.nodes(&template.ast);
        for parent in &template.parents {
            self.template(parent);
        }
        for (file, _) in &template.imported_macro_files {
            self.template(file);
        }
        for definition in template.macros.values() {
            self.nodes(&definition.body);
            definition.args.values().flatten().for_each(|default| self.expr(default));
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::VariableBlock(_, expr) => self.expr(expr),
            Node::MacroDefinition(_, definition, _) => {
                self.nodes(&definition.body);
                definition.args.values().flatten().for_each(|default| self.expr(default));
            }
            Node::Extends(_, parent) => self.template(parent),
            Node::Include(_, names, _) => names.iter().for_each(|name| self.template(name)),
            Node::ImportMacro(_, file, _) => self.template(file),
            Node::Set(_, set) => self.expr(&set.value),
            Node::FilterSection(_, section, _) => {
                self.call(&section.filter);
                self.nodes(&section.body);
            }
            Node::Block(_, block, _) => self.nodes(&block.body),
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container);
                self.nodes(&forloop.body);
                if let Some(empty) = &forloop.empty_body {
                    self.nodes(empty);
                }
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body);
                }
            }
            Node::Super | Node::Text(_) | Node::Raw(..) | Node::Break(_) | Node::Continue(_) | Node::Comment(..) => {}
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.value(&expr.val);
        for filter in &expr.filters {
            self.call(filter);
        }
    }

    fn call(&mut self, call: &FunctionCall) {
        call.args.values().for_each(|arg| self.expr(arg));
    }

    fn value(&mut self, value: &ExprVal) {
        match value {
            ExprVal::Ident(path) => self.path(path),
            ExprVal::Math(math) => {
                self.expr(&math.lhs);
                self.expr(&math.rhs);
            }
            ExprVal::Logic(logic) => {
                self.expr(&logic.lhs);
                self.expr(&logic.rhs);
            }
            ExprVal::In(within) => {
                self.expr(&within.lhs);
                self.expr(&within.rhs);
            }
            ExprVal::Test(test) => {
                self.path(&test.ident);
                test.args.iter().for_each(|arg| self.expr(arg));
            }
            ExprVal::MacroCall(call) => call.args.values().for_each(|arg| self.expr(arg)),
            ExprVal::FunctionCall(call) => self.call(call),
            ExprVal::Array(items) => items.iter().for_each(|item| self.expr(item)),
            ExprVal::StringConcat(concat) => concat.values.iter().for_each(|value| self.value(value)),
            // A string may name fields: `filter(attribute="status")`, `fact(key="a.b")`.
            ExprVal::String(text) => self.fields.extend(text.split('.').filter(|p| is_name(p)).map(str::to_owned)),
            ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
    }

    /// `service.owner.name` reads the name `service` and the fields `owner` and
    /// `name`; `areas[a.code].goal` reads `areas` and `a`, and the fields `code` and
    /// `goal`, since a bracket holds a path of its own (a quoted key in one is a
    /// field too).
    fn path(&mut self, path: &str) {
        if path.contains("__tera_context") {
            self.everything = true;
        }
        for piece in path.split(['[', ']']) {
            let mut segments = piece.split('.').map(|s| s.trim().trim_matches(['"', '\'', '`']));
            let head = segments.next().unwrap_or_default();
            if is_name(head) {
                self.names.insert(head.to_owned());
            }
            self.fields.extend(std::iter::once(head).chain(segments).filter(|s| is_name(s)).map(str::to_owned));
        }
    }
}

/// Whether `text` can be a name or a field (not a number, not empty).
fn is_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_of(templates: &[(&str, &str)], name: &str) -> Reads {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).expect("templates parse");
        reads(&tera, name)
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn every_place_a_name_can_stand_counts() {
        let template = r#"{{ org.name }} {% for s in services | filter(attribute="owner", value=people.0) %}{{ s.id }}{% endfor %}
{% if scope is defined and doc.id in pack.ids %}{% set x = roles[plan.key] %}{% endif %}
{{ link(to="sla", from=doc.path, text=a ~ b) }} {{ [c, 1] | length }} {{ 1 + d * 2 }}"#;
        assert_eq!(
            reads_of(&[("t", template)], "t").names(),
            Some(&set(&[
                "a", "b", "c", "d", "doc", "org", "pack", "people", "plan", "roles", "s", "scope", "services"
            ]))
        );
    }

    #[test]
    fn includes_parents_and_macros_count_and_the_whole_context_means_everything() {
        let templates = [
            ("base", "{{ pack.version }}{% block body %}{% endblock %}"),
            ("part", "{{ customers | length }}"),
            ("macros", "{% macro row(item) %}{{ item.id }}{{ suppliers }}{% endmacro %}"),
            (
                "child",
                r#"{% extends "base" %}{% import "macros" as m %}{% block body %}{% include "part" %}{{ m::row(item=service) }}{% endblock %}"#,
            ),
        ];
        assert_eq!(
            reads_of(&templates, "child").names(),
            Some(&set(&["customers", "item", "pack", "service", "suppliers"]))
        );
        let everything = reads_of(&[("t", "{{ __tera_context }}")], "t");
        assert_eq!(everything, Reads::everything());
        assert!(everything.includes("anything") && everything.fields().keeps("anything"));
    }

    #[test]
    fn fields_are_the_segments_and_strings_a_template_names_and_what_filters_read() {
        let template = r#"{% for s in services_by_status.active | sort(attribute="capacity.headroom") %}
{{ s.owner.name }} {{ areas[s.code].goal }} {{ s | fact(key="continuity.risk") }} {{ s.depends_on.0 }}{{ x["quoted"] }}
{% endfor %}"#;
        let reads = reads_of(&[("t", template)], "t");
        let expected = [
            "active",
            "areas",
            "capacity",
            "code",
            "continuity",
            "depends_on",
            "goal",
            "headroom",
            "home",
            "id",
            "name",
            "owner",
            "quoted",
            "risk",
            "s",
            "services_by_status",
            "title",
            "x",
        ];
        assert_eq!(reads.fields().names(), Some(&set(&expected)));
        assert!(!reads.fields().keeps("customers"), "a field never named is left out");
        assert!(Fields::ALL.keeps("customers"));
    }
}
