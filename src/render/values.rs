//! The config as the JSON values templates see, one builder per part: people, the
//! pack's dates, roles, processes, and the services, suppliers and customers with every
//! reference resolved and every reverse relation filled in (see `context`).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use crate::catalogue::Catalogue;
use crate::config::{Config, Id, Person, PriorityTargets};

/// People by id, as templates see them.
pub(super) struct People {
    pub(super) by_id: HashMap<String, Value>,
}

impl People {
    pub(super) fn new(config: &Config) -> Self {
        People { by_id: config.people.iter().map(|p| (p.id.get_ref().clone(), person_value(p))).collect() }
    }

    /// The person an optional reference names, or null.
    pub(super) fn one(&self, id: &Option<Id>) -> Value {
        id.as_ref().and_then(|id| self.by_id.get(id.get_ref()).cloned()).unwrap_or(Value::Null)
    }

    pub(super) fn all(&self, ids: &[Id]) -> Vec<Value> {
        ids.iter().filter_map(|id| self.by_id.get(id.get_ref()).cloned()).collect()
    }
}

impl PackDates {
    pub(super) fn new(config: &Config) -> Self {
        let effective = config.pack.effective_date.as_ref().and_then(|d| d.get_ref().date).and_then(|d| {
            jiff::civil::Date::new(i16::try_from(d.year).ok()?, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?)
                .ok()
        });
        let months = *config.pack.review_interval_months.get_ref();
        let next_review = effective.and_then(|date| date.checked_add(jiff::Span::new().months(months)).ok());
        PackDates {
            version: config.pack.version.clone(),
            status: config.pack.status.clone(),
            classification: config.pack.classification.clone(),
            effective_date: effective.map(|d| d.to_string()),
            next_review: next_review.map(|d| d.to_string()),
        }
    }

    pub(super) fn value(&self, config: &Config) -> Value {
        json!({
            "version": self.version,
            "status": self.status,
            "classification": self.classification,
            "language": config.pack.language,
            "effective_date": self.effective_date,
            "next_review": self.next_review,
            "review_interval_months": config.pack.review_interval_months.get_ref(),
            "generator": concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")),
        })
    }
}

pub(super) fn organisation_value(config: &Config) -> Value {
    let organisation = &config.organisation;
    let short_name = organisation.short_name.clone().unwrap_or_else(|| organisation.name.clone());
    json!({
        "name": organisation.name,
        "short_name": short_name,
        "description": organisation.description,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "phone": organisation.phone,
        "address": organisation.address,
        "service_desk": organisation.service_desk,
    })
}

pub(super) fn roles_value(config: &Config, people: &People) -> Value {
    let roles = &config.roles;
    json!({
        "sms_owner": people.one(&roles.sms_owner),
        "sms_manager": people.one(&roles.sms_manager),
        // The ISM process manager is the information security manager (FitSM-3).
        "information_security_manager": roles.information_security_manager.as_ref().map_or_else(
            || config.processes.iter().find(|(code, _)| code.get_ref() == "ISM").map_or(Value::Null, |(_, p)| people.one(&p.manager)),
            |_| people.one(&roles.information_security_manager),
        ),
        "cab_chair": people.one(&roles.cab_chair),
        "service_desk_lead": people.one(&roles.service_desk_lead),
    })
}

/// Every FitSM process with its owner, manager, staff and requirements: by code, and
/// in catalogue order.
pub(super) fn process_values(
    config: &Config,
    catalogue: &Catalogue,
    people: &People,
) -> (HashMap<String, Value>, Vec<Value>) {
    let mut processes = HashMap::new();
    let mut process_list = Vec::new();
    for process in catalogue.processes() {
        let assignment = config.processes.iter().find(|(code, _)| code.get_ref() == &process.code).map(|(_, a)| a);
        let requirements: Vec<Value> = catalogue.requirements_of(&process.group).map(requirement_value).collect();
        let value = json!({
            "code": process.code,
            "name": process.name,
            "group": process.group,
            "owner": assignment.map_or(Value::Null, |a| people.one(&a.owner)),
            "manager": assignment.map_or(Value::Null, |a| people.one(&a.manager)),
            "staff": assignment.map_or_else(Vec::new, |a| people.all(&a.staff)),
            "key": format!("process-{}", process.code.to_lowercase()),
            "requirements": requirements,
        });
        processes.insert(process.code.clone(), value.clone());
        process_list.push(value);
    }
    (processes, process_list)
}

pub(super) fn general_requirements(catalogue: &Catalogue) -> Value {
    Value::Array(
        catalogue
            .groups
            .iter()
            .filter(|g| g.process.is_none())
            .map(|g| json!({"id": g.id, "title": g.title, "acronym": g.acronym, "requirements": catalogue.requirements_of(&g.id).map(requirement_value).collect::<Vec<_>>()}))
            .collect(),
    )
}

/// Lookups by id and reverse relations, built once so that the whole context is
/// linear in the size of the config (providers with thousands of services). Each list
/// is taken out by the entity it belongs to.
pub(super) struct Relations<'a> {
    service_names: HashMap<&'a str, &'a str>,
    customer_names: HashMap<&'a str, &'a str>,
    services_by_id: HashMap<&'a str, &'a crate::config::Service>,
    tiers: HashMap<&'a str, u8>,
    used_by: HashMap<&'a str, Vec<Value>>,
    customers_services: HashMap<&'a str, Vec<Value>>,
    suppliers_services: HashMap<&'a str, Vec<Value>>,
    services_suppliers: HashMap<&'a str, Vec<Value>>,
}

impl<'a> Relations<'a> {
    pub(super) fn new(config: &'a Config) -> Self {
        let supplier_refs: HashMap<&str, Value> = config
            .suppliers
            .iter()
            .map(|s| (s.id.get_ref().as_str(), json!({"id": s.id.get_ref(), "name": s.name, "kind": s.kind})))
            .collect();
        let mut relations = Relations {
            service_names: config.services.iter().map(|s| (s.id.get_ref().as_str(), s.name.as_str())).collect(),
            customer_names: config.customers.iter().map(|c| (c.id.get_ref().as_str(), c.name.as_str())).collect(),
            services_by_id: config.services.iter().map(|s| (s.id.get_ref().as_str(), s)).collect(),
            tiers: recovery_tiers(config),
            used_by: HashMap::new(),
            customers_services: HashMap::new(),
            suppliers_services: HashMap::new(),
            services_suppliers: HashMap::new(),
        };
        for service in &config.services {
            for dependency in &service.depends_on {
                relations.used_by.entry(dependency.get_ref()).or_default().push(service_ref(service));
            }
            for customer in &service.customers {
                relations.customers_services.entry(customer.get_ref()).or_default().push(service_ref(service));
            }
        }
        // A supplier supports a service whether the service lists the supplier or the
        // supplier lists the service; both directions are merged, without duplicates.
        let mut links: BTreeMap<(&str, &str), ()> = BTreeMap::new();
        for service in &config.services {
            for supplier in &service.suppliers {
                links.insert((service.id.get_ref().as_str(), supplier.get_ref().as_str()), ());
            }
        }
        for supplier in &config.suppliers {
            for service in &supplier.provides {
                links.insert((service.get_ref().as_str(), supplier.id.get_ref().as_str()), ());
            }
        }
        for (service, supplier) in links.keys() {
            if let Some(value) = supplier_refs.get(supplier) {
                relations.services_suppliers.entry(service).or_default().push(value.clone());
            }
            let name = relations.service_names.get(service).copied();
            relations.suppliers_services.entry(supplier).or_default().push(json!({"id": service, "name": name}));
        }
        relations
    }

    fn refs(ids: &[Id], names: &HashMap<&str, &str>) -> Vec<Value> {
        ids.iter().map(|id| json!({"id": id.get_ref(), "name": names.get(id.get_ref().as_str())})).collect()
    }
}

/// A service as other entries refer to it: enough to show and judge it without a
/// lookup (templates have no cheap way to look things up by id).
pub(super) fn service_ref(s: &crate::config::Service) -> Value {
    json!({
        "id": s.id.get_ref(),
        "name": s.name,
        "status": s.status,
        "availability_target": s.availability_target.as_ref().map(|t| *t.get_ref()),
    })
}

pub(super) fn service_values(config: &Config, people: &People, relations: &mut Relations<'_>) -> Vec<Value> {
    config
        .services
        .iter()
        .map(|s| {
            let id = s.id.get_ref().as_str();
            json!({
                "id": id,
                "name": s.name,
                "description": s.description,
                "owner": people.one(&s.owner),
                "status": s.status,
                "category": s.category,
                "url": s.url,
                "customers": Relations::refs(&s.customers, &relations.customer_names),
                "suppliers": relations.services_suppliers.remove(id).unwrap_or_default(),
                "depends_on": s
                    .depends_on
                    .iter()
                    .filter_map(|d| relations.services_by_id.get(d.get_ref().as_str()).map(|d| service_ref(d)))
                    .collect::<Vec<_>>(),
                "recovery_tier": relations.tiers.get(id).copied().unwrap_or(1),
                "used_by": relations.used_by.remove(id).unwrap_or_default(),
                "hours": s.hours,
                "support_hours": s.support_hours.clone().or_else(|| s.hours.clone()),
                "availability_target": s.availability_target.as_ref().map(|t| *t.get_ref()),
                "recovery_time": s.recovery_time,
                "recovery_point": s.recovery_point,
                "response_times": targets(&s.response_times),
                "resolution_times": targets(&s.resolution_times),
            })
        })
        .collect()
}

pub(super) fn supplier_values(config: &Config, people: &People, relations: &mut Relations<'_>) -> Vec<Value> {
    config
        .suppliers
        .iter()
        .map(|s| {
            json!({
                "id": s.id.get_ref(),
                "name": s.name,
                "kind": s.kind,
                "description": s.description,
                "provides": relations.suppliers_services.remove(s.id.get_ref().as_str()).unwrap_or_default(),
                "contact_name": s.contact_name,
                "contact_email": s.contact_email,
                "relationship_manager": people.one(&s.relationship_manager),
                "agreement_ref": s.agreement_ref,
                "agreement_end": s.agreement_end.as_ref().map(|d| d.get_ref().to_string()),
            })
        })
        .collect()
}

pub(super) fn customer_values(config: &Config, people: &People, relations: &mut Relations<'_>) -> Vec<Value> {
    config
        .customers
        .iter()
        .map(|c| {
            json!({
                "id": c.id.get_ref(),
                "name": c.name,
                "description": c.description,
                "kind": c.kind,
                "contact_name": c.contact_name,
                "contact_email": c.contact_email,
                "relationship_manager": people.one(&c.relationship_manager),
                "review_frequency": c.review_frequency,
                "services": relations.customers_services.remove(c.id.get_ref().as_str()).unwrap_or_default(),
            })
        })
        .collect()
}

pub(super) fn improvement_values(config: &Config, people: &People) -> Value {
    Value::Array(
        config
            .improvements
            .iter()
            .map(|i| {
                json!({
                    "id": i.id.get_ref(),
                    "title": i.title,
                    "source": i.source,
                    "owner": people.one(&i.owner),
                    "status": i.status,
                    "due": i.due.as_ref().map(|d| d.get_ref().to_string()),
                })
            })
            .collect(),
    )
}

pub(super) struct PackDates {
    pub(super) version: String,
    pub(super) status: String,
    pub(super) classification: String,
    pub(super) effective_date: Option<String>,
    pub(super) next_review: Option<String>,
}

pub(super) fn person_value(person: &Person) -> Value {
    json!({
        "id": person.id.get_ref(),
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "phone": person.phone,
    })
}

/// Recovery order from the dependencies: tier 1 depends on no other service, tier 2
/// only on tier-1 services, tier 3 on anything deeper. Because the tiers stop at 3, a
/// service's tier needs only its direct dependencies and theirs: no walk down the
/// whole chain (which a recursive walk would do, one stack frame per service), and the
/// work is linear in the number of `depends_on` entries.
pub(super) fn recovery_tiers(config: &Config) -> HashMap<&str, u8> {
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

pub(super) fn requirement_value(requirement: &crate::catalogue::Requirement) -> Value {
    json!({"id": requirement.id, "topic": requirement.topic, "statement": requirement.statement, "iso20000": requirement.iso20000})
}

pub(super) fn targets(targets: &PriorityTargets) -> Value {
    json!({"critical": targets.critical, "high": targets.high, "medium": targets.medium, "low": targets.low})
}
