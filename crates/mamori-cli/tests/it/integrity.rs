//! `mamori integrity`: a new user protects a web root with `init` and `check`.

use crate::support::{Env, is_root, write};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

fn site(env: &Env) -> std::path::PathBuf {
    let www = env.path("www");
    write(
        &www.join("index.html"),
        "<html><body><h1>ようこそ</h1></body></html>\n",
    );
    write(&www.join("css/site.css"), "body { color: #333 }\n");
    write(
        &www.join("contact.php"),
        "<?php echo htmlspecialchars($_GET['q'] ?? ''); ?>\n",
    );
    std::fs::set_permissions(
        www.join("css/site.css"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    www
}

fn change<'a>(report: &'a Value, suffix: &str) -> &'a Value {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no change for {suffix} in {report:#}"))
}

fn attrs(c: &Value) -> Vec<&str> {
    c["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

#[test]
fn new_user_protects_a_web_root_and_sees_the_tampering_named() {
    let env = Env::new();
    let www = site(&env);
    let init = env.run("integrity", [std::ffi::OsStr::new("init"), www.as_os_str()]);
    assert_eq!(init.code, 0, "{init:?}");
    assert!(init.stdout.contains("公開鍵"), "{}", init.stdout);
    assert!(init.stdout.contains("ed25519:"), "{}", init.stdout);
    let key = env.data().join("keys/integrity.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let clean = env.run("integrity", ["check"]);
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean.stdout.contains("変更はありません"),
        "{}",
        clean.stdout
    );

    // The attacker injects a hidden iframe, plants a web shell and loosens permissions.
    let mut page = std::fs::read_to_string(www.join("index.html")).unwrap();
    page.push_str("<iframe src=\"http://203.0.113.9/x\" width=\"0\" height=\"0\"></iframe>\n");
    std::fs::write(www.join("index.html"), page).unwrap();
    write(
        &www.join("uploads/img.php"),
        "<?php @eval(base64_decode($_POST['z'])); ?>",
    );
    std::fs::set_permissions(
        www.join("css/site.css"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    std::fs::remove_file(www.join("contact.php")).unwrap();

    let human = env.run("integrity", ["check", "--lang", "en"]);
    assert_eq!(human.code, 1, "{human:?}");
    let out = &human.stdout;
    assert!(
        out.contains(&format!("[changed] {}", www.join("index.html").display())),
        "{out}"
    );
    assert!(out.contains("content (hash)"), "{out}");
    assert!(out.contains("hidden iframe"), "{out}");
    assert!(
        out.contains(&format!(
            "[added] {}",
            www.join("uploads/img.php").display()
        )),
        "{out}"
    );
    assert!(
        out.contains("this looks like defacement or a planted script"),
        "{out}"
    );
    assert!(out.contains("permissions: 0644 → 0666"), "{out}");
    assert!(
        out.contains(&format!("[removed] {}", www.join("contact.php").display())),
        "{out}"
    );

    let ja = env.run("integrity", ["check", "--lang", "ja"]);
    assert!(ja.stdout.contains("改ざん"), "{}", ja.stdout);

    let json = env.run("integrity", ["check", "--format", "json"]);
    assert_eq!(json.code, 1);
    let report = json.json();
    let index = change(&report, "/index.html");
    assert_eq!(index["change"], "changed");
    assert!(
        attrs(index).contains(&"hash") && attrs(index).contains(&"size"),
        "{index:#}"
    );
    assert_eq!(index["web_findings"][0]["marker"], "hidden-iframe");
    let css = change(&report, "/site.css");
    assert_eq!(attrs(css), ["mode"]);
    assert_eq!(css["details"][0]["old"], "0644");
    assert_eq!(css["details"][0]["new"], "0666");
    assert_eq!(css["flags"][0], "world_writable");
    let shell = change(&report, "/img.php");
    assert_eq!(shell["change"], "added");
    assert_eq!(shell["web_findings"][0]["severity"], "critical");
    assert_eq!(change(&report, "/contact.php")["change"], "removed");
    assert_eq!(report["summary"]["removed"], 1);
}

#[test]
fn sha256_can_be_chosen() {
    let env = Env::new();
    let www = site(&env);
    let init = env.run(
        "integrity",
        [
            "init".as_ref(),
            "--hash".as_ref(),
            "sha256".as_ref(),
            www.as_os_str(),
        ],
    );
    assert_eq!(init.code, 0, "{init:?}");
    assert!(init.stdout.contains("sha256"));
    std::fs::write(www.join("css/site.css"), "body { color: red }\n").unwrap();
    let report = env.run("integrity", ["check", "--format", "json"]).json();
    assert_eq!(report["baseline"]["hash"], "sha256");
    let css = change(&report, "/site.css");
    assert_eq!(
        css["details"].as_array().unwrap().last().unwrap()["new"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
}

#[test]
fn a_tampered_baseline_is_refused_with_its_own_exit_status() {
    let env = Env::new();
    let www = site(&env);
    assert_eq!(
        env.run("integrity", ["init".as_ref(), www.as_os_str()])
            .code,
        0
    );
    let baseline = env.data().join("integrity/baseline.json");
    let text = std::fs::read_to_string(&baseline).unwrap();
    // The attacker edits the recorded permissions of site.css to hide a change.
    let forged = text.replacen("\"mode\":420", "\"mode\":438", 1);
    assert_ne!(forged, text);
    std::fs::write(&baseline, forged).unwrap();

    // Status 3, not 1 (= changes found): a script can tell a forged baseline apart.
    let run = env.run("integrity", ["check", "--lang", "en"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stdout
            .contains("baseline itself may have been tampered with"),
        "{}",
        run.stdout
    );
    let json = env.run("integrity", ["check", "--format", "json"]);
    assert_eq!(json.code, 3);
    let report = json.json();
    assert_eq!(report["baseline_status"], "tampered");
    assert!(report["baseline"].is_null());
    assert!(
        report["baseline_error"]
            .as_str()
            .unwrap()
            .contains("baseline.json")
    );
    let help = env.run("integrity", ["check", "--help"]);
    assert!(help.stdout.contains("  3  "), "{}", help.stdout);
    assert!(help.stdout.contains("tampered"));
}

#[test]
fn a_baseline_re_signed_with_another_key_is_refused_against_the_kept_public_key() {
    let env = Env::new();
    let www = site(&env);
    let init = env.run("integrity", ["init".as_ref(), www.as_os_str()]);
    let kept = init
        .stdout
        .split_whitespace()
        .find(|w| w.starts_with("ed25519:"))
        .unwrap()
        .to_owned();
    // Someone with write access rebuilds the baseline with a fresh key after planting a file.
    write(&www.join("planted.php"), "<?php system($_GET['c']); ?>");
    let rogue = env.path("rogue.key");
    let redo = env.run(
        "integrity",
        [
            "init".as_ref(),
            "--force".as_ref(),
            "--key".as_ref(),
            rogue.as_os_str(),
            www.as_os_str(),
        ],
    );
    assert_eq!(redo.code, 0, "{redo:?}");
    let run = env.run(
        "integrity",
        ["check", "--lang", "en", "--public-key", &kept],
    );
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.contains("trusted key"), "{}", run.stdout);
}

#[test]
fn accepted_changes_are_recorded_with_who_and_why() {
    let env = Env::new();
    let www = site(&env);
    assert_eq!(
        env.run("integrity", ["init".as_ref(), www.as_os_str()])
            .code,
        0
    );
    std::fs::write(www.join("css/site.css"), "body { color: navy }\n").unwrap();
    write(&www.join("new.html"), "<p>new</p>");
    let no_reason = env.run(
        "integrity",
        ["accept".as_ref(), www.join("css").as_os_str()],
    );
    assert_eq!(no_reason.code, 2, "--reason is required");

    let accept = env.run(
        "integrity",
        [
            "accept".as_ref(),
            "--reason".as_ref(),
            "デザイン変更 v2".as_ref(),
            "--who".as_ref(),
            "tanaka".as_ref(),
            www.join("css").as_os_str(),
        ],
    );
    assert_eq!(accept.code, 0, "{accept:?}");
    let after = env.run("integrity", ["check", "--format", "json"]).json();
    let paths: Vec<&str> = after["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(!paths.iter().any(|p| p.ends_with("site.css")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("new.html")),
        "not accepted yet: {paths:?}"
    );
    let baseline = std::fs::read_to_string(env.data().join("integrity/baseline.json")).unwrap();
    assert!(baseline.contains("デザイン変更 v2") && baseline.contains("tanaka"));

    let update = env.run("integrity", ["update", "--reason", "release 2026-11"]);
    assert_eq!(update.code, 0, "{update:?}");
    assert_eq!(env.run("integrity", ["check"]).code, 0);
}

#[test]
fn a_non_utf8_name_is_stored_exactly_and_shown_readably() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let www = site(&env);
    let odd = www.join(std::ffi::OsStr::from_bytes(b"caf\xe9.php"));
    write(&odd, "<?php echo 1; ?>");
    assert_eq!(
        env.run("integrity", ["init".as_ref(), www.as_os_str()])
            .code,
        0
    );
    assert_eq!(
        env.run("integrity", ["check"]).code,
        0,
        "raw name survives the round trip"
    );
    std::fs::write(&odd, "<?php echo 2; ?>").unwrap();
    let human = env.run("integrity", ["check", "--lang", "en"]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("caf\u{fffd}.php"), "{}", human.stdout);
    let report = env.run("integrity", ["check", "--format", "json"]).json();
    let hexed = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"].get("hex").is_some())
        .unwrap();
    let bytes = hexed["path"]["hex"].as_str().unwrap();
    assert!(bytes.ends_with(&hex_of(b"caf\xe9.php")), "{bytes}");
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn permission_denied_is_named_and_the_rest_still_checked() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let www = site(&env);
    let secret = www.join("secret");
    write(&secret.join("key.pem"), "-----BEGIN-----");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o700)).unwrap();
    // Root reads everything: run the binary as `nobody`, who cannot enter `secret`.
    let as_user = |args: &[&std::ffi::OsStr]| {
        let mut c = env.cmd("integrity", args);
        if is_root() {
            c.uid(65534).gid(65534);
        }
        crate::support::Run::from(c.output().unwrap())
    };
    if is_root() {
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir_all(env.data()).unwrap();
        std::process::Command::new("chown")
            .arg("-R")
            .arg("65534:65534")
            .arg(env.data())
            .status()
            .unwrap();
        std::os::unix::fs::chown(&secret, Some(0), Some(0)).unwrap();
    }
    let init = as_user(&[
        "init".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
        www.as_os_str(),
    ]);
    assert_eq!(init.code, 0, "{init:?}");
    assert!(init.stderr.contains("permission denied"), "{}", init.stderr);
    assert!(
        init.stderr.contains(&secret.display().to_string()),
        "{}",
        init.stderr
    );
    std::fs::write(www.join("index.html"), "defaced").unwrap();
    let check = as_user(&["check".as_ref(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(check.code, 1, "{check:?}");
    let report = check.json();
    assert_eq!(report["issues"][0]["kind"], "permission_denied");
    assert!(attrs(change(&report, "/index.html")).contains(&"hash"));
}

#[test]
fn a_missing_baseline_is_an_error_with_a_hint() {
    let env = Env::new();
    let run = env.run("integrity", ["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("mamori integrity init"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_user_configuration_excludes_a_cache_and_lets_logs_grow() {
    let env = Env::new();
    let www = site(&env);
    write(&www.join("cache/page1.html"), "cached");
    write(&www.join("logs/app.log"), "09:00 start\n");
    // Start from the printed built-in configuration, as the docs tell a user to.
    let builtin = env.run("integrity", ["default-config"]);
    assert_eq!(builtin.code, 0);
    assert!(builtin.stdout.contains("[[rule]]"), "{}", builtin.stdout);
    let mut config = builtin.stdout.replace(
        "exclude = [\n",
        &format!("exclude = [\n  \"{}/cache\",\n", www.display()),
    );
    config.push_str(&format!(
        "\n[[rule]]\nname = \"site-logs\"\npaths = [\"{}/logs/**\"]\nattributes = [\"type\", \"size\", \"mode\", \"hash\"]\nmay_grow = true\n",
        www.display()
    ));
    let cfg = env.path("integrity.toml");
    std::fs::write(&cfg, config).unwrap();
    let init = env.run(
        "integrity",
        [
            "init".as_ref(),
            "--config".as_ref(),
            cfg.as_os_str(),
            www.as_os_str(),
        ],
    );
    assert_eq!(init.code, 0, "{init:?}");

    write(&www.join("cache/page2.html"), "cached");
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .open(www.join("logs/app.log"))
        .unwrap();
    std::io::Write::write_all(&mut log, b"09:01 request\n").unwrap();
    let report = env.run("integrity", ["check", "--format", "json"]).json();
    let paths: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] != "dir")
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.is_empty(),
        "cache excluded and log growth allowed: {paths:?}"
    );

    std::fs::write(www.join("logs/app.log"), "09:00 nothing happened\n").unwrap();
    let run = env.run("integrity", ["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("earlier content was rewritten"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("mamori integrity accept --reason"),
        "{}",
        run.stdout
    );
}

#[test]
fn without_data_dir_the_baseline_goes_to_xdg_data_home() {
    let env = Env::new();
    let www = site(&env);
    let xdg = env.path("xdg");
    let run = |args: &[&std::ffi::OsStr]| {
        crate::support::Run::from(
            std::process::Command::new(env!("CARGO_BIN_EXE_mamori"))
                .arg("integrity")
                .args(args)
                .env("XDG_DATA_HOME", &xdg)
                .env("HOME", env.dir.path())
                .env_remove("MAMORI_DATA_DIR")
                .output()
                .unwrap(),
        )
    };
    assert_eq!(run(&["init".as_ref(), www.as_os_str()]).code, 0);
    assert!(xdg.join("mamori/integrity/baseline.json").is_file());
    assert!(xdg.join("mamori/keys/integrity.key").is_file());
    let help = run(&["check".as_ref(), "--help".as_ref()]);
    assert!(help.stdout.contains("exit status"), "{}", help.stdout);
    assert_eq!(run(&["check".as_ref()]).code, 0);
}

#[test]
fn a_data_directory_inside_the_protected_tree_does_not_report_itself() {
    let env = Env::new();
    let www = site(&env);
    let data = www.join(".mamori");
    let run = |args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_mamori"));
        c.arg("integrity").arg("--data-dir").arg(&data).args(args);
        crate::support::Run::from(c.output().unwrap())
    };
    let init = run(&["init", www.to_str().unwrap()]);
    assert_eq!(init.code, 0, "{init:?}");
    assert_eq!(run(&["update", "--reason", "first deploy"]).code, 0);
    let check = run(&["check", "--format", "json"]);
    let report = check.json();
    let files: Vec<&Value> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "file")
        .collect();
    assert!(files.is_empty(), "{files:#?}");
}
