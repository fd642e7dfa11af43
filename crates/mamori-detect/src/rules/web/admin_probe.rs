//! MAM-W009 admin-probe: Probing for admin panels and known flaws
//!
//! Example: `GET /phpmyadmin/index.php HTTP/1.1" 404 153`
//! Legal category: reconnaissance (IPA: アクセス形跡（未遂）).

use crate::rules::RuleMeta;
use mamori_core::{ActCategory, Severity, Text};

/// Rule metadata.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-W009",
    name: "admin-probe",
    category: ActCategory::Reconnaissance,
    severity: Severity::Low,
    title: Text::new(
        "管理画面・既知の脆弱性の探索",
        "Probing for admin panels and known flaws",
    ),
    explanation: Text::new(
        "phpMyAdmin、インストーラー、機器の管理画面など、攻撃の入口を探すアクセスです。",
        "Requests look for admin panels, installers and appliance consoles to attack.",
    ),
};
