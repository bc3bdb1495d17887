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
