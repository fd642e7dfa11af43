//! Report counts by status for the receiving body's periodic publication of the report
//! situation (届出状況等の公表, Ⅴ 一 2.(8), Ⅵ 2.(7)). Counts only: no case content.

use crate::software::SoftwareCase;
use crate::website::WebsiteCase;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts of cases by stage name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Statistics {
    /// Software-product cases (Ⅴ) by stage.
    pub software: BTreeMap<String, usize>,
    /// Website cases (Ⅵ) by stage.
    pub website: BTreeMap<String, usize>,
}

/// Tallies cases by stage.
pub fn statistics<'a>(
    software: impl IntoIterator<Item = &'a SoftwareCase>,
    website: impl IntoIterator<Item = &'a WebsiteCase>,
) -> Statistics {
    let mut s = Statistics::default();
    for c in software {
        *s.software.entry(c.stage.name().to_string()).or_default() += 1;
    }
    for c in website {
        *s.website.entry(c.stage.name().to_string()).or_default() += 1;
    }
    s
}
