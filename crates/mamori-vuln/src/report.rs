//! A discoverer's report (届出) and its completeness check (Ⅴ 一 1.(2), Ⅵ 1.(2)), the
//! discoverer's consent on how their identity is handled (Ⅴ 一 2.(4), Ⅵ 2.(4)), and the
//! reasons a receiving body refuses or stops (Ⅴ 一 2.(1)(2), Ⅵ 2.(1)(2)).

use crate::clause::Clause;
use crate::error::VulnError;
use mamori_core::Text;
use serde::{Deserialize, Serialize};

/// Who found it: 発見者の氏名、連絡先等 (Ⅴ 一 1.(2) first item).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discoverer {
    /// Name (氏名). Identifying: shown only under [`IdentityConsent`].
    pub name: String,
    /// Organization, if any. Identifying.
    pub organization: Option<String>,
    /// How to reach them (e-mail, phone). Identifying.
    pub contact: String,
}

/// How the discoverer allows their identity to be handled (…及びその取扱い, Ⅴ 一 1.(2)).
/// Without consent nobody but the receiving body sees who they are (Ⅴ 一 2.(4), Ⅵ 2.(4)).
/// The default is the strictest: disclose to nobody, no credit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IdentityConsent {
    /// May the coordinator see name and contact (Ⅴ 一 2.(4): 調整機関を含む)?
    pub to_coordinator: bool,
    /// May the developers (or the website operator) see name and contact?
    pub to_developers: bool,
    /// Credit in the published advisory under this name (謝辞); `None`: no credit.
    pub public_credit: Option<String>,
}

/// What the vulnerability is in: a software product (Ⅴ) or a website (Ⅵ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Target {
    /// 脆弱性を有する製品の名称等 (Ⅴ 一 1.(2) second item).
    Product {
        /// Product name.
        name: String,
        /// Version(s), as reported.
        version: String,
        /// The developer as the discoverer knows it (the coordinator finds the real ones).
        developer_hint: String,
    },
    /// ウェブサイトの名称等 (Ⅵ 1.(2) second item).
    Website {
        /// Site name.
        name: String,
        /// The URL where the issue is.
        url: String,
    },
}

/// 当該脆弱性関連情報 (Ⅴ 一 1.(2) third item), in the three kinds of Ⅱ 2.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VulnerabilityInfo {
    /// (1) 脆弱性情報: the nature and features. The only kind ever published.
    pub nature: String,
    /// (2) 検証方法: how to check that it is there.
    pub verification: String,
    /// (3) 攻撃方法: programs, commands or data that exploit it, and their use.
    pub attack: Option<String>,
}

/// How the discoverer says they found it (Ⅴ 一 1.(3), Ⅵ 1.(3)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discovery {
    /// In their own words.
    pub how: String,
    /// The discoverer confirms no illegal means were used.
    pub lawful_confirmed: bool,
}

/// A report as filed with the receiving body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Who found it.
    pub discoverer: Discoverer,
    /// How their identity may be handled.
    pub consent: IdentityConsent,
    /// Product or website.
    pub target: Target,
    /// The vulnerability-related information.
    pub info: VulnerabilityInfo,
    /// How it was found.
    pub discovery: Discovery,
}

/// An item the standard requires in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportItem {
    /// 発見者の氏名.
    DiscovererName,
    /// 連絡先.
    DiscovererContact,
    /// 製品の名称 / ウェブサイトの名称.
    TargetName,
    /// The product's version.
    ProductVersion,
    /// The website's URL.
    WebsiteUrl,
    /// 脆弱性情報 (Ⅱ 2(1)).
    Nature,
    /// 検証方法 (Ⅱ 2(2)).
    Verification,
    /// How it was found (Ⅴ 一 1.(3)).
    DiscoveryMethod,
}

impl ReportItem {
    /// The item's name in both languages.
    pub fn text(self) -> Text {
        match self {
            ReportItem::DiscovererName => Text::new("発見者の氏名", "discoverer's name"),
            ReportItem::DiscovererContact => Text::new("連絡先", "contact"),
            ReportItem::TargetName => {
                Text::new("製品またはウェブサイトの名称", "product or website name")
            }
            ReportItem::ProductVersion => Text::new("製品のバージョン", "product version"),
            ReportItem::WebsiteUrl => Text::new("ウェブサイトのURL", "website URL"),
            ReportItem::Nature => Text::new(
                "脆弱性情報（性質・特徴）",
                "vulnerability information (nature)",
            ),
            ReportItem::Verification => Text::new("検証方法", "verification method"),
            ReportItem::DiscoveryMethod => Text::new("発見の経緯", "how it was found"),
        }
    }
}

impl std::fmt::Display for ReportItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().en)
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Report {
    /// The clause listing this report's required items: Ⅴ 一 1.(2) or Ⅵ 1.(2).
    pub fn items_clause(&self) -> Clause {
        match self.target {
            Target::Product { .. } => Clause::SwDiscoverer2,
            Target::Website { .. } => Clause::WebDiscoverer2,
        }
    }

    /// What the report lacks of the required items; empty when complete. The receiving
    /// body accepts only a complete report (Ⅴ 一 2.(1), Ⅵ 2.(1)).
    pub fn missing(&self) -> Vec<ReportItem> {
        let mut m = Vec::new();
        if blank(&self.discoverer.name) {
            m.push(ReportItem::DiscovererName);
        }
        if blank(&self.discoverer.contact) {
            m.push(ReportItem::DiscovererContact);
        }
        match &self.target {
            Target::Product { name, version, .. } => {
                if blank(name) {
                    m.push(ReportItem::TargetName);
                }
                if blank(version) {
                    m.push(ReportItem::ProductVersion);
                }
            }
            Target::Website { name, url } => {
                if blank(name) {
                    m.push(ReportItem::TargetName);
                }
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    m.push(ReportItem::WebsiteUrl);
                }
            }
        }
        if blank(&self.info.nature) {
            m.push(ReportItem::Nature);
        }
        if blank(&self.info.verification) {
            m.push(ReportItem::Verification);
        }
        if blank(&self.discovery.how) {
            m.push(ReportItem::DiscoveryMethod);
        }
        m
    }

    /// `Ok` when every required item is there, else [`VulnError::Incomplete`] citing
    /// Ⅴ 一 1.(2) or Ⅵ 1.(2).
    pub fn check_complete(&self) -> Result<(), VulnError> {
        let missing = self.missing();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(VulnError::Incomplete {
                clause: self.items_clause(),
                missing,
            })
        }
    }
}

/// Why a receiving body stops handling an accepted report (Ⅴ 一 2.(2) ただし, Ⅵ 2.(2)
/// ただし). The five grounds in the standard's order; the discoverer is told the ground.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// (i) the receiving body confirmed it is already known.
    KnownConfirmed,
    /// (ii) the coordinator (Ⅴ) or the website operator (Ⅵ) said it is already known.
    KnownNotified,
    /// (iii) the receiving body confirmed it is not vulnerability-related information.
    NotVulnerabilityConfirmed,
    /// (iv) the coordinator (Ⅴ) or the operator (Ⅵ) said it is not.
    NotVulnerabilityNotified,
    /// (v) the receiving body found it may have been obtained by illegal means (1.(3)).
    IllegallyObtained,
}

impl StopReason {
    /// The ground in both languages, as the discoverer is told it.
    pub fn text(self) -> Text {
        match self {
            StopReason::KnownConfirmed => Text::new(
                "受付機関が既知の脆弱性関連情報であると確認したため",
                "the receiving body confirmed it is already known",
            ),
            StopReason::KnownNotified => Text::new(
                "調整機関またはウェブサイト運営者から既知である旨の通知を受けたため",
                "the coordinator or the website operator said it is already known",
            ),
            StopReason::NotVulnerabilityConfirmed => Text::new(
                "受付機関が脆弱性関連情報に該当しないと確認したため",
                "the receiving body confirmed it is not a vulnerability",
            ),
            StopReason::NotVulnerabilityNotified => Text::new(
                "調整機関またはウェブサイト運営者から脆弱性関連情報に該当しない旨の通知を受けたため",
                "the coordinator or the website operator said it is not a vulnerability",
            ),
            StopReason::IllegallyObtained => Text::new(
                "違法な方法により発見または取得されたおそれがあると認めたため",
                "it may have been obtained by illegal means",
            ),
        }
    }

    /// Whether the ground comes from another party's notice (needs the hand-over first
    /// in the software flow, the operator's notice in the website flow).
    pub fn is_notified(self) -> bool {
        matches!(
            self,
            StopReason::KnownNotified | StopReason::NotVulnerabilityNotified
        )
    }
}
