//! Own templates: eject, edit, overlay, add; clear template errors; the schema; shell
//! completions and the man page.

use crate::project::{FULL_EXAMPLE, Project, example_path};

const NEW_DOCUMENT: &str = "{#\nkey = \"bcp-test\"\nid = \"BCP-TEST\"\ntitle = \"Continuity test report\"\nfor = \"once\"\n\
path = \"plans/continuity-test-report.md\"\ngroup = \"policies-and-plans\"\nowner = \"process:SACM\"\n\
requirements = [\"PR4.3\"]\n#}\n# {{ doc.title }}\n\nTests of {{ org.name }}'s continuity plans.\n";

#[test]
fn an_ejected_and_edited_template_shows_in_markdown_and_html() {
    let project = Project::example("minimal");
    project.run(["templates", "eject", "my-templates", "sms-policy"]).success().stderr_contains("1 template(s) copied");
    let path = "my-templates/documents/sms-policy.md";
    let edited = project.read(path).replacen("\n## ", "\nOur board adopted this policy on 1 March.\n\n## ", 1);
    std::fs::write(project.path(path), edited).expect("edit template");
    project.run(["build", "--templates", "my-templates"]).success();
    assert!(
        project
            .read("dist/markdown/sms/service-management-policy.md")
            .contains("Our board adopted this policy on 1 March.")
    );
    assert!(
        project
            .read("dist/html/sms/service-management-policy.html")
            .contains("Our board adopted this policy on 1 March.")
    );
    let listing = project.run(["templates", "list", "--templates", "my-templates"]).success().stdout();
    let line = listing.lines().find(|l| l.starts_with("sms-policy ")).expect("listed");
    assert!(line.contains("overridden"), "{line}");
}

#[test]
fn the_config_can_name_the_templates_folder_and_add_documents() {
    let project = Project::example("minimal").file("own/documents/bcp-test.md", NEW_DOCUMENT);
    let config = project.read("sms.toml").replace("[[people]]", "[pack]\ntemplates = \"own\"\n\n[[people]]");
    let project = project.config(&config);
    project.run(["build"]).success();
    let added = project.read("dist/markdown/plans/continuity-test-report.md");
    assert!(added.contains("Tests of Example Hosting's continuity plans."), "{added}");
    assert!(added.contains("id: \"BCP-TEST\""));
    assert!(project.exists("dist/html/plans/continuity-test-report.html"));
}

#[test]
fn the_site_layout_and_stylesheet_can_be_replaced() {
    let project = Project::example("minimal");
    project.run(["templates", "eject", "t", "html/style.css"]).success();
    let css = project.read("t/html/style.css") + "\n.site-title { color: rebeccapurple; }\n";
    std::fs::write(project.path("t/html/style.css"), css).expect("edit css");
    project.run(["build", "--templates", "t"]).success();
    assert!(project.read("dist/html/assets/style.css").contains("rebeccapurple"));
}

#[test]
fn eject_never_overwrites_and_suggests_names() {
    let project = Project::new();
    project.run(["templates", "eject", "t", "sla"]).success();
    project.run(["templates", "eject", "t", "sla"]).exit(2).stderr_contains("already has documents/sla.md");
    project.run(["templates", "eject", "t", "slaa"]).exit(2).stderr_contains("did you mean `sla`?");
    project.run(["templates", "eject", "all"]).success();
    assert!(project.exists("all/html/layout.html") && project.exists("all/partials/process.md"));
    assert!(!project.exists("all/requirements.toml"), "the catalogue is data, not a template");
}

#[test]
fn an_override_of_a_changed_built_in_is_flagged() {
    let project = Project::example("minimal");
    project.run(["templates", "eject", "t", "sla"]).success();
    // Pretend the copy was taken from an older fitsm-pack whose built-in differed.
    let record = project.read("t/.fitsm-pack-ejected.toml");
    let start = record.find("sha256 = \"").expect("hash") + "sha256 = \"".len();
    let older = format!("{}{}{}", &record[..start], "0".repeat(64), &record[start + 64..]);
    std::fs::write(project.path("t/.fitsm-pack-ejected.toml"), older).expect("write record");
    project
        .run(["build", "--templates", "t"])
        .success()
        .stderr_contains("warning: the built-in template documents/sla.md changed since you ejected it");
}

#[test]
fn an_undefined_variable_names_file_line_and_what_exists() {
    let broken = NEW_DOCUMENT.replace("Tests of {{ org.name }}", "Tests of {{ no_such_variable.x }}");
    let project = Project::example("minimal").file("t/documents/bcp-test.md", &broken);
    let run = project.run(["build", "--templates", "t"]).exit(2);
    let stderr = run.stderr_redacted();
    assert!(stderr.contains("t/documents/bcp-test.md:13: undefined variable `no_such_variable.x`"), "{stderr}");
    assert!(stderr.contains("variables available here:") && stderr.contains("org"), "{stderr}");
    assert!(!project.exists("dist"), "nothing written");
}

#[test]
fn a_template_syntax_error_names_file_and_line() {
    let broken = NEW_DOCUMENT.replace("Tests of {{ org.name }}", "Tests of {{ org.name }");
    let project = Project::example("minimal").file("t/documents/bcp-test.md", &broken);
    let run = project.run(["build", "--templates", "t"]).exit(2);
    assert!(run.stderr().contains("documents/bcp-test.md:13"), "{}", run.stderr());
}

#[test]
fn a_declaration_with_an_unknown_requirement_is_a_template_error() {
    let broken = NEW_DOCUMENT.replace("PR4.3", "PR4.9");
    let project = Project::example("minimal").file("t/documents/bcp-test.md", &broken);
    project.run(["build", "--templates", "t"]).exit(2).stderr_contains("unknown FitSM requirement `PR4.9`");
}

fn toml_to_json(text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(text).expect("valid TOML");
    serde_json::to_value(value).expect("as JSON")
}

fn normalise_dates(value: &mut serde_json::Value) {
    // TOML dates become {"$__toml_private_datetime": "…"} through serde; editors see text.
    match value {
        serde_json::Value::Object(map) => {
            if let Some(date) = map.get("$__toml_private_datetime").cloned() {
                *value = date;
            } else {
                map.values_mut().for_each(normalise_dates);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(normalise_dates),
        _ => {}
    }
}

#[test]
fn the_schema_accepts_the_examples_and_rejects_a_typo() {
    let project = Project::new();
    let schema: serde_json::Value = serde_json::from_str(&project.run(["schema"]).success().stdout()).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for example in [FULL_EXAMPLE, "minimal"] {
        let mut config = toml_to_json(&std::fs::read_to_string(example_path(example)).expect("example"));
        normalise_dates(&mut config);
        let errors: Vec<String> = validator.iter_errors(&config).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{example}: {errors:?}");
    }
    let typo = toml_to_json("[organisation]\nnmae = \"Acme\"\n");
    assert!(!validator.is_valid(&typo), "a misspelt key fails the schema");
}

#[test]
fn the_schema_knows_the_allowed_values_and_ranges() {
    // An editor that reads the schema flags these before fitsm-pack ever runs.
    let project = Project::new();
    let schema: serde_json::Value = serde_json::from_str(&project.run(["schema"]).success().stdout()).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let base = "[organisation]\nname = \"Acme\"\n";
    let valid = toml_to_json(&format!(
        "{base}[[services]]\nid = \"web\"\nname = \"Web\"\nstatus = \"pipeline\"\navailability_target = 99.5\n\
         [[suppliers]]\nid = \"dc\"\nname = \"DC\"\nkind = \"internal\"\n\
         [[customers]]\nid = \"uni\"\nname = \"Uni\"\nkind = \"internal\"\n"
    ));
    assert!(
        validator.is_valid(&valid),
        "{:?}",
        validator.iter_errors(&valid).map(|e| e.to_string()).collect::<Vec<_>>()
    );
    for (what, bad) in [
        ("a status outside the list", "[[services]]\nid = \"web\"\nname = \"Web\"\nstatus = \"liv\"\n"),
        ("an availability of 999 %", "[[services]]\nid = \"web\"\nname = \"Web\"\navailability_target = 999\n"),
        ("a supplier kind outside the list", "[[suppliers]]\nid = \"dc\"\nname = \"DC\"\nkind = \"partner\"\n"),
        ("a customer kind outside the list", "[[customers]]\nid = \"u\"\nname = \"U\"\nkind = \"campus\"\n"),
        ("a review interval of 0 months", "[pack]\nreview_interval_months = 0\n"),
        ("a goal of 5", "[assessment.areas.SLM]\ngoal = 5\n"),
        ("a score of 7", "[assessment.areas.SLM]\nscores = { \"PR2.1\" = 7 }\n"),
    ] {
        assert!(!validator.is_valid(&toml_to_json(&format!("{base}{bad}"))), "the schema accepts {what}");
    }
}

#[test]
fn init_points_editors_at_the_schema() {
    let project = Project::new();
    project.run(["init"]).success();
    assert!(project.read("sms.toml").starts_with("#:schema ./sms.schema.json\n"));
    let schema: serde_json::Value = serde_json::from_str(&project.read("sms.schema.json")).expect("JSON");
    assert_eq!(schema["title"], "fitsm-pack sms.toml");
    project.run(["build"]).success();
}

#[test]
fn completions_and_man_page() {
    let project = Project::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = project.run(["completions", shell]).success().stdout();
        assert!(script.contains("fitsm-pack") && script.contains("build"), "{shell}");
    }
    let page = project.run(["man"]).success().stdout();
    assert!(page.contains(".TH fitsm-pack 1"));
    let help = project.run(["--help"]).success().stdout();
    assert!(help.contains("Exit codes:") && help.contains("Examples:"));
}

/// Overlay files (path, text), the file the error must name, and words it must contain.
type RecursionCase<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

/// A document template that does `body` (its declaration is made up around it).
fn document_doing(body: &str) -> String {
    let declaration = NEW_DOCUMENT.split_inclusive("#}\n").next().unwrap_or_default();
    format!("{declaration}{body}")
}

#[test]
fn templates_that_would_recurse_for_ever_are_errors_not_crashes() {
    // Each of these overflowed Tera's stack (exit 134, no message) before they were checked.
    let cases: [RecursionCase<'_>; 5] = [
        (
            &[("own/documents/bcp-test.md", "{% include \"documents/bcp-test.md\" %}\n")],
            "own/documents/bcp-test.md",
            "cycle: documents/bcp-test.md → documents/bcp-test.md",
        ),
        (
            &[
                ("own/documents/bcp-test.md", "{% include \"partials/a.md\" %}\n"),
                ("own/partials/a.md", "{% include \"partials/b.md\" %}"),
                ("own/partials/b.md", "{% include \"partials/a.md\" %}"),
            ],
            "own/partials/a.md",
            "cycle: partials/a.md → partials/b.md → partials/a.md",
        ),
        (
            &[
                ("own/documents/bcp-test.md", "{% import \"partials/m.md\" as m %}{{ m::again(n=1) }}\n"),
                ("own/partials/m.md", "{% macro again(n) %}{{ self::again(n=n) }}{% endmacro again %}"),
            ],
            "own/partials/m.md",
            "recursive macro: macro again (partials/m.md) → macro again (partials/m.md)",
        ),
        (
            &[
                ("own/documents/bcp-test.md", "{% extends \"partials/e1.md\" %}\n"),
                ("own/partials/e1.md", "{% extends \"partials/e2.md\" %}"),
                ("own/partials/e2.md", "{% extends \"partials/e1.md\" %}"),
            ],
            "own/partials/e1.md",
            "cycle: partials/e1.md → partials/e2.md → partials/e1.md",
        ),
        (
            &[(
                "own/documents/bcp-test.md",
                "{{ ((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))) }}\n",
            )],
            "own/documents/bcp-test.md",
            "nested 34 levels deep",
        ),
    ];
    for (files, blamed, words) in cases {
        let mut project = Project::example("minimal");
        for (path, body) in files {
            let text = if path.starts_with("own/documents/") { document_doing(body) } else { (*body).to_owned() };
            project = project.file(path, &text);
        }
        let run = project.run(["build", "--templates", "own"]).exit(2);
        let stderr = run.stderr();
        assert!(stderr.contains("template error in") && stderr.contains(blamed), "{blamed}: {stderr}");
        assert!(stderr.contains(words), "{words}: {stderr}");
        assert!(stderr.contains("help:"), "{stderr}");
        assert!(!project.exists("dist/markdown"), "nothing is written");
    }
}

#[test]
fn a_macro_used_many_times_is_no_recursion() {
    let project = Project::example("minimal")
        .file(
            "own/documents/bcp-test.md",
            &document_doing("{% import \"partials/m.md\" as m %}{{ m::twice(x=\"a\") }} {{ m::twice(x=\"b\") }}\n"),
        )
        .file("own/partials/m.md", "{% macro once(x) %}{{ x }}{% endmacro once %}{% macro twice(x) %}{{ self::once(x=x) }}{{ self::once(x=x) }}{% endmacro twice %}");
    project.run(["build", "--templates", "own"]).success();
    assert!(project.read("dist/markdown/plans/continuity-test-report.md").contains("aa bb"));
}

#[test]
fn a_declared_role_must_be_one_the_pack_knows() {
    for (owner, message) in [
        ("proces:SACM", "unknown role `proces:SACM`"),
        ("process:XYZ", "unknown process `XYZ` in the role `process:XYZ`"),
    ] {
        let template = NEW_DOCUMENT.replace("owner = \"process:SACM\"", &format!("owner = \"{owner}\""));
        let project = Project::example("minimal").file("mine/documents/continuity-test.md", &template);
        project.run(["build", "--templates", "mine"]).exit(2).stderr_contains(message);
        assert!(!project.exists("dist"), "nothing is written");
    }
}
