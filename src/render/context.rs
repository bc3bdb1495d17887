//! The data templates see.
//!
//! The config is turned into plain JSON values once per build, with every reference
//! resolved (a service's `owner` is the person, not the id), so templates never look
//! anything up. Per-entity documents get only the shared data plus their own entity,
//! which keeps each context small however many services a provider has; documents
//! rendered once also get the full lists.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::values::{
    PackDates, People, Relations, customer_values, general_requirements, improvement_values, organisation_value,
    person_value, process_values, requirement_value, roles_value, service_values, supplier_values,
};
use crate::assessment::AssessmentResult;
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::coverage::Coverage;
use crate::plan::{Plan, PlannedDocument};
use crate::templates::RenderFor;

/// Data shared by every document of one build.
pub(super) struct SharedContext {
    base: Map<String, Value>,
    /// Only for documents rendered once: services, customers, suppliers, requirements …
    lists: Map<String, Value>,
    services: Vec<Value>,
    suppliers: Vec<Value>,
    customers: Vec<Value>,
    processes: HashMap<String, Value>,
    people: HashMap<String, Value>,
    pack: PackDates,
}

impl SharedContext {
    pub(super) fn new(config: &Config, plan: &Plan, catalogue: &Catalogue) -> Self {
        let people = People::new(config);
        let pack = PackDates::new(config);
        let mut base = Map::new();
        base.insert("org".into(), organisation_value(config));
        base.insert("pack".into(), pack.value(config));
        base.insert(
            "scope".into(),
            json!({
                "statement": config.scope.statement,
                "in_scope": config.scope.in_scope,
                "out_of_scope": config.scope.out_of_scope,
                "locations": config.scope.locations,
            }),
        );
        base.insert("roles".into(), roles_value(config, &people));
        base.insert("people".into(), Value::Array(config.people.iter().map(person_value).collect()));
        let (processes, process_list) = process_values(config, catalogue, &people);
        base.insert("processes".into(), Value::Array(process_list));
        base.insert("general_requirements".into(), general_requirements(catalogue));

        let mut relations = Relations::new(config);
        let services = service_values(config, &people, &mut relations);
        let suppliers = supplier_values(config, &people, &mut relations);
        let customers = customer_values(config, &people, &mut relations);
        let mut lists = Map::new();
        lists.insert("services".into(), Value::Array(services.clone()));
        lists.insert("suppliers".into(), Value::Array(suppliers.clone()));
        lists.insert("customers".into(), Value::Array(customers.clone()));
        lists.insert("improvements".into(), improvement_values(config, &people));
        // Coverage before rendering (placeholders not counted yet); summary documents
        // get the counted version through `with_coverage`.
        let coverage = Coverage::compute(plan, catalogue, config, |_| 0);
        lists.insert("requirements".into(), serde_json::to_value(&coverage.requirements).unwrap_or_default());
        lists.insert(
            "assessment".into(),
            serde_json::to_value(AssessmentResult::compute(config, catalogue)).unwrap_or_default(),
        );
        let people = people.by_id;
        lists.insert(
            "documents".into(),
            Value::Array(plan.documents.iter().map(|d| document_summary(d, &people, &pack)).collect()),
        );
        SharedContext { base, lists, services, suppliers, customers, processes, people, pack }
    }

    /// The full Tera context for one planned document.
    pub(super) fn for_document(&self, document: &PlannedDocument) -> tera::Context {
        let mut map = self.base.clone();
        map.insert("doc".into(), document_value(document, &self.people, &self.pack));
        match &document.entity {
            None => map.extend(self.lists.clone()),
            Some(entity) => {
                let (name, list) = match entity.kind {
                    RenderFor::Service => ("service", &self.services),
                    RenderFor::Supplier => ("supplier", &self.suppliers),
                    RenderFor::Customer => ("customer", &self.customers),
                    RenderFor::Once => ("entity", &self.services),
                };
                map.insert(name.into(), list.get(entity.index).cloned().unwrap_or(Value::Null));
            }
        }
        if let Some(code) = &document.process {
            map.insert("process".into(), self.processes.get(code).cloned().unwrap_or(Value::Null));
        }
        // Building from a JSON object cannot fail; fall back to an empty context to be total.
        tera::Context::from_value(Value::Object(map)).unwrap_or_default()
    }
}

fn document_value(document: &PlannedDocument, people: &HashMap<String, Value>, pack: &PackDates) -> Value {
    let person = |id: &Option<String>| id.as_ref().and_then(|id| people.get(id).cloned()).unwrap_or(Value::Null);
    let catalogue = Catalogue::builtin();
    let requirements: Vec<Value> =
        document.requirements.iter().filter_map(|id| catalogue.requirement(id)).map(requirement_value).collect();
    json!({
        "id": document.id,
        "key": document.key,
        "title": document.title,
        "path": document.path,
        "group": document.group,
        "version": pack.version,
        "status": pack.status,
        "classification": pack.classification,
        "effective_date": pack.effective_date,
        "next_review": pack.next_review,
        "owner": person(&document.owner),
        "owner_role": document.owner_role,
        "approver": person(&document.approver),
        "approver_role": document.approver_role,
        "requirements": requirements,
    })
}

/// A line of the document register: what every once-per-pack document can list.
fn document_summary(document: &PlannedDocument, people: &HashMap<String, Value>, pack: &PackDates) -> Value {
    let owner = document.owner.as_ref().and_then(|id| people.get(id)).cloned().unwrap_or(Value::Null);
    json!({
        "id": document.id,
        "key": document.key,
        "entity": document.entity.as_ref().map(|e| e.id.clone()),
        "title": document.title,
        "path": document.path,
        "group": document.group,
        "owner": owner,
        "owner_role": document.owner_role,
        "next_review": pack.next_review,
        "requirements": document.requirements,
    })
}

/// Adds the coverage computed after rendering (with placeholder counts) to the context
/// of a summary document.
pub(super) fn with_coverage(context: &mut tera::Context, coverage: &Coverage) {
    context.insert("requirements", &coverage.requirements);
    context.insert(
        "coverage",
        &json!({
            "total": coverage.total,
            "addressed": coverage.addressed,
            "with_placeholders": coverage.with_placeholders,
            "not_addressed": coverage.not_addressed,
            "excluded": coverage.excluded,
            "percent": coverage.percent,
        }),
    );
}

impl SharedContext {
    /// Context for pack-level files (ATTRIBUTION.md): everything but a current document.
    pub(super) fn for_pack(&self) -> tera::Context {
        let mut map = self.base.clone();
        map.extend(self.lists.clone());
        tera::Context::from_value(Value::Object(map)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::values::recovery_tiers;

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
}
