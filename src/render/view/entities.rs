//! Services, suppliers and customers as templates see them: every reference
//! resolved, every reverse relation filled in, pack-wide defaults applied, and what
//! can be derived derived (a supplier's targets from the services it underpins, a
//! missing relationship manager from the process that holds the role).
//!
//! All lookups are built once, so the whole context is linear in the size of the
//! config (providers with thousands of services).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::durations::strictest;
use super::home::HomeView;
use super::people::{People, PersonView};
use crate::config::{
    Config, CustomerKind, PriorityTargets, ServiceCapacity, ServiceContinuity, ServiceStatus, SupplierKind,
};

/// A service as other entries refer to it: enough to show and judge it without a
/// lookup (Tera has no cheap lookup by id).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) status: ServiceStatus,
    pub(crate) availability_target: Option<f64>,
    pub(crate) recovery_time: Option<&'a str>,
}

/// A customer as a service refers to it: with its representative, so an SLA can
/// name who signs for each customer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CustomerRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: CustomerKind,
    pub(crate) contact_name: Option<&'a str>,
    pub(crate) contact_email: Option<&'a str>,
    pub(crate) home: HomeView<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SupplierRef<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: SupplierKind,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetsView<'a> {
    pub(crate) critical: Option<&'a str>,
    pub(crate) high: Option<&'a str>,
    pub(crate) medium: Option<&'a str>,
    pub(crate) low: Option<&'a str>,
}

impl<'a> TargetsView<'a> {
    fn new(own: &'a PriorityTargets, default: &'a PriorityTargets) -> Self {
        let pick = |a: &'a Option<String>, b: &'a Option<String>| a.as_deref().or(b.as_deref());
        TargetsView {
            critical: pick(&own.critical, &default.critical),
            high: pick(&own.high, &default.high),
            medium: pick(&own.medium, &default.medium),
            low: pick(&own.low, &default.low),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) owner: Option<PersonView<'a>>,
    pub(crate) deputy_owner: Option<PersonView<'a>>,
    pub(crate) status: ServiceStatus,
    pub(crate) category: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
    /// How users get access; falls back to the URL.
    pub(crate) access: Option<&'a str>,
    pub(crate) customers: Vec<CustomerRef<'a>>,
    pub(crate) suppliers: Vec<SupplierRef<'a>>,
    pub(crate) depends_on: Vec<ServiceRef<'a>>,
    pub(crate) used_by: Vec<ServiceRef<'a>>,
    /// 1: depends on no other service; 2: only on tier-1 services; 3: deeper.
    pub(crate) recovery_tier: u8,
    /// The service's own, else `[support] hours`.
    pub(crate) hours: Option<&'a str>,
    /// The service's own, else `[support] support_hours`, else the service's own hours:
    /// a pack-wide support window says more about support than a service's opening hours.
    pub(crate) support_hours: Option<&'a str>,
    pub(crate) availability_target: Option<f64>,
    pub(crate) recovery_time: Option<&'a str>,
    pub(crate) recovery_point: Option<&'a str>,
    pub(crate) response_times: TargetsView<'a>,
    pub(crate) resolution_times: TargetsView<'a>,
    pub(crate) commitments: &'a [String],
    pub(crate) exclusions: &'a [String],
    pub(crate) data_protection: Option<&'a str>,
    pub(crate) data_classification: Option<&'a str>,
    pub(crate) security_assessment: Option<&'a str>,
    pub(crate) users: Option<&'a str>,
    pub(crate) go_live: Option<String>,
    pub(crate) components: &'a [String],
    pub(crate) software: &'a [String],
    pub(crate) data_stores: &'a [String],
    pub(crate) interfaces: &'a [String],
    pub(crate) monitoring: Option<&'a str>,
    /// The service's own, else `[tools] knowledge_base`.
    pub(crate) runbooks: Option<&'a str>,
    pub(crate) capacity: &'a ServiceCapacity,
    pub(crate) continuity: &'a ServiceContinuity,
    pub(crate) home: HomeView<'a>,
}

/// What a supplier commits to: the config's value, else one derived from the
/// services it underpins (`*_basis` names the service the value comes from), else
/// the practice.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SupplierTargetsView<'a> {
    pub(crate) availability: Option<f64>,
    pub(crate) availability_basis: Option<&'a str>,
    pub(crate) response_critical: Option<&'a str>,
    pub(crate) response_critical_basis: Option<&'a str>,
    pub(crate) restoration_critical: Option<&'a str>,
    pub(crate) restoration_critical_basis: Option<&'a str>,
    pub(crate) response_other: Option<&'a str>,
    pub(crate) response_other_basis: Option<&'a str>,
    pub(crate) delivery_time: Option<&'a str>,
    pub(crate) maintenance_notice: String,
    pub(crate) change_notice: String,
    pub(crate) security_incident_notification: String,
    pub(crate) reporting: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SupplierView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: SupplierKind,
    pub(crate) description: Option<&'a str>,
    pub(crate) provides: Vec<ServiceRef<'a>>,
    pub(crate) contact_name: Option<&'a str>,
    pub(crate) contact_email: Option<&'a str>,
    pub(crate) escalation_contact: Option<&'a str>,
    pub(crate) signatory: Option<&'a str>,
    /// The config's, else the SUPPM process manager (`relationship_manager_derived`).
    pub(crate) relationship_manager: Option<PersonView<'a>>,
    pub(crate) relationship_manager_derived: bool,
    pub(crate) agreement_ref: Option<&'a str>,
    pub(crate) agreement_end: Option<String>,
    pub(crate) delivers: &'a [String],
    pub(crate) exclusions: &'a [String],
    pub(crate) locations: &'a [String],
    pub(crate) hours: Option<&'a str>,
    pub(crate) dependencies: Option<&'a str>,
    pub(crate) targets: SupplierTargetsView<'a>,
    pub(crate) next_evaluation: Option<String>,
    pub(crate) site: Option<&'a str>,
    pub(crate) country: Option<&'a str>,
    pub(crate) contacts: &'a crate::config::MemberContacts,
    pub(crate) commitments: &'a [String],
    pub(crate) home: HomeView<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CustomerView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) kind: CustomerKind,
    pub(crate) description: Option<&'a str>,
    /// The customer representative.
    pub(crate) contact_name: Option<&'a str>,
    pub(crate) contact_email: Option<&'a str>,
    pub(crate) deputy_contact_name: Option<&'a str>,
    pub(crate) deputy_contact_email: Option<&'a str>,
    /// The config's, else the CRM process manager (`relationship_manager_derived`).
    pub(crate) relationship_manager: Option<PersonView<'a>>,
    pub(crate) relationship_manager_derived: bool,
    /// The config's, else `[practices] customer_review`.
    pub(crate) review_frequency: String,
    pub(crate) agreement_ref: Option<&'a str>,
    pub(crate) since: Option<String>,
    pub(crate) next_review: Option<String>,
    pub(crate) services: Vec<ServiceRef<'a>>,
    pub(crate) home: HomeView<'a>,
}

/// The three entity lists of one config.
pub(crate) struct Entities<'a> {
    pub(crate) services: Vec<ServiceView<'a>>,
    pub(crate) suppliers: Vec<SupplierView<'a>>,
    pub(crate) customers: Vec<CustomerView<'a>>,
}

impl<'a> Entities<'a> {
    pub(crate) fn new(config: &'a Config, people: &People<'a>) -> Self {
        let services = services(config, people);
        let refs: HashMap<&str, ServiceRef<'a>> = services.iter().map(|s| (s.id, service_ref(s))).collect();
        let by_id: HashMap<&str, &ServiceView<'a>> = services.iter().map(|s| (s.id, s)).collect();
        let practices = config.practices.resolved();
        let manager_of = |code: &str| config.process(code).and_then(|p| people.one(&p.manager));

        // A supplier supports a service whether the service lists the supplier or the
        // supplier lists the service; both directions are merged, without duplicates.
        let mut links: BTreeSet<(&str, &str)> = BTreeSet::new();
        for service in &config.services {
            for supplier in &service.suppliers {
                links.insert((supplier.get_ref(), service.id.get_ref()));
            }
        }
        for supplier in &config.suppliers {
            for service in &supplier.provides {
                links.insert((supplier.id.get_ref(), service.get_ref()));
            }
        }
        let mut provides: HashMap<&str, Vec<ServiceRef<'a>>> = HashMap::new();
        let mut supported_by: HashMap<&str, Vec<SupplierRef<'a>>> = HashMap::new();
        let supplier_refs: HashMap<&str, SupplierRef<'a>> = config
            .suppliers
            .iter()
            .map(|s| (s.id.get_ref().as_str(), SupplierRef { id: s.id.get_ref(), name: &s.name, kind: s.kind }))
            .collect();
        for (supplier, service) in &links {
            if let Some(service_ref) = refs.get(service) {
                provides.entry(supplier).or_default().push(service_ref.clone());
            }
            if let Some(supplier_ref) = supplier_refs.get(supplier) {
                supported_by.entry(service).or_default().push(supplier_ref.clone());
            }
        }

        let suppliers = config
            .suppliers
            .iter()
            .map(|s| {
                let provided = provides.remove(s.id.get_ref().as_str()).unwrap_or_default();
                let underpinned: Vec<&ServiceView<'a>> =
                    provided.iter().filter_map(|r| by_id.get(r.id).copied()).collect();
                let targets = supplier_targets(s, &underpinned, &practices);
                let derived_manager = s.relationship_manager.is_none();
                SupplierView {
                    id: s.id.get_ref(),
                    name: &s.name,
                    kind: s.kind,
                    description: s.description.as_deref(),
                    provides: provided,
                    contact_name: s.contact_name.as_deref(),
                    contact_email: s.contact_email.as_deref(),
                    escalation_contact: s.escalation_contact.as_deref(),
                    signatory: s.signatory.as_deref(),
                    relationship_manager: people.one(&s.relationship_manager).or_else(|| manager_of("SUPPM")),
                    relationship_manager_derived: derived_manager && manager_of("SUPPM").is_some(),
                    agreement_ref: s.agreement_ref.as_deref(),
                    agreement_end: s.agreement_end.as_ref().map(|d| d.get_ref().to_string()),
                    delivers: &s.delivers,
                    exclusions: &s.exclusions,
                    locations: &s.locations,
                    hours: s.hours.as_deref(),
                    dependencies: s.dependencies.as_deref(),
                    targets,
                    next_evaluation: s.next_evaluation.as_ref().map(|d| d.get_ref().to_string()),
                    site: s.site.as_deref(),
                    country: s.country.as_deref(),
                    contacts: &s.contacts,
                    commitments: &s.commitments,
                    home: HomeView::entry("suppliers", s.id.get_ref()),
                }
            })
            .collect();

        let mut uses: HashMap<&str, Vec<ServiceRef<'a>>> = HashMap::new();
        for service in &config.services {
            for customer in &service.customers {
                if let Some(service_ref) = refs.get(service.id.get_ref().as_str()) {
                    uses.entry(customer.get_ref()).or_default().push(service_ref.clone());
                }
            }
        }
        let customers = config
            .customers
            .iter()
            .map(|c| CustomerView {
                id: c.id.get_ref(),
                name: &c.name,
                kind: c.kind,
                description: c.description.as_deref(),
                contact_name: c.contact_name.as_deref(),
                contact_email: c.contact_email.as_deref(),
                deputy_contact_name: c.deputy_contact_name.as_deref(),
                deputy_contact_email: c.deputy_contact_email.as_deref(),
                relationship_manager: people.one(&c.relationship_manager).or_else(|| manager_of("CRM")),
                relationship_manager_derived: c.relationship_manager.is_none() && manager_of("CRM").is_some(),
                review_frequency: c.review_frequency.clone().unwrap_or_else(|| practices.customer_review.clone()),
                agreement_ref: c.agreement_ref.as_deref(),
                since: c.since.as_ref().map(|d| d.get_ref().to_string()),
                next_review: c.next_review.as_ref().map(|d| d.get_ref().to_string()),
                services: uses.remove(c.id.get_ref().as_str()).unwrap_or_default(),
                home: HomeView::entry("customers", c.id.get_ref()),
            })
            .collect();

        let mut services = services;
        for service in &mut services {
            service.suppliers = supported_by.remove(service.id).unwrap_or_default();
        }
        Entities { services, suppliers, customers }
    }
}

fn service_ref<'a>(service: &ServiceView<'a>) -> ServiceRef<'a> {
    ServiceRef {
        id: service.id,
        name: service.name,
        status: service.status,
        availability_target: service.availability_target,
        recovery_time: service.recovery_time,
    }
}

fn services<'a>(config: &'a Config, people: &People<'a>) -> Vec<ServiceView<'a>> {
    let support = &config.support;
    let tiers = recovery_tiers(config);
    let customers: HashMap<&str, &crate::config::Customer> =
        config.customers.iter().map(|c| (c.id.get_ref().as_str(), c)).collect();
    let mut views: Vec<ServiceView<'a>> = config
        .services
        .iter()
        .map(|s| {
            let id = s.id.get_ref().as_str();
            let hours = s.hours.as_deref().or(support.hours.as_deref());
            ServiceView {
                id,
                name: &s.name,
                description: s.description.as_deref(),
                owner: people.one(&s.owner),
                deputy_owner: people.one(&s.deputy_owner),
                status: s.status,
                category: s.category.as_deref(),
                url: s.url.as_deref(),
                access: s.access.as_deref().or(s.url.as_deref()),
                customers: s
                    .customers
                    .iter()
                    .filter_map(|c| customers.get(c.get_ref().as_str()))
                    .map(|c| CustomerRef {
                        id: c.id.get_ref(),
                        name: &c.name,
                        kind: c.kind,
                        contact_name: c.contact_name.as_deref(),
                        contact_email: c.contact_email.as_deref(),
                        home: HomeView::entry("customers", c.id.get_ref()),
                    })
                    .collect(),
                suppliers: Vec::new(),
                depends_on: Vec::new(),
                used_by: Vec::new(),
                recovery_tier: tiers.get(id).copied().unwrap_or(1),
                hours,
                // Not the pack-wide service hours: support hours are their own fact
                // (a 24/7 service is rarely supported around the clock).
                support_hours: s.support_hours.as_deref().or(support.support_hours.as_deref()).or(s.hours.as_deref()),
                availability_target: s.availability_target.as_ref().map(|t| *t.get_ref()),
                recovery_time: s.recovery_time.as_deref(),
                recovery_point: s.recovery_point.as_deref(),
                response_times: TargetsView::new(&s.response_times, &support.response_times),
                resolution_times: TargetsView::new(&s.resolution_times, &support.resolution_times),
                commitments: &s.commitments,
                exclusions: &s.exclusions,
                data_protection: s.data_protection.as_deref(),
                data_classification: s.data_classification.as_deref(),
                security_assessment: s.security_assessment.as_deref(),
                users: s.users.as_deref(),
                go_live: s.go_live.as_ref().map(|d| d.get_ref().to_string()),
                components: &s.components,
                software: &s.software,
                data_stores: &s.data_stores,
                interfaces: &s.interfaces,
                monitoring: s.monitoring.as_deref(),
                runbooks: s.runbooks.as_deref().or(config.tools.knowledge_base.as_deref()),
                capacity: &s.capacity,
                continuity: &s.continuity,
                home: HomeView::entry("services", id),
            }
        })
        .collect();
    let refs: HashMap<&str, ServiceRef<'a>> = views.iter().map(|s| (s.id, service_ref(s))).collect();
    let mut used_by: HashMap<&str, Vec<ServiceRef<'a>>> = HashMap::new();
    for service in &config.services {
        for dependency in &service.depends_on {
            if let Some(user) = refs.get(service.id.get_ref().as_str()) {
                used_by.entry(dependency.get_ref()).or_default().push(user.clone());
            }
        }
    }
    for (view, service) in views.iter_mut().zip(&config.services) {
        view.depends_on = service.depends_on.iter().filter_map(|d| refs.get(d.get_ref().as_str()).cloned()).collect();
        view.used_by = used_by.remove(view.id).unwrap_or_default();
    }
    views
}

fn supplier_targets<'a>(
    supplier: &'a crate::config::Supplier,
    underpinned: &[&ServiceView<'a>],
    practices: &crate::config::ResolvedPractices,
) -> SupplierTargetsView<'a> {
    let own = &supplier.targets;
    let highest = underpinned
        .iter()
        .filter_map(|s| s.availability_target.map(|t| (t, s.name)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let derive = |own: &'a Option<String>, pick: &dyn Fn(&ServiceView<'a>) -> Option<&'a str>| match own {
        Some(value) => (Some(value.as_str()), None),
        None => match strictest(underpinned.iter().filter_map(|s| pick(s).map(|t| (t, s.name)))) {
            Some((value, name)) => (Some(value), Some(name)),
            None => (None, None),
        },
    };
    let (response_critical, response_critical_basis) = derive(&own.response_critical, &|s| s.response_times.critical);
    let (restoration_critical, restoration_critical_basis) = derive(&own.restoration_critical, &|s| s.recovery_time);
    let (response_other, response_other_basis) = derive(&own.response_other, &|s| s.response_times.high);
    let (availability, availability_basis) = match &own.availability {
        Some(value) => (Some(*value.get_ref()), None),
        None => (highest.map(|h| h.0), highest.map(|h| h.1)),
    };
    let or = |value: &Option<String>, default: &str| value.clone().unwrap_or_else(|| default.to_owned());
    SupplierTargetsView {
        availability,
        availability_basis,
        response_critical,
        response_critical_basis,
        restoration_critical,
        restoration_critical_basis,
        response_other,
        response_other_basis,
        delivery_time: own.delivery_time.as_deref(),
        maintenance_notice: or(&own.maintenance_notice, &practices.maintenance_notice),
        change_notice: or(&own.change_notice, &practices.maintenance_notice),
        security_incident_notification: or(
            &own.security_incident_notification,
            &practices.security_incident_notification,
        ),
        reporting: or(&own.reporting, &practices.supplier_reporting),
    }
}

/// Recovery order from the dependencies: tier 1 depends on no other service, tier 2
/// only on tier-1 services, tier 3 on anything deeper. Because the tiers stop at 3, a
/// service's tier needs only its direct dependencies and theirs: no walk down the
/// whole chain (which a recursive walk would do, one stack frame per service), and the
/// work is linear in the number of `depends_on` entries.
pub(crate) fn recovery_tiers(config: &Config) -> HashMap<&str, u8> {
    let depends: HashMap<&str, Vec<&str>> = config
        .services
        .iter()
        .map(|s| {
            let id = s.id.get_ref().as_str();
            (id, s.depends_on.iter().map(|d| d.get_ref().as_str()).filter(|d| *d != id).collect())
        })
        .collect();
    let has_dependencies = |id: &str| depends.get(id).is_some_and(|list| !list.is_empty());
    depends
        .iter()
        .map(|(id, list)| {
            let tier = if list.is_empty() {
                1
            } else if list.iter().any(|d| has_dependencies(d)) {
                3
            } else {
                2
            };
            (*id, tier)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_tiers_of_a_16000_service_chain() {
        let mut text = "[organisation]\nname = \"A\"\n".to_owned();
        for index in 1..=16_000 {
            text.push_str(&format!("[[services]]\nid = \"s{index}\"\nname = \"S{index}\"\n"));
            if index < 16_000 {
                text.push_str(&format!("depends_on = [\"s{}\"]\n", index + 1));
            }
        }
        let config = crate::config::parse_str(&text, std::path::Path::new("chain.toml")).expect("valid chain");
        let tiers = recovery_tiers(&config);
        assert_eq!(tiers.get("s16000"), Some(&1));
        assert_eq!(tiers.get("s15999"), Some(&2));
        assert_eq!(tiers.get("s1"), Some(&3));
    }

    #[test]
    fn supplier_targets_come_from_the_services_they_underpin() {
        let text = r#"
[organisation]
name = "A"
[[suppliers]]
id = "net"
name = "Net"
kind = "external"
provides = ["web", "mail"]
[[services]]
id = "web"
name = "Web"
availability_target = 99.5
recovery_time = "8 hours"
response_times = { critical = "1 hour", high = "4 hours" }
[[services]]
id = "mail"
name = "Mail"
availability_target = 99.9
recovery_time = "4 hours"
response_times = { critical = "30 minutes" }
"#;
        let config = crate::config::parse_str(text, std::path::Path::new("t.toml")).expect("valid");
        let people = People::new(&config);
        let entities = Entities::new(&config, &people);
        let targets = &entities.suppliers[0].targets;
        assert_eq!((targets.availability, targets.availability_basis), (Some(99.9), Some("Mail")));
        assert_eq!((targets.restoration_critical, targets.restoration_critical_basis), (Some("4 hours"), Some("Mail")));
        assert_eq!((targets.response_critical, targets.response_critical_basis), (Some("30 minutes"), Some("Mail")));
        assert_eq!((targets.response_other, targets.response_other_basis), (Some("4 hours"), Some("Web")));
        assert_eq!(targets.maintenance_notice, "5 working days");
    }
}
