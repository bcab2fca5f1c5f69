//! crontriage: for every cron run, did the job execute correctly, and did
//! its notification reach the right place?
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! cli ──► config ──► input ──► ingest ──► correlate ──► classify ──► report
//!  flags   validated   paths,    formats/*    events →      run →       one model,
//!          settings    globs,    per line,    runs          verdict     table/json/
//!                      .gz, dirs UTC times                              md/csv/html
//! ```
//!
//! * [`input`] finds and opens the logs (globs, `.gz`, stdin, folders sniffed
//!   by content) and reads them in bounded, line-aligned blocks.
//! * [`ingest`] runs the [`formats`] parsers over every line — scheduler
//!   lines in parallel — and resolves every stamp to UTC ([`time`]).
//! * [`correlate`] pairs starts with ends and attaches job output and Slack
//!   records to runs; [`classify`] judges each run's two layers.
//! * [`report`] builds the one [`report::Report`] every format renders,
//!   redacting secrets ([`redact`]) on the way.
//! * [`app`] wires it all and takes its writers as arguments.

pub mod app;
pub mod classify;
pub mod cli;
pub mod config;
pub mod correlate;
pub mod error;
pub mod event;
pub mod formats;
pub mod ingest;
pub mod input;
pub mod jobname;
pub mod man;
pub mod progress;
pub mod redact;
pub mod report;
pub mod suggest;
pub mod time;
