//! `journalctl -o json` lines.
#![no_main]

use crontriage::formats::joblog::Facts;
use crontriage::formats::journal;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static FACTS: LazyLock<Facts> = LazyLock::new(|| Facts::new(None, &[]).unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.split('\n') {
        let _ = journal::parse(line, &FACTS);
    }
});
