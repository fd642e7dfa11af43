//! mamori-core integration tests: one binary, one module per area.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the right failure

mod docs;
mod escape;
mod guideline;
mod intake;
mod portal;
mod stats;
mod taxonomy;
