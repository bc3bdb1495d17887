//! Word export: one .docx per document, with Word's heading styles, tables, the
//! attribution footer and document properties; reproducible; opened by LibreOffice.

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
    assert!(body.contains("<w:pStyle w:val=\"Title\" />") && body.contains("Change management process"));
    assert!(body.contains("<w:pStyle w:val=\"Heading2\" />"), "section headings use Word heading styles");
    assert!(body.contains("<w:tbl>"), "tables");
    assert!(body.contains("Document ID") && body.contains("PROC-CHM"), "document-control table on the first page");
    assert!(body.contains("<w:numPr>"), "lists are Word lists");
    let styles = part(&project, docx, "word/styles.xml");
    assert!(
        styles.contains("w:styleId=\"Heading2\"") && styles.contains("<w:outlineLvl w:val=\"1\" />"),
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

#[test]
#[ignore = "needs libreoffice and pdftoppm (apt-get install libreoffice-writer-nogui poppler-utils)"]
fn libreoffice_opens_a_word_file() {
    let version = Command::new("libreoffice").arg("--version").output().expect("libreoffice is installed");
    assert!(version.status.success());
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build", "--format", "md,docx"]).success();
    let out = project.path("pdf");
    let converted = Command::new("libreoffice")
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(project.path("dist/docx/services/hpc/service-level-agreement.docx"))
        .env("HOME", project.root())
        .output()
        .expect("run libreoffice");
    let pdf = out.join("service-level-agreement.pdf");
    assert!(pdf.exists(), "LibreOffice did not convert the file:\n{}", String::from_utf8_lossy(&converted.stderr));
    assert!(std::fs::read(&pdf).map(|b| b.starts_with(b"%PDF")).unwrap_or(false));

    // Keep a picture of the first page for people to review.
    let pictures = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&pictures).expect("folder");
    let prefix = pictures.join("docx-first-page");
    let output = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(output.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&output.stderr));
    assert!(prefix.with_extension("png").exists());
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
