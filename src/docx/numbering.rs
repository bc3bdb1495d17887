//! List numbering (`word/numbering.xml`): one abstract numbering per kind of list
//! (bullets, numbers), and one numbering instance per list, so every list starts again
//! at 1 instead of running on from the list before it.
//!
//! Written as XML rather than through docx-rs because docx-rs always adds a decimal
//! abstract numbering and instance with id 1 of its own, which took the place of our
//! bullets (bullet lists came out numbered).

/// The kind of a Markdown list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListKind {
    Bullet,
    Ordered,
}

impl ListKind {
    /// The abstract numbering of the kind: one per kind.
    fn abstract_id(self) -> usize {
        match self {
            ListKind::Bullet => 1,
            ListKind::Ordered => 2,
        }
    }
}

/// One list of the document: a `w:num` of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListInstance {
    pub(super) kind: ListKind,
    /// The nesting level the list starts at (a list nested in a list of the other kind).
    pub(super) level: usize,
    /// The first number (`3.` in Markdown starts at 3).
    pub(super) start: u64,
}

/// Word knows nine levels.
const LEVELS: usize = 9;

/// Bullet glyphs by level, with the font that has them on every Word and LibreOffice:
/// the classic Word set (disc, circle, square).
const BULLETS: [(&str, &str); 3] = [("•", "Calibri"), ("o", "Courier New"), ("▪", "Calibri")];

fn indent(level: usize) -> String {
    format!("<w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr>", 360 * (level + 1))
}

fn bullet_levels() -> String {
    (0..LEVELS)
        .map(|level| {
            let (glyph, font) = BULLETS[level % BULLETS.len()];
            format!(
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/>\
                 <w:lvlText w:val=\"{glyph}\"/><w:lvlJc w:val=\"left\"/>{}\
                 <w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:cs=\"{font}\" w:hint=\"default\"/></w:rPr></w:lvl>",
                indent(level)
            )
        })
        .collect()
}

fn ordered_levels() -> String {
    const FORMATS: [&str; 3] = ["decimal", "lowerLetter", "lowerRoman"];
    (0..LEVELS)
        .map(|level| {
            format!(
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{}\"/>\
                 <w:lvlText w:val=\"%{}.\"/><w:lvlJc w:val=\"left\"/>{}</w:lvl>",
                FORMATS[level % FORMATS.len()],
                level + 1,
                indent(level)
            )
        })
        .collect()
}

/// `word/numbering.xml` for the lists of one document, in order: list `n` (from 0) is
/// `w:numId` `n + 1`.
pub(super) fn numbering_xml(lists: &[ListInstance]) -> String {
    let abstracts = format!(
        "<w:abstractNum w:abstractNumId=\"{}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"{}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>",
        ListKind::Bullet.abstract_id(),
        bullet_levels(),
        ListKind::Ordered.abstract_id(),
        ordered_levels()
    );
    let instances: String = lists
        .iter()
        .enumerate()
        .map(|(index, list)| {
            // The override makes the instance start afresh even where a reader would
            // otherwise continue the abstract numbering's count (LibreOffice does).
            format!(
                "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{}\"/>\
                 <w:lvlOverride w:ilvl=\"{}\"><w:startOverride w:val=\"{}\"/></w:lvlOverride></w:num>",
                index + 1,
                list.kind.abstract_id(),
                list.level.min(LEVELS - 1),
                list.start
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">{abstracts}{instances}</w:numbering>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_abstract_per_kind_and_one_instance_per_list() {
        let lists = [
            ListInstance { kind: ListKind::Bullet, level: 0, start: 1 },
            ListInstance { kind: ListKind::Ordered, level: 0, start: 1 },
            ListInstance { kind: ListKind::Ordered, level: 1, start: 3 },
        ];
        let xml = numbering_xml(&lists);
        assert!(roxmltree::Document::parse(&xml).is_ok());
        assert_eq!(xml.matches("<w:abstractNum ").count(), 2);
        assert_eq!(xml.matches("<w:num ").count(), 3);
        assert!(xml.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"1\"><w:startOverride w:val=\"3\"/>"));
        assert!(xml.contains("<w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/>"));
    }
}
