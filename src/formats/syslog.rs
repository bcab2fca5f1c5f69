//! Syslog framing: the header before a message, in every form SPEC §1.1
//! names, mixed freely in one file.
//!
//! * RFC 3164 / BSD: `Dec  3 04:00:01 web-01 CRON[12345]: …`, with the
//!   variants real daemons write: unpadded day (`Nov 9`), fractional seconds,
//!   a leading weekday and trailing year (OpenWrt `logread`: `Tue Sep 29
//!   20:06:00 2026 cron.err crond[2058]: …`), a leading year (`journalctl -o
//!   short` with a year), no host (`<78>Jan  1 08:15:00 /usr/sbin/cron[73991]:
//!   …` from FreeBSD), and a `facility.level` token before the tag.
//! * RFC 5424: `<78>1 2026-12-03T04:00:01.003+01:00 web-01 CRON 12345 - - …`.
//! * ISO 8601 / rsyslog high precision / `journalctl -o short-iso(-precise)`:
//!   `2026-12-03T04:00:01.123456+01:00 web-01 CRON[12345]: …`.
//! * rsyslog's stream forms: several `<PRI>` records on one physical line
//!   ([`split_records`]).
//!
//! The parser borrows from the line and allocates nothing.

use crate::time::{Stamp, month_from_abbr, parse_hms, parse_iso};
use chrono::NaiveDate;

/// A framed syslog record, borrowed from its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    pub stamp: Stamp,
    pub host: Option<&'a str>,
    /// The tag's program part: `CRON`, `/usr/sbin/cron`, `crond(pam_unix)`,
    /// `run-parts(/etc/cron.daily)`.
    pub ident: &'a str,
    pub pid: Option<u32>,
    pub msg: &'a str,
    /// The tag was written as a tag (`ident[pid]:`, `ident:`, or RFC 5424),
    /// not a bare word: a surer sign of syslog when sniffing a file.
    pub tagged: bool,
}

/// Why a line that looked like it wanted to be syslog is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// No recognisable timestamp at the start.
    NoTimestamp,
    /// A timestamp but nothing after it that names a program.
    NoTag,
}

impl FrameError {
    pub fn reason(self) -> &'static str {
        match self {
            FrameError::NoTimestamp => "no syslog timestamp at the start of the line",
            FrameError::NoTag => "syslog timestamp but no program tag",
        }
    }
}

/// Parse one record (one physical line, or one record of a stream line).
/// A line of a `grep` extract (`/var/log/syslog.1:Dec  3 …`, `812:Dec  3
/// …`, both, or zgrep's) is the record after the prefix grep added.
pub fn parse_frame(line: &str) -> Result<Frame<'_>, FrameError> {
    match parse_record(line) {
        Err(FrameError::NoTimestamp) => match grep_prefix(line) {
            Some(n) => parse_record(&line[n..]).map_err(|_| FrameError::NoTimestamp),
            None => Err(FrameError::NoTimestamp),
        },
        r => r,
    }
}

/// The length of a `file:` and/or `N:` prefix as `grep -H`/`-n` write it:
/// a first word with no space, ending in a colon, then digits and a colon.
fn grep_prefix(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let colon = memchr::memchr(b':', &b[..b.len().min(4096)])?;
    if colon == 0 || b[..colon].iter().any(|c| c.is_ascii_whitespace()) {
        return None;
    }
    let mut n = colon + 1;
    let digits = b[n..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && b.get(n + digits) == Some(&b':') {
        n += digits + 1;
    }
    Some(n)
}

fn parse_record(line: &str) -> Result<Frame<'_>, FrameError> {
    let b = line.as_bytes();
    let mut i = 0;
    // <PRI>
    if b.first() == Some(&b'<') {
        let n = b[1..]
            .iter()
            .take(3)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n > 0 && b.get(1 + n) == Some(&b'>') {
            i = 2 + n;
            // RFC 5424: VERSION SP
            if b.len() > i + 2 && b[i] == b'1' && b[i + 1] == b' ' && b[i + 2].is_ascii_digit() {
                return parse_5424(line, i + 2);
            }
        } else {
            return Err(FrameError::NoTimestamp);
        }
    }
    let (stamp, used) = parse_stamp(&b[i..]).ok_or(FrameError::NoTimestamp)?;
    i += used;
    parse_after_stamp(line, i, stamp)
}

/// A timestamp in any of the header forms, at the start of `b`.
fn parse_stamp(b: &[u8]) -> Option<(Stamp, usize)> {
    let first = *b.first()?;
    if first.is_ascii_digit() {
        if let Some((s, n)) = parse_iso(b) {
            return Some((s, n));
        }
        // `journalctl -o short` with a leading year: `2026 Dec 03 04:00:01`.
        if b.len() > 5 && b[4] == b' ' && b[..4].iter().all(u8::is_ascii_digit) {
            let year: i32 = std::str::from_utf8(&b[..4]).ok()?.parse().ok()?;
            let (s, n) = parse_bsd(&b[5..])?;
            return Some((with_year(s, year)?, 5 + n));
        }
        return None;
    }
    if !first.is_ascii_alphabetic() {
        return None;
    }
    // Weekday first: `Tue Sep 29 20:06:00 2026` (OpenWrt logread, ctime) or
    // `Thu 2026-12-03 04:00:01 UTC` (journalctl -o short-full).
    if b.len() > 4 && b[3] == b' ' && is_weekday(&b[..3]) {
        let rest = &b[4..];
        if let Some((s, n)) = parse_iso(rest) {
            let mut used = 4 + n;
            // A zone abbreviation may follow: only UTC/GMT are unambiguous.
            let s = match (s, zone_word(&b[used..])) {
                (Stamp::Local(naive), Some((z, zn))) => {
                    used += zn;
                    if z == "UTC" || z == "GMT" {
                        Stamp::Exact(naive.and_utc())
                    } else {
                        Stamp::Local(naive)
                    }
                }
                (s, _) => s,
            };
            return Some((s, used));
        }
        let (s, n) = parse_bsd(rest)?;
        return Some((s, 4 + n));
    }
    parse_bsd(b)
}

fn is_weekday(w: &[u8]) -> bool {
    crate::time::is_weekday_abbr(w)
}

/// An upper-case zone abbreviation (`UTC`, `CET`, `EST`) after a space.
fn zone_word(b: &[u8]) -> Option<(&str, usize)> {
    let rest = b.strip_prefix(b" ")?;
    let n = rest.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(2..=5).contains(&n) || rest.get(n).is_some_and(|c| *c != b' ') {
        return None;
    }
    Some((std::str::from_utf8(&rest[..n]).ok()?, n + 1))
}

/// `Mmm dd HH:MM:SS[.frac][ YYYY]` (day space-padded or not).
fn parse_bsd(b: &[u8]) -> Option<(Stamp, usize)> {
    if b.len() < 14 || b[3] != b' ' {
        return None;
    }
    let month = month_from_abbr(&b[..3])?;
    let mut i = 4;
    if b[i] == b' ' {
        i += 1;
    }
    let dn = b[i..]
        .iter()
        .take(2)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if dn == 0 {
        return None;
    }
    let day = b[i..i + dn]
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    i += dn;
    if b.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let (time, n) = parse_hms(&b[i..])?;
    i += n;
    // Reject days that exist in no year (Feb 30, Apr 31); Feb 29 needs a
    // year and is checked when the year is known.
    const LONGEST: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if day == 0 || day > LONGEST[month as usize - 1] {
        return None;
    }
    let mut stamp = Stamp::NoYear { month, day, time };
    // Trailing year (ctime style).
    if b.len() >= i + 5
        && b[i] == b' '
        && b[i + 1..i + 5].iter().all(u8::is_ascii_digit)
        && b.get(i + 5).is_none_or(|c| *c == b' ')
    {
        let year: i32 = std::str::from_utf8(&b[i + 1..i + 5]).ok()?.parse().ok()?;
        stamp = with_year(stamp, year)?;
        i += 5;
    }
    Some((stamp, i))
}

fn with_year(s: Stamp, year: i32) -> Option<Stamp> {
    match s {
        Stamp::NoYear { month, day, time } => Some(Stamp::Local(
            NaiveDate::from_ymd_opt(year, month, day)?.and_time(time),
        )),
        other => Some(other),
    }
}

fn is_facility_level(tok: &str) -> bool {
    let Some(dot) = tok.bytes().position(|c| c == b'.') else {
        return false;
    };
    let (fac, lvl) = (&tok[..dot], &tok[dot + 1..]);
    let fac_ok =
        matches!(
            fac,
            "kern"
                | "user"
                | "mail"
                | "daemon"
                | "auth"
                | "syslog"
                | "lpr"
                | "news"
                | "uucp"
                | "cron"
                | "authpriv"
                | "ftp"
                | "ntp"
                | "security"
                | "console"
                | "mark"
        ) || (fac.len() == 6 && fac.starts_with("local") && fac.as_bytes()[5].is_ascii_digit());
    fac_ok
        && matches!(
            lvl,
            "emerg"
                | "panic"
                | "alert"
                | "crit"
                | "err"
                | "error"
                | "warn"
                | "warning"
                | "notice"
                | "info"
                | "debug"
                | "none"
                | "*"
        )
}

/// Split `ident[pid]:` / `ident:` / `ident`; `None` unless the token looks
/// like a tag (ends in `:` or `]`).
fn split_tag(tok: &str) -> Option<(&str, Option<u32>)> {
    let t = tok.strip_suffix(':').unwrap_or(tok);
    if let Some(body) = t.strip_suffix(']') {
        let open = memchr::memrchr(b'[', body.as_bytes())?;
        let pid = body[open + 1..].trim().parse().ok()?;
        let ident = &body[..open];
        return (!ident.is_empty()).then_some((ident, Some(pid)));
    }
    (tok.ends_with(':') && !t.is_empty()).then_some((t, None))
}

fn next_token(line: &str, i: usize) -> Option<(&str, usize)> {
    let b = line.as_bytes();
    let start = i + b[i..].iter().take_while(|c| **c == b' ').count();
    if start >= b.len() {
        return None;
    }
    // Spaces are ASCII, so these byte offsets are char boundaries. Tokens
    // are short (a host, a tag): a plain loop beats a vectorised search's
    // setup.
    let end = b[start..]
        .iter()
        .position(|&c| c == b' ')
        .map_or(b.len(), |n| start + n);
    Some((&line[start..end], end))
}

fn parse_after_stamp(line: &str, i: usize, stamp: Stamp) -> Result<Frame<'_>, FrameError> {
    parse_relayed(line, i, stamp, 0)
}

/// After the stamp; `depth` relays' headers already passed over.
fn parse_relayed(line: &str, i: usize, stamp: Stamp, depth: u8) -> Result<Frame<'_>, FrameError> {
    let (mut tok, mut pos) = next_token(line, i).ok_or(FrameError::NoTag)?;
    // `Nov 18 01:15:43: --- last message repeated 5 times ---`: no host, no tag.
    if tok == ":" || tok.starts_with("---") {
        return Err(FrameError::NoTag);
    }
    let mut host = None;
    // The token's reading as a tag, worked out once.
    let mut tag = split_tag(tok);
    if is_facility_level(tok) {
        (tok, pos) = next_token(line, pos).ok_or(FrameError::NoTag)?;
        tag = split_tag(tok);
    } else if tag.is_none() {
        host = Some(tok);
        (tok, pos) = next_token(line, pos).ok_or(FrameError::NoTag)?;
        if is_facility_level(tok) {
            (tok, pos) = next_token(line, pos).ok_or(FrameError::NoTag)?;
        }
        tag = split_tag(tok);
        if tag.is_none() && depth < 2 {
            let at = pos - tok.len();
            // A relay's header before the original one (`relay1 Dec  3
            // 04:10:01 web-01 CRON[1]: …`): the original host and tag, at
            // the time the relay's own stamp gives (it carries the year,
            // and often the zone).
            if let Some((_, used)) = parse_stamp(&line.as_bytes()[at..]) {
                return parse_relayed(line, at + used, stamp, depth + 1);
            }
            // A relay's name before the original host's (`relay1 web-01
            // CRON[1]: …`): the host is the one right before the tag.
            if let Some((next, after)) = next_token(line, pos) {
                if next.ends_with("]:") {
                    let next_tag = split_tag(next);
                    if next_tag.is_some_and(|(_, pid)| pid.is_some()) {
                        host = Some(tok);
                        (tok, pos, tag) = (next, after, next_tag);
                    }
                }
            }
        }
    }
    // The tag; a tag with no colon is accepted as RFC 3164 allows
    // (`hostname log_tag this is debug`).
    let tagged = tag.is_some();
    let (ident, pid) = tag.unwrap_or((tok, None));
    let mut msg = line[pos..].strip_prefix(' ').unwrap_or(&line[pos..]);
    // macOS / Apple System Log: `cron[124] <Notice>: (root) CMD (…)`.
    if !tok.ends_with(':') {
        if let Some(rest) = msg.strip_prefix('<') {
            if let Some(end) = rest.find(">: ") {
                if (1..=10).contains(&end) && rest[..end].bytes().all(|c| c.is_ascii_alphabetic()) {
                    msg = &rest[end + 3..];
                }
            }
        }
    }
    Ok(Frame {
        stamp,
        host,
        ident,
        pid,
        msg,
        tagged,
    })
}

/// RFC 5424 after `<PRI>1 `: TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG.
fn parse_5424(line: &str, i: usize) -> Result<Frame<'_>, FrameError> {
    let b = line.as_bytes();
    let (stamp, used) = parse_iso(&b[i..]).ok_or(FrameError::NoTimestamp)?;
    fn nil(s: &str) -> Option<&str> {
        if s == "-" { None } else { Some(s) }
    }
    let (host, p) = next_token(line, i + used).ok_or(FrameError::NoTag)?;
    let (app, p) = next_token(line, p).ok_or(FrameError::NoTag)?;
    let (procid, p) = next_token(line, p).ok_or(FrameError::NoTag)?;
    let (_msgid, mut p) = next_token(line, p).ok_or(FrameError::NoTag)?;
    // STRUCTURED-DATA: `-` or one or more `[…]` with `\]` escapes.
    let rest = line[p..].trim_start_matches(' ');
    p = line.len() - rest.len();
    if rest.starts_with('-') {
        p += 1;
    } else if rest.starts_with('[') {
        let rb = rest.as_bytes();
        let mut k = 0;
        while k < rb.len() && rb[k] == b'[' {
            k += 1;
            while k < rb.len() && rb[k] != b']' {
                k += if rb[k] == b'\\' { 2 } else { 1 };
            }
            k += 1;
        }
        p += k.min(rb.len());
    }
    let msg = line[p.min(line.len())..].trim_start_matches(' ');
    let msg = msg.strip_prefix('\u{feff}').unwrap_or(msg);
    Ok(Frame {
        stamp,
        host: nil(host),
        ident: nil(app).ok_or(FrameError::NoTag)?,
        pid: nil(procid).and_then(|p| p.parse().ok()),
        msg,
        tagged: true,
    })
}

/// rsyslog's forwarding templates write records back to back with no
/// newline (`…this is debug<14>2021-03-06T04:07:33.196352+00:00 hostname …`),
/// and a record's own embedded newline leaves its tail in front of the next
/// one (`with another line<14>2021-…`). Split a line at every `<PRI>` that is
/// followed by a timestamp; a line without one is one record.
pub fn split_records(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(line);
    std::iter::from_fn(move || {
        let cur = rest?;
        let b = cur.as_bytes();
        let mut k = 1;
        while let Some(off) = memchr::memchr(b'<', b.get(k..)?) {
            let at = k + off;
            if starts_record(&b[at..]) {
                rest = Some(&cur[at..]);
                return Some(&cur[..at]);
            }
            k = at + 1;
        }
        rest = None;
        Some(cur)
    })
    .filter(|r| !r.is_empty())
}

fn starts_record(b: &[u8]) -> bool {
    let n = b[1..]
        .iter()
        .take(3)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 || b.get(1 + n) != Some(&b'>') {
        return false;
    }
    let after = &b[2 + n..];
    (after.len() > 2 && after[0] == b'1' && after[1] == b' ' && parse_iso(&after[2..]).is_some())
        || parse_stamp(after).is_some()
}

/// Cheap test, no parsing: could this line start a syslog record?
pub fn looks_framed(b: &[u8]) -> bool {
    match b.first() {
        Some(b'<') => true,
        Some(c) if c.is_ascii_digit() => true,
        Some(c) if c.is_ascii_alphabetic() => b.len() > 3 && b[3] == b' ',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveTime, Utc};

    fn exact(s: &str) -> Stamp {
        Stamp::Exact(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }
    fn noyear(month: u32, day: u32, h: u32, m: u32, s: u32) -> Stamp {
        Stamp::NoYear {
            month,
            day,
            time: NaiveTime::from_hms_opt(h, m, s).unwrap(),
        }
    }

    /// Real line → (stamp, host, ident, pid, message).
    #[test]
    fn real_framings() {
        type Want = (
            Stamp,
            Option<&'static str>,
            &'static str,
            Option<u32>,
            &'static str,
        );
        let cases: Vec<(&str, Want)> = vec![
            // corpus/plaso/syslog_cron.log
            (
                "Mar 11 22:55:30 ubuntu2015 CRON[3]: (root) CMD (touch /tmp/afile.txt)",
                (
                    noyear(3, 11, 22, 55, 30),
                    Some("ubuntu2015"),
                    "CRON",
                    Some(3),
                    "(root) CMD (touch /tmp/afile.txt)",
                ),
            ),
            // corpus/plaso/syslog_cron_debian.log (rsyslog high precision)
            (
                "2026-10-10T12:00:01.487368+00:00 ubuntu CRON[2749]: (svc-backup) CMD (/usr/local/bin/backup.sh --incremental >> /var/tmp/backup.log 2>&1)",
                (
                    exact("2026-10-10T12:00:01.487368Z"),
                    Some("ubuntu"),
                    "CRON",
                    Some(2749),
                    "(svc-backup) CMD (/usr/local/bin/backup.sh --incremental >> /var/tmp/backup.log 2>&1)",
                ),
            ),
            // corpus/plaso/syslog_rsyslog_SyslogProtocol23Format (RFC 5424)
            (
                "<78>1 2021-03-06T04:07:38.268395+00:00 hostname cron 18898 - -  (CRON) INFO (pidfile fd = 3)",
                (
                    exact("2021-03-06T04:07:38.268395Z"),
                    Some("hostname"),
                    "cron",
                    Some(18898),
                    "(CRON) INFO (pidfile fd = 3)",
                ),
            ),
            // FreeBSD: <PRI> and no host
            (
                "<78>Jan  1 08:15:00 /usr/sbin/cron[73991]: (root) CMD (/usr/libexec/atrun)",
                (
                    noyear(1, 1, 8, 15, 0),
                    None,
                    "/usr/sbin/cron",
                    Some(73991),
                    "(root) CMD (/usr/libexec/atrun)",
                ),
            ),
            // LogHub Thunderbird after `cut -d' ' -f5-`: unpadded day, slash in host
            (
                "Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root",
                (
                    noyear(11, 9, 12, 1, 1),
                    Some("dn228/dn228"),
                    "crond(pam_unix)",
                    Some(2915),
                    "session closed for user root",
                ),
            ),
            // corpus/plaso/syslog: fractional seconds in RFC 3164
            (
                "Mar 23 23:01:18.123 myhostname.myhost.com somrandomexe[19]: This syslog message has a fractional value for seconds.",
                (
                    Stamp::NoYear {
                        month: 3,
                        day: 23,
                        time: NaiveTime::from_hms_milli_opt(23, 1, 18, 123).unwrap(),
                    },
                    Some("myhostname.myhost.com"),
                    "somrandomexe",
                    Some(19),
                    "This syslog message has a fractional value for seconds.",
                ),
            ),
            // kernel with no host
            (
                "Nov 18 08:30:20 kernel: [997.390602] sda2: rw=0, want=65, limit=2",
                (
                    noyear(11, 18, 8, 30, 20),
                    None,
                    "kernel",
                    None,
                    "[997.390602] sda2: rw=0, want=65, limit=2",
                ),
            ),
            // corpus/plaso/syslog_rsyslog_SysklogdFileFormat: tag without colon
            (
                "Mar  6 04:07:28 hostname log_tag this is debug",
                (
                    noyear(3, 6, 4, 7, 28),
                    Some("hostname"),
                    "log_tag",
                    None,
                    "this is debug",
                ),
            ),
            // OpenWrt logread: weekday, trailing year, facility.level, no host
            (
                "Tue Sep 29 20:06:00 2026 cron.err crond[2058]: USER root pid 10010 cmd /usr/bin/backup",
                (
                    Stamp::Local(
                        NaiveDate::from_ymd_opt(2026, 9, 29)
                            .unwrap()
                            .and_hms_opt(20, 6, 0)
                            .unwrap(),
                    ),
                    None,
                    "crond",
                    Some(2058),
                    "USER root pid 10010 cmd /usr/bin/backup",
                ),
            ),
            // facility.level between host and tag
            (
                "Dec  3 04:00:01 web-01 cron.info CRON[12345]: (root) CMD (true)",
                (
                    noyear(12, 3, 4, 0, 1),
                    Some("web-01"),
                    "CRON",
                    Some(12345),
                    "(root) CMD (true)",
                ),
            ),
            // journalctl -o short-iso (offset without colon)
            (
                "2026-12-03T04:00:01+0100 web-01 CRON[12345]: (root) CMD (true)",
                (
                    exact("2026-12-03T03:00:01Z"),
                    Some("web-01"),
                    "CRON",
                    Some(12345),
                    "(root) CMD (true)",
                ),
            ),
            // journalctl -o short with a leading year
            (
                "2026 Dec 03 04:00:01 web-01 CRON[12345]: (root) CMD (true)",
                (
                    Stamp::Local(
                        NaiveDate::from_ymd_opt(2026, 12, 3)
                            .unwrap()
                            .and_hms_opt(4, 0, 1)
                            .unwrap(),
                    ),
                    Some("web-01"),
                    "CRON",
                    Some(12345),
                    "(root) CMD (true)",
                ),
            ),
            // journalctl -o short-full
            (
                "Thu 2026-12-03 04:00:01 UTC web-01 CRON[12345]: (root) CMD (true)",
                (
                    exact("2026-12-03T04:00:01Z"),
                    Some("web-01"),
                    "CRON",
                    Some(12345),
                    "(root) CMD (true)",
                ),
            ),
            // Relayed: the relay's name before the original host's, and a
            // relay's whole header before the original one (QA found each
            // counted ignored, its run lost).
            (
                "Dec  3 04:09:01 relay1 h1 CRON[110]: (root) CMD (/opt/j.sh)",
                (
                    noyear(12, 3, 4, 9, 1),
                    Some("h1"),
                    "CRON",
                    Some(110),
                    "(root) CMD (/opt/j.sh)",
                ),
            ),
            (
                "Dec  3 04:10:01 relay1 Dec  3 04:10:01 h1 CRON[111]: (root) CMD (/opt/k.sh)",
                (
                    noyear(12, 3, 4, 10, 1),
                    Some("h1"),
                    "CRON",
                    Some(111),
                    "(root) CMD (/opt/k.sh)",
                ),
            ),
            (
                "2026-12-03T04:13:01+00:00 relay1 Dec  3 04:13:01 h1 CRON[114]: (root) CMD (/opt/n.sh)",
                (
                    exact("2026-12-03T04:13:01Z"),
                    Some("h1"),
                    "CRON",
                    Some(114),
                    "(root) CMD (/opt/n.sh)",
                ),
            ),
            // `grep -H` / `-n` / zgrep extracts: the record after the prefix.
            (
                "/var/log/syslog.1:Dec  3 04:00:01 web-01 CRON[1001]: (root) CMD (/opt/backup.sh)",
                (
                    noyear(12, 3, 4, 0, 1),
                    Some("web-01"),
                    "CRON",
                    Some(1001),
                    "(root) CMD (/opt/backup.sh)",
                ),
            ),
            (
                "812:Dec  3 06:00:01 web-01 CRON[1201]: (root) CMD (/opt/grepn.sh)",
                (
                    noyear(12, 3, 6, 0, 1),
                    Some("web-01"),
                    "CRON",
                    Some(1201),
                    "(root) CMD (/opt/grepn.sh)",
                ),
            ),
            (
                "/var/log/syslog.2.gz:77:2026-12-03T07:00:01+00:00 web-01 CRON[1301]: (root) CMD (/opt/z.sh)",
                (
                    exact("2026-12-03T07:00:01Z"),
                    Some("web-01"),
                    "CRON",
                    Some(1301),
                    "(root) CMD (/opt/z.sh)",
                ),
            ),
            // macOS (`syslog -F std`): the level between tag and message.
            (
                "Dec  3 04:05:01 mac-mini cron[124] <Notice>: (root) CMD (/opt/backup.sh)",
                (
                    noyear(12, 3, 4, 5, 1),
                    Some("mac-mini"),
                    "cron",
                    Some(124),
                    "(root) CMD (/opt/backup.sh)",
                ),
            ),
            // RFC 3164 without a colon after the tag stays as it was read.
            (
                "Mar  6 04:07:23 hostname log_tag this is debug",
                (
                    noyear(3, 6, 4, 7, 23),
                    Some("hostname"),
                    "log_tag",
                    None,
                    "this is debug",
                ),
            ),
        ];
        for (line, (stamp, host, ident, pid, msg)) in cases {
            let f = parse_frame(line).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(
                (f.stamp, f.host, f.ident, f.pid, f.msg),
                (stamp, host, ident, pid, msg),
                "{line}"
            );
        }
    }

    #[test]
    fn not_framed() {
        for line in [
            "MMM 22 07:54:32 myhostname.myhost.com anacron[29782]: Normal exit (1 job run)",
            "\tmany syslog parsers.",
            "with another line",
            "",
            "Feb 30 01:00:00 host x: y",
        ] {
            assert_eq!(
                parse_frame(line).map(|_| ()),
                Err(FrameError::NoTimestamp),
                "{line}"
            );
        }
        assert_eq!(
            parse_frame("Nov 18 01:15:43: --- last message repeated 5 times ---").map(|_| ()),
            Err(FrameError::NoTag)
        );
    }

    #[test]
    fn stream_records_split() {
        // corpus/plaso/syslog_rsyslog_ForwardFormat, second physical line
        let line = "with another line<14>2021-03-06T04:07:33.196417+00:00 hostname log_tag !@#$%^&*()-_=+[]{}\\|;:'\",./<>?<10>2021-03-06T04:07:33.196443+00:00 hostname log_tag this is critical";
        let recs: Vec<&str> = split_records(line).collect();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0], "with another line");
        assert!(recs[1].ends_with("<>?"));
        assert_eq!(parse_frame(recs[2]).unwrap().msg, "this is critical");
        assert_eq!(split_records("plain <b>text</b> line").count(), 1);
        let trad = "<15>Mar  6 04:07:23 hostname log_tag this is debug<14>Mar  6 04:07:23 hostname log_tag this is info";
        assert_eq!(split_records(trad).count(), 2);
    }
}
