//! Full-text search that works for Japanese, written once in Rust and used by
//! both stores for indexing and for querying.
//!
//! Japanese has no spaces between words, so a word tokenizer finds nothing. Text is
//! cut into runs: a run of CJK characters (kanji, hiragana, katakana) becomes its
//! overlapping character **bigrams**, a run of letters and digits becomes one
//! lower-cased **word**. A query term becomes the phrase of its tokens, so `送金`
//! finds `不正送金` and `不正アクセス` finds exactly that sequence. Documents also
//! carry the last character of every CJK run alone, so that a one-character query
//! (a prefix search on that character) finds characters at the end of a run too.
//!
//! SQLite indexes the token text with FTS5 (`unicode61`, `_` as a token character);
//! PostgreSQL stores a `tsvector` built here (no text-search parser involved) under
//! a GIN index and queries it with a `tsquery` built here.
//!
//! Classification and routing facts are indexed as marker tokens starting with `_`
//! (`_b<body org id>`, `_a<act>`, `_s<sector>`), which the tokenizer can never produce
//! from user text. Markers only narrow results; authorization never relies on them (the
//! queries also filter on the case's body column).
//!
//! ```
//! use mamori_store::search::{tokens, Query};
//! assert_eq!(tokens("不正送金 WP-Login"), vec!["不正", "正送", "送金", "金", "wp", "login"]);
//! let q = Query::parse("送金 wp-login").unwrap();
//! assert_eq!(q.fts5(), r#""送金" AND "wp login""#);
//! assert_eq!(q.tsquery(), "'送金' & ( 'wp' <-> 'login' )");
//! ```

/// Longest latin word kept (longer ones are cut).
const MAX_WORD: usize = 64;
/// Tokens per document (PostgreSQL keeps positions up to 16383).
const MAX_TOKENS: usize = 16_000;
/// Terms per query.
const MAX_TERMS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Sep,
}

fn normalize(c: char) -> char {
    // Full-width ASCII (ＡＢＣ１２３) to ASCII; the ideographic space to a space.
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn class(c: char) -> Class {
    match c {
        '\u{3041}'..='\u{309F}'   // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana (with ー)
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{3005}' | '\u{3006}' // 々 〆
        | '\u{20000}'..='\u{2FA1F}' => Class::Cjk,
        c if c.is_alphanumeric() => Class::Word,
        _ => Class::Sep,
    }
}

/// A run of one class, already normalized.
fn runs(text: &str) -> Vec<(Class, Vec<char>)> {
    let mut out: Vec<(Class, Vec<char>)> = Vec::new();
    for c in text.chars().map(normalize) {
        let k = class(c);
        match out.last_mut() {
            Some((last, run)) if *last == k && k != Class::Sep => run.push(c),
            _ if k == Class::Sep => {
                if out.last().is_some_and(|(l, _)| *l != Class::Sep) {
                    out.push((Class::Sep, Vec::new()));
                }
            }
            _ => out.push((k, vec![c])),
        }
    }
    out.retain(|(k, _)| *k != Class::Sep);
    out
}

fn word(run: &[char]) -> String {
    run.iter()
        .take(MAX_WORD)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

fn bigrams(run: &[char]) -> impl Iterator<Item = String> + '_ {
    run.windows(2).map(|w| w.iter().collect())
}

/// The tokens a document is indexed under, in order: CJK bigrams plus the last
/// character of each CJK run, and lower-cased latin words.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (k, run) in runs(text) {
        match k {
            Class::Cjk => {
                out.extend(bigrams(&run));
                if let Some(last) = run.last() {
                    out.push(last.to_string());
                }
            }
            _ => out.push(word(&run)),
        }
        if out.len() >= MAX_TOKENS {
            out.truncate(MAX_TOKENS);
            break;
        }
    }
    out
}

/// The marker token of the body holding a case (lets the index intersect a body's
/// cases with a common word instead of walking every match).
pub fn body_marker(org: crate::OrgId) -> String {
    format!("_b{}", org.0)
}

/// The marker token of an act code.
pub fn act_marker(code: &str) -> String {
    format!("_a{}", marker_safe(code))
}

/// The marker token of a sector code.
pub fn sector_marker(code: &str) -> String {
    format!("_s{}", marker_safe(code))
}

fn marker_safe(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The whole token list of one case's document: markers (body, acts, sector), then the
/// text.
pub fn document(
    body: crate::OrgId,
    title: &str,
    description: &str,
    answers_json: &str,
    facets: &crate::Facets,
) -> Vec<String> {
    let mut toks = vec![body_marker(body)];
    toks.extend(facets.acts.iter().map(|a| act_marker(a)));
    if let Some(s) = &facets.sector {
        toks.push(sector_marker(s));
    }
    let mut text = String::with_capacity(title.len() + description.len() + 64);
    text.push_str(title);
    text.push('\n');
    text.push_str(description);
    // Free-text answers and choice ids: every string value of the answers object.
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(answers_json) {
        for v in m.values() {
            collect_strings(v, &mut text);
        }
    }
    toks.extend(tokens(&text));
    toks
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push('\n');
            out.push_str(s);
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// The text form FTS5 indexes (tokens separated by spaces).
pub fn fts5_document(toks: &[String]) -> String {
    toks.join(" ")
}

/// The `tsvector` literal PostgreSQL stores (`'token':pos,…`), positions from 1.
pub fn tsvector(toks: &[String]) -> String {
    let mut pos: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, t) in toks.iter().enumerate() {
        let p = pos.entry(t.as_str()).or_default();
        // PostgreSQL keeps at most 256 positions per lexeme.
        if p.len() < 255 {
            p.push((i + 1).min(16_383));
        }
    }
    let mut out = String::new();
    for (t, ps) in pos {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&quote_lexeme(t));
        out.push(':');
        let ps: Vec<String> = ps.iter().map(ToString::to_string).collect();
        out.push_str(&ps.join(","));
    }
    out
}

fn quote_lexeme(t: &str) -> String {
    let mut s = String::with_capacity(t.len() + 2);
    s.push('\'');
    for c in t.chars() {
        if c == '\'' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('\'');
    s
}

/// One query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// These tokens, adjacent and in order; with `prefix`, the last one is a
    /// prefix (a query ending in a single CJK character).
    Phrase {
        /// Tokens.
        tokens: Vec<String>,
        /// The last token is a prefix.
        prefix: bool,
    },
    /// An exact marker token.
    Marker(String),
}

/// A parsed full-text query: every term must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The terms.
    pub terms: Vec<Term>,
}

impl Query {
    /// Parses what a person typed: whitespace-separated terms, each matched as a
    /// substring-like phrase. `None` when nothing searchable remains.
    pub fn parse(input: &str) -> Option<Query> {
        let mut terms = Vec::new();
        for raw in input.split(|c: char| c.is_whitespace() || c == '\u{3000}') {
            let rs = runs(raw);
            let n = rs.len();
            let mut toks = Vec::new();
            let mut prefix = false;
            for (i, (k, run)) in rs.into_iter().enumerate() {
                let last = i + 1 == n;
                match k {
                    Class::Cjk if run.len() == 1 => {
                        toks.push(run[0].to_string());
                        prefix = last;
                    }
                    Class::Cjk => {
                        toks.extend(bigrams(&run));
                        // Inside the term a run ends where the document's run ends,
                        // so the document's end-of-run token is there too.
                        if !last {
                            toks.extend(run.last().map(char::to_string));
                        }
                    }
                    _ => toks.push(word(&run)),
                }
            }
            if toks.is_empty() {
                continue;
            }
            terms.push(Term::Phrase {
                tokens: toks,
                prefix,
            });
            if terms.len() >= MAX_TERMS {
                break;
            }
        }
        if terms.is_empty() {
            None
        } else {
            Some(Query { terms })
        }
    }

    /// Adds a marker term (act, sector).
    pub fn with_marker(mut self, marker: String) -> Query {
        self.terms.push(Term::Marker(marker));
        self
    }

    /// A query of markers only.
    pub fn markers(markers: Vec<String>) -> Option<Query> {
        if markers.is_empty() {
            None
        } else {
            Some(Query {
                terms: markers.into_iter().map(Term::Marker).collect(),
            })
        }
    }

    /// The FTS5 MATCH expression (every token double-quoted; tokens hold no quotes).
    pub fn fts5(&self) -> String {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Phrase { tokens, prefix } => {
                    format!("\"{}\"{}", tokens.join(" "), if *prefix { "*" } else { "" })
                }
                Term::Marker(m) => format!("\"{m}\""),
            })
            .collect();
        parts.join(" AND ")
    }

    /// The PostgreSQL `tsquery` literal.
    pub fn tsquery(&self) -> String {
        let parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| match t {
                Term::Phrase { tokens, prefix } => {
                    let mut q: Vec<String> = tokens.iter().map(|x| quote_lexeme(x)).collect();
                    if *prefix && let Some(l) = q.last_mut() {
                        l.push_str(":*");
                    }
                    if q.len() == 1 {
                        q.remove(0)
                    } else {
                        format!("( {} )", q.join(" <-> "))
                    }
                }
                Term::Marker(m) => quote_lexeme(m),
            })
            .collect();
        parts.join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_becomes_bigrams_and_latin_words() {
        assert_eq!(
            tokens("不正アクセス、203.0.113.9から"),
            vec![
                "不正", "正ア", "アク", "クセ", "セス", "ス", "203", "0", "113", "9", "から", "ら"
            ]
        );
        assert_eq!(tokens("ＡＢＣ　Login"), vec!["abc", "login"]);
        assert_eq!(tokens("字"), vec!["字"]);
        assert!(tokens("、。!?").is_empty());
    }

    #[test]
    fn query_terms_are_phrases_or_prefixes() {
        let q = Query::parse("送金　不 203.0.113.9").unwrap();
        assert_eq!(
            q.terms,
            vec![
                Term::Phrase {
                    tokens: vec!["送金".into()],
                    prefix: false
                },
                Term::Phrase {
                    tokens: vec!["不".into()],
                    prefix: true
                },
                Term::Phrase {
                    tokens: vec!["203".into(), "0".into(), "113".into(), "9".into()],
                    prefix: false
                },
            ]
        );
        assert_eq!(q.fts5(), r#""送金" AND "不"* AND "203 0 113 9""#);
        assert_eq!(
            q.tsquery(),
            "'送金' & '不':* & ( '203' <-> '0' <-> '113' <-> '9' )"
        );
        assert_eq!(Query::parse("  、 "), None);
        // A term mixing scripts keeps the document's end-of-run token inside.
        let q = Query::parse("ログインadmin").unwrap();
        let doc = tokens("不正ログインadmin");
        let Term::Phrase { tokens: t, .. } = &q.terms[0] else {
            panic!()
        };
        assert!(
            doc.windows(t.len()).any(|w| w == t.as_slice()),
            "{t:?} in {doc:?}"
        );
    }

    #[test]
    fn markers_cannot_be_forged_by_text() {
        // The tokenizer splits on `_`, so no user token starts with it.
        assert!(
            tokens("_aidentifier_misuse")
                .iter()
                .all(|t| !t.starts_with('_'))
        );
        assert_eq!(act_marker("identifier_misuse"), "_aidentifier_misuse");
        assert_eq!(sector_marker("fin'ance\""), "_sfinance");
    }

    #[test]
    fn tsvector_groups_positions_and_escapes() {
        let t = tsvector(&["ab".into(), "c'd".into(), "ab".into()]);
        assert_eq!(t, r"'ab':1,3 'c\'d':2");
    }
}
