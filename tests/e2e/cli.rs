//! Flags, exit codes and errors, through the real binary.

use crate::harness::{root, run, run_in};
use std::io::Write;

#[test]
fn fail_on_sets_exit_1() {
    let out = run(&[
        "report",
        "fixtures/demo",
        "--fail-on",
        "any",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = run(&[
        "report",
        "fixtures/demo",
        "--fail-on",
        "billing-inactive,missed",
    ]);
    assert_eq!(out.code, 1);
    // No run of the demo is in a category that does not occur... every one
    // does, so use a window with only good runs.
    let out = run(&[
        "report",
        "fixtures/demo",
        "--fail-on",
        "any",
        "--since",
        "2026-12-01T00:30:00Z",
        "--until",
        "2026-12-01T01:00:00Z",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn bad_values_are_exit_2_naming_what_is_allowed() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["report", "fixtures/demo", "--fail-on", "execution-faild"],
            "did you mean `execution-failed`",
        ),
        (
            &["report", "fixtures/demo", "--tz", "Europe/Berln"],
            "Europe/Berlin",
        ),
        (
            &["report", "fixtures/demo", "--since", "last tuesday"],
            "RFC 3339",
        ),
        (
            &["report", "--syslog", "no/such/file.log"],
            "no/such/file.log: no such file",
        ),
        (
            &["report", "--syslog", "fixtures/nothing-*.log"],
            "no file matches",
        ),
        (&["report", "--syslog", "fixtures"], "is a directory"),
        (&["report", "--format", "yaml", "fixtures/demo"], "yaml"),
    ];
    for (args, want) in cases {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(want),
            "{args:?}: stderr lacks `{want}`:\n{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?} printed a report");
    }
}

#[test]
fn bad_config_is_exit_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("tz = \"Mars/Olympus\"\n", "Mars/Olympus"),
        ("colour = \"red\"\n", "unknown field `colour`"),
        (
            "[[job]]\nname = \"x\"\nnotify = \"sometimes\"\n",
            "always, on-failure, never",
        ),
        (
            "[[job]]\nname = \"x\"\nschedule = \"61 * * * *\"\n",
            "schedule = `61 * * * *`",
        ),
        ("delivery_window = 15\n", "delivery_window"),
        (
            "[[job]]\nname = \"x\"\nmatch = \"re:(\"\n",
            "not a valid regex",
        ),
    ];
    for (text, want) in cases {
        let p = dir.path().join("crontriage.toml");
        std::fs::write(&p, text).unwrap();
        std::fs::write(
            dir.path().join("syslog"),
            "Dec  3 04:00:01 h CRON[2]: (root) CMD (true)\n",
        )
        .unwrap();
        let out = run_in(dir.path(), &["report", "--syslog", "syslog"]);
        assert_eq!(out.code, 2, "{text}: {}", out.stderr);
        assert!(
            out.stderr.contains(want),
            "{text}: stderr lacks `{want}`: {}",
            out.stderr
        );
    }
}

#[test]
fn gz_glob_and_stdin_read_the_same_runs() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "Dec  3 04:00:01 web-01 CRON[12345]: (root) CMD (/usr/local/bin/backup.sh)\n\
                 Dec  3 04:00:05 web-01 CRON[12344]: (CRON) error (grandchild #12345 failed with exit status 3)\n";
    let older = "Dec  2 04:00:01 web-01 CRON[11345]: (root) CMD (/usr/local/bin/backup.sh)\n";
    std::fs::write(dir.path().join("syslog"), lines).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(older.as_bytes()).unwrap();
    std::fs::write(dir.path().join("syslog.2.gz"), gz.finish().unwrap()).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "report", "--format", "json", "--year", "2026", "--tz", "UTC", "--syslog", "syslog*",
        ],
    );
    let d = out.doc();
    assert_eq!(d.runs.len(), 2, "{}", out.stdout);
    assert_eq!(d.runs[1].execution.exit_code, Some(3));
    // stdin
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_crontriage"))
        .args([
            "report", "--format", "json", "--year", "2026", "--tz", "UTC", "--syslog", "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let d: crate::harness::Doc = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d.runs.len(), 1);
    assert_eq!(d.inputs[0].path, "-");
}

#[test]
fn corrupt_gz_is_exit_2_or_kept_up_to_the_cut_with_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::new();
    for i in 0..2000 {
        body.push_str(&format!(
            "Dec  3 04:{:02}:01 web-01 CRON[{}]: (root) CMD (/usr/local/bin/job{}.sh)\n",
            i % 60,
            1000 + i,
            i % 7
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(body.as_bytes()).unwrap();
    let full = gz.finish().unwrap();
    std::fs::write(dir.path().join("syslog.1.gz"), &full[..full.len() / 2]).unwrap();
    let out = run_in(
        dir.path(),
        &["report", "--year", "2026", "--syslog", "syslog.1.gz"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("syslog.1.gz"), "{}", out.stderr);
    let out = run_in(
        dir.path(),
        &[
            "report",
            "--format",
            "json",
            "--year",
            "2026",
            "--keep-going",
            "--syslog",
            "syslog.1.gz",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning") && out.stderr.contains("syslog.1.gz"),
        "{}",
        out.stderr
    );
    let d = out.doc();
    assert!(
        !d.runs.is_empty() && d.runs.len() < 2000,
        "runs before the cut: {}",
        d.runs.len()
    );
}

#[test]
fn closed_stdout_pipe_exits_quietly() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_crontriage"))
        .args(["report", "fixtures/demo", "--format", "json"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explain_prints_layers_and_evidence() {
    let out = run(&[
        "explain",
        "backup@web-02@2026-12-02T03:00:01.0065Z",
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Execution:  failed (exit 2)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("web-02/syslog:"), "{}", out.stdout);
    assert!(out.stdout.contains("grandchild #"), "{}", out.stdout);
    let out = run(&[
        "explain",
        "bakup@web-02@2026-12-02T03:00:01.0065Z",
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
}

#[test]
fn folder_mode_skips_notes_scripts_and_archives_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("syslog"),
        "Dec  3 04:00:01 h CRON[2]: (root) CMD (/usr/local/bin/backup)\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("README.md"),
        "2026-12-03 10:00 gathered by alice\nexit code 1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("collect.sh"),
        "#!/bin/sh\nscp web-01:/var/log/syslog .\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("old-logs.tar"), "not a tar really").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "report", ".", "--format", "json", "--year", "2026", "--tz", "UTC",
        ],
    );
    let d = out.doc();
    assert_eq!(d.inputs.len(), 1, "{:?}", d.inputs);
    assert_eq!(d.runs.len(), 1);
    let out = run_in(dir.path(), &["sources", "."]);
    for why in [
        "a document, not a log",
        "a script, not a log",
        "an archive crontriage does not open",
    ] {
        assert!(out.stdout.contains(why), "{why}:\n{}", out.stdout);
    }
}

/// A note, a README or junk without one timestamp is no job log: read as
/// one it made a job with an `ok` run at the file's modification time. A
/// second name for a file already read (a symlink) is listed, not dropped.
#[test]
fn folder_mode_skips_untimed_prose_and_names_second_names() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("syslog"),
        "Dec  3 04:00:01 h CRON[2]: (root) CMD (/usr/local/bin/backup)\n",
    )
    .unwrap();
    std::fs::write(
        d.join("README.txt"),
        "Logs gathered from web-05 after the incident.\nAsk alice.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("a.bin"),
        b"\x8f\xc3(\x91 zz\x7f\x01 q\xfe\xfe\n\x02\x03",
    )
    .unwrap();
    // Named like a log, or timestamped: kept as job logs.
    std::fs::write(d.join("backup.log"), "starting\ndone\n").unwrap();
    std::fs::write(d.join("notes.txt"), "2026-12-03T04:00:02Z backup started\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("syslog"), d.join("syslog.link")).unwrap();
    let out = run_in(d, &["sources", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let row = |name: &str| {
        out.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("./{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed:\n{}", out.stdout))
            .to_string()
    };
    for junk in ["README.txt", "a.bin"] {
        assert!(
            row(junk).contains("skipped") && row(junk).contains("no timestamped line"),
            "{}",
            row(junk)
        );
    }
    assert!(
        row("backup.log").contains("job log of backup"),
        "{}",
        row("backup.log")
    );
    assert!(
        row("notes.txt").contains("job log of notes"),
        "{}",
        row("notes.txt")
    );
    #[cfg(unix)]
    assert!(
        row("syslog.link").contains("the same file as ./syslog"),
        "{}",
        row("syslog.link")
    );
    let out = run_in(
        d,
        &[
            "report", ".", "--format", "json", "--year", "2026", "--tz", "UTC",
        ],
    );
    let doc = out.doc();
    let jobs: std::collections::BTreeSet<&str> = doc.runs.iter().map(|r| r.job.as_str()).collect();
    assert!(!jobs.contains("README") && !jobs.contains("a"), "{jobs:?}");
}

/// `crontriage report $LOGS --fail-on any` with `$LOGS` empty must not pass
/// a CI check with an empty report.
#[test]
fn no_inputs_at_all_is_exit_2_not_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["report", "--fail-on", "any"][..],
        &["report", "--format", "json"][..],
        &["explain", "backup@web-01@2026-12-03T04:00:01Z"][..],
    ] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("no inputs: give a folder"),
            "{}",
            out.stderr
        );
    }
    // A folder with no file at all: an input error naming it; with
    // --keep-going an empty report.
    std::fs::create_dir(dir.path().join("artifacts")).unwrap();
    let out = run_in(dir.path(), &["report", "artifacts", "--fail-on", "any"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("artifacts: holds no files"),
        "{}",
        out.stderr
    );
    let out = run_in(dir.path(), &["report", "artifacts", "--keep-going"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// Found by fuzzing (pipeline target): a command whose quoting went wrong
/// gave a job name with a leading space, and `explain` trimmed the id it was
/// given, so it could not find that run. Every id the report prints is one
/// `explain` finds.
#[test]
fn explain_finds_every_run_id_the_report_prints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("syslog"),
        "Dec  1 22:17:01 web-01 CRON[41064]: (root) CMD (   :\"cd / && r2026-12-03T03:00:39.00un-parts --0Z\")\n\
         Dec  1 22:18:01 web-01 CRON[41065]: (root) CMD (/opt/odd@name.sh)\n\
         Dec  1 22:19:01 web-01 CRON[41066]: (root) CMD ('/opt/space name.sh ')\n",
    )
    .unwrap();
    let base = ["--syslog", "syslog", "--year", "2026", "--tz", "UTC"];
    let mut args = vec!["report", "--format", "json"];
    args.extend(base);
    let out = run_in(dir.path(), &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.doc();
    assert_eq!(doc.runs.len(), 3);
    for r in &doc.runs {
        assert_eq!(r.job.trim(), r.job, "{:?}", r.job);
        let mut args = vec!["explain", r.id.as_str()];
        args.extend(base);
        let out = run_in(dir.path(), &args);
        assert_eq!(out.code, 0, "{}: {}", r.id, out.stderr);
        assert!(out.stdout.contains(&r.id), "{}", out.stdout);
    }
}
