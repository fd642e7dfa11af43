//! A sliding window of event times with their evidence, the building block of the
//! counting rules.

use crate::event::Event;
use std::collections::VecDeque;

/// The events of one key (source, account …) within the last `span` seconds.
#[derive(Debug, Clone)]
pub struct Window {
    items: VecDeque<Event>,
    cap: usize,
}

impl Window {
    /// A window that remembers at most `cap` events (enough to cross a threshold).
    pub fn new(cap: usize) -> Window {
        Window {
            items: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Adds an event and drops those older than `span` seconds before it.
    pub fn push(&mut self, ev: &Event, span: i64) {
        self.expire(ev.time - span);
        if self.items.len() == self.cap {
            self.items.pop_front();
        }
        self.items.push_back(ev.clone());
    }

    /// Drops events before `oldest`.
    pub fn expire(&mut self, oldest: i64) {
        while self.items.front().is_some_and(|e| e.time < oldest) {
            self.items.pop_front();
        }
    }

    /// Number of events in the window.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the window is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes and returns the events (to hand them to a finding).
    pub fn drain(&mut self) -> impl Iterator<Item = Event> + '_ {
        self.items.drain(..)
    }

    /// The events, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Event> {
        self.items.iter()
    }

    /// Time of the newest event.
    pub fn last_time(&self) -> Option<i64> {
        self.items.back().map(|e| e.time)
    }
}

/// Per-key windows that become a finding once a key crosses its threshold; from
/// then on every event of that key goes straight to the finding. The building block
/// of the counting rules (brute force, distributed brute force, enumeration).
#[derive(Debug)]
pub struct Escalating<K> {
    span: i64,
    cap: usize,
    windows: std::collections::HashMap<K, Window>,
    findings: std::collections::HashMap<K, crate::finding::Finding>,
}

impl<K: std::hash::Hash + Eq + Clone> Escalating<K> {
    /// Windows of `span` seconds remembering at most `cap` events per key.
    pub fn new(span: i64, cap: usize) -> Self {
        Escalating {
            span,
            cap,
            windows: Default::default(),
            findings: Default::default(),
        }
    }

    /// Adds `ev` under `key`; `open` looks at the key's window and returns the new
    /// finding when the threshold is crossed (the window's events are added to it).
    pub fn observe(
        &mut self,
        key: K,
        ev: &Event,
        open: impl FnOnce(&Window) -> Option<crate::finding::Finding>,
    ) {
        if let Some(f) = self.findings.get_mut(&key) {
            f.add(ev);
            return;
        }
        let w = self
            .windows
            .entry(key.clone())
            .or_insert_with(|| Window::new(self.cap));
        w.push(ev, self.span);
        if let Some(mut f) = open(w) {
            for e in w.drain() {
                f.add(&e);
            }
            self.windows.remove(&key);
            self.findings.insert(key, f);
        }
    }

    /// Drops windows whose events are all older than the span.
    pub fn sweep(&mut self, now: i64) {
        let oldest = now - self.span;
        self.windows.retain(|_, w| {
            w.expire(oldest);
            !w.is_empty()
        });
    }

    /// The findings.
    pub fn into_findings(self) -> impl Iterator<Item = crate::finding::Finding> {
        self.findings.into_values()
    }
}
