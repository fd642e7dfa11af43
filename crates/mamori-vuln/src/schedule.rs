//! Reminders before deadlines, as a pure function: given a case and `now`, what is due and
//! for whom. Nothing here changes a case — in particular a passed deadline never turns a
//! silent developer into "not affected"; it only reminds.
//!
//! The service calls [`due`] on a timer (or when a page is drawn) and sends each new
//! reminder once, keyed by ([`Reminder::to`], [`Reminder::kind`], [`Reminder::due_at`]),
//! folded into a digest per party rather than a mail per event.

use crate::clause::Clause;
use crate::developer::DeveloperStatus;
use crate::party::{DeveloperId, Party};
use crate::software::{Command, SoftwareCase, Stage};
use mamori_core::{Lang, Text};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// How early reminders come. The standard says 速やかに / 遅滞なく without numbers; these
/// are the operating defaults, configurable per deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPolicy {
    /// A report waiting for acceptance or hand-over longer than this is due (Ⅴ 一 2.(1)(2)).
    pub receiving_within: Duration,
    /// A notified developer without a verification result after this is reminded (Ⅴ 一 4.(2)).
    pub answer_within: Duration,
    /// Status reports are asked this long before the publication date (Ⅴ 一 3.(5)).
    pub status_before_date: Duration,
}

impl Default for ReminderPolicy {
    fn default() -> ReminderPolicy {
        ReminderPolicy {
            receiving_within: Duration::days(3),
            answer_within: Duration::days(7),
            status_before_date: Duration::days(14),
        }
    }
}

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "developer")]
pub enum ReminderKind {
    /// Receiving body: accept or refuse (Ⅴ 一 2.(1)).
    DecideAcceptance,
    /// Receiving body: hand over to the coordinator (Ⅴ 一 2.(2)).
    HandOver,
    /// Coordinator: notify this developer (Ⅴ 一 3.(2)).
    NotifyDeveloper(DeveloperId),
    /// Developer (and coordinator): the verification result is awaited (Ⅴ 一 4.(2)).
    VerificationDue(DeveloperId),
    /// Coordinator: set the publication date (Ⅴ 一 3.(3)).
    SetPublicationDate,
    /// Coordinator: decide a developer's change request (Ⅴ 一 3.(4)).
    DecideDateChange(DeveloperId),
    /// Developer: report the status by the date (Ⅴ 一 3.(5), 4.(5)).
    StatusReportDue(DeveloperId),
    /// Everyone notified: the date is near (keep it confidential until then, Ⅴ 一 4.(4)).
    PublicationApproaching,
    /// Coordinator and receiving body: the date has come, publish (Ⅴ 一 3.(6), 2.(7)).
    PublishNow,
    /// Receiving body: tell the website operator (Ⅵ 2.(2)).
    NotifyOperator,
    /// Operator: answer the first notice so the details can follow (Ⅵ 3.(2)).
    OperatorAnswerDue,
    /// Receiving body: the operator answered; send the details (Ⅵ 2.(2)).
    SendDetails,
    /// Operator: report the verification result or the fix (Ⅵ 3.(1)(2)).
    OperatorResultDue,
    /// Operator: personal data leaked; publish the facts as far as possible (Ⅵ 3.(4)).
    PublishLeakFacts,
}

impl ReminderKind {
    /// What the reminder asks for, in both languages (the developer, if any, is
    /// [`ReminderKind::developer`]).
    pub fn text(&self) -> Text {
        use ReminderKind as K;
        match self {
            K::DecideAcceptance => Text::new("受理するかを決める", "decide on acceptance"),
            K::HandOver => Text::new("調整機関に通知する", "hand over to the coordinator"),
            K::NotifyDeveloper(_) => Text::new("製品開発者に通知する", "notify the developer"),
            K::VerificationDue(_) => Text::new("検証結果の回答期限", "verification answer due"),
            K::SetPublicationDate => Text::new("公表日を決める", "set the publication date"),
            K::DecideDateChange(_) => {
                Text::new("公表日の変更依頼に答える", "decide the date change request")
            }
            K::StatusReportDue(_) => Text::new("対応状況の報告期限", "status report due"),
            K::PublicationApproaching => Text::new("公表日が近い", "publication date approaching"),
            K::PublishNow => Text::new("公表日になった", "publication date reached"),
            K::NotifyOperator => Text::new("運営者に通知する", "notify the operator"),
            K::OperatorAnswerDue => Text::new("運営者の回答期限", "operator's answer due"),
            K::SendDetails => Text::new("詳細を送る", "send the details"),
            K::OperatorResultDue => Text::new("運営者の対応結果の期限", "operator's result due"),
            K::PublishLeakFacts => Text::new(
                "個人情報漏えいの事実公表を促す",
                "prompt publishing the leak facts",
            ),
        }
    }

    /// The developer the reminder is about, if any.
    pub fn developer(&self) -> Option<&DeveloperId> {
        use ReminderKind as K;
        match self {
            K::NotifyDeveloper(d)
            | K::VerificationDue(d)
            | K::DecideDateChange(d)
            | K::StatusReportDue(d) => Some(d),
            _ => None,
        }
    }

    /// The text with the developer named, e.g. `検証結果の回答期限: acme`.
    pub fn describe(&self, lang: Lang) -> String {
        match self.developer() {
            Some(d) => format!("{}: {d}", self.text().get(lang)),
            None => self.text().get(lang).to_string(),
        }
    }
}

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    /// Who is reminded.
    pub to: Party,
    /// Of what.
    pub kind: ReminderKind,
    /// The deadline (shown in JST).
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// The clause behind the deadline.
    pub clause: Clause,
}

impl Reminder {
    /// Which deadline this is, stable across sweeps, so that a reminder is sent once
    /// (`schedule` module docs): party, kind and deadline. The "at once" reminders
    /// (notify a developer, set the publication date, send the details) are dated `now`
    /// on every sweep; each ends for good once acted on, so party and kind name them.
    pub fn once_key(&self) -> String {
        let to = serde_json::to_string(&self.to).unwrap_or_default();
        let kind = serde_json::to_string(&self.kind).unwrap_or_default();
        match self.kind {
            ReminderKind::NotifyDeveloper(_)
            | ReminderKind::SetPublicationDate
            | ReminderKind::SendDetails => format!("{to}|{kind}"),
            _ => format!("{to}|{kind}|{}", self.due_at.unix_timestamp()),
        }
    }
}

/// Everything due on `case` at `now`.
pub fn due(case: &SoftwareCase, policy: &ReminderPolicy, now: OffsetDateTime) -> Vec<Reminder> {
    let mut out = Vec::new();
    let mut push = |to: Party, kind: ReminderKind, due_at: OffsetDateTime, clause: Clause| {
        out.push(Reminder {
            to,
            kind,
            due_at,
            clause,
        });
    };
    match case.stage {
        Stage::Submitted => {
            let d = case.submitted_at + policy.receiving_within;
            if now >= d - policy.receiving_within / 2 {
                push(
                    Party::ReceivingBody,
                    ReminderKind::DecideAcceptance,
                    d,
                    Clause::SwReceiving1,
                );
            }
        }
        Stage::Accepted => {
            let since = case
                .history
                .iter()
                .rev()
                .find(|h| h.command == Command::Accept)
                .map_or(case.submitted_at, |h| h.at);
            let d = since + policy.receiving_within;
            if now >= d - policy.receiving_within / 2 {
                push(
                    Party::ReceivingBody,
                    ReminderKind::HandOver,
                    d,
                    Clause::SwReceiving2,
                );
            }
        }
        Stage::Coordinating => {
            let date = case.publication_date();
            for t in case.developers.values() {
                let id = &t.developer;
                match t.status {
                    DeveloperStatus::NotContacted => {
                        push(
                            Party::Coordinator,
                            ReminderKind::NotifyDeveloper(id.clone()),
                            now,
                            Clause::SwCoordinator2,
                        );
                    }
                    DeveloperStatus::Notified
                    | DeveloperStatus::Acknowledged
                    | DeveloperStatus::Investigating => {
                        let d = t.notified_at.unwrap_or(now) + policy.answer_within;
                        if now >= d {
                            let dev = Party::Developer(id.clone());
                            push(
                                dev,
                                ReminderKind::VerificationDue(id.clone()),
                                d,
                                Clause::SwDeveloper2,
                            );
                            push(
                                Party::Coordinator,
                                ReminderKind::VerificationDue(id.clone()),
                                d,
                                Clause::SwDeveloper2,
                            );
                        }
                    }
                    _ => {}
                }
                if let Some(date) = date
                    && t.status.was_notified()
                    && t.status_report.is_none()
                    && t.countermeasures.is_empty()
                    && t.status != DeveloperStatus::NotAffected
                    && now >= date - policy.status_before_date
                    && now < date
                {
                    push(
                        Party::Developer(id.clone()),
                        ReminderKind::StatusReportDue(id.clone()),
                        date,
                        Clause::SwCoordinator5,
                    );
                }
            }
            for r in case.date_changes.iter().filter(|r| r.accepted.is_none()) {
                let d = date.unwrap_or(r.at).min(r.at + policy.receiving_within);
                push(
                    Party::Coordinator,
                    ReminderKind::DecideDateChange(r.developer.clone()),
                    d,
                    Clause::SwCoordinator4,
                );
            }
            match date {
                None => {
                    let start = case.start_date.unwrap_or(now);
                    let any_answer = case
                        .developers
                        .values()
                        .any(|t| t.status.has_verification());
                    let notified = case.notified_developers().next().is_some();
                    if notified && (any_answer || now >= start + policy.answer_within) {
                        push(
                            Party::Coordinator,
                            ReminderKind::SetPublicationDate,
                            now,
                            Clause::SwCoordinator3,
                        );
                    }
                }
                Some(date) if now >= date => {
                    push(
                        Party::Coordinator,
                        ReminderKind::PublishNow,
                        date,
                        Clause::SwCoordinator6,
                    );
                    push(
                        Party::ReceivingBody,
                        ReminderKind::PublishNow,
                        date,
                        Clause::SwReceiving7,
                    );
                }
                Some(date) if now >= date - Duration::days(1) => {
                    for t in case.notified_developers() {
                        let to = Party::Developer(t.developer.clone());
                        push(
                            to,
                            ReminderKind::PublicationApproaching,
                            date,
                            Clause::SwDeveloper4,
                        );
                    }
                    push(
                        Party::ReceivingBody,
                        ReminderKind::PublicationApproaching,
                        date,
                        Clause::SwReceiving7,
                    );
                }
                Some(_) => {}
            }
        }
        _ => {}
    }
    out
}
