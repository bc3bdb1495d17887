//! The conflict markers a merge writes into a document, and how to find them again.
//!
//! They are labelled so that a non-programmer can tell the sides apart:
//! `<<<<<<< your edit` … `=======` … `>>>>>>> generated`. The merge writes them; the
//! build, `check` and `zip` look for them, which is why they live with the pack.

pub const OURS_MARKER: &str = "<<<<<<< your edit";
pub const SEPARATOR: &str = "=======";
pub const THEIRS_MARKER: &str = ">>>>>>> generated";

/// True if the text still holds an unresolved conflict of ours.
pub fn has_conflict_markers(text: &str) -> bool {
    let mut open = false;
    for line in text.lines() {
        if line == OURS_MARKER {
            open = true;
        } else if line == THEIRS_MARKER && open {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_conflict_of_ours_counts() {
        assert!(has_conflict_markers("a\n<<<<<<< your edit\nx\n=======\ny\n>>>>>>> generated\n"));
        assert!(!has_conflict_markers("a\n=======\nb\n"));
        assert!(!has_conflict_markers(">>>>>>> generated\n<<<<<<< your edit\n"));
    }
}
