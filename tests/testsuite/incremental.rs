//! Incremental rendering (`render::reuse`) never changes what a build writes: two
//! copies of a project go through the same random steps (config changes, hand edits,
//! deletions, approvals, rebuilds); one builds as usual, reusing what the last build
//! rendered, the other has the record of what was rendered (`renders.json`) taken away
//! before every build, so it renders everything. Every file of the two output folders
//! must be the same after every step, and so must each build's report.

use crate::project::{FULL_EXAMPLE, Project};

/// What the last build rendered, the one record only the reusing copy keeps.
const RENDERS: &str = ".fitsm-pack/renders.json";

/// Every file below `dist/` with its bytes (but the record of what was rendered).
fn output(project: &Project) -> Vec<(String, Vec<u8>)> {
    project
        .files_below("dist")
        .into_iter()
        .filter(|file| {
            // The stamps the site and `check` keep are this machine's, not the pack's.
            let stamps = [".fitsm-pack/site-stamps.json", ".fitsm-pack/check-stamps.json"];
            !file.contains("/backup/")
                && file != ".fitsm-pack/lock"
                && file != RENDERS
                && !stamps.contains(&file.as_str())
        })
        .map(|file| {
            let bytes = std::fs::read(project.path(&format!("dist/{file}"))).expect("read");
            (file, bytes)
        })
        .collect()
}

/// A build's report without its timings ("… in 151ms").
fn report(stdout: &str) -> String {
    let timing = |rest: &str| rest.trim_end_matches(['m', 's']).chars().all(|c| c.is_ascii_digit() || c == '.');
    stdout
        .lines()
        .map(|line| match line.rsplit_once(" in ") {
            Some((head, rest)) if timing(rest) => head,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn forget_renders(project: &Project) {
    let _ = std::fs::remove_file(project.path(&format!("dist/{RENDERS}")));
}

/// A small deterministic generator (which document a step edits or deletes), so a
/// failure replays exactly.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// Replaces the first `from` in `sms.toml` (a step that does not apply is skipped).
fn change_config(project: &Project, from: &str, to: &str) {
    let config = project.read("sms.toml");
    Project::config_in_place(project, &config.replacen(from, to, 1));
}

/// The steps in order, each kind more than once and in different states: 1 and 2
/// rename a service and back, 3 renames a person, 4 changes a target, 5 edits a
/// document by hand, 6 deletes one, 7 approves two, 8 adds a short name, 0 rebuilds.
const SEQUENCE: [usize; 16] = [0, 1, 5, 0, 3, 7, 5, 4, 6, 2, 8, 7, 0, 5, 1, 7];

#[test]
fn a_build_that_reuses_renderings_writes_what_a_full_build_writes() {
    let reusing = Project::example(FULL_EXAMPLE);
    let full = Project::example(FULL_EXAMPLE);
    let mut steps = Steps(0x9e37_79b9_7f4a_7c15);
    let mut reused_any = false;
    for (step, &what) in SEQUENCE.iter().enumerate() {
        let documents = reusing.markdown_documents();
        let target = documents.get(steps.next(documents.len().max(1))).map(|(path, _)| path.clone());
        for project in [&reusing, &full] {
            match (what, &target) {
                (1, _) => change_config(project, "name = \"High Performance Computing Cluster\"", "name = \"HPC\""),
                (2, _) => change_config(project, "name = \"HPC\"", "name = \"High Performance Computing Cluster\""),
                (3, _) => change_config(project, "name = \"Li Chen\"", "name = \"Li Chen-Wagner\""),
                (4, _) => change_config(project, "availability_target = 99.5", "availability_target = 99.7"),
                (5, Some(path)) => {
                    let file = project.path(&format!("dist/markdown/{path}"));
                    let text = std::fs::read_to_string(&file).unwrap_or_default();
                    std::fs::write(&file, text.replacen("\n## ", &format!("\nA note of step {step}.\n\n## "), 1))
                        .expect("edit");
                }
                (6, Some(path)) => {
                    let _ = std::fs::remove_file(project.path(&format!("dist/markdown/{path}")));
                }
                (7, _) => {
                    let run = project.run(["approve", "SMS-POL", "SLA-HPC", "--by", "mwright", "--date", "2026-11-30"]);
                    assert!(run.code() == 0 || run.code() == 2, "approve: {}", run.stderr());
                }
                (8, _) => change_config(project, "[organisation]\n", "[organisation]\nshort_name = \"NUCC\"\n"),
                _ => {} // a rebuild with nothing changed
            }
        }
        forget_renders(&full);
        let (a, b) = (reusing.run(["build"]), full.run(["build"]));
        assert_eq!(a.code(), b.code(), "step {step} ({what}): exit codes\n{}\n{}", a.stderr(), b.stderr());
        assert_eq!(report(&a.stdout()), report(&b.stdout()), "step {step} ({what}): the reports differ");
        let (left, right) = (output(&reusing), output(&full));
        let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&left), names(&right), "step {step} ({what}): the same files");
        for ((name, ours), (_, theirs)) in left.iter().zip(&right) {
            assert!(
                ours == theirs,
                "step {step} ({what}): {name} differs\n--- reusing\n{}\n--- full\n{}",
                String::from_utf8_lossy(ours),
                String::from_utf8_lossy(theirs)
            );
        }
        let renders: serde_json::Value =
            serde_json::from_str(&reusing.read(&format!("dist/{RENDERS}"))).expect("the record is JSON");
        reused_any |= renders["files"].as_object().is_some_and(|renders| !renders.is_empty());
    }
    assert!(reused_any, "the reusing copy recorded what it rendered");
}

/// A document that reads nothing of a service but links to its agreement: renaming
/// the service changes only the link's title, and that alone must re-render it.
#[test]
fn a_document_whose_links_change_title_is_rendered_again() {
    let policy = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/documents/sms-policy.md"),
    )
    .expect("the built-in policy template");
    let declaration = &policy[..policy.find("#}").expect("a declaration") + 2];
    let template = format!(
        "{declaration}\n# {{{{ doc.title }}}}\n\nSee {{{{ link(to=\"sla\", entity=\"web-hosting\", from=doc.path) }}}}.\n"
    );
    let project = Project::example("minimal").file("overrides/documents/sms-policy.md", &template);
    let config =
        project.read("sms.toml").replacen("[organisation]", "[pack]\ntemplates = \"overrides\"\n\n[organisation]", 1);
    let project = project.config(&config);
    project.run(["build"]).success();
    const POLICY: &str = "dist/markdown/sms/service-management-policy.md";
    assert!(project.read(POLICY).contains("[Service level agreement: Web Hosting]("), "{}", project.read(POLICY));
    let renamed = project.read("sms.toml").replace("name = \"Web Hosting\"", "name = \"Web Sites\"");
    Project::config_in_place(&project, &renamed);
    project.run(["build"]).success();
    assert!(project.read(POLICY).contains("[Service level agreement: Web Sites]("), "{}", project.read(POLICY));
}

/// The record of what was rendered is only a shortcut: damaged, it costs a full
/// rendering and nothing else (it used to live in the manifest, and a damaged one
/// left the build no record of what it had generated).
#[test]
fn a_damaged_record_of_renderings_renders_everything_again() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let manifest = project.read("dist/.fitsm-pack/manifest.json");
    std::fs::write(project.path(&format!("dist/{RENDERS}")), "{\"files\": {\"markdown/").expect("damage it");
    change_config(&project, "name = \"Li Chen\"", "name = \"Li Chen-Wagner\"");
    project.run(["build"]).success().stderr_contains("wrote");
    let renders: serde_json::Value =
        serde_json::from_str(&project.read(&format!("dist/{RENDERS}"))).expect("written anew");
    assert!(renders["files"].as_object().is_some_and(|files| files.len() > 40), "{renders}");
    let after: serde_json::Value = serde_json::from_str(&project.read("dist/.fitsm-pack/manifest.json")).expect("JSON");
    let before: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
    assert_eq!(before["files"].as_object().map(|f| f.len()), after["files"].as_object().map(|f| f.len()));
}
