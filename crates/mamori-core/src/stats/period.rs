//! Periods (month, quarter, year) and Japanese era years (和暦) shown beside Western years.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// The granularity of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    /// 月.
    Month,
    /// 四半期.
    Quarter,
    /// 年.
    Year,
}

/// One period of a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    /// A whole year.
    Year {
        /// Western year.
        year: i32,
    },
    /// A quarter (1–4).
    Quarter {
        /// Western year.
        year: i32,
        /// 1–4.
        quarter: u8,
    },
    /// A month (1–12).
    Month {
        /// Western year.
        year: i32,
        /// 1–12.
        month: u8,
    },
}

impl Period {
    /// The year the period lies in.
    pub fn year(self) -> i32 {
        match self {
            Period::Year { year } | Period::Quarter { year, .. } | Period::Month { year, .. } => {
                year
            }
        }
    }

    /// Whether a month of a year lies in this period.
    pub fn contains(self, year: i32, month: u8) -> bool {
        match self {
            Period::Year { year: y } => y == year,
            Period::Quarter { year: y, quarter } => y == year && quarter_of(month) == quarter,
            Period::Month { year: y, month: m } => y == year && m == month,
        }
    }

    /// The periods of one granularity in a year, in order.
    pub fn of_year(year: i32, g: Granularity) -> Vec<Period> {
        match g {
            Granularity::Year => vec![Period::Year { year }],
            Granularity::Quarter => (1..=4)
                .map(|quarter| Period::Quarter { year, quarter })
                .collect(),
            Granularity::Month => (1..=12)
                .map(|month| Period::Month { year, month })
                .collect(),
        }
    }

    /// The label with the era year beside the Western year, e.g. `2010年（平成22年）第1四半期`.
    pub fn label(self, lang: Lang) -> String {
        let y = year_label(self.year(), lang);
        match (self, lang) {
            (Period::Year { .. }, _) => y,
            (Period::Quarter { quarter, .. }, Lang::Ja) => format!("{y}第{quarter}四半期"),
            (Period::Quarter { quarter, .. }, Lang::En) => format!("Q{quarter} {y}"),
            (Period::Month { month, .. }, Lang::Ja) => format!("{y}{month}月"),
            (Period::Month { month, .. }, Lang::En) => format!("{y}-{month:02}"),
        }
    }
}

/// The quarter (1–4) of a month (1–12).
pub fn quarter_of(month: u8) -> u8 {
    month.saturating_sub(1) / 3 + 1
}

/// The era year of a Western year, as the statistics of the year are titled: the era in
/// force at the end of the year (2019 is 令和元年, 1989 平成元年). `None` before 明治.
pub fn era_year(year: i32) -> Option<(&'static str, &'static str, i32)> {
    const ERAS: &[(i32, &str, &str)] = &[
        (2019, "令和", "Reiwa"),
        (1989, "平成", "Heisei"),
        (1926, "昭和", "Showa"),
        (1912, "大正", "Taisho"),
        (1868, "明治", "Meiji"),
    ];
    ERAS.iter()
        .find(|(start, _, _)| year >= *start)
        .map(|(start, ja, en)| (*ja, *en, year - start + 1))
}

/// `2010年（平成22年）` / `2010 (Heisei 22)`; 元年 for the first year of an era.
pub fn year_label(year: i32, lang: Lang) -> String {
    match (era_year(year), lang) {
        (Some((era, _, 1)), Lang::Ja) => format!("{year}年（{era}元年）"),
        (Some((era, _, n)), Lang::Ja) => format!("{year}年（{era}{n}年）"),
        (Some((_, era, n)), Lang::En) => format!("{year} ({era} {n})"),
        (None, Lang::Ja) => format!("{year}年"),
        (None, Lang::En) => year.to_string(),
    }
}

/// The Western year of an era year (`平成`, 22 → 2010); `None` for an unknown era or a
/// year outside it.
pub fn western_year(era: &str, n: i32) -> Option<i32> {
    let (start, end): (i32, i32) = match era {
        "令和" | "R" | "Reiwa" => (2019, i32::MAX),
        "平成" | "H" | "Heisei" => (1989, 2019),
        "昭和" | "S" | "Showa" => (1926, 1989),
        _ => return None,
    };
    let y = start.checked_add(n - 1)?;
    (n >= 1 && y <= end).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_years_beside_western_years() {
        assert_eq!(year_label(2010, Lang::Ja), "2010年（平成22年）");
        assert_eq!(year_label(2009, Lang::Ja), "2009年（平成21年）");
        assert_eq!(year_label(2019, Lang::Ja), "2019年（令和元年）");
        assert_eq!(year_label(2026, Lang::En), "2026 (Reiwa 8)");
        assert_eq!(western_year("平成", 22), Some(2010));
        assert_eq!(western_year("令和", 1), Some(2019));
        assert_eq!(western_year("平成", 40), None);
    }

    #[test]
    fn quarters_and_months() {
        assert_eq!(quarter_of(1), 1);
        assert_eq!(quarter_of(3), 1);
        assert_eq!(quarter_of(4), 2);
        assert_eq!(quarter_of(12), 4);
        let q = Period::Quarter {
            year: 2010,
            quarter: 2,
        };
        assert!(q.contains(2010, 5) && !q.contains(2010, 7) && !q.contains(2011, 5));
        assert_eq!(q.label(Lang::Ja), "2010年（平成22年）第2四半期");
        assert_eq!(Period::of_year(2010, Granularity::Month).len(), 12);
    }
}
