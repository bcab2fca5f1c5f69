//! Read every source into events: drives the block reader and the format
//! parsers, resolves every stamp to UTC, counts every line.
//!
//! Scheduler inputs are parsed in parallel, newline-aligned pieces: a plain
//! file's pieces are read by position on the parsing threads, a stream
//! (stdin, `.gz`, a FIFO) is read a block at a time, the next block while
//! the current one is parsed. Times are then resolved in line order, so the
//! result does not depend on the threads.
//! Job logs and Slack logs are read in order, line by line: a job-log line
//! without a timestamp belongs to the one before it.

use crate::config::Config;
use crate::event::{Event, JobFact, Kind, Location};
use crate::formats::joblog::JobLogReader;
use crate::formats::{self, Counts, InputKind, slack};
use crate::input::{self, Block, BlockReader, Source};
use crate::time::{Resolver, Stamp, YearRule};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::io::Read;

/// What one source gave.
#[derive(Debug, Default)]
pub struct SourceOut {
    pub events: Vec<Event>,
    pub counts: Counts,
    /// (line, reason) of the first few malformed lines.
    pub malformed: Vec<(u64, String)>,
    /// The latest time any line of the source carried.
    pub latest: Option<DateTime<Utc>>,
    /// A read error after some data was read (reported with `--keep-going`).
    pub error: Option<String>,
}

impl SourceOut {
    fn note_malformed(&mut self, line: u64, why: impl Into<String>) {
        if self.malformed.len() < formats::EXAMPLES {
            self.malformed.push((line, why.into()));
        }
    }

    fn see(&mut self, t: DateTime<Utc>) {
        if self.latest.is_none_or(|l| t > l) {
            self.latest = Some(t);
        }
    }
}

/// A job log line with no timestamp starts a new run segment after this
/// much silence (or after an exit-status line).
pub const SEGMENT_GAP: i64 = 10 * 60;

fn resolver(cfg: &Config, src: &Source) -> Resolver {
    let year = match cfg.year {
        Some(y) => YearRule::Fixed(y),
        None => {
            let m = input::mtime(src).unwrap_or(cfg.now);
            YearRule::Mtime(m.with_timezone(&cfg.zone).naive_local())
        }
    };
    Resolver::new(cfg.zone, year)
}

/// Read one source. An error before anything was read is returned; a read
/// error later (a `.gz` cut short) is returned too unless `--keep-going`,
/// where it is kept in `error` with everything read before it.
pub fn read_source(cfg: &Config, src: &Source) -> Result<SourceOut, String> {
    if src.kind == InputKind::Syslog {
        match input::plain_file(src) {
            Ok(Some((file, size))) => {
                let mut out = SourceOut::default();
                let res = read_scheduler_file(cfg, src, &file, size, &mut out);
                return finish(cfg, out, res);
            }
            Ok(None) => {}
            Err(e) => return Err(input::io_reason(&e)),
        }
    }
    let r = match input::open(src) {
        Ok(r) => r,
        // A FIFO nobody writes to is an empty input, with a warning.
        Err(e) if input::is_no_writer(&e) => {
            return Ok(SourceOut {
                error: Some(e.to_string()),
                ..Default::default()
            });
        }
        Err(e) => return Err(input::io_reason(&e)),
    };
    let mut out = SourceOut::default();
    let res = match src.kind {
        InputKind::Syslog => read_scheduler(cfg, src, r, &mut out),
        InputKind::JobLog => read_job_log(cfg, src, r, &mut out),
        InputKind::Slack => read_slack(cfg, src, r, &mut out),
    };
    finish(cfg, out, res)
}

/// A source's outcome: a read error ends it (kept in `error` with what was
/// read before it under `--keep-going`).
fn finish(cfg: &Config, mut out: SourceOut, res: std::io::Result<()>) -> Result<SourceOut, String> {
    if let Err(e) = res {
        let why = match e.kind() {
            std::io::ErrorKind::InvalidInput
            | std::io::ErrorKind::InvalidData
            | std::io::ErrorKind::UnexpectedEof => {
                format!(
                    "corrupt or truncated data after line {}: {e}",
                    out.counts.lines
                )
            }
            _ => format!(
                "read failed after line {}: {}",
                out.counts.lines,
                input::io_reason(&e)
            ),
        };
        if !cfg.keep_going {
            return Err(why);
        }
        out.error = Some(why);
    }
    // The vector grew by doubling: give back what it will never use.
    out.events.shrink_to_fit();
    Ok(out)
}

fn overlong(out: &mut SourceOut, first_line: u64) {
    out.counts.lines += 1;
    out.counts.malformed += 1;
    out.note_malformed(first_line + 1, formats::OVERLONG);
}

/// Split a block into about `n` newline-aligned pieces.
fn pieces(data: &[u8], n: usize) -> Vec<&[u8]> {
    if n <= 1 || data.len() < 256 * 1024 {
        return vec![data];
    }
    let step = data.len() / n;
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    while start < data.len() {
        let target = start + step;
        if target >= data.len() {
            out.push(&data[start..]);
            break;
        }
        let end = match memchr::memchr(b'\n', &data[target..]) {
            Some(i) => target + i + 1,
            None => data.len(),
        };
        out.push(&data[start..end]);
        start = end;
    }
    out
}

/// A parsed chunk whose events were built on the parsing thread: only
/// their times (resolved in line order) and line numbers (known once the
/// lines before are counted) are left to fill in.
struct Prepared {
    /// (stamp, event with `loc.line` = 0-based index within the chunk).
    events: Vec<(Stamp, Event)>,
    counts: formats::Counts,
    malformed: Vec<(u64, &'static str)>,
    last_stamp: Option<Stamp>,
    /// One overlong line follows the chunk's lines.
    overlong: bool,
}

fn prepare(chunk: formats::ChunkOut, src: &Source, overlong: bool) -> Prepared {
    Prepared {
        events: chunk
            .events
            .into_iter()
            .map(|(idx, p)| {
                (
                    p.stamp,
                    Event {
                        time: DateTime::<Utc>::UNIX_EPOCH,
                        host: p.host,
                        kind: p.kind,
                        loc: Location {
                            source: src.id,
                            line: idx,
                        },
                        text: p.text.into_boxed_str(),
                    },
                )
            })
            .collect(),
        counts: chunk.counts,
        malformed: chunk.malformed,
        last_stamp: chunk.last_stamp,
        overlong,
    }
}

fn read_scheduler(
    cfg: &Config,
    src: &Source,
    r: Box<dyn Read + Send>,
    out: &mut SourceOut,
) -> std::io::Result<()> {
    let mut reader = BlockReader::new(r);
    let mut res = resolver(cfg, src);
    let threads = rayon::current_num_threads() * 2;
    let facts = &cfg.facts;
    let mut next = reader.next_block()?;
    while let Some(block) = next {
        let parse = |b: &Block| -> Vec<Prepared> {
            if b.overlong {
                return Vec::new();
            }
            pieces(&b.data, threads)
                .into_par_iter()
                .map(|p| prepare(formats::parse_syslog_chunk(p, facts), src, false))
                .collect()
        };
        let (chunks, following) = rayon::join(|| parse(&block), || reader.next_block());
        if block.overlong {
            overlong(out, out.counts.lines);
        }
        for chunk in chunks {
            absorb_chunk(out, &mut res, chunk);
        }
        reader.recycle(block);
        next = following?;
    }
    Ok(())
}

thread_local! {
    /// Each thread's buffer for the pieces it reads (see [`input::PIECE`]).
    static PIECE_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A plain file: its pieces are read by position and parsed in parallel,
/// a batch at a time, the next batch parsed while the last one's events are
/// put in line order and timed. Gives what [`read_scheduler`] gives.
fn read_scheduler_file(
    cfg: &Config,
    src: &Source,
    file: &std::fs::File,
    size: u64,
    out: &mut SourceOut,
) -> std::io::Result<()> {
    let mut res = resolver(cfg, src);
    let facts = &cfg.facts;
    let piece = input::PIECE as u64;
    let n = size.div_ceil(piece) as usize;
    // Enough pieces in flight to keep every thread busy, few enough that the
    // events of two batches are all the memory this holds.
    let batch = (rayon::current_num_threads() * 8).max(1);
    let parse = |k: usize| -> std::io::Result<Prepared> {
        PIECE_BUF.with_borrow_mut(|buf| {
            let start = k as u64 * piece;
            let p = input::read_piece(file, start, start + piece, size, buf)?;
            let chunk = formats::parse_syslog_chunk(&buf[p.lines], facts);
            Ok(prepare(chunk, src, p.overlong))
        })
    };
    let parse_batch = |from: usize| -> Vec<std::io::Result<Prepared>> {
        (from..(from + batch).min(n))
            .into_par_iter()
            .map(parse)
            .collect()
    };
    let absorb = |out: &mut SourceOut, res: &mut Resolver, chunks: Vec<_>| {
        for chunk in chunks {
            absorb_chunk(out, res, chunk?);
        }
        Ok::<(), std::io::Error>(())
    };
    let mut cur = parse_batch(0);
    let mut from = batch;
    while from < n {
        let (done, following) = rayon::join(
            || absorb(out, &mut res, std::mem::take(&mut cur)),
            || parse_batch(from),
        );
        done?;
        cur = following;
        from += batch;
    }
    absorb(out, &mut res, cur)
}

fn absorb_chunk(out: &mut SourceOut, res: &mut Resolver, chunk: Prepared) {
    let base = out.counts.lines;
    out.counts.add(&chunk.counts);
    for (idx, why) in chunk.malformed {
        out.note_malformed(base + idx + 1, why);
    }
    let mut bad_line = None;
    out.events.reserve(chunk.events.len());
    for (stamp, mut e) in chunk.events {
        let line = base + e.loc.line + 1;
        match res.resolve(stamp) {
            Some(time) => {
                out.see(time);
                e.time = time;
                e.loc.line = line;
                out.events.push(e);
            }
            None if bad_line != Some(line) => {
                // A date that does not exist in its year (Feb 29, 2026).
                bad_line = Some(line);
                out.counts.recognized = out.counts.recognized.saturating_sub(1);
                out.counts.malformed += 1;
                out.note_malformed(line, "date does not exist in that year");
            }
            None => {}
        }
    }
    if let Some(t) = chunk.last_stamp.and_then(|s| res.clone().resolve(s)) {
        out.see(t);
    }
    if chunk.overlong {
        overlong(out, out.counts.lines);
    }
}

/// Read a source line by line, calling `f(line_no, text)`; overlong lines are
/// counted as malformed and never reach `f`.
fn each_line(
    r: Box<dyn Read + Send>,
    out: &mut SourceOut,
    mut f: impl FnMut(&mut SourceOut, u64, &str),
) -> std::io::Result<()> {
    let mut reader = BlockReader::new(r);
    while let Some(block) = reader.next_block()? {
        if block.overlong {
            let n = out.counts.lines;
            overlong(out, n);
            continue;
        }
        let valid = std::str::from_utf8(&block.data).is_ok();
        let mut pos = 0;
        let data = &block.data;
        while pos < data.len() {
            let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |i| pos + i);
            let mut line = &data[pos..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            if line.len() > input::MAX_LINE {
                overlong(out, out.counts.lines);
                pos = end + 1;
                continue;
            }
            out.counts.lines += 1;
            let n = out.counts.lines;
            if valid {
                f(out, n, std::str::from_utf8(line).unwrap_or_default());
            } else {
                if std::str::from_utf8(line).is_err() {
                    out.counts.invalid_utf8 += 1;
                }
                f(out, n, &String::from_utf8_lossy(line));
            }
            pos = end + 1;
        }
        reader.recycle(block);
    }
    Ok(())
}

fn read_slack(
    cfg: &Config,
    src: &Source,
    r: Box<dyn Read + Send>,
    out: &mut SourceOut,
) -> std::io::Result<()> {
    let mut res = resolver(cfg, src);
    each_line(r, out, |out, line, text| match slack::parse_line(text) {
        Ok(None) => out.counts.ignored += 1,
        Ok(Some(rec)) => {
            let Some(time) = rec.stamp.and_then(|s| res.resolve(s)) else {
                out.counts.malformed += 1;
                out.note_malformed(
                    line,
                    "Slack record without a time (ts, time, timestamp or @timestamp)",
                );
                return;
            };
            out.counts.recognized += 1;
            out.see(time);
            out.events.push(Event {
                time,
                host: None,
                kind: Kind::Slack(Box::new(rec.attempt)),
                loc: Location {
                    source: src.id,
                    line,
                },
                text: text.into(),
            });
        }
        Err(why) => {
            out.counts.malformed += 1;
            out.note_malformed(line, why);
        }
    })
}

/// Job-log lines waiting for a time (before the file's first timestamp).
struct Waiting {
    loc: Location,
    fact: Option<JobFact>,
    text: String,
}

fn read_job_log(
    cfg: &Config,
    src: &Source,
    r: Box<dyn Read + Send>,
    out: &mut SourceOut,
) -> std::io::Result<()> {
    let job: crate::event::Name = src.job.as_deref().unwrap_or_default().into();
    let mut res = resolver(cfg, src);
    let mut reader = JobLogReader::new(&cfg.facts);
    let mut cur: Option<DateTime<Utc>> = None;
    let mut waiting: Vec<Waiting> = Vec::new();
    // The last timestamped line (for a segment's end) and whether the line
    // before was an exit status.
    let mut prev: Option<(DateTime<Utc>, Location, String)> = None;
    let mut seg_start_line = 0u64;
    let mut after_exit = false;
    let ev = |time, loc, fact, text: &str| Event {
        time,
        host: None,
        kind: Kind::Job {
            job: job.clone(),
            fact,
        },
        loc,
        text: text.into(),
    };
    each_line(r, out, |out, line, text| {
        let loc = Location {
            source: src.id,
            line,
        };
        if text.trim().is_empty() {
            out.counts.ignored += 1;
            return;
        }
        let jl = reader.line(text);
        let own = jl.stamp.and_then(|s| res.resolve(s));
        if own.is_some() || !jl.facts.is_empty() {
            out.counts.recognized += 1;
        } else {
            out.counts.ignored += 1;
        }
        if let Some(t) = own {
            out.see(t);
            let new_segment = match &prev {
                None => true,
                Some((pt, _, _)) => after_exit || (t - *pt).num_seconds() >= SEGMENT_GAP,
            };
            if new_segment {
                if let Some((pt, ploc, ptext)) = prev.take() {
                    if ploc.line != seg_start_line {
                        out.events.push(ev(pt, ploc, JobFact::SegmentEnd, &ptext));
                    }
                }
                out.events.push(ev(t, loc, JobFact::SegmentStart, text));
                seg_start_line = line;
                after_exit = false;
            }
            cur = Some(t);
            for w in waiting.drain(..) {
                if let Some(f) = w.fact {
                    out.events.push(ev(t, w.loc, f, &w.text));
                }
            }
        }
        for fact in jl.facts {
            after_exit |= matches!(fact, JobFact::Exit(_));
            match cur {
                Some(t) => out.events.push(ev(t, loc, fact, text)),
                None => waiting.push(Waiting {
                    loc,
                    fact: Some(fact),
                    text: text.into(),
                }),
            }
        }
        if let Some(t) = cur {
            prev = Some((t, loc, text.to_string()));
        } else if waiting.is_empty() {
            // Keep the first untimed line as the opening evidence.
            waiting.push(Waiting {
                loc,
                fact: None,
                text: text.into(),
            });
        }
    })?;
    if let Some((pt, ploc, ptext)) = prev {
        if ploc.line != seg_start_line {
            out.events.push(ev(pt, ploc, JobFact::SegmentEnd, &ptext));
        }
    }
    if cur.is_none() && !waiting.is_empty() {
        // No timestamp in the whole file: the lines are dated by the file's
        // modification time (a log rewritten by each run belongs to the
        // latest one).
        let t = input::mtime(src).unwrap_or(cfg.now);
        out.see(t);
        let first = &waiting[0];
        out.events
            .push(ev(t, first.loc, JobFact::SegmentStart, &first.text));
        for w in waiting.drain(..) {
            if let Some(f) = w.fact {
                out.events.push(ev(t, w.loc, f, &w.text));
            }
        }
    }
    Ok(())
}
