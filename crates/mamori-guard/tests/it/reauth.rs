//! Re-authentication before changing sign-in factors (issue 15): the password, or a
//! TOTP code when one is enrolled; guesses are counted like sign-ins.

use crate::common::*;
use mamori_guard::*;

#[test]
fn reauthentication_takes_the_password_or_a_totp_code_and_is_throttled() {
    let h = harness();
    h.user("hanako");
    let from = ip("192.0.2.1");
    assert_eq!(
        h.guard.reauthenticate("hanako", GOOD_PW, from).unwrap(),
        Reauth::Verified
    );
    assert_eq!(
        h.guard
            .reauthenticate("hanako", "not the password", from)
            .unwrap(),
        Reauth::Wrong
    );
    assert_eq!(
        h.guard.reauthenticate("nobody", GOOD_PW, from).unwrap(),
        Reauth::Wrong
    );
    let secret = enrol_totp(&h, "hanako");
    let code = Totp::default().code_at(&secret, h.clock.now());
    assert_eq!(
        h.guard.reauthenticate("hanako", &code, from).unwrap(),
        Reauth::Verified
    );
    assert_eq!(
        h.guard.reauthenticate("hanako", &code, from).unwrap(),
        Reauth::Wrong,
        "a code works once"
    );
    // Guessing the password here is slowed down like guessing it at sign-in.
    let mut throttled = false;
    for _ in 0..20 {
        if let Reauth::Throttled { retry_after_secs } = h
            .guard
            .reauthenticate("hanako", "a wrong guess again", from)
            .unwrap()
        {
            assert!(retry_after_secs > 0);
            throttled = true;
            break;
        }
    }
    assert!(throttled, "guesses are throttled");
}
