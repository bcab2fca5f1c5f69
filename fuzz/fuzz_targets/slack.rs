//! Slack log records (JSON and key=value text) and the SDK lines a job
//! prints into its own log.
#![no_main]

use crontriage::formats::slack::{parse_line, sdk_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut prev: Option<&str> = None;
    for line in text.split('\n') {
        let _ = parse_line(line);
        let _ = sdk_line(line, prev);
        prev = Some(line);
    }
});
