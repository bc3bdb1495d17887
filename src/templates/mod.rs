//! The template set: built-in templates embedded in the binary, optionally overlaid file
//! by file from a user folder, and the document declarations they carry.
//!
//! Every file under `documents/` is one document template. It opens with a Tera comment
//! holding a TOML declaration (id, title, what it is rendered for, output path, FitSM
//! requirements, owner); the rest is the Markdown body. Keeping the declaration inside
//! the template means a user adds a document by dropping in one file, and Tera's line
//! numbers still match the file. Files under `partials/` are shared pieces (base layouts,
//! macros, the attribution footer) and produce no document on their own.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

mod bounds;
pub mod eject;

pub use bounds::{MAX_CHAIN, MAX_NESTING};

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::error::{Error, TemplateError};

static BUILTIN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Folder of document templates inside the template set.
pub const DOCUMENTS_DIR: &str = "documents/";

pub use crate::error::Origin;

#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Path inside the template set, with `/`, e.g. `documents/sla.md`.
    pub name: String,
    pub text: String,
    pub origin: Origin,
}

/// What a document template is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RenderFor {
    /// One document for the organisation.
    Once,
    Service,
    /// Every supplier that is not a federation member.
    Supplier,
    Customer,
    /// Every supplier of kind `federation-member`.
    #[serde(rename = "federation-member")]
    FederationMember,
}

/// The navigation group a document belongs to (sidebar sections of the site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentGroup {
    PoliciesAndPlans,
    Processes,
    Services,
    SuppliersAndCustomers,
    Assessment,
}

/// A document template's declaration: the TOML in its opening comment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// Short stable key used in links, e.g. `sla` or `proc-slm`.
    pub key: String,
    /// Document id; `{id}` is replaced by the entity id, then the whole is upper-cased.
    pub id: String,
    /// Title; `{name}` is replaced by the entity's name.
    pub title: String,
    #[serde(rename = "for")]
    pub render_for: RenderFor,
    /// Output path under `markdown/`; `{id}` is replaced by the entity id.
    pub path: String,
    pub group: DocumentGroup,
    /// FitSM requirement IDs this document addresses.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Who owns the document.
    pub owner: RoleSpec,
    #[serde(default = "default_approver")]
    pub approver: RoleSpec,
    /// For process descriptions: the FitSM process code the document describes.
    pub process: Option<String>,
    /// Position in listings; documents sort by group, then order, then title.
    #[serde(default)]
    pub order: u32,
    /// Rendered after all other documents, with requirement coverage that counts their
    /// open placeholders (the compliance matrix, the self-assessment report).
    #[serde(default)]
    pub summary: bool,
    /// Months between reviews of an approved document of this kind; the pack's
    /// `review_interval_months` when not given.
    pub review_interval_months: Option<u32>,
}

fn default_approver() -> RoleSpec {
    RoleSpec::SmsOwner
}

/// Whose role a document's owner or approver is, as a declaration names it:
/// `sms_owner`, `sms_manager`, `information_security_manager`, `entity` (the service
/// owner or relationship manager of the entity the document is rendered for) or
/// `process:<CODE>` (that process's owner).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum RoleSpec {
    SmsOwner,
    SmsManager,
    InformationSecurityManager,
    Entity,
    /// The owner of the process with this code (checked against the catalogue when
    /// the pack is planned).
    ProcessOwner(String),
}

impl TryFrom<String> for RoleSpec {
    type Error = String;

    fn try_from(spec: String) -> Result<Self, Self::Error> {
        Ok(match spec.as_str() {
            "sms_owner" => RoleSpec::SmsOwner,
            "sms_manager" => RoleSpec::SmsManager,
            "information_security_manager" => RoleSpec::InformationSecurityManager,
            "entity" => RoleSpec::Entity,
            other => match other.strip_prefix("process:") {
                Some(code) if !code.is_empty() => RoleSpec::ProcessOwner(code.to_owned()),
                _ => {
                    return Err(format!(
                        "unknown role `{spec}`; use sms_owner, sms_manager, information_security_manager, entity or process:<CODE>"
                    ));
                }
            },
        })
    }
}

/// A document template with its parsed declaration.
#[derive(Debug, Clone)]
pub struct DocumentTemplate {
    pub name: String,
    pub declaration: Declaration,
    pub origin: Origin,
}

/// All templates of one build: built-ins with the overlay applied.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, TemplateFile>,
}

impl TemplateSet {
    /// The templates embedded in this binary.
    pub fn builtin() -> Self {
        let mut files = BTreeMap::new();
        collect_builtin(&BUILTIN, &mut files);
        TemplateSet { files }
    }

    /// Built-ins, with every file of `dir` replacing the built-in of the same relative
    /// path or adding a new one.
    pub fn with_overlay(dir: &Path) -> Result<Self, Error> {
        let mut set = Self::builtin();
        if !dir.is_dir() {
            return Err(Error::TemplateDir { path: dir.to_owned() });
        }
        for entry in files_below(dir)? {
            let relative = entry.strip_prefix(dir).unwrap_or(&entry);
            let Some(name) = template_name(relative) else { continue };
            let text = std::fs::read_to_string(&entry).map_err(|source| Error::Read { path: entry.clone(), source })?;
            set.files.insert(name.clone(), TemplateFile { name, text, origin: Origin::Overlay(entry) });
        }
        // Before Tera sees them: cycles and deep nesting would overflow its stack.
        bounds::check(&set)?;
        Ok(set)
    }

    pub fn files(&self) -> impl Iterator<Item = &TemplateFile> {
        self.files.values()
    }

    /// How a template relates to the built-in set: "built-in", "overridden" or "added".
    pub fn source_of(&self, name: &str) -> &'static str {
        match self.files.get(name).map(|f| &f.origin) {
            Some(Origin::Overlay(_)) if BUILTIN.get_file(name).is_some() => "overridden",
            Some(Origin::Overlay(_)) => "added",
            _ => "built-in",
        }
    }

    pub fn get(&self, name: &str) -> Option<&TemplateFile> {
        self.files.get(name)
    }

    /// An error in template `name` of this set, with where the template came from
    /// (built in or the user's folder) and no known line.
    pub fn error(&self, name: &str, message: impl Into<String>) -> Error {
        let origin = self.get(name).map_or(Origin::Builtin, |f| f.origin.clone());
        Error::Template(TemplateError { template: name.to_owned(), origin, line: None, message: message.into() })
    }

    /// Markdown templates: documents, partials and pack files (the site layout has a
    /// Tera instance of its own, see `html`).
    pub fn markdown_sources(&self) -> impl Iterator<Item = &TemplateFile> {
        self.files.values().filter(|f| f.name.ends_with(".md"))
    }

    /// Every document template with its declaration, in listing order.
    pub fn documents(&self) -> Result<Vec<DocumentTemplate>, Error> {
        let mut documents = Vec::new();
        for file in self.files.values().filter(|f| f.name.starts_with(DOCUMENTS_DIR) && f.name.ends_with(".md")) {
            let declaration = parse_declaration(file)?;
            documents.push(DocumentTemplate { name: file.name.clone(), declaration, origin: file.origin.clone() });
        }
        documents.sort_by(|a, b| {
            let (a, b) = (&a.declaration, &b.declaration);
            (a.group, a.order, &a.title).cmp(&(b.group, b.order, &b.title))
        });
        Ok(documents)
    }
}

fn collect_builtin(dir: &Dir<'_>, files: &mut BTreeMap<String, TemplateFile>) {
    for file in dir.files() {
        let Some(name) = template_name(file.path()) else { continue };
        if let Some(text) = file.contents_utf8() {
            files.insert(name.clone(), TemplateFile { name, text: text.to_owned(), origin: Origin::Builtin });
        }
    }
    for sub in dir.dirs() {
        collect_builtin(sub, files);
    }
}

/// The `/`-separated name of a template file, or `None` for paths we never load
/// (hidden files, anything that is not a plain relative path).
fn template_name(relative: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str()?;
                if part.starts_with('.') {
                    return None;
                }
                parts.push(part);
            }
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Every regular file below `dir`, sorted. Symbolic links are not followed, so an
/// overlay can never pull in files from elsewhere by accident.
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry
            .map_err(|error| Error::Read { path: error.path().unwrap_or(dir).to_owned(), source: error.into() })?;
        if entry.file_type().is_file() {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

/// Reads the TOML declaration from the template's opening `{# … #}` comment.
fn parse_declaration(file: &TemplateFile) -> Result<Declaration, Error> {
    let fail = |line: usize, message: String| {
        Error::Template(TemplateError {
            template: file.name.clone(),
            origin: file.origin.clone(),
            line: Some(line),
            message,
        })
    };
    let text = file.text.trim_start_matches('\u{feff}');
    let Some(body) = text.strip_prefix("{#") else {
        return Err(fail(1, "a document template must start with its declaration in a `{# … #}` comment".into()));
    };
    let Some(end) = body.find("#}") else {
        return Err(fail(1, "the declaration comment is not closed with `#}`".into()));
    };
    let toml_text = body[..end].trim_start_matches('-');
    toml::from_str::<Declaration>(toml_text).map_err(|error| {
        let line = error.span().map_or(1, |span| crate::diagnostic::line_column(toml_text, span.start).0);
        fail(line, format!("invalid declaration: {}", error.message().trim()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_set_has_document_templates_with_valid_declarations() {
        let set = TemplateSet::builtin();
        let documents = set.documents().expect("valid declarations");
        assert!(documents.len() >= 30, "only {} document templates", documents.len());
        let mut keys: Vec<&str> = documents.iter().map(|d| d.declaration.key.as_str()).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "document keys must be unique");
    }

    #[test]
    fn template_names_never_escape_the_set() {
        assert_eq!(template_name(Path::new("documents/sla.md")).as_deref(), Some("documents/sla.md"));
        assert_eq!(template_name(Path::new("../x.md")), None);
        assert_eq!(template_name(Path::new("/abs/x.md")), None);
        assert_eq!(template_name(Path::new("documents/.hidden.md")), None);
    }

    #[test]
    fn a_broken_declaration_names_file_and_line() {
        let file = TemplateFile {
            name: "documents/x.md".into(),
            text: "{#\nkey = \"x\"\nid = 5\n#}\nbody".into(),
            origin: Origin::Builtin,
        };
        let error = parse_declaration(&file).expect_err("invalid");
        let shown = error.to_string();
        assert!(shown.contains("documents/x.md"), "{shown}");
    }
}
