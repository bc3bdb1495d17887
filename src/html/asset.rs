//! Is a file from `markdown/` safe to put in the site as it is?
//!
//! The site copies pictures and PDFs beside the documents so relative links keep
//! working. A copied file must never be something a browser runs: an SVG is a document
//! that can hold scripts, event handlers, `javascript:` links, embedded HTML
//! (`<foreignObject>`) and references that load other files. Such an SVG is not
//! sanitised (a rewritten picture is no longer the one the author checked) but left
//! out, and the build says so by name.
//!
//! The SVG is parsed with a real XML parser (roxmltree: no DTD, so no entity tricks)
//! and judged on its elements and attributes, never by searching its text, which
//! namespaces, entities and odd spacing would defeat. The other kinds are checked to be
//! what their extension says (by their first bytes), so an HTML file renamed `x.png`
//! is not published either.

use std::fmt;

/// Extensions of the files the site copies.
pub const EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "pdf"];

/// SVG elements that run code, embed other documents or fetch things.
const DENIED_ELEMENTS: &[&str] =
    &["script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video", "discard"];

/// Schemes that run code, wherever they appear in a value (animation values are lists).
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:"];

/// Nodes an SVG may have before it counts as unreasonable (a picture beside a
/// document has a few thousand).
const NODES_LIMIT: u32 = 1_000_000;

/// Why a file is not copied into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafeAsset {
    /// Not what its extension says (e.g. HTML named `.png`).
    WrongContent {
        extension: String,
    },
    /// The SVG does not parse as XML (the parser's message).
    Unparsable(String),
    NotSvg,
    Element(String),
    EventAttribute(String),
    ScriptLink {
        attribute: String,
    },
    ExternalReference {
        attribute: String,
        value: String,
    },
    ProcessingInstruction(String),
}

impl fmt::Display for UnsafeAsset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsafeAsset::WrongContent { extension } => write!(f, "its content is not a .{extension} file"),
            UnsafeAsset::Unparsable(why) => write!(f, "it does not parse as SVG ({why})"),
            UnsafeAsset::NotSvg => f.write_str("its top element is not <svg>"),
            UnsafeAsset::Element(name) => write!(f, "it has a <{name}> element, which a browser would run or load"),
            UnsafeAsset::EventAttribute(name) => write!(f, "it has an `{name}` event attribute (a script)"),
            UnsafeAsset::ScriptLink { attribute } => {
                write!(f, "its `{attribute}` attribute holds a javascript:, vbscript: or data: link")
            }
            UnsafeAsset::ExternalReference { attribute, value } => {
                write!(f, "its `{attribute}` refers to `{value}` outside the picture")
            }
            UnsafeAsset::ProcessingInstruction(target) => {
                write!(f, "it has a <?{target} …?> processing instruction (e.g. an external stylesheet)")
            }
        }
    }
}

/// `Ok` if `bytes`, named with `extension` (lowercase), may be copied into the site.
pub fn check(extension: &str, bytes: &[u8]) -> Result<(), UnsafeAsset> {
    let wrong = || UnsafeAsset::WrongContent { extension: extension.to_owned() };
    match extension {
        "svg" => check_svg(bytes),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n").then_some(()).ok_or_else(wrong),
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]).then_some(()).ok_or_else(wrong),
        "gif" => (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")).then_some(()).ok_or_else(wrong),
        "webp" => {
            (bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP").then_some(()).ok_or_else(wrong)
        }
        // The header may follow a little junk (the PDF specification allows 1024 bytes).
        "pdf" => bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-").then_some(()).ok_or_else(wrong),
        _ => Err(wrong()),
    }
}

fn check_svg(bytes: &[u8]) -> Result<(), UnsafeAsset> {
    let text = std::str::from_utf8(bytes).map_err(|_| UnsafeAsset::Unparsable("not UTF-8 text".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions { nodes_limit: NODES_LIMIT, ..roxmltree::ParsingOptions::default() };
    let document =
        roxmltree::Document::parse_with_options(text, options).map_err(|e| UnsafeAsset::Unparsable(e.to_string()))?;
    if !document.root_element().tag_name().name().eq_ignore_ascii_case("svg") {
        return Err(UnsafeAsset::NotSvg);
    }
    for node in document.descendants() {
        if let Some(pi) = node.pi() {
            return Err(UnsafeAsset::ProcessingInstruction(pi.target.to_owned()));
        }
        if !node.is_element() {
            continue;
        }
        let element = node.tag_name().name().to_ascii_lowercase();
        if DENIED_ELEMENTS.contains(&element.as_str()) {
            return Err(UnsafeAsset::Element(node.tag_name().name().to_owned()));
        }
        if element == "style" {
            let css: String = node.descendants().filter_map(|n| n.text()).collect();
            check_css("<style>", &css)?;
        }
        // `<animate attributeName="href" to="…">` rewrites a link after loading.
        if matches!(element.as_str(), "animate" | "set")
            && node.attribute("attributeName").is_some_and(|name| name.to_ascii_lowercase().ends_with("href"))
        {
            return Err(UnsafeAsset::Element(node.tag_name().name().to_owned()));
        }
        for attribute in node.attributes() {
            let name = attribute.name().to_ascii_lowercase();
            let value = attribute.value();
            if name.starts_with("on") {
                return Err(UnsafeAsset::EventAttribute(attribute.name().to_owned()));
            }
            // Browsers ignore spaces and controls inside a scheme: `java script:`.
            let squeezed: String =
                value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
            let is_link = matches!(name.as_str(), "href" | "src");
            // A `data:` link smuggles in a document of its own.
            if SCRIPT_SCHEMES.iter().any(|scheme| squeezed.contains(scheme))
                || (is_link && squeezed.starts_with("data:"))
            {
                return Err(UnsafeAsset::ScriptLink { attribute: attribute.name().to_owned() });
            }
            if is_link && !value.trim_start().starts_with('#') {
                return Err(UnsafeAsset::ExternalReference {
                    attribute: attribute.name().to_owned(),
                    value: value.to_owned(),
                });
            }
            check_css(attribute.name(), value)?;
        }
    }
    Ok(())
}

/// CSS (a `<style>` element, a `style` attribute, or a presentation attribute such as
/// `fill="url(#gradient)"`) may only point inside the picture.
fn check_css(place: &str, css: &str) -> Result<(), UnsafeAsset> {
    let lower = css.to_ascii_lowercase();
    let external =
        |value: &str| UnsafeAsset::ExternalReference { attribute: place.to_owned(), value: value.to_owned() };
    if lower.contains("@import") {
        return Err(external("@import"));
    }
    for (at, _) in lower.match_indices("url(") {
        let target = lower[at + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            let end = lower[at..].find(')').map_or(lower.len(), |end| at + end + 1);
            return Err(external(&css[at..end]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> Vec<u8> {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{body}</svg>")
            .into_bytes()
    }

    #[test]
    fn plain_pictures_pass() {
        let picture = svg("<defs><linearGradient id=\"g\"/></defs><title>T</title>\
                           <rect fill=\"url(#g)\" style=\"stroke: url('#g')\"/><use href=\"#g\"/><use xlink:href=\"#g\"/>\
                           <style>rect { fill: red }</style>");
        assert_eq!(check("svg", &picture), Ok(()));
        assert_eq!(check("svg", b"\xef\xbb\xbf<?xml version=\"1.0\"?><svg/>"), Ok(()));
        assert_eq!(check("png", b"\x89PNG\r\n\x1a\nrest"), Ok(()));
        assert_eq!(check("pdf", b"%PDF-1.7\n"), Ok(()));
    }

    #[test]
    fn anything_a_browser_would_run_or_load_is_refused() {
        let refused = |body: &str| check("svg", &svg(body)).err();
        assert_eq!(refused("<script>alert(1)</script>"), Some(UnsafeAsset::Element("script".into())));
        assert_eq!(refused("<SCRIPT>alert(1)</SCRIPT>"), Some(UnsafeAsset::Element("SCRIPT".into())));
        assert!(matches!(refused("<foreignObject><div/></foreignObject>"), Some(UnsafeAsset::Element(_))));
        assert_eq!(refused("<rect onload=\"x()\"/>"), Some(UnsafeAsset::EventAttribute("onload".into())));
        assert_eq!(refused("<rect ONCLICK=\"x()\"/>"), Some(UnsafeAsset::EventAttribute("ONCLICK".into())));
        assert!(matches!(refused("<a href=\"java&#x09;script:alert(1)\"/>"), Some(UnsafeAsset::ScriptLink { .. })));
        assert!(matches!(refused("<a xlink:href=\" JavaScript:x\"/>"), Some(UnsafeAsset::ScriptLink { .. })));
        assert!(matches!(refused("<image href=\"data:image/svg+xml,x\"/>"), Some(UnsafeAsset::ScriptLink { .. })));
        assert!(matches!(
            refused("<image href=\"https://tracker.example/p.png\"/>"),
            Some(UnsafeAsset::ExternalReference { .. })
        ));
        assert!(matches!(refused("<use href=\"other.svg#x\"/>"), Some(UnsafeAsset::ExternalReference { .. })));
        assert!(matches!(refused("<rect fill=\"url(http://x/y#z)\"/>"), Some(UnsafeAsset::ExternalReference { .. })));
        assert!(matches!(
            refused("<style>@import url(#x); rect {}</style>"),
            Some(UnsafeAsset::ExternalReference { .. })
        ));
        assert!(matches!(refused("<a><animate attributeName=\"href\" to=\"#x\"/></a>"), Some(UnsafeAsset::Element(_))));
        assert!(matches!(
            check("svg", b"<?xml-stylesheet href=\"x.css\"?><svg/>"),
            Err(UnsafeAsset::ProcessingInstruction(_))
        ));
        assert!(matches!(check("svg", b"<svg><unclosed></svg>"), Err(UnsafeAsset::Unparsable(_))));
        assert!(matches!(
            check("svg", b"<!DOCTYPE svg [<!ENTITY x \"y\">]><svg>&x;</svg>"),
            Err(UnsafeAsset::Unparsable(_))
        ));
        assert_eq!(check("svg", b"<html><script/></html>"), Err(UnsafeAsset::NotSvg));
        assert!(matches!(check("png", b"<html><script>x</script></html>"), Err(UnsafeAsset::WrongContent { .. })));
    }
}
