//! Reading a filled-in assessment workbook (calamine). Each sheet named by an area
//! code is read where `layout` says the writer put things; the Summary sheet is
//! skipped (it only holds formulas over the others). A sheet whose headings are not
//! where they belong is reported rather than guessed at: reading a shifted sheet
//! would put scores on the wrong requirements.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};

use crate::catalogue::Catalogue;
use crate::diagnostic::{CellProblem, Place, WorkbookProblems};
use crate::error::Error;
use crate::workbook::ImportedArea;
use crate::workbook::layout::{self, Column, cell_name};
use crate::workbook::values::{self, Cell, Problem, Source};

pub(super) fn read(path: &Path, bytes: &[u8], catalogue: &Catalogue) -> Result<Vec<ImportedArea>, Error> {
    let failed = |items| Error::Workbook(WorkbookProblems { path: path.to_owned(), items });
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => {
            let problem = CellProblem::new(Place::File, format!("not an Excel workbook (.xlsx): {error}")).with_hint(
                "`fitsm-pack assessment export` writes one to fill in; a workbook saved from Excel or \
                 LibreOffice must be saved as .xlsx (Excel 2007–365)",
            );
            return Err(failed(vec![problem]));
        }
    };
    let mut problems = Vec::new();
    let mut areas = Vec::new();
    for name in workbook.sheet_names() {
        if name == layout::SUMMARY_SHEET {
            continue;
        }
        if let Err(problem) = values::area(&name, catalogue, Source::Workbook) {
            problems.push(at(Place::Sheet(name), problem));
            continue;
        }
        match workbook.worksheet_range(&name) {
            Ok(range) => areas.extend(Sheet { name: &name, range: &range }.read(catalogue, &mut problems)),
            Err(error) => {
                problems.push(CellProblem::new(Place::Sheet(name), format!("cannot read the sheet: {error}")))
            }
        }
    }
    if problems.is_empty() { Ok(areas) } else { Err(failed(problems)) }
}

fn at(place: Place, problem: Problem) -> CellProblem {
    CellProblem::new(place, problem.message).with_hint(problem.hint)
}

/// One area's sheet.
struct Sheet<'a> {
    name: &'a str,
    range: &'a Range<Data>,
}

impl Sheet<'_> {
    fn cell(&self, row: u32, column: u16) -> Cell<'_> {
        match self.range.get_value((row, u32::from(column))) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::Int(number)) => Cell::Number(*number as f64),
            Some(Data::Float(number)) => Cell::Number(*number),
            Some(Data::String(text)) => Cell::Text(text),
            Some(Data::Bool(flag)) => Cell::Bool(*flag),
            Some(Data::DateTime(date)) => Cell::Other(date.to_string()),
            Some(Data::DateTimeIso(text) | Data::DurationIso(text)) => Cell::Other(text.clone()),
            Some(Data::Error(error)) => Cell::Other(error.to_string()),
        }
    }

    fn place(&self, row: u32, column: u16) -> Place {
        Place::Cell { sheet: self.name.to_owned(), cell: cell_name(row, column) }
    }

    /// The area, or `None` with the problems recorded.
    fn read(&self, catalogue: &Catalogue, problems: &mut Vec<CellProblem>) -> Option<ImportedArea> {
        let before = problems.len();
        for column in [Column::Id, Column::Score] {
            let found = values::text(&self.cell(layout::HEADER_ROW, column.index())).unwrap_or_default();
            if !found.eq_ignore_ascii_case(column.heading()) {
                let problem = CellProblem::new(
                    self.place(layout::HEADER_ROW, column.index()),
                    format!("expected the heading \"{}\", found \"{found}\"", column.heading()),
                )
                .with_hint(
                    "the sheet is not laid out as `fitsm-pack assessment export` writes it (were rows or columns \
                     inserted above or before the table?); undo that, or export a new workbook and copy the scores into it",
                );
                problems.push(problem);
                return None;
            }
        }
        let (row, column) = (layout::IN_SCOPE_ROW, layout::VALUE_COLUMN);
        let in_scope = values::in_scope(&self.cell(row, column), Source::Workbook)
            .map_err(|p| problems.push(at(self.place(row, column), p)))
            .unwrap_or(None);
        let row = layout::GOAL_ROW;
        let goal = values::goal(&self.cell(row, column), Source::Workbook)
            .map_err(|p| problems.push(at(self.place(row, column), p)))
            .unwrap_or(None);

        let mut scores = BTreeMap::new();
        let mut first_row: BTreeMap<String, u32> = BTreeMap::new();
        let mut notes = Vec::new();
        let last = self.range.end().map_or(0, |(row, _)| row);
        for row in layout::FIRST_REQUIREMENT_ROW..=last {
            let score_cell = self.cell(row, Column::Score.index());
            let Some(id) = values::text(&self.cell(row, Column::Id.index())) else {
                if values::text(&score_cell).is_some() {
                    problems.push(
                        CellProblem::new(self.place(row, Column::Score.index()), "a score without a requirement ID")
                            .with_hint(
                                "put the requirement ID (e.g. PR2.1) in column A of this row, or clear the score",
                            ),
                    );
                }
                continue;
            };
            if let Err(problem) = values::requirement(&id, self.name, catalogue, Source::Workbook) {
                problems.push(at(self.place(row, Column::Id.index()), problem));
                continue;
            }
            if let Some(first) = first_row.insert(id.clone(), row) {
                problems.push(
                    CellProblem::new(
                        self.place(row, Column::Id.index()),
                        format!("requirement {id} is listed twice (first in row {})", first + 1),
                    )
                    .with_hint("keep one row per requirement"),
                );
                continue;
            }
            match values::score(&score_cell, Source::Workbook) {
                Ok(Some(score)) => {
                    scores.insert(id.clone(), score);
                }
                Ok(None) => {}
                Err(problem) => problems.push(at(self.place(row, Column::Score.index()), problem)),
            }
            if let Some(note) = values::text(&self.cell(row, Column::Evidence.index())) {
                notes.push((id, note));
            }
        }
        (problems.len() == before).then(|| ImportedArea {
            code: self.name.to_owned(),
            place: format!("sheet \"{}\"", self.name),
            in_scope,
            goal,
            scores,
            evidence: values::area_evidence(&notes),
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::Workbook as Writer;

    use super::*;
    use crate::workbook::{AreaSheet, RequirementRow, Workbook};

    fn read_bytes(bytes: &[u8]) -> Result<Vec<ImportedArea>, Error> {
        read(Path::new("assessment.xlsx"), bytes, Catalogue::builtin())
    }

    fn problems(bytes: &[u8]) -> Vec<(String, String)> {
        match read_bytes(bytes) {
            Err(Error::Workbook(problems)) => {
                problems.items.into_iter().map(|p| (p.place.to_string(), p.message)).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn an_exported_workbook_reads_back_as_written() {
        let row = |id: &str, score| RequirementRow {
            id: id.to_owned(),
            topic: String::new(),
            documents: String::new(),
            sections: String::new(),
            score,
            evidence: Some("review minutes".to_owned()),
        };
        let area = |code: &str, group: &str, in_scope, goal, requirements| AreaSheet {
            code: code.to_owned(),
            group: group.to_owned(),
            title: String::new(),
            in_scope,
            goal,
            requirements,
            level: None,
            mean: None,
            met: None,
        };
        let workbook = Workbook {
            title: "t".to_owned(),
            organisation: "o".to_owned(),
            created: (2026, 1, 1),
            details: Vec::new(),
            areas: vec![
                area("SLM", "PR2", true, Some(3), vec![row("PR2.1", Some(3)), row("PR2.2", None)]),
                area("RDM", "PR13", false, None, vec![row("PR13.1", Some(0))]),
            ],
        };
        let bytes = crate::workbook::export::to_bytes(&workbook).expect("writes");
        let areas = read_bytes(&bytes).expect("reads");
        assert_eq!(areas.len(), 2);
        let slm = &areas[0];
        assert_eq!((slm.code.as_str(), slm.in_scope, slm.goal), ("SLM", Some(true), Some(3)));
        assert_eq!(slm.scores, BTreeMap::from([("PR2.1".to_owned(), 3)]));
        assert_eq!(slm.evidence.as_deref(), Some("review minutes"));
        assert_eq!(slm.place, "sheet \"SLM\"");
        let rdm = &areas[1];
        assert_eq!((rdm.in_scope, rdm.goal, rdm.scores.get("PR13.1")), (Some(false), None, Some(&0)));
    }

    /// A sheet laid out as the export lays it out, with the cells given.
    fn sheet_with(cells: &[(u32, u16, &str)], numbers: &[(u32, u16, f64)]) -> Vec<u8> {
        let mut writer = Writer::new();
        let sheet = writer.add_worksheet();
        sheet.set_name("SLM").expect("name");
        for column in Column::ALL {
            sheet.write_string(layout::HEADER_ROW, column.index(), column.heading()).expect("heading");
        }
        for (row, column, text) in cells {
            sheet.write_string(*row, *column, *text).expect("text");
        }
        for (row, column, number) in numbers {
            sheet.write_number(*row, *column, *number).expect("number");
        }
        writer.add_worksheet().set_name("Notes").expect("name");
        writer.save_to_buffer().expect("saves")
    }

    #[test]
    fn bad_cells_are_named_by_sheet_and_cell() {
        let score = Column::Score.index();
        let bytes = sheet_with(
            &[
                (1, 1, "maybe"),
                (5, 0, "PR2.1"),
                (5, score, "high"),
                (6, 0, "PR2.2"),
                (7, 0, "PR3.1"),
                (8, 0, "PR2.1"),
                (9, 0, "PR9.9"),
                (10, score, "3"),
            ],
            &[(2, 1, 0.0), (6, score, 5.0)],
        );
        let found = problems(&bytes);
        let expected = [
            ("sheet \"SLM\", cell B2", "in scope \"maybe\" is neither yes nor no"),
            ("sheet \"SLM\", cell B3", "goal level \"0\" is not a whole number from 1 to 4"),
            ("sheet \"SLM\", cell E6", "score \"high\" is not a whole number from 0 to 4"),
            ("sheet \"SLM\", cell E7", "score \"5\" is not a whole number from 0 to 4"),
            ("sheet \"SLM\", cell A8", "requirement PR3.1 belongs to SRM, not to SLM"),
            ("sheet \"SLM\", cell A9", "requirement PR2.1 is listed twice (first in row 6)"),
            ("sheet \"SLM\", cell A10", "unknown FitSM requirement \"PR9.9\""),
            ("sheet \"SLM\", cell E11", "a score without a requirement ID"),
            ("sheet \"Notes\"", "unknown assessment area \"Notes\""),
        ];
        let found: Vec<(&str, &str)> = found.iter().map(|(p, m)| (p.as_str(), m.as_str())).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_shifted_sheet_is_refused_and_other_files_are_not_workbooks() {
        let mut writer = Writer::new();
        writer.add_worksheet().set_name("SLM").expect("name").write_string(5, 0, "Requirement").expect("text");
        let found = problems(&writer.save_to_buffer().expect("saves"));
        assert_eq!(found[0].0, "sheet \"SLM\", cell A5");
        assert!(found[0].1.starts_with("expected the heading \"Requirement\""), "{found:?}");
        let found = problems(b"area,requirement\n");
        assert_eq!(found[0].0, "");
        assert!(found[0].1.starts_with("not an Excel workbook (.xlsx)"), "{found:?}");
    }
}
