//! MAM-H001 local-account-created: a new operating-system account appeared.
//!
//! Example: `useradd[3121]: new user: name=sysupd, UID=1006, GID=1006, home=/home/sysupd`.
//! Intruders add accounts to keep their way in (persistence). Legal category: the
//! account itself is not an act under Art. 3, but it usually follows one.

use super::{Rule, RuleMeta};
use crate::event::{Event, EventKind, Service};
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-H001",
    name: "local-account-created",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::Medium,
    title: Text::new("OS アカウントの追加", "New operating-system account"),
    explanation: Text::new(
        "サーバーに新しいユーザーアカウントが作られています。管理者が作ったものか確認してください。侵入者は再侵入のためにアカウントを追加します。",
        "A new user account was created on the server. Confirm an administrator made it: intruders add accounts to keep their way back in.",
    ),
};

/// State of the rule.
#[derive(Debug, Default)]
pub struct LocalAccount {
    finding: Option<Finding>,
}

impl Rule for LocalAccount {
    fn observe(&mut self, ev: &Event) {
        if ev.kind != EventKind::Other || ev.user.is_none() {
            return;
        }
        self.finding
            .get_or_insert_with(|| Finding::new(&META, Service::Other, Some("useradd".to_owned())))
            .add(ev);
    }

    fn sweep(&mut self, _now: i64) {}

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        out.extend(self.finding.map(Finding::seal));
    }
}
