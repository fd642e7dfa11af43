//! `GuardStore` for the platform: everything the guard keeps — accounts, throttle
//! counters, single-use marks (TOTP steps, recovery codes) and reset tokens — lives
//! in the SQL store, so that every `mamori serve` instance on one database shares
//! the same limits and every restart keeps them.
//!
//! Counters are updated by compare-and-swap on a version column: read the state,
//! apply the pure [`CounterRule::apply`], write only if nobody wrote in between,
//! else retry. That is atomic on SQLite and PostgreSQL alike without
//! database-specific locking, and the guard's conformance suite (8 threads racing
//! on one counter) holds on both.
//!
//! The credential-stuffing window and its alert are rows too (schema 5): each attempt
//! is one upsert into its bucket, one upsert of its account's last bucket (a stable
//! hash of the name) and one read of the window's totals with the alert's end; the
//! alert check on each login is one primary-key read. An attack spread over several
//! servers is seen as one, and an alert raised on one puts friction on all; the
//! alert's switch-on is a conditional upsert, so only one server reports it.
//!
//! The guard's API is synchronous: call it only on a blocking thread
//! (`tokio::task::spawn_blocking`), where `Handle::block_on` is allowed.

use mamori_guard::{
    Account, CounterRule, CounterState, GuardError, GuardStore, HitDecision, StuffingHit,
    StuffingStats, StuffingWindow, TokenRecord,
};
use mamori_store::{Store, StuffingAttempt, StuffingTotals};
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::runtime::Handle;

/// Compare-and-swap attempts before a counter update gives up.
const CAS_RETRIES: usize = 1000;

/// The guard's state in the platform's SQL store.
#[derive(Debug)]
pub struct SqlGuardStore {
    store: Arc<dyn Store>,
    rt: Handle,
}

impl SqlGuardStore {
    /// Wraps the platform store; `rt` runs the async calls.
    pub fn new(store: Arc<dyn Store>, rt: Handle) -> Self {
        SqlGuardStore { store, rt }
    }

    fn counter(&self, key: &str) -> R<Option<(CounterState, i64)>> {
        let c = self
            .rt
            .block_on(self.store.guard_counter(key))
            .map_err(ge)?;
        c.map(|c| Ok((serde_json::from_str(&c.state).map_err(ge)?, c.version)))
            .transpose()
    }

    /// Writes `state` if the counter is still at `version`.
    fn swap(&self, key: &str, state: &CounterState, version: Option<i64>) -> R<bool> {
        let json = serde_json::to_string(state).map_err(ge)?;
        self.rt
            .block_on(
                self.store
                    .cas_guard_counter(key, &json, state.expires, version),
            )
            .map_err(ge)
    }
}

fn ge(e: impl std::fmt::Display) -> GuardError {
    GuardError::Store(e.to_string())
}

fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_unix_ms(ms: i64) -> R<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(ge)
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn window(t: StuffingTotals) -> R<StuffingWindow> {
    Ok(StuffingWindow {
        stats: StuffingStats {
            attempts: count(t.attempts),
            failures: count(t.failures),
            unknown: count(t.unknown),
            breached: count(t.breached),
            distinct_accounts: count(t.accounts),
        },
        alert_until: t.alert_until_ms.map(from_unix_ms).transpose()?,
    })
}

type R<T> = Result<T, GuardError>;

impl GuardStore for SqlGuardStore {
    fn hit(&self, key: &str, rule: &CounterRule, now: OffsetDateTime) -> R<HitDecision> {
        for _ in 0..CAS_RETRIES {
            let current = self.counter(key)?;
            let (state, decision) = rule.apply(current.map(|c| c.0), now);
            let written = match (state, current) {
                // Refused without a change: nothing to write.
                (Some(s), Some((old, _))) if s == old => true,
                (Some(s), cur) => self.swap(key, &s, cur.map(|c| c.1))?,
                (None, Some(_)) => {
                    self.clear(key)?;
                    true
                }
                (None, None) => true,
            };
            if written {
                return Ok(decision);
            }
        }
        Err(GuardError::Store(format!("counter {key} kept changing")))
    }
    fn peek(&self, key: &str) -> R<Option<CounterState>> {
        Ok(self.counter(key)?.map(|c| c.0))
    }
    fn clear(&self, key: &str) -> R<()> {
        self.rt
            .block_on(self.store.delete_guard_counter(key))
            .map_err(ge)
    }
    fn decrement(&self, key: &str) -> R<()> {
        for _ in 0..CAS_RETRIES {
            let Some((mut s, version)) = self.counter(key)? else {
                return Ok(());
            };
            s.count = s.count.saturating_sub(1);
            if self.swap(key, &s, Some(version))? {
                return Ok(());
            }
        }
        Err(GuardError::Store(format!("counter {key} kept changing")))
    }
    fn account(&self, user: &str) -> R<Option<Account>> {
        let json = self
            .rt
            .block_on(self.store.guard_account(user))
            .map_err(ge)?;
        json.map(|j| serde_json::from_str(&j).map_err(ge))
            .transpose()
    }
    fn put_account(&self, account: &Account) -> R<()> {
        let json = serde_json::to_string(account).map_err(ge)?;
        self.rt
            .block_on(self.store.put_guard_account(&account.user, &json))
            .map_err(ge)
    }
    fn account_names(&self) -> R<Vec<String>> {
        self.rt
            .block_on(self.store.guard_account_names())
            .map_err(ge)
    }
    fn use_once(&self, key: &str, now: OffsetDateTime, keep_until: OffsetDateTime) -> R<bool> {
        self.rt
            .block_on(
                self.store
                    .guard_use_once(key, unix_ms(now), unix_ms(keep_until)),
            )
            .map_err(ge)
    }
    fn put_token(&self, hash: &str, record: &TokenRecord) -> R<()> {
        let json = serde_json::to_string(record).map_err(ge)?;
        self.rt
            .block_on(
                self.store
                    .put_guard_token(hash, &record.user, &record.purpose, &json),
            )
            .map_err(ge)
    }
    fn take_token(&self, hash: &str) -> R<Option<TokenRecord>> {
        let json = self
            .rt
            .block_on(self.store.take_guard_token(hash))
            .map_err(ge)?;
        json.map(|j| serde_json::from_str(&j).map_err(ge))
            .transpose()
    }
    fn drop_tokens(&self, user: &str, purpose: &str) -> R<()> {
        self.rt
            .block_on(self.store.drop_guard_tokens(user, purpose))
            .map_err(ge)
    }
    fn stuffing_record(&self, hit: &StuffingHit, first: i64, cap: u32) -> R<StuffingWindow> {
        let attempt = StuffingAttempt {
            bucket: hit.bucket,
            account: hit.account,
            failed: hit.failed,
            unknown: hit.unknown_user,
            breached: hit.breached_password,
        };
        let t = self
            .rt
            .block_on(self.store.stuffing_record(&attempt, first, i64::from(cap)))
            .map_err(ge)?;
        window(t)
    }
    fn stuffing_window(&self, first: i64) -> R<StuffingWindow> {
        window(
            self.rt
                .block_on(self.store.stuffing_totals(first))
                .map_err(ge)?,
        )
    }
    fn stuffing_alert(&self) -> R<Option<OffsetDateTime>> {
        self.rt
            .block_on(self.store.stuffing_alert())
            .map_err(ge)?
            .map(from_unix_ms)
            .transpose()
    }
    fn stuffing_raise(&self, until: OffsetDateTime, now: OffsetDateTime) -> R<bool> {
        self.rt
            .block_on(self.store.stuffing_raise(unix_ms(until), unix_ms(now)))
            .map_err(ge)
    }
}
