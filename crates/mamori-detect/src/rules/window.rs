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
