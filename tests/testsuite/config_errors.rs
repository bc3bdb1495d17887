//! Each class of config error: exit code 2, file:line:column, the offending text, a
//! hint, and nothing written. Messages are snapshot-tested so wording changes are
//! reviewed like code.

use crate::project::{Project, Run};

const HEAD: &str = "[organisation]\nname = \"Acme\"\n\n[[people]]\nid = \"ann\"\nname = \"Ann Example\"\n";

/// Builds `config` and checks the common contract of a rejected config.
fn rejected(config: &str) -> Run {
    let project = Project::new().config(config);
    let run = project.run(["build"]).exit(2).stderr_contains("nothing was written").stderr_lacks("panicked");
    assert!(!project.exists("dist"), "a rejected config must not write anything");
    run
}

#[test]
fn misspelt_key() {
    let run = rejected(&format!("{HEAD}\n[[services]]\nid = \"web\"\nnmae = \"Web\"\n"));
    insta::assert_snapshot!(run.stderr_redacted());
}

#[test]
fn wrong_type() {
    let run =
        rejected(&format!("{HEAD}\n[[services]]\nid = \"web\"\nname = \"Web\"\navailability_target = \"99.5%\"\n"));
    insta::assert_snapshot!(run.stderr_redacted());
}

#[test]
fn duplicate_id() {
    let run = rejected(&format!("{HEAD}\n[[people]]\nid = \"ann\"\nname = \"Another Ann\"\n"));
    insta::assert_snapshot!(run.stderr_redacted());
}

#[test]
fn dangling_reference() {
    let run = rejected(&format!("{HEAD}\n[[services]]\nid = \"web\"\nname = \"Web\"\nowner = \"anne\"\n"));
    insta::assert_snapshot!(run.stderr_redacted());
}

#[test]
fn several_structure_problems_are_reported_in_one_run() {
    let run = rejected(
        "[organisation]\nname = \"Acme\"\nwebiste = \"x\"\n\n[[people]]\nid = \"ann\"\nname = 5\n\n[[services]]\nid = \"web\"\nname = \"Web\"\nhours = [\"24/7\"]\n",
    );
    let stderr = run.stderr();
    assert!(stderr.contains("3 problems in"), "{stderr}");
    let positions: Vec<usize> =
        ["unknown key `webiste`", "found integer `5`, expected a string", "found a list, expected a string"]
            .iter()
            .map(|needle| stderr.find(needle).unwrap_or_else(|| panic!("missing {needle:?} in\n{stderr}")))
            .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "reported in file order:\n{stderr}");
}

#[test]
fn meaning_problems_are_reported_together_in_file_order() {
    let run = rejected(&format!(
        "{HEAD}\n[[services]]\nid = \"Web\"\nname = \"Web\"\nowner = \"bob\"\n\n[[services]]\nid = \"db\"\nname = \"DB\"\ndepends_on = [\"db\"]\n\n[processes.SLX]\nowner = \"ann\"\n"
    ));
    let stderr = run.stderr();
    let positions: Vec<usize> =
        ["invalid service id `Web`", "unknown person `bob`", "service `db` depends on itself", "unknown process `SLX`"]
            .iter()
            .map(|needle| stderr.find(needle).unwrap_or_else(|| panic!("missing {needle:?} in\n{stderr}")))
            .collect();
    assert!(stderr.contains("4 problems"), "{stderr}");
    assert!(stderr.contains("did you mean `SLM`?"), "{stderr}");
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "reported in file order:\n{stderr}");
}

#[test]
fn toml_syntax_error() {
    let run = rejected("[organisation]\nname = \"Acme\n");
    let stderr = run.stderr_redacted();
    assert!(stderr.contains("error: invalid TOML"), "{stderr}");
    assert!(stderr.contains("--> sms.toml:2:"), "{stderr}");
}

#[test]
fn empty_file_names_the_missing_section() {
    rejected("").stderr_contains("missing key `organisation`");
}

#[test]
fn missing_config_file() {
    let project = Project::new();
    project.run(["build"]).exit(2).stderr_contains("cannot read config file sms.toml");
}

#[test]
fn config_path_is_a_folder() {
    let project = Project::new().file("conf/readme.txt", "x");
    project.run(["build", "-c", "conf"]).exit(2).stderr_contains("is a folder");
}

#[test]
fn invalid_utf8_is_reported_with_its_position() {
    let project = Project::new();
    std::fs::write(project.path("sms.toml"), b"[organisation]\nname = \"Caf\xe9\"\n").expect("write");
    project.run(["build"]).exit(2).stderr_contains("not valid UTF-8").stderr_contains("line 2, column 12");
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let config = format!("\u{feff}{}", HEAD.replace('\n', "\r\n"));
    Project::new().config(&config).run(["build"]).success();
}

#[test]
fn one_removed_person_is_one_problem_with_the_other_places_summarised() {
    // Before, each of the 70-odd references was an error of its own, and the cause
    // (one person removed) had to be guessed from the repetition.
    let mut config = String::from(
        "[organisation]\nname = \"Acme\"\n\n[[people]]\nid = \"bob\"\nname = \"Bob\"\n\n[roles]\nsms_owner = \"ann\"\n",
    );
    for index in 0..12 {
        config.push_str(&format!("\n[[services]]\nid = \"s{index}\"\nname = \"S{index}\"\nowner = \"ann\"\n"));
    }
    let run = rejected(&config);
    let stderr = run.stderr_redacted();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors, ["error: unknown person `ann`"], "{stderr}");
    assert!(
        stderr.contains(
            "note: and 12 more references to `ann`, a person that does not exist \
             (services.s0.owner, services.s1.owner, services.s2.owner, services.s3.owner, …)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("help: known people: `bob`"), "{stderr}");
    assert!(stderr.trim_end().ends_with("1 problem in sms.toml; nothing was written"), "{stderr}");
}
