//! Problems found in a user's file, and how they are shown.
//!
//! A [`Diagnostic`] is one problem: a one-line cause, the byte range in the file it is
//! about, and a hint that says what to do. [`Diagnostics`] holds every problem found in
//! one file together with that file's text, so that all of them are reported in one run
//! (fixing a config one error at a time is the experience we want to spare users).
//! Rendering goes through `annotate-snippets`, the crate rustc and cargo use, so the
//! output looks like the compiler errors people already know: `file:line:column`, the
//! offending line, a caret under the offending text, then the hint.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// One problem in a user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The cause, one line, lowercase, no trailing full stop.
    pub message: String,
    /// Byte range in the file; `None` when the problem is about the file as a whole.
    pub span: Option<Range<usize>>,
    /// What to do about it.
    pub hint: Option<String>,
    /// A second place in the same file that explains the problem, with a label
    /// (e.g. where a duplicate id was first defined).
    pub related: Option<(Range<usize>, String)>,
    /// One more line after the hint, e.g. the other places the same mistake shows up
    /// ("and 11 more references to `ann` …"), so one cause is one problem.
    pub note: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Diagnostic {
            message: message.into(),
            span: span.filter(|s| s.end > s.start || s.start > 0),
            hint: None,
            related: None,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related = Some((span, label.into()));
        self
    }
}

/// All problems found in one file, with the file's text for showing them in context.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub path: PathBuf,
    pub source: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// 1-based line and column (in characters) of a byte offset, as editors count them.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        line_column(&self.source, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl Diagnostics {
    /// All problems, as rustc shows them; `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        use std::fmt::Write as _;
        let mut f = String::new();
        let path = self.path.display().to_string();
        let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                f.push('\n');
            }
            let title = Level::ERROR.primary_title(&item.message);
            let mut report = Vec::new();
            match &item.span {
                Some(span) => {
                    // annotate-snippets adds `:line:column` to the path itself.
                    let span = clamp_span(&self.source, span.clone());
                    let mut snippet = Snippet::source(self.source.as_str())
                        .path(path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(span));
                    if let Some((related, label)) = &item.related {
                        let related = clamp_span(&self.source, related.clone());
                        snippet = snippet.annotation(AnnotationKind::Context.span(related).label(label.as_str()));
                    }
                    report.push(title.element(snippet));
                }
                None => report.push(Group::with_title(title).element(annotate_snippets::Origin::path(path.as_str()))),
            }
            if let Some(hint) = &item.hint {
                report.push(Group::with_title(Level::HELP.secondary_title(hint)));
            }
            if let Some(note) = &item.note {
                report.push(Group::with_title(Level::NOTE.secondary_title(note)));
            }
            let _ = write!(f, "{}", renderer.render(&report));
        }
        f
    }
}

/// Where in a workbook a problem is. A workbook has no text to point into, so problems
/// in one are placed by sheet and cell, the way a person finds them in Excel or
/// LibreOffice, instead of by line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole (it is not a workbook at all, say).
    File,
    Sheet(String),
    /// A cell by its name, `E7`.
    Cell {
        sheet: String,
        cell: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => Ok(()),
            Place::Sheet(sheet) => write!(f, "sheet \"{sheet}\""),
            Place::Cell { sheet, cell } => write!(f, "sheet \"{sheet}\", cell {cell}"),
        }
    }
}

/// One problem in a workbook: where, the one-line cause, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub place: Place,
    /// The cause, one line, lowercase, no trailing full stop.
    pub message: String,
    pub hint: Option<String>,
}

impl CellProblem {
    pub fn new(place: Place, message: impl Into<String>) -> Self {
        CellProblem { place, message: message.into(), hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Every problem found in one workbook, reported together like [`Diagnostics`].
#[derive(Debug, Clone)]
pub struct WorkbookProblems {
    pub path: PathBuf,
    pub items: Vec<CellProblem>,
}

impl WorkbookProblems {
    /// One `error: FILE: sheet "S", cell C: cause` line per problem, each followed by
    /// its hint; `styled` colours the word "error" as the other errors do.
    pub fn render(&self, styled: bool) -> String {
        let style = if styled {
            anstyle::Style::new().bold().fg_color(Some(anstyle::AnsiColor::Red.into()))
        } else {
            anstyle::Style::new()
        };
        let path = self.path.display();
        let mut out = Vec::new();
        for item in &self.items {
            let mut text = match &item.place {
                Place::File => format!("{style}error{style:#}: {path}: {}", item.message),
                place => format!("{style}error{style:#}: {path}: {place}: {}", item.message),
            };
            if let Some(hint) = &item.hint {
                text.push_str(&format!("\n  help: {hint}"));
            }
            out.push(text);
        }
        out.join("\n")
    }
}

impl fmt::Display for WorkbookProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Keeps a span inside the text and on character boundaries, so rendering never panics
/// on a span that a library computed for slightly different text.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let mut end = span.end.clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The closest candidate to `word`, if one is close enough to be a likely typo.
/// A hint that opens with the likeliest of `candidates` when one is close to `word`:
/// "did you mean `name`? {then}", else just `then`. Every did-you-mean reads the same.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, then: &str) -> String {
    match did_you_mean(word, candidates) {
        Some(candidate) if then.is_empty() => format!("did you mean `{candidate}`?"),
        Some(candidate) => format!("did you mean `{candidate}`? {then}"),
        None => then.to_owned(),
    }
}

pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word_lower, &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// A short, readable list of the ids that exist, for "unknown reference" hints.
pub fn list_of_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    const SHOWN: usize = 12;
    let ids: Vec<&str> = ids.into_iter().collect();
    if ids.is_empty() {
        return "none are defined yet".to_owned();
    }
    let mut listed = ids.iter().take(SHOWN).map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ");
    if ids.len() > SHOWN {
        listed.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    listed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "a = 1\nnäme = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        // the byte after 'ä' (two bytes) is column 3
        assert_eq!(line_column(text, 9), (2, 3));
        // offsets past the end or inside a character do not panic
        assert_eq!(line_column(text, 8), (2, 2));
        assert_eq!(line_column(text, 999), (3, 1));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("nmae", ["name", "email", "title"]), Some("name"));
        assert_eq!(did_you_mean("zzz", ["name", "email"]), None);
    }

    #[test]
    fn rendering_names_file_line_column_and_hint() {
        let diagnostics = Diagnostics {
            path: "sms.toml".into(),
            source: "[organisation]\nnmae = \"x\"\n".into(),
            items: vec![Diagnostic::new("unknown key `nmae`", Some(15..19)).with_hint("did you mean `name`?")],
        };
        let shown = diagnostics.to_string();
        assert!(shown.contains("sms.toml:2:1"), "{shown}");
        assert!(shown.contains("nmae = \"x\""), "{shown}");
        assert!(shown.contains("did you mean `name`?"), "{shown}");
    }
}
