//! No input crashes the binary: a reader that closes the pipe early, a config whose
//! services depend on each other in a very long chain. A crash here would be exit 101
//! (a panic) or 134 (a stack overflow aborting the process), never an error message.

use std::io::Read as _;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

use crate::project::{Project, example_path};

/// Runs the binary with stdout (or stderr) connected to a pipe whose reader reads at
/// most `keep` bytes and then closes it, and returns the exit code and the other stream.
fn run_with_closed_pipe(project: &Project, args: &[&str], close_stderr: bool, keep: usize) -> (i32, String) {
    let mut command = Command::cargo_bin("fitsm-pack").expect("binary");
    command.current_dir(project.root()).args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn");
    let stdout: Box<dyn std::io::Read> = Box::new(child.stdout.take().expect("stdout"));
    let stderr: Box<dyn std::io::Read> = Box::new(child.stderr.take().expect("stderr"));
    let (mut closed, mut other) = if close_stderr { (stderr, stdout) } else { (stdout, stderr) };
    // Read a little (like `head -c`), then hang up.
    let mut buffer = vec![0; keep];
    let _ = closed.read(&mut buffer);
    drop(closed);
    let mut text = Vec::new();
    let _ = other.read_to_end(&mut text);
    let status = child.wait().expect("wait");
    (status.code().unwrap_or(-1), String::from_utf8_lossy(&text).into_owned())
}

#[test]
fn a_reader_that_hangs_up_never_makes_a_panic() {
    let project = Project::example("minimal");
    let cases: [(&[&str], bool); 6] = [
        (&["requirements"], false),
        (&["requirements", "--format", "json"], false),
        (&["diff"], false),
        (&["schema"], false),
        (&["build", "-v"], true),
        (&["build", "-c", "missing.toml"], true),
    ];
    for (args, close_stderr) in cases {
        for keep in [0, 1] {
            let (code, other) = run_with_closed_pipe(&project, args, close_stderr, keep);
            assert!(code == 0 || code == 1 || code == 2, "{args:?} (keep {keep}): exit {code}\n{other}");
            assert!(!other.contains("panicked"), "{args:?}: {other}");
        }
    }
}

#[test]
fn a_chain_of_16000_dependent_services_is_validated_without_a_deep_stack() {
    let services = 16_000;
    let mut config = std::fs::read_to_string(example_path("minimal")).expect("example");
    config = config.split("[[services]]").next().unwrap_or_default().to_owned();
    for index in 1..=services {
        config.push_str(&format!("\n[[services]]\nid = \"s{index}\"\nname = \"Service {index}\"\n"));
        if index < services {
            config.push_str(&format!("depends_on = [\"s{}\"]\n", index + 1));
        } else {
            // Close the chain into one long cycle: validation must walk all of it.
            config.push_str("depends_on = [\"s1\"]\n");
        }
    }
    let project = Project::new().config(&config);
    project
        .run(["build"])
        .exit(2)
        .stderr_contains("services depend on each other in a cycle (16000 services): s1 → s2 →")
        .stderr_contains("→ … → s16000 → s1")
        .stderr_lacks("overflow");
}

#[test]
fn control_characters_never_reach_word_xml() {
    // The config of the corpus case, built to Word: every XML part of every .docx parses.
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-input/18-control-characters");
    let config = std::fs::read_to_string(corpus.join("sms.toml")).expect("corpus config");
    let project = Project::new().config(&config);
    project.run(["build", "--format", "md,docx"]).success();
    assert_word_xml_parses(&project);
    // Typed by hand into a document: the Word file is made from the Markdown on disk.
    let policy = "dist/markdown/sms/service-management-policy.md";
    let edited = project.read(policy) + "\nA bell \u{7} and an escape \u{1b}[31m typed by hand.\n";
    std::fs::write(project.path(policy), edited).expect("edit");
    project.run(["build", "--format", "md,docx"]).success();
    assert_word_xml_parses(&project);
}

fn assert_word_xml_parses(project: &Project) {
    let documents = project.files_below("dist/docx");
    assert!(documents.len() > 30, "{documents:?}");
    let mut parts = 0;
    for document in &documents {
        let bytes = std::fs::read(project.path(&format!("dist/docx/{document}"))).expect("read docx");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).expect("entry");
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            if !(name.ends_with(".xml") || name.ends_with(".rels")) {
                continue;
            }
            let mut xml = String::new();
            entry.read_to_string(&mut xml).expect("UTF-8 XML");
            if let Err(error) = roxmltree::Document::parse(&xml) {
                panic!("{document}: {name} is not well-formed XML: {error}");
            }
            parts += 1;
        }
    }
    assert!(parts > documents.len(), "only {parts} XML parts");
}
