//! Variables: what an access-log line holds, in ModSecurity's names.
//!
//! Available: `REQUEST_URI`, `REQUEST_URI_RAW`, `REQUEST_FILENAME`,
//! `REQUEST_BASENAME`, `QUERY_STRING`, `ARGS`, `ARGS_GET`, `ARGS_NAMES`,
//! `ARGS_GET_NAMES`, `REQUEST_LINE`, `REQUEST_METHOD`, `REQUEST_PROTOCOL`,
//! `REQUEST_HEADERS` (only `User-Agent` and `Referer`), `REQUEST_HEADERS_NAMES`,
//! `REQUEST_COOKIES(_NAMES)` (empty), `TX`, `MATCHED_VAR(S)(_NAME(S))`. Variables a
//! log line cannot show (bodies, other headers, responses, addresses …) are
//! *absent*: they give no value, not even a count, so a rule on them never matches.

use std::borrow::Cow;

/// The request parts an access-log line shows. Fields are raw bytes as logged.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    /// `GET`, `POST` …
    pub method: &'a [u8],
    /// The request target as logged (path and query, not decoded).
    pub uri: &'a [u8],
    /// `HTTP/1.1` …; empty when the log does not say.
    pub protocol: &'a [u8],
    /// The User-Agent header; `None` when the log shows none (`-`).
    pub user_agent: Option<&'a [u8]>,
    /// The Referer header; `None` when absent.
    pub referer: Option<&'a [u8]>,
}

/// The variables derived once per request.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub req: Request<'a>,
    pub filename: &'a [u8],
    pub basename: &'a [u8],
    pub query: &'a [u8],
    pub line: Vec<u8>,
    /// Decoded `(name, value, name as text)` of the query string's pairs; the text
    /// form is made once here, not per rule.
    pub args: Vec<(Vec<u8>, Vec<u8>, String)>,
    /// `(lower-case name, display name, value)`.
    pub headers: Vec<(&'static str, &'static str, &'a [u8])>,
}

impl<'a> Prepared<'a> {
    pub fn new(req: Request<'a>) -> Prepared<'a> {
        let q = memchr::memchr(b'?', req.uri);
        let filename = &req.uri[..q.unwrap_or(req.uri.len())];
        let query = q.map_or(&b""[..], |i| &req.uri[i + 1..]);
        let basename = match memchr::memrchr(b'/', filename) {
            Some(i) => &filename[i + 1..],
            None => filename,
        };
        let mut line = Vec::with_capacity(req.method.len() + req.uri.len() + 10);
        line.extend_from_slice(req.method);
        line.push(b' ');
        line.extend_from_slice(req.uri);
        if !req.protocol.is_empty() {
            line.push(b' ');
            line.extend_from_slice(req.protocol);
        }
        let args = query
            .split(|&b| b == b'&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = match memchr::memchr(b'=', kv) {
                    Some(i) => (&kv[..i], &kv[i + 1..]),
                    None => (kv, &b""[..]),
                };
                let k = form_decode(k);
                let text = String::from_utf8_lossy(&k).into_owned();
                (k, form_decode(v), text)
            })
            .collect();
        let mut headers = Vec::with_capacity(2);
        if let Some(ua) = req.user_agent {
            headers.push(("user-agent", "User-Agent", ua));
        }
        if let Some(r) = req.referer {
            headers.push(("referer", "Referer", r));
        }
        Prepared {
            req,
            filename,
            basename,
            query,
            line,
            args,
            headers,
        }
    }
}

/// `application/x-www-form-urlencoded` decoding as ModSecurity does for ARGS.
fn form_decode(s: &[u8]) -> Vec<u8> {
    crate::transform::Transform::UrlDecode.apply(s)
}

/// Which variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `REQUEST_URI`.
    RequestUri,
    /// `REQUEST_URI_RAW`.
    RequestUriRaw,
    /// `REQUEST_FILENAME`.
    RequestFilename,
    /// `REQUEST_BASENAME`.
    RequestBasename,
    /// `QUERY_STRING`.
    QueryString,
    /// `REQUEST_LINE`.
    RequestLine,
    /// `REQUEST_METHOD`.
    RequestMethod,
    /// `REQUEST_PROTOCOL`.
    RequestProtocol,
    /// `ARGS`, `ARGS_GET`.
    Args,
    /// `ARGS_NAMES`, `ARGS_GET_NAMES`.
    ArgsNames,
    /// `REQUEST_HEADERS`.
    Headers,
    /// `REQUEST_HEADERS_NAMES`.
    HeadersNames,
    /// `REQUEST_COOKIES`, `REQUEST_COOKIES_NAMES`: always empty.
    Empty,
    /// `TX`.
    Tx,
    /// `MATCHED_VAR`.
    MatchedVar,
    /// `MATCHED_VAR_NAME`.
    MatchedVarName,
    /// `MATCHED_VARS`.
    MatchedVars,
    /// `MATCHED_VARS_NAMES`.
    MatchedVarsNames,
    /// Known to ModSecurity, not in an access log.
    Absent,
}

/// Variables a log line cannot show: known names, so they are not "unknown".
const ABSENT: &[&str] = &[
    "ARGS_POST",
    "ARGS_POST_NAMES",
    "ARGS_COMBINED_SIZE",
    "REQUEST_BODY",
    "REQUEST_BODY_LENGTH",
    "REQBODY_PROCESSOR",
    "REQBODY_ERROR",
    "REQBODY_ERROR_MSG",
    "REQBODY_PROCESSOR_ERROR",
    "FILES",
    "FILES_NAMES",
    "FILES_SIZES",
    "FILES_COMBINED_SIZE",
    "FILES_TMPNAMES",
    "FILES_TMP_CONTENT",
    "MULTIPART_STRICT_ERROR",
    "MULTIPART_UNMATCHED_BOUNDARY",
    "MULTIPART_PART_HEADERS",
    "MULTIPART_FILENAME",
    "MULTIPART_NAME",
    "XML",
    "RESPONSE_BODY",
    "RESPONSE_HEADERS",
    "RESPONSE_HEADERS_NAMES",
    "RESPONSE_STATUS",
    "RESPONSE_PROTOCOL",
    "RESPONSE_CONTENT_TYPE",
    "RESPONSE_CONTENT_LENGTH",
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "REMOTE_USER",
    "SERVER_ADDR",
    "SERVER_NAME",
    "SERVER_PORT",
    "UNIQUE_ID",
    "DURATION",
    "TIME",
    "TIME_EPOCH",
    "ENV",
    "GEO",
    "IP",
    "GLOBAL",
    "SESSION",
    "USER",
    "RESOURCE",
    "FULL_REQUEST",
    "FULL_REQUEST_LENGTH",
    "AUTH_TYPE",
    "PATH_INFO",
    "STATUS_LINE",
    "WEBSERVER_ERROR_LOG",
    "INBOUND_DATA_ERROR",
    "OUTBOUND_DATA_ERROR",
    "HIGHEST_SEVERITY",
    "RULE",
    "STREAM_INPUT_BODY",
    "STREAM_OUTPUT_BODY",
    "URLENCODED_ERROR",
];

impl Kind {
    /// The variable named `name` (upper case), `None` when unknown.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "REQUEST_URI" => Kind::RequestUri,
            "REQUEST_URI_RAW" => Kind::RequestUriRaw,
            "REQUEST_FILENAME" => Kind::RequestFilename,
            "REQUEST_BASENAME" => Kind::RequestBasename,
            "QUERY_STRING" => Kind::QueryString,
            "REQUEST_LINE" => Kind::RequestLine,
            "REQUEST_METHOD" => Kind::RequestMethod,
            "REQUEST_PROTOCOL" => Kind::RequestProtocol,
            "ARGS" | "ARGS_GET" => Kind::Args,
            "ARGS_NAMES" | "ARGS_GET_NAMES" => Kind::ArgsNames,
            "REQUEST_HEADERS" => Kind::Headers,
            "REQUEST_HEADERS_NAMES" => Kind::HeadersNames,
            "REQUEST_COOKIES" | "REQUEST_COOKIES_NAMES" => Kind::Empty,
            "TX" => Kind::Tx,
            "MATCHED_VAR" => Kind::MatchedVar,
            "MATCHED_VAR_NAME" => Kind::MatchedVarName,
            "MATCHED_VARS" => Kind::MatchedVars,
            "MATCHED_VARS_NAMES" => Kind::MatchedVarsNames,
            n if ABSENT.contains(&n) => Kind::Absent,
            _ => return None,
        })
    }
}

/// A `:key` or `:/regex/` selector.
#[derive(Debug, Clone)]
pub enum Selector {
    /// A key, compared case-insensitively (stored lower case).
    Key(String),
    /// A regular expression over the key.
    Regex(regex::Regex),
}

impl Selector {
    /// Parses a selector (quotes already removed).
    pub fn new(s: &str) -> Result<Selector, String> {
        match s.strip_prefix('/').and_then(|s| s.strip_suffix('/')) {
            Some(re) => regex::RegexBuilder::new(re)
                .case_insensitive(true)
                .build()
                .map(Selector::Regex)
                .map_err(|e| format!("selector /{re}/: {e}")),
            None => Ok(Selector::Key(s.to_ascii_lowercase())),
        }
    }

    pub fn matches(&self, key: &str) -> bool {
        match self {
            Selector::Key(k) => key.eq_ignore_ascii_case(k),
            Selector::Regex(r) => r.is_match(key),
        }
    }
}

/// One variable of a rule, with its exclusions.
#[derive(Debug)]
pub struct VarSpec {
    /// Which variable.
    pub kind: Kind,
    /// The name as written (for `MATCHED_VAR_NAME`).
    pub name: String,
    /// `:selector`.
    pub selector: Option<Selector>,
    /// `&VAR`: the number of values instead of the values.
    pub count: bool,
    /// `!VAR:x` entries of the same variable in the rule.
    pub excluded: Vec<Selector>,
}

/// A value's name, put together only when a rule matches (`ARGS:id`).
#[derive(Debug)]
pub(crate) struct Name<'a> {
    base: &'a str,
    key: Option<Cow<'a, str>>,
}

impl<'a> Name<'a> {
    fn whole(base: &'a str) -> Name<'a> {
        Name { base, key: None }
    }

    fn keyed(base: &'a str, key: Cow<'a, str>) -> Name<'a> {
        Name {
            base,
            key: Some(key),
        }
    }

    /// `BASE:key` or `BASE`.
    pub fn into_string(self) -> String {
        match self.key {
            Some(k) => format!("{}:{k}", self.base),
            None => self.base.to_owned(),
        }
    }
}

/// The state a variable can read besides the request.
pub(crate) struct Ctx<'s, 'a> {
    pub p: &'s Prepared<'a>,
    pub tx: &'s crate::eval::Tx,
    pub matched: &'s [(String, Vec<u8>)],
}

impl VarSpec {
    /// Calls `f` with each value of this variable (and whether the value is borrowed
    /// from the request's [`Prepared`], so its address names it for the whole
    /// request); `false` when the variable is absent from a log line. No allocation:
    /// this runs for every variable of every rule.
    pub(crate) fn each<'s>(
        &'s self,
        c: &Ctx<'s, '_>,
        f: &mut impl FnMut(Name<'s>, Cow<'s, [u8]>, bool),
    ) -> bool {
        if self.count {
            let mut n = 0usize;
            if !self.visit(c, &mut |_, _, _| n += 1) {
                return false;
            }
            f(
                Name::whole(&self.name),
                Cow::Owned(n.to_string().into_bytes()),
                false,
            );
            return true;
        }
        self.visit(c, f)
    }

    fn visit<'s>(
        &'s self,
        c: &Ctx<'s, '_>,
        f: &mut impl FnMut(Name<'s>, Cow<'s, [u8]>, bool),
    ) -> bool {
        let p = c.p;
        let keep = |key: &str| {
            self.selector.as_ref().is_none_or(|s| s.matches(key))
                && !self.excluded.iter().any(|e| e.matches(key))
        };
        let mut scalar = |v: &'s [u8]| f(Name::whole(&self.name), Cow::Borrowed(v), true);
        match self.kind {
            Kind::Absent => return false,
            Kind::RequestUri | Kind::RequestUriRaw => scalar(p.req.uri),
            Kind::RequestFilename => scalar(p.filename),
            Kind::RequestBasename => scalar(p.basename),
            Kind::QueryString => scalar(p.query),
            Kind::RequestLine => scalar(&p.line),
            Kind::RequestMethod => scalar(p.req.method),
            Kind::RequestProtocol => scalar(p.req.protocol),
            Kind::Empty => {}
            Kind::Args | Kind::ArgsNames => {
                let base = self.base();
                for (k, v, key) in &p.args {
                    if keep(key) {
                        let name = Name::keyed(base, Cow::Borrowed(key.as_str()));
                        let val = if self.kind == Kind::Args { v } else { k };
                        f(name, Cow::Borrowed(val.as_slice()), true);
                    }
                }
            }
            Kind::Headers | Kind::HeadersNames => {
                // Only User-Agent and Referer are in a log line: asking for any other
                // header by name is asking for something absent.
                if let Some(Selector::Key(k)) = &self.selector
                    && !p.headers.iter().any(|h| h.0 == k)
                    && k != "user-agent"
                    && k != "referer"
                {
                    return false;
                }
                let base = self.base();
                for &(lower, display, v) in &p.headers {
                    if keep(lower) {
                        let name = Name::keyed(base, Cow::Borrowed(display));
                        let val = if self.kind == Kind::Headers {
                            v
                        } else {
                            display.as_bytes()
                        };
                        // A header name is a `'static` string, not the request's.
                        f(name, Cow::Borrowed(val), self.kind == Kind::Headers);
                    }
                }
            }
            // TX and the matched values change during the request: not `stable`.
            Kind::Tx => {
                if let Some(Selector::Key(k)) = &self.selector {
                    // The common case: one TX variable by name.
                    if let Some((k, v)) = c.tx.get_key_value(k.as_str())
                        && !self.excluded.iter().any(|e| e.matches(k))
                    {
                        f(
                            Name::keyed("TX", Cow::Borrowed(k)),
                            Cow::Borrowed(v.as_bytes()),
                            false,
                        );
                    }
                } else {
                    for (k, v) in c.tx.iter() {
                        if keep(k) {
                            f(
                                Name::keyed("TX", Cow::Borrowed(k)),
                                Cow::Borrowed(v.as_bytes()),
                                false,
                            );
                        }
                    }
                }
            }
            Kind::MatchedVar => {
                if let Some((_, v)) = c.matched.last() {
                    f(Name::whole(&self.name), Cow::Borrowed(v.as_slice()), false);
                }
            }
            Kind::MatchedVarName => {
                if let Some((n, _)) = c.matched.last() {
                    f(Name::whole(&self.name), Cow::Borrowed(n.as_bytes()), false);
                }
            }
            Kind::MatchedVars => {
                for (n, v) in c.matched {
                    if keep(n) {
                        f(Name::whole(n), Cow::Borrowed(v.as_slice()), false);
                    }
                }
            }
            Kind::MatchedVarsNames => {
                for (n, _) in c.matched {
                    if keep(n) {
                        f(Name::whole(n), Cow::Borrowed(n.as_bytes()), false);
                    }
                }
            }
        }
        true
    }

    /// The collection's name without the selector (`ARGS` of `ARGS:id`).
    fn base(&self) -> &str {
        match self.name.find(':') {
            Some(i) => &self.name[..i],
            None => &self.name,
        }
    }
}
