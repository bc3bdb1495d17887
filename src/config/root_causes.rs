//! Dangling references reported by their cause. One removed person referenced in 70
//! places is one mistake; so is a config with no `[[people]]` at all. Each cause is
//! shown once, at its first reference, with a note naming the other places.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, list_of_ids, suggest};

/// One reference to an id that does not exist.
pub(super) struct Dangling {
    pub(super) kind: &'static str,
    pub(super) name: String,
    pub(super) span: std::ops::Range<usize>,
    /// Where it is, as a key path: `services.web.owner`.
    pub(super) place: String,
}

/// How many places a summary line names before "…".
const PLACES_SHOWN: usize = 4;

/// Turns dangling references into as few problems as there are causes. One removed
/// person referenced in 70 places is one mistake: it is shown once, in full, at its
/// first reference, with a line naming the other places. A kind with no ids at all
/// (no `[[people]]`) is one mistake too, whatever names are referenced. Fixing the cause
/// fixes them all, so that is what the user reads first, instead of 70 similar errors.
pub(super) fn root_causes(dangling: Vec<Dangling>, known: &[(&str, &BTreeSet<&str>)]) -> Vec<Diagnostic> {
    let mut groups: Vec<(&'static str, Option<String>, Vec<Dangling>)> = Vec::new();
    let count = |kind: &str| dangling.iter().filter(|d| d.kind == kind).count();
    let none_defined: Vec<&str> =
        known.iter().filter(|(kind, ids)| ids.is_empty() && count(kind) > 1).map(|(kind, _)| *kind).collect();
    for reference in dangling {
        let none_defined = none_defined.contains(&reference.kind);
        let name = (!none_defined).then(|| reference.name.clone());
        match groups.iter_mut().find(|(kind, n, _)| *kind == reference.kind && *n == name) {
            Some((_, _, members)) => members.push(reference),
            None => groups.push((reference.kind, name, vec![reference])),
        }
    }
    let mut problems = Vec::new();
    for (kind, name, mut members) in groups {
        members.sort_by_key(|m| m.span.start);
        let ids: BTreeSet<&str> =
            known.iter().find(|(k, _)| *k == kind).map(|(_, ids)| (*ids).clone()).unwrap_or_default();
        let first = &members[0];
        let mut diagnostic = match &name {
            Some(name) => {
                let plural = plural(kind);
                let known = format!("known {plural}: {}", list_of_ids(ids.iter().copied()));
                let hint = suggest(name, ids.iter().copied(), &known);
                Diagnostic::new(format!("unknown {kind} `{name}`"), Some(first.span.clone())).with_hint(hint)
            }
            None => {
                let mut names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
                names.sort_unstable();
                names.dedup();
                let section = section_of(kind);
                let (count, refs) = (members.len(), if members.len() == 1 { "reference" } else { "references" });
                Diagnostic::new(
                    format!("no {} are defined, but {count} {refs} name one", plural(kind)),
                    Some(first.span.clone()),
                )
                .with_hint(format!(
                    "add a `[[{section}]]` entry with `id` and `name` for each of {}",
                    list_of_ids(names.iter().copied())
                ))
            }
        };
        if members.len() > 1 {
            let others = &members[1..];
            let mut places: Vec<String> = others
                .iter()
                .take(PLACES_SHOWN)
                .map(|m| match &name {
                    Some(_) => m.place.clone(),
                    None => format!("{} = `{}`", m.place, m.name),
                })
                .collect();
            if others.len() > PLACES_SHOWN {
                places.push("…".to_owned());
            }
            let what = match &name {
                Some(name) => format!("`{name}`, {} that does not exist", a_kind(kind)),
                None => plural(kind).to_string(),
            };
            let refs = if others.len() == 1 { "reference" } else { "references" };
            diagnostic =
                diagnostic.with_note(format!("and {} more {refs} to {what} ({})", others.len(), places.join(", ")));
        }
        problems.push(diagnostic);
    }
    problems
}

/// The config section that defines ids of `kind`.
fn section_of(kind: &str) -> String {
    plural(kind)
}

fn a_kind(kind: &str) -> String {
    format!("a {kind}")
}

pub(super) fn plural(kind: &str) -> String {
    match kind {
        "person" => "people".to_owned(),
        other => format!("{other}s"),
    }
}
