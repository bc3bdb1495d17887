//! The distributable zip: what is in the output folder now (people's edits included),
//! under one top folder, byte-for-byte reproducible.
//!
//! Reproducible means: entries sorted by name, every timestamp set to one moment
//! (`SOURCE_DATE_EPOCH` if set, else the pack's effective date, else 1980-01-01), fixed
//! Unix permissions, the same "made by" system everywhere, no extra fields. Entry names
//! are relative, use `/` and never contain `..`. The archive is written to a temporary
//! file and renamed, and the state folder and other zips are never included.

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::check::{ATTRIBUTION_LINK, documents_on_disk};
use crate::error::Error;
use crate::output::{Manifest, PackInfo, safe_join};

/// Folders and files of the output folder that go into the bundle.
const INCLUDED: &[&str] = &["markdown", "html", "docx", "ATTRIBUTION.md", "licenses"];

#[derive(Debug, Clone)]
pub struct ZipOptions {
    pub out: PathBuf,
    /// Where to write the zip; default `<out>/<org-slug>-sms-pack-<version>.zip`.
    pub output: Option<PathBuf>,
    pub allow_missing_attribution: bool,
}

#[derive(Debug, Clone)]
pub struct ZipReport {
    pub path: PathBuf,
    pub entries: usize,
    pub bytes: u64,
}

pub fn zip(options: &ZipOptions) -> Result<ZipReport, Error> {
    let out = &options.out;
    let manifest = Manifest::load(out)?.ok_or_else(|| Error::Usage {
        message: format!("{} holds no pack", out.display()),
        hint: "build it first: `fitsm-pack build`, or `fitsm-pack build --zip` to build and zip in one go".to_owned(),
    })?;
    if !options.allow_missing_attribution {
        let missing: Vec<String> = documents_on_disk(out)?
            .into_iter()
            .filter(|(_, text)| !text.contains(ATTRIBUTION_LINK))
            .map(|(path, _)| path)
            .collect();
        if !missing.is_empty() {
            return Err(Error::Usage {
                message: format!(
                    "{} document{} lost the CC BY 4.0 attribution that the FitSM licence requires in what you distribute: {}",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", ")
                ),
                hint: "restore the licence section at the end of those documents (or rebuild them), or pass \
                       --allow-missing-attribution if you have attributed FitSM another way"
                    .to_owned(),
            });
        }
    }
    let name = bundle_name(&manifest.pack);
    let target = options.output.clone().unwrap_or_else(|| out.join(format!("{name}.zip")));
    let files = collect(out)?;
    let timestamp = timestamp(&manifest.pack);
    let readme = readme(&manifest);

    let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let write_error = |source: std::io::Error| Error::Write { path: target.clone(), source };
    std::fs::create_dir_all(folder).map_err(write_error)?;
    let temporary =
        tempfile::Builder::new().prefix(".fitsm-pack-").suffix(".zip.tmp").tempfile_in(folder).map_err(write_error)?;
    let mut writer = ZipWriter::new(temporary);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(timestamp)
        .unix_permissions(0o644)
        .system(System::Unix);
    let zip_error = |error: zip::result::ZipError| write_error(std::io::Error::other(error));
    let mut entries = vec![(format!("{name}/README.md"), readme.into_bytes())];
    for relative in files {
        let bytes =
            std::fs::read(out.join(&relative)).map_err(|source| Error::Read { path: out.join(&relative), source })?;
        entries.push((format!("{name}/{relative}"), bytes));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (entry, bytes) in &entries {
        writer.start_file(entry.as_str(), options).map_err(zip_error)?;
        writer.write_all(bytes).map_err(write_error)?;
    }
    let temporary = writer.finish().map_err(zip_error)?;
    temporary.as_file().sync_data().map_err(write_error)?;
    temporary.persist(&target).map_err(|error| write_error(error.error))?;
    let bytes = std::fs::metadata(&target).map_err(write_error)?.len();
    Ok(ZipReport { path: target, entries: entries.len(), bytes })
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

/// Files to include, relative to `out`, `/`-separated, sorted; symbolic links and
/// hidden files are skipped so nothing from outside the pack can slip in.
fn collect(out: &Path) -> Result<Vec<String>, Error> {
    let mut files = Vec::new();
    for top in INCLUDED {
        let root = out.join(top);
        if !root.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|error| Error::Read {
                path: error.path().unwrap_or(&root).to_owned(),
                source: error.into(),
            })?;
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Some(relative) = entry.path().strip_prefix(out).ok().and_then(|p| p.to_str()) else { continue };
            let relative = relative.replace('\\', "/");
            // Belt and braces: the name must be a plain relative path inside `out`.
            safe_join(out, &relative)?;
            files.push(relative);
        }
    }
    files.sort();
    Ok(files)
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

fn readme(manifest: &Manifest) -> String {
    let pack = &manifest.pack;
    format!(
        "# {organisation}: service management documentation pack {version}\n\n\
         This archive holds the documentation of the service management system (SMS) of {organisation}, \
         issued by {organisation}{date}.\n\n\
         - `markdown/`: the documents as edited and approved, in Markdown (open them in any text editor).\n\
         - `html/`: the same documents as a website; open `html/index.html` in a browser, no internet needed.\n\
         - `ATTRIBUTION.md` and `licenses/CC-BY-4.0.txt`: the documents are based on the FitSM standard family \
         by ITEMO e.V., licensed under Creative Commons Attribution 4.0 International (CC BY 4.0). ITEMO e.V. \
         does not endorse this pack.\n\n\
         Made with {generator}.\n",
        organisation = pack.organisation,
        version = pack.version,
        date = pack.effective_date.as_deref().map(|d| format!(", effective {d}")).unwrap_or_default(),
        generator = manifest.generator,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_names_are_safe_slugs() {
        let pack = PackInfo {
            organisation: "Northbridge University".into(),
            short_name: "NUCC / Research IT".into(),
            version: "1.0 (draft)".into(),
            effective_date: None,
        };
        assert_eq!(bundle_name(&pack), "nucc-research-it-sms-pack-1.0draft");
        assert_eq!(bundle_name(&PackInfo::default()), "organisation-sms-pack-0");
        assert_eq!(slug("../../etc"), "etc");
    }
}
