//! Evidence kept as it was (証拠保全): copy logs, files, `mamori scan` JSON and
//! `mamori integrity check` results into one bundle — a directory, or a tar archive when the
//! name ends in `.tar` — with a signed manifest (SHA-256 of every item, original path, size,
//! times, host facts, collector, reason) and a hash-chained custody log.
//!
//! Bundle layout: `manifest.json`, `manifest.sig`, `custody.jsonl`, `items/NNNN-name`.
//!
//! ```
//! use mamori_integrity::evidence::{self, CollectRequest};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let log = dir.path().join("access.log");
//! std::fs::write(&log, "203.0.113.9 - - \"GET /wp-login.php\" 200\n")?;
//! let key = mamori_integrity::seal::generate_key()?;
//! let out = dir.path().join("case-1.tar");
//! evidence::collect(&CollectRequest {
//!     paths: &[log],
//!     out: &out,
//!     reason: Some("不正ログインの疑い"),
//!     collector: "admin",
//!     now: time::macros::datetime!(2026-11-25 09:00 UTC),
//!     host: mamori_integrity::HostFacts::default(),
//!     key: &key,
//! })?;
//! let report = evidence::verify(&out, Some(&key.verifying_key()))?;
//! assert!(report.ok(), "{:?}", report.problems);
//! # Ok(()) }
//! ```

pub mod custody;
pub mod manifest;
mod store;
mod verify;

pub use manifest::{Item, ItemKind, Manifest};
pub use verify::{Problem, ProblemKind, VerifyReport, verify, verify_tar_bytes};

use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::host::{HostFacts, rfc3339};
use crate::path::PathBytes;
use crate::seal::{SigningKey, seal};
use sha2::Digest as _;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What to collect.
#[derive(Debug)]
pub struct CollectRequest<'a> {
    /// Files or directories (directories are collected recursively, symlinks not followed).
    pub paths: &'a [PathBuf],
    /// The bundle: a directory (must not exist or be empty), or a `.tar` file (must not exist).
    pub out: &'a Path,
    /// Why the evidence is collected.
    pub reason: Option<&'a str>,
    /// Who collects it.
    pub collector: &'a str,
    /// The current time.
    pub now: time::OffsetDateTime,
    /// The machine.
    pub host: HostFacts,
    /// Key that signs the manifest.
    pub key: &'a SigningKey,
}

/// The result of [`collect`].
#[derive(Debug, Clone)]
pub struct CollectOutcome {
    /// The signed manifest.
    pub manifest: Manifest,
    /// Paths that were not collected (special files, symlinks, unreadable), with the reason.
    pub skipped: Vec<(PathBytes, String)>,
}

/// True when `path` names a tar bundle.
pub fn is_tar(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tar"))
}

/// Collects the files into a sealed bundle.
pub fn collect(req: &CollectRequest<'_>) -> Result<CollectOutcome> {
    let tar = is_tar(req.out);
    let stage = if tar {
        let mut name = req.out.as_os_str().to_owned();
        name.push(format!(".partial-{}", std::process::id()));
        PathBuf::from(name)
    } else {
        req.out.to_owned()
    };
    if tar && req.out.exists() {
        return Err(Error::Root {
            path: req.out.to_owned(),
            detail: "exists already".into(),
        });
    }
    if stage.exists()
        && fs_err::read_dir(&stage)
            .map_err(|e| Error::io(&stage, e))?
            .next()
            .is_some()
    {
        return Err(Error::Root {
            path: stage,
            detail: "exists and is not empty".into(),
        });
    }
    let items_dir = stage.join("items");
    fs_err::create_dir_all(&items_dir).map_err(|e| Error::io(&items_dir, e))?;

    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in req.paths {
        for d in walkdir::WalkDir::new(p)
            .follow_links(false)
            .sort_by_file_name()
        {
            match d {
                Ok(d) if d.file_type().is_file() => files.push(d.into_path()),
                Ok(d) if d.file_type().is_dir() => {}
                Ok(d) => skipped.push((d.path().into(), "not a regular file".to_owned())),
                Err(e) => skipped.push((
                    e.path().unwrap_or(p).into(),
                    e.io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string),
                )),
            }
        }
    }
    let mut items = Vec::new();
    for (n, src) in files.iter().enumerate() {
        match copy_item(src, &items_dir, n + 1) {
            Ok(item) => items.push(item),
            Err(e) => skipped.push((src.as_path().into(), e.to_string())),
        }
    }
    let mut id = [0u8; 16];
    getrandom::getrandom(&mut id)
        .map_err(|e| Error::io(req.out, std::io::Error::other(e.to_string())))?;
    let manifest = Manifest {
        format: manifest::MANIFEST_FORMAT.into(),
        version: manifest::MANIFEST_VERSION,
        bundle_id: hex::encode(id),
        tool: crate::monitor::tool_name(),
        collected_at: rfc3339(req.now),
        collector: req.collector.to_owned(),
        reason: req.reason.map(str::to_owned),
        host: req.host.clone(),
        items,
    };
    #[allow(clippy::expect_used)] // plain data
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    bytes.push(b'\n');
    let sig = seal(manifest::DOMAIN, &bytes, req.key);
    #[allow(clippy::expect_used)]
    let sig_bytes = serde_json::to_vec_pretty(&sig).expect("seal serialises");
    write_new(&stage.join("manifest.json"), &bytes)?;
    write_new(&stage.join("manifest.sig"), &sig_bytes)?;
    let mut log = Vec::new();
    let detail = format!(
        "collected {} item(s){}",
        manifest.items.len(),
        req.reason
            .map(|r| format!("; reason: {r}"))
            .unwrap_or_default()
    );
    let at = rfc3339(req.now);
    custody::append(
        &mut log,
        &sha256_hex(&bytes),
        &custody::Event {
            at: &at,
            actor: req.collector,
            host: &req.host.hostname,
            action: "collect",
            detail: &detail,
            key: Some(req.key),
        },
    );
    write_new(&stage.join("custody.jsonl"), &log)?;
    if tar {
        store::pack_tar(&stage, req.out, &manifest)?;
        fs_err::remove_dir_all(&stage).map_err(|e| Error::io(&stage, e))?;
    }
    Ok(CollectOutcome { manifest, skipped })
}

/// Appends a custody record to a bundle (directory or tar), signed when `ev.key` is given.
pub fn append_custody(bundle: &Path, ev: &custody::Event<'_>) -> Result<()> {
    let contents = store::read_meta(bundle)?;
    let mut log = contents.custody.unwrap_or_default();
    let manifest = contents
        .manifest
        .ok_or_else(|| Error::format(bundle, "no manifest.json"))?;
    custody::append(&mut log, &sha256_hex(&manifest), ev);
    store::write_custody(bundle, &log)
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))
}

fn safe_name(src: &Path) -> String {
    let base = src
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    s.trim_start_matches('.').to_owned()
}

/// Copies one file into the bundle while hashing exactly the bytes copied.
fn copy_item(src: &Path, items_dir: &Path, n: usize) -> Result<Item> {
    let name = format!("items/{n:04}-{}", safe_name(src));
    let dst = items_dir.join(&name["items/".len()..]);
    let mut input = fs_err::File::open(src).map_err(|e| Error::io(src, e))?;
    let before = input.metadata().map_err(|e| Error::io(src, e))?;
    let mut out = fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&dst)
        .map_err(|e| Error::io(&dst, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut head = Vec::new();
    let keep_head = src
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let k = input.read(&mut buf).map_err(|e| Error::io(src, e))?;
        if k == 0 {
            break;
        }
        hasher.update(&buf[..k]);
        out.write_all(&buf[..k]).map_err(|e| Error::io(&dst, e))?;
        if keep_head && head.len() < 16 * 1024 * 1024 {
            head.extend_from_slice(&buf[..k]);
        }
        size += k as u64;
    }
    out.sync_all().map_err(|e| Error::io(&dst, e))?;
    let after = input.metadata().map_err(|e| Error::io(src, e))?;
    let t = |s: i64, ns: i64| {
        crate::entry::format_ns(s.saturating_mul(1_000_000_000).saturating_add(ns))
    };
    Ok(Item {
        kind: manifest::detect_kind(src, &head),
        name,
        original_path: std::path::absolute(src)
            .unwrap_or_else(|_| src.to_owned())
            .into(),
        size,
        sha256: hex::encode(hasher.finalize()),
        mode: before.mode() & 0o7777,
        uid: before.uid(),
        gid: before.gid(),
        mtime: t(before.mtime(), before.mtime_nsec()),
        ctime: t(before.ctime(), before.ctime_nsec()),
        atime: t(before.atime(), before.atime_nsec()),
        changed_during_copy: after.len() != size
            || after.mtime() != before.mtime()
            || after.mtime_nsec() != before.mtime_nsec(),
    })
}
