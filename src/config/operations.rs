//! The pack-wide facts that many documents state: the service desk, default support
//! targets, the tools the SMS runs on, and the practices (how often, how long, in
//! which order) that policies, plans and process descriptions all refer to.
//!
//! Each of these has exactly one home here, so two documents can never state two
//! versions of one practice. Practices have defaults: a first draft that states one
//! consistent practice everywhere is worth more than forty placeholders, and changing
//! one key changes every document that states it (docs/config.md lists them).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::PriorityTargets;

/// How users reach the service desk: the single point of contact (FitSM PR9).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDesk {
    /// Self-service portal URL.
    pub portal: Option<String>,
    /// Service desk email.
    pub email: Option<String>,
    /// Service desk phone.
    pub phone: Option<String>,
    /// When the service desk is staffed, e.g. "Mon–Fri 08:00–18:00".
    pub hours: Option<String>,
}

/// Pack-wide support defaults; a service's own value wins over these.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Support {
    /// Default service hours, e.g. "24/7".
    pub hours: Option<String>,
    /// Default support hours.
    pub support_hours: Option<String>,
    /// Default response time per incident priority.
    #[serde(default)]
    pub response_times: PriorityTargets,
    /// Default resolution time per incident priority.
    #[serde(default)]
    pub resolution_times: PriorityTargets,
}

/// The tools the SMS runs on.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tools {
    /// Ticketing and self-service tool, e.g. "Request Tracker 5".
    pub ticketing: Option<String>,
    /// Monitoring and alerting tool.
    pub monitoring: Option<String>,
    /// Where configuration items are recorded.
    pub cmdb: Option<String>,
    /// Where controlled documents and records are kept.
    pub document_repository: Option<String>,
    /// Where knowledge articles, runbooks and administration guides are kept.
    pub knowledge_base: Option<String>,
}

/// Who a complaint or a target at risk goes to next, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EscalationStep {
    /// The service desk lead (by default the ISRM process manager).
    ServiceDeskLead,
    /// The owner of the service concerned.
    ServiceOwner,
    /// The customer's (or supplier's) relationship manager.
    RelationshipManager,
    /// The SMS manager.
    SmsManager,
    /// The SMS owner (top management).
    SmsOwner,
}

/// One home per practice. Every field has a default (see [`Practices::resolved`]).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Practices {
    /// Levels of the likelihood and impact scales used for every risk assessment, 3–5.
    #[schemars(range(min = 3, max = 5))]
    pub risk_scale: Option<u8>,
    /// How often the risk assessments (security, continuity) are reviewed.
    pub risk_review: Option<String>,
    /// How often privileged and administrative access rights are reviewed.
    pub access_review: Option<String>,
    /// By when the accounts and access of someone who leaves are removed.
    pub leaver_deadline: Option<String>,
    /// How often top management reviews the SMS.
    pub management_review: Option<String>,
    /// How often the SMS is audited internally.
    pub internal_audit: Option<String>,
    /// How often the FitSM self-assessment is repeated.
    pub self_assessment: Option<String>,
    /// How often each supplier's performance is evaluated.
    pub supplier_evaluation: Option<String>,
    /// How often suppliers report their performance.
    pub supplier_reporting: Option<String>,
    /// Default frequency of service reviews with a customer.
    pub customer_review: Option<String>,
    /// How often customer satisfaction is surveyed.
    pub satisfaction_survey: Option<String>,
    /// How often service reports are produced.
    pub service_reporting: Option<String>,
    /// How often capacity is reviewed against the capacity plan.
    pub capacity_review: Option<String>,
    /// How often the continuity plan is tested.
    pub continuity_test: Option<String>,
    /// How often the change advisory board meets.
    pub cab_meeting: Option<String>,
    /// Minimum notice of planned maintenance to customers (and from suppliers).
    pub maintenance_notice: Option<String>,
    /// Maximum time for a supplier or member to report a security incident.
    pub security_incident_notification: Option<String>,
    /// Time after a major incident by which its review is held.
    pub major_incident_review: Option<String>,
    /// How long a new or changed service gets early life support.
    pub early_life_support: Option<String>,
    /// When, after go-live, a new or changed service is evaluated.
    pub post_implementation_review: Option<String>,
    /// How long security-relevant logs are kept.
    pub log_retention: Option<String>,
    /// How long SMS records are kept unless a law says otherwise.
    pub record_retention: Option<String>,
    /// How often the improvement register is reviewed.
    pub improvement_review: Option<String>,
    /// The escalation order for complaints and targets at risk.
    pub escalation: Option<Vec<EscalationStep>>,
}

/// The practices with every default filled in: what the documents state.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedPractices {
    pub risk_scale: u8,
    pub risk_review: String,
    pub access_review: String,
    pub leaver_deadline: String,
    pub management_review: String,
    pub internal_audit: String,
    pub self_assessment: String,
    pub supplier_evaluation: String,
    pub supplier_reporting: String,
    pub customer_review: String,
    pub satisfaction_survey: String,
    pub service_reporting: String,
    pub capacity_review: String,
    pub continuity_test: String,
    pub cab_meeting: String,
    pub maintenance_notice: String,
    pub security_incident_notification: String,
    pub major_incident_review: String,
    pub early_life_support: String,
    pub post_implementation_review: String,
    pub log_retention: String,
    pub record_retention: String,
    pub improvement_review: String,
    pub escalation: Vec<EscalationStep>,
}

impl Practices {
    /// The defaults, chosen as what a small SMS can sustain and an auditor expects.
    pub fn resolved(&self) -> ResolvedPractices {
        let or = |value: &Option<String>, default: &str| value.clone().unwrap_or_else(|| default.to_owned());
        ResolvedPractices {
            risk_scale: self.risk_scale.unwrap_or(5),
            risk_review: or(&self.risk_review, "yearly"),
            access_review: or(&self.access_review, "quarterly"),
            leaver_deadline: or(&self.leaver_deadline, "on the last working day"),
            management_review: or(&self.management_review, "yearly"),
            internal_audit: or(&self.internal_audit, "yearly"),
            self_assessment: or(&self.self_assessment, "yearly"),
            supplier_evaluation: or(&self.supplier_evaluation, "yearly"),
            supplier_reporting: or(&self.supplier_reporting, "monthly"),
            customer_review: or(&self.customer_review, "yearly"),
            satisfaction_survey: or(&self.satisfaction_survey, "yearly"),
            service_reporting: or(&self.service_reporting, "monthly"),
            capacity_review: or(&self.capacity_review, "quarterly"),
            continuity_test: or(&self.continuity_test, "yearly"),
            cab_meeting: or(&self.cab_meeting, "weekly"),
            maintenance_notice: or(&self.maintenance_notice, "5 working days"),
            security_incident_notification: or(&self.security_incident_notification, "24 hours"),
            major_incident_review: or(&self.major_incident_review, "5 working days"),
            early_life_support: or(&self.early_life_support, "4 weeks"),
            post_implementation_review: or(&self.post_implementation_review, "6 weeks"),
            log_retention: or(&self.log_retention, "12 months"),
            record_retention: or(&self.record_retention, "3 years"),
            improvement_review: or(&self.improvement_review, "monthly"),
            escalation: self.escalation.clone().unwrap_or_else(|| {
                vec![
                    EscalationStep::ServiceDeskLead,
                    EscalationStep::ServiceOwner,
                    EscalationStep::SmsManager,
                    EscalationStep::SmsOwner,
                ]
            }),
        }
    }
}
