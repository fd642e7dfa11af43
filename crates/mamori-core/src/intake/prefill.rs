//! A `mamori scan --format json` document (`schemas/scan-findings.schema.json`) turned into
//! pre-filled answers for a draft. Tolerant: any JSON value gives a result or an error,
//! never a panic; fields of the wrong type are skipped.

use super::Answers;
use crate::taxonomy::{ActCategory, Severity};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// At most this many sources and accounts are carried over.
pub const MAX_PREFILL_KEYS: usize = 200;
/// Longer source or account strings are skipped.
const MAX_KEY_CHARS: usize = 256;
/// At most this many findings are summarized.
const MAX_SUMMARY_FINDINGS: usize = 50;

/// What a draft gets from a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefill {
    /// Answers the scan can give (what happened, how, systems, …).
    pub answers: Answers,
    /// A title for the draft (Japanese, then English).
    pub title: String,
    /// The findings as line pairs (Japanese, then English; a finding's pair
    /// starts with `- `), for the description.
    pub summary: String,
    /// Earliest finding (RFC 3339 as in the scan JSON).
    pub first_seen: Option<String>,
    /// Latest finding.
    pub last_seen: Option<String>,
    /// Attack sources, most active first as the scan ranked them, without repeats.
    pub sources: Vec<String>,
    /// Targeted accounts, without repeats.
    pub accounts: Vec<String>,
}

/// Why a JSON value is not a scan document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrefillError {
    /// The top level is not an object.
    #[error("not a mamori scan document: the top level is not a JSON object")]
    NotAnObject,
    /// No `findings` array.
    #[error("not a mamori scan document: no \"findings\" array")]
    NoFindings,
    /// A `schema_version` this build does not read.
    #[error("unsupported mamori scan schema version {0:?} (this build reads \"1\")")]
    UnsupportedVersion(String),
}

/// The facts of one scan finding the guideline needs, shared by [`prefill_from_scan`] and
/// `mamori scan`'s own advice so both say the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanFact {
    /// Rule id (`MAM-A004`, …).
    pub rule: String,
    /// Legal category.
    pub category: ActCategory,
    /// Severity.
    pub severity: Severity,
    /// The log suggests it worked.
    pub succeeded: bool,
    /// `http`, `ssh` or `other`, when known.
    pub service: Option<String>,
}

/// Rules whose finding is a successful login by someone else (account taken over).
const TAKEN_OVER: [&str; 3] = ["MAM-A004", "MAM-A006", "MAM-A007"];

fn add(a: &mut Answers, id: &str, v: &str) {
    let mut vals = a.get(id).to_vec();
    if !vals.iter().any(|x| x == v) {
        vals.push(v.to_string());
    }
    a.set(id, vals);
}

/// The answers a set of scan findings gives. Only what the logs show: no damage, motive or
/// wish to prosecute is guessed. `reporter_role` is `admin` (one scans one's own logs).
pub fn answers_from_scan(facts: &[ScanFact]) -> Answers {
    let mut a = Answers::default();
    if facts.is_empty() {
        return a;
    }
    a.set("reporter_role", vec!["admin".into()]);
    a.set("how_discovered", vec!["own_monitoring".into()]);
    // Someone can be asked to stop the sources when the attack was real: a break-in,
    // credential stuffing, or a serious attack on a flaw.
    let mut real_attack = false;
    for f in facts {
        let taken_over = TAKEN_OVER.contains(&f.rule.as_str());
        let webshell = f.rule == "MAM-W001" && f.succeeded;
        match f.category {
            ActCategory::IdentifierMisuse => {
                if taken_over || f.severity == Severity::Critical {
                    add(&mut a, "what_happened", "unauthorized_login");
                    add(&mut a, "other_damage", "account_taken_over");
                    real_attack = true;
                } else {
                    add(&mut a, "what_happened", "login_attempts");
                }
                match f.rule.as_str() {
                    "MAM-A004" => add(&mut a, "how_got_in", "weak_password"),
                    "MAM-A003" | "MAM-A007" => {
                        add(&mut a, "how_got_in", "leaked_list");
                        real_attack = true;
                    }
                    _ => {}
                }
            }
            ActCategory::SecurityHoleAttack => {
                if webshell || (f.succeeded && f.severity == Severity::Critical) {
                    add(&mut a, "what_happened", "break_in_via_flaw");
                    add(&mut a, "how_got_in", "flaw");
                } else {
                    add(&mut a, "what_happened", "attack_attempts");
                }
                if webshell {
                    add(&mut a, "after_access", "files_planted");
                    add(&mut a, "ongoing", "attacker_still_in");
                }
                if f.severity >= Severity::High {
                    real_attack = true;
                }
            }
            ActCategory::Reconnaissance => {
                add(&mut a, "what_happened", "scans");
                if f.rule == "MAM-W008" && f.succeeded {
                    a.set("data_leaked", vec!["suspected".into()]);
                }
            }
        }
        match f.service.as_deref() {
            Some("http") => add(&mut a, "systems", "website"),
            Some("ssh") => add(&mut a, "systems", "server"),
            _ => {}
        }
    }
    if real_attack {
        a.set("attack_source_known", vec!["yes".into()]);
    }
    a
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = &str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn bilingual(v: Option<&Value>) -> Option<(String, String)> {
    let o = v?.as_object()?;
    Some((
        o.get("ja")?.as_str()?.to_string(),
        o.get("en")?.as_str()?.to_string(),
    ))
}

/// A text from the scan document on one line (a title cannot add lines to the
/// summary).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn push_key(list: &mut Vec<String>, s: &str) {
    if list.len() < MAX_PREFILL_KEYS
        && !s.is_empty()
        && s.chars().count() <= MAX_KEY_CHARS
        && !s.chars().any(char::is_control)
        && !list.iter().any(|x| x == s)
    {
        list.push(s.to_string());
    }
}

/// Reads a `mamori scan --format json` document into pre-filled answers, title, summary,
/// time range, sources and accounts.
pub fn prefill_from_scan(findings: &Value) -> Result<Prefill, PrefillError> {
    let doc = findings.as_object().ok_or(PrefillError::NotAnObject)?;
    match doc.get("schema_version") {
        None => {}
        Some(Value::String(s)) if s == "1" => {}
        Some(other) => {
            let shown = match other {
                Value::String(s) => s.chars().take(32).collect(),
                _ => other.to_string().chars().take(32).collect(),
            };
            return Err(PrefillError::UnsupportedVersion(shown));
        }
    }
    let list = doc
        .get("findings")
        .and_then(Value::as_array)
        .ok_or(PrefillError::NoFindings)?;
    let mut facts = Vec::new();
    let mut sources = Vec::new();
    let mut accounts = Vec::new();
    let mut first: Option<String> = None;
    let mut last: Option<String> = None;
    let mut lines = Vec::new();
    for f in list.iter().filter_map(Value::as_object) {
        let rule = f.get("rule").and_then(Value::as_str).unwrap_or("");
        let category = f
            .get("category")
            .cloned()
            .and_then(|v| serde_json::from_value::<ActCategory>(v).ok());
        let severity = f
            .get("severity")
            .cloned()
            .and_then(|v| serde_json::from_value::<Severity>(v).ok());
        let (Some(category), Some(severity)) = (category, severity) else {
            continue;
        };
        let rule: String = rule.chars().take(32).collect();
        facts.push(ScanFact {
            rule: rule.clone(),
            category,
            severity,
            succeeded: f.get("succeeded").and_then(Value::as_bool).unwrap_or(false),
            service: f
                .get("service")
                .and_then(Value::as_str)
                .filter(|s| matches!(*s, "http" | "ssh" | "other"))
                .map(str::to_string),
        });
        for s in strings(f.get("sources")) {
            push_key(&mut sources, s);
        }
        for s in strings(f.get("accounts")) {
            push_key(&mut accounts, s);
        }
        // RFC 3339 UTC strings of one fixed shape compare correctly as text.
        let fs = f
            .get("first_seen")
            .and_then(Value::as_str)
            .filter(|s| super::is_date_time(s));
        let ls = f
            .get("last_seen")
            .and_then(Value::as_str)
            .filter(|s| super::is_date_time(s));
        if let Some(fs) = fs
            && first.as_deref().is_none_or(|x| fs < x)
        {
            first = Some(fs.to_string());
        }
        if let Some(ls) = ls
            && last.as_deref().is_none_or(|x| ls > x)
        {
            last = Some(ls.to_string());
        }
        if lines.len() < MAX_SUMMARY_FINDINGS {
            let (ja, en) = bilingual(f.get("title")).unwrap_or_default();
            let count = f.get("count").and_then(Value::as_u64).unwrap_or(0);
            let n_src = strings(f.get("sources")).count();
            let succeeded = facts.last().is_some_and(|x| x.succeeded);
            let (ja, en) = (one_line(&ja), one_line(&en));
            let rule = one_line(&rule);
            // One finding, one line pair: Japanese, then English.
            lines.push(format!(
                "- {rule}［{}］{}：{count} 件、送信元 {n_src}{}\n  {rule} [{}] {}: {count} events, {n_src} sources{}",
                severity.label(crate::Lang::Ja),
                if ja.is_empty() { rule.as_str() } else { ja.as_str() },
                if succeeded { "（成功の形跡あり）" } else { "" },
                severity.label(crate::Lang::En),
                if en.is_empty() { rule.as_str() } else { en.as_str() },
                if succeeded { " (appears to have succeeded)" } else { "" },
            ));
        }
    }
    let mut answers = answers_from_scan(&facts);
    if let Some(fs) = &first {
        answers.set("started_at", vec![fs.clone()]);
    }
    let verdict = bilingual(doc.get("verdict_text"));
    let title = match &verdict {
        Some((ja, en)) if !facts.is_empty() => format!("mamori scan: {ja} / {en}"),
        _ if facts.is_empty() => "mamori scan: 検出なし / nothing found".to_string(),
        _ => format!(
            "mamori scan: {} 件の検出 / {} findings",
            facts.len(),
            facts.len()
        ),
    };
    // Line pairs, Japanese then English; the period is left to the caller,
    // which shows times in the reader's time zone.
    let mut summary = format!(
        "検出 {} 件（送信元 {}、アカウント {}）\nFindings: {} ({} sources, {} accounts)\n",
        facts.len(),
        sources.len(),
        accounts.len(),
        facts.len(),
        sources.len(),
        accounts.len()
    );
    for l in &lines {
        summary.push_str(l);
        summary.push('\n');
    }
    if facts.len() > lines.len() {
        let more = facts.len() - lines.len();
        summary.push_str(&format!("- ほか {more} 件\n  and {more} more\n"));
    }
    Ok(Prefill {
        answers,
        title,
        summary,
        first_seen: first,
        last_seen: last,
        sources,
        accounts,
    })
}
