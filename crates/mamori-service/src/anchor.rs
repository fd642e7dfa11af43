//! An external anchor for the audit chain. The hash chain shows that no
//! entry was edited or removed in the middle, but someone with the database could
//! rewrite or truncate the whole chain consistently. An anchor — the chain head's
//! sequence number, hash and time, signed with an Ed25519 key kept in the data
//! directory (the signing code of `mamori-integrity`) — is kept elsewhere; checking
//! it later proves that the anchored entry is still in the chain, unchanged.

use crate::{Result, ServiceError, Services, codes};
use mamori_integrity::seal::{self, Seal, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The signature domain of anchors (a seal of another kind cannot pass as one).
pub const DOMAIN: &str = "mamori-audit-anchor-v1";

/// What an anchor says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// `mamori-audit-anchor/1`.
    pub format: String,
    /// The chain head's sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When that entry was written.
    #[serde(with = "time::serde::rfc3339")]
    pub entry_at: OffsetDateTime,
    /// When the anchor was made.
    #[serde(with = "time::serde::rfc3339")]
    pub anchored_at: OffsetDateTime,
}

/// An anchor with its signature: the file `mamori audit anchor` writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedAnchor {
    /// The anchor.
    pub anchor: Anchor,
    /// Ed25519 over the anchor's JSON.
    pub seal: Seal,
}

/// The verdict of [`Services::check_anchor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// The anchored entry is in the chain, unchanged; `newer` entries follow it.
    Holds {
        /// Entries written after the anchor.
        newer: i64,
    },
    /// The anchor file itself is not genuine (edited, or signed by another key).
    BadSignature(String),
    /// The chain is shorter than the anchor: entries were removed from its end.
    Truncated {
        /// The chain's current length.
        length: i64,
    },
    /// The anchored entry's hash differs: the chain was rewritten.
    Rewritten,
}

fn body(a: &Anchor) -> Vec<u8> {
    serde_json::to_vec(a).unwrap_or_default()
}

impl SignedAnchor {
    /// Checks the signature (and, when given, that it is by `pinned`).
    pub fn verify_seal(&self, pinned: Option<&VerifyingKey>) -> std::result::Result<(), String> {
        seal::verify(DOMAIN, &body(&self.anchor), &self.seal, pinned).map(|_| ())
    }
}

impl Services {
    /// Signs the current chain head. Refuses when the chain is empty or broken
    /// (anchoring a broken chain would bless it).
    pub async fn audit_anchor(&self, key: &SigningKey) -> Result<SignedAnchor> {
        let report = self.verify_audit().await?;
        if report.first_broken.is_some() {
            return Err(ServiceError::Invalid(codes::CHAIN_BROKEN));
        }
        let head = self
            .store
            .last_audit()
            .await?
            .ok_or(ServiceError::NotFound)?;
        let anchor = Anchor {
            format: "mamori-audit-anchor/1".into(),
            seq: head.seq,
            hash: head.hash,
            entry_at: head.at,
            anchored_at: self.now(),
        };
        let seal = seal::seal(DOMAIN, &body(&anchor), key);
        Ok(SignedAnchor { anchor, seal })
    }

    /// Checks an anchor against the chain as it is now.
    pub async fn check_anchor(
        &self,
        a: &SignedAnchor,
        pinned: Option<&VerifyingKey>,
    ) -> Result<AnchorCheck> {
        if let Err(why) = a.verify_seal(pinned) {
            return Ok(AnchorCheck::BadSignature(why));
        }
        let length = self.store.last_audit().await?.map_or(0, |e| e.seq);
        let entry = self
            .store
            .audit_page(a.anchor.seq - 1, 1)
            .await?
            .into_iter()
            .next()
            .filter(|e| e.seq == a.anchor.seq);
        Ok(match entry {
            None => AnchorCheck::Truncated { length },
            Some(e) if e.hash != a.anchor.hash => AnchorCheck::Rewritten,
            Some(_) => AnchorCheck::Holds {
                newer: length - a.anchor.seq,
            },
        })
    }
}
