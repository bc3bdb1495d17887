//! The distributable zip: what is in the output folder now (people's edits included),
//! under one top folder, byte-for-byte reproducible.
//!
//! Reproducible means: entries sorted by name, every timestamp set to one moment
//! (`SOURCE_DATE_EPOCH` if set, else the pack's effective date, else 1980-01-01), fixed
//! Unix permissions, the same "made by" system everywhere, no extra fields. Entry names
//! are relative, use `/` and never contain `..`. The archive is written to a temporary
//! file and renamed, and the state folder and other zips are never included.
//!
//! What goes in is [`shipped`]'s list, the one `check` inspects too. A pack that is not
//! fit to hand out (unresolved conflict markers, attribution or licence lost) is not
//! zipped: that is a [`ZipOutcome::Refused`] (exit 1, the run worked and found a
//! problem), not an error, unless the user passes the flag that allows it. The zip is
//! made under the build lock, so it never holds documents from two builds.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::Digest;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::error::{Error, tera_chain};
use crate::fs::{self, safe_join};
use crate::output::lock::{self, BuildLock};
use crate::output::{Manifest, PackInfo};
use crate::pack::shipped::{self, Skipped};
use crate::templates::TemplateSet;

#[derive(Debug, Clone)]
pub struct ZipOptions {
    pub out: PathBuf,
    /// Where to write the zip; default `<out>/<org-slug>-sms-pack-<version>.zip`.
    pub output: Option<PathBuf>,
    pub allow_missing_attribution: bool,
    /// Ship files that still hold merge conflict markers.
    pub allow_conflicts: bool,
}

#[derive(Debug, Clone)]
pub struct ZipReport {
    pub path: PathBuf,
    pub entries: usize,
    pub bytes: u64,
    /// Files left out because their names cannot be represented safely.
    pub skipped: Vec<Skipped>,
}

/// What `zip` did: wrote the archive, or found the pack not fit to ship (exit 1).
#[derive(Debug, Clone)]
pub enum ZipOutcome {
    Written(ZipReport),
    Refused(Refusal),
}

/// Why no archive was written. Each list names files relative to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refusal {
    /// Text files that still hold unresolved merge conflict markers.
    pub conflicts: Vec<String>,
    /// Documents (or ATTRIBUTION.md, or the licence) without the CC BY attribution.
    pub missing_attribution: Vec<String>,
    /// Files every pack must hold that are not there.
    pub missing: Vec<String>,
}

impl Refusal {
    pub fn is_empty(&self) -> bool {
        self.conflicts.is_empty() && self.missing_attribution.is_empty() && self.missing.is_empty()
    }

    /// One (cause, hint) pair per kind of problem, for the user.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if !self.conflicts.is_empty() {
            problems.push((
                format!(
                    "{} still hold{} unresolved merge conflict markers: {}",
                    files(self.conflicts.len()),
                    if self.conflicts.len() == 1 { "s" } else { "" },
                    self.conflicts.join(", ")
                ),
                "resolve the `<<<<<<< your edit` … `>>>>>>> generated` blocks (keep the text you want, delete \
                 the marker lines), or pass --allow-conflicts to ship them as they are"
                    .to_owned(),
            ));
        }
        if !self.missing.is_empty() {
            problems.push((
                format!("the pack lacks {}, which every copy you distribute must hold", self.missing.join(" and ")),
                "run `fitsm-pack build --restore` to write it again, or pass --allow-missing-attribution if you have \
                 attributed FitSM another way"
                    .to_owned(),
            ));
        }
        if !self.missing_attribution.is_empty() {
            problems.push((
                format!(
                    "{} lost the CC BY 4.0 attribution that the FitSM licence requires in what you distribute: {}",
                    files(self.missing_attribution.len()),
                    self.missing_attribution.join(", ")
                ),
                "restore the licence section at the end of those documents (or rebuild them), or pass \
                 --allow-missing-attribution if you have attributed FitSM another way"
                    .to_owned(),
            ));
        }
        problems
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (cause, hint)) in self.problems().iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{cause}\n  help: {hint}")?;
        }
        Ok(())
    }
}

fn files(count: usize) -> String {
    if count == 1 { "1 file".to_owned() } else { format!("{count} files") }
}

/// Zips the pack under the build lock, so the archive never mixes two builds.
pub fn zip(options: &ZipOptions) -> Result<ZipOutcome, Error> {
    // Refuse a folder without a pack before the lock creates the state folder in it.
    require_pack(&options.out)?;
    let lock = lock::acquire(&options.out)?;
    zip_locked(options, &lock)
}

/// Zips the pack for a caller that already holds the build lock of `options.out` (a
/// build that zips what it just wrote: taking the lock again would wait for itself).
pub fn zip_locked(options: &ZipOptions, _lock: &BuildLock) -> Result<ZipOutcome, Error> {
    let out = &options.out;
    let manifest = require_pack(out)?;
    let name = bundle_name(&manifest.pack);
    let readme = readme(&manifest, out.join("html").is_dir(), out.join("docx").is_dir())?;
    // Every name is checked and every file read and inspected before anything is
    // written: a refused or failed zip leaves nothing behind. Only each file's hash is
    // kept (a pack of 10,000 services is gigabytes); it is read again as it is zipped,
    // and one that changed in between stops the zip.
    let mut entries: Vec<(String, Entry)> = vec![(format!("{name}/README.md"), Entry::Text(readme.into_bytes()))];
    let inspection = shipped::inspect(out, |relative, bytes| {
        // Belt and braces: the name must be a plain relative path inside `out`.
        let path = safe_join(out, relative)?;
        entries.push((format!("{name}/{relative}"), Entry::File { path, sha256: sha2::Sha256::digest(&bytes).into() }));
        Ok(())
    })?;
    let refusal = Refusal {
        conflicts: if options.allow_conflicts { Vec::new() } else { inspection.conflicts },
        missing_attribution: if options.allow_missing_attribution {
            Vec::new()
        } else {
            inspection.missing_attribution
        },
        missing: if options.allow_missing_attribution { Vec::new() } else { inspection.missing },
    };
    if !refusal.is_empty() {
        return Ok(ZipOutcome::Refused(refusal));
    }
    let target = options.output.clone().unwrap_or_else(|| out.join(format!("{name}.zip")));
    let timestamp = timestamp(&manifest.pack);

    let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let write_error = |source: std::io::Error| Error::Write { path: target.clone(), source };
    std::fs::create_dir_all(folder).map_err(write_error)?;
    let temporary = fs::temporary_in(folder, ".zip.tmp").map_err(write_error)?;
    let mut writer = ZipWriter::new(temporary);
    let file_options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(timestamp)
        .unix_permissions(0o644)
        .system(System::Unix);
    let zip_error = |error: zip::result::ZipError| write_error(std::io::Error::other(error));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (entry, content) in &entries {
        let bytes = content.bytes()?;
        writer.start_file(entry.as_str(), file_options).map_err(zip_error)?;
        writer.write_all(&bytes).map_err(write_error)?;
    }
    let temporary = writer.finish().map_err(zip_error)?;
    temporary.as_file().sync_data().map_err(write_error)?;
    fs::persist(temporary, &target).map_err(write_error)?;
    let bytes = std::fs::metadata(&target).map_err(write_error)?.len();
    Ok(ZipOutcome::Written(ZipReport { path: target, entries: entries.len(), bytes, skipped: inspection.skipped }))
}

/// What a zip entry holds: text made for the zip, or a file of the pack as inspected.
enum Entry {
    Text(Vec<u8>),
    File { path: PathBuf, sha256: [u8; 32] },
}

impl Entry {
    /// The entry's bytes: the file read again, refused if it is not what was inspected.
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, Error> {
        let (path, sha256) = match self {
            Entry::Text(bytes) => return Ok(std::borrow::Cow::Borrowed(bytes)),
            Entry::File { path, sha256 } => (path, sha256),
        };
        let read_error = |source| Error::Read { path: path.clone(), source };
        let bytes = std::fs::read(path).map_err(read_error)?;
        if sha2::Sha256::digest(&bytes).as_slice() != sha256.as_slice() {
            return Err(read_error(std::io::Error::other(
                "the file changed while the zip was being made; nothing was written, make the zip again",
            )));
        }
        Ok(std::borrow::Cow::Owned(bytes))
    }
}

fn require_pack(out: &Path) -> Result<Manifest, Error> {
    Manifest::load(out)?.ok_or_else(|| Error::NoPack { path: out.to_owned() })
}

/// `<org-slug>-sms-pack-<version>`: the file name and the archive's top folder.
pub fn bundle_name(pack: &PackInfo) -> String {
    let organisation = slug(if pack.short_name.is_empty() { &pack.organisation } else { &pack.short_name });
    let version: String =
        pack.version.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let organisation = if organisation.is_empty() { "organisation".to_owned() } else { organisation };
    let version = if version.is_empty() { "0".to_owned() } else { version };
    format!("{organisation}-sms-pack-{version}")
}

/// Lowercase ASCII letters and digits joined by single hyphens.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}

/// One moment for every entry: `SOURCE_DATE_EPOCH`, else the effective date, else the
/// earliest time a zip can hold.
fn timestamp(pack: &PackInfo) -> DateTime {
    let from_epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .map(|moment| moment.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime());
    let from_pack = pack
        .effective_date
        .as_deref()
        .and_then(|date| date.parse::<jiff::civil::Date>().ok())
        .map(|date| date.to_datetime(jiff::civil::Time::midnight()));
    from_epoch
        .or(from_pack)
        .and_then(|moment| {
            DateTime::from_date_and_time(
                u16::try_from(moment.year()).ok()?,
                u8::try_from(moment.month()).ok()?,
                u8::try_from(moment.day()).ok()?,
                u8::try_from(moment.hour()).ok()?,
                u8::try_from(moment.minute()).ok()?,
                u8::try_from(moment.second()).ok()?,
            )
            .ok()
        })
        .unwrap_or_default()
}

/// The archive's README, from `templates/pack/zip-README.md` (built in: the zip is made
/// from the output folder alone, without the config that names an overlay).
fn readme(manifest: &Manifest, has_html: bool, has_docx: bool) -> Result<String, Error> {
    const TEMPLATE: &str = "pack/zip-README.md";
    let pack = &manifest.pack;
    let templates = TemplateSet::builtin();
    let source = templates.get(TEMPLATE).map(|file| file.text.as_str()).unwrap_or_default();
    let mut context = tera::Context::new();
    context.insert("organisation", &pack.organisation);
    context.insert("version", &pack.version);
    context.insert("effective_date", &pack.effective_date);
    context.insert("generator", &manifest.generator);
    // Packs built before the manifest recorded the wording get the built-in one.
    let attribution = if pack.attribution.is_empty() {
        crate::pack::attribution::markdown(&templates)
    } else {
        pack.attribution.clone()
    };
    context.insert("attribution", &attribution);
    context.insert("has_html", &has_html);
    context.insert("has_docx", &has_docx);
    tera::Tera::one_off(source, &context, false).map_err(|error| templates.error(TEMPLATE, tera_chain(&error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_zipped_only_as_it_was_inspected() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("policy.md");
        std::fs::write(&path, "as inspected\n").expect("write");
        let entry = Entry::File { path: path.clone(), sha256: sha2::Sha256::digest(b"as inspected\n").into() };
        assert_eq!(entry.bytes().expect("unchanged").as_ref(), b"as inspected\n");
        std::fs::write(&path, "edited since\n").expect("write");
        let error = entry.bytes().expect_err("changed since it was inspected");
        assert!(error.to_string().contains("policy.md"), "{error}");
        std::fs::remove_file(&path).expect("remove");
        assert!(entry.bytes().is_err(), "gone since it was inspected");
    }

    #[test]
    fn bundle_names_are_safe_slugs() {
        let pack = PackInfo {
            organisation: "Northbridge University".into(),
            short_name: "NUCC / Research IT".into(),
            version: "1.0 (draft)".into(),
            effective_date: None,
            attribution: String::new(),
        };
        assert_eq!(bundle_name(&pack), "nucc-research-it-sms-pack-1.0draft");
        assert_eq!(bundle_name(&PackInfo::default()), "organisation-sms-pack-0");
        assert_eq!(slug("../../etc"), "etc");
    }
}
