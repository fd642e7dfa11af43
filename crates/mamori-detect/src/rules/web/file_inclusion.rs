//! MAM-W005 file-inclusion: File inclusion
//!
//! Example: `GET /page?include=php://filter/convert.base64-encode/resource=index.php HTTP/1.1`
//! Legal category: セキュリティ・ホール攻撃型 (Act Art. 3-2 (2)).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W005",
    name: "file-inclusion",
    category: ActCategory::SecurityHoleAttack,
    severity: Severity::Medium,
    title: Text::new("ファイルインクルージョン", "File inclusion"),
    explanation: Text::new(
        "php:// や外部 URL を読み込ませようとするリクエストです。ソースコードの窃取や外部プログラムの実行につながります。",
        "Requests try to make the application include php:// streams or remote URLs, which leaks source code or runs foreign code.",
    ),
};
