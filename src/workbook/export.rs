//! Writing the assessment workbook (rust_xlsxwriter): a Summary sheet of formulas over
//! the area sheets, then one sheet per area with its scope, goal and requirements.
//!
//! The Summary holds formulas, not values, so it follows the scores as they are typed;
//! each formula also carries its result for the pre-filled scores, for viewers that
//! show cached results without recalculating. Input cells carry data validation (a
//! list for in scope, whole numbers for goal and scores) with a message saying what
//! goes there. The document properties get a creation date from the config, never the
//! clock: the same [`Workbook`] always gives the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatBorder, Formula,
    Workbook as Xlsx, Worksheet, XlsxError,
};

use super::layout::{self, Column, cell_name, column_name};
use super::{AreaSheet, Workbook};

/// The workbook as `.xlsx` bytes.
pub fn to_bytes(workbook: &Workbook) -> std::io::Result<Vec<u8>> {
    build(workbook).map_err(std::io::Error::other)
}

fn build(workbook: &Workbook) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut xlsx = Xlsx::new();
    let (year, month, day) = workbook.created;
    let properties = DocProperties::new()
        .set_title(&workbook.title)
        .set_author(&workbook.organisation)
        .set_company(&workbook.organisation)
        .set_subject("FitSM self-assessment")
        .set_creation_datetime(&ExcelDateTime::from_ymd(year, month, day)?);
    xlsx.set_properties(&properties);
    summary(xlsx.add_worksheet(), workbook, &formats)?;
    for area in &workbook.areas {
        area_sheet(xlsx.add_worksheet(), area, &formats)?;
    }
    xlsx.save_to_buffer()
}

struct Formats {
    title: Format,
    bold: Format,
    header: Format,
    wrap: Format,
    input: Format,
    mean: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let input_fill = Color::RGB(0xFFF7D6);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xDCE6F1))
                .set_border_bottom(FormatBorder::Thin),
            wrap: Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top),
            input: Format::new().set_background_color(input_fill).set_align(rust_xlsxwriter::FormatAlign::Top),
            mean: Format::new().set_num_format("0.0"),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x5B6573)),
        }
    }
}

/// The first sheet: one row per area, every figure a formula over the area's sheet.
fn summary(sheet: &mut Worksheet, workbook: &Workbook, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(layout::SUMMARY_SHEET)?;
    sheet.write_string_with_format(0, 0, &workbook.title, &formats.title)?;
    for (index, (label, value)) in workbook.details.iter().enumerate() {
        let row = 1 + index as u32;
        sheet.write_string_with_format(row, 0, label, &formats.bold)?;
        sheet.write_string(row, 1, value)?;
    }
    let header = layout::summary_header_row(workbook.details.len());
    for (column, heading) in layout::SUMMARY_HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(header, column as u16, *heading, &formats.header)?;
    }
    for (index, area) in workbook.areas.iter().enumerate() {
        let row = header + 1 + index as u32;
        summary_row(sheet, row, area, formats)?;
    }
    sheet.set_freeze_panes(header + 1, 0)?;
    let widths = [8.0, 46.0, 10.0, 11.0, 14.0, 9.0, 12.0, 20.0, 10.0];
    for (column, width) in widths.into_iter().enumerate() {
        sheet.set_column_width(column as u16, width)?;
    }
    sheet.set_column_width(0, fit(workbook.details.iter().map(|(label, _)| label.as_str()), 8.0, 30.0))?;
    Ok(())
}

/// One area's row of the Summary. `C`…`I` of this row are referred to by the later
/// formulas of the same row.
fn summary_row(sheet: &mut Worksheet, row: u32, area: &AreaSheet, formats: &Formats) -> Result<(), XlsxError> {
    let code = &area.code;
    let here = |column: u16| cell_name(row, column);
    let first = layout::FIRST_REQUIREMENT_ROW + 1;
    let last = layout::FIRST_REQUIREMENT_ROW + area.requirements.len().max(1) as u32;
    let ids = format!("'{code}'!$A${first}:$A${last}");
    let scores = {
        let score = column_name(Column::Score.index());
        format!("'{code}'!${score}${first}:${score}${last}")
    };
    let in_scope = format!("'{code}'!{}", cell_name(layout::IN_SCOPE_ROW, layout::VALUE_COLUMN));
    let goal = format!("'{code}'!{}", cell_name(layout::GOAL_ROW, layout::VALUE_COLUMN));
    let scored = area.requirements.iter().filter(|r| r.score.is_some()).count();
    let (c, d, e, f) = (here(2), here(3), here(4), here(5));

    sheet.write_url_with_text(row, 0, format!("internal:'{code}'!A1").as_str(), code)?;
    sheet.write_string(row, 1, format!("{} {}", area.group, area.title))?;
    let cells = [
        (2, format!("=IF({in_scope}=\"\",\"yes\",{in_scope})"), (if area.in_scope { "yes" } else { "no" }).to_owned()),
        (3, format!("=IF({goal}=\"\",\"\",{goal})"), area.goal.map(|g| g.to_string()).unwrap_or_default()),
        (4, format!("=COUNTA({ids})"), area.requirements.len().to_string()),
        (5, format!("=COUNT({scores})"), scored.to_string()),
        (6, format!("=IF({f}=0,\"\",AVERAGE({scores}))"), area.mean.map(|m| m.to_string()).unwrap_or_default()),
        (
            7,
            format!("=IF(OR({f}=0,{f}<{e}),\"\",MIN({scores}))"),
            area.level.map(|l| l.to_string()).unwrap_or_default(),
        ),
        (
            8,
            format!("=IF(OR({c}<>\"yes\",{d}=\"\",{f}<{e},{e}=0),\"\",IF(MIN({scores})>={d},\"yes\",\"no\"))"),
            match area.met {
                Some(true) => "yes".to_owned(),
                Some(false) => "no".to_owned(),
                None => String::new(),
            },
        ),
    ];
    for (column, formula, result) in cells {
        let formula = Formula::new(formula).set_result(result);
        if column == 6 {
            sheet.write_formula_with_format(row, column, formula, &formats.mean)?;
        } else {
            sheet.write_formula(row, column, formula)?;
        }
    }
    Ok(())
}

/// One area: heading, in scope, goal, a note, then the requirement table.
fn area_sheet(sheet: &mut Worksheet, area: &AreaSheet, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(&area.code)?;
    sheet.write_string_with_format(layout::TITLE_ROW, 0, format!("{} {}", area.group, area.title), &formats.title)?;
    let (label, value) = (layout::LABEL_COLUMN, layout::VALUE_COLUMN);
    sheet.write_string_with_format(layout::IN_SCOPE_ROW, label, layout::IN_SCOPE_LABEL, &formats.bold)?;
    sheet.write_string_with_format(
        layout::IN_SCOPE_ROW,
        value,
        if area.in_scope { "yes" } else { "no" },
        &formats.input,
    )?;
    sheet.add_data_validation(layout::IN_SCOPE_ROW, value, layout::IN_SCOPE_ROW, value, &in_scope_rule()?)?;
    sheet.write_string_with_format(layout::GOAL_ROW, label, layout::GOAL_LABEL, &formats.bold)?;
    match area.goal {
        Some(goal) => sheet.write_number_with_format(layout::GOAL_ROW, value, goal as f64, &formats.input)?,
        None => sheet.write_blank(layout::GOAL_ROW, value, &formats.input)?,
    };
    sheet.add_data_validation(layout::GOAL_ROW, value, layout::GOAL_ROW, value, &goal_rule()?)?;
    sheet.write_string_with_format(layout::NOTE_ROW, 0, layout::NOTE, &formats.note)?;

    for column in Column::ALL {
        sheet.write_string_with_format(layout::HEADER_ROW, column.index(), column.heading(), &formats.header)?;
    }
    for (index, requirement) in area.requirements.iter().enumerate() {
        let row = layout::FIRST_REQUIREMENT_ROW + index as u32;
        sheet.write_string_with_format(row, Column::Id.index(), &requirement.id, &formats.wrap)?;
        sheet.write_string_with_format(row, Column::Topic.index(), &requirement.topic, &formats.wrap)?;
        sheet.write_string_with_format(row, Column::Documents.index(), &requirement.documents, &formats.wrap)?;
        sheet.write_string_with_format(row, Column::Sections.index(), &requirement.sections, &formats.wrap)?;
        match requirement.score {
            Some(score) => sheet.write_number_with_format(row, Column::Score.index(), score as f64, &formats.input)?,
            None => sheet.write_blank(row, Column::Score.index(), &formats.input)?,
        };
        match &requirement.evidence {
            Some(evidence) => sheet.write_string_with_format(row, Column::Evidence.index(), evidence, &formats.wrap)?,
            None => sheet.write_blank(row, Column::Evidence.index(), &formats.wrap)?,
        };
        sheet.write_blank(row, Column::Comments.index(), &formats.wrap)?;
    }
    if !area.requirements.is_empty() {
        let last = layout::FIRST_REQUIREMENT_ROW + area.requirements.len() as u32 - 1;
        let score = Column::Score.index();
        sheet.add_data_validation(layout::FIRST_REQUIREMENT_ROW, score, last, score, &score_rule()?)?;
    }
    sheet.set_freeze_panes(layout::HEADER_ROW + 1, 0)?;
    for column in Column::ALL {
        let texts = area.requirements.iter().map(|r| match column {
            Column::Id => r.id.as_str(),
            Column::Topic => r.topic.as_str(),
            Column::Documents => r.documents.as_str(),
            Column::Sections => r.sections.as_str(),
            Column::Evidence => r.evidence.as_deref().unwrap_or_default(),
            Column::Score | Column::Comments => "",
        });
        let narrowest = match column {
            Column::Id => 18.0, // "Goal level (1–4)" fits
            Column::Comments | Column::Evidence => 30.0,
            _ => 12.0,
        };
        let width = fit(texts.chain([column.heading()]), narrowest, column.max_width());
        sheet.set_column_width(column.index(), width)?;
    }
    Ok(())
}

/// A width (in characters) that fits the longest line of `texts`, within bounds;
/// longer text wraps.
fn fit<'a>(texts: impl Iterator<Item = &'a str>, narrowest: f64, widest: f64) -> f64 {
    let longest = texts.flat_map(str::lines).map(|line| line.chars().count()).max().unwrap_or(0);
    (longest as f64 + 2.0).clamp(narrowest, widest.max(narrowest))
}

fn in_scope_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(&["yes", "no"])?
        .set_input_title("In scope?")?
        .set_input_message("yes: the area is assessed against its goal. no: it is left out of the gap analysis.")?
        .set_error_title("yes or no")?
        .set_error_message("Choose yes or no.")
}

fn goal_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(1, 4))
        .set_input_title("Goal level")?
        .set_input_message("The level every requirement of this area should reach: a whole number from 1 to 4.")?
        .set_error_title("Goal level out of range")?
        .set_error_message("A goal level is a whole number from 1 to 4.")
}

fn score_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_whole_number(DataValidationRule::Between(0, 4))
        .set_input_title("Score (0–4)")?
        .set_input_message(
            "0 not in place, 1 ad hoc, 2 documented and partly applied, 3 applied consistently, \
             4 measured and improved. Leave empty while not assessed.",
        )?
        .set_error_title("Score out of range")?
        .set_error_message("A score is a whole number from 0 to 4.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::RequirementRow;

    fn sample() -> Workbook {
        let row = |id: &str, score| RequirementRow {
            id: id.to_owned(),
            topic: format!("topic of {id}"),
            documents: "PROC-SLM Service level management process".to_owned(),
            sections: "processes/service-level-management.md".to_owned(),
            score,
            evidence: Some("review minutes".to_owned()),
        };
        Workbook {
            title: "FitSM self-assessment: Acme".to_owned(),
            organisation: "Acme".to_owned(),
            created: (2026, 1, 20),
            details: vec![("Assessment date".to_owned(), "2026-01-20".to_owned())],
            areas: vec![AreaSheet {
                code: "SLM".to_owned(),
                group: "PR2".to_owned(),
                title: "Service Level Management".to_owned(),
                in_scope: true,
                goal: Some(3),
                requirements: vec![row("PR2.1", Some(3)), row("PR2.2", None)],
                level: None,
                mean: Some(3.0),
                met: None,
            }],
        }
    }

    fn part(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
        let mut entry = archive.by_name(name).unwrap_or_else(|e| panic!("no {name}: {e}"));
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 XML");
        text
    }

    #[test]
    fn writes_a_summary_of_formulas_and_validated_area_sheets() {
        let bytes = to_bytes(&sample()).expect("writes");
        let workbook = part(&bytes, "xl/workbook.xml");
        assert!(workbook.contains("name=\"Summary\"") && workbook.contains("name=\"SLM\""), "{workbook}");
        let summary = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(summary.contains("<f>COUNT('SLM'!$E$6:$E$7)</f>"), "{summary}");
        assert!(summary.contains("MIN('SLM'!$E$6:$E$7)"), "{summary}");
        assert!(summary.contains("AVERAGE('SLM'!$E$6:$E$7)"), "{summary}");
        let area = part(&bytes, "xl/worksheets/sheet2.xml");
        assert!(area.contains("<pane ySplit=\"5\""), "frozen below the header row: {area}");
        assert!(area.contains("sqref=\"E6:E7\""), "score validation: {area}");
        assert!(area.contains("type=\"whole\"") && area.contains("<formula1>0</formula1>"), "{area}");
        assert!(area.contains("type=\"list\"") && area.contains("\"yes,no\""), "{area}");
        assert!(area.contains("promptTitle=\"Score (0–4)\"") && area.contains("errorTitle=\"Score out of range\""));
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:creator>Acme</dc:creator>"), "{core}");
        assert!(core.contains("2026-01-20T00:00:00Z"), "{core}");
    }

    #[test]
    fn the_same_workbook_gives_the_same_bytes() {
        assert_eq!(to_bytes(&sample()).expect("writes"), to_bytes(&sample()).expect("writes"));
    }
}
