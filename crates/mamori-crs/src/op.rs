//! Operators (`@rx`, `@pm`, `@detectSQLi` …) as the ModSecurity reference manual
//! defines them, on transformed bytes.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::borrow::Cow;

/// A compiled regular expression: the `regex` crate where it can, `fancy-regex` for
/// the look-around and back-references PCRE allows.
#[derive(Debug)]
pub enum Rx {
    /// Byte-oriented, linear time.
    Fast(regex::bytes::Regex),
    /// Backtracking, on the input decoded lossily as UTF-8.
    Fancy(Box<fancy_regex::Regex>),
}

impl Rx {
    /// Compiles a PCRE pattern as CRS writes it.
    pub fn new(pattern: &str) -> Result<Rx, String> {
        let fast = |p: &str| {
            regex::bytes::RegexBuilder::new(p)
                .unicode(false)
                .size_limit(64 << 20)
                .dfa_size_limit(16 << 20)
                .build()
        };
        let first = match fast(pattern) {
            Ok(r) => return Ok(Rx::Fast(r)),
            Err(e) => e.to_string(),
        };
        let fixed = pcre_to_rust(pattern);
        if fixed != pattern
            && let Ok(r) = fast(&fixed)
        {
            return Ok(Rx::Fast(r));
        }
        match fancy_regex::RegexBuilder::new(&fixed)
            .backtrack_limit(100_000)
            .delegate_size_limit(64 << 20)
            .build()
        {
            Ok(r) => Ok(Rx::Fancy(Box::new(r))),
            Err(e) => Err(format!("{first}; fancy-regex: {e}")),
        }
    }

    /// The first match's capture groups 0..=9 (group 0 is the whole match), or
    /// `None` when nothing matches.
    pub fn captures(&self, s: &[u8]) -> Option<Vec<Vec<u8>>> {
        match self {
            Rx::Fast(r) => r.captures(s).map(|c| {
                c.iter()
                    .take(10)
                    .map(|m| m.map_or_else(Vec::new, |m| m.as_bytes().to_vec()))
                    .collect()
            }),
            Rx::Fancy(r) => {
                let text = String::from_utf8_lossy(s);
                let c = r.captures(&text).ok()??;
                Some(
                    c.iter()
                        .take(10)
                        .map(|m| m.map_or_else(Vec::new, |m| m.as_str().as_bytes().to_vec()))
                        .collect(),
                )
            }
        }
    }

    /// Whether the pattern matches anywhere in `s`. A backtracking limit counts as
    /// no match.
    pub fn is_match(&self, s: &[u8]) -> bool {
        match self {
            Rx::Fast(r) => r.is_match(s),
            Rx::Fancy(r) => r.is_match(&String::from_utf8_lossy(s)).unwrap_or(false),
        }
    }
}

/// Rewrites the PCRE constructs the `regex` crate rejects but can express:
/// a `{` that does not start a repetition is a literal, `\Z` is `$`, possessive
/// quantifiers lose their `+` and atomic groups become plain groups (both only
/// change backtracking, not what matches).
fn pcre_to_rust(p: &str) -> String {
    let b = p.as_bytes();
    let mut out = String::with_capacity(p.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut in_rep = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' if i + 1 < b.len() => {
                let n = b[i + 1];
                if n == b'Z' && !in_class {
                    out.push('$');
                } else {
                    out.push('\\');
                    push_char(&mut out, p, i + 1);
                }
                i += 1 + char_len(p, i + 1);
                continue;
            }
            b'[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is literal.
                if b.get(i + 1) == Some(&b'^') {
                    out.push('^');
                    i += 1;
                }
                if b.get(i + 1) == Some(&b']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            b'[' if in_class => out.push_str("\\["),
            b']' if in_class => {
                in_class = false;
                out.push(']');
            }
            b'{' if !in_class => {
                let rest = &p[i + 1..];
                let end = rest.find('}');
                let is_rep = end.is_some_and(|e| {
                    let inner = &rest[..e];
                    !inner.is_empty()
                        && inner.chars().all(|c| c.is_ascii_digit() || c == ',')
                        && inner.chars().next().is_some_and(|c| c.is_ascii_digit())
                });
                if is_rep && i > 0 {
                    in_rep = true;
                    out.push('{');
                } else {
                    out.push_str("\\{");
                }
            }
            b'}' if !in_class => {
                // Keep a `}` that closes a repetition, escape a lone one.
                if in_rep {
                    in_rep = false;
                    out.push('}');
                } else {
                    out.push_str("\\}");
                }
            }
            b'+' if !in_class && i > 0 && matches!(b[i - 1], b'+' | b'*' | b'?' | b'}') => {
                // Possessive quantifier: drop the `+` (unless the previous one was escaped).
                if i >= 2 && b[i - 2] == b'\\' {
                    out.push('+');
                }
            }
            b'(' if !in_class && p[i..].starts_with("(?>") => {
                out.push_str("(?:");
                i += 3;
                continue;
            }
            _ => push_char(&mut out, p, i),
        }
        i += char_len(p, i);
    }
    out
}

fn char_len(p: &str, i: usize) -> usize {
    p[i..].chars().next().map_or(1, char::len_utf8)
}

fn push_char(out: &mut String, p: &str, i: usize) {
    if let Some(c) = p[i..].chars().next() {
        out.push(c);
    }
}

/// A phrase list for `@pm` / `@pmFromFile`: case-insensitive, anywhere in the input.
#[derive(Debug)]
pub struct Phrases {
    ac: AhoCorasick,
    /// The phrases, for the pre-filter.
    pub phrases: Vec<String>,
}

impl Phrases {
    /// Builds the matcher.
    pub fn new(phrases: Vec<String>) -> Result<Phrases, String> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&phrases)
            .map_err(|e| e.to_string())?;
        Ok(Phrases { ac, phrases })
    }

    /// The first phrase found, if any.
    pub fn find<'a>(&self, s: &'a [u8]) -> Option<&'a [u8]> {
        self.ac.find(s).map(|m| &s[m.start()..m.end()])
    }
}

/// An operator argument: literal or with `%{…}` macros expanded per request.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A fixed value.
    Lit(Vec<u8>),
    /// Contains macros.
    Macro(String),
}

impl Arg {
    /// Parses an argument.
    pub fn new(s: &str) -> Arg {
        if s.contains("%{") {
            Arg::Macro(s.to_owned())
        } else {
            Arg::Lit(s.as_bytes().to_vec())
        }
    }

    /// The value, expanding macros with `expand`.
    pub fn value<'a>(&'a self, expand: &dyn Fn(&str) -> String) -> Cow<'a, [u8]> {
        match self {
            Arg::Lit(v) => Cow::Borrowed(v),
            Arg::Macro(m) => Cow::Owned(expand(m).into_bytes()),
        }
    }
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `@eq`
    Eq,
    /// `@ge`
    Ge,
    /// `@gt`
    Gt,
    /// `@le`
    Le,
    /// `@lt`
    Lt,
}

/// One operator.
#[derive(Debug)]
pub enum Op {
    /// `@rx` (also an operator string without `@`).
    Rx(Rx),
    /// `@pm` / `@pmFromFile`.
    Pm(Phrases),
    /// `@beginsWith`.
    BeginsWith(Arg),
    /// `@endsWith`.
    EndsWith(Arg),
    /// `@contains`.
    Contains(Arg),
    /// `@containsWord`.
    ContainsWord(Arg),
    /// `@streq`.
    Streq(Arg),
    /// `@within`: the input occurs in the argument.
    Within(Arg),
    /// `@eq` `@ge` `@gt` `@le` `@lt`.
    Num(Cmp, Arg),
    /// `@detectSQLi` (libinjection).
    DetectSqli,
    /// `@detectXSS` (libinjection).
    DetectXss,
    /// `@validateUrlEncoding`.
    ValidateUrlEncoding,
    /// `@validateUtf8Encoding`.
    ValidateUtf8,
    /// `@validateByteRange`: the allowed bytes.
    ValidateByteRange(Box<[bool; 256]>),
    /// `@unconditionalMatch`.
    Unconditional,
    /// `@noMatch`.
    NoMatch,
}

/// What an operator found: the matched text (for `TX:0` and the finding) and the
/// capture groups.
#[derive(Debug, Default)]
pub struct Hit {
    /// Capture groups 0..=9 (`@rx`), or the matched phrase as group 0.
    pub groups: Vec<Vec<u8>>,
}

impl Op {
    /// Evaluates the operator on `s`. `expand` expands macros in arguments.
    pub fn eval(
        &self,
        s: &[u8],
        want_groups: bool,
        expand: &dyn Fn(&str) -> String,
    ) -> Option<Hit> {
        let yes = |g: &[u8]| {
            Some(Hit {
                groups: vec![g.to_vec()],
            })
        };
        match self {
            Op::Rx(r) => {
                // Captures cost more than a yes/no: only for a match.
                if want_groups {
                    if !r.is_match(s) {
                        return None;
                    }
                    r.captures(s).map(|groups| Hit { groups })
                } else {
                    r.is_match(s).then(Hit::default)
                }
            }
            Op::Pm(p) => p.find(s).and_then(yes),
            Op::BeginsWith(a) => {
                let a = a.value(expand);
                s.starts_with(&a).then(|| yes(&a)).flatten()
            }
            Op::EndsWith(a) => {
                let a = a.value(expand);
                s.ends_with(&a).then(|| yes(&a)).flatten()
            }
            Op::Contains(a) => {
                let a = a.value(expand);
                memchr::memmem::find(s, &a).and_then(|_| yes(&a))
            }
            Op::ContainsWord(a) => {
                let a = a.value(expand);
                contains_word(s, &a).then(|| yes(&a)).flatten()
            }
            Op::Streq(a) => (s == a.value(expand).as_ref()).then(|| yes(s)).flatten(),
            Op::Within(a) => {
                let a = a.value(expand);
                (!s.is_empty() && memchr::memmem::find(&a, s).is_some())
                    .then(|| yes(s))
                    .flatten()
            }
            Op::Num(cmp, a) => {
                let x = atoi(s);
                let y = atoi(&a.value(expand));
                let ok = match cmp {
                    Cmp::Eq => x == y,
                    Cmp::Ge => x >= y,
                    Cmp::Gt => x > y,
                    Cmp::Le => x <= y,
                    Cmp::Lt => x < y,
                };
                ok.then(|| yes(s)).flatten()
            }
            Op::DetectSqli => {
                let r = crate::inject::sqli(s)?;
                yes(r.as_bytes())
            }
            Op::DetectXss => crate::inject::xss(s).then(|| yes(s)).flatten(),
            Op::ValidateUrlEncoding => (!valid_url_encoding(s)).then(|| yes(s)).flatten(),
            Op::ValidateUtf8 => std::str::from_utf8(s).is_err().then(|| yes(s)).flatten(),
            Op::ValidateByteRange(allowed) => s
                .iter()
                .position(|&b| !allowed[usize::from(b)])
                .and_then(|i| yes(&s[i..=i])),
            Op::Unconditional => yes(s),
            Op::NoMatch => None,
        }
    }
}

/// C `atoi`: optional sign and leading digits; anything else is 0.
fn atoi(s: &[u8]) -> i64 {
    let s = s.trim_ascii_start();
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &d in digits.iter().take_while(|d| d.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(d - b'0'));
    }
    if neg { -v } else { v }
}

fn contains_word(s: &[u8], w: &[u8]) -> bool {
    if w.is_empty() {
        return true;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    memchr::memmem::find_iter(s, w).any(|i| {
        let before = i == 0 || !word(s[i - 1]);
        let after = s.get(i + w.len()).is_none_or(|&b| !word(b));
        before && after
    })
}

fn valid_url_encoding(s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            match (s.get(i + 1), s.get(i + 2)) {
                (Some(a), Some(b)) if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => i += 3,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

/// Parses `@validateByteRange`'s argument (`1-255`, `9,10,13,32-126`).
pub fn byte_ranges(arg: &str) -> Result<Box<[bool; 256]>, String> {
    let mut allowed = Box::new([false; 256]);
    for part in arg.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a: u8 = a
            .trim()
            .parse()
            .map_err(|_| format!("bad byte range {part:?}"))?;
        let b: u8 = b
            .trim()
            .parse()
            .map_err(|_| format!("bad byte range {part:?}"))?;
        if a > b {
            return Err(format!("bad byte range {part:?}"));
        }
        for x in a..=b {
            allowed[usize::from(x)] = true;
        }
    }
    Ok(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> String {
        String::new()
    }

    #[test]
    fn pcre_rewrites() {
        assert_eq!(pcre_to_rust(r"a{b"), r"a\{b");
        assert_eq!(pcre_to_rust(r"a{2,3}"), r"a{2,3}");
        assert_eq!(pcre_to_rust(r"a++b"), r"a+b");
        assert_eq!(pcre_to_rust(r"(?>ab)"), r"(?:ab)");
        assert_eq!(pcre_to_rust(r"x\Z"), r"x$");
        assert_eq!(pcre_to_rust(r"[]a[]"), r"[\]a\[]");
        assert!(Rx::new(r"^\(\s*\)\s+{").is_ok());
        assert!(Rx::new(r"(?i)(?<!a)b").is_ok());
    }

    #[test]
    fn operators() {
        let rx = Op::Rx(Rx::new(r"(?i)un(ion)").unwrap());
        let hit = rx.eval(b"x UNION y", true, &none).unwrap();
        assert_eq!(hit.groups[0], b"UNION");
        assert_eq!(hit.groups[1], b"ION");
        let pm = Op::Pm(Phrases::new(vec!["nikto".into(), "sqlmap".into()]).unwrap());
        assert!(pm.eval(b"Mozilla (Nikto/2.1)", false, &none).is_some());
        assert!(pm.eval(b"Mozilla", false, &none).is_none());
        let within = Op::Within(Arg::new("GET HEAD POST"));
        assert!(within.eval(b"GET", false, &none).is_some());
        assert!(within.eval(b"PUT", false, &none).is_none());
        let lt = Op::Num(Cmp::Lt, Arg::new("%{tx.pl}"));
        assert!(lt.eval(b"1", false, &|_| "2".into()).is_some());
        assert!(lt.eval(b"2", false, &|_| "2".into()).is_none());
        let cw = Op::ContainsWord(Arg::new("select"));
        assert!(cw.eval(b"a select b", false, &none).is_some());
        assert!(cw.eval(b"selected", false, &none).is_none());
        assert!(Op::ValidateUrlEncoding.eval(b"a%2", false, &none).is_some());
        assert!(
            Op::ValidateUrlEncoding
                .eval(b"a%20", false, &none)
                .is_none()
        );
        assert!(Op::ValidateUtf8.eval(b"\xff", false, &none).is_some());
        let br = Op::ValidateByteRange(byte_ranges("32-126").unwrap());
        assert!(br.eval(b"abc", false, &none).is_none());
        assert!(br.eval(b"a\x01", false, &none).is_some());
        assert!(byte_ranges("5-1").is_err());
        assert_eq!(atoi(b" 42abc"), 42);
        assert_eq!(atoi(b"x"), 0);
    }
}
