//! The one attribution wording that CC BY 4.0 asks for, in the forms each output needs.
//!
//! The words live in one template, `templates/partials/attribution.md` (overridable
//! like any template): the document footer includes it, and the site, the Word footer
//! and the zip's README show this same text, so the pack never states its licence in
//! two ways. Code only changes its form (Markdown, HTML, plain text), never its words.

use crate::templates::TemplateSet;

/// The template that holds the wording.
pub const TEMPLATE: &str = "partials/attribution.md";

/// The wording as Markdown, one paragraph.
pub fn markdown(templates: &TemplateSet) -> String {
    templates.get(TEMPLATE).map(|file| file.text.trim().to_owned()).unwrap_or_default()
}

/// The wording as plain text, for places without links (a Word footer): a link
/// `[text](url)` becomes `text (url)`, an autolink `<url>` its URL, emphasis goes.
pub fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    let mut links = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.into_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop()
                    && !text.ends_with(url.as_str())
                {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(part) | Event::Code(part) => text.push_str(&part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_wording_names_source_licence_and_changes() {
        let words = markdown(&TemplateSet::builtin());
        for needed in ["ITEMO e.V.", "https://creativecommons.org/licenses/by/4.0/", "Changes were made", "endorse"] {
            assert!(words.contains(needed), "the attribution lacks {needed:?}: {words}");
        }
    }

    #[test]
    fn plain_text_keeps_every_address() {
        assert_eq!(
            plain("By *X*, <https://x.example/>, under [CC BY 4.0](https://cc.example/by/4.0/)."),
            "By X, https://x.example/, under CC BY 4.0 (https://cc.example/by/4.0/)."
        );
    }
}
