//! Aggregation: records (and the incidents de-duplication made of them) into count
//! cells keyed by year, month, dimension, value and unit. Pure and deterministic; the
//! stores keep the cells as a materialized table so reports read a few thousand rows
//! whatever the number of cases.
//!
//! Counting rules:
//! - per record: 届出・報告 (`report`), 認知件数, 検挙件数, 調整 and affected accounts,
//!   in the record's month and under each of its values;
//! - 事案: once per incident, in the month of its earliest record, under every value any
//!   of its records has (so an incident the police call phishing and IPA left open
//!   counts once under phishing, not under `unspecified`);
//! - 検挙事件数: once per cleared case id, in the month of its earliest cleared record,
//!   under every value of its cleared records.
//!
//! A record without a value on a single-valued dimension counts under `unspecified`
//! (未記入), so those tables add up to their total; multi-valued dimensions (acts, 手口,
//! after-access, damage, 動機) may count one record under several values.

use super::{Incidents, Prefecture, StatRecord, Unit};
use crate::Text;
use crate::dimension::coded_enum;
use crate::guideline::Body;
use crate::taxonomy::{
    self, Act, AdminType, AfterAccess, Damage, Discovery, Method, Motive, Sector,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

coded_enum! {
    /// A dimension the statistics are cut by.
    pub enum Dim {
        /// The whole (value `""`).
        Total = "total", "合計", "total";
        /// The receiving body.
        Body = "body", "受付機関", "receiving body";
        /// 行為類型.
        Act = "act", "行為類型", "act";
        /// 手口.
        Method = "method", "手口", "method";
        /// 動機.
        Motive = "motive", "動機", "motive";
        /// 不正アクセス後の行為.
        After = "after", "不正アクセス後の行為", "what was done after access";
        /// 被害.
        Damage = "damage", "被害", "damage";
        /// 業種・サービス.
        Sector = "sector", "標的となったサービス・業種", "targeted service / sector";
        /// アクセス管理者の種別.
        AdminType = "admin_type", "アクセス管理者の種別", "access administrator type";
        /// 都道府県.
        Prefecture = "prefecture", "都道府県", "prefecture";
        /// 端緒.
        Discovery = "discovery", "端緒（発覚の経緯）", "how it came to light";
        /// JPCERT/CC's categories (an alternative cut).
        Jpcert = "jpcert", "JPCERT/CC の分類", "JPCERT/CC category";
        /// ENISA RSIT types (an alternative cut).
        Rsit = "rsit", "ENISA RSIT の分類", "ENISA RSIT type";
    }
}

/// The value code of a record without a value on a dimension.
pub const UNSPECIFIED: &str = "unspecified";

impl Dim {
    /// The label of a value code on this dimension; `None` for an unknown code.
    pub fn value_text(self, code: &str) -> Option<Text> {
        if code == UNSPECIFIED {
            return Some(Text::new("未記入・不明", "not given"));
        }
        match self {
            Dim::Total => Some(Text::new("合計", "total")),
            Dim::Body => Body::parse(code).map(|v| match v {
                Body::Police => Text::new("警察", "police"),
                Body::Ipa => Text::new("IPA", "IPA"),
                Body::JpcertCc => Text::new("JPCERT/CC", "JPCERT/CC"),
            }),
            Dim::Act => Act::parse(code).map(Act::text),
            Dim::Method => Method::parse(code).map(Method::text),
            Dim::Motive => Motive::parse(code).map(Motive::text),
            Dim::After => AfterAccess::parse(code).map(AfterAccess::text),
            Dim::Damage => Damage::parse(code).map(Damage::text),
            Dim::Sector => Sector::parse(code).map(Sector::text),
            Dim::AdminType => AdminType::parse(code).map(AdminType::text),
            Dim::Prefecture => Prefecture::parse(code).map(Prefecture::text),
            Dim::Discovery => Discovery::parse(code).map(Discovery::text),
            Dim::Jpcert => taxonomy::jpcert_category(code).map(|c| c.text()),
            Dim::Rsit => taxonomy::rsit_catalog()
                .into_iter()
                .find(|(_, k, _)| *k == code)
                .map(|(_, _, t)| t),
        }
    }

    /// Whether a record has exactly one value (so the values add up to the total).
    pub fn single_valued(self) -> bool {
        matches!(
            self,
            Dim::Total
                | Dim::Body
                | Dim::Sector
                | Dim::AdminType
                | Dim::Prefecture
                | Dim::Discovery
        )
    }
}

/// One count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cell {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Dimension.
    pub dim: Dim,
    /// Value code (`""` for [`Dim::Total`]).
    pub value: String,
    /// Unit.
    pub unit: Unit,
    /// Count.
    pub count: u64,
}

fn many<T: Copy>(v: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    if v.is_empty() {
        vec![UNSPECIFIED]
    } else {
        v.iter().map(|x| code(*x)).collect()
    }
}

fn one<T: Copy>(v: Option<T>, code: fn(T) -> &'static str) -> &'static str {
    v.map_or(UNSPECIFIED, code)
}

/// Every (dimension, value) a record counts under.
pub fn record_values(r: &StatRecord) -> Vec<(Dim, &'static str)> {
    let mut out = vec![(Dim::Total, ""), (Dim::Body, r.body.code())];
    out.extend(many(&r.acts, Act::code).into_iter().map(|v| (Dim::Act, v)));
    out.extend(
        many(&r.methods, Method::code)
            .into_iter()
            .map(|v| (Dim::Method, v)),
    );
    out.extend(
        many(&r.motives, Motive::code)
            .into_iter()
            .map(|v| (Dim::Motive, v)),
    );
    out.extend(
        many(&r.after, AfterAccess::code)
            .into_iter()
            .map(|v| (Dim::After, v)),
    );
    out.extend(
        many(&r.damages, Damage::code)
            .into_iter()
            .map(|v| (Dim::Damage, v)),
    );
    out.push((Dim::Sector, one(r.sector, Sector::code)));
    out.push((Dim::AdminType, one(r.admin_type, AdminType::code)));
    out.push((Dim::Prefecture, one(r.prefecture, Prefecture::code)));
    out.push((Dim::Discovery, one(r.discovery, Discovery::code)));
    let c = r.classification();
    out.extend(
        taxonomy::jpcert_categories(&c)
            .into_iter()
            .map(|v| (Dim::Jpcert, v)),
    );
    out.extend(taxonomy::rsit(&c).into_iter().map(|(_, k)| (Dim::Rsit, k)));
    out
}

type Key = (i32, u8, Dim, &'static str, Unit);

/// A group counted once: its representative record and the values of all its records.
type Group = (usize, BTreeSet<(Dim, &'static str)>);

/// Counts `records` into cells, with `incidents` from [`Incidents::new`] over the same
/// slice. Cells are sorted; zero counts are left out.
pub fn aggregate<'a>(records: &'a [StatRecord], incidents: &Incidents) -> Vec<Cell> {
    let mut acc: HashMap<Key, u64> = HashMap::new();
    let values: Vec<Vec<(Dim, &'static str)>> = records.iter().map(record_values).collect();
    for (r, vals) in records.iter().zip(&values) {
        let (y, m) = (r.date.year, r.date.month);
        let per_record = [
            (Unit::Reports, u64::from(r.report)),
            (Unit::Recognized, u64::from(r.recognized)),
            (Unit::Cleared, u64::from(r.cleared)),
            (Unit::Coordinations, u64::from(r.coordinations)),
            (Unit::AffectedAccounts, u64::from(r.affected_accounts)),
        ];
        for (unit, n) in per_record {
            if n == 0 {
                continue;
            }
            for &(d, v) in vals {
                *acc.entry((y, m, d, v, unit)).or_default() += n;
            }
        }
    }
    // Groups counted once: incidents, and cleared cases.
    let mut groups: HashMap<(Unit, GroupKey<'a>), Group> = HashMap::new();
    for (i, (r, vals)) in records.iter().zip(&values).enumerate() {
        let mut add = |unit: Unit, key: GroupKey<'a>| {
            let e = groups
                .entry((unit, key))
                .or_insert_with(|| (i, BTreeSet::new()));
            if (records[i].date, i) < (records[e.0].date, e.0) {
                e.0 = i;
            }
            e.1.extend(vals.iter().copied());
        };
        add(Unit::Incidents, GroupKey::Incident(incidents.of(i)));
        if r.cleared {
            if let Some(case) = r.cleared_case.as_deref() {
                add(Unit::ClearedCases, GroupKey::Case(case));
            } else {
                add(Unit::ClearedCases, GroupKey::Incident(i));
            }
        }
    }
    for ((unit, _), (rep, vals)) in groups {
        let d = records[rep].date;
        // A dimension one record of the group gives a value on is not unspecified.
        let given: BTreeSet<Dim> = vals
            .iter()
            .filter(|(_, v)| *v != UNSPECIFIED)
            .map(|(d, _)| *d)
            .collect();
        for (dim, v) in vals {
            if v == UNSPECIFIED && given.contains(&dim) {
                continue;
            }
            *acc.entry((d.year, d.month, dim, v, unit)).or_default() += 1;
        }
    }
    let mut cells: Vec<Cell> = acc
        .into_iter()
        .map(|((year, month, dim, value, unit), count)| Cell {
            year,
            month,
            dim,
            value: value.to_string(),
            unit,
            count,
        })
        .collect();
    cells.sort();
    cells
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey<'a> {
    Incident(usize),
    Case(&'a str),
}

/// Sums cells by (dimension, value, unit) over the months a filter keeps.
pub fn sum_by(cells: &[Cell], keep: impl Fn(&Cell) -> bool) -> HashMap<(Dim, String, Unit), u64> {
    let mut out: HashMap<(Dim, String, Unit), u64> = HashMap::new();
    for c in cells.iter().filter(|c| keep(c)) {
        *out.entry((c.dim, c.value.clone(), c.unit)).or_default() += c.count;
    }
    out
}
