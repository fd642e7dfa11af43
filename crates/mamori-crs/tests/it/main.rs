//! Integration tests of mamori-crs: the fixture rules (no package needed), the
//! installed Debian CRS (CI installs `modsecurity-crs`) and the pre-filter's claim.

mod common;
mod crs;
mod fixture;
mod prefilter;
