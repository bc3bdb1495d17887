//! `init`: a new user's first step.

use crate::project::Project;

#[test]
fn init_then_build_works_in_an_empty_folder() {
    let project = Project::new();
    project.run(["init"]).success().stderr_contains("wrote");
    assert!(project.exists("sms.toml"));
    project.run(["build"]).success();
    assert!(project.files_below("dist/markdown").len() >= 45);
}

#[test]
fn init_creates_the_folder_it_is_given() {
    let project = Project::new();
    project.run(["init", "my-sms"]).success();
    project.run(["build", "-c", "my-sms/sms.toml"]).success();
}

#[test]
fn init_never_overwrites() {
    let project = Project::new().config("# mine\n");
    project.run(["init"]).exit(2).stderr_contains("already exists");
    assert_eq!(project.read("sms.toml"), "# mine\n");
}

#[test]
fn init_type_starts_from_the_matching_example_and_it_builds() {
    for (kind, name) in [
        ("computing-centre", "university-computing-centre"),
        ("federation", "research-federation"),
        ("service-provider", "managed-hosting"),
    ] {
        let project = Project::new();
        project.run(["init", "--type", kind]).success();
        let written = project.read("sms.toml");
        let example = std::fs::read_to_string(crate::project::example_path(name)).expect("example");
        assert!(written.ends_with(&example), "init --type {kind} writes the {name} example");
        project.run(["build"]).success();
    }
    let project = Project::new();
    project.run(["init", "--type", "federaton"]).exit(2).stderr_contains("federation");
}
