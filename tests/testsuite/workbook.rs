//! The self-assessment workbook: `assessment export` writes it, a person fills it in
//! (here: openpyxl, a spreadsheet library that shares no code with ours), and
//! `[assessment] import` feeds it back into the report and the chart. Also: the CSV
//! form, the round trip of an unchanged export, and bad cells named by sheet and cell.

use std::process::Command;

use crate::project::{FULL_EXAMPLE, Project};

const REPORT: &str = "dist/markdown/assessment/self-assessment-report.md";
const CHART: &str = "dist/markdown/assessment/maturity-chart.svg";

/// The example config with its `[assessment.areas.*]` tables taken out and
/// `import = FILE` put into `[assessment]`: the areas then have one home, the file.
fn importing(file: &str) -> String {
    let text = std::fs::read_to_string(crate::project::example_path(FULL_EXAMPLE)).expect("example");
    let mut out = String::new();
    let mut in_area = false;
    for line in text.lines() {
        if line.starts_with('[') {
            in_area = line.starts_with("[assessment.areas.");
        }
        if !in_area {
            out.push_str(line);
            out.push('\n');
        }
        if line == "[assessment]" {
            out.push_str(&format!("import = \"{file}\"\n"));
        }
    }
    assert!(!out.lines().any(|line| line.starts_with("[assessment.areas.")), "all area tables removed");
    out
}

/// The row of requirement `id` in the report's per-requirement tables.
fn report_row(project: &Project, id: &str) -> String {
    let report = project.read(REPORT);
    report
        .lines()
        .find(|line| line.starts_with(&format!("| {id} |")))
        .unwrap_or_else(|| panic!("no row for {id} in the report"))
        .to_owned()
}

#[test]
fn an_unchanged_export_imported_gives_the_same_report_and_chart() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "-q"]).success();
    let (report, chart) = (project.read(REPORT), project.read(CHART));

    project
        .run(["assessment", "export"])
        .success()
        .stderr_contains("wrote assessment.xlsx: 21 areas, 82 requirements (82 scored so far)")
        .stderr_contains("import = \"assessment.xlsx\"");
    let exported = std::fs::read(project.path("assessment.xlsx")).expect("the workbook is written");
    assert!(exported.starts_with(b"PK"), "an xlsx is a zip");
    project
        .run(["assessment", "export"])
        .exit(2)
        .stderr_contains("assessment.xlsx already exists; not overwriting it")
        .stderr_contains("--force");
    project.run(["assessment", "export", "--force", "-q"]).success();
    assert_eq!(std::fs::read(project.path("assessment.xlsx")).ok(), Some(exported), "same config, same bytes");

    // Both homes at once is refused, naming both.
    let both = project.read("sms.toml").replacen("[assessment]\n", "[assessment]\nimport = \"assessment.xlsx\"\n", 1);
    Project::config_in_place(&project, &both);
    project
        .run(["check"])
        .exit(2)
        .stderr_contains("assessment area `GR1` is given twice: here and in assessment.xlsx (sheet \"GR1\")")
        .stderr_contains("20 more areas are in both");

    Project::config_in_place(&project, &importing("assessment.xlsx"));
    project.run(["build", "-q"]).success();
    assert_eq!(project.read(REPORT), report, "the report does not care where the scores come from");
    assert_eq!(project.read(CHART), chart);
    let todo = project.run(["todo", "--format", "json"]).success().stdout();
    assert!(!todo.contains("areas.SLM.scores"), "todo asks for no score the workbook gives:\n{todo}");
}

#[test]
fn a_csv_file_feeds_the_assessment_and_bad_fields_name_line_and_column() {
    let project = Project::example(FULL_EXAMPLE).file(
        "scores.csv",
        "area,requirement,score,goal,in_scope,evidence\n\
             SLM,PR2.1,4,2,yes,\"Catalogue published, SLAs signed\"\n\
             SLM,PR2.2,4,,,\"Catalogue published, SLAs signed\"\n\
             SLM,PR2.3,3,,,\"Catalogue published, SLAs signed\"\n\
             SLM,PR2.4,4,,,\"Catalogue published, SLAs signed\"\n\
             SLM,PR2.5,4,,,\"Catalogue published, SLAs signed\"\n",
    );
    let text = project.read("sms.toml");
    let start = text.find("[assessment.areas.SLM]").expect("SLM table");
    let end = start + text[start..].find("\n\n").expect("end of the table");
    let config = format!("{}{}", &text[..start], &text[end..]).replacen(
        "[assessment]\n",
        "[assessment]\nimport = \"scores.csv\"\n",
        1,
    );
    Project::config_in_place(&project, &config);
    project.run(["build", "-q"]).success();
    assert!(report_row(&project, "PR2.3").contains("| 3 | 2 | – |"), "{}", report_row(&project, "PR2.3"));
    let overview = project.read(REPORT);
    assert!(overview.contains("Catalogue published, SLAs signed"), "the evidence is the area's");
    assert!(project.read(CHART).contains("SLM: lowest 3"));

    std::fs::write(
        project.path("scores.csv"),
        "area,requirement,score,goal,in_scope,evidence\nSLM,PR2.1,high,2,yes,\n",
    )
    .expect("write");
    project
        .run(["build"])
        .exit(2)
        .stderr_contains("error: score \"high\" is not a whole number from 0 to 4")
        .stderr_contains("--> scores.csv:2:11")
        .stderr_contains("1 problem in scores.csv; nothing was written");

    // Out of scope in the file, applied in the matrix: scope has one home, the exclusions.
    std::fs::write(project.path("scores.csv"), "area,requirement,score,goal,in_scope,evidence\nSLM,PR2.1,,,no,\n")
        .expect("write");
    project
        .run(["build"])
        .exit(2)
        .stderr_contains("assessment area `SLM` is out of scope (scores.csv, line 2: In scope is \"no\"), but the compliance matrix still applies PR2.1, PR2.2")
        .stderr_contains("[[exclusions]]");
}

/// A python3 that has openpyxl: `$PYTHON`, else `python3`, else Debian's own.
fn python_with_openpyxl() -> String {
    let candidates = std::env::var("PYTHON").into_iter().chain(["python3".to_owned(), "/usr/bin/python3".to_owned()]);
    for python in candidates {
        let found = Command::new(&python).args(["-c", "import openpyxl"]).output();
        if found.is_ok_and(|output| output.status.success()) {
            return python;
        }
    }
    panic!("no python3 with openpyxl (apt-get install python3-openpyxl, or set PYTHON)");
}

/// Sets cells of the workbook with openpyxl, as a person would in a spreadsheet.
fn fill_in(project: &Project, workbook: &str, cells: &[(&str, &str, serde_json::Value)]) {
    const SCRIPT: &str = "import json, sys, openpyxl\n\
        path, cells = sys.argv[1], json.loads(sys.argv[2])\n\
        book = openpyxl.load_workbook(path)\n\
        for sheet, cell, value in cells:\n    book[sheet][cell] = value\n\
        book.save(path)\n";
    let cells = serde_json::to_string(cells).expect("JSON");
    let output = Command::new(python_with_openpyxl())
        .args(["-c", SCRIPT])
        .arg(project.path(workbook))
        .arg(cells)
        .output()
        .expect("run python3");
    assert!(output.status.success(), "openpyxl: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
#[ignore = "needs python3-openpyxl (apt-get install python3-openpyxl)"]
fn scores_typed_into_the_workbook_show_in_the_report_and_the_chart() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["assessment", "export", "-q"]).success();
    Project::config_in_place(&project, &importing("assessment.xlsx"));
    let score = |cell: &str, value: i64| ("SLM", cell.to_owned(), serde_json::json!(value));
    let mut cells: Vec<(&str, String, serde_json::Value)> = (6..=10).map(|row| score(&format!("E{row}"), 4)).collect();
    cells.push(("SLM", "B3".to_owned(), serde_json::json!(2)));
    cells.push(("SLM", "F6".to_owned(), serde_json::json!("SLA review minutes of March")));
    cells.push(("RDM", "B2".to_owned(), serde_json::json!("no")));
    let cells: Vec<(&str, &str, serde_json::Value)> =
        cells.iter().map(|(s, c, v)| (*s, c.as_str(), v.clone())).collect();
    fill_in(&project, "assessment.xlsx", &cells);

    // Out of scope in the workbook alone is refused: the matrix still applies RDM.
    project
        .run(["build"])
        .exit(2)
        .stderr_contains("assessment area `RDM` is out of scope (assessment.xlsx, sheet \"RDM\": In scope is \"no\")");
    let exclusions: String = (1..=6)
        .map(|n| {
            format!(
                "\n[[exclusions]]\nrequirement = \"PR13.{n}\"\njustification = \"NUCC deploys vendor releases only.\"\n"
            )
        })
        .collect();
    let config = format!("{}{exclusions}", project.read("sms.toml"));
    Project::config_in_place(&project, &config);
    project.run(["build", "-q"]).success();
    assert!(report_row(&project, "PR2.2").contains("| 4 | 2 | – |"), "{}", report_row(&project, "PR2.2"));
    assert!(
        report_row(&project, "PR13.1").contains("| – | – |"),
        "RDM is out of scope: {}",
        report_row(&project, "PR13.1")
    );
    let report = project.read(REPORT);
    assert!(report.contains("PR2.1: SLA review minutes of March; PR2.2: "), "evidence notes per requirement");
    assert!(report.contains("### 4.20 PR13 Release & Deployment Management (out of scope)"), "RDM out of scope");
    let chart = project.read(CHART);
    for expected in
        ["SLM: mean 4.0", "SLM: lowest 4", "SLM: goal 2", "RDM Release &amp; Deployment Management (out of scope)"]
    {
        assert!(chart.contains(expected), "the chart lacks {expected:?}");
    }

    // A later change to the workbook alone is a change to the pack.
    fill_in(&project, "assessment.xlsx", &[("SLM", "E7", serde_json::json!(1))]);
    project.run(["build"]).success().stderr_contains("updated");
    assert!(report_row(&project, "PR2.2").contains("| 1 | 2 | **1** |"), "{}", report_row(&project, "PR2.2"));

    fill_in(
        &project,
        "assessment.xlsx",
        &[("SLM", "E7", serde_json::json!(7)), ("CHM", "E8", serde_json::json!("high"))],
    );
    project
        .run(["build"])
        .exit(2)
        .stderr_contains(
            "error: assessment.xlsx: sheet \"SLM\", cell E7: score \"7\" is not a whole number from 0 to 4",
        )
        .stderr_contains(
            "error: assessment.xlsx: sheet \"CHM\", cell E8: score \"high\" is not a whole number from 0 to 4",
        )
        .stderr_contains("help: scores go from 0")
        .stderr_contains("2 problems in assessment.xlsx; nothing was written");
}
