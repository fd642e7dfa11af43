//! The small template approach: `format!` with an escaping helper, one layout, no
//! JavaScript. Japanese first; every string has its English twin beside it.

use axum::response::Html;
use mamori_core::Lang;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Picks the text for the language.
pub fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// Display preferences, from cookies.
#[derive(Debug, Clone, Copy)]
pub struct Prefs {
    /// Language.
    pub lang: Lang,
    /// Large-text mode.
    pub large: bool,
}

/// The signed-in part of the header.
#[derive(Debug)]
pub struct Nav<'a> {
    /// Display name.
    pub name: &'a str,
    /// Is a platform administrator.
    pub admin: bool,
    /// CSRF token for the sign-out form.
    pub csrf: &'a str,
}

/// A hidden CSRF field.
pub fn csrf_field(token: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(token)
    )
}

/// The layout.
pub fn page(
    lang: Lang,
    large: bool,
    title: &str,
    nav: Option<&Nav<'_>>,
    body: &str,
) -> Html<String> {
    let (code, other, other_label) = match lang {
        Lang::Ja => ("ja", "en", "English"),
        Lang::En => ("en", "ja", "日本語"),
    };
    let size_label = if large {
        t(lang, "標準の文字サイズ", "Normal text")
    } else {
        t(lang, "文字を大きく", "Larger text")
    };
    let nav_html = match nav {
        Some(n) => format!(
            r#"<nav aria-label="{menu}"><ul><li><a href="/">{home}</a></li><li><a href="/orgs">{orgs}</a></li><li><a href="/me/history">{hist}</a></li><li><a href="/me">{totp}</a></li>{admin}</ul>
<form method="post" action="/logout" class="inline">{csrf}<span>{name}</span> <button type="submit">{out}</button></form></nav>"#,
            menu = t(lang, "メニュー", "Menu"),
            home = t(lang, "ホーム", "Home"),
            orgs = t(lang, "組織", "Organizations"),
            hist = t(lang, "自分のアクセス履歴", "My access history"),
            totp = t(lang, "アカウント", "Account"),
            admin = if n.admin {
                format!(
                    r#"<li><a href="/admin">{}</a></li>"#,
                    t(lang, "管理", "Admin")
                )
            } else {
                String::new()
            },
            csrf = csrf_field(n.csrf),
            name = esc(n.name),
            out = t(lang, "ログアウト", "Sign out"),
        ),
        None => String::new(),
    };
    Html(format!(
        r##"<!doctype html>
<html lang="{code}"{large_class}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — 守り Mamori</title><link rel="stylesheet" href="/static/app.css"></head>
<body><a class="skip" href="#main">{skip}</a>
<header><p class="brand">守り Mamori</p>{nav_html}
<p class="prefs"><a href="/prefs?lang={other}" lang="{other}">{other_label}</a> · <a href="/prefs?large={toggle}">{size_label}</a></p></header>
<main id="main"><h1>{title}</h1>
{body}
</main></body></html>"##,
        large_class = if large { r#" class="large""# } else { "" },
        title = esc(title),
        skip = t(lang, "本文へ移動", "Skip to content"),
        toggle = if large { "0" } else { "1" },
    ))
}

/// The stylesheet: WCAG AA contrast (text #1a1a1a on #fff, links #0b4f9c), visible
/// focus, a large-text mode.
pub const CSS: &str = r#"html{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;font-size:100%;color:#1a1a1a;background:#fff;line-height:1.6}
html.large{font-size:137.5%}
body{max-width:60rem;margin:0 auto;padding:1rem}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #b35900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{border-bottom:2px solid #0b4f9c;margin-bottom:1rem}.brand{font-weight:bold;font-size:1.25rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}.inline{display:inline}
label{display:block;font-weight:bold;margin-top:.75rem}input,select{font-size:1rem;padding:.4rem;border:1px solid #555;min-width:18rem}
button{font-size:1rem;padding:.5rem 1rem;margin-top:.75rem;background:#0b4f9c;color:#fff;border:0;border-radius:4px;cursor:pointer}
.notice{background:#eef4fb;border-left:4px solid #0b4f9c;padding:.75rem}.error{background:#fdecea;border-left:4px solid #a4262c;padding:.75rem}
.secret{font-family:monospace;background:#f3f3f3;padding:.5rem;word-break:break-all}
table{border-collapse:collapse}th,td{border:1px solid #767676;padding:.3rem .6rem;text-align:left}
"#;
