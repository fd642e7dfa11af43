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
        })
    }

    /// The security event a request represents, if any.
    pub fn classify(&self, rec: &HttpRecord<'_>) -> Option<Event> {
        if let Some(ev) = self.login(rec) {
            return Some(ev);
        }
        let hit = self
            .web
            .classify(rec.method, rec.uri, rec.user_agent, rec.referer)?;
        let ok = (200..300).contains(&rec.status);
        let with_body = ok && rec.bytes > 0;
        let (kind, success_hint) = match hit.kind {
            AttackKind::Scanner => (EventKind::Probe, false),
            AttackKind::SensitiveFile => (EventKind::Probe, with_body),
            AttackKind::AdminProbe => (EventKind::Probe, ok),
            AttackKind::Webshell if ok => (EventKind::Attack, true),
            AttackKind::Webshell => (EventKind::Probe, false),
            AttackKind::Sqli => (EventKind::Attack, with_body || rec.status == 500),
            _ => (EventKind::Attack, with_body),
        };
        let mut ev = http_event(rec, kind);
        ev.attack = Some(hit.kind);
        ev.success_hint = success_hint;
        ev.detail = Some(hit.detail.into());
        ev.reference = hit.reference.map(Into::into);
        Some(ev)
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
