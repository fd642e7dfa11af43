//! # mamori-service
//!
//! The use cases of `mamori serve`, with no HTTP and no SQL: organizations and
//! people, sign-in through `mamori-guard` (Argon2id, TOTP, throttling, previous
//! login, inactivity), sessions with idle and absolute timeouts, one-time links,
//! API tokens, the hash-chained audit log, and intake and case work ([`intake`]:
//! drafts, attachments, guidance, submission, anonymous consultation; [`cases`]: case
//! work, referral, queue and search), and the statistics ([`stats`]: import, de-duplication
//! review, the anonymized yearly report). Every read or write of a protected
//! object passes [`authz::check`] (deny by default) and leaves an audit entry.
//!
//! ```no_run
//! # async fn f(store: std::sync::Arc<dyn mamori_store::Store>, clock: std::sync::Arc<dyn mamori_service::Clock>) -> Result<(), mamori_service::ServiceError> {
//! use mamori_service::*;
//! let svc = Services::new(store, ServiceConfig::default(), Env::new(clock))?;
//! if let Some(link) = svc.bootstrap("admin@example.jp").await? {
//!     println!("first sign-in: /link/{link}");
//! }
//! # Ok(()) }
//! ```
//!
//! Architecture invariants: handlers call one method here; only this crate decides
//! who may do what ([`authz`]); secrets (passwords, session cookies, tokens, links)
//! are stored only as hashes and never logged.

pub mod account;
pub mod admin;
pub mod anchor;
pub mod audit;
pub mod audit_report;
pub mod auth;
pub mod authz;
pub mod cases;
mod error;
pub mod guardstore;
pub mod intake;
pub mod intake_web;
pub mod notices;
pub mod passkeys;
pub mod portal;
pub mod privacy;
pub mod stats;
pub mod vuln;
pub mod vuln_digest;
pub mod vuln_own;
pub mod vuln_web;

pub use authz::{Actor, Permission};
pub use error::{ServiceError, codes};
pub use mamori_guard::{Clock, SecureRandom};

use mamori_guard::{Guard, GuardConfig};
use mamori_store::Store;
use std::sync::Arc;
use time::Duration;

/// Result of service calls.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Tunables, with the defaults a fresh install uses.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever happens.
    pub session_absolute: Duration,
    /// One-time links expire after this.
    pub link_ttl: Duration,
    /// API tokens expire after this.
    pub token_ttl: Duration,
    /// Key for the guard's grid cards (kept in the data directory).
    pub guard_key: [u8; 32],
    /// Cheap password hashing: tests and demos only.
    pub fast_hashing: bool,
    /// Accounts unused this many days are disabled (R-4.5).
    pub inactive_after_days: i64,
    /// Largest attachment, bytes (25 MiB).
    pub attachment_max: usize,
    /// Largest total of one report's attachments, bytes (100 MiB).
    pub report_attachments_max: i64,
    /// Uploads received at once, server-wide (each holds at most `attachment_max`
    /// bytes); more are refused as busy with a time to retry.
    pub concurrent_uploads: usize,
    /// Open drafts per person.
    pub drafts_max: i64,
    /// How long a re-entered password (or second factor) covers changes of sign-in
    /// factors (passkeys, TOTP, recovery codes).
    pub reauth_window: Duration,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            session_idle: Duration::minutes(30),
            session_absolute: Duration::hours(12),
            link_ttl: Duration::hours(24),
            token_ttl: Duration::days(90),
            guard_key: [0; 32],
            fast_hashing: false,
            inactive_after_days: 90,
            attachment_max: 25 * 1024 * 1024,
            report_attachments_max: 100 * 1024 * 1024,
            concurrent_uploads: 8,
            drafts_max: 20,
            reauth_window: Duration::minutes(10),
        }
    }
}

/// The injected clock and randomness.
#[derive(Clone)]
pub struct Env {
    /// Where time comes from.
    pub clock: Arc<dyn Clock>,
    /// Where secrets come from.
    pub rng: Arc<dyn SecureRandom>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Env")
    }
}

impl Env {
    /// The operating system's randomness and a clock passed by the binary.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Env {
            clock,
            rng: Arc::new(mamori_guard::OsRandom),
        }
    }
}

/// All use cases, cheap to clone.
#[derive(Clone)]
pub struct Services {
    store: Arc<dyn Store>,
    guard: Arc<Guard>,
    env: Env,
    cfg: ServiceConfig,
    audit_lock: Arc<tokio::sync::Mutex<()>>,
    uploads: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("store", &self.store.backend())
            .finish()
    }
}

impl Services {
    /// Builds the services. Must be called inside a Tokio runtime.
    pub fn new(store: Arc<dyn Store>, cfg: ServiceConfig, env: Env) -> Result<Self> {
        let mut gc = GuardConfig::new("mamori", cfg.guard_key);
        gc.inactive_after_days = Some(cfg.inactive_after_days);
        if cfg.fast_hashing {
            gc = gc.insecure_fast_hashing();
        }
        let gstore =
            guardstore::SqlGuardStore::new(store.clone(), tokio::runtime::Handle::current());
        let notifier = notices::StoreNotifier {
            store: store.clone(),
            rt: tokio::runtime::Handle::current(),
        };
        let guard = Guard::new(
            gc,
            Arc::new(gstore),
            Arc::new(notifier),
            env.clock.clone(),
            env.rng.clone(),
        )?;
        Ok(Services {
            store,
            guard: Arc::new(guard),
            env,
            audit_lock: Arc::new(tokio::sync::Mutex::new(())),
            uploads: Arc::new(tokio::sync::Semaphore::new(cfg.concurrent_uploads.max(1))),
            cfg,
        })
    }

    /// The store (for health checks and backups).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The configuration.
    pub fn config(&self) -> &ServiceConfig {
        &self.cfg
    }

    fn now(&self) -> time::OffsetDateTime {
        self.env.clock.now()
    }

    /// A fresh random value (hex) for pre-session CSRF cookies and the like.
    pub fn new_nonce(&self) -> String {
        self.secret()
    }

    /// 32 random bytes as hex.
    fn secret(&self) -> String {
        let mut b = [0u8; 32];
        self.env.rng.fill(&mut b);
        hex::encode(b)
    }

    /// Runs a guard call on a blocking thread (the guard hashes and blocks on SQL).
    async fn with_guard<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Guard) -> T + Send + 'static,
    ) -> Result<T> {
        let g = self.guard.clone();
        tokio::task::spawn_blocking(move || f(&g))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// Records an audit event.
    async fn audit(&self, ev: audit::Event) -> Result<()> {
        let _g = self.audit_lock.lock().await;
        audit::append(self.store.as_ref(), self.now(), ev).await?;
        Ok(())
    }

    /// Checks the whole audit chain (the CLI's `mamori audit verify`).
    pub async fn verify_audit(&self) -> Result<audit::VerifyReport> {
        audit::verify(self.store.as_ref()).await
    }
}

/// The hash under which a secret (session value, token, link) is stored.
pub fn secret_hash(secret: &str) -> String {
    blake3::hash(secret.as_bytes()).to_hex().to_string()
}
