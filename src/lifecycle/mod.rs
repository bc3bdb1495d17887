//! The document lifecycle (FitSM GR2.4): approval, versions, review dates and the
//! change history of each document.
//!
//! A document's control data is not rendered from the config: it follows from its
//! approvals ([`store`]) and from whether its content is still what was approved.
//! After the output step has merged a document (people's edits included), the build
//! hands the final text to [`Lifecycle`], which
//! 1. hashes the content, that is the body without the control data and without the
//!    change history ([`content_hash`]);
//! 2. works out the control data ([`Control`]): never approved → the draft version
//!    and status of the pack; content equal to the last approval → that version,
//!    `approved`, reviewed by approval date + review interval; anything else → the
//!    next draft (`1.1` after `1.0`) until someone approves it, which makes `2.0`;
//! 3. writes it into the front matter and the `## Change history` section ([`stamp`]).
//!
//! Because only those two parts change, and templates never see a document's version
//! or status, approving a document never changes its content, and the lifecycle is a
//! pure function of (approvals, final text): same inputs, same bytes.

mod stamp;
pub mod store;

use std::collections::HashMap;

pub use stamp::{HISTORY_HEADING, stamp, without_control};
pub use store::{Approval, Approvals};

use crate::output::Finish;
use crate::plan::Plan;

/// The control data of one document as the lifecycle sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    pub version: String,
    pub status: String,
    pub effective_date: Option<String>,
    pub next_review: Option<String>,
    /// When and by whom the version in force was approved.
    pub approved_on: Option<String>,
    pub approved_by: Option<String>,
    pub history: Vec<HistoryRow>,
    pub state: State,
}

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Never approved.
    Draft,
    /// Its content is the content last approved.
    Approved,
    /// Approved once, changed since: a draft of the next version.
    ChangedSinceApproval,
}

/// One row of a document's change history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub version: String,
    pub date: String,
    pub change: String,
    pub approved_by: String,
}

/// SHA-256 of a document's content: its text without front matter and change
/// history, line endings normalised, trailing blank lines ignored.
pub fn content_hash(text: &str) -> String {
    let content = without_control(&text.replace("\r\n", "\n"));
    crate::fs::sha256_hex(content.trim_end().as_bytes())
}

/// What the lifecycle needs to know about each planned document.
#[derive(Debug, Clone)]
struct Known {
    id: String,
    review_interval_months: i32,
}

/// The lifecycle of one pack: its approvals and the documents of its plan.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    approvals: Approvals,
    /// Path in the output folder (`markdown/…`) → the document.
    documents: HashMap<String, Known>,
    /// Version and status of a document never approved (from the pack's config).
    draft_version: String,
    draft_status: String,
    /// The pack's effective date and the next review that follows from it.
    effective_date: Option<String>,
    next_review: Option<String>,
}

impl Lifecycle {
    pub fn new(plan: &Plan, approvals: Approvals, pack: &crate::config::Pack) -> Lifecycle {
        let interval = i32::try_from(*pack.review_interval_months.get_ref()).unwrap_or(12);
        let documents = plan
            .documents
            .iter()
            .map(|d| {
                let months = d.review_interval_months.map_or(interval, |m| i32::try_from(m).unwrap_or(interval));
                (format!("markdown/{}", d.path), Known { id: d.id.clone(), review_interval_months: months })
            })
            .collect();
        let effective_date = pack.effective_date.as_ref().and_then(|d| d.get_ref().date).map(|d| d.to_string());
        let next_review = effective_date.as_deref().and_then(|date| add_months(date, interval));
        let draft_status = pack.status.clone();
        Lifecycle {
            approvals,
            documents,
            draft_version: if draft_status == "approved" { "1.0".into() } else { "0.1".into() },
            draft_status,
            effective_date,
            next_review,
        }
    }

    pub fn approvals(&self) -> &Approvals {
        &self.approvals
    }

    /// The document id of a path in the output folder, if the plan has it.
    pub fn id_of(&self, path: &str) -> Option<&str> {
        self.documents.get(path).map(|k| k.id.as_str())
    }

    /// The control data of the document at `path` whose final text is `text`.
    pub fn control(&self, path: &str, text: &str) -> Option<Control> {
        self.control_with(path, || content_hash(text))
    }

    /// Whether the document at `path` was ever approved (then its control data
    /// depends on its content, see [`Lifecycle::control`]).
    pub fn approved_ever(&self, path: &str) -> bool {
        self.documents.get(path).is_some_and(|known| self.approvals.of(&known.id).next().is_some())
    }

    /// [`Lifecycle::control`], given the [`content_hash`] of the text (worked out only
    /// if the document was ever approved).
    pub fn control_with(&self, path: &str, content_sha256: impl FnOnce() -> String) -> Option<Control> {
        let known = self.documents.get(path)?;
        let approvals: Vec<&Approval> = self.approvals.of(&known.id).collect();
        let mut history: Vec<HistoryRow> = Vec::new();
        for (index, approval) in approvals.iter().enumerate() {
            let change = approval.note.clone().unwrap_or_else(|| {
                if index == 0 { "First approved version".to_owned() } else { "Revised and approved".to_owned() }
            });
            history.push(HistoryRow {
                version: approval.version.clone(),
                date: approval.date.clone(),
                change,
                approved_by: approval.by_name.clone(),
            });
        }
        let Some(last) = approvals.last() else {
            history.push(HistoryRow {
                version: self.draft_version.clone(),
                date: "–".into(),
                change: "Draft, not yet approved".into(),
                approved_by: "–".into(),
            });
            return Some(Control {
                version: self.draft_version.clone(),
                status: self.draft_status.clone(),
                effective_date: self.effective_date.clone(),
                next_review: self.next_review.clone(),
                approved_on: None,
                approved_by: None,
                history,
                state: State::Draft,
            });
        };
        let next_review = add_months(&last.date, known.review_interval_months);
        if content_sha256() == last.content_sha256 {
            return Some(Control {
                version: last.version.clone(),
                status: "approved".into(),
                effective_date: Some(last.date.clone()),
                next_review,
                approved_on: Some(last.date.clone()),
                approved_by: Some(last.by_name.clone()),
                history,
                state: State::Approved,
            });
        }
        let draft = next_draft(&last.version);
        history.push(HistoryRow {
            version: draft.clone(),
            date: "–".into(),
            change: format!("Changed since version {} was approved; awaiting approval", last.version),
            approved_by: "–".into(),
        });
        // Until the draft is approved, the approved version's dates stay in force.
        Some(Control {
            version: draft,
            status: "draft".into(),
            effective_date: Some(last.date.clone()),
            next_review,
            approved_on: Some(last.date.clone()),
            approved_by: Some(last.by_name.clone()),
            history,
            state: State::ChangedSinceApproval,
        })
    }

    /// The version an approval of the document at `path` would give it: `1.0` for the
    /// first, then the next whole number.
    pub fn next_approved_version(&self, id: &str) -> String {
        let major = self.approvals.of(id).last().map_or(0, |a| major_of(&a.version));
        format!("{}.0", major + 1)
    }
}

impl Control {
    /// Approved, and not past its review date on `today` (`YYYY-MM-DD`).
    pub fn in_force(&self, today: &str) -> bool {
        self.state == State::Approved && self.next_review.as_deref().is_none_or(|next| next >= today)
    }
}

/// The date the lifecycle judges review dates by: `SOURCE_DATE_EPOCH` when set (a
/// reproducible build), else today.
pub fn today() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .map_or_else(|| jiff::ZonedDateTime::now().date(), |t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        .to_string()
}

impl Lifecycle {
    /// The hash of a build's inputs, with the approvals. Once any document is
    /// approved the date counts too, since a review date can pass overnight.
    pub fn inputs_sha256(&self, rendering: &str) -> String {
        if self.approvals.approvals.is_empty() {
            return rendering.to_owned();
        }
        let text = format!("{rendering}\0{}\0{}", self.approvals.fingerprint(), today());
        crate::fs::sha256_hex(text.as_bytes())
    }

    /// Whether every document with an approval says on disk what its content makes it
    /// (an approved document edited by hand since the last build is not settled).
    pub fn settled(&self, out: &std::path::Path) -> Result<bool, crate::error::Error> {
        let approved: std::collections::BTreeSet<&str> =
            self.approvals.approvals.iter().map(|a| a.document.as_str()).collect();
        for path in self.documents.iter().filter(|(_, k)| approved.contains(k.id.as_str())).map(|(path, _)| path) {
            let Some(text) = crate::fs::read_if_exists(&crate::fs::safe_join(out, path)?)? else { continue };
            let text = text.replace("\r\n", "\n");
            let Some(control) = self.control(path, &text) else { continue };
            if stamp(&text, &control) != text {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl Finish for Lifecycle {
    fn finish(&self, path: &str, after: &str, generated: &str) -> Option<(String, String)> {
        let control = self.control(path, after)?;
        Some((stamp(after, &control), stamp(generated, &control)))
    }
}

fn major_of(version: &str) -> u32 {
    version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0)
}

/// The draft that follows an approved version: `1.0` → `1.1`.
fn next_draft(version: &str) -> String {
    format!("{}.1", major_of(version))
}

/// `YYYY-MM-DD` plus `months`, or `None` if it is not a date.
pub fn add_months(date: &str, months: i32) -> Option<String> {
    let date: jiff::civil::Date = date.parse().ok()?;
    date.checked_add(jiff::Span::new().months(months)).ok().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_documentation_control_rule() {
        assert_eq!(next_draft("1.0"), "1.1");
        assert_eq!(next_draft("2.0"), "2.1");
        assert_eq!(major_of("2.1"), 2);
        assert_eq!(add_months("2026-01-31", 1).as_deref(), Some("2026-02-28"));
        assert_eq!(add_months("not a date", 1), None);
    }

    #[test]
    fn the_content_hash_ignores_control_data_history_and_line_endings() {
        let a = "---\nversion: \"0.1\"\n---\n# T\n\nBody.\n\n## Change history\n\n| a |\n\n---\n\n*Licence*\n";
        let b = "---\nversion: \"1.0\"\n---\n# T\r\n\r\nBody.\r\n\r\n---\r\n\r\n*Licence*\r\n";
        assert_eq!(content_hash(a), content_hash(b));
        assert_ne!(content_hash(a), content_hash(&a.replace("Body.", "Body!")));
    }
}
