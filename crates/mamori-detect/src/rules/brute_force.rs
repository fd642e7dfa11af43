//! MAM-A001 brute-force: many failed logins from one source against one login target.
//!
//! Example: `203.0.113.5 … "POST /wp-login.php HTTP/1.1" 200 4590` × 500 in 10 minutes;
//! `sshd[…]: Failed password for root from 203.0.113.5 port 4242 ssh2` × 40.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)) — guessing another person's password.

use super::{Escalating, Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
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

/// State of the rule.
#[derive(Debug)]
pub struct BruteForce {
    threshold: usize,
    keys: Escalating<(Arc<str>, IpAddr)>,
}

impl BruteForce {
    /// A rule with the configured threshold and window.
    pub fn new(t: &Thresholds) -> Self {
        let threshold = t.brute_force_failures.max(1) as usize;
        BruteForce {
            threshold,
            keys: Escalating::new(t.brute_force_window_secs, threshold),
        }
    }
}

impl Rule for BruteForce {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthFailure || ev.restated {
            return;
        }
        let (Some(src), Some(target)) = (ev.source, ev.target.as_ref()) else {
            return;
        };
        let threshold = self.threshold;
        self.keys.observe((target.clone(), src), ev, |w| {
            (w.len() >= threshold)
                .then(|| Finding::new(&META, ev.service, Some(target.to_string())))
        });
    }

    fn sweep(&mut self, now: i64) {
        self.keys.sweep(now);
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for mut f in self.keys.into_findings() {
            f.fact(
                format!("ログイン失敗 {} 回", f.count),
                format!("{} failed logins", f.count),
            );
            out.push(f.seal());
        }
    }
}
