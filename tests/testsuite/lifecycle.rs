//! The document lifecycle as an SMS manager lives it: build, approve, edit, rebuild,
//! approve again; approvals that survive `--force`; `check` telling what awaits
//! approval; coverage that is honest about approvals and evidence.

use crate::project::{FULL_EXAMPLE, Project};

const POLICY: &str = "dist/markdown/sms/service-management-policy.md";
const SCOPE: &str = "dist/markdown/sms/scope-statement.md";

fn field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{key}: ")))
        .map(|value| value.trim_matches('"').to_owned())
        .unwrap_or_default()
}

fn history(text: &str) -> Vec<String> {
    let start = text.find("## Change history").expect("a change history");
    text[start..].lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Version")).map(str::to_owned).collect()
}

fn check_json(project: &Project) -> serde_json::Value {
    serde_json::from_str(&project.run(["check", "--format", "json"]).stdout()).expect("check JSON")
}

fn built(example: &str) -> Project {
    let project = Project::example(example);
    project.run(["build"]).success();
    project
}

#[test]
fn a_fresh_pack_is_documented_but_neither_approved_nor_evidenced() {
    let project = built(FULL_EXAMPLE);
    let report = check_json(&project);
    assert_eq!(report["coverages"]["approved"]["percent"], 0.0);
    assert_eq!(report["coverages"]["evidenced"]["percent"], 0.0);
    assert_eq!(report["coverage"], 0.0, "the headline is never 100 % for unapproved drafts");
    assert!(report["coverages"]["documented"]["percent"].as_f64().is_some_and(|p| p > 50.0 && p < 100.0));
    assert_eq!(report["awaiting_approval"].as_array().map(Vec::len), report["documents"].as_u64().map(|n| n as usize));
    let policy = project.read(POLICY);
    assert_eq!((field(&policy, "version"), field(&policy, "status")), ("0.1".into(), "draft".into()));
    assert_eq!(history(&policy), vec!["| 0.1 | – | Draft, not yet approved | – |"]);
    let matrix = project.read("dist/markdown/assessment/requirements-compliance-matrix.md");
    assert!(matrix.contains("| Approved | 0 of 82 | 0 % |"), "{}", &matrix[..2000]);
}

#[test]
fn approve_edit_rebuild_and_approve_again() {
    let project = built(FULL_EXAMPLE);
    // The policy and the scope are approved by the SMS owner.
    project.run(["approve", "SMS-POL", "SMS-SCOPE", "--by", "mwright", "--date", "2026-11-30"]).success();
    for path in [POLICY, SCOPE] {
        let text = project.read(path);
        assert_eq!(field(&text, "version"), "1.0", "{path}");
        assert_eq!(field(&text, "status"), "approved");
        assert_eq!(field(&text, "approved_on"), "2026-11-30");
        assert_eq!(field(&text, "approved_by"), "Margaret Wright");
        assert_eq!(field(&text, "effective_date"), "2026-11-30");
        assert_eq!(field(&text, "next_review"), "2027-11-30");
        assert_eq!(history(&text), vec!["| 1.0 | 2026-11-30 | First approved version | Margaret Wright |"]);
    }
    // Nothing else changes on a rebuild, and the matrix counts the approval.
    let again = project.run(["build"]).success();
    assert!(again.stdout().contains("wrote 0 files") || again.stderr().contains("wrote 0 files"), "{}", again.stderr());
    let report = check_json(&project);
    assert!(report["coverages"]["approved"]["count"].as_u64().is_some_and(|n| n >= 2), "{report}");
    assert_eq!(report["changed_since_approval"].as_array().map(Vec::len), Some(0));

    // Someone edits the approved policy: it becomes the draft of the next version.
    let edited =
        project.read(POLICY).replace("## 2. Our commitments\n", "## 2. Our commitments\n\nAgreed with the board.\n");
    std::fs::write(project.path(POLICY), edited).expect("edit");
    project.run(["build"]).success();
    let text = project.read(POLICY);
    assert!(text.contains("Agreed with the board."), "the edit is kept");
    assert_eq!((field(&text, "version"), field(&text, "status")), ("1.1".into(), "draft".into()));
    assert_eq!(field(&text, "approved_on"), "2026-11-30", "version 1.0 stays the one in force");
    assert_eq!(
        history(&text),
        vec![
            "| 1.0 | 2026-11-30 | First approved version | Margaret Wright |",
            "| 1.1 | – | Changed since version 1.0 was approved; awaiting approval | – |"
        ]
    );
    let report = check_json(&project);
    let changed = report["changed_since_approval"].as_array().expect("list");
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], "SMS-POL");
    assert_eq!(changed[0]["owner"], "Daniel Okafor");
    assert!(report["warnings"].to_string().contains("changed since approval"), "{}", report["warnings"]);
    // The untouched scope is still approved.
    assert_eq!(field(&project.read(SCOPE), "status"), "approved");

    // Approved again, with a note: version 2.0.
    project
        .run(["approve", "sms-pol", "--by", "mwright", "--date", "2026-12-01", "--note", "Board agreement added"])
        .success()
        .stdout_contains("approved SMS-POL: version 2.0");
    let text = project.read(POLICY);
    assert_eq!((field(&text, "version"), field(&text, "status")), ("2.0".into(), "approved".into()));
    assert_eq!(history(&text)[1], "| 2.0 | 2026-12-01 | Board agreement added | Margaret Wright |");
    // Approving unchanged content again records nothing.
    project.run(["approve", "SMS-POL", "--by", "mwright"]).success().stdout_contains("already approved as version 2.0");

    // --force regenerates the text (after a backup), and the approvals survive: the
    // regenerated policy lost the edit, so it is the next draft; the scope stays approved.
    project.run(["build", "--force"]).success();
    assert!(project.files_below("dist/.fitsm-pack/backup").iter().any(|p| p.ends_with("service-management-policy.md")));
    let text = project.read(POLICY);
    assert_eq!((field(&text, "version"), field(&text, "status")), ("2.1".into(), "draft".into()));
    assert_eq!(field(&project.read(SCOPE), "version"), "1.0");
}

#[test]
fn approve_refuses_what_it_cannot_stand_behind() {
    let project = built("minimal");
    let id_of = |path: &str| field(&project.read(path), "id");
    let policy = id_of(POLICY);
    project.run(["approve", "NO-SUCH-DOC", "--by", "alex"]).exit(2).stderr_contains("has no document");
    project.run(["approve", &policy, "--by", "nobody"]).exit(2).stderr_contains("no person `nobody`");
    project.run(["approve", &policy, "--by", "alex", "--date", "30.11.2026"]).exit(2).stderr_contains("YYYY-MM-DD");
    // A document with a merge conflict is not approved.
    let conflicted = format!("{}\n<<<<<<< your edit\na\n=======\nb\n>>>>>>> generated\n", project.read(POLICY));
    std::fs::write(project.path(POLICY), conflicted).expect("write");
    project.run(["approve", &policy, "--by", "alex"]).exit(2).stderr_contains("not up to date");
    assert!(!project.exists("dist/.fitsm-pack/approvals.json"), "nothing was recorded");
}

#[test]
fn evidence_in_the_config_and_in_the_evidence_folder_counts() {
    let config = std::fs::read_to_string(crate::project::example_path(FULL_EXAMPLE)).expect("example");
    let config = format!(
        "{config}\n[[evidence]]\nrequirements = [\"GR1.3\", \"PR14.2\"]\ndescription = \"Minutes of the management review\"\ndate = 2026-11-20\nlocation = \"SharePoint: SMS/Reviews/2026-11\"\n"
    );
    let project = Project::new()
        .config(&config)
        .file("evidence/PR9.1/ticket-sample-2026-q3.csv", "id,priority\n")
        .file("evidence/notes.txt", "no requirement in this name\n");
    project.run(["build"]).success();
    let report = check_json(&project);
    assert_eq!(report["coverages"]["evidenced"]["count"], 3, "{}", report["coverages"]);
    let matrix = project.read("dist/markdown/assessment/requirements-compliance-matrix.md");
    let row = |id: &str| matrix.lines().find(|l| l.starts_with(&format!("| {id} |"))).unwrap_or_default().to_owned();
    assert!(row("GR1.3").contains("Minutes of the management review (2026-11-20): SharePoint: SMS/Reviews/2026-11"));
    assert!(row("PR9.1").contains("evidence/PR9.1/ticket-sample-2026-q3.csv"), "{}", row("PR9.1"));
    assert!(row("PR9.2").contains("none named yet"));
    // A new record in the folder is picked up by the next build.
    std::fs::write(project.path("evidence/PR9.2 resolution report.pdf"), "x").expect("write");
    project.run(["build"]).success();
    let matrix = project.read("dist/markdown/assessment/requirements-compliance-matrix.md");
    assert!(matrix.contains("PR9.2 resolution report.pdf"));
    // An unknown requirement in [[evidence]] is a config error at its place.
    let bad = config.replace("\"PR14.2\"]", "\"PR14.9\"]");
    Project::config_in_place(&project, &bad);
    project.run(["build"]).exit(2).stderr_contains("unknown FitSM requirement `PR14.9`");
}
