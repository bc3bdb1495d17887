//! Config strings are data: markup in names and descriptions is shown as text and never
//! changes a document's structure.

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::project::Project;

const HOSTILE: &str = r##"
[organisation]
name = "<script>alert(1)</script> & Co | Ltd"
description = "# not a heading\n- not a list\n\n<img src=x onerror=alert(2)>"

[[people]]
id = "ann"
name = "Ann *Star* [x](javascript:alert(3))"

[roles]
sms_owner = "ann"

[[services]]
id = "web"
name = "Web | Hosting\n## injected"
description = "Line one\n\n---\ntitle: fake"
owner = "ann"
hours = "24/7 | always `code`"
"##;

#[test]
fn markup_in_config_strings_is_rendered_as_text() {
    let project = Project::new().config(HOSTILE);
    project.run(["build"]).success();
    for document in project.files_below("dist/markdown") {
        let text = project.read(&format!("dist/markdown/{document}"));
        let body = text.split("\n---\n").nth(1).unwrap_or_default();
        for event in Parser::new_ext(body, Options::ENABLE_TABLES) {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => panic!("{document}: raw HTML {html:?}"),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    assert!(!dest_url.starts_with("javascript"), "{document}: live link {dest_url}");
                }
                Event::Start(Tag::Heading { .. }) => {}
                _ => {}
            }
        }
        assert!(!body.contains("\n## injected"), "{document}: injected heading");
        assert!(!body.contains("\n---\ntitle: fake"), "{document}: front matter breaker");
    }
    let sla = project.read("dist/markdown/services/web/service-level-agreement.md");
    assert!(sla.contains("Web \\| Hosting ## injected"), "{sla}");
    assert!(sla.contains("title: \"Service level agreement: Web | Hosting ## injected\""), "{sla}");
}
