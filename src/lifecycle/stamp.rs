//! Writing a document's control data into its text: the lifecycle fields of the
//! front matter and the `## Change history` section before the attribution footer.
//!
//! Both parts belong to the tool: the front matter is written by code
//! (`render::frontmatter`, one `key: "value"` per line, which is why editing it line
//! by line is safe), and the change history is rebuilt from the approval records at
//! every build, so a hand edit there does not survive (the section says so).

use super::Control;

/// The heading of the change history section.
pub const HISTORY_HEADING: &str = "## Change history";

/// The fields the lifecycle owns, in the order they are written.
const OWNED: [&str; 6] = ["version", "status", "effective_date", "next_review", "approved_on", "approved_by"];

/// The text with its control data and change history set from `control`.
pub fn stamp(text: &str, control: &Control) -> String {
    let (front, body) = split(text);
    let Some(front) = front else { return text.to_owned() };
    let mut out = String::with_capacity(text.len() + 512);
    out.push_str("---\n");
    out.push_str(&front_matter(front, control));
    out.push_str("---\n");
    out.push_str(&with_history(&remove_history(body), control));
    out
}

/// The text without front matter and without the change history section: what an
/// approval covers.
pub fn without_control(text: &str) -> String {
    remove_history(split(text).1)
}

/// (front matter lines without the `---` fences, body). `None` when the text has no
/// front matter.
fn split(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else { return (None, text) };
    match rest.find("\n---\n") {
        Some(end) => (Some(&rest[..=end]), &rest[end + 5..]),
        None => (None, text),
    }
}

fn front_matter(front: &str, control: &Control) -> String {
    let value = |key: &str| -> Option<String> {
        match key {
            "version" => Some(control.version.clone()),
            "status" => Some(control.status.clone()),
            "effective_date" => control.effective_date.clone(),
            "next_review" => control.next_review.clone(),
            "approved_on" => control.approved_on.clone(),
            "approved_by" => control.approved_by.clone(),
            _ => None,
        }
    };
    let owned = |line: &str| OWNED.iter().find(|key| line.starts_with(&format!("{key}: "))).copied();
    let mut out = String::with_capacity(front.len() + 128);
    let mut approval_written = false;
    for line in front.lines() {
        match owned(line) {
            Some("approved_on" | "approved_by") => {}
            Some(key) => {
                // A missing date keeps whatever the renderer wrote (a placeholder).
                match value(key) {
                    Some(value) => out.push_str(&format!("{key}: {}\n", quote(&value))),
                    None => {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
                if line.starts_with("approver: ") {
                    approval_written = true;
                    push_approval(&mut out, control);
                }
            }
        }
    }
    if !approval_written {
        push_approval(&mut out, control);
    }
    out
}

fn push_approval(out: &mut String, control: &Control) {
    if let (Some(on), Some(by)) = (&control.approved_on, &control.approved_by) {
        out.push_str(&format!("approved_on: {}\napproved_by: {}\n", quote(on), quote(by)));
    }
}

fn quote(value: &str) -> String {
    let one_line: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    serde_json::to_string(&one_line).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The body without its change history section (from its heading to the next heading
/// of level 1 or 2, or to the footer's `---` line).
fn remove_history(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut skipping = false;
    for line in body.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == HISTORY_HEADING {
            skipping = true;
            // Drop the blank line that separated the section from what came before.
            while out.ends_with("\n\n") {
                out.pop();
            }
            continue;
        }
        if skipping && (bare == "---" || bare.starts_with("# ") || bare.starts_with("## ")) {
            skipping = false;
            out.push('\n');
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// The body with the change history inserted before the attribution footer (its
/// last `---` line), or at the end when there is none.
fn with_history(body: &str, control: &Control) -> String {
    let mut section = format!("{HISTORY_HEADING}\n\n| Version | Date | Change | Approved by |\n|---|---|---|---|\n");
    for row in &control.history {
        section.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&row.version),
            cell(&row.date),
            cell(&row.change),
            cell(&row.approved_by)
        ));
    }
    match body.rfind("\n---\n") {
        Some(at) => {
            let (before, after) = body.split_at(at + 1);
            format!("{}\n\n{section}\n{after}", before.trim_end())
        }
        None => format!("{}\n\n{section}", body.trim_end()),
    }
}

/// Text for a Markdown table cell: one line, pipes and escapes neutralised.
fn cell(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::render::escape::escape_inline(&one_line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{HistoryRow, State};

    fn control(approved: bool) -> Control {
        Control {
            version: if approved { "1.0" } else { "0.1" }.into(),
            status: if approved { "approved" } else { "draft" }.into(),
            effective_date: Some("2026-12-01".into()),
            next_review: Some("2027-12-01".into()),
            approved_on: approved.then(|| "2026-12-01".into()),
            approved_by: approved.then(|| "Ada | Lovelace".into()),
            history: vec![HistoryRow {
                version: "1.0".into(),
                date: "2026-12-01".into(),
                change: "First | approved".into(),
                approved_by: "Ada".into(),
            }],
            state: if approved { State::Approved } else { State::Draft },
        }
    }

    const DOC: &str = "---\nid: \"X\"\nversion: \"0.1\"\nstatus: \"draft\"\nowner: \"O\"\napprover: \"A\"\neffective_date: \"2026-01-01\"\nnext_review: \"2027-01-01\"\nclassification: \"internal\"\n---\n\n# Title\n\nBody.\n\n## FitSM requirements addressed\n\n| a |\n\n---\n\n*Licence and attribution.* Text.\n";

    #[test]
    fn stamping_sets_the_fields_and_puts_the_history_before_the_footer() {
        let stamped = stamp(DOC, &control(true));
        assert!(stamped.contains("version: \"1.0\"\nstatus: \"approved\"\n"), "{stamped}");
        assert!(stamped.contains("approver: \"A\"\napproved_on: \"2026-12-01\"\napproved_by: \"Ada | Lovelace\"\n"));
        let history = stamped.find(HISTORY_HEADING).expect("history");
        let footer = stamped.rfind("\n---\n").expect("footer");
        assert!(history < footer && stamped.find("| a |").expect("table") < history, "{stamped}");
        assert!(stamped.contains("| 1.0 | 2026-12-01 | First \\| approved | Ada |"), "{stamped}");
    }

    #[test]
    fn stamping_is_idempotent_and_leaves_the_content_alone() {
        let once = stamp(DOC, &control(true));
        assert_eq!(stamp(&once, &control(true)), once);
        let back = stamp(&once, &control(false));
        assert!(!back.contains("approved_on"), "{back}");
        assert_eq!(without_control(&once), without_control(DOC));
        assert_eq!(without_control(&back), without_control(DOC));
        assert_eq!(back.matches(HISTORY_HEADING).count(), 1);
    }

    #[test]
    fn a_text_without_front_matter_is_left_as_it_is() {
        assert_eq!(stamp("# Just text\n", &control(true)), "# Just text\n");
    }
}
