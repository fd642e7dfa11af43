//! MAM-A001 brute-force: many failed logins from one source against one login target.
//!
//! Example: `203.0.113.5 … "POST /wp-login.php HTTP/1.1" 200 4590` × 500 in 10 minutes;
//! `sshd[…]: Failed password for root from 203.0.113.5 port 4242 ssh2` × 40.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)) — guessing another person's password.

use super::{Rule, RuleMeta, Window};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-A001",
    name: "brute-force",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::High,
    title: Text::new(
        "総当たり攻撃（ブルートフォース）",
        "Brute-force login attempts",
    ),
    explanation: Text::new(
        "同じ送信元から同じログイン先に、短時間に大量のログイン失敗があります。パスワードを推測してログインしようとする攻撃です。",
        "One source failed to log in to the same login target many times in a short period: someone is guessing passwords.",
    ),
};

type Key = (Arc<str>, IpAddr);

/// State of the rule.
#[derive(Debug)]
pub struct BruteForce {
    threshold: usize,
    span: i64,
    windows: HashMap<Key, Window>,
    findings: HashMap<Key, Finding>,
}

impl BruteForce {
    /// A rule with the configured threshold and window.
    pub fn new(t: &Thresholds) -> Self {
        BruteForce {
            threshold: t.brute_force_failures.max(1) as usize,
            span: t.brute_force_window_secs,
            windows: HashMap::new(),
            findings: HashMap::new(),
        }
    }
}

impl Rule for BruteForce {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthFailure {
            return;
        }
        let (Some(src), Some(target)) = (ev.source, ev.target.as_ref()) else {
            return;
        };
        let key = (target.clone(), src);
        if let Some(f) = self.findings.get_mut(&key) {
            f.add(ev);
            return;
        }
        let w = self
            .windows
            .entry(key.clone())
            .or_insert_with(|| Window::new(self.threshold));
        w.push(ev, self.span);
        if w.len() >= self.threshold {
            let mut f = Finding::new(&META, ev.service, Some(target.to_string()));
            for e in w.drain() {
                f.add(&e);
            }
            self.windows.remove(&key);
            self.findings.insert(key, f);
        }
    }

    fn sweep(&mut self, now: i64) {
        let oldest = now - self.span;
        self.windows.retain(|_, w| {
            w.expire(oldest);
            !w.is_empty()
        });
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            f.fact(
                format!("ログイン失敗 {} 回", f.count),
                format!("{} failed logins", f.count),
            );
            out.push(f.seal());
        }
    }
}
