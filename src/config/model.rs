//! The typed shape of `sms.toml`.
//!
//! These structs mirror the config file one to one (section and key names are a contract
//! with users, see the README). Ids and references are kept as [`Spanned`] so that the
//! validator can point at the exact place in the file; everything else is plain data.
//! Nothing here checks meaning: `validate` does that once the whole file is read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use super::dates::Date;
pub use super::operations::{EscalationStep, Practices, ResolvedPractices, ServiceDesk, Support, Tools};

/// A person id, service id, … as written in the file, with its location.
pub type Id = Spanned<String>;

/// The whole config file, as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who the SMS belongs to.
    pub organisation: Organisation,
    /// The pack's release, dates and defaults.
    #[serde(default)]
    pub pack: Pack,
    /// The scope of the SMS.
    #[serde(default)]
    pub scope: Scope,
    /// Everyone named in a role.
    #[serde(default)]
    pub people: Vec<Person>,
    /// The SMS-level roles.
    #[serde(default)]
    pub roles: Roles,
    /// The single point of contact for users.
    #[serde(default)]
    pub service_desk: ServiceDesk,
    /// Pack-wide defaults for service and support hours and incident targets.
    #[serde(default)]
    pub support: Support,
    /// The tools the SMS runs on.
    #[serde(default)]
    pub tools: Tools,
    /// One home per practice: frequencies, deadlines, the risk scale, escalation order.
    #[serde(default)]
    pub practices: Practices,
    /// Pack-wide facts of the availability and continuity plan.
    #[serde(default)]
    pub continuity: Continuity,
    /// Pack-wide facts of the capacity plan.
    #[serde(default)]
    pub capacity: Capacity,
    /// Targets and resources of the SMS plan.
    #[serde(default)]
    pub plan: SmsPlan,
    /// One entry per FitSM process code (`[processes.SLM]`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, ProcessAssignment>")]
    pub processes: BTreeMap<Spanned<String>, ProcessAssignment>,
    /// Whom the services are delivered to.
    #[serde(default)]
    pub customers: Vec<Customer>,
    /// External suppliers, internal units and federation members the services rely on.
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    /// The services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// The continual improvement register.
    #[serde(default)]
    pub improvements: Vec<Improvement>,
    /// FitSM requirements declared out of scope, each with a written justification.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Records that show the SMS at work (minutes, reports, ticket samples, audit
    /// reports), each for the requirements it evidences. Files in an `evidence/`
    /// folder beside the config whose names contain requirement ids count too.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Self-assessment in the spirit of FitSM-6.
    pub assessment: Option<Assessment>,
}

impl Config {
    /// The config's table for the FitSM process `code` (`[processes.SLM]`), if any.
    pub fn process(&self, code: &str) -> Option<&ProcessAssignment> {
        self.processes.iter().find(|(c, _)| c.get_ref() == code).map(|(_, assignment)| assignment)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The organisation's full name (required).
    pub name: String,
    /// computing-centre, federation or service-provider.
    #[serde(rename = "type")]
    pub kind: Option<OrganisationType>,
    /// Short name or acronym used in running text; defaults to the name.
    pub short_name: Option<String>,
    /// What the organisation is and whom it serves.
    pub description: Option<String>,
    /// Website URL.
    pub website: Option<String>,
    /// General contact address of the organisation.
    pub contact_email: Option<String>,
    /// General phone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Where users go for help: a portal URL or an email address. Kept for older
    /// configs; `[service_desk] portal` is its home now.
    pub service_desk: Option<String>,
    /// Data protection law the organisation is bound by, e.g. "UK GDPR and the Data Protection Act 2018".
    pub data_protection_law: Option<String>,
    /// Other laws and regulations that bind the services.
    #[serde(default)]
    pub regulations: Vec<String>,
    /// Regulators and public bodies with a say over the services.
    #[serde(default)]
    pub regulators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Release of the pack as a whole (shown in the document register); each document has its own version.
    #[serde(default = "default_version")]
    pub version: String,
    /// Date from which the documents apply; next reviews are counted from it.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub effective_date: Option<Spanned<Date>>,
    /// Months between reviews of each document, 1–60.
    #[serde(default = "default_review_interval")]
    #[schemars(with = "i64", range(min = 1, max = 60))]
    pub review_interval_months: Spanned<i64>,
    /// Classification printed on every document, e.g. public, internal, confidential.
    #[serde(default = "default_classification")]
    pub classification: String,
    /// Status of the documents: draft (version 0.1) or approved (version 1.0).
    #[serde(default = "default_status")]
    pub status: String,
    /// Language code of the documents.
    #[serde(default = "default_language")]
    pub language: String,
    /// A folder of templates that overlay the built-in ones.
    pub templates: Option<PathBuf>,
}

impl Default for Pack {
    fn default() -> Self {
        Pack {
            version: default_version(),
            effective_date: None,
            review_interval_months: default_review_interval(),
            classification: default_classification(),
            status: default_status(),
            language: default_language(),
            templates: None,
        }
    }
}

fn default_version() -> String {
    "1.0".to_owned()
}
fn default_review_interval() -> Spanned<i64> {
    Spanned::new(0..0, 12)
}
fn default_classification() -> String {
    "internal".to_owned()
}
fn default_status() -> String {
    "draft".to_owned()
}
fn default_language() -> String {
    "en".to_owned()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The scope statement: which services, for whom, from where.
    pub statement: Option<String>,
    /// What the SMS covers.
    #[serde(default)]
    pub in_scope: Vec<String>,
    /// What it deliberately does not cover.
    #[serde(default)]
    pub out_of_scope: Vec<String>,
    /// Sites from which the services are delivered.
    #[serde(default)]
    pub locations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Id other entries refer to.
    #[schemars(with = "String")]
    pub id: Id,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Job title, shown after the name.
    pub title: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
}

/// SMS-level roles of the FitSM-3 role model, each a person id.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// Top manager accountable for the SMS.
    #[schemars(with = "Option<String>")]
    pub sms_owner: Option<Id>,
    /// Runs the SMS day to day.
    #[schemars(with = "Option<String>")]
    pub sms_manager: Option<Id>,
    /// Information security manager; defaults to the ISM process manager.
    #[schemars(with = "Option<String>")]
    pub information_security_manager: Option<Id>,
    /// Chair of the change advisory board; defaults to the CHM process manager.
    #[schemars(with = "Option<String>")]
    pub cab_chair: Option<Id>,
    /// Lead of the service desk; defaults to the ISRM process manager.
    #[schemars(with = "Option<String>")]
    pub service_desk_lead: Option<Id>,
}

/// Who is accountable for and who runs one FitSM process.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessAssignment {
    /// Person accountable for the process.
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    /// Person who runs the process.
    #[schemars(with = "Option<String>")]
    pub manager: Option<Id>,
    /// People who work in the process.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub staff: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// Id services refer to.
    #[schemars(with = "String")]
    pub id: Id,
    /// The customer's name.
    pub name: String,
    /// Who the customer is and what it needs.
    pub description: Option<String>,
    /// Part of the same organisation, or outside it (the default).
    #[serde(default)]
    pub kind: CustomerKind,
    /// Who speaks for the customer; the customer representative in agreements.
    pub contact_name: Option<String>,
    /// Email of the customer representative (`contact` is accepted too).
    #[serde(alias = "contact")]
    pub contact_email: Option<String>,
    /// Deputy of the customer representative.
    pub deputy_contact_name: Option<String>,
    /// Email of the deputy.
    pub deputy_contact_email: Option<String>,
    /// Person id of the customer relationship manager (FitSM-3 CRM case owner).
    #[schemars(with = "Option<String>")]
    pub relationship_manager: Option<Id>,
    /// How often service reviews with this customer take place, e.g. "every 6 months".
    pub review_frequency: Option<String>,
    /// Contract or order reference with the customer.
    pub agreement_ref: Option<String>,
    /// When the relationship began.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub since: Option<Spanned<Date>>,
    /// Date of the next service review.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub next_review: Option<Spanned<Date>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    /// Id services refer to.
    #[schemars(with = "String")]
    pub id: Id,
    /// The supplier's or member's name.
    pub name: String,
    /// external (underpinning agreement), internal (operational level agreement) or federation-member (federation member agreement).
    pub kind: SupplierKind,
    /// What the supplier is and supplies.
    pub description: Option<String>,
    /// Ids of the services it supports or contributes to.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub provides: Vec<Id>,
    /// Contact for fault reports and operational requests.
    pub contact_name: Option<String>,
    /// Email for fault reports (`contact` is accepted too).
    #[serde(alias = "contact")]
    pub contact_email: Option<String>,
    /// Second escalation level at the supplier: account or service manager.
    pub escalation_contact: Option<String>,
    /// Who signs the agreement for the supplier.
    pub signatory: Option<String>,
    /// Person id of the supplier relationship manager (FitSM-3 SUPPM case owner).
    #[schemars(with = "Option<String>")]
    pub relationship_manager: Option<Id>,
    /// Contract or agreement reference, e.g. a purchase order number.
    pub agreement_ref: Option<String>,
    /// End or renewal date of the agreement.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub agreement_end: Option<Spanned<Date>>,
    /// What the supplier delivers under the agreement.
    #[serde(default)]
    pub delivers: Vec<String>,
    /// What the agreement explicitly does not cover.
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// Where the supply is delivered.
    #[serde(default)]
    pub locations: Vec<String>,
    /// When the supplier delivers and supports.
    pub hours: Option<String>,
    /// What the organisation provides so the supplier can deliver.
    pub dependencies: Option<String>,
    /// Targets the supplier commits to; missing ones are derived from the services it underpins.
    #[serde(default)]
    pub targets: SupplierTargets,
    /// Date of the next supplier evaluation.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub next_evaluation: Option<Spanned<Date>>,
    /// Federation members: the site the member runs, e.g. "Lisbon data centre".
    pub site: Option<String>,
    /// Federation members: the member's country.
    pub country: Option<String>,
    /// Federation members: operations, security and management contacts.
    #[serde(default)]
    pub contacts: MemberContacts,
    /// What the supplier or member commits to beyond the targets.
    #[serde(default)]
    pub commitments: Vec<String>,
}

/// The contacts of a federation member, each a name and address, e.g.
/// "Operations desk, ops@site.example.org".
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberContacts {
    /// Operations contact: incidents, requests, maintenance.
    pub operations: Option<String>,
    /// Security contact, reachable at any time.
    pub security: Option<String>,
    /// Management contact: escalation and changes to the agreement.
    pub management: Option<String>,
}

/// What a supplier commits to. Left out, availability, response and restoration are
/// derived from the SLAs of the services the supplier underpins, and notice periods
/// from `[practices]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierTargets {
    /// Availability of what is supplied, in percent.
    #[schemars(with = "Option<f64>", extend("minimum" = 0, "maximum" = 100))]
    pub availability: Option<Spanned<f64>>,
    /// Response to a critical fault; default: the strictest critical response time of the services underpinned.
    pub response_critical: Option<String>,
    /// Restoration of a critical fault; default: the strictest recovery time of the services underpinned.
    pub restoration_critical: Option<String>,
    /// Response to other faults and requests; default: the strictest high-priority response time of the services underpinned.
    pub response_other: Option<String>,
    /// Delivery time for parts, fixes or replacements.
    pub delivery_time: Option<String>,
    /// Notice of planned maintenance; default: `[practices] maintenance_notice`.
    pub maintenance_notice: Option<String>,
    /// Notice of changes that may affect the services; default: `[practices] maintenance_notice`.
    pub change_notice: Option<String>,
    /// Maximum time to report a security incident; default: `[practices] security_incident_notification`.
    pub security_incident_notification: Option<String>,
    /// How often the supplier reports its performance.
    pub reporting: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Id other entries refer to; also the service's folder name.
    #[schemars(with = "String")]
    pub id: Id,
    /// The service's name.
    pub name: String,
    /// What the service does and for whom (paragraphs allowed).
    pub description: Option<String>,
    /// Person id of the service owner.
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    /// Person id of the owner's deputy.
    #[schemars(with = "Option<String>")]
    pub deputy_owner: Option<Id>,
    /// Lifecycle stage; a service is live unless the config says otherwise.
    #[serde(default)]
    pub status: ServiceStatus,
    /// Category in the service catalogue.
    pub category: Option<String>,
    /// Where users reach the service.
    pub url: Option<String>,
    /// How users get access, when more than the URL: e.g. "project application to the allocation committee".
    pub access: Option<String>,
    /// Ids of the customers it is delivered to.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub customers: Vec<Id>,
    /// Ids of the suppliers it relies on (merged with the suppliers' `provides`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub suppliers: Vec<Id>,
    /// Ids of the services it depends on.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub depends_on: Vec<Id>,
    /// Service hours, e.g. "24/7" or "Mon–Fri 08:00–18:00 CET".
    pub hours: Option<String>,
    /// Support hours, when different from the service hours.
    pub support_hours: Option<String>,
    /// Availability target in percent, e.g. 99.5.
    #[schemars(with = "Option<f64>", extend("minimum" = 0, "maximum" = 100))]
    pub availability_target: Option<Spanned<f64>>,
    /// Recovery time objective, e.g. "8 hours".
    pub recovery_time: Option<String>,
    /// Recovery point objective, e.g. "24 hours".
    pub recovery_point: Option<String>,
    /// Response time per incident priority; defaults to `[support]`.
    #[serde(default)]
    pub response_times: PriorityTargets,
    /// Resolution time per incident priority; defaults to `[support]`.
    #[serde(default)]
    pub resolution_times: PriorityTargets,
    /// Commitments of the SLA beyond the targets, e.g. "quota increases within 2 working days".
    #[serde(default)]
    pub commitments: Vec<String>,
    /// What the SLA does not cover.
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// Personal data and how it is protected, for the SLA.
    pub data_protection: Option<String>,
    /// Classification of the data the service holds, e.g. "confidential (personal data)".
    pub data_classification: Option<String>,
    /// Reference and date of the service's security risk assessment.
    pub security_assessment: Option<String>,
    /// Users or volume, e.g. "1,200 active accounts in 180 projects".
    pub users: Option<String>,
    /// When the service went (or goes) live.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub go_live: Option<Spanned<Date>>,
    /// Platform components, as they are named in the CMDB.
    #[serde(default)]
    pub components: Vec<String>,
    /// Main software products and versions.
    #[serde(default)]
    pub software: Vec<String>,
    /// Databases, file systems or buckets holding the service's data.
    #[serde(default)]
    pub data_stores: Vec<String>,
    /// Interfaces to users and to other systems.
    #[serde(default)]
    pub interfaces: Vec<String>,
    /// What is monitored and where alerts go.
    pub monitoring: Option<String>,
    /// Where runbooks and administration guides are (default: `[tools] knowledge_base`).
    pub runbooks: Option<String>,
    /// The service's part of the capacity plan.
    #[serde(default)]
    pub capacity: ServiceCapacity,
    /// The service's part of the availability and continuity plan.
    #[serde(default)]
    pub continuity: ServiceContinuity,
}

/// A service's part of the capacity plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceCapacity {
    /// Resources and installed capacity, e.g. "420 nodes, 18,000 cores".
    pub resources: Option<String>,
    /// Current utilisation, e.g. "78 % average, 95 % peak".
    pub utilisation: Option<String>,
    /// What the users need, e.g. "jobs start within 4 hours".
    pub requirements: Option<String>,
    /// Expected demand: next 12 months, and the outlook.
    pub forecast: Option<String>,
}

/// A service's part of the availability and continuity plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceContinuity {
    /// Availability measures and the recovery procedure.
    pub measures: Option<String>,
    /// Likelihood × impact of the service's own failure, on the `[practices]` risk scale, e.g. "2 × 4".
    pub risk: Option<String>,
    /// Date of the last recovery test.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub last_test: Option<Spanned<Date>>,
}

/// Pack-wide facts of the availability and continuity plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Continuity {
    /// Where services are recovered if the primary site is lost, and with what capacity.
    pub alternative_site: Option<String>,
    /// Likelihood × impact ratings of the pack-wide risks, e.g. "1 × 5".
    pub site_loss_risk: Option<String>,
    /// Likelihood × impact of a cyber attack that disables systems.
    pub cyber_attack_risk: Option<String>,
    /// Likelihood × impact of key staff being unavailable at once.
    pub key_staff_risk: Option<String>,
    /// Likelihood × impact of a key supplier failing.
    pub supplier_risk: Option<String>,
}

/// Pack-wide facts of the capacity plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    /// Date of the measurements the plan reports.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub measured: Option<Spanned<Date>>,
    /// Service desk staffing, e.g. "6 FTE".
    pub service_desk_staff: Option<String>,
    /// Second-line and operations staffing.
    pub operations_staff: Option<String>,
    /// Operating budget available for capacity this year.
    pub operating_budget: Option<String>,
    /// Investment budget available for capacity this year.
    pub investment_budget: Option<String>,
    /// When next year's budget is decided.
    pub budget_cycle: Option<String>,
}

/// Targets and resources of the SMS plan.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsPlan {
    /// Target date (or text) per goal of the SMS plan, `G1` … `G7`.
    #[serde(default)]
    pub goals: BTreeMap<String, String>,
    /// Who trains process owners and managers in FitSM.
    pub fitsm_training: Option<String>,
    /// Who trains the internal auditors.
    pub auditor_training: Option<String>,
    /// Internal auditors, independent of the processes they audit.
    #[serde(default)]
    pub internal_auditors: Vec<String>,
    /// Date of the planned external audit, or "none planned".
    pub external_audit: Option<String>,
}

/// One target per incident priority; any may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityTargets {
    /// Target for critical incidents, e.g. "30 minutes".
    pub critical: Option<String>,
    /// Target for high-priority incidents.
    pub high: Option<String>,
    /// Target for medium-priority incidents.
    pub medium: Option<String>,
    /// Target for low-priority incidents.
    pub low: Option<String>,
}

/// An entry of the continual improvement register.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Improvement {
    /// Id of the entry.
    #[schemars(with = "String")]
    pub id: Id,
    /// What is to be improved.
    pub title: String,
    /// Where it came from: an audit, a review, a complaint …
    pub source: Option<String>,
    /// Person id of who drives it.
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    /// e.g. proposed, planned, in progress, done.
    pub status: Option<String>,
    /// Due date.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub due: Option<Spanned<Date>>,
    /// The FitSM requirements it works on, e.g. ["PR9.3"]: the register then proposes
    /// no separate entry for their self-assessment gaps or missing evidence.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub requirements: Vec<Spanned<String>>,
}

/// A FitSM requirement the organisation does not apply, and why.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The FitSM requirement id, e.g. "PR13.4".
    #[schemars(with = "String")]
    pub requirement: Spanned<String>,
    /// Why it does not apply (required).
    #[schemars(with = "String")]
    pub justification: Spanned<String>,
}

/// A record an auditor can look at to see a requirement met in practice.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The FitSM requirements it is evidence for, e.g. ["GR1.3", "PR14.2"].
    #[schemars(with = "Vec<String>")]
    pub requirements: Vec<Spanned<String>>,
    /// What the record is, e.g. "Minutes of the management review 2026-11".
    pub description: String,
    /// When the record was made.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Option<Spanned<Date>>,
    /// Where an auditor finds it: a path, a URL, or a system and a reference.
    pub location: Option<String>,
}

/// A self-assessment: per process (or general requirement group) whether it is in
/// scope, the goal level, and a 0–4 score per requirement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Date of the assessment.
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Option<Spanned<Date>>,
    /// Person id of who led the assessment.
    #[schemars(with = "Option<String>")]
    pub assessor: Option<Id>,
    /// The previous self-assessment: its date, or "none" when this is the first.
    pub previous: Option<String>,
    /// Keyed by process code (`SLM`) or general requirement group (`GR1`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, AssessmentArea>")]
    pub areas: BTreeMap<Spanned<String>, AssessmentArea>,
    /// A workbook (`.xlsx`, as `fitsm-pack assessment export` writes it) or a CSV file
    /// (`area,requirement,score,goal,in_scope,evidence`) that gives the scope, goal,
    /// scores and evidence of the areas it holds, as `areas` would; relative to the
    /// config file. An area is either in this file or in `areas`, not in both (see
    /// docs/assessment.md).
    #[schemars(with = "Option<String>")]
    pub import: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentArea {
    /// Whether the area is in scope (default true).
    #[serde(default = "in_scope_by_default")]
    pub in_scope: bool,
    /// Goal level, 1–4.
    #[schemars(with = "Option<i64>", range(min = 1, max = 4))]
    pub goal: Option<Spanned<i64>>,
    /// Score per requirement ID, 0–4.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, ScoreSchema>")]
    pub scores: BTreeMap<Spanned<String>, Spanned<i64>>,
    /// The main evidence examined.
    pub evidence: Option<String>,
    /// Where the area came from when `[assessment] import` gave it, e.g.
    /// `assessment.xlsx, sheet "SLM"`; `None` for a table of the config.
    #[serde(skip)]
    pub imported_from: Option<String>,
}

fn in_scope_by_default() -> bool {
    true
}

/// Where a service is in its lifecycle (FitSM PR1.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceStatus {
    /// Planned or being designed; not yet offered.
    Pipeline,
    /// Offered to customers.
    #[default]
    Live,
    /// No longer offered.
    Retired,
}

/// Whether a customer belongs to the organisation itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CustomerKind {
    /// A unit of the same organisation.
    Internal,
    /// Another organisation.
    #[default]
    External,
}

/// Whether a supplier is another organisation (underpinning agreement), part of the
/// same one (operational level agreement), or a member site or partner of a
/// federation (federation member agreement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupplierKind {
    External,
    Internal,
    FederationMember,
}

/// What kind of organisation the pack is for; it chooses the examples the documents
/// use (incidents, changes, CI types, risks …). Unset: examples that fit all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationType {
    /// A university or research computing centre.
    ComputingCentre,
    /// A federated infrastructure whose services are delivered by member sites or partners.
    Federation,
    /// A hosting or managed-services company.
    ServiceProvider,
}

// How the JSON Schema describes one requirement score (the loader checks the same
// range), so an editor flags a score of 5 as it is typed.
/// A requirement score on the FitSM-6 scale, 0–4.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // only its schema is used
struct ScoreSchema(#[schemars(range(min = 0, max = 4))] i64);
