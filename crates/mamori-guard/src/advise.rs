//! The security-level guide: for each kind of business, which login factors
//! and settings fit and why. Data, so that the CLI prints it and the platform shows it.

use mamori_core::{Lang, Text};
use serde::Serialize;

/// A kind of business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// インターネットバンキング.
    InternetBanking,
    /// EC (online shopping).
    Ec,
    /// Online games.
    OnlineGame,
    /// SNS and community sites.
    Sns,
    /// A company's intranet and remote access.
    CorporateIntranet,
    /// Public (government) services.
    PublicService,
}

impl Sector {
    /// Every sector, in display order.
    pub const ALL: [Sector; 6] = [
        Sector::InternetBanking,
        Sector::Ec,
        Sector::OnlineGame,
        Sector::Sns,
        Sector::CorporateIntranet,
        Sector::PublicService,
    ];

    /// Parses `banking`, `ec`, `game`, `sns`, `intranet`, `public` (and the snake-case names).
    pub fn parse(s: &str) -> Option<Sector> {
        match s.to_ascii_lowercase().replace('-', "_").as_str() {
            "internet_banking" | "banking" | "bank" => Some(Sector::InternetBanking),
            "ec" | "ecommerce" | "shop" => Some(Sector::Ec),
            "online_game" | "game" => Some(Sector::OnlineGame),
            "sns" | "social" => Some(Sector::Sns),
            "corporate_intranet" | "intranet" | "corporate" => Some(Sector::CorporateIntranet),
            "public_service" | "public" | "government" => Some(Sector::PublicService),
            _ => None,
        }
    }
}

/// How strongly a measure is advised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Must.
    Required,
    /// Should.
    Recommended,
    /// May.
    Optional,
}

impl Level {
    /// The label.
    pub fn text(self) -> Text {
        match self {
            Level::Required => Text::new("必須", "required"),
            Level::Recommended => Text::new("推奨", "recommended"),
            Level::Optional => Text::new("任意", "optional"),
        }
    }
}

/// One measure.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Measure {
    /// How strongly.
    pub level: Level,
    /// What.
    #[serde(skip)]
    pub what: Text,
    /// Why.
    #[serde(skip)]
    pub why: Text,
}

/// The guide for one sector.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SectorAdvice {
    /// The sector.
    pub sector: Sector,
    /// Its name.
    #[serde(skip)]
    pub name: Text,
    /// NIST SP 800-63B-4 authenticator assurance level aimed at.
    pub aal: u8,
    /// Minimum password length with this guide's factors.
    pub min_password_len: usize,
    /// The measures.
    pub measures: &'static [Measure],
}

const fn m(level: Level, what: Text, why: Text) -> Measure {
    Measure { level, what, why }
}

const PASSKEY: Text = Text::new("パスキー（WebAuthn）", "passkeys (WebAuthn)");
const PASSKEY_WHY: Text = Text::new(
    "フィッシングサイトでは使えないため、盗まれたパスワードによるログインを止められる",
    "cannot be used on a phishing site, so phished passwords stop working",
);
const TOTP: Text = Text::new(
    "ワンタイムパスワード（TOTP アプリ）",
    "one-time passwords (TOTP app)",
);
const TOTP_WHY: Text = Text::new(
    "パスワードだけが漏れても不正ログインできない（ただしリアルタイムのフィッシングには弱い）",
    "a leaked password alone is not enough (but real-time phishing can relay codes)",
);
const GRID: Text = Text::new("乱数表", "grid card (乱数表)");
const GRID_WHY: Text = Text::new(
    "スマートフォンを持たない利用者にも配れる。各マスは一度だけ使う",
    "works for users without a smartphone; each cell is used once",
);
const NOTIFY: Text = Text::new(
    "ログイン・設定変更の通知と前回ログイン日時の表示",
    "notices of logins and changes, previous login shown",
);
const NOTIFY_WHY: Text = Text::new(
    "利用者自身が不正利用に早く気づける",
    "owners notice misuse early",
);
const STUFF: Text = Text::new(
    "リスト型攻撃の検知と追加認証",
    "credential-stuffing detection with step-up",
);
const STUFF_WHY: Text = Text::new(
    "多数のIPからの試行は IP 単位の制限では止まらない。検知して警察への相談・届出にも使う",
    "attempts spread over many addresses pass per-IP limits; detection also supports a police report",
);
const BREACH: Text = Text::new(
    "漏えい・頻出パスワードの拒否",
    "refusing breached and common passwords",
);
const BREACH_WHY: Text = Text::new(
    "攻撃者が最初に試すパスワードを使わせない",
    "attackers try these first",
);
const INACTIVE: Text = Text::new("長期間未使用のIDの無効化", "disabling long-unused IDs");
const INACTIVE_WHY: Text = Text::new(
    "放置されたIDは乗っ取られても気づかれない",
    "abandoned IDs are taken over unnoticed",
);
const TXSIGN: Text = Text::new(
    "送金時の取引認証（振込先・金額を確認する追加認証）",
    "transaction signing for transfers (confirm payee and amount)",
);
const TXSIGN_WHY: Text = Text::new(
    "ログイン後に乗っ取られたセッションからの不正送金を防ぐ",
    "stops fraudulent transfers from a hijacked session",
);

const BANKING: &[Measure] = &[
    m(Level::Required, PASSKEY, PASSKEY_WHY),
    m(Level::Required, TXSIGN, TXSIGN_WHY),
    m(Level::Recommended, TOTP, TOTP_WHY),
    m(Level::Optional, GRID, GRID_WHY),
    m(Level::Required, STUFF, STUFF_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
];
const EC: &[Measure] = &[
    m(Level::Recommended, PASSKEY, PASSKEY_WHY),
    m(Level::Required, TOTP, TOTP_WHY),
    m(Level::Required, STUFF, STUFF_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
    m(Level::Recommended, INACTIVE, INACTIVE_WHY),
];
const GAME: &[Measure] = &[
    m(Level::Recommended, TOTP, TOTP_WHY),
    m(Level::Recommended, PASSKEY, PASSKEY_WHY),
    m(Level::Required, STUFF, STUFF_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
];
const SNS: &[Measure] = &[
    m(Level::Recommended, PASSKEY, PASSKEY_WHY),
    m(Level::Recommended, TOTP, TOTP_WHY),
    m(Level::Required, STUFF, STUFF_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
    m(Level::Recommended, INACTIVE, INACTIVE_WHY),
];
const INTRANET: &[Measure] = &[
    m(Level::Required, PASSKEY, PASSKEY_WHY),
    m(Level::Recommended, TOTP, TOTP_WHY),
    m(Level::Required, INACTIVE, INACTIVE_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
];
const PUBLIC: &[Measure] = &[
    m(Level::Recommended, PASSKEY, PASSKEY_WHY),
    m(Level::Recommended, TOTP, TOTP_WHY),
    m(Level::Recommended, GRID, GRID_WHY),
    m(Level::Required, STUFF, STUFF_WHY),
    m(Level::Required, BREACH, BREACH_WHY),
    m(Level::Required, NOTIFY, NOTIFY_WHY),
    m(Level::Required, INACTIVE, INACTIVE_WHY),
];

/// The guide for `sector`.
pub fn advice(sector: Sector) -> SectorAdvice {
    let (name, aal, measures) = match sector {
        Sector::InternetBanking => (
            Text::new("インターネットバンキング", "internet banking"),
            3,
            BANKING,
        ),
        Sector::Ec => (Text::new("EC（ネット通販）", "e-commerce"), 2, EC),
        Sector::OnlineGame => (Text::new("オンラインゲーム", "online game"), 2, GAME),
        Sector::Sns => (
            Text::new("SNS・コミュニティサイト", "SNS and community sites"),
            2,
            SNS,
        ),
        Sector::CorporateIntranet => (
            Text::new(
                "社内システム・リモートアクセス",
                "corporate intranet and remote access",
            ),
            3,
            INTRANET,
        ),
        Sector::PublicService => (Text::new("行政サービス", "public services"), 2, PUBLIC),
    };
    SectorAdvice {
        sector,
        name,
        aal,
        min_password_len: 8,
        measures,
    }
}

impl SectorAdvice {
    /// The guide as text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = match lang {
            Lang::Ja => format!(
                "{} — 目標: NIST SP 800-63B-4 AAL{}（パスワードは二要素と併用で{}文字以上、単独なら15文字以上）\n",
                self.name.ja, self.aal, self.min_password_len
            ),
            Lang::En => format!(
                "{} — target: NIST SP 800-63B-4 AAL{} (passwords at least {} characters with a second factor, 15 alone)\n",
                self.name.en, self.aal, self.min_password_len
            ),
        };
        for m in self.measures {
            s.push_str(&format!(
                "  [{}] {}\n      {}\n",
                m.level.text().get(lang),
                m.what.get(lang),
                m.why.get(lang)
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sector_has_required_measures_and_parses() {
        for s in Sector::ALL {
            let a = advice(s);
            assert!(
                a.measures.iter().any(|m| m.level == Level::Required),
                "{s:?}"
            );
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(Sector::parse(json.as_str().unwrap()), Some(s));
        }
        assert_eq!(Sector::parse("EC"), Some(Sector::Ec));
        assert_eq!(Sector::parse("bakery"), None);
    }

    #[test]
    fn banking_requires_phishing_resistant_factor() {
        let a = advice(Sector::InternetBanking);
        assert_eq!(a.aal, 3);
        let text = a.render(Lang::Ja);
        assert!(text.contains("パスキー") && text.contains("必須"), "{text}");
        assert!(a.render(Lang::En).contains("passkeys (WebAuthn)"));
    }
}
