//! The pack-wide views: the organisation, the pack's dates, scope, service desk,
//! tools, practices and the pack-level tables of the plans.

use serde::Serialize;

use super::home::HomeView;
use super::people::{People, PersonView};
use crate::catalogue::{Catalogue, Requirement};
use crate::config::{Capacity, Config, Continuity, Organisation, ResolvedPractices, Scope, SmsPlan, Tools};

#[derive(Debug, Serialize)]
pub(crate) struct OrganisationView<'a> {
    #[serde(flatten)]
    pub(crate) config: &'a Organisation,
    /// Falls back to the name.
    pub(crate) short_name: &'a str,
    pub(crate) home: HomeView<'a>,
}

impl<'a> OrganisationView<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        let organisation = &config.organisation;
        OrganisationView {
            config: organisation,
            short_name: organisation.short_name.as_deref().unwrap_or(&organisation.name),
            home: HomeView::table("organisation"),
        }
    }
}

/// The pack's own data: its version (of the pack as a whole, in the register),
/// dates and defaults.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PackView<'a> {
    pub(crate) version: &'a str,
    pub(crate) status: &'a str,
    pub(crate) classification: &'a str,
    pub(crate) language: &'a str,
    pub(crate) effective_date: Option<String>,
    pub(crate) next_review: Option<String>,
    pub(crate) review_interval_months: i64,
    pub(crate) generator: &'static str,
    pub(crate) home: HomeView<'a>,
}

impl<'a> PackView<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        let pack = &config.pack;
        let effective = pack.effective_date.as_ref().and_then(|d| d.get_ref().date).and_then(|d| {
            jiff::civil::Date::new(i16::try_from(d.year).ok()?, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?)
                .ok()
        });
        let months = *pack.review_interval_months.get_ref();
        let next_review = effective.and_then(|date| date.checked_add(jiff::Span::new().months(months)).ok());
        PackView {
            version: &pack.version,
            status: &pack.status,
            classification: &pack.classification,
            language: &pack.language,
            effective_date: effective.map(|d| d.to_string()),
            next_review: next_review.map(|d| d.to_string()),
            review_interval_months: months,
            generator: concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")),
            home: HomeView::table("pack"),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct TableView<'a, T: Serialize> {
    #[serde(flatten)]
    pub(crate) config: &'a T,
    pub(crate) home: HomeView<'a>,
}

impl<'a, T: Serialize> TableView<'a, T> {
    pub(crate) fn new(config: &'a T, section: &'static str) -> Self {
        TableView { config, home: HomeView::table(section) }
    }
}

pub(crate) type ScopeView<'a> = TableView<'a, Scope>;
pub(crate) type ToolsView<'a> = TableView<'a, Tools>;
pub(crate) type ContinuityView<'a> = TableView<'a, Continuity>;
pub(crate) type CapacityView<'a> = TableView<'a, Capacity>;
pub(crate) type PlanView<'a> = TableView<'a, SmsPlan>;

/// The service desk, the single point of contact. The portal falls back to the
/// older `organisation.service_desk`.
#[derive(Debug, Serialize)]
pub(crate) struct ServiceDeskView<'a> {
    pub(crate) portal: Option<&'a str>,
    pub(crate) email: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
    pub(crate) hours: Option<&'a str>,
    pub(crate) home: HomeView<'a>,
}

impl<'a> ServiceDeskView<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        let desk = &config.service_desk;
        ServiceDeskView {
            portal: desk.portal.as_deref().or(config.organisation.service_desk.as_deref()),
            email: desk.email.as_deref(),
            phone: desk.phone.as_deref(),
            hours: desk.hours.as_deref(),
            home: HomeView::table("service_desk"),
        }
    }
}

/// The practices with their defaults, plus the risk scale's levels for tables.
#[derive(Debug, Serialize)]
pub(crate) struct PracticesView<'a> {
    #[serde(flatten)]
    pub(crate) resolved: ResolvedPractices,
    /// 1 … risk_scale, for building the risk matrix.
    pub(crate) risk_levels: Vec<u8>,
    /// The highest risk score (risk_scale²).
    pub(crate) risk_max: u16,
    pub(crate) home: HomeView<'a>,
}

impl<'a> PracticesView<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        let resolved = config.practices.resolved();
        let scale = resolved.risk_scale;
        PracticesView {
            risk_levels: (1..=scale).collect(),
            risk_max: u16::from(scale) * u16::from(scale),
            resolved,
            home: HomeView::table("practices"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RequirementView<'a> {
    pub(crate) id: &'a str,
    /// `PR9` or `GR1`, and its title: the heading of the requirement's group in the
    /// compliance matrix, which the per-document tables link to.
    pub(crate) group: &'a str,
    pub(crate) group_title: &'a str,
    pub(crate) topic: &'a str,
    pub(crate) statement: &'a str,
    pub(crate) iso20000: &'a [String],
}

impl<'a> RequirementView<'a> {
    pub(crate) fn new(requirement: &'a Requirement) -> Self {
        let group_title =
            crate::catalogue::Catalogue::builtin().group(&requirement.group).map_or("", |g| g.title.as_str());
        RequirementView {
            id: &requirement.id,
            group: &requirement.group,
            group_title,
            topic: &requirement.topic,
            statement: &requirement.statement,
            iso20000: &requirement.iso20000,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProcessView<'a> {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) group: String,
    /// The link key of its description, e.g. `process-slm`.
    pub(crate) key: String,
    pub(crate) owner: Option<PersonView<'a>>,
    pub(crate) manager: Option<PersonView<'a>>,
    pub(crate) staff: Vec<PersonView<'a>>,
    pub(crate) requirements: Vec<RequirementView<'static>>,
    pub(crate) home: HomeView<'a>,
}

/// Every FitSM process with its people, in catalogue order.
pub(crate) fn processes<'a>(
    config: &'a Config,
    catalogue: &'static Catalogue,
    people: &People<'a>,
) -> Vec<ProcessView<'a>> {
    catalogue
        .processes()
        .map(|process| {
            let assignment = config.process(&process.code);
            ProcessView {
                key: format!("process-{}", process.code.to_lowercase()),
                owner: assignment.and_then(|a| people.one(&a.owner)),
                manager: assignment.and_then(|a| people.one(&a.manager)),
                staff: assignment.map_or_else(Vec::new, |a| people.all(&a.staff)),
                requirements: catalogue
                    .groups
                    .iter()
                    .find(|g| g.id == process.group)
                    .map(|g| catalogue.requirements_of(&g.id).map(RequirementView::new).collect())
                    .unwrap_or_default(),
                home: HomeView::nested("processes", "processes", format!("{}.", process.code)),
                code: process.code,
                name: process.name,
                group: process.group,
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct GeneralRequirementsView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) acronym: &'a str,
    pub(crate) requirements: Vec<RequirementView<'a>>,
}

pub(crate) fn general_requirements(catalogue: &'static Catalogue) -> Vec<GeneralRequirementsView<'static>> {
    catalogue
        .groups
        .iter()
        .filter(|g| g.process.is_none())
        .map(|g| GeneralRequirementsView {
            id: &g.id,
            title: &g.title,
            acronym: &g.acronym,
            requirements: catalogue.requirements_of(&g.id).map(RequirementView::new).collect(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct ImprovementView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) source: Option<&'a str>,
    pub(crate) owner: Option<PersonView<'a>>,
    pub(crate) status: Option<&'a str>,
    pub(crate) due: Option<String>,
    /// The FitSM requirements it works on.
    pub(crate) requirements: Vec<&'a str>,
    pub(crate) home: HomeView<'a>,
}

/// An improvement the pack proposes (`assessment::proposals`), with its owner resolved.
#[derive(Debug, Serialize)]
pub(crate) struct ProposalView<'a> {
    #[serde(flatten)]
    pub(crate) proposal: crate::assessment::proposals::Proposal,
    pub(crate) owner: Option<PersonView<'a>>,
}

pub(crate) fn proposals<'a>(
    config: &'a Config,
    assessment: &crate::assessment::AssessmentResult,
    people: &People<'a>,
) -> Vec<ProposalView<'a>> {
    crate::assessment::proposals::proposals(config, assessment)
        .into_iter()
        .map(|proposal| ProposalView { owner: people.one(&proposal.owner), proposal })
        .collect()
}

pub(crate) fn improvements<'a>(config: &'a Config, people: &People<'a>) -> Vec<ImprovementView<'a>> {
    config
        .improvements
        .iter()
        .map(|i| ImprovementView {
            id: i.id.get_ref(),
            title: &i.title,
            source: i.source.as_deref(),
            owner: people.one(&i.owner),
            status: i.status.as_deref(),
            due: i.due.as_ref().map(|d| d.get_ref().to_string()),
            requirements: i.requirements.iter().map(|id| id.get_ref().as_str()).collect(),
            home: HomeView::entry("improvements", i.id.get_ref()),
        })
        .collect()
}
