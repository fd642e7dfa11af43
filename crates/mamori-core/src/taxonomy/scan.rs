//! The categories `mamori scan` labels a finding with (Act Art. 3 as enacted, plus
//! reconnaissance) and severities. A case uses the full [`super::Act`]; a scan category
//! maps onto it with [`super::Act::from_scan_category`].

use crate::i18n::{Lang, Text};
use serde::{Deserialize, Serialize};

/// What kind of act under Art. 3-2 a finding points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActCategory {
    /// Art. 3-2 (1): entering another person's identification code (password) — 識別符号窃用型.
    IdentifierMisuse,
    /// Art. 3-2 (2)(3): entering information or commands that evade the access control — セキュリティ・ホール攻撃型.
    SecurityHoleAttack,
    /// Probing and scanning that is not itself an act under Art. 3 but usually precedes one
    /// (IPA: アクセス形跡（未遂）).
    Reconnaissance,
}

impl ActCategory {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        self.text().get(lang)
    }

    /// Both labels.
    pub fn text(self) -> Text {
        match self {
            ActCategory::IdentifierMisuse => {
                Text::new("識別符号窃用型", "identification-code misuse")
            }
            ActCategory::SecurityHoleAttack => {
                Text::new("セキュリティ・ホール攻撃型", "security-hole attack")
            }
            ActCategory::Reconnaissance => {
                Text::new("偵察・アクセス形跡", "reconnaissance (attempt traces)")
            }
        }
    }

    /// The stable machine name used in JSON (`identifier_misuse`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ActCategory::IdentifierMisuse => "identifier_misuse",
            ActCategory::SecurityHoleAttack => "security_hole_attack",
            ActCategory::Reconnaissance => "reconnaissance",
        }
    }
}

/// How urgently a finding needs attention. Ordered: `Critical` is the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; no action needed by itself.
    Info,
    /// Background noise of the internet; act if it repeats.
    Low,
    /// A real attempt; check the target and harden it.
    Medium,
    /// A serious attempt, or one that may have worked; act today.
    High,
    /// Access probably succeeded; act now.
    Critical,
}

impl Severity {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = match self {
            Severity::Info => Text::new("情報", "info"),
            Severity::Low => Text::new("低", "low"),
            Severity::Medium => Text::new("中", "medium"),
            Severity::High => Text::new("高", "high"),
            Severity::Critical => Text::new("緊急", "critical"),
        };
        t.get(lang)
    }

    /// The stable machine name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_info_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::High > Severity::Medium);
        assert!(Severity::Low > Severity::Info);
    }

    #[test]
    fn json_names_are_stable() {
        assert_eq!(
            serde_json::to_string(&ActCategory::SecurityHoleAttack).unwrap(),
            "\"security_hole_attack\""
        );
        assert_eq!(serde_json::to_string(&Severity::High).unwrap(), "\"high\"");
        for c in [
            ActCategory::IdentifierMisuse,
            ActCategory::SecurityHoleAttack,
            ActCategory::Reconnaissance,
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
    }
}
