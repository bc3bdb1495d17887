//! Requirement coverage: for every FitSM requirement, which documents address it and
//! whether that can be shown to an auditor yet.
//!
//! A requirement is *addressed* when a document of the pack declares it and that
//! document has no open `[TO BE COMPLETED]` placeholders, *addressed with open
//! placeholders* when the documents exist but still have gaps, *not addressed* when no
//! document declares it, and *excluded* when the config excludes it with a written
//! justification. The same computation feeds the compliance matrix (placeholders
//! counted at render time) and `check` (placeholders counted in the files on disk).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Addressed,
    AddressedWithPlaceholders,
    NotAddressed,
    Excluded,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Addressed => "addressed",
            Status::AddressedWithPlaceholders => "addressed, open placeholders",
            Status::NotAddressed => "not addressed",
            Status::Excluded => "excluded",
        }
    }
}

/// A document that addresses a requirement; per-entity documents appear once per
/// template, with the number of copies.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRef {
    pub id: String,
    pub key: String,
    pub entity: Option<String>,
    pub title: String,
    pub path: String,
    pub copies: usize,
    /// Open placeholders summed over all copies.
    pub placeholders: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementCoverage {
    pub id: String,
    pub group: String,
    pub group_title: String,
    pub topic: String,
    pub statement: String,
    pub iso20000: Vec<String>,
    pub status: Status,
    pub status_label: &'static str,
    pub addressed: bool,
    pub documents: Vec<DocumentRef>,
    pub justification: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub requirements: Vec<RequirementCoverage>,
    pub total: usize,
    pub addressed: usize,
    pub with_placeholders: usize,
    pub not_addressed: usize,
    pub excluded: usize,
    /// Share of the requirements in scope that some document addresses, in percent.
    pub percent: f64,
}

impl Coverage {
    /// `placeholders` gives the number of open placeholders of a document by its path
    /// under `markdown/`.
    pub fn compute(plan: &Plan, catalogue: &Catalogue, config: &Config, placeholders: impl Fn(&str) -> usize) -> Self {
        let exclusions: HashMap<&str, &str> = config
            .exclusions
            .iter()
            .map(|e| (e.requirement.get_ref().as_str(), e.justification.get_ref().as_str()))
            .collect();
        // requirement → template key → reference (first copy, counts over all copies)
        let mut addressing: HashMap<&str, BTreeMap<usize, DocumentRef>> = HashMap::new();
        let mut first_position: HashMap<&str, usize> = HashMap::new();
        for (position, document) in plan.documents.iter().enumerate() {
            let template_position = *first_position.entry(document.key.as_str()).or_insert(position);
            let open = placeholders(&document.path);
            for requirement in &document.requirements {
                let entry =
                    addressing.entry(requirement.as_str()).or_default().entry(template_position).or_insert_with(|| {
                        DocumentRef {
                            id: document.id.clone(),
                            key: document.key.clone(),
                            entity: document.entity.as_ref().map(|e| e.id.clone()),
                            title: document.title.clone(),
                            path: document.path.clone(),
                            copies: 0,
                            placeholders: 0,
                        }
                    });
                entry.copies += 1;
                entry.placeholders += open;
            }
        }
        let requirements: Vec<RequirementCoverage> = catalogue
            .requirements
            .iter()
            .map(|requirement| {
                let documents: Vec<DocumentRef> =
                    addressing.remove(requirement.id.as_str()).map(|d| d.into_values().collect()).unwrap_or_default();
                let justification = exclusions.get(requirement.id.as_str()).map(|j| (*j).to_owned());
                let status = if justification.is_some() {
                    Status::Excluded
                } else if documents.is_empty() {
                    Status::NotAddressed
                } else if documents.iter().any(|d| d.placeholders > 0) {
                    Status::AddressedWithPlaceholders
                } else {
                    Status::Addressed
                };
                RequirementCoverage {
                    id: requirement.id.clone(),
                    group: requirement.group.clone(),
                    group_title: catalogue.group(&requirement.group).map(|g| g.title.clone()).unwrap_or_default(),
                    topic: requirement.topic.clone(),
                    statement: requirement.statement.clone(),
                    iso20000: requirement.iso20000.clone(),
                    status,
                    status_label: status.label(),
                    addressed: matches!(status, Status::Addressed | Status::AddressedWithPlaceholders),
                    documents,
                    justification,
                }
            })
            .collect();
        let count = |status: Status| requirements.iter().filter(|r| r.status == status).count();
        let (addressed, with_placeholders) = (count(Status::Addressed), count(Status::AddressedWithPlaceholders));
        let (not_addressed, excluded) = (count(Status::NotAddressed), count(Status::Excluded));
        let in_scope = requirements.len() - excluded;
        let percent = if in_scope == 0 {
            100.0
        } else {
            // one decimal, so JSON and text show the same number
            ((addressed + with_placeholders) as f64 * 1000.0 / in_scope as f64).round() / 10.0
        };
        Coverage {
            total: requirements.len(),
            requirements,
            addressed,
            with_placeholders,
            not_addressed,
            excluded,
            percent,
        }
    }

    pub fn gaps(&self) -> impl Iterator<Item = &RequirementCoverage> {
        self.requirements.iter().filter(|r| r.status == Status::NotAddressed)
    }
}

/// Number of open placeholders in a document's text.
pub fn count_placeholders(text: &str) -> usize {
    crate::placeholder::count(text)
}
