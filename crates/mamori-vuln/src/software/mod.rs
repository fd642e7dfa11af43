//! The software-product flows of Ⅴ: 一 (a discoverer other than the developer, or an
//! impact beyond the developer's own products) and 二 (a developer's own product).
//!
//! A [`SoftwareCase`] changes only through [`SoftwareCase::apply`]: one [`Command`] by one
//! [`Party`] at one time. Each success returns the clause carried out and the notices the
//! standard requires ([`Notice`]; the service turns them into messages or digests) and
//! appends a [`HistoryEntry`]; each refusal is a [`VulnError`] naming the clause.
//!
//! ```
//! use mamori_vuln::*;
//! use time::macros::datetime;
//!
//! let mut roster = Roster::new();
//! roster.upsert(Developer {
//!     id: DeveloperId::new("acme"), name: "Acme".into(), contact_window: "psirt@acme.example".into(),
//!     pgp_key: None, registration: Registration::General, products: vec!["Acme Router".into()],
//! }).unwrap();
//! let report = Report {
//!     discoverer: Discoverer { name: "山田 花子".into(), organization: None, contact: "h@example.jp".into() },
//!     consent: IdentityConsent::default(),
//!     target: Target::Product { name: "Acme Router".into(), version: "2.1".into(), developer_hint: "Acme".into() },
//!     info: VulnerabilityInfo { nature: "認証回避".into(), verification: "手順…".into(), attack: None },
//!     discovery: Discovery { how: "自社環境での検証".into(), lawful_confirmed: true },
//! };
//! let t0 = datetime!(2026-12-01 10:00 +9);
//! let mut case = SoftwareCase::submit(report, t0).unwrap();
//! case.apply(&roster, &Party::ReceivingBody, t0, Command::Accept).unwrap();
//! case.apply(&roster, &Party::ReceivingBody, t0, Command::HandOver).unwrap();
//! let acme = DeveloperId::new("acme");
//! case.apply(&roster, &Party::Coordinator, t0, Command::AddDeveloper { developer: acme.clone(), products: vec!["Acme Router".into()] }).unwrap();
//! let done = case.apply(&roster, &Party::Coordinator, t0, Command::NotifyDeveloper { developer: acme.clone() }).unwrap();
//! assert_eq!(done.clause, Clause::SwCoordinator2);
//! // Silence: the developer stays "notified (no answer)", never "not affected".
//! assert_eq!(case.developers[&acme].status, DeveloperStatus::Notified);
//! // Nobody may see who found it without consent (Ⅴ 一 2.(4)).
//! let who = may_see(&case, &Party::Developer(acme), Field::DiscovererIdentity, t0);
//! assert_eq!(who.unwrap_err().clause(), Clause::SwReceiving4);
//! ```

mod apply;

use crate::advisory::AdvisoryText;
use crate::clause::Clause;
use crate::developer::{
    Countermeasure, CountermeasureKind, DeveloperStatus, DeveloperThread, Novelty, Reply,
};
use crate::error::VulnError;
use crate::party::{DeveloperId, Party};
use crate::report::{
    Discoverer, Discovery, IdentityConsent, Report, StopReason, Target, VulnerabilityInfo,
};
use crate::roster::Roster;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Which flow of Ⅴ the case follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Ⅴ 一: a discoverer's report through the receiving body and the coordinator.
    ThirdParty,
    /// Ⅴ 二: a developer's own product, notified with its countermeasure.
    OwnProduct,
}

/// Why the coordinator cancelled publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelGround {
    /// Every notified developer said it is already known (Ⅴ 一 3.(7)).
    AllKnown,
    /// Every notified developer verified it does not affect them (Ⅴ 一 3.(8)).
    AllNotAffected,
}

impl CancelGround {
    /// The clause behind the ground.
    pub fn clause(self) -> Clause {
        match self {
            CancelGround::AllKnown => Clause::SwCoordinator7,
            CancelGround::AllNotAffected => Clause::SwCoordinator8,
        }
    }
}

/// Where the case is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum Stage {
    /// Filed with the receiving body (Ⅴ 一 1.(1)).
    Submitted,
    /// Accepted (受理, Ⅴ 一 2.(1)); not yet handed over.
    Accepted,
    /// Not accepted (不受理), with the reason told (Ⅴ 一 2.(1)).
    Refused {
        /// The reason the discoverer was told.
        reason: String,
    },
    /// Handling stopped (取りやめ, Ⅴ 一 2.(2)).
    Stopped {
        /// The ground.
        reason: StopReason,
        /// The detail the discoverer was told.
        detail: String,
    },
    /// With the coordinator (Ⅴ 一 2.(2) → 3.); or a developer's own report (Ⅴ 二).
    Coordinating,
    /// Published (Ⅴ 一 3.(6), 2.(7); Ⅴ 二 (2)).
    Published {
        /// When.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Publication cancelled (Ⅴ 一 3.(7)(8)).
    Cancelled {
        /// On which ground.
        ground: CancelGround,
    },
}

impl Stage {
    /// A short stable name (used in errors and by the store).
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::Accepted => "accepted",
            Stage::Refused { .. } => "refused",
            Stage::Stopped { .. } => "stopped",
            Stage::Coordinating => "coordinating",
            Stage::Published { .. } => "published",
            Stage::Cancelled { .. } => "cancelled",
        }
    }
}

/// How much leaking is feared (流出するリスク, Ⅴ 一 3.(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeakRisk {
    /// No sign of it being known outside.
    Low,
    /// Some sign (similar reports, talk).
    Medium,
    /// Exploited or public elsewhere: publish soon.
    High,
}

/// What the coordinator weighed when it set the date (Ⅴ 一 3.(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateBasis {
    /// Days the developers need for a countermeasure (対策方法の作成に要する期間).
    pub fix_days_needed: Option<u32>,
    /// Coordination with overseas coordinators is needed (海外の調整機関との調整).
    pub overseas_coordination: bool,
    /// Leak risk.
    pub leak_risk: LeakRisk,
    /// When no developer answered: the precedents considered (国内外における取扱事例).
    pub precedent: Option<String>,
    /// The developer's opinion heard (required in flow 二, Ⅴ 二 (2)).
    pub developer_opinion: Option<String>,
    /// Free note; required when the date is changed.
    pub note: String,
}

/// The publication date (脆弱性情報公表日) and how it was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationDate {
    /// The date and time (shown in JST everywhere).
    #[serde(with = "time::serde::rfc3339")]
    pub date: OffsetDateTime,
    /// When it was (last) set.
    #[serde(with = "time::serde::rfc3339")]
    pub set_at: OffsetDateTime,
    /// What was weighed.
    pub basis: DateBasis,
    /// Developers whose verification results were in when it was set.
    pub answers_considered: Vec<DeveloperId>,
    /// How many times it changed after the first setting.
    pub changes: u32,
}

/// A developer's request to change the date (Ⅴ 一 3.(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateChangeRequest {
    /// Who asks.
    pub developer: DeveloperId,
    /// The date it proposes.
    #[serde(with = "time::serde::rfc3339")]
    pub proposed: OffsetDateTime,
    /// Its reasons (the opinion the coordinator hears).
    pub reason: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `Some(true)` accepted, `Some(false)` declined, `None` open.
    pub accepted: Option<bool>,
}

/// An early notice to government bodies (Ⅴ 一 2.(6)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyNotice {
    /// The bodies told.
    pub bodies: Vec<String>,
    /// Why critical infrastructure is at risk.
    pub reason: String,
    /// The developers consulted.
    pub consulted_developers: Vec<DeveloperId>,
    /// When the discoverer was told beforehand.
    #[serde(with = "time::serde::rfc3339")]
    pub discoverer_told_at: OffsetDateTime,
    /// When the notice was given.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A third party asked to analyse under confidentiality (Ⅴ 一 2.(5), 3.(9)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalysisShare {
    /// The analyst.
    pub analyst: String,
    /// Who asked: the receiving body or the coordinator.
    pub by: Party,
    /// What for.
    pub purpose: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One thing a party asks the case to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum Command {
    /// Receiving body: accept a complete report (Ⅴ 一 2.(1)).
    Accept,
    /// Receiving body: refuse, with the reason (Ⅴ 一 2.(1)).
    Refuse {
        /// Told to the discoverer.
        reason: String,
    },
    /// Receiving body: stop on one of the grounds of Ⅴ 一 2.(2).
    Stop {
        /// The ground.
        reason: StopReason,
        /// Told to the discoverer.
        detail: String,
    },
    /// Receiving body: hand the report to the coordinator (Ⅴ 一 2.(2)).
    HandOver,
    /// Coordinator: put a developer from the list on the case (Ⅴ 一 3.(2)).
    AddDeveloper {
        /// The developer (on the roster).
        developer: DeveloperId,
        /// Its products concerned.
        products: Vec<String>,
    },
    /// Coordinator: notify a developer and ask for verification (Ⅴ 一 3.(2)).
    NotifyDeveloper {
        /// The developer.
        developer: DeveloperId,
    },
    /// Coordinator: the developer cannot be reached.
    MarkUnreachable {
        /// The developer.
        developer: DeveloperId,
        /// What was tried.
        note: String,
    },
    /// Coordinator: list an unreachable developer publicly (連絡不能開発者一覧), asking anyone
    /// who can reach it to tell the coordinator: its name and products only, never the
    /// vulnerability (Ⅴ 一 3.(2), as JVN lists them).
    ListUnreachable {
        /// The developer.
        developer: DeveloperId,
    },
    /// Coordinator: take a developer that was never reached off the case (added by mistake).
    RemoveDeveloper {
        /// The developer.
        developer: DeveloperId,
        /// Why.
        reason: String,
    },
    /// A developer's answer (Ⅴ 一 4.(2)(3)(5)(6)), by the developer or recorded by the coordinator.
    Reply {
        /// The developer answering.
        developer: DeveloperId,
        /// The answer.
        reply: Reply,
        /// When the coordinator records it: the developer's message it comes from.
        source: Option<String>,
    },
    /// Coordinator: set (or re-set) the publication date (Ⅴ 一 3.(3); Ⅴ 二 (2)).
    SetPublicationDate {
        /// The date.
        #[serde(with = "time::serde::rfc3339")]
        date: OffsetDateTime,
        /// What was weighed.
        basis: DateBasis,
    },
    /// Developer: ask to change the date (Ⅴ 一 3.(4)).
    RequestDateChange {
        /// Who asks.
        developer: DeveloperId,
        /// The proposed date.
        #[serde(with = "time::serde::rfc3339")]
        proposed: OffsetDateTime,
        /// Why.
        reason: String,
    },
    /// Coordinator: decide on a change request (Ⅴ 一 3.(4)).
    DecideDateChange {
        /// Index into [`SoftwareCase::date_changes`].
        request: usize,
        /// Accept or decline.
        accept: bool,
        /// The new date, if not the proposed one.
        #[serde(with = "time::serde::rfc3339::option")]
        date: Option<OffsetDateTime>,
        /// The coordinator's note.
        note: String,
    },
    /// Coordinator: record the start date (起算日) the schedule counts from.
    SetStartDate {
        /// The date.
        #[serde(with = "time::serde::rfc3339")]
        date: OffsetDateTime,
    },
    /// Coordinator: write the advisory text to publish (Ⅴ 一 3.(6)).
    WriteAdvisory {
        /// The text.
        text: AdvisoryText,
    },
    /// Receiving body: early notice to government bodies (Ⅴ 一 2.(6)).
    GiveEarlyNotice {
        /// The bodies.
        bodies: Vec<String>,
        /// Why critical infrastructure is at risk.
        reason: String,
        /// The coordinator was consulted.
        coordinator_consulted: bool,
        /// The developers consulted.
        consulted_developers: Vec<DeveloperId>,
        /// When the discoverer was told.
        #[serde(with = "time::serde::rfc3339")]
        discoverer_told_at: OffsetDateTime,
    },
    /// Receiving body or coordinator: ask a third party for analysis (Ⅴ 一 2.(5), 3.(9)).
    ShareForAnalysis {
        /// The analyst.
        analyst: String,
        /// What for.
        purpose: String,
    },
    /// Discoverer: change how their identity may be handled (Ⅴ 一 2.(4)).
    UpdateConsent {
        /// The new consent.
        consent: IdentityConsent,
    },
    /// Coordinator: cancel publication (Ⅴ 一 3.(7)(8)).
    Cancel {
        /// On which ground.
        ground: CancelGround,
    },
    /// Coordinator: publish on the date (Ⅴ 一 3.(6); the receiving body at the same time, 2.(7)).
    Publish,
}

/// What the standard requires to be told, and to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "notice")]
pub enum NoticeKind {
    /// The report was accepted.
    Accepted,
    /// The report was refused, with the reason.
    Refused {
        /// The reason.
        reason: String,
    },
    /// Handling stopped, with the ground.
    Stopped {
        /// The ground.
        reason: StopReason,
    },
    /// The coordinator received the report.
    HandedOver,
    /// A developer is asked to verify.
    VerificationRequested,
    /// A developer answered.
    Answered {
        /// Who.
        developer: DeveloperId,
    },
    /// The publication date (new or changed).
    PublicationDate {
        /// The date.
        #[serde(with = "time::serde::rfc3339")]
        date: OffsetDateTime,
    },
    /// A date change was asked.
    DateChangeRequested {
        /// Who asks.
        developer: DeveloperId,
    },
    /// The change asked for was declined.
    DateChangeDeclined,
    /// An early notice (to the government body) or its advance notice (to the discoverer).
    EarlyNotice,
    /// Publication was cancelled.
    Cancelled {
        /// On which ground.
        ground: CancelGround,
    },
    /// The advisory is published.
    Published,
}

/// One notice to one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// To whom.
    pub to: Party,
    /// What.
    pub what: NoticeKind,
}

/// The result of an applied command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The clause carried out.
    pub clause: Clause,
    /// Whom to tell what.
    pub notices: Vec<Notice>,
}

/// One line of the case's history: an auditor traces every change to a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub by: Party,
    /// The clause carried out.
    pub clause: Clause,
    /// The command, as given.
    pub command: Command,
}

/// A software-product case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareCase {
    /// Ⅴ 一 or Ⅴ 二.
    pub flow: Flow,
    /// The report as filed.
    pub report: Report,
    /// Where the case is.
    pub stage: Stage,
    /// When it was filed.
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// Every developer on the case with its status.
    pub developers: BTreeMap<DeveloperId, DeveloperThread>,
    /// The publication date, once set.
    pub publication: Option<PublicationDate>,
    /// Developers' requests to change it.
    pub date_changes: Vec<DateChangeRequest>,
    /// 起算日: the first notification of a developer unless the coordinator sets another.
    #[serde(with = "time::serde::rfc3339::option")]
    pub start_date: Option<OffsetDateTime>,
    /// The advisory text, once written.
    pub advisory: Option<AdvisoryText>,
    /// Early notices given.
    pub early_notices: Vec<EarlyNotice>,
    /// Third parties asked to analyse.
    pub analyses: Vec<AnalysisShare>,
    /// Every applied command.
    pub history: Vec<HistoryEntry>,
}

impl SoftwareCase {
    /// A discoverer's report filed with the receiving body (Ⅴ 一 1.(1)). Completeness is
    /// checked when the receiving body accepts ([`Command::Accept`]).
    pub fn submit(report: Report, at: OffsetDateTime) -> Result<SoftwareCase, VulnError> {
        if !matches!(report.target, Target::Product { .. }) {
            return Err(VulnError::Condition {
                clause: Clause::SwDiscoverer2,
                what: "a website report follows Ⅵ (WebsiteCase)",
            });
        }
        Ok(SoftwareCase {
            flow: Flow::ThirdParty,
            report,
            stage: Stage::Submitted,
            submitted_at: at,
            developers: BTreeMap::new(),
            publication: None,
            date_changes: Vec::new(),
            start_date: None,
            advisory: None,
            early_notices: Vec::new(),
            analyses: Vec::new(),
            history: Vec::new(),
        })
    }

    /// A developer's own product (Ⅴ 二 (1)): it notifies the information together with
    /// the countermeasure it made; the case goes straight to the coordinator, who sets a
    /// date after hearing the developer (Ⅴ 二 (2)).
    pub fn own_product(
        roster: &Roster,
        developer: &DeveloperId,
        product: (String, String),
        info: VulnerabilityInfo,
        countermeasure: Countermeasure,
        at: OffsetDateTime,
    ) -> Result<SoftwareCase, VulnError> {
        let dev = roster
            .get(developer)
            .ok_or_else(|| VulnError::UnknownDeveloper {
                clause: Clause::SwDeveloper1,
                developer: developer.clone(),
            })?;
        if countermeasure.ja.trim().is_empty() {
            return Err(VulnError::Condition {
                clause: Clause::Own1,
                what: "the countermeasure is made before notifying",
            });
        }
        if info.nature.trim().is_empty() {
            return Err(VulnError::Incomplete {
                clause: Clause::Own1,
                missing: vec![crate::report::ReportItem::Nature],
            });
        }
        let (name, version) = product;
        let report = Report {
            discoverer: Discoverer {
                name: dev.name.clone(),
                organization: None,
                contact: dev.contact_window.clone(),
            },
            consent: IdentityConsent {
                to_coordinator: true,
                to_developers: true,
                public_credit: None,
            },
            target: Target::Product {
                name: name.clone(),
                version,
                developer_hint: dev.name.clone(),
            },
            info,
            discovery: Discovery {
                how: "製品開発者自身による発見 / found by the developer".into(),
                lawful_confirmed: true,
            },
        };
        let by = Party::Developer(developer.clone());
        let mut thread = DeveloperThread::new(developer.clone(), vec![name]);
        thread.move_to(DeveloperStatus::Notified, at, &by, None, Clause::Own1)?;
        thread.notified_at = Some(at);
        let verified = Reply::Verified {
            affected: true,
            novelty: Novelty::New,
            statement: String::new(),
        };
        thread.reply(&verified, at, &by, None)?;
        thread.statement = None;
        let fixed = countermeasure.kind == CountermeasureKind::Fix;
        thread.reply(&Reply::Countermeasure(countermeasure), at, &by, None)?;
        debug_assert!(!fixed || thread.status == DeveloperStatus::Fixed);
        let mut developers = BTreeMap::new();
        developers.insert(developer.clone(), thread);
        Ok(SoftwareCase {
            flow: Flow::OwnProduct,
            report,
            stage: Stage::Coordinating,
            submitted_at: at,
            developers,
            publication: None,
            date_changes: Vec::new(),
            start_date: Some(at),
            advisory: None,
            early_notices: Vec::new(),
            analyses: Vec::new(),
            history: Vec::new(),
        })
    }

    /// The publication date, if set.
    pub fn publication_date(&self) -> Option<OffsetDateTime> {
        self.publication.as_ref().map(|p| p.date)
    }

    /// Whether the case is published and `now` is on or after the date: the only time
    /// anything of it may reach the public (Ⅴ 一 3.(6)(9)).
    pub fn is_public(&self, now: OffsetDateTime) -> bool {
        match (&self.stage, self.publication_date()) {
            (Stage::Published { at }, Some(date)) => now >= *at && now >= date,
            _ => false,
        }
    }

    /// The developers the coordinator lists publicly as unreachable, with their products
    /// and since when; nothing else of the case.
    pub fn listed_unreachable(
        &self,
    ) -> impl Iterator<Item = (&DeveloperId, &[String], OffsetDateTime)> {
        self.developers.values().filter_map(|t| {
            let since = t.listed_unreachable?;
            (t.status == DeveloperStatus::Unreachable).then_some((
                &t.developer,
                t.products.as_slice(),
                since,
            ))
        })
    }

    /// Developers the coordinator could not reach: the list it may publish (連絡不能開発者).
    pub fn unreachable_developers(&self) -> Vec<&DeveloperId> {
        self.developers
            .values()
            .filter(|t| t.status == DeveloperStatus::Unreachable)
            .map(|t| &t.developer)
            .collect()
    }

    /// Developers that were notified.
    pub fn notified_developers(&self) -> impl Iterator<Item = &DeveloperThread> {
        self.developers.values().filter(|t| t.status.was_notified())
    }
}
