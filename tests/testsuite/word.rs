//! Word export: one .docx per document, a controlled document: Word's heading styles,
//! lists that restart, tables with repeated headers, a control page with contents, the
//! status in the header, "Page N of M" and the attribution in the footer, a DRAFT
//! watermark on drafts, core and custom properties, the maturity chart as a picture;
//! reproducible; read back by python-docx and opened by LibreOffice (ignored tests that
//! CI runs).

use std::io::Read;
use std::path::Path;
use std::process::Command;

use crate::project::{FULL_EXAMPLE, Project};

fn part(project: &Project, docx: &str, name: &str) -> String {
    let file = std::fs::File::open(project.path(docx)).unwrap_or_else(|e| panic!("{docx}: {e}"));
    let mut archive = zip::ZipArchive::new(file).expect("a docx is a zip");
    let mut entry = archive.by_name(name).unwrap_or_else(|e| panic!("{docx} lacks {name}: {e}"));
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("UTF-8 XML");
    text
}

#[test]
fn every_document_has_a_word_file_with_styles_tables_footer_and_properties() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,html,docx"]).success().stderr_contains("word: 56 documents");
    let markdown: Vec<String> =
        project.files_below("dist/markdown").into_iter().filter(|f| f.ends_with(".md")).collect();
    let word: Vec<String> = project.files_below("dist/docx");
    assert_eq!(word.len(), markdown.len());
    for document in &markdown {
        assert!(word.contains(&document.replace(".md", ".docx")), "no Word file for {document}");
    }
    let docx = "dist/docx/processes/change-management.docx";
    let body = part(&project, docx, "word/document.xml");
    assert!(body.contains("<w:pStyle w:val=\"Title\"/>") && body.contains("Change management process"));
    assert!(body.contains("<w:pStyle w:val=\"Heading1\"/>"), "section headings use Word heading styles");
    assert!(body.contains("<w:tbl>"), "tables");
    assert!(body.contains("Document ID") && body.contains("PROC-CHM"), "document-control table on the first page");
    assert!(body.contains("<w:numPr>"), "lists are Word lists");
    let styles = part(&project, docx, "word/styles.xml");
    assert!(
        styles.contains("w:styleId=\"Heading2\"") && styles.contains("<w:outlineLvl w:val=\"1\"/>"),
        "headings reach the navigation pane"
    );
    let footer = part(&project, docx, "word/footer1.xml");
    assert!(footer.contains("CC BY 4.0") && footer.contains("PAGE"), "attribution and page number in the footer");
    let header = part(&project, docx, "word/header1.xml");
    assert!(header.contains("Northbridge University Computing Centre") && header.contains("PROC-CHM"));
    let core = part(&project, docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Change management process</dc:title>"), "{core}");
    assert!(core.contains("<dc:creator>Daniel Okafor</dc:creator>"), "author = document owner");
    assert!(core.contains("<dc:subject>PROC-CHM"), "{core}");
}

#[test]
fn word_files_are_reproducible_follow_edits_and_go_into_the_zip() {
    let first = Project::example("minimal");
    let second = Project::example("minimal");
    first.run(["build", "--format", "md,html,docx", "--zip"]).success();
    second.run(["build", "--format", "md,html,docx"]).success();
    let policy = "dist/docx/sms/service-management-policy.docx";
    assert_eq!(
        std::fs::read(first.path(policy)).ok(),
        std::fs::read(second.path(policy)).ok(),
        "same input, same bytes"
    );
    let zip = std::fs::File::open(first.path("dist/example-hosting-sms-pack-1.0.zip")).expect("zip");
    let archive = zip::ZipArchive::new(zip).expect("readable");
    assert!(archive.file_names().any(|n| n.is_ok_and(|n| n.ends_with("docx/sms/service-management-policy.docx"))));

    let markdown = "dist/markdown/sms/service-management-policy.md";
    let edited = first.read(markdown).replacen("\n## ", "\nApproved by the board on 1 March.\n\n## ", 1);
    std::fs::write(first.path(markdown), edited).expect("edit");
    first.run(["build", "--format", "md,docx"]).success();
    assert!(part(&first, policy, "word/document.xml").contains("Approved by the board on 1 March."));
}

/// Both examples built with Word files: the project and the Word files' paths.
fn examples_with_word_files() -> Vec<(Project, Vec<String>)> {
    [FULL_EXAMPLE, "research-federation"]
        .into_iter()
        .map(|example| {
            let project = Project::example(example);
            project.run(["build", "--format", "md,docx"]).success();
            let files = project.files_below("dist/docx").into_iter().map(|f| format!("dist/docx/{f}")).collect();
            (project, files)
        })
        .collect()
}

#[test]
fn lists_restart_bullets_are_bullets_and_the_style_sheet_has_one_default_normal() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,docx"]).success();
    let docx = "dist/docx/plans/capacity-plan.docx";
    let numbering = part(&project, docx, "word/numbering.xml");
    let body = part(&project, docx, "word/document.xml");
    let styles = part(&project, docx, "word/styles.xml");

    // One abstract numbering per kind: bullets (with bullet glyphs) and numbers.
    let abstracts = numbering.matches("<w:abstractNum ").count();
    assert_eq!(abstracts, 2, "{numbering}");
    let bullets = numbering.split("<w:abstractNum ").nth(1).unwrap_or_default();
    assert!(bullets.contains("<w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/>"), "{bullets}");
    assert!(!bullets.contains("decimal"), "bullet levels are bullets");
    // Every list of the document is an instance of its own, starting afresh.
    let used: std::collections::BTreeSet<&str> =
        body.split("<w:numId w:val=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(used.len() >= 3, "the capacity plan has several lists: {used:?}");
    for id in &used {
        let instance = format!("<w:num w:numId=\"{id}\">");
        let definition = numbering.split(&instance).nth(1).unwrap_or_else(|| panic!("no {instance}"));
        assert!(definition.contains("<w:startOverride"), "list {id} restarts");
    }
    assert_eq!(numbering.matches("<w:num ").count(), used.len(), "one instance per list, none shared");

    // The style sheet: Normal once, as the default; headings with outline levels and
    // keep-with-next; the placeholder style, used for [TO BE COMPLETED: …].
    assert_eq!(styles.matches("w:styleId=\"Normal\"").count(), 1, "one Normal");
    assert!(styles.contains("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"));
    assert!(styles.contains("<w:docDefaults>"));
    for level in 1..=3 {
        let heading = styles.split(&format!("w:styleId=\"Heading{level}\"")).nth(1).unwrap_or_default();
        let heading = heading.split("</w:style>").next().unwrap_or_default();
        assert!(heading.contains("<w:keepNext/>"), "Heading{level} keeps with next");
        assert!(heading.contains(&format!("<w:outlineLvl w:val=\"{}\"/>", level - 1)), "Heading{level} outline");
    }
    for style in ["ListParagraph", "Caption", "PackTable", "TOC1"] {
        assert!(styles.contains(&format!("w:styleId=\"{style}\"")), "{style}");
    }
    assert!(styles.contains("w:type=\"character\" w:styleId=\"Placeholder\""));
    let placeholder = "<w:rStyle w:val=\"Placeholder\"/></w:rPr><w:t xml:space=\"preserve\">[TO BE COMPLETED";
    assert!(body.contains(placeholder), "placeholders carry the style");
    assert!(body.contains("<w:pStyle w:val=\"ListParagraph\"/>"), "list items use List Paragraph");
}

#[test]
fn word_files_are_controlled_documents() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,docx"]).success();
    let sla = "dist/docx/services/hpc/service-level-agreement.docx";
    let body = part(&project, sla, "word/document.xml");
    assert!(body.contains("<w:tblHeader/>") && body.contains("<w:cantSplit/>"), "header rows repeat, rows hold");
    assert!(body.contains(" TOC \\o \"1-3\""), "a contents field");
    assert!(body.contains("DRAFT"), "a draft says so on its first page");
    assert!(!body.contains("<w:t xml:space=\"preserve\"></w:t></w:r></w:p></w:tc>"), "no empty header cells");
    let settings = part(&project, sla, "word/settings.xml");
    assert!(settings.contains("<w:updateFields w:val=\"true\"/>"));
    let header = part(&project, sla, "word/header1.xml");
    for fact in ["SLA-HPC", "Version 0.1", ">Draft<", "Internal", "string=\"DRAFT\""] {
        assert!(header.contains(fact), "header: {fact}");
    }
    let footer = part(&project, sla, "word/footer1.xml");
    assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES ") && footer.contains(" of "));
    let custom = part(&project, sla, "docProps/custom.xml");
    for name in ["Document ID", "Version", "Status", "Owner", "Approver", "Next review"] {
        assert!(custom.contains(&format!("name=\"{name}\"")), "custom property {name}");
    }
    assert!(custom.contains("<vt:lpwstr>SLA-HPC</vt:lpwstr>") && custom.contains("<vt:lpwstr>2027-02-01</vt:lpwstr>"));
    assert!(part(&project, sla, "[Content_Types].xml").contains("/docProps/custom.xml"));
    assert!(part(&project, sla, "_rels/.rels").contains("docProps/custom.xml"));

    // The maturity chart is a picture with its alt text, not a note about one.
    let report = "dist/docx/assessment/self-assessment-report.docx";
    let body = part(&project, report, "word/document.xml");
    assert!(!body.contains("[picture:") && !body.contains("[Figure:"), "the chart is drawn");
    assert!(body.contains("descr=\"Maturity per area"), "alt text");
    let file = std::fs::File::open(project.path(report)).expect("report");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let media: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .filter(|n| n.starts_with("word/media/"))
        .map(|n| n.into_owned())
        .collect();
    assert_eq!(media.len(), 1, "{media:?}");
    let mut png = Vec::new();
    archive.by_name(&media[0]).expect("media").read_to_end(&mut png).expect("read");
    assert!(png.starts_with(b"\x89PNG"));
}

/// A python3 that has python-docx: `$PYTHON`, else `python3`, else Debian's own.
fn python_with_docx() -> String {
    let candidates = std::env::var("PYTHON").into_iter().chain(["python3".to_owned(), "/usr/bin/python3".to_owned()]);
    for python in candidates {
        let found = Command::new(&python).args(["-c", "import docx"]).output();
        if found.is_ok_and(|output| output.status.success()) {
            return python;
        }
    }
    panic!("no python3 with python-docx (apt-get install python3-docx, or set PYTHON)");
}

#[test]
#[ignore = "needs python3-docx (apt-get install python3-docx)"]
fn python_docx_reads_every_word_file_as_a_controlled_document() {
    let python = python_with_docx();
    for (project, files) in examples_with_word_files() {
        let output = Command::new(&python)
            .arg("-c")
            .arg(include_str!("word/check_docx.py"))
            .args(&files)
            .current_dir(project.root())
            .output()
            .expect("run python");
        assert!(
            output.status.success(),
            "python-docx found problems:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(files.len() > 20, "{files:?}");
    }
}

/// Converts Word files to PDF with LibreOffice, in `out`; panics if it is not installed.
fn libreoffice_to_pdf(project: &Project, files: &[String], out: &Path) {
    let version = Command::new("libreoffice").arg("--version").output();
    assert!(
        version.is_ok_and(|v| v.status.success()),
        "libreoffice is installed (apt-get install libreoffice-writer-nogui)"
    );
    let converted = Command::new("libreoffice")
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(files.iter().map(|f| project.path(f)))
        .env("HOME", project.root())
        .output()
        .expect("run libreoffice");
    for file in files {
        let name = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let pdf = out.join(format!("{name}.pdf"));
        assert!(
            std::fs::read(&pdf).map(|b| b.starts_with(b"%PDF")).unwrap_or(false),
            "LibreOffice did not convert {file}:\n{}",
            String::from_utf8_lossy(&converted.stderr)
        );
    }
}

#[test]
#[ignore = "needs LibreOffice (apt-get install libreoffice-writer-nogui)"]
fn libreoffice_converts_every_word_file() {
    for (project, files) in examples_with_word_files() {
        // One folder per source folder: Word files of different folders share names.
        let mut folders: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
        for file in files {
            let folder = Path::new(&file).parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            folders.entry(folder).or_default().push(file);
        }
        for (folder, files) in folders {
            let out = project.path("pdf").join(folder.replace('/', "_"));
            libreoffice_to_pdf(&project, &files, &out);
        }
    }
}

#[test]
#[ignore = "needs LibreOffice and pdftoppm (apt-get install libreoffice-writer-nogui poppler-utils)"]
fn screenshots_of_an_sla_and_a_process_description() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,docx"]).success();
    let out = project.path("pdf");
    let files = [
        "dist/docx/services/hpc/service-level-agreement.docx".to_owned(),
        "dist/docx/processes/change-management.docx".to_owned(),
    ];
    libreoffice_to_pdf(&project, &files, &out);
    // Pictures of the first two pages, for people to review.
    let pictures = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&pictures).expect("folder");
    for name in ["service-level-agreement", "change-management"] {
        for page in ["1", "2"] {
            let prefix = pictures.join(format!("docx-{name}-{page}"));
            let output = Command::new("pdftoppm")
                .args(["-png", "-r", "60", "-f", page, "-l", page, "-singlefile"])
                .arg(out.join(format!("{name}.pdf")))
                .arg(&prefix)
                .output()
                .expect("pdftoppm (poppler-utils) is installed");
            assert!(output.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&output.stderr));
            assert!(prefix.with_extension("png").exists(), "{}", prefix.display());
        }
    }
}

#[test]
fn the_matrix_links_to_bookmarked_sections_of_the_other_word_files() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,docx"]).success();
    let matrix = "dist/docx/assessment/requirements-compliance-matrix.docx";
    let relationships = part(&project, matrix, "word/_rels/document.xml.rels");
    let target = regex::Regex::new(r##"Target="([^"#]+\.docx)#([A-Za-z0-9_]+)""##).expect("regex");
    let links: Vec<(String, String)> =
        target.captures_iter(&relationships).map(|c| (c[1].to_owned(), c[2].to_owned())).collect();
    assert!(links.len() > 50, "the matrix links to sections: {} links", links.len());
    let mut bookmarks: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (file, bookmark) in links {
        assert!(bookmark.len() <= 40 && bookmark.starts_with("s_"), "a valid Word bookmark name: {bookmark}");
        let resolved = Path::new("dist/docx/assessment").join(&file);
        let resolved = resolved.to_string_lossy().replace("assessment/../", "");
        let body = bookmarks.entry(resolved.clone()).or_insert_with(|| part(&project, &resolved, "word/document.xml"));
        assert!(body.contains(&format!("w:name=\"{bookmark}\"")), "{resolved} has no bookmark {bookmark}");
    }
}
