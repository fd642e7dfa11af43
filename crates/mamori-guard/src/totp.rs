//! HOTP (RFC 4226) and TOTP (RFC 6238), written by hand on `hmac` + `sha1`/`sha2`.
//!
//! Why not `totp-rs`: it refuses secrets shorter than 128 bits, which rules out the
//! RFC test vectors, and it has no notion of "each code accepted once". The algorithm
//! is twenty lines; replay protection is what matters and lives in the guard (the
//! last accepted step is stored per account and every step is marked used atomically
//! in the [`GuardStore`](crate::GuardStore)).

use hmac::{Hmac, KeyInit, Mac};
use time::OffsetDateTime;

/// The HMAC hash of an authenticator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TotpAlgorithm {
    /// HMAC-SHA-1 (what authenticator apps support everywhere).
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl TotpAlgorithm {
    fn name(self) -> &'static str {
        match self {
            TotpAlgorithm::Sha1 => "SHA1",
            TotpAlgorithm::Sha256 => "SHA256",
            TotpAlgorithm::Sha512 => "SHA512",
        }
    }
}

fn mac(alg: TotpAlgorithm, key: &[u8], msg: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
        // HMAC accepts keys of any length, so this cannot fail.
        match <M as KeyInit>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(msg);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    match alg {
        TotpAlgorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, msg),
        TotpAlgorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, msg),
        TotpAlgorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, msg),
    }
}

/// RFC 4226 HOTP value of `counter`, `digits` long (6–9).
pub fn hotp(alg: TotpAlgorithm, key: &[u8], counter: u64, digits: u32) -> u32 {
    let h = mac(alg, key, &counter.to_be_bytes());
    let Some(last) = h.last() else { return 0 };
    let off = (last & 0x0f) as usize;
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    bin % 10u32.pow(digits)
}

/// A TOTP configuration (RFC 6238): step 30 s, 6 digits, SHA-1 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Totp {
    /// The HMAC hash.
    pub algorithm: TotpAlgorithm,
    /// Digits per code.
    pub digits: u32,
    /// Seconds per step.
    pub step_secs: u64,
    /// Steps accepted on each side of the current one (clock drift).
    pub skew_steps: u64,
}

impl Default for Totp {
    fn default() -> Self {
        Totp {
            algorithm: TotpAlgorithm::Sha1,
            digits: 6,
            step_secs: 30,
            skew_steps: 1,
        }
    }
}

impl Totp {
    /// The time step containing `t`.
    pub fn step_at(&self, t: OffsetDateTime) -> u64 {
        u64::try_from(t.unix_timestamp()).unwrap_or(0) / self.step_secs
    }

    /// The code for step `step`.
    pub fn code_for_step(&self, key: &[u8], step: u64) -> String {
        format!(
            "{:0width$}",
            hotp(self.algorithm, key, step, self.digits),
            width = self.digits as usize
        )
    }

    /// The code at time `t`.
    pub fn code_at(&self, key: &[u8], t: OffsetDateTime) -> String {
        self.code_for_step(key, self.step_at(t))
    }

    /// The step whose code equals `code` within the skew window, newest first
    /// compared in constant time; `None` if no step matches.
    pub fn matching_step(&self, key: &[u8], code: &str, t: OffsetDateTime) -> Option<u64> {
        let code = code.trim();
        if code.len() != self.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = self.step_at(t);
        let lo = now.saturating_sub(self.skew_steps);
        let mut found = None;
        for step in lo..=now + self.skew_steps {
            let c = self.code_for_step(key, step);
            if crate::password::ct_eq(c.as_bytes(), code.as_bytes()) {
                found = Some(step);
            }
        }
        found
    }

    /// The `otpauth://` URI an authenticator app scans (as a QR code).
    pub fn provisioning_uri(&self, key: &[u8], issuer: &str, account: &str) -> String {
        let secret = data_encoding::BASE32_NOPAD.encode(key);
        format!(
            "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm={}&digits={}&period={}",
            pct(issuer),
            pct(account),
            pct(issuer),
            self.algorithm.name(),
            self.digits,
            self.step_secs
        )
    }
}

fn pct(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4226_appendix_d_vectors() {
        let key = b"12345678901234567890";
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(
                hotp(TotpAlgorithm::Sha1, key, i as u64, 6),
                *w,
                "counter {i}"
            );
        }
    }

    #[test]
    fn rfc6238_appendix_b_vectors() {
        let k1 = b"12345678901234567890".as_slice();
        let k256 = b"12345678901234567890123456789012".as_slice();
        let k512 = b"1234567890123456789012345678901234567890123456789012345678901234".as_slice();
        let rows: [(i64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (t, s1, s256, s512) in rows {
            let at = OffsetDateTime::from_unix_timestamp(t).unwrap();
            let mk = |algorithm| Totp {
                algorithm,
                digits: 8,
                ..Totp::default()
            };
            assert_eq!(mk(TotpAlgorithm::Sha1).code_at(k1, at), s1, "SHA1 T={t}");
            assert_eq!(
                mk(TotpAlgorithm::Sha256).code_at(k256, at),
                s256,
                "SHA256 T={t}"
            );
            assert_eq!(
                mk(TotpAlgorithm::Sha512).code_at(k512, at),
                s512,
                "SHA512 T={t}"
            );
        }
    }

    #[test]
    fn skew_window_accepts_neighbours_only() {
        let t = Totp::default();
        let key = b"0123456789abcdef0123";
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let now = t.step_at(at);
        assert_eq!(
            t.matching_step(key, &t.code_for_step(key, now - 1), at),
            Some(now - 1)
        );
        assert_eq!(
            t.matching_step(key, &t.code_for_step(key, now + 1), at),
            Some(now + 1)
        );
        assert_eq!(
            t.matching_step(key, &t.code_for_step(key, now - 3), at),
            None
        );
        assert_eq!(t.matching_step(key, "12a456", at), None);
    }

    #[test]
    fn provisioning_uri_has_base32_secret_and_escaped_names() {
        let uri = Totp::default().provisioning_uri(b"hello", "守り", "taro@example.jp");
        assert!(
            uri.starts_with("otpauth://totp/%E5%AE%88%E3%82%8A:taro%40example.jp?secret=NBSWY3DP&"),
            "{uri}"
        );
    }
}
