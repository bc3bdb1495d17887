//! What the config already says is never asked again: roles held by process managers,
//! customer representatives, and the `contact` spelling of a contact address.

use crate::project::{FULL_EXAMPLE, Project, example_path};

fn all_documents(project: &Project) -> String {
    project
        .files_below("dist/markdown")
        .iter()
        .filter(|p| p.ends_with(".md"))
        .map(|p| project.read(&format!("dist/markdown/{p}")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_service_desk_lead_is_the_incident_process_manager_when_not_named() {
    let text = std::fs::read_to_string(example_path(FULL_EXAMPLE)).expect("example");
    // The ISRM manager (Amelia Harris, "Service Desk Manager") is the only person for the desk.
    let without = text.lines().filter(|l| !l.starts_with("service_desk_lead")).collect::<Vec<_>>().join("\n");
    assert_ne!(without, text, "the example names a service desk lead");
    let project = Project::new().config(&without);
    project.run(["build"]).success();
    let pack = all_documents(&project);
    assert!(!pack.contains("service desk lead]"), "a document asks for the service desk lead");
    assert!(pack.contains("service desk lead, Amelia Harris"), "the lead is named from the ISRM manager");
}

#[test]
fn no_document_asks_for_a_customer_representative_the_config_names() {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    let pack = all_documents(&project);
    assert!(!pack.contains("customer representative]"), "a representative is asked although contact_name is set");
    assert!(pack.contains("Prof. Helen Carter"), "the representative is named");
}

#[test]
fn contact_is_accepted_for_contact_email() {
    let project = Project::new().config(
        "[organisation]\nname = \"A\"\n[[customers]]\nid = \"c\"\nname = \"C\"\ncontact_name = \"Ann\"\ncontact = \"ann@example.org\"\n",
    );
    project.run(["build"]).success();
    assert!(all_documents(&project).contains("ann@example.org"));
}
