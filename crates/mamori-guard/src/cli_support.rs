//! What the `mamori guard` commands call, so that they apply exactly the library's
//! policy and parameters.

use crate::corpus::BreachedPasswords;
use crate::env::OsRandom;
use crate::error::Result;
use crate::password::{HashParams, PasswordHasher};
use crate::policy::{PasswordPolicy, PolicyContext, Refusal};

/// Checks a candidate password with the default policy (NIST SP 800-63B-4 lengths,
/// common-password list, Japanese words, strength), optionally against a breach corpus.
pub fn check_candidate(
    candidate: &str,
    user: Option<&str>,
    with_second_factor: bool,
    breached: Option<&dyn BreachedPasswords>,
) -> Result<Option<Refusal>> {
    let ctx = PolicyContext {
        user,
        display_name: None,
        with_second_factor,
        previous_phcs: &[],
    };
    PasswordPolicy::default().check(candidate, &ctx, breached, None)
}

/// Hashes with the default Argon2id parameters and the OS random source.
pub fn hash_default(password: &str, pepper: Option<Vec<u8>>) -> Result<String> {
    PasswordHasher::new(HashParams::default(), pepper)?.hash(password, &OsRandom)
}

/// Strips exactly one trailing line ending from a password read from standard input.
pub fn strip_line_ending(s: &str) -> &str {
    s.strip_suffix("\r\n")
        .or_else(|| s.strip_suffix('\n'))
        .unwrap_or(s)
}
