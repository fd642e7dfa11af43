//! `mamori report submit` against a real `mamori serve`: a scan of the example logs and
//! an evidence bundle become a draft with the findings pre-filled and the bundle
//! verified; clear errors for a file that is not JSON or not a scan result, an
//! unreachable server, a wrong token and an oversized bundle. And crash safety: every
//! report the server acknowledged during a burst survives `kill -9`.

use crate::serve::{Server, start, term};
use crate::support::psql;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(args)
        .env("MAMORI_INSECURE_FAST_HASHING", "1")
        .env_remove("MAMORI_TOKEN")
        .env_remove("MAMORI_SERVER")
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .expect("mamori runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The console commands that set up an IPA, two companies, a reporter each; returns
/// the reporters' API tokens.
fn setup(d: &str) -> (String, String) {
    for (name, kind) in [
        ("IPA", "ipa"),
        ("株式会社さくら", "access_administrator"),
        ("もみじ商事", "access_administrator"),
    ] {
        let (c, _, e) = run(&[
            "orgs",
            "add",
            "--data-dir",
            d,
            "--name",
            name,
            "--kind",
            kind,
        ]);
        assert_eq!(c, 0, "{e}");
    }
    let mut tokens = Vec::new();
    for (org, email) in [
        ("株式会社さくら", "r@sakura.example"),
        ("もみじ商事", "r@momiji.example"),
    ] {
        let (c, _, e) = run(&[
            "users",
            "add",
            "--data-dir",
            d,
            "--org",
            org,
            "--role",
            "reporter",
            "--email",
            email,
        ]);
        assert_eq!(c, 0, "{e}");
        let (c, out, e) = run(&["tokens", "create", "--data-dir", d, "--user", email]);
        assert_eq!(c, 0, "{e}");
        tokens.push(out.trim().to_string());
    }
    (tokens[0].clone(), tokens[1].clone())
}

fn get_json(addr: &str, path: &str, token: &str) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    // Bodies may be chunked: take the JSON object between the first '{' and the last '}'.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) => &body[a..=b],
        _ => "null",
    };
    (
        status,
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
    )
}

fn line<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key} in {out}"))
        .trim()
}

#[test]
fn a_scan_and_its_evidence_become_a_draft_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let d = d.to_str().unwrap();
    let (token, other_token) = setup(d);
    let srv = start(&["--data-dir", d]);
    let server = format!("http://{}", srv.addr);
    // `mamori report submit --server <server> --token <token> <args…>`
    let submit = |token: &str, args: &[&str]| {
        let mut a = vec!["report", "submit", "--server", &server, "--token", token];
        a.extend_from_slice(args);
        run(&a)
    };

    // The operator's side: scan the logs, seal the evidence.
    let findings = dir.path().join("findings.json");
    let logs = crate::root().join("examples/logs");
    let o = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(["scan", logs.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        !o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(&findings, &o.stdout).unwrap();
    let bundle = dir.path().join("case.tar");
    let keys = dir.path().join("keys");
    let (c, _, e) = run(&[
        "evidence",
        "collect",
        "--data-dir",
        keys.to_str().unwrap(),
        "--out",
        bundle.to_str().unwrap(),
        "--reason",
        "不正ログインの疑い",
        logs.join("access.log").to_str().unwrap(),
        logs.join("auth.log").to_str().unwrap(),
    ]);
    assert_eq!(c, 0, "{e}");

    let (c, out, e) = submit(
        &token,
        &[
            findings.to_str().unwrap(),
            "--evidence",
            bundle.to_str().unwrap(),
        ],
    );
    assert_eq!(c, 0, "{out}{e}");
    assert!(out.contains("下書きを作成しました"), "{out}");
    assert!(out.contains("検証済み"), "{out}");
    let id: i64 = line(&out, "id:").parse().unwrap();
    assert_eq!(line(&out, "url:"), format!("{server}/reports/{id}"));

    // The draft, as its author sees it through the API.
    let (status, v) = get_json(&srv.addr, &format!("/api/reports/{id}"), &token);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["report"]["status"], "draft");
    assert!(
        v["report"]["title"]
            .as_str()
            .unwrap()
            .starts_with("mamori scan")
    );
    assert!(
        !v["report"]["facets"]["acts"].as_array().unwrap().is_empty(),
        "act type"
    );
    assert!(
        v["report"]["first_seen"].is_string() && v["report"]["last_seen"].is_string(),
        "time range"
    );
    assert!(
        v["answers"]["what_happened"].is_array(),
        "findings pre-filled"
    );
    let desc = v["report"]["description"].as_str().unwrap();
    assert!(
        desc.contains("送信元（") && desc.contains("sources above"),
        "sources pre-filled: {desc}"
    );
    let atts = v["attachments"].as_array().unwrap();
    let kinds: Vec<&str> = atts.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["scan_json", "evidence_bundle"]);
    assert_eq!(
        atts[1]["verdict"], "verified",
        "{}",
        atts[1]["verdict_detail"]
    );
    let sha = {
        use std::fmt::Write as _;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(std::fs::read(&bundle).unwrap());
        digest.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    };
    assert_eq!(
        atts[1]["sha256"],
        sha.as_str(),
        "the hash of the bundle as sent"
    );
    // Another company's reporter: 404, as for a report that does not exist.
    let (status, _) = get_json(&srv.addr, &format!("/api/reports/{id}"), &other_token);
    assert_eq!(status, 404);

    // Clear errors.
    let notjson = dir.path().join("notes.txt");
    std::fs::write(&notjson, "hello").unwrap();
    let (c, _, e) = submit(&token, &[notjson.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(e.contains("JSONではありません"), "{e}");
    let notscan = dir.path().join("other.json");
    std::fs::write(&notscan, r#"{"hello": "world"}"#).unwrap();
    let (c, _, e) = submit(&token, &[notscan.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(c, 2);
    assert!(e.contains("not a mamori scan result"), "{e}");
    let (c, _, e) = submit("mamori_wrong", &[findings.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(
        e.contains("HTTP 401") && e.contains("mamori tokens create"),
        "{e}"
    );
    let big = dir.path().join("big.tar");
    std::fs::write(&big, vec![0u8; 25 * 1024 * 1024 + 1]).unwrap();
    let (c, out, e) = submit(
        &token,
        &[
            findings.to_str().unwrap(),
            "--evidence",
            big.to_str().unwrap(),
        ],
    );
    assert_eq!(c, 2, "{out}");
    assert!(
        e.contains("HTTP 413") && e.contains("E-ATTACH-FILESIZE"),
        "{e}"
    );
    term(srv);
    let (c, _, e) = submit(&token, &[findings.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(e.contains("サーバに接続できません"), "{e}");
}

fn post_scan(addr: &str, token: &str, body: &[u8]) -> Option<i64> {
    let mut s = TcpStream::connect(addr).ok()?;
    let head = format!(
        "POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    if !out.starts_with("HTTP/1.1 201") {
        return None;
    }
    let i = out.find("\"id\":")? + 5;
    out[i..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Starts the server, sends reports from 4 clients, kills it with SIGKILL mid-burst,
/// restarts it and checks that every acknowledged report is there, whole.
fn burst_survives_kill_9(args: &[&str], token: &str) {
    let mut srv: Server = start(args);
    let addr = srv.addr.clone();
    let scan = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../mamori-service/tests/fixtures/scan.json"),
    )
    .unwrap();
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (addr, token, scan) = (addr.clone(), token.to_string(), scan.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                for _ in 0..2000 {
                    match post_scan(&addr, &token, &scan) {
                        Some(id) => acked.push(id),
                        None => break,
                    }
                }
                acked
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    srv.child.kill().unwrap(); // SIGKILL
    srv.child.wait().unwrap();
    let acked: Vec<i64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        acked.len() > 10,
        "a burst was acknowledged before the kill: {}",
        acked.len()
    );
    let srv = start(args);
    for id in &acked {
        let (status, v) = get_json(&srv.addr, &format!("/api/v1/reports/{id}"), token);
        assert_eq!(status, 200, "acknowledged report {id} survived");
        assert_eq!(
            v["attachments"].as_array().map(Vec::len),
            Some(1),
            "report {id} whole"
        );
    }
    term(srv);
}

#[test]
fn acknowledged_reports_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let ds = d.to_str().unwrap();
    let (token, _) = setup(ds);
    burst_survives_kill_9(&["--data-dir", ds], &token);
    let o = crate::mamori(&["audit", "verify", "--data-dir", ds], None);
    assert!(
        o.status.success(),
        "chain intact after the crash: {}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn acknowledged_reports_survive_kill_9_on_postgres() {
    let name = format!("mamori_cli_report_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    psql(&format!("CREATE DATABASE {name}"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let ds = d.to_str().unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    // The console commands reach the same database.
    let with_db = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--data-dir", ds, "--database-url", &url]);
        let (c, out, e) = run(&a);
        assert_eq!(c, 0, "{e}");
        out
    };
    with_db(&[
        "orgs",
        "add",
        "--name",
        "さくら",
        "--kind",
        "access_administrator",
    ]);
    with_db(&[
        "users",
        "add",
        "--org",
        "さくら",
        "--role",
        "reporter",
        "--email",
        "r@sakura.example",
    ]);
    let token = with_db(&["tokens", "create", "--user", "r@sakura.example"]);
    burst_survives_kill_9(&["--data-dir", ds, "--database-url", &url], token.trim());
    let o = crate::mamori(
        &["audit", "verify", "--data-dir", ds, "--database-url", &url],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
