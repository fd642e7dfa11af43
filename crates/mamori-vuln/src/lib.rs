//! # mamori-vuln
//!
//! Vulnerability coordination exactly per the handling standard
//! (ソフトウェア等脆弱性関連情報取扱基準, METI notice No. 235 of 2004; ), as a pure
//! domain core with no I/O:
//!
//! - [`report`] — a discoverer's report, its required items and completeness
//!   (Ⅴ 一 1.(2), Ⅵ 1.(2)), the identity consent (Ⅴ 一 2.(4)) and the stop grounds
//!   (Ⅴ 一 2.(2), Ⅵ 2.(2)).
//! - [`roster`] — the developer list (名簿, Ⅴ 一 3.(1)).
//! - [`developer`] — one developer on one case: explicit status, statement,
//!   countermeasures; silence is never "not affected".
//! - [`software`] — the product flows Ⅴ 一 and Ⅴ 二 as a command-driven case.
//! - [`schedule`] — reminders before deadlines (a pure function of the case and now).
//! - [`digest`] — notices and reminders folded into one digest per person.
//! - [`visibility`] — confidentiality as one rule function, [`may_see`].
//! - [`website`] — the website flow Ⅵ with staged disclosure to the operator.
//! - [`advisory`](mod@advisory), [`csaf`], [`cve`] — the JVN-style advisory, CSAF 2.0 and CVE JSON 5.1.
//! - [`cvss`](mod@cvss) — CVSS 3.1 and 4.0 base vectors with their scores (RustSec's `cvss` crate).
//! - [`stats`] — counts for the receiving body's statistics (Ⅴ 一 2.(8)).
//!
//! Every transition returns `Result<_, VulnError>`; an error names the clause it upholds
//! ([`VulnError::clause`]), and each applied command leaves a history entry with the
//! clause it carried out ([`Clause`]).
//!
//! Architecture invariant: this crate does no I/O, reads no clock (every command carries
//! its time) and knows neither HTTP nor SQL. See `docs/vuln-handling.md` for the clause map.

pub mod advisory;
pub mod clause;
pub mod csaf;
pub mod cve;
pub mod cvss;
pub mod developer;
pub mod digest;
mod error;
pub mod jst;
pub mod party;
pub mod report;
pub mod roster;
pub mod schedule;
pub mod software;
pub mod stats;
pub mod visibility;
pub mod website;

pub use advisory::{
    Advisory, AdvisoryText, PublishedResult, advisory, advisory_for, public_advisory,
};
pub use clause::Clause;
pub use cvss::{CvssError, CvssV3, CvssV4, Severity};
pub use developer::{Countermeasure, CountermeasureKind, DeveloperStatus, Novelty, Reply};
pub use error::VulnError;
pub use party::{DeveloperId, Party};
pub use report::{
    Discoverer, Discovery, IdentityConsent, Report, ReportItem, StopReason, Target,
    VulnerabilityInfo,
};
pub use roster::{Developer, Registration, Roster};
pub use schedule::{Reminder, ReminderKind, ReminderPolicy, due};
pub use software::{CancelGround, Command, DateBasis, Flow, LeakRisk, SoftwareCase, Stage};
pub use visibility::{Field, may_see};
pub use website::{Disclosure, WebCommand, WebField, WebStage, WebsiteCase, may_see_web};
