//! Single-use recovery codes, stored as SHA-256 digests (each code carries 80 random
//! bits, so an unkeyed hash resists offline search).

use crate::env::{SecureRandom, random_bytes};
use sha2::{Digest, Sha256};

/// Codes issued at once.
pub const RECOVERY_CODES: usize = 10;

/// Normalises a typed code: NFKC, upper-case, dashes and spaces removed.
fn canonical(code: &str) -> String {
    crate::password::normalize_password(code)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The stored digest of a code (hex SHA-256 of the canonical form).
pub fn recovery_digest(code: &str) -> String {
    hex::encode(Sha256::digest(canonical(code).as_bytes()))
}

/// Issues [`RECOVERY_CODES`] codes like `K7QX-3MZP-W2RA-HT5N`: the codes to show
/// once, and the digests to store.
pub fn issue_recovery_codes(rng: &dyn SecureRandom) -> (Vec<String>, Vec<String>) {
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw = data_encoding::BASE32_NOPAD.encode(&random_bytes::<10>(rng));
        let grouped = raw
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        codes.push(grouped);
    }
    let digests = codes.iter().map(|c| recovery_digest(c)).collect();
    (codes, digests)
}

/// Finds `code` among `digests` (constant-time per entry); returns its position.
pub fn find_recovery_code(digests: &[String], code: &str) -> Option<usize> {
    let d = recovery_digest(code);
    let mut found = None;
    for (i, s) in digests.iter().enumerate() {
        if crate::password::ct_eq(s.as_bytes(), d.as_bytes()) {
            found = Some(i);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::SeededRandom;

    #[test]
    fn codes_are_distinct_stored_hashed_and_typed_loosely() {
        let (codes, digests) = issue_recovery_codes(&SeededRandom::new(1));
        assert_eq!(codes.len(), 10);
        let set: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(set.len(), 10);
        for (c, d) in codes.iter().zip(&digests) {
            assert_eq!(c.len(), 19, "{c}");
            assert!(!d.contains(&c.replace('-', "")), "digest is not the code");
        }
        let typed = codes[3].to_lowercase().replace('-', " ");
        assert_eq!(find_recovery_code(&digests, &typed), Some(3));
        assert_eq!(find_recovery_code(&digests, "AAAA-BBBB-CCCC-DDDD"), None);
    }
}
