//! Randomised regeneration: many rounds of what people really do to a pack between
//! builds (hand edits, CRLF saves, deleted and renamed files, conflicts resolved in odd
//! ways), random config changes, and plain, forced and dry-run builds. The seed is
//! fixed, so a failure replays exactly; the invariant is the product's promise: no line
//! a person wrote is ever lost, except by their own choice (deleting the file, or
//! resolving a conflict in favour of the generated side).

use std::collections::BTreeMap;

use crate::project::Project;

const SEED: u64 = 0x5eed_f175_2026_1201;
const ROUNDS: usize = 40;

/// SplitMix64: small, fast and plenty for choosing test actions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { Some(&items[self.below(items.len())]) }
    }
}

/// The config the test changes at random.
struct Config {
    organisation: String,
    services: Vec<(String, String, String)>,
    next_id: usize,
}

impl Config {
    fn toml(&self) -> String {
        let mut text = format!(
            "[organisation]\nname = \"{}\"\n\n[[people]]\nid = \"alex\"\nname = \"Alex Doe\"\n\n\
             [roles]\nsms_owner = \"alex\"\nsms_manager = \"alex\"\n",
            self.organisation
        );
        for (id, name, description) in &self.services {
            text.push_str(&format!(
                "\n[[services]]\nid = \"{id}\"\nname = \"{name}\"\ndescription = \"{description}\"\nowner = \"alex\"\n"
            ));
        }
        text
    }

    fn change(&mut self, rng: &mut Rng, round: usize) -> String {
        match rng.below(5) {
            0 => {
                self.organisation = format!("Example Hosting {round}");
                "organisation renamed".into()
            }
            1 if !self.services.is_empty() => {
                let at = rng.below(self.services.len());
                self.services[at].1 = format!("Service {round}");
                "service renamed".into()
            }
            2 if self.services.len() > 1 => {
                let at = rng.below(self.services.len());
                self.services.remove(at);
                "service removed".into()
            }
            3 if !self.services.is_empty() => {
                let at = rng.below(self.services.len());
                self.services[at].2 = format!("Hosting, as described in round {round}.");
                "description changed".into()
            }
            _ => {
                self.next_id += 1;
                let id = format!("svc-{}", self.next_id);
                self.services.push((id, format!("Service {}", self.next_id), "A new service.".into()));
                "service added".into()
            }
        }
    }
}

/// Where a line a person wrote is expected to be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Home {
    /// In this file (relative to the project).
    File(String),
    /// In a `--force` backup folder.
    Backup,
}

struct Torture {
    project: Project,
    rng: Rng,
    config: Config,
    lines: BTreeMap<String, Home>,
    counter: usize,
    conflicts_seen: usize,
    log: Vec<String>,
}

impl Torture {
    fn markdown_files(&self) -> Vec<String> {
        self.project.files_below("dist/markdown").into_iter().map(|f| format!("dist/markdown/{f}")).collect()
    }

    fn tracked(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.project.path("dist/.fitsm-pack/manifest.json")).unwrap_or_default();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        manifest["files"]
            .as_object()
            .map(|files| files.keys().map(|k| format!("dist/{k}")).collect())
            .unwrap_or_default()
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.project.path(path)).unwrap_or_default()
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.project.path(path), text).expect("write");
    }

    /// One hand edit of a random document.
    fn edit(&mut self) {
        let files: Vec<String> = self.markdown_files().into_iter().filter(|f| f.ends_with(".md")).collect();
        let Some(path) = self.rng.pick(&files).cloned() else { return };
        let text = self.read(&path);
        let crlf = text.contains("\r\n");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Edits go below the front matter, as people make them.
        let body = lines.iter().skip(1).position(|l| l == "---").map_or(0, |i| i + 2);
        if lines.len() <= body {
            return;
        }
        self.counter += 1;
        // Most rewordings hit a line that holds a config fact (the organisation or a
        // service name), where the next config change will meet them: that is where
        // conflicts come from.
        let facts: Vec<usize> = (body..lines.len())
            .filter(|&i| {
                let line = &lines[i];
                !line.starts_with("USER-")
                    && (line.contains(&self.config.organisation)
                        || self.config.services.iter().any(|(_, name, _)| line.contains(name.as_str())))
            })
            .collect();
        let at = match self.rng.pick(&facts) {
            Some(&at) if self.rng.chance(70) => at,
            _ => body + self.rng.below(lines.len() - body),
        };
        // Lines people wrote and conflict markers are not reworded: that would be the
        // person changing their own text, which the test cannot follow.
        let rewordable = !lines[at].trim().is_empty()
            && !["USER-", "<<<<<<<", "=======", ">>>>>>>"].iter().any(|p| lines[at].starts_with(p));
        let line = if self.rng.chance(35) || !rewordable {
            let line = format!("USER-{} wrote this paragraph.", self.counter);
            lines.insert(at, line.clone());
            lines.insert(at, String::new());
            line
        } else {
            // Rewording a generated line: the kind of edit that meets config changes.
            let line = format!("USER-{} reworded: {}", self.counter, lines[at]);
            lines[at] = line.clone();
            line
        };
        let ending = if crlf { "\r\n" } else { "\n" };
        self.write(&path, &(lines.join(ending) + ending));
        self.lines.insert(line, Home::File(path.clone()));
        self.log.push(format!("edit {path}"));
    }

    fn save_as_crlf(&mut self) {
        let files = self.markdown_files();
        let Some(path) = self.rng.pick(&files).cloned() else { return };
        let text = self.read(&path).replace("\r\n", "\n").replace('\n', "\r\n");
        self.write(&path, &text);
        self.log.push(format!("crlf {path}"));
    }

    fn delete(&mut self) {
        let files = self.markdown_files();
        let Some(path) = self.rng.pick(&files).cloned() else { return };
        std::fs::remove_file(self.project.path(&path)).expect("delete");
        // Deleting the file is the person's choice: its lines go with it.
        self.lines.retain(|_, home| *home != Home::File(path.clone()));
        self.log.push(format!("delete {path}"));
    }

    fn rename(&mut self) {
        let files: Vec<String> = self.markdown_files().into_iter().filter(|f| !f.contains("-renamed")).collect();
        let Some(path) = self.rng.pick(&files).cloned() else { return };
        let to = path.replace(".md", "-renamed.md");
        std::fs::rename(self.project.path(&path), self.project.path(&to)).expect("rename");
        for home in self.lines.values_mut() {
            if *home == Home::File(path.clone()) {
                *home = Home::File(to.clone());
            }
        }
        self.log.push(format!("rename {path} -> {to}"));
    }

    /// Resolves every conflict in one of the ways people do.
    fn resolve_conflicts(&mut self) {
        for path in self.markdown_files() {
            let text = self.read(&path);
            if !text.contains("<<<<<<< your edit") {
                continue;
            }
            let way = self.rng.below(4);
            let mut resolved = String::new();
            let mut side = None;
            for line in text.split_inclusive('\n') {
                let bare = line.trim_end_matches(['\r', '\n']);
                match bare {
                    "<<<<<<< your edit" if way != 3 => side = Some("ours"),
                    "=======" if side.is_some() => side = Some("theirs"),
                    ">>>>>>> generated" if side.is_some() => side = None,
                    _ => {
                        let keep = matches!((side, way), (None, _) | (Some("ours"), 0 | 2) | (Some("theirs"), 1 | 2));
                        if keep {
                            resolved.push_str(line);
                        } else {
                            // Dropping a side of a conflict drops the person's lines there.
                            self.lines.remove(bare);
                        }
                    }
                }
            }
            if way != 3 {
                self.write(&path, &resolved);
            }
            let how = ["kept my side", "took the generated side", "kept both", "left the markers"][way];
            self.log.push(format!("resolve {path}: {how}"));
        }
    }

    fn build(&mut self, args: &[&str]) -> i32 {
        let run = self.project.run(args);
        let stderr = run.stderr();
        assert!(
            matches!(run.code(), 0 | 1) && !stderr.contains("panicked"),
            "`{}` failed (exit {}):\n{stderr}\nhistory:\n{}",
            args.join(" "),
            run.code(),
            self.log.join("\n")
        );
        self.log.push(format!("{} -> exit {}", args.join(" "), run.code()));
        if stderr.contains("conflict ") {
            self.conflicts_seen += 1;
        }
        run.code()
    }

    fn backup_text(&self) -> String {
        self.project
            .files_below("dist/.fitsm-pack/backup")
            .iter()
            .map(|f| self.read(&format!("dist/.fitsm-pack/backup/{f}")))
            .collect()
    }

    fn assert_no_line_lost(&self) {
        let backups = self.backup_text();
        for (line, home) in &self.lines {
            let found = match home {
                Home::File(path) => self.read(path).lines().any(|l| l == line),
                Home::Backup => backups.lines().any(|l| l == line),
            };
            assert!(found, "lost {line:?} (expected in {home:?})\nhistory:\n{}", self.log.join("\n"));
        }
        let temporaries: Vec<String> =
            self.project.files_below("dist").into_iter().filter(|f| f.ends_with(".tmp")).collect();
        assert!(temporaries.is_empty(), "temporary files left: {temporaries:?}");
    }
}

#[test]
fn random_edits_and_config_changes_never_lose_a_line() {
    let config = Config {
        organisation: "Example Hosting".into(),
        services: vec![
            ("web".into(), "Web Hosting".into(), "Websites for departments.".into()),
            ("mail".into(), "Mail".into(), "E-mail for staff.".into()),
        ],
        next_id: 0,
    };
    let project = Project::new().config(&config.toml());
    let mut t = Torture {
        project,
        rng: Rng(SEED),
        config,
        lines: BTreeMap::new(),
        counter: 0,
        conflicts_seen: 0,
        log: Vec::new(),
    };
    t.build(&["build"]);
    for round in 0..ROUNDS {
        t.log.push(format!("-- round {round}"));
        for _ in 0..=t.rng.below(3) {
            match t.rng.below(10) {
                0..=5 => t.edit(),
                6 => t.save_as_crlf(),
                7 => t.delete(),
                8 => t.rename(),
                _ => t.resolve_conflicts(),
            }
        }
        if t.rng.chance(70) {
            let what = t.config.change(&mut t.rng, round);
            t.log.push(format!("config: {what}"));
            std::fs::write(t.project.path("sms.toml"), t.config.toml()).expect("config");
        }
        match t.rng.below(10) {
            0 => {
                let before: Vec<(String, String)> = t
                    .project
                    .files_below("dist")
                    .into_iter()
                    .map(|f| (f.clone(), t.read(&format!("dist/{f}"))))
                    .collect();
                t.build(&["build", "--dry-run"]);
                let after: Vec<(String, String)> = t
                    .project
                    .files_below("dist")
                    .into_iter()
                    .map(|f| (f.clone(), t.read(&format!("dist/{f}"))))
                    .collect();
                assert!(before == after, "a dry run changed the output folder\nhistory:\n{}", t.log.join("\n"));
            }
            1 => {
                // Every line in a file fitsm-pack tracks is saved to the backup first.
                let tracked = t.tracked();
                for home in t.lines.values_mut() {
                    if matches!(home, Home::File(path) if tracked.contains(path)) {
                        *home = Home::Backup;
                    }
                }
                t.build(&["build", "--force"]);
            }
            2 => {
                t.build(&["build", "--restore"]);
            }
            _ => {
                t.build(&["build"]);
            }
        }
        t.assert_no_line_lost();
    }
    // The pack converges: once conflicts are settled, a build has nothing left to do.
    for path in t.markdown_files() {
        let text = t.read(&path);
        if text.contains("<<<<<<< your edit") {
            let resolved: String = text
                .split_inclusive('\n')
                .filter(|l| {
                    !matches!(l.trim_end_matches(['\r', '\n']), "<<<<<<< your edit" | "=======" | ">>>>>>> generated")
                })
                .collect();
            t.write(&path, &resolved);
        }
    }
    t.build(&["build"]);
    t.assert_no_line_lost();
    let last = t.project.run(["build"]);
    assert!(last.stderr().contains("wrote 0 files"), "the pack did not converge:\n{}", last.stderr());
    eprintln!(
        "{ROUNDS} rounds: {} lines written by hand still tracked, {} builds reported conflicts, {} actions",
        t.lines.len(),
        t.conflicts_seen,
        t.log.len()
    );
    assert!(t.lines.len() > 10, "the test wrote too few lines to mean anything: {}", t.lines.len());
    assert!(t.conflicts_seen > 0, "no round produced a conflict; the test is too gentle");
}
