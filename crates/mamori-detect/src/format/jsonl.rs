//! JSON-lines access logs: nginx `log_format … escape=json`, Elastic Common Schema
//! (`source.ip`, `http.request.method`, `url.original` …), Traefik JSON
//! (`ClientHost`, `RequestMethod`, `DownstreamStatus` …) and Caddy (`request.remote_ip`,
//! `request.headers.User-Agent`). Which key holds which field is configurable
//! ([`JsonFields`]); each field lists candidate keys tried in order, a dotted key is
//! looked up both as a nested path and as a flat key. A systemd journal export
//! (`journalctl -o json`, an object with `__REALTIME_TIMESTAMP`) is handed to
//! [`super::journal`].

use super::{HttpRecord, ParseError, Parsed};
use crate::timefmt;
use serde::Deserialize;
use serde_json::Value;

/// Candidate keys for each access-log field.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct JsonFields {
    /// Request time: CLF, ISO 8601 or epoch seconds/milliseconds.
    pub time: Vec<String>,
    /// Client address.
    pub client: Vec<String>,
    /// `X-Forwarded-For`, used when the client address is internal (a load balancer).
    pub forwarded_for: Vec<String>,
    /// Authenticated user.
    pub user: Vec<String>,
    /// Whole request line `GET /x HTTP/1.1` (used when method/uri are absent).
    pub request: Vec<String>,
    /// Request method.
    pub method: Vec<String>,
    /// Request target (path and query).
    pub uri: Vec<String>,
    /// Query string, appended to a path-only `uri` when present.
    pub query: Vec<String>,
    /// Response status.
    pub status: Vec<String>,
    /// Response body size.
    pub bytes: Vec<String>,
    /// Referer.
    pub referer: Vec<String>,
    /// User agent.
    pub user_agent: Vec<String>,
}

fn keys(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for JsonFields {
    fn default() -> Self {
        JsonFields {
            time: keys(&[
                "time_local",
                "time_iso8601",
                "@timestamp",
                "timestamp",
                "time",
                "StartUTC",
                "StartLocal",
                "ts",
                "date",
            ]),
            client: keys(&[
                "remote_addr",
                "client.ip",
                "source.ip",
                "source.address",
                "client_ip",
                "ClientHost",
                "request.remote_ip",
                "request.client_ip",
                "remote_ip",
                "ip",
            ]),
            forwarded_for: keys(&[
                "http_x_forwarded_for",
                "x_forwarded_for",
                "forwardedfor",
                "request.headers.X-Forwarded-For",
                "request_X-Forwarded-For",
            ]),
            user: keys(&[
                "remote_user",
                "user.name",
                "ClientUsername",
                "user_id",
                "user",
            ]),
            request: keys(&["request", "request_line"]),
            method: keys(&[
                "request_method",
                "http.request.method",
                "RequestMethod",
                "request.method",
                "method",
            ]),
            uri: keys(&[
                "request_uri",
                "url.original",
                "RequestPath",
                "request.uri",
                "uri",
                "url.path",
                "path",
                "url",
            ]),
            query: keys(&["query_string", "args", "url.query"]),
            status: keys(&[
                "status",
                "http.response.status_code",
                "DownstreamStatus",
                "status_code",
                "response",
            ]),
            bytes: keys(&[
                "body_bytes_sent",
                "bytes_sent",
                "http.response.body.bytes",
                "DownstreamContentSize",
                "size",
                "bytes",
            ]),
            referer: keys(&[
                "http_referer",
                "http.request.referrer",
                "request_Referer",
                "referer",
                "referrer",
            ]),
            user_agent: keys(&[
                "http_user_agent",
                "user_agent.original",
                "request_User-Agent",
                "request.headers.User-Agent",
                "user_agent",
                "useragent",
                "agent",
            ]),
        }
    }
}

/// An access record whose fields were decoded from JSON (owned).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedHttp {
    pub(crate) time: i64,
    pub(crate) client: String,
    pub(crate) user: Option<String>,
    pub(crate) method: String,
    pub(crate) uri: String,
    pub(crate) protocol: String,
    pub(crate) status: u16,
    pub(crate) bytes: u64,
    pub(crate) referer: String,
    pub(crate) user_agent: String,
}

impl OwnedHttp {
    /// A copy of a borrowed record.
    pub fn from_record(r: &HttpRecord<'_>) -> OwnedHttp {
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        OwnedHttp {
            time: r.time,
            client: s(r.client),
            user: r.user.map(s),
            method: s(r.method),
            uri: s(r.uri),
            protocol: s(r.protocol),
            status: r.status,
            bytes: r.bytes,
            referer: s(r.referer),
            user_agent: s(r.user_agent),
        }
    }

    /// A borrowed view for the classifiers.
    pub fn as_record(&self) -> HttpRecord<'_> {
        HttpRecord {
            time: self.time,
            vhost: None,
            client: self.client.as_bytes(),
            user: self.user.as_deref().map(str::as_bytes),
            method: self.method.as_bytes(),
            uri: self.uri.as_bytes(),
            protocol: self.protocol.as_bytes(),
            status: self.status,
            bytes: self.bytes,
            referer: self.referer.as_bytes(),
            user_agent: self.user_agent.as_bytes(),
        }
    }
}

fn lookup<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(key) {
        return Some(x);
    }
    if key.contains('.') || key.contains('-') {
        let mut cur = v;
        for part in key.split('.') {
            cur = cur.get(part)?;
        }
        return Some(cur);
    }
    None
}

fn first<'v>(v: &'v Value, keys: &[String]) -> Option<&'v Value> {
    keys.iter()
        .find_map(|k| lookup(v, k))
        .filter(|x| !x.is_null())
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // Caddy logs headers as arrays of values.
        Value::Array(a) => a.first().and_then(as_string),
        _ => None,
    }
}

fn field(v: &Value, keys: &[String]) -> Option<String> {
    first(v, keys)
        .and_then(as_string)
        .filter(|s| !s.is_empty() && s != "-")
}

fn number(v: &Value, keys: &[String]) -> Option<f64> {
    match first(v, keys)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn parse_time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => epoch(n.as_f64()?),
        Value::String(s) => {
            let b = s.as_bytes();
            timefmt::parse_clf(b)
                .or_else(|| timefmt::parse_iso(b, 0).map(|(t, _)| t))
                .or_else(|| s.trim().parse::<f64>().ok().and_then(epoch))
        }
        _ => None,
    }
}

/// Epoch seconds from a number that may be seconds, milliseconds or microseconds.
fn epoch(x: f64) -> Option<i64> {
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    let secs = if x > 1e14 {
        x / 1e6
    } else if x > 1e11 {
        x / 1e3
    } else {
        x
    };
    Some(secs as i64)
}

/// Parses one JSON access-log line.
pub fn parse<'a>(line: &'a [u8], f: &JsonFields) -> Result<Parsed<'a>, ParseError> {
    let trimmed = super::journal::unframe(line);
    if trimmed.first() != Some(&b'{') {
        return Err(ParseError::NotThisFormat);
    }
    let v: Value = serde_json::from_slice(trimmed).map_err(|_| ParseError::Field("json"))?;
    if super::journal::is_entry(&v) {
        return super::journal::entry(&v);
    }
    let time = first(&v, &f.time)
        .and_then(parse_time)
        .ok_or(ParseError::Field("time"))?;
    let mut client = field(&v, &f.client).ok_or(ParseError::Field("client"))?;
    if let Some(xff) = field(&v, &f.forwarded_for) {
        let chosen = super::effective_client(client.as_bytes(), Some(xff.as_bytes()));
        if chosen != client.as_bytes() {
            client = String::from_utf8_lossy(chosen).into_owned();
        }
    }
    let (mut method, mut uri, mut protocol) = (String::new(), String::new(), String::new());
    if let Some(req) = field(&v, &f.request) {
        let (m, u, p) = super::clf::split_request(req.as_bytes());
        method = String::from_utf8_lossy(m).into_owned();
        uri = String::from_utf8_lossy(u).into_owned();
        protocol = String::from_utf8_lossy(p).into_owned();
    }
    if let Some(m) = field(&v, &f.method) {
        method = m;
    }
    if let Some(u) = field(&v, &f.uri) {
        uri = u;
        if !uri.contains('?')
            && let Some(q) = field(&v, &f.query)
        {
            uri.push('?');
            uri.push_str(q.trim_start_matches('?'));
        }
    }
    if uri.is_empty() {
        return Err(ParseError::Field("uri"));
    }
    let status = number(&v, &f.status)
        .filter(|s| (0.0..1000.0).contains(s))
        .ok_or(ParseError::Field("status"))? as u16;
    let bytes = number(&v, &f.bytes).filter(|b| *b >= 0.0).unwrap_or(0.0) as u64;
    Ok(Parsed::HttpOwned(Box::new(OwnedHttp {
        time,
        client,
        user: field(&v, &f.user),
        method,
        uri,
        protocol,
        status,
        bytes,
        referer: field(&v, &f.referer).unwrap_or_default(),
        user_agent: field(&v, &f.user_agent).unwrap_or_default(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::rfc3339;

    fn rec(line: &str) -> OwnedHttp {
        match parse(line.as_bytes(), &JsonFields::default()).unwrap() {
            Parsed::HttpOwned(o) => *o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn forwarded_for_behind_an_internal_peer() {
        let nginx = rec(
            r#"{"time_local":"04/Mar/2024:09:00:01 +0900","remote_addr":"10.0.0.2","http_x_forwarded_for":"198.51.100.7, 10.0.0.9","request":"POST /wp-login.php HTTP/1.1","status":"200"}"#,
        );
        assert_eq!(nginx.client, "198.51.100.7");
        // Caddy logs headers as arrays.
        let caddy = rec(
            r#"{"ts":1709510401.5,"request":{"remote_ip":"127.0.0.1","method":"GET","uri":"/","headers":{"X-Forwarded-For":["203.0.113.4"]}},"status":200}"#,
        );
        assert_eq!(caddy.client, "203.0.113.4");
        let public_peer = rec(
            r#"{"time_local":"04/Mar/2024:09:00:01 +0900","remote_addr":"192.0.2.8","http_x_forwarded_for":"198.51.100.7","request":"GET / HTTP/1.1","status":"200"}"#,
        );
        assert_eq!(public_peer.client, "192.0.2.8");
    }

    #[test]
    fn nginx_escape_json() {
        let r = rec(
            r#"{"time_local":"04/Mar/2024:09:00:00 +0900","remote_addr":"1.2.3.4","remote_user":"","request":"GET /a?b=1 HTTP/1.1","status":"404","body_bytes_sent":"153","http_referer":"","http_user_agent":"curl/8.0"}"#,
        );
        assert_eq!(rfc3339(r.time), "2024-03-04T00:00:00Z");
        assert_eq!(r.client, "1.2.3.4");
        assert_eq!(r.user, None);
        assert_eq!(r.method, "GET");
        assert_eq!(r.uri, "/a?b=1");
        assert_eq!(r.status, 404);
        assert_eq!(r.bytes, 153);
        assert_eq!(r.user_agent, "curl/8.0");
    }

    #[test]
    fn ecs_nested_and_traefik_and_caddy() {
        let e = rec(
            r#"{"@timestamp":"2024-03-04T00:00:00.123Z","source":{"ip":"2001:db8::1"},"http":{"request":{"method":"POST"},"response":{"status_code":401,"body":{"bytes":45}}},"url":{"original":"/api/login"},"user_agent":{"original":"x"}}"#,
        );
        assert_eq!(e.client, "2001:db8::1");
        assert_eq!(e.method, "POST");
        assert_eq!(e.status, 401);
        assert_eq!(e.bytes, 45);
        assert_eq!(e.uri, "/api/login");
        let t = rec(
            r#"{"ClientHost":"5.6.7.8","RequestMethod":"GET","RequestPath":"/.env","DownstreamStatus":404,"DownstreamContentSize":19,"StartUTC":"2024-03-04T00:00:00.1Z","request_User-Agent":"Go-http-client/1.1"}"#,
        );
        assert_eq!(t.uri, "/.env");
        assert_eq!(t.user_agent, "Go-http-client/1.1");
        let c = rec(
            r#"{"level":"info","ts":1709510400.52,"logger":"http.log.access","request":{"remote_ip":"9.9.9.9","method":"GET","uri":"/x","headers":{"User-Agent":["curl/8"]}},"status":200,"size":12}"#,
        );
        assert_eq!(c.client, "9.9.9.9");
        assert_eq!(rfc3339(c.time), "2024-03-04T00:00:00Z");
        assert_eq!(c.user_agent, "curl/8");
    }

    #[test]
    fn errors_name_the_field() {
        let f = JsonFields::default();
        assert_eq!(
            parse(b"{not json", &f).unwrap_err(),
            ParseError::Field("json")
        );
        assert_eq!(
            parse(br#"{"remote_addr":"1.2.3.4"}"#, &f).unwrap_err(),
            ParseError::Field("time")
        );
        assert_eq!(parse(b"plain", &f).unwrap_err(), ParseError::NotThisFormat);
    }
}
