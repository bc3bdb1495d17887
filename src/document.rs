//! Reading a document as it stands on disk: its front matter (document control) and
//! its Markdown body. The HTML site, `check` and the zip all work from the files people
//! edited, not from what was generated, so they share this parser.

use std::collections::BTreeMap;

/// A Markdown document split into its parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Front matter fields in file order as text (lists are joined with ", ").
    pub fields: Vec<(String, String)>,
    /// The body after the front matter.
    pub body: String,
    /// Set when the front matter exists but is not valid YAML (the body then holds the
    /// whole file, so nothing is hidden).
    pub front_matter_error: Option<String>,
}

impl Document {
    pub fn parse(text: &str) -> Document {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let normalised;
        let text = if text.contains('\r') {
            normalised = text.replace("\r\n", "\n");
            normalised.as_str()
        } else {
            text
        };
        let Some(rest) = text.strip_prefix("---\n") else {
            return Document { body: text.to_owned(), ..Document::default() };
        };
        let (yaml, body) = match rest.find("\n---\n") {
            Some(end) => (&rest[..end], &rest[end + 5..]),
            None if rest.ends_with("\n---") => (&rest[..rest.len() - 4], ""),
            None => return Document { body: text.to_owned(), ..Document::default() },
        };
        match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml) {
            Ok(value) => Document { fields: flatten(&value), body: body.to_owned(), front_matter_error: None },
            Err(error) => {
                Document { fields: Vec::new(), body: text.to_owned(), front_matter_error: Some(error.to_string()) }
            }
        }
    }

    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The notice a document carries wherever it is shown (site, print, Word) until it is
    /// approved: anything else (a draft, in review, retired, no status at all) is not
    /// approved for use. `None` for an approved document.
    pub fn draft_notice(&self) -> Option<String> {
        let status = self.field("status").unwrap_or_default().trim();
        if is_approved(status) {
            return None;
        }
        Some(match status {
            "draft" => "DRAFT · not approved for use".to_owned(),
            "" => "DRAFT · no status · not approved for use".to_owned(),
            status => format!("DRAFT · {status} · not approved for use"),
        })
    }

    /// Fields as a map, for templates.
    pub fn field_map(&self) -> BTreeMap<String, String> {
        self.fields.iter().cloned().collect()
    }
}

/// Whether a `status` means approved for use (any case); every other status,
/// none included, is a draft wherever the document is shown.
pub fn is_approved(status: &str) -> bool {
    status.trim().eq_ignore_ascii_case("approved")
}

/// A readable label for a front-matter key, for document-control tables (site, Word).
pub fn field_label(key: &str) -> String {
    match key {
        "id" => "Document ID".to_owned(),
        "requirements" => "FitSM requirements".to_owned(),
        "effective_date" => "Effective date".to_owned(),
        "next_review" => "Next review".to_owned(),
        other => {
            let spaced = other.replace(['_', '-'], " ");
            let mut chars = spaced.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

fn flatten(value: &serde_yaml_ng::Value) -> Vec<(String, String)> {
    let Some(mapping) = value.as_mapping() else { return Vec::new() };
    mapping.iter().filter_map(|(key, value)| Some((scalar_text(key)?, value_text(value)))).collect()
}

fn scalar_text(value: &serde_yaml_ng::Value) -> Option<String> {
    use serde_yaml_ng::Value;
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(tagged) => scalar_text(&tagged.value),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

fn value_text(value: &serde_yaml_ng::Value) -> String {
    match value {
        serde_yaml_ng::Value::Sequence(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        serde_yaml_ng::Value::Mapping(_) => serde_yaml_ng::to_string(value).unwrap_or_default().trim().to_owned(),
        other => scalar_text(other).unwrap_or_default(),
    }
}

/// The Markdown dialect of the pack, set in one place: the site and Word export read
/// documents with the same options.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Where a link in a document leads once the pack is turned into another format (the
/// site: `html`, Word: `docx`). Web and mail links stay as written; a link to another
/// document (`x.md`, with its `?query` or `#anchor`) points at that document in
/// `extension`; a link with any other scheme (`javascript:`, `file:`, `data:`) leads
/// nowhere (`None`), so no file name or hand edit can make a live script link.
pub fn retarget_link(target: &str, extension: &str) -> Option<String> {
    let lower = target.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return None;
    }
    let has_scheme = lower.split(['/', '#', '?']).next().is_some_and(|first| first.contains(':'));
    if has_scheme {
        let allowed = ["http:", "https:", "mailto:"].iter().any(|scheme| lower.starts_with(scheme));
        return allowed.then(|| target.to_owned());
    }
    let split = target.find(['?', '#']).unwrap_or(target.len());
    let (path, rest) = target.split_at(split);
    Some(match path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{extension}{rest}"),
        None => target.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_document_into_each_format_and_never_run() {
        assert_eq!(retarget_link("../sla.md#scope", "html").as_deref(), Some("../sla.html#scope"));
        assert_eq!(retarget_link("a.md?x=1", "docx").as_deref(), Some("a.docx?x=1"));
        assert_eq!(retarget_link("https://example.org/a.md", "html").as_deref(), Some("https://example.org/a.md"));
        assert_eq!(retarget_link("picture.png", "docx").as_deref(), Some("picture.png"));
        for bad in ["javascript:alert(1)", " JavaScript:x", "file:///etc/passwd", "data:text/html,x", ""] {
            assert_eq!(retarget_link(bad, "html"), None, "{bad}");
        }
    }

    #[test]
    fn splits_front_matter_and_body() {
        let document = Document::parse(
            "---\nid: \"A-1\"\nstatus: approved\nrequirements: [\"GR1.1\", \"PR2.2\"]\n---\n\n# Title\n",
        );
        assert_eq!(document.field("id"), Some("A-1"));
        assert_eq!(document.field("status"), Some("approved"));
        assert_eq!(document.field("requirements"), Some("GR1.1, PR2.2"));
        assert_eq!(document.body, "\n# Title\n");
    }

    #[test]
    fn no_or_broken_front_matter_keeps_everything_in_the_body() {
        assert_eq!(Document::parse("# Title\n").body, "# Title\n");
        let broken = Document::parse("---\nid: [unclosed\n---\n# T\n");
        assert!(broken.front_matter_error.is_some());
        assert!(broken.body.contains("# T"));
    }

    #[test]
    fn crlf_files_parse() {
        let document = Document::parse("---\r\nid: \"A\"\r\n---\r\n# T\r\n");
        assert_eq!(document.field("id"), Some("A"));
    }
}
