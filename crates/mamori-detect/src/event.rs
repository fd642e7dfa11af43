//! Security-relevant events: what the parsers understood from one log line.
//!
//! Only lines that matter for detection become an [`Event`]; ordinary traffic is
//! counted and dropped at parse time, which keeps the engine's input small.

use serde::Serialize;
use std::net::IpAddr;
use std::sync::Arc;

/// What kind of security-relevant thing a line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A failed login (wrong password, unknown user, HTTP 401 …).
    AuthFailure,
    /// A successful login.
    AuthSuccess,
    /// A request or message that carries an attack (injection, traversal, web shell …).
    Attack,
    /// Reconnaissance: probing for sensitive files, admin panels, known scanners.
    Probe,
    /// Other security-relevant lines (a new account created, a root session opened …).
    Other,
}

impl EventKind {
    /// The stable JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::AuthFailure => "auth_failure",
            EventKind::AuthSuccess => "auth_success",
            EventKind::Attack => "attack",
            EventKind::Probe => "probe",
            EventKind::Other => "other",
        }
    }
}

/// The kind of attack or probe a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttackKind {
    /// SQL injection.
    Sqli,
    /// Cross-site scripting.
    Xss,
    /// Directory traversal (`../`).
    PathTraversal,
    /// OS command injection.
    CommandInjection,
    /// Local or remote file inclusion (`php://`, `http://` in a parameter …).
    FileInclusion,
    /// JNDI lookups (Log4Shell) and similar expression injection.
    Jndi,
    /// Probing for secrets and backups (`/.env`, `/.git/`, `backup.sql`).
    SensitiveFile,
    /// Probing for admin panels and CMS installers.
    AdminProbe,
    /// A known vulnerability scanner or attack tool in the User-Agent.
    Scanner,
    /// A request to a likely web shell.
    Webshell,
    /// A request blocked by a web application firewall (ModSecurity).
    WafBlock,
    /// Probing which user names exist (sshd `Invalid user`).
    UserEnumeration,
    /// Guessing passwords (the attack behind brute force, spraying and stuffing).
    CredentialStuffing,
    /// Code or expression injection into an interpreter other than SQL or the shell:
    /// PHP, Node.js, Java/OGNL/SpEL, server-side templates, LDAP filters.
    CodeInjection,
    /// A request that exploits a published vulnerability (セキュリティ・ホール攻撃型);
    /// [`Event::reference`] names the CVE.
    KnownExploit,
    /// A violation of the HTTP protocol used as an attack (request smuggling, response
    /// splitting, malformed or forbidden request parts).
    ProtocolAttack,
    /// Reconnaissance of a network service outside its login: connections that never
    /// identify or negotiate (port scans, banner grabbing, `Did not receive
    /// identification string`), protocol and key-exchange mismatches, connections
    /// refused by host rules, failed reverse-DNS checks.
    ServiceScan,
}

impl AttackKind {
    /// The stable JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttackKind::Sqli => "sqli",
            AttackKind::Xss => "xss",
            AttackKind::PathTraversal => "path_traversal",
            AttackKind::CommandInjection => "command_injection",
            AttackKind::FileInclusion => "file_inclusion",
            AttackKind::Jndi => "jndi",
            AttackKind::SensitiveFile => "sensitive_file",
            AttackKind::AdminProbe => "admin_probe",
            AttackKind::Scanner => "scanner",
            AttackKind::Webshell => "webshell",
            AttackKind::WafBlock => "waf_block",
            AttackKind::UserEnumeration => "user_enumeration",
            AttackKind::CredentialStuffing => "credential_stuffing",
            AttackKind::CodeInjection => "code_injection",
            AttackKind::KnownExploit => "known_exploit",
            AttackKind::ProtocolAttack => "protocol_attack",
            AttackKind::ServiceScan => "service_scan",
        }
    }

    /// Whether this kind is reconnaissance (a probe) rather than an attack proper.
    pub fn is_probe(self) -> bool {
        matches!(
            self,
            AttackKind::SensitiveFile
                | AttackKind::AdminProbe
                | AttackKind::Scanner
                | AttackKind::UserEnumeration
                | AttackKind::ServiceScan
        )
    }
}

/// The service a login event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// A web application or HTTP authentication.
    Http,
    /// OpenSSH.
    Ssh,
    /// Mail logins: IMAP and POP3 (Dovecot), SMTP AUTH (Postfix SASL, Exim).
    Mail,
    /// FTP logins (vsftpd, ProFTPD, Pure-FTPd).
    Ftp,
    /// Web administration panels that log through syslog (Webmin, Usermin).
    WebAdmin,
    /// Anything else that logs through PAM or syslog.
    Other,
}

impl Service {
    /// The stable JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Http => "http",
            Service::Ssh => "ssh",
            Service::Mail => "mail",
            Service::Ftp => "ftp",
            Service::WebAdmin => "web_admin",
            Service::Other => "other",
        }
    }

    /// A short name for reports: (Japanese, English).
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Service::Http => ("ウェブ", "web"),
            Service::Ssh => ("SSH", "SSH"),
            Service::Mail => ("メール: IMAP/POP3/SMTP 認証", "mail: IMAP/POP3/SMTP AUTH"),
            Service::Ftp => ("FTP", "FTP"),
            Service::WebAdmin => ("ウェブ管理画面: Webmin 等", "web admin panel: Webmin …"),
            Service::Other => ("その他", "other"),
        }
    }
}

/// What a line of an sshd process is to the attempt that process makes. `chunk.rs`
/// reports each attempt once, on the first line that names both it and its client (the
/// way fail2ban attributes a session's lines): a close after a reported attempt is part
/// of that attempt, and the key offers before a `Too many authentication failures` are
/// the attempt that line reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step {
    /// A line that states an attempt or a probe of its own.
    #[default]
    Attempt,
    /// The connection's end before login (`Connection closed by`, `Connection reset
    /// by`, `Disconnected from`, `Received disconnect … 11:`): an event only when nothing
    /// before it in its process was one.
    Close,
    /// A failed session's outcome (`Too many authentication failures`, `maximum
    /// authentication attempts exceeded`): it stands for the key offers before it.
    Outcome,
}

/// One security-relevant event, with the place it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    /// Index of the input file (see [`crate::ScanReport::files`]).
    pub file: u32,
    /// 1-based line number in that file.
    pub line: u64,
    /// What the line shows.
    pub kind: EventKind,
    /// For attacks and probes: which kind.
    pub attack: Option<AttackKind>,
    /// The client address, when the line has one.
    pub source: Option<IpAddr>,
    /// The account, when known (HTTP basic-auth user, sshd user …).
    pub user: Option<Arc<str>>,
    /// Which service the event belongs to.
    pub service: Service,
    /// The login target or requested path (truncated), e.g. `POST /wp-login.php`.
    pub target: Option<Arc<str>>,
    /// HTTP status, 0 when not HTTP.
    pub status: u16,
    /// Response size in bytes, 0 when unknown.
    pub bytes: u64,
    /// For attacks: whether the response suggests it worked (2xx with a body, 500 for injections …).
    pub success_hint: bool,
    /// A short human-readable detail: the matched payload, the sshd message …
    pub detail: Option<Arc<str>>,
    /// The rule the event matched in a rule set the field maintains, as a stable id:
    /// `CVE-2021-44228`, `CRS-942100` (OWASP Core Rule Set rule 942100).
    pub reference: Option<Arc<str>>,
    /// The line restates an attempt another line of the same log already records
    /// (PAM's `authentication failure` beside sshd's own `Failed password`,
    /// `maximum authentication attempts exceeded`, a per-attempt Dovecot `auth:` line
    /// beside its per-connection summary). Reported as an event; rules that count
    /// attempts skip it so that one guess counts once. An sshd line is first held per
    /// process (`chunk.rs`) and dropped when a later line settles it (see `settles`).
    pub restated: bool,
    /// What an sshd line is to its process's attempt; `chunk.rs` uses it to report one
    /// event per attempt. [`Step::Attempt`] for every other service.
    pub step: Step,
    /// The line carries no time stamp and none came before it in the same input (a
    /// syslog line without a time, `host sshd[1]: …`, as journal readers print it):
    /// [`Event::time`] is 0 and means nothing. Reports show such an event's time as
    /// unknown, the timeline leaves it out, and the rules see it at time 0. A line
    /// without a time that comes after one with a time takes that time instead (see
    /// `chunk.rs`), and this stays `false`.
    pub time_unknown: bool,
}

impl Event {
    /// Whether rules that count login attempts should count this event: a failed or
    /// successful login that no other line already records.
    pub fn counts_as_attempt(&self) -> bool {
        matches!(self.kind, EventKind::AuthFailure | EventKind::AuthSuccess) && !self.restated
    }

    /// A new event with the common fields; the rest defaulted.
    pub fn new(time: i64, kind: EventKind, service: Service) -> Event {
        Event {
            time,
            file: 0,
            line: 0,
            kind,
            attack: None,
            source: None,
            user: None,
            service,
            target: None,
            status: 0,
            bytes: 0,
            success_hint: false,
            detail: None,
            reference: None,
            restated: false,
            step: Step::Attempt,
            time_unknown: false,
        }
    }
}
