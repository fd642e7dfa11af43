//! The OWASP Core Rule Set (CRS 3.3 and 4.x), evaluated on what an access-log line
//! holds: the request line, the User-Agent and the Referer.
//!
//! [`RuleSet::load_dir`] reads the `REQUEST-9xx-*.conf` files of a CRS directory
//! (Debian's `modsecurity-crs`: `/usr/share/modsecurity-crs/rules`) through a
//! SecLang subset ([`parse`], [`rule`]); [`RuleSet::evaluate`] runs them on one
//! [`Request`] with the paranoia level and anomaly scoring of CRS. Rules that use
//! something this subset does not know are skipped and counted
//! ([`RuleSet::stats`]), never fatal. [`RuleSet::may_match`] is the fast pre-filter
//! that keeps ordinary requests off the engine.
//!
//! ```no_run
//! use mamori_crs::{Request, RuleSet};
//! let crs = RuleSet::load_dir("/usr/share/modsecurity-crs/rules".as_ref(), 1)?;
//! let req = Request { method: b"GET", uri: b"/?id=1' or '1'='1", protocol: b"HTTP/1.1",
//!                     user_agent: Some(b"curl/8.0"), referer: None };
//! if crs.may_match(&req) {
//!     let ev = crs.evaluate(&req);
//!     assert!(ev.attack);
//! }
//! # Ok::<(), mamori_crs::LoadError>(())
//! ```
//!
//! This crate does not know Mamori's event types: [`Category`] is mapped onto
//! `mamori_detect::event::AttackKind` in mamori-detect.

mod eval;
mod inject;
mod load;
pub mod op;
pub mod parse;
mod prefilter;
pub mod rule;
pub mod transform;
mod var;

pub use eval::{Evaluation, Match, Tx};
pub use load::{LoadError, default_dir};
pub use rule::{Category, Severity};
pub use var::Request;

use eval::{Engine, Item, Program};
use std::path::PathBuf;

/// A rule or construct that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `file:line`.
    pub at: String,
    /// The rule id, when the directive had one.
    pub id: Option<u32>,
    /// What was not understood.
    pub message: String,
}

/// How loading went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Rules (`SecRule`/`SecAction`, a chain counted once) compiled.
    pub loaded: usize,
    /// Rules skipped because they use something unsupported.
    pub skipped: usize,
    /// Directives ignored on purpose (`SecRuleRemoveById`, `SecComponentSignature` …).
    pub ignored_directives: usize,
    /// Every skip, with its place.
    pub warnings: Vec<Warning>,
}

/// A loaded rule set, ready to evaluate requests; shared by all scan threads.
#[derive(Debug)]
pub struct RuleSet {
    files: Vec<String>,
    programs: [Program; 2],
    base_tx: Tx,
    paranoia: u8,
    threshold: u32,
    version: Option<String>,
    stats: Stats,
    prefilter: prefilter::Prefilter,
    dir: Option<PathBuf>,
}

/// One rule file's text with its name (`REQUEST-942-APPLICATION-ATTACK-SQLI.conf`).
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name.
    pub name: String,
    /// Its text.
    pub text: String,
}

impl RuleSet {
    /// Builds a rule set from rule files (in load order) and a reader of their
    /// `@pmFromFile` data files, at paranoia level `paranoia` (clamped to 1–4).
    /// No I/O: [`RuleSet::load_dir`] reads a directory.
    pub fn build(sources: &[Source], data: rule::DataFiles<'_>, paranoia: u8) -> RuleSet {
        let paranoia = paranoia.clamp(1, 4);
        let mut stats = Stats::default();
        let mut files = Vec::new();
        let mut init = [Program::default(), Program::default()];
        let mut programs = [Program::default(), Program::default()];
        let mut version = None;
        let parsed: Vec<_> = sources.iter().map(|s| parse::directives(&s.text)).collect();
        let mut compiled = compile_rules(sources, &parsed, data).into_iter();
        for ((fi, src), (directives, errors)) in sources.iter().enumerate().zip(parsed) {
            files.push(src.name.clone());
            let category = rule::Category::from_file(&src.name);
            let is_init = src.name.contains("-901-");
            for e in errors {
                stats.skipped += 1;
                stats.warnings.push(Warning {
                    at: format!("{}:{}", src.name, e.line),
                    id: None,
                    message: e.message,
                });
            }
            // A chain being assembled: its links so far, or a failed chain to drop.
            let mut pending: Vec<rule::Rule> = Vec::new();
            let mut pending_failed = false;
            for d in directives {
                let at = format!("{}:{}", src.name, d.line);
                let lname = d.name.to_ascii_lowercase();
                match lname.as_str() {
                    "secrule" | "secaction" => match compiled
                        .next()
                        .unwrap_or_else(|| rule::compile(&d, fi, category, data))
                    {
                        Ok(r) => {
                            if version.is_none() {
                                version = r
                                    .ver
                                    .as_deref()
                                    .map(|v| v.trim_start_matches("OWASP_CRS/").to_owned());
                            }
                            let wants = r.wants_chain;
                            if pending_failed {
                                if !wants {
                                    pending_failed = false;
                                }
                                continue;
                            }
                            pending.push(r);
                            if !wants && let Some(chain) = fold_chain(std::mem::take(&mut pending))
                            {
                                push_rule(if is_init { &mut init } else { &mut programs }, chain);
                                stats.loaded += 1;
                            }
                        }
                        Err(message) => {
                            let wants = d
                                .args
                                .last()
                                .is_some_and(|a| a.split(',').any(|x| x.trim() == "chain"));
                            let id = pending.first().map(|r| r.id).or_else(|| id_of(&d));
                            if !pending_failed {
                                stats.skipped += 1;
                                stats.warnings.push(Warning { at, id, message });
                            }
                            pending.clear();
                            pending_failed = wants;
                        }
                    },
                    "secmarker" => {
                        let name = d.args.first().cloned().unwrap_or_default();
                        for p in init.iter_mut().chain(programs.iter_mut()) {
                            p.markers.insert(name.clone(), p.items.len());
                            p.items.push(Item::Marker);
                        }
                    }
                    "seccomponentsignature"
                    | "secruleremovebyid"
                    | "secruleremovebytag"
                    | "secruleremovebymsg"
                    | "secruleupdatetargetbyid"
                    | "secruleupdatetargetbytag"
                    | "secruleupdateactionbyid"
                    | "secdefaultaction"
                    | "seccollectiontimeout" => stats.ignored_directives += 1,
                    _ => {
                        stats.skipped += 1;
                        stats.warnings.push(Warning {
                            at,
                            id: None,
                            message: format!("unsupported directive {}", d.name),
                        });
                    }
                }
            }
            if !pending.is_empty() {
                stats.skipped += 1;
                stats.warnings.push(Warning {
                    at: format!("{}:{}", src.name, pending[0].line),
                    id: Some(pending[0].id),
                    message: "the file ends inside a chain".into(),
                });
            }
        }
        let mut base_tx = Tx::default();
        for k in [
            "paranoia_level",
            "executing_paranoia_level",
            "detection_paranoia_level",
            "blocking_paranoia_level",
        ] {
            base_tx.insert(k.into(), paranoia.to_string());
        }
        // The setup version, so 901's "deployed without configuration" check passes.
        base_tx.insert("crs_setup_version".into(), "1".into());
        let init_engine = Engine {
            paranoia,
            programs: &init,
        };
        let blank = var::Prepared::new(Request::default());
        init_engine.run(&blank, &mut base_tx);
        let threshold = base_tx
            .get("inbound_anomaly_score_threshold")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(5);
        let prefilter = prefilter::Prefilter::new(&programs, &base_tx, paranoia);
        RuleSet {
            files,
            programs,
            base_tx,
            paranoia,
            threshold,
            version,
            stats,
            prefilter,
            dir: None,
        }
    }

    /// Evaluates the rules on one request. In log context a command-injection match
    /// on plain words (`bash vs zsh`) does not count towards the score.
    pub fn evaluate(&self, req: &Request<'_>) -> Evaluation {
        let p = var::Prepared::new(*req);
        let mut tx = self.base_tx.clone();
        let engine = Engine {
            paranoia: self.paranoia,
            programs: &self.programs,
        };
        let mut matches = engine.run(&p, &mut tx);
        // CRS's Unix-command rules (932100/932105/932150) match a command name at the
        // start of any argument: in a log that is mostly people searching for
        // "bash vs zsh" or "ping pong table". A command-injection hit whose value is
        // plain words (no shell syntax, option, path or digit) does not count here.
        matches.retain(|m| !(m.category == Category::Rce && plain_words(&m.value)));
        let score = matches.iter().map(|m| m.severity.score()).sum();
        Evaluation {
            attack: score >= self.threshold,
            matches,
            score,
        }
    }

    /// The pre-filter: `false` when the request holds nothing any loaded rule at this
    /// paranoia level can match (only URL-safe characters, no keyword of the rules'
    /// phrase lists or of SQL, shells and scripting languages, an allowed method,
    /// protocol and file extension). `true` means "evaluate it".
    pub fn may_match(&self, req: &Request<'_>) -> bool {
        self.prefilter.may_match(req)
    }

    /// How loading went: rules loaded, skipped and why.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The CRS version from the rules' `ver:` action (`3.3.4`), if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The paranoia level (1–4).
    pub fn paranoia(&self) -> u8 {
        self.paranoia
    }

    /// The inbound anomaly score threshold (CRS default 5).
    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    /// The rule files, in load order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The directory the rules were read from, when loaded with [`RuleSet::load_dir`].
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_deref()
    }
}

/// Whether `s` is two or more words of letters only (`bash vs zsh`), as people type
/// into a search box, rather than a command line.
fn plain_words(s: &str) -> bool {
    let mut words = 0;
    for w in s.split_ascii_whitespace() {
        if !w.bytes().all(|b| b.is_ascii_alphabetic()) {
            return false;
        }
        words += 1;
    }
    words >= 2
}

/// Compiles every `SecRule`/`SecAction` of the parsed files, in order, on all cores:
/// compiling the regexes is nearly all of the 0.1 s it takes to load CRS, which is a
/// fifth of the wall time of a 100 MB scan. Each rule compiles on its own (the same
/// result on any thread); threads take the next rule from a shared counter, as the
/// SQL rules' regexes cost far more than the rest.
fn compile_rules(
    sources: &[Source],
    parsed: &[(Vec<parse::Directive>, Vec<parse::SyntaxError>)],
    data: rule::DataFiles<'_>,
) -> Vec<Result<rule::Rule, String>> {
    let jobs: Vec<(usize, &parse::Directive)> = parsed
        .iter()
        .enumerate()
        .flat_map(|(fi, (ds, _))| ds.iter().map(move |d| (fi, d)))
        .filter(|(_, d)| {
            d.name.eq_ignore_ascii_case("secrule") || d.name.eq_ignore_ascii_case("secaction")
        })
        .collect();
    let compile = |(fi, d): (usize, &parse::Directive)| {
        rule::compile(d, fi, rule::Category::from_file(&sources[fi].name), data)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len());
    if threads <= 1 {
        return jobs.into_iter().map(compile).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<rule::Rule, String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&job) = jobs.get(i) else { break };
                        out.push((i, compile(job)));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker that panicked leaves its rules to the sequential fallback.
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    // Keep only an unbroken run from the first rule, so the results line up with the
    // directives; anything after a gap compiles again, in order, in `build`.
    let mut out = Vec::with_capacity(done.len());
    for (k, (i, r)) in done.into_iter().enumerate() {
        if i != k {
            break;
        }
        out.push(r);
    }
    out
}

fn id_of(d: &parse::Directive) -> Option<u32> {
    let actions = d.args.last()?;
    let i = actions.find("id:")?;
    let digits: String = actions[i + 3..]
        .chars()
        .skip_while(|c| *c == '\'')
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn fold_chain(mut links: Vec<rule::Rule>) -> Option<rule::Rule> {
    let mut next: Option<Box<rule::Rule>> = None;
    while let Some(mut r) = links.pop() {
        r.chain = next;
        next = Some(Box::new(r));
    }
    next.map(|b| *b)
}

fn push_rule(target: &mut [Program; 2], r: rule::Rule) {
    let slot = match r.phase {
        1 => 0,
        2 => 1,
        _ => return,
    };
    target[slot].items.push(Item::Rule(Box::new(r)));
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn plain_words_are_searches_not_commands() {
        for s in [
            "bash vs zsh",
            "ping pong table",
            "python list comprehension",
        ] {
            assert!(plain_words(s), "{s}");
        }
        for s in [
            "whoami",
            "cat /etc/passwd",
            "uname -a",
            "ping 127.0.0.1",
            "id;ls",
            "wget x.sh",
        ] {
            assert!(!plain_words(s), "{s}");
        }
    }
}
