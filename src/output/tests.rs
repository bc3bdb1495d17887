//! The write rules, one story per test: an edited document through its life, deleted
//! and orphaned files, `--force`, dry runs, line endings, and builds killed part-way.

use super::*;

fn file(path: &str, text: &str) -> RenderedFile {
    RenderedFile::new(path, text)
}

fn write(dir: &Path, files: &[RenderedFile], options: WriteOptions) -> WriteReport {
    write_pack(dir, files.to_vec(), Manifest::new("config", PackInfo::default()), options).expect("write")
}

fn changes(report: &WriteReport) -> Vec<(&str, Change)> {
    report.changes.iter().map(|c| (c.path.as_str(), c.change)).collect()
}

const BASE: &str = "# T\n\nintro\n\n## A\n\none\n\n## B\n\ntwo\n";

#[test]
fn lifecycle_of_an_edited_document() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    let plain = WriteOptions::default();
    assert_eq!(changes(&write(out, &[file("m/a.md", BASE)], plain)), [("m/a.md", Change::New)]);
    assert_eq!(write(out, &[file("m/a.md", BASE)], plain).written(), 0);

    // the user edits section A; the generator changes section B: both survive
    let edited = BASE.replace("one\n", "one, with our own words\n");
    std::fs::write(out.join("m/a.md"), &edited).expect("edit");
    let generated = BASE.replace("two\n", "two, regenerated\n");
    let report = write(out, &[file("m/a.md", &generated)], plain);
    assert_eq!(changes(&report), [("m/a.md", Change::Merged)]);
    let merged = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert!(merged.contains("our own words") && merged.contains("regenerated"), "{merged}");

    // both change the same line: conflict markers, then the user resolves them
    let mine = merged.replace("two, regenerated\n", "two, as we say it\n");
    std::fs::write(out.join("m/a.md"), &mine).expect("edit");
    let next = generated.replace("two, regenerated\n", "two, regenerated again\n");
    let report = write(out, &[file("m/a.md", &next)], plain);
    assert_eq!(changes(&report), [("m/a.md", Change::Conflict)]);
    let conflicted = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert!(
        conflicted
            .contains("<<<<<<< your edit\ntwo, as we say it\n=======\ntwo, regenerated again\n>>>>>>> generated\n"),
        "{conflicted}"
    );
    assert_eq!(changes(&write(out, &[file("m/a.md", &next)], plain)), [("m/a.md", Change::StillConflicted)]);
    let resolved = conflicted.replace(
        "<<<<<<< your edit\ntwo, as we say it\n=======\ntwo, regenerated again\n>>>>>>> generated\n",
        "two, agreed\n",
    );
    std::fs::write(out.join("m/a.md"), &resolved).expect("resolve");
    assert_eq!(changes(&write(out, &[file("m/a.md", &next)], plain)), [("m/a.md", Change::Unchanged)]);
    assert_eq!(std::fs::read_to_string(out.join("m/a.md")).expect("read"), resolved);
}

#[test]
fn deleted_and_orphaned_documents() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    let plain = WriteOptions::default();
    write(out, &[file("m/a.md", "A\n"), file("m/b.md", "B\n"), file("m/c.md", "C\n")], plain);
    std::fs::remove_file(out.join("m/a.md")).expect("delete");
    std::fs::write(out.join("m/c.md"), "C\nedited\n").expect("edit");
    // a.md stays deleted; b.md and c.md left the plan: b removed, c (edited) kept
    let report = write(out, &[file("m/a.md", "A\n")], plain);
    let mut found = changes(&report);
    found.sort();
    assert_eq!(found, [("m/a.md", Change::UserDeleted), ("m/b.md", Change::Removed), ("m/c.md", Change::Orphaned)]);
    assert!(!out.join("m/a.md").exists() && !out.join("m/b.md").exists());
    assert!(out.join("m/c.md").exists());
    // still reported next time
    assert!(changes(&write(out, &[file("m/a.md", "A\n")], plain)).contains(&("m/c.md", Change::Orphaned)));
    let restore = WriteOptions { restore: true, ..plain };
    assert!(changes(&write(out, &[file("m/a.md", "A\n")], restore)).contains(&("m/a.md", Change::Restored)));
}

#[test]
fn force_backs_up_edits_first() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &[file("m/a.md", "A\n")], WriteOptions::default());
    std::fs::write(out.join("m/a.md"), "A\nmine\n").expect("edit");
    let report = write(out, &[file("m/a.md", "A2\n")], WriteOptions { force: true, ..WriteOptions::default() });
    assert_eq!(changes(&report), [("m/a.md", Change::Overwritten)]);
    let backup = report.backup.expect("backup folder");
    assert_eq!(std::fs::read_to_string(backup.join("m/a.md")).expect("backup"), "A\nmine\n");
}

/// Applies decisions made earlier (the tests change the disk in between), stopping
/// dead after `dies_after` file writes if given, as a killed build would.
fn apply(dir: &Path, decided: Pending<'_>, dies_after: Option<usize>) -> WriteReport {
    let mut decided = decided;
    decided.decide_orphans().expect("orphans");
    let Pending { mut report, previous, interrupted, bases, options, finish, mut staging, .. } = decided;
    let context = Apply { out: dir, previous: &previous, bases: &bases, options, finish, interrupted, dies_after };
    let manifest = Manifest::new("config", PackInfo::default());
    context.apply(&mut report, manifest, &mut staging, &NoProgress).expect("apply");
    report
}

fn decided<'a>(dir: &'a Path, files: &[RenderedFile]) -> Pending<'a> {
    let mut pending = Pending::begin(dir, WriteOptions::default(), &NoFinish).expect("begin");
    pending.decide(files.to_vec(), &NoProgress).expect("decide");
    pending
}

/// Runs a write that dies after `writes` file writes, as a killed build would.
fn write_dying(dir: &Path, files: &[RenderedFile], writes: usize) {
    apply(dir, decided(dir, files), Some(writes));
}

fn generation(round: usize) -> Vec<RenderedFile> {
    (0..4)
        .map(|i| file(&format!("m/{i}.md"), &format!("# Doc {i}\n\nintro\n\n## A\n\nround {round}\n\n## B\n\nend\n")))
        .collect()
}

#[test]
fn a_build_killed_after_any_write_is_repaired_by_the_next() {
    // v1 built, doc 0 edited, v2 killed after k writes (k = 0 … all, and before the
    // manifest), then v3: every unedited document is v3, the edit is merged, nothing
    // is kept back or left in conflict.
    for dies_after in 0..=5 {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        write(out, &generation(1), WriteOptions::default());
        let edited = std::fs::read_to_string(out.join("m/0.md")).expect("read").replace("end\n", "end, and ours\n");
        std::fs::write(out.join("m/0.md"), &edited).expect("edit");
        write_dying(out, &generation(2), dies_after);
        let report = write(out, &generation(3), WriteOptions::default());
        assert!(report.needs_attention().next().is_none(), "after dying at {dies_after}: {:?}", changes(&report));
        for (i, expected) in generation(3).iter().enumerate() {
            let text = std::fs::read_to_string(out.join(&expected.path)).expect("read");
            if i == 0 {
                assert!(text.contains("round 3") && text.contains("end, and ours"), "{dies_after}: {text}");
            } else {
                assert_eq!(text, expected.text, "after dying at {dies_after}");
            }
        }
        assert!(!out.join(STATE_DIR).join("journal.json").exists());
        // Only the bases the manifest refers to are left in the store.
        let stored = walkdir::WalkDir::new(out.join(STATE_DIR).join("bases"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        assert_eq!(stored, 4, "after dying at {dies_after}");
    }
}

#[test]
fn a_file_saved_during_the_build_is_merged_not_overwritten() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &[file("m/a.md", BASE)], WriteOptions::default());
    let next = [file("m/a.md", &BASE.replace("two\n", "two, regenerated\n"))];
    let decisions = decided(out, &next);
    assert_eq!(changes(&decisions.report), [("m/a.md", Change::Updated)]);
    // saved by someone between the decision and the write
    std::fs::write(out.join("m/a.md"), BASE.replace("one\n", "one, saved meanwhile\n")).expect("save");
    let report = apply(out, decisions, None);
    assert_eq!(changes(&report), [("m/a.md", Change::Merged)]);
    let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert!(text.contains("saved meanwhile") && text.contains("regenerated"), "{text}");
}

#[test]
fn crlf_is_not_an_edit_and_is_kept() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &[file("m/a.md", BASE)], WriteOptions::default());
    std::fs::write(out.join("m/a.md"), BASE.replace('\n', "\r\n")).expect("crlf");
    let next = BASE.replace("two\n", "two, regenerated\n");
    assert_eq!(changes(&write(out, &[file("m/a.md", &next)], WriteOptions::default())), [("m/a.md", Change::Updated)]);
    assert_eq!(std::fs::read_to_string(out.join("m/a.md")).expect("read"), next.replace('\n', "\r\n"));
    // an edit in a CRLF file merges like any other
    let edited = next.replace("one\n", "one, ours\n").replace('\n', "\r\n");
    std::fs::write(out.join("m/a.md"), &edited).expect("edit");
    let again = next.replace("two, regenerated\n", "two, again\n");
    assert_eq!(changes(&write(out, &[file("m/a.md", &again)], WriteOptions::default())), [("m/a.md", Change::Merged)]);
    let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert_eq!(text, again.replace("one\n", "one, ours\n").replace('\n', "\r\n"));
    assert_eq!(
        changes(&write(out, &[file("m/a.md", &again)], WriteOptions::default())),
        [("m/a.md", Change::Unchanged)]
    );
}

#[test]
fn forced_builds_never_share_a_backup_folder() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    let force = WriteOptions { force: true, ..WriteOptions::default() };
    write(out, &[file("m/a.md", "A\n")], WriteOptions::default());
    let mut folders = Vec::new();
    for edit in ["first edit", "second edit"] {
        std::fs::write(out.join("m/a.md"), format!("A\n{edit}\n")).expect("edit");
        folders.push(write(out, &[file("m/a.md", "A\n")], force).backup.expect("backup"));
    }
    assert_ne!(folders[0], folders[1]);
    for (folder, edit) in folders.iter().zip(["first edit", "second edit"]) {
        assert!(std::fs::read_to_string(folder.join("m/a.md")).expect("backup").contains(edit));
    }
}

#[test]
fn a_missing_base_shows_both_sides_instead_of_keeping_the_file_back() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &[file("m/a.md", BASE)], WriteOptions::default());
    std::fs::write(out.join("m/a.md"), BASE.replace("one\n", "one, ours\n")).expect("edit");
    std::fs::remove_dir_all(out.join(STATE_DIR).join("bases")).expect("damage the state");
    let report = write(out, &[file("m/a.md", &BASE.replace("two\n", "two, new\n"))], WriteOptions::default());
    assert_eq!(changes(&report), [("m/a.md", Change::Conflict)]);
    let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert!(text.contains("one, ours") && text.contains("two, new"), "{text}");
}

#[test]
fn dry_run_and_unknown_files_write_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    std::fs::create_dir_all(out.join("m")).expect("dir");
    std::fs::write(out.join("m/a.md"), "someone else's file\n").expect("write");
    let report = write(
        out,
        &[file("m/a.md", "A\n"), file("m/b.md", "B\n")],
        WriteOptions { dry_run: true, ..WriteOptions::default() },
    );
    assert_eq!(changes(&report), [("m/a.md", Change::KeptUnknown), ("m/b.md", Change::New)]);
    assert!(!out.join("m/b.md").exists() && !out.join(STATE_DIR).exists());
}

fn stored_bases(out: &Path) -> usize {
    walkdir::WalkDir::new(out.join(STATE_DIR).join("bases"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

#[test]
fn a_build_that_fails_part_way_takes_back_what_it_staged() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &generation(1), WriteOptions::default());
    std::fs::write(out.join("m/9.md"), b"caf\xe9\n").expect("a Latin-1 file");
    let mut pending = Pending::begin(out, WriteOptions::default(), &NoFinish).expect("begin");
    pending.decide(generation(2), &NoProgress).expect("the first batch");
    assert!(out.join(STATE_DIR).join("staging").is_dir(), "the first batch is staged");
    assert_eq!(stored_bases(out), 8, "and its bases stored");
    let error = pending.decide(vec![file("m/9.md", "nine\n")], &NoProgress).expect_err("not UTF-8");
    assert!(error.to_string().contains("9.md"), "{error}");
    drop(pending);
    assert!(!out.join(STATE_DIR).join("staging").exists());
    assert_eq!(stored_bases(out), 4, "only the bases of the last build");
    for expected in generation(1) {
        assert_eq!(std::fs::read_to_string(out.join(&expected.path)).expect("read"), expected.text);
    }
    assert_eq!(write(out, &generation(1), WriteOptions::default()).written(), 0, "nothing to repair");
}

#[test]
fn a_build_killed_while_staging_is_cleared_up_by_the_next() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &generation(1), WriteOptions::default());
    let mut pending = Pending::begin(out, WriteOptions::default(), &NoFinish).expect("begin");
    pending.decide(generation(2), &NoProgress).expect("staged");
    std::mem::forget(pending); // killed: nothing is taken back
    assert!(unfinished(out));
    let report = write(out, &generation(3), WriteOptions::default());
    assert_eq!(report.count(Change::Updated), 4, "{:?}", changes(&report));
    assert!(!unfinished(out));
    assert_eq!(stored_bases(out), 4, "the bases the killed build stored are swept");
}

#[test]
fn a_same_size_save_by_rename_during_the_build_is_noticed() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path();
    write(out, &[file("m/a.md", BASE)], WriteOptions::default());
    let decisions = decided(out, &[file("m/a.md", &BASE.replace("two\n", "TWO\n"))]);
    // an editor that saves to a new file and renames it over the old one, same size
    std::fs::write(out.join("m/a.md.new"), BASE.replace("one\n", "ONE\n")).expect("save");
    std::fs::rename(out.join("m/a.md.new"), out.join("m/a.md")).expect("rename");
    let report = apply(out, decisions, None);
    assert_eq!(changes(&report), [("m/a.md", Change::Merged)]);
    let text = std::fs::read_to_string(out.join("m/a.md")).expect("read");
    assert!(text.contains("ONE") && text.contains("TWO"), "{text}");
}
