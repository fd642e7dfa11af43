//! Rows of the shared credential-stuffing window (schema 5): per-bucket counts,
//! each account's last bucket, and the alert's end. The guard's detector decides;
//! the store only counts, so every server on one database sees one window.

use serde::{Deserialize, Serialize};

/// One login attempt as the window records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuffingAttempt {
    /// The bucket (Unix seconds divided by the bucket width).
    pub bucket: i64,
    /// A stable hash of the normalised login name (never the name itself).
    pub account: i64,
    /// The login failed.
    pub failed: bool,
    /// The name does not exist.
    pub unknown: bool,
    /// The password is on a breach or common list.
    pub breached: bool,
}

/// The window's totals from its first bucket on, and the alert's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StuffingTotals {
    /// Attempts.
    pub attempts: i64,
    /// Failures.
    pub failures: i64,
    /// Attempts on names that do not exist.
    pub unknown: i64,
    /// Attempts with breached passwords.
    pub breached: i64,
    /// Distinct accounts (up to the cap the caller gave).
    pub accounts: i64,
    /// When the alert ends, Unix milliseconds (`None`: never raised).
    pub alert_until_ms: Option<i64>,
}
