//! A run's JSON, written directly from its [`Shown`] values: the same
//! bytes serde_json writes for the [`RunReport`](super::RunReport) made
//! from them (pretty at a depth, or compact for NDJSON), without making
//! one. A report of a fleet's day holds a hundred thousand runs, and
//! building, serializing and freeing a struct of owned strings for each
//! cost several times the writing. The tests hold this writer to
//! serde_json's bytes on hostile text, odd numbers and odd times.

use super::Shown;
use chrono::{DateTime, Utc};

/// What stands between a run's values — commas, newlines, indentation and
/// keys, as serde_json's pretty (two spaces a level) or compact formatter
/// puts them — made once per document, so each key is one copy.
pub(super) struct Layout {
    id: Box<[u8]>,
    job: Box<[u8]>,
    host: Box<[u8]>,
    user: Box<[u8]>,
    command: Box<[u8]>,
    scheduler: Box<[u8]>,
    started_at: Box<[u8]>,
    ended_at: Box<[u8]>,
    duration_s: Box<[u8]>,
    category: Box<[u8]>,
    categories: Box<[u8]>,
    /// Before an array's first item, and before each later one.
    first_item: Box<[u8]>,
    next_item: Box<[u8]>,
    /// After a non-empty array's last item, before its `]`.
    close_array: Box<[u8]>,
    execution: Box<[u8]>,
    exit_code: Box<[u8]>,
    execution_reason: Box<[u8]>,
    delivery: Box<[u8]>,
    attempts: Box<[u8]>,
    target: Box<[u8]>,
    expected_target: Box<[u8]>,
    error: Box<[u8]>,
    delivery_reason: Box<[u8]>,
    billing: Box<[u8]>,
    billing_layer: Box<[u8]>,
    billing_marker: Box<[u8]>,
    billing_reason: Box<[u8]>,
    close_billing: Box<[u8]>,
    reason: Box<[u8]>,
    evidence: Box<[u8]>,
    path: Box<[u8]>,
    line: Box<[u8]>,
    text: Box<[u8]>,
    close_evidence: Box<[u8]>,
    end: Box<[u8]>,
}

impl Layout {
    /// Runs written pretty as if `level`s deep in a pretty document, or
    /// compact (`None`).
    pub fn new(level: Option<usize>) -> Layout {
        // A newline and the indentation `d` levels below the run's own.
        let nl = |d: usize| level.map_or(String::new(), |l| format!("\n{}", "  ".repeat(l + d)));
        let colon = if level.is_some() { ": " } else { ":" };
        let key = |d: usize, k: &str| format!(",{}\"{k}\"{colon}", nl(d));
        let first_key = |d: usize, k: &str| format!("{}\"{k}\"{colon}", nl(d));
        let b = |s: String| s.into_bytes().into_boxed_slice();
        Layout {
            id: b(format!("{{{}", first_key(1, "id"))),
            job: b(key(1, "job")),
            host: b(key(1, "host")),
            user: b(key(1, "user")),
            command: b(key(1, "command")),
            scheduler: b(key(1, "scheduler")),
            started_at: b(key(1, "started_at")),
            ended_at: b(key(1, "ended_at")),
            duration_s: b(key(1, "duration_s")),
            category: b(key(1, "category")),
            categories: b(format!("{}[", key(1, "categories"))),
            first_item: b(nl(2)),
            next_item: b(format!(",{}", nl(2))),
            close_array: b(nl(1)),
            execution: b(format!(
                "{}{{{}",
                key(1, "execution"),
                first_key(2, "status")
            )),
            exit_code: b(key(2, "exit_code")),
            execution_reason: b(key(2, "reason")),
            delivery: b(format!(
                "{}}}{}{{{}",
                nl(1),
                key(1, "delivery"),
                first_key(2, "status")
            )),
            attempts: b(key(2, "attempts")),
            target: b(key(2, "target")),
            expected_target: b(key(2, "expected_target")),
            error: b(key(2, "error")),
            delivery_reason: b(key(2, "reason")),
            billing: b(format!("{}}}{}", nl(1), key(1, "billing"))),
            billing_layer: b(format!("{{{}", first_key(2, "layer"))),
            billing_marker: b(key(2, "marker")),
            billing_reason: b(key(2, "reason")),
            close_billing: b(format!("{}}}", nl(1))),
            reason: b(key(1, "reason")),
            evidence: b(format!("{}[", key(1, "evidence"))),
            path: b(format!("{{{}", first_key(3, "path"))),
            line: b(key(3, "line")),
            text: b(key(3, "text")),
            close_evidence: b(format!("{}}}", nl(2))),
            end: b(format!("{}}}", nl(0))),
        }
    }
}

/// Write `r` as serde_json writes its [`RunReport`](super::RunReport).
pub(super) fn run(r: &Shown, l: &Layout, out: &mut Vec<u8>) {
    out.extend_from_slice(&l.id);
    out.push(b'"');
    escaped(out, r.id);
    if r.nth > 1 {
        out.push(b'#');
        uint(out, u64::from(r.nth));
    }
    out.push(b'"');
    out.extend_from_slice(&l.job);
    string(out, &r.job);
    out.extend_from_slice(&l.host);
    opt_string(out, r.host.as_deref());
    out.extend_from_slice(&l.user);
    opt_string(out, r.user.as_deref());
    out.extend_from_slice(&l.command);
    opt_string(out, r.command.as_deref());
    out.extend_from_slice(&l.scheduler);
    name(out, r.scheduler);
    out.extend_from_slice(&l.started_at);
    stamp(out, r.started_at);
    out.extend_from_slice(&l.ended_at);
    match r.ended_at {
        Some(t) => stamp(out, t),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(&l.duration_s);
    match r.duration_s {
        Some(ms) => seconds(out, ms),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(&l.category);
    name(out, r.categories.first().as_str());
    out.extend_from_slice(&l.categories);
    let mut first = true;
    for c in r.categories.iter() {
        out.extend_from_slice(if first { &l.first_item } else { &l.next_item });
        first = false;
        name(out, c.as_str());
    }
    if !first {
        out.extend_from_slice(&l.close_array);
    }
    out.push(b']');
    let x = &r.execution;
    out.extend_from_slice(&l.execution);
    name(out, x.status);
    out.extend_from_slice(&l.exit_code);
    match x.exit_code {
        Some(c) => int(out, i64::from(c)),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(&l.execution_reason);
    string(out, &x.reason);
    let d = &r.delivery;
    out.extend_from_slice(&l.delivery);
    name(out, d.status);
    out.extend_from_slice(&l.attempts);
    uint(out, d.attempts as u64);
    out.extend_from_slice(&l.target);
    opt_string(out, d.target.as_deref());
    out.extend_from_slice(&l.expected_target);
    opt_string(out, d.expected_target.as_deref());
    out.extend_from_slice(&l.error);
    opt_string(out, d.error.as_deref());
    out.extend_from_slice(&l.delivery_reason);
    string(out, &d.reason);
    out.extend_from_slice(&l.billing);
    match &r.billing {
        Some(b) => {
            out.extend_from_slice(&l.billing_layer);
            name(out, b.layer);
            out.extend_from_slice(&l.billing_marker);
            string(out, &b.marker);
            out.extend_from_slice(&l.billing_reason);
            string(out, &b.reason);
            out.extend_from_slice(&l.close_billing);
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(&l.reason);
    string(out, &r.reason);
    out.extend_from_slice(&l.evidence);
    first = true;
    r.each_evidence(|path, line, text| {
        out.extend_from_slice(if first { &l.first_item } else { &l.next_item });
        first = false;
        out.extend_from_slice(&l.path);
        string(out, path);
        out.extend_from_slice(&l.line);
        uint(out, line);
        out.extend_from_slice(&l.text);
        string(out, text);
        out.extend_from_slice(&l.close_evidence);
    });
    if !first {
        out.extend_from_slice(&l.close_array);
    }
    out.push(b']');
    out.extend_from_slice(&l.end);
}

/// One of the fixed names (a status, category, scheduler): no escapes.
fn name(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!needs_escape(s.as_bytes()));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// `s` as a JSON string.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s.as_bytes());
    out.push(b'"');
}

/// Whether a byte of `s` needs an escape: a control character, `"` or `\`.
/// Nearly every string needs none, and is then copied whole. Sixteen bytes
/// a step, in a form the compiler turns into a few vector instructions, the
/// last step overlapping the one before; shorter strings as two
/// overlapping words of eight, each test setting a byte's top bit where it
/// holds (and erring only where another byte already holds, so "any" is
/// exact).
fn needs_escape(s: &[u8]) -> bool {
    fn block(b: &[u8; 16]) -> bool {
        let mut any = false;
        for &c in b {
            any |= (c < 0x20) | (c == b'"') | (c == b'\\');
        }
        any
    }
    fn word(b: &[u8]) -> u64 {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        let x = u64::from_ne_bytes(b.try_into().expect("eight bytes"));
        let zero = |y: u64| y.wrapping_sub(ONES) & !y;
        (x.wrapping_sub(ONES * 0x20) & !x)
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
    }
    const TOPS: u64 = u64::from_ne_bytes([0x80; 8]);
    let n = s.len();
    if n >= 16 {
        let mut blocks = s.chunks_exact(16);
        let any = blocks.any(|b| block(b.try_into().expect("sixteen bytes")));
        any || block(s[n - 16..].try_into().expect("sixteen bytes"))
    } else if n >= 8 {
        (word(&s[..8]) | word(&s[n - 8..])) & TOPS != 0
    } else {
        s.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\')
    }
}

/// `s` escaped as serde_json escapes: `"` and `\`, the short forms
/// `\b \f \n \r \t`, other controls as `\u00xx`; the rest as is.
fn escaped(out: &mut Vec<u8>, s: &[u8]) {
    if !needs_escape(s) {
        out.extend_from_slice(s);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut from = 0;
    for (i, &c) in s.iter().enumerate() {
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&s[from..i]);
        out.extend_from_slice(short);
        from = i + 1;
    }
    out.extend_from_slice(&s[from..]);
}

fn uint(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

fn int(out: &mut Vec<u8>, v: i64) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// `ms / 1000` seconds as serde_json writes the float: the shortest
/// decimal that reads back as the same double. Below 10^12 ms that is the
/// exact quotient (a shorter decimal lies 0.001 off, thousands of ulps
/// away), written with at least one decimal (`58.0`, `0.25`); larger
/// values go to serde_json.
fn seconds(out: &mut Vec<u8>, ms: i64) {
    if ms.unsigned_abs() >= 1_000_000_000_000 {
        serde_json::to_writer(&mut *out, &(ms as f64 / 1000.0)).expect("a float serializes");
        return;
    }
    if ms < 0 {
        out.push(b'-');
    }
    let a = ms.unsigned_abs();
    uint(out, a / 1000);
    out.push(b'.');
    let frac = (a % 1000) as u16;
    let digits = [
        b'0' + (frac / 100) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ];
    let keep = match frac {
        0 => 1,
        f if f % 100 == 0 => 1,
        f if f % 10 == 0 => 2,
        _ => 3,
    };
    out.extend_from_slice(&digits[..keep]);
}

/// A time in quotes (no escapes needed).
fn stamp(out: &mut Vec<u8>, t: DateTime<Utc>) {
    out.push(b'"');
    rfc3339(out, t);
    out.push(b'"');
}

/// `t` as [`crate::time::rfc3339`] writes it (`2026-12-03T03:00:01Z`,
/// `…:01.0065Z`), appended to `out` without a String of its own.
pub(super) fn rfc3339(out: &mut Vec<u8>, t: DateTime<Utc>) {
    use chrono::{Datelike, Timelike};
    // One conversion: DateTime's own accessors each go through the offset.
    let t = t.naive_utc();
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let y = t.year();
    if (0..=9999).contains(&y) {
        out.extend_from_slice(&two(y as u32 / 100));
        out.extend_from_slice(&two(y as u32 % 100));
    } else {
        // `{:+05}`: the sign, then at least four digits.
        out.push(if y < 0 { b'-' } else { b'+' });
        let a = y.unsigned_abs();
        if a < 1000 {
            out.extend_from_slice(&two(a / 100));
            out.extend_from_slice(&two(a % 100));
        } else {
            uint(out, u64::from(a));
        }
    }
    let [m0, m1] = two(t.month());
    let [d0, d1] = two(t.day());
    let [h0, h1] = two(t.hour());
    let [i0, i1] = two(t.minute());
    let [s0, s1] = two(t.second());
    out.extend_from_slice(&[
        b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', i0, i1, b':', s0, s1,
    ]);
    // The fraction as `{:09}` then trimmed of zeros; a leap second's
    // (1_000_000_000 and up) takes ten digits.
    let mut nanos = t.nanosecond();
    if nanos > 0 {
        out.push(b'.');
        let mut buf = [b'0'; 10];
        let mut i = buf.len();
        while nanos > 0 || i > 1 {
            i -= 1;
            buf[i] = b'0' + (nanos % 10) as u8;
            nanos /= 10;
        }
        let digits = &buf[i..];
        let keep = digits.iter().rposition(|&c| c != b'0').map_or(0, |k| k + 1);
        out.extend_from_slice(&digits[..keep]);
    }
    out.push(b'Z');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Category;
    use crate::report::{EvidenceLine, ShownBilling, ShownDelivery, ShownExecution};
    use std::borrow::Cow;

    fn sample<'a>(
        text: &'a str,
        categories: &'a [Category],
        evidence: &'a [EvidenceLine],
        duration: Option<i64>,
        billing: bool,
    ) -> Shown<'a> {
        Shown {
            id: text.as_bytes(),
            nth: if billing { 3 } else { 1 },
            job: Cow::Borrowed(text),
            host: Some("web-01".into()),
            user: None,
            command: Some(format!("/bin/sh -c '{text}'").into()),
            scheduler: "cron",
            started_at: "2026-12-03T04:00:00Z".parse().unwrap(),
            ended_at: billing.then(|| "2026-12-03T04:00:01.25Z".parse().unwrap()),
            duration_s: duration,
            categories: crate::classify::Categories::of(categories),
            execution: ShownExecution {
                status: "ok",
                exit_code: if billing { Some(-3) } else { None },
                reason: text.into(),
            },
            delivery: ShownDelivery {
                status: "not-required",
                attempts: 3,
                target: Some(text.into()),
                expected_target: None,
                error: None,
                reason: "none expected".into(),
            },
            billing: billing.then(|| ShownBilling {
                layer: "execution",
                marker: text.into(),
                reason: "billing inactive".into(),
            }),
            reason: text.into(),
            evidence: crate::report::Evidence::Lines(evidence),
        }
    }

    #[test]
    fn the_same_bytes_as_serde_json() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let texts = [
            "plain text".to_string(),
            String::new(),
            every_control,
            r#"{"ok":false,"error":"is_archived","path":"C:\\tmp\\x"}"#.to_string(),
            "tab\there, del \u{7f}, é, 日本, 🦀, \u{2028} line sep".to_string(),
            "\"\\\"\\\\".to_string(),
            "exactly8".to_string(),
            "sixteen bytes...".to_string(),
            "seventeen bytes!\"".to_string(),
        ];
        for text in &texts {
            let evidence = [
                EvidenceLine {
                    path: "/var/log/syslog".into(),
                    line: 1,
                    text: text.clone(),
                },
                EvidenceLine {
                    path: text.clone(),
                    line: u64::MAX,
                    text: String::new(),
                },
            ];
            for (duration, billing, cats, ev) in [
                (None, false, &[Category::Ok][..], &evidence[..]),
                (
                    Some(58_000),
                    true,
                    &[
                        Category::BillingInactive,
                        Category::ExecutionFailed,
                        Category::DeliveryFailed,
                    ][..],
                    &[][..],
                ),
                (
                    Some(300),
                    false,
                    &[Category::BillingInactive, Category::DeliveryFailed][..],
                    &evidence[..1],
                ),
                (Some(-1_250), false, &[Category::Missed][..], &evidence[..]),
                (
                    Some(0),
                    true,
                    &[Category::ExecutionFailed][..],
                    &evidence[..],
                ),
                (
                    Some(1_000_000_000_000_000),
                    false,
                    &[Category::Ok][..],
                    &evidence[..],
                ),
            ] {
                let r = sample(text, cats, ev, duration, billing);
                let report = r.report();
                for level in [0, 2, 5] {
                    let mut ours = Vec::new();
                    run(&r, &Layout::new(Some(level)), &mut ours);
                    let mut theirs = Vec::new();
                    crate::report::nested_json(&report, level, &mut theirs).unwrap();
                    assert_eq!(
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(&theirs),
                        "{text:?} {duration:?} at level {level}"
                    );
                }
                let mut ours = Vec::new();
                run(&r, &Layout::new(None), &mut ours);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    serde_json::to_string(&report).unwrap(),
                    "{text:?} {duration:?} compact"
                );
            }
        }
    }

    #[test]
    fn escapes_found_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for bad in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut s = vec![b'x'; len];
                    s[at] = bad;
                    assert!(needs_escape(&s), "{len} {at} {bad}");
                }
                for fine in [b' ', 0x7f, 0x80, 0xff, b'#', b']', b'!'] {
                    let mut s = vec![b'x'; len];
                    s[at] = fine;
                    assert!(!needs_escape(&s), "{len} {at} {fine}");
                }
            }
        }
    }

    #[test]
    fn seconds_as_serde_json_writes_them() {
        let mut values: Vec<i64> = (-2_100..2_100).collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let scale = 10u64.pow((x % 16) as u32);
            let v = (x >> 8) % scale;
            values.push(v as i64);
            values.push(-(v as i64));
        }
        for p in 0..=18 {
            let v = 10i64.pow(p);
            values.extend([v - 1, v, v + 1, -v]);
        }
        values.extend([i64::MAX, i64::MIN + 1, 999_999_999_999, 1_000_000_000_000]);
        for ms in values {
            let mut ours = Vec::new();
            seconds(&mut ours, ms);
            let theirs = serde_json::to_string(&(ms as f64 / 1000.0)).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{ms}");
        }
    }

    #[test]
    fn rfc3339_as_time_writes_it() {
        use chrono::{NaiveDate, TimeZone};
        let mut times: Vec<DateTime<Utc>> = [
            "2026-12-03T03:00:01Z",
            "2026-12-03T03:00:01.0065Z",
            "2026-12-03T03:00:01.000000001Z",
            "2026-12-03T03:00:01.1Z",
            "2026-12-03T03:00:01.999999999Z",
            "1970-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "0999-02-28T23:59:59.5Z",
            "9999-12-31T23:59:59.999Z",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        for y in [
            -262_000, -10_000, -9999, -1000, -999, -1, 10_000, 99_999, 262_000,
        ] {
            times.push(
                Utc.from_utc_datetime(
                    &NaiveDate::from_ymd_opt(y, 7, 4)
                        .unwrap()
                        .and_hms_nano_opt(5, 6, 7, 80)
                        .unwrap(),
                ),
            );
        }
        // A leap second: chrono counts it in the nanoseconds.
        times.push(
            Utc.from_utc_datetime(
                &NaiveDate::from_ymd_opt(2016, 12, 31)
                    .unwrap()
                    .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
                    .unwrap(),
            ),
        );
        let mut x: i64 = 1;
        for _ in 0..5000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let secs = (x >> 20) % 400_000_000_000;
            let nanos = (x as u64 % 3 == 0) as u32 * ((x >> 3) as u32 % 1_000_000_000);
            times.push(DateTime::from_timestamp(secs, nanos).unwrap());
        }
        for t in times {
            let mut ours = Vec::new();
            rfc3339(&mut ours, t);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                crate::time::rfc3339(t),
                "{t:?}"
            );
        }
    }
}
