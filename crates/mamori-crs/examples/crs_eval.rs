//! Evaluates CRS on request targets read from standard input (one per line:
//! `METHOD URI [UA]`), printing the matches. `cargo run -p mamori-crs --example crs_eval`.

use mamori_crs::{Request, RuleSet};
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/share/modsecurity-crs/rules".into());
    let pl: u8 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let crs = RuleSet::load_dir(dir.as_ref(), pl)?;
    let st = crs.stats();
    eprintln!(
        "CRS {}: {} loaded, {} skipped, {} ignored",
        crs.version().unwrap_or("?"),
        st.loaded,
        st.skipped,
        st.ignored_directives
    );
    if std::env::var_os("CRS_WARNINGS").is_some() {
        for w in &st.warnings {
            eprintln!("  {} {:?}: {}", w.at, w.id, w.message);
        }
    }
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut parts = line.splitn(3, ' ');
        let method = parts.next().unwrap_or("GET");
        let uri = parts.next().unwrap_or("/");
        let ua = parts.next();
        let req = Request {
            method: method.as_bytes(),
            uri: uri.as_bytes(),
            protocol: b"HTTP/1.1",
            user_agent: Some(ua.unwrap_or("Mozilla/5.0").as_bytes()),
            referer: None,
        };
        let pre = crs.may_match(&req);
        let ev = crs.evaluate(&req);
        println!(
            "{} pre={pre} score={} {}",
            if ev.attack { "ATTACK" } else { "ok    " },
            ev.score,
            line
        );
        for m in &ev.matches {
            println!("    {} {:?} {} | {}", m.id, m.severity, m.msg, m.data);
        }
    }
    Ok(())
}
