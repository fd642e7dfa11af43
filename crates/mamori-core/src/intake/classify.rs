//! Plain-word answers → the unified taxonomy. Every choice's meaning is in one table here.

use super::Answers;
use crate::taxonomy::{
    Act, AdminType, AfterAccess, Classification, Damage, Discovery, Method, Motive, Sector,
};

fn push<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Maps the answers onto the taxonomy (current version). Unknown ids are ignored, so a
/// draft that does not validate still classifies as far as it can.
pub fn classify(a: &Answers) -> Classification {
    let mut c = Classification::new();
    let mut attempts = false;
    for v in a.get("what_happened") {
        match v.as_str() {
            "unauthorized_login" => {
                push(&mut c.acts, Act::IdentifierMisuse);
                push(&mut c.damages, Damage::AccountTakenOver);
            }
            "break_in_via_flaw" => {
                push(&mut c.acts, Act::SecurityHoleAttack);
                push(&mut c.methods, Method::SecurityHole);
            }
            "break_in_via_other_system" => push(&mut c.acts, Act::SteppingStone),
            "login_attempts" => attempts = true,
            "attack_attempts" => {
                attempts = true;
                push(&mut c.methods, Method::SecurityHole);
            }
            "scans" => {
                attempts = true;
                push(&mut c.methods, Method::Reconnaissance);
            }
            "phishing_site" => push(&mut c.acts, Act::CodeInputRequest),
            "ids_stolen" => push(&mut c.acts, Act::CodeAcquisition),
            "ids_published" => push(&mut c.acts, Act::CodeProvision),
            "ids_list_found" => push(&mut c.acts, Act::CodeStorage),
            "dos" => {
                push(&mut c.methods, Method::Dos);
                push(&mut c.damages, Damage::ServiceStopped);
            }
            "ransom" => push(&mut c.damages, Damage::Extortion),
            _ => {}
        }
    }
    for v in a.get("how_got_in") {
        let m = match v.as_str() {
            "weak_password" => Method::WeakPasswordManagement,
            "insider" => Method::InsiderOrAcquaintance,
            "phishing" => Method::PhishingSite,
            "malware" => Method::Spyware,
            "leaked_list" => Method::CredentialStuffing,
            "accomplice" => Method::FromAccomplice,
            "bought" => Method::Bought,
            "flaw" => Method::SecurityHole,
            "targeted_mail" => Method::TargetedAttack,
            "other" => Method::Other,
            "unknown" => Method::Unknown,
            _ => continue,
        };
        push(&mut c.methods, m);
    }
    // Many failed logins with no better idea of the method: guessing, which the police
    // count as exploiting weak password setting or management.
    if a.has("what_happened", "login_attempts") && !c.methods.contains(&Method::CredentialStuffing)
    {
        push(&mut c.methods, Method::WeakPasswordManagement);
    }
    for v in a.get("after_access") {
        match v.as_str() {
            "money_transferred" => {
                push(&mut c.after, AfterAccess::IllegalTransfer);
                push(&mut c.damages, Damage::MoneyLost);
            }
            "info_stolen" => {
                push(&mut c.after, AfterAccess::InformationTheft);
                push(&mut c.damages, Damage::InformationLeaked);
            }
            "purchases" => {
                push(&mut c.after, AfterAccess::ShoppingFraud);
                push(&mut c.damages, Damage::MoneyLost);
            }
            "game_sns" => push(&mut c.after, AfterAccess::GameCommunityManipulation),
            "crypto_sent" => {
                push(&mut c.after, AfterAccess::CryptoAssetTheft);
                push(&mut c.damages, Damage::MoneyLost);
            }
            "site_altered" => {
                push(&mut c.after, AfterAccess::Defacement);
                push(&mut c.damages, Damage::DataAltered);
            }
            "impersonation" => push(&mut c.after, AfterAccess::Impersonation),
            "auction" => push(&mut c.after, AfterAccess::AuctionManipulation),
            "files_planted" => push(&mut c.after, AfterAccess::PlantedFiles),
            "relay" => push(&mut c.after, AfterAccess::AttackRelay),
            "data_encrypted" => push(&mut c.damages, Damage::DataDestroyed),
            "other" => push(&mut c.after, AfterAccess::Other),
            _ => {}
        }
    }
    if a.one("money_lost") == Some("yes") {
        push(&mut c.damages, Damage::MoneyLost);
    }
    if matches!(a.one("data_leaked"), Some("personal_data" | "other_data")) {
        push(&mut c.damages, Damage::InformationLeaked);
    }
    for v in a.get("other_damage") {
        let d = match v.as_str() {
            "service_stopped" => Damage::ServiceStopped,
            "data_altered" => Damage::DataAltered,
            "data_destroyed" => Damage::DataDestroyed,
            "account_taken_over" => Damage::AccountTakenOver,
            "other" => Damage::Other,
            _ => continue,
        };
        push(&mut c.damages, d);
    }
    if c.damages.is_empty() {
        if attempts && c.acts.is_empty() && c.after.is_empty() {
            push(&mut c.damages, Damage::AttemptOnly);
        } else if a.has("other_damage", "none") {
            push(&mut c.damages, Damage::NoneKnown);
        }
    }
    for v in a.get("motive") {
        if let Some(m) = Motive::parse(v) {
            push(&mut c.motives, m);
        }
    }
    c.sector = a.one("sector").and_then(Sector::parse);
    c.admin_type = a.one("org_type").and_then(AdminType::parse);
    c.discovery = match a.one("how_discovered") {
        Some("told_by_police") => Some(Discovery::PoliceActivity),
        Some(v) => Discovery::parse(v),
        None => match a.one("reporter_role") {
            Some("admin") => Some(Discovery::ReportByAdmin),
            Some("user") => Some(Discovery::ReportByUser),
            _ => None,
        },
    };
    c.acts.sort();
    c.methods.sort();
    c.after.sort();
    c.damages.sort();
    c.motives.sort();
    c
}
