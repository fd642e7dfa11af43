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
//! The guard's API is synchronous: call it only on a blocking thread
//! (`tokio::task::spawn_blocking`), where `Handle::block_on` is allowed.

use mamori_guard::{
    Account, CounterRule, CounterState, GuardError, GuardStore, HitDecision, TokenRecord,
};
use mamori_store::Store;
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
}
