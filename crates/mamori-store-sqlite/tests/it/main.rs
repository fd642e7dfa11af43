//! SQLite store: the shared conformance suite plus file-level behaviour.

mod conformance;
