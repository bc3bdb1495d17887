//! The registry of facts: every config key a document may ask for, with the words of
//! its placeholder, an example value, and where a missing value is best set.
//!
//! It is data (`facts.toml` beside this file) because it is a table, not logic. Two
//! parts of the tool read it: rendering, for the placeholder of a missing fact (a
//! template naming a key that is not here is a template error, so every placeholder
//! names a real home), and `fitsm-pack todo`, for the key and example it shows.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::model::Config;
use crate::catalogue::Catalogue;

const REGISTRY: &str = include_str!("facts.toml");

/// One fact of the registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    /// The table kind the fact lives in: `services`, `tools`, `processes`, …
    pub kind: String,
    /// Dotted key inside that table.
    pub key: String,
    /// What the placeholder asks for.
    pub prompt: String,
    /// An example value (`"@person"`, `"@scores"` are filled from the config).
    pub example: toml::Value,
    /// Where the value comes from when the entity leaves it out: `"support"` (the same
    /// key there) or `"table:key"`.
    pub fallback: Option<String>,
}

impl FactSpec {
    /// The (section, key) of the fallback home, if the fact has one.
    pub fn fallback_home(&self) -> Option<(&str, &str)> {
        let fallback = self.fallback.as_deref()?;
        Some(fallback.split_once(':').unwrap_or((fallback, self.key.as_str())))
    }

    /// The example for this fact in `config`: a real person id for a person, the
    /// area's requirements for a score table.
    pub fn example_for(&self, config: &Config, area: Option<&str>) -> toml::Value {
        match self.example.as_str() {
            Some("@person") => {
                let person = config
                    .roles
                    .sms_manager
                    .as_ref()
                    .map(|id| id.get_ref().clone())
                    .or_else(|| config.people.first().map(|p| p.id.get_ref().clone()))
                    .unwrap_or_else(|| "add-a-person-first".to_owned());
                toml::Value::String(person)
            }
            Some("@scores") => {
                let catalogue = Catalogue::builtin();
                let group = area.and_then(|area| {
                    catalogue.groups.iter().find(|g| g.id == area || g.process.as_deref() == Some(area))
                });
                let mut table = toml::Table::new();
                for requirement in group.into_iter().flat_map(|g| catalogue.requirements_of(&g.id)) {
                    table.insert(requirement.id.clone(), toml::Value::Integer(2));
                }
                toml::Value::Table(table)
            }
            _ => self.example.clone(),
        }
    }
}

#[derive(Deserialize)]
struct RegistryFile {
    fact: Vec<FactSpec>,
}

/// All facts, by (kind, key).
pub struct Registry {
    facts: HashMap<(String, String), FactSpec>,
}

impl Registry {
    /// The built-in registry (parsed once; a unit test proves it parses).
    pub fn builtin() -> &'static Registry {
        static REGISTRY_DATA: LazyLock<Registry> = LazyLock::new(|| {
            let file: RegistryFile = toml::from_str(REGISTRY).unwrap_or(RegistryFile { fact: Vec::new() });
            Registry { facts: file.fact.into_iter().map(|f| ((f.kind.clone(), f.key.clone()), f)).collect() }
        });
        &REGISTRY_DATA
    }

    pub fn get(&self, kind: &str, key: &str) -> Option<&FactSpec> {
        self.facts.get(&(kind.to_owned(), key.to_owned()))
    }

    /// The keys of one kind, for a did-you-mean hint.
    pub fn keys_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.facts.values().filter(move |f| f.kind == kind).map(|f| f.key.as_str())
    }

    pub fn all(&self) -> impl Iterator<Item = &FactSpec> {
        self.facts.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_parses_and_has_no_duplicates() {
        let file: RegistryFile = toml::from_str(REGISTRY).expect("facts.toml parses");
        assert_eq!(file.fact.len(), Registry::builtin().facts.len(), "a (kind, key) is listed twice");
        for fact in &file.fact {
            if let Some((section, key)) = fact.fallback_home() {
                assert!(!section.is_empty() && !key.is_empty(), "bad fallback of {}", fact.key);
            }
        }
    }
}
