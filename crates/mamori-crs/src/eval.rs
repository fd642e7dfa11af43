//! Evaluation of the compiled rules on one request: phases 1 and 2 in file order,
//! `skipAfter` jumps to markers, chains, `capture` into `TX:0`–`TX:9`, `setvar`
//! on TX, anomaly scoring.

use crate::rule::{Category, Rule, SetOp, Severity};
use crate::transform::Transform;
use crate::var::{Ctx, Name, Prepared};
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

/// The TX collection: lower-case keys.
pub type Tx = HashMap<String, String>;

/// One item of a phase's program.
#[derive(Debug)]
pub(crate) enum Item {
    Rule(Box<Rule>),
    Marker,
}

/// One phase: its items and where each marker is.
#[derive(Debug, Default)]
pub(crate) struct Program {
    pub items: Vec<Item>,
    pub markers: HashMap<String, usize>,
}

/// A rule that matched a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// The CRS rule id (`942100`).
    pub id: u32,
    /// `msg:`.
    pub msg: Arc<str>,
    /// `severity:` (a rule without one counts as NOTICE).
    pub severity: Severity,
    /// `tag:`s.
    pub tags: Arc<[Arc<str>]>,
    /// From the rule file.
    pub category: Category,
    /// What matched where: the expanded `logdata` or `VAR: value`, at most 200 bytes.
    pub data: String,
    /// The first matched variable's value after the rule's transformations, at most
    /// 200 bytes.
    pub value: String,
}

/// The outcome for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// The rules that matched, in evaluation order.
    pub matches: Vec<Match>,
    /// The inbound anomaly score: the sum of the matched rules' severity scores.
    pub score: u32,
    /// Whether `score` reaches the inbound threshold (CRS default 5): what CRS
    /// would block.
    pub attack: bool,
}

impl Evaluation {
    /// The match with the highest severity (the first of equals), if any.
    pub fn top(&self) -> Option<&Match> {
        self.matches
            .iter()
            .enumerate()
            .min_by_key(|(i, m)| (m.severity, *i))
            .map(|(_, m)| m)
    }
}

type Matched = Vec<(String, Vec<u8>)>;

pub(crate) struct Engine<'r> {
    pub paranoia: u8,
    pub programs: &'r [Program; 2],
}

impl<'r> Engine<'r> {
    pub fn run(&self, p: &Prepared<'_>, tx: &mut Tx) -> Vec<Match> {
        let mut out = Vec::new();
        let mut cache = Cache::default();
        for prog in self.programs {
            let mut i = 0;
            while i < prog.items.len() {
                let Item::Rule(rule) = &prog.items[i] else {
                    i += 1;
                    continue;
                };
                i += 1;
                if rule.paranoia.is_some_and(|pl| pl > self.paranoia) {
                    continue;
                }
                let Some(matched) = self.rule_chain(rule, p, tx, &mut cache) else {
                    continue;
                };
                if !rule.nolog
                    && rule.category != Category::Other
                    && let Some(msg) = &rule.msg
                {
                    out.push(Match {
                        id: rule.id,
                        msg: msg.clone(),
                        severity: rule.severity.unwrap_or(Severity::Notice),
                        tags: rule.tags.clone(),
                        category: rule.category,
                        data: finding_data(rule, tx, &matched),
                        value: matched.first().map_or_else(String::new, |(_, v)| {
                            truncate(String::from_utf8_lossy(v).into_owned(), 200)
                        }),
                    });
                }
                if let Some(m) = &rule.skip_after {
                    i = prog.markers.get(m).map_or(prog.items.len(), |&k| k + 1);
                } else if rule.skip > 0 {
                    let mut left = rule.skip;
                    while left > 0 && i < prog.items.len() {
                        if matches!(prog.items[i], Item::Rule(_)) {
                            left -= 1;
                        }
                        i += 1;
                    }
                }
            }
        }
        out
    }

    /// Evaluates a rule and its chain; on a match runs every link's `setvar` and
    /// returns the first link's matched variables.
    fn rule_chain(
        &self,
        head: &'r Rule,
        p: &Prepared<'_>,
        tx: &mut Tx,
        cache: &mut Cache<'r>,
    ) -> Option<Matched> {
        let first = eval_one(head, p, tx, &[], cache)?;
        if head.chain.is_none() {
            // The common case: no chain, so no list of links to keep.
            set_vars(head, &first, tx);
            return Some(first);
        }
        let mut links: Vec<(&Rule, Matched)> = vec![(head, first)];
        let mut link = head.chain.as_deref();
        while let Some(r) = link {
            let prev = links.last().map_or(&[][..], |(_, m)| m.as_slice());
            let m = eval_one(r, p, tx, prev, cache)?;
            links.push((r, m));
            link = r.chain.as_deref();
        }
        for (r, m) in &links {
            set_vars(r, m, tx);
        }
        Some(links.swap_remove(0).1)
    }
}

/// Runs a matched link's `setvar`s.
fn set_vars(r: &Rule, m: &[(String, Vec<u8>)], tx: &mut Tx) {
    for sv in &r.setvars {
        let name = expand(&sv.name, tx, m, r).to_ascii_lowercase();
        let value = expand(&sv.value, tx, m, r);
        match sv.op {
            SetOp::Set => {
                tx.insert(name, value);
            }
            SetOp::Delete => {
                tx.remove(&name);
            }
            SetOp::Add | SetOp::Sub => {
                let cur = tx.get(&name).map_or(0, |v| atoi(v));
                let d = atoi(&value);
                let n = if sv.op == SetOp::Add {
                    cur.saturating_add(d)
                } else {
                    cur.saturating_sub(d)
                };
                tx.insert(name, n.to_string());
            }
        }
    }
}

fn atoi(s: &str) -> i64 {
    let t = s.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || i == 0 && (c == '-' || c == '+')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().unwrap_or(0)
}

/// The transformed values of one request, by value and transformation chain: CRS
/// applies the same few chains to the same arguments in rule after rule, so each
/// (value, chain) is transformed once. Keys are the addresses of values borrowed from
/// the request's [`Prepared`], which outlives the cache.
#[derive(Default)]
pub(crate) struct Cache<'r> {
    map: HashMap<CacheKey<'r>, Option<Rc<[u8]>>>,
}

/// A value's address and length, and the transformation chain.
type CacheKey<'r> = (usize, usize, &'r [Transform]);

impl<'r> Cache<'r> {
    /// The value after the chain; `None` when the chain leaves it as it is.
    fn get(&mut self, raw: &[u8], chain: &'r [Transform]) -> Option<Rc<[u8]>> {
        self.map
            .entry((raw.as_ptr() as usize, raw.len(), chain))
            .or_insert_with(|| apply_all(raw, chain).map(Into::into))
            .clone()
    }
}

/// The value after the chain; `None` when every transformation leaves it as it is
/// (no copy then).
fn apply_all(raw: &[u8], chain: &[Transform]) -> Option<Vec<u8>> {
    let mut cur: Option<Vec<u8>> = None;
    for t in chain {
        if let Some(next) = t.apply_changed(cur.as_deref().unwrap_or(raw)) {
            cur = Some(next);
        }
    }
    cur
}

/// One link: the variables whose transformed value the operator accepts.
fn eval_one<'r>(
    r: &'r Rule,
    p: &Prepared<'_>,
    tx: &mut Tx,
    prev: &[(String, Vec<u8>)],
    cache: &mut Cache<'r>,
) -> Option<Matched> {
    let mut matched: Matched = Vec::new();
    let mut groups: Option<Vec<Vec<u8>>> = None;
    {
        let ctx = Ctx {
            p,
            tx,
            matched: prev,
        };
        let expand_arg = |s: &str| expand(s, tx, prev, r);
        let want = r.capture && !r.negated;
        let mut on_value = |name: Name<'_>, raw: Cow<'_, [u8]>, stable: bool| {
            let (hit, value): (_, Cow<'_, [u8]>) = if r.multi_match {
                // The operator sees the value after each transformation.
                let mut cur = raw;
                let mut hit = r.op.eval(&cur, want, &expand_arg);
                for t in &r.transforms {
                    if hit.is_some() != r.negated {
                        break;
                    }
                    // As ModSecurity: the operator runs again only on a value the
                    // transformation changed (the same input gives the same
                    // verdict). Most values pass `utf8toUnicode`, `removeNulls` …
                    // unchanged, and 942100 runs libinjection here.
                    let Some(next) = t.apply_changed(&cur) else {
                        continue;
                    };
                    if next[..] == cur[..] {
                        continue;
                    }
                    cur = Cow::Owned(next);
                    hit = r.op.eval(&cur, want, &expand_arg);
                }
                (hit, cur)
            } else if r.transforms.is_empty() {
                (r.op.eval(&raw, want, &expand_arg), raw)
            } else {
                // Values borrowed from the request are transformed once per chain
                // (`Cache`); TX and matched values change, so they are not cached.
                let t = if stable {
                    cache.get(&raw, &r.transforms)
                } else {
                    apply_all(&raw, &r.transforms).map(Into::into)
                };
                let t: &[u8] = t.as_deref().unwrap_or(&raw);
                let hit = r.op.eval(t, want, &expand_arg);
                // Copied only for a match.
                let value = if hit.is_some() == r.negated {
                    Cow::Borrowed(&[][..])
                } else {
                    Cow::Owned(t.to_vec())
                };
                (hit, value)
            };
            if hit.is_some() != r.negated {
                if want
                    && groups.is_none()
                    && let Some(h) = hit
                {
                    groups = Some(h.groups);
                }
                matched.push((name.into_string(), value.into_owned()));
            }
        };
        for spec in &r.vars {
            spec.each(&ctx, &mut on_value);
        }
    }
    if matched.is_empty() {
        return None;
    }
    if let Some(g) = groups {
        for (i, v) in g.into_iter().enumerate() {
            tx.insert(i.to_string(), String::from_utf8_lossy(&v).into_owned());
        }
    }
    Some(matched)
}

/// Expands `%{…}` macros: `tx.x`, `matched_var`, `matched_var_name`, `rule.id`,
/// `rule.msg`; anything else is empty.
pub(crate) fn expand(s: &str, tx: &Tx, matched: &[(String, Vec<u8>)], r: &Rule) -> String {
    if !s.contains("%{") {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("%{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let name = after[..end].to_ascii_lowercase();
        match name.as_str() {
            "matched_var" => {
                if let Some((_, v)) = matched.last() {
                    out.push_str(&String::from_utf8_lossy(v));
                }
            }
            "matched_var_name" => {
                if let Some((n, _)) = matched.last() {
                    out.push_str(n);
                }
            }
            "rule.id" => out.push_str(&r.id.to_string()),
            "rule.msg" => out.push_str(r.msg.as_deref().unwrap_or("")),
            n => {
                if let Some(k) = n.strip_prefix("tx.")
                    && let Some(v) = tx.get(k)
                {
                    out.push_str(v);
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn finding_data(r: &Rule, tx: &Tx, matched: &[(String, Vec<u8>)]) -> String {
    let text = match &r.logdata {
        Some(l) => expand(l, tx, matched, r),
        None => matched
            .first()
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .unwrap_or_default(),
    };
    truncate(text, 200)
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}
