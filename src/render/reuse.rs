//! Incremental rendering: knowing, without rendering it, that a document would render
//! exactly as it did in the last build, so the build can take last time's text.
//!
//! Rendering is pure: a document's text is a function of its template set, its front
//! matter, its context (which holds only the names its templates read, see `reads`)
//! and the titles and paths of the documents it links to. A fingerprint hashes the
//! first three, then the targets `link()` resolved during the last rendering, looked up
//! again in today's plan. If the fingerprint a build computes equals the one the last
//! build recorded, the text would be the same, and the last build's generated text
//! (its merge base) is used instead. Renaming one service then re-renders the
//! documents that show that name, not the whole pack.
//!
//! A fingerprint is never trusted across anything it does not cover: the template set
//! and the generator version are in it, templates that call Tera's impure functions
//! (`now()`, `get_random()`, `get_env()`) switch reuse off, and a build after an
//! interrupted one, `--force` or `--restore` renders everything.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::links::{LinkIndex, LinkTarget};
use crate::templates::TemplateSet;

/// What a document's rendering read, recorded in the manifest beside its base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderInputs {
    /// Hash of the template set, front matter, context and resolved link targets.
    pub sha256: String,
    /// The link targets the rendering looked up, each once, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTarget>,
}

/// What the last build left that rendering can reuse: implemented over the output
/// folder's state by `output`, which `render` must not depend on.
pub trait Previous: Sync {
    /// What the last rendering of `path` (under the output folder) read.
    fn inputs(&self, path: &str) -> Option<&RenderInputs>;
    /// The text the last build generated for `path`, if it is still at hand.
    fn text(&self, path: &str) -> Option<String>;
}

/// Nothing to reuse: every document renders.
pub struct NoPrevious;

impl Previous for NoPrevious {
    fn inputs(&self, _: &str) -> Option<&RenderInputs> {
        None
    }

    fn text(&self, _: &str) -> Option<String> {
        None
    }
}

/// Tera functions whose result is not a function of the context.
const IMPURE: [&str; 3] = ["now(", "get_random(", "get_env("];

/// The hash that stands for the whole template set and this generator in every
/// fingerprint, or `None` if a template calls an impure function, so that nothing may
/// be reused.
pub fn template_set_sha256(templates: &TemplateSet) -> Option<String> {
    let mut hasher = Sha256::new();
    hasher.update(concat!("fitsm-pack ", env!("CARGO_PKG_VERSION"), "\0"));
    for file in templates.files() {
        if IMPURE.iter().any(|call| file.text.contains(call)) {
            return None;
        }
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    Some(hex(hasher))
}

/// The start of a fingerprint: template set, template and front matter. The caller
/// adds the context (`SharedViews::hash_context`).
pub fn start(template_set: &str, template: &str, front: &str) -> Sha256 {
    let mut hasher = Sha256::new();
    for part in [template_set, template, front] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
}

/// The fingerprint: the context's hash and what each of `links` resolves to today.
pub fn fingerprint(mut context: Sha256, links: &[LinkTarget], index: &LinkIndex) -> String {
    for (key, entity) in links {
        context.update([1]);
        context.update(key.as_bytes());
        context.update([0]);
        context.update(entity.as_deref().unwrap_or("").as_bytes());
        context.update([0]);
        match index.resolve(key, entity.as_deref()) {
            Some((path, title)) => {
                context.update(path.as_bytes());
                context.update([0]);
                context.update(title.as_bytes());
            }
            None => context.update([2]),
        }
    }
    hex(context)
}

/// `looked_up` once each, in a stable order.
pub fn targets(mut looked_up: Vec<LinkTarget>) -> Vec<LinkTarget> {
    looked_up.sort_unstable();
    looked_up.dedup();
    looked_up
}

fn hex(hasher: Sha256) -> String {
    crate::fs::hex(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::config::parse_str;
    use crate::plan::Plan;

    const EXAMPLE: &str = include_str!("../../examples/minimal/sms.toml");

    fn index(config: &str) -> LinkIndex {
        let config = parse_str(config, std::path::Path::new("sms.toml")).expect("valid");
        let templates = TemplateSet::builtin();
        let plan =
            Plan::new(&config, &templates.documents().expect("declarations"), Catalogue::builtin()).expect("plan");
        LinkIndex::new(&plan)
    }

    #[test]
    fn a_fingerprint_changes_with_the_context_and_with_a_linked_title_only() {
        let set = template_set_sha256(&TemplateSet::builtin()).expect("the built-in set is pure");
        let context = "org A";
        let hash = |context: &str| {
            let mut hasher = start(&set, "documents/sla.md", "---\n");
            hasher.update(context);
            hasher
        };
        let before = index(EXAMPLE);
        let links = vec![("sla".to_owned(), Some("web-hosting".to_owned()))];
        assert!(before.resolve("sla", Some("web-hosting")).is_some(), "the minimal example has this SLA");
        let base = fingerprint(hash(context), &links, &before);
        assert_eq!(fingerprint(hash(context), &links, &before), base, "the same inputs, the same fingerprint");
        assert_ne!(fingerprint(hash("org B"), &links, &before), base, "the context counts");
        assert_ne!(fingerprint(hash(context), &[], &before), base, "the links count");
        let renamed = index(&EXAMPLE.replacen("name = \"Web Hosting\"", "name = \"Web Sites\"", 1));
        assert_ne!(fingerprint(hash(context), &links, &renamed), base, "a linked title counts");
        let unrelated = index(&EXAMPLE.replacen("owner = \"alex\"", "owner = \"alex\"\n", 1));
        assert_eq!(fingerprint(hash(context), &links, &unrelated), base, "what the links do not read does not");
    }

    #[test]
    fn templates_that_call_impure_functions_switch_reuse_off() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(dir.path().join("partials")).expect("folder");
        std::fs::write(dir.path().join("partials/attribution-footer.md"), "Made {{ now() }}\n").expect("write");
        let set = TemplateSet::with_overlay(dir.path()).expect("overlay");
        assert_eq!(template_set_sha256(&set), None);
    }

    #[test]
    fn link_targets_are_kept_once_each_in_order() {
        let t = |key: &str| (key.to_owned(), None);
        assert_eq!(targets(vec![t("b"), t("a"), t("b")]), vec![t("a"), t("b")]);
    }
}
