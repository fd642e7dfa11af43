//! The evidence manifest: what was collected, from where, by whom, why, with SHA-256 of every
//! item. Signed as exact bytes (`manifest.json` + `manifest.sig`).

use crate::error::{Error, Result};
use crate::host::HostFacts;
use crate::path::PathBytes;
use crate::seal::{Seal, VerifyingKey, verify};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Format tag of a manifest.
pub const MANIFEST_FORMAT: &str = "mamori-evidence-manifest";
/// Manifest version this build writes and reads.
pub const MANIFEST_VERSION: u32 = 1;
pub(crate) const DOMAIN: &str = "mamori-evidence manifest v1";

/// What a bundle holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// [`MANIFEST_VERSION`].
    pub version: u32,
    /// Random identifier of the bundle (hex).
    pub bundle_id: String,
    /// Program and version.
    pub tool: String,
    /// When collected (RFC 3339).
    pub collected_at: String,
    /// Who collected.
    pub collector: String,
    /// Why (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The machine the evidence comes from.
    pub host: HostFacts,
    /// The collected items.
    pub items: Vec<Item>,
}

/// What kind of item it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A log or any other file.
    File,
    /// JSON output of `mamori scan`.
    ScanReport,
    /// JSON output of `mamori integrity check`.
    IntegrityReport,
}

/// One collected file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Its name inside the bundle (`items/0001-access.log`).
    pub name: String,
    /// Where it was collected from.
    pub original_path: PathBytes,
    /// Kind.
    pub kind: ItemKind,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Permission bits at collection.
    pub mode: u32,
    /// Owner uid.
    pub uid: u32,
    /// Owner gid.
    pub gid: u32,
    /// Modification time (RFC 3339).
    pub mtime: String,
    /// Inode change time (RFC 3339).
    pub ctime: String,
    /// Access time (RFC 3339).
    pub atime: String,
    /// The file changed while it was being copied (the copy is what was read).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed_during_copy: bool,
}

impl Manifest {
    /// Parses manifest bytes after checking their seal. `path` names the bundle in errors.
    pub fn parse_verified(
        bytes: &[u8],
        seal_bytes: &[u8],
        path: &Path,
        pinned: Option<&VerifyingKey>,
    ) -> Result<(Manifest, VerifyingKey)> {
        let seal: Seal = serde_json::from_slice(seal_bytes)
            .map_err(|e| Error::format(path, format!("manifest.sig: {e}")))?;
        let signer =
            verify(DOMAIN, bytes, &seal, pinned).map_err(|detail| Error::BadSignature {
                path: path.join("manifest.json"),
                detail,
            })?;
        Ok((Manifest::parse(bytes, path)?, signer))
    }

    /// Parses manifest bytes without checking a signature (for fuzzing and inspection).
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| Error::format(path, format!("manifest.json: {e}")))?;
        if m.format != MANIFEST_FORMAT {
            return Err(Error::format(
                path,
                format!("manifest format {:?}", m.format),
            ));
        }
        if m.version != MANIFEST_VERSION {
            return Err(Error::Version {
                path: path.to_owned(),
                found: m.version,
                supported: MANIFEST_VERSION,
            });
        }
        Ok(m)
    }
}

/// Guesses the kind of a collected file from its JSON content.
pub fn detect_kind(path: &Path, head: &[u8]) -> ItemKind {
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json {
        return ItemKind::File;
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(head) else {
        return ItemKind::File;
    };
    let schema = v.get("$schema").and_then(|s| s.as_str()).unwrap_or("");
    if schema.contains("integrity-check")
        || (v.get("changes").is_some() && v.get("baseline").is_some())
    {
        ItemKind::IntegrityReport
    } else if v.get("findings").is_some() {
        ItemKind::ScanReport
    } else {
        ItemKind::File
    }
}
