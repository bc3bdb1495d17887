//! Where things are in the assessment workbook: sheet names, rows, columns and the
//! headings the reader checks. The writer puts every cell where this says and the
//! reader looks for it there, so a workbook written by one version of fitsm-pack is
//! read back by it cell for cell.
//!
//! The labels are part of the file format (the reader recognises a sheet by its
//! headings), which is why they live here and not in `templates/`.
//!
//! Rows and columns are 0-based, as both xlsx libraries count them; [`cell_name`] turns
//! them into the `E7` people see.

/// The sheet of formulas over all areas. The reader skips it.
pub const SUMMARY_SHEET: &str = "Summary";

/// Area sheets: the heading (`PR2 Service Level Management`).
pub const TITLE_ROW: u32 = 0;
/// Area sheets: "In scope" | yes / no.
pub const IN_SCOPE_ROW: u32 = 1;
/// Area sheets: "Goal level" | 1–4.
pub const GOAL_ROW: u32 = 2;
/// Area sheets: a line on how to fill the sheet in.
pub const NOTE_ROW: u32 = 3;
/// Area sheets: the column headings of the requirement table; the rows above it and
/// it are frozen.
pub const HEADER_ROW: u32 = 4;
/// Area sheets: the first requirement.
pub const FIRST_REQUIREMENT_ROW: u32 = 5;

/// Area sheets: the column of the labels of the header rows.
pub const LABEL_COLUMN: u16 = 0;
/// Area sheets: the column of the in-scope and goal values.
pub const VALUE_COLUMN: u16 = 1;

pub const IN_SCOPE_LABEL: &str = "In scope";
pub const GOAL_LABEL: &str = "Goal level (1–4)";
pub const NOTE: &str = "Score each requirement from 0 to 4 in the Score column and note the evidence seen. \
     Empty scores count as not assessed yet; the Comments column is yours and is not read back.";

/// The columns of the requirement table, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    Topic,
    Documents,
    Sections,
    Score,
    Evidence,
    Comments,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Id,
        Column::Topic,
        Column::Documents,
        Column::Sections,
        Column::Score,
        Column::Evidence,
        Column::Comments,
    ];

    pub fn index(self) -> u16 {
        self as u16
    }

    pub fn heading(self) -> &'static str {
        match self {
            Column::Id => "Requirement",
            Column::Topic => "Topic",
            Column::Documents => "Documents that address it",
            Column::Sections => "Sections",
            Column::Score => "Score (0–4)",
            Column::Evidence => "Evidence notes",
            Column::Comments => "Comments",
        }
    }

    /// The widest a column grows (in characters) before its text wraps.
    pub fn max_width(self) -> f64 {
        match self {
            Column::Id => 20.0,
            Column::Score => 14.0,
            Column::Topic => 50.0,
            Column::Documents | Column::Sections => 55.0,
            Column::Evidence | Column::Comments => 60.0,
        }
    }
}

/// The columns of the Summary table, left to right.
pub const SUMMARY_HEADINGS: [&str; 9] = [
    "Area",
    "Title",
    "In scope",
    "Goal level",
    "Requirements",
    "Scored",
    "Mean score",
    "Lowest score (level)",
    "Goal met",
];

/// Summary sheet: the row of the table's headings (details about the assessment above).
pub fn summary_header_row(details: usize) -> u32 {
    // title, the details, one empty row
    2 + details as u32
}

/// `E7` for row 6, column 4 (0-based).
pub fn cell_name(row: u32, column: u16) -> String {
    format!("{}{}", column_name(column), row + 1)
}

/// `A` … `Z`, `AA` …
pub fn column_name(column: u16) -> String {
    let mut name = Vec::new();
    let mut n = u32::from(column) + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        name.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    name.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, Column::Score.index()), "E7");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
