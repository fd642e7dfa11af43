//! The scan pipeline: inputs → per-file chunk readers → parallel parsing on a thread
//! pool → a time-ordered merge of all files → the [`Engine`].
//!
//! Memory stays flat whatever the input size: each file has at most
//! `inflight` chunks being parsed and a bounded queue of parsed events; files whose
//! first timestamp lies after the merge position (older rotations first, newer
//! later) are opened only when the merge reaches them.

use crate::chunk::{ChunkParser, ChunkResult, MAX_SAMPLES, Malformed};
use crate::classify::HttpClassifier;
use crate::config::{Config, ConfigError};
use crate::engine::{Engine, HourCounts};
use crate::event::Event;
use crate::finding::Finding;
use crate::format::{self, Format, ParseContext, ParseError, SyslogContext};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Where a log comes from.
pub struct Input {
    /// Shown in reports: the path, or `-` for standard input.
    pub name: String,
    /// Opens the raw (possibly compressed) stream.
    pub open: Box<dyn FnOnce() -> io::Result<Box<dyn Read + Send>> + Send>,
    /// Last modification time (epoch seconds): the reference year of BSD syslog.
    pub mtime: Option<i64>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input").field("name", &self.name).finish()
    }
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Rules, thresholds, login endpoints.
    pub config: Config,
    /// Force one format for every input instead of detecting it.
    pub format: Option<Format>,
    /// Parser threads (≥ 1).
    pub threads: usize,
    /// The current time (epoch seconds): the reference year of stdin syslog.
    pub now: i64,
    /// Seconds east of UTC for timestamps that lack an offset.
    pub utc_offset_secs: i64,
    /// Bytes per parse chunk.
    pub chunk_bytes: usize,
    /// Longer lines are cut, counted as malformed and skipped.
    pub max_line_bytes: usize,
    /// Raw bytes read so far, for a progress bar.
    pub progress: Option<Arc<AtomicU64>>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            config: Config::default(),
            format: None,
            threads: 1,
            now: 0,
            utc_offset_secs: 0,
            chunk_bytes: 4 << 20,
            max_line_bytes: 1 << 20,
            progress: None,
        }
    }
}

/// What happened to one input.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The input's name.
    pub name: String,
    /// Its format, when recognised.
    pub format: Option<Format>,
    /// Lines read.
    pub lines: u64,
    /// Lines understood.
    pub parsed: u64,
    /// Lines not understood.
    pub malformed: u64,
    /// The first malformed lines.
    pub samples: Vec<Malformed>,
    /// Security events found.
    pub events: u64,
    /// Earliest and latest time.
    pub time_range: Option<(i64, i64)>,
    /// Why reading stopped early (the results up to there are kept).
    pub error: Option<String>,
    /// The file was skipped because its format was not recognised.
    pub unrecognised: bool,
}

/// The result of a scan.
#[derive(Debug)]
pub struct ScanReport {
    /// Per input, in the order given.
    pub files: Vec<FileReport>,
    /// Findings, most urgent first.
    pub findings: Vec<Finding>,
    /// Events per hour (epoch hour → counts).
    pub timeline: BTreeMap<i64, HourCounts>,
    /// Events by kind over the whole scan.
    pub counts: HourCounts,
}

impl ScanReport {
    /// Earliest and latest time over all files.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        self.files
            .iter()
            .filter_map(|f| f.time_range)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }

    /// Whether any input could not be read to the end.
    pub fn had_errors(&self) -> bool {
        self.files.iter().any(|f| f.error.is_some())
    }
}

/// A scan that could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The configuration is not usable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The thread pool could not start.
    #[error("could not start parser threads: {0}")]
    Threads(String),
}

enum Msg {
    Chunk(ChunkResult),
    End(Option<String>),
}

/// A byte counter around the raw stream: progress, and error offsets in `.gz` files.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
    progress: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(p) = &self.progress {
            p.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// An opened input: decompressed stream, first bytes, format, first timestamp.
struct Opened {
    index: usize,
    reader: Box<dyn Read + Send>,
    raw_read: Arc<AtomicU64>,
    compressed: bool,
    head: Vec<u8>,
    format: Format,
    ctx: Arc<ParseContext>,
    first_time: Option<i64>,
}

const SNIFF_BYTES: usize = 64 * 1024;

fn open_input(
    index: usize,
    input: Input,
    opts: &ScanOptions,
    report: &mut FileReport,
) -> Option<Opened> {
    let raw = match (input.open)() {
        Ok(r) => r,
        Err(e) => {
            report.error = Some(format!("cannot open: {e}"));
            return None;
        }
    };
    let raw_read = Arc::new(AtomicU64::new(0));
    let mut counted = io::BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: raw,
            read: raw_read.clone(),
            progress: opts.progress.clone(),
        },
    );
    let compressed = match io::BufRead::fill_buf(&mut counted) {
        Ok(b) => b.starts_with(&[0x1f, 0x8b]),
        Err(e) => {
            report.error = Some(format!("cannot read: {e}"));
            return None;
        }
    };
    let mut reader: Box<dyn Read + Send> = if compressed {
        Box::new(flate2::bufread::MultiGzDecoder::new(counted))
    } else {
        Box::new(counted)
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    if let Err(e) = (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
    {
        report.error = Some(read_error(&e, compressed, raw_read.load(Ordering::Relaxed)));
        return None;
    }
    let reference = input.mtime.unwrap_or(opts.now);
    let (year, month, _) = crate::timefmt::civil_from_days(reference.div_euclid(86_400));
    let ctx = Arc::new(ParseContext {
        syslog: SyslogContext {
            reference_year: year,
            reference_month: month,
            offset_secs: opts.utc_offset_secs,
        },
        json: opts.config.json_fields.clone(),
        w3c: format::W3cLayout::from_head(&head).unwrap_or_default(),
    });
    let format = match opts.format.or_else(|| format::detect(&head, &ctx)) {
        Some(f) => f,
        None if head.is_empty() => Format::Clf,
        None => {
            report.error =
                Some("log format not recognised (use --log-format to choose one)".to_owned());
            report.unrecognised = true;
            return None;
        }
    };
    report.format = Some(format);
    let first_time = head.split(|&c| c == b'\n').take(64).find_map(|l| {
        match format::parse_line(format, l, &ctx) {
            Ok(format::Parsed::Http(r)) => Some(r.time),
            Ok(format::Parsed::HttpOwned(r)) => Some(r.as_record().time),
            Ok(format::Parsed::Event(e)) => (!e.time_unknown).then_some(e.time),
            Ok(format::Parsed::Skip(t)) => t,
            Err(_) => None,
        }
    });
    Some(Opened {
        index,
        reader,
        raw_read,
        compressed,
        head,
        format,
        ctx,
        first_time,
    })
}

fn read_error(e: &io::Error, compressed: bool, offset: u64) -> String {
    if compressed && e.kind() == io::ErrorKind::UnexpectedEof {
        format!(
            "truncated gzip stream at compressed byte offset {offset}; results up to there are kept"
        )
    } else if compressed {
        format!(
            "corrupt gzip stream near compressed byte offset {offset}: {e}; results up to there are kept"
        )
    } else {
        format!("read error at byte offset {offset}: {e}; results up to there are kept")
    }
}

/// A chunk being parsed: its result and its buffer (returned for reuse) arrive here.
type Pending = std::collections::VecDeque<Receiver<(ChunkResult, Vec<u8>)>>;

/// Adds `offset` to the line numbers of a chunk parsed from relative line 1.
fn rebase(r: &mut ChunkResult, offset: u64) {
    for e in &mut r.events {
        e.line += offset;
    }
    for s in &mut r.samples {
        s.line += offset;
    }
}

/// Reads `o` in chunks and parses them on `pool`, sending results in order.
///
/// Chunks are parsed with line numbers relative to the chunk and rebased here, in
/// order, so the reader never counts lines itself. Chunk buffers come back with their
/// results and are reused, so they are zeroed only once.
fn produce(
    mut o: Opened,
    opts: Arc<ScanOptions>,
    classifier: Arc<HttpClassifier>,
    pool: Arc<rayon::ThreadPool>,
    tx: SyncSender<Msg>,
) {
    let inflight = opts.threads.max(1) * 2;
    let chunk_bytes = opts.chunk_bytes.max(4096);
    let mut pending = Pending::new();
    let mut free: Vec<Vec<u8>> = Vec::new();
    let mut offset: u64 = 0;
    // The time of the last line with one, for lines without a time stamp.
    let mut last_time: Option<i64> = None;
    let mut error = None;
    let mut eof = false;
    let mut skipping_long = false;
    let head = std::mem::take(&mut o.head);
    let mut cur = vec![0u8; chunk_bytes.max(head.len())];
    cur[..head.len()].copy_from_slice(&head);
    let mut filled = head.len();

    // Forwards the oldest result in order; `false` when the receiver is gone.
    let forward = |pending: &mut Pending,
                   free: &mut Vec<Vec<u8>>,
                   offset: &mut u64,
                   last_time: &mut Option<i64>|
     -> bool {
        let Some(rx) = pending.pop_front() else {
            return true;
        };
        let Ok((mut r, buf)) = rx.recv() else {
            return true;
        };
        free.push(buf);
        rebase(&mut r, *offset);
        *offset += r.lines;
        r.carry_time(*last_time);
        *last_time = r.last_time.or(*last_time);
        tx.send(Msg::Chunk(r)).is_ok()
    };

    while !eof || filled > 0 {
        while !eof && filled < cur.len() {
            match o.reader.read(&mut cur[filled..]) {
                Ok(0) => eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    error = Some(read_error(
                        &e,
                        o.compressed,
                        o.raw_read.load(Ordering::Relaxed),
                    ));
                    eof = true;
                }
            }
        }
        if skipping_long {
            // Drop the rest of an over-long line.
            match memchr::memchr(b'\n', &cur[..filled]) {
                Some(i) => {
                    cur.copy_within(i + 1..filled, 0);
                    filled -= i + 1;
                    skipping_long = false;
                }
                None => {
                    filled = 0;
                    continue;
                }
            }
        }
        let cut = if eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &cur[..filled]) {
                Some(i) => i + 1,
                None if filled >= opts.max_line_bytes => {
                    // One line longer than the maximum: count it, skip it.
                    let mut r = ChunkResult {
                        lines: 1,
                        ..Default::default()
                    };
                    r.malformed(1, ParseError::TooLong, &cur[..filled]);
                    let (rtx, rrx) = sync_channel(1);
                    let _ = rtx.send((r, Vec::new()));
                    pending.push_back(rrx);
                    skipping_long = true;
                    filled = 0;
                    continue;
                }
                None => {
                    // A line longer than a chunk: grow the buffer (up to the maximum).
                    let len = (cur.len() * 2).min(opts.max_line_bytes.max(cur.len() + 1));
                    cur.resize(len, 0);
                    continue;
                }
            }
        };
        if cut == 0 {
            break;
        }
        let rest = filled - cut;
        let mut next = free.pop().unwrap_or_default();
        if next.len() < chunk_bytes.max(rest + 1) {
            next.resize(chunk_bytes.max(rest + 1), 0);
        }
        next[..rest].copy_from_slice(&cur[cut..filled]);
        let data = std::mem::replace(&mut cur, next);
        filled = rest;
        let (rtx, rrx) = sync_channel(1);
        let (ctx, classifier, format, file) =
            (o.ctx.clone(), classifier.clone(), o.format, o.index as u32);
        let mixed = opts.format.is_none();
        pool.spawn(move || {
            let p = ChunkParser {
                format,
                ctx: &ctx,
                classifier: &classifier,
                file,
                mixed,
            };
            let r = p.parse(&data[..cut], 1);
            let _ = rtx.send((r, data));
        });
        pending.push_back(rrx);
        while pending.len() >= inflight {
            if !forward(&mut pending, &mut free, &mut offset, &mut last_time) {
                return;
            }
        }
    }
    while !pending.is_empty() {
        if !forward(&mut pending, &mut free, &mut offset, &mut last_time) {
            return;
        }
    }
    let _ = tx.send(Msg::End(error));
}

struct Stream {
    index: usize,
    rx: Receiver<Msg>,
    batch: std::vec::IntoIter<Event>,
    head: Option<Event>,
}

impl Stream {
    /// Loads the next event; `false` when the stream ended.
    fn advance(&mut self, files: &mut [FileReport]) -> bool {
        loop {
            if let Some(ev) = self.batch.next() {
                self.head = Some(ev);
                return true;
            }
            match self.rx.recv() {
                Ok(Msg::Chunk(r)) => {
                    let f = &mut files[self.index];
                    f.lines += r.lines;
                    f.parsed += r.parsed;
                    f.malformed += r.malformed;
                    f.events += r.events.len() as u64;
                    for s in r.samples {
                        if f.samples.len() < MAX_SAMPLES {
                            f.samples.push(s);
                        }
                    }
                    if let Some((a, b)) = r.time_range {
                        f.time_range = Some(match f.time_range {
                            Some((x, y)) => (x.min(a), y.max(b)),
                            None => (a, b),
                        });
                    }
                    self.batch = r.events.into_iter();
                }
                Ok(Msg::End(err)) => {
                    if err.is_some() {
                        files[self.index].error = err;
                    }
                    self.head = None;
                    return false;
                }
                Err(_) => {
                    self.head = None;
                    return false;
                }
            }
        }
    }
}

/// Scans `inputs`; `on_event` sees every event in time order with its file's name.
pub fn scan(
    inputs: Vec<Input>,
    opts: &ScanOptions,
    on_event: &mut dyn FnMut(&Event, &str),
) -> Result<ScanReport, ScanError> {
    let classifier = Arc::new(HttpClassifier::new(&opts.config)?);
    let pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads.max(1))
            .thread_name(|i| format!("mamori-parse-{i}"))
            .build()
            .map_err(|e| ScanError::Threads(e.to_string()))?,
    );
    let shared = Arc::new(opts.clone());
    let mut files: Vec<FileReport> = inputs
        .iter()
        .map(|i| FileReport {
            name: i.name.clone(),
            ..Default::default()
        })
        .collect();
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    // Open every input to learn its format and first timestamp; start them lazily.
    let mut waiting: Vec<Opened> = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        if let Some(o) = open_input(i, input, opts, &mut files[i]) {
            waiting.push(o);
        }
    }
    // The earliest input last, so that `pop` takes it.
    waiting.sort_by_key(|o| std::cmp::Reverse((o.first_time.unwrap_or(i64::MIN), o.index)));
    let mut engine = Engine::new(&opts.config.thresholds);
    let mut active: Vec<Stream> = Vec::new();
    let mut threads = Vec::new();
    loop {
        // Start every input whose first line is not after the merge position.
        while let Some(o) = waiting.last() {
            let head_min = active
                .iter()
                .filter_map(|s| s.head.as_ref().map(|e| e.time))
                .min();
            let due = match (head_min, o.first_time) {
                (None, _) | (_, None) => true,
                (Some(h), Some(t)) => t <= h,
            };
            if !due {
                break;
            }
            let Some(o) = waiting.pop() else { break };
            let (tx, rx) = sync_channel(4);
            let index = o.index;
            let (opts2, cls, pool2) = (shared.clone(), classifier.clone(), pool.clone());
            threads.push(std::thread::spawn(move || {
                produce(o, opts2, cls, pool2, tx)
            }));
            let mut s = Stream {
                index,
                rx,
                batch: Vec::new().into_iter(),
                head: None,
            };
            if s.advance(&mut files) {
                active.push(s);
            }
        }
        if active.is_empty() {
            if waiting.is_empty() {
                break;
            }
            continue;
        }
        let (pos, _) = active
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.head.as_ref().map(|e| (i, (e.time, s.index))))
            .min_by_key(|(_, k)| *k)
            .unwrap_or((0, (0, 0)));
        let stream = &mut active[pos];
        if let Some(ev) = stream.head.take() {
            engine.feed(&ev);
            on_event(&ev, &names[ev.file as usize]);
        }
        if !stream.advance(&mut files) {
            active.swap_remove(pos);
        }
    }
    for t in threads {
        let _ = t.join();
    }
    let timeline = engine.timeline.clone();
    let counts = engine.counts;
    Ok(ScanReport {
        files,
        findings: engine.finish(),
        timeline,
        counts,
    })
}
