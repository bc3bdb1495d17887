//! The visible placeholder for a fact the config does not give: `[TO BE COMPLETED: …]`.
//!
//! Rendering writes placeholders and coverage, `check`, `todo` and the site count or
//! mark them, so the marker lives below all of them rather than inside any one.
//!
//! A placeholder for a fact that has a home in the config is *tagged* while a document
//! renders: an invisible prefix names the config key (section, entity id, key). Once
//! the document is rendered, [`untag`] removes the tags and reports every placeholder
//! with its line and, where it has one, its home, which is how `fitsm-pack todo` knows
//! which key fills which placeholders. The tag characters are Unicode non-characters
//! reserved for internal use, which the pack's one character rule keeps out of every
//! text from outside (`text::is_forbidden`), so a tag cannot be forged or leak.

/// How every placeholder begins.
pub const PREFIX: &str = "[TO BE COMPLETED: ";

const TAG_START: char = '\u{fdd0}';
const TAG_SEPARATOR: char = '\u{fdd1}';
const TAG_END: char = '\u{fdd2}';

/// A placeholder asking for `what` (already escaped for where it lands).
pub fn placeholder(what: &str) -> String {
    format!("{PREFIX}{}]", what.replace(']', ""))
}

/// Where in the config a fact lives: the top-level table, the entity's id when the
/// table is an array of tables, and the dotted key inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Home {
    pub section: String,
    pub id: Option<String>,
    pub key: String,
}

/// A placeholder for the fact at `home`, tagged so [`untag`] can tell where it belongs.
pub fn tagged(home: &Home, what: &str) -> String {
    let clean = |text: &str| text.replace([TAG_START, TAG_SEPARATOR, TAG_END], "");
    format!(
        "{TAG_START}{}{TAG_SEPARATOR}{}{TAG_SEPARATOR}{}{TAG_END}{}",
        clean(&home.section),
        clean(home.id.as_deref().unwrap_or("")),
        clean(&home.key),
        placeholder(what)
    )
}

/// One placeholder of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based line in the document.
    pub line: usize,
    /// What the placeholder asks for, as the reader sees it.
    pub prompt: String,
    /// The config key that fills it; `None` when only the document can answer.
    pub home: Option<Home>,
}

/// The text without tags, and every placeholder in it.
pub fn untag(text: &str) -> (String, Vec<Found>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut line = 1;
    let mut rest = text;
    loop {
        let next_tag = rest.find(TAG_START);
        let next_plain = rest.find(PREFIX);
        let (at, tagged) = match (next_tag, next_plain) {
            (Some(tag), Some(plain)) if tag < plain => (tag, true),
            (Some(tag), None) => (tag, true),
            (_, Some(plain)) => (plain, false),
            (None, None) => break,
        };
        let before = &rest[..at];
        line += before.matches('\n').count();
        out.push_str(before);
        rest = &rest[at..];
        let mut home = None;
        if tagged {
            let body = &rest[TAG_START.len_utf8()..];
            let Some(end) = body.find(TAG_END) else {
                rest = body;
                continue;
            };
            let mut parts = body[..end].split(TAG_SEPARATOR);
            let (section, id, key) = (parts.next(), parts.next(), parts.next());
            home = Some(Home {
                section: section.unwrap_or_default().to_owned(),
                id: id.filter(|id| !id.is_empty()).map(str::to_owned),
                key: key.unwrap_or_default().to_owned(),
            });
            rest = &body[end + TAG_END.len_utf8()..];
            if !rest.starts_with(PREFIX) {
                continue;
            }
        }
        let after_prefix = &rest[PREFIX.len()..];
        let end = after_prefix.find(']').unwrap_or(after_prefix.len());
        let prompt = after_prefix[..end].to_owned();
        let whole = PREFIX.len() + (end + 1).min(after_prefix.len());
        found.push(Found { line, prompt, home });
        out.push_str(&rest[..whole]);
        line += rest[..whole].matches('\n').count();
        rest = &rest[whole..];
    }
    out.push_str(rest);
    (out, found)
}

/// How many placeholders a text still holds.
pub fn count(text: &str) -> usize {
    text.matches(PREFIX).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_counted_once() {
        let text = format!("a {} b {}", placeholder("the owner"), placeholder("a [nested] date"));
        assert_eq!(count(&text), 2);
        assert!(text.contains("[TO BE COMPLETED: a [nested date]"), "a `]` would end it early: {text}");
    }

    #[test]
    fn untag_reports_homes_and_lines_and_leaves_plain_text() {
        let home = Home { section: "services".into(), id: Some("hpc".into()), key: "recovery_time".into() };
        let text =
            format!("# T\n\nRTO: {}\n\n| a | {} |\n", tagged(&home, "recovery time"), placeholder("utilisation"));
        let (clean, found) = untag(&text);
        assert_eq!(clean, "# T\n\nRTO: [TO BE COMPLETED: recovery time]\n\n| a | [TO BE COMPLETED: utilisation] |\n");
        assert_eq!(
            found,
            vec![
                Found { line: 3, prompt: "recovery time".into(), home: Some(home) },
                Found { line: 5, prompt: "utilisation".into(), home: None },
            ]
        );
        assert_eq!(found.len(), count(&clean));
    }

    #[test]
    fn a_pack_level_home_has_no_id() {
        let home = Home { section: "tools".into(), id: None, key: "cmdb".into() };
        let (_, found) = untag(&tagged(&home, "CMDB tool"));
        assert_eq!(found[0].home, Some(home));
    }
}
