//! MAM-W014 protocol-attack: HTTP protocol violations used as an attack
//!
//! Example: `GET /?x=%0d%0aSet-Cookie:%20a=b HTTP/1.1` (response splitting, OWASP CRS 921 rules)
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W014",
    name: "protocol-attack",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new("HTTP プロトコル違反を使った攻撃", "HTTP protocol attack"),
    explanation: Text::new(
        "HTTP リクエスト・スマグリング、レスポンス分割（改行の注入）、不正・禁止されたリクエスト要素など、プロトコルの解釈の違いを突くリクエストです（OWASP CRS の 920・921 番台のルールが検出します）。前段のプロキシや WAF をすり抜ける目的で使われます。",
        "Requests exploit differences in how HTTP is parsed: request smuggling, response splitting (injected line breaks), malformed or forbidden request parts (as OWASP CRS rules 920xxx and 921xxx detect them). They are used to slip past proxies and WAFs in front of the application.",
    ),
};
