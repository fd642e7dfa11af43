//! Events the guard emits: security events for the site's log and the evidence
//! bundle (words shared with `mamori scan`), and notices for an account's owner.
//!
//! No mail is sent here: a [`Notifier`] implementation delivers them.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::sync::Mutex;
use time::OffsetDateTime;

/// The event kind, in `mamori scan`'s taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A login that failed.
    AuthFailure,
    /// A login that succeeded.
    AuthSuccess,
}

/// The attack an event belongs to, in `mamori scan`'s taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attack {
    /// Many accounts tried with leaked ID/password pairs (連続自動入力試行攻撃).
    CredentialStuffing,
    /// Many passwords tried against one account.
    BruteForce,
    /// One-time code replayed.
    OtpReplay,
}

/// One security event: ready to be written as a JSON line and attached to a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthEvent {
    /// When (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    /// `auth_failure` or `auth_success`.
    pub kind: EventKind,
    /// The attack this event is part of, when the guard recognised one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack: Option<Attack>,
    /// The client address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<IpAddr>,
    /// The (normalised) login name tried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A stable machine word saying why (`bad_password`, `throttled`, `otp_replay`, …).
    pub reason: String,
}

/// Something the owner of an account must be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum OwnerNotice {
    /// The password was changed or reset.
    PasswordChanged,
    /// A second factor was added or removed.
    FactorChanged {
        /// `totp`, `passkey`, `grid_card`, `recovery_codes`.
        factor: String,
    },
    /// Someone entered the right password but failed the second factor: the password
    /// is probably known to someone else.
    PasswordRightSecondFactorFailed {
        /// From where.
        source: Option<IpAddr>,
    },
    /// A login from a device not seen before.
    NewDevice {
        /// From where.
        source: Option<IpAddr>,
    },
    /// The account was disabled because it was not used for a long time.
    DisabledForInactivity {
        /// Days since the last login.
        idle_days: i64,
    },
    /// The password appeared in a leak; a reset is required.
    CredentialsExposed,
    /// A password reset was requested.
    ResetRequested,
    /// The grid card is spent; a new one has been issued.
    GridCardReissued,
}

impl OwnerNotice {
    /// The message for the owner, Japanese first.
    pub fn text(&self) -> mamori_core::Text {
        use mamori_core::Text;
        match self {
            OwnerNotice::PasswordChanged => Text::new(
                "パスワードが変更されました。心当たりがない場合はすぐに連絡してください。",
                "Your password was changed. If this was not you, contact us at once.",
            ),
            OwnerNotice::FactorChanged { .. } => Text::new(
                "二要素認証の設定が変更されました。心当たりがない場合はすぐに連絡してください。",
                "Your second-factor settings changed. If this was not you, contact us at once.",
            ),
            OwnerNotice::PasswordRightSecondFactorFailed { .. } => Text::new(
                "正しいパスワードでログインが試みられましたが、二要素認証で失敗しました。パスワードが漏れている恐れがあります。変更してください。",
                "Someone used your correct password but failed the second factor. Your password may have leaked; change it.",
            ),
            OwnerNotice::NewDevice { .. } => Text::new(
                "新しい端末からログインがありました。",
                "Your account was signed in from a new device.",
            ),
            OwnerNotice::DisabledForInactivity { .. } => Text::new(
                "長期間利用がないため、アカウントを無効にしました。",
                "Your account was disabled because it was not used for a long time.",
            ),
            OwnerNotice::CredentialsExposed => Text::new(
                "お使いのIDとパスワードが漏えいした恐れがあります。パスワードの再設定が必要です。同じパスワードを使っている他のサービスも変更してください。",
                "Your ID and password may have leaked. You must reset your password; change it on other services where you reused it too.",
            ),
            OwnerNotice::ResetRequested => Text::new(
                "パスワード再設定の依頼を受け付けました。",
                "A password reset was requested.",
            ),
            OwnerNotice::GridCardReissued => Text::new(
                "乱数表を使い切ったため、新しい乱数表を発行しました。",
                "Your grid card was used up; a new one was issued.",
            ),
        }
    }
}

/// Delivers events and owner notices (log, SIEM, mail, push — not this crate's job).
pub trait Notifier: Send + Sync {
    /// A security event.
    fn event(&self, event: &AuthEvent);
    /// A notice for the owner of `user`.
    fn notify_owner(&self, user: &str, notice: &OwnerNotice, time: OffsetDateTime);
}

/// A notifier that keeps everything in memory (tests, simulations).
#[derive(Debug, Default)]
pub struct MemoryNotifier {
    events: Mutex<Vec<AuthEvent>>,
    notices: Mutex<Vec<(String, OwnerNotice)>>,
}

impl MemoryNotifier {
    /// All events so far.
    pub fn events(&self) -> Vec<AuthEvent> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
    /// All owner notices so far, with the user they were for.
    pub fn notices(&self) -> Vec<(String, OwnerNotice)> {
        self.notices
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Notifier for MemoryNotifier {
    fn event(&self, event: &AuthEvent) {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event.clone());
    }
    fn notify_owner(&self, user: &str, notice: &OwnerNotice, _time: OffsetDateTime) {
        self.notices
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((user.to_string(), notice.clone()));
    }
}

/// Writes each event as one JSON line (the [`AuthEvent`] fields) and each owner
/// notice as `{"time":…,"user":…,"notice":…}`: for a SIEM, `mamori scan`, or the
/// evidence attached to a police report. Write failures are counted, not raised.
#[derive(Debug)]
pub struct JsonLinesNotifier<W: std::io::Write + Send> {
    out: Mutex<W>,
    failures: std::sync::atomic::AtomicU64,
}

impl<W: std::io::Write + Send> JsonLinesNotifier<W> {
    /// Writes to `out` (a file, a pipe, a buffer).
    pub fn new(out: W) -> Self {
        JsonLinesNotifier {
            out: Mutex::new(out),
            failures: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Lines that could not be written.
    pub fn write_failures(&self) -> u64 {
        self.failures.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The writer back (to read a buffer in tests).
    pub fn into_inner(self) -> W {
        self.out.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn line(&self, v: &impl Serialize) {
        let ok = serde_json::to_vec(v).is_ok_and(|mut bytes| {
            bytes.push(b'\n');
            let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
            out.write_all(&bytes).and_then(|()| out.flush()).is_ok()
        });
        if !ok {
            self.failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

#[derive(Serialize)]
struct NoticeLine<'a> {
    #[serde(with = "time::serde::rfc3339")]
    time: OffsetDateTime,
    user: &'a str,
    #[serde(flatten)]
    notice: &'a OwnerNotice,
}

impl<W: std::io::Write + Send> Notifier for JsonLinesNotifier<W> {
    fn event(&self, event: &AuthEvent) {
        self.line(event);
    }
    fn notify_owner(&self, user: &str, notice: &OwnerNotice, time: OffsetDateTime) {
        self.line(&NoticeLine { time, user, notice });
    }
}

/// A notifier that drops everything (benchmarks).
#[derive(Debug, Default, Clone, Copy)]
pub struct NullNotifier;

impl Notifier for NullNotifier {
    fn event(&self, _event: &AuthEvent) {}
    fn notify_owner(&self, _user: &str, _notice: &OwnerNotice, _time: OffsetDateTime) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_json_uses_scan_taxonomy_words() {
        let e = AuthEvent {
            time: time::macros::datetime!(2026-11-25 10:00:00 UTC),
            kind: EventKind::AuthFailure,
            attack: Some(Attack::CredentialStuffing),
            source: Some("203.0.113.7".parse().unwrap()),
            user: Some("taro".into()),
            reason: "bad_password".into(),
        };
        let v: serde_json::Value = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "auth_failure");
        assert_eq!(v["attack"], "credential_stuffing");
        assert_eq!(v["time"], "2026-11-25T10:00:00Z");
        assert_eq!(v["source"], "203.0.113.7");
        assert_eq!(v["user"], "taro");
    }

    #[test]
    fn json_lines_notifier_writes_one_line_each() {
        let n = JsonLinesNotifier::new(Vec::new());
        let t = time::macros::datetime!(2026-11-25 10:00:00 UTC);
        n.event(&AuthEvent {
            time: t,
            kind: EventKind::AuthSuccess,
            attack: None,
            source: None,
            user: Some("taro".into()),
            reason: "ok".into(),
        });
        n.notify_owner("taro", &OwnerNotice::NewDevice { source: None }, t);
        assert_eq!(n.write_failures(), 0);
        let text = String::from_utf8(n.into_inner()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["kind"], "auth_success");
        assert_eq!(lines[1]["notice"], "new_device");
        assert_eq!(lines[1]["user"], "taro");
        assert_eq!(lines[1]["time"], "2026-11-25T10:00:00Z");
    }
}
