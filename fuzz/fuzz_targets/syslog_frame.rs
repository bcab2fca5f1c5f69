//! Syslog framing: every record of a line, framed or not, must parse or be
//! refused without a panic, and a frame's parts must borrow from the line.
#![no_main]

use crontriage::formats::syslog::{parse_frame, split_records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let _ = parse_frame(&line);
    let mut total = 0;
    for rec in split_records(&line) {
        total += rec.len();
        if let Ok(f) = parse_frame(rec) {
            assert!(f.msg.len() <= rec.len());
            assert!(f.ident.len() <= rec.len());
        }
    }
    assert!(total <= line.len());
});
