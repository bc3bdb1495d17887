//! A small harness so each test reads as a story:
//! `Project::example("minimal").run(["build"]).success().stderr_contains("documents")`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub const FULL_EXAMPLE: &str = "university-computing-centre";

/// A temporary folder to run fitsm-pack in.
pub struct Project {
    dir: TempDir,
}

impl Project {
    pub fn new() -> Self {
        Project { dir: tempfile::tempdir().expect("create a temporary folder") }
    }

    /// A project whose `sms.toml` is a copy of `examples/<name>/sms.toml`.
    pub fn example(name: &str) -> Self {
        let text = std::fs::read_to_string(example_path(name)).expect("example config exists");
        Self::new().config(&text)
    }

    /// Writes `sms.toml`.
    pub fn config(self, text: &str) -> Self {
        self.file("sms.toml", text)
    }

    /// Rewrites `sms.toml` of a project that is only borrowed.
    pub fn config_in_place<'a>(project: &'a Project, text: &str) -> &'a Project {
        std::fs::write(project.path("sms.toml"), text).expect("write sms.toml");
        project
    }

    pub fn file(self, relative: &str, text: &str) -> Self {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, text).expect("write file");
        self
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// Runs `fitsm-pack ARGS` inside the project folder.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.run_with_env(args, [("NO_COLOR", "1")])
    }

    /// Runs `fitsm-pack ARGS` with extra environment variables.
    pub fn run_with_env<I, S, const N: usize>(&self, args: I, env: [(&str, &str); N]) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let output = Command::cargo_bin("fitsm-pack")
            .expect("binary is built")
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .envs(env)
            .args(args)
            .output()
            .expect("run fitsm-pack");
        Run { output, root: self.root().to_owned() }
    }

    /// Every file below `relative`, as paths relative to it, sorted.
    pub fn files_below(&self, relative: &str) -> Vec<String> {
        let base = self.path(relative);
        let mut files: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&base).expect("below base").to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        files
    }

    /// Every Markdown document of the built pack (`dist/markdown`), as (path below it,
    /// text), front matter and footer included.
    pub fn markdown_documents(&self) -> Vec<(String, String)> {
        self.files_below("dist/markdown")
            .into_iter()
            .filter(|p| p.ends_with(".md"))
            .map(|p| {
                let text = self.read(&format!("dist/markdown/{p}"));
                (p, text)
            })
            .collect()
    }
}

/// The heading line of the section whose title holds `title` (section numbers change
/// with the templates; what the section is about does not).
pub fn heading(text: &str, title: &str) -> String {
    text.lines()
        .find(|line| line.starts_with("## ") && line.contains(title))
        .unwrap_or_else(|| panic!("no section about {title:?}"))
        .to_owned()
}

pub fn example_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).join("sms.toml")
}

/// The outcome of one run.
pub struct Run {
    output: Output,
    root: PathBuf,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// stderr with the temporary folder replaced by `[PROJECT]`, for snapshots.
    pub fn stderr_redacted(&self) -> String {
        self.stderr().replace(&self.root.display().to_string(), "[PROJECT]")
    }

    #[track_caller]
    pub fn success(self) -> Self {
        self.exit(0)
    }

    #[track_caller]
    pub fn exit(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "exit code\nstderr:\n{}\nstdout:\n{}", self.stderr(), self.stdout());
        self
    }

    #[track_caller]
    pub fn stdout_contains(self, needle: &str) -> Self {
        let stdout = self.stdout();
        assert!(stdout.contains(needle), "stdout lacks {needle:?}:\n{stdout}");
        self
    }

    pub fn stderr_contains(self, needle: &str) -> Self {
        assert!(self.stderr().contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr());
        self
    }

    #[track_caller]
    pub fn stderr_lacks(self, needle: &str) -> Self {
        assert!(!self.stderr().contains(needle), "stderr has {needle:?}:\n{}", self.stderr());
        self
    }
}
