//! Where a combined (nginx/Apache) access log's per-line time goes in `mamori scan`'s
//! built-in path, one stage at a time, on one thread, on the log's first MiB.
//!
//! ```text
//! cargo run --release -p mamori-bench --example scan_stages -- access-1G.log [MiB] [rounds]
//! ```
//!
//! Each stage includes the ones above it: splitting the lines, parsing them, classifying
//! the requests (the built-in patterns and the per-thread memories), and the whole chunk
//! parser the scan runs on its threads. The first round fills the memories; the later
//! ones show a long scan's steady state. Micro-benchmarks (`benches/parsers.rs`) repeat
//! one line from the cache; this reads real lines from memory, which is what the scan
//! does (BENCHMARKS.md, "fifth session").

use mamori_detect::chunk::ChunkParser;
use mamori_detect::classify::HttpClassifier;
use mamori_detect::format::{Format, ParseContext, clf};
use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: scan_stages <access log> [MiB, default 64] [rounds, default 3]")?;
    let mib: u64 = args.next().map_or(Ok(64), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let mut data = Vec::new();
    std::fs::File::open(&path)?
        .take(mib << 20)
        .read_to_end(&mut data)?;
    let whole = memchr::memrchr(b'\n', &data).map_or(0, |i| i + 1);
    let data = &data[..whole];
    let lines = memchr::memchr_iter(b'\n', data).count().max(1);
    let classifier = HttpClassifier::new(&mamori_detect::Config::default())?;
    let ctx = ParseContext::default();
    let chunks = ChunkParser {
        format: Format::Clf,
        ctx: &ctx,
        classifier: &classifier,
        file: 0,
        mixed: true,
    };
    let each_line = |f: &mut dyn FnMut(&[u8])| {
        let start = Instant::now();
        let mut from = 0;
        for nl in memchr::memchr_iter(b'\n', data) {
            f(black_box(&data[from..nl]));
            from = nl + 1;
        }
        start.elapsed()
    };
    let per_line = |d: Duration| d.as_nanos() as f64 / lines as f64;
    println!("{lines} lines, {} bytes, ns per line:", data.len());
    println!("round  split  +parse  +classify  chunk parser");
    for round in 1..=rounds {
        let split = each_line(&mut |l| {
            black_box(l);
        });
        let parse = each_line(&mut |l| {
            black_box(clf::parse(l).is_ok());
        });
        let classify = each_line(&mut |l| {
            if let Ok(r) = clf::parse(l) {
                black_box(classifier.classify(&r));
            }
        });
        let start = Instant::now();
        for chunk in data.chunks(4 << 20) {
            black_box(chunks.parse(chunk, 1));
        }
        let chunk = start.elapsed();
        println!(
            "{round:>5} {:>6.0} {:>7.0} {:>10.0} {:>13.0}",
            per_line(split),
            per_line(parse),
            per_line(classify),
            per_line(chunk)
        );
    }
    Ok(())
}
