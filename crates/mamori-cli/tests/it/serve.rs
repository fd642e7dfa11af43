//! `mamori serve` as a process: first start, sign-in link, graceful shutdown on
//! SIGTERM, PostgreSQL, and crash safety under `kill -9`.

use crate::support::psql;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub link: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is reaped by `Server`'s Drop; a panic before that fails the test anyway.
#[allow(clippy::zombie_processes)]
pub fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .arg("serve")
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .env("MAMORI_INSECURE_FAST_HASHING", "1")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut link = None;
    loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(i) = line.find("/link/") {
            link = Some(line[i..].trim().to_string());
        }
        if let Some(rest) = line.strip_prefix("listening on http://") {
            let addr = rest.split(' ').next().unwrap().to_string();
            return Server { child, addr, link };
        }
    }
}

/// One HTTP/1.1 request; returns (status, headers+body).
pub fn http(addr: &str, method: &str, path: &str, cookie: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
    (status, out)
}

fn session_cookie(resp: &str) -> String {
    let i = resp.find("mamori_session=").expect("session cookie");
    resp[i..].split(';').next().unwrap().to_string()
}

pub fn term(mut srv: Server) -> String {
    let pid = srv.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = srv.child.wait().unwrap();
    let mut err = String::new();
    srv.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status:?} {err}");
    err
}

#[test]
fn first_start_prints_a_single_use_link_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    let srv = start(&["--data-dir", d.to_str().unwrap()]);
    let link = srv.link.clone().expect("one-time link on first start");
    assert_eq!(http(&srv.addr, "GET", "/healthz", "", "").0, 200);
    let (status, resp) = http(&srv.addr, "GET", &link, "", "");
    assert_eq!(status, 303);
    let cookie = session_cookie(&resp);
    let (status, home) = http(&srv.addr, "GET", "/admin", &cookie, "");
    assert_eq!(status, 200, "{home}");
    assert_eq!(
        http(&srv.addr, "GET", &link, "", "").0,
        400,
        "the link works once"
    );
    let token = link.rsplit('/').next().unwrap().to_string();
    let err = term(srv);
    assert!(err.contains("shut down cleanly"));
    assert!(
        !err.contains(&token) && !err.contains(&cookie[15..]),
        "no secrets in logs"
    );
    assert!(d.join("mamori.toml").exists() && d.join("mamori.db").exists());
    // Second start: no new administrator, no link.
    let srv = start(&["--data-dir", d.to_str().unwrap()]);
    assert!(srv.link.is_none());
    term(srv);
}

#[test]
fn a_lost_first_link_is_reissued_with_users_link_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    let d = d.to_str().unwrap();
    let srv = start(&["--data-dir", d]);
    assert!(srv.link.is_some(), "the first link, then lost");
    term(srv);
    let out = crate::mamori(
        &[
            "users",
            "link",
            "--data-dir",
            d,
            "--email",
            "Admin@mamori.localhost",
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("one-time sign-in link"), "{stdout}");
    let path = stdout
        .lines()
        .find_map(|l| l.find("/link/").map(|i| l[i..].trim().to_string()))
        .unwrap_or_else(|| panic!("a link: {stdout}"));
    // Unknown people get no link.
    let none = crate::mamori(
        &[
            "users",
            "link",
            "--data-dir",
            d,
            "--email",
            "nobody@example.jp",
        ],
        None,
    );
    assert!(!none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stdout)
            .find("/link/")
            .is_none()
    );

    let srv = start(&["--data-dir", d]);
    let (status, resp) = http(&srv.addr, "GET", &path, "", "");
    assert_eq!(status, 303, "{resp}");
    let cookie = session_cookie(&resp);
    let (status, admin) = http(&srv.addr, "GET", "/admin", &cookie, "");
    assert_eq!(status, 200, "{admin}");
    assert!(admin.contains("ログイン用リンクの発行"), "audited: {admin}");
    term(srv);
}

#[test]
fn serves_on_postgres() {
    let name = format!("mamori_cli_test_{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {name}"));
    psql(&format!("CREATE DATABASE {name}"));
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let srv = start(&[
        "--data-dir",
        dir.path().to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    let link = srv.link.clone().expect("link");
    let (status, resp) = http(&srv.addr, "GET", &link, "", "");
    assert_eq!(status, 303);
    let (status, _) = http(&srv.addr, "GET", "/admin", &session_cookie(&resp), "");
    assert_eq!(status, 200);
    let (_, metrics) = http(&srv.addr, "GET", "/metrics", "", "");
    assert!(metrics.contains(r#"store="postgres""#));
    term(srv);
    let o = crate::mamori(
        &[
            "audit",
            "verify",
            "--database-url",
            &url,
            "--data-dir",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    let mut srv = start(&["--data-dir", d.to_str().unwrap()]);
    let link = srv.link.clone().unwrap();
    let cookie = session_cookie(&http(&srv.addr, "GET", &link, "", "").1);
    let (_, admin) = http(&srv.addr, "GET", "/admin", &cookie, "");
    let key = r#"name="csrf" value=""#;
    let i = admin.find(key).unwrap() + key.len();
    let csrf = admin[i..].split('"').next().unwrap().to_string();
    let addr = srv.addr.clone();
    let writer = std::thread::spawn(move || {
        let mut acked = Vec::new();
        for n in 0..400 {
            let body = format!("csrf={csrf}&name=org-{n}&kind=website_operator&parent=");
            let Ok(mut s) = TcpStream::connect(&addr) else {
                break;
            };
            let req = format!(
                "POST /admin/orgs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            if s.write_all(req.as_bytes()).is_err() {
                break;
            }
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if out.starts_with("HTTP/1.1 200") {
                acked.push(format!("org-{n}"));
            } else {
                break;
            }
        }
        acked
    });
    std::thread::sleep(std::time::Duration::from_millis(700));
    srv.child.kill().unwrap(); // SIGKILL
    srv.child.wait().unwrap();
    let acked = writer.join().unwrap();
    assert!(
        !acked.is_empty(),
        "some writes were acknowledged before the kill"
    );
    let o = crate::mamori(&["orgs", "list", "--data-dir", d.to_str().unwrap()], None);
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    for name in &acked {
        assert!(
            listed.contains(&format!("\t{name}\t")),
            "acknowledged {name} survived"
        );
    }
    let o = crate::mamori(
        &["audit", "verify", "--data-dir", d.to_str().unwrap()],
        None,
    );
    assert!(
        o.status.success(),
        "chain intact after the crash: {}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn restore_waits_for_the_server_and_takes_over_a_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    let ds = d.to_str().unwrap();
    let mut srv = start(&["--data-dir", ds]);
    let backup = dir.path().join("b.db");
    let o = crate::mamori(
        &[
            "backup",
            "--data-dir",
            ds,
            "--out",
            backup.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "backup works while serving");
    let restore = || {
        crate::mamori(
            &[
                "restore",
                "--data-dir",
                ds,
                "--from",
                backup.to_str().unwrap(),
            ],
            None,
        )
    };
    let o = restore();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let pid = srv.child.id().to_string();
    assert!(err.contains("is running") && err.contains(&pid), "{err}");
    // A second server on the same data directory is refused too.
    let second = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args(["serve", "--data-dir", ds, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains(&pid));
    // kill -9 leaves the lock file behind; the next restore sees it is stale.
    srv.child.kill().unwrap();
    srv.child.wait().unwrap();
    assert!(d.join("serve.lock").exists());
    let o = restore();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains(&format!("stale lock of pid {pid}")), "{out}");
}

#[test]
fn trusted_proxy_flag_is_parsed_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    let ds = d.to_str().unwrap();
    let bad = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args([
            "serve",
            "--data-dir",
            ds,
            "--listen",
            "127.0.0.1:0",
            "--trusted-proxy",
            "10.0.0.0/99",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--trusted-proxy"));
    let srv = start(&["--data-dir", ds, "--trusted-proxy", "127.0.0.1/32"]);
    // Sign-in failures are audited with the client address: fail one through the proxy.
    let (_, form) = http(&srv.addr, "GET", "/login", "", "");
    let key = r#"name="csrf" value=""#;
    let i = form.find(key).unwrap() + key.len();
    let csrf = form[i..].split('"').next().unwrap().to_string();
    let pre = form[form.find("mamori_pre=").unwrap()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body =
        format!("csrf={csrf}&email=admin%40mamori.localhost&password=wrong+password+guess&totp=");
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    let req = format!(
        "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {pre}\r\nX-Forwarded-For: 192.0.2.1, 203.0.113.77\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 401"), "{out}");
    let source = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use mamori_store::Store;
        let st = mamori_store_sqlite::SqliteStore::open(d.join("mamori.db"))
            .await
            .unwrap();
        let e = st.last_audit().await.unwrap().unwrap();
        st.close().await;
        (e.action, e.source)
    });
    assert_eq!(
        source,
        ("sign_in_failed".to_string(), "203.0.113.77".to_string())
    );
    term(srv);
}
