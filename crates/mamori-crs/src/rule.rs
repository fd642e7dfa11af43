//! From directives to compiled rules: variables, operator, actions.

use crate::op::{Arg, Cmp, Op, Phrases, Rx, byte_ranges};
use crate::parse::Directive;
use crate::transform::Transform;
use crate::var::{Kind, Selector, VarSpec};
use std::sync::Arc;

/// A rule's severity (`severity:` action, names or the syslog numbers 0–7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// 0
    Emergency,
    /// 1
    Alert,
    /// 2: CRS anomaly score 5.
    Critical,
    /// 3: CRS anomaly score 4.
    Error,
    /// 4: CRS anomaly score 3.
    Warning,
    /// 5: CRS anomaly score 2.
    Notice,
    /// 6
    Info,
    /// 7
    Debug,
}

impl Severity {
    fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_uppercase().as_str() {
            "EMERGENCY" | "0" => Severity::Emergency,
            "ALERT" | "1" => Severity::Alert,
            "CRITICAL" | "2" => Severity::Critical,
            "ERROR" | "3" => Severity::Error,
            "WARNING" | "4" => Severity::Warning,
            "NOTICE" | "5" => Severity::Notice,
            "INFO" | "6" => Severity::Info,
            "DEBUG" | "7" => Severity::Debug,
            _ => return None,
        })
    }

    /// The CRS anomaly score of a rule of this severity (CRS defaults:
    /// `tx.critical_anomaly_score=5`, error 4, warning 3, notice 2).
    pub fn score(self) -> u32 {
        match self {
            Severity::Emergency | Severity::Alert | Severity::Critical => 5,
            Severity::Error => 4,
            Severity::Warning => 3,
            Severity::Notice => 2,
            Severity::Info | Severity::Debug => 0,
        }
    }

    /// The name as CRS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Emergency => "EMERGENCY",
            Severity::Alert => "ALERT",
            Severity::Critical => "CRITICAL",
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Notice => "NOTICE",
            Severity::Info => "INFO",
            Severity::Debug => "DEBUG",
        }
    }
}

/// What a rule file is about, from its CRS number (`REQUEST-942-…` → SQL injection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// 901, 905 and others without detection.
    Other,
    /// 911 method enforcement, 920 protocol enforcement.
    ProtocolEnforcement,
    /// 913 scanner detection.
    Scanner,
    /// 921 protocol attack (smuggling, splitting).
    ProtocolAttack,
    /// 930 local file inclusion / path traversal.
    Lfi,
    /// 931 remote file inclusion.
    Rfi,
    /// 932 remote command execution.
    Rce,
    /// 933 PHP injection.
    Php,
    /// 934 Node.js (and other generic) injection.
    NodeJs,
    /// 941 cross-site scripting.
    Xss,
    /// 942 SQL injection.
    Sqli,
    /// 943 session fixation.
    SessionFixation,
    /// 944 Java injection.
    Java,
}

impl Category {
    /// The category of a CRS file name.
    pub fn from_file(name: &str) -> Category {
        let num = name
            .strip_prefix("REQUEST-")
            .and_then(|r| r.get(..3))
            .and_then(|n| n.parse::<u16>().ok());
        match num {
            Some(911 | 920) => Category::ProtocolEnforcement,
            Some(913) => Category::Scanner,
            Some(921) => Category::ProtocolAttack,
            Some(930) => Category::Lfi,
            Some(931) => Category::Rfi,
            Some(932) => Category::Rce,
            Some(933) => Category::Php,
            Some(934) => Category::NodeJs,
            Some(941) => Category::Xss,
            Some(942) => Category::Sqli,
            Some(943) => Category::SessionFixation,
            Some(944) => Category::Java,
            _ => Category::Other,
        }
    }
}

/// `setvar:` on the TX collection.
#[derive(Debug, Clone)]
pub struct SetVar {
    /// The TX key, lower case, possibly with macros.
    pub name: String,
    /// What to do.
    pub op: SetOp,
    /// The value, possibly with macros.
    pub value: String,
}

/// The `setvar` forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `tx.x=v` (or `tx.x`, value 1).
    Set,
    /// `tx.x=+n`
    Add,
    /// `tx.x=-n`
    Sub,
    /// `!tx.x`
    Delete,
}

/// One compiled rule (a chain's first link carries the rest in `chain`).
#[derive(Debug)]
pub struct Rule {
    /// `id:`; 0 for chain links.
    pub id: u32,
    /// Index into the rule set's file names.
    pub file: usize,
    /// The line the directive starts on.
    pub line: u32,
    /// `phase:` (1 or 2 here).
    pub phase: u8,
    /// The variables.
    pub vars: Vec<VarSpec>,
    /// The operator.
    pub op: Op,
    /// `!@op`.
    pub negated: bool,
    /// `t:…` after the last `t:none`.
    pub transforms: Vec<Transform>,
    /// `multiMatch`.
    pub multi_match: bool,
    /// `capture`.
    pub capture: bool,
    /// `nolog`.
    pub nolog: bool,
    /// `msg:`.
    pub msg: Option<Arc<str>>,
    /// `logdata:`.
    pub logdata: Option<String>,
    /// `tag:`s.
    pub tags: Arc<[Arc<str>]>,
    /// `severity:`.
    pub severity: Option<Severity>,
    /// The `paranoia-level/N` tag.
    pub paranoia: Option<u8>,
    /// `setvar:` on TX.
    pub setvars: Vec<SetVar>,
    /// `skipAfter:` marker.
    pub skip_after: Option<String>,
    /// `skip:` count.
    pub skip: u32,
    /// The next link of a chain.
    pub chain: Option<Box<Rule>>,
    /// From the file name.
    pub category: Category,
    /// `ver:`.
    pub ver: Option<String>,
    /// Whether the `chain` action was given (the next SecRule is a link).
    pub(crate) wants_chain: bool,
}

/// Actions that change nothing for a log line but are known.
const IGNORED_ACTIONS: &[&str] = &[
    "block",
    "deny",
    "pass",
    "allow",
    "drop",
    "log",
    "auditlog",
    "noauditlog",
    "status",
    "redirect",
    "ctl",
    "rev",
    "maturity",
    "accuracy",
    "expirevar",
    "initcol",
    "setenv",
    "setuid",
    "setsid",
    "sanitisematched",
    "sanitizematched",
    "sanitisearg",
    "sanitizearg",
    "append",
    "prepend",
    "xmlns",
    "deprecatevar",
    "exec",
    "pause",
    "proxy",
];

/// What a rule file needs from outside: `@pmFromFile` data files by name.
/// `Sync`: rules compile on several threads.
pub type DataFiles<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// Compiles a `SecRule` (`args` = variables, operator, actions) or a `SecAction`
/// (`args` = actions).
pub fn compile(
    d: &Directive,
    file: usize,
    category: Category,
    data: DataFiles<'_>,
) -> Result<Rule, String> {
    let (vars, op_text, actions) = match d.name.to_ascii_lowercase().as_str() {
        "secrule" => match d.args.as_slice() {
            [v, o] => (v.as_str(), o.as_str(), ""),
            [v, o, a] => (v.as_str(), o.as_str(), a.as_str()),
            _ => {
                return Err(format!(
                    "SecRule takes 2 or 3 arguments, got {}",
                    d.args.len()
                ));
            }
        },
        "secaction" => match d.args.as_slice() {
            [a] => ("", "@unconditionalMatch", a.as_str()),
            _ => return Err("SecAction takes 1 argument".into()),
        },
        other => return Err(format!("not a rule: {other}")),
    };
    let vars = if d.name.eq_ignore_ascii_case("secaction") {
        vec![VarSpec {
            kind: Kind::RequestMethod,
            name: "REQUEST_METHOD".into(),
            selector: None,
            count: false,
            excluded: Vec::new(),
        }]
    } else {
        parse_vars(vars)?
    };
    let (negated, op) = parse_op(op_text, data)?;
    let mut rule = Rule {
        id: 0,
        file,
        line: d.line,
        phase: 2,
        vars,
        op,
        negated,
        transforms: Vec::new(),
        multi_match: false,
        capture: false,
        nolog: false,
        msg: None,
        logdata: None,
        tags: Arc::from(Vec::new()),
        severity: None,
        paranoia: None,
        setvars: Vec::new(),
        skip_after: None,
        skip: 0,
        chain: None,
        category,
        ver: None,
        wants_chain: false,
    };
    let mut tags: Vec<Arc<str>> = Vec::new();
    for (name, value) in crate::parse::actions(actions)? {
        let v = value.clone().unwrap_or_default();
        match name.as_str() {
            "id" => rule.id = v.parse().map_err(|_| format!("invalid id {v:?}"))?,
            "phase" => {
                rule.phase = match v.as_str() {
                    "request" => 2,
                    "response" => 4,
                    "logging" => 5,
                    n => n.parse().map_err(|_| format!("invalid phase {v:?}"))?,
                }
            }
            "msg" => rule.msg = Some(v.into()),
            "logdata" => rule.logdata = Some(v),
            "tag" => {
                if let Some(n) = v.strip_prefix("paranoia-level/") {
                    rule.paranoia = n.parse().ok();
                }
                tags.push(v.into());
            }
            "severity" => {
                rule.severity =
                    Some(Severity::parse(&v).ok_or_else(|| format!("invalid severity {v:?}"))?)
            }
            "t" => {
                if v.eq_ignore_ascii_case("none") {
                    rule.transforms.clear();
                } else {
                    rule.transforms.push(
                        Transform::from_name(&v)
                            .ok_or_else(|| format!("unsupported transformation t:{v}"))?,
                    );
                }
            }
            "chain" => rule.wants_chain = true,
            "capture" => rule.capture = true,
            "multimatch" => rule.multi_match = true,
            "nolog" => rule.nolog = true,
            "ver" => rule.ver = Some(v),
            "skipafter" => rule.skip_after = Some(v),
            "skip" => rule.skip = v.parse().map_err(|_| format!("invalid skip {v:?}"))?,
            "setvar" => {
                if let Some(sv) = parse_setvar(&v)? {
                    rule.setvars.push(sv);
                }
            }
            n if IGNORED_ACTIONS.contains(&n) => {}
            n => return Err(format!("unsupported action {n}")),
        }
    }
    rule.tags = Arc::from(tags);
    Ok(rule)
}

fn parse_setvar(v: &str) -> Result<Option<SetVar>, String> {
    let (delete, v) = match v.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    let (name, value) = v.split_once('=').unwrap_or((v, "1"));
    let name = name.trim().to_ascii_lowercase();
    let Some(key) = name.strip_prefix("tx.") else {
        // ip., global., session. … collections are not kept for a log line.
        if name.contains('.') {
            return Ok(None);
        }
        return Err(format!("invalid setvar {v:?}"));
    };
    let (op, value) = if delete {
        (SetOp::Delete, "")
    } else if let Some(n) = value.strip_prefix('+') {
        (SetOp::Add, n)
    } else if let Some(n) = value.strip_prefix('-') {
        (SetOp::Sub, n)
    } else {
        (SetOp::Set, value)
    };
    Ok(Some(SetVar {
        name: key.to_owned(),
        op,
        value: value.to_owned(),
    }))
}

/// Splits `A|!B:x|&C:/re|x/` at the top-level bars.
fn split_vars(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_re = false;
    let mut quote = false;
    let mut prev = '\0';
    for c in s.chars() {
        match c {
            '\'' => quote = !quote,
            '/' if prev == ':' || prev == '\'' && cur.ends_with(":'") => in_re = true,
            '/' if in_re && prev != '\\' => in_re = false,
            '|' if !in_re && !quote => {
                out.push(std::mem::take(&mut cur));
                prev = c;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        prev = c;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn parse_vars(s: &str) -> Result<Vec<VarSpec>, String> {
    let mut specs: Vec<VarSpec> = Vec::new();
    let mut exclusions: Vec<(Kind, Selector)> = Vec::new();
    for item in split_vars(s) {
        let item = item.trim();
        let (exclude, count, rest) = match item.as_bytes().first() {
            Some(b'!') => (true, false, &item[1..]),
            Some(b'&') => (false, true, &item[1..]),
            _ => (false, false, item),
        };
        let (name, sel) = match rest.split_once(':') {
            Some((n, s)) => (n, Some(s.trim_matches('\''))),
            None => (rest, None),
        };
        let upper = name.to_ascii_uppercase();
        let kind = Kind::from_name(&upper).ok_or_else(|| format!("unsupported variable {name}"))?;
        let selector = sel.map(Selector::new).transpose()?;
        if exclude {
            if let Some(sel) = selector {
                exclusions.push((kind, sel));
            }
            continue;
        }
        specs.push(VarSpec {
            kind,
            name: match sel {
                Some(s) => format!("{upper}:{s}"),
                None => upper,
            },
            selector,
            count,
            excluded: Vec::new(),
        });
    }
    for (kind, sel) in exclusions {
        for spec in specs.iter_mut().filter(|s| s.kind == kind) {
            spec.excluded.push(sel.clone());
        }
    }
    if specs.is_empty() {
        return Err("no variables".into());
    }
    Ok(specs)
}

fn parse_op(s: &str, data: DataFiles<'_>) -> Result<(bool, Op), String> {
    let (negated, s) = match s.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let Some(rest) = s.strip_prefix('@') else {
        return Ok((negated, Op::Rx(rx(s)?)));
    };
    let (name, arg) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim_start()),
        None => (rest, ""),
    };
    let op = match name.to_ascii_lowercase().as_str() {
        "rx" => Op::Rx(rx(arg)?),
        "pm" => Op::Pm(Phrases::new(
            arg.split_whitespace().map(str::to_owned).collect(),
        )?),
        "pmf" | "pmfromfile" => {
            let mut phrases = Vec::new();
            for f in arg.split_whitespace() {
                let text = data(f).ok_or_else(|| format!("data file {f} not found"))?;
                phrases.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_owned),
                );
            }
            Op::Pm(Phrases::new(phrases)?)
        }
        "beginswith" => Op::BeginsWith(Arg::new(arg)),
        "endswith" => Op::EndsWith(Arg::new(arg)),
        "contains" => Op::Contains(Arg::new(arg)),
        "containsword" => Op::ContainsWord(Arg::new(arg)),
        "streq" => Op::Streq(Arg::new(arg)),
        "within" => Op::Within(Arg::new(arg)),
        "eq" => Op::Num(Cmp::Eq, Arg::new(arg)),
        "ge" => Op::Num(Cmp::Ge, Arg::new(arg)),
        "gt" => Op::Num(Cmp::Gt, Arg::new(arg)),
        "le" => Op::Num(Cmp::Le, Arg::new(arg)),
        "lt" => Op::Num(Cmp::Lt, Arg::new(arg)),
        "detectsqli" => Op::DetectSqli,
        "detectxss" => Op::DetectXss,
        "validateurlencoding" => Op::ValidateUrlEncoding,
        "validateutf8encoding" => Op::ValidateUtf8,
        "validatebyterange" => Op::ValidateByteRange(byte_ranges(arg)?),
        "unconditionalmatch" => Op::Unconditional,
        "nomatch" => Op::NoMatch,
        other => return Err(format!("unsupported operator @{other}")),
    };
    Ok((negated, op))
}

fn rx(p: &str) -> Result<Rx, String> {
    if p.contains("%{") {
        return Err("macro in a regular expression is not supported".into());
    }
    Rx::new(p).map_err(|e| format!("regex does not compile: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(text: &str) -> Directive {
        crate::parse::directives(text).0.remove(0)
    }

    fn no_data(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn compiles_a_crs_rule() {
        let d = directive(
            r#"SecRule REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|&ARGS:x|REQUEST_HEADERS:User-Agent "!@rx (?i)a{b" "id:942100,phase:2,block,capture,t:none,t:urlDecodeUni,msg:'m, n',tag:'paranoia-level/2',severity:'CRITICAL',setvar:'tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}',setvar:ip.x=1,ver:'OWASP_CRS/3.3.4'""#,
        );
        let r = compile(&d, 0, Category::Sqli, &no_data).unwrap();
        assert_eq!(r.id, 942100);
        assert!(r.negated);
        assert_eq!(r.vars.len(), 3);
        assert_eq!(r.vars[0].excluded.len(), 1);
        assert!(r.vars[1].count);
        assert_eq!(r.transforms, vec![Transform::UrlDecodeUni]);
        assert_eq!(r.paranoia, Some(2));
        assert_eq!(r.severity, Some(Severity::Critical));
        assert_eq!(r.setvars.len(), 1);
        assert_eq!(r.setvars[0].op, SetOp::Add);
        assert_eq!(r.msg.as_deref(), Some("m, n"));
        assert_eq!(r.ver.as_deref(), Some("OWASP_CRS/3.3.4"));
    }

    #[test]
    fn unknown_constructs_are_errors_that_say_what() {
        let e = |t: &str| compile(&directive(t), 0, Category::Other, &no_data).unwrap_err();
        assert!(e(r#"SecRule FOO "@rx a" "id:1""#).contains("variable FOO"));
        assert!(e(r#"SecRule ARGS "@geoLookup" "id:1""#).contains("@geolookup"));
        assert!(e(r#"SecRule ARGS "@rx a" "id:1,t:sha1""#).contains("t:sha1"));
        assert!(e(r#"SecRule ARGS "@rx a" "id:1,frobnicate""#).contains("frobnicate"));
        assert!(e(r#"SecRule ARGS "@pmFromFile x.data" "id:1""#).contains("x.data"));
    }

    #[test]
    fn regex_selectors_may_hold_bars() {
        let v = split_vars("ARGS|!ARGS:/^(a|b)$/|TX:x");
        assert_eq!(v, vec!["ARGS", "!ARGS:/^(a|b)$/", "TX:x"]);
    }
}
