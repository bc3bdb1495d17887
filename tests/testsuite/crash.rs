//! Builds killed at any moment, and builds started at the same time: the next build
//! always succeeds, no user edit is ever lost, and the pack ends up consistent.

use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

use crate::project::Project;

const SERVICES: usize = 60;

/// Deterministic pseudo-random delays, so a failure can be replayed.
fn delays(count: usize) -> Vec<u64> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            5 + (state >> 33) % 400
        })
        .collect()
}

fn edited_paths() -> Vec<String> {
    [3, 17, 42].iter().map(|i| format!("dist/markdown/services/service-{i}/service-level-agreement.md")).collect()
}

#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next_without_losing_edits() {
    let config = fitsm_pack::synth::config(SERVICES);
    let project = Project::new().config(&config);
    project.run(["build"]).success();
    for (index, path) in edited_paths().iter().enumerate() {
        let text = project.read(path);
        let section = crate::project::heading(&text, "Responsibilities");
        let text = text.replacen(&section, &format!("USER EDIT {index}: agreed with the customer.\n\n{section}"), 1);
        std::fs::write(project.path(path), text).expect("edit");
    }
    for (round, delay) in delays(8).into_iter().enumerate() {
        // A config change that touches every document, so the killed build is writing.
        let changed =
            config.replace("Synthetic Research Infrastructure", &format!("Synthetic Research Infrastructure {round}"));
        let project = Project::config_in_place(&project, &changed);
        let mut child = Command::cargo_bin("fitsm-pack")
            .expect("binary")
            .current_dir(project.root())
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start build");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL; it may also have finished already
        let _ = child.wait();

        // The config changes again before the next plain build, which must finish the
        // killed build's work and this change: nothing kept back, nothing in conflict.
        let again = changed.replace(&format!("Infrastructure {round}"), &format!("Infrastructure {round}b"));
        let project = Project::config_in_place(project, &again);
        let run = project.run(["build"]);
        assert_eq!(run.code(), 0, "round {round} (killed after {delay} ms): the next build failed:\n{}", run.stderr());
        assert!(!run.stderr().contains("kept"), "round {round}: files kept back:\n{}", run.stderr());
        for (index, path) in edited_paths().iter().enumerate() {
            let text = project.read(path);
            assert!(
                text.contains(&format!("USER EDIT {index}: agreed with the customer.")),
                "round {round}: edit {index} lost in {path}"
            );
            assert!(
                text.contains(&format!("Synthetic Research Infrastructure {round}b")),
                "round {round}: {path} not updated"
            );
        }
        let leftovers: Vec<String> = project
            .files_below("dist")
            .into_iter()
            .filter(|f| f.contains(".fitsm-pack-") && f.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: temporary files left behind: {leftovers:?}");
    }
}

#[test]
fn two_builds_at_once_leave_a_consistent_pack() {
    let project = Project::new().config(&fitsm_pack::synth::config(SERVICES));
    let start = || {
        Command::cargo_bin("fitsm-pack")
            .expect("binary")
            .current_dir(project.root())
            .env("NO_COLOR", "1")
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start build")
    };
    let (first, second) = (start(), start());
    let outcomes: Vec<(i32, String)> = [first, second]
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("wait");
            (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
        })
        .collect();
    for (code, stderr) in &outcomes {
        assert!(
            *code == 0 || (*code == 2 && stderr.contains("another fitsm-pack build")),
            "a build neither succeeded nor gave up clearly: exit {code}\n{stderr}"
        );
    }
    assert!(outcomes.iter().any(|(code, _)| *code == 0), "at least one build finished");
    // Consistent: nothing left to do, and `check` agrees the pack is current.
    project.run(["build"]).success().stderr_contains("wrote 0 files");
    let report: serde_json::Value =
        serde_json::from_str(&project.run(["check", "--format", "json"]).stdout()).expect("json");
    assert_eq!(report["stale"], false);
}
