//! Meaning checks on a config that has the right shape: id syntax, duplicates, every
//! cross-reference resolved, values in range. All problems are collected, not just the
//! first, and each points at the offending text with a hint listing what does exist.

use std::collections::{BTreeSet, HashMap};

use toml::Spanned;

use super::ids::id_syntax_problem;
use super::model::{Config, Id};
use super::root_causes::{Dangling, root_causes};
use crate::catalogue::Catalogue;
use crate::diagnostic::{Diagnostic, suggest};

pub(super) fn validate(config: &Config, catalogue: &Catalogue) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut dangling = Vec::new();
    let mut check = Checker { problems: &mut problems, dangling: &mut dangling };

    if config.organisation.name.trim().is_empty() {
        check.report(Diagnostic::new("the organisation name is empty", None).with_hint("set `name` in [organisation]"));
    }
    let ids = Ids {
        people: check.id_set("person", config.people.iter().map(|p| &p.id)),
        customers: check.id_set("customer", config.customers.iter().map(|c| &c.id)),
        suppliers: check.id_set("supplier", config.suppliers.iter().map(|s| &s.id)),
        services: check.id_set("service", config.services.iter().map(|s| &s.id)),
    };
    check.id_set("improvement", config.improvements.iter().map(|i| &i.id));

    check.roles(config, &ids);
    check.processes(config, catalogue, &ids);
    check.relationships(config, &ids);
    check.services(config, &ids);
    check.dependency_cycles(config);
    check.improvements(config, &ids, catalogue);
    check.exclusions(config, catalogue);
    check.evidence(config, catalogue);
    if let Some(assessment) = &config.assessment {
        check.assessment(assessment, catalogue, &ids.people);
        for (area, _) in assessment.areas.iter().filter(|(_, details)| !details.in_scope) {
            if let Some(problem) = out_of_scope_without_exclusions(area.get_ref(), area.span(), None, config, catalogue)
            {
                check.report(problem);
            }
        }
    }
    check.pack(config);
    let known = [
        ("person", &ids.people),
        ("customer", &ids.customers),
        ("supplier", &ids.suppliers),
        ("service", &ids.services),
    ];
    problems.extend(root_causes(dangling, &known));
    problems
}

/// The ids the config defines, per kind, for resolving references.
struct Ids<'a> {
    people: BTreeSet<&'a str>,
    customers: BTreeSet<&'a str>,
    suppliers: BTreeSet<&'a str>,
    services: BTreeSet<&'a str>,
}

impl Checker<'_> {
    fn roles(&mut self, config: &Config, ids: &Ids<'_>) {
        let roles = &config.roles;
        for (key, role) in [
            ("sms_owner", &roles.sms_owner),
            ("sms_manager", &roles.sms_manager),
            ("information_security_manager", &roles.information_security_manager),
            ("cab_chair", &roles.cab_chair),
            ("service_desk_lead", &roles.service_desk_lead),
        ] {
            if let Some(role) = role {
                self.reference("person", role, &ids.people, || format!("roles.{key}"));
            }
        }
    }

    fn processes(&mut self, config: &Config, catalogue: &Catalogue, ids: &Ids<'_>) {
        let process_codes: Vec<String> = catalogue.processes().map(|p| p.code).collect();
        let codes: Vec<&str> = process_codes.iter().map(String::as_str).collect();
        for (code, assignment) in &config.processes {
            if !codes.contains(&code.get_ref().as_str()) {
                let hint = suggest(
                    code.get_ref(),
                    codes.iter().copied(),
                    &format!("FitSM process codes are {}", codes.join(" ")),
                );
                self.report(
                    Diagnostic::new(format!("unknown process `{}`", code.get_ref()), Some(code.span())).with_hint(hint),
                );
            }
            let code = code.get_ref();
            for (key, person) in assignment
                .owner
                .iter()
                .map(|p| ("owner", p))
                .chain(assignment.manager.iter().map(|p| ("manager", p)))
                .chain(assignment.staff.iter().map(|p| ("staff", p)))
            {
                self.reference("person", person, &ids.people, || format!("processes.{code}.{key}"));
            }
        }
    }

    /// Customers and suppliers.
    fn relationships(&mut self, config: &Config, ids: &Ids<'_>) {
        for customer in &config.customers {
            for (date, key) in [(&customer.since, "since"), (&customer.next_review, "next_review")] {
                if let Some(date) = date {
                    self.date(date, key);
                }
            }
            if let Some(manager) = &customer.relationship_manager {
                self.reference("person", manager, &ids.people, || {
                    format!("customers.{}.relationship_manager", customer.id.get_ref())
                });
            }
        }
        for supplier in &config.suppliers {
            let supplier_id = supplier.id.get_ref();
            for service in &supplier.provides {
                self.reference("service", service, &ids.services, || format!("suppliers.{supplier_id}.provides"));
            }
            if let Some(manager) = &supplier.relationship_manager {
                self.reference("person", manager, &ids.people, || {
                    format!("suppliers.{supplier_id}.relationship_manager")
                });
            }
            if let Some(end) = &supplier.agreement_end {
                self.date(end, "agreement_end");
            }
            if let Some(next) = &supplier.next_evaluation {
                self.date(next, "next_evaluation");
            }
            if let Some(target) = &supplier.targets.availability {
                self.percentage(target);
            }
        }
    }

    fn services(&mut self, config: &Config, ids: &Ids<'_>) {
        for service in &config.services {
            let service_id = service.id.get_ref();
            if let Some(owner) = &service.owner {
                self.reference("person", owner, &ids.people, || format!("services.{service_id}.owner"));
            }
            if let Some(deputy) = &service.deputy_owner {
                self.reference("person", deputy, &ids.people, || format!("services.{service_id}.deputy_owner"));
            }
            for (date, key) in [(&service.go_live, "go_live"), (&service.continuity.last_test, "continuity.last_test")]
            {
                if let Some(date) = date {
                    self.date(date, key);
                }
            }
            for customer in &service.customers {
                self.reference("customer", customer, &ids.customers, || format!("services.{service_id}.customers"));
            }
            for supplier in &service.suppliers {
                self.reference("supplier", supplier, &ids.suppliers, || format!("services.{service_id}.suppliers"));
            }
            for dependency in &service.depends_on {
                if dependency.get_ref() == service.id.get_ref() {
                    self.report(
                        Diagnostic::new(
                            format!("service `{}` depends on itself", dependency.get_ref()),
                            Some(dependency.span()),
                        )
                        .with_hint("remove it from `depends_on`"),
                    );
                } else {
                    self.reference("service", dependency, &ids.services, || {
                        format!("services.{service_id}.depends_on")
                    });
                }
            }
            if let Some(target) = &service.availability_target {
                self.percentage(target);
            }
        }
    }

    fn percentage(&mut self, target: &Spanned<f64>) {
        let value = *target.get_ref();
        if !(0.0..=100.0).contains(&value) || value.is_nan() {
            self.report(
                Diagnostic::new(format!("availability target {value} is not a percentage"), Some(target.span()))
                    .with_hint("write a number between 0 and 100, e.g. 99.5"),
            );
        }
    }

    fn improvements(&mut self, config: &Config, ids: &Ids<'_>, catalogue: &Catalogue) {
        for improvement in &config.improvements {
            for id in &improvement.requirements {
                self.requirement_id(id, catalogue);
            }
            if let Some(owner) = &improvement.owner {
                self.reference("person", owner, &ids.people, || {
                    format!("improvements.{}.owner", improvement.id.get_ref())
                });
            }
            if let Some(due) = &improvement.due {
                self.date(due, "due");
            }
        }
    }

    fn pack(&mut self, config: &Config) {
        let interval = &config.pack.review_interval_months;
        if !(1..=60).contains(interval.get_ref()) {
            self.report(
                Diagnostic::new(
                    format!("review interval of {} months is out of range", interval.get_ref()),
                    Some(interval.span()),
                )
                .with_hint("use a number of months between 1 and 60; 12 is usual"),
            );
        }
        if let Some(date) = &config.pack.effective_date {
            self.date(date, "effective_date");
        }
        if let Some(date) = &config.capacity.measured {
            self.date(date, "capacity.measured");
        }
        if let Some(scale) = config.practices.risk_scale
            && !(3..=5).contains(&scale)
        {
            self.report(
                Diagnostic::new(format!("a risk scale of {scale} levels is out of range"), None)
                    .with_hint("set `risk_scale` in [practices] to 3, 4 or 5"),
            );
        }
    }
}

struct Checker<'a> {
    problems: &'a mut Vec<Diagnostic>,
    /// References to ids that do not exist; reported together by [`root_causes`].
    dangling: &'a mut Vec<Dangling>,
}

impl Checker<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    /// Checks the syntax and uniqueness of one kind of id and returns the set of ids.
    fn id_set<'c>(&mut self, kind: &str, ids: impl Iterator<Item = &'c Id>) -> BTreeSet<&'c str> {
        let mut seen: HashMap<&str, &Id> = HashMap::new();
        let mut set = BTreeSet::new();
        for id in ids {
            if let Some(problem) = id_syntax_problem(id.get_ref()) {
                self.report(Diagnostic::new(format!("invalid {kind} id `{}`: {problem}", id.get_ref()), Some(id.span())).with_hint(
                    "ids are short slugs: lowercase letters, digits and single hyphens, starting with a letter, e.g. `hpc-cluster`",
                ));
            }
            if let Some(first) = seen.get(id.get_ref().as_str()) {
                self.report(
                    Diagnostic::new(format!("duplicate {kind} id `{}`", id.get_ref()), Some(id.span()))
                        .with_related(first.span(), "first used here")
                        .with_hint(format!("{kind} ids must be unique; rename one of them")),
                );
            } else {
                seen.insert(id.get_ref(), id);
            }
            set.insert(id.get_ref().as_str());
        }
        set
    }

    /// Records a reference to an id that does not exist; `place` names where it is.
    fn reference(
        &mut self,
        kind: &'static str,
        reference: &Spanned<String>,
        known: &BTreeSet<&str>,
        place: impl FnOnce() -> String,
    ) {
        let name = reference.get_ref().as_str();
        if !known.contains(name) {
            self.dangling.push(Dangling { kind, name: name.to_owned(), span: reference.span(), place: place() });
        }
    }

    fn date(&mut self, value: &Spanned<crate::config::Date>, key: &str) {
        let datetime = value.get_ref();
        if datetime.date.is_none() || datetime.time.is_some() {
            self.report(
                Diagnostic::new(format!("`{key}` must be a calendar date"), Some(value.span()))
                    .with_hint("write a date without quotes or time, e.g. 2026-01-15"),
            );
        }
    }

    fn requirement_id(&mut self, id: &Spanned<String>, catalogue: &Catalogue) -> bool {
        if catalogue.requirement(id.get_ref()).is_some() {
            return true;
        }
        let hint = suggest(
            id.get_ref(),
            catalogue.requirements.iter().map(|r| r.id.as_str()),
            "IDs look like GR2.1 or PR12.4 (see `fitsm-pack requirements`)",
        );
        self.report(
            Diagnostic::new(format!("unknown FitSM requirement `{}`", id.get_ref()), Some(id.span())).with_hint(hint),
        );
        false
    }

    fn exclusions(&mut self, config: &Config, catalogue: &Catalogue) {
        let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
        for exclusion in &config.exclusions {
            let id = &exclusion.requirement;
            self.requirement_id(id, catalogue);
            if let Some(first) = seen.insert(id.get_ref(), id) {
                self.report(
                    Diagnostic::new(format!("requirement `{}` is excluded twice", id.get_ref()), Some(id.span()))
                        .with_related(first.span(), "first excluded here")
                        .with_hint("keep one [[exclusions]] entry per requirement"),
                );
            }
            if exclusion.justification.get_ref().trim().len() < 10 {
                self.report(
                    Diagnostic::new("an exclusion needs a written justification", Some(exclusion.justification.span()))
                        .with_hint(
                            "say why the requirement does not apply; auditors read this in the compliance matrix",
                        ),
                );
            }
        }
    }

    fn evidence(&mut self, config: &Config, catalogue: &Catalogue) {
        for record in &config.evidence {
            if record.requirements.is_empty() {
                self.report(
                    Diagnostic::new(format!("the evidence \"{}\" names no requirement", record.description), None)
                        .with_hint(
                            "add requirements = [\"GR1.3\"]: the ids of the FitSM requirements it shows at work",
                        ),
                );
            }
            for id in &record.requirements {
                self.requirement_id(id, catalogue);
            }
        }
    }

    fn assessment(&mut self, assessment: &crate::config::Assessment, catalogue: &Catalogue, people: &BTreeSet<&str>) {
        if let Some(assessor) = &assessment.assessor {
            self.reference("person", assessor, people, || "assessment.assessor".to_owned());
        }
        if let Some(date) = &assessment.date {
            self.date(date, "date");
        }
        if let Some(import) = &assessment.import
            && crate::workbook::import::Format::of(std::path::Path::new(import.get_ref())).is_none()
        {
            self.report(
                Diagnostic::new(
                    format!("`import` must name an .xlsx workbook or a .csv file, not \"{}\"", import.get_ref()),
                    Some(import.span()),
                )
                .with_hint(
                    "`fitsm-pack assessment export` writes a workbook to fill in; a CSV file has the columns \
                     area,requirement,score,goal,in_scope,evidence",
                ),
            );
        }
        let areas: Vec<String> =
            catalogue.groups.iter().map(|g| g.process.clone().unwrap_or_else(|| g.id.clone())).collect();
        for (area, details) in &assessment.areas {
            let Some(group) = catalogue.groups.iter().find(|g| g.process.as_ref().unwrap_or(&g.id) == area.get_ref())
            else {
                let hint = suggest(
                    area.get_ref(),
                    areas.iter().map(String::as_str),
                    &format!("areas are {}", areas.join(" ")),
                );
                self.report(
                    Diagnostic::new(format!("unknown assessment area `{}`", area.get_ref()), Some(area.span()))
                        .with_hint(hint),
                );
                continue;
            };
            if let Some(goal) = &details.goal
                && !(1..=4).contains(goal.get_ref())
            {
                self.report(
                    Diagnostic::new(format!("goal level {} is out of range", goal.get_ref()), Some(goal.span()))
                        .with_hint("goal levels go from 1 to 4"),
                );
            }
            for (requirement, score) in &details.scores {
                if !self.requirement_id(requirement, catalogue) {
                    continue;
                }
                if !requirement.get_ref().starts_with(&format!("{}.", group.id)) {
                    self.report(
                        Diagnostic::new(
                            format!("requirement `{}` does not belong to {}", requirement.get_ref(), area.get_ref()),
                            Some(requirement.span()),
                        )
                        .with_hint(format!(
                            "scores of {} are for {}.1, {}.2, …",
                            area.get_ref(),
                            group.id,
                            group.id
                        )),
                    );
                }
                if !(0..=4).contains(score.get_ref()) {
                    self.report(
                        Diagnostic::new(format!("score {} is out of range", score.get_ref()), Some(score.span()))
                            .with_hint("scores go from 0 (not in place) to 4"),
                    );
                }
            }
        }
    }

    /// Services that (transitively) depend on themselves make availability and
    /// continuity planning meaningless; report each cycle once. The walk is iterative
    /// (see `graph`): a config may chain thousands of services.
    fn dependency_cycles(&mut self, config: &Config) {
        let index: HashMap<&str, usize> =
            config.services.iter().enumerate().map(|(i, s)| (s.id.get_ref().as_str(), i)).collect();
        let edges: Vec<&Vec<Spanned<String>>> = config.services.iter().map(|s| &s.depends_on).collect();
        let adjacency: Vec<Vec<usize>> = edges
            .iter()
            .map(|depends| {
                depends.iter().map(|d| index.get(d.get_ref().as_str()).copied().unwrap_or(usize::MAX)).collect()
            })
            .collect();
        let name = |i: usize| config.services[i].id.get_ref().as_str();
        crate::graph::for_each_cycle(&adjacency, |path, from, edge| {
            let mut cycle: Vec<&str> = if path.len() > MAX_CYCLE_SHOWN {
                let mut shown: Vec<&str> = path[..MAX_CYCLE_SHOWN - 2].iter().map(|&i| name(i)).collect();
                shown.push("…");
                shown.push(name(path[path.len() - 1]));
                shown
            } else {
                path.iter().map(|&i| name(i)).collect()
            };
            cycle.push(name(path[0]));
            let length =
                if path.len() > MAX_CYCLE_SHOWN { format!(" ({} services)", path.len()) } else { String::new() };
            self.report(
                Diagnostic::new(
                    format!("services depend on each other in a cycle{length}: {}", cycle.join(" → ")),
                    Some(edges[from][edge].span()),
                )
                .with_hint("a service cannot (indirectly) depend on itself; remove one of these `depends_on` entries"),
            );
        });
    }
}

/// Longest cycle shown in full; longer ones show their start and end.
const MAX_CYCLE_SHOWN: usize = 12;

/// An area marked out of scope (`in_scope = false` in the config, or "no" in an
/// imported workbook) whose requirements are not all excluded. Scope has one home,
/// `[[exclusions]]`, where each requirement left out is justified for the compliance
/// matrix; the self-assessment follows it. `None` when the area is fine. `span` is
/// where the message points; `place` says where an imported area was marked.
pub(super) fn out_of_scope_without_exclusions(
    area: &str,
    span: std::ops::Range<usize>,
    place: Option<&str>,
    config: &Config,
    catalogue: &Catalogue,
) -> Option<Diagnostic> {
    let group = catalogue.groups.iter().find(|g| g.process.as_ref().unwrap_or(&g.id) == area)?;
    let applied: Vec<&str> = catalogue
        .requirements_of(&group.id)
        .map(|r| r.id.as_str())
        .filter(|id| !config.exclusions.iter().any(|e| e.requirement.get_ref() == id))
        .collect();
    if applied.is_empty() {
        return None;
    }
    let marked = place.map_or_else(String::new, |place| format!(" ({place})"));
    Some(
        Diagnostic::new(
            format!(
                "assessment area `{area}` is out of scope{marked}, but the compliance matrix still applies {}",
                applied.join(", ")
            ),
            Some(span),
        )
        .with_hint(format!(
            "leaving an area out is decided once, in [[exclusions]]: add one with a justification for each of {} \
             (the area then is out of scope by itself), or keep the area in scope",
            applied.join(", ")
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::parse;

    fn problems(text: &str) -> Vec<String> {
        let config = parse(text).expect("well-formed");
        validate(&config, Catalogue::builtin()).into_iter().map(|d| d.message).collect()
    }

    const HEAD: &str = "[organisation]\nname = \"Acme\"\n";

    #[test]
    fn an_area_is_out_of_scope_only_when_its_requirements_are_excluded() {
        let area = "[assessment.areas.CSI]\nin_scope = false\n";
        let found = problems(&format!("{HEAD}{area}"));
        assert_eq!(
            found,
            ["assessment area `CSI` is out of scope, but the compliance matrix still applies PR14.1, PR14.2, PR14.3"]
        );
        let exclusions: String = ["PR14.1", "PR14.2", "PR14.3"]
            .iter()
            .map(|id| format!("[[exclusions]]\nrequirement = \"{id}\"\njustification = \"Improvement is run by the parent body.\"\n"))
            .collect();
        assert_eq!(problems(&format!("{HEAD}{exclusions}{area}")), Vec::<String>::new());
    }

    #[test]
    fn id_syntax() {
        assert_eq!(id_syntax_problem("hpc-cluster"), None);
        assert!(id_syntax_problem("../etc").is_some());
        assert!(id_syntax_problem("Web").is_some());
        assert!(id_syntax_problem("").is_some());
        assert!(id_syntax_problem("con").is_some());
        assert!(id_syntax_problem("a--b").is_some());
        assert!(id_syntax_problem("1abc").is_some());
    }

    #[test]
    fn dangling_references_and_duplicates() {
        let found = problems(&format!(
            "{HEAD}[[people]]\nid = \"ann\"\nname = \"Ann\"\n[[people]]\nid = \"ann\"\nname = \"Ann 2\"\n\
             [[services]]\nid = \"web\"\nname = \"Web\"\nowner = \"bob\"\ndepends_on = [\"web\", \"db\"]\n\
             [processes.SLX]\nowner = \"ann\"\n"
        ));
        assert!(found.contains(&"duplicate person id `ann`".to_owned()), "{found:?}");
        assert!(found.contains(&"unknown person `bob`".to_owned()), "{found:?}");
        assert!(found.contains(&"service `web` depends on itself".to_owned()), "{found:?}");
        assert!(found.contains(&"unknown service `db`".to_owned()), "{found:?}");
        assert!(found.contains(&"unknown process `SLX`".to_owned()), "{found:?}");
    }

    #[test]
    fn cycles_are_found() {
        let found = problems(&format!(
            "{HEAD}[[services]]\nid = \"a\"\nname = \"A\"\ndepends_on = [\"b\"]\n[[services]]\nid = \"b\"\nname = \"B\"\ndepends_on = [\"a\"]\n"
        ));
        assert_eq!(found, vec!["services depend on each other in a cycle: a → b → a".to_owned()]);
    }

    /// A chain `s1 → s2 → … → sN`, closed into a cycle if `closed`.
    fn chain(services: usize, closed: bool) -> String {
        let mut text = HEAD.to_owned();
        for index in 1..=services {
            let next = if index < services { format!("s{}", index + 1) } else { "s1".to_owned() };
            let depends =
                if index < services || closed { format!("depends_on = [\"{next}\"]\n") } else { String::new() };
            text.push_str(&format!("[[services]]\nid = \"s{index}\"\nname = \"S{index}\"\n{depends}"));
        }
        text
    }

    #[test]
    fn a_chain_of_16000_services_needs_no_deep_stack() {
        // The old recursive walk overflowed the stack (an abort) at about 8,000.
        assert_eq!(problems(&chain(16_000, false)), Vec::<String>::new());
        let found = problems(&chain(16_000, true));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("services depend on each other in a cycle (16000 services): s1 → s2 → "),
            "{}",
            found[0]
        );
        assert!(found[0].ends_with(" → … → s16000 → s1"), "{}", found[0]);
    }
}
