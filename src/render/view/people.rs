//! People as templates see them, and the roles the config names or implies.

use std::collections::HashMap;

use serde::Serialize;

use super::home::HomeView;
use crate::config::{Config, Id, Person};

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonView<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) email: Option<&'a str>,
    pub(crate) title: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
}

impl<'a> PersonView<'a> {
    pub(crate) fn new(person: &'a Person) -> Self {
        PersonView {
            id: person.id.get_ref(),
            name: &person.name,
            email: person.email.as_deref(),
            title: person.title.as_deref(),
            phone: person.phone.as_deref(),
        }
    }
}

/// People by id, for resolving references once.
pub(crate) struct People<'a> {
    by_id: HashMap<&'a str, PersonView<'a>>,
}

impl<'a> People<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        People { by_id: config.people.iter().map(|p| (p.id.get_ref().as_str(), PersonView::new(p))).collect() }
    }

    pub(crate) fn one(&self, id: &Option<Id>) -> Option<PersonView<'a>> {
        id.as_ref().and_then(|id| self.by_id.get(id.get_ref().as_str()).cloned())
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<PersonView<'a>> {
        self.by_id.get(id).cloned()
    }

    pub(crate) fn all(&self, ids: &[Id]) -> Vec<PersonView<'a>> {
        ids.iter().filter_map(|id| self.by_id.get(id.get_ref().as_str()).cloned()).collect()
    }
}

/// The SMS-level roles. A role the config leaves out is taken from the process
/// whose manager holds it in FitSM-3 terms (the information security manager runs
/// ISM, the CAB chair CHM, the service desk lead ISRM), and `derived` says so, so a
/// document can state where the name comes from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RolesView<'a> {
    pub(crate) sms_owner: Option<PersonView<'a>>,
    pub(crate) sms_manager: Option<PersonView<'a>>,
    pub(crate) information_security_manager: Option<PersonView<'a>>,
    pub(crate) cab_chair: Option<PersonView<'a>>,
    pub(crate) service_desk_lead: Option<PersonView<'a>>,
    /// For each role filled from a process: the process code (`ISM`, `CHM`, `ISRM`).
    pub(crate) derived: HashMap<&'static str, &'static str>,
    pub(crate) home: HomeView<'a>,
}

impl<'a> RolesView<'a> {
    pub(crate) fn new(config: &'a Config, people: &People<'a>) -> Self {
        let roles = &config.roles;
        let manager_of = |code: &str| config.process(code).and_then(|p| people.one(&p.manager));
        let mut derived = HashMap::new();
        let mut role = |key: &'static str, set: &Option<Id>, code: &'static str| {
            people.one(set).or_else(|| {
                let manager = manager_of(code);
                if manager.is_some() {
                    derived.insert(key, code);
                }
                manager
            })
        };
        let information_security_manager =
            role("information_security_manager", &roles.information_security_manager, "ISM");
        let cab_chair = role("cab_chair", &roles.cab_chair, "CHM");
        let service_desk_lead = role("service_desk_lead", &roles.service_desk_lead, "ISRM");
        RolesView {
            sms_owner: people.one(&roles.sms_owner),
            sms_manager: people.one(&roles.sms_manager),
            information_security_manager,
            cab_chair,
            service_desk_lead,
            derived,
            home: HomeView::table("roles"),
        }
    }
}
