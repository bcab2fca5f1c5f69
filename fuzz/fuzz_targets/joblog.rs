//! A job log read line by line (plain text and JSON lines, mixed), with the
//! default fact patterns.
#![no_main]

use crontriage::formats::joblog::{Facts, JobLogReader};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static FACTS: LazyLock<Facts> = LazyLock::new(|| Facts::new(None, &[]).unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut r = JobLogReader::new(&FACTS);
    for line in text.split('\n') {
        let _ = r.line(line);
    }
});
