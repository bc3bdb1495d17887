//! The improvement proposals the pack itself seeds into the improvement register: one
//! for each self-assessment gap (`SA-PR9.3`: a requirement in scope that scores below
//! its area's goal) and one for each area whose requirements have no records of
//! operation yet (`EV-SLM`: nothing in `[[evidence]]` or `evidence/` names them).
//!
//! Both are findings an auditor would expect to see acted on, so the register states
//! them instead of leaving the step to someone's memory. Their ids derive from what they
//! are about, never from a position, so they stay the same from build to build and an
//! edit made to one in the register merges like any other. A proposal disappears when
//! its cause does (the score reaches the goal, a record is named) or when an entry of
//! `[[improvements]]` takes the requirement over (`requirements = ["PR9.3"]`).

use std::collections::BTreeSet;

use serde::Serialize;

use super::{AreaResult, AssessmentResult};
use crate::config::{Config, Id};

/// A proposed entry of the improvement register.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// `SA-<requirement>` or `EV-<area>`.
    pub id: String,
    pub title: String,
    pub source: String,
    /// The area (process code or general group) it belongs to.
    pub area: String,
    /// The requirements it is about.
    pub requirements: Vec<String>,
    /// `high` or `medium`, by the rule of the self-assessment report.
    pub priority: &'static str,
    /// The person responsible for the area: its process owner, the SMS owner for GR1,
    /// else the SMS manager; `None` when the config names nobody.
    #[serde(skip)]
    pub owner: Option<Id>,
}

/// The proposals for `config`, gaps first (largest first, as the report lists them),
/// then missing evidence in catalogue order.
pub fn proposals(config: &Config, result: &AssessmentResult) -> Vec<Proposal> {
    let taken: BTreeSet<&str> =
        config.improvements.iter().flat_map(|i| &i.requirements).map(|id| id.get_ref().as_str()).collect();
    let evidenced: BTreeSet<&str> =
        config.evidence.iter().flat_map(|e| &e.requirements).map(|id| id.get_ref().as_str()).collect();
    let assessed_on = result
        .date
        .as_deref()
        .map_or_else(|| "The self-assessment".to_owned(), |date| format!("The self-assessment of {date}"));
    let mut proposals: Vec<Proposal> = result
        .gaps
        .iter()
        .filter(|gap| !taken.contains(gap.requirement.as_str()))
        .filter_map(|gap| Some((gap, result.areas.iter().find(|a| a.area == gap.area)?)))
        .map(|(gap, area)| Proposal {
            id: format!("SA-{}", gap.requirement),
            title: format!(
                "Raise {} ({}) from score {} to the goal level of {}",
                gap.requirement, gap.topic, gap.score, gap.goal
            ),
            source: format!("{assessed_on}: gap of {}", gap.gap),
            area: gap.area.clone(),
            requirements: vec![gap.requirement.clone()],
            priority: if gap.gap >= 2 || gap.score == 0 { "high" } else { "medium" },
            owner: responsible(config, area),
        })
        .collect();
    for area in result.areas.iter().filter(|a| a.in_scope) {
        let missing: Vec<String> = area
            .requirements
            .iter()
            .filter(|r| !r.excluded && !evidenced.contains(r.id.as_str()) && !taken.contains(r.id.as_str()))
            .map(|r| r.id.clone())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let what = if area.general { format!("{} {}", area.group, area.title) } else { area.title.clone() };
        proposals.push(Proposal {
            id: format!("EV-{}", area.area),
            title: format!("Keep and name the records that show {what} at work ({})", missing.join(", ")),
            source: "Compliance matrix: no evidence recorded".to_owned(),
            area: area.area.clone(),
            requirements: missing,
            priority: "medium",
            owner: responsible(config, area),
        });
    }
    proposals
}

/// Who answers for an area: the owner of the process (`None` until the config names
/// one, whether or not the process has a table yet), the SMS owner for the top
/// management group GR1, the SMS manager for the other general requirements.
fn responsible(config: &Config, area: &AreaResult) -> Option<Id> {
    if !area.general {
        return config.processes.iter().find(|(code, _)| code.get_ref() == &area.area)?.1.owner.clone();
    }
    if area.area == "GR1" { config.roles.sms_owner.clone() } else { config.roles.sms_manager.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    fn config(extra: &str) -> Config {
        let text = format!("{}\n{extra}", include_str!("../../examples/university-computing-centre/sms.toml"));
        crate::config::parse_str(&text, std::path::Path::new("sms.toml")).expect("valid config")
    }

    fn seeded(config: &Config) -> Vec<Proposal> {
        let catalogue = Catalogue::builtin();
        proposals(config, &AssessmentResult::compute(config, catalogue))
    }

    #[test]
    fn every_gap_and_every_area_without_records_is_proposed_once_with_a_stable_id() {
        let config = config("");
        let result = AssessmentResult::compute(&config, Catalogue::builtin());
        let proposals = seeded(&config);
        let gaps: Vec<&Proposal> = proposals.iter().filter(|p| p.id.starts_with("SA-")).collect();
        assert_eq!(gaps.len(), result.gaps.len());
        assert!(!gaps.is_empty(), "the example has gaps");
        let first = &result.gaps[0];
        assert_eq!(gaps[0].id, format!("SA-{}", first.requirement));
        assert!(gaps[0].title.contains(&format!("from score {} to the goal level of {}", first.score, first.goal)));
        let ids: BTreeSet<&str> = proposals.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), proposals.len(), "ids are unique");
        assert_eq!(
            seeded(&config).iter().map(|p| &p.id).collect::<Vec<_>>(),
            proposals.iter().map(|p| &p.id).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_improvement_that_names_a_requirement_takes_its_proposals_over() {
        let plain = config("");
        let gap = seeded(&plain).into_iter().find(|p| p.id.starts_with("SA-")).expect("a gap");
        let requirement = &gap.requirements[0];
        let taken = config(&format!(
            "[[improvements]]\nid = \"csi-900\"\ntitle = \"Fix it\"\nrequirements = [\"{requirement}\"]\n"
        ));
        let proposals = seeded(&taken);
        assert!(proposals.iter().all(|p| !p.requirements.contains(requirement)), "{requirement} is taken");
    }

    #[test]
    fn named_records_remove_the_evidence_proposal_of_their_requirements() {
        let plain = config("");
        let slm = seeded(&plain).into_iter().find(|p| p.id == "EV-SLM").expect("SLM has no records");
        let all = slm.requirements.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(", ");
        let recorded = config(&format!(
            "[[evidence]]\nrequirements = [{all}]\ndescription = \"SLA review minutes\"\nlocation = \"wiki\"\n"
        ));
        assert!(seeded(&recorded).iter().all(|p| p.id != "EV-SLM"));
    }
}
