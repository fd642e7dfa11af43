//! Attack and probe recognition in one HTTP request.
//!
//! Two stages keep the common case cheap: a byte-class and keyword pre-filter over
//! the raw request target (one pass of `aho-corasick` plus a table look-up), and only
//! for the few requests it lets through, decoding ([`super::decode`]) and the
//! per-kind `RegexSet`s. Probe paths (secrets, backups, admin panels, web shells) are
//! matched on the decoded, lower-cased path.

use super::decode::normalize;
use crate::event::AttackKind;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet};

/// What the request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebHit {
    /// The kind of attack or probe.
    pub kind: AttackKind,
    /// The decoded payload or path that matched (truncated).
    pub detail: String,
}

const SQLI: &[&str] = &[
    r"\bunion\b[\s(]+(?:all\s+|distinct\s+)?select\b",
    r"\bselect\b[^&]{0,100}\bfrom\b[^&]{0,100}(?:\bwhere\b|--|#|\binformation_schema\b|\bdual\b|\blimit\b|\)|;)",
    r"\bselect\s*(?:\(|@@|\*\s*from\b|null\b|\d+\s*,)",
    r#"['")]\s*(?:or|and|\|\||&&|xor)\s*(?:['"\d(]|not\b|true\b|false\b|[a-z_]+\s*\()"#,
    r"\b(?:or|and)\s+\d+\s*(?:=|<|>|like\b)\s*(?:\d+|cast\s*\(|\(\s*select\b)",
    r"\b(?:sleep|benchmark|pg_sleep|extractvalue|updatexml|load_file|sys_eval|utl_inaddr\.get_host_address|dbms_pipe\.receive_message)\s*\(",
    r"\bwaitfor\s+delay\b",
    r"\binformation_schema\b|@@version|\bsysobjects\b|\bpg_catalog\b|\bsqlite_master\b|\bxp_cmdshell\b",
    r"\bchr\(\d+\)\s*\|\||\bcast\s*\([^)]{0,60}\bas\s+(?:numeric|int|integer|char|varchar|text)\b",
    r#"(?:['"]|\d['"]?)\s*(?:--|#)"#,
    r"['\d]\s*;\s*(?:drop|select|insert|update|delete|shutdown|exec|declare|truncate|create|alter)\s",
    r"\border\s+by\s+\d+\s*(?:--|#|/\*)",
    r#"=\s*-?\d+['"](?:$|&|\s)"#,
    r"\bconcat(?:_ws)?\s*\([^)]{0,40}0x[0-9a-f]{2,}|\bunhex\s*\(|\bchar\(\d+(?:\s*,\s*\d+)+\)",
];

const XSS: &[&str] = &[
    r"<\s*/?\s*script\b",
    r"(?:java|vb)script\s*:",
    r"\bon(?:error|load|mouseover|mouseenter|focus|blur|click|animationstart|toggle|pointerover|begin|wheel)\s*=",
    r"<\s*(?:img|svg|iframe|body|object|embed|details|video|audio|input|math|style|link|meta|base|marquee)\b",
    r"document\.(?:cookie|domain|location|write)",
    r"\b(?:alert|prompt|confirm)\s*(?:\(|`)",
    r"string\.fromcharcode",
];

const TRAVERSAL: &[&str] = &[
    r"\.\.[/\\]",
    r"[/\\]\.\.(?:$|[?&#])",
    r"/etc/(?:passwd|shadow|hosts|group|issue|motd)\b",
    r"/proc/self/",
    r"\b(?:win|boot|system)\.ini\b|c:\\windows|\\windows\\",
];

const INCLUSION: &[&str] = &[
    r"\b(?:php|zip|phar|expect|glob|compress\.zlib|data)://",
    r"\bphp://(?:filter|input)",
    r"\bfile:///",
    r"data:text/(?:plain|html);base64",
    r"[?&](?:page|file|filename|include|inc|path|template|tpl|dir|doc|document|folder|root|pg|style|pdf|lang|language|load|module|view|content|layout|conf|config)=(?:https?|ftp)://",
];

const COMMAND: &[&str] = &[
    r"(?:[;|`]|&&|\|\||\$\()\s*(?:id|whoami|uname|cat|ls|pwd|wget|curl|nc|ncat|netcat|bash|sh|zsh|ping|nslookup|echo|busybox|chmod|rm|python[23]?|perl|php|ruby|powershell|cmd(?:\.exe)?|sleep|ifconfig|ipconfig|tftp|telnet)(?:\s|$|;|\||&|`|\)|\$\{ifs\})",
    r"\$\{ifs\}|/bin/(?:sh|bash|busybox)\b|\bcmd\.exe\b",
    r"\b(?:wget|curl)\s+(?:-[a-z]+\s+)*(?:https?|ftp)://",
    r"\bpowershell(?:\.exe)?\s.{0,40}-(?:enc|e|c|command)\b",
    r"\b(?:call_user_func(?:_array)?|invokefunction|shell_exec|passthru|proc_open|popen|base64_decode|system|exec|assert|eval)\s*\(|invokefunction",
    r"allow_url_include|auto_prepend_file|class\.module\.classloader",
    r"[%$]\{\s*\(?#",
    r"\(\)\s*\{\s*:?\s*;?\s*\}\s*;",
];

const JNDI: &[&str] = &[
    r"\$\{\s*jndi\s*:",
    r"\bjndi\s*:\s*(?:ldaps?|rmi|dns|iiop|nis|nds|corba|http)\b",
    r"\$\{\s*(?:env|sys|java|main|ctx|docker|k8s|spring|web|bundle|log4j|base64|script|date)\s*:",
];

/// Triggers of the expensive stage: SQL/script/shell keywords in the raw target.
const KEYWORDS: &[&str] = &[
    "select",
    "union",
    "sleep",
    "benchmark",
    "waitfor",
    "insert",
    "drop",
    "delete",
    " or ",
    "+or+",
    " and ",
    "+and+",
    "passwd",
    "win.ini",
    "boot.ini",
    "jndi",
    "php:",
    "file:",
    "data:",
    "expect:",
    "phar:",
    "zip:",
    "script",
    "onerror",
    "onload",
    "alert",
    "prompt",
    "etc/",
    "proc/",
    "information_schema",
    "@@",
    "0x",
    "cmd",
    "exec",
    "system",
    "eval",
    "wget",
    "curl",
    "bin/",
    "invokefunction",
    "call_user",
    "classloader",
    "base64",
    "ifs",
    "order+by",
    "order by",
    "concat",
    "chr(",
    "://",
];

/// Triggers in the path alone (no query string): the payloads that need no special byte.
const PATH_KEYWORDS: &[&str] = &[
    "etc/passwd",
    "etc/shadow",
    "etc/hosts",
    "proc/self",
    "/bin/",
    "win.ini",
    "boot.ini",
    "jndi",
    "invokefunction",
    "classloader",
    "php:",
    "file:",
    "data:",
    "expect:",
    "phar:",
    "zip:",
    "cmd.exe",
];

/// Bytes that never appear in ordinary paths and queries of benign traffic: quotes,
/// brackets, shell and template metacharacters, `%` escapes, controls and non-ASCII.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i < 0x20 || i >= 0x7f;
        i += 1;
    }
    let specials = b"%'\"<>();|`${\\*#";
    let mut j = 0;
    while j < specials.len() {
        t[specials[j] as usize] = true;
        j += 1;
    }
    t
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Where {
    /// Anywhere in the path.
    Anywhere,
    /// The path ends with the pattern.
    End,
    /// The pattern is followed by the end, `/`, `.` or `~`.
    Segment,
}

/// Probe paths: (pattern, kind, where). Patterns are lower-case.
const PROBES: &[(&str, AttackKind, Where)] = &[
    // Secrets and repositories.
    ("/.env", AttackKind::SensitiveFile, Where::Segment),
    ("/.git", AttackKind::SensitiveFile, Where::Segment),
    ("/.svn", AttackKind::SensitiveFile, Where::Segment),
    ("/.hg", AttackKind::SensitiveFile, Where::Segment),
    ("/.bzr", AttackKind::SensitiveFile, Where::Segment),
    ("/.ds_store", AttackKind::SensitiveFile, Where::Segment),
    ("/.aws/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.ssh/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.docker", AttackKind::SensitiveFile, Where::Segment),
    ("/.htpasswd", AttackKind::SensitiveFile, Where::Segment),
    ("/.htaccess", AttackKind::SensitiveFile, Where::Segment),
    ("/.npmrc", AttackKind::SensitiveFile, Where::Segment),
    ("/.dockerenv", AttackKind::SensitiveFile, Where::Segment),
    ("/.gitignore", AttackKind::SensitiveFile, Where::Segment),
    ("/dockerfile", AttackKind::SensitiveFile, Where::End),
    ("/yarn.lock", AttackKind::SensitiveFile, Where::End),
    ("/composer.json", AttackKind::SensitiveFile, Where::End),
    ("/composer.lock", AttackKind::SensitiveFile, Where::End),
    ("/package.json", AttackKind::SensitiveFile, Where::End),
    ("/config.yml", AttackKind::SensitiveFile, Where::End),
    ("/config.yaml", AttackKind::SensitiveFile, Where::End),
    ("/.vscode/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.idea/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/.bash_history", AttackKind::SensitiveFile, Where::Segment),
    ("/id_rsa", AttackKind::SensitiveFile, Where::Segment),
    ("/id_dsa", AttackKind::SensitiveFile, Where::Segment),
    ("/wp-config.php", AttackKind::SensitiveFile, Where::Segment),
    (
        "/configuration.php",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/config.php", AttackKind::SensitiveFile, Where::Segment),
    (
        "/localsettings.php",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/web.config", AttackKind::SensitiveFile, Where::Segment),
    ("/web-inf/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/meta-inf/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/phpinfo.php", AttackKind::SensitiveFile, Where::Segment),
    ("/info.php", AttackKind::SensitiveFile, Where::Segment),
    ("/server-status", AttackKind::SensitiveFile, Where::Segment),
    ("/server-info", AttackKind::SensitiveFile, Where::Segment),
    ("/actuator", AttackKind::SensitiveFile, Where::Segment),
    ("/jolokia", AttackKind::SensitiveFile, Where::Segment),
    ("/elmah.axd", AttackKind::SensitiveFile, Where::Segment),
    ("/trace.axd", AttackKind::SensitiveFile, Where::Segment),
    ("/storage/logs/", AttackKind::SensitiveFile, Where::Anywhere),
    (
        "/sftp-config.json",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    (
        "/docker-compose.yml",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    (
        "/docker-compose.yaml",
        AttackKind::SensitiveFile,
        Where::Segment,
    ),
    ("/database.yml", AttackKind::SensitiveFile, Where::Segment),
    ("/credentials", AttackKind::SensitiveFile, Where::Segment),
    ("/_profiler", AttackKind::SensitiveFile, Where::Segment),
    (
        "/debug/default/view",
        AttackKind::SensitiveFile,
        Where::Anywhere,
    ),
    ("/_ignition/", AttackKind::SensitiveFile, Where::Anywhere),
    ("/telescope/", AttackKind::SensitiveFile, Where::Anywhere),
    (".bak", AttackKind::SensitiveFile, Where::End),
    (".backup", AttackKind::SensitiveFile, Where::End),
    (".old", AttackKind::SensitiveFile, Where::End),
    (".orig", AttackKind::SensitiveFile, Where::End),
    (".save", AttackKind::SensitiveFile, Where::End),
    (".swp", AttackKind::SensitiveFile, Where::End),
    (".sql", AttackKind::SensitiveFile, Where::End),
    (".sql.gz", AttackKind::SensitiveFile, Where::End),
    (".sqlite", AttackKind::SensitiveFile, Where::End),
    (".pem", AttackKind::SensitiveFile, Where::End),
    (".key", AttackKind::SensitiveFile, Where::End),
    (".php~", AttackKind::SensitiveFile, Where::End),
    // Admin panels, installers, appliance and CMS fingerprints.
    ("/phpmyadmin", AttackKind::AdminProbe, Where::Segment),
    ("/pma/", AttackKind::AdminProbe, Where::Anywhere),
    ("/myadmin/", AttackKind::AdminProbe, Where::Anywhere),
    ("/mysqladmin", AttackKind::AdminProbe, Where::Segment),
    ("/mysql/admin", AttackKind::AdminProbe, Where::Segment),
    ("/dbadmin", AttackKind::AdminProbe, Where::Segment),
    ("/adminer", AttackKind::AdminProbe, Where::Segment),
    (
        "/wp-admin/setup-config.php",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-admin/install.php",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-includes/wlwmanifest.xml",
        AttackKind::AdminProbe,
        Where::Segment,
    ),
    (
        "/wp-content/plugins/wp-file-manager/",
        AttackKind::AdminProbe,
        Where::Anywhere,
    ),
    ("/install.php", AttackKind::AdminProbe, Where::Segment),
    ("/admin.php", AttackKind::AdminProbe, Where::End),
    ("/upload.php", AttackKind::AdminProbe, Where::End),
    ("/test.php", AttackKind::AdminProbe, Where::End),
    ("/i.php", AttackKind::AdminProbe, Where::End),
    ("/login.action", AttackKind::AdminProbe, Where::End),
    ("/setup.php", AttackKind::AdminProbe, Where::Segment),
    ("/manager/html", AttackKind::AdminProbe, Where::Segment),
    ("/solr/admin", AttackKind::AdminProbe, Where::Segment),
    ("/cgi-bin/", AttackKind::AdminProbe, Where::Anywhere),
    ("/hnap1", AttackKind::AdminProbe, Where::Segment),
    ("/boaform/", AttackKind::AdminProbe, Where::Anywhere),
    ("/owa/auth/", AttackKind::AdminProbe, Where::Anywhere),
    ("/ecp/", AttackKind::AdminProbe, Where::Anywhere),
    ("/autodiscover/", AttackKind::AdminProbe, Where::Anywhere),
    ("/remote/fgt_lang", AttackKind::AdminProbe, Where::Segment),
    ("/dana-na/", AttackKind::AdminProbe, Where::Anywhere),
    ("/mifs/", AttackKind::AdminProbe, Where::Anywhere),
    ("/geoserver/", AttackKind::AdminProbe, Where::Anywhere),
    ("/nacos/", AttackKind::AdminProbe, Where::Anywhere),
    ("/struts2-showcase", AttackKind::AdminProbe, Where::Segment),
    ("/administrator/", AttackKind::AdminProbe, Where::Anywhere),
    ("/vendor/phpunit/", AttackKind::AdminProbe, Where::Anywhere),
    ("/console/", AttackKind::AdminProbe, Where::Anywhere),
    (
        "/xdebug_session_start",
        AttackKind::AdminProbe,
        Where::Anywhere,
    ),
    // Known web-shell names.
    ("/shell.php", AttackKind::Webshell, Where::Segment),
    ("/cmd.php", AttackKind::Webshell, Where::Segment),
    ("/c99.php", AttackKind::Webshell, Where::Segment),
    ("/r57.php", AttackKind::Webshell, Where::Segment),
    ("/wso.php", AttackKind::Webshell, Where::Segment),
    ("/alfa.php", AttackKind::Webshell, Where::Segment),
    ("/b374k", AttackKind::Webshell, Where::Anywhere),
    ("/webshell", AttackKind::Webshell, Where::Anywhere),
    ("/indoxploit", AttackKind::Webshell, Where::Anywhere),
    ("/priv8.php", AttackKind::Webshell, Where::Segment),
    ("/wso2.php", AttackKind::Webshell, Where::Segment),
    ("/shell.aspx", AttackKind::Webshell, Where::Segment),
    ("/cmd.aspx", AttackKind::Webshell, Where::Segment),
    ("/cmd.asp", AttackKind::Webshell, Where::Segment),
    ("/shell.jsp", AttackKind::Webshell, Where::Segment),
    ("/cmd.jsp", AttackKind::Webshell, Where::Segment),
];

/// Directories where uploaded files land: a script executed there is a web shell.
const UPLOAD_DIRS: &[&str] = &[
    "/uploads/",
    "/upload/",
    "/wp-content/uploads/",
    "/images/",
    "/img/",
    "/files/",
    "/tmp/",
    "/media/",
    "/cache/",
    "/assets/",
    "/static/",
    "/attachments/",
    "/userfiles/",
    // IIS ships only static files here; ProxyLogon/ProxyShell dropped .aspx shells in it.
    "/aspnet_client/",
];
const SCRIPT_EXT: &[&str] = &[
    ".php", ".phtml", ".php5", ".php7", ".phar", ".jsp", ".jspx", ".asp", ".aspx", ".ashx", ".cgi",
];

/// Vulnerability scanners and attack tools that name themselves in the User-Agent.
const SCANNERS: &[&str] = &[
    "sqlmap",
    "nikto",
    "nuclei",
    "zgrab",
    "masscan",
    "nmap",
    "wpscan",
    "acunetix",
    "netsparker",
    "invicti",
    "appscan",
    "burpsuite",
    "burp collaborator",
    "owasp zap",
    "zaproxy",
    "dirbuster",
    "gobuster",
    "feroxbuster",
    "ffuf",
    "fuzz faster",
    "wfuzz",
    "hydra",
    "medusa",
    "havij",
    "w3af",
    "openvas",
    "nessus",
    "qualys",
    "l9scan",
    "leakix",
    "zmeu",
    "morfeus",
    "jorgee",
    "commix",
    "xsstrike",
    "arachni",
    "skipfish",
    "whatweb",
    "joomscan",
    "droopescan",
    "cmsmap",
    "wapiti",
    "webinspect",
    "metasploit",
    "sqlninja",
    "pangolin",
    "bsqlbf",
    "censysinspect",
    "dirb/",
    "(hydra)",
    "fimap",
    "grabber",
    "brutus",
    "xss_scan",
    "struts-pwn",
    "log4j-scan",
    "webshag",
    "sslyze",
];

/// The compiled patterns. Build once, share across threads.
#[derive(Debug)]
pub struct WebClassifier {
    keywords: AhoCorasick,
    dots: memchr::memmem::Finder<'static>,
    xdebug: memchr::memmem::Finder<'static>,
    path_keywords: AhoCorasick,
    header_triggers: AhoCorasick,
    probes: AhoCorasick,
    scanners: AhoCorasick,
    sets: Vec<(AttackKind, RegexSet)>,
    jndi_unwrap: Regex,
}

impl Default for WebClassifier {
    fn default() -> Self {
        Self::new()
    }
}

fn set(patterns: &[&str]) -> RegexSet {
    #[allow(clippy::expect_used)]
    RegexSet::new(patterns).expect("built-in attack patterns compile")
}

impl WebClassifier {
    /// Compiles the built-in patterns.
    #[allow(clippy::expect_used)]
    pub fn new() -> WebClassifier {
        // Patterns are lower-case and matched against lower-cased input, which keeps
        // the SIMD prefilter available (case-insensitive automata lose it).
        let ci = |pats: &[&str]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(pats.iter().map(|p| p.to_ascii_lowercase()))
                .expect("built-in literal patterns compile")
        };
        let probe_pats: Vec<&str> = PROBES.iter().map(|p| p.0).collect();
        // Overlapping search cannot use a prefilter: a full DFA is the fastest walk.
        let probes = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(probe_pats.iter().map(|p| p.to_ascii_lowercase()))
            .expect("built-in literal patterns compile");
        WebClassifier {
            keywords: ci(KEYWORDS),
            dots: memchr::memmem::Finder::new(b"..").into_owned(),
            xdebug: memchr::memmem::Finder::new(b"XDEBUG_SESSION_START").into_owned(),
            path_keywords: ci(PATH_KEYWORDS),
            header_triggers: ci(&["${", "%24%7b", "%24{", "$%7b", "() {", "()%20{", "jndi:"]),
            probes,
            scanners: ci(SCANNERS),
            // Most severe first: the first kind that matches names the request.
            sets: vec![
                (AttackKind::Jndi, set(JNDI)),
                (AttackKind::CommandInjection, set(COMMAND)),
                (AttackKind::FileInclusion, set(INCLUSION)),
                (AttackKind::Sqli, set(SQLI)),
                (AttackKind::PathTraversal, set(TRAVERSAL)),
                (AttackKind::Xss, set(XSS)),
            ],
            jndi_unwrap: Regex::new(r"\$\{(?:lower|upper|::-|[a-z]+:[^:}]*:-)([^${}]*)\}")
                .expect("built-in pattern compiles"),
        }
    }

    /// Classifies a request; `None` for ordinary traffic.
    pub fn classify(
        &self,
        method: &[u8],
        uri: &[u8],
        user_agent: &[u8],
        referer: &[u8],
    ) -> Option<WebHit> {
        if let Some(hit) = self.injection(uri) {
            return Some(hit);
        }
        // Log4Shell and Shellshock arrive in headers as often as in the URL.
        for header in [user_agent, referer] {
            if self.header_suspicious(header)
                && let Some(hit) = self.injection_in(header, true)
            {
                return Some(hit);
            }
        }
        if let Some(hit) = self.probe(method, uri) {
            return Some(hit);
        }
        if !user_agent.is_empty()
            && let Some(name) = self.scanner_name(user_agent)
        {
            return Some(WebHit {
                kind: AttackKind::Scanner,
                detail: format!("scanner user agent: {name}"),
            });
        }
        None
    }

    fn injection(&self, uri: &[u8]) -> Option<WebHit> {
        let triggered = uri.iter().any(|&b| SPECIAL[usize::from(b)])
            || self.dots.find(uri).is_some()
            || match memchr::memchr(b'?', uri) {
                Some(q) => with_lower(uri, |u| {
                    self.keywords.is_match(u) || self.path_keywords.is_match(&u[..q])
                }),
                None => with_lower(uri, |u| self.path_keywords.is_match(u)),
            };
        if !triggered {
            return None;
        }
        self.injection_in(uri, false)
    }

    /// Whether a header may carry an injection (JNDI lookups, Shellshock).
    fn header_suspicious(&self, header: &[u8]) -> bool {
        memchr::memchr3(b'$', b'%', b'{', header).is_some()
            && with_lower(header, |h| self.header_triggers.is_match(h))
    }

    /// The scanner named by a User-Agent. User agents repeat a lot, so answers are
    /// cached per thread (bounded).
    fn scanner_name(&self, ua: &[u8]) -> Option<&'static str> {
        /// The last answer (consecutive lines often share a client) and a bounded map.
        #[derive(Default)]
        struct Cache {
            last: (Vec<u8>, Option<usize>),
            map: rustc_hash::FxHashMap<Box<[u8]>, Option<usize>>,
        }
        thread_local! {
            static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::default());
        }
        let id = CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.last.0 == ua {
                return c.last.1;
            }
            let found = match c.map.get(ua) {
                Some(hit) => *hit,
                None => {
                    let found =
                        with_lower(ua, |l| self.scanners.find(l)).map(|m| m.pattern().as_usize());
                    if c.map.len() >= 8192 {
                        c.map.clear();
                    }
                    c.map.insert(ua.into(), found);
                    found
                }
            };
            c.last.0.clear();
            c.last.0.extend_from_slice(ua);
            c.last.1 = found;
            found
        });
        id.map(|i| SCANNERS[i])
    }

    fn injection_in(&self, raw: &[u8], header: bool) -> Option<WebHit> {
        let mut text = normalize(raw, 3);
        if text.contains("${") {
            // ${${lower:j}ndi:…} → ${jndi:…}
            for _ in 0..4 {
                let next = self.jndi_unwrap.replace_all(&text, "$1").into_owned();
                if next == text {
                    break;
                }
                text = next;
            }
        }
        for (kind, set) in &self.sets {
            // In headers only the kinds that really arrive there.
            if header && !matches!(kind, AttackKind::Jndi | AttackKind::CommandInjection) {
                continue;
            }
            if set.is_match(&text) {
                return Some(WebHit {
                    kind: *kind,
                    detail: truncate(&text, 160),
                });
            }
        }
        None
    }

    fn probe(&self, method: &[u8], uri: &[u8]) -> Option<WebHit> {
        let path_raw = match memchr::memchr(b'?', uri) {
            Some(q) => &uri[..q],
            None => uri,
        };
        let has_query_probe = self.xdebug.find(uri).is_some();
        let decoded;
        let p: &[u8] = if memchr::memchr2(b'%', b'\\', path_raw).is_some() {
            decoded = normalize(path_raw, 2);
            decoded.as_bytes()
        } else {
            path_raw
        };
        let lossy = || String::from_utf8_lossy(p).to_ascii_lowercase();
        // Script in an upload directory (POST = using it, GET 200 = reaching it).
        let ext = extension(p);
        if SCRIPT_EXT
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e.as_bytes()))
            && UPLOAD_DIRS.iter().any(|d| contains_ci(p, d))
        {
            return Some(WebHit {
                kind: AttackKind::Webshell,
                detail: format!(
                    "{} {}",
                    String::from_utf8_lossy(method),
                    truncate(&lossy(), 160)
                ),
            });
        }
        let mut best: Option<AttackKind> = with_lower(p, |lower| {
            let mut best = None;
            // One plain pass first: almost every path contains no probe pattern at all.
            if !self.probes.is_match(lower) {
                return None;
            }
            for m in self.probes.find_overlapping_iter(lower) {
                let (_, kind, place) = PROBES[m.pattern().as_usize()];
                let ok = match place {
                    Where::Anywhere => true,
                    Where::End => m.end() == p.len(),
                    Where::Segment => {
                        matches!(
                            p.get(m.end()),
                            None | Some(b'/' | b'.' | b'~' | b'_' | b'-')
                        )
                    }
                };
                if ok {
                    best = Some(match best {
                        Some(b) if rank(b) >= rank(kind) => b,
                        _ => kind,
                    });
                }
            }
            best
        });
        if best.is_none() && (has_query_probe || backup_archive(p, ext)) {
            best = Some(if has_query_probe {
                AttackKind::AdminProbe
            } else {
                AttackKind::SensitiveFile
            });
        }
        best.map(|kind| WebHit {
            kind,
            detail: truncate(&lossy(), 160),
        })
    }
}

/// Runs `f` on an ASCII-lower-cased copy of `b`, on the stack when short (the buffer
/// is sized to the input so that zeroing it costs little).
fn with_lower<R>(b: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    fn run<const N: usize, R>(b: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
        let mut stack = [0u8; N];
        let buf = &mut stack[..b.len()];
        buf.copy_from_slice(b);
        buf.make_ascii_lowercase();
        f(buf)
    }
    match b.len() {
        0..=64 => run::<64, R>(b, f),
        65..=192 => run::<192, R>(b, f),
        193..=512 => run::<512, R>(b, f),
        _ => f(&b.to_ascii_lowercase()),
    }
}

/// The last extension of a path, with its dot (`.php`), or empty.
fn extension(path: &[u8]) -> &[u8] {
    let name = match memchr::memrchr(b'/', path) {
        Some(i) => &path[i + 1..],
        None => path,
    };
    match memchr::memrchr(b'.', name) {
        Some(i) => &name[i..],
        None => b"",
    }
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn rank(k: AttackKind) -> u8 {
    match k {
        AttackKind::Webshell => 3,
        AttackKind::SensitiveFile => 2,
        _ => 1,
    }
}

/// `/backup.zip`, `/www.tar.gz`, `/site.rar`, `/db.sql.gz` …: whole-site archives.
fn backup_archive(path: &[u8], ext: &[u8]) -> bool {
    const EXT: &[&str] = &[
        ".zip", ".tar.gz", ".tgz", ".tar", ".rar", ".7z", ".gz", ".tar.bz2",
    ];
    const LAST: &[&str] = &[".zip", ".gz", ".tgz", ".tar", ".rar", ".7z", ".bz2"];
    if !LAST.iter().any(|e| ext.eq_ignore_ascii_case(e.as_bytes())) {
        return false;
    }
    let path = String::from_utf8_lossy(path).to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "backup",
        "bak",
        "site",
        "www",
        "web",
        "wwwroot",
        "htdocs",
        "public_html",
        "html",
        "db",
        "database",
        "dump",
        "data",
        "old",
        "archive",
        "files",
        "home",
        "root",
        "sql",
        "mysql",
        "release",
        "src",
        "source",
        "code",
    ];
    let Some(name) = path.rsplit('/').next() else {
        return false;
    };
    EXT.iter().any(|e| {
        name.strip_suffix(e).is_some_and(|stem| {
            NAMES.iter().any(|n| {
                stem == *n
                    || stem.starts_with(&format!("{n}_"))
                    || stem.starts_with(&format!("{n}-"))
            })
        })
    })
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests;
