//! Paths between files of the pack, as links: the templates' `link()` and `path_to()`,
//! the site's navigation and Word's cross-references all use these, so a file name can
//! never become a scheme, a query or a fragment in any of them.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The path of `to` as seen from the folder of `from` (both `/`-separated, relative to
/// the same root).
pub fn relative_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Characters encoded in a path segment of an href: everything with a meaning in a URL
/// (`:` a scheme, `#` a fragment, `?` a query, `%` an escape), in HTML or in a Markdown
/// link (`<`, `>`, quotes, brackets, parentheses, backslash), spaces and controls.
/// Letters, digits, `-`, `.`, `_`, `~` and non-ASCII text (as UTF-8) are what remain.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// [`relative_path`] as a link target: each segment percent-encoded, so the result is
/// always a relative reference to exactly that file, whatever its name.
pub fn relative_href(from: &str, to: &str) -> String {
    let path = relative_path(from, to);
    let segments: Vec<String> = path
        .split('/')
        .map(
            |segment| {
                if segment == ".." { segment.to_owned() } else { utf8_percent_encode(segment, SEGMENT).to_string() }
            },
        )
        .collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::{relative_href, relative_path};

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("policy.md", "processes/slm.md"), "processes/slm.md");
        assert_eq!(relative_path("processes/slm.md", "services/hpc/sla.md"), "../services/hpc/sla.md");
        assert_eq!(relative_path("services/hpc/sla.md", "services/hpc/sdt.md"), "sdt.md");
        assert_eq!(relative_path("services/hpc/sla.md", "policy.md"), "../../policy.md");
    }

    #[test]
    fn hrefs_from_file_names_are_never_a_scheme_a_query_or_a_fragment() {
        assert_eq!(relative_href("index.html", "javascript:alert(1).html"), "javascript%3Aalert%281%29.html");
        assert_eq!(relative_href("a/b.html", "data:text.html"), "../data%3Atext.html");
        assert_eq!(relative_href("index.html", "a b#c?d%e.html"), "a%20b%23c%3Fd%25e.html");
        assert_eq!(relative_href("index.html", "dir:x/page.html"), "dir%3Ax/page.html");
        assert_eq!(relative_href("services/hpc/sla.md", "policy.md"), "../../policy.md");
        assert_eq!(relative_href("a/b.html", ""), "../");
        assert_eq!(relative_href("index.html", "café/ünïcode.html"), "caf%C3%A9/%C3%BCn%C3%AFcode.html");
    }
}
