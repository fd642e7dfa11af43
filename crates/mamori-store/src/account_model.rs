//! Rows of the account features: owner notices, deletion requests and the
//! erasure that carries one out.

use crate::UserId;
use serde::Serialize;
use time::OffsetDateTime;

/// A notice for the owner of an account (password changed, factor added, sign-in
/// from a new place…), shown on their home page until they mark it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Id.
    pub id: i64,
    /// The owner.
    pub user: UserId,
    /// When it happened.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Stable kind (`password_changed`, `factor_changed`, `new_place`, …).
    pub kind: String,
    /// Extra facts as a JSON object (never secrets).
    pub detail: String,
    /// The owner marked it read.
    pub seen: bool,
}

/// A new notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    /// The owner.
    pub user: UserId,
    /// When.
    pub at: OffsetDateTime,
    /// Stable kind.
    pub kind: String,
    /// JSON object.
    pub detail: String,
}

/// A person's request to delete their personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletionRequest {
    /// Id.
    pub id: i64,
    /// The person.
    pub user: UserId,
    /// When asked.
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// The person's words (may be empty).
    pub reason: String,
    /// When carried out.
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<OffsetDateTime>,
    /// Who carried it out (none: the console).
    pub done_by: Option<UserId>,
}

/// What [`Store::erase_user`](crate::Store::erase_user) does, in one transaction:
/// the person is disabled and renamed to the pseudonyms, their sessions, API tokens,
/// one-time links, notices and guard record are deleted, and the request (if any)
/// is marked done. The row itself stays, so that audit entries keep pointing at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    /// The person.
    pub user: UserId,
    /// Their current login name (the guard record's key).
    pub old_email: String,
    /// The e-mail address that replaces theirs.
    pub pseudonym_email: String,
    /// The display name that replaces theirs.
    pub pseudonym_name: String,
    /// The request carried out, if any.
    pub request: Option<i64>,
    /// When.
    pub at: OffsetDateTime,
    /// Who (none: the console).
    pub by: Option<UserId>,
}

/// One guard counter as stored: its JSON state and a version for compare-and-swap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCounter {
    /// The counter's state (JSON of `mamori_guard::CounterState`).
    pub state: String,
    /// Bumped on every write.
    pub version: i64,
}

/// A WebAuthn ceremony between its two round trips: the relying party's state
/// (`webauthn-rs` JSON) for one login name, until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    /// The login name it is for.
    pub user: String,
    /// The ceremony state (JSON).
    pub state: String,
    /// After this it cannot be finished.
    pub expires_at: OffsetDateTime,
}
