//! MAM-A002 password-spraying: one source tries many accounts, a few times each
//! (one common password against every user, then the next).
//!
//! Example: `GET /admin/ 401` with `$remote_user` admin, info, sales, … from one address.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)).

use super::{Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{Event, EventKind, Service};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-A002",
    name: "password-spraying",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::High,
    title: Text::new("パスワードスプレー攻撃", "Password spraying"),
    explanation: Text::new(
        "同じ送信元が多数のアカウントに少しずつログインを試みています。よく使われるパスワードを全員に試す攻撃です。",
        "One source tried many different accounts a few times each: a common password is being tried against every user.",
    ),
};

#[derive(Debug, Default)]
struct PerSource {
    tries: VecDeque<Event>,
    per_account: HashMap<Arc<str>, u32>,
}

/// State of the rule.
#[derive(Debug)]
pub struct PasswordSpraying {
    accounts: usize,
    max_ratio: f64,
    span: i64,
    /// Per service and source: spraying SSH and spraying IMAP are two findings.
    sources: HashMap<(Service, IpAddr), PerSource>,
    findings: HashMap<(Service, IpAddr), Finding>,
}

impl PasswordSpraying {
    /// A rule with the configured thresholds.
    pub fn new(t: &Thresholds) -> Self {
        PasswordSpraying {
            accounts: t.spray_accounts.max(2) as usize,
            max_ratio: t.spray_max_tries_per_account,
            span: t.spray_window_secs,
            sources: HashMap::new(),
            findings: HashMap::new(),
        }
    }
}

fn expire(s: &mut PerSource, oldest: i64) {
    while s.tries.front().is_some_and(|e| e.time < oldest) {
        if let Some(e) = s.tries.pop_front()
            && let Some(u) = &e.user
            && let Some(n) = s.per_account.get_mut(u)
        {
            *n -= 1;
            if *n == 0 {
                s.per_account.remove(u);
            }
        }
    }
}

impl Rule for PasswordSpraying {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthFailure || ev.restated {
            return;
        }
        let (Some(ip), Some(user)) = (ev.source, ev.user.as_ref()) else {
            return;
        };
        let src = (ev.service, ip);
        if let Some(f) = self.findings.get_mut(&src) {
            f.add(ev);
            return;
        }
        let s = self.sources.entry(src).or_default();
        expire(s, ev.time - self.span);
        s.tries.push_back(ev.clone());
        *s.per_account.entry(user.clone()).or_default() += 1;
        // Bound memory for a source that hammers one account (that is brute force).
        if s.tries.len() > self.accounts * 50
            && let Some(old) = s.tries.pop_front()
            && let Some(u) = &old.user
            && let Some(n) = s.per_account.get_mut(u)
        {
            *n -= 1;
            if *n == 0 {
                s.per_account.remove(u);
            }
        }
        let distinct = s.per_account.len();
        if distinct >= self.accounts && (s.tries.len() as f64) / (distinct as f64) <= self.max_ratio
        {
            let mut f = Finding::new(&META, ev.service, ev.target.as_ref().map(|t| t.to_string()));
            for e in s.tries.drain(..) {
                f.add(&e);
            }
            self.sources.remove(&src);
            self.findings.insert(src, f);
        }
    }

    fn sweep(&mut self, now: i64) {
        let oldest = now - self.span;
        self.sources.retain(|_, s| {
            expire(s, oldest);
            !s.tries.is_empty()
        });
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            f.fact(
                format!("{} 個のアカウントに {} 回", f.accounts.len(), f.count),
                format!("{} attempts on {} accounts", f.count, f.accounts.len()),
            );
            out.push(f.seal());
        }
    }
}
