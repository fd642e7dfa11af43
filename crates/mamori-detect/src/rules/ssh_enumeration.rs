//! MAM-S001 ssh-user-enumeration: one source tries many user names that do not exist.
//!
//! Example: `sshd[…]: Invalid user oracle from 203.0.113.9 port 41234`, then `postgres`,
//! `ubuntu`, `pi` … Dictionary attacks on common account names; they precede guessing.
//! Legal category: reconnaissance (IPA: アクセス形跡（未遂）).

use super::{Escalating, Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{AttackKind, Event, Service};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::HashSet;
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

/// State of the rule.
#[derive(Debug)]
pub struct SshEnumeration {
    users: usize,
    keys: Escalating<IpAddr>,
}

impl SshEnumeration {
    /// A rule with the configured thresholds.
    pub fn new(t: &Thresholds) -> Self {
        let users = t.enumeration_users.max(1) as usize;
        SshEnumeration {
            users,
            keys: Escalating::new(t.enumeration_window_secs, users * 20),
        }
    }
}

impl Rule for SshEnumeration {
    fn observe(&mut self, ev: &Event) {
        if ev.attack != Some(AttackKind::UserEnumeration) || ev.service != Service::Ssh {
            return;
        }
        let Some(src) = ev.source else { return };
        let users = self.users;
        self.keys.observe(src, ev, |w| {
            let distinct: HashSet<&str> = w.iter().filter_map(|e| e.user.as_deref()).collect();
            (distinct.len() >= users)
                .then(|| Finding::new(&META, ev.service, Some("sshd".to_owned())))
        });
    }

    fn sweep(&mut self, now: i64) {
        self.keys.sweep(now);
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for mut f in self.keys.into_findings() {
            f.fact(
                format!("存在しないユーザー名 {} 種類", f.accounts.len()),
                format!("{} non-existent user names", f.accounts.len()),
            );
            out.push(f.seal());
        }
    }
}
