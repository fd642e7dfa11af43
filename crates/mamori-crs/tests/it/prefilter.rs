//! The pre-filter's claim, checked against the whole installed rule set: a request
//! it lets skip the engine is one the engine would not flag (no rule matches).
//! The requests are generated from a fixed seed: ordinary site paths and queries,
//! mixed with words of SQL, shells and scripting, Japanese text, random letters and
//! the URL-safe punctuation the pre-filter admits.

use mamori_crs::{Request, RuleSet};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "index",
    "products",
    "item",
    "page",
    "news",
    "2024",
    "about",
    "contact",
    "search",
    "api",
    "v1",
    "users",
    "profile",
    "images",
    "logo",
    "static",
    "js",
    "css",
    "app",
    "blog",
    "post",
    "category",
    "tag",
    "cart",
    "checkout",
    "login",
    "help",
    "faq",
    "ja",
    "en",
    "docs",
    "download",
    "assets",
    "main",
    "min",
    "bundle",
    "jquery",
    "wp",
    "content",
    "uploads",
    "theme",
    "feed",
    "rss",
    "sitemap",
    "robots",
    "favicon",
    "id",
    "q",
    "sort",
    "asc",
    "desc",
    "limit",
    "offset",
    "lang",
    "ref",
    "utm_source",
    "utm_medium",
    "google",
    "twitter",
    "price",
    "size",
    "color",
    "red",
    "blue",
    "tokyo",
    "osaka",
    "weather",
    "select",
    "union",
    "from",
    "where",
    "or",
    "and",
    "order",
    "by",
    "group",
    "sleep",
    "benchmark",
    "insert",
    "update",
    "delete",
    "drop",
    "table",
    "user",
    "admin",
    "root",
    "cat",
    "ls",
    "id",
    "whoami",
    "uname",
    "wget",
    "curl",
    "bash",
    "sh",
    "cmd",
    "echo",
    "ping",
    "system",
    "exec",
    "eval",
    "phpinfo",
    "passwd",
    "shadow",
    "etc",
    "bin",
    "tmp",
    "script",
    "alert",
    "onerror",
    "onload",
    "javascript",
    "document",
    "cookie",
    "window",
    "img",
    "src",
    "svg",
    "iframe",
    "jndi",
    "ldap",
    "http",
    "https",
    "file",
    "php",
    "java",
    "runtime",
    "class",
    "getclass",
    "processbuilder",
    "constructor",
    "prototype",
    "require",
    "child_process",
    "version",
    "database",
    "char",
    "concat",
    "null",
    "true",
    "false",
    "if",
    "else",
    "case",
    "when",
    "like",
    "between",
    "having",
    "exists",
    "not",
    "東京",
    "天気",
    "検索",
    "日本語",
    "ニュース",
    "お問い合わせ",
    "O",
    "Reilly",
    "Tom",
    "Jerry",
    "x",
    "a",
    "b",
    "1",
    "0",
    "10",
    "123",
    "abc",
    "foo",
    "bar",
    "test",
    "data",
    "type",
    "set",
    "time",
    "session",
    "sid",
    "jsessionid",
    "token",
    "key",
    "hash",
    "nessus",
    "nikto",
    "sqlmap",
    "w00tw00t",
    "htaccess",
    "env",
    "git",
    "config",
    "bak",
    "sql",
    "log",
    "ini",
    "old",
    "backup",
    "web",
    "xml",
    "json",
    "txt",
    "html",
    "htm",
    "asp",
    "aspx",
    "jsp",
    "do",
    "action",
    "cgi",
    "pl",
    "py",
    "rb",
    "exe",
    "dll",
    "bat",
    // Words the pre-filter does not treat as suspicious on their own.
    "alert",
    "alias",
    "all",
    "alter",
    "and",
    "apt",
    "base",
    "between",
    "binary",
    "body",
    "by",
    "call",
    "case",
    "cc",
    "char",
    "chr",
    "column",
    "confirm",
    "cookie",
    "copy",
    "corba",
    "count",
    "cp",
    "create",
    "cut",
    "data",
    "database",
    "date",
    "dd",
    "del",
    "delay",
    "df",
    "dict",
    "diff",
    "dir",
    "div",
    "dnf",
    "dns",
    "document",
    "du",
    "else",
    "elt",
    "end",
    "env",
    "erase",
    "exit",
    "exp",
    "expect",
    "export",
    "false",
    "file",
    "filter",
    "find",
    "finger",
    "floor",
    "form",
    "free",
    "from",
    "function",
    "gem",
    "git",
    "glob",
    "global",
    "gopher",
    "grant",
    "group",
    "groups",
    "halt",
    "handler",
    "having",
    "head",
    "hex",
    "history",
    "host",
    "html",
    "http",
    "https",
    "id",
    "if",
    "iiop",
    "img",
    "import",
    "in",
    "info",
    "init",
    "input",
    "int",
    "integer",
    "invoke",
    "ip",
    "is",
    "jar",
    "java",
    "key",
    "kill",
    "last",
    "less",
    "like",
    "limit",
    "load",
    "location",
    "lua",
    "mail",
    "make",
    "master",
    "match",
    "md5",
    "merge",
    "meta",
    "more",
    "mount",
    "mv",
    "nds",
    "net",
    "new",
    "nice",
    "nis",
    "nl",
    "node",
    "not",
    "now",
    "npm",
    "null",
    "object",
    "od",
    "offset",
    "ogg",
    "ognl",
    "open",
    "or",
    "order",
    "perl",
    "phar",
    "php",
    "pip",
    "print",
    "process",
    "prompt",
    "ps",
    "python",
    "rand",
    "rar",
    "read",
    "reflect",
    "ren",
    "require",
    "return",
    "rm",
    "rmi",
    "route",
    "ruby",
    "sc",
    "schema",
    "script",
    "service",
    "session",
    "set",
    "sha1",
    "sid",
    "sort",
    "source",
    "src",
    "start",
    "stat",
    "strings",
    "struts",
    "style",
    "su",
    "svn",
    "table",
    "tables",
    "tail",
    "tee",
    "test",
    "then",
    "this",
    "time",
    "top",
    "tr",
    "true",
    "type",
    "uniq",
    "user",
    "values",
    "velocity",
    "version",
    "vi",
    "w",
    "wait",
    "wc",
    "when",
    "where",
    "which",
    "who",
    "window",
    "xml",
    "xor",
    "yes",
    "yum",
    "zlib",
];
const SEPS: &[&str] = &[
    "",
    " ",
    "+",
    "-",
    "_",
    ".",
    ",",
    "~",
    "%20",
    "/",
    "%2F",
    "%E3%80%80",
];

fn word(r: &mut Rng) -> String {
    let w = r.pick(WORDS);
    let w = match r.below(4) {
        0 => w.to_uppercase(),
        1 => {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        _ => w.to_owned(),
    };
    if r.below(8) == 0 {
        // Percent-encode it, as browsers do for Japanese.
        w.bytes().map(|b| format!("%{b:02X}")).collect()
    } else {
        w
    }
}

fn phrase(r: &mut Rng, max: u64) -> String {
    let n = 1 + r.below(max);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str(r.pick(SEPS));
        }
        s.push_str(&word(r));
    }
    s
}

fn request(r: &mut Rng) -> (String, String, Option<String>) {
    let mut uri = String::new();
    for _ in 0..1 + r.below(4) {
        uri.push('/');
        uri.push_str(&phrase(r, 2));
    }
    if r.below(3) == 0 {
        uri.push('.');
        uri.push_str(r.pick(&[
            "html", "php", "js", "css", "png", "json", "bak", "sql", "ini", "log", "cfg",
        ]));
    }
    if r.below(2) == 0 {
        uri.push('?');
        for i in 0..1 + r.below(4) {
            if i > 0 {
                uri.push('&');
            }
            uri.push_str(&phrase(r, 1));
            uri.push('=');
            uri.push_str(&phrase(r, 5));
        }
    }
    let ua = if r.below(4) == 0 {
        format!(
            "Mozilla/5.0 (compatible; {}/2.1; +https://example.com/bot)",
            phrase(r, 2)
        )
    } else {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36".into()
    };
    let referer = match r.below(3) {
        0 => None,
        1 => Some("https://www.google.com/".to_owned()),
        _ => Some(format!("https://example.jp{}", request_target(r))),
    };
    (uri, ua, referer)
}

fn request_target(r: &mut Rng) -> String {
    let mut uri = String::new();
    for _ in 0..1 + r.below(3) {
        uri.push('/');
        uri.push_str(&phrase(r, 2));
    }
    if r.below(2) == 0 {
        uri.push('?');
        uri.push_str(&phrase(r, 1));
        uri.push('=');
        uri.push_str(&phrase(r, 4));
    }
    uri
}

fn check(crs: &RuleSet, n: usize, seed: u64) -> (usize, usize) {
    let mut r = Rng(seed);
    let mut skipped = 0;
    let mut bad = Vec::new();
    for _ in 0..n {
        let (uri, ua, referer) = request(&mut r);
        let req = Request {
            method: b"GET",
            uri: uri.as_bytes(),
            protocol: b"HTTP/1.1",
            user_agent: Some(ua.as_bytes()),
            referer: referer.as_deref().map(str::as_bytes),
        };
        if !crs.may_match(&req) {
            skipped += 1;
            let ev = crs.evaluate(&req);
            if !ev.matches.is_empty() {
                bad.push(format!(
                    "{uri} UA={ua} Referer={referer:?}: {:?}",
                    ev.matches.iter().map(|m| m.id).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "pre-filter skipped requests CRS flags:\n{}",
        bad.join("\n")
    );
    (skipped, n)
}

#[test]
fn prefilter_never_skips_a_flagged_request() {
    for pl in [1, 2] {
        let Some(crs) = super::common::debian_crs(pl) else {
            return;
        };
        let (skipped, n) = check(&crs, 20_000, 0x9e37_79b9_7f4a_7c15 + u64::from(pl));
        eprintln!("PL{pl}: pre-filter let {skipped} of {n} generated requests skip the engine");
        assert!(
            skipped > 0,
            "nothing skipped at PL{pl}: the test checks nothing"
        );
    }
}

#[test]
fn ordinary_requests_skip_the_engine() {
    let Some(crs) = super::common::debian_crs(1) else {
        return;
    };
    for uri in [
        "/",
        "/index.html",
        "/static/js/app.min.js?v=20240301",
        "/news/2024/03/04/tokyo-weather",
        "/search?q=%E6%9D%B1%E4%BA%AC+%E5%A4%A9%E6%B0%97",
        "/products/list?page=2&sort=price-asc",
        "/images/logo.png",
    ] {
        assert!(
            !crs.may_match(&super::common::get(uri)),
            "{uri} should skip the engine"
        );
    }
    for uri in [
        "/?id=1%27",
        "/a/../b",
        "/x.bak",
        "/?q=<b>",
        "/?u=http://1.2.3.4/x",
    ] {
        assert!(
            crs.may_match(&super::common::get(uri)),
            "{uri} needs the engine"
        );
    }
}
