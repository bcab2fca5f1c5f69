//! The one pass over a scheduler input's bytes that finds its lines and the
//! few lines worth parsing.
//!
//! Nearly every syslog line is noise, and the tool's speed is the speed of
//! this pass. [`lines`] calls `line(start, end, hit, ascii)` for every line
//! of a chunk, in order (`end` is the offset of its `\n`, or the chunk's
//! end); `hit` says which of the prefilter literals the line holds: none,
//! only `systemd`, or one of the cron family (`cron`, `CRON`, `Cron`,
//! `run-parts`); `ascii` that every byte of it is ASCII (so it is valid
//! UTF-8 without another look).
//!
//! On x86_64 with AVX2 one vectorised pass finds, 32 bytes at a time, both
//! the line ends and the places where a literal may start, told by two of
//! its bytes (`c`, `n` at 0 and 3 in any case; `s`, `t`; `r`, `-`: about
//! four places a KiB of syslog); only those places are compared with the
//! literals; and which lines hold a byte over 0x7f, so only those need
//! a UTF-8 check. No separate newline search, literal search or UTF-8
//! pass over the data. Other machines take the portable pass: the packed literal search jumps from one line holding
//! a literal to the next, and `memchr` finds the lines between. Both give
//! the same lines and hits; the tests hold them to each other.

use super::Hit;

/// Call `line(start, end, hit, ascii)` for each line of `chunk` (see the
/// module doc).
#[inline]
pub fn lines(chunk: &[u8], mut line: impl FnMut(usize, usize, Hit, bool)) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        let (done, start, hit, high) = unsafe { avx2::lines(chunk, &mut line) };
        return scalar_tail(chunk, done, start, hit, high, &mut line);
    }
    portable(chunk, &mut line);
}

/// The literal starting at `q`, if one does: what an anchor ([`anchor`])
/// only suggested.
#[inline]
fn literal_at(b: &[u8], q: usize) -> Hit {
    let rest = &b[q..];
    if rest.starts_with(b"cron") || rest.starts_with(b"CRON") || rest.starts_with(b"Cron") {
        Hit::Cron
    } else if rest.starts_with(b"systemd") {
        Hit::Systemd
    } else if rest.starts_with(b"run-parts") {
        Hit::Cron
    } else {
        Hit::None
    }
}

/// Whether one of the literals may start at `q` (the anchors the vectorised
/// pass tests): `c ? ? n` in any case, `s ? ? t`, `r ? ? -`.
#[inline]
fn anchor(b: &[u8], q: usize) -> bool {
    let (Some(&a), Some(&d)) = (b.get(q), b.get(q + 3)) else {
        return false;
    };
    (a | 0x20 == b'c' && d | 0x20 == b'n') || (a == b's' && d == b't') || (a == b'r' && d == b'-')
}

/// Lines from `done` on, one byte at a time: the vectorised pass stops where
/// fewer than 35 bytes are left. `start` is the current line's start, `hit`
/// what was found on it so far, and `high` whether it holds a byte over 0x7f.
fn scalar_tail(
    chunk: &[u8],
    done: usize,
    mut start: usize,
    mut hit: Hit,
    mut high: bool,
    line: &mut impl FnMut(usize, usize, Hit, bool),
) {
    for q in done..chunk.len() {
        if chunk[q] == b'\n' {
            line(start, q, hit, !high);
            start = q + 1;
            hit = Hit::None;
            high = false;
        } else {
            high |= chunk[q] > 0x7f;
            if hit != Hit::Cron && anchor(chunk, q) {
                hit = hit.max(literal_at(chunk, q));
            }
        }
    }
    if start < chunk.len() {
        line(start, chunk.len(), hit, !high);
    }
}

/// The portable pass: the packed literal search finds the next line holding
/// a literal, `memchr` the lines before it.
fn portable(chunk: &[u8], line: &mut impl FnMut(usize, usize, Hit, bool)) {
    let mut pos = 0;
    let ascii = |s: usize, e: usize| chunk[s..e].is_ascii();
    let plain = |from: usize, to: usize, line: &mut dyn FnMut(usize, usize, Hit, bool)| {
        let mut start = from;
        for nl in memchr::memchr_iter(b'\n', &chunk[from..to]) {
            line(start, from + nl, Hit::None, ascii(start, from + nl));
            start = from + nl + 1;
        }
        if start < to {
            line(start, to, Hit::None, ascii(start, to));
        }
    };
    while pos < chunk.len() {
        let span = aho_corasick::Span::from(pos..chunk.len());
        let Some(m) = super::PREFILTER.find_in(chunk, span) else {
            plain(pos, chunk.len(), line);
            return;
        };
        let start = memchr::memrchr(b'\n', &chunk[pos..m.start()]).map_or(pos, |i| pos + i + 1);
        plain(pos, start, line);
        let end = memchr::memchr(b'\n', &chunk[m.end()..]).map_or(chunk.len(), |i| m.end() + i);
        line(
            start,
            end,
            super::hit_on(&chunk[start..end]),
            ascii(start, end),
        );
        pos = end + 1;
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{Hit, literal_at};
    use std::arch::x86_64::*;

    /// The vectorised pass over `b[..done]`, where `done` is the first
    /// offset with fewer than 35 bytes after it (each step reads 32 bytes at
    /// offsets 0 and 3). Returns `done`, the start of the line it ends
    /// in, what was found on that line so far, and whether it holds a byte
    /// over 0x7f.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn lines(
        b: &[u8],
        line: &mut impl FnMut(usize, usize, Hit, bool),
    ) -> (usize, usize, Hit, bool) {
        let fold = _mm256_set1_epi8(0x20);
        let byte = |c: u8| _mm256_set1_epi8(c as i8);
        let (nl, c, n) = (byte(b'\n'), byte(b'c'), byte(b'n'));
        let (s, t, r, dash) = (byte(b's'), byte(b't'), byte(b'r'), byte(b'-'));
        let (mut start, mut hit, mut high) = (0, Hit::None, false);
        let mut i = 0;
        while i + 35 <= b.len() {
            // SAFETY: i + 3 + 32 <= b.len(): the unaligned 32-byte loads at
            // i and i + 3 stay inside `b`.
            let (v0, v3) = unsafe {
                let p = b.as_ptr().add(i);
                (
                    _mm256_loadu_si256(p.cast()),
                    _mm256_loadu_si256(p.add(3).cast()),
                )
            };
            let (f0, f3) = (_mm256_or_si256(v0, fold), _mm256_or_si256(v3, fold));
            let eq = _mm256_cmpeq_epi8;
            let and = _mm256_and_si256;
            let cron = and(eq(f0, c), eq(f3, n));
            let sys = and(eq(v0, s), eq(v3, t));
            let run = and(eq(v0, r), eq(v3, dash));
            let anchors = _mm256_or_si256(_mm256_or_si256(cron, sys), run);
            let mut cand = _mm256_movemask_epi8(anchors) as u32;
            // Bytes over 0x7f: their top bit.
            let mut top = _mm256_movemask_epi8(v0) as u32;
            let mut ends = _mm256_movemask_epi8(eq(v0, nl)) as u32;
            while ends != 0 {
                let k = ends.trailing_zeros();
                // What stands before this line end is this line's.
                let below = (1u32 << k) - 1;
                let mut mine = cand & below;
                while mine != 0 && hit != Hit::Cron {
                    hit = hit.max(literal_at(b, i + mine.trailing_zeros() as usize));
                    mine &= mine - 1;
                }
                high |= top & below != 0;
                line(start, i + k as usize, hit, !high);
                start = i + k as usize + 1;
                hit = Hit::None;
                high = false;
                // Drop bits 0..=k (the line end itself is neither).
                let upto = below | (1u32 << k);
                cand &= !upto;
                top &= !upto;
                ends &= ends - 1;
            }
            while cand != 0 && hit != Hit::Cron {
                hit = hit.max(literal_at(b, i + cand.trailing_zeros() as usize));
                cand &= cand - 1;
            }
            high |= top != 0;
            i += 32;
        }
        (i, start, hit, high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Line = (usize, usize, Hit, bool);

    fn via_lines(chunk: &[u8]) -> Vec<Line> {
        let mut v = Vec::new();
        lines(chunk, |s, e, h, a| v.push((s, e, h, a)));
        v
    }

    fn via_portable(chunk: &[u8]) -> Vec<Line> {
        let mut v = Vec::new();
        portable(chunk, &mut |s, e, h, a| v.push((s, e, h, a)));
        v
    }

    /// Every line, exactly once, in order, with what the packed literal
    /// search finds on it and whether it is all ASCII; the vectorised and
    /// the portable pass agree.
    fn check(chunk: &[u8]) {
        let mut want: Vec<Line> = Vec::new();
        let mut start = 0;
        for (i, &c) in chunk.iter().enumerate() {
            if c == b'\n' {
                let l = &chunk[start..i];
                want.push((start, i, super::super::hit_on(l), l.is_ascii()));
                start = i + 1;
            }
        }
        if start < chunk.len() {
            let l = &chunk[start..];
            want.push((start, chunk.len(), super::super::hit_on(l), l.is_ascii()));
        }
        let shown = String::from_utf8_lossy(chunk);
        assert_eq!(via_lines(chunk), want, "{shown:?}");
        assert_eq!(via_portable(chunk), want, "{shown:?}");
    }

    #[test]
    fn literals_at_every_offset_and_block_edge() {
        for lit in [
            "cron",
            "CRON",
            "Cron",
            "systemd",
            "run-parts",
            "cRon",
            "syst",
            "run-",
        ] {
            for pad in 0..70 {
                for tail in [0usize, 1, 2, 3, 40] {
                    let mut v = vec![b'x'; pad];
                    v.extend_from_slice(lit.as_bytes());
                    v.extend(std::iter::repeat_n(b'y', tail));
                    check(&v);
                    v.push(b'\n');
                    v.extend_from_slice(b"no literal here at all, just a long enough line\n");
                    check(&v);
                    v.extend_from_slice(b"systemd then cron on one line, and a filesystem\n");
                    check(&v);
                }
            }
        }
        check(b"");
        check(b"\n");
        check(b"\n\n\n");
        check(&[b'\n'; 100]);
        check("cr\u{f3}n \u{e9}\u{e9} systemd\n".as_bytes());
        check(b"run-partsystemd and more text to fill a vector or two....\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        #[test]
        fn every_line_once_with_its_literals(
            parts in proptest::collection::vec(prop_oneof![
                Just(&b"cron"[..]), Just(&b"CRON"[..]), Just(&b"Cron"[..]), Just(&b"cRoN"[..]),
                Just(&b"systemd"[..]), Just(&b"syst"[..]), Just(&b"run-parts"[..]), Just(&b"run-"[..]),
                Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b" "[..]), Just(&b"Dec  3 04:00:01 web-01 "[..]),
                Just(&b"\xff\xfe"[..]), Just(&b"\0"[..]), Just(&b"c"[..]), Just(&b"r"[..]), Just(&b"n"[..]),
                Just("caf\u{e9}".as_bytes()), Just(&b"\x80"[..]), Just(&b"\x7f"[..]),
            ], 0..60),
        ) {
            check(&parts.concat());
        }
    }
}
