//! What an id may be. Ids become file names, document ids and link targets in a pack
//! that is often unzipped on Windows laptops, so they are short lowercase slugs.

/// Longest id we accept; ids become file names and document ids.
const MAX_ID_LEN: usize = 40;

/// Names Windows refuses as file names; ids become file names in a pack that is
/// often unzipped on Windows laptops.
const RESERVED_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why `id` is not a valid slug, or `None` if it is.
pub fn id_syntax_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        return Some("it is empty");
    }
    if id.len() > MAX_ID_LEN {
        return Some("it is longer than 40 characters");
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it must start with a lowercase letter");
    }
    if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Some("only lowercase letters, digits and hyphens are allowed");
    }
    if id.ends_with('-') || id.contains("--") {
        return Some("hyphens must separate words");
    }
    if RESERVED_NAMES.contains(&id) {
        return Some("it is a reserved file name on Windows");
    }
    None
}
