//! The one error type: every refusal names the clause of the standard it upholds.

use crate::clause::Clause;
use crate::developer::DeveloperStatus;
use crate::party::{DeveloperId, Party};
use crate::report::ReportItem;
use time::OffsetDateTime;

/// A command the standard does not allow, with the clause that says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VulnError {
    /// The report lacks items the standard requires.
    #[error("{clause}: the report lacks required items: {}", list(.missing))]
    Incomplete {
        /// The clause listing the items.
        clause: Clause,
        /// What is missing.
        missing: Vec<ReportItem>,
    },
    /// The action does not fit the case's stage.
    #[error("{clause}: cannot {action} while the case is {stage}")]
    WrongStage {
        /// The clause that orders the flow.
        clause: Clause,
        /// What was tried.
        action: &'static str,
        /// The stage the case is in.
        stage: &'static str,
    },
    /// This party may not do this.
    #[error("{clause}: {party} may not {action}")]
    NotPermitted {
        /// The clause that gives the action to another party.
        clause: Clause,
        /// Who tried.
        party: Party,
        /// What was tried.
        action: &'static str,
    },
    /// The developer is not on the case (or not on the developer list).
    #[error("{clause}: developer {developer} is not on this case or the developer list")]
    UnknownDeveloper {
        /// The clause.
        clause: Clause,
        /// The developer.
        developer: DeveloperId,
    },
    /// A developer's status cannot change this way.
    #[error("{clause}: developer {developer} cannot go from {} to {}", .from.text().en, .to.text().en)]
    DeveloperTransition {
        /// The clause.
        clause: Clause,
        /// The developer.
        developer: DeveloperId,
        /// Its status now.
        from: DeveloperStatus,
        /// The status asked for.
        to: DeveloperStatus,
    },
    /// Publication was tried before the publication date.
    #[error("{clause}: not before the publication date {}", jst(.date))]
    BeforePublicationDate {
        /// The clause.
        clause: Clause,
        /// The publication date.
        date: OffsetDateTime,
    },
    /// Cancellation needs every developer's explicit answer; these have not given it.
    #[error("{clause}: not every developer has answered so; pending: {}", list(.pending))]
    AnswersPending {
        /// The clause.
        clause: Clause,
        /// Developers without the required answer (silence is never an answer).
        pending: Vec<DeveloperId>,
    },
    /// A condition of the clause is not met.
    #[error("{clause}: {what}")]
    Condition {
        /// The clause.
        clause: Clause,
        /// What is missing, in English (the code gives the translated text).
        what: &'static str,
    },
}

fn jst(at: &OffsetDateTime) -> String {
    crate::jst::format_jst(*at)
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl VulnError {
    /// The clause of the standard this error upholds.
    pub fn clause(&self) -> Clause {
        match self {
            VulnError::Incomplete { clause, .. }
            | VulnError::WrongStage { clause, .. }
            | VulnError::NotPermitted { clause, .. }
            | VulnError::UnknownDeveloper { clause, .. }
            | VulnError::DeveloperTransition { clause, .. }
            | VulnError::BeforePublicationDate { clause, .. }
            | VulnError::AnswersPending { clause, .. }
            | VulnError::Condition { clause, .. } => *clause,
        }
    }

    /// A stable code for the user-facing text (the web layer looks texts up by it).
    pub fn code(&self) -> &'static str {
        match self {
            VulnError::Incomplete { .. } => "E-VULN-INCOMPLETE",
            VulnError::WrongStage { .. } => "E-VULN-STAGE",
            VulnError::NotPermitted { .. } => "E-VULN-PARTY",
            VulnError::UnknownDeveloper { .. } => "E-VULN-DEVELOPER",
            VulnError::DeveloperTransition { .. } => "E-VULN-DEVELOPER-STATUS",
            VulnError::BeforePublicationDate { .. } => "E-VULN-EMBARGO",
            VulnError::AnswersPending { .. } => "E-VULN-ANSWERS-PENDING",
            VulnError::Condition { .. } => "E-VULN-CONDITION",
        }
    }
}
