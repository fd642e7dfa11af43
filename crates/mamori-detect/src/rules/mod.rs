//! Detection rules, one file each.
//!
//! Every rule has a stable ID (`MAM-…`), a default severity, the legal category under
//! the Unauthorized Access Act Art. 3 and a bilingual explanation ([`RuleMeta`]). A
//! rule observes the time-ordered event stream and keeps only windowed state, which
//! it drops in [`Rule::sweep`]; at the end it hands its findings over.
//!
//! To add a rule: copy the closest file, give it a new ID (never reuse one), add it
//! to [`all`] and to `docs/rules.md`, and add a test in `tests/it/rules.rs`.

mod brute_force;
mod distributed_brute_force;
mod local_account;
mod login_after_attack;
mod password_spraying;
mod ssh_enumeration;
mod ssh_root_login;
mod stuffing;
mod web;
mod window;

use crate::config::Thresholds;
use crate::event::Event;
use crate::finding::Finding;
use mamori_core::{ActCategory, Severity, Text};

pub use window::{Escalating, Window};

/// What a rule is, for users and for the JSON schema.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable ID, e.g. `MAM-A001`. Never reused.
    pub id: &'static str,
    /// Short kebab-case name, e.g. `brute-force`.
    pub name: &'static str,
    /// The legal category of the act it points to.
    pub category: ActCategory,
    /// Default severity (a rule may raise it per finding).
    pub severity: Severity,
    /// One-line title.
    pub title: Text,
    /// What it detects and why it matters.
    pub explanation: Text,
}

/// A detection rule over the event stream.
pub trait Rule: Send + std::fmt::Debug {
    /// Observes one event (events arrive in time order).
    fn observe(&mut self, ev: &Event);
    /// Drops state older than the rule's windows, relative to `now`.
    fn sweep(&mut self, now: i64);
    /// Time jumped far back (logs concatenated or replayed): a new timeline starts,
    /// so windowed state is closed as if its windows had all passed. Findings stay.
    fn restart(&mut self) {
        self.sweep(i64::MAX);
    }
    /// Hands over the findings.
    fn finish(self: Box<Self>, out: &mut Vec<Finding>);
}

/// Every rule's metadata, for documentation and `mamori scan --list-rules`.
pub fn catalog() -> Vec<&'static RuleMeta> {
    let mut v = vec![
        &login_after_attack::META,
        &login_after_attack::META_ATTACKER,
        &stuffing::META,
        &stuffing::META_SUCCESS,
        &brute_force::META,
        &distributed_brute_force::META,
        &password_spraying::META,
        &ssh_enumeration::META,
        &ssh_root_login::META,
        &local_account::META,
    ];
    v.extend(web::METAS.iter().copied());
    v
}

/// The rule reference (`docs/rules.md`), generated from the rules' metadata.
pub fn catalog_markdown() -> String {
    use mamori_core::Lang;
    let mut o = String::from(
        "# Detection rules / 検知ルール\n\n\
         Generated from the rules' metadata (`crates/mamori-detect/src/rules/`); regenerate with\n\
         `MAMORI_BLESS=1 cargo test -p mamori-detect --test it every_rule_is_documented`.\n\
         IDs are stable and never reused. Severity is the default; a finding is raised when the\n\
         log suggests the attack worked. Thresholds: `docs/scan-config.md`.\n\n\
         | ID | name | severity | category (Act Art. 3) | title |\n|---|---|---|---|---|\n",
    );
    for m in catalog() {
        o.push_str(&format!(
            "| {} | `{}` | {} | {} / {} | {} / {} |\n",
            m.id,
            m.name,
            m.severity.as_str(),
            m.category.label(Lang::Ja),
            m.category.label(Lang::En),
            m.title.ja,
            m.title.en
        ));
    }
    for m in catalog() {
        o.push_str(&format!(
            "\n## {} {}\n\n{}\n\n{}\n",
            m.id, m.name, m.explanation.ja, m.explanation.en
        ));
    }
    o.push_str(
        "\n## Known exploits / 既知の脆弱性 (MAM-W013)\n\n\
         The request shapes `MAM-W013` recognises, from each vulnerability's advisory, public\n\
         proof of concept or nuclei template (`crates/mamori-detect/src/classify/web/exploits.rs`).\n\
         Log4Shell (CVE-2021-44228) is reported by MAM-W004 with the CVE as reference.\n\n\
         | reference | product | 内容 | what |\n|---|---|---|---|\n",
    );
    let mut seen = std::collections::HashSet::new();
    for e in crate::classify::web::EXPLOITS {
        if seen.insert((e.id, e.note.1)) {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                e.id, e.product, e.note.0, e.note.1
            ));
        }
    }
    o
}

/// A fresh instance of every rule.
pub fn all(t: &Thresholds) -> Vec<Box<dyn Rule>> {
    let mut v: Vec<Box<dyn Rule>> = vec![
        Box::new(login_after_attack::LoginAfterAttack::new(t)),
        Box::new(stuffing::Stuffing::new(t)),
        Box::new(brute_force::BruteForce::new(t)),
        Box::new(distributed_brute_force::DistributedBruteForce::new(t)),
        Box::new(password_spraying::PasswordSpraying::new(t)),
        Box::new(ssh_enumeration::SshEnumeration::new(t)),
        Box::new(ssh_root_login::SshRootLogin::default()),
        Box::new(local_account::LocalAccount::default()),
    ];
    v.extend(web::rules(t));
    v
}
