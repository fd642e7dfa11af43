//! The site-wide credential-stuffing signal (連続自動入力試行攻撃, R-3.2).
//!
//! Per-account and per-IP limits do not stop stuffing from thousands of addresses,
//! each trying one leaked pair per account. What does show is the whole site's
//! picture in a sliding window: a high failure ratio, many distinct accounts, a
//! large share of names that do not exist, and passwords from breach lists. When
//! the signal fires, the guard asks every login for a step-up factor until the
//! signal has been quiet for `hold_secs`.
//!
//! The decision ([`StuffingConfig`], [`StuffingDetector::fires`]) is pure and lives
//! here; the window and the alert are state in the [`GuardStore`] (buckets of
//! `bucket_secs` with their counts, each account's last bucket keyed by a stable
//! BLAKE3 hash of its name, the alert's end), so every server on one store sees one
//! window: an attack spread over several servers is seen whole, and an alert raised
//! on one puts friction on logins at all of them. [`GuardStore::stuffing_raise`]
//! tells exactly one caller that the alert went on, so the alert is reported once.

use crate::error::Result;
use crate::store::GuardStore;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use time::{Duration, OffsetDateTime};

/// Detector settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StuffingConfig {
    /// The sliding window.
    pub window_secs: i64,
    /// Bucket width inside the window.
    pub bucket_secs: i64,
    /// No signal below this many attempts in the window.
    pub min_attempts: u32,
    /// Failure ratio at or above which the window is suspicious.
    pub failure_ratio: f64,
    /// Distinct accounts tried in the window that, with a high failure ratio, fire.
    pub distinct_accounts: u32,
    /// Share of unknown user names that, with a high failure ratio, fires.
    pub unknown_share: f64,
    /// Attempts whose password is on a breach list that fire by themselves.
    pub breached_hits: u32,
    /// How long friction stays on after the last firing.
    pub hold_secs: i64,
    /// During an alert, a password-only login passes the step-up from a network
    /// ([`stepup_network`]) it signed in from successfully within this many days.
    pub known_network_days: i64,
    /// Networks remembered per account for that step-up.
    pub known_networks_max: usize,
}

impl Default for StuffingConfig {
    fn default() -> Self {
        StuffingConfig {
            window_secs: 600,
            bucket_secs: 10,
            min_attempts: 100,
            failure_ratio: 0.7,
            distinct_accounts: 100,
            unknown_share: 0.3,
            breached_hits: 50,
            hold_secs: 1_800,
            known_network_days: 90,
            known_networks_max: 16,
        }
    }
}

/// What was seen about one attempt.
#[derive(Debug, Clone, Copy)]
pub struct AttemptSignal<'a> {
    /// The normalised user name.
    pub user: &'a str,
    /// The login failed.
    pub failed: bool,
    /// The name does not exist.
    pub unknown_user: bool,
    /// The password is on a breach or common list.
    pub breached_password: bool,
}

/// The window's figures.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct StuffingStats {
    /// Attempts.
    pub attempts: u32,
    /// Failures.
    pub failures: u32,
    /// Attempts on names that do not exist.
    pub unknown: u32,
    /// Attempts with breached passwords.
    pub breached: u32,
    /// Distinct accounts.
    pub distinct_accounts: u32,
}

/// One attempt as the store records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StuffingHit {
    /// The bucket: Unix seconds divided by `bucket_secs`.
    pub bucket: i64,
    /// The account: [`account_hash`] of the normalised name.
    pub account: i64,
    /// The login failed.
    pub failed: bool,
    /// The name does not exist.
    pub unknown_user: bool,
    /// The password is on a breach or common list.
    pub breached_password: bool,
}

/// The window's figures and the alert, as one read of the store returns them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StuffingWindow {
    /// The figures from the window's first bucket on.
    pub stats: StuffingStats,
    /// When the alert ends (`None`: never raised).
    pub alert_until: Option<OffsetDateTime>,
}

/// The network an address belongs to for the alert's step-up: IPv4 /24, IPv6 /48
/// (an IPv4-mapped IPv6 address counts as IPv4). A /48 is what a site or a home
/// line is usually given, so the same user's next IPv6 address falls into it.
pub fn stepup_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => stepup_network(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
}

/// The stable key of an account in the window: the first 8 bytes of the BLAKE3 hash
/// of the normalised name. Stable across processes and restarts (unlike
/// `DefaultHasher`), so servers sharing a store count one account once.
pub fn account_hash(user: &str) -> i64 {
    let h = blake3::hash(user.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.as_bytes()[..8]);
    i64::from_le_bytes(b)
}

/// The detector: the pure decision over the window kept in a [`GuardStore`]. One per
/// guard; it holds no state of its own.
#[derive(Debug, Clone)]
pub struct StuffingDetector {
    config: StuffingConfig,
}

/// Whether recording an attempt changed the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertChange {
    /// Nothing changed.
    None,
    /// The signal has just fired (reported to exactly one caller across servers).
    Raised,
}

/// What recording an attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Whether this attempt raised the alert.
    pub change: AlertChange,
    /// Whether friction is on after this attempt.
    pub alert_active: bool,
}

impl StuffingDetector {
    /// A detector with `config`.
    pub fn new(config: StuffingConfig) -> Self {
        StuffingDetector { config }
    }

    /// The settings.
    pub fn config(&self) -> &StuffingConfig {
        &self.config
    }

    /// The bucket `now` falls in.
    pub fn bucket(&self, now: OffsetDateTime) -> i64 {
        now.unix_timestamp()
            .div_euclid(self.config.bucket_secs.max(1))
    }

    /// The first bucket of the window ending at `now`.
    pub fn first_bucket(&self, now: OffsetDateTime) -> i64 {
        let width = self.config.window_secs / self.config.bucket_secs.max(1);
        self.bucket(now).saturating_sub(width).saturating_add(1)
    }

    /// Whether friction is on at `now` (one indexed read of the store).
    pub fn alert_active(&self, store: &dyn GuardStore, now: OffsetDateTime) -> Result<bool> {
        Ok(store.stuffing_alert()?.is_some_and(|u| now < u))
    }

    /// The figures of the current window.
    pub fn stats(&self, store: &dyn GuardStore, now: OffsetDateTime) -> Result<StuffingStats> {
        Ok(store.stuffing_window(self.first_bucket(now))?.stats)
    }

    /// Records one attempt and re-evaluates the signal.
    pub fn record(
        &self,
        store: &dyn GuardStore,
        s: AttemptSignal<'_>,
        now: OffsetDateTime,
    ) -> Result<Recorded> {
        let hit = StuffingHit {
            bucket: self.bucket(now),
            account: account_hash(s.user),
            failed: s.failed,
            unknown_user: s.unknown_user,
            breached_password: s.breached_password,
        };
        // Distinct accounts only matter up to the threshold: the store may stop there.
        let w =
            store.stuffing_record(&hit, self.first_bucket(now), self.config.distinct_accounts)?;
        let active = w.alert_until.is_some_and(|u| now < u);
        if !self.fires(&w.stats) {
            return Ok(Recorded {
                change: AlertChange::None,
                alert_active: active,
            });
        }
        // While the alert is on, its end moves on once per bucket, not on every
        // attempt: one write per bucket on a shared row instead of one per attempt.
        let until = now.saturating_add(Duration::seconds(self.config.hold_secs));
        let step = Duration::seconds(self.config.bucket_secs.max(1));
        let due = !active
            || w.alert_until
                .is_some_and(|u| u.saturating_add(step) <= until);
        let raised = due && store.stuffing_raise(until, now)?;
        Ok(Recorded {
            change: if raised {
                AlertChange::Raised
            } else {
                AlertChange::None
            },
            alert_active: true,
        })
    }

    /// Whether the window's figures fire the signal.
    pub fn fires(&self, t: &StuffingStats) -> bool {
        let c = &self.config;
        if t.attempts < c.min_attempts {
            return false;
        }
        let n = f64::from(t.attempts);
        let failing = f64::from(t.failures) / n >= c.failure_ratio;
        let spread = t.distinct_accounts >= c.distinct_accounts;
        let unknown = f64::from(t.unknown) / n >= c.unknown_share;
        (failing && (spread || unknown)) || t.breached >= c.breached_hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-03-01 09:00 UTC);

    fn attempt(
        d: &StuffingDetector,
        store: &MemoryStore,
        user: &str,
        failed: bool,
        unknown_user: bool,
        breached_password: bool,
        now: OffsetDateTime,
    ) -> AlertChange {
        d.record(
            store,
            AttemptSignal {
                user,
                failed,
                unknown_user,
                breached_password,
            },
            now,
        )
        .unwrap()
        .change
    }

    #[test]
    fn normal_traffic_does_not_fire() {
        let d = StuffingDetector::new(StuffingConfig::default());
        let store = MemoryStore::new();
        // 1,000 logins over 10 minutes, 10 % typos, by 300 users.
        for i in 0..1000 {
            let user = format!("user{}", i % 300);
            let now = T0 + Duration::milliseconds(i * 600);
            let r = attempt(&d, &store, &user, i % 10 == 0, false, false, now);
            assert_eq!(r, AlertChange::None);
        }
        assert!(!d.alert_active(&store, T0 + Duration::minutes(10)).unwrap());
        let s = d.stats(&store, T0 + Duration::minutes(10)).unwrap();
        assert_eq!(s.distinct_accounts, 300, "each user counted once");
    }

    #[test]
    fn stuffing_fires_once_and_holds_then_ends() {
        let d = StuffingDetector::new(StuffingConfig::default());
        let store = MemoryStore::new();
        let mut raised = 0;
        for i in 0..400 {
            let user = format!("victim{i}");
            let now = T0 + Duration::milliseconds(i * 100);
            if attempt(&d, &store, &user, true, i % 2 == 0, false, now) == AlertChange::Raised {
                raised += 1;
            }
        }
        assert_eq!(raised, 1);
        assert!(d.alert_active(&store, T0 + Duration::minutes(5)).unwrap());
        assert!(!d.alert_active(&store, T0 + Duration::minutes(41)).unwrap());
        // Window expiry brings the figures back to zero.
        assert_eq!(
            d.stats(&store, T0 + Duration::hours(1)).unwrap().attempts,
            0
        );
        assert_eq!(
            d.stats(&store, T0 + Duration::hours(1))
                .unwrap()
                .distinct_accounts,
            0
        );
    }

    #[test]
    fn breached_passwords_fire_without_a_high_failure_ratio() {
        let d = StuffingDetector::new(StuffingConfig::default());
        let store = MemoryStore::new();
        let mut raised = false;
        for i in 0..120 {
            let user = format!("u{}", i % 10);
            let breached = i % 2 == 0;
            raised |= attempt(
                &d,
                &store,
                &user,
                breached,
                false,
                breached,
                T0 + Duration::seconds(i),
            ) == AlertChange::Raised;
        }
        assert!(raised, "60 attempts with passwords from breach lists");
        let s = d.stats(&store, T0 + Duration::seconds(120)).unwrap();
        assert!(f64::from(s.failures) / f64::from(s.attempts) < 0.7);
        assert!(s.distinct_accounts < 100);
    }

    #[test]
    fn two_detectors_on_one_store_see_one_attack() {
        let cfg = StuffingConfig::default();
        let (a, b) = (
            StuffingDetector::new(cfg.clone()),
            StuffingDetector::new(cfg),
        );
        let store = MemoryStore::new();
        let mut raised = 0;
        // 80 failing attempts on unknown names through each detector: 80 alone stays
        // under `min_attempts` (100), 160 together fire.
        for i in 0..160 {
            let d = if i % 2 == 0 { &a } else { &b };
            let now = T0 + Duration::milliseconds(i * 250);
            if attempt(d, &store, &format!("stranger{i}"), true, true, false, now)
                == AlertChange::Raised
            {
                raised += 1;
            }
        }
        assert_eq!(raised, 1, "raised once, whichever detector saw it");
        let later = T0 + Duration::minutes(1);
        assert!(a.alert_active(&store, later).unwrap());
        assert!(b.alert_active(&store, later).unwrap());
        assert_eq!(a.stats(&store, later).unwrap().attempts, 160);
    }

    #[test]
    fn stepup_networks_are_v4_24_and_v6_48() {
        let n = |s: &str| stepup_network(s.parse().unwrap());
        assert_eq!(n("192.0.2.77"), "192.0.2.0/24");
        assert_eq!(n("192.0.2.1"), n("192.0.2.254"));
        assert_ne!(n("192.0.2.1"), n("192.0.3.1"));
        assert_eq!(n("2001:db8:1:2::5"), "2001:db8:1::/48");
        assert_eq!(n("2001:db8:1:ffff::1"), n("2001:db8:1:2::5"));
        assert_ne!(n("2001:db8:2::1"), n("2001:db8:1::1"));
        assert_eq!(n("::ffff:192.0.2.9"), "192.0.2.0/24");
    }

    #[test]
    fn account_hash_is_stable() {
        // A fixed value: every server and every restart must agree on it (the first
        // 8 bytes of BLAKE3, little-endian).
        assert_eq!(account_hash("user@example.jp"), -1_010_561_001_931_696_530);
        assert_ne!(
            account_hash("user@example.jp"),
            account_hash("user@example.com")
        );
    }
}
