//! The distributable zip: contents, safety, and byte-for-byte reproducibility.

use std::io::Read;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::project::{FULL_EXAMPLE, Project};

const ZIP: &str = "dist/nucc-sms-pack-1.0.zip";

fn entries(project: &Project, path: &str) -> Vec<(String, Vec<u8>, zip::DateTime, Option<u32>)> {
    let file = std::fs::File::open(project.path(path)).expect("zip exists");
    let mut archive = zip::ZipArchive::new(file).expect("a readable zip");
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read entry");
            let modified = entry.last_modified().unwrap_or_default();
            (entry.name().expect("UTF-8 name").into_owned(), bytes, modified, entry.unix_mode())
        })
        .collect()
}

fn sha256(project: &Project, path: &str) -> String {
    Sha256::digest(std::fs::read(project.path(path)).expect("zip")).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_zip_holds_both_formats_the_licence_and_a_readme_under_one_folder() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--zip"]).success().stderr_contains("zip: dist/nucc-sms-pack-1.0.zip");
    let entries = entries(&project, ZIP);
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "entries are sorted");
    for name in &names {
        assert!(name.starts_with("nucc-sms-pack-1.0/"), "{name}");
        assert!(!name.contains("..") && !name.starts_with('/') && !name.contains('\\'), "{name}");
        assert!(!name.contains(".fitsm-pack") && !name.ends_with(".zip"), "{name}");
    }
    for wanted in [
        "nucc-sms-pack-1.0/README.md",
        "nucc-sms-pack-1.0/ATTRIBUTION.md",
        "nucc-sms-pack-1.0/licenses/CC-BY-4.0.txt",
        "nucc-sms-pack-1.0/markdown/services/hpc/service-level-agreement.md",
        "nucc-sms-pack-1.0/html/index.html",
        "nucc-sms-pack-1.0/html/assets/style.css",
    ] {
        assert!(names.contains(&wanted), "missing {wanted}");
    }
    let licence = &entries.iter().find(|e| e.0.ends_with("CC-BY-4.0.txt")).expect("licence").1;
    assert!(String::from_utf8_lossy(licence).contains("Attribution 4.0 International"));
    let readme =
        String::from_utf8_lossy(&entries.iter().find(|e| e.0.ends_with("README.md")).expect("readme").1).into_owned();
    assert!(readme.contains("Northbridge University Computing Centre") && readme.contains("fitsm-pack"), "{readme}");
    for (name, _, modified, mode) in &entries {
        assert_eq!((modified.year(), modified.month(), modified.day()), (2026, 2, 1), "{name}: the effective date");
        assert_eq!(mode.map(|m| m & 0o777), Some(0o644), "{name}");
    }
}

#[test]
fn two_builds_at_different_times_give_identical_zips() {
    let first = Project::example(FULL_EXAMPLE);
    first.run(["build", "--zip"]).success();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = Project::example(FULL_EXAMPLE);
    second.run(["build", "--zip"]).success();
    assert_eq!(sha256(&first, ZIP), sha256(&second, ZIP));
    // zipping again later, without a build, gives the same file too
    std::thread::sleep(std::time::Duration::from_millis(1100));
    first.run(["zip"]).success();
    assert_eq!(sha256(&first, ZIP), sha256(&second, ZIP));
}

#[test]
fn source_date_epoch_sets_the_timestamps() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    project.run_with_env(["zip", "--output", "pack.zip"], [("SOURCE_DATE_EPOCH", "1700000000")]).success();
    let entries = entries(&project, "pack.zip");
    let modified = entries[0].2;
    assert_eq!((modified.year(), modified.month(), modified.day(), modified.hour()), (2023, 11, 14, 22));
}

#[test]
fn an_edit_changes_the_archive() {
    let project = Project::example("minimal");
    project.run(["build", "--zip"]).success();
    let zip = "dist/example-hosting-sms-pack-1.0.zip";
    let before = sha256(&project, zip);
    let path = "dist/markdown/sms/service-management-policy.md";
    std::fs::write(project.path(path), project.read(path).replacen("\n## ", "\nApproved by the board.\n\n## ", 1))
        .expect("edit");
    project.run(["zip"]).success();
    assert_ne!(before, sha256(&project, zip));
    let entries = entries(&project, zip);
    let policy = entries.iter().find(|e| e.0.ends_with("service-management-policy.md")).expect("policy");
    assert!(String::from_utf8_lossy(&policy.1).contains("Approved by the board."));
}

#[test]
fn a_document_without_attribution_is_not_zipped_unless_allowed() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let path = "dist/markdown/sms/service-management-policy.md";
    let text = project.read(path);
    std::fs::write(project.path(path), &text[..text.find("*Licence and attribution.*").expect("footer")])
        .expect("edit");
    project
        .run(["zip"])
        .exit(1)
        .stderr_contains("lost the CC BY 4.0 attribution")
        .stderr_contains("markdown/sms/service-management-policy.md");
    project.run(["zip", "--allow-missing-attribution"]).success();
}

#[test]
fn zip_needs_a_built_pack() {
    Project::new().run(["zip"]).exit(2).stderr_contains("holds no pack").stderr_contains("fitsm-pack build");
}

#[test]
#[ignore = "needs python3 and unzip"]
fn standard_tools_accept_the_zip() {
    let project = Project::example("minimal");
    project.run(["build", "--zip"]).success();
    let zip = project.path("dist/example-hosting-sms-pack-1.0.zip");
    let python = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))"])
        .arg(&zip)
        .output()
        .expect("python3 is installed");
    assert!(python.status.success(), "python zipfile: {}", String::from_utf8_lossy(&python.stderr));
    let unzip = Command::new("unzip").arg("-t").arg(&zip).output().expect("unzip is installed");
    assert!(unzip.status.success(), "unzip -t: {}", String::from_utf8_lossy(&unzip.stdout));
}

const MINIMAL_ZIP: &str = "dist/example-hosting-sms-pack-1.0.zip";

fn with_conflict(text: &str) -> String {
    text.replacen("\n## ", "\n<<<<<<< your edit\nmine\n=======\ntheirs\n>>>>>>> generated\n\n## ", 1)
}

#[test]
fn a_conflict_marker_in_any_shipped_file_stops_the_zip_unless_allowed() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let policy = "dist/markdown/sms/service-management-policy.md";
    std::fs::write(project.path(policy), with_conflict(&project.read(policy))).expect("conflict");
    std::fs::write(project.path("dist/ATTRIBUTION.md"), with_conflict(&project.read("dist/ATTRIBUTION.md")))
        .expect("conflict");
    project
        .run(["zip"])
        .exit(1)
        .stderr_contains(
            "error: 2 files still hold unresolved merge conflict markers: ATTRIBUTION.md, \
             markdown/sms/service-management-policy.md",
        )
        .stderr_contains("help: resolve the `<<<<<<< your edit`")
        .stderr_contains("--allow-conflicts")
        .stderr_contains("no zip was written");
    assert!(!project.exists(MINIMAL_ZIP));
    assert!(project.files_below("dist").iter().all(|f| !f.ends_with(".tmp")), "no temporary file left");
    project.run(["zip", "--allow-conflicts"]).success();
    let policy = entries(&project, MINIMAL_ZIP)
        .into_iter()
        .find(|e| e.0.ends_with("service-management-policy.md"))
        .expect("policy shipped");
    assert!(String::from_utf8_lossy(&policy.1).contains(">>>>>>> generated"));
}

#[test]
fn build_zip_does_not_zip_conflicts_unless_allowed() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let policy = "dist/markdown/sms/service-management-policy.md";
    std::fs::write(project.path(policy), with_conflict(&project.read(policy))).expect("conflict");
    project.run(["build", "--zip"]).exit(1).stderr_contains("unresolved merge conflict markers");
    assert!(!project.exists(MINIMAL_ZIP));
    project.run(["build", "--zip", "--allow-conflicts"]).stderr_contains("zip: ");
    assert!(project.exists(MINIMAL_ZIP));
    project.run(["build", "--allow-conflicts"]).exit(2).stderr_contains("--zip");
}

#[test]
fn the_attribution_file_and_the_licence_must_ship() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let attribution = project.read("dist/ATTRIBUTION.md");
    std::fs::write(
        project.path("dist/ATTRIBUTION.md"),
        attribution.replace("https://creativecommons.org/licenses/by/4.0/", "(link removed)"),
    )
    .expect("strip");
    project.run(["zip"]).exit(1).stderr_contains("lost the CC BY 4.0 attribution").stderr_contains("ATTRIBUTION.md");
    std::fs::remove_file(project.path("dist/ATTRIBUTION.md")).expect("delete");
    std::fs::remove_file(project.path("dist/licenses/CC-BY-4.0.txt")).expect("delete");
    project
        .run(["zip"])
        .exit(1)
        .stderr_contains("the pack lacks ATTRIBUTION.md and licenses/CC-BY-4.0.txt")
        .stderr_contains("fitsm-pack build --restore");
    assert!(!project.exists(MINIMAL_ZIP));
    project.run(["zip", "--allow-missing-attribution"]).success();
    project.run(["build", "--restore"]).success();
    project.run(["zip"]).success();
}

#[test]
fn zip_waits_for_a_build_that_holds_the_lock_and_gives_up_cleanly() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(project.path("dist/.fitsm-pack/lock"))
        .expect("the build made its lock file");
    lock.lock().expect("hold the lock as a running build would");
    project
        .run_with_env(["zip"], [("FITSM_PACK_LOCK_WAIT_MS", "300")])
        .exit(2)
        .stderr_contains("another fitsm-pack build is writing to dist");
    assert!(!project.exists(MINIMAL_ZIP));
    lock.unlock().expect("release");
    project.run_with_env(["zip"], [("FITSM_PACK_LOCK_WAIT_MS", "0")]).success();
    // build --zip does not wait for a lock of its own
    project.run_with_env(["build", "--zip"], [("FITSM_PACK_LOCK_WAIT_MS", "0")]).success();
}

#[test]
fn names_that_cannot_be_unpacked_everywhere_are_left_out_and_named() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    for name in ["CON.md", "back\\slash.md", "tab\tname.md", "lpt1.txt.md"] {
        std::fs::write(project.path("dist/markdown").join(name), "# x\n").expect("odd name");
    }
    let run = project.run(["zip"]).success();
    for (name, why) in [
        ("CON.md", "reserved device name"),
        ("back\\slash.md", "backslash"),
        ("tab\\tname.md", "control character"),
        ("lpt1.txt.md", "reserved device name"),
    ] {
        assert!(run.stderr().contains(&format!("warning: not zipped: markdown/{name}: ")), "{name}: {}", run.stderr());
        assert!(run.stderr().contains(why), "{why}");
    }
    for (entry, ..) in entries(&project, MINIMAL_ZIP) {
        assert!(!entry.contains("CON") && !entry.contains('\\') && !entry.contains('\t'), "{entry}");
    }
    let check = project.run(["check", "--format", "json"]).success().stdout();
    let report: serde_json::Value = serde_json::from_str(&check).expect("json");
    assert_eq!(report["unsafe_names"].as_array().map(Vec::len), Some(4), "{check}");
}
