//! The end of every successful login, whatever the factors: counters, the previous
//! login, device tokens, grid-card reissue, notices and events. Also the passkey-first
//! (passwordless) login.

use crate::account::{Account, AccountStatus, LoginRecord};
use crate::error::{GuardError, Result};
use crate::event::{EventKind, OwnerNotice};
use crate::guard::{Guard, RECENT_LOGINS, device_digest};
use crate::outcome::{LoginOutcome, LoginSuccess};
use crate::stuffing::AttemptSignal;
use crate::throttle::{account_key, canonical_ip, ip_key, net_key};
use crate::webauthn::PasskeyVerified;
use std::net::IpAddr;
use time::OffsetDateTime;

impl Guard {
    /// Logs in with a passkey alone (passwordless, phishing-resistant): run
    /// [`Guard::begin_passkey_login`] / [`Guard::finish_passkey_login`] first. Address
    /// and network limits apply; the password counters do not (an attacker guessing
    /// the password cannot lock the owner out of this path).
    pub fn login_with_passkey(
        &self,
        proof: &PasskeyVerified,
        source: IpAddr,
        device_token: Option<&str>,
    ) -> Result<LoginOutcome> {
        let now = self.clock.now();
        let ip = canonical_ip(source);
        let user = proof.user().to_string();
        if self.source_throttled(ip, &user, now)?.is_some() {
            return Ok(LoginOutcome::Throttled {
                retry_after_secs: 60,
            });
        }
        let acc = self
            .store
            .account(&user)?
            .ok_or(GuardError::NoSuchAccount)?;
        if acc.status != AccountStatus::Active {
            self.event(
                now,
                EventKind::AuthFailure,
                None,
                ip,
                &user,
                "account_disabled",
            );
            return Ok(LoginOutcome::Disabled);
        }
        let known = device_token
            .map(device_digest)
            .is_some_and(|d| acc.known_devices.contains(&d));
        self.succeed(acc, &user, ip, now, None, false, known)
    }

    /// Books a successful login. `cleared` is the counter this login went through
    /// (cleared now); `counted` whether this attempt was counted on it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn succeed(
        &self,
        mut acc: Account,
        user: &str,
        ip: IpAddr,
        now: OffsetDateTime,
        cleared: Option<&str>,
        counted: bool,
        known_device: bool,
    ) -> Result<LoginOutcome> {
        let count = |k: &str| -> Result<u32> { Ok(self.store.peek(k)?.map_or(0, |s| s.count)) };
        let mut failed_attempts = match cleared {
            Some(k) => count(k)?.saturating_sub(u32::from(counted)),
            None => 0,
        };
        if cleared != Some(account_key(user).as_str()) {
            failed_attempts += count(&account_key(user))?;
        }
        if let Some(k) = cleared {
            self.store.clear(k)?;
        }
        self.store.decrement(&ip_key(ip))?;
        self.store.decrement(&net_key(ip))?;
        let previous_login = acc.last_login.replace(LoginRecord {
            time: now,
            source: Some(ip),
        });
        acc.recent_logins.insert(
            0,
            LoginRecord {
                time: now,
                source: Some(ip),
            },
        );
        acc.recent_logins.truncate(RECENT_LOGINS);
        let cfg = &self.config.stuffing;
        acc.remember_network(
            crate::stuffing::stepup_network(ip),
            now,
            now - time::Duration::days(cfg.known_network_days),
            cfg.known_networks_max,
        );
        let new_device_token = if !known_device {
            let token = data_encoding::BASE64URL_NOPAD
                .encode(&crate::env::random_bytes::<32>(self.rng.as_ref()));
            acc.known_devices.insert(0, device_digest(&token));
            acc.known_devices.truncate(self.config.remember_devices);
            if previous_login.is_some() {
                self.notifier
                    .notify_owner(user, &OwnerNotice::NewDevice { source: Some(ip) }, now);
            }
            Some(token)
        } else {
            None
        };
        let mut new_grid_card = None;
        if acc.grid_card.as_ref().is_some_and(|g| g.spent()) {
            let (card, state) =
                crate::gridcard::issue(&self.config.grid_card_key, self.rng.as_ref());
            acc.grid_card = Some(state);
            new_grid_card = Some(card);
            self.notifier
                .notify_owner(user, &OwnerNotice::GridCardReissued, now);
        }
        self.store.put_account(&acc)?;
        self.signal(
            now,
            AttemptSignal {
                user,
                failed: false,
                unknown_user: false,
                breached_password: false,
            },
            ip,
        )?;
        self.event(now, EventKind::AuthSuccess, None, ip, user, "ok");
        Ok(LoginOutcome::Success(LoginSuccess {
            user: user.to_string(),
            previous_login,
            failed_attempts,
            new_device_token,
            must_change_password: acc.must_reset,
            new_grid_card,
        }))
    }
}
