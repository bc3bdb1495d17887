//! Walks over graphs built from user data — service dependencies, template includes and
//! macro calls — without recursion.
//!
//! A config may describe a chain of 16,000 services and a template folder may chain
//! templates in any way; a recursive depth-first search over either overflows the stack
//! (an abort, not an error). These walks keep their own stack on the heap, so their
//! depth is bounded only by memory, and they are linear in nodes plus edges.
//!
//! Graphs are adjacency lists over node indices `0..n`; edges to indices out of range
//! are ignored (callers map unknown names to no node, and report those separately).

/// Calls `on_cycle(path, from, edge)` once for every edge that closes a cycle, in
/// depth-first order from node 0 upwards: `path` is the chain of nodes from the one the
/// edge returns to, through `from`, whose `edge`-th edge returns to `path[0]`. Edges
/// from a node to itself are skipped (callers report those in their own words).
pub fn for_each_cycle(adjacency: &[Vec<usize>], mut on_cycle: impl FnMut(&[usize], usize, usize)) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        New,
        Active(usize),
        Done,
    }
    let mut state = vec![State::New; adjacency.len()];
    // The current path, and for each node on it the next edge to look at.
    let mut path: Vec<usize> = Vec::new();
    let mut next_edge: Vec<usize> = Vec::new();
    for start in 0..adjacency.len() {
        if state[start] != State::New {
            continue;
        }
        state[start] = State::Active(0);
        path.push(start);
        next_edge.push(0);
        while let (Some(&node), Some(edge)) = (path.last(), next_edge.last_mut()) {
            let Some(&target) = adjacency[node].get(*edge) else {
                state[node] = State::Done;
                path.pop();
                next_edge.pop();
                continue;
            };
            let this_edge = *edge;
            *edge += 1;
            if target == node || target >= adjacency.len() {
                continue;
            }
            match state[target] {
                State::New => {
                    state[target] = State::Active(path.len());
                    path.push(target);
                    next_edge.push(0);
                }
                State::Active(position) => on_cycle(&path[position..], node, this_edge),
                State::Done => {}
            }
        }
    }
}

/// For a graph without cycles: the number of edges on the longest path starting at each
/// node, and the next node on that path (`None` at its end). Cycles must have been
/// rejected before (see [`for_each_cycle`]); on a cycle the lengths are merely finite.
pub fn longest_paths(adjacency: &[Vec<usize>]) -> Vec<(usize, Option<usize>)> {
    let n = adjacency.len();
    let mut result: Vec<(usize, Option<usize>)> = vec![(0, None); n];
    let mut done = vec![false; n];
    let mut entered = vec![false; n];
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for start in 0..n {
        if done[start] {
            continue;
        }
        stack.push((start, false));
        while let Some((node, children_done)) = stack.pop() {
            if children_done {
                let best = adjacency[node]
                    .iter()
                    .copied()
                    .filter(|&t| t < n && t != node && done[t])
                    .max_by_key(|&t| result[t].0)
                    .map(|t| (result[t].0 + 1, Some(t)));
                result[node] = best.unwrap_or((0, None));
                done[node] = true;
                continue;
            }
            if done[node] || entered[node] {
                continue;
            }
            entered[node] = true;
            stack.push((node, true));
            stack.extend(adjacency[node].iter().copied().filter(|&t| t < n && !entered[t]).map(|t| (t, false)));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycles(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut found = Vec::new();
        for_each_cycle(adjacency, |path, _, _| found.push(path.to_vec()));
        found
    }

    #[test]
    fn finds_each_cycle_once_and_skips_self_loops() {
        assert_eq!(cycles(&[vec![1], vec![0]]), vec![vec![0, 1]]);
        assert_eq!(cycles(&[vec![0], vec![]]), Vec::<Vec<usize>>::new());
        assert_eq!(cycles(&[vec![1], vec![2], vec![1, 9]]), vec![vec![1, 2]]);
        assert!(cycles(&[vec![1, 2], vec![2], vec![]]).is_empty(), "a diamond is no cycle");
    }

    #[test]
    fn a_very_long_chain_needs_no_deep_stack() {
        let n = 1_000_000;
        let mut chain: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        chain[n - 1] = vec![];
        assert!(cycles(&chain).is_empty());
        let lengths = longest_paths(&chain);
        assert_eq!(lengths[0], (n - 1, Some(1)));
        chain[n - 1] = vec![0];
        assert_eq!(cycles(&chain).len(), 1);
    }

    #[test]
    fn longest_paths_follow_the_deepest_branch() {
        let graph = [vec![1, 3], vec![2], vec![], vec![]];
        let lengths = longest_paths(&graph);
        assert_eq!(lengths[0], (2, Some(1)));
        assert_eq!(lengths[3], (0, None));
    }
}
