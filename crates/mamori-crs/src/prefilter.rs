//! The fast pre-filter: most access-log lines hold only URL-safe characters and
//! ordinary words, which no CRS rule at paranoia level 1–2 can match. Such a line
//! skips the engine. The claim is checked empirically in `tests/it/prefilter.rs`
//! (`prefilter_never_skips_a_flagged_request`) against the full rule set.

use crate::eval::{Item, Program, Tx};
use crate::op::Op;
use crate::var::Request;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use rustc_hash::{FxHashMap, FxHashSet as HashSet};

/// Words of SQL, shells (Unix, cmd, PowerShell), PHP, Java and JavaScript that CRS
/// regexes look for without any special character around them. Compared as whole
/// words, case-insensitively, in query values of more than one word.
/// Fragments CRS regexes look for without a word boundary (942230 `having…`,
/// 943120 session parameter names), checked as substrings like the rules' phrases.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "having",
    "sessionid",
    "session_id",
    "session-id",
    "phpsess",
    "phpsession",
    "cfid",
    "cftoken",
    "cfsid",
    "jservsession",
    "jwsession",
    "weblogicsession",
];

/// The words that matter in a path or in a one-word query value or name. Not `svg`
/// (a file type: CRS matches `<svg`, whose `<` the pre-filter passes anyway) nor
/// `shadow` (CRS matches `etc/shadow`, a phrase of its file lists).
#[rustfmt::skip]
const TOKEN_WORDS: &[&str] = &[
    "script",
    "javascript",
    "vbscript",
    "onerror",
    "onload",
    "iframe",
    "alert",
    "jndi",
    "ldap",
    "union",
    "select",
    "sleep",
    "benchmark",
    "eval",
    "exec",
    "system",
    "passwd",
    "environ",
    "cmd",
    "powershell",
    "phpinfo",
];

#[rustfmt::skip]
const WORDS: &[&str] = &[
    // SQL
    "select", "union", "insert", "update", "delete", "drop", "truncate", "exec", "execute",
    "declare", "sleep", "benchmark", "waitfor", "delay", "having", "order", "group", "by",
    "from", "where", "or", "and", "xor", "div", "not", "null", "like", "rlike", "regexp",
    "between", "case", "when", "then", "else", "end", "limit", "offset", "procedure",
    "information_schema", "sysobjects", "syscolumns", "char", "chr", "concat", "ascii",
    "substring", "substr", "version", "database", "schema", "table", "tables", "column",
    "load_file", "outfile", "dumpfile", "into", "cast", "convert", "hex", "unhex", "if",
    "iif", "pg_sleep", "dbms_pipe", "utl_http", "alter", "create", "shutdown", "grant",
    "revoke", "merge", "values", "all", "distinct", "top", "is", "in", "sounds", "glob",
    "match", "against", "collate", "binary", "md5", "sha1", "mysql", "sqlite_master",
    "pg_catalog", "master", "xp_cmdshell", "sp_executesql", "openrowset", "opendatasource",
    "user", "current_user", "session_user", "system_user", "sysdate", "now", "elt",
    "extractvalue", "updatexml", "exp", "floor", "rand", "count", "load", "data", "infile",
    "handler", "open", "read", "nvarchar", "varchar", "int", "integer", "true", "false",
    // shells and tools
    "ls", "cat", "id", "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash",
    "sh", "zsh", "ksh", "csh", "dash", "python", "python3", "perl", "php", "ruby", "lua",
    "node", "echo", "ping", "nslookup", "dig", "host", "telnet", "ssh", "ftp", "tftp",
    "scp", "rm", "mv", "cp", "chmod", "chown", "kill", "ps", "env", "set", "export",
    "eval", "exec", "system", "passthru", "popen", "proc_open", "shell_exec", "sudo", "su",
    "crontab", "nohup", "awk", "sed", "grep", "find", "xargs", "base64", "tar", "zip",
    "unzip", "gzip", "head", "tail", "more", "less", "vi", "vim", "nano", "touch", "mkdir",
    "rmdir", "ifconfig", "ip", "netstat", "route", "passwd", "shadow", "etc", "bin", "usr",
    "tmp", "dev", "proc", "self", "environ", "cmd", "powershell", "pwsh", "command", "dir",
    "type", "net", "ipconfig", "systeminfo", "tasklist", "taskkill", "certutil", "bitsadmin",
    "mshta", "rundll32", "regsvr32", "wscript", "cscript", "reg", "sc", "schtasks", "wmic",
    "start", "call", "copy", "del", "erase", "ren", "rename", "attrib", "xcopy", "robocopy",
    "invoke", "iex", "iwr", "irm", "nmap", "time", "timeout", "sort", "uniq", "wc", "nl",
    "od", "xxd", "strings", "file", "stat", "which", "whereis", "locate", "history", "alias",
    "source", "exit", "logout", "reboot", "halt", "mail", "sendmail", "socat", "openssl",
    "java", "javac", "jar", "gcc", "cc", "make", "git", "svn", "docker", "kubectl", "apt",
    "yum", "dnf", "pip", "npm", "gem", "composer", "mysqldump", "psql", "sqlite3", "mongo",
    "redis", "expr", "printf", "print", "test", "true", "yes", "nice", "time", "sleep",
    "wait", "ulimit", "umask", "diff", "cut", "tr", "tee", "dd", "df", "du", "free", "top",
    "htop", "last", "lastlog", "w", "who", "finger", "groups", "getent", "hostname",
    "lsof", "mount", "umount", "fdisk", "iptables", "systemctl", "service", "init",
    // scripting and templates
    "script", "javascript", "vbscript", "alert", "prompt", "confirm", "document", "cookie",
    "window", "location", "onerror", "onload", "onmouseover", "onclick", "onfocus", "style",
    "expression", "iframe", "svg", "img", "src", "href", "object", "embed", "applet",
    "base", "meta", "form", "input", "body", "html", "xml", "xss", "import", "require",
    "constructor", "prototype", "__proto__", "function", "return", "new", "this", "process",
    "child_process", "mainmodule", "global", "jndi", "ldap", "rmi", "dns", "iiop", "corba",
    "nis", "nds", "http", "https", "file", "gopher", "dict", "phar", "expect", "data",
    "input", "filter", "zlib", "glob", "ogg", "rar", "ssh2", "runtime", "getruntime",
    "processbuilder", "classloader", "reflect", "invoke", "getclass", "forname",
    "springframework", "ognl", "freemarker", "velocity", "thymeleaf", "xwork", "struts",
    "jsessionid", "phpsessid", "aspsessionid", "sessionid", "session", "sid",
];

/// The fields whose verdicts are remembered.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Target = 0,
    Agent = 1,
    Referer = 2,
}

/// Entries per field before the memo starts over (bounded memory per thread).
const MEMO_CAP: usize = 8192;

/// One thread's remembered verdicts, for the pre-filter `owner` (rule sets differ).
#[derive(Default)]
struct Memo {
    owner: u64,
    maps: [FxHashMap<Box<[u8]>, bool>; 3],
}

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// Distinct ids for pre-filters (0 is no pre-filter).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Whose verdicts a thread's memo holds.
    id: u64,
    phrases: Option<AhoCorasick>,
    words: HashSet<&'static str>,
    token_words: HashSet<&'static str>,
    methods: Vec<Vec<u8>>,
    protocols: Vec<Vec<u8>>,
    extensions: Vec<Vec<u8>>,
    paranoia: u8,
}

impl Prefilter {
    pub fn new(programs: &[Program; 2], tx: &Tx, paranoia: u8) -> Prefilter {
        let mut phrases: Vec<String> = Vec::new();
        for prog in programs {
            for item in &prog.items {
                let Item::Rule(r) = item else { continue };
                if r.paranoia.is_some_and(|pl| pl > paranoia) {
                    continue;
                }
                // A chain matches only when its first link does: the first link's
                // phrases are the ones a request must hold.
                if let Op::Pm(p) = &r.op
                    && !r.negated
                {
                    phrases.extend(p.phrases.iter().cloned());
                }
            }
        }
        phrases.extend(FRAGMENTS.iter().map(|f| (*f).to_owned()));
        phrases.sort();
        phrases.dedup();
        let phrases = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&phrases)
            .ok();
        let list = |k: &str, default: &str| -> Vec<Vec<u8>> {
            tx.get(k)
                .map_or(default, String::as_str)
                .split_whitespace()
                .map(|s| s.as_bytes().to_vec())
                .collect()
        };
        Prefilter {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            phrases,
            words: WORDS.iter().copied().collect(),
            // From paranoia level 2 on, rules such as 942120 (SQL operators) look at
            // single words too.
            token_words: if paranoia >= 2 {
                WORDS.iter().chain(TOKEN_WORDS).copied().collect()
            } else {
                TOKEN_WORDS.iter().copied().collect()
            },
            methods: list("allowed_methods", "GET HEAD POST OPTIONS"),
            protocols: list("allowed_http_versions", "HTTP/1.0 HTTP/1.1 HTTP/2 HTTP/2.0"),
            extensions: tx
                .get("restricted_extensions")
                .map(|s| {
                    s.split_whitespace()
                        .map(|e| e.trim_end_matches('/').to_ascii_lowercase().into_bytes())
                        .collect()
                })
                .unwrap_or_default(),
            paranoia,
        }
    }

    /// `false` only when no rule can match.
    pub fn may_match(&self, r: &Request<'_>) -> bool {
        if !self.methods.iter().any(|m| m == r.method)
            || !self.protocols.iter().any(|p| p == r.protocol)
            || r.uri.first() != Some(&b'/')
        {
            return true;
        }
        if self.memo(Slot::Target, r.uri, || self.target_may_match(r.uri)) {
            return true;
        }
        match r.user_agent {
            None => {
                if self.paranoia >= 2 {
                    return true;
                }
            }
            Some(ua) => {
                if self.memo(Slot::Agent, ua, || self.agent_may_match(ua)) {
                    return true;
                }
            }
        }
        r.referer
            .is_some_and(|re| self.memo(Slot::Referer, re, || self.referer_may_match(re)))
    }

    /// The verdict on one field value, remembered per thread: user agents and referers
    /// repeat on almost every line of a real log (a few hundred browsers; the page that
    /// loaded the assets), and so do asset paths.
    fn memo(&self, slot: Slot, value: &[u8], check: impl FnOnce() -> bool) -> bool {
        let known = MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.owner != self.id {
                *m = Memo {
                    owner: self.id,
                    ..Memo::default()
                };
            }
            m.maps[slot as usize].get(value).copied()
        });
        if let Some(v) = known {
            return v;
        }
        let v = check();
        MEMO.with(|m| {
            let map = &mut m.borrow_mut().maps[slot as usize];
            if map.len() >= MEMO_CAP {
                map.clear();
            }
            map.insert(value.into(), v);
        });
        v
    }

    fn agent_may_match(&self, ua: &[u8]) -> bool {
        ua.is_empty()
            || !ua
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b" /.;(),_-:+~[]".contains(&b))
            || self.suspicious_phrase(ua)
    }

    /// `scheme://host[:port]` then a request target like the request's own.
    fn referer_may_match(&self, re: &[u8]) -> bool {
        let rest = re
            .strip_prefix(b"https://")
            .or_else(|| re.strip_prefix(b"http://"));
        let Some(rest) = rest else { return true };
        let host_end = rest
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b"-.:".contains(&b)))
            .unwrap_or(rest.len());
        let target = &rest[host_end..];
        rest[..host_end].windows(2).any(|w| w == b"..")
            || self.suspicious_phrase(&rest[..host_end])
            || (!target.is_empty() && (target[0] != b'/' || self.target_may_match(target)))
    }

    /// The path and query of a request target (starting with `/`).
    fn target_may_match(&self, uri: &[u8]) -> bool {
        let (path, query) = match memchr::memchr(b'?', uri) {
            Some(i) => (&uri[..i], Some(&uri[i + 1..])),
            None => (uri, None),
        };
        if !path.iter().all(|&b| raw_safe(b) || b == b'/') {
            return true;
        }
        let dpath = decode(path);
        if !plain(&dpath, b"/") || self.suspicious_text(&dpath, &self.token_words) {
            return true;
        }
        let base = match memchr::memrchr(b'/', &dpath) {
            Some(i) => &dpath[i + 1..],
            None => &dpath[..],
        };
        if let Some(dot) = memchr::memrchr(b'.', base) {
            let ext = base[dot..].to_ascii_lowercase();
            if self.extensions.contains(&ext) {
                return true;
            }
        }
        if let Some(q) = query {
            if !q.iter().all(|&b| raw_safe(b) || b == b'&' || b == b'=') {
                return true;
            }
            for kv in q.split(|&b| b == b'&') {
                let (k, v) = match memchr::memchr(b'=', kv) {
                    Some(i) => (&kv[..i], &kv[i + 1..]),
                    None => (kv, &b""[..]),
                };
                for part in [k, v] {
                    let d = decode(part);
                    let words = if d.iter().any(|b| b" ,".contains(b)) {
                        &self.words
                    } else {
                        &self.token_words
                    };
                    if !plain(&d, b"") || self.suspicious_text(&d, words) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// `..` or a phrase of the rules' lists anywhere.
    fn suspicious_phrase(&self, s: &[u8]) -> bool {
        s.windows(2).any(|w| w == b"..") || self.phrases.as_ref().is_some_and(|ac| ac.is_match(s))
    }

    /// As `suspicious_phrase`, or a listed word as a whole word.
    fn suspicious_text(&self, s: &[u8], words: &HashSet<&'static str>) -> bool {
        if self.suspicious_phrase(s) {
            return true;
        }
        s.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .filter(|w| !w.is_empty() && w.len() <= 20)
            .any(|w| {
                let mut buf = [0u8; 20];
                let lower = &mut buf[..w.len()];
                lower.copy_from_slice(w);
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).is_ok_and(|w| words.contains(w))
            })
    }
}

/// Raw URL bytes that are never special: letters, digits, `-._~,+%`.
fn raw_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~,+%".contains(&b)
}

/// Percent- and `+`-decoded (borrowed when there is nothing to decode).
fn decode(s: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if s.iter().any(|&b| b == b'%' || b == b'+') {
        std::borrow::Cow::Owned(crate::transform::Transform::UrlDecode.apply(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Decoded text made of letters, digits, spaces, `-._~,` (plus `extra`) and
/// non-ASCII UTF-8 text other than full-width ASCII look-alikes and controls.
fn plain(s: &[u8], extra: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(s) else {
        return false;
    };
    text.chars().all(|c| {
        if c.is_ascii() {
            let b = c as u8;
            b.is_ascii_alphanumeric() || b" -._~,".contains(&b) || extra.contains(&b)
        } else {
            let u = u32::from(c);
            // Full-width forms and Latin-1 decode to ASCII or single bytes in
            // `urlDecodeUni`; specials (U+FFF0–) and controls are not text.
            !(0xff00..=0xffef).contains(&u) && u > 0xff && !c.is_control() && u < 0xfff0
        }
    })
}
