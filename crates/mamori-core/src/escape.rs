//! Text from outside (log lines, file and tar member names, user names) made safe
//! for a terminal: control characters (C0, DEL, C1, so ESC sequences too) and the
//! bidirectional formatting characters that can make text read differently from
//! what it is (Trojan Source, CVE-2021-42574) are written as escapes.
//!
//! ```
//! use mamori_core::escape_controls;
//! assert_eq!(escape_controls("ok\x1b[2Jx"), "ok\\x1b[2Jx");
//! assert_eq!(escape_controls("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
//! assert_eq!(escape_controls("ログ 1"), "ログ 1");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is written as an escape.
fn needs_escape(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c,
            '\u{061c}' // ARABIC LETTER MARK
            | '\u{200e}' | '\u{200f}' // LRM, RLM
            | '\u{202a}'..='\u{202e}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
        )
}

/// `s` with every control and bidi formatting character escaped: `\x1b` for
/// those below U+0100, `\u{202e}` for the others; a backslash stays as it is.
/// Borrowed when there is nothing to escape. The one helper for the CLI's text
/// output (`mamori scan`, `evidence`, `integrity`); newlines are escaped too, so
/// apply it to each field, or to each line of an output.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            o.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(o, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(o, "\\u{{{:04x}}}", c as u32);
        }
    }
    Cow::Owned(o)
}

/// A multi-line text with [`escape_controls`] applied to each line (the line
/// breaks stay).
pub fn escape_lines(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            o.push('\n');
        }
        o.push_str(&escape_controls(line));
    }
    o
}
