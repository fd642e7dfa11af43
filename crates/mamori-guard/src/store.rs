//! The state store: the one seam between the guard and where its state lives.
//!
//! Every operation is atomic on its own. The counter operation is the heart of the
//! throttling invariant: [`GuardStore::hit`] checks and increments in one step, so
//! N parallel attempts can never pass more than the limit. The counter arithmetic is
//! the pure function [`CounterRule::apply`], shared by every implementation (in-memory
//! here; the platform's SQL store runs it in a transaction, a Redis store in a script).
//! The credential-stuffing window and its alert are store state too (see
//! [`StuffingDetector`](crate::StuffingDetector)), so that every server on one store
//! sees one window.

use crate::account::Account;
use crate::error::{GuardError, Result};
use crate::stuffing::{StuffingHit, StuffingStats, StuffingWindow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// The state of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterState {
    /// Attempts counted in the current window (or since the last reset).
    pub count: u32,
    /// When the current window started.
    pub window_start: OffsetDateTime,
    /// No attempt is allowed before this time (progressive delay).
    pub not_before: OffsetDateTime,
    /// When a store may forget this counter (end of its window; `None`: keep until
    /// cleared). Stores with TTLs (Redis) use it as the key's expiry.
    pub expires: Option<OffsetDateTime>,
}

/// How a counter counts: plain data so that any store can implement it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterRule {
    /// At most this many counted attempts; further ones are refused.
    pub limit: u32,
    /// The window after which the count starts again; `None` means until reset.
    pub window_secs: Option<i64>,
    /// Attempts allowed before delays start.
    pub free_attempts: u32,
    /// The first delay; it doubles with each further attempt.
    pub base_delay_ms: i64,
    /// The longest delay.
    pub max_delay_ms: i64,
}

/// What a [`GuardStore::hit`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitDecision {
    /// The attempt was counted and may go ahead; `count` includes it.
    Allowed {
        /// The count after this attempt.
        count: u32,
    },
    /// Too early: a progressive delay is running. Nothing was counted.
    Delayed {
        /// When the next attempt may come.
        until: OffsetDateTime,
    },
    /// The limit is reached. Nothing was counted.
    LimitReached {
        /// When the window ends (`None`: only a reset clears it).
        until: Option<OffsetDateTime>,
    },
}

impl CounterRule {
    /// The delay imposed after the `count`-th attempt.
    pub fn delay_after(&self, count: u32) -> Duration {
        if count <= self.free_attempts || self.base_delay_ms <= 0 {
            return Duration::ZERO;
        }
        let exp = (count - self.free_attempts - 1).min(30);
        let ms = self.base_delay_ms.saturating_mul(1i64 << exp);
        Duration::milliseconds(ms.min(self.max_delay_ms))
    }

    /// The atomic step: from the stored state (if any) to the new state and decision.
    pub fn apply(
        &self,
        state: Option<CounterState>,
        now: OffsetDateTime,
    ) -> (Option<CounterState>, HitDecision) {
        let mut s = match state {
            Some(s) if !self.expired(&s, now) => s,
            _ => CounterState {
                count: 0,
                window_start: now,
                not_before: now,
                expires: self.window_secs.map(|w| now + Duration::seconds(w)),
            },
        };
        if s.count >= self.limit {
            let until = self
                .window_secs
                .map(|w| s.window_start + Duration::seconds(w));
            return (Some(s), HitDecision::LimitReached { until });
        }
        if now < s.not_before {
            return (
                Some(s),
                HitDecision::Delayed {
                    until: s.not_before,
                },
            );
        }
        s.count += 1;
        s.not_before = now + self.delay_after(s.count);
        (Some(s), HitDecision::Allowed { count: s.count })
    }

    fn expired(&self, s: &CounterState, now: OffsetDateTime) -> bool {
        self.window_secs
            .is_some_and(|w| now >= s.window_start + Duration::seconds(w))
    }
}

/// A stored password-reset token (only its hash is the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The account.
    pub user: String,
    /// Expiry.
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    /// What the token is for (`reset`, `device`, …).
    pub purpose: String,
}

/// Where the guard keeps its state. Implementations must make each method atomic.
pub trait GuardStore: Send + Sync {
    /// Atomically applies `rule` to the counter `key` (check and increment in one step).
    fn hit(&self, key: &str, rule: &CounterRule, now: OffsetDateTime) -> Result<HitDecision>;
    /// The counter's state, if any.
    fn peek(&self, key: &str) -> Result<Option<CounterState>>;
    /// Forgets a counter (after a successful login or a reset).
    fn clear(&self, key: &str) -> Result<()>;
    /// Takes back one counted attempt (a success should not use up a shared allowance).
    fn decrement(&self, key: &str) -> Result<()>;

    /// Loads an account by its normalised name.
    fn account(&self, user: &str) -> Result<Option<Account>>;
    /// Inserts or replaces an account.
    fn put_account(&self, account: &Account) -> Result<()>;
    /// All account names (for the inactivity sweep; a SQL store filters by date).
    fn account_names(&self) -> Result<Vec<String>>;

    /// Marks `key` as used; `true` the first time, `false` on every later call until
    /// `keep_until`, after which the store may forget the mark. The primitive behind
    /// every single-use secret (TOTP steps, recovery codes).
    fn use_once(&self, key: &str, now: OffsetDateTime, keep_until: OffsetDateTime) -> Result<bool>;

    /// Stores a token record under the hash of the token.
    fn put_token(&self, hash: &str, record: &TokenRecord) -> Result<()>;
    /// Removes and returns the record (a token can be taken only once).
    fn take_token(&self, hash: &str) -> Result<Option<TokenRecord>>;
    /// Removes every token of `user` with `purpose` (a new reset voids older ones).
    fn drop_tokens(&self, user: &str, purpose: &str) -> Result<()>;

    /// Records one attempt of the credential-stuffing window: adds it to the counts
    /// of bucket `hit.bucket` and marks `hit.account` as last seen there (never moving
    /// it back). Returns the window from bucket `first` on (distinct accounts
    /// counted up to `account_cap`) and the alert's end. Buckets and accounts before
    /// `first` may be forgotten. Each step is atomic: parallel calls lose no count.
    fn stuffing_record(
        &self,
        hit: &StuffingHit,
        first: i64,
        account_cap: u32,
    ) -> Result<StuffingWindow>;
    /// The window from bucket `first` on (every distinct account counted) and the
    /// alert's end.
    fn stuffing_window(&self, first: i64) -> Result<StuffingWindow>;
    /// When the stuffing alert ends (`None`: never raised). Read on every login.
    fn stuffing_alert(&self) -> Result<Option<OffsetDateTime>>;
    /// Moves the alert's end to `until` if that is later; `true` only when the alert
    /// was off at `now` — exactly one of several racing callers gets `true`.
    fn stuffing_raise(&self, until: OffsetDateTime, now: OffsetDateTime) -> Result<bool>;
}

/// The in-memory store (tests, single node). One mutex per map keeps each op atomic.
#[derive(Debug, Default)]
pub struct MemoryStore {
    counters: Mutex<HashMap<String, CounterState>>,
    accounts: Mutex<HashMap<String, Account>>,
    used: Mutex<HashMap<String, OffsetDateTime>>,
    tokens: Mutex<HashMap<String, TokenRecord>>,
    stuffing: Mutex<StuffingState>,
}

/// The in-memory stuffing window: counts per bucket, and each account's last bucket.
#[derive(Debug, Default)]
struct StuffingState {
    buckets: BTreeMap<i64, BucketCounts>,
    last_seen: HashMap<i64, i64>,
    alert_until: Option<OffsetDateTime>,
}

#[derive(Debug, Default, Clone, Copy)]
struct BucketCounts {
    stats: StuffingStats,
    /// Accounts whose last attempt fell in this bucket: summed over the window, the
    /// distinct accounts.
    last_seen_here: u32,
}

impl StuffingState {
    fn window(&self, first: i64, account_cap: u32) -> StuffingWindow {
        let mut stats = StuffingStats::default();
        let mut accounts = 0u32;
        for b in self.buckets.range(first..).map(|(_, b)| b) {
            stats.attempts = stats.attempts.saturating_add(b.stats.attempts);
            stats.failures = stats.failures.saturating_add(b.stats.failures);
            stats.unknown = stats.unknown.saturating_add(b.stats.unknown);
            stats.breached = stats.breached.saturating_add(b.stats.breached);
            accounts = accounts.saturating_add(b.last_seen_here);
        }
        stats.distinct_accounts = accounts.min(account_cap);
        StuffingWindow {
            stats,
            alert_until: self.alert_until,
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Forget expired entries when a map reaches 4096, 8192, … entries (amortised).
fn needs_pruning(len: usize) -> bool {
    len >= 4096 && len.is_power_of_two()
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock()
        .map_err(|_| GuardError::Store("memory store lock poisoned".into()))
}

impl GuardStore for MemoryStore {
    fn hit(&self, key: &str, rule: &CounterRule, now: OffsetDateTime) -> Result<HitDecision> {
        let mut map = lock(&self.counters)?;
        if needs_pruning(map.len()) {
            map.retain(|_, s| s.expires.is_none_or(|e| e > now));
        }
        let (state, decision) = rule.apply(map.get(key).copied(), now);
        match state {
            Some(s) => map.insert(key.to_string(), s),
            None => map.remove(key),
        };
        Ok(decision)
    }

    fn peek(&self, key: &str) -> Result<Option<CounterState>> {
        Ok(lock(&self.counters)?.get(key).copied())
    }

    fn clear(&self, key: &str) -> Result<()> {
        lock(&self.counters)?.remove(key);
        Ok(())
    }

    fn decrement(&self, key: &str) -> Result<()> {
        if let Some(s) = lock(&self.counters)?.get_mut(key) {
            s.count = s.count.saturating_sub(1);
        }
        Ok(())
    }

    fn account(&self, user: &str) -> Result<Option<Account>> {
        Ok(lock(&self.accounts)?.get(user).cloned())
    }

    fn put_account(&self, account: &Account) -> Result<()> {
        lock(&self.accounts)?.insert(account.user.clone(), account.clone());
        Ok(())
    }

    fn account_names(&self) -> Result<Vec<String>> {
        let mut v: Vec<String> = lock(&self.accounts)?.keys().cloned().collect();
        v.sort();
        Ok(v)
    }

    fn use_once(&self, key: &str, now: OffsetDateTime, keep_until: OffsetDateTime) -> Result<bool> {
        let mut used = lock(&self.used)?;
        if used.get(key).is_some_and(|until| *until > now) {
            return Ok(false);
        }
        if needs_pruning(used.len()) {
            used.retain(|_, until| *until > now);
        }
        used.insert(key.to_string(), keep_until);
        Ok(true)
    }

    fn put_token(&self, hash: &str, record: &TokenRecord) -> Result<()> {
        lock(&self.tokens)?.insert(hash.to_string(), record.clone());
        Ok(())
    }

    fn take_token(&self, hash: &str) -> Result<Option<TokenRecord>> {
        Ok(lock(&self.tokens)?.remove(hash))
    }

    fn drop_tokens(&self, user: &str, purpose: &str) -> Result<()> {
        lock(&self.tokens)?.retain(|_, r| !(r.user == user && r.purpose == purpose));
        Ok(())
    }

    fn stuffing_record(
        &self,
        hit: &StuffingHit,
        first: i64,
        account_cap: u32,
    ) -> Result<StuffingWindow> {
        let mut st = lock(&self.stuffing)?;
        if !st.buckets.contains_key(&hit.bucket) {
            // A new bucket: forget what left the window.
            st.buckets = st.buckets.split_off(&first);
            st.last_seen.retain(|_, b| *b >= first);
        }
        let previous = st.last_seen.get(&hit.account).copied();
        let moves = previous.is_none_or(|p| p < hit.bucket);
        if moves {
            if let Some(b) = previous.and_then(|p| st.buckets.get_mut(&p)) {
                b.last_seen_here = b.last_seen_here.saturating_sub(1);
            }
            st.last_seen.insert(hit.account, hit.bucket);
        }
        let b = st.buckets.entry(hit.bucket).or_default();
        b.stats.attempts = b.stats.attempts.saturating_add(1);
        b.stats.failures = b.stats.failures.saturating_add(u32::from(hit.failed));
        b.stats.unknown = b.stats.unknown.saturating_add(u32::from(hit.unknown_user));
        b.stats.breached = b
            .stats
            .breached
            .saturating_add(u32::from(hit.breached_password));
        if moves {
            b.last_seen_here = b.last_seen_here.saturating_add(1);
        }
        Ok(st.window(first, account_cap))
    }

    fn stuffing_window(&self, first: i64) -> Result<StuffingWindow> {
        Ok(lock(&self.stuffing)?.window(first, u32::MAX))
    }

    fn stuffing_alert(&self) -> Result<Option<OffsetDateTime>> {
        Ok(lock(&self.stuffing)?.alert_until)
    }

    fn stuffing_raise(&self, until: OffsetDateTime, now: OffsetDateTime) -> Result<bool> {
        let mut st = lock(&self.stuffing)?;
        let was_on = st.alert_until.is_some_and(|u| now < u);
        if st.alert_until.is_none_or(|u| u < until) {
            st.alert_until = Some(until);
        }
        Ok(!was_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    fn rule() -> CounterRule {
        CounterRule {
            limit: 5,
            window_secs: Some(60),
            free_attempts: 2,
            base_delay_ms: 1000,
            max_delay_ms: 4000,
        }
    }

    #[test]
    fn delays_grow_then_cap() {
        let r = rule();
        let d: Vec<i64> = (1..=6)
            .map(|c| r.delay_after(c).whole_milliseconds() as i64)
            .collect();
        assert_eq!(d, vec![0, 0, 1000, 2000, 4000, 4000]);
    }

    #[test]
    fn delayed_attempt_is_not_counted_and_limit_holds() {
        let s = MemoryStore::new();
        let r = rule();
        let mut now = T0;
        let mut allowed = 0;
        for _ in 0..50 {
            if let HitDecision::Allowed { .. } = s.hit("k", &r, now).unwrap() {
                allowed += 1;
            }
            now += Duration::milliseconds(500);
        }
        // 25 s pass: the window of 60 s has not ended, so at most `limit` got through.
        assert_eq!(allowed, 5);
        assert_eq!(s.peek("k").unwrap().unwrap().count, 5);
        // After the window the count starts again.
        assert!(matches!(
            s.hit("k", &r, T0 + Duration::seconds(61)).unwrap(),
            HitDecision::Allowed { count: 1 }
        ));
    }

    #[test]
    fn use_once_is_single_use() {
        let s = MemoryStore::new();
        let until = T0 + Duration::minutes(2);
        assert!(s.use_once("totp:a:1", T0, until).unwrap());
        assert!(
            !s.use_once("totp:a:1", T0 + Duration::minutes(1), until)
                .unwrap()
        );
        // After `keep_until` the mark may be forgotten.
        assert!(s.use_once("totp:a:1", until, until).unwrap());
    }

    #[test]
    fn memory_store_forgets_expired_windows_and_marks() {
        let s = MemoryStore::new();
        let r = rule();
        for i in 0..5000 {
            s.hit(&format!("ip:{i}"), &r, T0).unwrap();
            s.use_once(&format!("u:{i}"), T0, T0 + Duration::seconds(1))
                .unwrap();
        }
        let later = T0 + Duration::minutes(5);
        for i in 0..5000 {
            s.hit(&format!("ip2:{i}"), &r, later).unwrap();
            s.use_once(&format!("u2:{i}"), later, later + Duration::seconds(1))
                .unwrap();
        }
        assert!(
            s.counters.lock().unwrap().len() < 9000,
            "expired windows pruned"
        );
        assert!(s.used.lock().unwrap().len() < 9000, "expired marks pruned");
    }
}
