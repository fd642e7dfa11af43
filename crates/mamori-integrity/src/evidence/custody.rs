//! The chain-of-custody log: JSON lines, each naming the SHA-256 of the line before it (the
//! first names the SHA-256 of `manifest.json`), so an edited or removed earlier line breaks
//! the chain. Every `mamori evidence` command appends one record, signed with the actor's key
//! when one is available (non-repudiation: who verified or handled the bundle, and when).

use crate::hash::sha256_hex;
use crate::seal::{Seal, SigningKey, seal, verify};
use serde::{Deserialize, Serialize};

const DOMAIN: &str = "mamori-evidence custody v1";

/// One custody event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyRecord {
    /// 0-based position in the log.
    pub seq: u64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// Host where it happened.
    pub host: String,
    /// `collect`, `verify`, …
    pub action: String,
    /// What happened, for people.
    pub detail: String,
    /// SHA-256 of the previous line (of `manifest.json` for the first).
    pub prev: String,
    /// The actor's signature over this record without this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<Seal>,
}

impl CustodyRecord {
    fn signed_bytes(&self) -> Vec<u8> {
        let mut unsigned = self.clone();
        unsigned.seal = None;
        #[allow(clippy::expect_used)] // plain data
        serde_json::to_vec(&unsigned).expect("record serialises")
    }
}

/// A problem in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub detail: String,
}

/// Who did what, when, where.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// When (RFC 3339).
    pub at: &'a str,
    /// Who.
    pub actor: &'a str,
    /// Host.
    pub host: &'a str,
    /// `collect`, `verify`, …
    pub action: &'a str,
    /// What happened.
    pub detail: &'a str,
    /// The actor's signing key, when available.
    pub key: Option<&'a SigningKey>,
}

/// Appends a record to `log` (which may be empty), chaining it to the last line or, for the
/// first record, to `manifest_sha256`.
pub fn append(log: &mut Vec<u8>, manifest_sha256: &str, ev: &Event<'_>) {
    let lines: Vec<&[u8]> = log
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let prev = lines
        .last()
        .map_or_else(|| manifest_sha256.to_owned(), |l| sha256_hex(l));
    let mut rec = CustodyRecord {
        seq: lines.len() as u64,
        at: ev.at.to_owned(),
        actor: ev.actor.to_owned(),
        host: ev.host.to_owned(),
        action: ev.action.to_owned(),
        detail: ev.detail.to_owned(),
        prev,
        seal: None,
    };
    if let Some(key) = ev.key {
        rec.seal = Some(seal(DOMAIN, &rec.signed_bytes(), key));
    }
    if !log.is_empty() && !log.ends_with(b"\n") {
        log.push(b'\n');
    }
    #[allow(clippy::expect_used)] // plain data
    log.extend(serde_json::to_vec(&rec).expect("record serialises"));
    log.push(b'\n');
}

/// Checks the chain; returns the records.
pub fn verify_chain(log: &[u8], manifest_sha256: &str) -> Result<Vec<CustodyRecord>, ChainError> {
    let mut prev = manifest_sha256.to_owned();
    let mut out = Vec::new();
    for (i, line) in log
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let rec: CustodyRecord = serde_json::from_slice(line).map_err(|e| ChainError {
            line: i + 1,
            detail: format!("not a custody record: {e}"),
        })?;
        if let Some(seal) = &rec.seal
            && let Err(why) = verify(DOMAIN, &rec.signed_bytes(), seal, None)
        {
            return Err(ChainError {
                line: i + 1,
                detail: format!("record signature: {why}"),
            });
        }
        if rec.prev != prev || rec.seq != i as u64 {
            return Err(ChainError {
                line: i + 1,
                detail:
                    "does not follow the line before it (an earlier line was changed or removed)"
                        .into(),
            });
        }
        prev = sha256_hex(line);
        out.push(rec);
    }
    if out.is_empty() {
        return Err(ChainError {
            line: 0,
            detail: "custody log is empty".into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_breaks_when_an_earlier_line_is_edited() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let mut log = Vec::new();
        for (a, k) in [
            ("collect", Some(&key)),
            ("verify", None),
            ("verify", Some(&key)),
        ] {
            let ev = Event {
                at: "t",
                actor: "alice",
                host: "h",
                action: a,
                detail: "ok",
                key: k,
            };
            append(&mut log, "m", &ev);
        }
        assert_eq!(verify_chain(&log, "m").unwrap().len(), 3);
        assert!(verify_chain(&log, "other-manifest").is_err());
        let text = String::from_utf8(log.clone()).unwrap();
        // the unsigned middle record: its own bytes still parse, the next line's link breaks
        let mut edited: Vec<String> = text.lines().map(str::to_owned).collect();
        edited[1] = edited[1].replace("alice", "mallory");
        let err = verify_chain(format!("{}\n", edited.join("\n")).as_bytes(), "m").unwrap_err();
        assert_eq!(err.line, 3);
        let lines: Vec<&str> = text.lines().collect();
        let dropped = format!("{}\n{}\n", lines[0], lines[2]);
        assert!(verify_chain(dropped.as_bytes(), "m").is_err());
    }

    #[test]
    fn the_last_record_cannot_be_reworded_without_its_key() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let mut log = Vec::new();
        let ev = Event {
            at: "t",
            actor: "alice",
            host: "h",
            action: "verify",
            detail: "ok",
            key: Some(&key),
        };
        append(&mut log, "m", &ev);
        let records = verify_chain(&log, "m").unwrap();
        assert!(records[0].seal.is_some());
        let edited = String::from_utf8(log).unwrap().replace("alice", "mallory");
        let err = verify_chain(edited.as_bytes(), "m").unwrap_err();
        assert!(err.detail.contains("signature"), "{}", err.detail);
    }
}
