//! Reading an assessment from a CSV file: a header row naming the columns `area`,
//! `requirement`, `score`, `goal`, `in_scope` and `evidence` (any order; other columns
//! are ignored), then one row per requirement. `goal` and `in_scope` belong to the
//! area: they may be given on any of its rows, and must agree where given twice.
//!
//! The file is parsed here (RFC 4180: quoted fields, doubled quotes, line breaks in
//! quotes, CRLF or LF) rather than by a CSV library because every field keeps its
//! byte range: problems are shown like config problems, `file:line:column` with the
//! line and a caret under the field. A header with semicolons and no commas (what
//! spreadsheets write in many locales) is read with `;` as the separator.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::catalogue::Catalogue;
use crate::diagnostic::{CellProblem, Diagnostic, Diagnostics, Place, WorkbookProblems};
use crate::error::Error;
use crate::workbook::ImportedArea;
use crate::workbook::values::{self, Cell, Problem, Source};

/// The columns, in the order the documentation lists them.
pub(super) const COLUMNS: [&str; 6] = ["area", "requirement", "score", "goal", "in_scope", "evidence"];

pub(super) fn read(path: &Path, bytes: &[u8], catalogue: &Catalogue) -> Result<Vec<ImportedArea>, Error> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = String::from_utf8_lossy(&bytes[..error.valid_up_to()]).into_owned();
            let (line, column) = crate::diagnostic::line_column(&valid, valid.len());
            let problem = CellProblem::new(Place::File, format!("not UTF-8 text (line {line}, column {column})"))
                .with_hint("save the file as \"CSV UTF-8\" (spreadsheets often save CSV as Windows-1252 by default)");
            return Err(Error::Workbook(WorkbookProblems { path: path.to_owned(), items: vec![problem] }));
        }
    };
    // As for the config: a byte-order mark becomes spaces, so byte offsets stay right.
    let source = match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_owned(),
    };
    let invalid = |items| Error::ConfigInvalid(Diagnostics { path: path.to_owned(), source: source.clone(), items });
    let records = parse(&source).map_err(|problem| invalid(vec![*problem]))?;
    let mut problems = Vec::new();
    let areas = read_records(&records, catalogue, &source, &mut problems);
    if problems.is_empty() { Ok(areas) } else { Err(invalid(problems)) }
}

/// One field: its text (quotes removed, doubled quotes undone) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    text: String,
    span: Range<usize>,
}

/// One row: its fields and the range of the whole line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    fields: Vec<Field>,
    span: Range<usize>,
}

/// Splits the text into records; blank lines are skipped.
fn parse(text: &str) -> Result<Vec<Record>, Box<Diagnostic>> {
    let bytes = text.as_bytes();
    let first_line = text.lines().next().unwrap_or_default();
    let separator = if !first_line.contains(',') && first_line.contains(';') { b';' } else { b',' };
    let mut records = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let mut fields = Vec::new();
        loop {
            let (field, next) = field(text, at, separator)?;
            fields.push(field);
            at = next;
            match bytes.get(at) {
                Some(&byte) if byte == separator => at += 1,
                Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => {
                    at += 2;
                    break;
                }
                Some(b'\n') => {
                    at += 1;
                    break;
                }
                _ => break,
            }
        }
        let blank = fields.len() == 1 && fields[0].text.trim().is_empty();
        if !blank {
            let end = fields.last().map_or(start, |f| f.span.end);
            records.push(Record { fields, span: start..end });
        }
    }
    Ok(records)
}

/// The field starting at `at`, and the position after it (at a separator, a line end
/// or the end of the text).
fn field(text: &str, at: usize, separator: u8) -> Result<(Field, usize), Box<Diagnostic>> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        let end = (at..bytes.len()).find(|&i| bytes[i] == b'\n' || bytes[i] == separator).unwrap_or(bytes.len());
        // CRLF ends the line; the CR is not part of the field.
        let end = if end > at && bytes[end - 1] == b'\r' && bytes.get(end) == Some(&b'\n') { end - 1 } else { end };
        return Ok((Field { text: text[at..end].to_owned(), span: at..end }, end));
    }
    let mut value = String::new();
    let mut position = at + 1;
    loop {
        let Some(offset) = text[position..].find('"') else {
            return Err(Box::new(
                Diagnostic::new("a quoted field is not closed", Some(at..at + 1))
                    .with_hint("end the field with a double quote; a quote inside a field is written twice: \"\""),
            ));
        };
        value.push_str(&text[position..position + offset]);
        position += offset + 1;
        if bytes.get(position) == Some(&b'"') {
            value.push('"');
            position += 1;
            continue;
        }
        break;
    }
    match bytes.get(position) {
        None | Some(b'\n') => {}
        Some(b'\r') if bytes.get(position + 1) == Some(&b'\n') => {}
        Some(&byte) if byte == separator => {}
        Some(_) => {
            return Err(Box::new(
                Diagnostic::new("text after the closing quote of a field", Some(position..position + 1))
                    .with_hint("put the whole field in quotes, and write a quote inside it twice: \"\""),
            ));
        }
    }
    Ok((Field { text: value, span: at..position }, position))
}

/// What the rows say about one area so far.
struct AreaRows {
    area: ImportedArea,
    /// The goal and in-scope value with the field each was first given in.
    goal: Option<(i64, Range<usize>)>,
    in_scope: Option<(bool, Range<usize>)>,
    notes: Vec<(String, String)>,
}

fn read_records(
    records: &[Record],
    catalogue: &Catalogue,
    source: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ImportedArea> {
    let Some((header, rows)) = records.split_first() else {
        problems.push(
            Diagnostic::new("the file is empty", None)
                .with_hint(format!("start with the header row: {}", COLUMNS.join(","))),
        );
        return Vec::new();
    };
    let Some(columns) = columns(header, problems) else { return Vec::new() };
    let mut areas: Vec<AreaRows> = Vec::new();
    let mut seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    for row in rows {
        if row.fields.len() != header.fields.len() {
            problems.push(
                Diagnostic::new(
                    format!("this row has {} fields, the header has {}", row.fields.len(), header.fields.len()),
                    Some(row.span.clone()),
                )
                .with_hint("quote fields that hold a comma (\"a, b\"), and give every column, even if empty"),
            );
            continue;
        }
        let get = |name: &str| &row.fields[columns[name]];
        let report = |field: &Field, problem: Problem| {
            Diagnostic::new(problem.message, Some(field.span.clone())).with_hint(problem.hint)
        };
        let (area_field, requirement_field) = (get("area"), get("requirement"));
        let code = area_field.text.trim();
        if let Err(problem) = values::area(code, catalogue, Source::Csv) {
            problems.push(report(area_field, problem));
            continue;
        }
        let id = requirement_field.text.trim();
        if id.is_empty() {
            problems.push(
                Diagnostic::new("the requirement is missing", Some(requirement_field.span.clone()))
                    .with_hint("give the FitSM requirement ID of the row, e.g. PR2.1"),
            );
            continue;
        }
        if let Err(problem) = values::requirement(id, code, catalogue, Source::Csv) {
            problems.push(report(requirement_field, problem));
            continue;
        }
        if let Some(first) = seen.insert(id.to_owned(), requirement_field.span.clone()) {
            problems.push(
                Diagnostic::new(format!("requirement {id} is listed twice"), Some(requirement_field.span.clone()))
                    .with_related(first, "first listed here")
                    .with_hint("keep one row per requirement"),
            );
            continue;
        }
        let index = match areas.iter().position(|a| a.area.code == code) {
            Some(index) => index,
            None => {
                let (line, _) = crate::diagnostic::line_column(source, row.span.start);
                areas.push(AreaRows {
                    area: ImportedArea {
                        code: code.to_owned(),
                        place: format!("line {line}"),
                        in_scope: None,
                        goal: None,
                        scores: BTreeMap::new(),
                        evidence: None,
                    },
                    goal: None,
                    in_scope: None,
                    notes: Vec::new(),
                });
                areas.len() - 1
            }
        };
        let area = &mut areas[index];
        let field = get("score");
        match values::score(&Cell::Text(&field.text), Source::Csv) {
            Ok(Some(score)) => {
                area.area.scores.insert(id.to_owned(), score);
            }
            Ok(None) => {}
            Err(problem) => problems.push(report(field, problem)),
        }
        let field = get("goal");
        match values::goal(&Cell::Text(&field.text), Source::Csv) {
            Ok(Some(goal)) => agree(&mut area.goal, goal, field, code, "goal level", problems),
            Ok(None) => {}
            Err(problem) => problems.push(report(field, problem)),
        }
        let field = get("in_scope");
        match values::in_scope(&Cell::Text(&field.text), Source::Csv) {
            Ok(Some(in_scope)) => agree(&mut area.in_scope, in_scope, field, code, "in_scope", problems),
            Ok(None) => {}
            Err(problem) => problems.push(report(field, problem)),
        }
        if let Some(note) = values::text(&Cell::Text(&get("evidence").text)) {
            area.notes.push((id.to_owned(), note));
        }
    }
    areas
        .into_iter()
        .map(|rows| ImportedArea {
            goal: rows.goal.map(|(goal, _)| goal),
            in_scope: rows.in_scope.map(|(in_scope, _)| in_scope),
            evidence: values::area_evidence(&rows.notes),
            ..rows.area
        })
        .collect()
}

/// Records an area-wide value, or a problem if an earlier row gave another one.
fn agree<T: PartialEq + std::fmt::Display + Copy>(
    slot: &mut Option<(T, Range<usize>)>,
    value: T,
    field: &Field,
    code: &str,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) {
    match slot {
        None => *slot = Some((value, field.span.clone())),
        Some((first, _)) if *first == value => {}
        Some((first, span)) => problems.push(
            Diagnostic::new(
                format!("{what} {value} differs from {first}, given for {code} before"),
                Some(field.span.clone()),
            )
            .with_related(span.clone(), "given here")
            .with_hint(format!(
                "{what} belongs to the area: give one value for all rows of {code}, or leave the others empty"
            )),
        ),
    }
}

/// Column name → index, if the header has all the columns.
fn columns(header: &Record, problems: &mut Vec<Diagnostic>) -> Option<BTreeMap<&'static str, usize>> {
    let mut found = BTreeMap::new();
    for (index, field) in header.fields.iter().enumerate() {
        let name = field.text.trim().to_lowercase();
        if let Some(column) = COLUMNS.iter().find(|c| **c == name)
            && found.insert(*column, index).is_some()
        {
            problems.push(
                Diagnostic::new(format!("the column `{column}` is there twice"), Some(field.span.clone()))
                    .with_hint("keep one of them"),
            );
        }
    }
    let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| !found.contains_key(c)).collect();
    if !missing.is_empty() {
        let names = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        problems.push(
            Diagnostic::new(format!("the header row lacks {names}"), Some(header.span.clone()))
                .with_hint(format!("the first row names the columns: {}", COLUMNS.join(","))),
        );
    }
    (problems.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<Vec<String>> {
        parse(text).expect("parses").into_iter().map(|r| r.fields.into_iter().map(|f| f.text).collect()).collect()
    }

    #[test]
    fn fields_follow_rfc_4180() {
        assert_eq!(
            texts("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n1,\n"),
            [vec!["a", "b"], vec!["x, y", "say \"hi\""], vec!["1", ""]]
        );
        assert_eq!(texts("a,\"two\nlines\""), [vec!["a", "two\nlines"]]);
        assert_eq!(texts("area;score\nSLM;3\n"), [vec!["area", "score"], vec!["SLM", "3"]]);
        let error = parse("a,\"open\n").expect_err("not closed");
        assert_eq!(error.message, "a quoted field is not closed");
        assert_eq!(error.span, Some(2..3));
    }

    #[test]
    fn spans_point_at_the_field() {
        let text = "a,b\nSLM,\"PR2.1\"\n";
        let records = parse(text).expect("parses");
        assert_eq!(&text[records[1].fields[1].span.clone()], "\"PR2.1\"");
    }

    fn read_text(text: &str) -> Result<Vec<ImportedArea>, Error> {
        read(Path::new("assessment.csv"), text.as_bytes(), Catalogue::builtin())
    }

    #[test]
    fn rows_become_areas() {
        let areas = read_text(
            "\u{feff}area,requirement,score,goal,in_scope,evidence,comments\n\
             SLM,PR2.1,3,3,yes,SLA review minutes,ok\n\
             SLM,PR2.2,,,,SLA review minutes,\n\
             RDM,PR13.1,1,,no,,\n",
        )
        .expect("valid");
        assert_eq!(areas.len(), 2);
        let slm = &areas[0];
        assert_eq!((slm.code.as_str(), slm.goal, slm.in_scope), ("SLM", Some(3), Some(true)));
        assert_eq!(slm.scores.get("PR2.1"), Some(&3));
        assert_eq!(slm.scores.get("PR2.2"), None);
        assert_eq!(slm.evidence.as_deref(), Some("SLA review minutes"));
        assert_eq!(slm.place, "line 2");
        assert_eq!(areas[1].in_scope, Some(false));
    }

    #[test]
    fn bad_fields_are_reported_with_line_and_column() {
        let text = "area,requirement,score,goal,in_scope,evidence\n\
                    SLM,PR2.1,high,3,yes,\n\
                    SLM,PR3.1,2,,,\n\
                    SLM,PR2.2,1,2,,\n\
                    XYZ,PR2.3,1,,,\n";
        let Err(Error::ConfigInvalid(diagnostics)) = read_text(text) else { panic!("invalid") };
        let messages: Vec<&str> = diagnostics.items.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "score \"high\" is not a whole number from 0 to 4",
                "requirement PR3.1 belongs to SRM, not to SLM",
                "goal level 2 differs from 3, given for SLM before",
                "unknown assessment area \"XYZ\"",
            ]
        );
        let shown = diagnostics.to_string();
        assert!(shown.contains("assessment.csv:2:11"), "{shown}");
        assert!(shown.contains("assessment.csv:3:5"), "{shown}");
    }

    #[test]
    fn the_header_is_required() {
        let Err(Error::ConfigInvalid(diagnostics)) = read_text("SLM,PR2.1,3\n") else { panic!("invalid") };
        assert!(diagnostics.items[0].message.starts_with("the header row lacks `area`"), "{:?}", diagnostics.items);
        assert!(read_text("").is_err());
        let Err(Error::Workbook(problems)) = read("a.csv".as_ref(), b"area\xff\n", Catalogue::builtin()) else {
            panic!("not UTF-8")
        };
        assert_eq!(problems.items[0].message, "not UTF-8 text (line 1, column 5)");
    }
}
