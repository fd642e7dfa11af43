//! Terminal-safe text: no control or bidi character survives, clean text is
//! untouched.

use mamori_core::{escape_controls, escape_lines};
use proptest::prelude::*;

fn dangerous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn escapes_esc_c1_and_bidi_overrides() {
    assert_eq!(
        escape_controls("a\x1b]0;title\x07b"),
        "a\\x1b]0;title\\x07b"
    );
    assert_eq!(escape_controls("\u{9b}31m"), "\\x9b31m");
    assert_eq!(
        escape_controls("x\u{2066}y\u{2069}"),
        "x\\u{2066}y\\u{2069}"
    );
    assert_eq!(escape_controls("tab\there\nnext"), "tab\\x09here\\x0anext");
    assert_eq!(escape_lines("one\x1b\ntwo\r\n"), "one\\x1b\ntwo\\x0d\n");
}

proptest! {
    #[test]
    fn nothing_dangerous_survives(s in any::<String>()) {
        let e = escape_controls(&s);
        prop_assert!(!e.chars().any(dangerous), "{e:?}");
        let l = escape_lines(&s);
        prop_assert!(!l.chars().any(|c| c != '\n' && dangerous(c)));
        prop_assert_eq!(l.matches('\n').count(), s.matches('\n').count());
    }

    #[test]
    fn clean_text_is_unchanged(s in "[^\\p{Cc}\u{61c}\u{200e}\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}]*") {
        let e = escape_controls(&s);
        prop_assert_eq!(e.as_ref(), s.as_str());
    }
}
