//! Property tests: totality, order independence, redaction idempotence.
//!
//! The parsers get arbitrary bytes and syslog-shaped lines with arbitrary
//! tails; the whole report runs in process (`app::run` on temp files) so a
//! few dozen cases stay fast. Case counts are modest: `cargo fuzz` (see
//! `fuzz/`) is where the long searches run.

use clap::Parser;
use crontriage::cli::Cli;
use crontriage::formats::joblog::{Facts, JobLogReader};
use crontriage::formats::syslog::{parse_frame, split_records};
use crontriage::formats::{journal, parse_syslog_chunk, scheduler_message, slack};
use crontriage::redact::redact;
use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

static FACTS: LazyLock<Facts> = LazyLock::new(|| Facts::new(None, &[]).unwrap());

/// Lines that look like the real thing up to a point, then anything.
fn syslogish() -> impl Strategy<Value = String> {
    let head = prop_oneof![
        Just("Dec  3 04:00:01 web-01 ".to_string()),
        Just("<78>1 2026-12-03T04:00:01.003+01:00 web-01 CRON 12345 - - ".to_string()),
        Just("2026-12-03T04:00:01.123456+01:00 web-01 ".to_string()),
        Just("<78>Jan  1 08:15:00 ".to_string()),
        Just("Tue Sep 29 20:06:00 2026 cron.err ".to_string()),
        Just("2026 Dec 03 04:00:01 h ".to_string()),
        "[A-Za-z<>0-9: .+-]{0,30}",
    ];
    let ident = prop_oneof![
        Just("CRON[12345]: "),
        Just("CROND[9]: "),
        Just("crond[2058]: "),
        Just("anacron[4]: "),
        Just("systemd[1]: "),
        Just("run-parts(/etc/cron.daily)[55]: "),
        Just("crond(pam_unix)[3]: "),
        Just(""),
    ];
    let msg = prop_oneof![
        Just("(root) CMD (".to_string()),
        Just("(CRON) error (grandchild #".to_string()),
        Just("pam_unix(cron:session): session ".to_string()),
        Just("Job `cron.daily' terminated".to_string()),
        Just("USER root pid ".to_string()),
        Just("backup.service: Main process exited, code=".to_string()),
        Just("Failed to start ".to_string()),
        Just("(root) CMDEND (".to_string()),
        "[ -~]{0,20}",
    ];
    (head, ident, msg, "\\PC{0,40}").prop_map(|(h, i, m, t)| format!("{h}{i}{m}{t}"))
}

fn bytes_or_lines() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        proptest::collection::vec(syslogish(), 0..8).prop_map(|v| v.join("\n").into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(data in bytes_or_lines()) {
        let text = String::from_utf8_lossy(&data);
        let out = parse_syslog_chunk(&data, &FACTS);
        let c = out.counts;
        prop_assert_eq!(c.lines, c.recognized + c.ignored + c.malformed);
        let mut reader = JobLogReader::new(&FACTS);
        let mut prev: Option<&str> = None;
        for line in text.split('\n') {
            let _ = parse_frame(line);
            for rec in split_records(line) {
                if let Ok(f) = parse_frame(rec) {
                    let _ = scheduler_message(f.ident, f.pid, f.msg);
                }
            }
            for ident in ["CRON", "CROND", "crond", "anacron", "systemd"] {
                let _ = scheduler_message(ident, Some(1), line);
            }
            let _ = journal::parse(line, &FACTS);
            let _ = slack::parse_line(line);
            let _ = slack::sdk_line(line, prev);
            let _ = reader.line(line);
            prev = Some(line);
        }
    }

    #[test]
    fn redaction_is_idempotent(s in "\\PC{0,200}") {
        let once = redact(&s);
        prop_assert_eq!(redact(&once), once.clone());
    }

    #[test]
    fn a_secret_between_spaces_never_survives_and_redaction_is_idempotent(
        before in "[ -~]{0,40}",
        (secret, tail) in secret(),
        after in "[ -~]{0,40}",
    ) {
        let s = format!("{before} {secret} {after}");
        let once = redact(&s);
        prop_assert_eq!(redact(&once), once.clone());
        // The token's random tail is the secret.
        prop_assert!(!once.contains(&tail), "{} -> {}", s, once);
    }
}

/// Secrets as they appear in the wild, each ending in a random tail of at
/// least 12 characters that contains a digit (so it cannot be a word of
/// the surrounding text).
fn secret() -> impl Strategy<Value = (String, String)> {
    let tail = "[A-Za-z]{6}[0-9][A-Za-z0-9]{5,20}";
    (
        prop_oneof![
            Just("xoxb-1234-5678-"),
            Just("xoxp-1-2-"),
            Just("xoxa-2-"),
            Just("xoxs-"),
            Just("xoxe-1-"),
            Just("xapp-1-A0-123-"),
            Just("https://hooks.slack.com/services/T0/B0/"),
            Just("Authorization: Bearer "),
            Just("Authorization: "),
            Just("bearer "),
            Just("sk-proj-"),
            Just("sk-ant-api03-"),
            Just("postgres://backup:"),
        ],
        tail,
    )
        .prop_map(|(p, t)| {
            let s = if p.ends_with(':') {
                format!("{p}{t}@db:5432/app")
            } else {
                format!("{p}{t}")
            };
            (s, t)
        })
}

// ------------------------------------------------------ order independence

/// One generated run: which job and host, when (seconds after 00:00 on
/// Dec 3), and how it ended.
#[derive(Debug, Clone)]
struct GenRun {
    job: usize,
    host: usize,
    offset: u32,
    end: u8,
}

fn runs() -> impl Strategy<Value = Vec<GenRun>> {
    proptest::collection::vec((0..4usize, 0..3usize, 0..50u32, 0..5u8), 1..24).prop_map(|v| {
        let mut t = 0;
        v.into_iter()
            .map(|(job, host, gap, end)| {
                t += 61 + gap;
                GenRun {
                    job,
                    host,
                    offset: t,
                    end,
                }
            })
            .collect()
    })
}

fn stamp(secs: u32) -> String {
    format!(
        "Dec  3 {:02}:{:02}:{:02}",
        secs / 3600 % 24,
        secs / 60 % 60,
        secs % 60
    )
}

/// Each run's lines, in time order, with its host.
fn syslog_lines(runs: &[GenRun]) -> Vec<(usize, u32, String)> {
    const JOBS: [&str; 4] = [
        "/usr/local/bin/backup.sh",
        "cd /srv && ./bin/sync_users --all",
        "python3 /opt/etl/load_ledger.py",
        "flock -n /tmp/l /opt/report.sh",
    ];
    let mut out = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        let host = format!("web-{:02}", r.host);
        let pid = 1000 + 10 * i as u32;
        let cmd = JOBS[r.job];
        let at = |d: u32| stamp(r.offset + d);
        out.push((
            r.host,
            r.offset,
            format!(
                "{} {host} CRON[{}]: pam_unix(cron:session): session opened for user root by (uid=0)",
                at(0),
                pid - 1
            ),
        ));
        out.push((
            r.host,
            r.offset,
            format!("{} {host} CRON[{pid}]: (root) CMD ({cmd})", at(0)),
        ));
        match r.end {
            0 => {}
            1 => out.push((
                r.host,
                r.offset + 5,
                format!(
                    "{} {host} CRON[{}]: (CRON) error (grandchild #{pid} failed with exit status {})",
                    at(5),
                    pid - 1,
                    i % 3 + 1
                ),
            )),
            _ => {}
        }
        if r.end != 0 {
            out.push((
                r.host,
                r.offset + 6,
                format!(
                    "{} {host} CRON[{}]: pam_unix(cron:session): session closed for user root",
                    at(6),
                    pid - 1
                ),
            ));
        }
    }
    // As a log is written: in time order (stable, so a run's lines keep
    // their order).
    out.sort_by_key(|l| l.1);
    out
}

/// Slack records for some of the runs.
fn slack_lines(runs: &[GenRun]) -> String {
    const NAMES: [&str; 4] = ["backup", "sync_users", "load_ledger", "report"];
    let mut s = String::new();
    for r in runs.iter().filter(|r| r.end >= 3) {
        let t = r.offset + 20;
        let resp = if r.end == 3 {
            r#"{"ok":true,"channel":"C024BE91L"}"#
        } else {
            r#"{"ok":false,"error":"channel_not_found"}"#
        };
        s.push_str(&format!(
            "{{\"ts\":\"2026-12-03T{:02}:{:02}:{:02}Z\",\"job\":\"{}\",\"host\":\"web-{:02}\",\"method\":\"chat.postMessage\",\"channel\":\"#ops\",\"response\":{resp}}}\n",
            t / 3600 % 24,
            t / 60 % 60,
            t % 60,
            NAMES[r.job],
            r.host
        ));
    }
    s
}

type Verdicts = Vec<(String, String, String, String, Option<i32>)>;

/// Run `report --format json` in process over `dir` with `files` as
/// syslogs (in this order) and `slack.jsonl`; the runs' verdicts.
fn verdicts(dir: &Path, files: &[String]) -> Verdicts {
    let mut args: Vec<String> = [
        "crontriage",
        "report",
        "--format",
        "json",
        "--year",
        "2026",
        "--tz",
        "UTC",
        "--slack",
    ]
    .map(String::from)
    .to_vec();
    args.push(dir.join("slack.jsonl").display().to_string());
    args.push("--syslog".into());
    args.extend(files.iter().map(|f| dir.join(f).display().to_string()));
    let cli = Cli::parse_from(&args);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crontriage::app::run(cli, &mut out, &mut err);
    assert_eq!(
        code as i32,
        0,
        "{args:?}: {}",
        String::from_utf8_lossy(&err)
    );
    let doc: crate::harness::Doc = serde_json::from_slice(&out).unwrap();
    doc.runs
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.category,
                r.execution.status,
                r.delivery.status,
                r.execution.exit_code,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// One syslog per host, plus files that overlap (a rotated copy holding
    /// some of the same lines): any order of `--syslog` gives the same runs.
    #[test]
    fn report_is_unchanged_when_input_files_are_given_in_another_order(
        runs in runs(),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let lines = syslog_lines(&runs);
        let mut files: Vec<String> = Vec::new();
        for host in 0..3 {
            let body: String = lines
                .iter()
                .filter(|l| l.0 == host)
                .map(|l| format!("{}\n", l.2))
                .collect();
            let name = format!("syslog-web-{host:02}");
            std::fs::write(d.join(&name), body).unwrap();
            files.push(name);
        }
        // An overlapping copy: every third line of everything.
        let overlap: String = lines
            .iter()
            .step_by(3)
            .map(|l| format!("{}\n", l.2))
            .collect();
        std::fs::write(d.join("syslog.overlap"), overlap).unwrap();
        files.push("syslog.overlap".into());
        std::fs::write(d.join("slack.jsonl"), slack_lines(&runs)).unwrap();
        let first = verdicts(d, &files);
        prop_assert_eq!(first.len(), runs.len());
        // A permutation picked by the seed, and the reverse.
        let mut shuffled = files.clone();
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.rotate_left(i as u32 * 7) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        prop_assert_eq!(&verdicts(d, &shuffled), &first);
        files.reverse();
        prop_assert_eq!(&verdicts(d, &files), &first);
    }

    /// One syslog split in two at a line boundary (as logrotate does) reads
    /// as the same runs, whichever order the halves are given in.
    #[test]
    fn report_is_unchanged_when_a_syslog_is_split_at_a_line_boundary(
        runs in runs(),
        cut in any::<prop::sample::Index>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let lines: Vec<String> = syslog_lines(&runs).into_iter().map(|l| l.2).collect();
        let at = cut.index(lines.len() + 1);
        let join = |ls: &[String]| -> String { ls.iter().map(|l| format!("{l}\n")).collect() };
        std::fs::write(d.join("syslog"), join(&lines)).unwrap();
        std::fs::write(d.join("syslog.1"), join(&lines[..at])).unwrap();
        std::fs::write(d.join("syslog.0"), join(&lines[at..])).unwrap();
        std::fs::write(d.join("slack.jsonl"), slack_lines(&runs)).unwrap();
        let whole = verdicts(d, &["syslog".into()]);
        prop_assert_eq!(whole.len(), runs.len());
        prop_assert_eq!(&verdicts(d, &["syslog.1".into(), "syslog.0".into()]), &whole);
        prop_assert_eq!(&verdicts(d, &["syslog.0".into(), "syslog.1".into()]), &whole);
    }
}
