//! Reading an assessment back: from the workbook `assessment export` writes (after
//! someone filled it in) or from a CSV file, into one [`ImportedArea`] per area the
//! file holds.
//!
//! Every value is checked here, where its cell or line is known, so a problem names
//! the sheet and cell (or the line and column) it is in; what comes out is as
//! trustworthy as a validated `[assessment.areas]` table. All problems of a file are
//! reported together.

mod csv;
mod xlsx;

use std::path::Path;

use super::ImportedArea;
use crate::catalogue::Catalogue;
use crate::error::Error;

/// The kinds of file `[assessment] import` can name, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// The format of a file by its extension (`.xlsx`, `.csv`, in any case).
    pub fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// The areas in the file at `path` (only used in messages), whose content is `bytes`.
/// `None` for a file that is neither `.xlsx` nor `.csv` (the config validation
/// reports those before anything is read).
pub fn read(path: &Path, bytes: &[u8], catalogue: &Catalogue) -> Option<Result<Vec<ImportedArea>, Error>> {
    Some(match Format::of(path)? {
        Format::Xlsx => xlsx::read(path, bytes, catalogue),
        Format::Csv => csv::read(path, bytes, catalogue),
    })
}
