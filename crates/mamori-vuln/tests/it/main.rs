//! The one integration-test binary of mamori-vuln. Tests are named after the clause of
//! the handling standard they check (e.g. `receiving_body_2_2_stops_known_vulnerability`
//! is Ⅴ 一 2.(2)); `web_` tests are Ⅵ, `own_product_` tests Ⅴ 二.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the right failure

mod common;
mod cvss;
mod cvss_pypi;
mod formats;
mod props;
mod software;
mod website;
