//! Service-level tests: authorization denials, the audit chain (tampering caught
//! on SQLite and PostgreSQL), sign-in with links, passwords, TOTP and history.

#![allow(clippy::unwrap_used)] // helpers outside test functions panic on purpose

mod account;
mod anchor_report;
mod audit;
mod authz;
mod guardstore;
mod intake;
mod passkeys;
mod pending;
mod portal;
mod privacy;
mod reauth;
mod signin;
mod stats;
mod vuln;
mod vuln_digest;
mod vuln_web;
pub mod world;
