//! The baseline: what the trees looked like, the rules to judge them by, and who accepted
//! which change — stored as one signed JSON file.
//!
//! File layout: `{"format":"mamori-integrity-baseline","seal":{…},"body":{…}}`. The seal is an
//! Ed25519 signature over the exact bytes of `body`, so a byte changed anywhere in the body, or
//! a body re-signed with another key, is refused before anything in it is trusted.

use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::path::PathBytes;
use crate::rules::Config;
use crate::seal::{Seal, seal, verify};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::path::Path;

/// The format tag of a baseline file.
pub const BASELINE_FORMAT: &str = "mamori-integrity-baseline";
/// The body version this build writes and reads.
pub const BASELINE_VERSION: u32 = 1;
const DOMAIN: &str = "mamori-integrity baseline v1";

/// The trees as they were, the rules, and the history of accepted changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Body version ([`BASELINE_VERSION`]).
    pub version: u32,
    /// The program that wrote it, e.g. `mamori-integrity 0.1.0`.
    pub tool: String,
    /// Host name where it was made.
    pub host: String,
    /// When it was first made (RFC 3339).
    pub created_at: String,
    /// When it was last written (RFC 3339).
    pub updated_at: String,
    /// The scanned roots (absolute).
    pub roots: Vec<PathBytes>,
    /// The configuration used, kept so that `check` judges by the same rules.
    pub config: Config,
    /// Every recorded entry, sorted by path bytes.
    pub entries: Vec<Entry>,
    /// Who made or changed the baseline, when and why.
    #[serde(default)]
    pub history: Vec<HistoryRecord>,
}

/// One write of the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRecord {
    /// `init`, `update` or `accept`.
    pub action: String,
    /// When (RFC 3339).
    pub at: String,
    /// Who (user name and uid as given by the caller).
    pub who: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Paths whose changes were taken in (empty for `init`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathBytes>,
}

#[derive(Serialize, Deserialize)]
struct SignedFile<'a> {
    format: String,
    seal: Seal,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// A baseline read and verified from a file, with the key that signed it.
#[derive(Debug, Clone)]
pub struct VerifiedBaseline {
    /// The content.
    pub baseline: Baseline,
    /// The key that signed it.
    pub signer: VerifyingKey,
}

impl Baseline {
    /// Serialises and signs the baseline.
    pub fn to_signed_bytes(&self, key: &SigningKey) -> Vec<u8> {
        #[allow(clippy::expect_used)] // plain data: serialisation cannot fail
        let body = serde_json::to_vec(self).expect("baseline serialises");
        let seal = seal(DOMAIN, &body, key);
        #[allow(clippy::expect_used)]
        let seal_json = serde_json::to_vec(&seal).expect("seal serialises");
        let mut out = Vec::with_capacity(body.len() + 400);
        out.extend_from_slice(b"{\"format\":\"");
        out.extend_from_slice(BASELINE_FORMAT.as_bytes());
        out.extend_from_slice(b"\",\"seal\":");
        out.extend_from_slice(&seal_json);
        out.extend_from_slice(b",\"body\":");
        out.extend_from_slice(&body);
        out.extend_from_slice(b"}\n");
        out
    }

    /// Parses and verifies a signed baseline; `path` names the file in errors. With `pinned`,
    /// the signature must come from that key.
    pub fn from_signed_bytes(
        bytes: &[u8],
        path: &Path,
        pinned: Option<&VerifyingKey>,
    ) -> Result<VerifiedBaseline> {
        let file: SignedFile<'_> = serde_json::from_slice(bytes)
            .map_err(|e| Error::format(path, format!("not a signed baseline: {e}")))?;
        if file.format != BASELINE_FORMAT {
            return Err(Error::format(
                path,
                format!("format {:?}, expected {BASELINE_FORMAT:?}", file.format),
            ));
        }
        let signer =
            verify(DOMAIN, file.body.get().as_bytes(), &file.seal, pinned).map_err(|detail| {
                Error::BadSignature {
                    path: path.to_owned(),
                    detail,
                }
            })?;
        #[derive(Deserialize)]
        struct Probe {
            version: u32,
        }
        let probe: Probe = serde_json::from_str(file.body.get())
            .map_err(|e| Error::format(path, format!("baseline body: {e}")))?;
        if probe.version != BASELINE_VERSION {
            return Err(Error::Version {
                path: path.to_owned(),
                found: probe.version,
                supported: BASELINE_VERSION,
            });
        }
        let baseline: Baseline = serde_json::from_str(file.body.get())
            .map_err(|e| Error::format(path, format!("baseline body: {e}")))?;
        Ok(VerifiedBaseline { baseline, signer })
    }

    /// Reads and verifies a baseline file.
    pub fn read(path: &Path, pinned: Option<&VerifyingKey>) -> Result<VerifiedBaseline> {
        let bytes = fs_err::read(path).map_err(|e| Error::io(path, e))?;
        Baseline::from_signed_bytes(&bytes, path, pinned)
    }

    /// Signs and writes the baseline atomically (temporary file, then rename), mode 0600.
    pub fn write(&self, path: &Path, key: &SigningKey) -> Result<()> {
        crate::fsutil::write_atomic(path, &self.to_signed_bytes(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Config;

    fn sample() -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            tool: "t".into(),
            host: "h".into(),
            created_at: "2026-11-25T00:00:00Z".into(),
            updated_at: "2026-11-25T00:00:00Z".into(),
            roots: vec![PathBytes::from_bytes(b"/srv".to_vec())],
            config: Config::builtin(),
            entries: vec![],
            history: vec![],
        }
    }

    #[test]
    fn any_flipped_byte_in_the_body_is_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let bytes = sample().to_signed_bytes(&key);
        let ok = Baseline::from_signed_bytes(&bytes, Path::new("b"), None).unwrap();
        assert_eq!(ok.baseline, sample());
        let body_at = bytes.windows(7).position(|w| w == b"\"body\":").unwrap() + 7;
        for i in (body_at..bytes.len() - 2).step_by(97) {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            let err = Baseline::from_signed_bytes(&bad, Path::new("b"), None).unwrap_err();
            assert!(
                matches!(err, Error::BadSignature { .. } | Error::Format { .. }),
                "byte {i}: {err}"
            );
        }
    }

    #[test]
    fn newer_version_is_named() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let mut b = sample();
        b.version = 9;
        let err = Baseline::from_signed_bytes(&b.to_signed_bytes(&key), Path::new("b"), None)
            .unwrap_err();
        assert!(matches!(err, Error::Version { found: 9, .. }), "{err}");
    }
}
