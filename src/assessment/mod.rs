//! Self-assessment in the spirit of FitSM-6: per process and general requirement group,
//! in or out of scope, a goal level (1–4), and a score (0–4) per requirement. From the
//! config's `[assessment]` this computes each area's level, whether it meets its goal,
//! the gaps sorted by size, and a bar chart as SVG (drawn here, no JavaScript, no
//! external tool).
//!
//! An area meets its goal when every in-scope requirement scores at least the goal;
//! its level is the lowest requirement score (a chain is as strong as its weakest link),
//! and the chart also shows the mean.
//!
//! Scope has one source: `[[exclusions]]`. An excluded requirement is out of the
//! assessment (no score asked, no gap), and an area whose requirements are all excluded
//! is out of scope; `in_scope = false` on an area is only allowed when that is so (the
//! config validation and the import check it), so the self-assessment and the
//! compliance matrix can never disagree about what the SMS leaves out.
//!
//! [`workbook`] turns the same result into the workbook `assessment export` writes.

pub mod proposals;
pub mod workbook;

use serde::Serialize;

use crate::catalogue::{Catalogue, GroupKind};
use crate::config::Config;

/// Where the chart is written, under `markdown/` (and copied beside the HTML page).
pub const CHART_PATH: &str = "assessment/maturity-chart.svg";

#[derive(Debug, Clone, Serialize)]
pub struct RequirementScore {
    pub id: String,
    pub topic: String,
    pub score: Option<i64>,
    /// Goal minus score, when both are known and the score falls short.
    pub gap: Option<i64>,
    /// Excluded in `[[exclusions]]`: not assessed.
    pub excluded: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaResult {
    /// Process code (`SLM`) or general group id (`GR1`).
    pub area: String,
    pub group: String,
    pub title: String,
    pub general: bool,
    pub in_scope: bool,
    pub goal: Option<i64>,
    /// Lowest requirement score, when every requirement is scored.
    pub level: Option<i64>,
    /// Mean requirement score, over the scored requirements.
    pub mean: Option<f64>,
    pub scored: usize,
    pub total: usize,
    pub met: Option<bool>,
    pub evidence: Option<String>,
    pub requirements: Vec<RequirementScore>,
    /// Requirements in scope that have no score yet (ids), in catalogue order.
    pub unscored: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub requirement: String,
    pub area: String,
    pub topic: String,
    pub score: i64,
    pub goal: i64,
    pub gap: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentResult {
    /// False when the config has no `[assessment]`: the report then asks for one.
    pub assessed: bool,
    pub date: Option<String>,
    /// Name of the person who led the assessment.
    pub assessor: Option<String>,
    /// The previous assessment as the config states it (a date, or "none").
    pub previous: Option<String>,
    pub areas: Vec<AreaResult>,
    pub gaps: Vec<Gap>,
    pub areas_meeting_goal: usize,
    pub areas_in_scope: usize,
    pub chart_path: &'static str,
}

impl AssessmentResult {
    pub fn compute(config: &Config, catalogue: &Catalogue) -> Self {
        let assessment = config.assessment.as_ref();
        let mut areas = Vec::new();
        let mut gaps = Vec::new();
        for group in &catalogue.groups {
            let area = group.process.clone().unwrap_or_else(|| group.id.clone());
            let input = assessment.and_then(|a| a.areas.iter().find(|(k, _)| k.get_ref() == &area).map(|(_, v)| v));
            let goal = input.and_then(|i| i.goal.as_ref().map(|g| *g.get_ref()));
            let excluded = |id: &str| config.exclusions.iter().any(|e| e.requirement.get_ref() == id);
            let all_excluded = catalogue.requirements_of(&group.id).all(|r| excluded(&r.id));
            let in_scope = input.is_none_or(|i| i.in_scope) && !all_excluded;
            let requirements: Vec<RequirementScore> = catalogue
                .requirements_of(&group.id)
                .map(|requirement| {
                    let excluded = excluded(&requirement.id);
                    let score = input.filter(|_| !excluded).and_then(|i| {
                        i.scores.iter().find(|(k, _)| k.get_ref() == &requirement.id).map(|(_, v)| *v.get_ref())
                    });
                    let gap = match (score, goal) {
                        (Some(score), Some(goal)) if score < goal => Some(goal - score),
                        _ => None,
                    };
                    if let (Some(gap), Some(score), Some(goal), true) = (gap, score, goal, in_scope) {
                        gaps.push(Gap {
                            requirement: requirement.id.clone(),
                            area: area.clone(),
                            topic: requirement.topic.clone(),
                            score,
                            goal,
                            gap,
                        });
                    }
                    RequirementScore {
                        id: requirement.id.clone(),
                        topic: requirement.topic.clone(),
                        score,
                        gap,
                        excluded,
                    }
                })
                .collect();
            let scores: Vec<i64> = requirements.iter().filter_map(|r| r.score).collect();
            let assessed = requirements.iter().filter(|r| !r.excluded).count();
            let complete = scores.len() == assessed && !scores.is_empty();
            let unscored = if in_scope {
                requirements.iter().filter(|r| !r.excluded && r.score.is_none()).map(|r| r.id.clone()).collect()
            } else {
                Vec::new()
            };
            let level = if complete { scores.iter().copied().min() } else { None };
            let mean = (!scores.is_empty()).then(|| scores.iter().sum::<i64>() as f64 / scores.len() as f64);
            let met = match (goal, complete, in_scope) {
                (Some(goal), true, true) => Some(scores.iter().all(|s| *s >= goal)),
                _ => None,
            };
            areas.push(AreaResult {
                area,
                group: group.id.clone(),
                title: group.title.clone(),
                general: group.kind == GroupKind::General,
                in_scope,
                goal,
                level,
                mean,
                scored: scores.len(),
                total: assessed,
                met,
                evidence: input.and_then(|i| i.evidence.clone()),
                requirements,
                unscored,
            });
        }
        // Stable: equal gaps keep the catalogue's order (PR2.1 before PR10.1).
        gaps.sort_by_key(|gap| std::cmp::Reverse(gap.gap));
        let areas_in_scope = areas.iter().filter(|a| a.in_scope).count();
        let areas_meeting_goal = areas.iter().filter(|a| a.met == Some(true)).count();
        AssessmentResult {
            assessed: assessment.is_some(),
            date: assessment.and_then(|a| a.date.as_ref()).map(|d| d.get_ref().to_string()),
            assessor: assessment
                .and_then(|a| a.assessor.as_ref())
                .and_then(|id| config.people.iter().find(|p| p.id.get_ref() == id.get_ref()))
                .map(|p| p.name.clone()),
            previous: assessment.and_then(|a| a.previous.clone()),
            areas,
            gaps,
            areas_meeting_goal,
            areas_in_scope,
            chart_path: CHART_PATH,
        }
    }

    /// The geometry of the maturity chart (`templates/pack/maturity-chart.svg` draws
    /// it): per area the mean score (bar), the lowest score (dark part) and the goal
    /// (marker), on the 0–4 scale.
    pub fn chart(&self, organisation: &str) -> ChartView {
        const LABEL_WIDTH: f64 = 430.0;
        const PLOT_WIDTH: f64 = 400.0;
        const ROW: f64 = 24.0;
        const TOP: f64 = 56.0;
        let x = |score: f64| LABEL_WIDTH + score / 4.0 * PLOT_WIDTH;
        let rows_bottom = TOP + ROW * self.areas.len() as f64;
        let rows = self
            .areas
            .iter()
            .enumerate()
            .map(|(index, area)| {
                let y = TOP + ROW * index as f64;
                ChartRow {
                    area: area.area.clone(),
                    title: area.title.clone(),
                    in_scope: area.in_scope,
                    label_y: y + ROW * 0.65,
                    bar_y: y + 5.0,
                    mean: area.mean.map(|mean| format!("{mean:.1}")),
                    mean_width: area.mean.map(|mean| round(mean / 4.0 * PLOT_WIDTH)),
                    level: area.level,
                    level_width: area.level.map(|level| round(level as f64 / 4.0 * PLOT_WIDTH)),
                    goal: area.goal,
                    goal_x: area.goal.map(|goal| x(goal as f64)),
                    goal_top: y + 2.0,
                    goal_bottom: y + ROW - 2.0,
                }
            })
            .collect();
        ChartView {
            organisation: organisation.to_owned(),
            width: LABEL_WIDTH + PLOT_WIDTH + 40.0,
            height: rows_bottom + 44.0,
            plot_left: LABEL_WIDTH,
            label_right: LABEL_WIDTH - 8.0,
            grid: (0..=4).map(|level| GridLine { level, x: x(f64::from(level)) }).collect(),
            grid_top: TOP - 8.0,
            grid_bottom: rows_bottom,
            scale_y: TOP - 14.0,
            bar_height: ROW - 10.0,
            rows,
            legend_y: rows_bottom + 28.0,
            assessed: self.assessed,
            notice_x: LABEL_WIDTH + PLOT_WIDTH / 2.0,
            notice_y: TOP + ROW * 3.0,
        }
    }
}

/// What the chart template draws: positions in SVG user units, texts unescaped (the
/// template escapes them).
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub organisation: String,
    pub width: f64,
    pub height: f64,
    /// Left edge of the plot: score 0.
    pub plot_left: f64,
    /// Right edge of the area labels.
    pub label_right: f64,
    pub grid: Vec<GridLine>,
    pub grid_top: f64,
    pub grid_bottom: f64,
    /// Baseline of the scale's numbers.
    pub scale_y: f64,
    pub bar_height: f64,
    pub rows: Vec<ChartRow>,
    pub legend_y: f64,
    pub assessed: bool,
    pub notice_x: f64,
    pub notice_y: f64,
}

/// One vertical line of the scale.
#[derive(Debug, Clone, Serialize)]
pub struct GridLine {
    pub level: i32,
    pub x: f64,
}

/// One area of the chart.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    pub area: String,
    pub title: String,
    pub in_scope: bool,
    pub label_y: f64,
    pub bar_y: f64,
    pub mean: Option<String>,
    pub mean_width: Option<f64>,
    pub level: Option<i64>,
    pub level_width: Option<f64>,
    pub goal: Option<i64>,
    pub goal_x: Option<f64>,
    pub goal_top: f64,
    pub goal_bottom: f64,
}

/// One decimal is all a picture needs.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_str;

    fn assessed(extra: &str) -> AssessmentResult {
        let text = format!("[organisation]\nname = \"A & B <x>\"\n{extra}");
        let config = parse_str(&text, std::path::Path::new("sms.toml")).expect("valid");
        AssessmentResult::compute(&config, Catalogue::builtin())
    }

    #[test]
    fn gaps_are_sorted_by_size_and_goals_judged_per_area() {
        let result = assessed(&format!(
            "[assessment.areas.SLM]\ngoal = 3\nscores = {{ \"PR2.1\" = 3, \"PR2.2\" = 1, \"PR2.3\" = 2, \"PR2.4\" = 3, \"PR2.5\" = 4 }}\n\
             [assessment.areas.GR1]\ngoal = 2\nscores = {{ \"GR1.1\" = 2, \"GR1.2\" = 2, \"GR1.3\" = 3 }}\n\
             [assessment.areas.RDM]\nin_scope = false\n{}",
            excluded(&["PR13.1", "PR13.2", "PR13.3", "PR13.4", "PR13.5", "PR13.6"])
        ));
        let slm = result.areas.iter().find(|a| a.area == "SLM").expect("SLM");
        assert_eq!((slm.level, slm.met), (Some(1), Some(false)));
        let gr1 = result.areas.iter().find(|a| a.area == "GR1").expect("GR1");
        assert_eq!(gr1.met, Some(true));
        let gaps: Vec<(&str, i64)> = result.gaps.iter().map(|g| (g.requirement.as_str(), g.gap)).collect();
        assert_eq!(gaps, [("PR2.2", 2), ("PR2.3", 1)]);
        assert!(!result.areas.iter().find(|a| a.area == "RDM").expect("RDM").in_scope);
        assert_eq!(result.areas.len(), 21);
    }

    fn excluded(ids: &[&str]) -> String {
        ids.iter()
            .map(|id| {
                format!(
                    "[[exclusions]]\nrequirement = \"{id}\"\njustification = \"Not offered by this organisation.\"\n"
                )
            })
            .collect()
    }

    #[test]
    fn exclusions_decide_scope_so_report_and_matrix_agree() {
        // All of RDM excluded: the area is out of scope without saying so again.
        let result = assessed(&excluded(&["PR13.1", "PR13.2", "PR13.3", "PR13.4", "PR13.5", "PR13.6"]));
        let rdm = result.areas.iter().find(|a| a.area == "RDM").expect("RDM");
        assert!(!rdm.in_scope);
        assert!(rdm.unscored.is_empty(), "nothing is asked of an area out of scope");
        // One requirement excluded: it is neither scored nor a gap, and the area's
        // level and goal are judged on the others.
        let result = assessed(&format!(
            "{}[assessment.areas.RDM]\ngoal = 2\nscores = {{ \"PR13.1\" = 2, \"PR13.2\" = 2, \"PR13.3\" = 3, \"PR13.4\" = 0, \"PR13.5\" = 2, \"PR13.6\" = 2 }}\n",
            excluded(&["PR13.4"])
        ));
        let rdm = result.areas.iter().find(|a| a.area == "RDM").expect("RDM");
        assert!(rdm.in_scope);
        assert_eq!((rdm.level, rdm.met, rdm.total), (Some(2), Some(true), 5));
        assert!(rdm.requirements.iter().any(|r| r.id == "PR13.4" && r.excluded && r.score.is_none()));
        assert!(result.gaps.is_empty(), "{:?}", result.gaps);
    }

    #[test]
    fn unscored_requirements_are_listed_once_per_area() {
        let result = assessed("[assessment.areas.SLM]\ngoal = 3\nscores = { \"PR2.1\" = 3, \"PR2.2\" = 1 }\n");
        let slm = result.areas.iter().find(|a| a.area == "SLM").expect("SLM");
        assert_eq!(slm.unscored, ["PR2.3", "PR2.4", "PR2.5"]);
        assert_eq!((slm.level, slm.met), (None, None), "judged once every requirement is scored");
    }

    #[test]
    fn chart_is_well_formed_xml_and_escapes_names() {
        let chart = assessed("[assessment.areas.SLM]\ngoal = 3\nscores = { \"PR2.1\" = 3 }\n").chart("A & B <x>");
        let svg =
            crate::render::chart_svg(&chart, &crate::templates::TemplateSet::builtin()).expect("the chart renders");
        let document = roxmltree::Document::parse(&svg).expect("valid XML");
        assert_eq!(document.root_element().tag_name().name(), "svg");
        assert!(svg.contains("A &amp; B &lt;x&gt;"));
        assert!(svg.contains("SLM: goal 3"));
    }
}
