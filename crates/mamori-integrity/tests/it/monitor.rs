//! The use cases end to end, in the library: rules per path, another host, growing logs.

use crate::{ctx, write};
use mamori_integrity::{Attr, Baseline, ChangeKind, Config, Rule, monitor};

#[test]
fn an_appended_log_is_fine_but_rewritten_history_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("srv");
    write(&root.join("log/app.log"), "09:00 login ok\n");
    write(&root.join("www/index.html"), "<p>hi</p>");
    let mut cfg = Config::builtin();
    cfg.rules.insert(
        0,
        Rule {
            name: "app-logs".into(),
            description: None,
            paths: vec![format!("{}/log/**", root.display())],
            attributes: vec![Attr::Type, Attr::Size, Attr::Mode, Attr::Hash],
            may_grow: true,
        },
    );
    let (base, _) = monitor::init(std::slice::from_ref(&root), cfg, &ctx("web1")).unwrap();

    let log = root.join("log/app.log");
    std::fs::write(&log, "09:00 login ok\n09:05 login ok\n").unwrap();
    let (r, _) = monitor::check(&base, &ctx("web1")).unwrap();
    assert!(
        !r.changes.iter().any(|c| c.path.as_path() == log),
        "{:#?}",
        r.changes
    );

    std::fs::write(&log, "09:00 login OK\n09:05 login ok\n").unwrap();
    let (r, _) = monitor::check(&base, &ctx("web1")).unwrap();
    let c = r.changes.iter().find(|c| c.path.as_path() == log).unwrap();
    assert_eq!(c.rule, "app-logs");
    assert_eq!(c.attributes, [Attr::Hash]);
    assert!(c.flags.contains(&mamori_integrity::Flag::HistoryRewritten));
}

#[test]
fn a_baseline_from_another_host_is_named_and_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    write(&root.join("a.html"), "a");
    let (base, _) =
        monitor::init(std::slice::from_ref(&root), Config::builtin(), &ctx("web1")).unwrap();
    write(&root.join("a.html"), "b");
    let (r, _) = monitor::check(&base, &ctx("web2")).unwrap();
    assert_eq!(r.warnings[0].code, "other_host");
    assert!(r.warnings[0].ja.contains("web1"));
    assert_eq!(
        r.changes
            .iter()
            .filter(|c| c.change == ChangeKind::Changed)
            .count(),
        1
    );
}

#[test]
fn update_takes_everything_in_and_records_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    write(&root.join("a.html"), "a");
    let (base, _) =
        monitor::init(std::slice::from_ref(&root), Config::builtin(), &ctx("web1")).unwrap();
    write(&root.join("b.html"), "b");
    let (r, scan) = monitor::check(&base, &ctx("web1")).unwrap();
    assert!(r.has_findings());
    let (next, taken) = monitor::accept(&base, &r, scan, None, "release", &ctx("web1"));
    assert!(taken.iter().any(|p| p.as_path().ends_with("b.html")));
    let last = next.history.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.reason.as_deref()),
        ("update", Some("release"))
    );
    let (again, _) = monitor::check(&next, &ctx("web1")).unwrap();
    assert!(!again.has_findings(), "{:#?}", again.changes);
    // and it survives signing
    let key = mamori_integrity::seal::generate_key().unwrap();
    let v = Baseline::from_signed_bytes(&next.to_signed_bytes(&key), "b".as_ref(), None).unwrap();
    assert_eq!(v.baseline, next);
}

#[test]
fn a_changed_extended_attribute_is_named_when_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    write(&root.join("a.html"), "a");
    let file = root.join("a.html");
    if xattr::set(&file, "user.mamori-test", b"1").is_err() {
        // Some file systems (tmpfs without user_xattr) refuse user xattrs: then say so loudly.
        panic!(
            "user xattrs unsupported under {}; run tests on ext4/xfs/btrfs",
            dir.path().display()
        );
    }
    let mut cfg = Config::builtin();
    cfg.xattrs = true;
    let (base, _) = monitor::init(std::slice::from_ref(&root), cfg, &ctx("web1")).unwrap();
    xattr::set(&file, "user.mamori-test", b"2").unwrap();
    let (r, _) = monitor::check(&base, &ctx("web1")).unwrap();
    let c = r.changes.iter().find(|c| c.path.as_path() == file).unwrap();
    assert!(c.attributes.contains(&Attr::Xattrs), "{c:#?}");
    assert_eq!(
        c.details
            .iter()
            .find(|d| d.attribute == Attr::Xattrs)
            .unwrap()
            .new
            .as_deref(),
        Some("user.mamori-test=32")
    );
}
