//! One developer on one case: an explicit status with timestamps (Ⅴ 一 3.(2), 4.(2)(5)(6)),
//! the developer's statement and countermeasures.
//!
//! Architecture invariant: **silence is never "not affected".** Only an answer attributed
//! to the developer ([`Reply::Verified`] from the developer, or recorded by the coordinator
//! with the developer's message as its source) sets [`DeveloperStatus::NotAffected`]. No
//! deadline, reminder or cancellation moves a status; a developer that did not answer
//! stays in the state it was in and is published with "no report" (報告なし, Ⅴ 一 3.(6)).

use crate::clause::Clause;
use crate::error::VulnError;
use crate::party::{DeveloperId, Party};
use mamori_core::Text;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Where a developer stands on one vulnerability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeveloperStatus {
    /// On the case, not yet notified.
    NotContacted,
    /// The coordinator could not reach it (連絡不能).
    Unreachable,
    /// Notified and asked to verify (Ⅴ 一 3.(2)); no answer yet.
    Notified,
    /// Confirmed receipt; no verification result yet.
    Acknowledged,
    /// Said it is verifying; no result yet.
    Investigating,
    /// Verified: the product is affected (脆弱性あり).
    Affected,
    /// Verified: the product is not affected (脆弱性なし). Only from the developer.
    NotAffected,
    /// Affected and a fix (修正方法, Ⅱ 3(2)) is reported (Ⅴ 一 4.(6)).
    Fixed,
}

impl DeveloperStatus {
    /// The status in both languages.
    pub fn text(self) -> Text {
        match self {
            DeveloperStatus::NotContacted => Text::new("未連絡", "not contacted"),
            DeveloperStatus::Unreachable => Text::new("連絡不能", "unreachable"),
            DeveloperStatus::Notified => Text::new("通知済み（回答なし）", "notified (no answer)"),
            DeveloperStatus::Acknowledged => Text::new("受領確認済み", "acknowledged"),
            DeveloperStatus::Investigating => Text::new("調査中", "investigating"),
            DeveloperStatus::Affected => Text::new("該当製品あり", "affected"),
            DeveloperStatus::NotAffected => Text::new("該当製品なし", "not affected"),
            DeveloperStatus::Fixed => Text::new("修正済み", "fixed"),
        }
    }

    /// Whether the developer has reported a verification result (脆弱性検証の結果).
    pub fn has_verification(self) -> bool {
        matches!(
            self,
            DeveloperStatus::Affected | DeveloperStatus::NotAffected | DeveloperStatus::Fixed
        )
    }

    /// Whether the developer was notified (通知を行った製品開発者, Ⅴ 一 3.(4)–(8)).
    pub fn was_notified(self) -> bool {
        !matches!(
            self,
            DeveloperStatus::NotContacted | DeveloperStatus::Unreachable
        )
    }

    /// The moves the standard's flow allows (who may make them is checked by the case).
    pub fn may_become(self, to: DeveloperStatus) -> bool {
        use DeveloperStatus::*;
        matches!(
            (self, to),
            (NotContacted, Notified | Unreachable)
                | (Unreachable, Notified)
                | (
                    Notified,
                    Unreachable | Acknowledged | Investigating | Affected | NotAffected
                )
                | (Acknowledged, Investigating | Affected | NotAffected)
                | (Investigating, Affected | NotAffected)
                | (Affected, Fixed | NotAffected)
                | (NotAffected, Affected)
        )
    }
}

/// 新規性: is the vulnerability new to the developer (Ⅴ 一 3.(2) その新規性)?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Novelty {
    /// Not known before.
    New,
    /// Already known (既知). When every notified developer says so: Ⅴ 一 3.(7).
    Known,
}

/// The two kinds of countermeasure (対策方法, Ⅱ 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountermeasureKind {
    /// (1) 回避方法: avoids the damage without fixing the vulnerability.
    Workaround,
    /// (2) 修正方法: fixes the vulnerability.
    Fix,
}

/// A countermeasure a developer reported (Ⅴ 一 4.(5)(6)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countermeasure {
    /// Workaround or fix.
    pub kind: CountermeasureKind,
    /// What to do, in Japanese.
    pub ja: String,
    /// What to do, in English (may be empty until translated).
    pub en: String,
    /// Where users find it (update page), if any.
    pub url: Option<String>,
    /// Fixed versions, if any.
    pub fixed_versions: Option<String>,
}

impl Countermeasure {
    /// What to do, in one language.
    pub fn get(&self, lang: mamori_core::Lang) -> &str {
        match lang {
            mamori_core::Lang::Ja => &self.ja,
            mamori_core::Lang::En => &self.en,
        }
    }
}

/// A developer's answer, as it arrives (from the developer's own account, or recorded by
/// the coordinator from the developer's mail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reply")]
pub enum Reply {
    /// Receipt confirmed.
    Acknowledge,
    /// Verification started.
    Investigating,
    /// The verification result (脆弱性検証の結果, Ⅴ 一 4.(2)).
    Verified {
        /// Affected or not.
        affected: bool,
        /// New or already known.
        novelty: Novelty,
        /// The developer's statement (published as its comment).
        statement: String,
    },
    /// 対応状況 (Ⅴ 一 4.(5)): the status of its work, published with the advisory.
    Status {
        /// The status in the developer's words.
        text: String,
    },
    /// A countermeasure (Ⅴ 一 4.(5)(6)); a fix moves an affected developer to fixed.
    Countermeasure(Countermeasure),
    /// Other vendors' products likely contain it (Ⅴ 一 4.(3)).
    OtherVendors {
        /// Who.
        vendors: Vec<String>,
        /// Why the developer thinks so.
        reason: String,
    },
}

/// A status change with its time, author and clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// From.
    pub from: DeveloperStatus,
    /// To.
    pub to: DeveloperStatus,
    /// Who recorded it.
    pub by: Party,
    /// For an answer the coordinator recorded: the developer's message it came from.
    pub source: Option<String>,
    /// The clause carried out.
    pub clause: Clause,
}

/// One developer on one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeveloperThread {
    /// The developer.
    pub developer: DeveloperId,
    /// Its products concerned (names as published).
    pub products: Vec<String>,
    /// Where it stands.
    pub status: DeveloperStatus,
    /// New or known, once said.
    pub novelty: Option<Novelty>,
    /// Its statement with the verification result.
    pub statement: Option<String>,
    /// Its latest status report (対応状況).
    pub status_report: Option<String>,
    /// Its countermeasures.
    pub countermeasures: Vec<Countermeasure>,
    /// Other vendors it named (Ⅴ 一 4.(3)), for the coordinator.
    pub other_vendors: Vec<String>,
    /// When it was first notified (Ⅴ 一 3.(2)).
    #[serde(with = "time::serde::rfc3339::option")]
    pub notified_at: Option<OffsetDateTime>,
    /// When it last answered anything.
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
    /// Every status change.
    pub history: Vec<StatusChange>,
    /// Since when the coordinator lists it publicly as unreachable (連絡不能開発者), while it
    /// stays unreachable; cleared when it is reached.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub listed_unreachable: Option<OffsetDateTime>,
}

impl DeveloperThread {
    /// A developer added to a case, not yet contacted.
    pub fn new(developer: DeveloperId, products: Vec<String>) -> DeveloperThread {
        DeveloperThread {
            developer,
            products,
            status: DeveloperStatus::NotContacted,
            novelty: None,
            statement: None,
            status_report: None,
            countermeasures: Vec::new(),
            other_vendors: Vec::new(),
            notified_at: None,
            answered_at: None,
            history: Vec::new(),
            listed_unreachable: None,
        }
    }

    /// Moves the status, refusing what the flow does not allow.
    pub(crate) fn move_to(
        &mut self,
        to: DeveloperStatus,
        at: OffsetDateTime,
        by: &Party,
        source: Option<String>,
        clause: Clause,
    ) -> Result<(), VulnError> {
        if self.status == to {
            return Ok(());
        }
        if !self.status.may_become(to) {
            return Err(VulnError::DeveloperTransition {
                clause,
                developer: self.developer.clone(),
                from: self.status,
                to,
            });
        }
        self.history.push(StatusChange {
            at,
            from: self.status,
            to,
            by: by.clone(),
            source,
            clause,
        });
        self.status = to;
        if to != DeveloperStatus::Unreachable {
            self.listed_unreachable = None;
        }
        Ok(())
    }

    /// Applies a developer's answer. `by` is the developer itself or the coordinator,
    /// who must then give the developer's message as `source`.
    pub(crate) fn reply(
        &mut self,
        reply: &Reply,
        at: OffsetDateTime,
        by: &Party,
        source: Option<String>,
    ) -> Result<Clause, VulnError> {
        if !self.status.was_notified() {
            return Err(VulnError::WrongStage {
                clause: Clause::SwCoordinator2,
                action: "record an answer of a developer that was not notified",
                stage: "not notified",
            });
        }
        let clause = match reply {
            Reply::Acknowledge => {
                if self.status == DeveloperStatus::Notified {
                    self.move_to(
                        DeveloperStatus::Acknowledged,
                        at,
                        by,
                        source,
                        Clause::SwDeveloper2,
                    )?;
                }
                Clause::SwDeveloper2
            }
            Reply::Investigating => {
                if matches!(
                    self.status,
                    DeveloperStatus::Notified | DeveloperStatus::Acknowledged
                ) {
                    self.move_to(
                        DeveloperStatus::Investigating,
                        at,
                        by,
                        source,
                        Clause::SwDeveloper2,
                    )?;
                }
                Clause::SwDeveloper2
            }
            Reply::Verified {
                affected,
                novelty,
                statement,
            } => {
                let to = if *affected {
                    DeveloperStatus::Affected
                } else {
                    DeveloperStatus::NotAffected
                };
                if !(self.status == DeveloperStatus::Fixed && *affected) {
                    self.move_to(to, at, by, source, Clause::SwDeveloper2)?;
                }
                self.novelty = Some(*novelty);
                self.statement = Some(statement.clone());
                Clause::SwDeveloper2
            }
            Reply::Status { text } => {
                self.status_report = Some(text.clone());
                Clause::SwDeveloper5
            }
            Reply::Countermeasure(c) => {
                if !matches!(
                    self.status,
                    DeveloperStatus::Affected | DeveloperStatus::Fixed
                ) {
                    return Err(VulnError::Condition {
                        clause: Clause::SwDeveloper6,
                        what: "a countermeasure follows a verification result of \"affected\"",
                    });
                }
                if c.ja.trim().is_empty() {
                    return Err(VulnError::Condition {
                        clause: Clause::Def3,
                        what: "a countermeasure says what to do",
                    });
                }
                if c.kind == CountermeasureKind::Fix {
                    self.move_to(DeveloperStatus::Fixed, at, by, source, Clause::SwDeveloper6)?;
                }
                self.countermeasures.push(c.clone());
                Clause::SwDeveloper6
            }
            Reply::OtherVendors { vendors, .. } => {
                self.other_vendors.extend(vendors.iter().cloned());
                Clause::SwDeveloper3
            }
        };
        self.answered_at = Some(at);
        Ok(clause)
    }
}
