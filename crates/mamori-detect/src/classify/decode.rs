//! Normalisation of request strings before attack matching: attackers encode payloads
//! (once, twice, with overlong UTF-8, with nginx's `\xHH` log escapes) to slip past
//! naive filters, so matching always runs on the decoded, lower-cased form.

/// What a literal `&` of the query string (a parameter separator, not data) becomes in
/// [`normalize`]'s output, so that a decoded `%26` (data: `& dir`) stays distinguishable.
pub const PARAM_SEP: char = '\x1f';

/// Decodes `%HH` (up to `rounds` times, for double encoding), nginx `\xHH` escapes,
/// `+` as space (in the query part), overlong and look-alike `/`, `\\` and `.`
/// (`%c0%af`, `%c1%9c`, `%e0%80%af`, `%c0%ae`, `%u2215`, fullwidth `．／`), SQL
/// comments `/**/` as a space; lower-cases ASCII and collapses runs of whitespace
/// (to `\n` when the run holds a line break: a command separator). A literal `&` in
/// the query becomes [`PARAM_SEP`]. Invalid escapes are kept literally.
pub fn normalize(raw: &[u8], rounds: usize) -> String {
    let mut cur: Vec<u8> = unescape_log(raw);
    if let Some(q) = memchr::memchr(b'?', &cur) {
        for b in &mut cur[q..] {
            if *b == b'+' {
                *b = b' ';
            } else if *b == b'&' {
                *b = PARAM_SEP as u8;
            }
        }
    }
    for _ in 0..rounds {
        if memchr::memchr(b'%', &cur).is_none() {
            break;
        }
        let next = percent_decode(&cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    let cur = overlong(&cur);
    let mut out = String::with_capacity(cur.len());
    let text = String::from_utf8_lossy(&cur);
    let mut last_space = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            if chars.peek() == Some(&'!') {
                // MySQL's executable comment `/*!50000select*/`: the server runs what
                // it holds, so its text is read on (the version digits dropped).
                chars.next();
                while chars.next_if(char::is_ascii_digit).is_some() {}
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
                continue;
            }
            // SQL comment used as a space: skip to */
            let mut prev = ' ';
            for d in chars.by_ref() {
                if prev == '*' && d == '/' {
                    break;
                }
                prev = d;
            }
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if c == '*' && chars.peek() == Some(&'/') {
            // The end of an executable comment.
            chars.next();
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        if c.is_whitespace() || c == '\0' {
            let newline = matches!(c, '\n' | '\r');
            if !last_space {
                out.push(if newline { '\n' } else { ' ' });
                last_space = true;
            } else if newline && out.ends_with(' ') {
                out.pop();
                out.push('\n');
            }
            continue;
        }
        last_space = false;
        out.push(match c {
            // Look-alikes that some servers fold to ASCII (IIS %u, fullwidth forms).
            '\u{2215}' | '\u{2044}' | '\u{ff0f}' => '/',
            '\u{2216}' | '\u{ff3c}' => '\\',
            '\u{ff0e}' | '\u{2024}' => '.',
            c => c.to_ascii_lowercase(),
        });
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `%HH` → byte; `%uHHHH` (IIS) → the character, UTF-8 encoded.
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            if let (Some(h), Some(l)) = (
                s.get(i + 1).copied().and_then(hex),
                s.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
            if matches!(s.get(i + 1), Some(b'u' | b'U')) && i + 6 <= s.len() {
                let v = s[i + 2..i + 6]
                    .iter()
                    .try_fold(0u32, |acc, &b| hex(b).map(|d| acc << 4 | u32::from(d)));
                if let Some(v) = v {
                    let mut utf8 = [0u8; 4];
                    if let Some(c) = char::from_u32(v) {
                        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                        i += 6;
                        continue;
                    }
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// nginx writes bytes outside printable ASCII (and `"`, `\`) as `\xHH` in access logs.
fn unescape_log(s: &[u8]) -> Vec<u8> {
    if memchr::memchr(b'\\', s).is_none() {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\'
            && s.get(i + 1) == Some(&b'x')
            && let (Some(h), Some(l)) = (
                s.get(i + 2).copied().and_then(hex),
                s.get(i + 3).copied().and_then(hex),
            )
        {
            out.push(h << 4 | l);
            i += 4;
            continue;
        }
        if s[i] == b'\\' && s.get(i + 1) == Some(&b'"') {
            out.push(b'"');
            i += 2;
            continue;
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// Overlong UTF-8 encodings of `/`, `\` and `.` (CVE-2000-0884 style traversal).
fn overlong(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match (s[i], s.get(i + 1), s.get(i + 2)) {
            (0xc0, Some(0xaf), _) => {
                out.push(b'/');
                i += 2;
            }
            (0xc1, Some(0x9c), _) => {
                out.push(b'\\');
                i += 2;
            }
            (0xc0, Some(0xae), _) => {
                out.push(b'.');
                i += 2;
            }
            (0xe0, Some(0x80), Some(0xaf)) => {
                out.push(b'/');
                i += 3;
            }
            (0xe0, Some(0x80), Some(0xae)) => {
                out.push(b'.');
                i += 3;
            }
            (0xf0, Some(0x80), Some(0x80)) if s.get(i + 3) == Some(&0xaf) => {
                out.push(b'/');
                i += 4;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decodes_common_evasions() {
        assert_eq!(
            normalize(b"/a?id=1%27%20OR%20%271%27%3D%271", 2),
            "/a?id=1' or '1'='1"
        );
        assert_eq!(normalize(b"/a?id=1%2527", 2), "/a?id=1'");
        assert_eq!(
            normalize(b"/x?q=UNION/**/SELECT+1", 2),
            "/x?q=union select 1"
        );
        assert_eq!(
            normalize(b"/x?q=1+/*!50000UNION*/+SELECT+1", 2),
            "/x?q=1 union select 1"
        );
        assert_eq!(
            normalize(b"/..%c0%af..%c0%afetc/passwd", 2),
            "/../../etc/passwd"
        );
        assert_eq!(normalize(b"/a\\x22b", 1), "/a\"b");
        assert_eq!(
            normalize(b"/path+with+plus?q=a+b", 1),
            "/path+with+plus?q=a b"
        );
        assert_eq!(normalize(b"/%u003cscript", 1), "/<script");
        assert_eq!(normalize(b"/bad%zz", 1), "/bad%zz");
        assert_eq!(normalize(b"/a?x=1%0aid", 1), "/a?x=1\nid");
        assert_eq!(normalize(b"/a?x=1+%0d%0a+id", 1), "/a?x=1\nid");
        assert_eq!(normalize(b"/a?x=1&y=%26", 1), "/a?x=1\x1fy=&");
        assert_eq!(
            normalize(b"/%c0%ae%c0%ae%u2215etc%uff0fpasswd", 2),
            "/../etc/passwd"
        );
    }

    proptest! {
        #[test]
        fn never_panics(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = normalize(&b, 3);
        }
    }
}
