//! The one integration-test binary of mamori-guard (modules by concern).

mod common;
mod factors;
mod login;
mod passkeys;
mod reset;
mod simulate;
mod throttle;
