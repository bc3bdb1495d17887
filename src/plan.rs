//! The pack plan: which documents a build produces, for which entity, at which path, with
//! which document-control data. It is computed from the config and the template
//! declarations alone (no rendering, no file system), so `build`, `--dry-run`, `diff` and
//! `check` all share it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::config::{Config, SupplierKind};
use crate::error::{Error, TemplateError};
use crate::placeholder::Home;
use crate::templates::{Declaration, DocumentGroup, DocumentTemplate, Origin, RenderFor, RoleSpec};

/// One output document.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedDocument {
    /// Tera template name, e.g. `documents/sla.md`.
    pub template: String,
    /// The declaration's key, e.g. `sla`.
    pub key: String,
    /// The entity this copy is for (`None` for once-per-organisation documents).
    pub entity: Option<EntityRef>,
    /// Document id, e.g. `SLA-HPC`.
    pub id: String,
    pub title: String,
    /// Path under `markdown/`, `/`-separated, e.g. `services/hpc/service-level-agreement.md`.
    pub path: String,
    pub group: DocumentGroup,
    pub requirements: Vec<String>,
    /// Person id of the document owner, if the config names one.
    pub owner: Option<String>,
    /// What the owner is, in words, e.g. "service owner" (for placeholders).
    pub owner_role: String,
    pub approver: Option<String>,
    pub approver_role: String,
    /// Where the owner and the approver are set in the config, for the placeholder
    /// when one is missing (see `placeholder::tagged`).
    pub owner_home: Option<Home>,
    pub approver_home: Option<Home>,
    /// For process descriptions: the FitSM process code.
    pub process: Option<String>,
    /// Rendered after the others, with their placeholder counts (see `Declaration`).
    pub summary: bool,
    /// The review interval of the kind, when the template sets one.
    pub review_interval_months: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    pub kind: RenderFor,
    /// Position in the config's list of that kind.
    pub index: usize,
    pub id: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub documents: Vec<PlannedDocument>,
}

impl Plan {
    /// Plans every document of the pack. Fails on a template declaration that cannot
    /// work (unknown requirement or process, unsafe path, two documents on one path).
    pub fn new(config: &Config, templates: &[DocumentTemplate], catalogue: &Catalogue) -> Result<Plan, Error> {
        let mut documents = Vec::new();
        for template in templates {
            check_declaration(template, catalogue)?;
            for entity in entities(config, template.declaration.render_for) {
                documents.push(plan_one(config, template, entity));
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for document in &documents {
            match seen.insert(&document.path, &document.template) {
                Some(first) if first != document.template => {
                    let template = templates.iter().find(|t| t.name == document.template);
                    return Err(Error::Template(TemplateError {
                        template: document.template.clone(),
                        origin: template.map_or(Origin::Builtin, |t| t.origin.clone()),
                        line: None,
                        message: format!("output path `{}` is also used by {first}", document.path),
                    }));
                }
                _ => {}
            }
        }
        Ok(Plan { documents })
    }

    /// Looks a document up by declaration key and entity id.
    pub fn find(&self, key: &str, entity: Option<&str>) -> Option<&PlannedDocument> {
        self.documents.iter().find(|d| d.key == key && d.entity.as_ref().map(|e| e.id.as_str()) == entity)
    }
}

fn entities(config: &Config, render_for: RenderFor) -> Vec<Option<EntityRef>> {
    // The index is the position in the config's list, which the renderer uses to find
    // the entity; members are suppliers, so both supplier kinds index `suppliers`.
    let suppliers = |members: bool| -> Vec<(usize, &str)> {
        config
            .suppliers
            .iter()
            .enumerate()
            .filter(|(_, s)| (s.kind == SupplierKind::FederationMember) == members)
            .map(|(index, s)| (index, s.id.get_ref().as_str()))
            .collect()
    };
    let ids: Vec<(usize, &str)> = match render_for {
        RenderFor::Once => return vec![None],
        RenderFor::Service => config.services.iter().map(|s| s.id.get_ref().as_str()).enumerate().collect(),
        RenderFor::Supplier => suppliers(false),
        RenderFor::FederationMember => suppliers(true),
        RenderFor::Customer => config.customers.iter().map(|c| c.id.get_ref().as_str()).enumerate().collect(),
    };
    ids.into_iter().map(|(index, id)| Some(EntityRef { kind: render_for, index, id: id.to_owned() })).collect()
}

fn plan_one(config: &Config, template: &DocumentTemplate, entity: Option<EntityRef>) -> PlannedDocument {
    let declaration = &template.declaration;
    let (entity_id, entity_name) = match &entity {
        Some(entity) => (entity.id.as_str(), entity_name(config, entity)),
        None => ("", String::new()),
    };
    let (owner, owner_role) = resolve_role(config, &declaration.owner, entity.as_ref(), declaration);
    let (approver, approver_role) =
        independent_approver(config, resolve_role(config, &declaration.approver, entity.as_ref(), declaration), &owner);
    let owner_home = if owner.is_none() { role_home(&declaration.owner, entity.as_ref(), config) } else { None };
    let approver_home =
        if approver.is_none() { role_home(&declaration.approver, entity.as_ref(), config) } else { None };
    PlannedDocument {
        owner_home,
        approver_home,
        template: template.name.clone(),
        key: declaration.key.clone(),
        id: declaration.id.replace("{id}", entity_id).to_uppercase(),
        title: declaration.title.replace("{name}", &entity_name),
        path: declaration.path.replace("{id}", entity_id),
        group: declaration.group,
        requirements: declaration.requirements.clone(),
        owner,
        owner_role,
        approver,
        approver_role,
        process: declaration.process.clone(),
        summary: declaration.summary,
        review_interval_months: declaration.review_interval_months,
        entity,
    }
}

fn entity_name(config: &Config, entity: &EntityRef) -> String {
    let name = match entity.kind {
        RenderFor::Once => None,
        RenderFor::Service => config.services.get(entity.index).map(|s| &s.name),
        RenderFor::Supplier | RenderFor::FederationMember => config.suppliers.get(entity.index).map(|s| &s.name),
        RenderFor::Customer => config.customers.get(entity.index).map(|c| &c.name),
    };
    // Titles are one line in front matter and headings.
    name.map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

/// The approver, if possible someone other than the owner: nobody should approve
/// their own document (GR2 asks for a review by someone else). The declared approver
/// comes first, then the SMS owner, then the SMS manager; only when the config names
/// no one else does the owner approve (and `check` warns).
fn independent_approver(
    config: &Config,
    declared: (Option<String>, String),
    owner: &Option<String>,
) -> (Option<String>, String) {
    if declared.0.is_none() || declared.0 != *owner {
        return declared;
    }
    let id = |value: &Option<toml::Spanned<String>>| value.as_ref().map(|v| v.get_ref().clone());
    [(id(&config.roles.sms_owner), "SMS owner"), (id(&config.roles.sms_manager), "SMS manager")]
        .into_iter()
        .find(|(person, _)| person.is_some() && person != owner)
        .map_or(declared, |(person, role)| (person, role.to_owned()))
}

/// Where the person a role spec names is set in the config: the key `todo` offers
/// when the config names no one (a role with a fallback names the fallback, as the
/// fact registry does).
fn role_home(spec: &RoleSpec, entity: Option<&EntityRef>, config: &Config) -> Option<Home> {
    let table = |section: &str, key: &str| Some(Home { section: section.into(), id: None, key: key.into() });
    match spec {
        RoleSpec::SmsOwner => table("roles", "sms_owner"),
        RoleSpec::SmsManager => table("roles", "sms_manager"),
        RoleSpec::InformationSecurityManager => table("processes", "ISM.manager"),
        RoleSpec::ProcessOwner(code) => table("processes", &format!("{code}.owner")),
        RoleSpec::Entity => match entity?.kind {
            RenderFor::Service => Some(Home {
                section: "services".into(),
                id: config.services.get(entity?.index).map(|s| s.id.get_ref().clone()),
                key: "owner".into(),
            }),
            RenderFor::Supplier | RenderFor::FederationMember => table("processes", "SUPPM.manager"),
            RenderFor::Customer => table("processes", "CRM.manager"),
            RenderFor::Once => None,
        },
    }
}

/// Resolves a role spec from a declaration to a person id and a description of the role.
fn resolve_role(
    config: &Config,
    spec: &RoleSpec,
    entity: Option<&EntityRef>,
    declaration: &Declaration,
) -> (Option<String>, String) {
    let id = |value: &Option<toml::Spanned<String>>| value.as_ref().map(|v| v.get_ref().clone());
    let process_role = |code: &str, manager: bool| {
        config.process(code).and_then(|p| if manager { id(&p.manager) } else { id(&p.owner) })
    };
    match spec {
        RoleSpec::SmsOwner => (id(&config.roles.sms_owner), "SMS owner".into()),
        RoleSpec::SmsManager => (id(&config.roles.sms_manager), "SMS manager".into()),
        RoleSpec::InformationSecurityManager => (
            id(&config.roles.information_security_manager).or_else(|| process_role("ISM", true)),
            "information security manager".into(),
        ),
        RoleSpec::Entity => match entity {
            Some(entity) => match entity.kind {
                RenderFor::Service => {
                    (config.services.get(entity.index).and_then(|s| id(&s.owner)), "service owner".into())
                }
                RenderFor::Supplier | RenderFor::FederationMember => (
                    config
                        .suppliers
                        .get(entity.index)
                        .and_then(|s| id(&s.relationship_manager))
                        .or_else(|| process_role("SUPPM", true)),
                    "supplier relationship manager".into(),
                ),
                RenderFor::Customer => (
                    config
                        .customers
                        .get(entity.index)
                        .and_then(|c| id(&c.relationship_manager))
                        .or_else(|| process_role("CRM", true)),
                    "customer relationship manager".into(),
                ),
                RenderFor::Once => (None, "document owner".into()),
            },
            None => (None, format!("owner of {}", declaration.title)),
        },
        RoleSpec::ProcessOwner(code) => (process_role(code, false), format!("{code} process owner")),
    }
}

fn check_declaration(template: &DocumentTemplate, catalogue: &Catalogue) -> Result<(), Error> {
    let declaration = &template.declaration;
    let fail = |message: String| Err(declaration_error(template, message));
    for requirement in &declaration.requirements {
        if catalogue.requirement(requirement).is_none() {
            return fail(format!(
                "unknown FitSM requirement `{requirement}` in `requirements` (IDs look like GR2.1 or PR12.4)"
            ));
        }
    }
    let codes: BTreeSet<String> = catalogue.processes().map(|p| p.code).collect();
    if let Some(code) = declaration.process.as_ref().filter(|code| !codes.contains(*code)) {
        {
            return fail(format!(
                "unknown process `{code}`; FitSM process codes are {}",
                codes.iter().cloned().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    for spec in [&declaration.owner, &declaration.approver] {
        if let RoleSpec::ProcessOwner(code) = spec
            && !codes.contains(code)
        {
            return fail(format!(
                "unknown process `{code}` in the role `process:{code}`; FitSM process codes are {}",
                codes.iter().cloned().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    if let Some(problem) = path_pattern_problem(&declaration.path, declaration.render_for) {
        return fail(format!("unusable `path` \"{}\": {problem}", declaration.path));
    }
    Ok(())
}

/// Output paths must stay inside `markdown/` whatever the config says; ids are checked
/// slugs, so checking the pattern is enough.
fn path_pattern_problem(pattern: &str, render_for: RenderFor) -> Option<&'static str> {
    if !pattern.ends_with(".md") {
        return Some("it must end in .md");
    }
    if pattern.starts_with('/') || pattern.contains('\\') || pattern.contains(':') {
        return Some("it must be a relative path with `/` separators");
    }
    if pattern.split('/').any(|part| part.is_empty() || part == "." || part == ".." || part.starts_with('.')) {
        return Some("it must not contain empty, `.`, `..` or hidden parts");
    }
    let has_id = pattern.contains("{id}");
    match (render_for, has_id) {
        (RenderFor::Once, true) => Some("`{id}` is only available for per-entity documents"),
        (RenderFor::Once, false) => None,
        (_, false) => Some("a per-entity document needs `{id}` in its path"),
        (_, true) => None,
    }
}

fn declaration_error(template: &DocumentTemplate, message: String) -> Error {
    Error::Template(TemplateError {
        template: template.name.clone(),
        origin: template.origin.clone(),
        line: None,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns_must_stay_inside() {
        assert_eq!(path_pattern_problem("services/{id}/sla.md", RenderFor::Service), None);
        assert!(path_pattern_problem("../x.md", RenderFor::Once).is_some());
        assert!(path_pattern_problem("/etc/x.md", RenderFor::Once).is_some());
        assert!(path_pattern_problem("a//b.md", RenderFor::Once).is_some());
        assert!(path_pattern_problem("services/sla.md", RenderFor::Service).is_some());
        assert!(path_pattern_problem("x.txt", RenderFor::Once).is_some());
    }
}
