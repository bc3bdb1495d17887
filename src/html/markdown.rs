//! Markdown → HTML for one page, with the transforms the site needs applied as event
//! adapters (the zola pattern), in one stream from the parser to the HTML: heading anchors and a table of contents, `.md` links
//! rewritten to `.html`, key/value tables (a blank header row, as GFM needs one) shown
//! as a header column instead, bare URLs and e-mail addresses made links (as GitHub
//! does), tables in a labelled region that scrolls and takes keyboard focus, and raw
//! HTML and unsafe link schemes neutralised.
//!
//! Raw HTML is shown as text rather than passed through: the pack is read by customers
//! and auditors, and no edit to a Markdown file should be able to put a live script in
//! the site.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// One heading of the page, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Text of the first level-1 heading, if any.
    pub title: Option<String>,
    /// Every local link target (`path.html#anchor`), for link checking in tests.
    pub links: Vec<String>,
    /// The page's text by section, for the search index.
    pub sections: Vec<Section>,
}

/// The plain text of one section of a page: from a heading to the next heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Anchor of the heading; `None` for text before the first heading.
    pub anchor: Option<String>,
    pub heading: String,
    /// The section's words, whitespace collapsed.
    pub text: String,
    /// The FitSM requirements the section says it addresses (its marker line), so
    /// search can put the sections that answer a requirement before those that only
    /// mention it.
    pub requirements: Vec<String>,
}

/// One paragraph of Markdown as inline HTML (no `<p>` around it), with the same
/// safety rules as a page: raw HTML is shown as text, unsafe links are not links.
pub fn render_inline(markdown: &str) -> String {
    let html = render(markdown).html;
    let html = html.trim();
    html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")).unwrap_or(html).to_owned()
}

/// The Markdown dialect of the pack (see [`crate::document::markdown_options`]).
pub fn options() -> Options {
    crate::document::markdown_options()
}

pub fn render(markdown: &str) -> Page {
    // One pass, event by event, from the parser to the HTML: a whole-pack page of a
    // pack with thousands of services is megabytes of Markdown and millions of events,
    // and a list of them between each step held several hundred MB at once. Each step
    // holds only what it must look at together (a heading, a table's head, a
    // key/value table).
    let mut headings = Headings::default();
    let mut link_depth = 0usize;
    let finder = link_finder();
    let mut regions = TableRegions::default();
    let mut sections = Sections::default();
    let mut links = Vec::new();
    let events = Parser::new_ext(markdown, options()).map(neutralise_html).map(rewrite_link);
    let events = Stage::new(events, join_text);
    let events = Stage::new(events, |event, _: &mut _, ready: &mut Ready<'_>| mark_placeholders(event, ready));
    let events = Stage::new(events, |event, _: &mut _, ready: &mut Ready<'_>| {
        autolink(event, (&finder, &mut link_depth), ready)
    });
    let events = Stage::new(events, |event, input: &mut _, ready: &mut Ready<'_>| headings.anchor(event, input, ready));
    let events = Stage::new(events, |event, _: &mut _, ready: &mut Ready<'_>| regions.wrap(event, ready));
    // The links and the text are read here, before tables are folded into HTML.
    let events = events.inspect(|event| {
        if let Event::Start(Tag::Link { dest_url, .. }) = event
            && is_local(dest_url)
        {
            links.push(dest_url.to_string());
        }
        sections.read(event);
    });
    let events = Stage::new(events, key_value_table);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    let Headings { toc, title, .. } = headings;
    Page { html: out, toc, title, links, sections: sections.finish() }
}

/// Events a [`Stage`] has made and not yet handed on.
type Ready<'a> = std::collections::VecDeque<Event<'a>>;

/// One step of [`render`] as an event stream: `step` is given each event in turn,
/// with the stream (to take the events that follow, when it must see several
/// together), and puts what it makes in `ready`, which is empty when it is called.
struct Stage<'a, I, F> {
    input: I,
    step: F,
    ready: Ready<'a>,
}

impl<'a, I, F> Stage<'a, I, F>
where
    I: Iterator<Item = Event<'a>>,
    F: FnMut(Event<'a>, &mut I, &mut Ready<'a>),
{
    fn new(input: I, step: F) -> Self {
        Stage { input, step, ready: Ready::new() }
    }
}

impl<'a, I, F> Iterator for Stage<'a, I, F>
where
    I: Iterator<Item = Event<'a>>,
    F: FnMut(Event<'a>, &mut I, &mut Ready<'a>),
{
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            let event = self.input.next()?;
            (self.step)(event, &mut self.input, &mut self.ready);
        }
    }
}

/// The page's text cut at its headings, read from the events as they will be shown
/// (so the anchors are the page's own, and neutralised HTML reads as the text it
/// shows).
struct Sections {
    sections: Vec<Section>,
    in_heading: bool,
    /// Where the current paragraph starts in its section's text, to read marker lines.
    paragraph_start: usize,
}

impl Default for Sections {
    fn default() -> Self {
        Sections { sections: vec![Section::default()], in_heading: false, paragraph_start: 0 }
    }
}

impl Sections {
    fn read(&mut self, event: &Event<'_>) {
        if let Event::Start(Tag::Heading { id, .. }) = event {
            self.sections.push(Section { anchor: id.as_ref().map(|id| id.to_string()), ..Section::default() });
            self.in_heading = true;
            return;
        }
        let Some(current) = self.sections.last_mut() else { return };
        let target = if self.in_heading { &mut current.heading } else { &mut current.text };
        match event {
            Event::Start(Tag::Paragraph) => self.paragraph_start = current.text.len(),
            Event::End(TagEnd::Paragraph) => {
                let ids = crate::outline::marker_ids(&current.text[self.paragraph_start..]);
                current.requirements.extend(ids);
                push_words(&mut current.text, " ");
            }
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::Text(text) | Event::Code(text) => push_words(target, text),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock) => {
                push_words(target, " ")
            }
            _ => {}
        }
    }

    fn finish(self) -> Vec<Section> {
        let mut sections = self.sections;
        for section in &mut sections {
            section.text.truncate(section.text.trim_end().len());
            section.heading.truncate(section.heading.trim_end().len());
        }
        sections.retain(|s| s.anchor.is_some() || !s.text.is_empty());
        sections
    }
}

/// Appends `text` with every run of whitespace as one space.
fn push_words(target: &mut String, text: &str) {
    for (index, word) in text.split(char::is_whitespace).enumerate() {
        if index > 0 && !target.is_empty() && !target.ends_with(' ') {
            target.push(' ');
        }
        target.push_str(word);
    }
}

/// A table whose header row is blank (`| | |`, the only way GFM has to write a table of
/// keys and values) becomes a table without a header row whose first cell in each row
/// is the row's header (`<th scope="row">`): empty header cells say nothing to a screen
/// reader, and the keys are what the reader looks along. Other tables pass unchanged.
/// The cells' contents are rendered like everything else (links, emphasis); only the
/// table's frame is written here, after raw HTML is already neutralised. A table's
/// head is read before any of it is handed on; a key/value table is read whole.
fn key_value_table<'a>(event: Event<'a>, input: &mut impl Iterator<Item = Event<'a>>, ready: &mut Ready<'a>) {
    if !matches!(event, Event::Start(Tag::Table(_))) {
        ready.push_back(event);
        return;
    }
    ready.push_back(event);
    let head_end = loop {
        let Some(event) = input.next() else { return };
        let end = matches!(event, Event::End(TagEnd::TableHead));
        ready.push_back(event);
        if end {
            break ready.len() - 1;
        }
    };
    let blank = ready
        .range(1..head_end)
        .all(|e| matches!(e, Event::Start(Tag::TableHead | Tag::TableCell) | Event::End(TagEnd::TableCell)));
    if !blank {
        return;
    }
    loop {
        let Some(event) = input.next() else { return };
        if matches!(event, Event::End(TagEnd::Table)) {
            break;
        }
        ready.push_back(event);
    }
    let mut html = String::from("<table class=\"key-value\">\n<tbody>\n");
    let mut cell: Vec<Event<'_>> = Vec::new();
    let mut column = 0;
    let mut in_head = false;
    for event in ready.drain(..).skip(1) {
        match event {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            _ if in_head => {}
            Event::Start(Tag::TableRow) => {
                html.push_str("<tr>");
                column = 0;
            }
            Event::End(TagEnd::TableRow) => html.push_str("</tr>\n"),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => {
                let (open, close) = if column == 0 { ("<th scope=\"row\">", "</th>") } else { ("<td>", "</td>") };
                html.push_str(open);
                html::push_html(&mut html, cell.drain(..));
                html.push_str(close);
                column += 1;
            }
            other => cell.push(other),
        }
    }
    html.push_str("</tbody>\n</table>\n");
    ready.push_back(Event::Html(html.into()));
}

/// Adjacent text events as one: the parser hands brackets, `@` and the like over as
/// separate events, and placeholders and URLs are found across them.
fn join_text<'a>(event: Event<'a>, input: &mut impl Iterator<Item = Event<'a>>, ready: &mut Ready<'a>) {
    let Event::Text(mut text) = event else {
        ready.push_back(event);
        return;
    };
    for next in input.by_ref() {
        match next {
            Event::Text(more) => text = format!("{text}{more}").into(),
            other => {
                ready.push_back(Event::Text(text));
                ready.push_back(other);
                return;
            }
        }
    }
    ready.push_back(Event::Text(text));
}

/// `[TO BE COMPLETED: …]` as `<mark class="placeholder">`, so what is still open stands
/// out on the page; the placeholder's own text stays escaped text.
fn mark_placeholders<'a>(event: Event<'a>, ready: &mut Ready<'a>) {
    let Event::Text(text) = &event else {
        ready.push_back(event);
        return;
    };
    if !text.contains(crate::placeholder::PREFIX) {
        ready.push_back(event);
        return;
    }
    let mut rest: &str = text;
    while let Some(start) = rest.find(crate::placeholder::PREFIX) {
        let Some(length) = rest[start..].find(']').map(|end| end + 1) else { break };
        if start > 0 {
            ready.push_back(Event::Text(rest[..start].to_owned().into()));
        }
        ready.push_back(Event::Html("<mark class=\"placeholder\">".into()));
        ready.push_back(Event::Text(rest[start..start + length].to_owned().into()));
        ready.push_back(Event::Html("</mark>".into()));
        rest = &rest[start + length..];
    }
    if !rest.is_empty() {
        ready.push_back(Event::Text(rest.to_owned().into()));
    }
}

/// What finds bare URLs and addresses for [`autolink`].
fn link_finder() -> linkify::LinkFinder {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
}

/// Bare `https://…`, `www.…` and e-mail addresses in the text become links, as GitHub
/// shows them (GFM's autolink extension, which pulldown-cmark does not have). Text
/// already inside a link (`link_depth` deep) stays as it is; only http(s) and mailto
/// targets are made.
fn autolink<'a>(event: Event<'a>, (finder, link_depth): (&linkify::LinkFinder, &mut usize), ready: &mut Ready<'a>) {
    match &event {
        Event::Start(Tag::Link { .. }) => *link_depth += 1,
        Event::End(TagEnd::Link) => *link_depth = link_depth.saturating_sub(1),
        _ => {}
    }
    let Event::Text(text) = &event else {
        ready.push_back(event);
        return;
    };
    if *link_depth > 0 || !text.contains('.') {
        ready.push_back(event);
        return;
    }
    for span in finder.spans(text) {
        let target = span.kind().and_then(|kind| link_target(kind, span.as_str()));
        match target {
            Some(target) => {
                ready.push_back(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Autolink,
                    dest_url: target.into(),
                    title: CowStr::Borrowed(""),
                    id: CowStr::Borrowed(""),
                }));
                ready.push_back(Event::Text(span.as_str().to_owned().into()));
                ready.push_back(Event::End(TagEnd::Link));
            }
            None => ready.push_back(Event::Text(span.as_str().to_owned().into())),
        }
    }
}

/// Where a bare URL or address found in the text should point, if it is one the site
/// links (http, https, mail).
fn link_target(kind: &linkify::LinkKind, found: &str) -> Option<String> {
    match kind {
        linkify::LinkKind::Email => Some(format!("mailto:{found}")),
        linkify::LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            if lower.starts_with("https://") || lower.starts_with("http://") {
                Some(found.to_owned())
            } else if lower.starts_with("www.") {
                Some(format!("https://{found}"))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Every table inside `<div class="table-wrap" role="region" tabindex="0">`, labelled
/// with the section it stands in: on a narrow screen the region scrolls sideways, and a
/// keyboard user can reach it and scroll it (a scrolling region nobody can focus is a
/// serious accessibility fault).
#[derive(Default)]
struct TableRegions {
    /// The text of the last heading.
    section: String,
    in_heading: bool,
    /// Labels are unique on the page: two sections may share a heading, a section may
    /// hold several tables.
    labels: std::collections::HashMap<String, usize>,
}

impl TableRegions {
    fn wrap<'a>(&mut self, event: Event<'a>, ready: &mut Ready<'a>) {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                self.section.clear();
            }
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::Text(text) | Event::Code(text) if self.in_heading => self.section.push_str(text),
            Event::Start(Tag::Table(_)) => {
                let section = &self.section;
                let mut label = if section.is_empty() { "Table".to_owned() } else { format!("Table: {section}") };
                let seen = self.labels.entry(label.clone()).or_default();
                *seen += 1;
                if *seen > 1 {
                    label.push_str(&format!(" ({seen})"));
                }
                let mut open = String::from("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"");
                pulldown_cmark_escape::escape_html(&mut open, &label).ok();
                open.push_str("\">\n");
                ready.push_back(Event::Html(open.into()));
            }
            Event::End(TagEnd::Table) => {
                ready.push_back(event);
                ready.push_back(Event::Html("</div>\n".into()));
                return;
            }
            _ => {}
        }
        ready.push_back(event);
    }
}

fn neutralise_html(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    }
}

/// `.md` targets become `.html`; schemes other than http(s) and mailto are dropped.
fn rewrite_link(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_target(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_target(dest_url), title, id })
        }
        other => other,
    }
}

/// A link or image target fit for the site. Anything with a scheme other than http(s)
/// and mailto is dropped (a colon before the first `/`, `?` or `#` is a scheme to a
/// browser, whatever else it looks like); a local `.md` target becomes `.html`, keeping
/// its query and fragment. Local targets are otherwise left as written: they are
/// relative, so they cannot leave the site or run anything.
fn safe_target(target: CowStr<'_>) -> CowStr<'_> {
    match crate::document::retarget_link(&target, "html") {
        Some(retargeted) if retargeted == *target => target,
        Some(retargeted) => CowStr::from(retargeted),
        None => CowStr::Borrowed(""),
    }
}

fn is_local(target: &str) -> bool {
    !target.is_empty() && !target.contains(':')
}

/// Gives every heading an id (GitHub-style slug, made unique) and collects the table
/// of contents from levels 2 and 3.
#[derive(Default)]
struct Headings {
    toc: Vec<TocEntry>,
    /// Text of the first level-1 heading.
    title: Option<String>,
    anchors: crate::outline::Anchors,
}

impl Headings {
    /// A heading is read to its end before it is handed on: its id comes from its text.
    fn anchor<'a>(&mut self, event: Event<'a>, input: &mut impl Iterator<Item = Event<'a>>, ready: &mut Ready<'a>) {
        let Event::Start(Tag::Heading { level, classes, attrs, .. }) = event else {
            ready.push_back(event);
            return;
        };
        let mut text = String::new();
        let mut inside = Vec::new();
        for event in input.by_ref() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if let Event::Text(t) | Event::Code(t) = &event
                && !end
            {
                text.push_str(t);
            }
            inside.push(event);
            if end {
                break;
            }
        }
        let id = self.anchors.next(&text);
        if level == HeadingLevel::H1 && self.title.is_none() {
            self.title = Some(text.clone());
        }
        if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
            self.toc.push(TocEntry { level: level as u8, id: id.clone(), text });
        }
        ready.push_back(Event::Start(Tag::Heading { level, id: Some(CowStr::from(id)), classes, attrs }));
        ready.extend(inside);
    }
}

pub use crate::outline::slug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_tables_have_a_header_column_and_no_empty_header_cells() {
        let page = render(
            "| | |\n|---|---|\n| Owner | [Ann](a.md) *lead* |\n| Hours | 8–17 <b> |\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(page.html.contains(
            "<table class=\"key-value\">\n<tbody>\n<tr><th scope=\"row\">Owner</th><td><a href=\"a.html\">Ann</a> <em>lead</em></td></tr>\n"
        ), "{}", page.html);
        assert!(page.html.contains("<td>8–17 &lt;b&gt;</td>"), "raw HTML stays text: {}", page.html);
        assert!(!page.html.contains("<th></th>"), "{}", page.html);
        assert!(
            page.html.contains("<thead><tr><th>A</th><th>B</th></tr></thead>"),
            "other tables keep their header: {}",
            page.html
        );
        assert_eq!(page.links, ["a.html"]);
    }

    #[test]
    fn placeholders_are_marked_and_stay_text() {
        let page = render("Owner: [TO BE COMPLETED: name of the <owner>] and [TO BE COMPLETED: date].\n");
        assert!(
            page.html.contains(
                "Owner: <mark class=\"placeholder\">[TO BE COMPLETED: name of the &lt;owner&gt;]</mark> and <mark class=\"placeholder\">[TO BE COMPLETED: date]</mark>."
            ),
            "{}",
            page.html
        );
        let table = render("| A | B |\n|---|---|\n| x | [TO BE COMPLETED: y] |\n");
        assert!(
            table.html.contains("<td><mark class=\"placeholder\">[TO BE COMPLETED: y]</mark></td>"),
            "{}",
            table.html
        );
    }

    #[test]
    fn bare_urls_and_addresses_become_links_but_links_stay_links() {
        let page = render(
            "Write to desk@example.org or see https://example.org/help. [www.x.org](https://y.org) \
             and www.z.org, not javascript://x or `https://code.org`.\n",
        );
        assert!(page.html.contains("<a href=\"mailto:desk@example.org\">desk@example.org</a>"), "{}", page.html);
        assert!(
            page.html.contains("<a href=\"https://example.org/help\">https://example.org/help</a>."),
            "{}",
            page.html
        );
        assert!(page.html.contains("<a href=\"https://y.org\">www.x.org</a>"), "{}", page.html);
        assert!(page.html.contains("<a href=\"https://www.z.org\">www.z.org</a>"), "{}", page.html);
        assert!(!page.html.contains("href=\"javascript"), "{}", page.html);
        assert!(page.html.contains("<code>https://code.org</code>"), "{}", page.html);
    }

    #[test]
    fn sections_hold_the_text_under_each_heading_with_its_anchor() {
        let page = render(
            "Intro  text.\n\n# Title\n\n## 1. Scope & aims\n\nSee\n`PR9.3` and *escalation*.\n\n| A | B |\n|---|---|\n| x | y |\n",
        );
        let found: Vec<(Option<&str>, &str, &str)> =
            page.sections.iter().map(|s| (s.anchor.as_deref(), s.heading.as_str(), s.text.as_str())).collect();
        assert_eq!(
            found,
            [
                (None, "", "Intro text."),
                (Some("title"), "Title", ""),
                (Some("1-scope-aims"), "1. Scope & aims", "See PR9.3 and escalation. A B x y"),
            ]
        );
        assert!(page.sections.iter().all(|s| s.requirements.is_empty()), "naming an id is not a marker");
    }

    #[test]
    fn sections_know_the_requirements_their_marker_line_names() {
        let page = render(
            "## 1. Purpose\n\n*FitSM requirements: PR9.1, PR9.3*\n\nText that cites FitSM requirements: PR2.1.\n\n## 2. Scope\n\nNone.\n",
        );
        let found: Vec<(&str, Vec<&str>)> = page
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.requirements.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(found, [("1. Purpose", vec!["PR9.1", "PR9.3"]), ("2. Scope", vec![])]);
        assert_eq!(
            page.sections[0].text,
            "FitSM requirements: PR9.1, PR9.3 Text that cites FitSM requirements: PR2.1."
        );
    }

    #[test]
    fn tables_are_focusable_labelled_regions() {
        let page = render("## 1. Parties\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| | |\n|---|---|\n| k | v |\n");
        assert!(
            page.html.contains(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table: 1. Parties\">\n<table>"
            ),
            "{}",
            page.html
        );
        assert!(
            page.html.contains("aria-label=\"Table: 1. Parties (2)\">\n<table class=\"key-value\">"),
            "{}",
            page.html
        );
        assert_eq!(page.html.matches("</table>\n</div>").count(), 2, "{}", page.html);
    }

    #[test]
    fn md_links_become_html_links() {
        let page = render("[SLA](../services/hpc/service-level-agreement.md#targets) and [web](https://x.org/a.md)");
        assert!(page.html.contains("href=\"../services/hpc/service-level-agreement.html#targets\""), "{}", page.html);
        assert!(page.html.contains("href=\"https://x.org/a.md\""), "{}", page.html);
    }

    #[test]
    fn local_targets_keep_their_query_fragment_and_encoding() {
        let page = render("[a](a%20b.md?x=1#y) [b](./javascript:x.md) [c](<c d.md>) [d](%6Aavascript:x.md)");
        assert!(page.html.contains("href=\"a%20b.html?x=1#y\""), "{}", page.html);
        assert!(page.html.contains("href=\"./javascript:x.html\""), "{}", page.html);
        assert!(page.html.contains("href=\"c%20d.html\""), "{}", page.html);
        assert!(!page.html.contains("href=\"javascript"), "{}", page.html);
    }

    #[test]
    fn raw_html_and_script_links_are_not_live() {
        let page =
            render("<script>alert(1)</script>\n\nx <b onclick=\"y\">z</b> [a](javascript:alert(1)) [b](JAVASCRIPT:x)");
        assert!(!page.html.contains("<script"), "{}", page.html);
        assert!(!page.html.contains("<b "), "{}", page.html);
        assert!(!page.html.to_lowercase().contains("javascript:"), "{}", page.html);
    }

    #[test]
    fn headings_get_unique_anchors_and_a_toc() {
        let page = render("# Title\n\n## 1. Purpose\n\n## Scope & aims\n\n### Scope & aims\n");
        assert_eq!(page.title.as_deref(), Some("Title"));
        let ids: Vec<&str> = page.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["1-purpose", "scope-aims", "scope-aims-1"]);
        assert!(page.html.contains("<h2 id=\"1-purpose\">"), "{}", page.html);
    }
}
