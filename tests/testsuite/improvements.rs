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
    // GR1.2 scores 2 and GR1.3 scores 1 against a goal of 3 in the example: one action.
    let gap = row(&register, "SA-GR1").expect("the gaps of GR1 are proposed");
    assert!(gap.contains("GR1.2 SM policy approved and communicated (2 → 3); GR1.3"), "{gap}");
    assert!(gap.ends_with("| proposed | high |"), "{gap}");
    assert!(gap.contains("Margaret Wright"), "the SMS owner answers for GR1: {gap}");
    assert!(row(&register, "SA-PR9").is_none() && row(&register, "SA-ISRM").is_none(), "ISRM meets its goal");
    let records = row(&register, "EV-SMS").expect("no record is named in the example");
    assert!(records.contains("each of the 82 requirements"), "{records}");
    let report = project.read(REPORT);
    assert!(row(&report, "GR1.3").is_some_and(|r| r.ends_with("| SA-GR1 |")), "the report names the entry");

    // Same config, same register; an edit to a proposed entry is someone's decision.
    project.run(["build"]).success().stderr_contains("unchanged");
    let accepted = gap.replace("| proposed | high |", "| accepted, due 2027-03-31 | high |");
    std::fs::write(project.path(REGISTER), register.replace(gap, &accepted)).expect("edit");
    project.run(["build", "-q"]).success();
    assert_eq!(row(&project.read(REGISTER), "SA-GR1"), Some(accepted.as_str()));
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
    let gap = row(&register, "SA-GR1").expect("GR1.2 is still open");
    assert!(!gap.contains("GR1.3"), "taken over by csi-010: {gap}");
    assert!(row(&register, "csi-010").is_some());
    assert!(row(&register, "EV-SMS").is_some_and(|r| r.contains("each of the 81 requirements")));
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
