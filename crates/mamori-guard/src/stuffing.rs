//! The site-wide credential-stuffing signal (連続自動入力試行攻撃, R-3.2).
//!
//! Per-account and per-IP limits do not stop stuffing from thousands of addresses,
//! each trying one leaked pair per account. What does show is the whole site's
//! picture in a sliding window: a high failure ratio, many distinct accounts, a
//! large share of names that do not exist, and passwords from breach lists. When
//! the signal fires, the guard asks every login for a step-up factor until the
//! signal has been quiet for `hold_secs`.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
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

#[derive(Debug, Default)]
struct Bucket {
    id: i64,
    stats: StuffingStats,
    accounts: Vec<u64>,
}

#[derive(Debug, Default)]
struct State {
    buckets: VecDeque<Bucket>,
    totals: StuffingStats,
    accounts: HashMap<u64, u32>,
    alert_until: Option<OffsetDateTime>,
}

/// The detector. One per guard; thread-safe.
#[derive(Debug)]
pub struct StuffingDetector {
    config: StuffingConfig,
    state: Mutex<State>,
}

/// Whether recording an attempt changed the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertChange {
    /// Nothing changed.
    None,
    /// The signal has just fired.
    Raised,
}

impl StuffingDetector {
    /// A detector with `config`.
    pub fn new(config: StuffingConfig) -> Self {
        StuffingDetector {
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether friction is on at `now`.
    pub fn alert_active(&self, now: OffsetDateTime) -> bool {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.alert_until.is_some_and(|u| now < u)
    }

    /// The figures of the current window.
    pub fn stats(&self, now: OffsetDateTime) -> StuffingStats {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.expire(&mut st, now);
        st.totals
    }

    fn bucket_id(&self, now: OffsetDateTime) -> i64 {
        now.unix_timestamp()
            .div_euclid(self.config.bucket_secs.max(1))
    }

    fn expire(&self, st: &mut State, now: OffsetDateTime) {
        let oldest = self.bucket_id(now) - self.config.window_secs / self.config.bucket_secs.max(1);
        while st.buckets.front().is_some_and(|b| b.id <= oldest) {
            let Some(b) = st.buckets.pop_front() else {
                break;
            };
            st.totals.attempts -= b.stats.attempts;
            st.totals.failures -= b.stats.failures;
            st.totals.unknown -= b.stats.unknown;
            st.totals.breached -= b.stats.breached;
            for a in b.accounts {
                if let Some(c) = st.accounts.get_mut(&a) {
                    *c -= 1;
                    if *c == 0 {
                        st.accounts.remove(&a);
                    }
                }
            }
        }
        st.totals.distinct_accounts = u32::try_from(st.accounts.len()).unwrap_or(u32::MAX);
    }

    /// Records one attempt and re-evaluates the signal.
    pub fn record(&self, s: AttemptSignal<'_>, now: OffsetDateTime) -> AlertChange {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.expire(&mut st, now);
        let id = self.bucket_id(now);
        if st.buckets.back().is_none_or(|b| b.id != id) {
            st.buckets.push_back(Bucket {
                id,
                ..Bucket::default()
            });
        }
        let mut h = DefaultHasher::new();
        s.user.hash(&mut h);
        let acct = h.finish();
        let add = |x: &mut StuffingStats| {
            x.attempts += 1;
            x.failures += u32::from(s.failed);
            x.unknown += u32::from(s.unknown_user);
            x.breached += u32::from(s.breached_password);
        };
        if let Some(b) = st.buckets.back_mut() {
            add(&mut b.stats);
            b.accounts.push(acct);
        }
        add(&mut st.totals);
        *st.accounts.entry(acct).or_insert(0) += 1;
        st.totals.distinct_accounts = u32::try_from(st.accounts.len()).unwrap_or(u32::MAX);
        if self.fires(&st.totals) {
            let was_on = st.alert_until.is_some_and(|u| now < u);
            st.alert_until = Some(now + Duration::seconds(self.config.hold_secs));
            if !was_on {
                return AlertChange::Raised;
            }
        }
        AlertChange::None
    }

    fn fires(&self, t: &StuffingStats) -> bool {
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
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-03-01 09:00 UTC);

    #[test]
    fn normal_traffic_does_not_fire() {
        let d = StuffingDetector::new(StuffingConfig::default());
        // 1,000 logins over 10 minutes, 10 % typos, by 300 users.
        for i in 0..1000 {
            let user = format!("user{}", i % 300);
            let now = T0 + Duration::milliseconds(i * 600);
            let r = d.record(
                AttemptSignal {
                    user: &user,
                    failed: i % 10 == 0,
                    unknown_user: false,
                    breached_password: false,
                },
                now,
            );
            assert_eq!(r, AlertChange::None);
        }
        assert!(!d.alert_active(T0 + Duration::minutes(10)));
    }

    #[test]
    fn stuffing_fires_once_and_holds_then_ends() {
        let d = StuffingDetector::new(StuffingConfig::default());
        let mut raised = 0;
        for i in 0..400 {
            let user = format!("victim{i}");
            let now = T0 + Duration::milliseconds(i * 100);
            if d.record(
                AttemptSignal {
                    user: &user,
                    failed: true,
                    unknown_user: i % 2 == 0,
                    breached_password: false,
                },
                now,
            ) == AlertChange::Raised
            {
                raised += 1;
            }
        }
        assert_eq!(raised, 1);
        assert!(d.alert_active(T0 + Duration::minutes(5)));
        assert!(!d.alert_active(T0 + Duration::minutes(41)));
        // Window expiry brings the figures back to zero.
        assert_eq!(d.stats(T0 + Duration::hours(1)).attempts, 0);
        assert_eq!(d.stats(T0 + Duration::hours(1)).distinct_accounts, 0);
    }

    #[test]
    fn breached_passwords_fire_without_a_high_failure_ratio() {
        let d = StuffingDetector::new(StuffingConfig::default());
        let mut raised = false;
        for i in 0..120 {
            let user = format!("u{}", i % 10);
            let breached = i % 2 == 0;
            raised |= d.record(
                AttemptSignal {
                    user: &user,
                    failed: breached,
                    unknown_user: false,
                    breached_password: breached,
                },
                T0 + Duration::seconds(i),
            ) == AlertChange::Raised;
        }
        assert!(raised, "60 attempts with passwords from breach lists");
        let s = d.stats(T0 + Duration::seconds(120));
        assert!(f64::from(s.failures) / f64::from(s.attempts) < 0.7);
        assert!(s.distinct_accounts < 100);
    }
}
