//! The FitSM-1 (3.0) requirement catalogue: groups (GR1–GR7, PR1–PR14) and their 82
//! requirements, read from `templates/requirements.toml`.
//!
//! The catalogue is data, not code: IDs, titles and process codes are FitSM's facts, the
//! statements are our own words. It is embedded in the binary and parsed once.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../templates/requirements.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// Where the catalogue comes from and under which licence, printed with it.
    pub licence: String,
    pub groups: Vec<Group>,
    pub requirements: Vec<Requirement>,
}

/// A general requirement group (GR) or a process (PR).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub acronym: String,
    pub kind: GroupKind,
    /// The FitSM process code, for process groups.
    pub process: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    General,
    Process,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub group: String,
    pub topic: String,
    pub statement: String,
    #[serde(default)]
    pub iso20000: Vec<String>,
}

/// A FitSM process, as the rest of the crate sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Process {
    pub code: String,
    pub name: String,
    pub group: String,
}

impl Catalogue {
    /// The catalogue shipped with this version of fitsm-pack.
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        // The file is part of the binary and checked by the tests below, so a parse
        // failure here is a build defect, not a user error.
        CATALOGUE.get_or_init(|| toml::from_str(BUILTIN).expect("built-in requirement catalogue is valid"))
    }

    /// The 14 FitSM processes in catalogue order (PR1 … PR14).
    pub fn processes(&self) -> impl Iterator<Item = Process> + '_ {
        self.groups.iter().filter_map(|group| {
            group.process.as_ref().map(|code| Process {
                code: code.clone(),
                name: group.title.clone(),
                group: group.id.clone(),
            })
        })
    }

    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The assessment areas in catalogue order (GR1 … GR7, then SPM … CSI): the code an
    /// area goes by (a process code, or the group id of a general group) and its group.
    pub fn areas(&self) -> impl Iterator<Item = (&str, &Group)> + '_ {
        self.groups.iter().map(|group| (group.process.as_deref().unwrap_or(&group.id), group))
    }

    /// The group behind an assessment area code (`SLM`, `GR1`).
    pub fn area(&self, code: &str) -> Option<&Group> {
        self.areas().find(|(c, _)| *c == code).map(|(_, group)| group)
    }

    /// The area code a requirement is assessed under (`PR2.1` → `SLM`).
    pub fn area_of(&self, requirement: &Requirement) -> Option<&str> {
        self.areas().find(|(_, group)| group.id == requirement.group).map(|(code, _)| code)
    }

    /// Requirements of one group, in order.
    pub fn requirements_of<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.requirements.iter().filter(move |r| r.group == group)
    }
}

/// `fitsm-pack requirements` output formats.
impl Catalogue {
    /// One table per group, for reading, from `templates/pack/requirements.md`.
    pub fn to_markdown(&self) -> String {
        const TEMPLATE: &str = "pack/requirements.md";
        let groups: Vec<serde_json::Value> = self
            .groups
            .iter()
            .map(|group| {
                serde_json::json!({
                    "id": group.id,
                    "title": group.title,
                    "acronym": group.acronym,
                    "requirements": self.requirements_of(&group.id).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut context = tera::Context::new();
        context.insert("licence", &self.licence);
        context.insert("groups", &groups);
        let source = crate::templates::TemplateSet::builtin().get(TEMPLATE).map(|f| f.text.clone()).unwrap_or_default();
        // The built-in template is tested; a failure here is a defect of this build,
        // reported in the output rather than by a panic.
        tera::Tera::one_off(&source, &context, false)
            .unwrap_or_else(|error| format!("{TEMPLATE} could not be rendered: {}\n", crate::error::tera_chain(&error)))
    }

    /// RFC 4180 CSV, one requirement per row.
    pub fn to_csv(&self) -> String {
        let field = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        let mut out = String::from("id,group,group_title,process,topic,statement,iso20000\r\n");
        for requirement in &self.requirements {
            let group = self.group(&requirement.group);
            let row = [
                requirement.id.as_str(),
                requirement.group.as_str(),
                group.map_or("", |g| g.title.as_str()),
                group.and_then(|g| g.process.as_deref()).unwrap_or(""),
                requirement.topic.as_str(),
                requirement.statement.as_str(),
                &requirement.iso20000.join(" "),
            ];
            out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    pub fn to_json(&self) -> String {
        let value = serde_json::json!({
            "edition": "FitSM-1 3.0",
            "licence": self.licence,
            "count": self.requirements.len(),
            "groups": self.groups,
            "requirements": self.requirements,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn has_all_82_requirements_once() {
        let catalogue = Catalogue::builtin();
        let ids: BTreeSet<&str> = catalogue.requirements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 82);
        assert_eq!(catalogue.requirements.len(), 82);
        let general = catalogue.requirements.iter().filter(|r| r.id.starts_with("GR")).count();
        assert_eq!(general, 17);
        for requirement in &catalogue.requirements {
            assert!(catalogue.group(&requirement.group).is_some(), "{}", requirement.id);
            assert!(requirement.id.starts_with(&format!("{}.", requirement.group)), "{}", requirement.id);
        }
    }

    #[test]
    fn output_formats_list_every_requirement() {
        let catalogue = Catalogue::builtin();
        let json: serde_json::Value = serde_json::from_str(&catalogue.to_json()).expect("json");
        assert_eq!(json["requirements"].as_array().map(Vec::len), Some(82));
        assert_eq!(catalogue.to_csv().lines().count(), 83);
        assert_eq!(
            catalogue.to_markdown().lines().filter(|l| l.starts_with("| GR") || l.starts_with("| PR")).count(),
            82
        );
    }

    #[test]
    fn has_the_14_processes_in_order() {
        let codes: Vec<String> = Catalogue::builtin().processes().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["SPM", "SLM", "SRM", "SACM", "CAPM", "ISM", "CRM", "SUPPM", "ISRM", "PM", "CONFM", "CHM", "RDM", "CSI"]
        );
    }
}
