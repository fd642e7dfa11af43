//! MAM-W007 cross-site-scripting: Cross-site scripting (XSS)
//!
//! Example: `GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1`
//! Legal category: セキュリティ・ホール攻撃型 (a flaw used against the site's users).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W007",
    name: "cross-site-scripting",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new(
        "クロスサイトスクリプティング（XSS）",
        "Cross-site scripting (XSS)",
    ),
    explanation: Text::new(
        "リクエストにスクリプトを埋め込む文字列が含まれています。利用者のブラウザで不正なスクリプトを動かす攻撃です。",
        "Requests carry script payloads meant to run in other users' browsers.",
    ),
};
