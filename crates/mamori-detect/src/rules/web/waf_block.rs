//! MAM-W011 waf-block: Requests blocked by the WAF
//!
//! Example: `ModSecurity: Access denied with code 403 (phase 2) … [id "949110"]`
//! Legal category: セキュリティ・ホール攻撃型 (blocked attempts).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W011",
    name: "waf-block",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Low,
    title: Text::new("WAF によるブロック", "Requests blocked by the WAF"),
    explanation: Text::new(
        "WAF（ModSecurity）が攻撃としてブロックしたリクエストです。ブロックされていても、攻撃を受けている証拠になります。",
        "Requests that the WAF (ModSecurity) blocked as attacks: blocked, but evidence of an attack.",
    ),
};
