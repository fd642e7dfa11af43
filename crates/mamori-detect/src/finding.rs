//! Findings: what the rules concluded, with the evidence lines behind it.

use crate::event::{Event, Service};
use crate::rules::RuleMeta;
use mamori_core::Severity;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// How many evidence lines a finding keeps: the first ones and the latest ones.
const EVIDENCE_HEAD: usize = 20;
const EVIDENCE_TAIL: usize = 5;
/// Distinct sources/accounts kept per finding; beyond that only counted.
const MAX_KEYS: usize = 20_000;
/// Distinct references (CVE, CRS rule ids) kept per finding.
pub const MAX_REFERENCES: usize = 16;

/// One supporting log line.
///
/// Rules take evidence from every event they see and keep a few, so the line's
/// description is written only when asked for ([`Evidence::detail`]): until then the
/// evidence shares the event's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Index of the input file.
    pub file: u32,
    /// 1-based line number.
    pub line: u64,
    /// Epoch seconds; `None` when the line had no time stamp and none came before it.
    pub time: Option<i64>,
    target: Option<Arc<str>>,
    note: Option<Arc<str>>,
    status: u16,
}

impl Evidence {
    /// The evidence of one event.
    pub fn of(ev: &Event) -> Evidence {
        Evidence {
            file: ev.file,
            line: ev.line,
            time: (!ev.time_unknown).then_some(ev.time),
            target: ev.target.clone(),
            note: ev.detail.clone(),
            status: ev.status,
        }
    }

    /// What the parser understood of the line: target, detail and status
    /// (``POST /login — login endpoint `form` [302]``).
    pub fn detail(&self) -> Option<String> {
        let text = match (&self.target, &self.note) {
            (Some(t), Some(d)) => format!("{t} — {d}"),
            (Some(t), None) => t.to_string(),
            (None, Some(d)) => d.to_string(),
            (None, None) => return None,
        };
        Some(if self.status > 0 {
            format!("{text} [{}]", self.status)
        } else {
            text
        })
    }
}

/// A conclusion of one rule about one attacker, target or campaign.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule that produced it.
    pub rule: &'static RuleMeta,
    /// Severity, possibly raised from the rule's default (e.g. when it succeeded).
    pub severity: Severity,
    /// The service attacked.
    pub service: Service,
    /// The login target, path or service the finding is about.
    pub target: Option<String>,
    /// Source addresses and how many events each contributed.
    pub sources: HashMap<IpAddr, u64>,
    /// Accounts and how many events named each.
    pub accounts: HashMap<String, u64>,
    /// Events beyond the distinct-key cap (counted, not listed).
    pub overflow: u64,
    /// First event time (`i64::MAX` while no event had a time: see
    /// [`Finding::time_range`]).
    pub first_seen: i64,
    /// Last event time (`i64::MIN` while no event had a time).
    pub last_seen: i64,
    /// Events that make up the finding.
    pub count: u64,
    /// The log suggests the attack worked (a login succeeded, a probe got content …).
    pub succeeded: bool,
    /// Rule-specific facts, in both languages (e.g. "failure ratio 99%").
    pub facts: Vec<(String, String)>,
    /// Supporting lines: the first 20 and the latest 5.
    pub evidence: Vec<Evidence>,
    /// The distinct rule ids of rule sets the field maintains that its events matched
    /// (`CVE-2021-44228`, `CRS-942100`), in first-seen order, at most [`MAX_REFERENCES`].
    pub references: Vec<String>,
    tail: std::collections::VecDeque<Evidence>,
}

impl Finding {
    /// An empty finding of `rule`, to be filled with [`Finding::add`].
    pub fn new(rule: &'static RuleMeta, service: Service, target: Option<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            service,
            target,
            sources: HashMap::new(),
            accounts: HashMap::new(),
            overflow: 0,
            first_seen: i64::MAX,
            last_seen: i64::MIN,
            count: 0,
            succeeded: false,
            facts: Vec::new(),
            evidence: Vec::new(),
            references: Vec::new(),
            tail: std::collections::VecDeque::new(),
        }
    }

    /// Adds one supporting event.
    pub fn add(&mut self, ev: &Event) {
        self.count += 1;
        if !ev.time_unknown {
            self.first_seen = self.first_seen.min(ev.time);
            self.last_seen = self.last_seen.max(ev.time);
        }
        if let Some(ip) = ev.source {
            if self.sources.len() < MAX_KEYS || self.sources.contains_key(&ip) {
                *self.sources.entry(ip).or_default() += 1;
            } else {
                self.overflow += 1;
            }
        }
        if let Some(u) = &ev.user {
            if let Some(n) = self.accounts.get_mut(u.as_ref()) {
                *n += 1;
            } else if self.accounts.len() < MAX_KEYS {
                self.accounts.insert(u.to_string(), 1);
            }
        }
        if let Some(r) = &ev.reference
            && self.references.len() < MAX_REFERENCES
            && !self.references.iter().any(|x| x == r.as_ref())
        {
            self.references.push(r.to_string());
        }
        self.add_evidence(Evidence::of(ev));
    }

    /// Adds a supporting line without counting it as an event.
    pub fn add_evidence(&mut self, e: Evidence) {
        if self.evidence.len() < EVIDENCE_HEAD {
            self.evidence.push(e);
        } else {
            if self.tail.len() == EVIDENCE_TAIL {
                self.tail.pop_front();
            }
            self.tail.push_back(e);
        }
    }

    /// First and last event time; `None` when none of its events had a time (lines
    /// without time stamps), which reports show as an unknown time.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        (self.first_seen <= self.last_seen).then_some((self.first_seen, self.last_seen))
    }

    /// Raises the severity to at least `s`.
    pub fn raise(&mut self, s: Severity) {
        self.severity = self.severity.max(s);
    }

    /// Adds a fact in Japanese and English.
    pub fn fact(&mut self, ja: String, en: String) {
        self.facts.push((ja, en));
    }

    /// Finishes the evidence list (head then tail, in time order).
    pub fn seal(mut self) -> Finding {
        let tail: Vec<_> = self.tail.drain(..).collect();
        self.evidence.extend(tail);
        self
    }

    /// Sources, most active first.
    pub fn sources_ranked(&self) -> Vec<(IpAddr, u64)> {
        let mut v: Vec<_> = self.sources.iter().map(|(k, v)| (*k, *v)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Accounts, most targeted first.
    pub fn accounts_ranked(&self) -> Vec<(String, u64)> {
        let mut v: Vec<_> = self.accounts.iter().map(|(k, v)| (k.clone(), *v)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}
