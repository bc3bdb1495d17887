//! A real browser opens the site from `file://` as people read it: pages render with
//! their title and navigation; search finds words and requirement ids; printing keeps
//! every column of the widest tables and puts the document's id and page numbers on
//! each sheet; on a phone the first screen shows the title; axe-core finds no serious
//! or critical accessibility fault on any page. Screenshots are kept for review in
//! `target/screenshots/`. The tests are `#[ignore]`d so that `cargo test` shows them
//! as skipped rather than passing them unrun; CI installs Debian's chromium and
//! poppler-utils and fetches axe-core (see `.ci/run`) and runs them with
//! `--include-ignored`, where a missing tool is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::project::{FULL_EXAMPLE, Project};

const NEEDS_CHROMIUM: &str =
    "no chromium found: install it (apt-get install chromium) or set CHROMIUM=/path/to/chromium";

fn screenshots() -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&folder).expect("screenshot folder");
    folder
}

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
    let browser = browser().expect(NEEDS_CHROMIUM);
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

    let screenshots = screenshots();
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

/// The text of the page after its scripts ran (Chromium's `--dump-dom`).
fn dom(browser: &Path, profile: &Path, url: &str) -> String {
    let output = chromium(browser, profile, &["--virtual-time-budget=30000", "--dump-dom", url]);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Document ids of the search results in a dumped search page, in order.
fn result_ids(dom: &str) -> Vec<String> {
    dom.match_indices("<span class=\"doc-id\">")
        .map(|(at, needle)| {
            let rest = &dom[at + needle.len()..];
            rest[..rest.find('<').unwrap_or(rest.len())].to_owned()
        })
        .collect()
}

#[test]
#[ignore = "needs chromium (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"]
fn search_finds_words_and_requirement_ids_from_a_file_url() {
    let browser = browser().expect(NEEDS_CHROMIUM);
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let profile = project.path("chromium-profile");
    let search = |query: &str| {
        let url = format!("file://{}?q={query}", project.path("dist/html/search.html").display());
        dom(&browser, &profile, &url)
    };

    let escalation = search("escalation");
    let ids = result_ids(&escalation);
    assert!(escalation.contains("documents match “escalation”"), "{escalation}");
    for expected in ["ISRM-PRIO", "PROC-ISRM", "SLA-HPC"] {
        assert!(ids.iter().any(|id| id == expected), "escalation: {expected} not among {ids:?}");
    }
    assert_eq!(ids.first().map(String::as_str), Some("ISRM-PRIO"), "the escalation matrix comes first: {ids:?}");
    assert!(escalation.contains("#7-hierarchical-escalation\">7. Hierarchical escalation</a>"), "names the section");

    let requirement = search("PR9.3");
    let ids = result_ids(&requirement);
    for expected in ["PROC-ISRM", "SMS-MATRIX", "ISRM-PRIO"] {
        assert!(ids.iter().any(|id| id == expected), "PR9.3: {expected} not among {ids:?}");
    }
    assert!(!ids.iter().any(|id| id.starts_with("SLA-")), "PR9.3 is not PR9.1 or PR9: {ids:?}");
    // The documents whose sections say they address PR9.3 come before those that only
    // name it (the matrix row, the assessment's score).
    let addressing: Vec<&str> = ids.iter().take(2).map(String::as_str).collect();
    assert!(
        addressing.contains(&"PROC-ISRM") && addressing.contains(&"ISRM-PRIO"),
        "PR9.3: the addressing documents first: {ids:?}"
    );
    assert!(requirement.contains("<mark class=\"search-hit\">PR9.3</mark>"), "the snippet marks the match");

    let nothing = search("zzqx");
    assert!(nothing.contains("No document matches “zzqx”."), "{nothing}");
    let page = project.read("dist/html/search.html");
    assert!(page.contains("<noscript>"), "without JavaScript the page says search needs it");
}

/// Text of a PDF, whitespace collapsed, from `pdftotext` (poppler), which leaves out
/// whatever lies outside the page.
fn pdf_text(pdf: &Path) -> String {
    let output =
        Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext (apt-get install poppler-utils)");
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// The last header cell and the cells of the last row of the page's table with the most
/// columns, as text.
fn widest_table_edges(html: &str) -> (String, Vec<String>) {
    let tables = html.split("<table").skip(1).map(|rest| &rest[..rest.find("</table>").unwrap_or(rest.len())]);
    let widest = tables.max_by_key(|table| table.split("</tr>").next().unwrap_or_default().matches("<th").count());
    let widest = widest.expect("the page has a table");
    let head = widest.split("</tr>").next().unwrap_or_default();
    let last_heading = strip_tags(head.rsplit("<th").next().unwrap_or_default().split_once('>').map_or("", |(_, r)| r));
    let rows: Vec<&str> = widest.split("<tr").collect();
    let last_row = rows.last().copied().unwrap_or_default();
    let cells =
        last_row.split("<td").skip(1).map(|cell| strip_tags(cell.split_once('>').map_or("", |(_, r)| r))).collect();
    (last_heading, cells)
}

#[test]
#[ignore = "needs chromium and pdftotext (apt-get install chromium poppler-utils)"]
fn printing_keeps_every_column_and_marks_each_sheet() {
    let browser = browser().expect(NEEDS_CHROMIUM);
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let profile = project.path("chromium-profile");
    for (page, id) in [
        ("assessment/requirements-compliance-matrix.html", "SMS-MATRIX"),
        ("assessment/self-assessment-report.html", "SMS-ASSESS"),
        ("assessment/improvement-register.html", "CSI-REG"),
        ("services/service-catalogue.html", "SLM-CAT"),
    ] {
        if !project.exists(&format!("dist/html/{page}")) {
            panic!("{page} is not in the example's site");
        }
        let pdf = project.path(&format!("{}.pdf", id.to_lowercase()));
        let url = format!("file://{}", project.path(&format!("dist/html/{page}")).display());
        let printed = chromium(&browser, &profile, &[&format!("--print-to-pdf={}", pdf.display()), &url]);
        assert!(pdf.exists(), "{page} did not print: {}", String::from_utf8_lossy(&printed.stderr));
        // pdftotext joins a word broken at a hyphen across lines ("SLA-SERVICE-" / "DESK")
        // without it, so hyphens are left out on both sides.
        let text = pdf_text(&pdf).replace('-', "");
        let (last_heading, last_cells) = widest_table_edges(&project.read(&format!("dist/html/{page}")));
        // pdftotext reads a wrapped cell line by line across the row, so words are checked.
        for word in last_heading.replace('-', "").split_whitespace() {
            assert!(text.contains(word), "{page}: {word:?} of the last column heading ({last_heading:?}) cut off");
        }
        for cell in &last_cells {
            for word in cell.replace('-', "").split_whitespace() {
                assert!(text.contains(word), "{page}: {word:?} of the last row ({cell:?}) cut off");
            }
        }
        assert!(text.contains(&format!("{} · version 0.1 · draft", id.replace('-', ""))), "{page}: no running header");
        assert!(text.contains("Page 1 of"), "{page}: no page numbers");
        assert!(!text.contains("file://"), "{page}: the browser's own header with the file path");
        std::fs::copy(&pdf, screenshots().join(format!("print-{}.pdf", id.to_lowercase()))).expect("keep the PDF");
    }

    // The whole pack in one go: every document of the sidebar, in reading order.
    let pdf = project.path("pack.pdf");
    let url = format!("file://{}", project.path("dist/html/print.html").display());
    chromium(&browser, &profile, &[&format!("--print-to-pdf={}", pdf.display()), &url]);
    let text = pdf_text(&pdf).replace('-', "");
    let print_page = project.read("dist/html/print.html");
    let documents = print_page.matches("<section class=\"print-document\"").count();
    assert_eq!(documents, project.files_below("dist/markdown").iter().filter(|p| p.ends_with(".md")).count());
    for id in ["SMS-POL", "PROC-ISRM", "SLA-HPC", "SMS-MATRIX"] {
        let id = id.replace('-', "");
        assert!(text.contains(&format!("{id} · version 0.1 · draft")), "print.html: no sheet headed {id}");
    }
}

#[test]
#[ignore = "needs chromium (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"]
fn on_a_phone_the_first_screen_shows_the_title_and_the_menu_waits_behind_a_button() {
    let browser = browser().expect(NEEDS_CHROMIUM);
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let profile = project.path("chromium-profile");
    // A copy of each page with a line of script that reports where the title is.
    let probe = "<script>addEventListener('load', function () { var h = document.querySelector('h1').getBoundingClientRect(); \
                 var p = document.createElement('pre'); p.textContent = 'PRO' + 'BE ' + Math.round(h.bottom) + ' ' + innerHeight + ' ' + \
                 document.querySelector('.nav-menu').open + ' E' + 'ND'; document.body.appendChild(p); });</script></body>";
    for (name, page) in [
        ("phone-sla.png", "services/hpc/service-level-agreement.html"),
        ("phone-process.png", "processes/change-management.html"),
        ("phone-search.png", "search.html"),
    ] {
        let copy = format!("dist/html/{}", page.replace(".html", ".probe.html"));
        std::fs::write(project.path(&copy), project.read(&format!("dist/html/{page}")).replace("</body>", probe))
            .expect("probe");
        let url = format!("file://{}", project.path(&copy).display());
        let output =
            chromium(&browser, &profile, &["--window-size=390,844", "--virtual-time-budget=5000", "--dump-dom", &url]);
        let dom = String::from_utf8_lossy(&output.stdout);
        let probe = dom.split("PROBE ").nth(1).and_then(|rest| rest.split(" END").next()).expect("probe ran");
        let values: Vec<&str> = probe.split(' ').collect();
        let (bottom, height): (i64, i64) = (values[0].parse().expect("number"), values[1].parse().expect("number"));
        assert!(
            bottom > 0 && bottom < height,
            "{page}: the title ends at {bottom} px, below the first screen ({height} px)"
        );
        assert_eq!(values[2], "false", "{page}: the menu is open on a phone");
        let file = screenshots().join(name);
        let _ = std::fs::remove_file(&file);
        chromium(
            &browser,
            &profile,
            &[
                &format!("--screenshot={}", file.display()),
                "--window-size=390,844",
                &format!("file://{}", project.path(&format!("dist/html/{page}")).display()),
            ],
        );
        assert!(std::fs::read(&file).is_ok_and(|b| b.starts_with(b"\x89PNG")), "no screenshot {name}");
    }
}

/// axe-core's script: `AXE_CORE=/path/to/axe.min.js`, or where `.ci/run` puts it.
fn axe_core() -> PathBuf {
    let path = std::env::var_os("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("axe-core").join("axe.min.js"));
    assert!(path.is_file(), "no axe-core at {}: run .ci/run once, or set AXE_CORE=/path/to/axe.min.js", path.display());
    path
}

/// Runs axe-core in the page once it has loaded and writes the violations into it.
const AXE_RUN: &str = r#"axe.run(document, { resultTypes: ["violations"] }).then(function (result) {
  var out = document.createElement("pre");
  out.textContent = "AXE-RESULT" + JSON.stringify(result.violations.map(function (v) {
    return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); }) };
  })) + "AXE-END";
  document.body.appendChild(out);
}, function (error) {
  var out = document.createElement("pre");
  out.textContent = "AXE-RESULT" + JSON.stringify([{ id: "axe-failed", impact: "critical", help: String(error), nodes: [] }]) + "AXE-END";
  document.body.appendChild(out);
});
"#;

#[test]
#[ignore = "needs chromium and axe-core (.ci/run fetches it into target/axe-core, or set AXE_CORE)"]
fn axe_finds_no_serious_or_critical_violation_on_any_page() {
    let browser = browser().expect(NEEDS_CHROMIUM);
    let axe = axe_core();
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    // A copy of the site with axe-core loaded at the end of every page, in light and in
    // dark mode (the colours differ).
    let site = project.path("site-under-axe");
    let pages: Vec<String> = project.files_below("dist/html").into_iter().filter(|p| p.ends_with(".html")).collect();
    for file in project.files_below("dist/html") {
        let target = site.join(&file);
        std::fs::create_dir_all(target.parent().expect("folder")).expect("folder");
        std::fs::copy(project.path(&format!("dist/html/{file}")), &target).expect("copy");
    }
    std::fs::copy(&axe, site.join("axe.min.js")).expect("axe-core");
    std::fs::write(site.join("axe-run.js"), AXE_RUN).expect("runner");
    for page in &pages {
        let root = "../".repeat(page.matches('/').count());
        let text = std::fs::read_to_string(site.join(page)).expect("page");
        let scripts =
            format!("<script src=\"{root}axe.min.js\"></script><script src=\"{root}axe-run.js\"></script></body>");
        std::fs::write(site.join(page), text.replace("</body>", &scripts)).expect("instrument");
    }
    let jobs: Vec<(&String, &str)> = pages.iter().flat_map(|page| [(page, "1"), (page, "0")]).collect();
    let results = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (browser, site, jobs, results, next) = (&browser, &site, &jobs, &results, &next);
            let profile = project.path(&format!("chromium-profile-{worker}"));
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some((page, scheme)) = jobs.get(index) else { break };
                    let url = format!("file://{}", site.join(page).display());
                    let output = chromium(
                        browser,
                        &profile,
                        &[
                            &format!("--blink-settings=preferredColorScheme={scheme}"),
                            "--virtual-time-budget=60000",
                            "--dump-dom",
                            &url,
                        ],
                    );
                    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
                    let found =
                        dom.split("AXE-RESULT").nth(1).and_then(|rest| rest.split("AXE-END").next()).map(str::to_owned);
                    let mode = if *scheme == "0" { "dark" } else { "light" };
                    results.lock().expect("results").push((format!("{page} ({mode})"), found));
                }
            });
        }
    });
    let results = results.into_inner().expect("results");
    assert_eq!(results.len(), pages.len() * 2);
    let mut serious = Vec::new();
    for (page, found) in &results {
        let found = found.as_deref().unwrap_or_else(|| panic!("{page}: axe-core did not report"));
        let violations: Vec<serde_json::Value> = serde_json::from_str(
            &found.replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"),
        )
        .unwrap_or_else(|e| panic!("{page}: {e}: {found}"));
        for violation in violations {
            let impact = violation["impact"].as_str().unwrap_or_default().to_owned();
            let line = format!("{page}: {impact} {}: {} at {}", violation["id"], violation["help"], violation["nodes"]);
            if impact == "serious" || impact == "critical" {
                serious.push(line);
            } else {
                eprintln!("axe (not failing): {line}");
            }
        }
    }
    assert!(serious.is_empty(), "axe-core found serious or critical violations:\n{}", serious.join("\n"));
}
