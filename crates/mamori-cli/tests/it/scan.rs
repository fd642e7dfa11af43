//! `mamori scan` end to end: exit codes, languages, JSON against its schema,
//! `--events`, `--html`, stdin, directories, errors.

use super::*;
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn break_in_is_reported_in_japanese_with_exit_1() {
    let out = mamori(
        &["scan", "--timezone", "+09:00", s(&fixture("auth.log"))],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.contains("侵入の可能性が高い"), "{first}");
    assert!(text.contains("MAM-A004"));
    assert!(text.contains("203.0.113.50"));
    assert!(text.contains("次にすること"));
    assert!(text.contains("carol"), "the account to reset is named");
    assert!(text.contains("警察"), "where to report");
}

#[test]
fn english_with_lang_flag() {
    let out = mamori(&["scan", "--lang", "en", s(&fixture("auth.log"))], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("== Intrusion likely"), "{text}");
    assert!(text.contains("What to do next"));
}

#[test]
fn clean_log_exits_0() {
    let log = "198.51.100.1 - - [04/Mar/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"\n";
    let out = mamori(&["scan", "--lang", "en", "-"], Some(log.as_bytes()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("No sign of unauthorized access")
    );
}

#[test]
fn json_output_matches_the_schema() {
    let out = mamori(
        &[
            "scan",
            "--format",
            "json",
            s(&fixture("nginx-combined.log")),
            s(&fixture("auth.log")),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = schema("scan-findings.schema.json");
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let f = &doc["findings"][0];
    for key in [
        "rule",
        "category",
        "severity",
        "sources",
        "accounts",
        "first_seen",
        "last_seen",
        "evidence",
    ] {
        assert!(!f[key].is_null(), "{key}");
    }
    // The Log4Shell finding lists its CVE among the references.
    let jndi = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "MAM-W004")
        .unwrap();
    assert_eq!(jndi["references"][0], "CVE-2021-44228");
    let ev = &f["evidence"][0];
    assert!(ev["file"].as_str().unwrap().ends_with(".log"));
    assert!(ev["line"].as_u64().unwrap() >= 1);
    assert_eq!(doc["files"][0]["malformed"], 1);
    assert_eq!(doc["files"][0]["malformed_samples"][0]["line"], 9);
}

#[test]
fn events_stream_matches_the_schema() {
    let out = mamori(
        &["scan", "--events", s(&fixture("nginx-combined.log"))],
        None,
    );
    let v = schema("scan-event.schema.json");
    let text = String::from_utf8(out.stdout).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 6);
    for e in &events {
        assert!(v.is_valid(e), "{e}");
    }
    assert_eq!(events[2]["attack"], "sqli");
    assert_eq!(events[2]["line"], 5);
    assert_eq!(events[2]["source"], "203.0.113.77");
    assert_eq!(events[2]["kind"], "attack");
    // The Log4Shell lookup in the User-Agent names its CVE.
    assert_eq!(events[4]["attack"], "jndi");
    assert_eq!(events[4]["reference"], "CVE-2021-44228");
}

#[test]
fn events_to_a_file_and_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let ev = dir.path().join("events.jsonl");
    let html = dir.path().join("report.html");
    let events_arg = format!("--events={}", ev.display());
    let out = mamori(
        &[
            "scan",
            &events_arg,
            "--html",
            s(&html),
            s(&fixture("auth.log")),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8(out.stdout).unwrap().contains("MAM-A004"),
        "the summary still goes to stdout"
    );
    let lines = std::fs::read_to_string(&ev).unwrap();
    assert!(
        lines
            .lines()
            .any(|l| l.contains("\"auth_success\"") && l.contains("carol"))
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<svg"), "charts are inline SVG");
    assert!(page.contains("MAM-A004"));
    assert!(!page.contains("<script"), "no scripts in the report");
}

#[test]
fn directories_gz_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("auth.log"), dir.path().join("auth.log")).unwrap();
    let gz = std::fs::File::create(dir.path().join("access.log.1.gz")).unwrap();
    let mut e = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    std::io::copy(
        &mut std::fs::File::open(fixture("nginx-combined.log")).unwrap(),
        &mut e,
    )
    .unwrap();
    e.finish().unwrap();
    std::fs::write(dir.path().join("README.txt"), "notes about this server\n").unwrap();
    let out = mamori(&["scan", "--format", "json", s(dir.path())], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"MAM-A004") && rules.contains(&"MAM-W001"),
        "{rules:?}"
    );

    // A file named explicitly that cannot be read: named, the rest scanned, exit 2.
    let missing = dir.path().join("missing.log");
    let out = mamori(
        &[
            "scan",
            "--format",
            "json",
            s(&fixture("auth.log")),
            s(&missing),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("missing.log"), "{stderr}");
}

#[test]
fn bad_config_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("mamori.toml");
    std::fs::write(&cfg, "[thresholds]\nbrute_force_failures = \"many\"\n").unwrap();
    let out = mamori(&["scan", "-c", s(&cfg), s(&fixture("auth.log"))], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mamori.toml") && err.contains("brute_force_failures"),
        "{err}"
    );
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn list_rules() {
    let out = mamori(&["scan", "--list-rules", "--lang", "en"], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("MAM-A003") && text.contains("Credential stuffing"));
}

#[test]
fn crs_from_a_directory_and_off() {
    // The fixture rules cut from CRS 3.3.4 (crates/mamori-crs/tests/fixtures/crs).
    let dir = root().join("crates/mamori-crs/tests/fixtures/crs");
    // SQL that only libinjection (CRS 942100) recognises.
    let log = "198.51.100.7 - - [04/Mar/2024:00:00:01 +0000] \"GET /p?id=x%27%20AND%20email%20IS%20NULL;%20-- HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"\n";
    let crs_arg = format!("--crs={}", s(&dir));
    let out = mamori(
        &["scan", "--lang", "en", &crs_arg, "--events", "-"],
        Some(log.as_bytes()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CRS 3.3.4:")
            && stderr.contains("rules loaded (2 skipped), paranoia level 1"),
        "{stderr}"
    );
    let events = String::from_utf8(out.stdout).unwrap();
    assert!(events.contains("OWASP CRS 942100"), "{events}");
    assert!(events.contains("\"sqli\""), "{events}");

    let out = mamori(
        &["scan", "--lang", "en", "--no-crs", "--events", "-"],
        Some(log.as_bytes()),
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("CRS"));
    assert!(String::from_utf8(out.stdout).unwrap().trim().is_empty());

    let out = mamori(
        &["scan", "--crs=/nonexistent/crs", "-"],
        Some(log.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/crs"));
}

/// An account name with a terminal escape and a right-to-left override, in the
/// OpenSSH fixture's own lines (an attacker picks the user name they try).
#[test]
fn control_characters_from_logs_are_escaped_in_the_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("auth.log");
    let text = std::fs::read_to_string(fixture("auth.log")).unwrap();
    let evil = "car\x1b[2Jol\u{202e}";
    assert!(text.contains("carol"));
    std::fs::write(&log, text.replace("carol", evil)).unwrap();
    for lang in ["ja", "en"] {
        let out = mamori(&["scan", "--lang", lang, s(&log)], None);
        assert_eq!(out.status.code(), Some(1));
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(shown.contains("car\\x1b[2Jol\\u{202e}"), "{shown}");
        assert!(
            !shown.contains('\x1b') && !shown.contains('\u{202e}'),
            "no raw escape reaches the terminal"
        );
    }
}

/// `mamori scan` on a named pipe reads it once, as a stream, and finishes when
/// the writer closes it.
#[test]
fn a_fifo_is_read_as_a_stream_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("auth.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let data = std::fs::read(fixture("auth.log")).unwrap();
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.write_all(&data).unwrap();
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(["scan", "--lang", "en", "--no-progress", s(&fifo)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mamori scan hangs on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("MAM-A004"),
        "the whole stream was scanned: {text}"
    );
}
