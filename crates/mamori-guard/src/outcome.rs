//! The words of a login: the attempt, the second-factor answer, and the outcome.

use crate::account::{FactorKind, LoginRecord};
use crate::gridcard::GridCard;
use crate::webauthn::PasskeyVerified;
use mamori_core::Text;
use std::net::IpAddr;

/// A second-factor answer sent with a login. `Debug` hides the code.
#[derive(Clone)]
pub enum SecondFactor<'a> {
    /// A TOTP code.
    Totp(&'a str),
    /// The digits of the grid-card cells asked.
    GridCard(&'a str),
    /// A recovery code.
    RecoveryCode(&'a str),
    /// A finished WebAuthn assertion.
    Passkey(PasskeyVerified),
}

/// One login attempt. `Debug` hides the password, the device token and codes.
#[derive(Clone)]
pub struct LoginAttempt<'a> {
    /// The name as typed.
    pub username: &'a str,
    /// The password as typed.
    pub password: &'a str,
    /// The client address.
    pub source: IpAddr,
    /// The device token the browser holds from an earlier login (a cookie).
    pub device_token: Option<&'a str>,
    /// A second-factor answer.
    pub second_factor: Option<SecondFactor<'a>>,
    /// The site verified the client another way (CAPTCHA, mail link) during an alert.
    pub step_up_passed: bool,
}

impl<'a> LoginAttempt<'a> {
    /// A plain name-and-password attempt.
    pub fn new(username: &'a str, password: &'a str, source: IpAddr) -> Self {
        LoginAttempt {
            username,
            password,
            source,
            device_token: None,
            second_factor: None,
            step_up_passed: false,
        }
    }
}

/// A successful login. `Debug` hides the device token and the new card.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginSuccess {
    /// The normalised name.
    pub user: String,
    /// The previous login, to show the user.
    pub previous_login: Option<LoginRecord>,
    /// Failed attempts on this account since the last successful login (show it:
    /// "3 failed attempts since your last login").
    pub failed_attempts: u32,
    /// A new device token to set as a cookie (when the device was not known).
    pub new_device_token: Option<String>,
    /// The password must be changed now (leak response or admin).
    pub must_change_password: bool,
    /// The grid card was spent; give the user this new one.
    pub new_grid_card: Option<GridCard>,
}

/// The decision on one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in.
    Success(LoginSuccess),
    /// Wrong name, password or second factor (the same answer for all three).
    Failed,
    /// Too many attempts; try again after this many seconds.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// 100 consecutive failures: only a second factor or a password reset opens the
    /// account now.
    Locked,
    /// The password was right; a second factor is needed.
    SecondFactorRequired {
        /// What the account has.
        methods: Vec<FactorKind>,
        /// Grid-card cells to ask (`C7`, …), when a card is enrolled.
        grid_challenge: Option<Vec<String>>,
    },
    /// An extra step is needed: a credential-stuffing alert is on (send a second
    /// factor, or run the site's own check and set `step_up_passed`), or the site
    /// requires a second factor and this account has none yet (verify the user
    /// another way, then enrol one).
    StepUpRequired,
    /// The account is disabled.
    Disabled,
}

impl LoginOutcome {
    /// What to tell the user.
    pub fn text(&self) -> Text {
        match self {
            LoginOutcome::Success(_) => Text::new("ログインしました。", "You are logged in."),
            LoginOutcome::Failed => Text::new(
                "IDまたはパスワードが正しくありません。",
                "The ID or password is incorrect.",
            ),
            LoginOutcome::Throttled { .. } => Text::new(
                "試行回数が多すぎます。しばらく待ってから再度お試しください。",
                "Too many attempts. Please wait and try again.",
            ),
            LoginOutcome::Locked => Text::new(
                "不正なログインが続いたため、このアカウントは二要素認証またはパスワード再設定でのみログインできます。",
                "After repeated failed logins, this account can only be opened with a second factor or a password reset.",
            ),
            LoginOutcome::SecondFactorRequired { .. } => Text::new(
                "二要素認証のコードを入力してください。",
                "Enter your second-factor code.",
            ),
            LoginOutcome::StepUpRequired => Text::new(
                "現在、不正ログインの試みが多発しているため、追加の確認が必要です。二要素認証（確認コードまたはパスキー）でログインするか、以前ログインしたことのある端末・ネットワークからログインしてください。どちらもできない場合は、30分ほど待ってから再度お試しいただくか、管理者に連絡してください。",
                "Many unauthorized login attempts are under way, so an extra check is required. Sign in with your second factor (a code or a passkey), or from a device or network you have signed in from before. If you cannot, wait about 30 minutes and try again, or contact the administrator.",
            ),
            LoginOutcome::Disabled => Text::new(
                "このアカウントは無効になっています。管理者に連絡してください。",
                "This account is disabled. Contact the administrator.",
            ),
        }
    }
}

const REDACTED: &str = "<redacted>";

impl std::fmt::Debug for SecondFactor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecondFactor::Totp(_) => f.write_str("Totp(<redacted>)"),
            SecondFactor::GridCard(_) => f.write_str("GridCard(<redacted>)"),
            SecondFactor::RecoveryCode(_) => f.write_str("RecoveryCode(<redacted>)"),
            SecondFactor::Passkey(p) => f.debug_tuple("Passkey").field(p).finish(),
        }
    }
}

impl std::fmt::Debug for LoginAttempt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginAttempt")
            .field("username", &self.username)
            .field("password", &REDACTED)
            .field("source", &self.source)
            .field("device_token", &self.device_token.map(|_| REDACTED))
            .field("second_factor", &self.second_factor)
            .field("step_up_passed", &self.step_up_passed)
            .finish()
    }
}

impl std::fmt::Debug for LoginSuccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginSuccess")
            .field("user", &self.user)
            .field("previous_login", &self.previous_login)
            .field("failed_attempts", &self.failed_attempts)
            .field(
                "new_device_token",
                &self.new_device_token.as_ref().map(|_| REDACTED),
            )
            .field("must_change_password", &self.must_change_password)
            .field("new_grid_card", &self.new_grid_card)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let mut a = LoginAttempt::new("taro", "hunter2-secret", "198.51.100.1".parse().unwrap());
        a.device_token = Some("cookie-secret");
        a.second_factor = Some(SecondFactor::Totp("123456"));
        let s = format!("{a:?}");
        assert!(
            !s.contains("hunter2") && !s.contains("cookie-secret") && !s.contains("123456"),
            "{s}"
        );
        assert!(s.contains("taro"));
    }
}
