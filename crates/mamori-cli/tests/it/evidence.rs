//! `mamori evidence`: a bundle survives `verify`, and a flipped byte in it is caught.

use crate::support::{Env, write};

fn flip_byte_of(file: &std::path::Path, needle: &[u8]) {
    let mut bytes = std::fs::read(file).unwrap();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at + 3] ^= 0x01;
    std::fs::write(file, bytes).unwrap();
}

fn collect(env: &Env, out: &std::path::Path) {
    let log = env.path("logs/access.log");
    write(
        &log,
        "203.0.113.9 - - [25/Nov/2026:09:00:00 +0900] \"POST /wp-login.php\" 200 12\n",
    );
    write(
        &env.path("logs/scan.json"),
        r#"{"findings": [{"rule": "bruteforce"}]}"#,
    );
    let run = env.run(
        "evidence",
        [
            "collect".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
            "--reason".as_ref(),
            "不正ログインの疑い".as_ref(),
            "--collector".as_ref(),
            "suzuki".as_ref(),
            env.path("logs").as_os_str(),
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("2 件を封印しました"), "{}", run.stdout);
}

#[test]
fn a_directory_bundle_verifies_and_a_flipped_byte_is_named() {
    let env = Env::new();
    let out = env.path("case-001");
    collect(&env, &out);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["collector"], format!("suzuki (uid {})", uid()));
    assert_eq!(manifest["reason"], "不正ログインの疑い");
    assert_eq!(manifest["items"][1]["kind"], "scan_report");
    assert_eq!(manifest["items"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(!manifest["host"]["kernel"].as_str().unwrap().is_empty());

    let ok = env.run("evidence", ["verify".as_ref(), out.as_os_str()]);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stdout.contains("何も変わっていません"), "{}", ok.stdout);
    assert!(
        ok.stdout.contains("1 件が署名付き"),
        "collect record signed: {}",
        ok.stdout
    );

    flip_byte_of(&out.join("items/0001-access.log"), b"wp-login");
    let bad = env.run(
        "evidence",
        [
            "verify".as_ref(),
            "--lang".as_ref(),
            "en".as_ref(),
            out.as_os_str(),
        ],
    );
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(
        bad.stdout
            .contains("items/0001-access.log: content changed"),
        "{}",
        bad.stdout
    );
    assert!(bad.stdout.contains("access.log"), "{}", bad.stdout);

    // verify appended to the custody log each time
    let custody = std::fs::read_to_string(out.join("custody.jsonl")).unwrap();
    assert_eq!(custody.lines().count(), 3, "{custody}");
}

fn uid() -> String {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid().to_string()
}

#[test]
fn a_tar_bundle_verifies_and_a_flipped_byte_is_caught() {
    let env = Env::new();
    let out = env.path("case-002.tar");
    collect(&env, &out);
    let ok = env.run("evidence", ["verify".as_ref(), out.as_os_str()]);
    assert_eq!(ok.code, 0, "{ok:?}");
    let again = env.run(
        "evidence",
        [
            "verify".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            out.as_os_str(),
        ],
    );
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.json()["custody"].as_array().unwrap().len(), 2);

    flip_byte_of(&out, b"wp-login");
    let bad = env.run(
        "evidence",
        [
            "verify".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            out.as_os_str(),
        ],
    );
    assert_eq!(bad.code, 1, "{bad:?}");
    let report = bad.json();
    assert_eq!(report["problems"][0]["kind"], "item_modified");
    assert_eq!(report["problems"][0]["name"], "items/0001-access.log");
}

#[test]
fn an_edited_manifest_fails_its_signature() {
    let env = Env::new();
    let out = env.path("case-003");
    collect(&env, &out);
    let m = out.join("manifest.json");
    let t = std::fs::read_to_string(&m)
        .unwrap()
        .replace("suzuki", "sato");
    std::fs::write(&m, t).unwrap();
    let bad = env.run(
        "evidence",
        [
            "verify".as_ref(),
            "--lang".as_ref(),
            "en".as_ref(),
            out.as_os_str(),
        ],
    );
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(
        bad.stdout.contains("manifest signature does not verify"),
        "{}",
        bad.stdout
    );
}

/// A file slipped into a bundle under a name with a terminal escape and a
/// right-to-left override: the name is shown escaped, never raw.
#[test]
fn an_added_member_with_control_characters_in_its_name_is_shown_escaped() {
    let env = Env::new();
    let out = env.path("case-003");
    collect(&env, &out);
    write(&out.join("items/0003-x\x1b[2J\u{202e}txt.exe"), "planted");
    let bad = env.run(
        "evidence",
        [
            "verify".as_ref(),
            "--lang".as_ref(),
            "en".as_ref(),
            out.as_os_str(),
        ],
    );
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(
        bad.stdout.contains("0003-x\\x1b[2J\\u{202e}txt.exe"),
        "{}",
        bad.stdout
    );
    assert!(!bad.stdout.contains('\x1b') && !bad.stdout.contains('\u{202e}'));
}
