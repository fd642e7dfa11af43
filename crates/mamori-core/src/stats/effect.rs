//! Effectiveness verification: a measure, its start month and the categories it
//! targets give the monthly trend of those categories before and after the start.

use super::Unit;
use super::aggregate::{Cell, Dim};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A measure to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// Its name (e.g. `フィッシング対策の注意喚起`).
    pub name: String,
    /// The first month it applied: (year, month).
    pub start: (i32, u8),
    /// The dimension of the targeted categories.
    pub dim: Dim,
    /// The targeted value codes.
    pub values: Vec<String>,
    /// The unit counted.
    pub unit: Unit,
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectMonth {
    /// Year.
    pub year: i32,
    /// Month.
    pub month: u8,
    /// Count of the targeted categories; `None` suppressed (under k).
    pub count: Option<u64>,
    /// Whether the measure applied in this month.
    pub after: bool,
}

/// The before/after trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// The measure.
    pub measure: Measure,
    /// `months` months before the start and `months` from it on.
    pub trend: Vec<EffectMonth>,
    /// Mean per month before (over every month, suppressed ones included).
    pub mean_before: f64,
    /// Mean per month from the start on.
    pub mean_after: f64,
    /// `mean_after / mean_before − 1`, when there was anything before.
    pub relative_change: Option<f64>,
}

fn shift(y: i32, m: u8, by: i32) -> (i32, u8) {
    let idx = y * 12 + i32::from(m) - 1 + by;
    (
        idx.div_euclid(12),
        u8::try_from(idx.rem_euclid(12) + 1).unwrap_or(1),
    )
}

/// The trend of `measure`'s categories over `months` months before and after its start.
/// A case under several targeted values counts once per value.
pub fn effect(cells: &[Cell], measure: &Measure, months: u8, k: u64) -> Effect {
    let mut by_month: HashMap<(i32, u8), u64> = HashMap::new();
    for c in cells {
        if c.dim == measure.dim && c.unit == measure.unit && measure.values.contains(&c.value) {
            *by_month.entry((c.year, c.month)).or_default() += c.count;
        }
    }
    let (sy, sm) = measure.start;
    let n = i32::from(months);
    let mut trend = Vec::new();
    let (mut before, mut after) = (0u64, 0u64);
    for i in -n..n {
        let (y, m) = shift(sy, sm, i);
        let v = by_month.get(&(y, m)).copied().unwrap_or(0);
        if i < 0 {
            before += v;
        } else {
            after += v;
        }
        trend.push(EffectMonth {
            year: y,
            month: m,
            count: (v == 0 || v >= k).then_some(v),
            after: i >= 0,
        });
    }
    let div = f64::from(months.max(1));
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let (mean_before, mean_after) = (before as f64 / div, after as f64 / div);
    Effect {
        measure: measure.clone(),
        trend,
        mean_before,
        mean_after,
        relative_change: (mean_before > 0.0).then(|| mean_after / mean_before - 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_shift_across_years() {
        assert_eq!(shift(2010, 1, -1), (2009, 12));
        assert_eq!(shift(2010, 12, 1), (2011, 1));
        assert_eq!(shift(2010, 6, -18), (2008, 12));
    }
}
