//! Line endings are not edits. A document checked out with git's `autocrlf`, or saved
//! by a Windows editor, has CRLF endings; the generator writes LF. The merge works on
//! LF text, and a file is written back with the ending it had, so a config change
//! never turns a CRLF document into a whole-file conflict.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineEnding {
    Lf,
    Crlf,
}

impl LineEnding {
    /// The ending most lines of `text` use (LF when there are none, or a tie).
    pub(super) fn of(text: &str) -> LineEnding {
        let newlines = text.matches('\n').count();
        let crlf = text.matches("\r\n").count();
        if crlf * 2 > newlines { LineEnding::Crlf } else { LineEnding::Lf }
    }

    /// `text` (LF) in this ending; borrowed when that is `text` itself.
    pub(super) fn apply(self, text: &str) -> Cow<'_, str> {
        match self {
            LineEnding::Lf => Cow::Borrowed(text),
            LineEnding::Crlf => Cow::Owned(normalise(text).replace('\n', "\r\n")),
        }
    }
}

/// `text` with every CRLF turned into LF.
pub(super) fn normalise(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") { Cow::Owned(text.replace("\r\n", "\n")) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ending_a_file_had_is_the_ending_it_keeps() {
        let windows = "a\r\nb\r\n";
        assert_eq!(LineEnding::of(windows), LineEnding::Crlf);
        assert_eq!(normalise(windows), "a\nb\n");
        assert_eq!(LineEnding::Crlf.apply("a\nb\nc\n"), "a\r\nb\r\nc\r\n");
        assert_eq!(LineEnding::of("a\nb\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of(""), LineEnding::Lf);
    }
}
