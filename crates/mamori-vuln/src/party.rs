//! The parties of the standard (Ⅲ 関係者の定義) and a few outsiders the standard lets see
//! the information under its conditions (government bodies, third-party analysts, the public).

use mamori_core::Text;
use serde::{Deserialize, Serialize};

/// A product developer's stable id in the developer list (名簿, Ⅴ 一 3.(1)).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeveloperId(pub String);

impl DeveloperId {
    /// A developer id from any string.
    pub fn new(id: impl Into<String>) -> DeveloperId {
        DeveloperId(id.into())
    }
}

impl std::fmt::Display for DeveloperId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who acts on or looks at a case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "party", content = "id")]
pub enum Party {
    /// 発見者 (Ⅲ 1): who found or obtained the information.
    Discoverer,
    /// 受付機関 (Ⅲ 2): IPA.
    ReceivingBody,
    /// 調整機関 (Ⅲ 3): JPCERT/CC.
    Coordinator,
    /// 製品開発者 (Ⅲ 4): one developer of the case.
    Developer(DeveloperId),
    /// ウェブサイト運営者 (Ⅲ 5): the operator of the reported website.
    SiteOperator,
    /// 政府機関等: a government body given early notice (Ⅴ 一 2.(6)).
    Government(String),
    /// 第三者 (分析依頼先): an analyst asked under confidentiality (Ⅴ 一 2.(5), 3.(9)).
    Analyst(String),
    /// Anyone, after publication.
    Public,
}

impl Party {
    /// The party's kind in both languages.
    pub fn text(&self) -> Text {
        match self {
            Party::Discoverer => Text::new("発見者", "discoverer"),
            Party::ReceivingBody => Text::new("受付機関", "receiving body"),
            Party::Coordinator => Text::new("調整機関", "coordinator"),
            Party::Developer(_) => Text::new("製品開発者", "product developer"),
            Party::SiteOperator => Text::new("ウェブサイト運営者", "website operator"),
            Party::Government(_) => Text::new("政府機関等", "government body"),
            Party::Analyst(_) => Text::new("分析依頼先", "third-party analyst"),
            Party::Public => Text::new("一般", "the public"),
        }
    }
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Party::Developer(id) => write!(f, "developer {id}"),
            Party::Government(n) => write!(f, "government body {n}"),
            Party::Analyst(n) => write!(f, "analyst {n}"),
            other => f.write_str(other.text().en),
        }
    }
}
