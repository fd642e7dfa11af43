//! Evidence bundles (placeholder).
