//! Rebuild when anything under `templates/` or `examples/` changes: both are embedded
//! in the binary (`include_dir!` / `include_str!`), and a new file would otherwise go
//! unnoticed until some Rust source changed.

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=examples");
    println!("cargo:rerun-if-changed=build.rs");
}
