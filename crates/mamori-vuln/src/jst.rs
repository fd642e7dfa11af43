//! Times as the parties read them: always with the zone (JST), never a bare date.

pub use mamori_core::jst::format_jst;
use time::OffsetDateTime;
use time::macros::{format_description, offset};

/// RFC 3339 in UTC, as CSAF and CVE records want it (`2026-12-05T11:31:00Z`).
pub fn rfc3339_utc(at: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.to_offset(offset!(UTC)).format(&f).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn shows_jst_with_zone() {
        assert_eq!(
            format_jst(datetime!(2026-12-05 11:31 UTC)),
            "2026-12-05 20:31 JST"
        );
        assert_eq!(
            rfc3339_utc(datetime!(2026-12-05 20:31 +9)),
            "2026-12-05T11:31:00Z"
        );
    }
}
