//! `mamori guard` as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn check_password_refuses_with_japanese_reason_and_exit_1() {
    let (code, out, _) = run(&["guard", "check-password"], "password\n");
    assert_eq!(code, 1);
    assert!(
        out.contains("使用できません") && out.contains("15文字以上"),
        "{out}"
    );
}

#[test]
fn check_password_second_factor_lowers_minimum_to_8() {
    let (code, out, _) = run(
        &[
            "guard",
            "check-password",
            "--with-second-factor",
            "--lang",
            "en",
        ],
        "kx9!vq2#mw\n",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "acceptable");
    let (code, out, _) = run(&["guard", "check-password", "--lang", "en"], "kx9!vq2#mw\n");
    assert_eq!(code, 1);
    assert!(out.contains("at least 15"), "{out}");
}

#[test]
fn check_password_refuses_common_japanese_and_user_words() {
    let (code, out, _) = run(
        &["guard", "check-password", "--with-second-factor"],
        "P@ssw0rd\n",
    );
    assert_eq!(code, 1);
    assert!(out.contains("よく使われるパスワード"), "{out}");
    let (code, out, _) = run(
        &["guard", "check-password", "--with-second-factor"],
        "aishiteru2024\n",
    );
    assert_eq!(code, 1);
    assert!(out.contains("日本語"), "{out}");
    let (code, out, _) = run(
        &[
            "guard",
            "check-password",
            "--user",
            "yamada.taro",
            "--lang",
            "en",
        ],
        "yamada loves long walks\n",
    );
    assert_eq!(code, 1);
    assert!(out.contains("\"yamada"), "{out}");
}

#[test]
fn check_password_accepts_a_long_passphrase() {
    let (code, out, _) = run(
        &["guard", "check-password"],
        "violet lantern gravel orbit\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("使用できます"));
}

#[test]
fn check_password_uses_breach_range_files() {
    let dir = tempfile::tempdir().unwrap();
    // SHA-1("violet lantern gravel orbit"), computed with the library's helper.
    let sha = mamori_guard::sha1_hex("violet lantern gravel orbit");
    std::fs::write(dir.path().join(&sha[..5]), format!("{}:7\n", &sha[5..])).unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run(
        &[
            "guard",
            "check-password",
            "--breached-dir",
            d,
            "--lang",
            "en",
        ],
        "violet lantern gravel orbit\n",
    );
    assert_eq!(code, 1);
    assert!(out.contains("appeared 7 times"), "{out}");
}

#[test]
fn hash_prints_an_argon2id_phc_string_with_default_params() {
    let (code, out, _) = run(&["guard", "hash"], "violet lantern gravel orbit\n");
    assert_eq!(code, 0);
    let phc = out.trim();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    let h = mamori_guard::PasswordHasher::new(mamori_guard::HashParams::default(), None).unwrap();
    let v = h
        .verify("violet lantern gravel orbit", phc, &mamori_guard::OsRandom)
        .unwrap();
    assert_eq!(v, mamori_guard::Verified::Yes);
}

#[test]
fn hash_of_empty_input_is_an_error_with_exit_2() {
    let (code, _, err) = run(&["guard", "hash"], "");
    assert_eq!(code, 2);
    assert!(err.contains("error:"), "{err}");
}

#[test]
fn advise_prints_the_sector_guide() {
    let (code, out, _) = run(&["guard", "advise", "--sector", "ec"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("EC") && out.contains("必須") && out.contains("リスト型攻撃"),
        "{out}"
    );
    let (code, out, _) = run(
        &["guard", "advise", "--sector", "banking", "--lang", "en"],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("AAL3") && out.contains("passkeys"), "{out}");
    let (code, _, err) = run(&["guard", "advise", "--sector", "bakery"], "");
    assert_eq!(code, 2);
    assert!(err.contains("unknown sector"), "{err}");
}
