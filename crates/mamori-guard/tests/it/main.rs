//! The one integration-test binary of mamori-guard (modules by concern).

// Test helpers outside test functions unwrap too; a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod common;
mod factors;
mod login;
mod passkeys;
mod props;
mod reauth;
mod reset;
mod simulate;
mod stepup;
mod throttle;
