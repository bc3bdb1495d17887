//! The one rule for characters that may appear in the pack's text.
//!
//! Config strings and hand-edited Markdown end up in Markdown, YAML front matter, HTML,
//! SVG and the XML parts of Word files. XML 1.0 cannot hold most C0 control characters
//! at all (a single U+0007 makes a `.docx` unreadable), YAML and terminals misbehave on
//! them, and none of them means anything in a document. So every output format uses the
//! same predicate, [`is_forbidden`], and the same cleaning, [`clean`]: config strings are
//! cleaned once when the config is loaded, and the Markdown and XML escapes apply the
//! rule again so that text typed into a document by hand is covered too.
//!
//! Forbidden: U+0000–U+001F except tab, line feed and carriage return; U+007F–U+009F
//! (DEL and the C1 controls, which terminals interpret); the non-characters U+FFFE and
//! U+FFFF (not allowed in XML). Carriage returns are not forbidden here because they
//! are line endings; [`clean`] turns them into line feeds.

use std::borrow::Cow;

/// Whether `c` must never appear in the pack's text.
pub fn is_forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// `text` without forbidden characters, with CRLF and lone CR line endings made LF.
/// Borrows when there is nothing to change, which is almost always.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\r' || is_forbidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for XML character data and attribute values (SVG, Word parts);
/// characters XML cannot hold are dropped by the pack-wide rule
/// ([`is_forbidden`]), so text typed into a document by hand is covered too.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_escaped(&mut out, text);
    out
}

/// [`xml_escape`] onto the end of `out`, for writers that build a whole part.
pub fn push_xml_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_go_line_structure_stays() {
        assert_eq!(clean("Ac\u{7}me\u{0} Ltd"), "Acme Ltd");
        assert_eq!(clean("a\r\nb\rc\nd\te"), "a\nb\nc\nd\te");
        assert_eq!(clean("x\u{7f}\u{9b}y\u{fffe}\u{ffff}"), "xy");
        assert!(matches!(clean("plain text, ünïcødé, 🦀"), Cow::Borrowed(_)));
    }

    #[test]
    fn nothing_forbidden_is_valid_in_xml() {
        // XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
        let xml_char = |c: char| matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..);
        for code in 0..=0x10FFFF_u32 {
            if let Some(c) = char::from_u32(code) {
                assert!(is_forbidden(c) || xml_char(c), "U+{code:04X} is allowed but not XML");
            }
        }
    }
}
