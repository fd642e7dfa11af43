//! Confidentiality as one rule function: which party may see which field of a software
//! case at which moment. The web and service layers call [`may_see`] before showing any
//! field and audit the call; a denial names the clause that forbids the disclosure.
//!
//! The rules, clause by clause:
//! - The receiving body holds the report and sees everything.
//! - The discoverer's identity (name, organization, contact) reaches nobody else without
//!   consent — not the coordinator, not the developers (Ⅴ 一 2.(4): 調整機関及び製品開発者を
//!   含む), never the public; a public credit appears only under the name they chose.
//! - Until the hand-over the coordinator sees nothing (Ⅴ 一 2.(5)); after it, everything
//!   but the identity.
//! - A developer sees the case only once notified, and then the vulnerability-related
//!   information (to verify it, Ⅴ 一 3.(2)), the date and its own thread — not the other
//!   developers' results before publication (Ⅴ 一 3.(9)).
//! - A government body sees the information and countermeasures only after an early notice
//!   naming it (Ⅴ 一 2.(6)); an analyst only what it was asked to analyse (Ⅴ 一 2.(5), 3.(9)).
//! - The public sees nothing before the case is published and the date has come; then the
//!   vulnerability information (Ⅱ 2(1)), the developers' results and countermeasures — never
//!   the verification or attack method (Ⅱ 2(2)(3)), which the standard does not publish.

use crate::clause::Clause;
use crate::error::VulnError;
use crate::party::{DeveloperId, Party};
use crate::software::{Command, Flow, SoftwareCase};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A part of a case someone may want to see.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "developer")]
pub enum Field {
    /// The discoverer's name, organization and contact.
    DiscovererIdentity,
    /// The credit name the discoverer chose for the advisory.
    Credit,
    /// The product (name, version).
    Target,
    /// 脆弱性情報 (Ⅱ 2(1)).
    Nature,
    /// 検証方法 (Ⅱ 2(2)).
    VerificationMethod,
    /// 攻撃方法 (Ⅱ 2(3)).
    AttackMethod,
    /// Which developers are on the case.
    DeveloperList,
    /// One developer's status, statement, status report and countermeasures.
    DeveloperResult(DeveloperId),
    /// The publication date.
    PublicationDate,
    /// The stage and the reasons of a refusal or stop.
    Stage,
    /// The case's history (commands as given).
    History,
}

fn deny(clause: Clause, viewer: &Party) -> Result<(), VulnError> {
    Err(VulnError::NotPermitted {
        clause,
        party: viewer.clone(),
        action: "see this",
    })
}

fn allow(ok: bool, clause: Clause, viewer: &Party) -> Result<(), VulnError> {
    if ok { Ok(()) } else { deny(clause, viewer) }
}

fn handed_over(case: &SoftwareCase) -> bool {
    case.flow == Flow::OwnProduct || case.history.iter().any(|h| h.command == Command::HandOver)
}

/// Whether `viewer` may see `field` of `case` at `now`; the error names the clause.
pub fn may_see(
    case: &SoftwareCase,
    viewer: &Party,
    field: Field,
    now: OffsetDateTime,
) -> Result<(), VulnError> {
    let consent = &case.report.consent;
    let public = case.is_public(now);
    // What the publication made public, anyone may see.
    if public {
        let published = match &field {
            Field::Target
            | Field::Nature
            | Field::DeveloperList
            | Field::PublicationDate
            | Field::Stage => true,
            Field::DeveloperResult(d) => case
                .developers
                .get(d)
                .is_some_and(|t| t.status.was_notified()),
            Field::Credit => consent.public_credit.is_some() && case.flow == Flow::ThirdParty,
            _ => false,
        };
        if published {
            return Ok(());
        }
    }
    let identity = Clause::SwReceiving4;
    match viewer {
        Party::ReceivingBody => Ok(()),
        Party::Discoverer => {
            if case.flow == Flow::OwnProduct {
                return deny(Clause::Own1, viewer);
            }
            match field {
                Field::DeveloperList | Field::DeveloperResult(_) | Field::History => {
                    deny(Clause::SwCoordinator9, viewer)
                }
                _ => Ok(()),
            }
        }
        Party::Coordinator => {
            if !handed_over(case) {
                return deny(Clause::SwReceiving5, viewer);
            }
            match field {
                Field::DiscovererIdentity | Field::Credit => {
                    allow(consent.to_coordinator, identity, viewer)
                }
                _ => Ok(()),
            }
        }
        Party::Developer(d) => {
            let notified = case
                .developers
                .get(d)
                .is_some_and(|t| t.status.was_notified());
            if !notified {
                return deny(Clause::SwCoordinator9, viewer);
            }
            match field {
                Field::DiscovererIdentity | Field::Credit => allow(
                    consent.to_developers || case.flow == Flow::OwnProduct,
                    identity,
                    viewer,
                ),
                Field::Target
                | Field::Nature
                | Field::VerificationMethod
                | Field::AttackMethod
                | Field::PublicationDate
                | Field::Stage => Ok(()),
                Field::DeveloperResult(other) => allow(other == *d, Clause::SwCoordinator9, viewer),
                Field::DeveloperList | Field::History => deny(Clause::SwCoordinator9, viewer),
            }
        }
        Party::Government(body) => {
            let told = case.early_notices.iter().any(|n| n.bodies.contains(body));
            match field {
                Field::DiscovererIdentity | Field::Credit => deny(identity, viewer),
                Field::Target
                | Field::Nature
                | Field::DeveloperResult(_)
                | Field::PublicationDate => allow(told, Clause::SwReceiving6, viewer),
                _ => deny(Clause::SwReceiving6, viewer),
            }
        }
        Party::Analyst(name) => {
            let asked = case.analyses.iter().any(|a| a.analyst == *name);
            match field {
                Field::DiscovererIdentity | Field::Credit => deny(identity, viewer),
                Field::Target | Field::Nature | Field::VerificationMethod | Field::AttackMethod => {
                    allow(asked, Clause::SwReceiving5, viewer)
                }
                _ => deny(Clause::SwReceiving5, viewer),
            }
        }
        Party::Public => match field {
            Field::DiscovererIdentity | Field::Credit => deny(identity, viewer),
            Field::VerificationMethod | Field::AttackMethod => deny(Clause::Def2, viewer),
            _ => deny(Clause::SwCoordinator9, viewer),
        },
        Party::SiteOperator => deny(Clause::Scope, viewer),
    }
}
