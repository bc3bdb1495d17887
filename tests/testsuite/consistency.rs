//! The pack states each fact once. These tests render the examples with practices set
//! to values no template could contain by accident, then read every document the way
//! an auditor cross-checks them: every sentence about a practice states the configured
//! value, every risk scale is the configured one, every escalation list follows the
//! configured order, every statement of a plan's owner names the owner in the register,
//! document versions follow the documentation control rule, and no document body
//! speaks about the tool that made it.

use regex::Regex;

use crate::project::{FULL_EXAMPLE, Project, example_path};

/// Distinctive practices, appended to the example config.
const PRACTICES: &str = r#"
[practices]
risk_scale = 4
access_review = "every 10 weeks"
supplier_evaluation = "every 9 months"
management_review = "every 11 months"
internal_audit = "every 14 months"
continuity_test = "every 16 months"
cab_meeting = "every 3 weeks"
capacity_review = "every 7 weeks"
leaver_deadline = "within 3 working days"
maintenance_notice = "8 working days"
security_incident_notification = "36 hours"
escalation = ["service-owner", "sms-manager", "service-desk-lead"]
"#;

/// (practice, its value above, what a sentence about it mentions).
const TOPICS: [(&str, &str, &str); 7] = [
    (
        "access_review",
        "every 10 weeks",
        r"(?i)(privileged|administrative) (access|rights|accounts)|review of (access|privileged)|access (rights )?reviews?\b",
    ),
    (
        "supplier_evaluation",
        "every 9 months",
        r"(?i)supplier (performance )?evaluations?|evaluat\w* (of )?(each |every |the |a )?suppliers?\b",
    ),
    (
        "management_review",
        "every 11 months",
        r"(?i)management reviews? (is|are) (held|carried out)|management reviews? takes? place|holds? (a |the )?management reviews?",
    ),
    ("internal_audit", "every 14 months", r"(?i)internal audits?"),
    (
        "continuity_test",
        "every 16 months",
        r"(?i)continuity (plan |scenario )?(tests?|exercises?)|tests? (of )?the continuity",
    ),
    ("cab_meeting", "every 3 weeks", r"(?i)\bCAB meets|change advisory board meets|CAB meetings?"),
    ("capacity_review", "every 7 weeks", r"(?i)capacity (plan )?reviews?"),
];

/// A statement of how often something happens.
const FREQUENCY: &str = r"(?i)\b(daily|weekly|fortnightly|monthly|quarterly|yearly|annually|annual|twice a year|once a year|every (\w+ )?(days?|weeks?|months?|quarters?|years?)|per (year|quarter|month))\b";

struct Document {
    path: String,
    front: String,
    body: String,
}

fn documents(project: &Project) -> Vec<Document> {
    project
        .files_below("dist/markdown")
        .into_iter()
        .filter(|path| path.ends_with(".md"))
        .map(|path| {
            let text = project.read(&format!("dist/markdown/{path}"));
            let rest = text.strip_prefix("---\n").unwrap_or(&text);
            let (front, body) = rest.split_once("\n---\n").unwrap_or(("", rest));
            // The attribution footer is the pack's licence notice, not the document.
            let body = body.split("*Licence and attribution.*").next().unwrap_or(body);
            Document { path, front: front.to_owned(), body: body.to_owned() }
        })
        .collect()
}

/// Sentences and table rows: the units an auditor quotes.
fn statements(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| line.split(". ")).filter(|s| !s.trim().is_empty())
}

/// Whether a frequency is stated close to the topic (within a few words), so that a
/// sentence about one practice that mentions another's frequency is not taken for it.
fn near(topic: &Regex, frequency: &Regex, statement: &str) -> bool {
    const WINDOW: usize = 25;
    topic
        .find_iter(statement)
        .any(|t| frequency.find_iter(statement).any(|f| f.start() <= t.end() + WINDOW && t.start() <= f.end() + WINDOW))
}

fn pack_with_practices(name: &str) -> Project {
    let text = std::fs::read_to_string(example_path(name)).expect("example");
    let project = Project::new().config(&format!("{text}\n{PRACTICES}"));
    project.run(["build"]).success();
    project
}

#[test]
fn every_statement_of_a_practice_states_the_configured_value() {
    let frequency = Regex::new(FREQUENCY).expect("regex");
    for name in ["minimal", FULL_EXAMPLE] {
        let project = pack_with_practices(name);
        let documents = documents(&project);
        let mut problems = Vec::new();
        for (practice, value, topic) in TOPICS {
            let topic = Regex::new(topic).expect("regex");
            // Stated at all: the configured value appears in some document.
            let mut stated = documents.iter().filter(|d| d.body.contains(value)).count();
            for document in &documents {
                for statement in statements(&document.body) {
                    if !topic.is_match(statement) {
                        continue;
                    }
                    if statement.contains(value) {
                        stated += 1;
                    } else if near(&topic, &frequency, statement) {
                        problems.push(format!("{}: {practice} stated otherwise: {statement}", document.path));
                    }
                }
            }
            if name == FULL_EXAMPLE && stated == 0 {
                problems.push(format!("no document states {practice} ({value})"));
            }
        }
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn every_risk_scale_is_the_configured_one() {
    // risk_scale = 4: levels 1 to 4, scores 1 to 16.
    let range = Regex::new(r"\b1\s*(?:–|-|to)\s*(\d+)\b").expect("regex");
    let about_risk = Regex::new(r"(?i)likelihood|impact|risk (scale|score|rating|level)").expect("regex");
    let project = pack_with_practices(FULL_EXAMPLE);
    let mut problems = Vec::new();
    for document in documents(&project) {
        for statement in statements(&document.body).filter(|s| about_risk.is_match(s)) {
            for bound in range.captures_iter(statement).filter_map(|c| c[1].parse::<u32>().ok()) {
                if bound != 4 && bound != 16 {
                    problems.push(format!("{}: a 1–{bound} scale: {statement}", document.path));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_escalation_list_follows_the_configured_order() {
    let step = Regex::new(r"^\d+\. (?:to )?the (service desk lead|service owner|owner of the service concerned|relationship manager|SMS manager|SMS owner)\b").expect("regex");
    let expected = ["service owner", "SMS manager", "service desk lead"];
    let project = pack_with_practices(FULL_EXAMPLE);
    let mut lists = 0;
    let mut problems = Vec::new();
    for document in documents(&project) {
        let mut current: Vec<String> = Vec::new();
        for line in document.body.lines().chain(std::iter::once("")) {
            match step.captures(line.trim_start()) {
                Some(c) => current.push(c[1].replace("owner of the service concerned", "service owner")),
                None if !current.is_empty() => {
                    lists += 1;
                    if current != expected {
                        problems.push(format!("{}: escalation {current:?}", document.path));
                    }
                    current.clear();
                }
                None => {}
            }
        }
    }
    assert!(lists > 0, "no escalation list found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_statement_of_a_plans_owner_names_the_registered_owner() {
    let project = pack_with_practices(FULL_EXAMPLE);
    let config: toml::Table = project.read("sms.toml").parse().expect("config");
    let people: Vec<String> = config["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .collect();
    let documents = documents(&project);
    let mut problems = Vec::new();
    for plan in
        documents.iter().filter(|d| d.path.starts_with("plans/") || d.path.ends_with("service-management-plan.md"))
    {
        let field = |key: &str| {
            plan.front.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).map(|v| v.trim_matches('"').to_owned())
        };
        let (Some(title), Some(owner)) = (field("title"), field("owner")) else { continue };
        let title = title.to_lowercase();
        for document in &documents {
            for statement in statements(&document.body) {
                let lower = statement.to_lowercase();
                if !(lower.contains(&format!("{title} owner")) || lower.contains(&format!("owner of the {title}"))) {
                    continue;
                }
                let named: Vec<&String> = people.iter().filter(|p| statement.contains(p.as_str())).collect();
                if !named.is_empty() && !named.contains(&&owner) {
                    problems.push(format!("{}: the {title} owner is {owner}, but: {statement}", document.path));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn drafts_are_version_0_1_and_no_draft_claims_a_release_number() {
    let draft_release = Regex::new(r"(?i)\b1\.0\W{0,3}(with status\W+)?draft\b|version 1\.0, draft").expect("regex");
    for name in ["minimal", FULL_EXAMPLE] {
        let project = pack_with_practices(name);
        for document in documents(&project) {
            assert!(document.front.contains("version: \"0.1\""), "{}: {}", document.path, document.front);
            assert!(document.front.contains("status: \"draft\""), "{}", document.path);
            assert!(!draft_release.is_match(&document.body), "{}: a draft called 1.0", document.path);
        }
    }
}

#[test]
fn no_document_body_speaks_about_the_tool_that_made_it() {
    let tool_talk = Regex::new(
        r"(?i)sms\.toml|fitsm-pack|\btoml\b|regenerat|\brebuil\w* (this|the) (pack|documentation)|rebuilding the pack|\bgenerated (from|by|with)\b|configuration file from|section of the configuration|\bthe config\b|\bthis pack\b|\bplaceholders?\b|\bpack templates?\b",
    )
    .expect("regex");
    let mut problems = Vec::new();
    for name in ["minimal", FULL_EXAMPLE] {
        let project = Project::example(name);
        project.run(["build"]).success();
        for document in documents(&project) {
            for line in document.body.lines().filter(|l| tool_talk.is_match(l)) {
                problems.push(format!("{name} {}: {line}", document.path));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
