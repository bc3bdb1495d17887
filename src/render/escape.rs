//! Escaping config strings for Markdown.
//!
//! Config values are data, never markup. Every `{{ value }}` in a Markdown template goes
//! through [`escape_inline`] (installed as Tera's escape function), which guarantees the
//! value stays one piece of plain text wherever it lands: in a paragraph, a heading, a
//! list item or a table cell. Line breaks are folded into spaces (a newline could start a
//! heading, list or table row), characters with inline meaning are backslash-escaped, and
//! line-start markers are neutralised. Multi-paragraph fields use [`escape_block`], which
//! keeps paragraph breaks but escapes each line the same way.
//!
//! We escape as little as keeps structure intact, because people edit the Markdown by
//! hand: `Mon-Fri 08:00-18:00` stays readable, `a | b` becomes `a \| b`.

/// Characters that have inline meaning anywhere in a line (emphasis, code, links, HTML,
/// table cells, strikethrough, escapes themselves).
const ALWAYS: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~'];

/// Characters that only mean something at the start of a line (headings, lists, quotes,
/// setext underlines, thematic breaks).
const AT_LINE_START: &[char] = &['#', '-', '+', '=', '>'];

/// Escapes `text` to one line of literal Markdown text.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let folded = fold_whitespace(text);
    escape_line(folded.trim(), &mut out);
    out
}

/// Escapes multi-paragraph text: blank lines separate paragraphs, single line breaks are
/// kept as soft breaks, every line is escaped as in [`escape_inline`].
pub fn escape_block(text: &str) -> String {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len() + 16);
    for paragraph in normalised.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut first = true;
        for line in paragraph.lines().map(fold_whitespace).filter(|l| !l.trim().is_empty()) {
            if !first {
                out.push('\n');
            }
            first = false;
            escape_line(line.trim(), &mut out);
        }
    }
    out
}

/// Line and paragraph separators and tabs become spaces; characters the pack never
/// holds ([`crate::text::is_forbidden`], the rule every output format shares) are dropped.
fn fold_whitespace(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some(' '),
            c if crate::text::is_forbidden(c) => None,
            c => Some(c),
        })
        .collect()
}

fn escape_line(line: &str, out: &mut String) {
    let mut chars = line.char_indices().peekable();
    // Line-start markers: `# x`, `- x`, `+ x`, `=`, `> x`.
    if let Some(&(_, first)) = chars.peek().filter(|(_, c)| AT_LINE_START.contains(c) && !ALWAYS.contains(c)) {
        out.push('\\');
        out.push(first);
        chars.next();
    }
    // Ordered-list markers: `12. x` or `3) x` at the start.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered_marker = digits > 0 && {
        let after: Vec<char> = line.chars().skip(digits).take(2).collect();
        matches!(after.first(), Some('.' | ')')) && after.get(1).is_none_or(|c| c.is_whitespace())
    };
    for (position, (index, c)) in chars.enumerate() {
        let ends_list_marker = ordered_marker && position == digits;
        if ends_list_marker || ALWAYS.contains(&c) || (c == '&' && starts_entity(&line[index..])) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// `&amp;`, `&#123;`, `&#x1F;`: would be decoded as a character reference.
fn starts_entity(rest: &str) -> bool {
    let body: String = rest.chars().skip(1).take_while(|c| c.is_ascii_alphanumeric() || *c == '#').collect();
    !body.is_empty() && rest[1 + body.len()..].starts_with(';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_readable() {
        assert_eq!(escape_inline("Mon-Fri 08:00-18:00 (CET)"), "Mon-Fri 08:00-18:00 (CET)");
        assert_eq!(escape_inline("R&D computing, 99.5% uptime"), "R&D computing, 99.5% uptime");
    }

    #[test]
    fn structure_characters_are_escaped() {
        assert_eq!(escape_inline("a | b"), "a \\| b");
        assert_eq!(escape_inline("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(escape_inline("# Heading"), "\\# Heading");
        assert_eq!(escape_inline("*bold* and _it_"), "\\*bold\\* and \\_it\\_");
        assert_eq!(escape_inline("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
        assert_eq!(escape_inline("1. first"), "1\\. first");
        assert_eq!(escape_inline("- item"), "\\- item");
        assert_eq!(escape_inline("&amp; &lt;"), "\\&amp; \\&lt;");
    }

    #[test]
    fn newlines_cannot_start_new_blocks() {
        assert_eq!(escape_inline("a\n# b\n---\n| c |"), "a # b --- \\| c \\|");
    }

    #[test]
    fn control_characters_never_reach_the_document() {
        assert_eq!(escape_inline("Ac\u{7}me\u{0} Ltd\u{ffff}"), "Acme Ltd");
        assert_eq!(escape_block("one\u{1b}[31m\n\ntwo\u{7f}"), "one\\[31m\n\ntwo");
    }

    #[test]
    fn blocks_keep_paragraphs_and_escape_each_line() {
        assert_eq!(escape_block("First *one*.\n\n- second\n# third"), "First \\*one\\*.\n\n\\- second\n\\# third");
    }
}

#[cfg(test)]
mod properties {
    //! Whatever a config string contains, once escaped it is plain text: no HTML, no
    //! emphasis, links, headings, lists or code, and a table keeps its shape.

    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::*;

    fn options() -> Options {
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS
    }

    /// Text of a rendered paragraph, or None if the Markdown had any structure besides
    /// one paragraph of plain text.
    fn plain_text(markdown: &str) -> Option<String> {
        let mut text = String::new();
        for event in Parser::new_ext(markdown, options()) {
            match event {
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Text(t) => text.push_str(&t),
                Event::SoftBreak => text.push('\n'),
                _ => return None,
            }
        }
        Some(text)
    }

    fn interesting_string() -> impl Strategy<Value = String> {
        // Markdown-significant characters are over-represented on purpose.
        proptest::collection::vec(
            prop_oneof![
                3 => proptest::char::range(' ', '~'),
                1 => prop_oneof![Just('\n'), Just('\r'), Just('\t'), Just('|'), Just('#'), Just('<'), Just('&'), Just('`'), Just('*'), Just('\\'), Just('-'), Just('1'), Just('.'), Just('['), Just(']'), Just('!')],
                1 => any::<char>(),
            ],
            0..40,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    #[test]
    fn the_oracle_detects_structure() {
        assert!(plain_text("a *b*").is_none());
        assert!(plain_text("# x").is_none());
        assert!(plain_text("a <b>").is_none());
        assert!(plain_text("- x").is_none());
        assert!(plain_text("a\\ b").is_some());
    }

    proptest! {
        #[test]
        fn escaped_inline_text_is_one_plain_paragraph(raw in interesting_string()) {
            let escaped = escape_inline(&raw);
            let markdown = format!("Name: {escaped}\n");
            let text = plain_text(&markdown);
            prop_assert!(text.is_some(), "structure leaked from {raw:?} via {escaped:?}");
        }

        #[test]
        fn escaped_inline_text_at_line_start_is_plain(raw in interesting_string()) {
            let escaped = escape_inline(&raw);
            prop_assume!(!escaped.is_empty());
            prop_assert!(plain_text(&format!("{escaped}\n")).is_some(), "structure leaked from {raw:?} via {escaped:?}");
        }

        #[test]
        fn escaped_text_keeps_a_table_row_at_two_cells(raw in interesting_string()) {
            let escaped = escape_inline(&raw);
            let markdown = format!("| a | b |\n|---|---|\n| {escaped} | x |\n");
            let mut cells_in_body = 0;
            let mut in_body = false;
            for event in Parser::new_ext(&markdown, options()) {
                match event {
                    Event::End(TagEnd::TableHead) => in_body = true,
                    Event::Start(Tag::TableCell) if in_body => cells_in_body += 1,
                    Event::Html(_) | Event::InlineHtml(_) => prop_assert!(false, "html from {raw:?}"),
                    _ => {}
                }
            }
            prop_assert_eq!(cells_in_body, 2, "table broken by {:?} via {:?}", raw, escaped);
        }

        #[test]
        fn escaped_blocks_only_make_paragraphs(raw in interesting_string()) {
            let escaped = escape_block(&raw);
            for event in Parser::new_ext(&escaped, options()) {
                let allowed = matches!(
                    event,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) | Event::Text(_) | Event::SoftBreak
                );
                prop_assert!(allowed, "structure {event:?} from {raw:?} via {escaped:?}");
            }
        }
    }
}
