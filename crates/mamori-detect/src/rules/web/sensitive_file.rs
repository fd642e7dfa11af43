//! MAM-W008 sensitive-file-probe: Probing for secrets and backups
//!
//! Example: `GET /.env HTTP/1.1" 404 153`
//! Legal category: reconnaissance (IPA: アクセス形跡（未遂）).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W008",
    name: "sensitive-file-probe",
    category: ActCategory::Reconnaissance,
    severity: Severity::Low,
    title: Text::new(
        "秘密情報・バックアップファイルの探索",
        "Probing for secrets and backups",
    ),
    explanation: Text::new(
        "/.env、/.git/、バックアップファイルなど、秘密情報を含むファイルを探すアクセスです。内容付きで 200 が返っていれば、秘密情報が漏えいしています。",
        "Requests look for files that hold secrets (/.env, /.git/, backups). A 200 with content means a secret was exposed.",
    ),
};
