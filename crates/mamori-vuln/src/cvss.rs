//! CVSS 3.1 and 4.0 **base** vectors for an advisory, parsed and scored by the RustSec
//! [`cvss`](https://docs.rs/cvss) crate (no formula is written here).
//!
//! [`CvssV3`] and [`CvssV4`] can only hold a valid base vector: [`CvssV3::parse`] /
//! [`CvssV4::parse`] refuse anything else with a [`CvssError`] naming the bad metric, and
//! deserialising runs the same check. The severity words on the pages are JVN's
//! ([`Severity::text`]: 緊急 / 重要 / 警告 / 注意).
//!
//! Only the base metric group is accepted: an advisory publishes the base score (as JVN
//! does); temporal/threat and environmental metrics belong to each user's own assessment.
//! CVSS 3.0 is refused (3.1 replaced it; the CVE and CSAF outputs name 3.1).
//!
//! ```
//! use mamori_vuln::cvss::{CvssV3, Severity};
//! let v = CvssV3::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
//! assert_eq!(v.severity(), Severity::Critical);
//! assert!(CvssV3::parse("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
//!     .unwrap_err()
//!     .to_string()
//!     .contains("AV (Attack Vector)"));
//! ```

use cvss::v3::MetricType as M3;
use cvss::v4::MetricType as M4;
use mamori_core::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The qualitative severity of a base score (CVSS 3.1 §5 and 4.0 §6 use the same scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// 0.0.
    None,
    /// 0.1–3.9.
    Low,
    /// 4.0–6.9.
    Medium,
    /// 7.0–8.9.
    High,
    /// 9.0–10.0.
    Critical,
}

impl Severity {
    fn of(s: cvss::Severity) -> Severity {
        match s {
            cvss::Severity::None => Severity::None,
            cvss::Severity::Low => Severity::Low,
            cvss::Severity::Medium => Severity::Medium,
            cvss::Severity::High => Severity::High,
            cvss::Severity::Critical => Severity::Critical,
        }
    }

    /// The words on the page: JVN's 深刻度 in Japanese, the specification's in English.
    pub fn text(self) -> Text {
        match self {
            Severity::None => Text::new("なし", "None"),
            Severity::Low => Text::new("注意", "Low"),
            Severity::Medium => Text::new("警告", "Medium"),
            Severity::High => Text::new("重要", "High"),
            Severity::Critical => Text::new("緊急", "Critical"),
        }
    }

    /// The form CVE JSON and CSAF use: `NONE`, `LOW`, `MEDIUM`, `HIGH`, `CRITICAL`.
    pub fn upper(self) -> &'static str {
        match self {
            Severity::None => "NONE",
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// Why a vector was refused; every variant that concerns one metric names it with its
/// abbreviation and full name, e.g. `AV (Attack Vector)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    /// The vector does not start with the expected prefix and version.
    #[error("a CVSS {expected} vector starts with `CVSS:{expected}/`; got `{found}`")]
    Version {
        /// `3.1` or `4.0`.
        expected: &'static str,
        /// What was given instead.
        found: String,
    },
    /// A part is not `METRIC:VALUE`.
    #[error("`{part}` is not METRIC:VALUE")]
    Syntax {
        /// The part.
        part: String,
    },
    /// No such metric in this version.
    #[error("unknown metric `{name}`")]
    UnknownMetric {
        /// The name given.
        name: String,
    },
    /// The metric has no such value.
    #[error("invalid value `{value}` for {metric}")]
    InvalidValue {
        /// The metric, e.g. `AV (Attack Vector)`.
        metric: String,
        /// The value given.
        value: String,
    },
    /// The metric is given twice.
    #[error("{metric} is given twice")]
    Duplicate {
        /// The metric.
        metric: String,
    },
    /// A base metric is missing.
    #[error("the base metric {metric} is missing")]
    Missing {
        /// The metric.
        metric: String,
    },
    /// A metric outside the base group.
    #[error("{metric} is not a base metric; an advisory gives the base vector only")]
    NotBase {
        /// The metric.
        metric: String,
    },
}

impl CvssError {
    /// A stable code for the translated message.
    pub fn code(&self) -> &'static str {
        match self {
            CvssError::Version { .. } => "E-CVSS-VERSION",
            CvssError::Syntax { .. } => "E-CVSS-SYNTAX",
            CvssError::UnknownMetric { .. } => "E-CVSS-UNKNOWN-METRIC",
            CvssError::InvalidValue { .. } => "E-CVSS-VALUE",
            CvssError::Duplicate { .. } => "E-CVSS-DUPLICATE",
            CvssError::Missing { .. } => "E-CVSS-MISSING",
            CvssError::NotBase { .. } => "E-CVSS-NOT-BASE",
        }
    }

    /// The message in `lang` (English is the `Display` form).
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ja => match self {
                CvssError::Version { expected, found } => format!(
                    "CVSS {expected} のベクトルは `CVSS:{expected}/` で始まります（入力: `{found}`）"
                ),
                CvssError::Syntax { part } => {
                    format!("`{part}` は「評価項目:値」の形ではありません")
                }
                CvssError::UnknownMetric { name } => format!("評価項目 `{name}` はありません"),
                CvssError::InvalidValue { metric, value } => {
                    format!("{metric} の値 `{value}` は無効です")
                }
                CvssError::Duplicate { metric } => format!("{metric} が二度指定されています"),
                CvssError::Missing { metric } => format!("基本評価項目 {metric} がありません"),
                CvssError::NotBase { metric } => format!(
                    "{metric} は基本評価項目ではありません（公表文には基本値のベクトルのみ書きます）"
                ),
            },
        }
    }
}

fn m3(m: M3) -> String {
    format!("{} ({})", m.name(), m.description())
}

fn m4(m: M4) -> String {
    format!("{} ({})", m.name(), m.description())
}

/// Splits `CVSS:x.y/...` into its version and `(metric, value)` parts, refusing the shapes
/// the crate would only report vaguely.
fn split<'a>(s: &'a str, expected: &'static str) -> Result<Vec<(&'a str, &'a str)>, CvssError> {
    let mut parts = s.split('/');
    let head = parts.next().unwrap_or("");
    if head != format!("CVSS:{expected}") {
        return Err(CvssError::Version {
            expected,
            found: head.to_string(),
        });
    }
    parts
        .map(|p| match p.split_once(':') {
            Some((m, v)) if !m.is_empty() && !v.is_empty() && !v.contains(':') => Ok((m, v)),
            _ => Err(CvssError::Syntax {
                part: p.to_string(),
            }),
        })
        .collect()
}

const BASE_V3: [M3; 8] = [M3::AV, M3::AC, M3::PR, M3::UI, M3::S, M3::C, M3::I, M3::A];

const BASE_V4: [M4; 11] = [
    M4::AV,
    M4::AC,
    M4::AT,
    M4::PR,
    M4::UI,
    M4::VC,
    M4::VI,
    M4::VA,
    M4::SC,
    M4::SI,
    M4::SA,
];

/// A CVSS 3.1 base vector (always valid; kept in the specification's metric order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CvssV3(cvss::v3::Vector);

impl CvssV3 {
    /// Parses a `CVSS:3.1/AV:…/AC:…/PR:…/UI:…/S:…/C:…/I:…/A:…` base vector (metrics in any
    /// order; surrounding spaces ignored).
    pub fn parse(s: &str) -> Result<CvssV3, CvssError> {
        let s = s.trim();
        let parts = split(s, "3.1")?;
        let mut seen = Vec::new();
        for (name, value) in &parts {
            let m =
                M3::from_str(&name.to_ascii_uppercase()).map_err(|_| CvssError::UnknownMetric {
                    name: (*name).to_string(),
                })?;
            if !BASE_V3.contains(&m) {
                return Err(CvssError::NotBase { metric: m3(m) });
            }
            if seen.contains(&m) {
                return Err(CvssError::Duplicate { metric: m3(m) });
            }
            seen.push(m);
            // Each value on its own, so the error names this metric.
            cvss::v3::Vector::from_str(&format!("CVSS:3.1/{name}:{value}")).map_err(|_| {
                CvssError::InvalidValue {
                    metric: m3(m),
                    value: (*value).to_string(),
                }
            })?;
        }
        if let Some(m) = BASE_V3.iter().find(|m| !seen.contains(m)) {
            return Err(CvssError::Missing { metric: m3(*m) });
        }
        let v = cvss::v3::Vector::from_str(s).map_err(|e| CvssError::Syntax {
            part: e.to_string(),
        })?;
        Ok(CvssV3(v))
    }

    /// The vector in the specification's order, e.g. `CVSS:3.1/AV:N/AC:L/…`.
    pub fn vector(&self) -> String {
        self.0.to_string()
    }

    /// The base score, 0.0–10.0 with one decimal (the specification's Roundup).
    pub fn base_score(&self) -> f64 {
        self.0.base_score().value()
    }

    /// The severity of the base score.
    pub fn severity(&self) -> Severity {
        Severity::of(self.0.base_score().severity())
    }
}

impl fmt::Display for CvssV3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl TryFrom<String> for CvssV3 {
    type Error = CvssError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CvssV3::parse(&s)
    }
}

impl From<CvssV3> for String {
    fn from(v: CvssV3) -> String {
        v.vector()
    }
}

/// A CVSS 4.0 base vector (always valid; kept in the specification's metric order). Its
/// score is CVSS-B (base metrics only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CvssV4(cvss::v4::Vector);

impl CvssV4 {
    /// Parses a `CVSS:4.0/AV:…/AC:…/AT:…/PR:…/UI:…/VC:…/VI:…/VA:…/SC:…/SI:…/SA:…` base
    /// vector (metrics in any order; surrounding spaces ignored).
    pub fn parse(s: &str) -> Result<CvssV4, CvssError> {
        let s = s.trim();
        let parts = split(s, "4.0")?;
        let mut seen = Vec::new();
        // A complete base vector to try one value in, so the error names that metric.
        let probe = "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N";
        for (name, value) in &parts {
            let m =
                M4::from_str(&name.to_ascii_uppercase()).map_err(|_| CvssError::UnknownMetric {
                    name: (*name).to_string(),
                })?;
            if !BASE_V4.contains(&m) {
                return Err(CvssError::NotBase { metric: m4(m) });
            }
            if seen.contains(&m) {
                return Err(CvssError::Duplicate { metric: m4(m) });
            }
            seen.push(m);
            let others: Vec<&str> = probe
                .split('/')
                .filter(|p| !p.starts_with(&format!("{}:", m.name())))
                .collect();
            let one = format!("CVSS:4.0/{}/{name}:{value}", others.join("/"));
            cvss::v4::Vector::from_str(&one).map_err(|_| CvssError::InvalidValue {
                metric: m4(m),
                value: (*value).to_string(),
            })?;
        }
        if let Some(m) = BASE_V4.iter().find(|m| !seen.contains(m)) {
            return Err(CvssError::Missing { metric: m4(*m) });
        }
        let v = cvss::v4::Vector::from_str(s).map_err(|e| CvssError::Syntax {
            part: e.to_string(),
        })?;
        Ok(CvssV4(v))
    }

    /// The vector in the specification's order, e.g. `CVSS:4.0/AV:N/AC:L/AT:N/…`.
    pub fn vector(&self) -> String {
        self.0.to_string()
    }

    /// The CVSS-B score, 0.0–10.0 with one decimal.
    pub fn base_score(&self) -> f64 {
        self.0.score().value()
    }

    /// The severity of the score.
    pub fn severity(&self) -> Severity {
        Severity::of(self.0.score().severity())
    }
}

impl fmt::Display for CvssV4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl TryFrom<String> for CvssV4 {
    type Error = CvssError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CvssV4::parse(&s)
    }
}

impl From<CvssV4> for String {
    fn from(v: CvssV4) -> String {
        v.vector()
    }
}

/// Formats a score the way the specifications print it: one decimal (`9.8`, `0.0`).
pub fn score_text(score: f64) -> String {
    format!("{score:.1}")
}
