//! Other organizations' published figures (external counts), imported as CSV with their
//! own unit and category declared. They are shown beside Mamori's counts, labelled with
//! their source and unit, and never added to a figure in another unit.

use super::record::{Problem, RowError, csv_split};
use serde::{Deserialize, Serialize};

/// One published figure of another organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalCount {
    /// Who published it (e.g. `JPCERT/CC インシデント報告対応レポート`).
    pub source: String,
    /// Their unit, as they name it (e.g. `報告件数`, `インシデント件数`).
    pub unit: String,
    /// Their category (e.g. `フィッシングサイト`), or `合計`.
    pub category: String,
    /// Western year.
    pub year: i32,
    /// Quarter 1–4, or `None` for the whole year.
    pub quarter: Option<u8>,
    /// The figure.
    pub count: u64,
}

/// The CSV header: `source,unit,category,year,quarter,count` (`quarter` may be empty).
pub const EXTERNAL_HEADER: &[&str] = &["source", "unit", "category", "year", "quarter", "count"];

/// Parses external counts; every bad row is reported with its line and field.
pub fn parse_external(input: &str) -> (Vec<ExternalCount>, Vec<RowError>) {
    let mut rows = csv_split(input).into_iter();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let header = match rows.next() {
        Some(Ok((_, h))) => h
            .iter()
            .map(|s| s.trim().trim_start_matches('\u{feff}').to_string())
            .collect::<Vec<_>>(),
        Some(Err(e)) => return (out, vec![e]),
        None => return (out, errors),
    };
    if header != EXTERNAL_HEADER {
        errors.push(RowError {
            line: 1,
            field: None,
            problem: Problem::Invalid {
                expected: "header source,unit,category,year,quarter,count",
                found: header.join(","),
            },
        });
        return (out, errors);
    }
    for r in rows {
        let (line, f) = match r {
            Ok(x) => x,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let bad = |field: &str, expected: &'static str, found: &str| RowError {
            line,
            field: Some(field.into()),
            problem: Problem::Invalid {
                expected,
                found: found.chars().take(60).collect(),
            },
        };
        if f.len() != EXTERNAL_HEADER.len() {
            errors.push(RowError {
                line,
                field: None,
                problem: Problem::BadCsv {
                    detail: format!("{} columns, expected 6", f.len()),
                },
            });
            continue;
        }
        let missing = |i: usize| RowError {
            line,
            field: Some(EXTERNAL_HEADER[i].into()),
            problem: Problem::Missing,
        };
        if let Some(i) = [0usize, 1, 2].into_iter().find(|&i| f[i].trim().is_empty()) {
            errors.push(missing(i));
            continue;
        }
        let year = match f[3].trim().parse::<i32>() {
            Ok(y) if (1900..=9999).contains(&y) => y,
            _ => {
                errors.push(bad("year", "a Western year", &f[3]));
                continue;
            }
        };
        let quarter = match f[4].trim() {
            "" => None,
            q => match q.parse::<u8>() {
                Ok(q @ 1..=4) => Some(q),
                _ => {
                    errors.push(bad("quarter", "1–4 or empty", q));
                    continue;
                }
            },
        };
        let Ok(count) = f[5].trim().replace(',', "").parse::<u64>() else {
            errors.push(bad("count", "a whole number ≥ 0", &f[5]));
            continue;
        };
        out.push(ExternalCount {
            source: f[0].trim().into(),
            unit: f[1].trim().into(),
            category: f[2].trim().into(),
            year,
            quarter,
            count,
        });
    }
    (out, errors)
}
