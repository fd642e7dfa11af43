//! Parsing one chunk of complete lines: the unit of parallel work.

use crate::classify::HttpClassifier;
use crate::event::{Event, EventKind, Service, Step};
use crate::format::{self, Format, ParseContext, ParseError, Parsed};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Malformed-line samples kept per file.
pub const MAX_SAMPLES: usize = 5;
/// A repeated successful HTTP basic-auth login of the same user from the same address
/// within this many seconds is the same session, not a new login.
const BASIC_AUTH_SESSION_SECS: i64 = 1800;
/// sshd processes remembered per chunk (their address, for lines without one).
const MAX_SESSIONS: usize = 65_536;

/// A malformed line: where, why, and its beginning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// 1-based line number.
    pub line: u64,
    /// Why it could not be parsed.
    pub reason: String,
    /// The first 200 bytes, lossily decoded.
    pub text: String,
}

/// What one chunk yielded.
#[derive(Debug, Default)]
pub struct ChunkResult {
    /// Events, in line order.
    pub events: Vec<Event>,
    /// Lines in the chunk (including empty ones).
    pub lines: u64,
    /// Lines that were understood.
    pub parsed: u64,
    /// Lines that were not.
    pub malformed: u64,
    /// The first few malformed lines.
    pub samples: Vec<Malformed>,
    /// Earliest and latest time of understood lines.
    pub time_range: Option<(i64, i64)>,
    /// The time of the chunk's last line that had one: lines without a time stamp at
    /// the start of the next chunk take it ([`ChunkResult::carry_time`]).
    pub last_time: Option<i64>,
}

impl ChunkResult {
    /// Counts a malformed line.
    pub fn malformed(&mut self, line: u64, reason: ParseError, text: &[u8]) {
        self.malformed += 1;
        if self.samples.len() < MAX_SAMPLES {
            self.samples.push(Malformed {
                line,
                reason: reason.to_string(),
                text: String::from_utf8_lossy(&text[..text.len().min(200)]).into_owned(),
            });
        }
    }

    fn saw_time(&mut self, t: i64) {
        self.time_range = Some(match self.time_range {
            Some((a, b)) => (a.min(t), b.max(t)),
            None => (t, t),
        });
        self.last_time = Some(t);
    }

    /// Gives the events without a time (the lines before the chunk's first time stamp)
    /// `time`, the last time of the chunks before, when there is one.
    pub fn carry_time(&mut self, time: Option<i64>) {
        let Some(t) = time else { return };
        for ev in self.events.iter_mut().filter(|e| e.time_unknown) {
            ev.time = t;
            ev.time_unknown = false;
        }
    }
}

/// Everything a worker needs to parse chunks of one file.
#[derive(Debug)]
pub struct ChunkParser<'a> {
    /// The file's format.
    pub format: Format,
    /// Its parse context.
    pub ctx: &'a ParseContext,
    /// The HTTP classifier.
    pub classifier: &'a HttpClassifier,
    /// Index of the file, stamped on events.
    pub file: u32,
    /// Also read lines of the other self-evident formats (`format::parse_line_mixed`):
    /// when the format was detected, not forced by the user.
    pub mixed: bool,
}

impl ChunkParser<'_> {
    /// Parses `data` (whole lines), whose first line is line number `first_line`.
    pub fn parse(&self, data: &[u8], first_line: u64) -> ChunkResult {
        let mut out = ChunkResult::default();
        let mut state = ChunkState::default();
        // sshd's `Connection from <ip> port <n>` (LogLevel VERBOSE) and the audit
        // patch's `SSH: Server;Ltype: Version;Remote: <ip>-<port>`: no event, but the
        // address of its process. Their message follows the tag's `]: `.
        let tag_end = memchr::memmem::Finder::new(b"]: ");
        let mut line_no = first_line;
        let mut start = 0;
        let mut handle = |line: &[u8], no: u64, out: &mut ChunkResult| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.trim_ascii().is_empty() {
                return;
            }
            // Most lines of most scans are access-log lines: their record goes straight
            // to the classifier (moved out through `Parsed`, it was copied twice per
            // line, 7 % of a scan's CPU). A line that is not one is read as below: CLF
            // tried again there, then the other formats (only lines no access log has).
            if self.format == Format::Clf
                && let Ok(rec) = format::clf::parse(line)
            {
                out.saw_time(rec.time);
                out.parsed += 1;
                if let Some(ev) = self.classifier.classify(&rec) {
                    self.emit(&mut state, out, ev, no, Format::Clf, line);
                }
                return;
            }
            let (line_format, parsed) = if self.mixed {
                format::parse_line_mixed(self.format, line, self.ctx)
            } else {
                (self.format, format::parse_line(self.format, line, self.ctx))
            };
            let ev = match parsed {
                Ok(Parsed::Http(rec)) => {
                    out.saw_time(rec.time);
                    self.classifier.classify(&rec)
                }
                Ok(Parsed::HttpOwned(rec)) => {
                    let rec = rec.as_record();
                    out.saw_time(rec.time);
                    self.classifier.classify(&rec)
                }
                Ok(Parsed::Event(mut ev)) => {
                    if !ev.time_unknown {
                        out.saw_time(ev.time);
                    } else if let Some(t) = out.last_time {
                        // A line without a time stamp (`host sshd[1]: …`) happened at or
                        // after the last line that had one: that time is its best
                        // estimate. Before any, the time stays unknown (not "now").
                        ev.time = t;
                        ev.time_unknown = false;
                    }
                    Some(ev)
                }
                Ok(Parsed::Skip(t)) => {
                    if let Some(t) = t {
                        out.saw_time(t);
                    }
                    if line_format == Format::Syslog
                        && tag_end
                            .find(line)
                            .is_some_and(|i| format::sshd::names_client(&line[i + 3..]))
                        && let Some((key, ip)) =
                            format::syslog::sshd_connection(line, &self.ctx.syslog)
                    {
                        state.sshd.connected(key, ip, &mut out.events);
                    }
                    None
                }
                Err(e) => {
                    out.malformed(no, e, line);
                    return;
                }
            };
            out.parsed += 1;
            if let Some(ev) = ev {
                self.emit(&mut state, out, ev, no, line_format, line);
            }
        };
        for nl in memchr::memchr_iter(b'\n', data) {
            handle(&data[start..nl], line_no, &mut out);
            line_no += 1;
            start = nl + 1;
        }
        if start < data.len() {
            handle(&data[start..], line_no, &mut out);
            line_no += 1;
        }
        // What the chunk's end leaves unsettled is reported as it was; held events came
        // out after later lines' events, so line order is restored (stable: a line's
        // events keep theirs).
        state.sshd.finish(&mut out.events);
        if !out.events.is_sorted_by_key(|e| e.line) {
            out.events.sort_by_key(|e| e.line);
        }
        out.lines = line_no - first_line;
        out
    }

    /// Adds the event of line `no` (in `line_format`) to `out`: an sshd line through its
    /// process, a repeated basic-auth login not again.
    fn emit(
        &self,
        state: &mut ChunkState,
        out: &mut ChunkResult,
        mut ev: Event,
        no: u64,
        line_format: Format,
        line: &[u8],
    ) {
        ev.file = self.file;
        ev.line = no;
        if ev.service == Service::Ssh
            && let Some(key) = format::process_key(line_format, line, self.ctx)
        {
            state.sshd.line(key, ev, &mut out.events);
            return;
        }
        if ev.kind == EventKind::AuthSuccess
            && ev
                .target
                .as_deref()
                .is_some_and(|t| t.starts_with("basic-auth"))
            && let (Some(ip), Some(user)) = (ev.source, ev.user.clone())
        {
            let last = state.basic_seen.insert((ip, user), ev.time);
            if last.is_some_and(|l| ev.time - l < BASIC_AUTH_SESSION_SECS) {
                return;
            }
        }
        out.events.push(ev);
    }
}

/// What a chunk remembers from line to line.
#[derive(Default)]
struct ChunkState {
    /// Successful basic-auth logins: (address, user) → last time.
    basic_seen: HashMap<(IpAddr, Arc<str>), i64>,
    sshd: SshdProcesses,
}

/// What a chunk knows of each sshd process (by `format::process_key`), so that each
/// attempt is reported once, on the first line that names both the attempt and its
/// client: the way fail2ban attributes a session's lines, and what an operator counts.
#[derive(Default)]
struct SshdProcesses {
    /// The address each process logged, whether it let someone in, and whether it has
    /// reported a failed login.
    known: HashMap<u64, Process>,
    /// Lines waiting for what their process does next: lines that restate an attempt
    /// (see `Event::restated` and `settles`) and lines logged before sshd named the client
    /// (`User root not allowed because account is locked`, `kex_exchange_identification:
    /// …`), which the process's first line with the address then reports.
    held: HashMap<u64, Vec<Event>>,
}

#[derive(Clone, Copy)]
struct Process {
    ip: IpAddr,
    authed: bool,
    failed: bool,
}

impl SshdProcesses {
    /// `Connection from <ip>`: a new client of process `key`; what the process held
    /// for the one before is reported as it is (see `unsettled`).
    fn connected(&mut self, key: u64, ip: IpAddr, out: &mut Vec<Event>) {
        out.extend(
            self.held
                .remove(&key)
                .into_iter()
                .flatten()
                .filter(unsettled),
        );
        self.remember(key, ip, false, false);
    }

    fn remember(&mut self, key: u64, ip: IpAddr, authed: bool, failed: bool) {
        if self.known.len() >= MAX_SESSIONS {
            self.known.clear();
        }
        self.known.insert(key, Process { ip, authed, failed });
    }

    /// An event of process `key`: reported to `out` now, held, or dropped.
    fn line(&mut self, key: u64, mut ev: Event, out: &mut Vec<Event>) {
        let known = self.known.get(&key).copied();
        // Once a process let someone in, its closing lines (`Connection closed by <ip>`
        // of old sshd, with no `[preauth]`) end a session, not a probe.
        if ev.step == Step::Close
            && known.is_some_and(|p| p.authed && ev.source.is_none_or(|s| s == p.ip))
        {
            return;
        }
        let authed = ev.kind == EventKind::AuthSuccess
            || known.is_some_and(|p| p.authed && Some(p.ip) == ev.source);
        let mut failed = match (ev.source, known) {
            // A process id used again by a new client starts afresh.
            (Some(ip), Some(p)) => p.ip == ip && p.failed,
            (Some(_), None) => false,
            (None, Some(p)) => {
                // A line without an address (`… [preauth]`) takes its process's.
                ev.source = Some(p.ip);
                p.failed
            }
            (None, None) => false,
        };
        let mut held = self.held.remove(&key).unwrap_or_default();
        let Some(ip) = ev.source else {
            // Who it was is not known yet: the process's next line with an address
            // reports it.
            held.push(ev);
            self.hold(key, held, out);
            return;
        };
        // Lines held until sshd named the client are the attempt this line reports: a
        // close carries the first of them (`account is locked`, `Too many authentication
        // failures`); a line that states an attempt of its own replaces them.
        let first_unnamed = held
            .extract_if(.., |h| h.source.is_none())
            .reduce(|first, _| first);
        if ev.step == Step::Close
            && let Some(first) = first_unnamed
        {
            ev = Event {
                source: Some(ip),
                time: ev.time,
                file: ev.file,
                line: ev.line,
                ..first
            };
        }
        // A failed session's outcome stands for the key offers (and PAM's lines) held
        // before it.
        if ev.step == Step::Outcome {
            held.retain(|h| {
                !(h.restated && h.kind == EventKind::AuthFailure && h.step == Step::Attempt)
            });
        }
        // The end of a connection whose failed login is reported is part of that
        // attempt. (After a probe, an unknown user or a broken handshake, the close is
        // reported: it shows the client left without trying a password.)
        let failure = |e: &Event| e.kind == EventKind::AuthFailure && e.step != Step::Close;
        failed |= held.iter().any(failure);
        let end_of_failure = ev.step == Step::Close && failed;
        failed |= failure(&ev);
        self.remember(key, ip, authed, failed);
        if end_of_failure {
            self.hold(key, held, out);
        } else if ev.restated {
            held.push(ev);
            self.hold(key, held, out);
        } else {
            out.extend(held.into_iter().filter(|h| !settles(h, &ev)));
            out.push(ev);
        }
    }

    fn hold(&mut self, key: u64, held: Vec<Event>, out: &mut Vec<Event>) {
        if held.is_empty() {
            return;
        }
        if self.held.len() >= MAX_SESSIONS {
            out.extend(self.held.drain().flat_map(|(_, h)| h));
        }
        self.held.insert(key, held);
    }

    /// The chunk's end: what is still held is reported as it is (see `unsettled`).
    fn finish(self, out: &mut Vec<Event>) {
        out.extend(self.held.into_values().flatten().filter(unsettled));
    }
}

/// Whether a held line that nothing settled is reported as it is: all but a line that
/// restates an attempt of a client its process never named (`Disconnecting: Too many
/// authentication failures for root [preauth]` alone): whose attempt it restates is not
/// known, and the attempt itself is reported where it was logged.
fn unsettled(h: &Event) -> bool {
    h.source.is_some() || !h.restated
}

/// Whether a later event of the same sshd process settles a held line that restated an
/// attempt, so that the held line is not reported: a login of the same account (a
/// client offering its keys one by one, or a PAM stack whose first module failed, before
/// one succeeded: not failures). Anything else (sshd's own `Failed password` after PAM's
/// line included: each line of a guess stays evidence) leaves it reported, restated.
fn settles(held: &Event, later: &Event) -> bool {
    later.kind == EventKind::AuthSuccess
        && held
            .user
            .as_ref()
            .is_none_or(|u| later.user.as_ref() == Some(u))
}
