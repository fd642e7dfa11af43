//! Statistics (R-1.1, R-1.5, R-1.6, R-3.8): one honest count of unauthorized access
//! across the bodies, anonymized before it is published. Pure: no I/O.
//!
//! - [`Unit`] — the units, defined once and printed on every figure: 届出・報告, 事案,
//!   調整, 認知件数, 検挙件数, 検挙事件数, affected accounts. Figures in different units
//!   are never added.
//! - [`StatRecord`] — the case-level record, parsed from JSON Lines or CSV by
//!   [`parse_records`] (every rejected row named by line and field).
//! - [`dedup`] — links between records of one incident at several bodies (referral,
//!   reporter, indicators), certain or for review; [`Incidents`] joins the applied ones.
//! - [`aggregate()`] — records into [`Cell`]s by year, month, [`Dim`], value and unit.
//! - [`anonymize`] — k-anonymity: primary and secondary suppression.
//! - [`yearly_report`] — the publishable [`YearlyReport`]; [`render`] prints it as text
//!   or CSV; [`effect()`] the before/after trend of a measure; [`period`] months,
//!   quarters and era years (平成/令和).
//!
//! ```
//! use mamori_core::guideline::Body;
//! use mamori_core::stats::*;
//!
//! let mut a = StatRecord::new("p-1", Body::Police, Day::new(2010, 3, 1).unwrap());
//! a.recognized = true;
//! let mut b = StatRecord::new("i-1", Body::Ipa, Day::new(2010, 3, 2).unwrap());
//! b.referred_from = Some("p-1".into());
//! let records = vec![a, b];
//! let links = dedup::find_links(&records, &dedup::DedupConfig::default());
//! assert_eq!(links[0].reason, dedup::LinkReason::Referral);
//! let inc = Incidents::new(&records, links.iter().map(|l| (l.a.as_str(), l.b.as_str())));
//! let cells = aggregate(&records, &inc);
//! let report = yearly_report(&cells, 2010, 0, Vec::new());
//! assert_eq!(report.figure(Unit::Reports).unwrap().count, Some(2));
//! assert_eq!(report.figure(Unit::Incidents).unwrap().count, Some(1));
//! assert_eq!(report.year_label.ja, "2010年（平成22年）");
//! ```

mod aggregate;
pub mod anonymize;
pub mod dedup;
mod effect;
mod external;
pub mod period;
mod prefecture;
mod record;
pub mod render;
mod report;
mod unit;

pub use aggregate::{Cell, Dim, UNSPECIFIED, aggregate, record_values, sum_by};
pub use dedup::Incidents;
pub use effect::{Effect, EffectMonth, Measure, effect};
pub use external::{EXTERNAL_HEADER, ExternalCount, parse_external};
pub use prefecture::Prefecture;
pub use record::{
    Day, FIELDS, Format, Parsed, Problem, RowError, StatRecord, field_docs, parse_records,
};
pub use report::{
    Column, Figure, Label, REPORT_DIMS, Row, TABLE_UNITS, TREND_UNITS, Table, TrendYear,
    YearlyReport, dim_codes, share_pct, yearly_report,
};
pub use unit::Unit;
