//! Where an entity's facts live in the config. Every view of something the config
//! describes carries its `home`, so the `fact` filter can name the key a missing
//! value belongs to (and `fitsm-pack todo` can list it) without the template saying.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HomeView<'a> {
    /// The registry kind (`services`, `processes`, `assessment.areas`, …).
    pub(crate) kind: &'static str,
    /// The top-level table of the config.
    pub(crate) section: &'static str,
    /// The entity's id inside an array of tables.
    pub(crate) id: Option<&'a str>,
    /// Prepended to the fact's key: `SLM.` for a process, `areas.SLM.` for an area.
    pub(crate) prefix: String,
}

impl<'a> HomeView<'a> {
    /// A plain top-level table, such as `[tools]`.
    pub(crate) fn table(section: &'static str) -> Self {
        HomeView { kind: section, section, id: None, prefix: String::new() }
    }

    /// One entry of an array of tables, such as `[[services]]`.
    pub(crate) fn entry(section: &'static str, id: &'a str) -> Self {
        HomeView { kind: section, section, id: Some(id), prefix: String::new() }
    }

    /// A table nested in a top-level table, such as `[processes.SLM]`.
    pub(crate) fn nested(kind: &'static str, section: &'static str, prefix: String) -> Self {
        HomeView { kind, section, id: None, prefix }
    }
}
