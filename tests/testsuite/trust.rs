//! The edges around the merge: links, foreign files, encodings, line endings,
//! permissions and backups. Each test is one class of "the tool touched what it should
//! not have" from the trust issue, run on the real binary.

use crate::project::Project;

const SLA: &str = "dist/markdown/services/web-hosting/service-level-agreement.md";

fn config_with_new_name(project: &Project) -> String {
    project.read("sms.toml").replace("name = \"Web Hosting\"", "name = \"Web Hosting Plus\"")
}

#[cfg(unix)]
#[test]
fn a_site_folder_that_is_a_link_is_refused_and_its_target_untouched() {
    let project = Project::example("minimal");
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(outside.path().join("keep.html"), "someone else's page").expect("foreign page");
    std::fs::create_dir_all(project.path("dist")).expect("dist");
    std::os::unix::fs::symlink(outside.path(), project.path("dist/html")).expect("link");
    project.run(["build"]).exit(2).stderr_contains("is a symbolic link");
    let names: Vec<_> = std::fs::read_dir(outside.path()).expect("list").filter_map(Result::ok).collect();
    assert_eq!(names.len(), 1, "only the foreign page is in the link's target");
    assert!(outside.path().join("keep.html").exists());
}

#[cfg(unix)]
#[test]
fn a_record_of_the_state_folder_that_is_a_link_is_refused_before_any_document_is_written() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let outside = tempfile::tempdir().expect("outside");
    let target = outside.path().join("stamps.json");
    std::fs::write(&target, "someone else's file").expect("foreign file");
    let stamps = project.path("dist/.fitsm-pack/site-stamps.json");
    std::fs::remove_file(&stamps).expect("the site's stamps");
    std::os::unix::fs::symlink(&target, &stamps).expect("link");
    let before = project.read(SLA);
    Project::config_in_place(&project, &config_with_new_name(&project));
    project.run(["build"]).exit(2).stderr_contains("site-stamps.json is a symbolic link");
    assert_eq!(project.read(SLA), before, "no document was written");
    assert_eq!(std::fs::read_to_string(&target).expect("target"), "someone else's file");
}

#[test]
fn the_first_build_deletes_no_word_file_it_did_not_make() {
    let project = Project::example("minimal").file("dist/docx/board-minutes.docx", "not ours");
    project.run(["build", "--format", "md,docx"]).success();
    assert_eq!(project.read("dist/docx/board-minutes.docx"), "not ours");
    // A Word file we made whose document left the plan is removed; the foreign one stays.
    let config = project.read("sms.toml") + "\n[[services]]\nid = \"mail\"\nname = \"Mail\"\nowner = \"alex\"\n";
    let project = project.config(&config);
    project.run(["build", "--format", "md,docx"]).success();
    let mail = "dist/docx/services/mail/service-level-agreement.docx";
    assert!(project.exists(mail));
    let without_mail = config.split("\n[[services]]\nid = \"mail\"").next().expect("head").to_owned();
    let project = project.config(&without_mail);
    project.run(["build", "--format", "md,docx"]).success();
    assert!(!project.exists(mail), "our Word file of a removed service is gone");
    assert_eq!(project.read("dist/docx/board-minutes.docx"), "not ours");
}

#[test]
fn a_latin1_document_stops_the_build_and_keeps_its_bytes() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let mut bytes = std::fs::read(project.path(SLA)).expect("sla");
    bytes.extend_from_slice(b"\nNote: caf\xe9 au lait.\n");
    std::fs::write(project.path(SLA), &bytes).expect("latin-1");
    Project::config_in_place(&project, &config_with_new_name(&project));
    project.run(["build"]).exit(2).stderr_contains("is not UTF-8").stderr_contains("service-level-agreement.md");
    assert_eq!(std::fs::read(project.path(SLA)).expect("sla"), bytes, "not one byte changed");
    assert!(!project.read("dist/markdown/services/service-catalogue.md").contains("Web Hosting Plus"));
}

#[test]
fn crlf_documents_take_a_config_change_without_conflict_and_stay_crlf() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let documents = project.files_below("dist/markdown");
    for file in &documents {
        let path = format!("dist/markdown/{file}");
        std::fs::write(project.path(&path), project.read(&path).replace('\n', "\r\n")).expect("crlf");
    }
    let edited = project.read(SLA).replacen("\r\n## 6.", "\r\nOur own note, written on Windows.\r\n\r\n## 6.", 1);
    std::fs::write(project.path(SLA), &edited).expect("edit");
    Project::config_in_place(&project, &config_with_new_name(&project));
    project.run(["build"]).success().stderr_lacks("conflict");
    let sla = project.read(SLA);
    assert!(sla.contains("Our own note, written on Windows.") && sla.contains("Web Hosting Plus"));
    for file in &documents {
        let text = project.read(&format!("dist/markdown/{file}"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{file} is still CRLF throughout");
    }
    project.run(["build"]).success().stderr_contains("wrote 0 files");
}

#[test]
fn two_forced_builds_in_one_second_keep_both_backups() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    for edit in ["first edit", "second edit"] {
        let text = project.read(SLA) + edit + "\n";
        std::fs::write(project.path(SLA), text).expect("edit");
        project.run(["build", "--force"]).success();
    }
    let backups = project.files_below("dist/.fitsm-pack/backup");
    assert_eq!(backups.len(), 2, "{backups:?}");
    let saved: String = backups.iter().map(|f| project.read(&format!("dist/.fitsm-pack/backup/{f}"))).collect();
    assert!(saved.contains("first edit") && saved.contains("second edit"));
}

#[cfg(unix)]
#[test]
fn files_get_the_umask_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::example("minimal");
    let binary = assert_cmd::cargo::cargo_bin("fitsm-pack");
    let build = |project: &Project| {
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask 022 && exec '{}' -q build --format md,html,docx --zip", binary.display()))
            .current_dir(project.root())
            .status()
            .expect("build");
        assert!(status.success());
    };
    build(&project);
    let mode = |relative: &str| std::fs::metadata(project.path(relative)).expect("stat").permissions().mode() & 0o777;
    for relative in [SLA, "dist/html/index.html", "dist/docx/services/web-hosting/service-level-agreement.docx"] {
        assert_eq!(mode(relative), 0o644, "{relative}");
    }
    let zip = project.files_below("dist").into_iter().find(|f| f.ends_with(".zip")).expect("zip");
    assert_eq!(mode(&format!("dist/{zip}")), 0o644, "{zip}");
    std::fs::set_permissions(project.path(SLA), std::fs::Permissions::from_mode(0o640)).expect("chmod");
    Project::config_in_place(&project, &config_with_new_name(&project));
    build(&project);
    assert!(project.read(SLA).contains("Web Hosting Plus"));
    assert_eq!(mode(SLA), 0o640, "a replaced file keeps its mode");
}

/// Runs a build of `services` synthetic services with stderr on a pseudo-terminal
/// (util-linux `script`), and returns what the terminal showed.
#[cfg(unix)]
fn build_on_a_terminal(project: &Project, quiet: bool) -> String {
    let binary = assert_cmd::cargo::cargo_bin("fitsm-pack");
    let quiet = if quiet { " -q" } else { "" };
    let output = std::process::Command::new("script")
        .args(["-qec", &format!("'{}'{quiet} build --format md", binary.display()), "/dev/null"])
        .current_dir(project.root())
        .env_remove("NO_COLOR")
        .output()
        .expect("script (bsdutils) is installed");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[cfg(unix)]
#[test]
#[ignore = "needs script (bsdutils) for a pseudo-terminal"]
fn a_long_build_shows_progress_on_a_terminal_and_only_there() {
    let config = fitsm_pack::synth::config(150);
    let terminal = build_on_a_terminal(&Project::new().config(&config), false);
    // Each batch is compared with the disk as soon as it is rendered, so comparing is
    // part of the rendering bar.
    for step in ["rendering", "writing"] {
        assert!(terminal.contains(step), "no {step} bar on the terminal:\n{terminal}");
    }
    let quiet = build_on_a_terminal(&Project::new().config(&config), true);
    assert!(!quiet.contains("rendering") && !quiet.contains("writing"), "-q still drew a bar:\n{quiet}");
    let piped = Project::new().config(&config).run(["build", "--format", "md"]).success();
    assert!(!piped.stderr().contains("writing ["), "a bar in a pipe:\n{}", piped.stderr());
}
