//! The self-assessment as a workbook to fill in (`fitsm-pack assessment export`): per
//! area its scope, goal and requirements, each requirement with the documents of the
//! pack that address it and the score and evidence the config has so far. This builds
//! the plain [`Workbook`] that `workbook::export` writes; it decides what goes into the
//! cells, `workbook` decides where.

use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::coverage::{Coverage, DocumentRef};
use crate::workbook::{AreaSheet, RequirementRow, Workbook};

use super::AssessmentResult;

/// The workbook for `config`, with the documents `coverage` lists per requirement.
pub fn workbook(config: &Config, coverage: &Coverage, catalogue: &Catalogue) -> Workbook {
    let result = AssessmentResult::compute(config, catalogue);
    let organisation = config.organisation.name.clone();
    let mut details = vec![("Organisation".to_owned(), organisation.clone())];
    if let Some(date) = &result.date {
        details.push(("Assessment date".to_owned(), date.clone()));
    }
    if let Some(assessor) = &result.assessor {
        details.push(("Led by".to_owned(), assessor.clone()));
    }
    let areas = result
        .areas
        .iter()
        .map(|area| AreaSheet {
            code: area.area.clone(),
            group: area.group.clone(),
            title: area.title.clone(),
            in_scope: area.in_scope,
            goal: area.goal,
            requirements: area
                .requirements
                .iter()
                .map(|requirement| {
                    let documents: &[DocumentRef] = coverage
                        .requirements
                        .iter()
                        .find(|r| r.id == requirement.id)
                        .map_or(&[], |r| r.documents.as_slice());
                    RequirementRow {
                        id: requirement.id.clone(),
                        topic: requirement.topic.clone(),
                        documents: documents.iter().map(document).collect::<Vec<_>>().join("\n"),
                        sections: documents.iter().map(sections).collect::<Vec<_>>().join("\n"),
                        score: requirement.score,
                        evidence: area.evidence.clone(),
                    }
                })
                .collect(),
            level: area.level,
            mean: area.mean,
            met: area.met,
        })
        .collect();
    Workbook {
        title: format!("FitSM self-assessment: {organisation}"),
        organisation,
        created: created(config),
        details,
        areas,
    }
}

/// A document as the Documents column names it: id and title, and for a document per
/// service (supplier, customer) how many there are.
fn document(document: &DocumentRef) -> String {
    if document.copies > 1 {
        let stem = document.id.split('-').next().unwrap_or(&document.id);
        // Titles of per-entity documents end in ": {name}" (the first copy's name).
        let title = document.title.split(": ").next().unwrap_or(&document.title);
        format!("{stem} {title} (×{})", document.copies)
    } else {
        format!("{} {}", document.id, document.title)
    }
}

/// What the Sections column says about one document: each section that addresses the
/// requirement, as its heading and its address in the pack (`path#anchor`, as the
/// matrix and the site link to it). A per-entity document names its first copy's
/// sections; the others have the same headings.
pub fn sections(document: &DocumentRef) -> String {
    let stem = if document.copies > 1 { document.id.split('-').next().unwrap_or(&document.id) } else { &document.id };
    document
        .sections
        .iter()
        .map(|section| format!("{stem} § {} ({}#{})", section.section, section.path, section.anchor))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The creation date of the workbook's properties: the assessment date, else the
/// pack's effective date, else 1980-01-01 (as the zip's timestamps): never the clock.
fn created(config: &Config) -> (u16, u8, u8) {
    let assessment_date = config.assessment.as_ref().and_then(|a| a.date.as_ref());
    [assessment_date, config.pack.effective_date.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|date| date.get_ref().date)
        // Spreadsheet dates start in 1900.
        .filter(|date| (1900..=9999).contains(&date.year))
        .map_or((1980, 1, 1), |date| (date.year, date.month, date.day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use crate::templates::TemplateSet;

    #[test]
    fn rows_list_the_documents_and_the_scores_so_far() {
        let text = include_str!("../../examples/university-computing-centre/sms.toml");
        let config = crate::config::parse_str(text, std::path::Path::new("sms.toml")).expect("valid example");
        let catalogue = Catalogue::builtin();
        let templates = TemplateSet::builtin();
        let plan = Plan::new(&config, &templates.documents().expect("templates"), catalogue).expect("plan");
        let rendered = crate::render::Renderer::new(&config, &plan, &templates).expect("renderer").render_all();
        let coverage = rendered.expect("rendered").coverage(&plan, &config);
        let workbook = workbook(&config, &coverage, catalogue);
        assert_eq!(workbook.areas.len(), 21);
        assert_eq!(workbook.created, (2026, 1, 20), "the assessment date");
        assert_eq!(workbook.areas.iter().map(|a| a.requirements.len()).sum::<usize>(), 82);
        let slm = workbook.areas.iter().find(|a| a.code == "SLM").expect("SLM");
        let sla = slm.requirements.iter().find(|r| r.id == "PR2.2").expect("PR2.2");
        assert!(sla.documents.contains("PROC-SLM Service level management process"), "{}", sla.documents);
        assert!(sla.documents.contains("SLA Service level agreement (×"), "{}", sla.documents);
        assert!(
            sla.sections.contains("PROC-SLM § 5. Activities (processes/service-level-management.md#5-activities)"),
            "{}",
            sla.sections
        );
        assert_eq!(sla.score, Some(1));
        assert!(sla.evidence.as_deref().is_some_and(|e| e.starts_with("Service catalogue drafted")));
        assert_eq!(slm.goal, Some(3));
    }
}
