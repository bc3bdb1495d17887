//! Snapshots of rendered documents: any change to a template or to rendering shows up
//! as a reviewable diff (`cargo insta review`).

use crate::project::{FULL_EXAMPLE, Project};

/// The document with fitsm-pack's version replaced by `[VERSION]`, so that a release
/// does not rewrite every snapshot.
fn redacted(text: String) -> String {
    text.replace(concat!("fitsm-pack ", env!("CARGO_PKG_VERSION")), "fitsm-pack [VERSION]")
}

fn rendered(path: &str) -> String {
    let project = Project::example(FULL_EXAMPLE);
    project.run(["build"]).success();
    redacted(project.read(&format!("dist/markdown/{path}")))
}

#[test]
fn service_level_agreement() {
    insta::assert_snapshot!(rendered("services/hpc/service-level-agreement.md"));
}

#[test]
fn process_description() {
    insta::assert_snapshot!(rendered("processes/service-level-management.md"));
}

#[test]
fn supplier_agreement() {
    insta::assert_snapshot!(rendered("relationships/suppliers/storetech.md"));
}

#[test]
fn minimal_example_sla_with_placeholders() {
    let project = Project::example("minimal");
    project.run(["build"]).success();
    insta::assert_snapshot!(redacted(project.read("dist/markdown/services/web-hosting/service-level-agreement.md")));
}
