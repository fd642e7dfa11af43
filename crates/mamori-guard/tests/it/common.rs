//! Shared test harness: a guard on an in-memory store with a manual clock, a seeded
//! RNG and a notifier that remembers everything. Hashing is cheap unless a test is
//! about the default parameters.

use mamori_guard::*;
use std::net::IpAddr;
use std::sync::Arc;
use time::OffsetDateTime;
use time::macros::datetime;

pub const T0: OffsetDateTime = datetime!(2026-04-01 09:00 UTC);
pub const GOOD_PW: &str = "violet lantern gravel orbit";
pub const GRID_KEY: [u8; 32] = [42; 32];

pub struct Harness {
    pub guard: Arc<Guard>,
    pub clock: ManualClock,
    pub notifier: Arc<MemoryNotifier>,
    pub store: Arc<MemoryStore>,
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

pub fn config() -> GuardConfig {
    GuardConfig::new("mamori-shop", GRID_KEY).insecure_fast_hashing()
}

pub fn harness() -> Harness {
    harness_with(|_| {})
}

pub fn harness_with(f: impl FnOnce(&mut GuardConfig)) -> Harness {
    let mut cfg = config();
    f(&mut cfg);
    let clock = ManualClock::new(T0);
    let notifier = Arc::new(MemoryNotifier::default());
    let store = Arc::new(MemoryStore::new());
    let guard = Guard::new(
        cfg,
        store.clone(),
        notifier.clone(),
        Arc::new(clock.clone()),
        Arc::new(SeededRandom::new(99)),
    )
    .unwrap();
    Harness {
        guard: Arc::new(guard),
        clock,
        notifier,
        store,
    }
}

impl Harness {
    /// Creates `name` with [`GOOD_PW`].
    pub fn user(&self, name: &str) {
        self.guard
            .create_account(name, name, GOOD_PW)
            .unwrap()
            .unwrap_or_else(|r| panic!("{r:?}"));
    }

    pub fn login(&self, user: &str, pw: &str, from: &str) -> LoginOutcome {
        self.guard
            .login(&LoginAttempt::new(user, pw, ip(from)))
            .unwrap()
    }

    pub fn notices_for(&self, user: &str) -> Vec<OwnerNotice> {
        self.notifier
            .notices()
            .into_iter()
            .filter(|(u, _)| u == user)
            .map(|(_, n)| n)
            .collect()
    }

    pub fn hashes(&self) -> u64 {
        self.guard.hasher().hashes_computed()
    }
}

pub fn is_success(o: &LoginOutcome) -> bool {
    matches!(o, LoginOutcome::Success(_))
}

/// Enrols TOTP for `user` and returns the secret.
pub fn enrol_totp(h: &Harness, user: &str) -> Vec<u8> {
    let setup = h.guard.begin_totp(user);
    let secret = data_encoding::BASE32_NOPAD
        .decode(setup.secret_base32.as_bytes())
        .unwrap();
    let code = Totp::default().code_at(&secret, h.clock.now());
    assert!(h.guard.confirm_totp(user, &setup, &code).unwrap());
    // The enrolment code's step is used; move to the next step.
    h.clock.advance(time::Duration::seconds(30));
    secret
}
