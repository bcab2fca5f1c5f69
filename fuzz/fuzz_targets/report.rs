//! The whole `report` over arbitrary bytes, in process. The first byte picks
//! the format and the mode; the rest is cut at 0x1E (record separator) into
//! a syslog, a job log (`backup.log`) and a Slack log, named by flags or
//! found by sniffing a folder.
#![no_main]

use clap::Parser;
use crontriage::cli::Cli;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::LazyLock;

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    // SAFETY: set before any thread reads the environment.
    unsafe { std::env::set_var("CRONTRIAGE_NO_PROGRESS", "1") };
    let d = std::env::temp_dir().join(format!("crontriage-fuzz-report-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
});

const FORMATS: [&str; 6] = ["table", "json", "ndjson", "csv", "markdown", "html"];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(3, |b| *b == 0x1e);
    let names = ["syslog", "backup.log", "slack.jsonl"];
    for name in names {
        std::fs::write(DIR.join(name), parts.next().unwrap_or(b"")).unwrap();
    }
    let p = |n: &str| DIR.join(n).display().to_string();
    let format = FORMATS[usize::from(mode) % FORMATS.len()];
    let mut args: Vec<String> = ["crontriage", "report", "--format", format, "--year", "2026"]
        .map(String::from)
        .to_vec();
    if mode & 0x40 != 0 {
        args.extend(["--tz".into(), "Europe/Berlin".into()]);
    } else {
        args.extend(["--tz".into(), "UTC".into()]);
    }
    if mode & 0x80 != 0 {
        args.push(DIR.display().to_string());
    } else {
        args.extend(["--syslog".into(), p("syslog")]);
        args.extend(["--job-log".into(), p("backup.log")]);
        args.extend(["--slack".into(), p("slack.jsonl")]);
    }
    if mode & 0x20 != 0 {
        args.push("--keep-going".into());
    }
    let cli = Cli::try_parse_from(&args).expect("fixed arguments parse");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let _ = crontriage::app::run(cli, &mut out, &mut err);
});
