//! Fast timestamp parsing for the formats logs use.
//!
//! Hand-written rather than `time`/`chrono` parsing because it runs once per line in
//! the hot loop (≈2 M lines/s per core); the calendar arithmetic is Howard Hinnant's
//! `days_from_civil`. Every function returns `None` on malformed input, never panics.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Converts days since the epoch back to (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats epoch seconds as RFC 3339 UTC (`2024-03-04T05:06:07Z`).
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Month number (1-12) of an English three-letter abbreviation.
pub fn month_from_abbr(b: &[u8]) -> Option<u32> {
    if b.len() < 3 {
        return None;
    }
    let m = match [
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
    ] {
        [b'j', b'a', b'n'] => 1,
        [b'f', b'e', b'b'] => 2,
        [b'm', b'a', b'r'] => 3,
        [b'a', b'p', b'r'] => 4,
        [b'm', b'a', b'y'] => 5,
        [b'j', b'u', b'n'] => 6,
        [b'j', b'u', b'l'] => 7,
        [b'a', b'u', b'g'] => 8,
        [b's', b'e', b'p'] => 9,
        [b'o', b'c', b't'] => 10,
        [b'n', b'o', b'v'] => 11,
        [b'd', b'e', b'c'] => 12,
        _ => return None,
    };
    Some(m)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn hms(b: &[u8]) -> Option<i64> {
    // HH:MM:SS
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let h = digits(&b[0..2])?;
    let m = digits(&b[3..5])?;
    let s = digits(&b[6..8])?;
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s))
}

fn valid_date(year: i64, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day) && (1900..=9999).contains(&year)
}

/// Parses a numeric UTC offset `+0900`, `+09:00`, `-0700` or `Z`; returns seconds.
pub fn parse_offset(b: &[u8]) -> Option<i64> {
    match b {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, rest @ ..] => {
            let h = digits(&[*h1, *h2])?;
            let m = match rest {
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2])?,
                [] => 0,
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let v = i64::from(h) * 3600 + i64::from(m) * 60;
            Some(if *sign == b'-' { -v } else { v })
        }
        _ => None,
    }
}

/// Parses the Common Log Format time `10/Oct/2000:13:55:36 -0700` (without brackets).
/// Fractional seconds (`…:36.123 -0700`, HAProxy) are accepted and dropped.
pub fn parse_clf(b: &[u8]) -> Option<i64> {
    if b.len() < 20 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' {
        return None;
    }
    let day = digits(&b[0..2])?;
    let month = month_from_abbr(&b[3..6])?;
    let year = i64::from(digits(&b[7..11])?);
    if !valid_date(year, month, day) {
        return None;
    }
    let secs = hms(&b[12..20])?;
    let mut rest = &b[20..];
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &tail[n..];
    }
    let offset = match rest {
        [] => 0,
        [b' ', off @ ..] => parse_offset(off)?,
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + secs - offset)
}

/// Parses ISO 8601 / RFC 3339 date-times: `2024-03-04T00:00:01Z`,
/// `2024-03-04T00:00:01.123456+09:00`, `2024-03-04 00:00:01` (space separator).
/// Without an offset, `default_offset` (seconds east of UTC) applies.
/// Returns the epoch seconds and the number of bytes consumed.
pub fn parse_iso(b: &[u8], default_offset: i64) -> Option<(i64, usize)> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let year = i64::from(digits(&b[0..4])?);
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !valid_date(year, month, day) {
        return None;
    }
    let secs = hms(&b[11..19])?;
    let mut i = 19;
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') => {
            i += 1;
            0
        }
        Some(b'+' | b'-') => {
            let end = (i + 6).min(b.len());
            let mut j = i + 1;
            while j < end && (b[j].is_ascii_digit() || b[j] == b':') {
                j += 1;
            }
            let off = parse_offset(&b[i..j])?;
            i = j;
            off
        }
        _ => default_offset,
    };
    Some((
        days_from_civil(year, month, day) * 86_400 + secs - offset,
        i,
    ))
}

/// Parses the BSD syslog time `Mar  4 00:00:01` (15 bytes), also with the day
/// written without its padding space (`Mar 4 00:00:01`, 14 bytes: some embedded
/// syslog daemons and hand-made logs). The year and the offset are not in the line:
/// the caller infers them (see [`crate::format::SyslogContext`]).
/// Returns (month, day, seconds of day, bytes used).
pub fn parse_bsd(b: &[u8]) -> Option<(u32, u32, i64, usize)> {
    if b.len() < 14 || b[3] != b' ' {
        return None;
    }
    let month = month_from_abbr(&b[0..3])?;
    // `Mar  4`, `Mar 04`, `Mar 14` (day in two bytes) or `Mar 4` (one byte).
    let (day, at) = if b[5] == b' ' {
        (digits(&b[4..5])?, 6)
    } else if b[4] == b' ' {
        (digits(&b[5..6])?, 7)
    } else {
        (digits(&b[4..6])?, 7)
    };
    if !(1..=31).contains(&day) || b.get(at - 1) != Some(&b' ') {
        return None;
    }
    Some((month, day, hms(b.get(at..at + 8)?)?, at + 8))
}

/// Parses `journalctl -o short-unix`'s time: seconds since the epoch with a fraction
/// (`1796531730.014176`), followed by a space. At least nine digits of seconds (from
/// 2001 on) and one to nine of fraction, so that an address or a version number is
/// not taken for a time. Returns the epoch seconds and the bytes used (without the
/// space).
pub fn parse_unix(b: &[u8]) -> Option<(i64, usize)> {
    let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(9..=12).contains(&int) || b.get(int) != Some(&b'.') {
        return None;
    }
    let frac = b[int + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = int + 1 + frac;
    if !(1..=9).contains(&frac) || b.get(end) != Some(&b' ') {
        return None;
    }
    let secs = b[..int]
        .iter()
        .fold(0i64, |v, &c| v * 10 + i64::from(c - b'0'));
    Some((secs, end))
}

/// Parses a TAI64N label, `@4000000065e58d8a1c9c3b04` (daemontools `multilog t`, s6-log
/// and runit's `svlogd` with `t`): `@`, 16 hex digits of TAI seconds since 1970 plus
/// 2^62, 8 of nanoseconds. Converted as daemontools' `tai64nlocal` does (TAI is 10 s
/// ahead of the 1970 epoch; later leap seconds are not subtracted, at most half a
/// minute). Returns the epoch seconds and the bytes used (25).
pub fn parse_tai64n(b: &[u8]) -> Option<(i64, usize)> {
    const TAI_EPOCH: u64 = (1 << 62) + 10;
    if b.len() < 25 || b[0] != b'@' || !b[1..25].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let label = std::str::from_utf8(&b[1..17]).ok()?;
    let secs = u64::from_str_radix(label, 16)
        .ok()?
        .checked_sub(TAI_EPOCH)?;
    Some((i64::try_from(secs).ok()?, 25))
}

/// Parses `journalctl -o short-full`'s time: `Sun 2026-12-06 13:35:30 JST` (weekday,
/// date, time, zone abbreviation; the same with `-o with-unit`). An abbreviation names
/// an offset only when it is unambiguous (`UTC`, `GMT`, `JST`, `KST`, or numeric such as
/// `+09` as tzdata writes zones without a letter abbreviation); any other
/// (`CST` is China, Cuba and US Central) is taken to be `default_offset`.
/// Returns the epoch seconds and the bytes used.
pub fn parse_short_full(b: &[u8], default_offset: i64) -> Option<(i64, usize)> {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    if b.len() < 25 || b[3] != b' ' || !DAYS.contains(&&b[..3]) || b[14] != b' ' || b[23] != b' ' {
        return None;
    }
    let (local, 19) = parse_iso(&b[4..23], 0)? else {
        return None;
    };
    let zone_len = b[24..].iter().take_while(|&&c| c != b' ').count();
    let zone = &b[24..24 + zone_len];
    let offset = match zone {
        b"" => return None,
        b"UTC" | b"GMT" | b"UT" | b"Z" => 0,
        b"JST" | b"KST" => 9 * 3600,
        [b'+' | b'-', ..] => parse_offset(zone)?,
        _ if zone.iter().all(u8::is_ascii_alphabetic) => default_offset,
        _ => return None,
    };
    Some((local - offset, 24 + zone_len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clf_time_with_offset() {
        // 2000-10-10T20:55:36Z
        assert_eq!(parse_clf(b"10/Oct/2000:13:55:36 -0700"), Some(971_211_336));
        assert_eq!(rfc3339(971_211_336), "2000-10-10T20:55:36Z");
        assert_eq!(
            parse_clf(b"04/Mar/2024:09:00:00 +0900"),
            parse_clf(b"04/Mar/2024:00:00:00 +0000")
        );
        assert_eq!(parse_clf(b"10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(parse_clf(b"10/Oct/2000:25:55:36 -0700"), None);
    }

    #[test]
    fn iso_time_variants() {
        let z = parse_iso(b"2024-03-04T00:00:01Z", 0).unwrap();
        assert_eq!(rfc3339(z.0), "2024-03-04T00:00:01Z");
        assert_eq!(z.1, 20);
        let jst = parse_iso(b"2024-03-04T09:00:01.123456+09:00 host", 0).unwrap();
        assert_eq!(jst.0, z.0);
        assert_eq!(&b"2024-03-04T09:00:01.123456+09:00 host"[jst.1..], b" host");
        let local = parse_iso(b"2024-03-04 09:00:01", 9 * 3600).unwrap();
        assert_eq!(local.0, z.0);
        assert!(parse_iso(b"2024-13-04T00:00:01Z", 0).is_none());
    }

    #[test]
    fn bsd_time() {
        assert_eq!(parse_bsd(b"Mar  4 00:00:01"), Some((3, 4, 1, 15)));
        assert_eq!(parse_bsd(b"Jun 7 01:10:56 host"), Some((6, 7, 4_256, 14)));
        assert_eq!(parse_bsd(b"Dec 31 23:59:59"), Some((12, 31, 86_399, 15)));
        assert_eq!(parse_bsd(b"Xyz 31 23:59:59"), None);
    }

    #[test]
    fn journal_times() {
        assert_eq!(
            parse_unix(b"1796531730.014176 web04"),
            Some((1_796_531_730, 17))
        );
        assert_eq!(parse_unix(b"1796531730 web04"), None);
        assert_eq!(parse_unix(b"1.2.3.4 - -"), None);
        assert_eq!(parse_unix(b"1796531730.014176"), None);
        let jst = parse_short_full(b"Sun 2026-12-06 13:35:30 JST web04", 0).unwrap();
        assert_eq!(rfc3339(jst.0), "2026-12-06T04:35:30Z");
        assert_eq!(jst.1, 27);
        let utc = parse_short_full(b"Sun 2026-12-06 04:35:30 UTC web04", 3600).unwrap();
        assert_eq!(utc.0, jst.0);
        let num = parse_short_full(b"Sun 2026-12-06 11:35:30 +07 web04", 0).unwrap();
        assert_eq!(num.0, jst.0);
        let local = parse_short_full(b"Sun 2026-12-06 13:35:30 XYZ web04", 9 * 3600).unwrap();
        assert_eq!(local.0, jst.0);
        assert_eq!(parse_short_full(b"Sun 2026-12-06 13:35:30  web04", 0), None);
        assert_eq!(
            parse_short_full(b"Foo 2026-12-06 13:35:30 JST web04", 0),
            None
        );
    }

    proptest! {
        #[test]
        fn civil_roundtrip(days in -1_000_000i64..1_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn parsers_never_panic(b in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = parse_clf(&b);
            let _ = parse_iso(&b, 0);
            let _ = parse_bsd(&b);
            let _ = parse_offset(&b);
            let _ = parse_unix(&b);
            let _ = parse_tai64n(&b);
            let _ = parse_short_full(&b, 0);
        }
    }
}
