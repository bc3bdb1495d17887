//! The examples documents give (incidents, requests, changes, CI types, continuity
//! strategies, capacity resources, reports, risks) are data per organisation type:
//! `templates/types/<type>.toml`, or `neutral.toml` when the config sets no type.
//! Templates see the chosen file as `examples`; like any template it can be
//! overridden, so a pack can bring examples of its own.
//!
//! An example that mentions `{service}` names a real service of the organisation:
//! the first one whose name, category or description contains one of the entry's
//! `fits` words, else the first live service; without any service the entry's
//! `otherwise` text stands in. So a federation's incident example speaks of its own
//! compute service, not of a generic one.

use serde_json::Value;

use crate::config::{Config, OrganisationType, ServiceStatus};
use crate::error::Error;
use crate::templates::TemplateSet;

/// The type file's name inside the template set.
pub(crate) fn file_for(kind: Option<OrganisationType>) -> &'static str {
    match kind {
        None => "types/neutral.toml",
        Some(OrganisationType::ComputingCentre) => "types/computing-centre.toml",
        Some(OrganisationType::Federation) => "types/federation.toml",
        Some(OrganisationType::ServiceProvider) => "types/service-provider.toml",
    }
}

/// The examples of the config's organisation type, with services filled in.
pub(crate) fn load(config: &Config, templates: &TemplateSet) -> Result<Value, Error> {
    let name = file_for(config.organisation.kind);
    let Some(file) = templates.get(name) else {
        return Ok(Value::Object(serde_json::Map::new()));
    };
    let table: toml::Table = toml::from_str(&file.text).map_err(|error| templates.error(name, error.message()))?;
    let mut value = serde_json::to_value(table).map_err(|error| templates.error(name, error.to_string()))?;
    fill_services(&mut value, config);
    Ok(value)
}

/// Replaces `{service}` in every entry that has it.
fn fill_services(value: &mut Value, config: &Config) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|item| fill_services(item, config)),
        Value::Object(entry) => {
            let fits: Vec<String> = entry
                .get("fits")
                .and_then(Value::as_array)
                .map(|words| words.iter().filter_map(Value::as_str).map(str::to_lowercase).collect())
                .unwrap_or_default();
            let otherwise = entry.get("otherwise").and_then(Value::as_str).map(str::to_owned);
            let service = matching_service(config, &fits);
            for (key, field) in entry.iter_mut() {
                match field {
                    Value::String(text) if key != "otherwise" && text.contains("{service}") => {
                        *text = match (&service, &otherwise) {
                            (Some(service), _) => text.replace("{service}", service),
                            (None, Some(otherwise)) => otherwise.clone(),
                            (None, None) => text.replace("{service}", "a service"),
                        };
                    }
                    other => fill_services(other, config),
                }
            }
        }
        _ => {}
    }
}

fn matching_service(config: &Config, fits: &[String]) -> Option<String> {
    let matches = |service: &crate::config::Service| {
        let text = format!(
            "{} {} {}",
            service.name,
            service.category.as_deref().unwrap_or_default(),
            service.description.as_deref().unwrap_or_default()
        )
        .to_lowercase();
        fits.iter().any(|word| text.contains(word.as_str()))
    };
    let live = || config.services.iter().filter(|s| s.status == ServiceStatus::Live);
    live()
        .find(|s| matches(s))
        .or_else(|| config.services.iter().find(|s| matches(s)))
        .or_else(|| live().next())
        .map(|s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_example_names_the_service_that_fits_it() {
        let config = crate::config::parse_str(
            "[organisation]\nname = \"F\"\n[[services]]\nid = \"id\"\nname = \"Federated Login\"\ncategory = \"Identity\"\n\
             [[services]]\nid = \"hpc\"\nname = \"Cloud Compute\"\ncategory = \"Compute\"\n",
            std::path::Path::new("t.toml"),
        )
        .expect("valid");
        let mut value = json!({"incidents": [
            {"text": "Virtual machines on {service} fail to start", "fits": ["compute", "cloud"]},
            {"text": "Nobody can sign in to {service}", "fits": ["identity"]},
        ]});
        fill_services(&mut value, &config);
        assert_eq!(value["incidents"][0]["text"], "Virtual machines on Cloud Compute fail to start");
        assert_eq!(value["incidents"][1]["text"], "Nobody can sign in to Federated Login");
    }
}
