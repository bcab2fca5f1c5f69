//! `crontriage.toml`: the bytes are written as the config file and the
//! settings built from it; a config that is accepted then drives a report
//! over a small fixed syslog (schedules, windows and patterns all run).
#![no_main]

use chrono::{TimeZone, Utc};
use crontriage::cli::{Color, CorrelationArgs, Format, InputArgs};
use crontriage::config::Config;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;

const SYSLOG: &str = "\
Dec  3 04:00:01 web-01 CRON[12345]: (root) CMD (cd /srv && ./bin/backup.sh --full)
Dec  3 04:00:05 web-01 CRON[12344]: (CRON) error (grandchild #12345 failed with exit status 3)
Dec  3 05:00:01 web-01 CRON[12400]: (root) CMD (python3 /opt/etl/load_ledger.py)
Dec  3 05:10:01 web-01 systemd[1]: Starting report.service - Daily report...
Dec  3 05:10:09 web-01 systemd[1]: report.service: Failed with result 'exit-code'.
Dec  4 04:00:01 web-01 CRON[13345]: (root) CMD (cd /srv && ./bin/backup.sh --full)
";

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let d = std::env::temp_dir().join(format!("crontriage-fuzz-config-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("syslog"), SYSLOG).unwrap();
    d
});

fuzz_target!(|data: &[u8]| {
    let path = DIR.join("crontriage.toml");
    std::fs::write(&path, data).unwrap();
    let input = InputArgs {
        config: Some(path),
        syslog: vec![DIR.join("syslog").display().to_string()],
        year: Some(2026),
        ..Default::default()
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap();
    let Ok(cfg) = Config::new(
        &input,
        &CorrelationArgs::default(),
        Format::Json,
        Color::Never,
        None,
        now,
    ) else {
        return;
    };
    let mut err = Vec::new();
    if let Ok(a) = crontriage::app::analyze(&cfg, &mut err) {
        let _ = crontriage::report::json(&a.report());
    }
});
