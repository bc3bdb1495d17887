//! The visible placeholder for a fact the config does not give: `[TO BE COMPLETED: …]`.
//!
//! Rendering writes placeholders and coverage, `check` and the site count or mark
//! them, so the marker lives below all of them rather than inside any one.

/// How every placeholder begins.
pub const PREFIX: &str = "[TO BE COMPLETED: ";

/// A placeholder asking for `what` (already escaped for where it lands).
pub fn placeholder(what: &str) -> String {
    format!("{PREFIX}{}]", what.replace(']', ""))
}

/// How many placeholders a text still holds.
pub fn count(text: &str) -> usize {
    text.matches(PREFIX).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_counted_once() {
        let text = format!("a {} b {}", placeholder("the owner"), placeholder("a [nested] date"));
        assert_eq!(count(&text), 2);
        assert!(text.contains("[TO BE COMPLETED: a [nested date]"), "a `]` would end it early: {text}");
    }
}
