//! MAM-A003 credential-stuffing (連続自動入力試行攻撃) and MAM-A007
//! login-during-stuffing.
//!
//! Leaked ID/password lists are replayed against a login from many addresses, each
//! making only a few attempts, so per-source limits never fire. The signal is
//! site-wide: over a sliding window (default 1 h in 5-minute buckets) a login target
//! sees many failing sources that never succeed, a high share of them, each at a low
//! rate. Legitimate users who mistype also fail, but almost all of them then succeed.
//!
//! Example: 400 addresses × 1–4 `POST /api/v1/auth/login` answered 401 within 3 hours.
//! Legal category: 識別符号窃用型 (Act Art. 3-2 (1)); asks access
//! administrators to detect it and report it to the police.

use super::{Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::{Evidence, Finding};
use mamori_core::{ActCategory, Severity, Text};
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

/// Metadata of MAM-A003.
pub static META: RuleMeta = RuleMeta {
    id: "MAM-A003",
    name: "credential-stuffing",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::High,
    title: Text::new(
        "リスト型攻撃（連続自動入力試行攻撃）",
        "Credential stuffing (list-based login attack)",
    ),
    explanation: Text::new(
        "多数の送信元が少しずつログインに失敗し、その多くが一度も成功していません。他のサイトから漏えいしたIDとパスワードの一覧を使った攻撃です。警察への通報の対象になります。",
        "Many sources each failed a few logins and almost none ever succeeded: a list of IDs and passwords leaked elsewhere is being replayed. Report it to the police.",
    ),
};

/// Metadata of MAM-A007.
pub static META_SUCCESS: RuleMeta = RuleMeta {
    id: "MAM-A007",
    name: "login-during-stuffing",
    category: ActCategory::IdentifierMisuse,
    severity: Severity::High,
    title: Text::new(
        "リスト型攻撃中のログイン成功",
        "Successful login during credential stuffing",
    ),
    explanation: Text::new(
        "リスト型攻撃の最中に、攻撃に加わっていた送信元がログインに成功しています。漏えいしたパスワードが一致し、アカウントが乗っ取られた可能性があります。",
        "During credential stuffing, a source taking part in it logged in successfully: a leaked password matched and the account may be taken over.",
    ),
};

const EVIDENCE_PER_BUCKET: usize = 8;
/// With known accounts: distinct accounts per failure at least this.
const STUFFING_MIN_ACCOUNT_SHARE: f64 = 0.3;
/// Without known accounts, a success at most this long after one or two failures
/// ([`TYPO_MAX_FAILURES`]) from the same source looks like a user's typo.
const TYPO_SECS: i64 = 120;
const TYPO_MAX_FAILURES: u32 = 2;
/// Failure times remembered per source for that judgement.
const RECENT_FAILURES: usize = 8;

#[derive(Debug, Default, Clone, Copy)]
struct Stat {
    fails: u32,
    succ: u32,
}

#[derive(Debug)]
struct Bucket {
    index: i64,
    per_source: HashMap<IpAddr, Stat>,
    last_failure: HashMap<IpAddr, Vec<i64>>,
    failed_accounts: HashMap<IpAddr, HashSet<Arc<str>>>,
    failures: u32,
    failures_with_account: u32,
    evidence: Vec<Evidence>,
    successes: Vec<Event>,
    fail_times: (i64, i64),
}

impl Bucket {
    fn new(index: i64) -> Bucket {
        Bucket {
            index,
            per_source: HashMap::new(),
            last_failure: HashMap::new(),
            failed_accounts: HashMap::new(),
            failures: 0,
            failures_with_account: 0,
            evidence: Vec::new(),
            successes: Vec::new(),
            fail_times: (i64::MAX, i64::MIN),
        }
    }
}

#[derive(Debug)]
struct Campaign {
    finding: Finding,
    success: Finding,
    absorbed_until: i64,
    sources: HashSet<IpAddr>,
    accounts: HashMap<IpAddr, HashSet<Arc<str>>>,
    last_failure: HashMap<IpAddr, VecDeque<i64>>,
    typos: HashSet<IpAddr>,
    failing_share: f64,
}

#[derive(Debug, Default)]
struct Target {
    buckets: VecDeque<Bucket>,
    /// The buckets' `per_source` summed, kept as buckets come and go: the window's
    /// tally without adding up a dozen buckets at every judgement (hashbrown's seeded
    /// foldhash: much cheaper than SipHash on these short keys, still seeded per process).
    window: hashbrown::HashMap<IpAddr, Stat>,
    campaign: Option<Campaign>,
    service: Option<crate::event::Service>,
    /// Sources and the time of their first successful login here: an address that
    /// logged in before a campaign began is a known user (an office, a home), not a
    /// stuffing bot, even when someone there mistypes during the campaign.
    known_good: HashMap<IpAddr, i64>,
}

/// Known-good sources remembered per login target.
const KNOWN_GOOD_MAX: usize = 200_000;

/// State of the rule.
#[derive(Debug)]
pub struct Stuffing {
    bucket_secs: i64,
    window_buckets: i64,
    min_sources: usize,
    min_failures: u32,
    min_share: f64,
    max_per_source: u32,
    targets: HashMap<Arc<str>, Target>,
    done: Vec<Finding>,
}

impl Stuffing {
    /// A rule with the configured thresholds.
    pub fn new(t: &Thresholds) -> Self {
        Stuffing {
            bucket_secs: t.stuffing_bucket_secs,
            window_buckets: (t.stuffing_window_secs / t.stuffing_bucket_secs).max(1),
            min_sources: t.stuffing_min_sources as usize,
            min_failures: t.stuffing_min_failures,
            min_share: t.stuffing_min_failing_share,
            max_per_source: t.brute_force_failures.max(2),
            targets: HashMap::new(),
            done: Vec::new(),
        }
    }

    /// Closes the buckets before `index`, judging the window that ends with each.
    fn advance(&mut self, target: &str, index: i64) {
        let Some(t) = self.targets.get_mut(target) else {
            return;
        };
        while let Some(last) = t.buckets.back().map(|b| b.index).filter(|l| *l < index) {
            judge(
                t,
                target,
                last,
                self.window_buckets,
                self.min_sources,
                self.min_failures,
                self.min_share,
                self.max_per_source,
                &mut self.done,
            );
            while t
                .buckets
                .front()
                .is_some_and(|b| b.index <= last + 1 - self.window_buckets)
            {
                if let Some(old) = t.buckets.pop_front() {
                    for (ip, s) in &old.per_source {
                        if let Some(w) = t.window.get_mut(ip) {
                            w.fails -= s.fails;
                            w.succ -= s.succ;
                            if w.fails == 0 && w.succ == 0 {
                                t.window.remove(ip);
                            }
                        }
                    }
                }
            }
            if t.window.is_empty() {
                // Nothing left that a later window could count.
                end_campaign(t, &mut self.done);
                t.buckets.clear();
                break;
            }
            t.buckets.push_back(Bucket::new(last + 1));
        }
        if t.buckets.back().is_none_or(|b| b.index < index) {
            t.buckets.push_back(Bucket::new(index));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn judge(
    t: &mut Target,
    target: &str,
    last: i64,
    window: i64,
    min_sources: usize,
    min_failures: u32,
    min_share: f64,
    max_per_source: u32,
    done: &mut Vec<Finding>,
) {
    // `advance` keeps exactly the window's buckets, `first..=last`, and their tally.
    let first = last + 1 - window;
    let failures: u32 = t.buckets.iter().map(|b| b.failures).sum();
    // A window that does not flag ends a campaign it has moved past.
    let not_flagged = |t: &mut Target, done: &mut Vec<Finding>| {
        if t.campaign
            .as_ref()
            .is_some_and(|c| c.absorbed_until < first)
        {
            end_campaign(t, done);
        }
    };
    if failures < min_failures {
        // Too few failures to flag, whatever the sources: skip the per-source tally
        // (most windows of most sites; the tally is the rule's main cost).
        not_flagged(t, done);
        return;
    }
    let (mut failing, mut never) = (0usize, 0usize);
    for st in t.window.values().filter(|st| st.fails > 0) {
        failing += 1;
        never += usize::from(st.succ == 0);
    }
    let share = if failing == 0 {
        0.0
    } else {
        never as f64 / failing as f64
    };
    if failing == 0 || never < min_sources || share < min_share {
        not_flagged(t, done);
        return;
    }
    let mut fails: Vec<u32> = t
        .window
        .values()
        .filter(|st| st.fails > 0)
        .map(|st| st.fails)
        .collect();
    let median = *fails.select_nth_unstable(failing / 2).1;
    // With known accounts, stuffing tries a different account almost every time
    // (one leaked pair each); bots hammering `root` and `admin` are brute force.
    // Counted last, and only when the rest already holds: the union is the dearest part.
    let diverse = || {
        let mut accounts: hashbrown::HashSet<&str> = hashbrown::HashSet::new();
        let mut with_account = 0usize;
        for b in &t.buckets {
            with_account += b.failures_with_account as usize;
            for set in b.failed_accounts.values() {
                accounts.extend(set.iter().map(|a| a.as_ref()));
            }
        }
        with_account * 2 < failures as usize
            || accounts.len() as f64 >= STUFFING_MIN_ACCOUNT_SHARE * f64::from(failures)
    };
    if median > max_per_source || !diverse() {
        not_flagged(t, done);
        return;
    }
    let service = t.service.unwrap_or(crate::event::Service::Http);
    let c = t.campaign.get_or_insert_with(|| Campaign {
        finding: Finding::new(&META, service, Some(target.to_owned())),
        success: Finding::new(&META_SUCCESS, service, Some(target.to_owned())),
        absorbed_until: first - 1,
        sources: HashSet::new(),
        accounts: HashMap::new(),
        last_failure: HashMap::new(),
        typos: HashSet::new(),
        failing_share: share,
    });
    c.failing_share = c.failing_share.max(share);
    let from = c.absorbed_until;
    for b in t
        .buckets
        .iter()
        .filter(|b| b.index > from && b.index <= last)
    {
        for (ip, s) in &b.per_source {
            if s.fails > 0 {
                c.sources.insert(*ip);
                *c.finding.sources.entry(*ip).or_default() += u64::from(s.fails);
            }
        }
        for (ip, times) in &b.last_failure {
            let recent = c.last_failure.entry(*ip).or_default();
            for t in times {
                if recent.len() == RECENT_FAILURES {
                    recent.pop_front();
                }
                recent.push_back(*t);
            }
        }
        for (ip, accts) in &b.failed_accounts {
            let known = c.accounts.entry(*ip).or_default();
            for a in accts {
                *c.finding.accounts.entry(a.to_string()).or_default() += 1;
                known.insert(a.clone());
            }
        }
        c.finding.count += u64::from(b.failures);
        if b.failures > 0 {
            c.finding.first_seen = c.finding.first_seen.min(b.fail_times.0);
            c.finding.last_seen = c.finding.last_seen.max(b.fail_times.1);
        }
        for e in &b.evidence {
            c.finding.add_evidence(e.clone());
        }
        for s in &b.successes {
            record_success(c, s, &t.known_good);
        }
        c.absorbed_until = b.index;
    }
}

fn record_success(c: &mut Campaign, s: &Event, known_good: &HashMap<IpAddr, i64>) {
    let Some(ip) = s.source else { return };
    // Not a source of the campaign, or a user already seen mistyping and getting in.
    if !c.sources.contains(&ip) || c.typos.contains(&ip) {
        return;
    }
    if known_good
        .get(&ip)
        .is_some_and(|first| *first < c.finding.first_seen)
    {
        c.typos.insert(ip);
        return;
    }
    // A key-based login (sshd publickey) does not use a leaked password.
    if s.detail.as_deref().is_some_and(|d| d.contains("publickey")) {
        return;
    }
    match (&s.user, c.accounts.get(&ip)) {
        // Known accounts: failing on others, then getting into this one, is a leaked
        // pair that matched; failing and then succeeding on the same one is a typo.
        (Some(u), Some(failed)) if !failed.is_empty() => {
            if failed.contains(u) {
                c.typos.insert(ip);
                return;
            }
            c.success.raise(Severity::Critical);
        }
        _ => {
            // Failures of this source in the few minutes before the success.
            let recent = c.last_failure.get(&ip).map_or(0, |r| {
                r.iter()
                    .filter(|t| **t <= s.time && s.time.saturating_sub(**t) <= TYPO_SECS)
                    .count()
            });
            if (1..=TYPO_MAX_FAILURES as usize).contains(&recent) {
                c.typos.insert(ip);
                return;
            }
        }
    }
    c.success.add(s);
    c.success.succeeded = true;
}

fn end_campaign(t: &mut Target, done: &mut Vec<Finding>) {
    let Some(mut c) = t.campaign.take() else {
        return;
    };
    // A user who mistyped in the campaign's last minutes logs in just after it.
    for b in t.buckets.iter().filter(|b| b.index > c.absorbed_until) {
        for s in &b.successes {
            if let Some(ip) = s.source.filter(|ip| c.sources.contains(ip)) {
                let recent = c.last_failure.get(&ip).map_or(0, |r| {
                    r.iter()
                        .filter(|t| **t <= s.time && s.time.saturating_sub(**t) <= TYPO_SECS)
                        .count()
                });
                if recent > 0 {
                    c.typos.insert(ip);
                }
            }
        }
    }
    // Sources that logged in are reported in MAM-A007, not as plain attackers.
    // … and users who mistyped once and then got in are not attackers.
    let succeeded: HashSet<IpAddr> = c.success.sources.keys().copied().collect();
    let start = c.finding.first_seen;
    let known = |ip: &IpAddr| t.known_good.get(ip).is_some_and(|first| *first < start);
    c.finding
        .sources
        .retain(|ip, _| !succeeded.contains(ip) && !c.typos.contains(ip) && !known(ip));
    let n = c.finding.sources.len();
    c.finding.fact(
        format!(
            "{n} か所の送信元、失敗 {} 回、一度も成功しない送信元の割合 {:.0}%",
            c.finding.count,
            c.failing_share * 100.0
        ),
        format!(
            "{n} sources, {} failures, {:.0}% of failing sources never succeeded",
            c.finding.count,
            c.failing_share * 100.0
        ),
    );
    if !c.typos.is_empty() {
        // Sorted, so that the same log always names the same addresses.
        let mut typos: Vec<&IpAddr> = c.typos.iter().collect();
        typos.sort_unstable();
        let list: Vec<String> = typos.iter().take(20).map(ToString::to_string).collect();
        c.finding.fact(
            format!("失敗の直後に同じ送信元からのログイン成功 {} 件（入力ミスの可能性が高いが念のため確認）: {}", c.typos.len(), list.join(", ")),
            format!("{} addresses logged in right after failing (probably typos; worth a check): {}", c.typos.len(), list.join(", ")),
        );
    }
    if c.success.count > 0 {
        c.finding.succeeded = true;
        c.finding.fact(
            format!(
                "攻撃中のログイン成功 {} 件（MAM-A007 を参照）",
                c.success.count
            ),
            format!(
                "{} successful logins during the attack (see MAM-A007)",
                c.success.count
            ),
        );
        done.push(c.success.seal());
    }
    done.push(c.finding.seal());
}

impl Rule for Stuffing {
    fn observe(&mut self, ev: &Event) {
        if !ev.counts_as_attempt() {
            return;
        }
        let (Some(src), Some(target)) = (ev.source, ev.target.as_ref()) else {
            return;
        };
        let index = ev.time.div_euclid(self.bucket_secs);
        if !self.targets.contains_key(target.as_ref()) {
            self.targets.insert(target.clone(), Target::default());
        }
        self.advance(target, index);
        let Some(t) = self.targets.get_mut(target.as_ref()) else {
            return;
        };
        t.service.get_or_insert(ev.service);
        // Events slightly out of order land in the newest bucket.
        let Some(b) = t.buckets.back_mut() else {
            return;
        };
        let stat = b.per_source.entry(src).or_default();
        let total = t.window.entry(src).or_default();
        if ev.kind == EventKind::AuthFailure {
            stat.fails += 1;
            total.fails += 1;
            b.failures += 1;
            let times = b.last_failure.entry(src).or_default();
            if times.len() == RECENT_FAILURES {
                times.remove(0);
            }
            times.push(ev.time);
            b.fail_times = (b.fail_times.0.min(ev.time), b.fail_times.1.max(ev.time));
            if let Some(u) = &ev.user {
                b.failures_with_account += 1;
                let set = b.failed_accounts.entry(src).or_default();
                if set.len() < 64 {
                    set.insert(u.clone());
                }
            }
            if b.evidence.len() < EVIDENCE_PER_BUCKET {
                b.evidence.push(Evidence::of(ev));
            }
        } else {
            stat.succ += 1;
            total.succ += 1;
            if b.successes.len() < 10_000 {
                b.successes.push(ev.clone());
            }
            if t.known_good.len() < KNOWN_GOOD_MAX {
                t.known_good.entry(src).or_insert(ev.time);
            }
        }
    }

    fn sweep(&mut self, now: i64) {
        let index = now.div_euclid(self.bucket_secs);
        let keys: Vec<Arc<str>> = self.targets.keys().cloned().collect();
        for k in keys {
            self.advance(&k, index);
        }
        self.targets
            .retain(|_, t| t.campaign.is_some() || !t.window.is_empty());
    }

    fn finish(mut self: Box<Self>, out: &mut Vec<Finding>) {
        let keys: Vec<Arc<str>> = self.targets.keys().cloned().collect();
        for k in keys {
            let next = self.targets[&k].buckets.back().map_or(0, |b| b.index + 1);
            self.advance(&k, next + 1);
            if let Some(t) = self.targets.get_mut(&k) {
                end_campaign(t, &mut self.done);
            }
        }
        out.append(&mut self.done);
    }
}
