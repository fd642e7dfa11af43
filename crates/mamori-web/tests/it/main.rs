//! HTTP tests against the real router with real cookies and CSRF tokens
//! (tower `oneshot`, SQLite in memory).

#![allow(clippy::unwrap_used)] // helpers outside test functions panic on purpose

mod account;
mod api;
mod api_reports;
mod browser_flow;
pub mod client;
mod headers;
mod intake;
mod passkeys;
mod portal;
mod security;
mod stats;
mod ui;
mod vuln;
