//! The pipeline below the command line, many times faster than `report`
//! (the config and its compiled patterns are built once): the bytes are cut
//! at 0x1E into a syslog, a job log and a Slack log; they are analysed and
//! the report rendered in every format, `explain` for every run included.
#![no_main]

use chrono::{TimeZone, Utc};
use crontriage::cli::{Color, CorrelationArgs, Format, InputArgs};
use crontriage::config::Config;
use crontriage::report;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;

const NAMES: [&str; 3] = ["syslog", "backup.log", "slack.jsonl"];

static SETUP: LazyLock<(PathBuf, Config)> = LazyLock::new(|| {
    let d = std::env::temp_dir().join(format!("crontriage-fuzz-pipeline-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("crontriage.toml"),
        "tz = \"Europe/Berlin\"\n[channels]\n\"#ops\" = \"C024BE91L\"\n\
         [[job]]\nname = \"backup\"\nmatch = \"backup\"\nchannel = \"#ops\"\nnotify = \"always\"\nschedule = \"0 4 * * *\"\n",
    )
    .unwrap();
    let p = |n: &str| d.join(n).display().to_string();
    let input = InputArgs {
        config: Some(d.join("crontriage.toml")),
        syslog: vec![p(NAMES[0])],
        job_log: vec![p(NAMES[1])],
        slack: vec![p(NAMES[2])],
        year: Some(2026),
        keep_going: true,
        ..Default::default()
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap();
    let cfg = Config::new(
        &input,
        &CorrelationArgs::default(),
        Format::Json,
        Color::Never,
        None,
        now,
    )
    .unwrap();
    (d, cfg)
});

fuzz_target!(|data: &[u8]| {
    let (dir, cfg) = &*SETUP;
    let mut parts = data.splitn(3, |b| *b == 0x1e);
    for name in NAMES {
        std::fs::write(dir.join(name), parts.next().unwrap_or(b"")).unwrap();
    }
    let mut err = Vec::new();
    let Ok(a) = crontriage::app::analyze(cfg, &mut err) else {
        return;
    };
    let r = a.report();
    let _ = report::json(&r);
    let _ = report::ndjson(&r);
    let mut streamed = Vec::new();
    report::write_json(&a.parts(), &mut streamed, false).unwrap();
    report::write_json(&a.parts(), &mut streamed, true).unwrap();
    let _ = report::table::render(&r, true, true);
    let _ = report::markdown::render(&r);
    let _ = report::csv::render(&r);
    let _ = report::html::render(&r);
    for run in &r.runs {
        let _ = report::explain::render_in(run, &r.zone, false);
        assert!(report::explain::find(&r, &run.id).is_ok(), "{}", run.id);
    }
});
