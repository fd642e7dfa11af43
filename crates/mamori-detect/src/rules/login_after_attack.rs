//! MAM-A004 login-after-failures and MAM-A006 login-from-attacker: a successful login
//! that probably was the attacker's — the first thing an operator must see.
//!
//! Example: 120 × `POST /login` answered 200 (the form again), then `POST /login`
//! answered 302 from the same address; or `Accepted password for carol from …` after
//! 80 `Failed password` lines from that address.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)) — the act is complete once the
//! stolen or guessed identification code is accepted.

use super::{Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::{Evidence, Finding};
use mamori_core::{ActCategory, Severity, Text};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

/// Metadata of MAM-A004.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-A004",
    name: "login-after-failures",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::Critical,
    title: Text::new(
        "連続失敗の後のログイン成功（侵入の可能性）",
        "Successful login after repeated failures (probable break-in)",
    ),
    explanation: Text::new(
        "同じ送信元から何度もログインに失敗した後、ログインに成功しています。パスワードを言い当てられ、不正にログインされた可能性が高い状態です。",
        "After many failed logins, the same source logged in successfully: the password was probably guessed and the account taken over.",
    ),
};

/// Metadata of MAM-A006.
pub static META_ATTACKER: RuleMeta = RuleMeta {
    id: "MAM-A006",
    name: "login-from-attacker",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::High,
    title: Text::new(
        "攻撃元からのログイン成功",
        "Successful login from a source that attacked",
    ),
    explanation: Text::new(
        "Web攻撃を送ってきた送信元が、その後ログインに成功しています。攻撃で得た情報でログインした可能性があります。",
        "A source that sent web attacks later logged in successfully: it may be using what the attack revealed.",
    ),
};

/// Failure lines kept per source as evidence.
const KEEP: usize = 10;

#[derive(Debug, Default)]
struct PerSource {
    /// Failures since the last success (times), within the lookback.
    failures: VecDeque<i64>,
    /// The latest failure events, for evidence.
    recent: VecDeque<Evidence>,
    last_attack: Option<Evidence>,
    last_seen: i64,
}

/// State of both rules.
#[derive(Debug)]
pub struct LoginAfterAttack {
    min_failures: usize,
    lookback: i64,
    memory: i64,
    sources: HashMap<IpAddr, PerSource>,
    findings: HashMap<(IpAddr, &'static str), Finding>,
    last_sweep: i64,
}

impl LoginAfterAttack {
    /// A rule with the configured thresholds.
    pub fn new(t: &Thresholds) -> Self {
        LoginAfterAttack {
            min_failures: t.success_after_failures.max(1) as usize,
            lookback: t.success_lookback_secs,
            memory: t.attacker_memory_secs,
            sources: HashMap::new(),
            findings: HashMap::new(),
            last_sweep: i64::MIN,
        }
    }
}

impl Rule for LoginAfterAttack {
    fn observe(&mut self, ev: &Event) {
        let Some(src) = ev.source else { return };
        if ev.restated {
            return;
        }
        match ev.kind {
            EventKind::AuthFailure => {
                let s = self.sources.entry(src).or_default();
                s.last_seen = ev.time;
                while s
                    .failures
                    .front()
                    .is_some_and(|t| *t < ev.time - self.lookback)
                {
                    s.failures.pop_front();
                }
                if s.failures.len() < 100_000 {
                    s.failures.push_back(ev.time);
                }
                if s.recent.len() == KEEP {
                    s.recent.pop_front();
                }
                s.recent.push_back(Evidence::of(ev));
            }
            EventKind::Attack => {
                let s = self.sources.entry(src).or_default();
                s.last_seen = ev.time;
                s.last_attack = Some(Evidence::of(ev));
            }
            EventKind::AuthSuccess => {
                let Some(s) = self.sources.get_mut(&src) else {
                    return;
                };
                let failures = s
                    .failures
                    .iter()
                    .filter(|t| **t >= ev.time - self.lookback)
                    .count();
                let meta = if failures >= self.min_failures {
                    Some(&META)
                } else if s
                    .last_attack
                    .as_ref()
                    .is_some_and(|a| a.time.unwrap_or(0) >= ev.time - self.memory)
                {
                    Some(&META_ATTACKER)
                } else {
                    None
                };
                if let Some(meta) = meta {
                    let f = self.findings.entry((src, meta.id)).or_insert_with(|| {
                        Finding::new(meta, ev.service, ev.target.as_ref().map(|t| t.to_string()))
                    });
                    if meta.id == META.id {
                        for e in s.recent.drain(..) {
                            f.add_evidence(e);
                        }
                        f.fact(
                            format!("成功の前に {failures} 回の失敗"),
                            format!("{failures} failures before the success"),
                        );
                    } else if let Some(a) = s.last_attack.clone() {
                        f.add_evidence(a);
                    }
                    f.add(ev);
                    f.succeeded = true;
                }
                s.failures.clear();
                s.recent.clear();
            }
            _ => {}
        }
    }

    fn sweep(&mut self, now: i64) {
        // The horizon is long (a day by default): sweeping hourly is enough.
        if now.saturating_sub(self.last_sweep) < 3600 {
            return;
        }
        self.last_sweep = now;
        let horizon = self.lookback.max(self.memory);
        self.sources.retain(|_, s| s.last_seen >= now - horizon);
    }

    fn restart(&mut self) {
        self.sources.clear();
        self.last_sweep = i64::MIN;
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            // Keep only the first "N failures" fact and say how many logins succeeded.
            f.facts.truncate(1);
            f.fact(
                format!("ログイン成功 {} 回", f.count),
                format!("{} successful logins", f.count),
            );
            out.push(f.seal());
        }
    }
}
