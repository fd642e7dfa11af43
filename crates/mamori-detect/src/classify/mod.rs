//! From an HTTP access record to a security event: logins (site-specific rules,
//! built-in defaults, HTTP basic auth) and attacks ([`web`]).

pub mod decode;
pub mod web;

use crate::config::{Config, ConfigError, LoginRule};
use crate::event::{AttackKind, Event, EventKind, Service};
use crate::format::HttpRecord;
use regex::Regex;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Debug)]
struct Login {
    name: String,
    method: String,
    path: Option<String>,
    regex: Option<Regex>,
    success: Vec<u16>,
    failure: Vec<u16>,
    user_param: Option<String>,
}

/// The built-in login endpoints, used after the site's own (see `docs/scan-config.md`).
fn default_logins() -> Vec<LoginRule> {
    let rule =
        |name: &str, path: Option<&str>, re: Option<&str>, ok: &[u16], bad: &[u16]| LoginRule {
            name: name.to_owned(),
            method: "POST".to_owned(),
            path: path.map(str::to_owned),
            path_regex: re.map(str::to_owned),
            success_status: ok.to_vec(),
            failure_status: bad.to_vec(),
            user_param: None,
        };
    vec![
        // WordPress answers a failed login with the form again (200), a success with 302.
        rule("wordpress", Some("/wp-login.php"), None, &[302], &[200]),
        // XML-RPC answers 200 either way: every call is counted as a login attempt.
        rule("wordpress-xmlrpc", Some("/xmlrpc.php"), None, &[], &[200]),
        // JSON login APIs: 2xx with a token, 4xx on failure.
        rule(
            "api",
            None,
            Some(
                r"(?i)^(?:/[\w.-]+)*/(?:api|rest|v\d+)(?:/[\w.-]+)*/(?:login|signin|sign_in|sign-in|authenticate|auth|token|session|sessions)/?$|^/oauth2?/token/?$",
            ),
            &[200, 201, 204],
            &[400, 401, 403, 422, 429],
        ),
        // HTML forms: redirect on success, the form again (200) or 401/403/422 on failure.
        rule(
            "form",
            None,
            Some(
                r"(?i)^(?:/[\w.-]+)*/(?:login|signin|sign_in|sign-in|log_in|log-in|logon|auth|authenticate|session|sessions|j_security_check|sign_on)(?:\.(?:php|aspx?|jsp|do|action|html?|cgi|pl))?/?$",
            ),
            &[301, 302, 303],
            &[200, 401, 403, 422, 429],
        ),
    ]
}

/// Classifies HTTP access records. Build once per scan; shared by all threads.
#[derive(Debug)]
pub struct HttpClassifier {
    logins: Vec<Login>,
    /// The distinct methods of `logins`, checked before anything else.
    login_methods: Vec<String>,
    web: web::WebClassifier,
    /// The OWASP CRS, asked when the built-in patterns find nothing.
    crs: Option<Arc<mamori_crs::RuleSet>>,
}

impl HttpClassifier {
    /// Compiles the login rules of `config` and the attack patterns.
    pub fn new(config: &Config) -> Result<HttpClassifier, ConfigError> {
        let mut rules = config.login.clone();
        if config.default_logins {
            rules.extend(default_logins());
        }
        let logins = rules
            .into_iter()
            .map(|r| {
                let regex = r
                    .path_regex
                    .as_deref()
                    .map(Regex::new)
                    .transpose()
                    .map_err(|source| ConfigError::Regex {
                        name: r.name.clone(),
                        source,
                    })?;
                Ok(Login {
                    name: r.name,
                    method: r.method.to_ascii_uppercase(),
                    path: r.path,
                    regex,
                    success: r.success_status,
                    failure: r.failure_status,
                    user_param: r.user_param,
                })
            })
            .collect::<Result<Vec<Login>, ConfigError>>()?;
        let mut login_methods: Vec<String> =
            logins.iter().map(|l: &Login| l.method.clone()).collect();
        login_methods.sort();
        login_methods.dedup();
        Ok(HttpClassifier {
            logins,
            login_methods,
            web: web::WebClassifier::new(),
            crs: config.crs.as_ref().map(|c| c.0.clone()),
        })
    }

    /// The security event a request represents, if any.
    pub fn classify(&self, rec: &HttpRecord<'_>) -> Option<Event> {
        if let Some(ev) = self.login(rec) {
            return Some(ev);
        }
        match self
            .web
            .classify(rec.method, rec.uri, rec.user_agent, rec.referer)
        {
            Some(hit) => Some(attack_event(
                rec,
                hit.kind,
                hit.detail.into(),
                hit.reference.map(Into::into),
            )),
            None => non_http(rec)
                .or_else(|| proxy_probe(rec))
                .or_else(|| self.crs_event(rec)),
        }
    }

    /// The OWASP CRS verdict on a request, as an event: the attack kind of the
    /// highest-severity matched rule, its id as the reference.
    fn crs_event(&self, rec: &HttpRecord<'_>) -> Option<Event> {
        let crs = self.crs.as_ref()?;
        let req = mamori_crs::Request {
            method: rec.method,
            uri: rec.uri,
            protocol: rec.protocol,
            user_agent: non_empty(rec.user_agent),
            referer: non_empty(rec.referer),
        };
        if !crs.may_match(&req) {
            return None;
        }
        let eval = crs.evaluate(&req);
        if !eval.attack {
            return None;
        }
        let top = eval.top()?;
        let detail = format!(
            "OWASP CRS {} (score {}): {}: {}",
            top.id, eval.score, top.msg, top.data
        );
        Some(attack_event(
            rec,
            crs_kind(top),
            detail.into(),
            Some(format!("CRS-{}", top.id).into()),
        ))
    }
    fn login(&self, rec: &HttpRecord<'_>) -> Option<Event> {
        if rec.user.is_none()
            && !self
                .login_methods
                .iter()
                .any(|m| rec.method.eq_ignore_ascii_case(m.as_bytes()))
        {
            return None;
        }
        let path_end = memchr::memchr(b'?', rec.uri).unwrap_or(rec.uri.len());
        let path = std::str::from_utf8(&rec.uri[..path_end]).ok();
        if let Some(path) = path {
            for l in &self.logins {
                if !rec.method.eq_ignore_ascii_case(l.method.as_bytes()) {
                    continue;
                }
                let hit = l.path.as_deref() == Some(path)
                    || l.regex.as_ref().is_some_and(|r| r.is_match(path));
                if !hit {
                    continue;
                }
                let kind = if l.success.contains(&rec.status) {
                    EventKind::AuthSuccess
                } else if l.failure.contains(&rec.status) {
                    EventKind::AuthFailure
                } else {
                    return None;
                };
                let mut ev = http_event(rec, kind);
                ev.target = Some(format!("{} {}", l.method, path).into());
                ev.detail = Some(format!("login endpoint `{}`", l.name).into());
                ev.user = rec.user.map(lossy).or_else(|| {
                    l.user_param
                        .as_deref()
                        .and_then(|p| query_param(&rec.uri[path_end..], p))
                });
                return Some(ev);
            }
        }
        // HTTP basic/digest authentication: the server logs the user it was sent.
        let user = rec.user?;
        let kind = match rec.status {
            401 => EventKind::AuthFailure,
            200..=399 => EventKind::AuthSuccess,
            _ => return None,
        };
        let mut ev = http_event(rec, kind);
        ev.user = Some(lossy(user));
        ev.target = Some(format!("basic-auth {}", basic_realm(path.unwrap_or("/"))).into());
        ev.detail = Some("HTTP authentication".into());
        Some(ev)
    }
}

/// Mamori's attack kind for a CRS rule: by its file (930 LFI → path traversal,
/// 931 → file inclusion, 932 → command injection, 933/934/944 → code injection,
/// 941 → XSS, 942 → SQL injection, 913 → scanner, 911/920/921 → protocol attack,
/// 943 session fixation → protocol attack); Log4j/JNDI rules of 944 → JNDI,
/// 930130 restricted files → sensitive file.
pub fn crs_kind(m: &mamori_crs::Match) -> AttackKind {
    use mamori_crs::Category as C;
    match m.category {
        C::Lfi if m.id == 930130 => AttackKind::SensitiveFile,
        C::Lfi => AttackKind::PathTraversal,
        C::Rfi => AttackKind::FileInclusion,
        C::Rce => AttackKind::CommandInjection,
        C::Java => {
            let msg = m.msg.to_ascii_lowercase();
            if msg.contains("log4") || msg.contains("jndi") {
                AttackKind::Jndi
            } else {
                AttackKind::CodeInjection
            }
        }
        C::Php | C::NodeJs => AttackKind::CodeInjection,
        C::Xss => AttackKind::Xss,
        C::Sqli => AttackKind::Sqli,
        C::Scanner => AttackKind::Scanner,
        C::ProtocolEnforcement | C::ProtocolAttack | C::SessionFixation => {
            AttackKind::ProtocolAttack
        }
        C::Other => AttackKind::WafBlock,
    }
}

/// An attack or probe event, with the success hint the response suggests.
fn attack_event(
    rec: &HttpRecord<'_>,
    attack: AttackKind,
    detail: Arc<str>,
    reference: Option<Arc<str>>,
) -> Event {
    let ok = (200..300).contains(&rec.status);
    let with_body = ok && rec.bytes > 0;
    let (kind, success_hint) = match attack {
        AttackKind::Scanner => (EventKind::Probe, false),
        AttackKind::SensitiveFile => (EventKind::Probe, with_body),
        AttackKind::AdminProbe => (EventKind::Probe, ok),
        AttackKind::Webshell if ok => (EventKind::Attack, true),
        AttackKind::Webshell => (EventKind::Probe, false),
        AttackKind::Sqli => (EventKind::Attack, with_body || rec.status == 500),
        _ => (EventKind::Attack, with_body),
    };
    let mut ev = http_event(rec, kind);
    ev.attack = Some(attack);
    ev.success_hint = success_hint;
    ev.detail = Some(detail);
    ev.reference = reference;
    ev
}

fn non_empty(b: &[u8]) -> Option<&[u8]> {
    (!b.is_empty()).then_some(b)
}

/// A request the server refused with 400 because it was not HTTP: binary bytes
/// (an RDP cookie, a TLS ClientHello on the plain port), a bare word (`HELP`,
/// `batman`), a method without a target. An empty request (`""`, a browser's
/// unused preconnect) is ordinary and gives nothing.
fn non_http(rec: &HttpRecord<'_>) -> Option<Event> {
    if rec.status != 400 || rec.method.is_empty() && rec.uri.is_empty() {
        return None;
    }
    // A request line without a space is logged as a bare target (`HELP`).
    let token = !rec.method.is_empty()
        && rec
            .method
            .iter()
            .all(|&c| c.is_ascii_uppercase() || c == b'-' || c == b'_');
    if token && !rec.uri.is_empty() {
        return None;
    }
    let mut ev = http_event(rec, EventKind::Probe);
    ev.attack = Some(AttackKind::ServiceScan);
    ev.detail = Some("not an HTTP request (protocol probe)".into());
    Some(ev)
}

/// A request only a forward proxy serves, sent to a web server: `CONNECT host:port` or
/// an absolute-form target (`GET http://example.com/`). Scanners send them to find open
/// proxies; a site's own visitors never do (a site that is itself a forward proxy logs
/// in its proxy's format, not here).
fn proxy_probe(rec: &HttpRecord<'_>) -> Option<Event> {
    let absolute = |u: &[u8]| {
        u.len() > 8
            && (u[..7].eq_ignore_ascii_case(b"http://") || u[..8].eq_ignore_ascii_case(b"https://"))
    };
    if !rec.method.eq_ignore_ascii_case(b"CONNECT") && !absolute(rec.uri) {
        return None;
    }
    let mut ev = http_event(rec, EventKind::Probe);
    ev.attack = Some(AttackKind::Scanner);
    ev.detail = Some("open-proxy probe (CONNECT or an absolute URL)".into());
    Some(ev)
}

fn http_event(rec: &HttpRecord<'_>, kind: EventKind) -> Event {
    let mut ev = Event::new(rec.time, kind, Service::Http);
    ev.source = parse_ip(rec.client);
    ev.status = rec.status;
    ev.bytes = rec.bytes;
    let mut target = String::with_capacity(rec.method.len() + 1 + rec.uri.len().min(200));
    target.push_str(&String::from_utf8_lossy(rec.method));
    target.push(' ');
    target.push_str(&String::from_utf8_lossy(&rec.uri[..rec.uri.len().min(200)]));
    ev.target = Some(target.into());
    ev
}

/// Basic-auth realms are per directory: `/admin/orders` → `/admin/`.
fn basic_realm(path: &str) -> &str {
    match path[1.min(path.len())..].find('/') {
        Some(i) => &path[..i + 2],
        None => path,
    }
}

fn lossy(b: &[u8]) -> Arc<str> {
    String::from_utf8_lossy(b).into()
}

fn query_param(query: &[u8], name: &str) -> Option<Arc<str>> {
    let q = query.strip_prefix(b"?")?;
    q.split(|&c| c == b'&').find_map(|kv| {
        let (k, v) = kv.split_at(memchr::memchr(b'=', kv)?);
        (k == name.as_bytes()).then(|| {
            String::from_utf8_lossy(&decode::percent_decode(&v[1..]))
                .replace('+', " ")
                .into()
        })
    })
}

/// Parses a client field as an IP address (`[v6]`, `v4:port` tolerated).
pub fn parse_ip(b: &[u8]) -> Option<IpAddr> {
    let s = std::str::from_utf8(b).ok()?;
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    let s = s.trim_start_matches('[');
    if let Some((host, _)) = s.split_once(']') {
        return host.parse().ok();
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::clf;

    fn classify(line: &str) -> Option<Event> {
        let c = HttpClassifier::new(&Config::default()).unwrap();
        c.classify(&clf::parse(line.as_bytes()).unwrap())
    }

    fn line(req: &str, status: u16, user: &str) -> String {
        format!(
            r#"203.0.113.5 - {user} [04/Mar/2024:00:00:01 +0000] "{req} HTTP/1.1" {status} 100 "-" "Mozilla/5.0""#
        )
    }

    #[test]
    fn default_logins() {
        let f = classify(&line("POST /wp-login.php", 200, "-")).unwrap();
        assert_eq!(f.kind, EventKind::AuthFailure);
        assert_eq!(f.target.as_deref(), Some("POST /wp-login.php"));
        assert_eq!(
            classify(&line("POST /wp-login.php", 302, "-"))
                .unwrap()
                .kind,
            EventKind::AuthSuccess
        );
        assert_eq!(
            classify(&line("POST /login", 200, "-")).unwrap().kind,
            EventKind::AuthFailure
        );
        assert_eq!(
            classify(&line("POST /login", 302, "-")).unwrap().kind,
            EventKind::AuthSuccess
        );
        assert_eq!(
            classify(&line("POST /api/v1/auth/login", 401, "-"))
                .unwrap()
                .kind,
            EventKind::AuthFailure
        );
        assert_eq!(
            classify(&line("POST /api/v1/auth/login", 200, "-"))
                .unwrap()
                .kind,
            EventKind::AuthSuccess
        );
        assert_eq!(
            classify(&line("POST /users/sign_in", 422, "-"))
                .unwrap()
                .kind,
            EventKind::AuthFailure
        );
        assert!(classify(&line("GET /login", 200, "-")).is_none());
        assert!(classify(&line("POST /api/v1/cart", 201, "-")).is_none());
    }

    #[test]
    fn basic_auth() {
        let f = classify(&line("GET /admin/orders", 401, "alice")).unwrap();
        assert_eq!(f.kind, EventKind::AuthFailure);
        assert_eq!(f.user.as_deref(), Some("alice"));
        assert_eq!(f.target.as_deref(), Some("basic-auth /admin/"));
        let s = classify(&line("GET /admin/", 200, "alice")).unwrap();
        assert_eq!(s.kind, EventKind::AuthSuccess);
        // A 401 challenge without credentials is not a guess.
        assert!(classify(&line("GET /admin/", 401, "-")).is_none());
    }

    #[test]
    fn site_rule_with_user_param() {
        let cfg = Config::from_toml(
            "[[login]]\nname='members'\nmethod='GET'\npath='/m/auth'\nsuccess_status=[302]\nfailure_status=[200]\nuser_param='id'\n",
        )
        .unwrap();
        let c = HttpClassifier::new(&cfg).unwrap();
        let l = line("GET /m/auth?id=taro%40example.jp&x=1", 200, "-");
        let ev = c.classify(&clf::parse(l.as_bytes()).unwrap()).unwrap();
        assert_eq!(ev.kind, EventKind::AuthFailure);
        assert_eq!(ev.user.as_deref(), Some("taro@example.jp"));
    }

    #[test]
    fn attack_success_hints() {
        let ok = classify(&line("GET /.env", 200, "-")).unwrap();
        assert_eq!(ok.kind, EventKind::Probe);
        assert!(ok.success_hint);
        let missing = classify(&line("GET /.env", 404, "-")).unwrap();
        assert!(!missing.success_hint);
        let shell = classify(&line("POST /wp-content/uploads/x.php", 200, "-")).unwrap();
        assert_eq!(shell.kind, EventKind::Attack);
        assert!(shell.success_hint);
        let sqli = classify(&line("GET /p?id=1'", 500, "-")).unwrap();
        assert_eq!(sqli.attack, Some(AttackKind::Sqli));
        assert!(sqli.success_hint);
    }

    #[test]
    fn crs_after_the_built_in_patterns() {
        // The fixture rules cut from CRS 3.3.4 (crates/mamori-crs/tests/fixtures/crs).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../mamori-crs/tests/fixtures/crs");
        let crs = mamori_crs::RuleSet::load_dir(&dir, 1).unwrap();
        let cfg = Config {
            crs: Some(crate::config::Crs(Arc::new(crs))),
            ..Config::default()
        };
        let c = HttpClassifier::new(&cfg).unwrap();
        // libinjection (942100) sees SQL the built-in patterns let pass.
        let odd = line("GET /p?id=x%27%20AND%20email%20IS%20NULL;%20--", 200, "-");
        let ev = c.classify(&clf::parse(odd.as_bytes()).unwrap()).unwrap();
        assert_eq!(ev.kind, EventKind::Attack);
        assert_eq!(ev.attack, Some(AttackKind::Sqli));
        assert_eq!(ev.reference.as_deref(), Some("CRS-942100"));
        assert!(ev.detail.as_deref().unwrap().contains("libinjection"));
        // Without CRS the same line is ordinary traffic.
        assert!(classify(&odd).is_none());
        // A REST call is no attack: CRS's method policy (911) is not loaded.
        let put = line("PUT /upload/x.txt", 201, "-");
        assert!(c.classify(&clf::parse(put.as_bytes()).unwrap()).is_none());
        // What the built-in patterns catch keeps their finding (no CRS reference).
        let sqli = line("GET /p?id=1%27%20or%20%271%27=%271", 200, "-");
        let ev = c.classify(&clf::parse(sqli.as_bytes()).unwrap()).unwrap();
        assert_eq!(ev.attack, Some(AttackKind::Sqli));
        // Ordinary requests stay ordinary with CRS on.
        let ok = line("GET /search?q=O%27Reilly", 200, "-");
        assert!(c.classify(&clf::parse(ok.as_bytes()).unwrap()).is_none());
    }

    #[test]
    fn crs_categories_map_onto_the_taxonomy() {
        use mamori_crs::{Category as C, Match, Severity};
        let m = |category, id, msg: &str| Match {
            id,
            msg: msg.into(),
            severity: Severity::Critical,
            tags: Arc::from(Vec::new()),
            category,
            data: String::new(),
            value: String::new(),
        };
        let cases = [
            (
                m(C::Lfi, 930100, "Path Traversal"),
                AttackKind::PathTraversal,
            ),
            (
                m(C::Lfi, 930130, "Restricted File Access"),
                AttackKind::SensitiveFile,
            ),
            (m(C::Rfi, 931100, "RFI"), AttackKind::FileInclusion),
            (m(C::Rce, 932100, "RCE"), AttackKind::CommandInjection),
            (m(C::Php, 933100, "PHP"), AttackKind::CodeInjection),
            (m(C::NodeJs, 934100, "Node"), AttackKind::CodeInjection),
            (m(C::Java, 944100, "Java"), AttackKind::CodeInjection),
            (
                m(
                    C::Java,
                    944150,
                    "Potential Remote Command Execution: Log4j / Log4shell",
                ),
                AttackKind::Jndi,
            ),
            (m(C::Xss, 941100, "XSS"), AttackKind::Xss),
            (m(C::Sqli, 942100, "SQLi"), AttackKind::Sqli),
            (m(C::Scanner, 913100, "scanner"), AttackKind::Scanner),
            (
                m(C::ProtocolEnforcement, 920100, "bad line"),
                AttackKind::ProtocolAttack,
            ),
            (
                m(C::ProtocolAttack, 921110, "smuggling"),
                AttackKind::ProtocolAttack,
            ),
            (
                m(C::SessionFixation, 943120, "fixation"),
                AttackKind::ProtocolAttack,
            ),
        ];
        for (m, kind) in cases {
            assert_eq!(crs_kind(&m), kind, "{}", m.id);
        }
    }

    #[test]
    fn client_addresses() {
        assert_eq!(parse_ip(b"1.2.3.4"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(parse_ip(b"1.2.3.4:80"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(
            parse_ip(b"[2001:db8::1]:443"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            parse_ip(b"2001:db8::1"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(parse_ip(b"host.example"), None);
    }
}
