//! The self-assessment as a file to fill in: a FitSM-6-style workbook (`.xlsx`) that
//! `fitsm-pack assessment export` writes, and the workbook or CSV file that
//! `[assessment] import` reads back.
//!
//! The module knows the file formats and nothing of the config: [`export`] writes a
//! [`Workbook`] (plain data, built from the config by `assessment::workbook`) and
//! [`import`] returns [`ImportedArea`]s (plain data, merged into the config by
//! `config`). That keeps the module graph one way: `config` may call the reader, and
//! neither direction needs the other's types. [`layout`] is where the writer and the
//! reader agree on rows, columns and headings, so they cannot drift apart.

pub mod export;
pub mod import;
pub mod layout;
mod values;

use std::collections::BTreeMap;

/// What the exported workbook shows.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The document title property, also the Summary sheet's heading.
    pub title: String,
    /// The author property.
    pub organisation: String,
    /// The creation date written into the document properties (year, month, day):
    /// a date from the config, never the clock, so the same config gives the same bytes.
    pub created: (u16, u8, u8),
    /// Label and value rows above the Summary table (assessment date, who led it).
    pub details: Vec<(String, String)>,
    pub areas: Vec<AreaSheet>,
}

/// One process or general requirement group: one sheet.
#[derive(Debug, Clone)]
pub struct AreaSheet {
    /// The sheet name: the process code (`SLM`) or group id (`GR1`).
    pub code: String,
    /// The catalogue group (`PR2`, `GR1`).
    pub group: String,
    pub title: String,
    pub in_scope: bool,
    pub goal: Option<i64>,
    pub requirements: Vec<RequirementRow>,
    /// What the Summary's formulas evaluate to for the pre-filled scores, written as
    /// their cached results so viewers that do not recalculate show the right values.
    pub level: Option<i64>,
    pub mean: Option<f64>,
    pub met: Option<bool>,
}

/// One requirement: one row of its area's sheet.
#[derive(Debug, Clone)]
pub struct RequirementRow {
    pub id: String,
    pub topic: String,
    /// The documents that address it, one per line.
    pub documents: String,
    /// Where in those documents, one line per document.
    pub sections: String,
    pub score: Option<i64>,
    pub evidence: Option<String>,
}

/// One area as a workbook or CSV file gives it. Values left empty in the file are
/// `None`: the area then has no goal, counts as in scope, and so on, exactly as a
/// `[assessment.areas.X]` table that leaves the key out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedArea {
    pub code: String,
    /// Where the area is in the file, for messages: `sheet "SLM"`, `line 12`.
    pub place: String,
    pub in_scope: Option<bool>,
    pub goal: Option<i64>,
    /// Requirement id → score, for the requirements that have one.
    pub scores: BTreeMap<String, i64>,
    pub evidence: Option<String>,
}
