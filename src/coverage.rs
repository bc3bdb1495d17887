//! Requirement coverage: for every FitSM requirement, which sections of which
//! documents address it and whether that can be shown to an auditor yet.
//!
//! Coverage is counted per section, not per document: a section says which
//! requirements it addresses with a marker line ([`crate::outline`]). A requirement is
//! *addressed* (documented) when at least one section addresses it and none of those
//! sections holds an open `[TO BE COMPLETED]` placeholder, *addressed with open
//! placeholders* when such a section still has gaps, *not addressed* when no section
//! names it, and *excluded* when the config excludes it with a written justification.
//! The same computation feeds the compliance matrix (sections of the rendered
//! documents) and `check` (sections of the files on disk, as people edited them).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::outline::Section;
use crate::plan::{Plan, PlannedDocument};

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

/// A section that addresses a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct SectionRef {
    /// The first copy of the document that has the section (copies of a per-entity
    /// document can differ: a pipeline service's record has a transition plan, a live
    /// one its transition history), its entity and path under `markdown/`.
    pub entity: Option<String>,
    pub path: String,
    /// The heading's anchor in its document.
    pub anchor: String,
    /// The heading as a reader sees it.
    pub section: String,
    /// Open placeholders in the section, summed over all copies of the document.
    pub placeholders: usize,
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
    /// Open placeholders in the sections that address the requirement, over all copies.
    pub placeholders: usize,
    /// The sections of the document that address the requirement, in document order.
    pub sections: Vec<SectionRef>,
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
    /// Documented: at least one section addresses it and none of them has an open
    /// placeholder.
    pub documented: bool,
    /// Documented, and every copy of every document holding those sections is
    /// approved and within its review date.
    pub approved: bool,
    /// Records show it at work (`[[evidence]]` or the `evidence/` folder).
    pub evidenced: bool,
    pub evidence: Vec<EvidenceRef>,
}

/// A record named as evidence for a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRef {
    pub description: String,
    pub date: Option<String>,
    pub location: Option<String>,
}

/// A share of the requirements in scope, with its count.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Share {
    pub count: usize,
    /// Percent of the requirements in scope, one decimal.
    pub percent: f64,
}

impl Share {
    fn of(count: usize, in_scope: usize) -> Share {
        // one decimal, so JSON and text show the same number
        let percent = if in_scope == 0 { 0.0 } else { (count as f64 * 1000.0 / in_scope as f64).round() / 10.0 };
        Share { count, percent }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub requirements: Vec<RequirementCoverage>,
    pub total: usize,
    pub addressed: usize,
    pub with_placeholders: usize,
    pub not_addressed: usize,
    pub excluded: usize,
    /// The three stages an auditor asks about, each a share of the requirements in
    /// scope: written down without gaps, approved, shown at work by records.
    pub documented: Share,
    pub approved: Share,
    pub evidenced: Share,
    /// The headline: requirements documented, approved *and* evidenced, in percent of
    /// those in scope. It is 100 only when all three are.
    pub percent: f64,
}

impl Coverage {
    /// `outline` gives the sections of a planned document (`None`: not rendered yet,
    /// or not on disk; it then addresses nothing).
    pub fn compute<'p, 's>(
        plan: &'p Plan,
        catalogue: &Catalogue,
        config: &Config,
        outline: impl Fn(&'p PlannedDocument) -> Option<&'s [Section]>,
        approved: impl Fn(&'p PlannedDocument) -> bool,
    ) -> Self {
        let exclusions: HashMap<&str, &str> = config
            .exclusions
            .iter()
            .map(|e| (e.requirement.get_ref().as_str(), e.justification.get_ref().as_str()))
            .collect();
        // requirement → template position → reference (first copy, counts over all copies)
        let mut addressing: HashMap<String, BTreeMap<usize, DocumentRef>> = HashMap::new();
        let mut first_position: HashMap<&str, usize> = HashMap::new();
        // requirement → whether every document addressing it is approved
        let mut all_approved: HashMap<String, bool> = HashMap::new();
        for (position, document) in plan.documents.iter().enumerate() {
            let template_position = *first_position.entry(document.key.as_str()).or_insert(position);
            let Some(sections) = outline(document) else { continue };
            let document_approved = approved(document);
            let mut counted: Vec<&str> = Vec::new();
            for section in sections {
                for requirement in &section.requirements {
                    let entry =
                        addressing.entry(requirement.clone()).or_default().entry(template_position).or_insert_with(
                            || DocumentRef {
                                id: document.id.clone(),
                                key: document.key.clone(),
                                entity: document.entity.as_ref().map(|e| e.id.clone()),
                                title: document.title.clone(),
                                path: document.path.clone(),
                                copies: 0,
                                placeholders: 0,
                                sections: Vec::new(),
                            },
                        );
                    *all_approved.entry(requirement.clone()).or_insert(true) &= document_approved;
                    // A copy counts once per requirement, however many sections name it.
                    if !counted.contains(&requirement.as_str()) {
                        counted.push(requirement);
                        entry.copies += 1;
                    }
                    entry.placeholders += section.placeholders;
                    match entry.sections.iter_mut().find(|s| s.anchor == section.anchor) {
                        Some(known) => known.placeholders += section.placeholders,
                        None => entry.sections.push(SectionRef {
                            entity: document.entity.as_ref().map(|e| e.id.clone()),
                            path: document.path.clone(),
                            anchor: section.anchor.clone(),
                            section: section.title.clone(),
                            placeholders: section.placeholders,
                        }),
                    }
                }
            }
        }
        let requirements: Vec<RequirementCoverage> = catalogue
            .requirements
            .iter()
            .map(|requirement| {
                let documents: Vec<DocumentRef> =
                    addressing.remove(&requirement.id).map(|d| d.into_values().collect()).unwrap_or_default();
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
                let documented = status == Status::Addressed;
                let evidence: Vec<EvidenceRef> = config
                    .evidence
                    .iter()
                    .filter(|e| e.requirements.iter().any(|r| r.get_ref() == &requirement.id))
                    .map(|e| EvidenceRef {
                        description: e.description.clone(),
                        date: e.date.as_ref().map(|d| d.get_ref().to_string()),
                        location: e.location.clone(),
                    })
                    .collect();
                RequirementCoverage {
                    documented,
                    approved: documented && all_approved.get(&requirement.id).copied().unwrap_or(false),
                    evidenced: !evidence.is_empty() && status != Status::Excluded,
                    evidence,
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
        let share = |keep: fn(&RequirementCoverage) -> bool| {
            Share::of(requirements.iter().filter(|r| r.status != Status::Excluded && keep(r)).count(), in_scope)
        };
        let documented = share(|r| r.documented);
        let approved = share(|r| r.approved);
        let evidenced = share(|r| r.evidenced);
        let percent = share(|r| r.documented && r.approved && r.evidenced).percent;
        Coverage {
            total: requirements.len(),
            requirements,
            addressed,
            with_placeholders,
            not_addressed,
            excluded,
            documented,
            approved,
            evidenced,
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
