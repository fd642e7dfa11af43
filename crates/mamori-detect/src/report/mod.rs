//! Turning a [`ScanReport`](crate::ScanReport) into what people read: the verdict,
//! advice, and the text, JSON and HTML renderings.

pub mod advice;
pub mod html;
pub mod json;
pub mod text;

pub use advice::{Advice, Body, Fit, Referral, Verdict, advise, referrals};

/// When a finding's events happened, as reports write it: `start – end` in RFC 3339,
/// or, when none of its lines had a time stamp, that the time is unknown.
pub fn seen(f: &crate::finding::Finding, lang: mamori_core::Lang) -> String {
    use crate::timefmt::rfc3339;
    match (f.time_range(), lang) {
        (Some((a, b)), _) => format!("{} – {}", rfc3339(a), rfc3339(b)),
        (None, mamori_core::Lang::Ja) => "不明 (ログの行に時刻がない)".to_owned(),
        (None, _) => "unknown (the log lines carry no time stamp)".to_owned(),
    }
}
