//! Three-way merge of a document: what was generated last time (the base), the file as
//! the user left it, and the new rendering. Line-based, with `diffy`.
//!
//! Conflicts are written with the labelled markers of [`crate::pack::conflict`].

use diffy::{ConflictStyle, IncompleteHunkStyle, MergeOptions};

pub use crate::pack::conflict::{OURS_MARKER, SEPARATOR, THEIRS_MARKER, has_conflict_markers};

/// The merged text, or the text with conflict markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    Clean(String),
    Conflict(String),
}

pub fn merge(base: &str, edited: &str, generated: &str) -> Merged {
    let mut options = MergeOptions::new();
    options.set_conflict_style(ConflictStyle::Merge).set_incomplete_hunk_style(IncompleteHunkStyle::Git);
    match options.merge(base, edited, generated) {
        Ok(text) => Merged::Clean(text),
        Err(text) => Merged::Conflict(relabel(&text)),
    }
}

/// diffy labels the sides "ours" and "theirs"; we say what they are.
fn relabel(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (content, ending) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (line, ""),
        };
        match content {
            "<<<<<<< ours" => out.push_str(OURS_MARKER),
            ">>>>>>> theirs" => out.push_str(THEIRS_MARKER),
            other => out.push_str(other),
        }
        out.push_str(ending);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_changes_merge_cleanly() {
        let base = "a\nb\nc\nd\ne\n";
        let edited = "a\nb (edited)\nc\nd\ne\n";
        let generated = "a\nb\nc\nd\ne (new)\n";
        assert_eq!(merge(base, edited, generated), Merged::Clean("a\nb (edited)\nc\nd\ne (new)\n".into()));
    }

    #[test]
    fn overlapping_changes_conflict_with_labelled_markers() {
        let Merged::Conflict(text) = merge("a\nb\nc\n", "a\nmine\nc\n", "a\nnew\nc\n") else {
            panic!("expected a conflict")
        };
        assert_eq!(text, "a\n<<<<<<< your edit\nmine\n=======\nnew\n>>>>>>> generated\nc\n");
        assert!(has_conflict_markers(&text));
        assert!(!has_conflict_markers("a\n=======\nb\n"));
    }
}

#[cfg(test)]
mod properties {
    //! Whatever the user adds and whatever the new rendering changes, every line the
    //! user added is still in the result, either merged or inside a reported conflict.

    use proptest::prelude::*;

    use super::*;

    fn lines(max: usize) -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec("[a-e ]{0,6}", 0..max)
    }

    fn join(lines: &[String]) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    proptest! {
        #[test]
        fn user_lines_survive(
            base in lines(12),
            insertions in proptest::collection::vec((0usize..14, "[A-Z]{3,8}"), 1..4),
            generated_edits in proptest::collection::vec((0usize..14, "[a-e]{1,4}"), 0..4),
            deletions in proptest::collection::vec(0usize..14, 0..3),
        ) {
            let mut edited = base.clone();
            let mut added = Vec::new();
            for (at, text) in &insertions {
                let line = format!("USER {text}");
                edited.insert((*at).min(edited.len()), line.clone());
                added.push(line);
            }
            let mut generated = base.clone();
            for (at, text) in &generated_edits {
                if generated.is_empty() { generated.push(text.clone()); continue; }
                let at = *at % generated.len();
                generated[at] = text.clone();
            }
            for at in &deletions {
                if !generated.is_empty() { let at = *at % generated.len(); generated.remove(at); }
            }
            let result = match merge(&join(&base), &join(&edited), &join(&generated)) {
                Merged::Clean(text) | Merged::Conflict(text) => text,
            };
            for line in &added {
                prop_assert!(result.lines().any(|l| l == line), "lost {line:?}\nresult:\n{result}");
            }
        }
    }
}
