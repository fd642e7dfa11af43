//! Throughput of the pre-filter plus engine over a combined-format access log on
//! one thread: `cargo run --release -p mamori-crs --example crs_throughput -- LOG [DIR]`.
//! (The request fields are cut out naively at the quotes; `mamori scan` uses the real
//! parsers. The criterion figures are in `bench/benches/crs.rs`.)

use mamori_crs::{Request, RuleSet};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let log = args.next().ok_or("usage: crs_throughput LOG [DIR]")?;
    let dir = args
        .next()
        .unwrap_or_else(|| "/usr/share/modsecurity-crs/rules".into());
    let crs = RuleSet::load_dir(dir.as_ref(), 1)?;
    let data = std::fs::read(&log)?;
    let start = Instant::now();
    let (mut lines, mut slow, mut flagged) = (0u64, 0u64, 0u64);
    for line in data.split(|&b| b == b'\n') {
        let q: Vec<&[u8]> = line.split(|&b| b == b'"').collect();
        if q.len() < 6 {
            continue;
        }
        lines += 1;
        let mut req_line = q[1].splitn(3, |&b| b == b' ');
        let req = Request {
            method: req_line.next().unwrap_or(b""),
            uri: req_line.next().unwrap_or(b""),
            protocol: req_line.next().unwrap_or(b""),
            referer: Some(q[3]).filter(|r| *r != b"-"),
            user_agent: Some(q[5]).filter(|r| *r != b"-"),
        };
        if crs.may_match(&req) {
            slow += 1;
            if crs.evaluate(&req).attack {
                flagged += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{lines} lines, {} MB in {secs:.3} s = {:.0} MB/s on one thread; {slow} evaluated, {flagged} flagged",
        data.len() / 1_000_000,
        data.len() as f64 / 1e6 / secs
    );
    Ok(())
}
