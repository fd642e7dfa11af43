//! The case-level statistical record and its import formats (JSON Lines and CSV, the
//! schema in `docs/stats-import.md`). Parsing names the line and field of every problem
//! and never panics; the caller decides whether one bad row rejects the file.

use super::Prefecture;
use crate::guideline::Body;
use crate::taxonomy::{
    Act, AdminType, AfterAccess, Classification, Damage, Discovery, Method, Motive, Sector,
};
use crate::{Lang, Text};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// A calendar day (proleptic Gregorian), validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Day {
    /// Year.
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

impl Day {
    /// A valid day, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Day> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Day::new(y, m, d)
    }

    /// Days since 1970-01-01 (for time windows).
    pub fn ordinal(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One case as the statistics count it: which body holds it, when, in which units it
/// counts, and its classification. `reporter`, `indicators` and `note` serve
/// de-duplication and the bodies' own work; they are **never published**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRecord {
    /// The record's id in its source system, unique in the store.
    pub id: String,
    /// The receiving body that holds the case.
    pub body: Body,
    /// The day the case is counted on (received, or recognised by the police).
    pub date: Day,
    /// Counts as a report received (届出・報告); default true.
    pub report: bool,
    /// The police recognised it (認知).
    pub recognized: bool,
    /// The police cleared it (検挙).
    pub cleared: bool,
    /// The cleared case it belongs to (検挙事件; several offences share one).
    pub cleared_case: Option<String>,
    /// Coordinations with third parties done for it.
    pub coordinations: u32,
    /// Accounts whose identification code was misused.
    pub affected_accounts: u32,
    /// Acts under the Act.
    pub acts: Vec<Act>,
    /// 手口.
    pub methods: Vec<Method>,
    /// 不正アクセス後の行為.
    pub after: Vec<AfterAccess>,
    /// 被害.
    pub damages: Vec<Damage>,
    /// 動機.
    pub motives: Vec<Motive>,
    /// Targeted service / sector.
    pub sector: Option<Sector>,
    /// Victim access administrator's type.
    pub admin_type: Option<AdminType>,
    /// 端緒.
    pub discovery: Option<Discovery>,
    /// Prefecture (the victim's, or where the police unit sits).
    pub prefecture: Option<Prefecture>,
    /// Who reported (an opaque key; never published).
    pub reporter: Option<String>,
    /// Indicators (URLs, addresses, hashes) shared with other reports (never published).
    pub indicators: Vec<String>,
    /// The id of the record this one was referred from (referral history).
    pub referred_from: Option<String>,
    /// Free text (never published).
    pub note: Option<String>,
}

impl StatRecord {
    /// A record with only the required fields; the rest empty (`report` true).
    pub fn new(id: impl Into<String>, body: Body, date: Day) -> StatRecord {
        StatRecord {
            id: id.into(),
            body,
            date,
            report: true,
            recognized: false,
            cleared: false,
            cleared_case: None,
            coordinations: 0,
            affected_accounts: 0,
            acts: Vec::new(),
            methods: Vec::new(),
            after: Vec::new(),
            damages: Vec::new(),
            motives: Vec::new(),
            sector: None,
            admin_type: None,
            discovery: None,
            prefecture: None,
            reporter: None,
            indicators: Vec::new(),
            referred_from: None,
            note: None,
        }
    }

    /// The record's classification, for the JPCERT/CC and RSIT cuts.
    pub fn classification(&self) -> Classification {
        Classification {
            acts: self.acts.clone(),
            methods: self.methods.clone(),
            after: self.after.clone(),
            damages: self.damages.clone(),
            motives: self.motives.clone(),
            sector: self.sector,
            admin_type: self.admin_type,
            discovery: self.discovery,
            ..Classification::default()
        }
    }
}

/// The import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// A header line with the field names, then one record per line.
    Csv,
}

impl Format {
    /// Guesses from the first line that is not blank or a `#` comment: `{` means JSON Lines.
    pub fn sniff(input: &str) -> Format {
        let first = input
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'));
        match first {
            Some(l) if l.starts_with('{') => Format::JsonLines,
            _ => Format::Csv,
        }
    }
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The line is not a JSON object.
    NotJson {
        /// The parser's message.
        detail: String,
    },
    /// A CSV line is malformed (quotes, column count).
    BadCsv {
        /// What is wrong.
        detail: String,
    },
    /// A required field is missing or empty.
    Missing,
    /// A field the schema does not know (a typo?).
    Unknown,
    /// A value that is not acceptable.
    Invalid {
        /// What was expected.
        expected: &'static str,
        /// What was found (shortened).
        found: String,
    },
    /// The id appeared on an earlier line.
    DuplicateId {
        /// The earlier line.
        first_line: usize,
    },
}

/// One rejected row: the line it starts on, the field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}{}: {}", .field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default(), .problem.text(Lang::En))]
pub struct RowError {
    /// 1-based line number in the file.
    pub line: usize,
    /// The field, when one is at fault.
    pub field: Option<String>,
    /// The problem.
    pub problem: Problem,
}

impl RowError {
    /// The message in `lang`, e.g. `12行目 項目 date: …`.
    pub fn message(&self, lang: Lang) -> String {
        let f = self.field.clone().unwrap_or_default();
        match (lang, self.field.is_some()) {
            (Lang::Ja, true) => format!("{}行目 項目 {f}: {}", self.line, self.problem.text(lang)),
            (Lang::Ja, false) => format!("{}行目: {}", self.line, self.problem.text(lang)),
            (Lang::En, true) => {
                format!("line {}, field {f}: {}", self.line, self.problem.text(lang))
            }
            (Lang::En, false) => format!("line {}: {}", self.line, self.problem.text(lang)),
        }
    }
}

impl Problem {
    /// The reason in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Problem::NotJson { detail } if ja => {
                format!("JSON オブジェクトではありません（{detail}）")
            }
            Problem::NotJson { detail } => format!("not a JSON object ({detail})"),
            Problem::BadCsv { detail } if ja => format!("CSV の形式が正しくありません（{detail}）"),
            Problem::BadCsv { detail } => format!("malformed CSV ({detail})"),
            Problem::Missing if ja => "必須の項目がありません".into(),
            Problem::Missing => "required field missing".into(),
            Problem::Unknown if ja => "未知の項目です（綴りを確認してください）".into(),
            Problem::Unknown => "unknown field (check the spelling)".into(),
            Problem::Invalid { expected, found } if ja => {
                format!("値 {found:?} は使えません（{expected}）")
            }
            Problem::Invalid { expected, found } => {
                format!("value {found:?} not accepted ({expected})")
            }
            Problem::DuplicateId { first_line } if ja => {
                format!("id が {first_line}行目と重複しています")
            }
            Problem::DuplicateId { first_line } => format!("id already used on line {first_line}"),
        }
    }
}

/// The fields of the schema, in CSV column order of `docs/stats-import.md`.
pub const FIELDS: &[&str] = &[
    "id",
    "body",
    "date",
    "report",
    "recognized",
    "cleared",
    "cleared_case",
    "coordinations",
    "affected_accounts",
    "acts",
    "methods",
    "after",
    "damages",
    "motives",
    "sector",
    "admin_type",
    "discovery",
    "prefecture",
    "reporter",
    "indicators",
    "referred_from",
    "note",
];

/// What parsing a file gave: the good records (with their line numbers) and every
/// rejected row.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Accepted records and the line each starts on.
    pub records: Vec<(usize, StatRecord)>,
    /// Rejected rows, in file order.
    pub errors: Vec<RowError>,
}

/// Parses a whole file. Blank lines and lines starting with `#` are skipped (a fixture
/// says how it was derived in its leading comment lines).
pub fn parse_records(input: &str, format: Format) -> Parsed {
    let rows = match format {
        Format::JsonLines => json_rows(input),
        Format::Csv => csv_rows(input),
    };
    let mut out = Parsed::default();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for row in rows {
        match row.and_then(|(line, map)| record_from(line, &map).map(|r| (line, r))) {
            Ok((line, r)) => {
                if let Some(first) = seen.get(&r.id) {
                    out.errors.push(RowError {
                        line,
                        field: Some("id".into()),
                        problem: Problem::DuplicateId { first_line: *first },
                    });
                } else {
                    seen.insert(r.id.clone(), line);
                    out.records.push((line, r));
                }
            }
            Err(e) => out.errors.push(e),
        }
    }
    out
}

type Row = Result<(usize, Map<String, Value>), RowError>;

fn json_rows(input: &str) -> Vec<Row> {
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, l)| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(m)) => Ok((i + 1, m)),
            Ok(_) => Err(RowError {
                line: i + 1,
                field: None,
                problem: Problem::NotJson {
                    detail: "not an object".into(),
                },
            }),
            Err(e) => Err(RowError {
                line: i + 1,
                field: None,
                problem: Problem::NotJson {
                    detail: e.to_string(),
                },
            }),
        })
        .collect()
}

/// Splits CSV (RFC 4180: quoted fields, doubled quotes, quoted line breaks) into
/// records with the line each starts on.
pub(crate) fn csv_split(input: &str) -> Vec<Result<(usize, Vec<String>), RowError>> {
    let mut out = Vec::new();
    let mut line = 1usize;
    let mut chars = input.chars().peekable();
    while chars.peek().is_some() {
        let start = line;
        // Skip comment and blank lines.
        if matches!(chars.peek(), Some('#') | Some('\n') | Some('\r')) {
            for c in chars.by_ref() {
                if c == '\n' {
                    line += 1;
                    break;
                }
            }
            continue;
        }
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        let mut bad = None;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    bad = Some("unterminated quote".to_string());
                }
                break;
            };
            match (quoted, c) {
                (true, '"') => {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cur.push('"');
                    } else {
                        quoted = false;
                    }
                }
                (true, '\n') => {
                    line += 1;
                    cur.push('\n');
                }
                (true, c) => cur.push(c),
                (false, '"') if cur.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                (false, '"') => bad = Some("quote inside an unquoted field".to_string()),
                (false, ',') => {
                    fields.push(std::mem::take(&mut cur));
                    was_quoted = false;
                }
                (false, '\r') => {}
                (false, '\n') => {
                    line += 1;
                    break;
                }
                (false, c) => cur.push(c),
            }
        }
        fields.push(cur);
        out.push(match bad {
            Some(detail) => Err(RowError {
                line: start,
                field: None,
                problem: Problem::BadCsv { detail },
            }),
            None => Ok((start, fields)),
        });
    }
    out
}

fn csv_rows(input: &str) -> Vec<Row> {
    let mut rows = csv_split(input).into_iter();
    let header = match rows.next() {
        Some(Ok((_, h))) => h,
        Some(Err(e)) => return vec![Err(e)],
        None => return Vec::new(),
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    rows.map(|r| {
        let (line, fields) = r?;
        if fields.len() != header.len() {
            return Err(RowError {
                line,
                field: None,
                problem: Problem::BadCsv {
                    detail: format!("{} columns, the header has {}", fields.len(), header.len()),
                },
            });
        }
        let map = header
            .iter()
            .zip(fields)
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(h, v)| (h.clone(), Value::String(v)))
            .collect();
        Ok((line, map))
    })
    .collect()
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.chars().take(60).collect()
}

struct Fields<'a> {
    line: usize,
    map: &'a Map<String, Value>,
}

impl Fields<'_> {
    fn err(&self, field: &str, problem: Problem) -> RowError {
        RowError {
            line: self.line,
            field: Some(field.into()),
            problem,
        }
    }

    fn invalid(&self, field: &str, expected: &'static str, v: &Value) -> RowError {
        self.err(
            field,
            Problem::Invalid {
                expected,
                found: short(v),
            },
        )
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.map
            .get(field)
            .filter(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
    }

    fn string(&self, field: &str) -> Result<Option<String>, RowError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(v) => Err(self.invalid(field, "text", v)),
        }
    }

    fn required(&self, field: &str) -> Result<String, RowError> {
        self.string(field)?
            .ok_or_else(|| self.err(field, Problem::Missing))
    }

    fn boolean(&self, field: &str, default: bool) -> Result<bool, RowError> {
        match self.get(field) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v @ Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "y" => Ok(true),
                "false" | "0" | "no" | "n" => Ok(false),
                _ => Err(self.invalid(field, "true or false", v)),
            },
            Some(v @ Value::Number(n)) => match n.as_u64() {
                Some(0) => Ok(false),
                Some(1) => Ok(true),
                _ => Err(self.invalid(field, "true or false", v)),
            },
            Some(v) => Err(self.invalid(field, "true or false", v)),
        }
    }

    fn count(&self, field: &str) -> Result<u32, RowError> {
        match self.get(field) {
            None => Ok(0),
            Some(v @ Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| self.invalid(field, "a whole number ≥ 0", v)),
            Some(v @ Value::String(s)) => s
                .trim()
                .parse()
                .map_err(|_| self.invalid(field, "a whole number ≥ 0", v)),
            Some(v) => Err(self.invalid(field, "a whole number ≥ 0", v)),
        }
    }

    /// A list: a JSON array of strings, or text separated by `|` or `;`.
    fn list(&self, field: &str) -> Result<Vec<String>, RowError> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    other => Err(self.invalid(field, "a list of codes", other)),
                })
                .collect(),
            Some(Value::String(s)) => Ok(s
                .split(['|', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()),
            Some(v) => Err(self.invalid(field, "a list of codes", v)),
        }
    }

    fn codes<T: Copy + PartialEq>(
        &self,
        field: &str,
        expected: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, RowError> {
        let mut out = Vec::new();
        for s in self.list(field)? {
            let v = parse(&s).ok_or_else(|| {
                self.err(
                    field,
                    Problem::Invalid {
                        expected,
                        found: s.chars().take(60).collect(),
                    },
                )
            })?;
            if !out.contains(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }

    fn code<T>(
        &self,
        field: &str,
        expected: &'static str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, RowError> {
        match self.string(field)? {
            None => Ok(None),
            Some(s) => parse(&s).map(Some).ok_or_else(|| {
                self.err(
                    field,
                    Problem::Invalid {
                        expected,
                        found: s.chars().take(60).collect(),
                    },
                )
            }),
        }
    }
}

fn record_from(line: usize, map: &Map<String, Value>) -> Result<StatRecord, RowError> {
    let f = Fields { line, map };
    if let Some(k) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(f.err(k, Problem::Unknown));
    }
    let id = f.required("id")?;
    if id.len() > 200 {
        return Err(f.invalid("id", "at most 200 characters", &Value::String(id)));
    }
    let body = f
        .code("body", "police, ipa or jpcert_cc", Body::parse)?
        .ok_or_else(|| f.err("body", Problem::Missing))?;
    let date_s = f.required("date")?;
    let date = Day::parse(&date_s)
        .ok_or_else(|| f.invalid("date", "a date YYYY-MM-DD", &Value::String(date_s.clone())))?;
    let recognized = f.boolean("recognized", false)?;
    let cleared = f.boolean("cleared", false)?;
    let cleared_case = f.string("cleared_case")?;
    if cleared_case.is_some() && !cleared {
        return Err(f.invalid(
            "cleared_case",
            "only with cleared = true",
            &Value::String(cleared_case.unwrap_or_default()),
        ));
    }
    let r = StatRecord {
        id,
        body,
        date,
        report: f.boolean("report", true)?,
        recognized,
        cleared,
        cleared_case,
        coordinations: f.count("coordinations")?,
        affected_accounts: f.count("affected_accounts")?,
        acts: f.codes("acts", "act codes of the taxonomy", Act::parse)?,
        methods: f.codes("methods", "手口 codes of the taxonomy", Method::parse)?,
        after: f.codes(
            "after",
            "after-access codes of the taxonomy",
            AfterAccess::parse,
        )?,
        damages: f.codes("damages", "damage codes of the taxonomy", Damage::parse)?,
        motives: f.codes("motives", "動機 codes of the taxonomy", Motive::parse)?,
        sector: f.code("sector", "a sector code of the taxonomy", Sector::parse)?,
        admin_type: f.code("admin_type", "an administrator-type code", AdminType::parse)?,
        discovery: f.code("discovery", "a 端緒 code of the taxonomy", Discovery::parse)?,
        prefecture: f.code(
            "prefecture",
            "a prefecture: JIS code 1–47, code or name",
            Prefecture::lookup,
        )?,
        reporter: f.string("reporter")?,
        indicators: {
            let mut v: Vec<String> = f
                .list("indicators")?
                .into_iter()
                .map(|s| s.to_lowercase())
                .collect();
            let mut seen = HashSet::new();
            v.retain(|s| seen.insert(s.clone()));
            v
        },
        referred_from: f.string("referred_from")?,
        note: f.string("note")?,
    };
    if r.referred_from.as_deref() == Some(r.id.as_str()) {
        return Err(f.invalid(
            "referred_from",
            "another record's id",
            &Value::String(r.id.clone()),
        ));
    }
    Ok(r)
}

/// The schema's field descriptions, for `docs/stats-import.md` and `--help`.
pub fn field_docs() -> Vec<(&'static str, Text)> {
    vec![
        (
            "id",
            Text::new(
                "必須。元のシステムでの記録の ID（ストア内で一意）",
                "required; the record's id in its source system (unique in the store)",
            ),
        ),
        (
            "body",
            Text::new(
                "必須。police / ipa / jpcert_cc",
                "required; police, ipa or jpcert_cc",
            ),
        ),
        (
            "date",
            Text::new(
                "必須。計上日 YYYY-MM-DD（受付日、警察は認知日）",
                "required; the day counted, YYYY-MM-DD (received; for the police, recognised)",
            ),
        ),
        (
            "report",
            Text::new(
                "届出・報告として数えるか（既定 true）",
                "counts as a report received (default true)",
            ),
        ),
        (
            "recognized",
            Text::new(
                "警察が認知した（認知件数）",
                "recognised by the police (認知件数)",
            ),
        ),
        (
            "cleared",
            Text::new(
                "警察が検挙した（検挙件数）",
                "cleared by the police (検挙件数)",
            ),
        ),
        (
            "cleared_case",
            Text::new(
                "検挙事件の ID（検挙事件数はこの ID の数）",
                "id of the cleared case (検挙事件数 counts distinct ids)",
            ),
        ),
        (
            "coordinations",
            Text::new("調整の回数", "number of coordinations"),
        ),
        (
            "affected_accounts",
            Text::new("被害アカウント数", "affected accounts"),
        ),
        (
            "acts",
            Text::new("行為類型のコード（複数可）", "act codes (several allowed)"),
        ),
        (
            "methods",
            Text::new("手口のコード（複数可）", "手口 codes (several allowed)"),
        ),
        (
            "after",
            Text::new(
                "不正アクセス後の行為のコード（複数可）",
                "after-access codes (several allowed)",
            ),
        ),
        (
            "damages",
            Text::new("被害のコード（複数可）", "damage codes (several allowed)"),
        ),
        (
            "motives",
            Text::new("動機のコード（複数可）", "motive codes (several allowed)"),
        ),
        ("sector", Text::new("業種・サービスのコード", "sector code")),
        (
            "admin_type",
            Text::new(
                "アクセス管理者の種別のコード",
                "access-administrator type code",
            ),
        ),
        ("discovery", Text::new("端緒のコード", "端緒 code")),
        (
            "prefecture",
            Text::new(
                "都道府県（JIS コード 1–47、コード、名称）",
                "prefecture (JIS code 1–47, code or name)",
            ),
        ),
        (
            "reporter",
            Text::new(
                "届出者を表す不透明なキー（重複判定用。公表しない）",
                "an opaque key of the reporter (de-duplication; never published)",
            ),
        ),
        (
            "indicators",
            Text::new(
                "URL・アドレス・ハッシュなどの指標（重複判定用。公表しない）",
                "indicators: URLs, addresses, hashes (de-duplication; never published)",
            ),
        ),
        (
            "referred_from",
            Text::new(
                "回付元の記録の ID（回付履歴）",
                "id of the record it was referred from",
            ),
        ),
        (
            "note",
            Text::new("自由記述（公表しない）", "free text (never published)"),
        ),
    ]
}
