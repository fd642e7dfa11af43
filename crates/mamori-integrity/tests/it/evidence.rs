//! Evidence bundles through the library API (as a later report issue will use them).

use crate::write;
use mamori_integrity::HostFacts;
use mamori_integrity::evidence::{self, CollectRequest, ProblemKind};
use mamori_integrity::seal::SigningKey;
use std::path::Path;

fn collect(dir: &Path, out: &Path, key: &SigningKey) {
    write(
        &dir.join("in/auth.log"),
        "Nov 25 09:00:01 web1 sshd[1]: Failed password for root\n",
    );
    write(
        &dir.join("in/check.json"),
        r#"{"$schema":"https://mamori.invalid/schemas/integrity-check.schema.json","changes":[],"baseline":null}"#,
    );
    let outcome = evidence::collect(&CollectRequest {
        paths: &[dir.join("in")],
        out,
        reason: Some("case 42"),
        collector: "tester",
        now: time::macros::datetime!(2026-11-25 09:00 UTC),
        host: HostFacts::gather(),
        key,
    })
    .unwrap();
    assert_eq!(outcome.manifest.items.len(), 2);
    assert_eq!(
        outcome.manifest.items[1].kind,
        evidence::ItemKind::IntegrityReport
    );
}

fn problems(out: &Path, key: &SigningKey) -> Vec<(ProblemKind, String)> {
    evidence::verify(out, Some(&key.verifying_key()))
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.kind, p.name))
        .collect()
}

#[test]
fn removed_and_added_items_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::from_bytes(&[9; 32]);
    let out = dir.path().join("bundle");
    collect(dir.path(), &out, &key);
    assert!(problems(&out, &key).is_empty());
    std::fs::remove_file(out.join("items/0001-auth.log")).unwrap();
    write(&out.join("items/0003-extra"), "planted");
    assert_eq!(
        problems(&out, &key),
        [
            (ProblemKind::ItemMissing, "items/0001-auth.log".to_owned()),
            (ProblemKind::Unexpected, "items/0003-extra".to_owned()),
        ]
    );
}

#[test]
fn another_signer_and_an_edited_custody_line_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::from_bytes(&[9; 32]);
    let out = dir.path().join("b.tar");
    collect(dir.path(), &out, &key);
    let other = SigningKey::from_bytes(&[10; 32]);
    assert_eq!(problems(&out, &other)[0].0, ProblemKind::SignatureInvalid);

    let d = dir.path().join("d");
    collect(&dir.path().join("x"), &d, &key);
    evidence::append_custody(&d, &event("a", None)).unwrap();
    let log = std::fs::read_to_string(d.join("custody.jsonl")).unwrap();
    std::fs::write(
        d.join("custody.jsonl"),
        log.replacen("case 42", "case 43", 1),
    )
    .unwrap();
    // the edited collect record fails its own signature
    assert_eq!(
        problems(&d, &key),
        [(ProblemKind::CustodyBroken, "custody.jsonl:1".to_owned())]
    );
}

#[test]
fn custody_records_appended_to_a_tar_cannot_be_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::from_bytes(&[9; 32]);
    let out = dir.path().join("b.tar");
    collect(dir.path(), &out, &key);
    evidence::append_custody(&out, &event("a", None)).unwrap();
    evidence::append_custody(&out, &event("b", Some(&key))).unwrap();
    let r = evidence::verify(&out, Some(&key.verifying_key())).unwrap();
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!(r.custody.len(), 3);
    assert_eq!(r.custody[2].actor, "b");
    assert!(r.custody[1].seal.is_none() && r.custody[2].seal.is_some());
}

fn event<'a>(actor: &'a str, key: Option<&'a SigningKey>) -> evidence::custody::Event<'a> {
    evidence::custody::Event {
        at: "2026-11-26T09:00:00Z",
        actor,
        host: "h",
        action: "verify",
        detail: "ok",
        key,
    }
}
