//! A real browser opens the site from `file://`: the index and a process page render
//! with their title and navigation, and a screenshot is kept for review in
//! `target/screenshots/`. The test is `#[ignore]`d so that `cargo test` shows it as
//! skipped rather than passing it unrun; CI installs Debian's chromium (see `.ci/run`)
//! and runs it with `--include-ignored`, where a missing browser is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project::{FULL_EXAMPLE, Project};

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium with the flags this sandboxed, offline machine needs.
fn chromium(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("start chromium")
}

#[test]
#[ignore = "needs chromium (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"]
fn the_site_renders_in_a_real_browser() {
    let browser = browser().expect("no chromium found: install it or set CHROMIUM=/path/to/chromium");
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let profile = project.path("chromium-profile");
    let url = |page: &str| format!("file://{}", project.path(&format!("dist/html/{page}")).display());

    let index = chromium(&browser, &profile, &["--dump-dom", &url("index.html")]);
    let dom = String::from_utf8_lossy(&index.stdout);
    assert!(
        dom.contains("<title>Northbridge University Computing Centre · Service management system</title>"),
        "{dom}"
    );
    assert!(dom.contains("Service level management process"), "index lists the processes");

    let page = "processes/change-management.html";
    let process = chromium(&browser, &profile, &["--dump-dom", &url(page)]);
    let dom = String::from_utf8_lossy(&process.stdout);
    assert!(
        dom.contains("<title>Change management process · Northbridge University Computing Centre</title>"),
        "{dom}"
    );
    assert!(dom.contains("aria-current=\"page\""), "the current page is marked in the navigation");
    assert!(dom.contains("<caption>Document control</caption>"));

    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&screenshots).expect("screenshot folder");
    for (name, page, size) in [
        ("process-page.png", page, "1280,1000"),
        ("index.png", "index.html", "1280,1000"),
        ("process-page-phone.png", page, "390,844"),
    ] {
        let file = screenshots.join(name);
        let _ = std::fs::remove_file(&file);
        let shot = chromium(
            &browser,
            &profile,
            &[&format!("--screenshot={}", file.display()), &format!("--window-size={size}"), &url(page)],
        );
        let bytes = std::fs::read(&file)
            .unwrap_or_else(|e| panic!("no screenshot {name}: {e}\n{}", String::from_utf8_lossy(&shot.stderr)));
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000, "{name} looks empty ({} bytes)", bytes.len());
    }
}
