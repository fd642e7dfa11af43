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
