//! Scheduler messages by ident: the bytes are `ident \0 pid \0 message`
//! (missing parts are empty), so the fuzzer can steer each part.
#![no_main]

use crontriage::formats::scheduler_message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let ident = parts.next().unwrap_or("");
    let pid = parts.next().unwrap_or("");
    let msg = parts.next().unwrap_or("");
    let pid = pid.trim().parse::<u32>().ok();
    let _ = scheduler_message(ident, pid, msg);
    // The common idents with the whole input as the message.
    for ident in ["CRON", "CROND", "crond", "anacron", "systemd", "run-parts(/etc/cron.daily)"] {
        let _ = scheduler_message(ident, Some(1), &text);
    }
});
