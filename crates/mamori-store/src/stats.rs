//! Rows of the statistics (issue 13): the case-level records and the aggregate cells are
//! `mamori_core::stats` types; this adds what only storage knows about a link.

use crate::UserId;
pub use mamori_core::stats::dedup::{Link, LinkReason, LinkStatus};
use time::OffsetDateTime;

/// A de-duplication link as stored, with its decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    /// The two records and why.
    pub link: Link,
    /// Where it stands.
    pub status: LinkStatus,
    /// Who decided (reviewers; `None` for the rules and the console).
    pub decided_by: Option<UserId>,
    /// When it was last decided.
    pub decided_at: Option<OffsetDateTime>,
}
pub use mamori_core::stats::{
    Cell as StatCell, Dim as StatDim, ExternalCount, StatRecord, Unit as StatUnit,
};

/// A yearly report being published: the inputs the public report is computed from,
/// frozen (issue 13, Act Art. 7). They are aggregate cells and other organizations'
/// figures only: nothing that names a reporter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPublication {
    /// The report's year.
    pub year: i32,
    /// k of the k-anonymity applied.
    pub k: u64,
    /// The cells the report read.
    pub cells: Vec<StatCell>,
    /// The external figures it showed.
    pub external: Vec<ExternalCount>,
    /// Who published (a body's supervisor).
    pub by: UserId,
    /// When.
    pub at: OffsetDateTime,
}

/// A publication as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationInfo {
    /// Its id.
    pub id: i64,
    /// The report's year.
    pub year: i32,
    /// k applied.
    pub k: u64,
    /// Who published.
    pub by: UserId,
    /// When.
    pub at: OffsetDateTime,
}

/// A publication with its frozen inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// What is listed.
    pub info: PublicationInfo,
    /// Revision number of its year (1 for the first publication).
    pub revision: u32,
    /// The cells.
    pub cells: Vec<StatCell>,
    /// The external figures.
    pub external: Vec<ExternalCount>,
}
