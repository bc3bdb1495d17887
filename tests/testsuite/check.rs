//! The requirement catalogue, coverage, `check` and the self-assessment.

use crate::project::{FULL_EXAMPLE, Project};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

#[test]
fn the_catalogue_lists_all_82_requirements_in_every_format() {
    let project = Project::new();
    let listed = json(&project.run(["requirements", "--format", "json"]).success().stdout());
    let requirements = listed["requirements"].as_array().expect("list");
    assert_eq!(requirements.len(), 82);
    assert_eq!(requirements.iter().filter(|r| r["id"].as_str().is_some_and(|id| id.starts_with("GR"))).count(), 17);
    assert_eq!(requirements[0]["id"], "GR1.1");
    assert_eq!(requirements[81]["id"], "PR14.3");
    let csv = project.run(["requirements", "--format", "csv"]).success().stdout();
    assert_eq!(csv.lines().count(), 83);
    assert!(csv.starts_with("id,group,group_title,process,topic,statement,iso20000"));
    let markdown = project.run(["requirements"]).success().stdout();
    assert!(markdown.contains("## PR12 Change Management (CHM)"));
}

#[test]
fn a_fresh_pack_passes_but_claims_no_readiness_for_audit() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let report = json(&project.run(["check", "--format", "json"]).success().stdout());
    // Every requirement is addressed by some section, but nothing is approved or
    // evidenced yet: the headline says 0 %, not 100 %.
    assert_eq!(report["coverage"].as_f64(), Some(0.0));
    assert_eq!(report["requirements_addressed"], 82);
    assert!(report["coverages"]["documented"]["count"].as_u64().is_some_and(|n| n > 60 && n < 82));
    assert_eq!(report["passed"], true);
    assert_eq!(report["stale"], false);
    assert_eq!(report["gaps"].as_array().map(Vec::len), Some(0));
    assert!(report["placeholders_total"].as_u64().is_some_and(|n| n > 0), "the example leaves some facts open");
    assert!(report["warnings"].as_array().is_some_and(|w| !w.is_empty()));
    let text = project.run(["check"]).success().stdout();
    assert!(text.contains("coverage           0.0 % ready for audit"), "{text}");
    assert!(text.contains("approved   0 of 82 (0.0 %)"), "{text}");
    assert!(text.contains("evidenced  0 of 82 (0.0 %)"), "{text}");
    assert!(text.contains("passed with"), "{text}");
}

#[test]
fn a_config_change_without_rebuilding_makes_the_pack_stale() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let changed = project.read("sms.toml").replace("Margaret Wright", "Margaret Wright-Okoye");
    let project = project.config(&changed);
    let run = project.run(["check"]).exit(1);
    assert!(run.stdout().contains("the pack is stale"), "{}", run.stdout());
    project.run(["build"]).success();
    project.run(["check"]).success();
}

#[test]
fn an_unbuilt_pack_fails_the_check() {
    let run = Project::example("minimal").run(["check"]).exit(1);
    assert!(run.stdout().contains("no pack has been built"), "{}", run.stdout());
}

#[test]
fn removed_attribution_is_a_failure() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let path = "dist/markdown/sms/service-management-policy.md";
    let text = project.read(path);
    let without = &text[..text.find("*Licence and attribution.*").expect("footer")];
    std::fs::write(project.path(path), without).expect("edit");
    let report = json(&project.run(["check", "--format", "json"]).exit(1).stdout());
    assert_eq!(report["missing_attribution"][0], "markdown/sms/service-management-policy.md");
}

#[test]
fn overdue_reviews_warn_and_fail_when_strict() {
    let project = Project::example("minimal");
    let config = project.read("sms.toml").replace("[[people]]", "[pack]\neffective_date = 2020-01-01\n\n[[people]]");
    let project = project.config(&config);
    project.run(["build"]).success();
    let report = json(&project.run(["check", "--format", "json"]).success().stdout());
    assert!(report["overdue_reviews"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(report["overdue_reviews"][0]["next_review"], "2021-01-01");
    project.run(["check", "--strict"]).exit(1);
}

#[test]
fn the_matrix_names_every_requirement_and_shows_exclusions() {
    let project = Project::example(FULL_EXAMPLE);
    let config = project.read("sms.toml")
        + "\n[[exclusions]]\nrequirement = \"PR13.4\"\njustification = \"We build no software; vendors test their releases.\"\n";
    let project = project.config(&config);
    project.run(["build"]).success();
    let matrix = project.read("dist/markdown/assessment/requirements-compliance-matrix.md");
    let listed = project.run(["requirements", "--format", "json"]).success().stdout();
    for requirement in json(&listed)["requirements"].as_array().expect("list") {
        let id = requirement["id"].as_str().expect("id");
        assert!(matrix.contains(&format!("| {id} |")), "matrix lacks {id}");
    }
    assert!(matrix.contains("excluded: We build no software; vendors test their releases."), "{matrix}");
    assert!(matrix.contains("| Excluded, with justification | 1 | |"), "{matrix}");
    let report = json(&project.run(["check", "--format", "json"]).success().stdout());
    assert_eq!(report["requirements_excluded"], 1);
    // The excluded requirement is out of the count: 81 in scope.
    assert!(matrix.contains("of 81 |"), "{matrix}");
    assert_eq!(report["coverage"].as_f64(), Some(0.0));
}

#[test]
fn an_exclusion_must_name_a_real_requirement_and_say_why() {
    let project = Project::example("minimal");
    let config = project.read("sms.toml") + "\n[[exclusions]]\nrequirement = \"PR13.40\"\njustification = \"\"\n";
    project
        .config(&config)
        .run(["build"])
        .exit(2)
        .stderr_contains("unknown FitSM requirement `PR13.40`")
        .stderr_contains("did you mean `PR13.4`?")
        .stderr_contains("needs a written justification");
}

#[test]
fn the_self_assessment_shows_scores_gaps_and_the_chart() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let report = project.read("dist/markdown/assessment/self-assessment-report.md");
    assert!(report.contains("![Maturity per area: mean and lowest score against the goal level](maturity-chart.svg)"));
    let gaps = &report[report.find("## 5. Gaps").expect("gap section")..];
    let sizes: Vec<u32> = gaps
        .lines()
        .filter(|l| l.starts_with("| PR") || l.starts_with("| GR"))
        .filter_map(|l| l.split('|').nth(5).and_then(|cell| cell.trim().parse().ok()))
        .collect();
    assert!(!sizes.is_empty(), "the gap table lists gaps with their size");
    assert!(sizes.windows(2).all(|pair| pair[0] >= pair[1]), "largest gap first: {sizes:?}");
    let svg = project.read("dist/markdown/assessment/maturity-chart.svg");
    let parsed = roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
    assert_eq!(parsed.root_element().tag_name().name(), "svg");
    assert_eq!(project.read("dist/html/assessment/maturity-chart.svg"), svg, "the chart is part of the site");
    let page = project.read("dist/html/assessment/self-assessment-report.html");
    assert!(page.contains("<img src=\"maturity-chart.svg\""), "the chart shows in the HTML report");
}

#[test]
fn scores_are_checked_against_the_catalogue() {
    let project = Project::example("minimal");
    let config =
        project.read("sms.toml") + "\n[assessment.areas.SLM]\ngoal = 5\nscores = { \"PR2.1\" = 7, \"PR3.1\" = 2 }\n";
    project
        .config(&config)
        .run(["build"])
        .exit(2)
        .stderr_contains("goal level 5 is out of range")
        .stderr_contains("score 7 is out of range")
        .stderr_contains("requirement `PR3.1` does not belong to SLM");
}

#[test]
fn a_deleted_or_stripped_attribution_file_fails_the_check() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let attribution = project.read("dist/ATTRIBUTION.md");
    let stripped = attribution.replace("https://creativecommons.org/licenses/by/4.0/", "(link removed)");
    std::fs::write(project.path("dist/ATTRIBUTION.md"), stripped).expect("strip");
    let report = json(&project.run(["check", "--format", "json"]).exit(1).stdout());
    assert_eq!(report["missing_attribution"], serde_json::json!(["ATTRIBUTION.md"]));

    std::fs::remove_file(project.path("dist/ATTRIBUTION.md")).expect("delete");
    std::fs::remove_file(project.path("dist/licenses/CC-BY-4.0.txt")).expect("delete");
    let report = json(&project.run(["check", "--format", "json"]).exit(1).stdout());
    assert_eq!(report["missing_files"], serde_json::json!(["ATTRIBUTION.md", "licenses/CC-BY-4.0.txt"]));
    let text = project.run(["check"]).exit(1).stdout();
    assert!(text.contains("failure: the pack lacks ATTRIBUTION.md and licenses/CC-BY-4.0.txt"), "{text}");
    project.run(["build", "--restore"]).success();
    project.run(["check"]).success();
}

#[test]
fn conflict_markers_in_any_shipped_file_fail_the_check() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    let conflict = "<<<<<<< your edit\nmine\n=======\ntheirs\n>>>>>>> generated\n";
    std::fs::write(project.path("dist/ATTRIBUTION.md"), format!("{}{conflict}", project.read("dist/ATTRIBUTION.md")))
        .expect("conflict");
    std::fs::write(project.path("dist/html/notes.txt"), conflict).expect("conflict");
    let report = json(&project.run(["check", "--format", "json"]).exit(1).stdout());
    assert_eq!(report["conflicts"], serde_json::json!(["ATTRIBUTION.md", "html/notes.txt"]));
}

/// Sets every file of the pack an hour back, as if it had been built earlier: what
/// `check` notes about a file proves it unchanged only once its clock moved on.
fn age_pack(project: &Project) {
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for file in project.files_below("dist").into_iter().filter(|f| !f.starts_with(".fitsm-pack/")) {
        let file = std::fs::OpenOptions::new().write(true).open(project.path(&format!("dist/{file}"))).expect("open");
        file.set_modified(an_hour_ago).expect("set the time");
    }
}

#[test]
fn check_notes_what_each_file_said_and_still_sees_every_change() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    age_pack(&project);
    let check = || json(&project.run(["check", "--format", "json"]).success().stdout());
    let first = check();
    assert!(project.exists("dist/.fitsm-pack/check-stamps.json"));
    // From the notes alone: the same report.
    let notes = std::fs::metadata(project.path("dist/.fitsm-pack/check-stamps.json")).expect("notes");
    assert_eq!(check(), first);
    let unchanged = std::fs::metadata(project.path("dist/.fitsm-pack/check-stamps.json")).expect("notes");
    assert_eq!(notes.modified().ok(), unchanged.modified().ok(), "nothing new to note");
    let open = |report: &serde_json::Value| report["placeholders_total"].as_u64().expect("a count");

    // An edit that adds a placeholder.
    let path = "dist/markdown/processes/change-management.md";
    let text = project.read(path);
    let edited = text.replacen("\n## ", "\n[TO BE COMPLETED: the CAB's quorum]\n\n## ", 1);
    std::fs::write(project.path(path), &edited).expect("edit");
    assert_eq!(open(&check()), open(&first) + 1);

    // A save of the same size, in place, in the tick the note's stamp was taken: the
    // stamp is the same, but too young to prove anything, so the file is read again.
    let record_path = project.path("dist/.fitsm-pack/check-stamps.json");
    let mut notes: serde_json::Value =
        serde_json::from_str(&project.read("dist/.fitsm-pack/check-stamps.json")).expect("the notes are JSON");
    let key = &path["dist/".len()..];
    let taken = notes["files"][key]["taken_ns"].as_u64().expect("a note of the document");
    let modified = taken - 20_000_000;
    notes["files"][key]["stamp"]["modified_ns"] = modified.into();
    std::fs::write(&record_path, notes.to_string()).expect("rewrite the notes");
    let same_size = edited.replacen("[TO BE COMPLETED: the CAB", "[TO BE COMPLETEX: the CAB", 1);
    let file = std::fs::OpenOptions::new().write(true).open(project.path(path)).expect("open in place");
    std::io::Write::write_all(&mut &file, same_size.as_bytes()).expect("write in place");
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_nanos(modified)).expect("set the time");
    drop(file);
    assert_eq!(open(&check()), open(&first));

    // Approvals are read anew each time, from what the documents say.
    project.run(["approve", "SMS-POL", "--by", "mwright", "--date", "2026-11-30"]).success();
    let approved = check();
    assert!(approved["awaiting_approval"].as_array().is_some_and(|list| list.iter().all(|d| d["id"] != "SMS-POL")));
}

/// Moves every note's stamp a second on, as if it had been taken once the files had
/// settled (a pack's own build is over in less than the 100 ms a note needs).
fn settle_notes(project: &Project) -> serde_json::Value {
    let path = project.path("dist/.fitsm-pack/check-stamps.json");
    let mut notes: serde_json::Value = serde_json::from_str(&project.read("dist/.fitsm-pack/check-stamps.json"))
        .expect("the build noted what it wrote");
    for note in notes["files"].as_object_mut().expect("notes by path").values_mut() {
        note["taken_ns"] = (note["taken_ns"].as_u64().expect("a moment") + 1_000_000_000).into();
    }
    std::fs::write(&path, notes.to_string()).expect("rewrite the notes");
    notes
}

#[test]
fn a_build_notes_what_it_wrote_and_check_trusts_it_only_while_the_file_is_unchanged() {
    use std::os::unix::fs::MetadataExt;
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    project.run(["approve", "SMS-POL", "--by", "mwright", "--date", "2026-11-30"]).success();
    project.run(["build"]).success();
    let check = || json(&project.run(["check", "--format", "json"]).success().stdout());
    let notes = settle_notes(&project);
    // Every document is noted with the stamp it has now.
    let documents: Vec<String> = project
        .files_below("dist/markdown")
        .into_iter()
        .filter(|file| file.ends_with(".md"))
        .map(|file| format!("markdown/{file}"))
        .collect();
    assert!(documents.len() > 40, "{documents:?}");
    for document in &documents {
        let note = &notes["files"][document.as_str()];
        let metadata = std::fs::metadata(project.path(&format!("dist/{document}"))).expect("on disk");
        assert_eq!(note["stamp"]["len"], metadata.len(), "{document}: {note}");
        assert_eq!(note["stamp"]["inode"], metadata.ino(), "{document}: {note}");
        let modified = metadata.modified().expect("a time").duration_since(std::time::UNIX_EPOCH).expect("after 1970");
        assert_eq!(note["stamp"]["modified_ns"], modified.as_nanos() as u64, "{document}: {note}");
    }
    let approved = &notes["files"]["markdown/sms/service-management-policy.md"];
    assert!(
        approved["said"]["document"]["content_sha256"].is_string(),
        "an approved document's note has its hash: {approved}"
    );
    let from_notes = check();
    // `check` takes what it can from the notes: one made to say more is believed while
    // the file's stamp proves it, and not once the file was saved again.
    let mut notes: serde_json::Value =
        serde_json::from_str(&project.read("dist/.fitsm-pack/check-stamps.json")).expect("the notes are JSON");
    let key = "markdown/processes/change-management.md";
    let placeholders = notes["files"][key]["said"]["document"]["placeholders"].as_u64().expect("a count");
    notes["files"][key]["said"]["document"]["placeholders"] = (placeholders + 1000).into();
    std::fs::write(project.path("dist/.fitsm-pack/check-stamps.json"), notes.to_string()).expect("rewrite");
    let believed = check();
    std::fs::write(project.path(&format!("dist/{key}")), project.read(&format!("dist/{key}"))).expect("save again");
    let saved = check();
    // What the build noted is what `check` reads from the files themselves.
    std::fs::remove_file(project.path("dist/.fitsm-pack/check-stamps.json")).expect("forget the notes");
    let from_files = check();
    assert_eq!(from_notes, from_files);
    let open = |report: &serde_json::Value| report["placeholders_total"].as_u64().expect("a count");
    assert_eq!(open(&believed), open(&from_files) + 1000);
    assert_eq!(open(&saved), open(&from_files));
}

#[test]
fn a_large_pack_names_the_documents_with_most_work_first_and_counts_the_rest() {
    let project = Project::new().config(&fitsm_pack::synth::config(40));
    project.run(["build", "--format", "md"]).success();
    let report = json(&project.run(["check", "--format", "json"]).stdout());
    let with_placeholders = report["placeholders"].as_array().expect("a list").len();
    assert!(with_placeholders > 20, "{with_placeholders}");
    let text = project.run(["check"]).stdout();
    let listed: Vec<u64> = text
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("placeholders"))
        .skip(1)
        .map_while(|line| line.trim_start().split_once("  ").and_then(|(count, _)| count.trim().parse().ok()))
        .collect();
    assert_eq!(listed.len(), 10, "{text}");
    assert!(listed.windows(2).all(|pair| pair[0] >= pair[1]), "most open first: {listed:?}");
    let more = format!("… and {} more (check --format json lists them all)", with_placeholders - 10);
    assert!(text.contains(&more), "{text}");
    assert!(text.lines().count() < 80, "{text}");
}
