//! MAM-W010 vulnerability-scanner: Vulnerability scanner
//!
//! Example: `GET / HTTP/1.1" 200 512 "-" "sqlmap/1.7.2#stable`
//! Legal category: reconnaissance (IPA: アクセス形跡（未遂）).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W010",
    name: "vulnerability-scanner",
    category: ActCategory::Reconnaissance,
    severity: Severity::Low,
    title: Text::new("脆弱性スキャナー", "Vulnerability scanner"),
    explanation: Text::new(
        "脆弱性スキャナーや攻撃ツール（sqlmap、Nikto、Nuclei など）がこのサイトを調べています。",
        "A vulnerability scanner or attack tool (sqlmap, Nikto, Nuclei …) examined this site.",
    ),
};
