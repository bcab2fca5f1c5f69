//! Timestamps as logs write them, and their resolution to UTC.
//!
//! Parsers stay stateless (so a file can be parsed in parallel chunks): they
//! return a [`Stamp`] exactly as the line wrote it. A [`Resolver`], one per
//! input and fed in line order, turns stamps into UTC:
//!
//! * A stamp with an offset is exact.
//! * A stamp without a zone is read in the configured zone (`--tz`, config
//!   `tz`, else the machine's). Across a DST change:
//!   - a local time that happens twice (clocks go back) is the earlier
//!     instant unless the input has already moved past it, in which case it
//!     is the later one — so a log that runs through the repeated hour keeps
//!     going forward;
//!   - a local time that never happens (clocks go forward) is read with the
//!     offset in force just before the gap, i.e. 02:30 on a spring-forward
//!     night in Berlin is 01:30 UTC — the instant a clock that had not yet
//!     jumped would have shown.
//! * A year-less RFC 3164 stamp takes its year from `--year` (the year of the
//!   input's first line; each December→January step moves to the next year),
//!   else from the input's modification time: the year that puts the line at
//!   or before the mtime, walking back one year when the date would fall
//!   after it (a January file holding December lines).

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Utc,
};
use chrono_tz::Tz;

/// A timestamp as written in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Carries its own offset.
    Exact(DateTime<Utc>),
    /// Full date and time, no zone.
    Local(NaiveDateTime),
    /// RFC 3164: month, day, time; no year, no zone.
    NoYear {
        month: u32,
        day: u32,
        time: NaiveTime,
    },
}

/// Where a year-less stamp gets its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRule {
    /// `--year`: the year of the first line.
    Fixed(i32),
    /// The input's modification time, as local time in the zone.
    Mtime(NaiveDateTime),
}

/// Resolves the stamps of one input, in line order.
#[derive(Debug, Clone)]
pub struct Resolver {
    zone: Tz,
    year: YearRule,
    /// `Fixed` mode: current year and the month of the previous stamp.
    cur_year: i32,
    last_month: u32,
    /// Latest instant resolved so far (for the repeated DST hour).
    last: Option<DateTime<Utc>>,
}

impl Resolver {
    pub fn new(zone: Tz, year: YearRule) -> Self {
        let cur_year = match year {
            YearRule::Fixed(y) => y,
            YearRule::Mtime(m) => m.year(),
        };
        Resolver {
            zone,
            year,
            cur_year,
            last_month: 0,
            last: None,
        }
    }

    /// UTC for `stamp`, or `None` when the date does not exist (Feb 29 in a
    /// common year, day 31 of a 30-day month).
    pub fn resolve(&mut self, stamp: Stamp) -> Option<DateTime<Utc>> {
        let t = match stamp {
            Stamp::Exact(t) => t,
            Stamp::Local(naive) => self.local(naive),
            Stamp::NoYear { month, day, time } => {
                let naive = self.with_year(month, day)?.and_time(time);
                self.local(naive)
            }
        };
        if self.last.is_none_or(|l| t > l) {
            self.last = Some(t);
        }
        Some(t)
    }

    fn with_year(&mut self, month: u32, day: u32) -> Option<NaiveDate> {
        match self.year {
            YearRule::Fixed(_) => {
                // Only a step from the year's last months to its first ones is
                // a New Year; awkward files that jump around stay in one year.
                if self.last_month >= 11 && month <= 2 {
                    self.cur_year += 1;
                } else if self.last_month <= 2 && month >= 11 {
                    // Back from January to the December days just before
                    // it: the clock stepped back over New Year (NTP, a VM
                    // restored from a snapshot), not on to next December.
                    let before = NaiveDate::from_ymd_opt(self.cur_year - 1, month, day);
                    let last = self.last.map(|l| l.date_naive());
                    if let (Some(b), Some(l)) = (before, last) {
                        if b <= l && (l - b).num_days() <= 3 {
                            self.cur_year -= 1;
                        }
                    }
                }
                self.last_month = month;
                NaiveDate::from_ymd_opt(self.cur_year, month, day)
            }
            YearRule::Mtime(mtime) => {
                let y = mtime.year();
                // One day of slack for clock skew between the writer and the
                // file system, and for zones.
                let limit = mtime.date() + Duration::days(1);
                match NaiveDate::from_ymd_opt(y, month, day) {
                    Some(d) if d <= limit => Some(d),
                    // After the mtime, or Feb 29 in a common year: the year
                    // before, as for every date (a Feb 29 in neither is no
                    // date, as with --year, not one years away).
                    _ => NaiveDate::from_ymd_opt(y - 1, month, day).filter(|d| *d <= limit),
                }
            }
        }
    }

    fn local(&self, naive: NaiveDateTime) -> DateTime<Utc> {
        resolve_local(self.zone, naive, self.last)
    }
}

/// A local wall-clock time in `zone` as UTC, with the DST rules in the module
/// doc; `after` is the latest instant already seen in the same input.
pub fn resolve_local(
    zone: Tz,
    naive: NaiveDateTime,
    after: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, late) => {
            let (early, late) = (early.with_timezone(&Utc), late.with_timezone(&Utc));
            match after {
                // Already past the first pass through the repeated hour.
                Some(a) if a > early => late,
                _ => early,
            }
        }
        LocalResult::None => {
            // In the gap: use the offset in force just before it.
            let before = naive - Duration::hours(3);
            let offset = match zone.from_local_datetime(&before) {
                LocalResult::Single(t) => t.offset().fix(),
                LocalResult::Ambiguous(t, _) => t.offset().fix(),
                LocalResult::None => zone.offset_from_utc_datetime(&naive).fix(),
            };
            Utc.from_utc_datetime(&(naive - Duration::seconds(offset.local_minus_utc() as i64)))
        }
    }
}

/// Month number from a three-letter English abbreviation (any case).
pub fn month_from_abbr(b: &[u8]) -> Option<u32> {
    let &[a, b, c] = b else {
        return None;
    };
    // Folded to lower case by setting bit 5: exact for letters (each lower
    // case letter has exactly one other byte, its capital, that folds to
    // it), and no month holds anything else. One integer match, since the
    // framing test asks this of nearly every line of a syslog.
    Some(
        match u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0]) {
            x if x == abbr(b"jan") => 1,
            x if x == abbr(b"feb") => 2,
            x if x == abbr(b"mar") => 3,
            x if x == abbr(b"apr") => 4,
            x if x == abbr(b"may") => 5,
            x if x == abbr(b"jun") => 6,
            x if x == abbr(b"jul") => 7,
            x if x == abbr(b"aug") => 8,
            x if x == abbr(b"sep") => 9,
            x if x == abbr(b"oct") => 10,
            x if x == abbr(b"nov") => 11,
            x if x == abbr(b"dec") => 12,
            _ => return None,
        },
    )
}

const fn abbr(w: &[u8; 3]) -> u32 {
    u32::from_le_bytes([w[0], w[1], w[2], 0])
}

/// A weekday's three-letter English abbreviation (any case), as a leading
/// weekday in `ctime` and `journalctl -o short-full` stamps writes it.
pub fn is_weekday_abbr(b: &[u8]) -> bool {
    let &[a, b, c] = b else {
        return false;
    };
    matches!(
        u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0]),
        x if x == abbr(b"mon")
            || x == abbr(b"tue")
            || x == abbr(b"wed")
            || x == abbr(b"thu")
            || x == abbr(b"fri")
            || x == abbr(b"sat")
            || x == abbr(b"sun")
    )
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + (d - b'0') as u32))
}

/// `HH:MM:SS` with an optional `.fff`/`,fff` fraction at the start of `b`;
/// returns the time and the bytes consumed.
pub fn parse_hms(b: &[u8]) -> Option<(NaiveTime, usize)> {
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let h = digits(&b[0..2])?;
    let m = digits(&b[3..5])?;
    let s = digits(&b[6..8])?;
    let mut used = 8;
    let mut nanos = 0u32;
    if b.len() > 9 && (b[8] == b'.' || b[8] == b',') && b[9].is_ascii_digit() {
        let frac_len = b[9..].iter().take_while(|c| c.is_ascii_digit()).count();
        let frac = &b[9..9 + frac_len];
        for (i, d) in frac.iter().take(9).enumerate() {
            nanos += (d - b'0') as u32 * 10u32.pow(8 - i as u32);
        }
        used = 9 + frac_len;
    }
    // A leap second (":60") is read as :59.999…
    let (s, nanos) = if s == 60 {
        (59, 999_999_999)
    } else {
        (s, nanos)
    };
    Some((NaiveTime::from_hms_nano_opt(h, m, s, nanos)?, used))
}

/// `YYYY-MM-DD` at the start of `b`.
pub fn parse_ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// An ISO 8601 / RFC 3339 stamp at the start of `b`: `YYYY-MM-DD`, `T` or a
/// space, `HH:MM:SS[.frac]`, then optionally `Z`, `±HH:MM`, `±HHMM` or `±HH`.
/// Returns the stamp and the bytes consumed.
pub fn parse_iso(b: &[u8]) -> Option<(Stamp, usize)> {
    let date = parse_ymd(b)?;
    if b.len() < 19 || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
        return None;
    }
    let (time, used) = parse_hms(&b[11..])?;
    let mut i = 11 + used;
    let naive = date.and_time(time);
    let rest = &b[i..];
    let offset_secs: Option<i32> = match rest.first() {
        Some(b'Z') | Some(b'z') => {
            i += 1;
            Some(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let r = &rest[1..];
            let (h, m, n) = if r.len() >= 5 && r[2] == b':' {
                (digits(&r[0..2])?, digits(&r[3..5])?, 5)
            } else if r.len() >= 4 && r[..4].iter().all(u8::is_ascii_digit) {
                (digits(&r[0..2])?, digits(&r[2..4])?, 4)
            } else if r.len() >= 2 && r[..2].iter().all(u8::is_ascii_digit) {
                (digits(&r[0..2])?, 0, 2)
            } else {
                return None;
            };
            if h > 23 || m > 59 {
                return None;
            }
            i += 1 + n;
            let s = (h * 3600 + m * 60) as i32;
            Some(if sign == b'-' { -s } else { s })
        }
        _ => None,
    };
    let stamp = match offset_secs {
        Some(off) => Stamp::Exact(Utc.from_utc_datetime(&(naive - Duration::seconds(off as i64)))),
        None => Stamp::Local(naive),
    };
    Some((stamp, i))
}

/// Epoch seconds (fractional allowed) as UTC; plausible range only
/// (2000–2100), so that a bare number is not mistaken for a time.
pub fn from_epoch_secs(secs: f64) -> Option<DateTime<Utc>> {
    if !(946_684_800.0..4_102_444_800.0).contains(&secs) {
        return None;
    }
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9).round().min(999_999_999.0) as u32;
    Utc.timestamp_opt(whole as i64, nanos).single()
}

/// An integer count since the epoch — seconds, milliseconds, microseconds
/// or nanoseconds, told apart by magnitude — exactly (no float rounding).
pub fn from_epoch_int(n: i64) -> Option<DateTime<Utc>> {
    let (secs, nanos) = if n > 100_000_000_000_000_000 {
        (n / 1_000_000_000, (n % 1_000_000_000) as u32)
    } else if n > 100_000_000_000_000 {
        (n / 1_000_000, (n % 1_000_000) as u32 * 1_000)
    } else if n > 100_000_000_000 {
        (n / 1_000, (n % 1_000) as u32 * 1_000_000)
    } else {
        (n, 0)
    };
    from_epoch_secs(secs as f64)?;
    Utc.timestamp_opt(secs, nanos).single()
}

/// Epoch seconds, milliseconds or microseconds, told apart by magnitude.
pub fn from_epoch_any(n: f64) -> Option<DateTime<Utc>> {
    if n.fract() == 0.0 && n.abs() < 9e18 {
        return from_epoch_int(n as i64);
    }
    if n > 1e17 {
        from_epoch_secs(n / 1e9)
    } else if n > 1e14 {
        from_epoch_secs(n / 1e6)
    } else if n > 1e11 {
        from_epoch_secs(n / 1e3)
    } else {
        from_epoch_secs(n)
    }
}

/// Format as RFC 3339 UTC with second precision, or with the fraction when
/// there is one, trailing zeros dropped (`2026-12-03T03:00:01Z`,
/// `2026-12-03T03:00:01.0065Z`).
pub fn rfc3339(t: DateTime<Utc>) -> String {
    use chrono::Timelike;
    // By hand: chrono's `format` parses its pattern on every call, and this
    // runs for every run and evidence line of a report.
    fn push2(s: &mut String, n: u32) {
        s.push((b'0' + (n / 10) as u8) as char);
        s.push((b'0' + (n % 10) as u8) as char);
    }
    let mut s = String::with_capacity(32);
    let y = t.year();
    if (0..=9999).contains(&y) {
        push2(&mut s, y as u32 / 100);
        push2(&mut s, y as u32 % 100);
    } else {
        s.push_str(&format!("{y:+05}"));
    }
    s.push('-');
    push2(&mut s, t.month());
    s.push('-');
    push2(&mut s, t.day());
    s.push('T');
    push2(&mut s, t.hour());
    s.push(':');
    push2(&mut s, t.minute());
    s.push(':');
    push2(&mut s, t.second());
    let nanos = t.timestamp_subsec_nanos();
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folded one-integer match is the plain case-insensitive one, for
    /// every first and second byte and the third drawn from letters,
    /// their neighbours (`@`, `[`, backtick, `{`), digits and high bytes.
    #[test]
    fn month_and_weekday_abbreviations_fold_exactly() {
        const MONTHS: [&[u8; 3]; 12] = [
            b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
            b"dec",
        ];
        const DAYS: [&[u8; 3]; 7] = [b"mon", b"tue", b"wed", b"thu", b"fri", b"sat", b"sun"];
        let thirds: Vec<u8> = (b'@'..=b'{')
            .chain(b'0'..=b'9')
            .chain([0, b' ', 0x80, 0xc3, 0xe0, 0xff])
            .collect();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for &c in &thirds {
                    let w = [a, b, c];
                    let low = w.to_ascii_lowercase();
                    let month = MONTHS
                        .iter()
                        .position(|m| **m == *low)
                        .map(|i| i as u32 + 1);
                    assert_eq!(month_from_abbr(&w), month, "{w:?}");
                    assert_eq!(
                        is_weekday_abbr(&w),
                        DAYS.iter().any(|d| **d == *low),
                        "{w:?}"
                    );
                }
            }
        }
        assert_eq!(month_from_abbr(b"Dec "), None);
        assert!(!is_weekday_abbr(b"Mo"));
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn iso_forms() {
        let cases: &[(&str, &str)] = &[
            (
                "2026-12-03T04:00:01.123456+01:00 web",
                "2026-12-03T03:00:01.123456Z",
            ),
            ("2026-12-03T04:00:01+0100 web", "2026-12-03T03:00:01Z"),
            ("2026-12-03T04:00:01Z", "2026-12-03T04:00:01Z"),
            ("2026-12-03 04:00:01,250-05:00", "2026-12-03T09:00:01.250Z"),
        ];
        for (line, want) in cases {
            let (stamp, _) = parse_iso(line.as_bytes()).unwrap();
            assert_eq!(stamp, Stamp::Exact(utc(want)), "{line}");
        }
        let (s, n) = parse_iso(b"2026-12-03 04:00:01 rest").unwrap();
        assert!(matches!(s, Stamp::Local(_)));
        assert_eq!(n, 19);
        assert!(parse_iso(b"2026-13-03T04:00:01Z").is_none());
    }

    #[test]
    fn dst_fall_back_repeated_hour_moves_forward() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let mut r = Resolver::new(berlin, YearRule::Fixed(2026));
        let d = |h, m| Stamp::NoYear {
            month: 10,
            day: 25,
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
        };
        assert_eq!(r.resolve(d(1, 30)).unwrap(), utc("2026-10-24T23:30:00Z"));
        assert_eq!(r.resolve(d(2, 30)).unwrap(), utc("2026-10-25T00:30:00Z"));
        assert_eq!(r.resolve(d(2, 10)).unwrap(), utc("2026-10-25T01:10:00Z"));
        assert_eq!(r.resolve(d(3, 0)).unwrap(), utc("2026-10-25T02:00:00Z"));
    }

    #[test]
    fn dst_spring_forward_gap_uses_offset_before() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let naive = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(
            resolve_local(berlin, naive, None),
            utc("2026-03-29T01:30:00Z")
        );
    }

    #[test]
    fn fixed_year_rolls_over_new_year() {
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Fixed(2026));
        let t = NaiveTime::from_hms_opt(23, 59, 0).unwrap();
        let a = r
            .resolve(Stamp::NoYear {
                month: 12,
                day: 31,
                time: t,
            })
            .unwrap();
        let b = r
            .resolve(Stamp::NoYear {
                month: 1,
                day: 1,
                time: t,
            })
            .unwrap();
        assert_eq!(a.year(), 2026);
        assert_eq!(b.year(), 2027);
    }

    #[test]
    fn clock_stepping_back_over_new_year_stays_in_the_old_year() {
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Fixed(2026));
        let at = |r: &mut Resolver, month, day, h| {
            let time = NaiveTime::from_hms_opt(h, 59, 0).unwrap();
            r.resolve(Stamp::NoYear { month, day, time })
                .unwrap()
                .year()
        };
        assert_eq!(at(&mut r, 12, 31, 23), 2026);
        assert_eq!(at(&mut r, 1, 1, 0), 2027);
        assert_eq!(at(&mut r, 12, 31, 23), 2026);
        assert_eq!(at(&mut r, 1, 1, 0), 2027);
        // A log silent from February to November is in the next year.
        assert_eq!(at(&mut r, 2, 10, 0), 2027);
        assert_eq!(at(&mut r, 11, 20, 0), 2027);
    }

    #[test]
    fn mtime_walks_back_across_new_year() {
        let mtime = NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap()
            .and_hms_opt(6, 0, 0)
            .unwrap();
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Mtime(mtime));
        let t = NaiveTime::from_hms_opt(23, 0, 0).unwrap();
        assert_eq!(
            r.resolve(Stamp::NoYear {
                month: 12,
                day: 31,
                time: t
            })
            .unwrap()
            .year(),
            2026
        );
        assert_eq!(
            r.resolve(Stamp::NoYear {
                month: 1,
                day: 1,
                time: t
            })
            .unwrap()
            .year(),
            2027
        );
    }

    #[test]
    fn feb_29_by_mtime_is_this_year_or_last_only() {
        let t = NaiveTime::from_hms_opt(1, 0, 0).unwrap();
        let feb29 = Stamp::NoYear {
            month: 2,
            day: 29,
            time: t,
        };
        let at = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
        };
        // A file written in January 2029 holds last year's Feb 29.
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Mtime(at(2029, 1, 5)));
        assert_eq!(r.resolve(feb29).unwrap().year(), 2028);
        // Written in March 2028: this year's.
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Mtime(at(2028, 3, 2)));
        assert_eq!(r.resolve(feb29).unwrap().year(), 2028);
        // Written in March 2027, neither 2027 nor 2026 has one: no date
        // (it was dated 2024, three years from its neighbours).
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Mtime(at(2027, 3, 2)));
        assert!(r.resolve(feb29).is_none());
    }

    #[test]
    fn feb_29_in_common_year_is_invalid() {
        let mut r = Resolver::new(chrono_tz::UTC, YearRule::Fixed(2026));
        let t = NaiveTime::from_hms_opt(1, 0, 0).unwrap();
        assert!(
            r.resolve(Stamp::NoYear {
                month: 2,
                day: 29,
                time: t
            })
            .is_none()
        );
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(rfc3339(utc("2026-12-03T03:00:01Z")), "2026-12-03T03:00:01Z");
        assert_eq!(
            rfc3339(utc("2026-12-03T03:00:01.0065Z")),
            "2026-12-03T03:00:01.0065Z"
        );
        assert_eq!(
            rfc3339(utc("2005-01-09T23:59:59.123456789Z")),
            "2005-01-09T23:59:59.123456789Z"
        );
    }

    #[test]
    fn hms_fraction() {
        let (t, n) = parse_hms(b"23:01:18.123 host").unwrap();
        assert_eq!(n, 12);
        assert_eq!(t, NaiveTime::from_hms_milli_opt(23, 1, 18, 123).unwrap());
    }
}
