//! Properties over arbitrary input: no panics on what users type, normalisation is
//! stable, and the policy's length rule is exactly the code-point count.

use mamori_guard::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn username_normalisation_is_idempotent(raw in "\\PC{0,40}") {
        let r = UsernameRules { strip_plus_alias: true, dotless_domains: vec!["gmail.com".into()] };
        let once = r.normalize(&raw);
        prop_assert_eq!(r.normalize(&once), once);
    }

    #[test]
    fn policy_never_panics_and_length_rule_matches_code_points(pw in "\\PC{0,80}", second in any::<bool>()) {
        let p = PasswordPolicy::default();
        let ctx = PolicyContext { user: Some("taro"), display_name: Some("山田 太郎"), with_second_factor: second, previous_phcs: &[] };
        let r = p.check(&pw, &ctx, None, None).unwrap();
        let len = password_length(&pw);
        let min = if second { 8 } else { 15 };
        prop_assert_eq!(matches!(r, Some(Refusal::TooShort { .. })), len < min);
    }

    #[test]
    fn totp_matching_never_panics(code in "\\PC{0,12}", t in 0i64..4_000_000_000) {
        let at = time::OffsetDateTime::from_unix_timestamp(t).unwrap();
        let _ = Totp::default().matching_step(b"12345678901234567890", &code, at);
    }
}
