//! The self-assessment report and the improvement register read as an auditor reads
//! them: unscored requirements stated once per area, every gap and every area without
//! records proposed in the register under an id that does not move, edits to those
//! entries kept, and an entry of `[[improvements]]` that names a requirement taking it
//! over.

use crate::project::{FULL_EXAMPLE, Project};

const REPORT: &str = "dist/markdown/assessment/self-assessment-report.md";
const REGISTER: &str = "dist/markdown/assessment/improvement-register.md";

/// The last row of a table that starts with `id` (the report lists a requirement in
/// its area's table first and among the gaps last).
fn row<'t>(text: &'t str, id: &str) -> Option<&'t str> {
    text.lines().rfind(|line| line.starts_with(&format!("| {id} |")))
}

#[test]
fn gaps_and_missing_records_are_proposed_in_the_register_and_edits_to_them_are_kept() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "-q"]).success();
    let register = project.read(REGISTER);
    // GR1.3 scores 1 against a goal of 3 in the example.
    let gap = row(&register, "SA-GR1.3").expect("the gap is proposed");
    assert!(gap.contains("from score 1 to the goal level of 3"), "{gap}");
    assert!(gap.contains("proposed, high priority"), "{gap}");
    assert!(gap.contains("Margaret Wright"), "the SMS owner answers for GR1: {gap}");
    let records = row(&register, "EV-SLM").expect("no record names SLM's requirements");
    assert!(records.contains("PR2.1, PR2.2, PR2.3, PR2.4, PR2.5"), "{records}");
    let report = project.read(REPORT);
    assert!(row(&report, "GR1.3").is_some_and(|r| r.ends_with("| SA-GR1.3 |")), "the report names the entry");

    // Same config, same register; an edit to a proposed entry is someone's decision.
    project.run(["build"]).success().stderr_contains("unchanged");
    let accepted = gap.replace("proposed, high priority | set when accepted", "accepted | 2027-03-31");
    std::fs::write(project.path(REGISTER), register.replace(gap, &accepted)).expect("edit");
    project.run(["build", "-q"]).success();
    assert_eq!(row(&project.read(REGISTER), "SA-GR1.3"), Some(accepted.as_str()));
}

#[test]
fn an_improvement_that_names_a_requirement_replaces_its_proposal() {
    let text = std::fs::read_to_string(crate::project::example_path(FULL_EXAMPLE)).expect("example");
    let text = format!(
        "{text}\n[[improvements]]\nid = \"csi-010\"\ntitle = \"Hold the first management review\"\n\
         owner = \"mwright\"\nstatus = \"accepted\"\nrequirements = [\"GR1.3\"]\n"
    );
    let project = Project::example(FULL_EXAMPLE).config(&text);
    project.run(["build", "-q"]).success();
    let register = project.read(REGISTER);
    assert!(row(&register, "SA-GR1.3").is_none(), "taken over by csi-010");
    assert!(row(&register, "csi-010").is_some());
    let evidence = row(&register, "EV-GR1").expect("GR1.1 and GR1.2 still lack records");
    assert!(evidence.contains("(GR1.1, GR1.2)"), "{evidence}");
    assert!(row(&project.read(REPORT), "GR1.3").is_some_and(|r| r.ends_with("| csi-010 |")));
    // An unknown id is a config error, like anywhere else.
    let project = Project::example(FULL_EXAMPLE).config(&text.replace("[\"GR1.3\"]", "[\"GR1.9\"]"));
    project.run(["check"]).exit(2).stderr_contains("unknown FitSM requirement `GR1.9`");
}

#[test]
fn a_pack_without_an_assessment_says_so_once_per_area_and_gives_no_tool_instructions() {
    let project = Project::example("managed-hosting");
    project.run(["build", "-q"]).success();
    let report = project.read(REPORT);
    assert_eq!(report.matches("Not yet assessed: none of the").count(), 21, "one sentence per area");
    assert!(!report.contains("TO BE COMPLETED: score"), "no placeholder per score cell");
    // What is left to fill in is the organisation's plan (goal dates), not the assessment.
    for placeholder in report.split("[TO BE COMPLETED: ").skip(1) {
        let what = placeholder.split(']').next().unwrap_or_default();
        assert!(what.starts_with("target date for G"), "asked before any assessment: {what}");
    }
    for tool_word in ["sms.toml", "fitsm-pack", "[assessment", "the config"] {
        assert!(!report.contains(tool_word), "the report talks about the tool: {tool_word}");
    }
}
