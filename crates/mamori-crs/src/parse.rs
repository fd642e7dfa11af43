//! The SecLang subset: from a `.conf` file's text to directives with their line
//! numbers. No rule semantics here (see [`crate::rule`]).
//!
//! The quoting follows Apache's `ap_getword_conf`, which ModSecurity's configuration
//! uses: an argument is a bare word or a double-quoted string in which only `\"` is
//! unescaped; every other backslash stays (regexes keep `\b`, `\d` …). A line ending
//! with `\` continues on the next line.

/// One directive: its name, its arguments and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// `SecRule`, `SecAction`, `SecMarker` …
    pub name: String,
    /// The arguments, unquoted.
    pub args: Vec<String>,
    /// The line the directive starts on.
    pub line: u32,
}

/// A syntax error: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SyntaxError {
    /// The 1-based line.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

/// Splits a configuration text into directives. A directive that cannot be split
/// (an unterminated quote) is an error for that directive only; the rest is kept.
pub fn directives(text: &str) -> (Vec<Directive>, Vec<SyntaxError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut logical = String::new();
    let mut start = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end_matches('\r');
        if logical.is_empty() {
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            start = n;
        }
        let (body, cont) = match line.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (line, false),
        };
        logical.push_str(body.trim_start());
        if cont {
            continue;
        }
        match split_words(&logical) {
            Ok(mut words) if !words.is_empty() => {
                let name = words.remove(0);
                out.push(Directive {
                    name,
                    args: words,
                    line: start,
                });
            }
            Ok(_) => {}
            Err(message) => errors.push(SyntaxError {
                line: start,
                message,
            }),
        }
        logical.clear();
    }
    if !logical.is_empty() {
        errors.push(SyntaxError {
            line: start,
            message: "the file ends inside a continued line".into(),
        });
    }
    (out, errors)
}

/// Splits one logical line into words (bare or double-quoted).
fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&c) = chars.peek() else { break };
        let mut w = String::new();
        if c == '"' || c == '\'' {
            let quote = c;
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                if c == '\\' && chars.peek() == Some(&quote) {
                    w.push(quote);
                    chars.next();
                } else if c == quote {
                    closed = true;
                    break;
                } else {
                    w.push(c);
                }
            }
            if !closed {
                return Err(format!("unterminated {quote}-quoted argument"));
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                w.push(c);
            }
        }
        words.push(w);
    }
    Ok(words)
}

/// Splits an action list (`id:1,msg:'a, b',t:none`) into `(name, value)` pairs;
/// single quotes group, `\'` inside them is a quote.
pub fn actions(s: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    let mut chars = s.chars().peekable();
    let mut flush = |cur: &mut String| -> Result<(), String> {
        let item = cur.trim();
        if !item.is_empty() {
            let (name, value) = match item.split_once(':') {
                Some((n, v)) => (n.trim(), Some(unquote(v.trim()))),
                None => (item, None),
            };
            out.push((name.to_ascii_lowercase(), value));
        }
        cur.clear();
        Ok(())
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_quote && chars.peek() == Some(&'\'') => {
                cur.push('\\');
                cur.push('\'');
                chars.next();
            }
            '\'' => {
                in_quote = !in_quote;
                cur.push(c);
            }
            ',' if !in_quote => flush(&mut cur)?,
            _ => cur.push(c),
        }
    }
    if in_quote {
        return Err(format!("unterminated single quote in actions {s:?}"));
    }
    flush(&mut cur)?;
    Ok(out)
}

fn unquote(v: &str) -> String {
    let inner = v
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(v);
    inner.replace("\\'", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_quotes_and_comments() {
        let text = "# comment\nSecRule ARGS \"@rx a\\\"b\\d\" \\\n    \"id:1,\\\n    msg:'x, y'\"\n\nSecMarker END\n";
        let (d, e) = directives(text);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "SecRule");
        assert_eq!(d[0].line, 2);
        assert_eq!(d[0].args, vec!["ARGS", "@rx a\"b\\d", "id:1,msg:'x, y'"]);
        assert_eq!(d[1].args, vec!["END"]);
        assert_eq!(d[1].line, 6);
    }

    #[test]
    fn unterminated_quote_names_the_line() {
        let (d, e) = directives("SecMarker A\nSecRule ARGS \"@rx a\n");
        assert_eq!(d.len(), 1);
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("unterminated"));
    }

    #[test]
    fn action_lists() {
        let a =
            actions("id:942100,msg:'SQL, \\'x\\'',t:none,capture,setvar:'tx.a=+%{tx.b}'").unwrap();
        assert_eq!(a[0], ("id".into(), Some("942100".into())));
        assert_eq!(a[1], ("msg".into(), Some("SQL, 'x'".into())));
        assert_eq!(a[3], ("capture".into(), None));
        assert_eq!(a[4], ("setvar".into(), Some("tx.a=+%{tx.b}".into())));
        assert!(actions("msg:'x").is_err());
    }
}
