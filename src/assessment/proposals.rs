//! The improvement proposals the pack itself seeds into the improvement register: one
//! per area whose requirements fall short of its goal in the self-assessment
//! (`SA-SLM`: close the gaps of service level management), and one for the records of
//! operation the compliance matrix still lacks (`EV-SMS`: nothing in `[[evidence]]` or
//! `evidence/` names those requirements).
//!
//! Both are findings an auditor expects to see acted on, so the register states them
//! instead of leaving the step to someone's memory. They are grouped the way actions
//! are owned, per area and its owner, and records for the whole SMS under the SMS
//! manager, so the register holds a handful of actions rather than one line per
//! requirement. Their ids derive from what they are about, never from a position, so
//! they stay the same from build to build and an edit made to one in the register merges
//! like any other. A proposal disappears when its cause does (every score reaches the
//! goal, the records are named) or when entries of `[[improvements]]` take its
//! requirements over (`requirements = ["PR9.3"]`).

use std::collections::BTreeSet;

use serde::Serialize;

use super::{AreaResult, AssessmentResult};
use crate::config::{Config, Id};

/// A proposed entry of the improvement register.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// `SA-<area>` or `EV-SMS`.
    pub id: String,
    pub title: String,
    pub source: String,
    /// The requirements it is about.
    pub requirements: Vec<String>,
    /// `high` when a gap is two levels or more, or a score is 0 (the rule of the
    /// self-assessment report), else `medium`.
    pub priority: &'static str,
    /// Whose action it is: `process_owner` (of `process`), `sms_owner` or `sms_manager`.
    pub owner_role: &'static str,
    /// The process code, for `process_owner`.
    pub process: Option<String>,
    /// That person, when the config names them.
    #[serde(skip)]
    pub owner: Option<Id>,
}

/// The proposals for `config`: gaps per area in catalogue order, then missing records.
pub fn proposals(config: &Config, result: &AssessmentResult) -> Vec<Proposal> {
    let taken: BTreeSet<&str> =
        config.improvements.iter().flat_map(|i| &i.requirements).map(|id| id.get_ref().as_str()).collect();
    let evidenced: BTreeSet<&str> =
        config.evidence.iter().flat_map(|e| &e.requirements).map(|id| id.get_ref().as_str()).collect();
    let assessed_on = result
        .date
        .as_deref()
        .map_or_else(|| "Self-assessment".to_owned(), |date| format!("Self-assessment of {date}"));
    let mut proposals = Vec::new();
    for area in result.areas.iter().filter(|a| a.in_scope) {
        let gaps: Vec<_> = result
            .gaps
            .iter()
            .filter(|gap| gap.area == area.area && !taken.contains(gap.requirement.as_str()))
            .collect();
        if gaps.is_empty() {
            continue;
        }
        let mut listed: Vec<_> = gaps.clone();
        listed.sort_by_key(|gap| catalogue_order(&gap.requirement));
        let items: Vec<String> = listed
            .iter()
            .map(|gap| format!("{} {} ({} → {})", gap.requirement, gap.topic, gap.score, gap.goal))
            .collect();
        let largest = gaps.iter().map(|gap| gap.gap).max().unwrap_or_default();
        let (owner_role, owner) = responsible(config, area);
        proposals.push(Proposal {
            id: format!("SA-{}", area.area),
            title: format!("Close the gaps of {} {}: {}", area.group, area.title, items.join("; ")),
            source: format!(
                "{assessed_on}: {} requirement{} below the goal, largest gap {largest}",
                gaps.len(),
                if gaps.len() == 1 { "" } else { "s" }
            ),
            requirements: listed.iter().map(|gap| gap.requirement.clone()).collect(),
            priority: if gaps.iter().any(|gap| gap.gap >= 2 || gap.score == 0) { "high" } else { "medium" },
            owner_role,
            process: (!area.general).then(|| area.area.clone()),
            owner,
        });
    }
    let missing: Vec<String> = result
        .areas
        .iter()
        .filter(|a| a.in_scope)
        .flat_map(|a| &a.requirements)
        .filter(|r| !r.excluded && !evidenced.contains(r.id.as_str()) && !taken.contains(r.id.as_str()))
        .map(|r| r.id.clone())
        .collect();
    if !missing.is_empty() {
        let count = missing.len();
        proposals.push(Proposal {
            id: "EV-SMS".to_owned(),
            title: format!(
                "For each of the {count} requirement{} for which the compliance matrix names no record yet, list the \
                 records that show it at work (minutes, reports, ticket samples, audit reports) and where they are kept, with the process \
                 owners, before the next audit",
                if count == 1 { "" } else { "s" }
            ),
            source: "Requirements compliance matrix: no record named".to_owned(),
            requirements: missing,
            priority: "medium",
            owner_role: "sms_manager",
            process: None,
            owner: config.roles.sms_manager.clone(),
        });
    }
    proposals
}

/// `PR2.10` after `PR2.9`: requirement ids in the catalogue's order.
fn catalogue_order(id: &str) -> (String, u32, u32) {
    let (group, number) = id.split_once('.').unwrap_or((id, "0"));
    let digits: String = group.chars().filter(char::is_ascii_digit).collect();
    let letters: String = group.chars().filter(|c| !c.is_ascii_digit()).collect();
    (letters, digits.parse().unwrap_or_default(), number.parse().unwrap_or_default())
}

/// Who answers for an area: the owner of the process (`None` until the config names
/// one, whether or not the process has a table yet), the SMS owner for the top
/// management group GR1, the SMS manager for the other general requirements.
fn responsible(config: &Config, area: &AreaResult) -> (&'static str, Option<Id>) {
    if !area.general {
        let owner = config.processes.iter().find(|(code, _)| code.get_ref() == &area.area);
        return ("process_owner", owner.and_then(|(_, process)| process.owner.clone()));
    }
    if area.area == "GR1" {
        ("sms_owner", config.roles.sms_owner.clone())
    } else {
        ("sms_manager", config.roles.sms_manager.clone())
    }
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
        proposals(config, &AssessmentResult::compute(config, Catalogue::builtin()))
    }

    #[test]
    fn one_proposal_per_area_with_gaps_and_one_for_missing_records() {
        let config = config("");
        let result = AssessmentResult::compute(&config, Catalogue::builtin());
        let proposals = seeded(&config);
        let areas: BTreeSet<&str> = result.gaps.iter().map(|g| g.area.as_str()).collect();
        let gaps: Vec<&Proposal> = proposals.iter().filter(|p| p.id.starts_with("SA-")).collect();
        assert_eq!(gaps.len(), areas.len());
        assert_eq!(gaps.iter().map(|p| p.requirements.len()).sum::<usize>(), result.gaps.len(), "every gap once");
        let gr1 = gaps.iter().find(|p| p.id == "SA-GR1").expect("GR1 has gaps");
        assert_eq!(gr1.requirements, ["GR1.2", "GR1.3"]);
        assert!(gr1.title.contains("GR1.3 Management reviews at planned intervals (1 → 3)"), "{}", gr1.title);
        assert_eq!((gr1.priority, gr1.owner_role), ("high", "sms_owner"));
        let records = proposals.last().expect("records");
        assert_eq!((records.id.as_str(), records.requirements.len()), ("EV-SMS", 82));
        assert_eq!(
            seeded(&config).iter().map(|p| &p.id).collect::<Vec<_>>(),
            proposals.iter().map(|p| &p.id).collect::<Vec<_>>()
        );
    }

    #[test]
    fn requirements_are_listed_in_catalogue_order() {
        let mut ids = vec!["PR10.1", "PR2.10", "PR2.9", "GR7.1"];
        ids.sort_by_key(|id| catalogue_order(id));
        assert_eq!(ids, ["GR7.1", "PR2.9", "PR2.10", "PR10.1"]);
    }

    #[test]
    fn an_improvement_that_names_a_requirement_takes_it_over() {
        let taken = config(
            "[[improvements]]\nid = \"csi-900\"\ntitle = \"Hold the first management review\"\n\
             requirements = [\"GR1.2\", \"GR1.3\"]\n",
        );
        let proposals = seeded(&taken);
        assert!(proposals.iter().all(|p| p.id != "SA-GR1"), "both GR1 gaps are taken");
        let records = proposals.iter().find(|p| p.id == "EV-SMS").expect("records");
        assert!(!records.requirements.iter().any(|id| id == "GR1.3"));
    }

    #[test]
    fn named_records_leave_the_records_proposal() {
        let all: Vec<String> = Catalogue::builtin().requirements.iter().map(|r| format!("\"{}\"", r.id)).collect();
        let recorded = config(&format!(
            "[[evidence]]\nrequirements = [{}]\ndescription = \"Audit file 2026\"\nlocation = \"wiki\"\n",
            all.join(", ")
        ));
        assert!(seeded(&recorded).iter().all(|p| p.id != "EV-SMS"));
    }
}
