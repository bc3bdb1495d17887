//! The module graph follows the data flow one way (config → plan → render → output →
//! html / docx / zip → report): no top-level module of the library may import, through
//! any chain, a module that imports it. A cycle is how "helpers above their users"
//! creep in, and this test is what stops it, the way a workspace of crates lets Cargo
//! stop it for mdBook.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its non-test code names as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("below src");
        let first = relative.components().next().expect("a component").as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        if matches!(module.as_str(), "lib" | "main") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        // Test modules may reach anywhere; only the code that ships counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or_default())
                    .collect(),
                None => vec![rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default()],
            };
            for name in names.into_iter().filter(|n| !n.is_empty() && *n != module && *n != "self") {
                edges.entry(module.clone()).or_default().insert(name.to_owned());
            }
        }
    }
    edges
}

/// The cycles of the graph: its strongly connected components with more than one
/// module (Tarjan, iteratively so that a large graph cannot overflow the stack).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: Vec<&String> =
        edges.keys().chain(edges.values().flatten()).collect::<BTreeSet<_>>().into_iter().collect();
    let position: BTreeMap<&String, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let successors: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| edges.get(*n).map(|s| s.iter().map(|m| position[m]).collect()).unwrap_or_default())
        .collect();
    let (mut index, mut low, mut on_stack) =
        (vec![usize::MAX; nodes.len()], vec![0; nodes.len()], vec![false; nodes.len()]);
    let (mut stack, mut found, mut counter) = (Vec::new(), Vec::new(), 0);
    for root in 0..nodes.len() {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0)];
        while let Some((node, next)) = work.pop() {
            if next == 0 {
                index[node] = counter;
                low[node] = counter;
                counter += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&successor) = successors[node].get(next) {
                work.push((node, next + 1));
                if index[successor] == usize::MAX {
                    work.push((successor, 0));
                } else if on_stack[successor] {
                    low[node] = low[node].min(index[successor]);
                }
                continue;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(nodes[member].clone());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    found.push(component);
                }
            }
        }
    }
    found
}

#[test]
fn no_module_imports_a_module_that_imports_it() {
    let edges = imports();
    assert!(edges.len() > 10, "the scan found too few modules: {edges:?}");
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles between top-level modules (a helper belongs below its users):\n{}",
        found.iter().map(|c| format!("  {}", c.join(" <-> "))).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |pairs: &[(&str, &str)]| {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in pairs {
            edges.entry((*from).to_owned()).or_default().insert((*to).to_owned());
        }
        edges
    };
    assert_eq!(cycles(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])), [["a", "b", "c"]]);
    assert!(cycles(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])).is_empty());
}

/// Document text belongs in `templates/`: the attribution above all, which CC BY 4.0
/// asks for and which must read the same everywhere. No Rust file may state it.
#[test]
fn the_attribution_wording_lives_only_in_templates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src")).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            let comment = line.trim_start().starts_with("//");
            if !comment && (line.contains("ITEMO") || line.contains("Creative Commons Attribution")) {
                found.push(format!("{}:{}: {}", entry.path().display(), number + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "attribution wording in Rust code (put it in templates/):\n{}", found.join("\n"));
    let wording = std::fs::read_to_string(root.join("templates/partials/attribution.md")).expect("the one wording");
    assert!(wording.contains("ITEMO e.V.") && wording.contains("CC BY 4.0"));
}

/// A pending snapshot in the tree is a change nobody reviewed.
#[test]
fn no_pending_snapshots_are_committed() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let pending: Vec<String> = walkdir::WalkDir::new(&tests)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .filter(|p| p.ends_with(".pending-snap") || p.ends_with(".snap.new"))
        .collect();
    assert!(pending.is_empty(), "review these snapshots (cargo insta review) or delete them: {pending:?}");
}
