//! MAM-W012 code-injection: code or expression injection (PHP, OGNL, SpEL, templates)
//!
//! Example: `GET /page?name=%7B%7B7*7%7D%7D HTTP/1.1` (`{{7*7}}`, server-side template injection)
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W012",
    name: "code-injection",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new(
        "コード・式インジェクション（PHP・テンプレート・OGNL など）",
        "Code or expression injection (PHP, templates, OGNL …)",
    ),
    explanation: Text::new(
        "リクエストに PHP コード（<?php、system(…)、eval(…)）、テンプレート式（{{7*7}}、${…}）、Java の OGNL/SpEL 式、PHP の設定書き換え（allow_url_include）などが含まれています。アプリケーションがそれを評価すると、サーバー上で任意のコードが動きます。",
        "Requests carry PHP code (<?php, system(…), eval(…)), template expressions ({{7*7}}, ${…}), Java OGNL/SpEL expressions or PHP settings (allow_url_include). If the application evaluates them, arbitrary code runs on the server.",
    ),
};
