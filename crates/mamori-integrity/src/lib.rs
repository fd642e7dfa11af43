//! # mamori-integrity
//!
//! Tamper detection (改ざん検知) for files and sites, and evidence kept as it was (証拠保全).
//!
//! * **Baselines**: [`monitor::init`] walks one or more trees (symlinks not followed, special
//!   files recorded but never opened, names kept as raw bytes), records type, size, permissions,
//!   owner, times, inode, link count, symlink target, optional xattrs/ACLs and a content hash
//!   (BLAKE3 or SHA-256, hashed in parallel and streamed), and the result is signed with
//!   Ed25519 ([`Baseline`]).
//! * **Checks**: [`monitor::check`] reports added, removed and changed entries with exactly
//!   which attributes changed under the [`Config`] rules (logs may grow; web content must not
//!   change at all), and scans new web content for planted scripts ([`webcontent`]).
//! * **Evidence**: [`evidence::collect`] copies files and reports into a sealed bundle with a
//!   signed manifest and a hash-chained custody log; [`evidence::verify`] proves nothing changed.
//!
//! The clock, host name and user are always passed in (no `now()` in this crate).
//!
//! ```
//! use mamori_integrity::{Config, monitor};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let site = dir.path().join("www");
//! std::fs::create_dir(&site)?;
//! std::fs::write(site.join("index.html"), "<h1>ようこそ</h1>")?;
//!
//! let ctx = monitor::Context {
//!     now: time::macros::datetime!(2026-11-25 09:00 UTC),
//!     host: "web1",
//!     who: "admin",
//!     progress: None,
//! };
//! let (baseline, issues) = monitor::init(&[site.clone()], Config::builtin(), &ctx)?;
//! assert!(issues.is_empty());
//! let key = mamori_integrity::seal::generate_key()?;
//! let signed = baseline.to_signed_bytes(&key);
//!
//! // Someone injects a hidden iframe.
//! std::fs::write(site.join("index.html"), "<h1>ようこそ</h1><iframe src=//x width=0 height=0>")?;
//!
//! let trusted = key.verifying_key();
//! let verified = mamori_integrity::Baseline::from_signed_bytes(
//!     &signed, std::path::Path::new("baseline"), Some(&trusted))?;
//! let (report, _) = monitor::check(&verified.baseline, &ctx)?;
//! let change = &report.changes[0];
//! assert!(change.path.as_path().ends_with("index.html"));
//! assert!(change.attributes.contains(&mamori_integrity::Attr::Hash));
//! assert_eq!(change.web_findings[0].marker, "hidden-iframe");
//! # Ok(()) }
//! ```

pub mod baseline;
pub mod compare;
pub mod entry;
pub mod error;
pub mod evidence;
mod fsutil;
pub mod hash;
pub mod host;
pub mod monitor;
pub mod path;
pub mod report;
pub mod rules;
pub mod seal;
pub mod walk;
pub mod webcontent;

pub use baseline::{Baseline, HistoryRecord, VerifiedBaseline};
pub use compare::{AttrChange, Change, ChangeKind, Flag};
pub use entry::{Attr, Entry, EntryKind};
pub use error::{Error, Result};
pub use hash::HashAlgo;
pub use host::HostFacts;
pub use path::PathBytes;
pub use report::CheckReport;
pub use rules::{Config, Rule, Rules};
pub use walk::{Issue, IssueKind, Scan, ScanOptions};
