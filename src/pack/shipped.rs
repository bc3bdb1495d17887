//! What ships: the files of the output folder that go out to staff, customers and the
//! auditor, and the checks every one of them must pass.
//!
//! `zip` archives exactly this list and `check` inspects exactly this list, through the
//! same two functions ([`shipped`], [`inspect`]), so the two can never disagree about
//! what is distributed. The site uses the same walk over `markdown/`, so a file name
//! that the zip would refuse is refused by the site too.
//!
//! A name is shipped only if every system that unpacks the zip or serves the site can
//! represent it: valid UTF-8, no backslash (a folder separator on Windows), no `..`, no
//! control character, no reserved Windows device name (`CON`, `NUL`, `COM1` …).
//! Anything else is reported with its name and left out, decided before anything is
//! written. Symbolic links are left out too (nothing from outside the pack may slip in),
//! and hidden files and folders are not part of the pack.

use std::fmt;
use std::path::{Component, Path};

use rayon::prelude::*;

use super::conflict::has_conflict_markers;
use crate::error::Error;

/// Folders and files of the output folder that ship.
pub const INCLUDED: &[&str] = &["markdown", "html", "docx", ATTRIBUTION_FILE, "licenses"];

/// The pack's statement of what is derived from FitSM, under which licence.
pub const ATTRIBUTION_FILE: &str = "ATTRIBUTION.md";
/// The full legal code of CC BY 4.0.
pub const LICENCE_FILE: &str = "licenses/CC-BY-4.0.txt";
/// The licence link every distributed document (and ATTRIBUTION.md) must keep.
pub const ATTRIBUTION_LINK: &str = "https://creativecommons.org/licenses/by/4.0/";
/// Words the legal code cannot lack.
const LICENCE_TITLE: &str = "Attribution 4.0 International";

/// Windows device names: a file called `CON.md` or `nul.txt` cannot be unpacked there.
const RESERVED_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "conin$", "conout$", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "com¹", "com²", "com³", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8",
    "lpt9", "lpt¹", "lpt²", "lpt³",
];

/// Why a file is left out of what ships.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    NotUtf8,
    Backslash,
    ParentSegment,
    ControlCharacter,
    /// The segment that is a reserved device name.
    ReservedName(String),
    SymbolicLink,
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::NotUtf8 => f.write_str("its name is not valid UTF-8"),
            NameProblem::Backslash => {
                f.write_str("its name holds a backslash, which Windows reads as a folder separator")
            }
            NameProblem::ParentSegment => f.write_str("its path has a `..` segment"),
            NameProblem::ControlCharacter => f.write_str("its name holds a control character"),
            NameProblem::ReservedName(name) => write!(f, "`{name}` is a reserved device name on Windows"),
            NameProblem::SymbolicLink => f.write_str("it is a symbolic link, and nothing from outside the pack ships"),
        }
    }
}

impl NameProblem {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            NameProblem::SymbolicLink => "put the file itself there instead of a link to it",
            _ => "rename it (letters, digits, `-`, `_` and `.` are safe everywhere)",
        }
    }
}

/// A file left out, with its path relative to the output folder, made printable (not
/// UTF-8: lossy; control characters escaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub problem: NameProblem,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

/// Files found below a folder of the pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Paths relative to the output folder, `/`-separated, sorted.
    pub files: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// Why `relative` (a path below the output folder) cannot ship, if it cannot.
pub fn name_problem(relative: &Path) -> Option<NameProblem> {
    for component in relative.components() {
        let Component::Normal(segment) = component else { return Some(NameProblem::ParentSegment) };
        let Some(segment) = segment.to_str() else { return Some(NameProblem::NotUtf8) };
        if segment.contains('\\') {
            return Some(NameProblem::Backslash);
        }
        if segment == ".." {
            return Some(NameProblem::ParentSegment);
        }
        if segment.chars().any(char::is_control) {
            return Some(NameProblem::ControlCharacter);
        }
        // Windows ignores what follows the first dot, and trailing spaces: `con .txt`.
        let stem = segment.split('.').next().unwrap_or_default().trim_end().to_lowercase();
        if RESERVED_NAMES.contains(&stem.as_str()) {
            return Some(NameProblem::ReservedName(segment.to_owned()));
        }
    }
    None
}

/// A name as it can be shown on a terminal: control characters as `\u{7}`.
fn printable(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Every regular file below `out/top` (a folder, or a single file), by name. Hidden
/// files and folders are passed over; symbolic links and names that cannot ship are
/// listed as skipped, by path.
///
/// The walk goes a level at a time and lists the folders of a level on all threads:
/// a pack of 50,000 services has a folder for each, and a no-op build and `check`
/// list them all. Level by level, not folder within folder, so that no tree, however
/// deep, can exhaust a thread's stack.
pub fn walk(out: &Path, top: &str) -> Result<Listing, Error> {
    let root = out.join(top);
    let Ok(metadata) = std::fs::symlink_metadata(&root) else { return Ok(Listing::default()) };
    let mut walk = Walk { out, listing: Listing::default(), skipped: Vec::new(), folders: Vec::new() };
    walk.found(root, metadata.file_type());
    while !walk.folders.is_empty() {
        let level = std::mem::take(&mut walk.folders);
        let listed = level.par_iter().map(|folder| list_folder(folder)).collect::<Result<Vec<_>, Error>>()?;
        for (path, kind) in listed.into_iter().flatten() {
            walk.found(path, kind);
        }
    }
    let Walk { mut listing, mut skipped, .. } = walk;
    listing.files.sort();
    // By path, segment by segment: the order of a walk that takes each folder's
    // entries by name and goes into a folder where it meets it.
    skipped.sort_by(|a, b| a.0.cmp(&b.0));
    listing.skipped = skipped.into_iter().map(|(_, skipped)| skipped).collect();
    Ok(listing)
}

/// A walk in progress: what it found, and the folders of the next level.
struct Walk<'a> {
    out: &'a Path,
    listing: Listing,
    skipped: Vec<(std::path::PathBuf, Skipped)>,
    folders: Vec<std::path::PathBuf>,
}

impl Walk<'_> {
    fn found(&mut self, path: std::path::PathBuf, kind: std::fs::FileType) {
        if kind.is_dir() {
            self.folders.push(path);
            return;
        }
        let Ok(relative) = path.strip_prefix(self.out) else { return };
        let problem = if kind.is_symlink() {
            Some(NameProblem::SymbolicLink)
        } else if kind.is_file() {
            name_problem(relative)
        } else {
            return; // a socket, a device: nothing that ships
        };
        let shown = relative.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
        match problem {
            Some(problem) => {
                let skipped = Skipped { path: printable(&shown), problem };
                self.skipped.push((relative.to_owned(), skipped));
            }
            None => self.listing.files.push(shown),
        }
    }
}

/// The entries of a folder that are not hidden, with their kinds (from the listing:
/// no `stat` per entry on most file systems).
fn list_folder(folder: &Path) -> Result<Vec<(std::path::PathBuf, std::fs::FileType)>, Error> {
    let read_error = |path: &Path, source| Error::Read { path: path.to_owned(), source };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|source| read_error(folder, source))? {
        let entry = entry.map_err(|source| read_error(folder, source))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| read_error(&path, source))?;
        entries.push((path, kind));
    }
    Ok(entries)
}

/// Everything that ships from `out`: the files the zip holds, besides its README.
pub fn shipped(out: &Path) -> Result<Listing, Error> {
    let mut listing = Listing::default();
    for top in INCLUDED {
        let found = walk(out, top)?;
        listing.files.extend(found.files);
        listing.skipped.extend(found.skipped);
    }
    listing.files.sort();
    Ok(listing)
}

/// What the checks found in what ships.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// The shipped files, relative to the output folder, sorted.
    pub files: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Files every pack must hold that are not there (ATTRIBUTION.md, the licence).
    pub missing: Vec<String>,
    /// Documents, ATTRIBUTION.md or the licence text without the CC BY attribution.
    pub missing_attribution: Vec<String>,
    /// Text files that still hold unresolved merge conflict markers.
    pub conflicts: Vec<String>,
}

/// What the inspection finds in one shipped file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileCheck {
    /// It is text holding unresolved merge conflict markers.
    pub conflict: bool,
    /// It keeps the attribution it must keep (every file that need not counts).
    pub attributed: bool,
}

impl FileCheck {
    /// Checks: a Markdown document keeps the CC BY link; `ATTRIBUTION.md` keeps it;
    /// the licence is the licence; no text file holds a conflict of ours.
    pub fn of(relative: &str, bytes: &[u8]) -> FileCheck {
        // Only text can hold a conflict; Word files and images are not UTF-8.
        let Ok(text) = std::str::from_utf8(bytes) else {
            let needs_attribution = is_document(relative) || relative == ATTRIBUTION_FILE || relative == LICENCE_FILE;
            return FileCheck { conflict: false, attributed: !needs_attribution };
        };
        let attributed = if relative == LICENCE_FILE {
            text.contains(LICENCE_TITLE)
        } else {
            !(is_document(relative) || relative == ATTRIBUTION_FILE) || text.contains(ATTRIBUTION_LINK)
        };
        FileCheck { conflict: has_conflict_markers(text), attributed }
    }
}

/// Lists what ships from `out`, reads every file once, checks it, and hands its bytes
/// to `each` (the zip keeps them). A file that disappears while this runs is simply
/// not shipped.
pub fn inspect(out: &Path, mut each: impl FnMut(&str, Vec<u8>) -> Result<(), Error>) -> Result<Inspection, Error> {
    inspect_with(out, shipped(out)?, |relative, path| {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Read { path: path.to_owned(), source }),
        };
        let check = FileCheck::of(relative, &bytes);
        each(relative, bytes)?;
        Ok(Some(check))
    })
}

/// Checks each file of `listing` (what [`shipped`] found in `out`) with `check`
/// (given its path relative to `out` and on disk; `None`: it is gone), which may
/// know the answer without reading the file (`check` keeps what it found by stamp).
/// `check` is called once per listed file, in the listing's order.
pub fn inspect_with(
    out: &Path,
    Listing { files, skipped }: Listing,
    mut check: impl FnMut(&str, &Path) -> Result<Option<FileCheck>, Error>,
) -> Result<Inspection, Error> {
    let mut inspection = Inspection { skipped, ..Inspection::default() };
    for required in [ATTRIBUTION_FILE, LICENCE_FILE] {
        if !files.iter().any(|file| file == required) {
            inspection.missing.push(required.to_owned());
        }
    }
    for relative in files {
        let Some(found) = check(&relative, &out.join(&relative))? else { continue };
        if found.conflict {
            inspection.conflicts.push(relative.clone());
        }
        if !found.attributed {
            inspection.missing_attribution.push(relative.clone());
        }
        inspection.files.push(relative);
    }
    Ok(inspection)
}

/// A document of the pack: Markdown under `markdown/`.
pub fn is_document(relative: &str) -> bool {
    relative.starts_with("markdown/") && relative.ends_with(".md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_ship_are_named() {
        let problem = |name: &str| name_problem(Path::new(name));
        assert_eq!(problem("markdown/sms/policy.md"), None);
        assert_eq!(problem("markdown/javascript:x.md"), None, "encoded in hrefs, not refused");
        assert_eq!(problem("markdown/a b#c?d%e.md"), None);
        assert_eq!(problem("markdown/a\\..\\b.md"), Some(NameProblem::Backslash));
        assert_eq!(problem("markdown/../b.md"), Some(NameProblem::ParentSegment));
        assert_eq!(problem("markdown/a\nb.md"), Some(NameProblem::ControlCharacter));
        assert_eq!(problem("markdown/CON.md"), Some(NameProblem::ReservedName("CON.md".into())));
        assert_eq!(problem("markdown/nul/a.md"), Some(NameProblem::ReservedName("nul".into())));
        assert_eq!(problem("markdown/com1 .tar.gz"), Some(NameProblem::ReservedName("com1 .tar.gz".into())));
        assert_eq!(problem("markdown/console.md"), None);
        assert_eq!(problem("markdown/com10.md"), None);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_named() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"markdown/caf\xe9.md");
        assert_eq!(name_problem(Path::new(name)), Some(NameProblem::NotUtf8));
    }

    #[cfg(unix)]
    #[test]
    fn the_walk_lists_files_by_name_and_what_it_skips_by_path() {
        let dir = tempfile::tempdir().expect("a folder");
        let out = dir.path();
        let write = |path: &str| {
            let path = out.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, "text\n").expect("write");
        };
        for path in ["markdown/a/x.md", "markdown/a/b\\c.md", "markdown/a-b\\d.md", "markdown/z/con.txt"] {
            write(path);
        }
        write("markdown/.hidden/e.md");
        write("markdown/a/deep/er/f.md");
        std::os::unix::fs::symlink(out.join("markdown/a/x.md"), out.join("markdown/a/l.md")).expect("link");
        let listing = walk(out, "markdown").expect("walk");
        assert_eq!(listing.files, ["markdown/a/deep/er/f.md", "markdown/a/x.md"]);
        let skipped: Vec<&str> = listing.skipped.iter().map(|skipped| skipped.path.as_str()).collect();
        // Folder by folder, as a walk into each folder met: `a/…` before `a-b…`.
        assert_eq!(skipped, ["markdown/a/b\\c.md", "markdown/a/l.md", "markdown/a-b\\d.md", "markdown/z/con.txt"]);
        assert!(walk(out, "html").expect("no folder").files.is_empty());
        assert_eq!(walk(out, "markdown/a/x.md").expect("a file").files, ["markdown/a/x.md"]);
    }

    #[test]
    fn the_required_files_and_conflicts_are_found() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let out = dir.path();
        let write = |path: &str, text: &str| {
            let path = out.join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(out)).ok();
            std::fs::write(path, text).ok();
        };
        write("markdown/a.md", &format!("# A\n\n{ATTRIBUTION_LINK}\n"));
        write("markdown/b.md", "# B\n<<<<<<< your edit\nx\n=======\ny\n>>>>>>> generated\n");
        write("markdown/.hidden/c.md", "# C\n");
        write("ATTRIBUTION.md", "FitSM, no link\n");
        write("notes.md", "<<<<<<< your edit\n>>>>>>> generated\n");
        let mut seen = Vec::new();
        let Ok(inspection) = inspect(out, |path, _| {
            seen.push(path.to_owned());
            Ok(())
        }) else {
            panic!("inspect")
        };
        assert_eq!(seen, ["ATTRIBUTION.md", "markdown/a.md", "markdown/b.md"], "only what ships");
        assert_eq!(inspection.files, seen);
        assert_eq!(inspection.missing, [LICENCE_FILE]);
        assert_eq!(inspection.missing_attribution, ["ATTRIBUTION.md", "markdown/b.md"]);
        assert_eq!(inspection.conflicts, ["markdown/b.md"]);
    }
}
