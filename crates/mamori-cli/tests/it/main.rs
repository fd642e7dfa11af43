//! Integration tests of the `mamori` binary: one test binary, one module per subcommand.

mod evidence;
mod integrity;
mod schema;
mod support;
