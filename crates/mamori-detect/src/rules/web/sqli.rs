//! MAM-W002 sql-injection: SQL injection
//!
//! Example: `GET /products?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1`
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W002",
    name: "sql-injection",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new("SQL インジェクション", "SQL injection"),
    explanation: Text::new(
        "リクエストに SQL インジェクションの文字列が含まれています。データベースの情報を盗む・改ざんする攻撃です。200（内容あり）や 500 の応答は、攻撃がアプリケーションに届いたことを示します。",
        "Requests carry SQL injection payloads that try to read or change the database. A 200 with content or a 500 answer means the payload reached the application.",
    ),
};
