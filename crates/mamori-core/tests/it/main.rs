//! mamori-core integration tests: one binary, one module per area.

mod guideline;
mod intake;
mod taxonomy;
