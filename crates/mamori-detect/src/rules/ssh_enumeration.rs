//! MAM-S001 ssh-user-enumeration: one source tries many user names that do not exist.
//!
//! Example: `sshd[…]: Invalid user oracle from 203.0.113.9 port 41234`, then `postgres`,
//! `ubuntu`, `pi` … Dictionary attacks on common account names; they precede guessing.
//! Legal category: reconnaissance (IPA: アクセス形跡（未遂）).

use super::{Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{AttackKind, Event};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-S001",
    name: "ssh-user-enumeration",
    category: ActCategory::Reconnaissance,
    severity: Severity::Medium,
    title: Text::new(
        "存在しないユーザー名での SSH 試行",
        "SSH attempts with non-existent user names",
    ),
    explanation: Text::new(
        "同じ送信元が、このサーバーに存在しない多数のユーザー名で SSH ログインを試みています。よくあるユーザー名の辞書を使った攻撃の下調べです。",
        "One source tried many user names that do not exist on this server: a dictionary of common account names, the groundwork of password guessing.",
    ),
};

#[derive(Debug, Default)]
struct PerSource {
    recent: VecDeque<Event>,
}

/// State of the rule.
#[derive(Debug)]
pub struct SshEnumeration {
    users: usize,
    span: i64,
    sources: HashMap<IpAddr, PerSource>,
    findings: HashMap<IpAddr, Finding>,
}

impl SshEnumeration {
    /// A rule with the configured thresholds.
    pub fn new(t: &Thresholds) -> Self {
        SshEnumeration {
            users: t.enumeration_users.max(1) as usize,
            span: t.enumeration_window_secs,
            sources: HashMap::new(),
            findings: HashMap::new(),
        }
    }
}

impl Rule for SshEnumeration {
    fn observe(&mut self, ev: &Event) {
        if ev.attack != Some(AttackKind::UserEnumeration) {
            return;
        }
        let Some(src) = ev.source else { return };
        if let Some(f) = self.findings.get_mut(&src) {
            f.add(ev);
            return;
        }
        let s = self.sources.entry(src).or_default();
        while s
            .recent
            .front()
            .is_some_and(|e| e.time < ev.time - self.span)
        {
            s.recent.pop_front();
        }
        if s.recent.len() >= self.users * 20 {
            s.recent.pop_front();
        }
        s.recent.push_back(ev.clone());
        let distinct: HashSet<&str> = s.recent.iter().filter_map(|e| e.user.as_deref()).collect();
        if distinct.len() >= self.users {
            let mut f = Finding::new(&META, ev.service, Some("sshd".to_owned()));
            for e in s.recent.drain(..) {
                f.add(&e);
            }
            self.sources.remove(&src);
            self.findings.insert(src, f);
        }
    }

    fn sweep(&mut self, now: i64) {
        let span = self.span;
        self.sources
            .retain(|_, s| s.recent.back().is_some_and(|e| e.time >= now - span));
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            f.fact(
                format!("存在しないユーザー名 {} 種類", f.accounts.len()),
                format!("{} non-existent user names", f.accounts.len()),
            );
            out.push(f.seal());
        }
    }
}
