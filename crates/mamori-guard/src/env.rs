//! The injected environment: a clock and a source of randomness.
//!
//! Library code never reads the wall clock (`clippy.toml` bans it); the binary or the
//! web server passes a [`Clock`]. Tests use [`ManualClock`] and [`SeededRandom`] so
//! that lockouts, windows and expiries are checked without sleeping.

use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

/// Where the guard reads the current time.
pub trait Clock: Send + Sync {
    /// The current time (UTC).
    fn now(&self) -> OffsetDateTime;
}

/// A clock that only moves when told to (tests, simulations).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<OffsetDateTime>>);

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }

    /// Sets the clock.
    pub fn set(&self, to: OffsetDateTime) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A cryptographically secure source of random bytes.
pub trait SecureRandom: Send + Sync {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG (`getrandom`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl SecureRandom for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        // getrandom only fails when the OS has no entropy source at all; there is no
        // safe way to go on without one.
        #[allow(clippy::expect_used)]
        getrandom::fill(buf).expect("the operating system's random source failed");
    }
}

/// A deterministic generator for tests and simulations: BLAKE3 in XOF mode keyed by a
/// seed. Never use it in production.
#[derive(Debug)]
pub struct SeededRandom {
    seed: [u8; 32],
    counter: Mutex<u64>,
}

impl SeededRandom {
    /// A generator whose output depends only on `seed`.
    pub fn new(seed: u64) -> Self {
        let mut s = [0u8; 32];
        s[..8].copy_from_slice(&seed.to_le_bytes());
        SeededRandom {
            seed: s,
            counter: Mutex::new(0),
        }
    }
}

impl SecureRandom for SeededRandom {
    fn fill(&self, buf: &mut [u8]) {
        let mut c = self.counter.lock().unwrap_or_else(|e| e.into_inner());
        *c += 1;
        let mut h = blake3::Hasher::new_keyed(&self.seed);
        h.update(&c.to_le_bytes());
        h.finalize_xof().fill(buf);
    }
}

/// `n` random bytes.
pub(crate) fn random_bytes<const N: usize>(rng: &dyn SecureRandom) -> [u8; N] {
    let mut b = [0u8; N];
    rng.fill(&mut b);
    b
}

/// A uniformly random number below `bound` (rejection sampling, no modulo bias).
pub(crate) fn random_below(rng: &dyn SecureRandom, bound: u32) -> u32 {
    debug_assert!(bound > 0);
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let v = u32::from_le_bytes(random_bytes::<4>(rng));
        if v < zone {
            return v % bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_random_is_deterministic_and_varies() {
        let a = SeededRandom::new(7);
        let b = SeededRandom::new(7);
        let x: [u8; 16] = random_bytes(&a);
        let y: [u8; 16] = random_bytes(&b);
        assert_eq!(x, y);
        let z: [u8; 16] = random_bytes(&a);
        assert_ne!(x, z);
    }

    #[test]
    fn random_below_stays_in_range() {
        let r = SeededRandom::new(1);
        let mut seen = [false; 10];
        for _ in 0..500 {
            let v = random_below(&r, 10) as usize;
            seen[v] = true;
        }
        assert!(seen.iter().all(|s| *s), "every digit appears");
    }
}
