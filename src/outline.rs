//! The outline of a document: its headings, the anchor each gets, the sections they
//! span, and which FitSM requirements each section says it addresses.
//!
//! Traceability is kept at the section, in the document itself: a template writes a
//! marker line under a heading (the `addresses` function, which renders
//! `*FitSM requirements: PR9.1, PR9.2*`), so the mapping travels with the section when
//! people move, split or edit it, and `check` reads it from the files on disk just as
//! the build reads it from what it rendered. A marker belongs to the heading above it;
//! the section a heading opens runs to the next heading of the same or a higher level,
//! and its open placeholders are counted over that whole span.
//!
//! Anchors are made here for the site and for Word alike (GitHub style, made unique
//! within the page), so a link `doc.md#anchor` written into the compliance matrix
//! lands on the same heading in every format.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// What a requirement marker line starts with.
pub const MARKER: &str = "FitSM requirements:";

/// One heading and the section it opens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// 1 for `#`, 2 for `##` …
    pub level: u8,
    /// The heading's text, as a reader sees it.
    pub title: String,
    /// The heading's anchor in the site and in Word.
    pub anchor: String,
    /// The requirement ids the section's markers name, in order, each once.
    pub requirements: Vec<String>,
    /// Open `[TO BE COMPLETED: …]` placeholders in the section, subsections included.
    pub placeholders: usize,
}

/// The marker line naming `ids`, as a template writes it under a heading.
pub fn marker(ids: &[String]) -> String {
    format!("*{MARKER} {}*", ids.join(", "))
}

/// Every heading of `markdown` (a document body, front matter removed) with its section.
pub fn sections(markdown: &str) -> Vec<Section> {
    struct Open {
        level: u8,
        start: usize,
        title: String,
        anchor: String,
        requirements: Vec<String>,
    }
    let mut anchors = Anchors::default();
    let mut open: Vec<Open> = Vec::new();
    let mut heading: Option<(u8, usize, String)> = None;
    let mut paragraph: Option<String> = None;
    for (event, range) in Parser::new_ext(markdown, crate::document::markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = heading.take() {
                    let anchor = anchors.next(&title);
                    open.push(Open { level, start, title, anchor, requirements: Vec::new() });
                }
            }
            Event::Start(Tag::Paragraph) if heading.is_none() => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let (Some(text), Some(section)) = (paragraph.take(), open.last_mut()) {
                    for id in marker_ids(&text) {
                        if !section.requirements.contains(&id) {
                            section.requirements.push(id);
                        }
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&text);
                } else if let Some(paragraph) = paragraph.as_mut() {
                    paragraph.push_str(&text);
                }
            }
            _ => {}
        }
    }
    // Each section ends where the next heading of its level or above begins.
    let mut sections = Vec::with_capacity(open.len());
    for (index, section) in open.iter().enumerate() {
        let end = open[index + 1..].iter().find(|next| next.level <= section.level).map_or(markdown.len(), |n| n.start);
        sections.push(Section {
            level: section.level,
            title: section.title.clone(),
            anchor: section.anchor.clone(),
            requirements: section.requirements.clone(),
            placeholders: crate::placeholder::count(&markdown[section.start..end]),
        });
    }
    sections
}

/// The requirement ids a paragraph names, if it is a marker line.
pub(crate) fn marker_ids(paragraph: &str) -> Vec<String> {
    let Some(list) = paragraph.trim().strip_prefix(MARKER) else { return Vec::new() };
    list.split([',', ';', ' '])
        .map(|token| token.trim().trim_end_matches('.'))
        .filter(|token| is_requirement_id(token))
        .map(str::to_owned)
        .collect()
}

/// `GR1.2` or `PR10.4`.
fn is_requirement_id(token: &str) -> bool {
    let Some(rest) = token.strip_prefix("GR").or_else(|| token.strip_prefix("PR")) else { return false };
    let mut parts = rest.split('.');
    let numeric = |part: Option<&str>| part.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none()
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Anchors of one page: GitHub-style slugs, a repeat getting `-1`, `-2` …
#[derive(Debug, Default)]
pub struct Anchors {
    used: HashMap<String, usize>,
}

impl Anchors {
    /// The anchor of the next heading with this text.
    pub fn next(&mut self, heading: &str) -> String {
        let base = slug(heading);
        let count = self.used.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 { base } else { format!("{base}-{}", *count - 1) }
    }
}

/// GitHub-style anchor: lowercase, letters and digits kept, spaces to hyphens.
pub fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c == ' ' || c == '-' || c == '_') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() { "section".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# Title\n\nIntro.\n\n## 1. Purpose\n\n*FitSM requirements: PR9.1, PR9.2*\n\nText [TO BE COMPLETED: x].\n\n### 1.1 Detail\n\n*FitSM requirements: PR9.3*\n\n[TO BE COMPLETED: y]\n\n## 2. Scope\n\nFitSM requirements: PR9.1; GR1.1.\n\n## 2. Scope\n";

    #[test]
    fn markers_belong_to_the_heading_above_and_sections_span_their_subsections() {
        let sections = sections(DOC);
        let summary: Vec<(&str, &str, Vec<&str>, usize)> = sections
            .iter()
            .map(|s| {
                (
                    s.title.as_str(),
                    s.anchor.as_str(),
                    s.requirements.iter().map(String::as_str).collect(),
                    s.placeholders,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Title", "title", vec![], 2),
                ("1. Purpose", "1-purpose", vec!["PR9.1", "PR9.2"], 2),
                ("1.1 Detail", "11-detail", vec!["PR9.3"], 1),
                ("2. Scope", "2-scope", vec!["PR9.1", "GR1.1"], 0),
                ("2. Scope", "2-scope-1", vec![], 0),
            ]
        );
    }

    #[test]
    fn only_marker_lines_and_real_ids_count() {
        assert_eq!(marker_ids("See FitSM requirements: PR9.1"), Vec::<String>::new());
        assert_eq!(marker_ids("FitSM requirements: PR9.1, PR9, XX1.1, PR10.12"), vec!["PR9.1", "PR10.12"]);
        assert_eq!(marker(&["PR1.1".into(), "PR1.2".into()]), "*FitSM requirements: PR1.1, PR1.2*");
    }

    #[test]
    fn a_marker_in_a_code_block_is_not_a_marker() {
        let sections = sections("## A\n\n```\nFitSM requirements: PR1.1\n```\n");
        assert!(sections[0].requirements.is_empty());
    }
}
