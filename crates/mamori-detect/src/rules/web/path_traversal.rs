//! MAM-W006 path-traversal: Path traversal
//!
//! Example: `GET /download?file=../../../../etc/passwd HTTP/1.1`
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W006",
    name: "path-traversal",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new("ディレクトリトラバーサル", "Path traversal"),
    explanation: Text::new(
        "../ などで公開範囲の外のファイル（/etc/passwd など）を読もうとするリクエストです。200（内容あり）の応答は読み取られた可能性を示します。",
        "Requests use ../ and similar tricks to read files outside the web root (/etc/passwd …). A 200 with content means a file may have been read.",
    ),
};
