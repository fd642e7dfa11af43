//! Verifying a bundle: the manifest's signature, every item's SHA-256 and size, nothing added
//! or missing, and an unbroken custody chain.

use super::custody::{CustodyRecord, verify_chain};
use super::manifest::Manifest;
use super::store;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::seal::{VerifyingKey, public_key_string};
use mamori_core::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What is wrong with a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// `manifest.json` or `manifest.sig` is missing or unreadable.
    ManifestMissing,
    /// The manifest does not match its signature (or was signed by an untrusted key).
    SignatureInvalid,
    /// An item's content differs from the manifest.
    ItemModified,
    /// An item listed in the manifest is missing.
    ItemMissing,
    /// The bundle holds something the manifest does not list.
    Unexpected,
    /// The custody log's hash chain is broken.
    CustodyBroken,
}

impl ProblemKind {
    /// For people.
    pub fn text(self) -> Text {
        match self {
            ProblemKind::ManifestMissing => {
                Text::new("目録（manifest）がありません", "manifest missing")
            }
            ProblemKind::SignatureInvalid => Text::new(
                "目録の署名が一致しません",
                "manifest signature does not verify",
            ),
            ProblemKind::ItemModified => Text::new("内容が変わっています", "content changed"),
            ProblemKind::ItemMissing => Text::new("なくなっています", "missing"),
            ProblemKind::Unexpected => {
                Text::new("目録にないものがあります", "not listed in the manifest")
            }
            ProblemKind::CustodyBroken => {
                Text::new("保管記録の連鎖が壊れています", "custody chain broken")
            }
        }
    }
}

/// One problem, naming the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Kind.
    pub kind: ProblemKind,
    /// The item or file inside the bundle.
    pub name: String,
    /// Details (expected vs found).
    pub detail: String,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// The bundle.
    pub bundle: String,
    /// The manifest (as found, even when its signature failed).
    pub manifest: Option<Manifest>,
    /// Who signed it (`ed25519:<hex>`), when the signature verified.
    pub signer: Option<String>,
    /// Items whose hash was checked.
    pub items_checked: usize,
    /// The custody log.
    pub custody: Vec<CustodyRecord>,
    /// Everything that is wrong; empty means nothing changed since collection.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// True when the bundle is exactly as collected.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// A summary for people.
    pub fn render(&self, lang: Lang) -> String {
        let t = |x: Text| x.get(lang);
        let mut s = String::new();
        if let Some(m) = &self.manifest {
            let _ = writeln!(
                s,
                "{}: {} / {}: {} / {}: {} / {}: {}",
                t(Text::new("収集日時", "collected at")),
                m.collected_at,
                t(Text::new("収集者", "collector")),
                m.collector,
                t(Text::new("ホスト", "host")),
                m.host.hostname,
                t(Text::new("件数", "items")),
                m.items.len()
            );
        }
        if let Some(signer) = &self.signer {
            let _ = writeln!(
                s,
                "{}: {signer}",
                t(Text::new("目録の署名者", "manifest signed by"))
            );
        }
        let signed = self.custody.iter().filter(|r| r.seal.is_some()).count();
        for r in &self.custody {
            let _ = writeln!(
                s,
                "  #{} {} {} @{} {}: {}{}",
                r.seq,
                r.at,
                r.actor,
                r.host,
                r.action,
                r.detail,
                if r.seal.is_some() { " ✎" } else { "" }
            );
        }
        if !self.custody.is_empty() {
            let _ = writeln!(
                s,
                "  {} {} / {} {}",
                self.custody.len(),
                t(Text::new("件の保管記録", "custody records")),
                signed,
                t(Text::new("件が署名付き（✎）", "signed (✎)"))
            );
        }
        for p in &self.problems {
            let _ = writeln!(s, "✗ {}: {} ({})", p.name, t(p.kind.text()), p.detail);
        }
        if self.ok() {
            let _ = writeln!(
                s,
                "✓ {} ({} {})",
                t(Text::new(
                    "収集時から何も変わっていません",
                    "nothing changed since collection"
                )),
                self.items_checked,
                t(Text::new("件を照合", "items checked")),
            );
        }
        s
    }
}

/// Verifies a bundle (directory or `.tar`). With `pinned`, the manifest must be signed by that
/// key. `Err` only when the bundle cannot be read at all.
pub fn verify(bundle: &Path, pinned: Option<&VerifyingKey>) -> Result<VerifyReport> {
    if !bundle.exists() {
        return Err(Error::Root {
            path: bundle.to_owned(),
            detail: "no such bundle".into(),
        });
    }
    let c = store::read_all(bundle, true)?;
    Ok(verify_contents(&c, bundle, pinned))
}

/// Verifies a tar bundle held in memory (an upload), exactly as [`verify`] does a file.
/// `name` labels the bundle in the report. `Err` only when the bytes are not a tar archive.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let report = mamori_integrity::evidence::verify_tar_bytes(b"not a tar", "x.tar", None);
/// assert!(report.is_err() || !report?.ok());
/// # Ok(()) }
/// ```
pub fn verify_tar_bytes(
    bytes: &[u8],
    name: &str,
    pinned: Option<&VerifyingKey>,
) -> Result<VerifyReport> {
    let label = Path::new(name);
    let c = store::read_tar_from(std::io::Cursor::new(bytes), label, true)?;
    Ok(verify_contents(&c, label, pinned))
}

fn verify_contents(
    c: &store::Contents,
    bundle: &Path,
    pinned: Option<&VerifyingKey>,
) -> VerifyReport {
    let mut problems = Vec::new();
    let mut report = VerifyReport {
        bundle: bundle.display().to_string(),
        manifest: None,
        signer: None,
        items_checked: 0,
        custody: Vec::new(),
        problems: Vec::new(),
    };
    let (Some(mbytes), Some(sig)) = (&c.manifest, &c.sig) else {
        problems.push(Problem {
            kind: ProblemKind::ManifestMissing,
            name: "manifest.json".into(),
            detail: "manifest.json / manifest.sig not found".into(),
        });
        report.problems = problems;
        return report;
    };
    let manifest = match Manifest::parse_verified(mbytes, sig, bundle, pinned) {
        Ok((m, signer)) => {
            report.signer = Some(public_key_string(&signer));
            Some(m)
        }
        Err(e) => {
            problems.push(Problem {
                kind: ProblemKind::SignatureInvalid,
                name: "manifest.json".into(),
                detail: e.to_string(),
            });
            Manifest::parse(mbytes, bundle).ok()
        }
    };
    let mut found: BTreeMap<&str, (&str, u64)> = c
        .items
        .iter()
        .map(|(n, h, s)| (n.as_str(), (h.as_str(), *s)))
        .collect();
    if let Some(m) = &manifest {
        for item in &m.items {
            match found.remove(item.name.as_str()) {
                None => problems.push(Problem {
                    kind: ProblemKind::ItemMissing,
                    name: item.name.clone(),
                    detail: format!("collected from {}", item.original_path),
                }),
                Some((h, size)) => {
                    report.items_checked += 1;
                    if h != item.sha256 || size != item.size {
                        problems.push(Problem {
                            kind: ProblemKind::ItemModified,
                            name: item.name.clone(),
                            detail: format!(
                                "collected from {}: sha256 {} ({} bytes) expected, {} ({} bytes) found",
                                item.original_path, item.sha256, item.size, h, size
                            ),
                        });
                    }
                }
            }
        }
    }
    for (name, _) in found {
        problems.push(Problem {
            kind: ProblemKind::Unexpected,
            name: name.to_owned(),
            detail: "not in the manifest".into(),
        });
    }
    for name in &c.unexpected {
        problems.push(Problem {
            kind: ProblemKind::Unexpected,
            name: name.clone(),
            detail: "does not belong in a bundle".into(),
        });
    }
    let manifest_sha = sha256_hex(mbytes);
    match c
        .custody
        .as_deref()
        .map(|log| verify_chain(log, &manifest_sha))
    {
        None => problems.push(Problem {
            kind: ProblemKind::CustodyBroken,
            name: "custody.jsonl".into(),
            detail: "custody log not found".into(),
        }),
        Some(Err(e)) => problems.push(Problem {
            kind: ProblemKind::CustodyBroken,
            name: format!("custody.jsonl:{}", e.line),
            detail: e.detail,
        }),
        Some(Ok(records)) => report.custody = records,
    }
    for pair in c.custody_versions.windows(2) {
        if !pair[1].starts_with(&pair[0]) {
            problems.push(Problem {
                kind: ProblemKind::CustodyBroken,
                name: "custody.jsonl".into(),
                detail:
                    "a later custody log does not extend the earlier one (records were removed)"
                        .into(),
            });
            break;
        }
    }
    report.manifest = manifest;
    report.problems = problems;
    report
}
