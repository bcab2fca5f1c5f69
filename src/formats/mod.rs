//! The closed set of input formats, and how a line is read by each.
//!
//! For every line a parser answers one of three things ([`Verdict`]): an
//! event, noise (a line of a known shape that is not about cron runs), or
//! malformed (with a reason). Scheduler inputs mix framings freely, so one
//! reader handles them all: syslog framing ([`syslog`]), `journalctl -o json`
//! ([`journal`]), then the message by ident ([`cron`], [`systemd`]).
//!
//! Most syslog lines are noise. [`parse_syslog_chunk`] finds the few worth
//! parsing with one literal search over the whole chunk, and gives every
//! other line only a byte test for its framing.

pub mod cron;
pub mod joblog;
pub mod journal;
mod scan;
pub mod slack;
pub mod syslog;
pub mod systemd;

use crate::event::Kind;
use crate::time::Stamp;
use joblog::Facts;
use std::sync::LazyLock;

/// An event as a parser sees it, before its time is resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub stamp: Stamp,
    pub host: Option<crate::event::Name>,
    pub kind: Kind,
    /// The evidence text.
    pub text: String,
}

/// A parser's answer for one line.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Event(Box<Parsed>),
    Noise,
    Malformed(&'static str),
}

/// The three kinds of input, as `inputs[].kind` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    Syslog,
    JobLog,
    Slack,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Syslog => "syslog",
            InputKind::JobLog => "job-log",
            InputKind::Slack => "slack",
        }
    }
}

/// The event a scheduler's message means, by ident.
pub fn scheduler_message(ident: &str, pid: Option<u32>, msg: &str) -> Option<Kind> {
    let split = cron::split_ident(ident);
    if split.0 == "systemd" {
        return systemd::parse(msg);
    }
    cron::parse_split(split, pid, msg)
}

/// Parse one syslog record (already split from a stream line).
pub fn parse_syslog_record(rec: &str) -> Result<Option<Parsed>, syslog::FrameError> {
    let f = syslog::parse_frame(rec)?;
    Ok(scheduler_message(f.ident, f.pid, f.msg).map(|kind| Parsed {
        stamp: f.stamp,
        host: f.host.map(crate::event::intern),
        kind,
        text: rec.to_string(),
    }))
}

/// Per-input line counts, as `inputs[]` reports them. Every physical line is
/// exactly one of recognized, ignored or malformed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub lines: u64,
    pub recognized: u64,
    pub ignored: u64,
    pub malformed: u64,
    /// Lines that were not valid UTF-8 (read lossily; also in one of the above).
    pub invalid_utf8: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.lines += o.lines;
        self.recognized += o.recognized;
        self.ignored += o.ignored;
        self.malformed += o.malformed;
        self.invalid_utf8 += o.invalid_utf8;
    }
}

/// How many malformed examples a chunk keeps (the report shows a few).
pub const EXAMPLES: usize = 5;

/// The result of parsing a chunk of a scheduler input.
#[derive(Debug, Default)]
pub struct ChunkOut {
    /// (0-based line index within the chunk, event).
    pub events: Vec<(u64, Parsed)>,
    pub counts: Counts,
    /// (0-based line index, reason): the first few malformed lines.
    pub malformed: Vec<(u64, &'static str)>,
    /// The stamp of the chunk's last framed line (for "end of inputs").
    pub last_stamp: Option<Stamp>,
}

/// Literal prefilter: a scheduler line holds one of these somewhere.
/// A packed (SIMD, "Teddy") searcher: it verifies its own candidates, so a
/// buffer with many matches is not walked byte by byte by an automaton.
static PREFILTER: LazyLock<aho_corasick::packed::Searcher> = LazyLock::new(|| {
    aho_corasick::packed::Config::new()
        .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(["cron", "CRON", "Cron", "systemd", "run-parts"])
        .build()
        .expect("the CPU has SSSE3 or AVX2, or the generic Teddy applies")
});

/// Index of `systemd` among [`PREFILTER`]'s patterns.
const SYSTEMD: usize = 3;

static SYSTEMD_WORDS: LazyLock<aho_corasick::packed::Searcher> = LazyLock::new(|| {
    aho_corasick::packed::Searcher::new([
        ".service", ".timer", "Start", "Finished", "Failed", "Unit ", " failed.",
    ])
    .expect("a packed searcher for the CPU")
});

/// Could a line from systemd say anything about a job? (See
/// `systemd::parse` for what it must then say.)
fn systemd_may_matter(line: &[u8]) -> bool {
    SYSTEMD_WORDS.find(line).is_some()
}

/// Cheap framing test for a line the prefilter skipped: a month or weekday
/// name, an ISO date, or `<PRI>` at the start.
fn framed_guess(b: &[u8]) -> bool {
    match b.first() {
        Some(b'<') => b.len() > 2 && b[1].is_ascii_digit(),
        Some(c) if c.is_ascii_digit() => b.len() > 10 && (b[4] == b'-' || b[4] == b' '),
        Some(c) if c.is_ascii_alphabetic() => {
            b.len() > 4
                && b[3] == b' '
                && (crate::time::month_from_abbr(&b[..3]).is_some()
                    || matches!(
                        &b[..3],
                        b"Mon" | b"Tue" | b"Wed" | b"Thu" | b"Fri" | b"Sat" | b"Sun"
                    ))
        }
        _ => false,
    }
}

/// `s` without the terminal sequences (`ESC [ … final`, and other `ESC x`
/// pairs) a log saved from a coloured terminal holds.
fn strip_ansi(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut from, mut i) = (0, 0);
    while i < b.len() {
        if b[i] != 0x1b {
            i += 1;
            continue;
        }
        out.push_str(&s[from..i]);
        i += 1;
        if b.get(i) == Some(&b'[') {
            i += 1;
            while i < b.len() && !(0x40..=0x7e).contains(&b[i]) {
                i += 1;
            }
            i += 1;
        } else if i < b.len() && b[i].is_ascii() {
            i += 1;
        }
        i = i.min(b.len());
        from = i;
    }
    out.push_str(&s[from..]);
    out
}

/// Why a line over [`crate::input::MAX_LINE`] was not read.
pub const OVERLONG: &str = "line longer than 1048576 bytes (cut)";
const _: () = assert!(crate::input::MAX_LINE == 1_048_576);

/// What the prefilter found on a line: nothing, only `systemd` (which may
/// be part of a host name), or a cron-family literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Hit {
    None,
    Systemd,
    Cron,
}

/// The state of one pass over a chunk.
struct ChunkScan<'c, 'f> {
    chunk: &'c [u8],
    facts: &'f Facts,
    out: ChunkOut,
    /// (start, end) of the last line with a syslog frame.
    last_framed: Option<(usize, usize)>,
    /// Index of the next line.
    idx: u64,
}

impl ChunkScan<'_, '_> {
    fn malformed(&mut self, why: &'static str) {
        self.out.counts.malformed += 1;
        if self.out.malformed.len() < EXAMPLES {
            self.out.malformed.push((self.idx, why));
        }
    }

    /// One physical line, `pos..end` (without its `\n`); `ascii`: all its
    /// bytes are.
    #[inline]
    fn line(&mut self, pos: usize, end: usize, hit: Hit, ascii: bool) {
        let chunk = self.chunk;
        let mut line = &chunk[pos..end];
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        // The NULs an unclean shutdown leaves where the file was extended,
        // then the first line written after the reboot: that line is read.
        let mut start = pos;
        if line.first() == Some(&0) {
            let n = line.iter().take_while(|&&b| b == 0).count();
            if n < line.len() {
                line = &line[n..];
                start += n;
            }
        }
        // Most of systemd's lines are about sessions, slices and scopes:
        // one naming no service or timer, and starting or finishing
        // nothing, cannot be about a job and is noise without parsing.
        let hit = hit == Hit::Cron || (hit == Hit::Systemd && systemd_may_matter(line));
        self.out.counts.lines += 1;
        let invalid = !ascii && std::str::from_utf8(&chunk[pos..end]).is_err();
        if invalid {
            self.out.counts.invalid_utf8 += 1;
        }
        // A line over the cap inside a block (the reader cuts only those
        // that cross one): malformed, like a cut one, and not parsed.
        if line.len() > crate::input::MAX_LINE {
            self.malformed(OVERLONG);
        } else if hit || line.first() == Some(&b'{') {
            self.parse(line, start, invalid);
        } else if line.is_empty() || line[0] == b' ' || line[0] == b'\t' {
            // Blank, or a continuation of the record before (tab-continued
            // multi-line messages).
            self.out.counts.ignored += 1;
        } else if framed_guess(line) {
            self.out.counts.ignored += 1;
            self.last_framed = Some((start, start + line.len()));
        } else {
            self.malformed(syslog::FrameError::NoTimestamp.reason());
        }
        self.idx += 1;
    }

    /// A line worth parsing: a prefilter hit, or journal JSON.
    fn parse(&mut self, line: &[u8], start: usize, invalid: bool) {
        // Valid UTF-8 (nearly always) borrows; only a bad line is copied.
        let mut text = if invalid {
            String::from_utf8_lossy(line)
        } else {
            // Cannot fail: the line was found valid (or all ASCII).
            std::borrow::Cow::Borrowed(std::str::from_utf8(line).unwrap_or_default())
        };
        // Saved from a coloured terminal (`grep --color`, journalctl):
        // read without the colour codes.
        if memchr::memchr(0x1b, line).is_some() {
            text = std::borrow::Cow::Owned(strip_ansi(&text));
        }
        let verdict = if line.first() == Some(&b'{') {
            journal::parse(&text, self.facts)
        } else {
            record_verdict(&text, &mut self.out.events, self.idx)
        };
        if !matches!(verdict, Verdict::Malformed(_)) {
            self.last_framed = Some((start, start + line.len()));
        }
        match verdict {
            Verdict::Event(p) => {
                self.out.counts.recognized += 1;
                self.out.events.push((self.idx, *p));
            }
            Verdict::Noise => self.out.counts.ignored += 1,
            Verdict::Malformed(why) => self.malformed(why),
        }
    }

    /// A line that holds no prefilter literal.
    #[inline]
    fn plain_line(&mut self, pos: usize, end: usize, ascii: bool) {
        let b = &self.chunk[pos..end];
        // Nearly every line: an RFC 3164 header's month (so no NULs, no
        // JSON, no indent), all ASCII, under the cap. What [`Self::line`]
        // decides for it, without its other tests.
        if ascii
            && b.len() > 5
            && b[3] == b' '
            && b.len() <= crate::input::MAX_LINE
            && crate::time::month_from_abbr(&b[..3]).is_some()
        {
            self.out.counts.lines += 1;
            self.out.counts.ignored += 1;
            self.idx += 1;
            let bare = if b[b.len() - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            self.last_framed = Some((pos, bare));
        } else {
            self.line(pos, end, Hit::None, ascii);
        }
    }
}

/// Which prefilter literals `line` holds: none, only `systemd`, or one of the
/// cron family (the literals of a leftmost-first search, as it finds them).
fn hit_on(line: &[u8]) -> Hit {
    let mut hit = Hit::None;
    let mut at = 0;
    while let Some(m) = PREFILTER.find_in(line, aho_corasick::Span::from(at..line.len())) {
        if m.pattern().as_usize() != SYSTEMD {
            return Hit::Cron;
        }
        hit = Hit::Systemd;
        at = m.end();
    }
    hit
}

/// Parse a chunk of complete lines of a scheduler input (syslog in any
/// framing, or journal JSON).
///
/// One pass ([`scan::lines`]) finds the lines and the few that may hold a
/// [`PREFILTER`] literal; those are checked and parsed, every other line
/// gets only a byte test for its framing (to count it ignored or
/// malformed).
pub fn parse_syslog_chunk(chunk: &[u8], facts: &Facts) -> ChunkOut {
    let mut scan = ChunkScan {
        chunk,
        facts,
        out: ChunkOut {
            // About one event in 2 KiB of a busy syslog: most chunks never
            // grow the vector.
            events: Vec::with_capacity(chunk.len() / 2048),
            ..ChunkOut::default()
        },
        last_framed: None,
        idx: 0,
    };
    scan::lines(chunk, |start, end, hit, ascii| {
        if hit == Hit::None {
            scan.plain_line(start, end, ascii);
        } else {
            scan.line(start, end, hit, ascii);
        }
    });
    let ChunkScan {
        mut out,
        last_framed,
        ..
    } = scan;
    if let Some((s, e)) = last_framed {
        let text = String::from_utf8_lossy(&chunk[s..e]);
        out.last_stamp = if text.starts_with('{') {
            match journal::parse(&text, facts) {
                Verdict::Event(p) => Some(p.stamp),
                _ => None,
            }
        } else {
            syslog::split_records(&text)
                .filter_map(|r| syslog::parse_frame(r).ok())
                .last()
                .map(|f| f.stamp)
        };
    }
    out
}

/// The verdict for a physical line that may hold several records: every
/// recognised record but the last goes straight into `events`; the line is
/// recognised if any record was, else noise if any record was framed (or the
/// line continues the one before), else malformed.
fn record_verdict(text: &str, events: &mut Vec<(u64, Parsed)>, idx: u64) -> Verdict {
    // The last record recognised; those before it go straight to `events`.
    let mut found: Option<Parsed> = None;
    let mut framed = false;
    let mut first_err = None;
    for (n, rec) in syslog::split_records(text).enumerate() {
        match parse_syslog_record(rec) {
            Ok(Some(p)) => {
                if let Some(before) = found.replace(p) {
                    events.push((idx, before));
                }
            }
            Ok(None) => framed = true,
            Err(syslog::FrameError::NoTag) => framed = true,
            Err(e) => {
                // A stream line's leading fragment continues the record before.
                if n == 0 && (rec.starts_with([' ', '\t']) || text.len() > rec.len()) {
                    framed = true;
                } else if first_err.is_none() {
                    first_err = Some(e);
                }
            }
        }
    }
    match found {
        Some(last) => Verdict::Event(Box::new(last)),
        None if framed => Verdict::Noise,
        None if text.starts_with([' ', '\t']) => Verdict::Noise,
        None => Verdict::Malformed(first_err.map_or("not a syslog line", |e| e.reason())),
    }
}

/// What a file holds, guessed from its first lines (folder mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Scheduler,
    Slack,
    JobLog,
    /// Not text, or nothing in it.
    Skip(&'static str),
}

/// Decide what a file holds from a sample of its first lines.
pub fn sniff(sample: &[u8]) -> (Sniffed, String) {
    let sample = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    if sample.is_empty() {
        return (Sniffed::Skip("empty file"), "empty".into());
    }
    // A tar archive (ustar magic at offset 257), also inside a `.tar.gz`:
    // its members are files of their own, which one parser cannot tell apart.
    if sample.get(257..262) == Some(b"ustar") {
        return (
            Sniffed::Skip("a tar archive: unpack it and give the folder"),
            "tar".into(),
        );
    }
    // NUL bytes mark a binary file, but a syslog written through an unclean
    // shutdown holds a block of them too (the file system extended the file
    // before the data reached it): its lines are still judged, and only a
    // file that does not read as scheduler or Slack lines is binary.
    let binary = memchr::memchr(0, &sample[..sample.len().min(8192)]).is_some();
    let text = String::from_utf8_lossy(sample);
    let (mut sched, mut slack_n, mut json_sched, mut json_slack, mut n) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for line in text.lines().take(200) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        n += 1;
        if t.starts_with('{') {
            if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(t) {
                if o.contains_key("__REALTIME_TIMESTAMP") {
                    json_sched += 1;
                } else if o.contains_key("response")
                    || o.contains_key("http_status")
                    || (o.contains_key("method")
                        && (o.contains_key("channel") || o.contains_key("ok")))
                {
                    json_slack += 1;
                }
            }
            continue;
        }
        // `2026-12-03T04:00:09Z ERROR etl: exit code 3` (Python's logging
        // with an ISO time) has the shape of a syslog header with host
        // `ERROR`: a log level is no host name.
        if syslog::split_records(t).any(|r| {
            syslog::parse_frame(r).is_ok_and(|f| {
                f.tagged
                    && (f.host.is_some() || f.pid.is_some())
                    && !f.host.is_some_and(is_log_level)
            })
        }) {
            sched += 1;
        } else if t.contains(" body=") || (t.contains("method=") && t.contains("status=")) {
            slack_n += 1;
        }
    }
    if n == 0 {
        return (Sniffed::Skip("no text lines"), "blank".into());
    }
    let half = n.div_ceil(2);
    if json_sched >= half || json_sched > 0 && json_sched + sched >= half {
        return (
            Sniffed::Scheduler,
            format!("{json_sched} of {n} sampled lines are journal JSON"),
        );
    }
    if sched >= half {
        return (
            Sniffed::Scheduler,
            format!("{sched} of {n} sampled lines have a syslog header"),
        );
    }
    if json_slack + slack_n >= half {
        return (
            Sniffed::Slack,
            format!(
                "{} of {n} sampled lines are Slack API records",
                json_slack + slack_n
            ),
        );
    }
    if binary {
        return (Sniffed::Skip("binary content (NUL bytes)"), "binary".into());
    }
    (
        Sniffed::JobLog,
        format!("{n} sampled lines, neither syslog nor Slack records"),
    )
}

/// A log level word as applications print it (`INFO`, `Warning`, `err`).
fn is_log_level(w: &str) -> bool {
    const LEVELS: [&str; 15] = [
        "trace", "debug", "info", "notice", "warn", "warning", "error", "err", "crit", "critical",
        "alert", "emerg", "fatal", "severe", "panic",
    ];
    LEVELS.iter().any(|l| l.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunk scan before it jumped between prefilter hits (one `memchr`
    /// per line, every prefilter match visited): [`parse_syslog_chunk`] must
    /// give exactly what it gave.
    fn reference_chunk(chunk: &[u8], facts: &Facts) -> ChunkOut {
        let mut out = ChunkOut::default();
        // Start offsets of the lines holding invalid UTF-8, found in one pass
        // over the chunk (from_utf8 resumes after each bad line).
        let mut bad_lines: Vec<usize> = Vec::new();
        let mut from = 0;
        while let Err(e) = std::str::from_utf8(&chunk[from..]) {
            let at = from + e.valid_up_to();
            let start = memchr::memrchr(b'\n', &chunk[..at]).map_or(0, |i| i + 1);
            bad_lines.push(start);
            from = memchr::memchr(b'\n', &chunk[at..]).map_or(chunk.len(), |i| at + i + 1);
        }
        let mut bad = bad_lines.into_iter().peekable();
        // (start, end, is the match `systemd`?) of every prefilter match.
        let mut hits = PREFILTER
            .find_iter(chunk)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize() == SYSTEMD))
            .peekable();
        let mut last_framed: Option<(usize, usize)> = None;
        let mut pos = 0;
        let mut idx: u64 = 0;
        while pos < chunk.len() {
            let end = memchr::memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i);
            let mut line = &chunk[pos..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            // The NULs an unclean shutdown leaves where the file was extended,
            // then the first line written after the reboot: that line is read.
            let mut start = pos;
            if line.first() == Some(&0) {
                let n = line.iter().take_while(|&&b| b == 0).count();
                if n < line.len() {
                    line = &line[n..];
                    start += n;
                }
            }
            let mut hit = false;
            // Whether a cron-family pattern is on this line, or only `systemd`
            // (which may be part of a host name).
            let mut cron_hit = false;
            while let Some(&(m, _, systemd)) = hits.peek() {
                if m >= end {
                    break;
                }
                if m >= pos {
                    hit = true;
                    cron_hit |= !systemd;
                }
                hits.next();
            }
            // Most of systemd's lines are about sessions, slices and scopes:
            // one naming no service or timer, and starting or finishing
            // nothing, cannot be about a job and is noise without parsing.
            if hit && !cron_hit && !systemd_may_matter(line) {
                hit = false;
            }
            out.counts.lines += 1;
            let invalid = bad.peek() == Some(&pos);
            if invalid {
                bad.next();
                out.counts.invalid_utf8 += 1;
            }
            // A line over the cap inside a block (the reader cuts only those
            // that cross one): malformed, like a cut one, and not parsed.
            if line.len() > crate::input::MAX_LINE {
                out.counts.malformed += 1;
                if out.malformed.len() < EXAMPLES {
                    out.malformed.push((idx, OVERLONG));
                }
                idx += 1;
                pos = end + 1;
                continue;
            }
            let is_json = line.first() == Some(&b'{');
            if hit || is_json {
                // Valid UTF-8 (nearly always) borrows; only a bad line is copied.
                let mut text = if invalid {
                    String::from_utf8_lossy(line)
                } else {
                    // Cannot fail: the chunk scan found no invalid byte here.
                    std::borrow::Cow::Borrowed(std::str::from_utf8(line).unwrap_or_default())
                };
                // Saved from a coloured terminal (`grep --color`, journalctl):
                // read without the colour codes.
                if memchr::memchr(0x1b, line).is_some() {
                    text = std::borrow::Cow::Owned(strip_ansi(&text));
                }
                let verdict = if is_json {
                    journal::parse(&text, facts)
                } else {
                    record_verdict(&text, &mut out.events, idx)
                };
                if !matches!(verdict, Verdict::Malformed(_)) {
                    last_framed = Some((start, start + line.len()));
                }
                match verdict {
                    Verdict::Event(p) => {
                        out.counts.recognized += 1;
                        out.events.push((idx, *p));
                    }
                    Verdict::Noise => out.counts.ignored += 1,
                    Verdict::Malformed(why) => {
                        out.counts.malformed += 1;
                        if out.malformed.len() < EXAMPLES {
                            out.malformed.push((idx, why));
                        }
                    }
                }
            } else if line.is_empty() || line[0] == b' ' || line[0] == b'\t' {
                // Blank, or a continuation of the record before (tab-continued
                // multi-line messages).
                out.counts.ignored += 1;
            } else if framed_guess(line) {
                out.counts.ignored += 1;
                last_framed = Some((start, start + line.len()));
            } else {
                out.counts.malformed += 1;
                if out.malformed.len() < EXAMPLES {
                    out.malformed
                        .push((idx, syslog::FrameError::NoTimestamp.reason()));
                }
            }
            idx += 1;
            pos = end + 1;
        }
        // Thousands of lines name the same host, user, command: share them here,
        // on the parsing threads.
        let mut names = crate::event::Names::default();
        for (_, p) in &mut out.events {
            if let Some(h) = &p.host {
                p.host = Some(names.get(h));
            }
            p.kind.share_names(&mut names);
        }
        if let Some((s, e)) = last_framed {
            let text = String::from_utf8_lossy(&chunk[s..e]);
            out.last_stamp = if text.starts_with('{') {
                match journal::parse(&text, facts) {
                    Verdict::Event(p) => Some(p.stamp),
                    _ => None,
                }
            } else {
                syslog::split_records(&text)
                    .filter_map(|r| syslog::parse_frame(r).ok())
                    .last()
                    .map(|f| f.stamp)
            };
        }
        out
    }

    fn facts() -> Facts {
        Facts::new(None, &[]).unwrap()
    }

    #[test]
    fn chunk_counts_every_line_once() {
        let chunk = b"Jan 22 07:53:01 myhostname.myhost.com CRON[31051]: (root) CMD (touch /var/run/crond.somecheck)\n\
MMM 22 07:54:32 myhostname.myhost.com anacron[29782]: Normal exit (1 job run)\n\
Nov 18 01:15:20 myhostname.myhost.com aprocess[10100]: This is a multi-line message that screws up\n\
\tmany syslog parsers.\n\
Nov 18 01:15:43: --- last message repeated 5 times ---\n\
garbage \xff\xfe line\n\
Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure";
        let out = parse_syslog_chunk(chunk, &facts());
        assert_eq!(out.counts.lines, 7);
        assert_eq!(out.counts.recognized, 1);
        assert_eq!(out.counts.malformed, 2);
        assert_eq!(out.counts.ignored, 4);
        assert_eq!(out.counts.invalid_utf8, 1);
        assert_eq!(out.events.len(), 1);
        assert_eq!(
            out.malformed.iter().map(|m| m.0).collect::<Vec<_>>(),
            vec![1, 5]
        );
        assert!(out.last_stamp.is_some());
    }

    #[test]
    fn stream_line_gives_every_record() {
        let chunk = b"<78>Mar  6 04:07:23 hostname cron[18786]: (CRON) INFO (pidfile fd = 3)<78>Mar  6 04:07:23 hostname cron[18786]: (CRON) INFO (Skipping @reboot jobs -- not system startup)\n";
        let out = parse_syslog_chunk(chunk, &facts());
        assert_eq!(out.counts.lines, 1);
        assert_eq!(out.counts.recognized, 1);
        assert_eq!(out.events.len(), 2);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff(b"Dec  3 04:00:01 web-01 CRON[1]: (root) CMD (x)\n").0,
            Sniffed::Scheduler
        );
        assert_eq!(sniff(br##"{"ts":"2026-12-03T04:00:07Z","job":"b","method":"chat.postMessage","channel":"#a","http_status":200,"response":{"ok":true}}"##).0, Sniffed::Slack);
        assert_eq!(
            sniff(br#"{"__REALTIME_TIMESTAMP":"1","MESSAGE":"x"}"#).0,
            Sniffed::Scheduler
        );
        assert_eq!(
            sniff(b"2026-12-03 04:00:01 starting backup\nexit code 0\n").0,
            Sniffed::JobLog
        );
        assert_eq!(
            sniff(b"2026-12-01 04:00:01,120 backup: starting full backup of /srv/app\n").0,
            Sniffed::JobLog
        );
        assert!(matches!(sniff(b"\x00\x01\x02").0, Sniffed::Skip(_)));
        // Python's logging with an ISO time: `TIME LEVEL name: message` has
        // a syslog header's shape, with a level for a host.
        for log in [
            &b"2026-12-03T04:00:01Z INFO etl: starting\n2026-12-03T04:00:09Z ERROR etl: exit code 3\n"[..],
            b"2026-12-03T04:00:01+01:00 INFO starting\n2026-12-03T04:00:09+01:00 ERROR failed: exit code 3\n",
        ] {
            assert_eq!(sniff(log).0, Sniffed::JobLog, "{}", String::from_utf8_lossy(log));
        }
        // A host that is no level still makes syslog.
        assert_eq!(
            sniff(b"2026-12-03T04:00:01.123456+01:00 web-01 CRON[7]: (root) CMD (x)\n").0,
            Sniffed::Scheduler
        );
        // A tar archive (as gzip decompressed it): skipped, with why.
        let mut tar = vec![0u8; 512];
        tar[..14].copy_from_slice(b"web-02/syslog\0");
        tar[257..263].copy_from_slice(b"ustar\0");
        tar.extend(b"Dec  3 04:00:01 web-02 CRON[1]: (root) CMD (x)\n");
        assert_eq!(
            sniff(&tar),
            (
                Sniffed::Skip("a tar archive: unpack it and give the folder"),
                "tar".into()
            )
        );
    }

    #[test]
    fn syslog_with_a_nul_block_after_a_crash_is_still_syslog() {
        let mut s = b"Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (backup.sh)\n".to_vec();
        s.extend([0u8; 4096]);
        s.extend(b"Dec  3 05:00:01 web-01 kernel: Linux version 6.1\n");
        s.extend(b"Dec  3 05:00:01 web-01 CRON[200]: (root) CMD (backup.sh)\n");
        assert_eq!(sniff(&s).0, Sniffed::Scheduler);
        let mut bin = b"some text\n".to_vec();
        bin.extend([0u8, 1, 2, 3, 0, 0]);
        assert!(matches!(sniff(&bin).0, Sniffed::Skip(_)));
    }

    #[test]
    fn coloured_lines_are_read_without_their_colour() {
        let facts = Facts::new(None, &[]).unwrap();
        let s = b"\x1b[0;1;39mDec 03 04:00:01 web-01 CRON[1001]: (root) CMD (/opt/backup.sh)\x1b[0m\nDec  3 05:00:01 web-01 \x1b[01;31m\x1b[KCRON\x1b[m\x1b[K[1101]: (root) CMD (/opt/report.sh)\n";
        let out = parse_syslog_chunk(s, &facts);
        assert_eq!(out.counts.recognized, 2, "{:?}", out.malformed);
        assert_eq!(
            out.events[1].1.text,
            "Dec  3 05:00:01 web-01 CRON[1101]: (root) CMD (/opt/report.sh)"
        );
        assert_eq!(strip_ansi("a\x1b[1mb\x1b"), "ab");
        assert_eq!(strip_ansi("caf\u{e9} \x1b[31mx"), "caf\u{e9} x");
    }

    #[test]
    fn a_line_after_a_nul_run_is_parsed_and_gives_the_last_stamp() {
        let facts = Facts::new(None, &[]).unwrap();
        let mut s = b"Dec  3 04:00:01 h CRON[101]: (root) CMD (/opt/a.sh)\n".to_vec();
        s.extend([0u8; 12]);
        s.extend(b"Dec  3 04:01:01 h CRON[102]: (root) CMD (/opt/b.sh)\n");
        let out = parse_syslog_chunk(&s, &facts);
        assert_eq!((out.counts.lines, out.counts.recognized), (2, 2));
        assert_eq!(
            out.events[1].1.text,
            "Dec  3 04:01:01 h CRON[102]: (root) CMD (/opt/b.sh)"
        );
        let want = syslog::parse_frame("Dec  3 04:01:01 h CRON[102]: x")
            .unwrap()
            .stamp;
        assert_eq!(out.last_stamp, Some(want));
        // A line of NULs only stays what it was: malformed.
        let out = parse_syslog_chunk(&[0u8; 64], &facts);
        assert_eq!((out.counts.lines, out.counts.malformed), (1, 1));
    }

    /// Real lines of every shape the chunk scan tells apart: cron, cronie,
    /// systemd that matters and systemd that does not (and `systemd` in a
    /// host name), a cron word inside noise, journal JSON, rsyslog stream
    /// lines, continuations, blank and framing-less lines, colour codes.
    const SHAPES: &[&str] = &[
        "Dec  3 04:00:01 web-01 CRON[52185]: (root) CMD (cd /srv/app && ./bin/backup.sh --full >> /var/log/jobs/backup.log 2>&1)",
        "Dec  3 04:00:01 web-01 CRON[52184]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
        "Dec  3 04:00:42 web-01 CRON[52184]: (CRON) error (grandchild #52185 failed with exit status 2)",
        "Jul 28 09:01:00 localhost CROND[2175]: (root) CMDEND (run-parts /etc/cron.hourly)",
        "Dec  3 04:00:31 web-01 systemd[1]: backup.service: Main process exited, code=exited, status=1/FAILURE",
        "Dec  3 04:00:03 web-07 systemd[1]: session-812.scope: Deactivated successfully.",
        "Dec  3 04:00:03 systemd-host sshd[4242]: Accepted publickey for deploy from 10.0.3.7 port 51234 ssh2",
        "Dec  3 04:00:03 web-07 systemd-logind[612]: New session 812 of user deploy.",
        "Dec  3 04:00:03 web-07 systemd[1]: Started cron.service - Regular background program processing daemon.",
        "Dec  3 04:00:02 web-07 kernel: [12345.678901] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.3.11",
        "Dec  3 04:00:02 web-07 nginx: GET /cron/status HTTP/1.1 200",
        "<78>1 2026-12-03T04:00:01.003+01:00 web-01 CRON 12345 - - (root) CMD (true)",
        "2026-12-03T04:00:01.123456+01:00 web-01 CRON[12345]: (root) CMD (/usr/local/bin/sync)",
        r#"{"__REALTIME_TIMESTAMP":"1796270401000000","_HOSTNAME":"db-01","SYSLOG_IDENTIFIER":"CRON","_PID":"7","MESSAGE":"(root) CMD (vacuum)"}"#,
        r#"{"not":"journal"}"#,
        "<78>Mar  6 04:07:23 hostname cron[18786]: (CRON) INFO (pidfile fd = 3)<78>Mar  6 04:07:23 hostname cron[18786]: (CRON) INFO (Skipping @reboot jobs)",
        "\tcontinued line of a multi-line message with cron in it",
        " leading space run-parts",
        "",
        "garbage without a frame",
        "garbage with CRON in it",
        "Nov 18 01:15:43: --- last message repeated 5 times ---",
        "\x1b[0;1;39mDec 03 04:00:01 web-01 CRON[1001]: (root) CMD (/opt/backup.sh)\x1b[0m",
        "Dec  3 05:00:01 web-01 \x1b[01;31m\x1b[KCRON\x1b[m\x1b[K[1101]: (root) CMD (/opt/report.sh)",
        "Feb 29 04:00:01 h CRON[1]: (root) CMD (leap)",
        "Dec  3 04:00:01 h anacron[9]: Job `cron.daily' started",
        "Dec  3 04:00:01 h run-parts(/etc/cron.daily)[10]: starting logrotate",
    ];

    fn line_or_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            8 => (0..SHAPES.len()).prop_map(|i| SHAPES[i].as_bytes().to_vec()),
            1 => proptest::collection::vec(any::<u8>(), 0..40),
            1 => proptest::collection::vec(prop_oneof![Just(0u8), Just(b'\r'), Just(0xff), Just(b'C')], 0..6),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The scan that jumps between prefilter hits gives exactly what the
        /// line-by-line scan gave: events, counts, malformed examples, the
        /// last stamp.
        #[test]
        fn jumping_scan_gives_what_the_line_scan_gave(
            lines in proptest::collection::vec(line_or_bytes(), 0..40),
            ends in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just("\n"), proptest::strategy::Just("\r\n")], 40),
            last_newline: bool,
        ) {
            use proptest::prelude::*;
            let mut chunk = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                chunk.extend_from_slice(l);
                if i + 1 < lines.len() || last_newline {
                    chunk.extend_from_slice(ends[i].as_bytes());
                }
            }
            let facts = facts();
            let new = parse_syslog_chunk(&chunk, &facts);
            let old = reference_chunk(&chunk, &facts);
            prop_assert_eq!(new.counts, old.counts);
            prop_assert_eq!(&new.events, &old.events);
            prop_assert_eq!(&new.malformed, &old.malformed);
            prop_assert_eq!(new.last_stamp, old.last_stamp);
        }
    }

    #[test]
    fn jumping_scan_on_the_demo_and_the_shared_corpus() {
        let facts = facts();
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        for dir in [
            "fixtures/demo/web-01",
            "fixtures/demo/web-02",
            "fixtures/demo/db-01",
            "../shared/corpus",
            "../shared/corpus/plaso",
        ] {
            if let Ok(rd) = std::fs::read_dir(dir) {
                files.extend(rd.flatten().map(|e| e.path()).filter(|p| p.is_file()));
            }
        }
        assert!(files.len() >= 4, "{files:?}");
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let new = parse_syslog_chunk(&data, &facts);
            let old = reference_chunk(&data, &facts);
            assert_eq!(new.counts, old.counts, "{}", f.display());
            assert_eq!(new.events, old.events, "{}", f.display());
            assert_eq!(new.malformed, old.malformed, "{}", f.display());
            assert_eq!(new.last_stamp, old.last_stamp, "{}", f.display());
        }
    }
}
