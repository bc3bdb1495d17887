//! The typed template context: what templates see, as `#[derive(Serialize)]` views
//! that borrow from the config.
//!
//! The context is the template author's API (docs/templates.md). Built from structs,
//! a misspelt key is a compile error here rather than a silent blank in a document,
//! and the reference doc is checked against these types. Every reference is resolved
//! (a service's `owner` is the person, not the id), pack-wide defaults are applied,
//! derivable facts are derived, and every entity carries its `home` in the config so
//! a missing fact's placeholder names the key that fills it (see `placeholder`).
//!
//! Per-entity documents get only the shared data plus their own entity, which keeps
//! each context small however many services a provider has; documents rendered once
//! also get the full lists.

mod durations;
mod entities;
mod examples;
mod fields;
mod home;
mod pack;
mod people;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

use entities::Entities;
use home::HomeView;
use pack::{
    CapacityView, ContinuityView, GeneralRequirementsView, ImprovementView, OrganisationView, PackView, PlanView,
    PracticesView, ProcessView, RequirementView, ScopeView, ServiceDeskView, TableView, ToolsView,
};
pub(crate) use people::PersonView as PersonRef;
use people::{People, PersonView, RolesView};

use crate::assessment::AssessmentResult;
use crate::catalogue::Catalogue;
use crate::config::{Config, ServiceStatus, SupplierKind, Support};
use crate::coverage::{Coverage, RequirementCoverage};
use crate::error::Error;
use crate::placeholder::Home;
use crate::plan::{Plan, PlannedDocument};
use crate::render::reads::{Fields, Reads};
use crate::templates::RenderFor;
use crate::templates::{DocumentGroup, TemplateSet};

/// This document: its identity and document-control data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocView<'a> {
    pub(crate) id: &'a str,
    pub(crate) key: &'a str,
    pub(crate) title: &'a str,
    pub(crate) path: &'a str,
    pub(crate) group: DocumentGroup,
    /// The control data that approvals change (version, status, effective date, next
    /// review) as they stand before any approval: written into the front matter, then
    /// replaced there by the lifecycle step (the `lifecycle` module). Templates do not see
    /// them, so no document's text changes when it, or another document, is approved.
    #[serde(skip)]
    pub(crate) version: &'static str,
    #[serde(skip)]
    pub(crate) status: &'a str,
    pub(crate) classification: &'a str,
    #[serde(skip)]
    pub(crate) effective_date: Option<&'a str>,
    #[serde(skip)]
    pub(crate) next_review: Option<&'a str>,
    pub(crate) owner: Option<PersonView<'a>>,
    pub(crate) owner_role: &'a str,
    pub(crate) approver: Option<PersonView<'a>>,
    pub(crate) approver_role: &'a str,
    /// Where a missing owner or approver is set (null when named): pass it to
    /// `person(home=…)` so the placeholder names the key.
    pub(crate) owner_home: Option<&'a Home>,
    pub(crate) approver_home: Option<&'a Home>,
    pub(crate) requirements: Vec<RequirementView<'static>>,
}

/// A line of the document register.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegisterEntry<'a> {
    pub(crate) id: &'a str,
    pub(crate) key: &'a str,
    pub(crate) entity: Option<&'a str>,
    pub(crate) title: &'a str,
    pub(crate) path: &'a str,
    pub(crate) group: DocumentGroup,
    pub(crate) owner: Option<PersonView<'a>>,
    pub(crate) owner_role: &'a str,
    /// Where a missing owner is set, for `person(home=…)`.
    pub(crate) owner_home: Option<&'a Home>,
    pub(crate) approver: Option<PersonView<'a>>,
    pub(crate) approver_role: &'a str,
    pub(crate) approver_home: Option<&'a Home>,
    pub(crate) requirements: &'a [String],
}

/// The coverage figures of summary documents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CoverageView {
    pub(crate) total: usize,
    pub(crate) addressed: usize,
    pub(crate) with_placeholders: usize,
    pub(crate) not_addressed: usize,
    pub(crate) excluded: usize,
    pub(crate) documented: crate::coverage::Share,
    pub(crate) approved: crate::coverage::Share,
    pub(crate) evidenced: crate::coverage::Share,
    pub(crate) percent: f64,
}

/// The data shared by every document of one build, built once.
pub(crate) struct SharedViews<'a> {
    org: OrganisationView<'a>,
    pack: PackView<'a>,
    scope: ScopeView<'a>,
    roles: RolesView<'a>,
    people: Vec<PersonView<'a>>,
    people_by_id: People<'a>,
    processes: Vec<ProcessView<'a>>,
    general_requirements: Vec<GeneralRequirementsView<'static>>,
    service_desk: ServiceDeskView<'a>,
    support: TableView<'a, Support>,
    tools: ToolsView<'a>,
    practices: PracticesView<'a>,
    continuity: ContinuityView<'a>,
    capacity: CapacityView<'a>,
    plan: PlanView<'a>,
    entities: Entities<'a>,
    improvements: Vec<ImprovementView<'a>>,
    /// What the register proposes from the assessment's gaps and missing evidence.
    proposals: Vec<pack::ProposalView<'a>>,
    /// Coverage before rendering (placeholders not counted yet); summary documents
    /// get the counted version.
    requirements: Vec<RequirementCoverage>,
    assessment: Value,
    /// The examples of the organisation's type (`templates/types/`).
    examples: Value,
    /// The hash of each shared part, serialised once per build (see
    /// [`Self::hash_context`]).
    shared_hashes: Mutex<HashMap<PartKey, [u8; 32]>>,
    /// Shared parts as JSON, one spare copy of each, lent to one document's context
    /// at a time and given back after its render (see [`Self::lend_context`]).
    lendable: Mutex<HashMap<PartKey, Value>>,
    config: &'a Config,
}

/// A document's context, holding shared parts lent by [`SharedViews::lend_context`]:
/// hand it to [`SharedViews::give_back`] once rendered.
pub(crate) struct LentContext {
    pub(crate) context: tera::Context,
    /// The shared parts it holds.
    pub(crate) lent: Vec<PartKey>,
}

/// Which copy of a shared part: its name in the context, and the fields its entries
/// keep ([`Fields::ALL`] for a part that is not a whole-pack list: every template
/// gets the same).
pub(crate) type PartKey = (&'static str, Fields);

/// Shared parts [`SharedViews::hash_context`] made for one document's hash, for its
/// render to take ([`SharedViews::lend_context`]); dropped if it is not rendered.
pub(crate) type MadeParts = Vec<(PartKey, Value)>;

/// A context part as [`SharedViews::context_parts`] hands it over.
enum Part<'v> {
    /// The same for every document that reads it (so its hash is computed once, and
    /// its JSON lent from document to document), made when first asked for.
    Shared(&'v dyn Fn() -> serde_json::Result<Value>),
    /// The document's own.
    Own(&'v dyn Json),
}

/// Where [`SharedViews::context_parts`] puts each part it is asked for.
type PutPart<'p> = dyn FnMut(PartKey, Part<'_>) -> serde_json::Result<()> + 'p;

/// A document's own part, made into a JSON value for its context, or written straight
/// into the hash that tells whether it would render as last time: most documents are
/// only hashed, and building their values first was most of that.
trait Json {
    fn value(&self) -> serde_json::Result<Value>;
    fn write(&self, to: &mut dyn std::io::Write) -> serde_json::Result<()>;
}

impl<T: Serialize> Json for T {
    fn value(&self) -> serde_json::Result<Value> {
        serde_json::to_value(self)
    }

    fn write(&self, to: &mut dyn std::io::Write) -> serde_json::Result<()> {
        serde_json::to_writer(to, self)
    }
}

/// A hasher as a writer, for [`Json::write`].
struct HashWriter<'h>(&'h mut sha2::Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> SharedViews<'a> {
    pub(crate) fn new(
        config: &'a Config,
        plan: &Plan,
        catalogue: &'static Catalogue,
        templates: &TemplateSet,
    ) -> Result<Self, Error> {
        let people_by_id = People::new(config);
        let coverage = Coverage::compute(plan, catalogue, config, |_| None, |_| false);
        let assessment = AssessmentResult::compute(config, catalogue);
        Ok(SharedViews {
            org: OrganisationView::new(config),
            pack: PackView::new(config),
            scope: ScopeView::new(&config.scope, "scope"),
            roles: RolesView::new(config, &people_by_id),
            people: config.people.iter().map(PersonView::new).collect(),
            processes: pack::processes(config, catalogue, &people_by_id),
            general_requirements: pack::general_requirements(catalogue),
            service_desk: ServiceDeskView::new(config),
            support: TableView::new(&config.support, "support"),
            tools: ToolsView::new(&config.tools, "tools"),
            practices: PracticesView::new(config),
            continuity: ContinuityView::new(&config.continuity, "continuity"),
            capacity: CapacityView::new(&config.capacity, "capacity"),
            plan: PlanView::new(&config.plan, "plan"),
            entities: Entities::new(config, &people_by_id),
            improvements: pack::improvements(config, &people_by_id),
            proposals: pack::proposals(config, &assessment, &people_by_id),
            requirements: coverage.requirements,
            assessment: assessment_value(assessment),
            examples: examples::load(config, templates)?,
            shared_hashes: Default::default(),
            lendable: Default::default(),
            people_by_id,
            config,
        })
    }

    /// The document-control data of one document (also its front matter).
    pub(crate) fn doc_view<'v>(&'v self, document: &'v PlannedDocument) -> DocView<'v> {
        let catalogue = Catalogue::builtin();
        DocView {
            id: &document.id,
            key: &document.key,
            title: &document.title,
            path: &document.path,
            group: document.group,
            version: document_version(&self.config.pack.status),
            status: &self.config.pack.status,
            classification: &self.config.pack.classification,
            effective_date: self.pack.effective_date.as_deref(),
            next_review: self.pack.next_review.as_deref(),
            owner: document.owner.as_deref().and_then(|id| self.people_by_id.by_id(id)),
            owner_role: &document.owner_role,
            approver: document.approver.as_deref().and_then(|id| self.people_by_id.by_id(id)),
            approver_role: &document.approver_role,
            owner_home: document.owner_home.as_ref(),
            approver_home: document.approver_home.as_ref(),
            requirements: document
                .requirements
                .iter()
                .filter_map(|id| catalogue.requirement(id))
                .map(RequirementView::new)
                .collect(),
        }
    }

    /// The Tera context of one planned document; `coverage` for summary documents.
    /// Only the names its template can read (`reads`) are put in: the rest would be
    /// serialised for nothing (see `render::reads`). Per-entity documents get their
    /// entity and the shared data; documents rendered once also get the full lists.
    /// (The renderer borrows its contexts: [`Self::lend_context`].)
    #[cfg(test)]
    pub(crate) fn for_document(
        &self,
        document: &PlannedDocument,
        plan: &Plan,
        coverage: Option<&Coverage>,
        reads: &Reads,
    ) -> Result<tera::Context, tera::Error> {
        Ok(self.lend_context(document, plan, coverage, reads, MadeParts::new())?.context)
    }

    /// [`Self::for_document`], its shared parts lent: give it back after rendering.
    ///
    /// Serialising a shared part is a deep copy of what it lists (at 10,000 services,
    /// `services` alone is tens of MB of JSON), and most documents read the same
    /// parts. A copy that is given back serves the next document, so each part is
    /// serialised a few times per batch of documents instead of once per document.
    /// `made` holds the parts [`Self::hash_context`] made for this document.
    pub(crate) fn lend_context(
        &self,
        document: &PlannedDocument,
        plan: &Plan,
        coverage: Option<&Coverage>,
        reads: &Reads,
        mut made: MadeParts,
    ) -> Result<LentContext, tera::Error> {
        let mut object = serde_json::Map::new();
        let mut lent = Vec::new();
        self.context_parts(document, plan, coverage, reads, &mut |key, part| {
            let name = key.0;
            let value = match part {
                Part::Own(own) => own.value()?,
                Part::Shared(make) => {
                    let ready = match made.iter().position(|(made, _)| *made == key) {
                        Some(at) => Some(made.swap_remove(at).1),
                        None => self.lendable.lock().ok().and_then(|mut spares| spares.remove(&key)),
                    };
                    lent.push(key);
                    match ready {
                        Some(value) => value,
                        None => make()?,
                    }
                }
            };
            object.insert(name.to_owned(), value);
            Ok(())
        })
        .map_err(|e| tera::Error::msg(e.to_string()))?;
        Ok(LentContext { context: tera::Context::from_value(Value::Object(object))?, lent })
    }

    /// Takes back the shared parts of a context made by [`Self::lend_context`]. One
    /// spare of each part is kept, no more (a spare per thread doubled what they
    /// cost). A whole-pack list is not kept: its entries hold the fields of one
    /// template, which hardly any other document has, and a spare would wait out the
    /// batch (at 10,000 services, some tens of MB for each whole-pack template).
    pub(crate) fn give_back(&self, LentContext { mut context, lent }: LentContext) {
        use std::collections::hash_map::Entry;
        // The copies not kept are freed after the lock is let go.
        let mut not_kept = Vec::new();
        let Ok(mut spares) = self.lendable.lock() else { return };
        for key in lent {
            let Some(value) = context.remove(key.0) else { continue };
            match spares.entry(key) {
                Entry::Vacant(spare) if spare.key().1 == Fields::ALL => {
                    spare.insert(value);
                }
                _ => not_kept.push(value),
            }
        }
        drop(spares);
    }

    /// Drops the spare copies of the shared parts (between batches: the lists a few
    /// whole-pack documents read are not kept for the thousands of documents after).
    pub(crate) fn forget_spares(&self) {
        if let Ok(mut spares) = self.lendable.lock() {
            spares.clear();
        }
    }

    /// Feeds into `hasher` what [`Self::lend_context`] would hold, without building
    /// it: the document's own parts as JSON, each shared part as the hash of its JSON,
    /// made once per build. This is what lets a build tell that a document would
    /// render as last time (`render::reuse`) at the cost of its own parts only;
    /// building a context is a deep copy of every list the template reads. A part
    /// made here for its hash is put in `made`, for the document's render to take.
    pub(crate) fn hash_context(
        &self,
        document: &PlannedDocument,
        plan: &Plan,
        reads: &Reads,
        hasher: &mut sha2::Sha256,
        made: &mut MadeParts,
    ) -> serde_json::Result<()> {
        use sha2::Digest;
        self.context_parts(document, plan, None, reads, &mut |key, part| {
            hasher.update(key.0.as_bytes());
            hasher.update([0]);
            match part {
                Part::Own(own) => own.write(&mut HashWriter(hasher))?,
                Part::Shared(value) => {
                    let known = self.shared_hashes.lock().ok().and_then(|hashes| hashes.get(&key).copied());
                    let hash = match known {
                        Some(hash) => hash,
                        None => {
                            let value = value()?;
                            let hash: [u8; 32] = sha2::Sha256::digest(serde_json::to_vec(&value)?).into();
                            if let Ok(mut hashes) = self.shared_hashes.lock() {
                                hashes.insert(key.clone(), hash);
                            }
                            made.push((key, value));
                            hash
                        }
                    };
                    hasher.update(hash);
                }
            }
            hasher.update([0]);
            Ok(())
        })
    }

    /// The names and values of a document's context, each given to `put` with
    /// whether it is shared, if the template `reads` it. The one list of what a
    /// context holds: [`Self::lend_context`] and [`Self::hash_context`] both walk it.
    fn context_parts(
        &self,
        document: &PlannedDocument,
        plan: &Plan,
        coverage: Option<&Coverage>,
        reads: &Reads,
        put_part: &mut PutPart<'_>,
    ) -> serde_json::Result<()> {
        let mut own = |name: &'static str, value: &dyn Json| {
            if reads.includes(name) { put_part((name, Fields::ALL), Part::Own(value)) } else { Ok(()) }
        };
        own("doc", &self.doc_view(document))?;
        let entity = |kind: RenderFor| document.entity.as_ref().filter(|e| e.kind == kind).map(|e| e.index);
        if let Some(service) = entity(RenderFor::Service).and_then(|i| self.entities.services.get(i)) {
            own("service", service)?;
        }
        let supplier = entity(RenderFor::Supplier).or_else(|| entity(RenderFor::FederationMember));
        if let Some(supplier) = supplier.and_then(|i| self.entities.suppliers.get(i)) {
            own("supplier", supplier)?;
        }
        if let Some(customer) = entity(RenderFor::Customer).and_then(|i| self.entities.customers.get(i)) {
            own("customer", customer)?;
        }
        if let Some(process) =
            document.process.as_ref().and_then(|code| self.processes.iter().find(|p| &p.code == code))
        {
            own("process", process)?;
        }
        if let Some(c) = coverage {
            // Summaries: the requirements with the counted coverage, and its figures.
            own("requirements", &c.requirements)?;
            own(
                "coverage",
                &CoverageView {
                    total: c.total,
                    addressed: c.addressed,
                    with_placeholders: c.with_placeholders,
                    not_addressed: c.not_addressed,
                    excluded: c.excluded,
                    documented: c.documented,
                    approved: c.approved,
                    evidenced: c.evidenced,
                    percent: c.percent,
                },
            )?;
        }
        // A part every document that reads it gets the same, and a whole-pack list,
        // whose entries keep the fields this template reads (`fields`).
        let mut put = |name: &'static str, fields: &Fields, value: &dyn Fn() -> serde_json::Result<Value>| {
            if reads.includes(name) { put_part((name, fields.clone()), Part::Shared(value)) } else { Ok(()) }
        };
        let all = &Fields::ALL;
        let read = reads.fields();
        put("org", all, &|| serde_json::to_value(&self.org))?;
        put("pack", all, &|| serde_json::to_value(&self.pack))?;
        put("scope", all, &|| serde_json::to_value(&self.scope))?;
        put("roles", all, &|| serde_json::to_value(&self.roles))?;
        put("people", all, &|| serde_json::to_value(&self.people))?;
        put("processes", all, &|| serde_json::to_value(&self.processes))?;
        put("general_requirements", all, &|| serde_json::to_value(&self.general_requirements))?;
        put("service_desk", all, &|| serde_json::to_value(&self.service_desk))?;
        put("support", all, &|| serde_json::to_value(&self.support))?;
        put("tools", all, &|| serde_json::to_value(&self.tools))?;
        put("practices", all, &|| serde_json::to_value(&self.practices))?;
        put("continuity", all, &|| serde_json::to_value(&self.continuity))?;
        put("capacity", all, &|| serde_json::to_value(&self.capacity))?;
        put("plan", all, &|| serde_json::to_value(&self.plan))?;
        put("examples", all, &|| Ok(self.examples.clone()))?;
        if document.entity.is_none() {
            put("services", read, &|| fields::entries(&self.entities.services, read))?;
            // The services of each status, in config order (`active`: live, then
            // pipeline). Whole-pack documents loop over these; a list a template
            // filters itself is a copy, and Tera copies a copied list's element again
            // on every attribute read in a loop (at 1,000 services that was most of
            // the continuity plan's 294 ms).
            // Only the lists a template names are made (`active`, `live` …).
            put("services_by_status", read, &|| {
                let of = |status: ServiceStatus| self.entities.services.iter().filter(move |s| s.status == status);
                let lists = [
                    ("live", of(ServiceStatus::Live).collect::<Vec<_>>()),
                    ("pipeline", of(ServiceStatus::Pipeline).collect()),
                    ("retired", of(ServiceStatus::Retired).collect()),
                    ("active", of(ServiceStatus::Live).chain(of(ServiceStatus::Pipeline)).collect()),
                ];
                let mut by_status = serde_json::Map::new();
                for (status, services) in lists.into_iter().filter(|(status, _)| read.keeps(status)) {
                    by_status.insert(status.to_owned(), fields::entries(services, read)?);
                }
                Ok(Value::Object(by_status))
            })?;
            // What each person answers for, so a document can list it per person
            // without looping over every entity for every person (quadratic: at
            // 10,000 services and 1,000 people, 15 M template iterations).
            put("responsibilities", all, &|| serde_json::to_value(self.responsibilities()))?;
            put("suppliers", read, &|| fields::entries(&self.entities.suppliers, read))?;
            // The federation documents list the members apart from the other suppliers.
            put("members", read, &|| {
                let members = self.entities.suppliers.iter().filter(|s| s.kind == SupplierKind::FederationMember);
                fields::entries(members, read)
            })?;
            put("customers", read, &|| fields::entries(&self.entities.customers, read))?;
            put("improvements", read, &|| fields::entries(&self.improvements, read))?;
            put("proposals", read, &|| fields::entries(&self.proposals, read))?;
            put("documents", read, &|| {
                let entries = plan.documents.iter().map(|d| self.register_entry(d)).collect::<Vec<_>>();
                fields::entries(&entries, read)
            })?;
            if coverage.is_none() {
                put("requirements", all, &|| serde_json::to_value(&self.requirements))?;
            }
            put("assessment", all, &|| Ok(self.assessment.clone()))?;
        }
        Ok(())
    }

    /// `responsibilities`: every person's id, with the names of the services they own
    /// and of the customers and suppliers they manage the relationship with (the
    /// derived managers included), each in config order.
    fn responsibilities(&self) -> BTreeMap<&str, Responsibilities<'_>> {
        let mut by_person: BTreeMap<&str, Responsibilities<'_>> =
            self.people.iter().map(|person| (person.id, Responsibilities::default())).collect();
        for service in &self.entities.services {
            if let Some(owner) = &service.owner {
                by_person.entry(owner.id).or_default().services.push(service.name);
            }
        }
        for customer in &self.entities.customers {
            if let Some(manager) = &customer.relationship_manager {
                by_person.entry(manager.id).or_default().customers.push(customer.name);
            }
        }
        for supplier in &self.entities.suppliers {
            if let Some(manager) = &supplier.relationship_manager {
                by_person.entry(manager.id).or_default().suppliers.push(supplier.name);
            }
        }
        by_person
    }

    fn register_entry<'v>(&'v self, document: &'v PlannedDocument) -> RegisterEntry<'v> {
        RegisterEntry {
            id: &document.id,
            key: &document.key,
            entity: document.entity.as_ref().map(|e| e.id.as_str()),
            title: &document.title,
            path: &document.path,
            group: document.group,
            owner: document.owner.as_deref().and_then(|id| self.people_by_id.by_id(id)),
            owner_role: &document.owner_role,
            owner_home: document.owner_home.as_ref(),
            approver: document.approver.as_deref().and_then(|id| self.people_by_id.by_id(id)),
            approver_role: &document.approver_role,
            approver_home: document.approver_home.as_ref(),
            requirements: &document.requirements,
        }
    }

    /// Context for pack-level files (ATTRIBUTION.md): the shared data, no document.
    pub(crate) fn for_pack(&self) -> tera::Context {
        let mut context = tera::Context::new();
        context.insert("org", &self.org);
        context.insert("pack", &self.pack);
        context
    }
}

/// One person's entry in `responsibilities`.
#[derive(Default, Serialize)]
struct Responsibilities<'v> {
    services: Vec<&'v str>,
    customers: Vec<&'v str>,
    suppliers: Vec<&'v str>,
}

/// The version a document carries: drafts are 0.1, the first approved issue 1.0.
fn document_version(status: &str) -> &'static str {
    if status.eq_ignore_ascii_case("approved") { "1.0" } else { "0.1" }
}

/// The assessment result, with the config home of the assessment and of each area.
fn assessment_value(result: AssessmentResult) -> Value {
    let mut value = serde_json::to_value(result).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        if let Some(Value::Array(areas)) = object.get_mut("areas") {
            for area in areas {
                let code = area.get("area").and_then(Value::as_str).unwrap_or_default().to_owned();
                let home = HomeView::nested("assessment.areas", "assessment", format!("areas.{code}."));
                if let (Some(area), Ok(home)) = (area.as_object_mut(), serde_json::to_value(home)) {
                    area.insert("home".into(), home);
                }
            }
        }
        if let Ok(home) = serde_json::to_value(HomeView::table("assessment")) {
            object.insert("home".into(), home);
        }
    }
    value
}
