//! The reporting guideline (通報指針, R-1.2), victim guidance and evidence
//! preservation, and the case-work vocabulary the receiving bodies share.
//!
//! [`advise`] reads the intake [`Answers`] and says, with reasons, which of the police, IPA
//! and JPCERT/CC fit, whether this is one of the few cases to tell the police at once, what
//! to prepare for each body and what to preserve and how. The rules are a table
//! ([`rules`]), documented in `docs/taxonomy.md`; each reason names its rule id.
//!
//! Grounds (the seed): the action plan 3(1)ア(イ) (通報指針: an objective aid, few immediate
//! cases, reports not published), 3(1)イ(イ) (what each body accepts), 3(2)イ(カ) (what to
//! prepare), 3(3)イ(ア) (credential stuffing to the police); METI's コンピュータ不正アクセス
//! 対策基準 V.2(6)6 (report to IPA, damage or not); the NPSC 情報システム安全対策指針
//! 第2編第4章1 (report to the person in charge, preserve as at that moment, report to the police,
//! Art. 6 assistance, record the recovery).

mod casework;
mod checklists;
mod rules;

pub use casework::{NotAcceptedReason, Outcome, closing_checklist};
pub use checklists::{preparation_items, preservation_items};
pub use rules::{Effect, Rule, rule, rules};

use crate::Text;
use crate::dimension::coded_enum;
use crate::intake::{Answers, classify};
use serde::Serialize;

coded_enum! {
    /// A receiving body (届出等受理機関).
    pub enum Body {
        /// The prefectural police cyber-crime desk (都道府県警察のサイバー犯罪相談窓口).
        Police = "police", "警察（都道府県警察のサイバー犯罪相談窓口）", "Police (prefectural cyber-crime desk)";
        /// IPA (情報処理推進機構) — 不正アクセス届出.
        Ipa = "ipa", "IPA（情報処理推進機構）不正アクセス届出", "IPA (Information-technology Promotion Agency): unauthorized-access report";
        /// JPCERT/CC — incident reports and coordination with attack sources.
        JpcertCc = "jpcert_cc", "JPCERT/CC インシデント報告", "JPCERT/CC incident report";
    }
}

impl Body {
    /// What the window handles, from the plan 3(1)イ(イ) and 3(2)イ(カ).
    pub fn scope(self) -> Text {
        match self {
            Body::Police => Text::new(
                "犯罪の捜査と被疑者の検挙のために被害の届出・通報・相談を受け付けます。違法行為が確認できない場合も、被害に遭わないための防犯指導をします。通報内容は、被害拡大の防止のために必要な場合を除き公表されません。",
                "Takes reports and consultations to investigate crimes and catch offenders; where no offence is found it gives crime-prevention advice. Reports are not published unless needed to stop damage spreading.",
            ),
            Body::Ipa => Text::new(
                "コンピュータ不正アクセス対策基準に基づき、被害の有無にかかわらず不正アクセスの届出を受け付け、統計の公表と注意喚起に使います。不正アクセスか客観的に判断できない場合は相談として対応します。",
                "Under METI's countermeasure standard, accepts unauthorized-access reports whether or not there was damage, and uses them for statistics and public alerts; unclear cases are handled as consultations.",
            ),
            Body::JpcertCc => Text::new(
                "フィッシングサイトや不正プログラム配布サイトの閉鎖、攻撃元への連絡・攻撃停止の依頼など、国内外の関係者との調整を受け付けます。",
                "Coordinates with parties in Japan and abroad: taking down phishing and malware sites, contacting attack sources and asking them to stop.",
            ),
        }
    }
}

coded_enum! {
    /// How well a body fits a case.
    pub enum Fit {
        /// Report or consult there.
        Recommended = "recommended", "届出・相談をおすすめします", "recommended";
        /// Possible, if the victim wishes or the situation changes.
        Possible = "possible", "必要に応じて", "if needed";
        /// Not needed for this case.
        NotNeeded = "not_needed", "不要", "not needed";
    }
}

impl Fit {
    fn rank(self) -> u8 {
        match self {
            Fit::NotNeeded => 0,
            Fit::Possible => 1,
            Fit::Recommended => 2,
        }
    }

    /// The stronger of two fits.
    pub fn max(self, other: Fit) -> Fit {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// One body's fit with the reasons, in rule order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyAdvice {
    /// The body.
    pub body: Body,
    /// How well it fits.
    pub fit: Fit,
    /// Why, in both languages.
    pub reasons: Vec<Text>,
    /// The ids of the rules behind the reasons (`P1`, `I1`, …; see [`rules`]).
    pub rules: Vec<&'static str>,
}

/// One item to prepare, preserve or tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckItem {
    /// Stable id.
    pub id: &'static str,
    /// The body it is for; `None` for every body.
    pub body: Option<Body>,
    /// The item.
    pub text: Text,
}

/// The guideline's answer for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guidance {
    /// Always all three, in order Police, Ipa, JpcertCc.
    pub bodies: Vec<BodyAdvice>,
    /// `Some(why)` only for the few "tell the police now" cases.
    pub urgent: Option<Text>,
    /// Information and evidence to prepare, per body.
    pub prepare: Vec<CheckItem>,
    /// What to preserve and how.
    pub preserve: Vec<CheckItem>,
}

impl Guidance {
    /// The advice for one body (always present in what [`advise`] returns).
    pub fn body(&self, body: Body) -> Option<&BodyAdvice> {
        self.bodies.iter().find(|b| b.body == body)
    }
}

/// What the rules look at: the answers and their classification, as plain facts.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Any act under the Act (不正アクセス行為 or the acts around it).
    pub crime: bool,
    /// 不正アクセス行為 itself (Art. 3).
    pub access: bool,
    /// Money was lost.
    pub money_lost: bool,
    /// Money is being transferred right now.
    pub money_now: bool,
    /// `wants_prosecution`: `yes`, `undecided`, `no` or unanswered.
    pub prosecution: Option<String>,
    /// Information leaked (personal or other).
    pub leaked: bool,
    /// Personal data leaked.
    pub personal_data: bool,
    /// Threats or a ransom demand.
    pub extortion: bool,
    /// Threats still going on.
    pub extortion_now: bool,
    /// A phishing site (code input request).
    pub phishing: bool,
    /// The phishing site is still up.
    pub phishing_up: bool,
    /// The site was altered.
    pub defaced: bool,
    /// Files were planted.
    pub planted: bool,
    /// Used to attack others.
    pub relay: bool,
    /// Failed login attempts or attacks, without any act.
    pub attempts_only: bool,
    /// Only scans.
    pub scans_only: bool,
    /// Credential stuffing (attempts or success).
    pub stuffing: bool,
    /// DoS.
    pub dos: bool,
    /// The attack source is known and should be contacted.
    pub source: bool,
    /// Industrial control systems are involved.
    pub ics: bool,
    /// Damage beyond the access itself (money, leak, alteration, destruction, extortion,
    /// anything done after the access).
    pub damage: bool,
    /// Nothing concrete has been said yet (no answer, or only "other"/"don't know").
    pub unclear: bool,
    /// The attacker may still be inside.
    pub attacker_in: bool,
    /// Rebooted, restored or deleted files already.
    pub evidence_changed: bool,
    /// Something was done after the access (a concrete `after_access` answer).
    pub after_access: bool,
    /// Signs that someone got in or did harm: an act, something done after the access,
    /// extortion, a leak, altered or destroyed data, a taken-over account.
    pub intrusion_signs: bool,
}

impl Facts {
    /// Reads the facts from the answers.
    pub fn from_answers(a: &Answers) -> Facts {
        use crate::taxonomy::{Act, AfterAccess, Damage, Method};
        let c = classify(a);
        let what = |v: &str| a.has("what_happened", v);
        let has_damage = |d: Damage| c.damages.contains(&d);
        let concrete_what = a
            .get("what_happened")
            .iter()
            .any(|v| v != "other" && v != "unknown");
        let concrete_after = a
            .get("after_access")
            .iter()
            .any(|v| v != "other" && v != "unknown");
        let crime = !c.acts.is_empty();
        let attempts = what("login_attempts") || what("attack_attempts");
        Facts {
            crime,
            access: c.has_unauthorized_access(),
            money_lost: has_damage(Damage::MoneyLost),
            money_now: a.one("money_moving_now") == Some("yes"),
            prosecution: a.one("wants_prosecution").map(str::to_string),
            leaked: has_damage(Damage::InformationLeaked),
            personal_data: a.one("data_leaked") == Some("personal_data"),
            extortion: has_damage(Damage::Extortion) || a.has("ongoing", "extortion_ongoing"),
            extortion_now: a.has("ongoing", "extortion_ongoing"),
            phishing: c.acts.contains(&Act::CodeInputRequest),
            phishing_up: a.has("ongoing", "phishing_site_up"),
            defaced: c.after.contains(&AfterAccess::Defacement)
                || a.has("ongoing", "site_still_altered"),
            planted: c.after.contains(&AfterAccess::PlantedFiles),
            relay: c.after.contains(&AfterAccess::AttackRelay),
            attempts_only: attempts && !crime && !concrete_after,
            scans_only: what("scans") && !attempts && !crime && !concrete_after && !what("dos"),
            stuffing: c.methods.contains(&Method::CredentialStuffing),
            dos: c.methods.contains(&Method::Dos),
            source: a.one("attack_source_known") == Some("yes"),
            ics: a.has("systems", "control_system"),
            damage: c.damages.iter().any(|d| {
                !matches!(
                    d,
                    Damage::AttemptOnly | Damage::NoneKnown | Damage::AccountTakenOver
                )
            }) || concrete_after,
            unclear: !concrete_what && !concrete_after && c.damages.is_empty(),
            attacker_in: a.has("ongoing", "attacker_still_in"),
            evidence_changed: ["rebooted", "restored", "files_deleted"]
                .iter()
                .any(|v| a.has("actions_taken", v)),
            after_access: concrete_after,
            intrusion_signs: crime
                || concrete_after
                || c.damages.iter().any(|d| {
                    matches!(
                        d,
                        Damage::Extortion
                            | Damage::InformationLeaked
                            | Damage::DataAltered
                            | Damage::DataDestroyed
                            | Damage::AccountTakenOver
                            | Damage::MoneyLost
                    )
                }),
        }
    }
}

/// The guideline for a case: which bodies fit and why, whether it is urgent, what to
/// prepare and what to preserve. Works on drafts and anonymous questions alike.
pub fn advise(a: &Answers) -> Guidance {
    let f = Facts::from_answers(a);
    let mut bodies: Vec<BodyAdvice> = Body::ALL
        .iter()
        .map(|&body| BodyAdvice {
            body,
            fit: Fit::NotNeeded,
            reasons: Vec::new(),
            rules: Vec::new(),
        })
        .collect();
    let mut urgent = None;
    for r in rules() {
        if !(r.when)(&f) {
            continue;
        }
        let Some(body) = r.body else {
            if urgent.is_none() && r.effect == Effect::Urgent {
                urgent = Some(r.reason);
            }
            continue;
        };
        let Some(b) = bodies.iter_mut().find(|b| b.body == body) else {
            continue;
        };
        let applies = match r.effect {
            Effect::Raise(fit) => {
                b.fit = b.fit.max(fit);
                true
            }
            Effect::Note => b.fit != Fit::NotNeeded,
            Effect::CapAtPossible => {
                let was = b.fit == Fit::Recommended;
                if was {
                    b.fit = Fit::Possible;
                }
                was
            }
            Effect::Otherwise => b.rules.is_empty(),
            Effect::Urgent => false,
        };
        if applies {
            b.reasons.push(r.reason);
            b.rules.push(r.id);
        }
    }
    let fits: Vec<(Body, Fit)> = bodies.iter().map(|b| (b.body, b.fit)).collect();
    Guidance {
        prepare: checklists::prepare(&f, &fits),
        preserve: checklists::preserve(&f),
        bodies,
        urgent,
    }
}
