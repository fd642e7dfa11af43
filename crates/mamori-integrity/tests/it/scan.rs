//! Walking and hashing under hostile conditions: loops, vanishing and growing files, special
//! files, hard links.

use crate::write;
use mamori_integrity::walk::{self, IssueKind, ScanOptions};
use mamori_integrity::{Config, EntryKind, HashAlgo, Rules};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

fn opts(rules: &Rules) -> ScanOptions<'_> {
    ScanOptions {
        algo: HashAlgo::Blake3,
        xattrs: false,
        follow_symlinks: false,
        rules,
        prefix_sizes: None,
        progress: None,
    }
}

fn kinds(scan: &walk::Scan) -> Vec<IssueKind> {
    scan.issues.iter().map(|i| i.kind).collect()
}

#[test]
fn a_symlink_loop_is_reported_when_following_and_harmless_when_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("t");
    write(&root.join("a/file"), "x");
    std::os::unix::fs::symlink("..", root.join("a/up")).unwrap();
    std::os::unix::fs::symlink("self", root.join("self")).unwrap();
    let rules = Config::builtin().compile().unwrap();

    let plain = walk::scan(std::slice::from_ref(&root), &opts(&rules));
    assert!(plain.issues.is_empty(), "{:?}", plain.issues);
    let up = plain
        .entries
        .iter()
        .find(|e| e.path.as_path().ends_with("a/up"))
        .unwrap();
    assert_eq!(up.kind, EntryKind::Symlink);
    assert_eq!(up.target.as_ref().unwrap().as_bytes(), b"..");

    let mut follow = opts(&rules);
    follow.follow_symlinks = true;
    let followed = walk::scan(std::slice::from_ref(&root), &follow);
    assert!(
        kinds(&followed).contains(&IssueKind::SymlinkLoop),
        "{:?}",
        followed.issues
    );
    assert!(
        followed
            .entries
            .iter()
            .any(|e| e.path.as_path().ends_with("a/file")),
        "rest still scanned"
    );
}

#[test]
fn a_file_that_vanishes_between_listing_and_reading_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    write(&root.join("stays"), "a");
    write(&root.join("goes"), "b");
    let rules = Config::builtin().compile().unwrap();
    let listed = walk::walk(std::slice::from_ref(&root), &opts(&rules));
    std::fs::remove_file(root.join("goes")).unwrap();
    let scan = walk::hash_entries(listed.entries, &opts(&rules));
    assert_eq!(kinds(&scan), [IssueKind::Vanished]);
    assert!(scan.issues[0].path.as_path().ends_with("goes"));
    assert!(
        scan.entries
            .iter()
            .any(|e| e.path.as_path().ends_with("stays") && e.hash.is_some())
    );
    assert!(
        !scan
            .entries
            .iter()
            .any(|e| e.path.as_path().ends_with("goes"))
    );
}

#[test]
fn a_file_that_grows_while_scanned_is_reported_with_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    write(&root.join("app.log"), "line 1\n");
    let rules = Config::builtin().compile().unwrap();
    let listed = walk::walk(std::slice::from_ref(&root), &opts(&rules));
    write(&root.join("app.log"), "line 1\nline 2\n");
    let scan = walk::hash_entries(listed.entries, &opts(&rules));
    assert_eq!(kinds(&scan), [IssueKind::ChangedDuringScan]);
    let e = scan
        .entries
        .iter()
        .find(|e| e.path.as_path().ends_with("app.log"))
        .unwrap();
    assert_eq!(e.size, 14, "size is what was hashed");
    assert!(e.hash.is_some());
}

#[test]
fn special_files_are_recorded_and_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    let fifo = root.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let _sock = std::os::unix::net::UnixListener::bind(root.join("sock")).unwrap();
    let rules = Config::builtin().compile().unwrap();
    // Opening the fifo for reading would block forever; the scan must finish.
    let scan = walk::scan(std::slice::from_ref(&root), &opts(&rules));
    let kind = |n: &str| {
        scan.entries
            .iter()
            .find(|e| e.path.as_path().ends_with(n))
            .unwrap()
    };
    assert_eq!(kind("pipe").kind, EntryKind::Fifo);
    assert_eq!(kind("pipe").hash, None);
    assert_eq!(kind("sock").kind, EntryKind::Socket);
    assert!(scan.issues.is_empty(), "{:?}", scan.issues);
}

#[test]
fn hard_links_are_hashed_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    write(&root.join("a"), vec![1u8; 100_000]);
    std::fs::hard_link(root.join("a"), root.join("b")).unwrap();
    std::fs::hard_link(root.join("a"), root.join("c")).unwrap();
    let rules = Config::builtin().compile().unwrap();
    let read = AtomicU64::new(0);
    let count = |n: u64| {
        read.fetch_add(n, Ordering::Relaxed);
    };
    let mut o = opts(&rules);
    o.progress = Some(&count);
    let scan = walk::scan(std::slice::from_ref(&root), &o);
    let hashes: Vec<_> = scan.entries.iter().filter_map(|e| e.hash.clone()).collect();
    assert_eq!(hashes.len(), 3);
    assert!(hashes.iter().all(|h| h == &hashes[0]));
    assert_eq!(read.load(Ordering::Relaxed), 100_000);
}

#[test]
fn excluded_subtrees_are_not_walked_and_a_missing_root_is_an_issue() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root.join("cache/tmp1"), "x");
    write(&root.join("index.html"), "x");
    let mut cfg = Config::builtin();
    cfg.exclude.push("**/cache".into());
    let rules = cfg.compile().unwrap();
    let roots: Vec<PathBuf> = vec![root.clone(), dir.path().join("nope")];
    let scan = walk::scan(&roots, &opts(&rules));
    assert!(
        !scan
            .entries
            .iter()
            .any(|e| e.path.as_path().starts_with(root.join("cache")))
    );
    assert!(
        scan.entries
            .iter()
            .any(|e| e.path.as_path().ends_with("index.html"))
    );
    assert_eq!(kinds(&scan), [IssueKind::MissingRoot]);
}

#[test]
fn a_root_that_is_a_symlink_is_followed_to_a_directory_and_recorded_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("real/index.html"), "x");
    write(&dir.path().join("file.conf"), "y");
    std::os::unix::fs::symlink("real", dir.path().join("www")).unwrap();
    std::os::unix::fs::symlink("file.conf", dir.path().join("conf")).unwrap();
    let rules = Config::builtin().compile().unwrap();
    let roots = [dir.path().join("www"), dir.path().join("conf")];
    let scan = walk::scan(&roots, &opts(&rules));
    assert!(scan.issues.is_empty(), "{:?}", scan.issues);
    let find = |p: PathBuf| scan.entries.iter().find(|e| e.path.as_path() == p).unwrap();
    assert_eq!(find(dir.path().join("www")).kind, EntryKind::Dir);
    assert!(find(dir.path().join("www/index.html")).hash.is_some());
    assert_eq!(find(dir.path().join("conf")).kind, EntryKind::Symlink);
}
