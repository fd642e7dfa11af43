//! The systemd journal's JSON export: `journalctl -o json` (one object per line),
//! `-o json-seq` (each object behind an ASCII record separator, RFC 7464) and
//! `-o json-sse` (`data: {…}` lines of Server-Sent Events).
//!
//! ```text
//! {"__REALTIME_TIMESTAMP":"1796531730083019","_HOSTNAME":"web04","SYSLOG_IDENTIFIER":"sshd","_PID":"3001","MESSAGE":"Failed password for …", …}
//! ```
//!
//! Every value is a JSON string, except (`man 1 journalctl`, OUTPUT OPTIONS): a field
//! with non-printable or non-UTF-8 bytes is an array of the bytes as numbers, a field
//! that occurs more than once is an array of its values, and a field over 4096 bytes
//! is `null`. The entry becomes the syslog line journalctl's `short` output shows
//! (`_HOSTNAME SYSLOG_IDENTIFIER[_PID]: MESSAGE`, the program `_COMM` when there is no
//! identifier), which goes through the same program dispatch as a syslog file
//! ([`super::syslog::dispatch`]); its time is `__REALTIME_TIMESTAMP` (microseconds
//! since the epoch, when journald received the entry).

use super::syslog::{self, SyslogLine};
use super::{ParseError, Parsed, jsonl::OwnedHttp};
use serde_json::Value;
use std::borrow::Cow;

/// The JSON object of a line without the framing of `json-seq` (a leading record
/// separator, 0x1E) or `json-sse` (`data: `).
pub fn unframe(line: &[u8]) -> &[u8] {
    let s = line.trim_ascii();
    let s = s.strip_prefix(b"\x1e").unwrap_or(s);
    s.strip_prefix(b"data: ").unwrap_or(s).trim_ascii_start()
}

/// Whether a decoded JSON object is a journal entry (it has the receive time every
/// exported entry carries).
pub fn is_entry(v: &Value) -> bool {
    v.get("__REALTIME_TIMESTAMP").is_some()
}

/// Parses one exported journal entry.
pub fn parse<'a>(line: &[u8]) -> Result<Parsed<'a>, ParseError> {
    let body = unframe(line);
    if body.first() != Some(&b'{') {
        return Err(ParseError::NotThisFormat);
    }
    let v: Value = serde_json::from_slice(body).map_err(|_| ParseError::Field("json"))?;
    if !is_entry(&v) {
        return Err(ParseError::NotThisFormat);
    }
    entry(&v)
}

/// A decoded journal entry → what its message means.
pub fn entry<'a>(v: &Value) -> Result<Parsed<'a>, ParseError> {
    let time = realtime(v).ok_or(ParseError::Field("__REALTIME_TIMESTAMP"))?;
    let program = bytes(v, "SYSLOG_IDENTIFIER").or_else(|| bytes(v, "_COMM"));
    let (Some(program), Some(message)) = (program, bytes(v, "MESSAGE")) else {
        // Understood, but nothing a service parser could read.
        return Ok(Parsed::Skip(Some(time)));
    };
    let host = bytes(v, "_HOSTNAME").unwrap_or(Cow::Borrowed(b""));
    let line = SyslogLine {
        time: Some(time),
        host: &host,
        program: &program,
        message: &message,
    };
    Ok(match syslog::dispatch(line) {
        Parsed::Event(e) => Parsed::Event(e),
        Parsed::Skip(t) => Parsed::Skip(t),
        Parsed::HttpOwned(h) => Parsed::HttpOwned(h),
        // A HAProxy request line: its fields borrow the decoded message, so copy them.
        Parsed::Http(r) => Parsed::HttpOwned(Box::new(OwnedHttp::from_record(&r))),
    })
}

/// The process an entry comes from, as a key (host, program, pid), like
/// [`syslog::process_key`] for syslog lines: `None` when the entry names no pid.
pub fn process_key(line: &[u8]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let body = unframe(line);
    if body.first() != Some(&b'{') {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    let pid = bytes(&v, "_PID").or_else(|| bytes(&v, "SYSLOG_PID"))?;
    let program = bytes(&v, "SYSLOG_IDENTIFIER").or_else(|| bytes(&v, "_COMM"))?;
    let host = bytes(&v, "_HOSTNAME").unwrap_or(Cow::Borrowed(b""));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&*host, &*program, &*pid).hash(&mut h);
    Some(h.finish())
}

/// `__REALTIME_TIMESTAMP` in epoch seconds.
fn realtime(v: &Value) -> Option<i64> {
    let micros: i64 = match v.get("__REALTIME_TIMESTAMP")? {
        Value::String(s) => s.trim().parse().ok()?,
        Value::Number(n) => n.as_i64()?,
        _ => return None,
    };
    (micros >= 0).then_some(micros / 1_000_000)
}

/// A field's bytes: a string, an array of byte values (non-UTF-8 or non-printable
/// data), or the first of several values. `None` when absent, `null` or empty.
fn bytes<'v>(v: &'v Value, key: &str) -> Option<Cow<'v, [u8]>> {
    value_bytes(v.get(key)?).filter(|b| !b.is_empty())
}

fn value_bytes(v: &Value) -> Option<Cow<'_, [u8]>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.as_bytes())),
        Value::Array(a) if a.iter().all(Value::is_number) => a
            .iter()
            .map(|n| n.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect::<Option<Vec<u8>>>()
            .map(Cow::Owned),
        // A field logged more than once: its first value.
        Value::Array(a) => a.first().and_then(value_bytes),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, Service};
    use crate::timefmt::rfc3339;

    fn event(line: &str) -> crate::event::Event {
        match parse(line.as_bytes()).unwrap() {
            Parsed::Event(e) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sshd_entry_goes_through_the_sshd_parser() {
        let e = event(
            r#"{"__REALTIME_TIMESTAMP":"1796531730083019","_HOSTNAME":"web04","SYSLOG_IDENTIFIER":"sshd","_PID":"3001","MESSAGE":"Failed password for invalid user admin from 203.0.113.44 port 40000 ssh2"}"#,
        );
        assert_eq!(e.kind, EventKind::AuthFailure);
        assert_eq!(e.service, Service::Ssh);
        assert_eq!(e.source, Some("203.0.113.44".parse().unwrap()));
        assert_eq!(rfc3339(e.time), "2026-12-06T04:35:30Z");
        assert!(!e.time_unknown);
    }

    #[test]
    fn byte_array_message_comm_and_framing() {
        // `Failed password for invalid user \xe9 from …` as journalctl writes non-UTF-8.
        let mut msg: Vec<u8> =
            b"Failed password for invalid user \xe9 from 203.0.113.46 port 1 ssh2".to_vec();
        let arr = msg
            .drain(..)
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let line = format!(
            r#"{{"__REALTIME_TIMESTAMP":"1796531730083019","_COMM":"sshd","MESSAGE":[{arr}]}}"#
        );
        let e = event(&line);
        assert_eq!(e.source, Some("203.0.113.46".parse().unwrap()));
        for framed in [format!("\x1e{line}"), format!("data: {line}")] {
            assert_eq!(event(&framed).source, e.source);
        }
        // Several values of one field: the first.
        let multi = event(
            r#"{"__REALTIME_TIMESTAMP":"1796531730083019","SYSLOG_IDENTIFIER":["dovecot","x"],"MESSAGE":"imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<info>, method=PLAIN, rip=203.0.113.20, lip=192.0.2.25, TLS, session=<a>"}"#,
        );
        assert_eq!(multi.service, Service::Mail);
    }

    #[test]
    fn odd_entries_are_understood_or_named() {
        let skip = |l: &str| matches!(parse(l.as_bytes()), Ok(Parsed::Skip(Some(_))));
        assert!(skip(
            r#"{"__REALTIME_TIMESTAMP":"1796531730083019","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"Starting x"}"#
        ));
        assert!(skip(
            r#"{"__REALTIME_TIMESTAMP":"1796531730083019","SYSLOG_IDENTIFIER":"sshd","MESSAGE":null}"#
        ));
        assert!(skip(
            r#"{"__REALTIME_TIMESTAMP":"1796531730083019","MESSAGE":"Failed password for root from 203.0.113.9 port 1 ssh2"}"#
        ));
        assert_eq!(
            parse(br#"{"__REALTIME_TIMESTAMP":"soon","MESSAGE":"x"}"#).unwrap_err(),
            ParseError::Field("__REALTIME_TIMESTAMP")
        );
        assert_eq!(parse(b"{oops").unwrap_err(), ParseError::Field("json"));
        assert_eq!(parse(br#"{"a":1}"#).unwrap_err(), ParseError::NotThisFormat);
        assert_eq!(parse(b"").unwrap_err(), ParseError::NotThisFormat);
        assert!(
            parse(br#"{"__REALTIME_TIMESTAMP":"1","_COMM":"sshd","MESSAGE":[300,-1]}"#).is_ok()
        );
    }
}
