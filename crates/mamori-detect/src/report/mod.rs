//! Turning a [`ScanReport`](crate::ScanReport) into what people read: the verdict,
//! advice, and the text, JSON and HTML renderings.

pub mod advice;
pub mod html;
pub mod json;
pub mod text;

pub use advice::{Advice, Body, Fit, Referral, Verdict, advise, referrals};
