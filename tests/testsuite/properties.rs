//! Property tests over every string field of the config: whatever a field holds, the
//! build does not panic, every document's front matter still parses as YAML, the HTML
//! contains no element or attribute that the templates did not put there, and every
//! output path stays inside the output folder.

use std::collections::BTreeSet;

use fitsm_pack::document::Document;
use fitsm_pack::html::markdown;
use proptest::prelude::*;

/// A config with a placeholder `@N@` wherever a string field goes.
const SHAPE: &str = r#"
[organisation]
name = @0@
short_name = @1@
description = @2@
website = @3@
contact_email = @4@
phone = @5@
address = @6@
service_desk = @7@

[pack]
version = @8@
classification = @9@
status = @10@
effective_date = 2026-01-01

[scope]
statement = @11@
in_scope = [@12@]
out_of_scope = [@13@]
locations = [@14@]

[[people]]
id = "ann"
name = @15@
title = @16@
email = @17@
phone = @18@

[roles]
sms_owner = "ann"
sms_manager = "ann"

[processes.SLM]
owner = "ann"

[[customers]]
id = "cust"
name = @19@
description = @20@
contact_name = @21@
contact_email = @22@
review_frequency = @23@
relationship_manager = "ann"

[[suppliers]]
id = "supp"
name = @24@
kind = "external"
description = @25@
provides = ["svc"]
contact_name = @26@
contact_email = @27@
agreement_ref = @28@

[[services]]
id = "svc"
name = @29@
description = @30@
owner = "ann"
category = @31@
url = @32@
customers = ["cust"]
hours = @33@
support_hours = @34@
recovery_time = @35@
recovery_point = @36@
response_times = { critical = @37@, high = @38@ }
resolution_times = { medium = @39@, low = @40@ }

[[improvements]]
id = "imp"
title = @41@
source = @42@
status = @43@

[[exclusions]]
requirement = "PR13.4"
justification = @44@

[assessment.areas.SLM]
goal = 2
evidence = @45@
"#;
const FIELDS: usize = 46;

fn config(values: &[String]) -> String {
    let mut text = SHAPE.to_owned();
    for (index, value) in values.iter().enumerate().rev() {
        text = text.replace(&format!("@{index}@"), &toml::Value::String(value.clone()).to_string());
    }
    text
}

fn hostile_string() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("<script>alert(1)</script>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("[x](javascript:alert(1))".to_owned()),
        Just("\n---\nid: evil\n".to_owned()),
        Just("{{ org.name }}{% raw %}".to_owned()),
        Just("| a | b |\n|---|---|".to_owned()),
        Just("# heading\n\n- item\n> quote".to_owned()),
        Just("&amp; &#60; &lt;".to_owned()),
        Just("\"quoted\" 'single' \\ back".to_owned()),
        Just("مرحبا 🚀 \u{202e}reversed".to_owned()),
        Just("`code` *em* _u_ ~~s~~".to_owned()),
        "[ -~]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ];
    proptest::collection::vec(pieces, 1..4).prop_map(|parts| parts.concat())
}

/// Tags and attributes the pipeline itself produces (templates, pulldown-cmark, layout).
const TAGS: &[&str] = &[
    "a",
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "code",
    "del",
    "div",
    "em",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "head",
    "header",
    "hr",
    "html",
    "img",
    "input",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];
const ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-current",
    "aria-label",
    "checked",
    "class",
    "content",
    "disabled",
    "href",
    "id",
    "lang",
    "name",
    "rel",
    "role",
    "scope",
    "src",
    "style",
    "tabindex",
    "title",
    "type",
    "charset",
];

/// Every tag name and attribute name in `html` (a small scanner: enough to see
/// whether anything but the expected vocabulary got through).
fn vocabulary(html: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut tags = BTreeSet::new();
    let mut attributes = BTreeSet::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let inside = &rest[..end];
        rest = &rest[end..];
        if inside.starts_with('!') || inside.starts_with('/') {
            continue;
        }
        let mut parts = inside.split_whitespace();
        if let Some(name) = parts.next() {
            tags.insert(name.trim_end_matches('/').to_ascii_lowercase());
        }
        // attribute names: text before '=' outside quotes
        let mut in_quotes = false;
        let mut current = String::new();
        for c in inside.chars().skip_while(|c| !c.is_whitespace()) {
            match c {
                '"' => in_quotes = !in_quotes,
                '=' if !in_quotes => {
                    attributes.insert(current.trim().to_ascii_lowercase());
                    current.clear();
                }
                c if c.is_whitespace() && !in_quotes => current.clear(),
                c if !in_quotes => current.push(c),
                _ => {}
            }
        }
    }
    (tags, attributes)
}

proptest! {
    // Each case renders a whole pack; a few dozen varied cases per run find what a
    // thousand would, and the suite stays fast.
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_string_in_any_field_renders_safely(values in proptest::collection::vec(hostile_string(), FIELDS)) {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("sms.toml");
        std::fs::write(&path, config(&values)).expect("write config");
        let prepared = match fitsm_pack::pipeline::prepare(&path, None) {
            Ok(prepared) => prepared,
            // Some strings are rightly refused (e.g. an exclusion justification that is
            // too short): that must be a config error pointing into the file, never a
            // template or I/O failure, which would mean a string broke the rendering.
            Err(fitsm_pack::Error::ConfigInvalid(diagnostics)) => {
                prop_assert!(!diagnostics.items.is_empty());
                return Ok(());
            }
            Err(other) => {
                prop_assert!(false, "a config string broke the build: {}", other);
                return Ok(());
            }
        };
        for file in prepared.rendered.documents.iter().chain(&prepared.rendered.extras) {
            prop_assert!(!file.path.contains("..") && !file.path.starts_with('/'), "{}", file.path);
            if !file.path.ends_with(".md") || !file.path.starts_with("markdown/") {
                continue;
            }
            let document = Document::parse(&file.text);
            prop_assert!(document.front_matter_error.is_none(), "{}: {:?}", file.path, document.front_matter_error);
            for key in ["id", "title", "owner", "next_review", "requirements"] {
                prop_assert!(document.field(key).is_some(), "{}: front matter lacks {}", file.path, key);
            }
            let page = markdown::render(&document.body);
            let (tags, attributes) = vocabulary(&page.html);
            for tag in &tags {
                prop_assert!(TAGS.contains(&tag.as_str()), "{}: unexpected <{}>", file.path, tag);
            }
            for attribute in &attributes {
                prop_assert!(ATTRIBUTES.contains(&attribute.as_str()), "{}: unexpected attribute {}", file.path, attribute);
            }
            let lower = page.html.to_ascii_lowercase();
            prop_assert!(!lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"), "{}: javascript link", file.path);
        }
    }
}

#[test]
fn the_scanner_sees_injected_markup() {
    let (tags, attributes) = vocabulary("<p>x</p><img src=\"a\" onerror=\"b\"><script>");
    assert!(tags.contains("script") && attributes.contains("onerror"));
}
