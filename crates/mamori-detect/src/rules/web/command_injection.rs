//! MAM-W003 command-injection: OS command / code injection
//!
//! Example: `GET /ping?ip=1.1.1.1|id HTTP/1.1`
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W003",
    name: "command-injection",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new(
        "OS コマンド・コードインジェクション",
        "OS command / code injection",
    ),
    explanation: Text::new(
        "リクエストに OS コマンドやプログラムコードを実行させる文字列が含まれています。成功するとサーバーを乗っ取られます。",
        "Requests try to make the server run OS commands or code; if it works, the server is taken over.",
    ),
};
