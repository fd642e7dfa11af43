//! Transformations (`t:…`), each as the ModSecurity reference manual describes it
//! ("Transformation functions", ModSecurity v2/v3 reference). They work on bytes.

/// One transformation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transform {
    /// `lowercase`: ASCII letters to lower case.
    Lowercase,
    /// `urlDecode`: `%XX` and `+` → space; invalid encodings stay as they are.
    UrlDecode,
    /// `urlDecodeUni`: as `urlDecode`, plus IIS `%uHHHH`.
    UrlDecodeUni,
    /// `htmlEntityDecode`: `&#DDD;`, `&#xHH;`, `&quot;` `&amp;` `&lt;` `&gt;` `&nbsp;`.
    HtmlEntityDecode,
    /// `jsDecode`: JavaScript escapes `\uHHHH`, `\xHH`, `\OOO`, `\n` ….
    JsDecode,
    /// `cssDecode`: CSS 2.x escapes `\H…` (1–6 hex digits), `\` + newline, `\c`.
    CssDecode,
    /// `removeNulls`: drops NUL bytes.
    RemoveNulls,
    /// `removeWhitespace`: drops spaces, tabs, line breaks and NBSP (0xa0).
    RemoveWhitespace,
    /// `compressWhitespace`: runs of whitespace (incl. 0xa0) become one space.
    CompressWhitespace,
    /// `replaceComments`: each C comment `/* … */` (also unterminated) becomes one space.
    ReplaceComments,
    /// `removeComments`: drops `/* … */`, `<!-- … -->` and everything after `--` or `#`.
    RemoveComments,
    /// `removeCommentsChar`: drops the comment characters `/*`, `*/`, `<!--`, `-->`, `--`, `#`.
    RemoveCommentsChar,
    /// `normalisePath` / `normalizePath`: collapses `//`, `/./` and `/x/../`.
    NormalisePath,
    /// `normalisePathWin`: backslashes to slashes, then `normalisePath`.
    NormalisePathWin,
    /// `cmdLine`: the Windows/Unix command-line normalisation.
    CmdLine,
    /// `base64Decode`: decodes Base64 up to the first invalid character.
    Base64Decode,
    /// `base64DecodeExt`: decodes Base64 skipping invalid characters.
    Base64DecodeExt,
    /// `hexDecode`: pairs of hex digits to bytes.
    HexDecode,
    /// `hexEncode`: bytes to lower-case hex.
    HexEncode,
    /// `utf8toUnicode`: multi-byte UTF-8 characters to `%uHHHH`.
    Utf8ToUnicode,
    /// `sqlHexDecode`: `0xHHHH…` literals to bytes.
    SqlHexDecode,
    /// `escapeSeqDecode`: ANSI C escapes (`\n`, `\xHH`, `\OOO` …).
    EscapeSeqDecode,
    /// `length`: the input's length in bytes, as decimal text.
    Length,
    /// `trim`: whitespace removed at both ends.
    Trim,
    /// `trimLeft`.
    TrimLeft,
    /// `trimRight`.
    TrimRight,
}

impl Transform {
    /// The transformation named `name` (case-insensitive); `None` for unknown ones.
    /// `none` is handled by the rule parser (it clears the list).
    pub fn from_name(name: &str) -> Option<Transform> {
        Some(match name.to_ascii_lowercase().as_str() {
            "lowercase" => Transform::Lowercase,
            "urldecode" => Transform::UrlDecode,
            "urldecodeuni" => Transform::UrlDecodeUni,
            "htmlentitydecode" => Transform::HtmlEntityDecode,
            "jsdecode" => Transform::JsDecode,
            "cssdecode" => Transform::CssDecode,
            "removenulls" => Transform::RemoveNulls,
            "removewhitespace" => Transform::RemoveWhitespace,
            "compresswhitespace" => Transform::CompressWhitespace,
            "replacecomments" => Transform::ReplaceComments,
            "removecomments" => Transform::RemoveComments,
            "removecommentschar" => Transform::RemoveCommentsChar,
            "normalisepath" | "normalizepath" => Transform::NormalisePath,
            "normalisepathwin" | "normalizepathwin" => Transform::NormalisePathWin,
            "cmdline" => Transform::CmdLine,
            "base64decode" => Transform::Base64Decode,
            "base64decodeext" => Transform::Base64DecodeExt,
            "hexdecode" => Transform::HexDecode,
            "hexencode" => Transform::HexEncode,
            "utf8tounicode" => Transform::Utf8ToUnicode,
            "sqlhexdecode" => Transform::SqlHexDecode,
            "escapeseqdecode" => Transform::EscapeSeqDecode,
            "length" => Transform::Length,
            "trim" => Transform::Trim,
            "trimleft" => Transform::TrimLeft,
            "trimright" => Transform::TrimRight,
            _ => return None,
        })
    }

    /// Applies the transformation.
    pub fn apply(self, s: &[u8]) -> Vec<u8> {
        match self {
            Transform::Lowercase => s.to_ascii_lowercase(),
            Transform::UrlDecode => url_decode(s, false),
            Transform::UrlDecodeUni => url_decode(s, true),
            Transform::HtmlEntityDecode => html_entity_decode(s),
            Transform::JsDecode => js_decode(s),
            Transform::CssDecode => css_decode(s),
            Transform::RemoveNulls => s.iter().copied().filter(|&b| b != 0).collect(),
            Transform::RemoveWhitespace => s.iter().copied().filter(|&b| !is_ws(b)).collect(),
            Transform::CompressWhitespace => compress_ws(s),
            Transform::ReplaceComments => replace_comments(s),
            Transform::RemoveComments => remove_comments(s),
            Transform::RemoveCommentsChar => remove_comment_chars(s),
            Transform::NormalisePath => normalise_path(s),
            Transform::NormalisePathWin => {
                let t: Vec<u8> = s
                    .iter()
                    .map(|&b| if b == b'\\' { b'/' } else { b })
                    .collect();
                normalise_path(&t)
            }
            Transform::CmdLine => cmd_line(s),
            Transform::Base64Decode => base64(s, false),
            Transform::Base64DecodeExt => base64(s, true),
            Transform::HexDecode => hex_decode(s),
            Transform::HexEncode => {
                let mut out = Vec::with_capacity(s.len() * 2);
                for &b in s {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
                out
            }
            Transform::Utf8ToUnicode => utf8_to_unicode(s),
            Transform::SqlHexDecode => sql_hex_decode(s),
            Transform::EscapeSeqDecode => escape_seq_decode(s),
            Transform::Length => s.len().to_string().into_bytes(),
            Transform::Trim => trim_ws(s, true, true).to_vec(),
            Transform::TrimLeft => trim_ws(s, true, false).to_vec(),
            Transform::TrimRight => trim_ws(s, false, true).to_vec(),
        }
    }
}

impl Transform {
    /// Whether `apply` would give `s` back unchanged, by a cheap scan for the bytes
    /// the transformation acts on (`%`/`+` for `urlDecode`, `\\` for `jsDecode` …).
    /// `false` means "maybe changed". Evaluation skips the copy for an unchanged value,
    /// and `multiMatch` skips the operator: most request values hold nothing to
    /// decode. Checked against `apply` in `tests::unchanged_means_apply_is_identity`.
    pub fn leaves_unchanged(self, s: &[u8]) -> bool {
        use memchr::memmem::find;
        match self {
            Transform::Lowercase => !s.iter().any(u8::is_ascii_uppercase),
            Transform::UrlDecode | Transform::UrlDecodeUni => {
                memchr::memchr2(b'%', b'+', s).is_none()
            }
            Transform::HtmlEntityDecode => memchr::memchr(b'&', s).is_none(),
            Transform::JsDecode | Transform::CssDecode | Transform::EscapeSeqDecode => {
                memchr::memchr(b'\\', s).is_none()
            }
            Transform::RemoveNulls => memchr::memchr(0, s).is_none(),
            Transform::RemoveWhitespace => !s.iter().any(|&b| is_ws(b)),
            Transform::CompressWhitespace => {
                // Unchanged when every whitespace byte is a single space.
                let mut prev_ws = false;
                for &b in s {
                    let ws = is_ws(b);
                    if ws && (b != b' ' || prev_ws) {
                        return false;
                    }
                    prev_ws = ws;
                }
                true
            }
            Transform::ReplaceComments => find(s, b"/*").is_none(),
            // `<!--` and `-->` hold `--`.
            Transform::RemoveComments => {
                memchr::memchr(b'#', s).is_none()
                    && find(s, b"/*").is_none()
                    && find(s, b"--").is_none()
            }
            Transform::RemoveCommentsChar => {
                memchr::memchr(b'#', s).is_none()
                    && find(s, b"/*").is_none()
                    && find(s, b"*/").is_none()
                    && find(s, b"--").is_none()
            }
            Transform::Utf8ToUnicode => s.is_ascii(),
            Transform::Trim => {
                s.first().is_none_or(|&b| !is_ws(b)) && s.last().is_none_or(|&b| !is_ws(b))
            }
            Transform::TrimLeft => s.first().is_none_or(|&b| !is_ws(b)),
            Transform::TrimRight => s.last().is_none_or(|&b| !is_ws(b)),
            _ => false,
        }
    }

    /// The transformed value, or `None` when [`Transform::leaves_unchanged`] shows
    /// the value stays as it is.
    pub fn apply_changed(self, s: &[u8]) -> Option<Vec<u8>> {
        (!self.leaves_unchanged(s)).then(|| self.apply(s))
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xa0)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_pair(s: &[u8], i: usize) -> Option<u8> {
    Some(hex_val(*s.get(i)?)? << 4 | hex_val(*s.get(i + 1)?)?)
}

/// Appends a `%uHHHH`/`\uHHHH` code unit as ModSecurity does without a unicode
/// map: full-width ASCII (U+FF01–U+FF5E) becomes ASCII and U+0000–U+00FF its byte.
/// Deviation, on purpose: other code points are appended as their UTF-8 text, not
/// ModSecurity's low byte, which turns Japanese text into random ASCII punctuation
/// (U+4E27 would become `'`) and makes CRS flag ordinary Japanese queries.
fn push_unicode(out: &mut Vec<u8>, code: u32) {
    if (0xff01..=0xff5e).contains(&code) {
        out.push((code - 0xfee0) as u8);
    } else if code <= 0xff {
        out.push(code as u8);
    } else {
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

fn url_decode(s: &[u8], uni: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b == b'%' {
            if uni && matches!(s.get(i + 1), Some(b'u' | b'U')) {
                let code = (0..4).try_fold(0u32, |acc, k| {
                    s.get(i + 2 + k)
                        .and_then(|&c| hex_val(c))
                        .map(|v| acc << 4 | u32::from(v))
                });
                if let Some(code) = code {
                    push_unicode(&mut out, code);
                    i += 6;
                    continue;
                }
            }
            if let Some(v) = hex_pair(s, i + 1) {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(b);
        } else if b == b'+' {
            out.push(b' ');
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

fn html_entity_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'&' {
            let rest = &s[i + 1..];
            if let Some(r) = rest.strip_prefix(b"#") {
                let (hex, digits) = match r.first() {
                    Some(b'x' | b'X') => (true, &r[1..]),
                    _ => (false, r),
                };
                let n = digits
                    .iter()
                    .take_while(|&&c| {
                        if hex {
                            c.is_ascii_hexdigit()
                        } else {
                            c.is_ascii_digit()
                        }
                    })
                    .count();
                if n > 0 {
                    let text = std::str::from_utf8(&digits[..n]).unwrap_or("0");
                    let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(0);
                    out.push((code & 0xff) as u8);
                    let mut used = 1 + usize::from(hex) + n;
                    if digits.get(n) == Some(&b';') {
                        used += 1;
                    }
                    i += 1 + used;
                    continue;
                }
            } else {
                let named: &[(&[u8], u8)] = &[
                    (b"quot", b'"'),
                    (b"amp", b'&'),
                    (b"lt", b'<'),
                    (b"gt", b'>'),
                    (b"nbsp", 0xa0),
                ];
                if let Some((name, v)) = named
                    .iter()
                    .find(|(n, _)| rest.len() >= n.len() && rest[..n.len()].eq_ignore_ascii_case(n))
                {
                    out.push(*v);
                    let mut used = name.len();
                    if rest.get(used) == Some(&b';') {
                        used += 1;
                    }
                    i += 1 + used;
                    continue;
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

fn js_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 >= s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let c = s[i + 1];
        match c {
            b'u' => {
                let code = (0..4).try_fold(0u32, |acc, k| {
                    s.get(i + 2 + k)
                        .and_then(|&c| hex_val(c))
                        .map(|v| acc << 4 | u32::from(v))
                });
                if let Some(code) = code {
                    push_unicode(&mut out, code);
                    i += 6;
                } else {
                    out.push(b'u');
                    i += 2;
                }
            }
            b'x' => {
                if let Some(v) = hex_pair(s, i + 2) {
                    out.push(v);
                    i += 4;
                } else {
                    out.push(b'x');
                    i += 2;
                }
            }
            b'0'..=b'7' => {
                let (v, n) = octal(&s[i + 1..]);
                out.push(v);
                i += 1 + n;
            }
            _ => {
                out.push(simple_escape(c));
                i += 2;
            }
        }
    }
    out
}

fn simple_escape(c: u8) -> u8 {
    match c {
        b'a' => 0x07,
        b'b' => 0x08,
        b'f' => 0x0c,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 0x0b,
        other => other,
    }
}

fn css_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let Some(&c) = s.get(i + 1) else {
            // A lone backslash at the end is dropped.
            i += 1;
            continue;
        };
        let n = s[i + 1..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if n > 0 {
            let code = s[i + 1..i + 1 + n].iter().fold(0u32, |acc, &d| {
                acc << 4 | u32::from(hex_val(d).unwrap_or(0))
            });
            push_unicode(&mut out, code);
            i += 1 + n;
            // One whitespace character after a hex escape belongs to it.
            if s.get(i).is_some_and(|&b| is_ws(b)) {
                i += 1;
            }
        } else if c == b'\n' {
            i += 2;
        } else {
            out.push(c);
            i += 2;
        }
    }
    out
}

fn compress_ws(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut in_ws = false;
    for &b in s {
        if is_ws(b) {
            if !in_ws {
                out.push(b' ');
            }
            in_ws = true;
        } else {
            out.push(b);
            in_ws = false;
        }
    }
    out
}

fn replace_comments(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(b"/*") {
            out.push(b' ');
            match memchr::memmem::find(&s[i + 2..], b"*/") {
                Some(end) => i += 2 + end + 2,
                None => break,
            }
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn remove_comments(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with(b"/*") {
            match memchr::memmem::find(&rest[2..], b"*/") {
                Some(end) => i += 2 + end + 2,
                None => break,
            }
        } else if rest.starts_with(b"<!--") {
            match memchr::memmem::find(&rest[4..], b"-->") {
                Some(end) => i += 4 + end + 3,
                None => break,
            }
        } else if rest.starts_with(b"--") || rest[0] == b'#' {
            break;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn remove_comment_chars(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(p) = [&b"<!--"[..], b"-->", b"/*", b"*/", b"--"]
            .iter()
            .find(|p| rest.starts_with(p))
        {
            i += p.len();
        } else if rest[0] == b'#' {
            i += 1;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn normalise_path(s: &[u8]) -> Vec<u8> {
    if s.is_empty() {
        return Vec::new();
    }
    let absolute = s[0] == b'/';
    let trailing = s.len() > 1 && s[s.len() - 1] == b'/';
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut lead_up = 0usize;
    for seg in s.split(|&b| b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                if parts.pop().is_none() && !absolute {
                    lead_up += 1;
                }
            }
            _ => parts.push(seg),
        }
    }
    let mut out = Vec::with_capacity(s.len());
    if absolute {
        out.push(b'/');
    }
    for _ in 0..lead_up {
        out.extend_from_slice(b"../");
    }
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(p);
    }
    if trailing && !out.ends_with(b"/") {
        out.push(b'/');
    }
    out
}

fn cmd_line(s: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut space = false;
    for &b in s {
        match b {
            b'"' | b'\'' | b'\\' | b'^' => {}
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b';' => space = true,
            b'/' | b'(' => {
                // Spaces before a slash or an opening parenthesis are dropped.
                space = false;
                out.push(b);
            }
            _ => {
                if space {
                    out.push(b' ');
                    space = false;
                }
                out.push(b.to_ascii_lowercase());
            }
        }
    }
    out
}

fn base64_val(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn base64(s: &[u8], skip_invalid: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in s {
        let v = match base64_val(b) {
            Some(v) => v,
            None if b == b'=' || skip_invalid => continue,
            None => break,
        };
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    out
}

fn hex_decode(s: &[u8]) -> Vec<u8> {
    s.chunks(2)
        .filter_map(|p| Some(hex_val(p[0])? << 4 | hex_val(*p.get(1)?)?))
        .collect()
}

fn utf8_to_unicode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                out.extend_from_slice(format!("%u{:04x}", u32::from(c)).as_bytes());
            }
        }
        out.extend_from_slice(chunk.invalid());
    }
    out
}

fn sql_hex_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'0' && matches!(s.get(i + 1), Some(b'x' | b'X')) && hex_pair(s, i + 2).is_some()
        {
            i += 2;
            while let Some(v) = hex_pair(s, i) {
                out.push(v);
                i += 2;
            }
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn escape_seq_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 >= s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let c = s[i + 1];
        match c {
            b'x' | b'X' => {
                if let Some(v) = hex_pair(s, i + 2) {
                    out.push(v);
                    i += 4;
                } else {
                    out.push(b'\\');
                    i += 1;
                }
            }
            b'0'..=b'7' => {
                let (v, n) = octal(&s[i + 1..]);
                out.push(v);
                i += 1 + n;
            }
            b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'?' | b'\'' | b'"' => {
                out.push(simple_escape(c));
                i += 2;
            }
            _ => {
                out.push(b'\\');
                i += 1;
            }
        }
    }
    out
}

fn trim_ws(s: &[u8], left: bool, right: bool) -> &[u8] {
    let mut a = 0;
    let mut b = s.len();
    if left {
        while a < b && is_ws(s[a]) {
            a += 1;
        }
    }
    if right {
        while b > a && is_ws(s[b - 1]) {
            b -= 1;
        }
    }
    &s[a..b]
}

/// Up to three octal digits at the start of `s`: the byte they give (low eight bits)
/// and how many digits were read. The escape forms of `jsDecode` and `escapeSeqDecode`.
fn octal(s: &[u8]) -> (u8, usize) {
    let n = s
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(c))
        .count();
    let v = s[..n]
        .iter()
        .fold(0u32, |acc, &d| acc * 8 + u32::from(d - b'0'));
    ((v & 0xff) as u8, n)
}

#[cfg(test)]
mod tests {
    use super::Transform::*;
    use super::*;

    fn t(tr: Transform, s: &str) -> String {
        String::from_utf8_lossy(&tr.apply(s.as_bytes())).into_owned()
    }

    // Cases follow the examples and definitions of the ModSecurity reference manual,
    // section "Transformation functions".
    #[test]
    fn url_decoding() {
        assert_eq!(t(UrlDecode, "a%20b+c%2"), "a b c%2");
        assert_eq!(t(UrlDecode, "%27%3cscript%3E"), "'<script>");
        assert_eq!(t(UrlDecode, "%zz%"), "%zz%");
        assert_eq!(t(UrlDecodeUni, "%u0027or%u00271"), "'or'1");
        // Full-width "＜" (U+FF1C) becomes "<".
        assert_eq!(t(UrlDecodeUni, "%uff1cscript"), "<script");
        assert_eq!(t(UrlDecode, "%u0027"), "%u0027");
        // Beyond Latin-1 the text is kept (see `push_unicode`).
        assert_eq!(t(UrlDecodeUni, "%u6771%u4EAC"), "東京");
        assert_eq!(
            UrlDecodeUni.apply(&Utf8ToUnicode.apply("東京".as_bytes())),
            "東京".as_bytes()
        );
    }

    #[test]
    fn html_entities() {
        assert_eq!(
            t(HtmlEntityDecode, "&lt;a&gt; &quot;x&quot; &amp;"),
            "<a> \"x\" &"
        );
        assert_eq!(t(HtmlEntityDecode, "&#60;&#x3c;&#X3C&#39"), "<<<'");
        assert_eq!(t(HtmlEntityDecode, "&unknown; & &#;"), "&unknown; & &#;");
        assert_eq!(HtmlEntityDecode.apply(b"&nbsp;"), vec![0xa0]);
    }

    #[test]
    fn js_and_css_and_escape_sequences() {
        assert_eq!(t(JsDecode, r"\x3cscript\u003e\74\n\q"), "<script><\nq");
        assert_eq!(
            t(
                CssDecode,
                r"\3c script\>\
x"
            ),
            "<script>x"
        );
        assert_eq!(t(CssDecode, r"j\61vascript"), "javascript");
        assert_eq!(t(EscapeSeqDecode, r"a\x41\101\n\z"), "aAA\n\\z");
    }

    #[test]
    fn whitespace_and_nulls() {
        assert_eq!(t(RemoveNulls, "a\0b"), "ab");
        assert_eq!(t(RemoveWhitespace, " a \t b\n"), "ab");
        assert_eq!(t(CompressWhitespace, "a  \t\n b "), "a b ");
        assert_eq!(t(Trim, "  a b \t"), "a b");
        assert_eq!(t(TrimLeft, "  a "), "a ");
        assert_eq!(t(TrimRight, "  a "), "  a");
        assert_eq!(t(Lowercase, "SeLeCT"), "select");
        assert_eq!(t(Length, "abcd"), "4");
    }

    #[test]
    fn comments() {
        assert_eq!(t(ReplaceComments, "sel/**/ect/*x"), "sel ect ");
        assert_eq!(t(RemoveComments, "1/*x*/or<!--y-->1-- tail"), "1or1");
        assert_eq!(t(RemoveComments, "a#b"), "a");
        assert_eq!(t(RemoveCommentsChar, "un/**/ion--#"), "union");
    }

    #[test]
    fn paths() {
        assert_eq!(t(NormalisePath, "/a/b/../c//./d"), "/a/c/d");
        assert_eq!(t(NormalisePath, "/../../etc/passwd"), "/etc/passwd");
        assert_eq!(t(NormalisePath, "a/../../b/"), "../b/");
        assert_eq!(t(NormalisePathWin, r"C:\a\..\b"), "C:/b");
    }

    #[test]
    fn command_lines() {
        // The manual's example: `"c^ommand /c ..."` → `command/c ...`
        assert_eq!(t(CmdLine, "c^ommand /c \"dir\""), "command/c dir");
        assert_eq!(t(CmdLine, "CAT  ;  /etc'/'passwd"), "cat/etc/passwd");
        assert_eq!(t(CmdLine, "ls,-la"), "ls -la");
    }

    #[test]
    fn encodings() {
        assert_eq!(t(Base64Decode, "SGVsbG8="), "Hello");
        assert_eq!(t(Base64Decode, "SGVs.bG8="), "Hel");
        assert_eq!(t(Base64DecodeExt, "SGVs.bG8="), "Hello");
        assert_eq!(t(HexDecode, "414243"), "ABC");
        assert_eq!(t(HexEncode, "AB"), "4142");
        assert_eq!(t(SqlHexDecode, "0x414243 x"), "ABC x");
        assert_eq!(t(Utf8ToUnicode, "aé"), "a%u00e9");
    }

    #[test]
    fn names() {
        assert_eq!(Transform::from_name("normalizePath"), Some(NormalisePath));
        assert_eq!(Transform::from_name("urlDecodeUni"), Some(UrlDecodeUni));
        assert_eq!(Transform::from_name("sha1"), None);
    }

    const ALL: [Transform; 26] = [
        Lowercase,
        UrlDecode,
        UrlDecodeUni,
        HtmlEntityDecode,
        JsDecode,
        CssDecode,
        RemoveNulls,
        RemoveWhitespace,
        CompressWhitespace,
        ReplaceComments,
        RemoveComments,
        RemoveCommentsChar,
        NormalisePath,
        NormalisePathWin,
        CmdLine,
        Base64Decode,
        Base64DecodeExt,
        HexDecode,
        HexEncode,
        Utf8ToUnicode,
        SqlHexDecode,
        EscapeSeqDecode,
        Length,
        Trim,
        TrimLeft,
        TrimRight,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]
        /// `leaves_unchanged` may only say so when `apply` is the identity.
        #[test]
        fn unchanged_means_apply_is_identity(
            s in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(b"aZ09 %+&#;\\/*-<>!.x\t\n\0".to_vec()),
                proptest::prelude::any::<u8>(),
            ], 0..24)
        ) {
            for t in ALL {
                if t.leaves_unchanged(&s) {
                    proptest::prop_assert_eq!(t.apply(&s), s.clone(), "{:?}", t);
                }
            }
        }
    }

    #[test]
    fn unchanged_on_plain_text() {
        for t in [
            Lowercase,
            UrlDecodeUni,
            HtmlEntityDecode,
            JsDecode,
            CssDecode,
            RemoveNulls,
            CompressWhitespace,
            ReplaceComments,
            RemoveComments,
            RemoveCommentsChar,
            Utf8ToUnicode,
            Trim,
        ] {
            assert!(t.leaves_unchanged(b"hello world.html"), "{t:?}");
        }
        assert!(!UrlDecode.leaves_unchanged(b"a+b"));
        assert!(!CompressWhitespace.leaves_unchanged(b"a  b"));
        assert!(!RemoveComments.leaves_unchanged(b"a -- b"));
    }
}
