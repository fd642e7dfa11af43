//! Which access-log lines reach the CRS engine, and what it makes of them: a
//! diagnostic for tuning `mamori-crs`'s pre-filter on real logs.
//!
//! ```text
//! cargo run --release -p mamori-detect --example crs_passes -- access.log [CRS_DIR] > passed.tsv
//! ```
//! Prints, per line the pre-filter passes, `line<TAB>verdict<TAB>rule ids<TAB>request`,
//! and on stderr the counts and the time spent in the pre-filter and in the engine.
//! With `MAMORI_FILTER_ONLY=1` the engine is not run (to profile the pre-filter).

use mamori_crs::{Request, RuleSet};
use mamori_detect::format::clf;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let log = args.next().ok_or("usage: crs_passes LOG [CRS_DIR]")?;
    let dir = args
        .next()
        .unwrap_or_else(|| "/usr/share/modsecurity-crs/rules".into());
    let crs = RuleSet::load_dir(dir.as_ref(), 1)?;
    // MAMORI_FILTER_ONLY=1: time the pre-filter alone (for a profiler).
    let filter_only = std::env::var_os("MAMORI_FILTER_ONLY").is_some();
    let input = std::io::BufReader::new(std::fs::File::open(&log)?);
    let out = std::io::stdout();
    let mut out = out.lock();
    let (mut lines, mut passed, mut flagged) = (0u64, 0u64, 0u64);
    let (mut t_filter, mut t_engine) = (Duration::ZERO, Duration::ZERO);
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let Ok(rec) = clf::parse(&line) else { continue };
        lines += 1;
        let req = Request {
            method: rec.method,
            uri: rec.uri,
            protocol: rec.protocol,
            user_agent: (!rec.user_agent.is_empty()).then_some(rec.user_agent),
            referer: (!rec.referer.is_empty()).then_some(rec.referer),
        };
        let t = Instant::now();
        let pass = crs.may_match(&req);
        t_filter += t.elapsed();
        passed += u64::from(pass);
        if !pass || filter_only {
            continue;
        }
        let t = Instant::now();
        let e = crs.evaluate(&req);
        t_engine += t.elapsed();
        flagged += u64::from(e.attack);
        let ids: Vec<String> = e.matches.iter().map(|m| m.id.to_string()).collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{} {}",
            n + 1,
            if e.attack { "attack" } else { "-" },
            ids.join(","),
            String::from_utf8_lossy(rec.method),
            String::from_utf8_lossy(rec.uri)
        )?;
    }
    eprintln!(
        "{lines} lines, {passed} passed the pre-filter ({:.2} %), {flagged} flagged; pre-filter {:.3} s, engine {:.3} s ({:.1} µs per evaluated request)",
        100.0 * passed as f64 / lines.max(1) as f64,
        t_filter.as_secs_f64(),
        t_engine.as_secs_f64(),
        t_engine.as_secs_f64() * 1e6 / passed.max(1) as f64
    );
    Ok(())
}
