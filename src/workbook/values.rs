//! What one cell (or CSV field) may hold, and the checks the workbook and the CSV
//! reader share: scores, goal levels and in-scope marks read the same, and fail with
//! the same words, whichever file they come from. Spreadsheets store typed numbers as
//! numbers and pasted ones as text, so both are accepted when they are whole numbers
//! in range.

use crate::catalogue::{Catalogue, Group};
use crate::diagnostic::suggest;

/// A cell's value, as far as the readers care.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    Empty,
    Number(f64),
    Text(&'a str),
    Bool(bool),
    /// A date, an error value (`#DIV/0!`) …: shown as it reads, never a valid score.
    Other(String),
}

impl Cell<'_> {
    /// The value as a person reads it in the cell.
    fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(number) => number_text(*number),
            Cell::Text(text) => text.trim().to_owned(),
            Cell::Bool(true) => "TRUE".to_owned(),
            Cell::Bool(false) => "FALSE".to_owned(),
            Cell::Other(text) => text.clone(),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }
}

fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 { format!("{}", number as i64) } else { number.to_string() }
}

/// Which file a value came from: the hints say "cell" or "field", "sheet" or "area".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Workbook,
    Csv,
}

impl Source {
    fn empty(self) -> &'static str {
        match self {
            Source::Workbook => "leave the cell empty",
            Source::Csv => "leave the field empty",
        }
    }
}

/// A value that cannot be used: the cause and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) hint: String,
}

impl Problem {
    fn new(message: String, hint: String) -> Self {
        Problem { message, hint }
    }
}

/// A whole number in `range`, from a number or from text that spells one.
fn whole(cell: &Cell<'_>, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    let number = match cell {
        Cell::Number(number) => *number,
        Cell::Text(text) => text.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    let whole = number.fract() == 0.0 && number.is_finite();
    (whole && range.contains(&(number as i64))).then_some(number as i64)
}

/// A requirement score, 0–4; empty is "not scored yet".
pub(super) fn score(cell: &Cell<'_>, source: Source) -> Result<Option<i64>, Problem> {
    if cell.is_blank() {
        return Ok(None);
    }
    whole(cell, 0..=4).map(Some).ok_or_else(|| {
        Problem::new(
            format!("score \"{}\" is not a whole number from 0 to 4", cell.shown()),
            format!(
                "scores go from 0 (not in place) to 4 (measured and improved); {} while the requirement is not assessed",
                source.empty()
            ),
        )
    })
}

/// An area's goal level, 1–4; empty is "no goal set".
pub(super) fn goal(cell: &Cell<'_>, source: Source) -> Result<Option<i64>, Problem> {
    if cell.is_blank() {
        return Ok(None);
    }
    whole(cell, 1..=4).map(Some).ok_or_else(|| {
        Problem::new(
            format!("goal level \"{}\" is not a whole number from 1 to 4", cell.shown()),
            format!("goal levels go from 1 to 4; {} if no goal is set yet", source.empty()),
        )
    })
}

/// Whether an area is in scope: yes / no (true / false too); empty is "not said".
pub(super) fn in_scope(cell: &Cell<'_>, source: Source) -> Result<Option<bool>, Problem> {
    if cell.is_blank() {
        return Ok(None);
    }
    let answer = match cell {
        Cell::Bool(flag) => Some(*flag),
        Cell::Text(text) => match text.trim().to_lowercase().as_str() {
            "yes" | "y" | "true" => Some(true),
            "no" | "n" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    };
    answer.map(Some).ok_or_else(|| {
        Problem::new(
            format!("in scope \"{}\" is neither yes nor no", cell.shown()),
            format!("write yes or no; {} for yes", source.empty()),
        )
    })
}

/// Free text (evidence): trimmed, `None` when empty.
pub(super) fn text(cell: &Cell<'_>) -> Option<String> {
    let text = crate::text::clean(cell.shown().trim()).into_owned();
    (!text.is_empty()).then_some(text)
}

/// The area a sheet name or CSV `area` field names.
pub(super) fn area<'c>(code: &str, catalogue: &'c Catalogue, source: Source) -> Result<&'c Group, Problem> {
    catalogue.area(code).ok_or_else(|| {
        let codes: Vec<&str> = catalogue.areas().map(|(code, _)| code).collect();
        let then = match source {
            Source::Workbook => format!(
                "area sheets are named {} (and the \"Summary\" sheet is skipped); rename or delete this sheet",
                codes.join(" ")
            ),
            Source::Csv => format!("areas are {}", codes.join(" ")),
        };
        Problem::new(format!("unknown assessment area \"{code}\""), suggest(code, codes.iter().copied(), &then))
    })
}

/// Checks that `id` is a FitSM requirement of the area `code` (a sheet or a CSV row's
/// `area`).
pub(super) fn requirement(id: &str, code: &str, catalogue: &Catalogue, source: Source) -> Result<(), Problem> {
    let Some(requirement) = catalogue.requirement(id) else {
        let hint = suggest(
            id,
            catalogue.requirements.iter().map(|r| r.id.as_str()),
            "IDs look like GR2.1 or PR12.4 (see `fitsm-pack requirements`)",
        );
        return Err(Problem::new(format!("unknown FitSM requirement \"{id}\""), hint));
    };
    match catalogue.area_of(requirement) {
        Some(home) if home != code => {
            let hint = match source {
                Source::Workbook => format!("move the row to sheet \"{home}\""),
                Source::Csv => format!("set its area to {home}"),
            };
            Err(Problem::new(format!("requirement {id} belongs to {home}, not to {code}"), hint))
        }
        _ => Ok(()),
    }
}

/// The area's evidence from the evidence notes of its requirements (id, note), in
/// order. The export writes the area's evidence into every row, so one text repeated
/// is that text; different notes are kept with the requirement each is about.
pub(super) fn area_evidence(notes: &[(String, String)]) -> Option<String> {
    let first = &notes.first()?.1;
    if notes.iter().all(|(_, note)| note == first) {
        return Some(first.clone());
    }
    Some(notes.iter().map(|(id, note)| format!("{id}: {note}")).collect::<Vec<_>>().join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_numbers_from_0_to_4_typed_or_pasted() {
        let source = Source::Workbook;
        assert_eq!(score(&Cell::Number(3.0), source), Ok(Some(3)));
        assert_eq!(score(&Cell::Text(" 2 "), source), Ok(Some(2)));
        assert_eq!(score(&Cell::Empty, source), Ok(None));
        assert_eq!(score(&Cell::Text("  "), source), Ok(None));
        for bad in [Cell::Number(5.0), Cell::Number(2.5), Cell::Number(-1.0), Cell::Text("high"), Cell::Bool(true)] {
            assert!(score(&bad, source).is_err(), "{bad:?}");
        }
        let problem = score(&Cell::Number(5.0), source).expect_err("5 is out of range");
        assert_eq!(problem.message, "score \"5\" is not a whole number from 0 to 4");
        assert_eq!(
            score(&Cell::Text("high"), Source::Csv).expect_err("text").message,
            "score \"high\" is not a whole number from 0 to 4"
        );
    }

    #[test]
    fn goals_and_scope() {
        assert_eq!(goal(&Cell::Number(4.0), Source::Csv), Ok(Some(4)));
        assert!(goal(&Cell::Number(0.0), Source::Csv).is_err());
        assert_eq!(in_scope(&Cell::Text("No"), Source::Csv), Ok(Some(false)));
        assert_eq!(in_scope(&Cell::Bool(true), Source::Csv), Ok(Some(true)));
        assert_eq!(in_scope(&Cell::Empty, Source::Csv), Ok(None));
        assert!(in_scope(&Cell::Text("maybe"), Source::Csv).is_err());
    }

    #[test]
    fn requirements_must_exist_and_belong_to_the_area() {
        let catalogue = Catalogue::builtin();
        assert!(requirement("PR2.1", "SLM", catalogue, Source::Workbook).is_ok());
        let wrong = requirement("PR3.1", "SLM", catalogue, Source::Workbook).expect_err("PR3 is SRM");
        assert_eq!(wrong.message, "requirement PR3.1 belongs to SRM, not to SLM");
        assert_eq!(wrong.hint, "move the row to sheet \"SRM\"");
        let unknown = requirement("PR2.9", "SLM", catalogue, Source::Csv).expect_err("no PR2.9");
        assert!(unknown.hint.starts_with("did you mean"), "{}", unknown.hint);
        assert!(area("SLX", catalogue, Source::Csv).expect_err("no SLX").hint.starts_with("did you mean `SLM`?"));
    }

    #[test]
    fn evidence_repeated_on_every_row_is_the_area_evidence() {
        let same = [("PR2.1".to_owned(), "minutes".to_owned()), ("PR2.2".to_owned(), "minutes".to_owned())];
        assert_eq!(area_evidence(&same).as_deref(), Some("minutes"));
        let different = [("PR2.1".to_owned(), "minutes".to_owned()), ("PR2.3".to_owned(), "report".to_owned())];
        assert_eq!(area_evidence(&different).as_deref(), Some("PR2.1: minutes; PR2.3: report"));
        assert_eq!(area_evidence(&[]), None);
    }
}
