//! MAM-S002 ssh-root-login: someone logged in to the server directly as `root`.
//!
//! Example: `sshd[…]: Accepted password for root from 203.0.113.9 port 4242 ssh2`.
//! Direct root logins leave no trace of who the person was and are what attackers aim
//! for; with a password it is worse. Legal category: 識別符号窃用型 when it was not
//! the administrator.

use super::{Rule, RuleMeta};
use crate::event::{Event, EventKind, Service};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};
use std::collections::HashMap;
use std::net::IpAddr;

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-S002",
    name: "ssh-root-login",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::Medium,
    title: Text::new("root での SSH ログイン", "SSH login as root"),
    explanation: Text::new(
        "root で直接 SSH ログインされています。管理者本人か確認してください。パスワードでのログインなら特に危険です（PermitRootLogin no を推奨）。",
        "Someone logged in over SSH directly as root. Confirm it was an administrator; with a password it is especially risky (PermitRootLogin no is recommended).",
    ),
};

/// State of the rule.
#[derive(Debug, Default)]
pub struct SshRootLogin {
    findings: HashMap<IpAddr, Finding>,
}

impl Rule for SshRootLogin {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::AuthSuccess
            || ev.service != Service::Ssh
            || ev.user.as_deref() != Some("root")
        {
            return;
        }
        let Some(src) = ev.source else { return };
        let f = self
            .findings
            .entry(src)
            .or_insert_with(|| Finding::new(&META, Service::Ssh, Some("sshd".to_owned())));
        if ev.detail.as_deref().is_some_and(|d| d.contains("password")) {
            f.raise(Severity::High);
        }
        f.succeeded = true;
        f.add(ev);
    }

    fn sweep(&mut self, _now: i64) {}

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        out.extend(self.findings.into_values().map(Finding::seal));
    }
}
