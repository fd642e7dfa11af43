//! Web attack rules (MAM-W…): one finding per attack kind and source, one file per
//! rule for its metadata; the aggregation below is shared.
//!
//! Each finding says whether the response suggests the attack worked: a 2xx answer
//! with a body to an injection or a secret-file probe, a 500 to SQL injection, a 200
//! from a script in an upload directory.

mod admin_probe;
mod code_injection;
mod command_injection;
mod file_inclusion;
mod jndi;
mod known_exploit;
mod path_traversal;
mod protocol_attack;
mod scanner;
mod sensitive_file;
mod sqli;
mod waf_block;
mod webshell;
mod xss;

use super::{Rule, RuleMeta};
use crate::config::Thresholds;
use crate::event::{AttackKind, Event, EventKind};
use crate::finding::Finding;
use mamori_core::Severity;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

/// The web rules' metadata, in the order of [`rules`].
pub static METAS: [&RuleMeta; 14] = [
    &webshell::META,
    &known_exploit::META,
    &sqli::META,
    &command_injection::META,
    &jndi::META,
    &code_injection::META,
    &file_inclusion::META,
    &path_traversal::META,
    &xss::META,
    &protocol_attack::META,
    &sensitive_file::META,
    &admin_probe::META,
    &scanner::META,
    &waf_block::META,
];

const KINDS: [AttackKind; 14] = [
    AttackKind::Webshell,
    AttackKind::KnownExploit,
    AttackKind::Sqli,
    AttackKind::CommandInjection,
    AttackKind::Jndi,
    AttackKind::CodeInjection,
    AttackKind::FileInclusion,
    AttackKind::PathTraversal,
    AttackKind::Xss,
    AttackKind::ProtocolAttack,
    AttackKind::SensitiveFile,
    AttackKind::AdminProbe,
    AttackKind::Scanner,
    AttackKind::WafBlock,
];

/// One aggregating rule per web attack kind.
pub fn rules(t: &Thresholds) -> Vec<Box<dyn Rule>> {
    METAS
        .iter()
        .zip(KINDS)
        .map(|(meta, kind)| {
            let min_paths = match kind {
                AttackKind::SensitiveFile | AttackKind::AdminProbe => {
                    t.probe_min_paths.max(1) as usize
                }
                _ => 1,
            };
            Box::new(WebRule {
                meta,
                kind,
                min_paths,
                memory: t.attacker_memory_secs,
                pending: HashMap::new(),
                findings: HashMap::new(),
            }) as Box<dyn Rule>
        })
        .collect()
}

/// Severity when the response suggests the attack worked.
fn success_severity(kind: AttackKind) -> Severity {
    match kind {
        AttackKind::Webshell | AttackKind::KnownExploit => Severity::Critical,
        AttackKind::AdminProbe => Severity::Medium,
        AttackKind::Scanner | AttackKind::WafBlock => Severity::Low,
        _ => Severity::High,
    }
}

#[derive(Debug, Default)]
struct Pending {
    events: Vec<Event>,
    paths: HashSet<Arc<str>>,
}

#[derive(Debug)]
struct WebRule {
    meta: &'static RuleMeta,
    kind: AttackKind,
    min_paths: usize,
    memory: i64,
    pending: HashMap<IpAddr, Pending>,
    findings: HashMap<Option<IpAddr>, Finding>,
}

impl WebRule {
    fn add(&mut self, key: Option<IpAddr>, ev: &Event) {
        let f = self.findings.entry(key).or_insert_with(|| {
            Finding::new(
                self.meta,
                ev.service,
                ev.target.as_ref().map(|t| t.to_string()),
            )
        });
        if ev.success_hint {
            f.succeeded = true;
            f.raise(success_severity(self.kind));
        }
        f.add(ev);
    }
}

impl Rule for WebRule {
    fn observe(&mut self, ev: &Event) {
        if ev.attack != Some(self.kind) || !matches!(ev.kind, EventKind::Attack | EventKind::Probe)
        {
            return;
        }
        let key = ev.source;
        if self.findings.contains_key(&key) || self.min_paths <= 1 || ev.success_hint {
            if let Some(p) = key.and_then(|ip| self.pending.remove(&ip)) {
                for e in &p.events {
                    self.add(key, e);
                }
            }
            self.add(key, ev);
            return;
        }
        let Some(ip) = key else {
            self.add(key, ev);
            return;
        };
        let p = self.pending.entry(ip).or_default();
        if p.events.len() < 64 {
            p.events.push(ev.clone());
        }
        if let Some(t) = &ev.target {
            p.paths.insert(t.clone());
        }
        if p.paths.len() >= self.min_paths
            && let Some(p) = self.pending.remove(&ip)
        {
            for e in &p.events {
                self.add(key, e);
            }
        }
    }

    fn sweep(&mut self, now: i64) {
        let oldest = now - self.memory;
        self.pending
            .retain(|_, p| p.events.last().is_some_and(|e| e.time >= oldest));
    }

    fn finish(self: Box<Self>, out: &mut Vec<Finding>) {
        for (_, mut f) in self.findings {
            f.fact(
                format!("リクエスト {} 件", f.count),
                format!("{} requests", f.count),
            );
            out.push(f.seal());
        }
    }
}
