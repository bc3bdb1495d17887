//! `fitsm-pack requirements --sections`: the requirement catalogue with, for each
//! requirement, the sections of the built pack that address it, as Markdown, JSON or
//! CSV. It is the traceability part of `check` (which reads the pack on disk, edits
//! included) in a form to read or to load into a spreadsheet, so it comes from the same
//! [`CheckReport`] rather than from a second way of counting.

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::check::{CheckReport, SectionReport};

/// One requirement and where the pack addresses it.
#[derive(Debug, Serialize)]
struct Traced<'a> {
    id: &'a str,
    topic: &'a str,
    status: crate::coverage::Status,
    sections: &'a [SectionReport],
}

fn traced<'a>(report: &'a CheckReport, catalogue: &'a Catalogue) -> impl Iterator<Item = Traced<'a>> {
    report.requirements.iter().map(move |r| Traced {
        id: &r.id,
        topic: catalogue.requirement(&r.id).map_or("", |c| c.topic.as_str()),
        status: r.status,
        sections: &r.sections,
    })
}

/// Where a section is: `path#anchor`, relative to the output folder.
fn address(section: &SectionReport) -> String {
    format!("{}#{}", section.path, section.anchor)
}

/// A table per requirement group would repeat the catalogue; one table, one row per
/// requirement, sections one per line (`<br>`), reads best in a terminal and a viewer.
pub fn to_markdown(report: &CheckReport, catalogue: &Catalogue) -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let mut out = String::from(
        "# Where the pack addresses each FitSM requirement\n\n\
         | Requirement | Topic | Status | Sections |\n|---|---|---|---|\n",
    );
    for requirement in traced(report, catalogue) {
        let sections: Vec<String> = requirement
            .sections
            .iter()
            .map(|s| {
                let copies = if s.copies > 1 { format!(" (×{})", s.copies) } else { String::new() };
                let open = if s.placeholders > 0 { format!(", {} open", s.placeholders) } else { String::new() };
                format!("{} {}{copies}{open}", cell(&address(s)), cell(&s.section))
            })
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            requirement.id,
            cell(requirement.topic),
            requirement.status.label(),
            if sections.is_empty() { "–".to_owned() } else { sections.join("<br>") }
        ));
    }
    out
}

pub fn to_json(report: &CheckReport, catalogue: &Catalogue) -> String {
    let requirements: Vec<Traced<'_>> = traced(report, catalogue).collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "requirements": requirements }))
        .unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// One row per (requirement, section); a requirement no section addresses still has
/// its row, with empty section fields, so nothing silently drops out of a filter.
pub fn to_csv(report: &CheckReport, catalogue: &Catalogue) -> String {
    let field = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut out = String::from("id,topic,status,path,anchor,section,copies,placeholders\r\n");
    for requirement in traced(report, catalogue) {
        let head = [field(requirement.id), field(requirement.topic), field(requirement.status.label())].join(",");
        if requirement.sections.is_empty() {
            out.push_str(&format!("{head},,,,,\r\n"));
        }
        for s in requirement.sections {
            out.push_str(&format!(
                "{head},{},{},{},{},{}\r\n",
                field(&s.path),
                field(&s.anchor),
                field(&s.section),
                s.copies,
                s.placeholders
            ));
        }
    }
    out
}
