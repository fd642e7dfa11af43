//! The yearly report (Act Art. 7) built from cells: headline figures per unit with the
//! change on the year before, the trend over years, quarters, and one table per
//! dimension with counts, changes and shares per unit. Suppression ([`super::anonymize`])
//! is applied here, so a [`YearlyReport`] is what may be published: it holds counts and
//! labels only, never a record, a reporter or free text.

use super::aggregate::{Cell, Dim, UNSPECIFIED};
use super::anonymize::suppress_line;
use super::external::ExternalCount;
use super::period::{quarter_of, year_label};
use super::{Prefecture, Unit};
use crate::guideline::Body;
use crate::taxonomy::{
    self, Act, AdminType, AfterAccess, Damage, Discovery, Method, Motive, Sector,
};
use crate::{Lang, Text};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// A label in both languages, owned (era years are computed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Label {
    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    fn year(y: i32) -> Label {
        Label {
            ja: year_label(y, Lang::Ja),
            en: year_label(y, Lang::En),
        }
    }
}

/// One headline figure. `None` counts are suppressed (under k).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Unit.
    pub unit: Unit,
    /// The unit's name.
    pub unit_label: Text,
    /// This year.
    pub count: Option<u64>,
    /// The year before.
    pub previous: Option<u64>,
    /// `count − previous`, when both are published.
    pub change: Option<i64>,
}

/// One year of the trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendYear {
    /// Western year.
    pub year: i32,
    /// With the era year.
    pub label: Label,
    /// Per unit (in [`TREND_UNITS`] order); `None` suppressed.
    pub counts: Vec<Option<u64>>,
}

/// The units of the trend and the quarter table.
pub const TREND_UNITS: &[Unit] = &[
    Unit::Incidents,
    Unit::Reports,
    Unit::Recognized,
    Unit::Cleared,
    Unit::ClearedCases,
];

/// The units of the dimension tables.
pub const TABLE_UNITS: &[Unit] = &[
    Unit::Incidents,
    Unit::Reports,
    Unit::Recognized,
    Unit::Cleared,
];

/// One row of a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Value code.
    pub code: String,
    /// Value label.
    pub label: Text,
    /// This year; `None` suppressed.
    pub count: Option<u64>,
    /// The year before; `None` suppressed.
    pub previous: Option<u64>,
    /// Change, when both are published.
    pub change: Option<i64>,
    /// Share of the column's total, whole per cent rounded half up.
    pub share_pct: Option<u64>,
}

/// One unit's column of a dimension table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Unit.
    pub unit: Unit,
    /// The unit's name.
    pub unit_label: Text,
    /// This year's total of the unit.
    pub total: Option<u64>,
    /// The year before.
    pub previous_total: Option<u64>,
    /// Rows, in the taxonomy's order.
    pub rows: Vec<Row>,
}

/// One dimension's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Dimension.
    pub dim: Dim,
    /// Its name.
    pub label: Text,
    /// Whether one case can count under several values (rows may add up to more than
    /// the total).
    pub multi_valued: bool,
    /// One column per unit with data.
    pub columns: Vec<Column>,
}

/// The yearly report: only what may be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearlyReport {
    /// Western year.
    pub year: i32,
    /// With the era year.
    pub year_label: Label,
    /// The year compared with.
    pub previous_year: i32,
    /// k of the k-anonymity applied.
    pub k: u64,
    /// Headline figures, one per unit.
    pub headline: Vec<Figure>,
    /// Units of `trend` and `quarters` counts.
    pub trend_units: Vec<Unit>,
    /// Every year with data, oldest first.
    pub trend: Vec<TrendYear>,
    /// Quarters of the year: the [`Unit`]s of `trend_units` (a periodic cut).
    pub quarters: Vec<TrendYear>,
    /// One table per dimension.
    pub tables: Vec<Table>,
    /// Other organizations' published figures, in their own units (never summed).
    pub external: Vec<ExternalCount>,
}

/// The dimensions of the report, in order.
pub const REPORT_DIMS: &[Dim] = &[
    Dim::Body,
    Dim::Act,
    Dim::Method,
    Dim::Motive,
    Dim::After,
    Dim::Damage,
    Dim::Sector,
    Dim::AdminType,
    Dim::Prefecture,
    Dim::Discovery,
    Dim::Jpcert,
    Dim::Rsit,
];

/// The value codes of a dimension in the taxonomy's order, `unspecified` last.
pub fn dim_codes(d: Dim) -> Vec<&'static str> {
    fn all<T: Copy>(v: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
        v.iter().map(|x| f(*x)).collect()
    }
    let mut out = match d {
        Dim::Total => vec![""],
        Dim::Body => all(Body::ALL, Body::code),
        Dim::Act => all(Act::ALL, Act::code),
        Dim::Method => all(Method::ALL, Method::code),
        Dim::Motive => all(Motive::ALL, Motive::code),
        Dim::After => all(AfterAccess::ALL, AfterAccess::code),
        Dim::Damage => all(Damage::ALL, Damage::code),
        Dim::Sector => all(Sector::ALL, Sector::code),
        Dim::AdminType => all(AdminType::ALL, AdminType::code),
        Dim::Prefecture => all(Prefecture::ALL, Prefecture::code),
        Dim::Discovery => all(Discovery::ALL, Discovery::code),
        Dim::Jpcert => taxonomy::jpcert_catalog()
            .into_iter()
            .map(|c| c.code.as_str())
            .collect(),
        Dim::Rsit => taxonomy::rsit_catalog()
            .into_iter()
            .map(|(_, k, _)| k)
            .collect(),
    };
    if d != Dim::Total {
        out.push(UNSPECIFIED);
    }
    out
}

/// `count * 100 / total`, rounded half up.
pub fn share_pct(count: u64, total: u64) -> Option<u64> {
    (total > 0).then(|| (count * 200 + total) / (2 * total))
}

fn hide_small(n: u64, k: u64) -> Option<u64> {
    (n == 0 || n >= k).then_some(n)
}

fn change(a: Option<u64>, b: Option<u64>) -> Option<i64> {
    let (a, b) = (i64::try_from(a?).ok()?, i64::try_from(b?).ok()?);
    Some(a - b)
}

/// Builds the report of `year` from every cell (all years: the trend needs them), with
/// k-anonymity `k` (0 or 1 publishes everything; [`super::anonymize::DEFAULT_K`] is 3).
pub fn yearly_report(
    cells: &[Cell],
    year: i32,
    k: u64,
    external: Vec<ExternalCount>,
) -> YearlyReport {
    let prev = year - 1;
    // (year, dim, value, unit) → count, and (year, quarter, unit) totals.
    let mut sums: HashMap<(i32, Dim, &str, Unit), u64> = HashMap::new();
    let mut quarters: HashMap<(u8, Unit), u64> = HashMap::new();
    let mut years: BTreeSet<i32> = BTreeSet::new();
    for c in cells {
        years.insert(c.year);
        if c.year == year || c.year == prev || c.dim == Dim::Total {
            *sums
                .entry((c.year, c.dim, c.value.as_str(), c.unit))
                .or_default() += c.count;
        }
        if c.year == year && c.dim == Dim::Total {
            *quarters.entry((quarter_of(c.month), c.unit)).or_default() += c.count;
        }
    }
    let total = |y: i32, u: Unit| sums.get(&(y, Dim::Total, "", u)).copied().unwrap_or(0);
    let headline = Unit::ALL
        .iter()
        .map(|&u| {
            let count = hide_small(total(year, u), k);
            let previous = hide_small(total(prev, u), k);
            Figure {
                unit: u,
                unit_label: u.text(),
                count,
                previous,
                change: change(count, previous),
            }
        })
        .collect();
    let trend = years
        .iter()
        .map(|&y| TrendYear {
            year: y,
            label: Label::year(y),
            counts: TREND_UNITS
                .iter()
                .map(|&u| hide_small(total(y, u), k))
                .collect(),
        })
        .collect();
    // Quarters: each unit's column adds up to the year's total.
    let mut qcols: Vec<Vec<Option<u64>>> = Vec::new();
    for &u in TREND_UNITS {
        let vals: Vec<u64> = (1..=4)
            .map(|q| quarters.get(&(q, u)).copied().unwrap_or(0))
            .collect();
        let (mask, _) = suppress_line(&vals, total(year, u), k);
        qcols.push(
            vals.iter()
                .zip(mask)
                .map(|(v, h)| (!h).then_some(*v))
                .collect(),
        );
    }
    let quarters = (1..=4u8)
        .map(|q| TrendYear {
            year,
            label: Label {
                ja: format!("{}第{q}四半期", year_label(year, Lang::Ja)),
                en: format!("Q{q} {}", year_label(year, Lang::En)),
            },
            counts: qcols.iter().map(|c| c[usize::from(q - 1)]).collect(),
        })
        .collect();
    let tables = REPORT_DIMS
        .iter()
        .filter_map(|&d| {
            let columns: Vec<Column> = TABLE_UNITS
                .iter()
                .filter(|&&u| total(year, u) > 0 || total(prev, u) > 0)
                .map(|&u| column(&sums, d, u, year, prev, k, total(year, u), total(prev, u)))
                .filter(|c| !c.rows.is_empty())
                .collect();
            (!columns.is_empty()).then(|| Table {
                dim: d,
                label: d.text(),
                multi_valued: !d.single_valued(),
                columns,
            })
        })
        .collect();
    YearlyReport {
        year,
        year_label: Label::year(year),
        previous_year: prev,
        k,
        headline,
        trend_units: TREND_UNITS.to_vec(),
        trend,
        quarters,
        tables,
        external,
    }
}

#[allow(clippy::too_many_arguments)] // one column's inputs; a struct would only rename them
fn column(
    sums: &HashMap<(i32, Dim, &str, Unit), u64>,
    d: Dim,
    u: Unit,
    year: i32,
    prev: i32,
    k: u64,
    total: u64,
    prev_total: u64,
) -> Column {
    let get = |y: i32, v: &str| sums.get(&(y, d, v, u)).copied().unwrap_or(0);
    let codes: Vec<&'static str> = dim_codes(d)
        .into_iter()
        .filter(|v| get(year, v) > 0 || get(prev, v) > 0)
        .collect();
    let now: Vec<u64> = codes.iter().map(|v| get(year, v)).collect();
    let before: Vec<u64> = codes.iter().map(|v| get(prev, v)).collect();
    let (mask_now, hide_total) = suppress_line(&now, total, k);
    let (mask_before, hide_prev_total) = suppress_line(&before, prev_total, k);
    let total_pub = (!hide_total).then_some(total);
    let rows = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let count = (!mask_now[i]).then_some(now[i]);
            let previous = (!mask_before[i]).then_some(before[i]);
            Row {
                code: (*code).to_string(),
                label: d
                    .value_text(code)
                    .unwrap_or(Text::new("不明な値", "unknown value")),
                count,
                previous,
                change: change(count, previous),
                share_pct: count.zip(total_pub).and_then(|(c, t)| share_pct(c, t)),
            }
        })
        .collect();
    Column {
        unit: u,
        unit_label: u.text(),
        total: total_pub,
        previous_total: (!hide_prev_total).then_some(prev_total),
        rows,
    }
}

impl YearlyReport {
    /// The table of one dimension.
    pub fn table(&self, d: Dim) -> Option<&Table> {
        self.tables.iter().find(|t| t.dim == d)
    }

    /// The headline figure of a unit.
    pub fn figure(&self, u: Unit) -> Option<&Figure> {
        self.headline.iter().find(|f| f.unit == u)
    }
}
