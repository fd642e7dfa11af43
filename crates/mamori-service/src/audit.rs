//! The audit log: append-only and hash-chained. Each entry's hash is
//! `BLAKE3(prev_hash ‖ canonical JSON of the entry without its hashes)`; the
//! database additionally refuses UPDATE and DELETE on the table. [`verify`]
//! recomputes the chain and names the first entry that does not fit.

use crate::ServiceError;
use mamori_store::{AuditEntry, Store, StoreError, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// The previous hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says, before it is chained.
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Who acted.
    pub actor: Option<UserId>,
    /// Whom it is about.
    pub subject: Option<UserId>,
    /// What happened.
    pub action: &'static str,
    /// The object, `kind:id`.
    pub object: String,
    /// Client address.
    pub source: String,
    /// Extra facts (JSON object, no secrets).
    pub detail: serde_json::Value,
}

#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: i64,
    actor: Option<i64>,
    subject: Option<i64>,
    action: &'a str,
    object: &'a str,
    source: &'a str,
    detail: &'a str,
}

/// The hash of an entry given its predecessor's hash.
pub fn entry_hash(e: &AuditEntry) -> String {
    let canon = Canonical {
        seq: e.seq,
        at: e.at.unix_timestamp(),
        actor: e.actor.map(|u| u.0),
        subject: e.subject.map(|u| u.0),
        action: &e.action,
        object: &e.object,
        source: &e.source,
        detail: &e.detail,
    };
    // Serialising a struct of plain fields cannot fail; fall back to an empty body.
    let json = serde_json::to_vec(&canon).unwrap_or_default();
    let mut h = blake3::Hasher::new();
    h.update(e.prev_hash.as_bytes());
    h.update(&json);
    h.finalize().to_hex().to_string()
}

/// Appends one event. In-process writers are serialised by the caller's lock;
/// writers in other processes are caught by the store's next-seq check and retried.
pub async fn append(
    store: &dyn Store,
    at: OffsetDateTime,
    ev: Event,
) -> Result<AuditEntry, ServiceError> {
    let detail = if ev.detail.is_null() {
        "{}".to_string()
    } else {
        ev.detail.to_string()
    };
    for _ in 0..20 {
        let last = store.last_audit().await?;
        let (seq, prev_hash) = match last {
            Some(l) => (l.seq + 1, l.hash),
            None => (1, GENESIS.to_string()),
        };
        let mut e = AuditEntry {
            seq,
            at,
            actor: ev.actor,
            subject: ev.subject,
            action: ev.action.to_string(),
            object: ev.object.clone(),
            source: ev.source.clone(),
            detail: detail.clone(),
            prev_hash,
            hash: String::new(),
        };
        e.hash = entry_hash(&e);
        match store.append_audit(&e).await {
            Ok(()) => return Ok(e),
            Err(StoreError::Conflict(_)) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Err(ServiceError::Internal(
        "audit append kept conflicting".into(),
    ))
}

/// The result of a chain check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries read.
    pub entries: i64,
    /// The first entry that does not fit, with the reason.
    pub first_broken: Option<(i64, &'static str)>,
}

/// Recomputes the whole chain.
pub async fn verify(store: &dyn Store) -> Result<VerifyReport, ServiceError> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    loop {
        let page = store.audit_page(expected_seq - 1, 1000).await?;
        if page.is_empty() {
            return Ok(VerifyReport {
                entries: count,
                first_broken: None,
            });
        }
        for e in page {
            count += 1;
            let broken = if e.seq != expected_seq {
                Some("sequence gap (an entry was removed)")
            } else if e.prev_hash != prev {
                Some("previous-hash link broken")
            } else if entry_hash(&e) != e.hash {
                Some("content changed after it was written")
            } else {
                None
            };
            if let Some(reason) = broken {
                return Ok(VerifyReport {
                    entries: count,
                    first_broken: Some((expected_seq, reason)),
                });
            }
            prev = e.hash;
            expected_seq += 1;
        }
    }
}
