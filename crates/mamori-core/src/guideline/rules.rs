//! The guideline's rules as a table: each rule is a condition on the [`Facts`], an effect
//! on one body's fit (or the urgent flag) and the reason shown. `docs/taxonomy.md` prints
//! this table; the ids are stable so a stored advice can say which rules it came from.

use super::{Body, Facts, Fit};
use crate::Text;

/// What a rule does when its condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Raises the body's fit to at least this.
    Raise(Fit),
    /// Adds the reason only when the body already fits (Possible or Recommended).
    Note,
    /// Lowers Recommended to Possible (the reason is added only when it lowered).
    CapAtPossible,
    /// Adds the reason only when no earlier rule spoke for the body.
    Otherwise,
    /// Makes the case urgent ("tell the police now"); the first urgent rule gives the text.
    Urgent,
}

/// One rule of the guideline.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id (`P…` police, `I…` IPA, `J…` JPCERT/CC, `U…` urgent).
    pub id: &'static str,
    /// The body it speaks for; `None` for the urgent rules.
    pub body: Option<Body>,
    /// What it does.
    pub effect: Effect,
    /// The condition in prose (for the documentation).
    pub condition: Text,
    /// The reason shown to the reporter.
    pub reason: Text,
    /// The condition.
    pub when: fn(&Facts) -> bool,
}

/// Every rule, in evaluation order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

const fn t(ja: &'static str, en: &'static str) -> Text {
    Text::new(ja, en)
}

use Body::{Ipa, JpcertCc, Police};
use Effect::{CapAtPossible, Note, Otherwise, Raise, Urgent};
use Fit::{Possible, Recommended};

fn urgent_police(f: &Facts) -> bool {
    f.money_now || f.extortion_now || f.phishing_up
}

static RULES: &[Rule] = &[
    // --- the few urgent cases (plan 3(1)ア(イ): immediate-report cases are limited) ---
    Rule {
        id: "U1",
        body: None,
        effect: Urgent,
        condition: t(
            "お金が今まさに送金・引き出しされている",
            "money is being transferred or withdrawn right now",
        ),
        reason: t(
            "今まさにお金が送金・引き出しされています。すぐに金融機関に連絡して取引を止め、警察（110 番または最寄りの警察署）に通報してください。",
            "Money is being transferred or withdrawn right now. Call the bank at once to stop it, and call the police (110 or the nearest police station).",
        ),
        when: |f| f.money_now,
    },
    Rule {
        id: "U2",
        body: None,
        effect: Urgent,
        condition: t(
            "脅迫・身代金の要求が続いている",
            "threats or ransom demands are ongoing",
        ),
        reason: t(
            "脅迫・身代金の要求が続いています。支払いや返信をする前に、すぐに警察に相談してください。",
            "Threats or ransom demands are ongoing. Talk to the police now, before paying or answering.",
        ),
        when: |f| f.extortion_now,
    },
    Rule {
        id: "U3",
        body: None,
        effect: Urgent,
        condition: t(
            "フィッシングサイトが今も公開されている",
            "a phishing site is still up",
        ),
        reason: t(
            "偽サイトが今も ID・パスワードを集めています。すぐに警察と JPCERT/CC に連絡し、利用者に注意を呼びかけてください。",
            "A phishing site is still collecting IDs and passwords. Tell the police and JPCERT/CC now, and warn your users.",
        ),
        when: |f| f.phishing_up,
    },
    // --- police: a crime to investigate, money lost, the victim wants prosecution ---
    Rule {
        id: "P1",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "お金が今まさに送金・引き出しされている",
            "money is being transferred right now",
        ),
        reason: t(
            "今まさにお金が送金・引き出しされています。止められる可能性があるので、すぐに通報してください。",
            "Money is being moved right now; it may still be stopped, so report at once.",
        ),
        when: |f| f.money_now,
    },
    Rule {
        id: "P2",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t("金銭の被害がある", "money was lost"),
        reason: t(
            "金銭の被害があります。不正送金・不正購入・暗号資産の不正送信などは犯罪として捜査の対象です。",
            "Money was lost. Illegal transfers, fraudulent purchases and stolen crypto assets are crimes the police investigate.",
        ),
        when: |f| f.money_lost,
    },
    Rule {
        id: "P3",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "脅迫・身代金の要求がある",
            "there are threats or a ransom demand",
        ),
        reason: t(
            "脅迫・身代金の要求は恐喝などの犯罪に当たります。支払いや交渉の前に警察に相談してください。",
            "Threats and ransom demands are crimes such as extortion. Talk to the police before paying or negotiating.",
        ),
        when: |f| f.extortion,
    },
    Rule {
        id: "P4",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "フィッシングサイトが今も公開されている",
            "a phishing site is still up",
        ),
        reason: t(
            "ID・パスワードをだまし取るフィッシングサイトが動いています（識別符号の入力を不正に要求する行為、法第7条）。被害が広がる前に通報してください。",
            "A phishing site is harvesting IDs and passwords (illegally asking for identification codes, Art. 7). Report it before more people are hurt.",
        ),
        when: |f| f.phishing_up,
    },
    Rule {
        id: "P5",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "不正アクセス行為（識別符号窃用型・セキュリティ・ホール攻撃型・踏み台型）がある",
            "there was unauthorized access itself (code misuse, security hole, stepping stone)",
        ),
        reason: t(
            "他人の ID・パスワードでのログインや、弱点を突いた侵入は不正アクセス禁止法の犯罪（法第3条）です。捜査の対象になり、通報は被害の実態の把握（認知件数）にも役立ちます。",
            "Logging in with someone else's ID and password, or breaking in through a flaw, is a crime under the Unauthorized Access Act (Art. 3). The police can investigate, and the report also helps count what really happens.",
        ),
        when: |f| f.access,
    },
    Rule {
        id: "P6",
        body: Some(Police),
        effect: Raise(Possible),
        condition: t(
            "識別符号の取得・保管・提供・入力要求（フィッシング）がある",
            "codes were obtained, stored, provided or phished",
        ),
        reason: t(
            "他人の ID・パスワードの不正な取得・保管・提供や、フィッシングも不正アクセス禁止法で禁止されています（法第4〜7条）。通報・相談できます。",
            "Obtaining, storing or providing other people's IDs and passwords, and phishing, are also forbidden by the Act (Arts. 4–7). You can report or consult.",
        ),
        when: |f| f.crime && !f.access,
    },
    Rule {
        id: "P7",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "処罰を求めており、犯罪に当たり得る行為がある",
            "the victim wants prosecution and something may be a crime",
        ),
        reason: t(
            "処罰を求めるには、警察に被害の届出（被害届・告訴）をする必要があります。",
            "To have the offender prosecuted you need to file with the police (a damage report or criminal complaint).",
        ),
        when: |f| {
            f.prosecution.as_deref() == Some("yes")
                && (f.crime || f.money_lost || f.extortion || f.dos || f.intrusion_signs)
        },
    },
    Rule {
        id: "P8",
        body: Some(Police),
        effect: Raise(Possible),
        condition: t(
            "処罰を求めているが、犯罪に当たる行為がまだはっきりしない",
            "the victim wants prosecution but no offence is clear yet",
        ),
        reason: t(
            "犯罪に当たるかどうかは警察が判断します。処罰を求めるなら、まず相談してください。",
            "Whether this is a crime is for the police to judge; if you want prosecution, consult them first.",
        ),
        when: |f| {
            f.prosecution.as_deref() == Some("yes")
                && !(f.crime || f.money_lost || f.extortion || f.dos || f.intrusion_signs)
        },
    },
    Rule {
        id: "P9",
        body: Some(Police),
        effect: Raise(Recommended),
        condition: t(
            "リスト型攻撃（連続自動入力試行攻撃）を受けた",
            "credential stuffing was seen",
        ),
        reason: t(
            "リスト型攻撃（連続自動入力試行攻撃）は、行動計画がアクセス管理者に警察への通報を求めている攻撃です。取締りと、出回っている ID・パスワードの一覧の把握に役立ちます。",
            "The action plan asks access administrators to report credential stuffing to the police: it helps enforcement and tracking the leaked ID/password lists.",
        ),
        when: |f| f.stuffing,
    },
    Rule {
        id: "P10",
        body: Some(Police),
        effect: Raise(Possible),
        condition: t("DoS 攻撃を受けた", "a DoS attack"),
        reason: t(
            "DoS 攻撃は電子計算機損壊等業務妨害罪などに当たることがあります。相談できます。",
            "A DoS attack can be a crime (obstruction of business by damaging computers); you can consult the police.",
        ),
        when: |f| f.dos,
    },
    Rule {
        id: "P11",
        body: Some(Police),
        effect: CapAtPossible,
        condition: t(
            "処罰を求めず、金銭被害・脅迫・急ぎの事情がない",
            "the victim does not want prosecution, and there is no money lost, extortion or urgency",
        ),
        reason: t(
            "処罰を求めない場合も通報はできます。被害の実態の把握（認知件数）に役立ち、通報内容は原則として公表されません。",
            "Even without seeking prosecution you can report: it helps count what really happens, and reports are not published as a rule.",
        ),
        when: |f| {
            f.prosecution.as_deref() == Some("no")
                && !f.money_lost
                && !f.extortion
                && !urgent_police(f)
        },
    },
    Rule {
        id: "P12",
        body: Some(Police),
        effect: Note,
        condition: t(
            "処罰を求めるか決めていない",
            "the victim has not decided on prosecution",
        ),
        reason: t(
            "処罰を求めるかどうかは、相談してから決められます。",
            "You can decide about prosecution after consulting.",
        ),
        when: |f| f.prosecution.as_deref() == Some("undecided"),
    },
    Rule {
        id: "P13",
        body: Some(Police),
        effect: Note,
        condition: t("不正アクセス行為があった", "there was unauthorized access"),
        reason: t(
            "再発防止のため、都道府県公安委員会に援助を申し出ることもできます（制定時の法第6条、現行第9条）。",
            "To prevent a recurrence you may also ask the prefectural public safety commission for assistance (Art. 6 as enacted, now Art. 9).",
        ),
        when: |f| f.access,
    },
    Rule {
        id: "P14",
        body: Some(Police),
        effect: Otherwise,
        condition: t(
            "ログイン試行や攻撃が成功していない（未遂）",
            "login attempts or attacks did not succeed (attempts only)",
        ),
        reason: t(
            "ログインの試行や攻撃が成功していない場合（未遂）は、不正アクセス禁止法の処罰の対象になりません。被害に遭わないための防犯の相談はできます。",
            "Attempts that did not succeed are not punishable under the Unauthorized Access Act; you can still ask the police for crime-prevention advice.",
        ),
        when: |f| f.attempts_only,
    },
    Rule {
        id: "P15",
        body: Some(Police),
        effect: Otherwise,
        condition: t("スキャンだけ", "scans only"),
        reason: t(
            "スキャン（下調べ）だけでは犯罪に当たりません。",
            "Scans alone are not a crime.",
        ),
        when: |f| f.scans_only,
    },
    Rule {
        id: "P16",
        body: Some(Police),
        effect: Otherwise,
        condition: t("上のどれにも当たらない", "none of the above"),
        reason: t(
            "今の回答からは、犯罪に当たる行為や金銭の被害は見当たりません。判断に迷う場合は相談できます。",
            "From the answers so far there is no sign of a crime or money lost; if unsure, you can consult.",
        ),
        when: |_| true,
    },
    // --- IPA: any unauthorized access under the countermeasure standard, damage or not ---
    Rule {
        id: "I1",
        body: Some(Ipa),
        effect: Raise(Recommended),
        condition: t(
            "不正アクセスや、侵入・被害の形跡がある（被害の有無は問わない）",
            "unauthorized access or signs of intrusion or harm (damage or not)",
        ),
        reason: t(
            "IPA はコンピュータ不正アクセス対策基準に基づき、被害の有無にかかわらず不正アクセスの届出を受け付けています。届出は統計と注意喚起に使われ、同じ被害の防止に役立ちます。",
            "IPA accepts unauthorized-access reports under METI's countermeasure standard whether or not there was damage; reports feed statistics and public alerts that protect others.",
        ),
        when: |f| f.intrusion_signs,
    },
    Rule {
        id: "I2",
        body: Some(Ipa),
        effect: Raise(Possible),
        condition: t(
            "侵入に至らない攻撃（未遂）",
            "attacks that did not get in (attempts)",
        ),
        reason: t(
            "侵入に至らなかった攻撃（アクセス形跡・未遂）も届け出られます。同じ攻撃を受けている組織への注意喚起に役立ちます。",
            "Attacks that did not get in (traces of attempts) can be reported too; they help warn others under the same attack.",
        ),
        when: |f| f.attempts_only,
    },
    Rule {
        id: "I3",
        body: Some(Ipa),
        effect: Raise(Possible),
        condition: t("DoS 攻撃", "a DoS attack"),
        reason: t(
            "DoS 攻撃についても IPA に相談できます。",
            "You can also consult IPA about a DoS attack.",
        ),
        when: |f| f.dos && !f.intrusion_signs,
    },
    Rule {
        id: "I4",
        body: Some(Ipa),
        effect: Raise(Possible),
        condition: t(
            "何が起きたかまだはっきりしない",
            "it is not yet clear what happened",
        ),
        reason: t(
            "不正アクセスかどうか分からない場合は、IPA の情報セキュリティ安心相談窓口に相談できます（客観的に判断できない場合は相談として対応されます）。",
            "If you cannot tell whether it was unauthorized access, consult IPA's security consultation desk (unclear cases are handled as consultations).",
        ),
        when: |f| f.unclear,
    },
    Rule {
        id: "I5",
        body: Some(Ipa),
        effect: Otherwise,
        condition: t("スキャンだけ", "scans only"),
        reason: t(
            "スキャンはインターネット上で常に行われています。侵入や攻撃の形跡がなければ届出は不要です。続く・増える場合は相談できます。",
            "Scans hit every server on the internet; without signs of attack or intrusion no report is needed. Consult if they persist or grow.",
        ),
        when: |f| f.scans_only,
    },
    Rule {
        id: "I6",
        body: Some(Ipa),
        effect: Otherwise,
        condition: t("上のどれにも当たらない", "none of the above"),
        reason: t(
            "今の回答からは、届け出る不正アクセスは見当たりません。",
            "From the answers so far there is no unauthorized access to report.",
        ),
        when: |_| true,
    },
    // --- JPCERT/CC: coordination with third parties ---
    Rule {
        id: "J1",
        body: Some(JpcertCc),
        effect: Raise(Recommended),
        condition: t("フィッシングサイトがある", "there is a phishing site"),
        reason: t(
            "フィッシングサイトの閉鎖（テイクダウン）は、JPCERT/CC がホスティング事業者などと調整します。",
            "JPCERT/CC coordinates taking phishing sites down with hosting providers and others.",
        ),
        when: |f| f.phishing,
    },
    Rule {
        id: "J2",
        body: Some(JpcertCc),
        effect: Raise(Recommended),
        condition: t(
            "攻撃元が分かっていて連絡してほしく、実際の攻撃・侵入がある",
            "the source is known and should be contacted, and there was a real attack",
        ),
        reason: t(
            "攻撃元の管理者への連絡と攻撃の停止の依頼は、JPCERT/CC が国内外の関係者と調整します。",
            "JPCERT/CC contacts the source's operators in Japan and abroad and asks them to stop the attack.",
        ),
        when: |f| f.source && (f.intrusion_signs || f.attempts_only || f.stuffing || f.dos),
    },
    Rule {
        id: "J3",
        body: Some(JpcertCc),
        effect: Raise(Possible),
        condition: t(
            "攻撃元が分かっていて、スキャンだけ",
            "the source is known, scans only",
        ),
        reason: t(
            "スキャン元の管理者への連絡も依頼できます。",
            "You can also ask for the scanning source's operator to be contacted.",
        ),
        when: |f| f.source && f.scans_only,
    },
    Rule {
        id: "J4",
        body: Some(JpcertCc),
        effect: Raise(Possible),
        condition: t(
            "自組織のシステムが他への攻撃に使われた",
            "own systems were used to attack others",
        ),
        reason: t(
            "自組織のシステムが他への攻撃に使われています。攻撃を受けた側との連絡の調整を依頼できます。",
            "Your systems were used to attack others; JPCERT/CC can coordinate with those attacked.",
        ),
        when: |f| f.relay,
    },
    Rule {
        id: "J5",
        body: Some(JpcertCc),
        effect: Raise(Possible),
        condition: t(
            "サイトの改ざん・不正ファイルの設置",
            "site altered or files planted",
        ),
        reason: t(
            "改ざんされたサイトが不正なプログラムの配布などに悪用されている場合、JPCERT/CC が対応を支援します。",
            "If the altered site is abused to spread malicious code, JPCERT/CC helps handle it.",
        ),
        when: |f| f.defaced || f.planted,
    },
    Rule {
        id: "J6",
        body: Some(JpcertCc),
        effect: Raise(Possible),
        condition: t(
            "制御システムが関わる",
            "industrial control systems are involved",
        ),
        reason: t(
            "制御システムに関わるインシデントは JPCERT/CC が相談を受け付けています。",
            "JPCERT/CC takes incidents involving industrial control systems.",
        ),
        when: |f| f.ics,
    },
    Rule {
        id: "J7",
        body: Some(JpcertCc),
        effect: Raise(Possible),
        condition: t("DoS 攻撃", "a DoS attack"),
        reason: t(
            "DoS 攻撃の送信元への連絡を依頼できます。",
            "You can ask for the DoS sources' operators to be contacted.",
        ),
        when: |f| f.dos,
    },
    Rule {
        id: "J8",
        body: Some(JpcertCc),
        effect: Otherwise,
        condition: t("上のどれにも当たらない", "none of the above"),
        reason: t(
            "調整が必要な相手（攻撃元、偽サイト、悪用されているサーバー）が見当たりません。攻撃元が分かったら報告できます。",
            "There is no third party to coordinate with (attack source, fake site, abused server); report once you know the source.",
        ),
        when: |_| true,
    },
];
