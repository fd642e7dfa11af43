//! # mamori-guard
//!
//! Login protection for Japanese operators (守り): it stops password guessing,
//! credential stuffing (リスト型攻撃) and logins with phished passwords, and gives the
//! owner of an account the notices and the history the guidelines ask for
//! (R-3.2–R-3.4, R-4.3–R-4.5).
//!
//! The crate is a library with no HTTP and no database. It takes:
//! a [`GuardStore`] (atomic state: counters, accounts, single-use marks, reset tokens,
//! the credential-stuffing window and alert;
//! [`MemoryStore`] here, the platform's SQL store and a Redis store elsewhere),
//! a [`Notifier`] (security events and owner notices), a [`Clock`] and a
//! [`SecureRandom`]. The same [`Guard`] serves the platform's own login
//! (`mamori serve`) and a forward-auth service in front of any website.
//!
//! | concern | module / entry point |
//! |---|---|
//! | Argon2id PHC hashing, pepper, NFKC, rehash | [`PasswordHasher`] |
//! | policy with reasons (NIST SP 800-63B-4) | [`PasswordPolicy`], [`Refusal`] |
//! | common-password list, Japanese words, HIBP range files | [`common_rank`], [`HibpRangeDir`] |
//! | TOTP (RFC 6238) with replay detection | [`Totp`], [`SecondFactor::Totp`] |
//! | passkeys (WebAuthn) | [`PasskeyService`], [`Guard::begin_passkey_login`] |
//! | 乱数表 grid cards | [`gridcard`], [`Guard::issue_grid_card`] |
//! | recovery codes | [`Guard::issue_recovery_codes`] |
//! | throttling without lockout-DoS | [`ThrottleConfig`], [`CounterRule`] |
//! | passwordless login with a passkey | [`Guard::login_with_passkey`] |
//! | credential-stuffing signal | [`StuffingDetector`], [`AuthEvent`], [`JsonLinesNotifier`] |
//! | hygiene: previous login, failed attempts since, new device, inactivity, leaks, usage record | [`LoginSuccess`], [`Guard::disable_inactive`], [`Guard::mark_exposed`], [`Guard::usage_records`] |
//! | state store seam and its conformance suite | [`GuardStore`], [`MemoryStore`], [`check_store`] |
//! | configuration (file settings apart from secrets) | [`GuardConfig`], [`GuardSettings`] |
//! | events as JSON lines | [`JsonLinesNotifier`] |
//! | reset (reissue) | [`Guard::request_reset`], [`Guard::complete_reset`] |
//! | security-level guide per sector | [`advise`] |
//!
//! The API is synchronous: a login costs one Argon2id hash (tens of milliseconds of
//! CPU), so an async server calls [`Guard::login`] inside
//! `tokio::task::spawn_blocking`, and an async store (sqlx, Redis) implements the
//! synchronous [`GuardStore`] with `Handle::block_on` on that blocking thread.
//! Run [`check_store`] against every new store.
//!
//! Architecture invariants: the library never reads the wall clock (clippy bans
//! it); every refusal that comes from a counter is decided before any password hash
//! is computed; secrets (passwords, codes, tokens) are never logged or put in events.
//!
//! ## Adding the guard to a site
//!
//! ```
//! use mamori_guard::*;
//! use std::sync::Arc;
//!
//! // The binary passes a wall clock; tests and this example use a manual one.
//! let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
//! let notifier = Arc::new(MemoryNotifier::default());
//! let config = GuardConfig::new("example-shop", [7; 32]) // grid-card key from a secret store
//!     .insecure_fast_hashing(); // tests only: production keeps the OWASP default
//! let guard = Guard::new(
//!     config,
//!     Arc::new(MemoryStore::new()),
//!     notifier.clone(),
//!     Arc::new(clock.clone()),
//!     Arc::new(OsRandom),
//! )?;
//!
//! // Registration: the policy refuses guessable passwords and says why.
//! let refused = guard.create_account("taro@example.jp", "山田 太郎", "sakura2024")?.unwrap_err();
//! assert!(matches!(refused, Refusal::TooShort { min: 15, .. }));
//! println!("{}", refused.message(mamori_core::Lang::Ja));
//! guard.create_account("taro@example.jp", "山田 太郎", "violet lantern gravel orbit")?.unwrap();
//!
//! // Login: the outcome says what to show; a success carries the previous login.
//! let source = "198.51.100.7".parse()?;
//! let outcome = guard.login(&LoginAttempt::new("ＴＡＲＯ@example.jp", "violet lantern gravel orbit", source))?;
//! let LoginOutcome::Success(s) = outcome else { panic!("{outcome:?}") };
//! assert_eq!(s.previous_login, None); // first login
//! let _cookie = s.new_device_token;   // set it: this device keeps a way in during attacks
//!
//! // Failures are throttled: after three, delays start, and no hash is computed.
//! for _ in 0..4 {
//!     guard.login(&LoginAttempt::new("taro@example.jp", "a wrong guess here", source))?;
//! }
//! let o = guard.login(&LoginAttempt::new("taro@example.jp", "a wrong guess again", source))?;
//! assert!(matches!(o, LoginOutcome::Throttled { .. }));
//!
//! // Every attempt is an event in `mamori scan`'s words, ready for a report.
//! let line = serde_json::to_string(&notifier.events()[0])?;
//! assert!(line.contains(r#""kind":"auth_success""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Second factors
//!
//! ```
//! use mamori_guard::*;
//! use std::sync::Arc;
//! # let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
//! # let guard = Guard::new(GuardConfig::new("example-shop", [7; 32]).insecure_fast_hashing(),
//! #     Arc::new(MemoryStore::new()), Arc::new(NullNotifier), Arc::new(clock.clone()), Arc::new(OsRandom))?;
//! # guard.create_account("hanako", "Hanako", "quiet harbour copper kettle")?.unwrap();
//! let ip = "198.51.100.7".parse()?;
//! // TOTP: show `setup.uri` as a QR code, store it once the app's first code is right.
//! let setup = guard.begin_totp("hanako");
//! let secret = data_encoding::BASE32_NOPAD.decode(setup.secret_base32.as_bytes())?;
//! let code = Totp::default().code_at(&secret, clock.now());
//! assert!(guard.confirm_totp("hanako", &setup, &code)?);
//!
//! // Grid card (乱数表) and recovery codes: print or show once; stored only hashed.
//! let card = guard.issue_grid_card("hanako")?;
//! println!("{}", card.render());
//! let recovery = guard.issue_recovery_codes("hanako")?;
//!
//! // The password alone now asks for a factor…
//! let o = guard.login(&LoginAttempt::new("hanako", "quiet harbour copper kettle", ip))?;
//! assert!(matches!(o, LoginOutcome::SecondFactorRequired { .. }));
//! // …which comes with the next attempt. Each code works once.
//! let mut a = LoginAttempt::new("hanako", "quiet harbour copper kettle", ip);
//! a.second_factor = Some(SecondFactor::RecoveryCode(&recovery[0]));
//! assert!(matches!(guard.login(&a)?, LoginOutcome::Success(_)));
//! assert_eq!(guard.login(&a)?, LoginOutcome::Failed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Passkeys: build a [`PasskeyService`] for the site's origin, pass it with
//! [`Guard::with_passkeys`], then run [`Guard::begin_passkey_registration`] /
//! [`Guard::finish_passkey_registration`] once and [`Guard::begin_passkey_login`] /
//! [`Guard::finish_passkey_login`] at each login; the returned [`PasskeyVerified`]
//! goes in [`SecondFactor::Passkey`]. The integration tests run both ceremonies
//! against a software authenticator.
//!
//! ## Leaks, inactivity and resets
//!
//! ```
//! use mamori_guard::*;
//! use std::sync::{Arc, Mutex};
//! # let clock = ManualClock::new(time::macros::datetime!(2026-04-01 09:00 UTC));
//! # let guard = Guard::new(GuardConfig::new("example-shop", [7; 32]).insecure_fast_hashing(),
//! #     Arc::new(MemoryStore::new()), Arc::new(NullNotifier), Arc::new(clock.clone()), Arc::new(OsRandom))?;
//! # guard.create_account("jiro", "Jiro", "quiet harbour copper kettle")?.unwrap();
//! // A leaked list names our users: force a reset and tell them (R-3.3).
//! assert_eq!(guard.mark_exposed(["jiro", "not-a-user"])?, 1);
//!
//! // Reset: the token goes to the owner's channel; the answer is the same for
//! // unknown names; a second factor, when enrolled, is still required.
//! struct Mail(Mutex<Option<String>>);
//! impl ResetDelivery for Mail {
//!     fn deliver(&self, _user: &str, token: &str) { *self.0.lock().unwrap() = Some(token.into()); }
//! }
//! let mail = Mail(Mutex::new(None));
//! guard.request_reset("jiro", "", &PossessionOfChannel, &mail)?;
//! let token = mail.0.lock().unwrap().take().unwrap();
//! let done = guard.complete_reset(&token, "new river stone melody", None, "198.51.100.7".parse()?)?;
//! assert_eq!(done, ResetOutcome::Done);
//!
//! // Long-unused accounts: run daily.
//! clock.advance(time::Duration::days(400));
//! assert_eq!(guard.disable_inactive()?, vec!["jiro".to_string()]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## The guide per sector
//!
//! ```
//! use mamori_guard::advise::{advice, Sector};
//! let ec = advice(Sector::Ec);
//! println!("{}", ec.render(mamori_core::Lang::Ja));
//! assert_eq!(ec.aal, 2);
//! ```

mod account;
pub mod advise;
mod cli_support;
mod config;
mod conformance;
mod corpus;
mod env;
mod error;
mod event;
mod factors;
pub mod gridcard;
mod guard;
mod hygiene;
mod outcome;
mod password;
mod policy;
mod recovery;
mod reset;
mod store;
mod stuffing;
mod success;
mod throttle;
mod totp;
mod username;
mod webauthn;

pub use account::*;
pub use cli_support::*;
pub use config::*;
pub use conformance::check_store;
pub use corpus::*;
pub use env::*;
pub use error::*;
pub use event::*;
pub use factors::*;
pub use guard::{Guard, RECENT_LOGINS};
pub use hygiene::{ChangeOutcome, Reauth};
pub use outcome::*;
pub use password::*;
pub use policy::*;
pub use recovery::*;
pub use reset::*;
pub use store::*;
pub use stuffing::*;
pub use throttle::{ThrottleConfig, canonical_ip, network_of};
pub use totp::*;
pub use username::*;
pub use webauthn::*;
