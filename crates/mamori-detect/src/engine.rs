//! The detection engine: feeds the time-ordered event stream through every rule and
//! keeps the statistics the reports chart. No I/O.

use crate::config::Thresholds;
use crate::event::{Event, EventKind};
use crate::finding::Finding;
use crate::rules::{self, Rule};
use std::collections::BTreeMap;

/// How often (in event time) rules drop expired state.
const SWEEP_EVERY_SECS: i64 = 300;
/// An event this much older than the newest one starts a new timeline (concatenated
/// or replayed logs); smaller disorder (Apache logs request start times) is normal.
const RESTART_GAP_SECS: i64 = 86_400;

/// Event counts per hour, for the timeline chart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HourCounts {
    /// Failed logins.
    pub auth_failures: u64,
    /// Successful logins.
    pub auth_successes: u64,
    /// Attacks.
    pub attacks: u64,
    /// Probes.
    pub probes: u64,
}

/// Runs the rules over events.
#[derive(Debug)]
pub struct Engine {
    rules: Vec<Box<dyn Rule>>,
    last_sweep: i64,
    max_time: i64,
    /// Counts per hour (epoch hour → counts).
    pub timeline: BTreeMap<i64, HourCounts>,
    /// Events seen, by kind.
    pub counts: HourCounts,
}

impl Engine {
    /// An engine with every rule, configured by `t`.
    pub fn new(t: &Thresholds) -> Engine {
        Engine {
            rules: rules::all(t),
            last_sweep: i64::MIN,
            max_time: i64::MIN,
            timeline: BTreeMap::new(),
            counts: HourCounts::default(),
        }
    }

    /// Observes one event. Events should come in time order; small disorder is fine.
    /// An event whose time is unknown ([`Event::time_unknown`]) goes to the rules (at
    /// time 0, the merge gives it before the timed events) and into the counts, but
    /// neither moves the clock nor appears on the hourly timeline.
    pub fn feed(&mut self, ev: &Event) {
        if ev.time_unknown {
            for r in &mut self.rules {
                r.observe(ev);
            }
            Self::count(&mut self.counts, ev);
            return;
        }
        if self.max_time != i64::MIN && ev.time < self.max_time.saturating_sub(RESTART_GAP_SECS) {
            for r in &mut self.rules {
                r.restart();
            }
            self.max_time = ev.time;
            self.last_sweep = ev.time;
        }
        self.max_time = self.max_time.max(ev.time);
        if self.last_sweep == i64::MIN {
            self.last_sweep = ev.time;
        } else if self.max_time - self.last_sweep >= SWEEP_EVERY_SECS {
            for r in &mut self.rules {
                r.sweep(self.max_time);
            }
            self.last_sweep = self.max_time;
        }
        for r in &mut self.rules {
            r.observe(ev);
        }
        let h = self.timeline.entry(ev.time.div_euclid(3600)).or_default();
        Self::count(h, ev);
        Self::count(&mut self.counts, ev);
    }

    fn count(c: &mut HourCounts, ev: &Event) {
        match ev.kind {
            // A restated failure is the same guess as another line's.
            EventKind::AuthFailure if ev.restated => {}
            EventKind::AuthFailure => c.auth_failures += 1,
            EventKind::AuthSuccess => c.auth_successes += 1,
            EventKind::Attack => c.attacks += 1,
            EventKind::Probe => c.probes += 1,
            EventKind::Other => {}
        }
    }

    /// Ends the stream: the findings, most urgent first (severity, then "succeeded",
    /// then size), and in the same order on every run (rules keep their findings in hash
    /// maps: the target and the main source break the remaining ties).
    pub fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        for r in self.rules {
            r.finish(&mut out);
        }
        out.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.succeeded.cmp(&a.succeeded))
                .then(b.count.cmp(&a.count))
                .then(a.rule.id.cmp(b.rule.id))
                .then(a.first_seen.cmp(&b.first_seen))
                .then_with(|| a.target.cmp(&b.target))
                .then_with(|| a.sources_ranked().cmp(&b.sources_ranked()))
        });
        out
    }
}
