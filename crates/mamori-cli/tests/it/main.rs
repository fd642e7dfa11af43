//! Integration tests of the `mamori` binary: one test binary, one module per subcommand.

// Test helpers outside #[test] functions: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod evidence;
mod integrity;
mod schema;
mod support;
