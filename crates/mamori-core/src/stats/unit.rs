//! The units every statistic is counted in, defined once. Figures in different
//! units are never added together: a report can hold several incidents, one incident
//! can reach several bodies, and the police count offences and cleared cases apart.

use crate::Text;
use crate::dimension::coded_enum;

coded_enum! {
    /// A unit of count. Every published figure names its unit.
    pub enum Unit {
        /// Reports received by a body (one report to two bodies is two reports).
        Reports = "reports", "届出・報告件数", "reports received";
        /// Distinct incidents after de-duplication across bodies.
        Incidents = "incidents", "事案（インシデント）件数", "incidents (de-duplicated)";
        /// Coordinations with third parties (JPCERT/CC's 調整).
        Coordinations = "coordinations", "調整件数", "coordinations";
        /// Offences the police recognised (認知件数).
        Recognized = "recognized", "認知件数", "offences recognised (police)";
        /// Offences cleared by the police (検挙件数).
        Cleared = "cleared", "検挙件数", "offences cleared (police)";
        /// Cleared cases: one case may clear many offences (検挙事件数).
        ClearedCases = "cleared_cases", "検挙事件数", "cases cleared (police)";
        /// Accounts whose identification code was misused.
        AffectedAccounts = "affected_accounts", "被害アカウント数", "affected accounts";
    }
}

impl Unit {
    /// What exactly one count means.
    pub fn definition(self) -> Text {
        match self {
            Unit::Reports => Text::new(
                "受付機関が受け付けた届出・報告の数。同じ事案を二つの機関に届け出れば2件。",
                "Reports a receiving body accepted; one incident reported to two bodies counts twice.",
            ),
            Unit::Incidents => Text::new(
                "機関をまたいで同一と判断した届出をまとめた後の事案の数（最も早い届出の日付で計上）。",
                "Incidents after reports of the same incident at several bodies are linked (dated by the earliest report).",
            ),
            Unit::Coordinations => Text::new(
                "第三者（攻撃元・サイト運営者など）との調整の回数。",
                "Coordinations with third parties (attack sources, site operators, …).",
            ),
            Unit::Recognized => Text::new(
                "警察が認知した不正アクセス禁止法違反事件の件数。",
                "Offences under the Unauthorized Access Act recognised by the police.",
            ),
            Unit::Cleared => Text::new(
                "警察が検挙した不正アクセス禁止法違反の件数（犯罪の数）。",
                "Offences under the Act cleared by the police (counted per offence).",
            ),
            Unit::ClearedCases => Text::new(
                "検挙した事件の数。一つの事件で多数の件数を検挙することがある。",
                "Cases cleared; one case may clear many offences.",
            ),
            Unit::AffectedAccounts => Text::new(
                "識別符号を不正に使われたアカウントの数。",
                "Accounts whose identification code was misused.",
            ),
        }
    }

    /// The counter word printed after a number.
    pub fn counter(self) -> Text {
        match self {
            Unit::AffectedAccounts => Text::new("アカウント", " accounts"),
            Unit::Coordinations => Text::new("件", ""),
            _ => Text::new("件", ""),
        }
    }

    /// Units that only the police count (entered by police staff).
    pub fn is_police(self) -> bool {
        matches!(self, Unit::Recognized | Unit::Cleared | Unit::ClearedCases)
    }
}
