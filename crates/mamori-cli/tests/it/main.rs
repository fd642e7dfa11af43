#![allow(clippy::unwrap_used)] // test helpers: a panic is the right failure
//! End-to-end tests of the `mamori` binary, run as a user would run it.

mod account;
mod advisories;
mod browser;
mod browser_csp;
mod browser_intake;
mod browser_passkey;
mod browser_portal;
mod browser_stats;
mod browser_vuln;
mod browser_vuln_web;
mod evidence;
mod guard;
mod integrity;
mod platform;
mod report;
mod scan;
mod schema;
mod serve;
mod stats;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Runs `mamori` with `args` (and `stdin`), English locale unless the args say otherwise.
pub fn mamori(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mamori"));
    cmd.args(args)
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("mamori starts");
    if let Some(data) = stdin {
        use std::io::Write;
        let mut s = child.stdin.take().expect("stdin");
        // A run that fails before reading its input (a bad flag) may close stdin first.
        if let Err(e) = s.write_all(data) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
        }
    }
    child.wait_with_output().expect("mamori finishes")
}

/// A fixture of mamori-detect.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../mamori-detect/tests/fixtures")
        .join(name)
}

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `mamori` with extra environment variables.
pub fn mamori_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mamori"));
    cmd.args(args)
        .env("LANG", "ja_JP.UTF-8")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("mamori runs")
}
