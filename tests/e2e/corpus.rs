//! `../shared/corpus`: real logs from real daemons, read in place (never a
//! copy), each yielding what `corpus/README.md` says.

use crate::harness::{Doc, root, run};
use std::path::PathBuf;

fn corpus(name: &str) -> String {
    let p: PathBuf = root().join("../shared/corpus").join(name);
    assert!(
        p.is_file(),
        "{} not found: the shared corpus must sit at ../shared beside the checkout",
        p.display()
    );
    p.to_string_lossy().into_owned()
}

fn report(file: &str, extra: &[&str]) -> Doc {
    let path = corpus(file);
    let mut args = vec![
        "report",
        "--format",
        "json",
        "--tz",
        "UTC",
        "--syslog",
        path.as_str(),
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert_eq!(out.code, 0, "{file}: {}", out.stderr);
    out.doc()
}

fn runs_of<'a>(d: &'a Doc, job: &str) -> Vec<&'a crontriage::report::RunReport> {
    d.runs.iter().filter(|r| r.job == job).collect()
}

#[test]
fn cronie_crond_log() {
    let d = report("plaso/syslog_crond.log", &["--year", "2026"]);
    let hourly = runs_of(&d, "cron.hourly");
    assert_eq!(hourly.len(), 4);
    for r in &hourly {
        assert_eq!(
            (r.scheduler.as_str(), r.execution.status.as_str()),
            ("cronie", "ok"),
            "{}",
            r.id
        );
        assert!(
            r.evidence.iter().any(|e| e.text.contains("CMDEND")),
            "{} not ended by CMDEND",
            r.id
        );
    }
    for job in ["cron.daily", "cron.weekly", "cron.monthly"] {
        let rs = runs_of(&d, job);
        assert_eq!(rs.len(), 1, "{job}");
        assert_eq!(
            (rs[0].scheduler.as_str(), rs[0].execution.status.as_str()),
            ("anacron", "ok")
        );
        assert!(
            rs[0].started_at.starts_with("2026-07-28"),
            "{}",
            rs[0].started_at
        );
    }
    assert_eq!(d.runs.len(), 7, "daemon lines are context, not runs");
}

#[test]
fn cronie_anacron_failure() {
    let d = report("plaso/syslog_cronie.log", &["--year", "2026"]);
    let f = runs_of(&d, "plaso-fail");
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].execution.status.as_str(), f[0].execution.exit_code),
        ("failed", Some(3))
    );
    assert_eq!(f[0].category, "execution-failed");
    let daily = runs_of(&d, "cron.daily");
    assert_eq!((daily.len(), daily[0].execution.status.as_str()), (1, "ok"));
    assert_eq!(
        d.runs.len(),
        2,
        "crontab REPLACE/LIST/DELETE/BEGIN EDIT are not runs"
    );
}

#[test]
fn debian_high_precision() {
    let d = report("plaso/syslog_cron_debian.log", &[]);
    assert_eq!(d.runs.len(), 2);
    let agent = &d.runs[0];
    assert_eq!(
        (agent.job.as_str(), agent.user.as_deref()),
        ("agent", Some("svc-backup"))
    );
    let backup = &d.runs[1];
    assert_eq!(
        (backup.job.as_str(), backup.started_at.as_str()),
        ("backup", "2026-10-10T12:00:01.487368Z")
    );
    for r in &d.runs {
        assert_eq!(r.execution.status, "unknown", "{}: no end is logged", r.id);
    }
}

#[test]
fn the_same_line_twice_is_one_run() {
    let d = report("plaso/syslog_cron.log", &["--year", "2026"]);
    assert_eq!(d.runs.len(), 8);
    assert_eq!(d.inputs[0].recognized, 9);
    let at = d
        .runs
        .iter()
        .filter(|r| r.started_at == "2026-03-11T22:55:30Z")
        .count();
    assert_eq!(at, 1);
}

#[test]
fn awkward_plaso_syslog() {
    let d = report("plaso/syslog", &["--year", "2026"]);
    let i = &d.inputs[0];
    assert_eq!(i.lines, 18);
    assert_eq!(i.recognized + i.ignored + i.malformed, i.lines);
    assert!(i.malformed >= 1, "the MMM line is malformed");
    // The three CRON lines of Jan 22; the unbalanced `))` command is kept.
    assert_eq!(d.runs.len(), 3);
    assert!(
        d.runs
            .iter()
            .any(|r| r.command.as_deref() == Some("/sbin/status.mycheck)"))
    );
}

#[test]
fn rsyslog_templates_all_recognised() {
    // The same capture in five templates: the two cron lines and systemd's
    // line about cron.service are recognised in every one.
    for (file, lines) in [
        ("plaso/syslog_rsyslog_SysklogdFileFormat", 10),
        ("plaso/syslog_rsyslog_SyslogProtocol23Format", 10),
        ("plaso/syslog_rsyslog_TraditionalForwardFormat", 2),
        ("plaso/syslog_rsyslog_ForwardFormat", 2),
        ("plaso/syslog_rsyslog_traditional", 11),
    ] {
        let d = report(file, &["--year", "2026"]);
        let i = &d.inputs[0];
        assert_eq!(i.lines, lines, "{file}");
        assert_eq!(i.recognized + i.ignored + i.malformed, i.lines, "{file}");
        assert!(i.recognized >= 1, "{file}: nothing recognised");
    }
    let d = report("plaso/syslog_rsyslog_traditional", &["--year", "2026"]);
    assert_eq!(d.runs.len(), 1);
    assert_eq!(d.runs[0].job, "cron.hourly");
}

#[test]
fn thunderbird_after_cutting_loghub_prefix() {
    let raw = std::fs::read_to_string(corpus("loghub_Thunderbird_2k.log")).unwrap();
    // `cut -d' ' -f5-`: LogHub's own prefix, not syslog's.
    let cut: String = raw
        .lines()
        .map(|l| l.splitn(5, ' ').nth(4).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("thunderbird.log");
    std::fs::write(&f, cut).unwrap();
    let out = run(&[
        "report",
        "--format",
        "json",
        "--tz",
        "UTC",
        "--year",
        "2005",
        "--syslog",
        f.to_str().unwrap(),
    ]);
    let d = out.doc();
    assert_eq!(d.runs.len(), 19);
    assert!(d.runs.iter().all(|r| r.started_at.starts_with("2005-11-")));
    assert!(
        d.runs
            .iter()
            .any(|r| r.host.as_deref() == Some("dn228/dn228"))
    );
    assert_eq!(d.inputs[0].recognized, 19 + 43);
}

#[test]
fn linux_messages_are_all_noise() {
    let d = report("loghub_Linux_2k.log", &["--year", "2005"]);
    assert_eq!(d.runs.len(), 0);
    assert_eq!((d.inputs[0].lines, d.inputs[0].malformed), (2000, 0));
}

#[test]
fn slack_error_tables_are_all_sorted() {
    use crontriage::classify::{CodeKind, code_kind};
    for file in [
        "slack/slack-api-ref_chat.postMessage.json",
        "slack/slack-api-ref_chat.meMessage.json",
    ] {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(corpus(file)).unwrap()).unwrap();
        let method = v["name"].as_str().unwrap();
        let errors = v["errors"].as_object().unwrap();
        assert!(errors.len() > 30, "{file}");
        for code in errors.keys() {
            assert_ne!(
                code_kind(code, method),
                CodeKind::Unknown,
                "{file}: `{code}` is not sorted"
            );
        }
        assert_eq!(code_kind("channel_not_found", method), CodeKind::Target);
        assert_eq!(code_kind("not_in_channel", method), CodeKind::Permission);
    }
}
