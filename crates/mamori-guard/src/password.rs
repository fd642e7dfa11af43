//! Password hashing: Argon2id PHC strings with OWASP / ASVS 5 parameters, an optional
//! pepper, NFKC normalisation and transparent rehash when parameters change.

use crate::env::{SecureRandom, random_bytes};
use crate::error::{GuardError, Result};
use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HashParams {
    /// Memory in KiB (OWASP minimum 19456 = 19 MiB).
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for HashParams {
    /// OWASP Password Storage Cheat Sheet / ASVS 5 minimum: m=19456 KiB, t=2, p=1.
    fn default() -> Self {
        HashParams {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl HashParams {
    /// Cheap parameters for tests and simulations only (m=64 KiB, t=1).
    pub fn insecure_for_tests() -> Self {
        HashParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn argon2_params(&self) -> Result<Params> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| GuardError::Config(format!("argon2 parameters: {e}")))
    }
}

/// The result of checking a password against a stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Wrong password.
    No,
    /// Right password; the stored hash is current.
    Yes,
    /// Right password; store this new hash (parameters or pepper changed).
    YesRehashed(String),
}

impl Verified {
    /// Whether the password was right.
    pub fn is_ok(&self) -> bool {
        !matches!(self, Verified::No)
    }
}

/// NFKC-normalises a password (so that full-width and half-width forms, and composed
/// and decomposed kana, are the same password).
pub fn normalize_password(password: &str) -> String {
    password.nfkc().collect()
}

/// The length that policies count: Unicode code points after NFKC.
pub fn password_length(password: &str) -> usize {
    password.nfkc().count()
}

/// Hashes and verifies passwords with one configuration.
#[derive(Clone)]
pub struct PasswordHasher {
    params: HashParams,
    pepper: Option<Vec<u8>>,
    dummy_phc: String,
    computed: Arc<AtomicU64>,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", &self.params)
            .field("pepper", &self.pepper.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl PasswordHasher {
    /// A hasher with `params` and an optional pepper (a server-side secret kept
    /// outside the database, e.g. in a KMS or an environment file).
    pub fn new(params: HashParams, pepper: Option<Vec<u8>>) -> Result<Self> {
        params.argon2_params()?;
        let mut h = PasswordHasher {
            params,
            pepper,
            dummy_phc: String::new(),
            computed: Arc::new(AtomicU64::new(0)),
        };
        // A hash of nothing anyone knows, with the same cost as real ones: unknown
        // users are verified against it so that they cost the same work.
        h.dummy_phc = h.hash_with_salt("mamori-dummy-password", &[0x5a; 16])?;
        h.computed.store(0, Ordering::Relaxed);
        Ok(h)
    }

    /// How many Argon2 computations this hasher (and its clones) made: an operations
    /// metric, and how tests prove that refused attempts cost no hash.
    pub fn hashes_computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    /// The parameters new hashes use.
    pub fn params(&self) -> HashParams {
        self.params
    }

    fn argon2(&self, params: Params) -> Result<Argon2<'_>> {
        match &self.pepper {
            Some(p) => Argon2::new_with_secret(p, Algorithm::Argon2id, Version::V0x13, params)
                .map_err(|e| GuardError::Config(format!("pepper: {e}"))),
            None => Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)),
        }
    }

    fn hash_with_salt(&self, password: &str, salt: &[u8]) -> Result<String> {
        self.computed.fetch_add(1, Ordering::Relaxed);
        let pw = normalize_password(password);
        let a = self.argon2(self.params.argon2_params()?)?;
        a.hash_password_with_salt(pw.as_bytes(), salt)
            .map(|h| h.to_string())
            .map_err(|e| GuardError::Hash(e.to_string()))
    }

    /// Hashes `password` with a fresh 128-bit salt into a PHC string
    /// (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub fn hash(&self, password: &str, rng: &dyn SecureRandom) -> Result<String> {
        let salt: [u8; 16] = random_bytes(rng);
        self.hash_with_salt(password, &salt)
    }

    /// Verifies `password` against `phc`; when it is right and the hash was made with
    /// other parameters, returns a new hash to store.
    pub fn verify(&self, password: &str, phc: &str, rng: &dyn SecureRandom) -> Result<Verified> {
        let parsed = PasswordHash::new(phc).map_err(|e| GuardError::Hash(e.to_string()))?;
        let stored = Params::try_from(&parsed).map_err(|e| GuardError::Hash(e.to_string()))?;
        self.computed.fetch_add(1, Ordering::Relaxed);
        let pw = normalize_password(password);
        let a = self.argon2(stored.clone())?;
        match a.verify_password(pw.as_bytes(), &parsed) {
            Ok(()) => {}
            Err(argon2::password_hash::Error::PasswordInvalid) => return Ok(Verified::No),
            Err(e) => return Err(GuardError::Hash(e.to_string())),
        }
        let current = self.params.argon2_params()?;
        let same = stored.m_cost() == current.m_cost()
            && stored.t_cost() == current.t_cost()
            && stored.p_cost() == current.p_cost()
            && parsed.algorithm.as_str() == "argon2id";
        if same {
            Ok(Verified::Yes)
        } else {
            Ok(Verified::YesRehashed(self.hash(password, rng)?))
        }
    }

    /// Does the same work as [`verify`](Self::verify) for an account that does not
    /// exist, and always answers no. Keeps timing from revealing which names exist.
    pub fn verify_dummy(&self, password: &str) {
        let Ok(parsed) = PasswordHash::new(&self.dummy_phc) else {
            return;
        };
        self.computed.fetch_add(1, Ordering::Relaxed);
        let pw = normalize_password(password);
        if let Ok(a) = self.params.argon2_params().and_then(|p| self.argon2(p)) {
            let _ = a.verify_password(pw.as_bytes(), &parsed);
        }
    }
}

/// Constant-time comparison of two byte strings (for hashed codes and tokens).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::SeededRandom;

    fn cheap() -> PasswordHasher {
        PasswordHasher::new(HashParams::insecure_for_tests(), None).unwrap()
    }

    #[test]
    fn hash_verifies_and_wrong_password_fails() {
        let h = cheap();
        let r = SeededRandom::new(1);
        let phc = h.hash("correct horse battery", &r).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert_eq!(
            h.verify("correct horse battery", &phc, &r).unwrap(),
            Verified::Yes
        );
        assert_eq!(
            h.verify("correct horse batterx", &phc, &r).unwrap(),
            Verified::No
        );
    }

    #[test]
    fn full_width_password_equals_half_width() {
        let h = cheap();
        let r = SeededRandom::new(2);
        let phc = h.hash("ｐａｓｓ　ｗｏｒｄ１２３", &r).unwrap();
        assert!(h.verify("pass word123", &phc, &r).unwrap().is_ok());
        assert_eq!(password_length("ｐａｓｓ"), 4);
        assert_eq!(password_length("パスワード"), 5);
    }

    #[test]
    fn changed_params_trigger_rehash_with_new_params() {
        let r = SeededRandom::new(3);
        let old = cheap();
        let phc = old.hash("some long passphrase", &r).unwrap();
        let new = PasswordHasher::new(
            HashParams {
                memory_kib: 128,
                iterations: 2,
                parallelism: 1,
            },
            None,
        )
        .unwrap();
        match new.verify("some long passphrase", &phc, &r).unwrap() {
            Verified::YesRehashed(n) => {
                assert!(n.starts_with("$argon2id$v=19$m=128,t=2,p=1$"), "{n}");
                assert_eq!(
                    new.verify("some long passphrase", &n, &r).unwrap(),
                    Verified::Yes
                );
            }
            other => panic!("expected a rehash, got {other:?}"),
        }
    }

    #[test]
    fn pepper_is_required_to_verify() {
        let r = SeededRandom::new(4);
        let peppered =
            PasswordHasher::new(HashParams::insecure_for_tests(), Some(b"pepper-1".to_vec()))
                .unwrap();
        let phc = peppered.hash("long enough passphrase", &r).unwrap();
        assert!(
            peppered
                .verify("long enough passphrase", &phc, &r)
                .unwrap()
                .is_ok()
        );
        assert_eq!(
            cheap().verify("long enough passphrase", &phc, &r).unwrap(),
            Verified::No
        );
    }

    #[test]
    fn default_params_are_owasp_minimum() {
        let p = HashParams::default();
        assert_eq!((p.memory_kib, p.iterations, p.parallelism), (19_456, 2, 1));
    }

    #[test]
    fn rfc9106_argon2id_test_vector() {
        // RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, password 32×0x01, salt 16×0x02,
        // secret 8×0x03, associated data 12×0x04, tag length 32.
        let params = argon2::ParamsBuilder::new()
            .m_cost(32)
            .t_cost(3)
            .p_cost(4)
            .output_len(32)
            .data(argon2::AssociatedData::new(&[0x04; 12]).unwrap())
            .build()
            .unwrap();
        let a = Argon2::new_with_secret(&[0x03; 8], Algorithm::Argon2id, Version::V0x13, params)
            .unwrap();
        let mut out = [0u8; 32];
        a.hash_password_into(&[0x01; 32], &[0x02; 16], &mut out)
            .unwrap();
        assert_eq!(
            hex::encode(out),
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
        );
    }
}
