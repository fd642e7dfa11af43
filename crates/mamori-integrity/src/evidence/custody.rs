//! The chain-of-custody log: JSON lines, each naming the SHA-256 of the line before it (the
//! first names the SHA-256 of `manifest.json`), so an edited or removed earlier line breaks
//! the chain. Every `mamori evidence` command appends one record.

use crate::hash::sha256_hex;
use serde::{Deserialize, Serialize};

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
}

/// A problem in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub detail: String,
}

/// Appends a record to `log` (which may be empty), chaining it to the last line or, for the
/// first record, to `manifest_sha256`.
pub fn append(
    log: &mut Vec<u8>,
    manifest_sha256: &str,
    at: String,
    actor: &str,
    host: &str,
    action: &str,
    detail: &str,
) {
    let lines: Vec<&[u8]> = log
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let prev = lines
        .last()
        .map_or_else(|| manifest_sha256.to_owned(), |l| sha256_hex(l));
    let rec = CustodyRecord {
        seq: lines.len() as u64,
        at,
        actor: actor.to_owned(),
        host: host.to_owned(),
        action: action.to_owned(),
        detail: detail.to_owned(),
        prev,
    };
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
        let mut log = Vec::new();
        for a in ["collect", "verify", "verify"] {
            append(&mut log, "m", "t".into(), "alice", "h", a, "ok");
        }
        assert_eq!(verify_chain(&log, "m").unwrap().len(), 3);
        assert!(verify_chain(&log, "other-manifest").is_err());
        let text = String::from_utf8(log.clone()).unwrap();
        let edited = text.replacen("alice", "mallory", 1);
        let err = verify_chain(edited.as_bytes(), "m").unwrap_err();
        assert_eq!(err.line, 2);
        let lines: Vec<&str> = text.lines().collect();
        let dropped = format!("{}\n{}\n", lines[0], lines[2]);
        assert!(verify_chain(dropped.as_bytes(), "m").is_err());
    }
}
