//! The clauses of the handling standard (ソフトウェア等脆弱性関連情報取扱基準, METI notice
//! No. 235 of 2004; 参考資料 3 of the action plan) that Mamori implements.
//!
//! Numbering follows the standard's own: sections Ⅰ 主旨 … Ⅵ (the seed's transcription
//! dropped the Roman numerals; they are restored by order of appearance), inside Ⅴ the
//! two flows 一 (a discoverer other than the developer, or an impact beyond the
//! developer's own products) and 二 (a developer's own product), and inside each flow the
//! party's rule set (1 発見者基準, 2 受付機関基準, 3 調整機関基準 or ウェブサイト運営者基準,
//! 4 製品開発者基準) with its item number. So `V.1.3(3)` is Ⅴ 一 3.(3), the coordinator
//! setting the publication date, and `VI.2(6)` is Ⅵ 2.(6), the receiving body telling the
//! discoverer that a website was fixed.
//!
//! Every transition of a case names the clause it carries out, every refusal the clause
//! it would violate ([`crate::VulnError::clause`]), so an auditor can trace a state change
//! to the standard.

use mamori_core::Text;
use serde::{Deserialize, Serialize};

macro_rules! clauses {
    ( $( $(#[$m:meta])* $var:ident = $code:literal, $ja:literal, $en:literal; )* ) => {
        /// A clause of the handling standard. See the module documentation for the numbering.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Clause {
            $( $(#[$m])* #[serde(rename = $code)] $var, )*
        }

        impl Clause {
            /// Every clause Mamori implements, in the standard's order.
            pub const ALL: &'static [Clause] = &[$(Clause::$var),*];

            /// The stable citation, e.g. `V.1.2(2)` (also the serde name).
            pub fn code(self) -> &'static str {
                match self { $(Clause::$var => $code),* }
            }

            /// What the clause requires, in Japanese and English.
            pub fn text(self) -> Text {
                match self { $(Clause::$var => Text::new($ja, $en)),* }
            }
        }
    };
}

clauses! {
    /// Ⅱ 2: vulnerability-related information is (1) 脆弱性情報, (2) 検証方法, (3) 攻撃方法.
    Def2 = "II.2", "脆弱性関連情報（脆弱性情報・検証方法・攻撃方法）", "vulnerability-related information (nature, verification method, attack method)";
    /// Ⅱ 3: countermeasures are (1) 回避方法 (workaround) or (2) 修正方法 (fix).
    Def3 = "II.3", "対策方法（回避方法・修正方法）", "countermeasures (workaround, fix)";
    /// Ⅳ: scope — products used in Japan, websites mainly accessed from Japan.
    Scope = "IV", "適用範囲", "scope of the standard";

    /// Ⅴ 一 1.(1): the discoverer reports to the designated receiving body (IPA).
    SwDiscoverer1 = "V.1.1(1)", "発見者は受付機関に届け出る", "the discoverer reports to the receiving body";
    /// Ⅴ 一 1.(2): the report states identity and its handling, the product, the information.
    SwDiscoverer2 = "V.1.1(2)", "届出事項（発見者の氏名・連絡先とその取扱い、製品名、脆弱性関連情報）", "required items (identity and its handling, product, vulnerability information)";
    /// Ⅴ 一 1.(3): no illegal means of discovery.
    SwDiscoverer3 = "V.1.1(3)", "違法な方法により発見・取得しない", "no discovery or acquisition by illegal means";
    /// Ⅴ 一 1.(4): the discoverer keeps it confidential until publication.
    SwDiscoverer4 = "V.1.1(4)", "発見者は公表まで第三者に漏えいしない", "the discoverer keeps it confidential until publication";
    /// Ⅴ 一 2.(1): acceptance if the required items are met, else refusal with the reason.
    SwReceiving1 = "V.1.2(1)", "受付機関は届出事項を確認し受理・不受理とその理由を通知", "the receiving body accepts or refuses, telling the discoverer why";
    /// Ⅴ 一 2.(2): hand-over to the coordinator, or stopping for the listed reasons.
    SwReceiving2 = "V.1.2(2)", "受付機関は調整機関に通知（既知・非該当・違法取得のおそれの場合は取りやめ）", "the receiving body hands over, or stops (known, not a vulnerability, obtained illegally)";
    /// Ⅴ 一 2.(3): inquiries to and from the discoverer.
    SwReceiving3 = "V.1.2(3)", "発見者への問い合わせ・発見者からの問い合わせへの対応", "inquiries to and from the discoverer";
    /// Ⅴ 一 2.(4): the discoverer's identity is disclosed to nobody without consent.
    SwReceiving4 = "V.1.2(4)", "発見者を特定し得る情報は同意なく開示しない", "the discoverer's identity is not disclosed without consent";
    /// Ⅴ 一 2.(5): confidentiality until publication; third-party analysis under it.
    SwReceiving5 = "V.1.2(5)", "受付機関は公表まで漏えいしない（第三者への分析依頼は可）", "the receiving body keeps it confidential (analysis by a third party allowed)";
    /// Ⅴ 一 2.(6): early notice to government for critical infrastructure.
    SwReceiving6 = "V.1.2(6)", "重要インフラへの重大な影響がある場合の政府機関等への事前通知", "early notice to government bodies for critical infrastructure";
    /// Ⅴ 一 2.(7): the receiving body publishes with the coordinator and tells the discoverer.
    SwReceiving7 = "V.1.2(7)", "受付機関は公表時期に合わせて公表し発見者に通知", "the receiving body publishes at the same time and tells the discoverer";
    /// Ⅴ 一 2.(8): statistics of reports are published.
    SwReceiving8 = "V.1.2(8)", "届出状況等の公表", "publication of report statistics";
    /// Ⅴ 一 3.(1): the developer list (名簿) with each developer's contact window.
    SwCoordinator1 = "V.1.3(1)", "製品開発者の名簿（窓口）", "the developer list with contact windows";
    /// Ⅴ 一 3.(2): notify the developers concerned and ask for verification.
    SwCoordinator2 = "V.1.3(2)", "調整機関は製品開発者を特定して通知し脆弱性検証の報告を求める", "the coordinator notifies the developers concerned and asks for verification";
    /// Ⅴ 一 3.(3): the publication date, set from answers, fix time, overseas coordination, leak risk.
    SwCoordinator3 = "V.1.3(3)", "脆弱性情報公表日の決定と通知", "the coordinator sets and announces the publication date";
    /// Ⅴ 一 3.(4): a developer may ask to change the date.
    SwCoordinator4 = "V.1.3(4)", "公表日の変更の申し出", "a developer's request to change the publication date";
    /// Ⅴ 一 3.(5): developers are asked for their status by the publication date.
    SwCoordinator5 = "V.1.3(5)", "公表日までの対応状況の報告を求める", "developers are asked to report their status by the date";
    /// Ⅴ 一 3.(6): publication on the date, with each developer's result; "no report" may be shown.
    SwCoordinator6 = "V.1.3(6)", "公表日に脆弱性情報・検証結果・対応状況を公表（報告なしの旨も可）", "publication on the date with each developer's result (\"no report\" allowed)";
    /// Ⅴ 一 3.(7): cancellation when every notified developer says it is known.
    SwCoordinator7 = "V.1.3(7)", "全製品開発者が既知と通知した場合の公表取りやめ", "cancellation when every developer says known";
    /// Ⅴ 一 3.(8): cancellation when every notified developer says not affected.
    SwCoordinator8 = "V.1.3(8)", "全製品開発者が影響なしと報告した場合の公表取りやめ", "cancellation when every developer says not affected";
    /// Ⅴ 一 3.(9): the coordinator keeps it confidential until the date.
    SwCoordinator9 = "V.1.3(9)", "調整機関は公表日まで漏えいしない（分析依頼・通知は可）", "the coordinator keeps it confidential until the date";
    /// Ⅴ 一 4.(1): a developer sets up a contact window.
    SwDeveloper1 = "V.1.4(1)", "製品開発者は窓口を設置し通知", "the developer sets up a contact window";
    /// Ⅴ 一 4.(2): the developer verifies without delay and reports.
    SwDeveloper2 = "V.1.4(2)", "製品開発者は遅滞なく脆弱性検証を行い報告", "the developer verifies without delay and reports";
    /// Ⅴ 一 4.(3): the developer tells if other vendors' products likely contain it.
    SwDeveloper3 = "V.1.4(3)", "他社製品に含まれる推定の通知", "the developer tells of other vendors' products likely affected";
    /// Ⅴ 一 4.(4): the developer keeps it confidential until the date.
    SwDeveloper4 = "V.1.4(4)", "製品開発者は公表日まで漏えいしない", "the developer keeps it confidential until the date";
    /// Ⅴ 一 4.(5): the developer reports its status and strives for a countermeasure.
    SwDeveloper5 = "V.1.4(5)", "対応状況の報告と対策方法の作成", "the developer reports its status and prepares a countermeasure";
    /// Ⅴ 一 4.(6): the developer reports a countermeasure and tells users after the date.
    SwDeveloper6 = "V.1.4(6)", "対策方法の報告と利用者への周知", "the developer reports the countermeasure and informs users";

    /// Ⅴ 二 (1): a developer's own product: countermeasure made, then notified to both bodies.
    Own1 = "V.2(1)", "自社製品に限られる場合は対策方法を作成して通知", "own product: the developer notifies with a countermeasure";
    /// Ⅴ 二 (2): both bodies publish; the date is set after hearing the developer.
    Own2 = "V.2(2)", "意見聴取の上で公表日を定めて公表", "publication on a date set after hearing the developer";

    /// Ⅵ 1.(2): a website report states identity and its handling, the site, the information.
    WebDiscoverer2 = "VI.1(2)", "届出事項（発見者の情報とその取扱い、ウェブサイト名等、脆弱性関連情報）", "required items (identity and its handling, website, vulnerability information)";
    /// Ⅵ 1.(3): no illegal means of discovery.
    WebDiscoverer3 = "VI.1(3)", "違法な方法により発見・取得しない", "no discovery or acquisition by illegal means";
    /// Ⅵ 1.(4): the discoverer keeps it confidential until fixed.
    WebDiscoverer4 = "VI.1(4)", "発見者は修正まで第三者に漏えいしない", "the discoverer keeps it confidential until fixed";
    /// Ⅵ 2.(1): acceptance or refusal with the reason.
    WebReceiving1 = "VI.2(1)", "受付機関は受理・不受理とその理由を通知", "the receiving body accepts or refuses, telling the discoverer why";
    /// Ⅵ 2.(2): notify the website operator, or stop for the listed reasons.
    WebReceiving2 = "VI.2(2)", "受付機関はウェブサイト運営者に通知（既知・非該当・違法取得のおそれの場合は取りやめ）", "the receiving body notifies the operator, or stops (known, not a vulnerability, obtained illegally)";
    /// Ⅵ 2.(3): inquiries to and from the discoverer.
    WebReceiving3 = "VI.2(3)", "発見者への問い合わせ・発見者からの問い合わせへの対応", "inquiries to and from the discoverer";
    /// Ⅵ 2.(4): the discoverer's identity is not disclosed (operator included) without consent.
    WebReceiving4 = "VI.2(4)", "発見者を特定し得る情報は同意なく開示しない（運営者を含む）", "the discoverer's identity is not disclosed without consent (operator included)";
    /// Ⅵ 2.(5): confidentiality; third-party analysis under it.
    WebReceiving5 = "VI.2(5)", "受付機関は漏えいしない（第三者への分析依頼は可）", "the receiving body keeps it confidential (analysis by a third party allowed)";
    /// Ⅵ 2.(6): the discoverer is told when the operator has fixed it.
    WebReceiving6 = "VI.2(6)", "修正の通知を受けたら速やかに発見者に通知", "the discoverer is told promptly when fixed";
    /// Ⅵ 2.(7): statistics of reports are published.
    WebReceiving7 = "VI.2(7)", "届出状況等の公表", "publication of report statistics";
    /// Ⅵ 3.(1): the operator verifies and fixes as needed.
    WebOperator1 = "VI.3(1)", "ウェブサイト運営者は検証し必要に応じ修正", "the operator verifies and fixes as needed";
    /// Ⅵ 3.(2): the operator reports the verification result or the fix promptly.
    WebOperator2 = "VI.3(2)", "検証結果・修正の旨を速やかに受付機関に通知", "the operator reports its result or the fix promptly";
    /// Ⅵ 3.(3): the operator keeps it confidential until fixed.
    WebOperator3 = "VI.3(3)", "運営者は修正まで漏えいしない", "the operator keeps it confidential until fixed";
    /// Ⅵ 3.(4): on a personal-data leak the operator publishes the facts as far as possible.
    WebOperator4 = "VI.3(4)", "個人情報漏えい時の事実関係の公表等", "on a personal-data leak the operator publishes the facts";
}

impl std::fmt::Display for Clause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "取扱基準 {}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Clause::ALL {
            assert!(seen.insert(c.code()), "duplicate {}", c.code());
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            let back: Clause = serde_json::from_str(&json).unwrap();
            assert_eq!(back, *c);
        }
    }
}
