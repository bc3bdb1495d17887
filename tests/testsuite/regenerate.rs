//! Regenerating after config changes without losing anyone's edits: one test per
//! scenario of the merge rules (see `output` for the rules themselves).

use std::time::SystemTime;

use crate::project::{FULL_EXAMPLE, Project};

const SLA: &str = "dist/markdown/services/web-hosting/service-level-agreement.md";
const POLICY: &str = "dist/markdown/sms/service-management-policy.md";

const EXTRA_SERVICE: &str = "\n[[services]]\nid = \"mail\"\nname = \"Mail\"\nowner = \"alex\"\n";

fn edit(project: &Project, path: &str, from: &str, to: &str) {
    let text = project.read(path);
    assert!(text.contains(from), "{path} lacks {from:?}");
    std::fs::write(project.path(path), text.replacen(from, to, 1)).expect("edit");
}

fn modification_times(project: &Project) -> Vec<(String, SystemTime)> {
    project
        .files_below("dist")
        .into_iter()
        .map(|f| {
            let time = std::fs::metadata(project.path(&format!("dist/{f}"))).and_then(|m| m.modified()).expect("mtime");
            (f, time)
        })
        .collect()
}

#[test]
fn an_edit_survives_a_new_service() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let section = crate::project::heading(&project.read(SLA), "Responsibilities");
    edit(&project, SLA, &section, &format!("Agreed with the web team in March.\n\n{section}"));
    let updated = project.read("sms.toml") + EXTRA_SERVICE;
    let project = project.config(&updated);
    project.run(["build"]).success();
    assert!(project.read(SLA).contains("Agreed with the web team in March."), "the edit is still there");
    assert!(project.exists("dist/markdown/services/mail/service-level-agreement.md"), "the new SLA exists");
    assert!(project.read("dist/markdown/services/service-catalogue.md").contains("Mail"), "lists show the new service");
    assert!(
        project
            .read("dist/html/services/web-hosting/service-level-agreement.html")
            .contains("Agreed with the web team")
    );
}

#[test]
fn removing_a_service_removes_its_unedited_documents_and_keeps_edited_ones() {
    let project = Project::example("minimal");
    let config = project.read("sms.toml");
    let project = project.config(&(config.clone() + EXTRA_SERVICE));
    project.run(["build"]).success();
    let section = crate::project::heading(&project.read(SLA), "Responsibilities");
    edit(&project, SLA, &section, &format!("Our note.\n\n{section}"));
    // remove both services' documents from the plan: web-hosting (edited) and mail
    let without_services = config.split("[[services]]").next().expect("head").to_owned();
    let project = project.config(&without_services);
    let run = project.run(["build"]).exit(1);
    run.stderr_contains("orphaned markdown/services/web-hosting/service-level-agreement.md");
    assert!(!project.exists("dist/markdown/services/mail/service-level-agreement.md"), "unedited: deleted");
    assert!(!project.exists("dist/html/services/mail/service-level-agreement.html"), "its page too");
    assert!(project.read(SLA).contains("Our note."), "edited: kept");
    assert!(!project.exists("dist/markdown/services/web-hosting/service-design-and-transition.md"));
}

#[test]
fn overlapping_changes_conflict_and_the_resolution_is_accepted() {
    let project = Project::example("minimal");
    // the minimal example ends with its one service, so this sets the service's hours
    let config = project.read("sms.toml") + "hours = \"24/7\"\n";
    let project = project.config(&config);
    project.run(["build"]).success();
    edit(&project, SLA, "| Service hours | 24/7 |", "| Service hours | 24/7, best effort at weekends |");
    let project = project.config(&config.replace("hours = \"24/7\"", "hours = \"Mon–Fri 08:00–18:00\""));
    project
        .run(["build"])
        .exit(1)
        .stderr_contains("conflict markdown/services/web-hosting/service-level-agreement.md")
        .stderr_contains("resolve");
    let conflicted = project.read(SLA);
    let start = conflicted.find("<<<<<<< your edit\n").expect("conflict start marker");
    let end = conflicted.find(">>>>>>> generated\n").expect("conflict end marker") + ">>>>>>> generated\n".len();
    let block = &conflicted[start..end];
    assert!(block.contains("| Service hours | 24/7, best effort at weekends |\n"), "{block}");
    assert!(block.contains("=======\n| Service hours | Mon–Fri 08:00–18:00 |\n"), "{block}");
    // the next build leaves an unresolved file alone and still fails
    project.run(["build"]).exit(1).stderr_contains("unresolved");
    let resolved = conflicted.replace(
        block,
        "| Service hours | Mon–Fri 08:00–18:00, best effort at weekends |\n| Support hours | Mon–Fri 08:00–18:00 |\n",
    );
    std::fs::write(project.path(SLA), &resolved).expect("resolve");
    project.run(["build"]).success();
    assert_eq!(project.read(SLA), resolved);
}

#[test]
fn a_deleted_document_stays_deleted_until_restored() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    std::fs::remove_file(project.path(POLICY)).expect("delete");
    project.run(["build"]).success().stderr_contains("user-deleted markdown/sms/service-management-policy.md");
    assert!(!project.exists(POLICY));
    assert!(!project.exists("dist/html/sms/service-management-policy.html"));
    project.run(["build", "--restore"]).success();
    assert!(project.exists(POLICY));
}

#[test]
fn force_regenerates_after_saving_edits() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    edit(&project, POLICY, "\n## ", "\nOur own paragraph.\n\n## ");
    project.run(["build", "--force"]).success().stderr_contains("saved to");
    assert!(!project.read(POLICY).contains("Our own paragraph."));
    let backups = project.files_below("dist/.fitsm-pack/backup");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(backups[0].ends_with("markdown/sms/service-management-policy.md"));
}

#[test]
fn no_op_rebuild_and_dry_run_touch_no_file() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let before = modification_times(&project);
    project.run(["build"]).success().stderr_contains("wrote 0 files");
    assert_eq!(before, modification_times(&project), "no-op rebuild");

    let updated = project.read("sms.toml").replace("Northbridge University", "Northbridge Univ.");
    let project = project.config(&updated);
    project.run(["build", "--dry-run"]).success().stderr_contains("would write");
    assert_eq!(before, modification_times(&project), "dry run");
}

#[test]
fn diff_shows_pending_changes_and_writes_nothing() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let before = modification_times(&project);
    let clean = project.run(["diff"]).success();
    assert!(clean.stdout().is_empty());
    let updated = project.read("sms.toml").replace("Example Hosting", "Example Hosting Ltd");
    let project = project.config(&updated);
    let run = project.run(["diff"]).exit(1).stderr_contains("would change");
    let patch = run.stdout();
    assert!(
        patch.contains("--- a/markdown/sms/scope-statement.md\n+++ b/markdown/sms/scope-statement.md\n"),
        "{patch}"
    );
    assert!(patch.lines().any(|l| l.starts_with('+') && l.contains("Example Hosting Ltd")), "{patch}");
    assert_eq!(before, modification_times(&project));
}

#[test]
fn a_second_build_on_the_same_folder_waits_then_gives_up_clearly() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(project.path("dist/.fitsm-pack/lock"))
        .expect("lock file exists after a build");
    lock.lock().expect("hold the lock");
    project
        .run_with_env(["build"], [("FITSM_PACK_LOCK_WAIT_MS", "300")])
        .exit(2)
        .stderr_contains("another fitsm-pack build");
    drop(lock);
    project.run(["build"]).success();
}
