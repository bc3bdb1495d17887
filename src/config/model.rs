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
use toml::value::Datetime;

/// A person id, service id, … as written in the file, with its location.
pub type Id = Spanned<String>;

/// The whole config file, as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organisation: Organisation,
    #[serde(default)]
    pub pack: Pack,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub roles: Roles,
    /// One entry per FitSM process code (`[processes.SLM]`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, ProcessAssignment>")]
    pub processes: BTreeMap<Spanned<String>, ProcessAssignment>,
    #[serde(default)]
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub improvements: Vec<Improvement>,
    /// FitSM requirements declared out of scope, each with a written justification.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Self-assessment in the spirit of FitSM-6.
    pub assessment: Option<Assessment>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Where users go for help: a portal URL or an email address.
    pub service_desk: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default = "default_version")]
    pub version: String,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub effective_date: Option<Spanned<Datetime>>,
    #[serde(default = "default_review_interval")]
    #[schemars(with = "i64", range(min = 1, max = 60))]
    pub review_interval_months: Spanned<i64>,
    #[serde(default = "default_classification")]
    pub classification: String,
    #[serde(default = "default_status")]
    pub status: String,
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

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    pub statement: Option<String>,
    #[serde(default)]
    pub in_scope: Vec<String>,
    #[serde(default)]
    pub out_of_scope: Vec<String>,
    #[serde(default)]
    pub locations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[schemars(with = "String")]
    pub id: Id,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
}

/// SMS-level roles of the FitSM-3 role model, each a person id.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    #[schemars(with = "Option<String>")]
    pub sms_owner: Option<Id>,
    #[schemars(with = "Option<String>")]
    pub sms_manager: Option<Id>,
    #[schemars(with = "Option<String>")]
    pub information_security_manager: Option<Id>,
    #[schemars(with = "Option<String>")]
    pub cab_chair: Option<Id>,
    #[schemars(with = "Option<String>")]
    pub service_desk_lead: Option<Id>,
}

/// Who is accountable for and who runs one FitSM process.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessAssignment {
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    #[schemars(with = "Option<String>")]
    pub manager: Option<Id>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub staff: Vec<Id>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    #[schemars(with = "String")]
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    /// Part of the same organisation, or outside it (the default).
    #[serde(default)]
    pub kind: CustomerKind,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Person id of the customer relationship manager (FitSM-3 CRM case owner).
    #[schemars(with = "Option<String>")]
    pub relationship_manager: Option<Id>,
    /// How often service reviews with this customer take place, e.g. "every 6 months".
    pub review_frequency: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    #[schemars(with = "String")]
    pub id: Id,
    pub name: String,
    pub kind: SupplierKind,
    pub description: Option<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub provides: Vec<Id>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Person id of the supplier relationship manager (FitSM-3 SUPPM case owner).
    #[schemars(with = "Option<String>")]
    pub relationship_manager: Option<Id>,
    /// Contract or agreement reference, e.g. a purchase order number.
    pub agreement_ref: Option<String>,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub agreement_end: Option<Spanned<Datetime>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    #[schemars(with = "String")]
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    /// Lifecycle stage; a service is live unless the config says otherwise.
    #[serde(default)]
    pub status: ServiceStatus,
    pub category: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub customers: Vec<Id>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub suppliers: Vec<Id>,
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
    #[serde(default)]
    pub response_times: PriorityTargets,
    #[serde(default)]
    pub resolution_times: PriorityTargets,
}

/// One target per incident priority; any may be left out.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityTargets {
    pub critical: Option<String>,
    pub high: Option<String>,
    pub medium: Option<String>,
    pub low: Option<String>,
}

/// An entry of the continual improvement register.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Improvement {
    #[schemars(with = "String")]
    pub id: Id,
    pub title: String,
    pub source: Option<String>,
    #[schemars(with = "Option<String>")]
    pub owner: Option<Id>,
    pub status: Option<String>,
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub due: Option<Spanned<Datetime>>,
}

/// A FitSM requirement the organisation does not apply, and why.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    #[schemars(with = "String")]
    pub requirement: Spanned<String>,
    #[schemars(with = "String")]
    pub justification: Spanned<String>,
}

/// A self-assessment: per process (or general requirement group) whether it is in
/// scope, the goal level, and a 0–4 score per requirement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Option<Spanned<Datetime>>,
    /// Person id of who led the assessment.
    #[schemars(with = "Option<String>")]
    pub assessor: Option<Id>,
    /// Keyed by process code (`SLM`) or general requirement group (`GR1`).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, AssessmentArea>")]
    pub areas: BTreeMap<Spanned<String>, AssessmentArea>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentArea {
    #[serde(default = "in_scope_by_default")]
    pub in_scope: bool,
    /// Goal level, 1–4.
    #[schemars(with = "Option<i64>", range(min = 1, max = 4))]
    pub goal: Option<Spanned<i64>>,
    /// Score per requirement ID, 0–4.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, ScoreSchema>")]
    pub scores: BTreeMap<Spanned<String>, Spanned<i64>>,
    pub evidence: Option<String>,
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

/// Whether a supplier is another organisation (underpinning agreement) or part of the
/// same one (operational level agreement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupplierKind {
    External,
    Internal,
}

// How the JSON Schema describes one requirement score (the loader checks the same
// range), so an editor flags a score of 5 as it is typed.
/// A requirement score on the FitSM-6 scale, 0–4.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)] // only its schema is used
struct ScoreSchema(#[schemars(range(min = 0, max = 4))] i64);
