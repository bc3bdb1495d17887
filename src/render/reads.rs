//! Which top-level names of the context a template can read, from its syntax tree.
//!
//! A document's context is built per document (`view::SharedViews::for_document`).
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

use std::collections::BTreeSet;

use tera::Tera;
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// The names a template can read: the top-level ones, or everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reads {
    Everything,
    Names(BTreeSet<String>),
}

impl Reads {
    /// Both templates' names (a document's body and its footer share one context).
    pub(super) fn with(self, other: &Reads) -> Reads {
        match (self, other) {
            (Reads::Names(mut names), Reads::Names(more)) => {
                names.extend(more.iter().cloned());
                Reads::Names(names)
            }
            _ => Reads::Everything,
        }
    }

    pub(super) fn includes(&self, name: &str) -> bool {
        match self {
            Reads::Everything => true,
            Reads::Names(names) => names.contains(name),
        }
    }
}

/// What the template `name` can read, through its includes, parents and macros.
pub(super) fn reads(tera: &Tera, name: &str) -> Reads {
    let mut walk = Walk { tera, names: BTreeSet::new(), seen: BTreeSet::new(), everything: false };
    walk.template(name);
    if walk.everything { Reads::Everything } else { Reads::Names(walk.names) }
}

struct Walk<'t> {
    tera: &'t Tera,
    names: BTreeSet<String>,
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
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
        }
    }

    /// `service.owner.name` reads `service`; `areas[a.code].goal` reads `areas` and
    /// `a`, since a bracket holds a path of its own.
    fn path(&mut self, path: &str) {
        if path.contains("__tera_context") {
            self.everything = true;
        }
        for piece in path.split(['[', ']']) {
            let head = piece.split('.').next().unwrap_or_default().trim();
            let is_name = head.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
            if is_name {
                self.names.insert(head.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(templates: &[(&str, &str)], name: &str) -> Reads {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).expect("templates parse");
        reads(&tera, name)
    }

    fn set(names: &[&str]) -> Reads {
        Reads::Names(names.iter().map(|n| (*n).to_owned()).collect())
    }

    #[test]
    fn every_place_a_name_can_stand_counts() {
        let template = r#"{{ org.name }} {% for s in services | filter(attribute="owner", value=people.0) %}{{ s.id }}{% endfor %}
{% if scope is defined and doc.id in pack.ids %}{% set x = roles[plan.key] %}{% endif %}
{{ link(to="sla", from=doc.path, text=a ~ b) }} {{ [c, 1] | length }} {{ 1 + d * 2 }}"#;
        assert_eq!(
            names(&[("t", template)], "t"),
            set(&["a", "b", "c", "d", "doc", "org", "pack", "people", "plan", "roles", "s", "scope", "services"])
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
        assert_eq!(names(&templates, "child"), set(&["customers", "item", "pack", "service", "suppliers"]));
        assert_eq!(names(&[("t", "{{ __tera_context }}")], "t"), Reads::Everything);
        assert!(Reads::Everything.includes("anything"));
    }
}
