//! The case-work vocabulary every receiving body uses alike: why a report is not
//! accepted, how a case ends, and what must be ticked before it is closed.

use super::{Body, CheckItem};
use crate::Text;
use crate::dimension::coded_enum;

coded_enum! {
    /// Why a body does not accept a report (the reporter is told, with a free text too).
    pub enum NotAcceptedReason {
        /// Outside what this body handles.
        OutOfScope = "out_of_scope", "当機関の対象外", "out of this body's scope";
        /// Not unauthorized access (e.g. a forgotten password, a legitimate login).
        NotUnauthorizedAccess = "not_unauthorized_access", "不正アクセスに当たらない", "not unauthorized access";
        /// Not enough information to judge, even after asking.
        InsufficientInformation = "insufficient_information", "判断に必要な情報が不足している", "insufficient information";
        /// Already reported (the same incident).
        Duplicate = "duplicate", "重複した届出", "duplicate of an earlier report";
        /// Another body can handle it better (a referral follows with consent).
        BetterHandledElsewhere = "better_handled_elsewhere", "他機関での対応が適切", "better handled by another body";
        /// The reporter withdrew it.
        Withdrawn = "withdrawn", "届出者による取下げ", "withdrawn by the reporter";
        /// Other (say why in the text).
        Other = "other", "その他", "other";
    }
}

coded_enum! {
    /// How a case closes. Some outcomes belong to one body ([`Outcome::applies_to`]).
    pub enum Outcome {
        /// Police: an investigation was opened (捜査着手).
        InvestigationStarted = "investigation_started", "捜査着手", "investigation started";
        /// Police: a damage report or complaint was accepted (被害届受理).
        ComplaintAccepted = "complaint_accepted", "被害届・告訴の受理", "damage report or complaint accepted";
        /// Police: offenders cleared (検挙).
        Cleared = "cleared", "検挙", "offender cleared";
        /// Police: advice and crime-prevention guidance only (助言のみ).
        AdviceOnly = "advice_only", "助言・防犯指導のみ", "advice and crime-prevention guidance only";
        /// Police: assistance to the access administrator given (援助, Art. 6 as enacted).
        AssistanceProvided = "assistance_provided", "再発防止の援助を実施", "assistance against recurrence given";
        /// IPA: report accepted and counted in the statistics (届出受理・統計計上).
        RecordedInStatistics = "recorded_in_statistics", "届出受理・統計計上", "accepted and counted in the statistics";
        /// IPA: reflected in a public alert (注意喚起).
        AlertIssued = "alert_issued", "注意喚起に反映", "reflected in a public alert";
        /// IPA: handled as a consultation (相談対応).
        ConsultationOnly = "consultation_only", "相談として対応", "handled as a consultation";
        /// JPCERT/CC: coordination done, the attack stopped (調整完了).
        CoordinationCompleted = "coordination_completed", "調整完了", "coordination completed";
        /// JPCERT/CC: the site was taken down (サイト閉鎖確認).
        SiteTakenDown = "site_taken_down", "サイトの閉鎖を確認", "site taken down";
        /// JPCERT/CC: coordination impossible (no contact, no answer) (調整不能).
        CoordinationImpossible = "coordination_impossible", "調整不能（連絡先不明・応答なし）", "coordination impossible (no contact or no answer)";
        /// JPCERT/CC: information only, no coordination needed (情報提供のみ).
        InformationOnly = "information_only", "情報提供として受付（調整不要）", "information only, no coordination needed";
        /// Any body: handed to another body with the reporter's consent.
        Referred = "referred", "他機関へ引継ぎ", "referred to another body";
        /// Any body: withdrawn by the reporter.
        Withdrawn = "withdrawn", "届出者による取下げ", "withdrawn by the reporter";
        /// Any body: nothing further to do.
        NoFurtherAction = "no_further_action", "対応終了（追加の対応なし）", "no further action";
    }
}

impl Outcome {
    /// Whether `body` may close a case with this outcome.
    pub fn applies_to(self, body: Body) -> bool {
        use Outcome::*;
        match self {
            InvestigationStarted | ComplaintAccepted | Cleared | AdviceOnly
            | AssistanceProvided => body == Body::Police,
            RecordedInStatistics | AlertIssued | ConsultationOnly => body == Body::Ipa,
            CoordinationCompleted | SiteTakenDown | CoordinationImpossible | InformationOnly => {
                body == Body::JpcertCc
            }
            Referred | Withdrawn | NoFurtherAction => true,
        }
    }

    /// The outcomes `body` may use, in order.
    pub fn for_body(body: Body) -> Vec<Outcome> {
        Outcome::ALL
            .iter()
            .copied()
            .filter(|o| o.applies_to(body))
            .collect()
    }
}

const fn item(id: &'static str, body: Body, ja: &'static str, en: &'static str) -> CheckItem {
    CheckItem {
        id,
        body: Some(body),
        text: Text::new(ja, en),
    }
}

static POLICE: &[CheckItem] = &[
    item(
        "classified",
        Body::Police,
        "統一カテゴリ（行為類型・手口・不正アクセス後の行為・動機・端緒）を記入した",
        "The unified categories (act, method, what was done, motive, how it came to light) are filled in",
    ),
    item(
        "outcome_recorded",
        Body::Police,
        "結果（捜査着手・被害届受理・助言のみ など）と理由を記録した",
        "The outcome (investigation, complaint accepted, advice only …) and why are recorded",
    ),
    item(
        "evidence_handled",
        Body::Police,
        "提出された証拠の扱い（保管・還付）を記録した",
        "What happened to submitted evidence (kept, returned) is recorded",
    ),
    item(
        "referral_checked",
        Body::Police,
        "IPA・JPCERT/CC への紹介の要否を確認した",
        "Whether IPA or JPCERT/CC should also handle it was checked",
    ),
    item(
        "reporter_told",
        Body::Police,
        "届出者に結果を伝えた（捜査に支障のない範囲で）",
        "The reporter was told the outcome (as far as the investigation allows)",
    ),
];

static IPA: &[CheckItem] = &[
    item(
        "classified",
        Body::Ipa,
        "統一カテゴリと原因を記入した（統計への計上）",
        "The unified categories and the cause are filled in (for the statistics)",
    ),
    item(
        "anonymized",
        Body::Ipa,
        "統計・注意喚起に使う情報から届出者を特定できる情報を除いた",
        "Information that identifies the reporter is removed from what statistics and alerts use",
    ),
    item(
        "referral_checked",
        Body::Ipa,
        "警察・JPCERT/CC への紹介の要否を確認した",
        "Whether the police or JPCERT/CC should also handle it was checked",
    ),
    item(
        "reporter_told",
        Body::Ipa,
        "届出者に受理と結果を伝えた",
        "The reporter was told it was accepted and how it ended",
    ),
];

static JPCERT_CC: &[CheckItem] = &[
    item(
        "classified",
        Body::JpcertCc,
        "報告カテゴリ（フィッシングサイト、Webサイト改ざん など）を記入した",
        "The report category (phishing site, defacement …) is filled in",
    ),
    item(
        "parties_recorded",
        Body::JpcertCc,
        "調整先（攻撃元の管理者、ホスティング事業者、ブランド所有者）への連絡と回答を記録した",
        "Contacts with the parties (source operators, hosting providers, brand owners) and their answers are recorded",
    ),
    item(
        "result_confirmed",
        Body::JpcertCc,
        "サイトの閉鎖・攻撃の停止を確認した、または調整できなかった理由を記録した",
        "The takedown or the end of the attack was confirmed, or why coordination failed is recorded",
    ),
    item(
        "referral_checked",
        Body::JpcertCc,
        "警察・IPA への紹介の要否を確認した",
        "Whether the police or IPA should also handle it was checked",
    ),
    item(
        "reporter_told",
        Body::JpcertCc,
        "報告者に結果を伝えた",
        "The reporter was told the outcome",
    ),
];

/// What must all be ticked before `body` closes a case.
pub fn closing_checklist(body: Body) -> &'static [CheckItem] {
    match body {
        Body::Police => POLICE,
        Body::Ipa => IPA,
        Body::JpcertCc => JPCERT_CC,
    }
}
