//! A chunk of a scheduler input (syslog in any framing, journal JSON), as
//! the block reader hands it over. Every physical line is counted exactly
//! once, and every line holding invalid UTF-8 as such.
#![no_main]

use crontriage::formats::joblog::Facts;
use crontriage::formats::parse_syslog_chunk;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static FACTS: LazyLock<Facts> = LazyLock::new(|| Facts::new(None, &[]).unwrap());

fuzz_target!(|data: &[u8]| {
    let out = parse_syslog_chunk(data, &FACTS);
    let c = out.counts;
    assert_eq!(c.lines, c.recognized + c.ignored + c.malformed, "{c:?}");
    assert!(c.invalid_utf8 <= c.lines);
    let newlines = memchr_count(data);
    let want = if data.is_empty() {
        0
    } else {
        newlines + u64::from(data.last() != Some(&b'\n'))
    };
    assert_eq!(c.lines, want);
    // Lines holding invalid UTF-8, each judged alone (the line pass tells
    // only which lines hold a byte over 0x7f; those are checked).
    let bad = if data.is_empty() {
        0
    } else {
        data.strip_suffix(b"\n")
            .unwrap_or(data)
            .split(|&b| b == b'\n')
            .filter(|l| std::str::from_utf8(l).is_err())
            .count() as u64
    };
    assert_eq!(c.invalid_utf8, bad, "{c:?}");
    for (idx, _) in &out.events {
        assert!(*idx < c.lines);
    }
});

fn memchr_count(d: &[u8]) -> u64 {
    d.iter().filter(|b| **b == b'\n').count() as u64
}
