//! # mamori-core
//!
//! The domain core shared by every Mamori component: the legal vocabulary of the
//! Unauthorized Access Act (不正アクセス禁止法) as a taxonomy, severities, and
//! bilingual (Japanese first, English) texts.
//!
//! Architecture invariant: this crate does no I/O and knows neither HTTP nor SQL.
//!
//! ```
//! use mamori_core::{ActCategory, Lang};
//! let c = ActCategory::IdentifierMisuse;
//! assert_eq!(c.label(Lang::Ja), "識別符号窃用型");
//! assert_eq!(c.label(Lang::En), "identification-code misuse");
//! ```

mod i18n;
mod taxonomy;

pub use i18n::{Lang, Text};
pub use taxonomy::{ActCategory, Severity};
