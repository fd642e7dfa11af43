//! # mamori-core
//!
//! The domain core shared by every Mamori component, with no I/O:
//!
//! - [`taxonomy`] — the unified taxonomy (R-1.4, version [`taxonomy::TAXONOMY_VERSION`]):
//!   the acts of the Unauthorized Access Act (不正アクセス禁止法), 手口, what was done after
//!   the access, damage, motive, sector, access-administrator type and 端緒, with the
//!   mappings to JPCERT/CC's report categories and ENISA RSIT as data; and the scan
//!   vocabulary ([`ActCategory`], [`Severity`]).
//! - [`intake`] — the questionnaire a victim answers in plain words, [`intake::classify`]
//!   onto the taxonomy, and [`intake::prefill_from_scan`] from `mamori scan --format json`.
//! - [`guideline`] — the reporting guideline (通報指針, R-1.2): which of the police, IPA and
//!   JPCERT/CC fit and why, the few urgent cases, what to prepare (R-2.4) and what to preserve
//!   (R-4.7); and the case-work vocabulary (not-accepted reasons, outcomes, closing checklists).
//! - [`stats`] — statistics across the bodies (R-1.1, R-1.5): units defined once,
//!   case-level records, de-duplication, aggregation, k-anonymity and the yearly report.
//! - bilingual texts ([`Text`], [`Lang`]): Japanese first, English.
//!
//! Architecture invariant: this crate does no I/O and knows neither HTTP nor SQL.
//!
//! ```
//! use mamori_core::{ActCategory, Lang};
//! use mamori_core::guideline::{advise, Body, Fit};
//! use mamori_core::intake::{classify, Answers};
//! use mamori_core::taxonomy::{jpcert_categories, Act};
//!
//! let c = ActCategory::IdentifierMisuse;
//! assert_eq!(c.label(Lang::Ja), "識別符号窃用型");
//!
//! let mut a = Answers::default();
//! a.set("what_happened", vec!["phishing_site".into()]);
//! a.set("ongoing", vec!["phishing_site_up".into()]);
//! assert!(a.validate().is_ok());
//! let case = classify(&a);
//! assert_eq!(case.acts, vec![Act::CodeInputRequest]);
//! assert_eq!(jpcert_categories(&case), vec!["phishing_site"]);
//! let g = advise(&a);
//! assert_eq!(g.bodies[2].body, Body::JpcertCc);
//! assert_eq!(g.bodies[2].fit, Fit::Recommended);
//! ```

mod dimension;
mod docs;
mod escape;
pub mod guideline;
mod i18n;
pub mod intake;
pub mod jst;
pub mod portal;
pub mod stats;
pub mod taxonomy;

pub use docs::taxonomy_markdown;
pub use escape::{escape_controls, escape_lines};
pub use i18n::{Lang, Text};
pub use taxonomy::{ActCategory, Severity};
