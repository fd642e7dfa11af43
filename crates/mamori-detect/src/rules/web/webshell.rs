//! MAM-W001 webshell: Web shell access
//!
//! Example: `POST /wp-content/uploads/2024/03/x.php HTTP/1.1" 200 41`
//! Legal category: セキュリティ・ホール攻撃型 (planted code is run).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W001",
    name: "webshell",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new("Web シェルへのアクセス", "Web shell access"),
    explanation: Text::new(
        "アップロード用ディレクトリのスクリプトや既知の Web シェル名へのアクセスです。応答が 200 なら、改ざんで置かれたプログラムが実行されている可能性が高く、直ちに対応が必要です。",
        "Requests to scripts in upload directories or to known web-shell names. A 200 answer means planted code is probably being run: act now.",
    ),
};
