//! Markdown tables as Word tables that read like a report's: columns as wide as their
//! content needs (no "Manageme/nt"), the header row repeated on every page, rows that do
//! not break across pages, and no empty header row on key/value tables.
//!
//! Column widths are computed here, once, in one pass over the cells (a 5,000-row table
//! costs no more than reading it): each column needs at least its longest word and would
//! like its longest cell; the text width is shared out between those two bounds, the way
//! a browser lays out an automatic table. The table then has a fixed layout, so Word and
//! LibreOffice use these widths instead of guessing their own.

use super::xml::{self, Paragraph};

/// The width of the text area: A4 (11906) less two margins of 1300, in twentieths of a
/// point.
pub(super) const TEXT_WIDTH: usize = 9306;

/// Estimated widths of a character of table text, in twentieths of a point: on average
/// (for running text) and in a word (wider, so a word is never cut). Generous: the
/// reader may not have Calibri and use a wider font.
#[derive(Debug, Clone, Copy)]
pub(super) struct Size {
    character: usize,
    word_character: usize,
}

/// The `TableText` size, 9.5 pt.
const NORMAL: Size = Size { character: 100, word_character: 112 };
/// The `TableTextSmall` size, 8 pt.
const SMALL: Size = Size { character: 84, word_character: 95 };
/// A cell's margins and a little air, in twentieths of a point.
const CELL_PADDING: usize = 260;
/// A word longer than this (a URL) may wrap rather than take the whole table.
const LONGEST_WORD: usize = 28;

const HEADER_FILL: &str = "E8F0F8";
const KEY_FILL: &str = "F5F7FA";

/// A cell as the converter read it: its paragraph and its plain text (for the width).
pub(super) struct Cell {
    pub(super) paragraph: Paragraph,
    pub(super) text: String,
}

/// A table being read.
#[derive(Default)]
pub(super) struct TableState {
    pub(super) rows: Vec<Vec<Cell>>,
    pub(super) head_rows: usize,
    pub(super) in_head: bool,
}

/// The Word table for a Markdown table, written onto `out`.
pub(super) fn build_table(mut table: TableState, out: &mut String) {
    // `| | |` over a key/value table only satisfies Markdown's need for a header: in
    // Word the keys in the first column are the headings.
    let key_value = table.head_rows > 0
        && table.rows.first().is_some_and(|head| head.iter().all(|cell| cell.text.trim().is_empty()));
    if key_value {
        table.rows.remove(0);
        table.head_rows = 0;
    }
    let columns = table.rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // A table whose words do not fit side by side at the usual size is set smaller,
    // rather than breaking words in the middle.
    let small = least_width(&table.rows, columns, NORMAL) > TEXT_WIDTH;
    let size = if small { SMALL } else { NORMAL };
    let (text_style, heading_style) =
        if small { ("TableTextSmall", "TableHeadingSmall") } else { ("TableText", "TableHeading") };
    let mut widths = column_widths(&table.rows, columns, TEXT_WIDTH, size);
    if key_value && columns == 2 {
        // The keys are short headings: give them room for one line when there is room.
        let keys = table.rows.iter().filter_map(|row| row.first()).map(|cell| cell.text.chars().count());
        let wanted = keys.max().unwrap_or(0) * size.character + CELL_PADDING;
        let floor = wanted.min(TEXT_WIDTH * 35 / 100);
        if widths[0] < floor {
            widths[1] = widths[1].saturating_sub(floor - widths[0]);
            widths[0] = floor;
        }
    }
    let head_rows = table.head_rows;
    xml::table_start(out, &widths);
    for (index, cells) in table.rows.into_iter().enumerate() {
        let header = index < head_rows;
        xml::row_start(out, header);
        let filled = cells.len();
        for (column, cell) in cells.into_iter().enumerate().take(columns) {
            let key = key_value && column == 0;
            let mut paragraph = cell.paragraph;
            paragraph.style = Some((if header || key { heading_style } else { text_style }).to_owned());
            let fill = if header {
                Some(HEADER_FILL)
            } else if key {
                Some(KEY_FILL)
            } else {
                None
            };
            xml::cell(out, widths[column], fill, &paragraph);
        }
        // A short row gets empty cells, so the grid stays whole.
        for width in widths.iter().skip(filled) {
            xml::cell(out, *width, None, &Paragraph::styled(text_style));
        }
        out.push_str(xml::ROW_END);
    }
    out.push_str(xml::TABLE_END);
}

/// The width of each column, summing to `total`: each column gets at least its longest
/// word, and what is left goes to the columns in proportion to how much more their
/// longest cell would like.
pub(super) fn column_widths(rows: &[Vec<Cell>], columns: usize, total: usize, size: Size) -> Vec<usize> {
    let (least, mut most) = bounds(rows, columns, size);
    for column in 0..columns {
        most[column] = most[column].max(least[column]);
    }
    let (sum_least, sum_most): (usize, usize) = (least.iter().sum(), most.iter().sum());
    let mut widths: Vec<usize> = if sum_most <= total {
        // Everything fits on one line: share the width in proportion to the content.
        most.iter().map(|m| m * total / sum_most.max(1)).collect()
    } else if sum_least >= total {
        // Even the words do not fit: the widest columns give way (their longest words
        // will break), so narrow columns ("Mean", "Goal") keep theirs whole.
        capped(&least, total)
    } else {
        let spare = total - sum_least;
        let wanted = (sum_most - sum_least).max(1);
        least.iter().zip(&most).map(|(l, m)| l + (m - l) * spare / wanted).collect()
    };
    // Rounding leaves a few twips: the last column takes them.
    let sum: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total.saturating_sub(sum);
    }
    widths
}

/// `widths` with every width above some cap cut down to it, the cap chosen so the sum
/// is at most `total` (found by halving: widths are at most a few thousand).
fn capped(widths: &[usize], total: usize) -> Vec<usize> {
    let sum_at = |cap: usize| widths.iter().map(|w| (*w).min(cap)).sum::<usize>();
    let (mut low, mut high) = (0, widths.iter().copied().max().unwrap_or(0));
    while low < high {
        let middle = (low + high).div_ceil(2);
        if sum_at(middle) <= total { low = middle } else { high = middle - 1 }
    }
    widths.iter().map(|w| (*w).min(low)).collect()
}

/// What each column needs at least (its longest word) and at most (its longest cell).
fn bounds(rows: &[Vec<Cell>], columns: usize, size: Size) -> (Vec<usize>, Vec<usize>) {
    let mut least = vec![CELL_PADDING; columns];
    let mut most = vec![CELL_PADDING; columns];
    for row in rows {
        for (column, cell) in row.iter().enumerate().take(columns) {
            let word = cell.text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            let length = cell.text.chars().count();
            // One character to spare: a bold heading in a wider fallback font still fits.
            least[column] = least[column].max((word.min(LONGEST_WORD) + 1) * size.word_character + CELL_PADDING);
            most[column] = most[column].max(length * size.character + CELL_PADDING);
        }
    }
    (least, most)
}

/// The width the longest words of the columns need side by side.
fn least_width(rows: &[Vec<Cell>], columns: usize, size: Size) -> usize {
    bounds(rows, columns, size).0.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Cell {
        Cell { paragraph: Paragraph::default(), text: text.to_owned() }
    }

    #[test]
    fn columns_get_their_longest_word_and_share_the_rest_by_content() {
        let rows = vec![
            vec![cell("ID"), cell("Process"), cell("A long description of what the process does, in many words")],
            vec![cell("SLM"), cell("Management"), cell("More words that wrap")],
        ];
        let widths = column_widths(&rows, 3, TEXT_WIDTH, NORMAL);
        assert_eq!(widths.iter().sum::<usize>(), TEXT_WIDTH);
        assert!(widths[1] >= ("Management".len() + 1) * NORMAL.word_character + CELL_PADDING, "{widths:?}");
        assert!(widths[0] < widths[1] && widths[1] < widths[2], "{widths:?}");
    }

    #[test]
    fn when_words_do_not_fit_the_widest_columns_give_way() {
        assert_eq!(capped(&[500, 2000, 3000], 4000), vec![500, 1750, 1750]);
        let rows = vec![vec![cell("Mean"), cell(&"Accountability ".repeat(3)), cell("Responsibilities")]];
        let widths = column_widths(&rows, 3, 2500, NORMAL);
        assert_eq!(widths.iter().sum::<usize>(), 2500);
        assert_eq!(widths[0], 5 * NORMAL.word_character + CELL_PADDING, "{widths:?}");
    }

    #[test]
    fn a_table_that_fits_is_shared_by_content_and_an_empty_one_evenly() {
        let widths = column_widths(&[vec![cell("a"), cell("bbbb")]], 2, 1000, NORMAL);
        assert_eq!(widths.iter().sum::<usize>(), 1000);
        assert_eq!(column_widths(&[], 4, 1000, NORMAL), vec![250, 250, 250, 250]);
    }
}
