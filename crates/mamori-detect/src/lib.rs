//! # mamori-detect
//!
//! Finds unauthorized access (不正アクセス) in server logs: the library behind
//! `mamori scan`.
//!
//! The pipeline, one module each:
//!
//! 1. [`format`](mod@format): detect the log format of each input and parse lines (nginx/Apache
//!    combined and common, JSON lines, syslog with sshd and HAProxy, Apache and nginx
//!    error logs);
//! 2. [`classify`]: turn HTTP requests into events — logins (site rules from
//!    [`Config`] plus built-in defaults) and attacks (injection, traversal, probes …);
//! 3. [`scan`](mod@scan): read inputs in chunks, parse them in parallel, merge all files in time
//!    order;
//! 4. [`engine`] and [`rules`]: every rule watches the event stream with windowed
//!    state and produces [`Finding`]s;
//! 5. [`report`]: the verdict, the advice on what to do next and where to report,
//!    and the text, JSON and HTML renderings.
//!
//! Architecture invariant: only [`scan`](mod@scan) opens streams (through [`Input::open`],
//! supplied by the caller); parsing, classification and the rules do no I/O.
//!
//! ```
//! use mamori_detect::{scan, Input, ScanOptions};
//! let log = "203.0.113.9 - - [04/Mar/2024:00:00:01 +0000] \"GET /.env HTTP/1.1\" 200 512 \"-\" \"curl/8\"\n";
//! let input = Input {
//!     name: "access.log".into(),
//!     open: Box::new(move || Ok(Box::new(std::io::Cursor::new(log.as_bytes().to_vec())))),
//!     mtime: None,
//! };
//! let report = scan(vec![input], &ScanOptions::default(), &mut |_, _| {}).unwrap();
//! assert_eq!(report.findings[0].rule.id, "MAM-W008"); // sensitive-file probe
//! assert!(report.findings[0].succeeded);              // … answered with content
//! ```

pub mod chunk;
pub mod classify;
pub mod config;
pub mod engine;
pub mod event;
pub mod finding;
pub mod format;
pub mod report;
pub mod rules;
pub mod scan;
pub mod timefmt;

pub use config::Config;
pub use event::{AttackKind, Event, EventKind, Service, Step};
pub use finding::{Evidence, Finding};
pub use format::Format;
pub use scan::{FileReport, Input, ScanError, ScanOptions, ScanReport, scan};
