//! Ed25519 keys and seals (detached signatures over exact bytes).
//!
//! A key file holds `mamori-ed25519-secret-v1 <hex>` and is created with mode 0600 in a 0700
//! directory. A public key is written and printed as `ed25519:<hex>` so that it can be kept
//! elsewhere (on paper, in a ticket, on another host) and passed back with `--public-key`.
//! Every signature covers a domain string plus the exact bytes, so a baseline signature cannot
//! be replayed as a manifest signature.

use crate::error::{Error, Result};
use ed25519_dalek::{Signature, Signer, Verifier};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

const SECRET_TAG: &str = "mamori-ed25519-secret-v1";

/// A detached signature, stored next to (or around) the bytes it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// Always `ed25519`.
    pub algorithm: String,
    /// The signer's public key, `ed25519:<hex>`.
    pub public_key: String,
    /// The signature, hex.
    pub signature: String,
}

/// Generates a new signing key from the operating system's random source.
pub fn generate_key() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| {
        Error::io(
            "/dev/urandom",
            std::io::Error::other(format!("no randomness: {e}")),
        )
    })?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Writes `key` to `path` with mode 0600 (parent directories 0700). Refuses to overwrite.
pub fn write_key(path: &Path, key: &SigningKey) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(dir, e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    writeln!(f, "{SECRET_TAG} {}", hex::encode(key.to_bytes())).map_err(|e| Error::io(path, e))?;
    let public = path.with_extension("pub");
    fs_err::write(
        &public,
        format!("{}\n", public_key_string(&key.verifying_key())),
    )
    .map_err(|e| Error::io(&public, e))
}

/// Reads a key written by [`write_key`].
pub fn read_key(path: &Path) -> Result<SigningKey> {
    let text = fs_err::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let hexed = text
        .trim()
        .strip_prefix(SECRET_TAG)
        .map(str::trim)
        .ok_or_else(|| Error::format(path, "not a mamori signing key"))?;
    let bytes: [u8; 32] = hex::decode(hexed)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::format(path, "signing key is not 32 bytes of hex"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Reads the key at `path`, or creates it. Returns the key and whether it was created.
pub fn read_or_create_key(path: &Path) -> Result<(SigningKey, bool)> {
    if path.exists() {
        Ok((read_key(path)?, false))
    } else {
        let key = generate_key()?;
        write_key(path, &key)?;
        Ok((key, true))
    }
}

/// `ed25519:<hex>`.
pub fn public_key_string(key: &VerifyingKey) -> String {
    format!("ed25519:{}", hex::encode(key.as_bytes()))
}

/// Parses `ed25519:<hex>` or bare hex, or the content of a `.pub` file.
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let t = text.trim();
    let t = t.strip_prefix("ed25519:").unwrap_or(t);
    let bytes: [u8; 32] = hex::decode(t).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

fn message(domain: &str, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(domain.len() + 1 + body.len());
    m.extend_from_slice(domain.as_bytes());
    m.push(0);
    m.extend_from_slice(body);
    m
}

/// Signs `body` for `domain`.
pub fn seal(domain: &str, body: &[u8], key: &SigningKey) -> Seal {
    let sig = key.sign(&message(domain, body));
    Seal {
        algorithm: "ed25519".to_owned(),
        public_key: public_key_string(&key.verifying_key()),
        signature: hex::encode(sig.to_bytes()),
    }
}

/// Checks `seal` over `body`. When `pinned` is given, the seal must also be made by that key.
/// Returns the signer's key, or a reason for people.
pub fn verify(
    domain: &str,
    body: &[u8],
    seal: &Seal,
    pinned: Option<&VerifyingKey>,
) -> std::result::Result<VerifyingKey, String> {
    if seal.algorithm != "ed25519" {
        return Err(format!("unknown signature algorithm {:?}", seal.algorithm));
    }
    // One spelling only: the seal is written in lowercase hex, so any other form was edited.
    let canonical = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let key_hex = seal.public_key.strip_prefix("ed25519:").unwrap_or("");
    if !canonical(key_hex) || !canonical(&seal.signature) {
        return Err("seal is not in canonical form (edited)".to_owned());
    }
    let key = parse_public_key(&seal.public_key).ok_or("malformed public key in the seal")?;
    if let Some(p) = pinned
        && p != &key
    {
        return Err(format!(
            "signed by {}, but the trusted key is {}",
            public_key_string(&key),
            public_key_string(p)
        ));
    }
    let sig: [u8; 64] = hex::decode(&seal.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("malformed signature")?;
    key.verify(&message(domain, body), &Signature::from_bytes(&sig))
        .map_err(|_| "content does not match its signature".to_owned())?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_verifies_and_catches_a_flipped_byte() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let s = seal("d", b"hello", &key);
        assert!(verify("d", b"hello", &s, None).is_ok());
        assert!(verify("d", b"hellp", &s, None).is_err());
        assert!(verify("other-domain", b"hello", &s, None).is_err());
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        let err = verify("d", b"hello", &s, Some(&other)).unwrap_err();
        assert!(err.contains("trusted key"), "{err}");
    }

    #[test]
    fn key_file_is_private_and_round_trips() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/integrity.key");
        let (key, created) = read_or_create_key(&path).unwrap();
        assert!(created);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let (again, created) = read_or_create_key(&path).unwrap();
        assert!(!created);
        assert_eq!(again.to_bytes(), key.to_bytes());
        let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
        assert_eq!(parse_public_key(&public), Some(key.verifying_key()));
    }
}
