//! The website flow of Ⅵ: discoverer → receiving body → website operator, who verifies,
//! fixes and reports; the discoverer is told when it is fixed (Ⅵ 2.(6)); everything stays
//! confidential until then (Ⅵ 1.(4), 2.(5), 3.(3)) and the bodies never publish it.
//!
//! Disclosure to the operator is staged, as IPA does it to be sure the details reach the
//! right people: first only that there is an issue at a URL ([`Disclosure::UrlOnly`]);
//! the details (the vulnerability-related information, Ⅱ 2) only after the operator has
//! answered ([`Disclosure::Details`]). A personal-data leak prompts the operator's duty to
//! publish the facts (Ⅵ 3.(4)) until it records that it did.

use crate::clause::Clause;
use crate::error::VulnError;
use crate::party::Party;
use crate::report::{IdentityConsent, Report, StopReason, Target};
use crate::schedule::{Reminder, ReminderKind, ReminderPolicy};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How much the operator has been told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disclosure {
    /// Nothing yet.
    Nothing,
    /// Only that there is an issue at the URL.
    UrlOnly,
    /// The vulnerability-related information.
    Details,
}

/// Where a website case is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "stage")]
pub enum WebStage {
    /// Filed (Ⅵ 1.(1)).
    Submitted,
    /// Accepted (Ⅵ 2.(1)).
    Accepted,
    /// Refused with the reason (Ⅵ 2.(1)).
    Refused {
        /// The reason told.
        reason: String,
    },
    /// Stopped (Ⅵ 2.(2) ただし).
    Stopped {
        /// The ground.
        reason: StopReason,
        /// The detail told.
        detail: String,
    },
    /// The operator was told there is an issue at the URL; its answer is awaited.
    OperatorNotified,
    /// The operator answered; the details are to be sent.
    OperatorAnswered,
    /// The details were sent; the operator verifies (Ⅵ 3.(1)).
    Verifying,
    /// The operator confirmed the vulnerability and is fixing it.
    Fixing,
    /// The operator reported the fix; the discoverer was told (Ⅵ 2.(6)).
    Fixed {
        /// When the operator reported it.
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl WebStage {
    /// A short stable name.
    pub fn name(&self) -> &'static str {
        match self {
            WebStage::Submitted => "submitted",
            WebStage::Accepted => "accepted",
            WebStage::Refused { .. } => "refused",
            WebStage::Stopped { .. } => "stopped",
            WebStage::OperatorNotified => "operator_notified",
            WebStage::OperatorAnswered => "operator_answered",
            WebStage::Verifying => "verifying",
            WebStage::Fixing => "fixing",
            WebStage::Fixed { .. } => "fixed",
        }
    }
}

/// A personal-data leak the operator must consider publishing (Ⅵ 3.(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leak {
    /// What leaked, as reported.
    pub detail: String,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Where the operator published the facts, once it did.
    pub facts_published: Option<String>,
}

/// One thing a party asks a website case to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum WebCommand {
    /// Receiving body: accept (Ⅵ 2.(1)).
    Accept,
    /// Receiving body: refuse with the reason (Ⅵ 2.(1)).
    Refuse {
        /// Told to the discoverer.
        reason: String,
    },
    /// Receiving body: stop (Ⅵ 2.(2) ただし).
    Stop {
        /// The ground.
        reason: StopReason,
        /// Told to the discoverer.
        detail: String,
    },
    /// Receiving body: tell the operator only that there is an issue at the URL (Ⅵ 2.(2)).
    NotifyOperator {
        /// The address written to.
        contact: String,
    },
    /// Operator (or the receiving body recording its mail): answered the first notice.
    OperatorAnswered {
        /// The operator's contact window from now on.
        contact_window: String,
    },
    /// Receiving body: send the details (Ⅵ 2.(2)).
    SendDetails,
    /// Operator: the verification result (Ⅵ 3.(1)(2)).
    OperatorResult {
        /// Vulnerable or not.
        vulnerable: bool,
        /// Its statement.
        statement: String,
    },
    /// Operator: fixed (Ⅵ 3.(1)(2)); the discoverer is told (Ⅵ 2.(6)).
    OperatorFixed {
        /// What was done.
        statement: String,
    },
    /// Operator or receiving body: personal data leaked (Ⅵ 3.(4)).
    ReportLeak {
        /// What leaked.
        detail: String,
    },
    /// Operator: the facts of the leak were published there (Ⅵ 3.(4)).
    LeakFactsPublished {
        /// Where.
        url: String,
    },
    /// Receiving body: ask a third party for analysis (Ⅵ 2.(5)).
    ShareForAnalysis {
        /// The analyst.
        analyst: String,
    },
    /// Discoverer: change the consent on their identity (Ⅵ 2.(4)).
    UpdateConsent {
        /// The consent; `to_developers` covers the operator.
        consent: IdentityConsent,
    },
}

/// A website case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebsiteCase {
    /// The report.
    pub report: Report,
    /// Where it is.
    pub stage: WebStage,
    /// How much the operator has been told.
    pub disclosure: Disclosure,
    /// When filed.
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// When the stage last changed (reminders count from it).
    #[serde(with = "time::serde::rfc3339")]
    pub stage_at: OffsetDateTime,
    /// The operator's contact window.
    pub operator_contact: Option<String>,
    /// The operator's verification result.
    pub vulnerable: Option<bool>,
    /// The operator's statements.
    pub operator_statements: Vec<String>,
    /// A personal-data leak, if any.
    pub leak: Option<Leak>,
    /// Analysts asked (Ⅵ 2.(5)).
    pub analysts: Vec<String>,
    /// (time, party, clause, command) for every applied command.
    pub history: Vec<(String, Party, Clause, WebCommand)>,
}

fn need(ok: bool, clause: Clause, what: &'static str) -> Result<(), VulnError> {
    if ok {
        Ok(())
    } else {
        Err(VulnError::Condition { clause, what })
    }
}

impl WebsiteCase {
    /// A website report filed with the receiving body (Ⅵ 1.(1)).
    pub fn submit(report: Report, at: OffsetDateTime) -> Result<WebsiteCase, VulnError> {
        need(
            matches!(report.target, Target::Website { .. }),
            Clause::WebDiscoverer2,
            "a product report follows Ⅴ",
        )?;
        Ok(WebsiteCase {
            report,
            stage: WebStage::Submitted,
            disclosure: Disclosure::Nothing,
            submitted_at: at,
            stage_at: at,
            operator_contact: None,
            vulnerable: None,
            operator_statements: Vec::new(),
            leak: None,
            analysts: Vec::new(),
            history: Vec::new(),
        })
    }

    /// Applies one command; returns the clause carried out and whom to tell.
    pub fn apply(
        &mut self,
        by: &Party,
        at: OffsetDateTime,
        command: WebCommand,
    ) -> Result<(Clause, Vec<Party>), VulnError> {
        let mut next = self.clone();
        let before = next.stage.name();
        let (clause, tell) = next.run(by, at, &command)?;
        if next.stage.name() != before {
            next.stage_at = at;
        }
        next.history
            .push((crate::jst::rfc3339_utc(at), by.clone(), clause, command));
        *self = next;
        Ok((clause, tell))
    }

    fn run(
        &mut self,
        by: &Party,
        at: OffsetDateTime,
        command: &WebCommand,
    ) -> Result<(Clause, Vec<Party>), VulnError> {
        let rb = *by == Party::ReceivingBody;
        let operator = rb || *by == Party::SiteOperator;
        let wrong = |clause, action, stage: &WebStage| VulnError::WrongStage {
            clause,
            action,
            stage: stage.name(),
        };
        let deny = |clause, action| VulnError::NotPermitted {
            clause,
            party: by.clone(),
            action,
        };
        match command {
            WebCommand::Accept => {
                let c = Clause::WebReceiving1;
                if !rb {
                    return Err(deny(c, "accept"));
                }
                if self.stage != WebStage::Submitted {
                    return Err(wrong(c, "accept", &self.stage));
                }
                self.report.check_complete()?;
                self.stage = WebStage::Accepted;
                Ok((c, vec![Party::Discoverer]))
            }
            WebCommand::Refuse { reason } => {
                let c = Clause::WebReceiving1;
                if !rb {
                    return Err(deny(c, "refuse"));
                }
                if self.stage != WebStage::Submitted {
                    return Err(wrong(c, "refuse", &self.stage));
                }
                need(
                    !reason.trim().is_empty(),
                    c,
                    "a refusal tells the discoverer its reason",
                )?;
                self.stage = WebStage::Refused {
                    reason: reason.clone(),
                };
                Ok((c, vec![Party::Discoverer]))
            }
            WebCommand::Stop { reason, detail } => {
                let c = Clause::WebReceiving2;
                if !rb {
                    return Err(deny(c, "stop"));
                }
                let ok = match self.stage {
                    WebStage::Accepted => !reason.is_notified(),
                    WebStage::OperatorNotified
                    | WebStage::OperatorAnswered
                    | WebStage::Verifying
                    | WebStage::Fixing => true,
                    _ => false,
                };
                if !ok {
                    return Err(wrong(c, "stop", &self.stage));
                }
                need(
                    !detail.trim().is_empty(),
                    c,
                    "the discoverer is told the ground and the reason",
                )?;
                let mut tell = vec![Party::Discoverer];
                if self.disclosure > Disclosure::Nothing {
                    tell.push(Party::SiteOperator);
                }
                self.stage = WebStage::Stopped {
                    reason: *reason,
                    detail: detail.clone(),
                };
                Ok((c, tell))
            }
            WebCommand::NotifyOperator { contact } => {
                let c = Clause::WebReceiving2;
                if !rb {
                    return Err(deny(c, "notify the operator"));
                }
                if self.stage != WebStage::Accepted {
                    return Err(wrong(c, "notify the operator", &self.stage));
                }
                need(!contact.trim().is_empty(), c, "an address to write to")?;
                self.operator_contact = Some(contact.clone());
                self.disclosure = Disclosure::UrlOnly;
                self.stage = WebStage::OperatorNotified;
                Ok((c, vec![Party::SiteOperator]))
            }
            WebCommand::OperatorAnswered { contact_window } => {
                let c = Clause::WebOperator2;
                if !operator {
                    return Err(deny(c, "answer for the operator"));
                }
                if self.stage != WebStage::OperatorNotified {
                    return Err(wrong(c, "record the operator's answer", &self.stage));
                }
                if !contact_window.trim().is_empty() {
                    self.operator_contact = Some(contact_window.clone());
                }
                self.stage = WebStage::OperatorAnswered;
                Ok((c, vec![Party::ReceivingBody]))
            }
            WebCommand::SendDetails => {
                let c = Clause::WebReceiving2;
                if !rb {
                    return Err(deny(c, "send the details"));
                }
                if self.stage != WebStage::OperatorAnswered {
                    return Err(wrong(
                        c,
                        "send the details before the operator answered",
                        &self.stage,
                    ));
                }
                self.disclosure = Disclosure::Details;
                self.stage = WebStage::Verifying;
                Ok((c, vec![Party::SiteOperator]))
            }
            WebCommand::OperatorResult {
                vulnerable,
                statement,
            } => {
                let c = Clause::WebOperator2;
                if !operator {
                    return Err(deny(c, "report the operator's result"));
                }
                if !matches!(self.stage, WebStage::Verifying | WebStage::Fixing) {
                    return Err(wrong(c, "report a result", &self.stage));
                }
                self.vulnerable = Some(*vulnerable);
                self.operator_statements.push(statement.clone());
                if *vulnerable {
                    self.stage = WebStage::Fixing;
                }
                Ok((c, vec![Party::ReceivingBody]))
            }
            WebCommand::OperatorFixed { statement } => {
                let c = Clause::WebReceiving6;
                if !operator {
                    return Err(deny(Clause::WebOperator2, "report the fix"));
                }
                if !matches!(self.stage, WebStage::Verifying | WebStage::Fixing) {
                    return Err(wrong(c, "report the fix", &self.stage));
                }
                self.vulnerable = Some(true);
                self.operator_statements.push(statement.clone());
                self.stage = WebStage::Fixed { at };
                Ok((c, vec![Party::ReceivingBody, Party::Discoverer]))
            }
            WebCommand::ReportLeak { detail } => {
                let c = Clause::WebOperator4;
                if !operator {
                    return Err(deny(c, "report a leak"));
                }
                need(
                    self.disclosure > Disclosure::Nothing,
                    c,
                    "the operator has not been told yet",
                )?;
                need(!detail.trim().is_empty(), c, "say what leaked")?;
                self.leak = Some(Leak {
                    detail: detail.clone(),
                    at,
                    facts_published: None,
                });
                Ok((c, vec![Party::SiteOperator]))
            }
            WebCommand::LeakFactsPublished { url } => {
                let c = Clause::WebOperator4;
                if !operator {
                    return Err(deny(c, "record the published facts"));
                }
                let leak = self.leak.as_mut().ok_or(VulnError::Condition {
                    clause: c,
                    what: "no leak recorded",
                })?;
                need(!url.trim().is_empty(), c, "where the facts were published")?;
                leak.facts_published = Some(url.clone());
                Ok((c, vec![Party::ReceivingBody]))
            }
            WebCommand::ShareForAnalysis { analyst } => {
                let c = Clause::WebReceiving5;
                if !rb {
                    return Err(deny(c, "share for analysis"));
                }
                need(!analyst.trim().is_empty(), c, "name the analyst")?;
                self.analysts.push(analyst.clone());
                Ok((c, vec![]))
            }
            WebCommand::UpdateConsent { consent } => {
                let c = Clause::WebReceiving4;
                if *by != Party::Discoverer {
                    return Err(deny(c, "change the discoverer's consent"));
                }
                self.report.consent = consent.clone();
                Ok((c, vec![]))
            }
        }
    }
}

/// A part of a website case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebField {
    /// The discoverer's name and contact.
    DiscovererIdentity,
    /// The site name and the URL.
    Url,
    /// 脆弱性情報 (Ⅱ 2(1)).
    Nature,
    /// 検証方法 (Ⅱ 2(2)).
    VerificationMethod,
    /// 攻撃方法 (Ⅱ 2(3)).
    AttackMethod,
    /// The operator's result and statements.
    OperatorResult,
    /// The stage.
    Stage,
    /// The history.
    History,
}

/// Whether `viewer` may see `field` of a website case; the error names the clause.
/// Nothing of a website case is ever public: the bodies do not publish website
/// vulnerabilities, and everyone keeps them confidential until fixed (Ⅵ 1.(4), 3.(3)).
pub fn may_see_web(case: &WebsiteCase, viewer: &Party, field: WebField) -> Result<(), VulnError> {
    let deny = |clause| {
        Err(VulnError::NotPermitted {
            clause,
            party: viewer.clone(),
            action: "see this",
        })
    };
    match viewer {
        Party::ReceivingBody => Ok(()),
        Party::Discoverer => match field {
            WebField::OperatorResult | WebField::History => deny(Clause::WebReceiving5),
            _ => Ok(()),
        },
        Party::SiteOperator => match (field, case.disclosure) {
            (WebField::DiscovererIdentity, _) => {
                if case.report.consent.to_developers && case.disclosure > Disclosure::Nothing {
                    Ok(())
                } else {
                    deny(Clause::WebReceiving4)
                }
            }
            (_, Disclosure::Nothing) => deny(Clause::WebReceiving5),
            (WebField::Url | WebField::Stage, _) => Ok(()),
            (
                WebField::Nature
                | WebField::VerificationMethod
                | WebField::AttackMethod
                | WebField::OperatorResult,
                Disclosure::Details,
            ) => Ok(()),
            (WebField::History, _) => deny(Clause::WebReceiving5),
            _ => deny(Clause::WebReceiving2),
        },
        Party::Analyst(name) if case.analysts.contains(name) => match field {
            WebField::Url
            | WebField::Nature
            | WebField::VerificationMethod
            | WebField::AttackMethod => Ok(()),
            WebField::DiscovererIdentity => deny(Clause::WebReceiving4),
            _ => deny(Clause::WebReceiving5),
        },
        _ => match field {
            WebField::DiscovererIdentity => deny(Clause::WebReceiving4),
            _ => deny(Clause::WebReceiving5),
        },
    }
}

/// What is due on a website case at `now` (pure; see [`crate::schedule::due`]).
pub fn due_web(case: &WebsiteCase, policy: &ReminderPolicy, now: OffsetDateTime) -> Vec<Reminder> {
    let mut out = Vec::new();
    let wait = case.stage_at + policy.answer_within;
    let quick = case.stage_at + policy.receiving_within;
    let r = |to, kind, due_at, clause| Reminder {
        to,
        kind,
        due_at,
        clause,
    };
    match case.stage {
        WebStage::Submitted if now >= quick => {
            out.push(r(
                Party::ReceivingBody,
                ReminderKind::DecideAcceptance,
                quick,
                Clause::WebReceiving1,
            ));
        }
        WebStage::Accepted => out.push(r(
            Party::ReceivingBody,
            ReminderKind::NotifyOperator,
            quick,
            Clause::WebReceiving2,
        )),
        WebStage::OperatorNotified if now >= wait => {
            out.push(r(
                Party::SiteOperator,
                ReminderKind::OperatorAnswerDue,
                wait,
                Clause::WebOperator2,
            ));
            out.push(r(
                Party::ReceivingBody,
                ReminderKind::OperatorAnswerDue,
                wait,
                Clause::WebOperator2,
            ));
        }
        WebStage::OperatorAnswered => out.push(r(
            Party::ReceivingBody,
            ReminderKind::SendDetails,
            now,
            Clause::WebReceiving2,
        )),
        WebStage::Verifying | WebStage::Fixing if now >= wait => {
            out.push(r(
                Party::SiteOperator,
                ReminderKind::OperatorResultDue,
                wait,
                Clause::WebOperator2,
            ));
        }
        _ => {}
    }
    if let Some(leak) = &case.leak
        && leak.facts_published.is_none()
    {
        out.push(r(
            Party::SiteOperator,
            ReminderKind::PublishLeakFacts,
            leak.at,
            Clause::WebOperator4,
        ));
    }
    out
}
