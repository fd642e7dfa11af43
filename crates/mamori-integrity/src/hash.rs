//! Content hashing: BLAKE3 (default) or SHA-256, streamed in fixed-size blocks so memory does
//! not depend on file size.

use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::io::Read;

const BLOCK: usize = 256 * 1024;

/// The content hash algorithm of a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlgo {
    /// BLAKE3 (fast, the default).
    #[default]
    Blake3,
    /// SHA-256 (FIPS, for policies that require it).
    Sha256,
}

impl HashAlgo {
    /// Parses `blake3` / `sha256` (also `sha-256`).
    pub fn parse(s: &str) -> Option<HashAlgo> {
        match s.to_ascii_lowercase().as_str() {
            "blake3" | "b3" => Some(HashAlgo::Blake3),
            "sha256" | "sha-256" => Some(HashAlgo::Sha256),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            HashAlgo::Blake3 => "blake3",
            HashAlgo::Sha256 => "sha256",
        }
    }
}

enum State {
    Blake3(Box<blake3::Hasher>),
    Sha256(sha2::Sha256),
}

/// Hashes at most `limit` bytes of `reader` (all of it when `limit` is `None`).
/// Returns the hex digest and the number of bytes read.
pub fn hash_reader(
    algo: HashAlgo,
    reader: &mut dyn Read,
    limit: Option<u64>,
) -> std::io::Result<(String, u64)> {
    let mut state = match algo {
        HashAlgo::Blake3 => State::Blake3(Box::default()),
        HashAlgo::Sha256 => State::Sha256(sha2::Sha256::new()),
    };
    BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        let mut total = 0u64;
        loop {
            let want = match limit {
                Some(l) => usize::try_from(l - total).unwrap_or(BLOCK).min(BLOCK),
                None => BLOCK,
            };
            if want == 0 {
                break;
            }
            let n = match reader.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            match &mut state {
                // a full block: let idle cores help (one huge file still uses every core)
                State::Blake3(h) if n == BLOCK => {
                    h.update_rayon(&buf[..n]);
                }
                State::Blake3(h) => {
                    h.update(&buf[..n]);
                }
                State::Sha256(h) => h.update(&buf[..n]),
            }
            total += n as u64;
        }
        let hex = match state {
            State::Blake3(h) => h.finalize().to_hex().to_string(),
            State::Sha256(h) => hex::encode(h.finalize()),
        };
        Ok((hex, total))
    })
}

/// SHA-256 of a byte slice, hex (used for manifests and the custody chain).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(data))
}

thread_local! {
    static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; BLOCK]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let (b3, n) = hash_reader(HashAlgo::Blake3, &mut &b"abc"[..], None).unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            b3,
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        let (s, _) = hash_reader(HashAlgo::Sha256, &mut &b"abc"[..], None).unwrap();
        assert_eq!(
            s,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn limit_hashes_a_prefix() {
        let data = vec![7u8; BLOCK * 2 + 5];
        let (p, n) = hash_reader(HashAlgo::Sha256, &mut &data[..], Some(10)).unwrap();
        assert_eq!(n, 10);
        assert_eq!(p, sha256_hex(&data[..10]));
        let (all, n) = hash_reader(HashAlgo::Sha256, &mut &data[..], None).unwrap();
        assert_eq!(n, data.len() as u64);
        assert_eq!(all, sha256_hex(&data));
    }
}
