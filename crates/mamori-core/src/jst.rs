//! Times as people read them here: always Japan Standard Time, with the zone.

use time::OffsetDateTime;
use time::macros::{format_description, offset};

/// `2026-12-05 20:31 JST`: how every page, text and case date shows a time.
pub fn format_jst(at: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day] [hour]:[minute]");
    let s = at.to_offset(offset!(+9)).format(&f).unwrap_or_default();
    format!("{s} JST")
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
    }
}
