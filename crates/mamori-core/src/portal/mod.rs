//! The public portal's vocabulary and content (R-2.1–R-2.6), with no I/O:
//!
//! - [`selfcheck`] — numbered self-checks answered yes / no / n.a., scored per section,
//!   gaps by importance; [`standard`] holds the items of METI's コンピュータ不正アクセス
//!   対策基準 section V per role (27 / 58 / 27 / 24) in our own plain words and the
//!   five-minute check for small businesses.
//! - [`guideline_npsc`] — the users' measures (第2編 II, 21 items) of the National
//!   Public Safety Commission's 情報システム安全対策指針, in plain words, scored by the
//!   same engine.
//! - [`catalog`] — the editorial content (materials, alerts, approved publishers):
//!   payloads, validation, the editorial states and when a material turns stale.
//! - [`files`] — which material files may be uploaded, decided by content (PDF,
//!   images, plain text, Office/ODF documents; never HTML or SVG).
//! - [`content`] — fixed texts: the minimum countermeasures with slogans, audiences,
//!   the victim wizard's steps and the curated directory of related windows.
//!
//! ```
//! use mamori_core::portal::selfcheck::{list, score, Answer, Answers};
//! let l = list("user").unwrap();
//! assert_eq!(l.len(), 27);
//! let mut a = Answers::new();
//! a.insert("1-1".into(), Answer::Yes);
//! let s = score(l, &a);
//! assert_eq!(s.sections[0].yes, 1);
//! ```

pub mod catalog;
pub mod content;
pub mod files;
pub mod guideline_npsc;
pub mod selfcheck;
pub mod standard;

use crate::dimension::coded_enum;

coded_enum! {
    /// What a material, a self-check item or a gap is about.
    pub enum Topic {
        /// Passwords and IDs.
        Passwords = "passwords", "パスワードと ID", "Passwords and IDs";
        /// Second factors.
        TwoFactor = "two_factor", "二段階認証", "Second factors";
        /// Updates of OS and software.
        Updates = "updates", "アップデート（更新）", "Updates";
        /// Malware and security software.
        Malware = "malware", "ウイルス・不正プログラム", "Malware";
        /// Phishing and fraud mail.
        Phishing = "phishing", "フィッシング・詐欺メール", "Phishing and fraud mail";
        /// Backups.
        Backup = "backup", "バックアップ", "Backups";
        /// Handling information.
        Data = "data", "情報の扱い", "Handling information";
        /// Devices.
        Devices = "devices", "機器の管理", "Devices";
        /// Networks and remote access.
        Network = "network", "ネットワーク", "Networks";
        /// Logs and records.
        Logs = "logs", "ログ（記録）", "Logs";
        /// What to do after an incident, reporting.
        Incident = "incident", "被害に遭ったとき・届出", "Incidents and reporting";
        /// Organization, rules and roles.
        Organization = "organization", "体制とルール", "Organization and rules";
        /// Education and information.
        Education = "education", "教育・情報収集", "Training and information";
        /// Audits.
        Audit = "audit", "監査", "Audit";
        /// Secure development and supply.
        Development = "development", "安全な製品開発", "Secure development";
    }
}

coded_enum! {
    /// Who a material or an alert is for (R-2.3).
    pub enum Audience {
        /// Pupils, students, parents and schools.
        Children = "children", "子ども・保護者・学校", "Children, parents and schools";
        /// General users, including the elderly.
        General = "general", "一般の方・高齢の方", "General users and the elderly";
        /// Company executives.
        Executives = "executives", "経営者", "Executives";
        /// Small and medium-sized businesses.
        Sme = "sme", "中小企業", "Small businesses";
        /// Government staff.
        Government = "government", "行政職員", "Government staff";
        /// System administrators and engineers.
        Administrators = "administrators", "システム管理者・技術者", "Administrators and engineers";
    }
}

coded_enum! {
    /// A material's format.
    pub enum Format {
        /// A web page.
        Web = "web", "ウェブページ", "Web page";
        /// A PDF document.
        Pdf = "pdf", "PDF 資料", "PDF document";
        /// A video.
        Video = "video", "動画", "Video";
        /// Slides for a talk or class.
        Slides = "slides", "スライド（講習用）", "Slides";
        /// A poster or leaflet.
        Poster = "poster", "ポスター・チラシ", "Poster or leaflet";
        /// An e-learning course.
        Elearning = "elearning", "e ラーニング", "E-learning";
        /// A checklist or tool.
        Checklist = "checklist", "チェックリスト・ツール", "Checklist or tool";
    }
}

coded_enum! {
    /// The language(s) a material is written in.
    pub enum MaterialLang {
        /// Japanese.
        Ja = "ja", "日本語", "Japanese";
        /// English.
        En = "en", "英語", "English";
        /// Japanese and English.
        JaEn = "ja_en", "日本語・英語", "Japanese and English";
        /// やさしい日本語 (plain Japanese).
        EasyJa = "easy_ja", "やさしい日本語", "Plain Japanese";
        /// Several languages.
        Multi = "multi", "多言語", "Several languages";
    }
}
