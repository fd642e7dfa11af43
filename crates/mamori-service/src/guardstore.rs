//! `GuardStore` for the platform: accounts (password hashes, TOTP, login history)
//! live in the SQL store so that every process and every restart sees them;
//! throttling counters, single-use marks and reset tokens stay in a per-process
//! [`MemoryStore`] (several instances behind a load balancer each throttle on their
//! own; a shared Redis store is the planned follow-up).
//!
//! The guard's API is synchronous: call it only on a blocking thread
//! (`tokio::task::spawn_blocking`), where `Handle::block_on` is allowed.

use mamori_guard::{
    Account, CounterRule, CounterState, GuardError, GuardStore, HitDecision, MemoryStore,
    TokenRecord,
};
use mamori_store::Store;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::runtime::Handle;

/// Accounts in SQL, counters in memory.
#[derive(Debug)]
pub struct SqlGuardStore {
    store: Arc<dyn Store>,
    memory: MemoryStore,
    rt: Handle,
}

impl SqlGuardStore {
    /// Wraps the platform store; `rt` runs the async calls.
    pub fn new(store: Arc<dyn Store>, rt: Handle) -> Self {
        SqlGuardStore {
            store,
            memory: MemoryStore::new(),
            rt,
        }
    }
}

fn ge(e: impl std::fmt::Display) -> GuardError {
    GuardError::Store(e.to_string())
}

type R<T> = Result<T, GuardError>;

impl GuardStore for SqlGuardStore {
    fn hit(&self, key: &str, rule: &CounterRule, now: OffsetDateTime) -> R<HitDecision> {
        self.memory.hit(key, rule, now)
    }
    fn peek(&self, key: &str) -> R<Option<CounterState>> {
        self.memory.peek(key)
    }
    fn clear(&self, key: &str) -> R<()> {
        self.memory.clear(key)
    }
    fn decrement(&self, key: &str) -> R<()> {
        self.memory.decrement(key)
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
        self.memory.use_once(key, now, keep_until)
    }
    fn put_token(&self, hash: &str, record: &TokenRecord) -> R<()> {
        self.memory.put_token(hash, record)
    }
    fn take_token(&self, hash: &str) -> R<Option<TokenRecord>> {
        self.memory.take_token(hash)
    }
    fn drop_tokens(&self, user: &str, purpose: &str) -> R<()> {
        self.memory.drop_tokens(user, purpose)
    }
}
