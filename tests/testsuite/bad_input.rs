//! The bad-input corpus: every folder under `tests/bad-input/` is one case, a config
//! (or a setup) and its expected outcome in `case.toml`. One table-driven test runs
//! them all and reports every failing case at once.
//!
//! `case.toml` keys: `args` (default `["build"]`), `setup` (see `prepare`), `exit`,
//! `stderr` (words the message must contain), `exists` / `absent` (paths relative to
//! the project), `[contains]` / `[lacks]` (file → texts it must / must not contain).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::project::Project;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    description: Option<String>,
    #[serde(default = "build")]
    args: Vec<String>,
    setup: Option<String>,
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    exists: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    contains: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    lacks: BTreeMap<String, Vec<String>>,
}

fn build() -> Vec<String> {
    vec!["build".to_owned()]
}

/// Setups that a config file alone cannot express. Returns a folder that must stay
/// untouched, if the case has one.
fn prepare(setup: Option<&str>, project: &Project) -> Option<tempfile::TempDir> {
    match setup {
        None | Some("missing-config") => None,
        Some("config-is-folder") => {
            std::fs::create_dir_all(project.path("conf")).expect("folder");
            None
        }
        Some("output-is-file") => {
            std::fs::write(project.path("dist"), "not a folder").expect("file");
            None
        }
        Some("symlink-outside") => {
            let outside = tempfile::tempdir().expect("outside folder");
            std::fs::create_dir_all(project.path("dist")).expect("dist");
            #[cfg(unix)]
            std::os::unix::fs::symlink(outside.path(), project.path("dist/markdown")).expect("symlink");
            Some(outside)
        }
        // A folder the build writes into is a link to a folder outside.
        Some(setup @ ("html-symlink-outside" | "docx-symlink-outside" | "state-symlink-outside")) => {
            let outside = tempfile::tempdir().expect("outside folder");
            std::fs::create_dir_all(project.path("dist")).expect("dist");
            let name = match setup {
                "html-symlink-outside" => "html",
                "docx-symlink-outside" => "docx",
                _ => ".fitsm-pack",
            };
            #[cfg(unix)]
            std::os::unix::fs::symlink(outside.path(), project.path(&format!("dist/{name}"))).expect("symlink");
            Some(outside)
        }
        // A pack is built; then markdown/ is replaced by a link (the config is unchanged).
        Some("markdown-symlink-after-build") => {
            project.run(["build"]).success();
            let outside = tempfile::tempdir().expect("outside folder");
            std::fs::rename(project.path("dist/markdown"), project.path("markdown-moved")).expect("move");
            #[cfg(unix)]
            std::os::unix::fs::symlink(outside.path(), project.path("dist/markdown")).expect("symlink");
            Some(outside)
        }
        // A pack is built, one document is saved as Latin-1, then the config changes.
        Some("latin1-document-then-config-change") => {
            project.run(["build"]).success();
            let sla = project.path("dist/markdown/services/web/service-level-agreement.md");
            let mut bytes = std::fs::read(&sla).expect("sla");
            bytes.extend_from_slice(b"\nRemarque: le caf\xe9 est servi \xe0 10 h.\n");
            std::fs::write(&sla, bytes).expect("latin-1 save");
            let config = std::fs::read_to_string(project.path("sms.toml")).expect("config");
            std::fs::write(project.path("sms.toml"), config.replace("name = \"Web\"", "name = \"Web sites\""))
                .expect("config change");
            None
        }
        Some(other) => panic!("unknown setup `{other}`"),
    }
}

#[test]
fn every_bad_input_case_behaves_as_expected() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input");
    let mut folders: Vec<_> =
        std::fs::read_dir(&corpus).expect("corpus").filter_map(Result::ok).map(|e| e.path()).collect();
    folders.sort();
    assert!(folders.len() >= 40, "the corpus has only {} cases", folders.len());
    let mut failures = Vec::new();
    for folder in &folders {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let case: Case = toml::from_str(&std::fs::read_to_string(folder.join("case.toml")).expect("case.toml"))
            .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let project = Project::new();
        if folder.join("sms.toml").exists() {
            std::fs::copy(folder.join("sms.toml"), project.path("sms.toml")).expect("copy config");
        }
        let outside = prepare(case.setup.as_deref(), &project);
        let run = project.run(&case.args);
        let mut problems = Vec::new();
        let stderr = run.stderr();
        if run.code() != case.exit {
            problems.push(format!("exit {} instead of {}", run.code(), case.exit));
        }
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            problems.push("panicked".to_owned());
        }
        for words in &case.stderr {
            if !stderr.contains(words.as_str()) {
                problems.push(format!("message lacks {words:?}"));
            }
        }
        for path in &case.exists {
            if !project.exists(path) {
                problems.push(format!("{path} does not exist"));
            }
        }
        for path in &case.absent {
            if project.exists(path) {
                problems.push(format!("{path} exists"));
            }
        }
        for (path, texts) in &case.contains {
            let text = std::fs::read_to_string(project.path(path)).unwrap_or_default();
            problems.extend(texts.iter().filter(|t| !text.contains(t.as_str())).map(|t| format!("{path} lacks {t:?}")));
        }
        for (path, texts) in &case.lacks {
            let text = std::fs::read_to_string(project.path(path)).unwrap_or_default();
            problems
                .extend(texts.iter().filter(|t| text.contains(t.as_str())).map(|t| format!("{path} contains {t:?}")));
        }
        if let Some(outside) = &outside {
            let written = std::fs::read_dir(outside.path()).map(|d| d.count()).unwrap_or(0);
            if written > 0 {
                problems.push(format!("{written} files were written outside the output folder"));
            }
        }
        if !problems.is_empty() {
            let about = case.description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            failures.push(format!("{name}{about}: {}\n--- stderr:\n{stderr}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), folders.len(), failures.join("\n\n"));
}
