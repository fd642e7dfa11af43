//! The reporting guideline on hand-checked cases.
