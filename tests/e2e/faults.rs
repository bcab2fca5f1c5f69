//! Hostile input and faults: what crontriage does with each (issue 5).
//!
//! Every test runs the real binary on files written into a temp folder. The
//! rule they pin down: never lose a run, never panic, never hang, never leak
//! a secret — a bad line is counted, a bad file is an error naming it (or a
//! warning with `--keep-going`), and every run the input holds is reported.

use crate::harness::{Doc, Out, run_in};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(p, data).unwrap();
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// `report --format json --year 2026 --tz UTC` plus `args`, in `dir`.
fn json(dir: &Path, args: &[&str]) -> (Out, Doc) {
    let mut all = vec![
        "report", "--format", "json", "--year", "2026", "--tz", "UTC",
    ];
    all.extend(args);
    let out = run_in(dir, &all);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    let doc = out.doc();
    (out, doc)
}

/// What a run was judged: (id, category, execution, delivery).
fn verdicts(d: &Doc) -> Vec<(String, String, String, String)> {
    d.runs
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                r.category.clone(),
                r.execution.status.clone(),
                r.delivery.status.clone(),
            )
        })
        .collect()
}

fn ids(d: &Doc) -> Vec<&str> {
    d.runs.iter().map(|r| r.id.as_str()).collect()
}

const CMD_BACKUP: &str =
    "Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/backup.sh)\n";
const FAIL_BACKUP: &str =
    "Dec  3 04:00:09 web-01 CRON[99]: (CRON) error (grandchild #100 failed with exit status 2)\n";
const CMD_SYNC: &str = "Dec  3 05:00:01 web-01 CRON[200]: (root) CMD (/usr/local/bin/sync.sh)\n";

// ---------------------------------------------------------------- bad bytes

#[test]
fn invalid_utf8_is_read_lossily_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Latin-1 in a command, a stray 0xFF in noise, in every kind of input.
    write(
        d,
        "syslog",
        [
            b"Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/backup.sh --label caf\xe9)\n"
                .as_slice(),
            b"Dec  3 04:00:02 web-01 kernel: \xff\xfe garbage\n",
            FAIL_BACKUP.as_bytes(),
        ]
        .concat(),
    );
    write(
        d,
        "backup.log",
        b"2026-12-03 04:00:02 r\xe9sum\xe9 of /srv\n2026-12-03 04:00:08 exit code 2\n",
    );
    write(
        d,
        "slack.log",
        b"2026-12-03T04:00:10Z job=backup method=webhook channel=#caf\xe9 status=200 body=ok\n",
    );
    let args = [
        "--syslog",
        "syslog",
        "--job-log",
        "backup.log",
        "--slack",
        "slack.log",
    ];
    let (_, doc) = json(d, &args);
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
    let r = &doc.runs[0];
    assert_eq!(r.execution.status, "failed");
    assert_eq!(r.execution.exit_code, Some(2));
    assert_eq!(r.delivery.status, "delivered");
    assert!(r.command.as_deref().unwrap().contains("caf\u{fffd}"));
    let syslog = &doc.inputs.iter().find(|i| i.path == "syslog").unwrap();
    assert_eq!((syslog.lines, syslog.recognized), (3, 2));
    // The table says how many lines were read lossily, per input.
    let mut all = vec!["report", "--year", "2026", "--tz", "UTC"];
    all.extend(args);
    let out = run_in(d, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for want in [
        "syslog: 2 line(s) with invalid UTF-8",
        "backup.log: 1 line(s) with invalid UTF-8",
        "slack.log: 1 line(s) with invalid UTF-8",
    ] {
        assert!(out.stdout.contains(want), "lacks `{want}`:\n{}", out.stdout);
    }
}

#[test]
fn nul_bytes_inside_lines_and_in_blocks_do_not_hide_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A NUL inside a noise line, and a 4 KiB block of NULs as an unclean
    // shutdown leaves in /var/log/syslog, glued to the next line.
    let mut s = CMD_BACKUP.as_bytes().to_vec();
    s.extend(b"Dec  3 04:00:05 web-01 app[7]: a\0b\n");
    s.extend(FAIL_BACKUP.as_bytes());
    s.extend([0u8; 4096]);
    s.extend(b"Dec  3 05:00:00 web-01 kernel: Linux version 6.1\n");
    s.extend(CMD_SYNC.as_bytes());
    write(d, "logs/syslog", &s);
    write(d, "logs/backup.log", b"2026-12-03 04:00:02 start\0\0\n");
    let (_, doc) = json(d, &["--syslog", "logs/syslog"]);
    assert_eq!(
        verdicts(&doc)
            .iter()
            .map(|v| (v.0.as_str(), v.2.as_str()))
            .collect::<Vec<_>>(),
        [
            ("backup@web-01@2026-12-03T04:00:01Z", "failed"),
            ("sync@web-01@2026-12-03T05:00:01Z", "unknown"),
        ]
    );
    assert_eq!(doc.inputs[0].lines, 5);
    // Folder mode sniffs the file as syslog despite the NULs (it used to
    // skip it as binary and lose both runs).
    let (_, folder) = json(d, &["logs"]);
    assert_eq!(ids(&folder), ids(&doc));
}

#[test]
fn a_line_of_40_mb_is_cut_counted_and_reading_resumes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut s = CMD_BACKUP.as_bytes().to_vec();
    // A run's CMD line buried at the start of the giant line is not a run:
    // the line is malformed as a whole.
    s.extend(b"Dec  3 04:00:03 web-01 CRON[150]: (root) CMD (");
    s.extend(std::iter::repeat_n(b'x', 40 << 20));
    s.extend(b")\n");
    s.extend(FAIL_BACKUP.as_bytes());
    s.extend(CMD_SYNC.as_bytes());
    write(d, "syslog", &s);
    // The same in a job log and a Slack log, where lines are read one by one.
    let mut j = b"2026-12-03 04:00:02 start\n".to_vec();
    j.extend(std::iter::repeat_n(b'y', 40 << 20));
    j.extend(b"\n2026-12-03 04:00:08 exit code 2\n");
    write(d, "backup.log", &j);
    let mut k = std::iter::repeat_n(b'{', 3 << 20).collect::<Vec<u8>>();
    k.extend(b"\n2026-12-03T04:00:10Z job=backup method=webhook status=200 body=ok\n");
    write(d, "slack.log", &k);
    let (out, doc) = json(
        d,
        &[
            "--syslog",
            "syslog",
            "--job-log",
            "backup.log",
            "--slack",
            "slack.log",
        ],
    );
    assert_eq!(
        ids(&doc),
        [
            "backup@web-01@2026-12-03T04:00:01Z",
            "sync@web-01@2026-12-03T05:00:01Z"
        ],
        "{}",
        out.stderr
    );
    let r = &doc.runs[0];
    assert_eq!(r.execution.exit_code, Some(2));
    assert_eq!(r.delivery.status, "delivered");
    for i in &doc.inputs {
        assert_eq!(i.malformed, 1, "{}: {i:?}", i.path);
        assert_eq!(i.lines, i.recognized + i.ignored + i.malformed, "{i:?}");
    }
    let syslog = doc.inputs.iter().find(|i| i.path == "syslog").unwrap();
    assert_eq!((syslog.lines, syslog.recognized), (4, 3));
    let job = doc.inputs.iter().find(|i| i.path == "backup.log").unwrap();
    assert_eq!(job.lines, 3);
    // The bytes of the giant line never reach the output.
    assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
}

#[test]
fn a_line_over_1_mib_between_short_lines_is_malformed_wherever_blocks_fall() {
    // A 3 MiB line sits whole inside the reader's first block: it counts as
    // malformed like one that crosses a block, and is not parsed.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut s = CMD_BACKUP.as_bytes().to_vec();
    s.extend(b"Dec  3 04:00:03 web-01 CRON[150]: (root) CMD (");
    s.extend(std::iter::repeat_n(b'x', 3 << 20));
    s.extend(b")\n");
    s.extend(FAIL_BACKUP.as_bytes());
    write(d, "syslog", &s);
    let mut j = b"2026-12-03 04:00:02 start\n".to_vec();
    j.extend(std::iter::repeat_n(b'y', 3 << 20));
    j.extend(b" exit code 9\n2026-12-03 04:00:08 exit code 2\n");
    write(d, "backup.log", &j);
    let (out, doc) = json(d, &["--syslog", "syslog", "--job-log", "backup.log"]);
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
    assert_eq!(doc.runs[0].execution.exit_code, Some(2));
    for i in &doc.inputs {
        assert_eq!((i.lines, i.malformed), (3, 1), "{i:?}");
    }
    assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
}

#[test]
fn last_line_without_newline_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        format!("{CMD_BACKUP}{}", FAIL_BACKUP.trim_end()),
    );
    write(d, "backup.log", "2026-12-03 04:00:02 start\nexit code 2");
    write(
        d,
        "slack.jsonl",
        r##"{"ts":"2026-12-03T04:00:10Z","job":"backup","channel":"#ops","response":{"ok":true}}"##,
    );
    let (_, doc) = json(
        d,
        &[
            "--syslog",
            "syslog",
            "--job-log",
            "backup.log",
            "--slack",
            "slack.jsonl",
        ],
    );
    assert_eq!(doc.runs.len(), 1);
    let r = &doc.runs[0];
    assert_eq!(r.execution.exit_code, Some(2));
    assert_eq!(r.delivery.status, "delivered");
    assert!(doc.inputs.iter().all(|i| i.lines == 2 || i.kind == "slack"));
}

#[test]
fn empty_files_give_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", "");
    write(d, "syslog.1.gz", gz(b""));
    write(d, "backup.log", "");
    write(d, "slack.jsonl", "\n\n");
    let (_, doc) = json(
        d,
        &[
            "--syslog",
            "syslog",
            "syslog.1.gz",
            "--job-log",
            "backup.log",
            "--slack",
            "slack.jsonl",
        ],
    );
    assert_eq!(doc.runs.len(), 0);
    assert_eq!(doc.inputs.len(), 4);
    // A zero-byte file named .gz is an empty file, not a corrupt archive.
    write(d, "empty.gz", "");
    let (_, doc) = json(d, &["--syslog", "empty.gz"]);
    assert_eq!(doc.inputs[0].lines, 0);
    // In folder mode empty files are skipped, and say so.
    write(d, "dir/syslog", "");
    let out = run_in(d, &["sources", "dir"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("empty file"), "{}", out.stdout);
    let (_, doc) = json(d, &["dir"]);
    assert_eq!(doc.runs.len(), 0);
}

#[test]
fn a_directory_given_as_a_file_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    std::fs::create_dir(d.join("jobs")).unwrap();
    for flag in ["--syslog", "--job-log", "--slack"] {
        let out = run_in(d, &["report", flag, "jobs"]);
        assert_eq!(out.code, 2, "{flag}: {}", out.stderr);
        assert!(
            out.stderr.contains("jobs: is a directory"),
            "{flag}: {}",
            out.stderr
        );
    }
    // With --keep-going: a warning, and the other inputs are read.
    let (out, doc) = json(
        d,
        &["--keep-going", "--syslog", "syslog", "--job-log", "jobs"],
    );
    assert!(
        out.stderr.contains("jobs: is a directory"),
        "{}",
        out.stderr
    );
    assert_eq!(doc.runs.len(), 1);
}

#[test]
fn a_glob_matching_nothing_is_exit_2_or_a_warning_with_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    let out = run_in(
        d,
        &["report", "--syslog", "syslog", "--job-log", "jobs/*.log"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("jobs/*.log: no file matches"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let (out, doc) = json(
        d,
        &[
            "--keep-going",
            "--syslog",
            "syslog",
            "--job-log",
            "jobs/*.log",
        ],
    );
    assert!(out.stderr.contains("warning"), "{}", out.stderr);
    assert!(out.stderr.contains("jobs/*.log"), "{}", out.stderr);
    assert_eq!(doc.runs.len(), 1);
}

#[test]
fn a_fifo_with_a_writer_is_read_like_process_substitution() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    // The writer starts after crontriage (the race `cmd > fifo &` has), and
    // writes more than a pipe buffer.
    let body: String = (0..2000)
        .map(|i| {
            format!(
                "Dec  3 04:{:02}:{:02} web-01 CRON[{}]: (root) CMD (/usr/local/bin/job{}.sh)\n",
                i / 60 % 60,
                i % 60,
                1000 + i,
                i % 5
            )
        })
        .collect();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let mut f = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            f.write_all(body.as_bytes()).unwrap();
        })
    };
    let (_, doc) = json(d, &["--syslog", "pipe"]);
    writer.join().unwrap();
    assert_eq!(doc.runs.len(), 2000);
    // bash's `<(…)`: the same through /dev/fd.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} report --format json --year 2026 --tz UTC --syslog <(printf '%s' \"$LINES\")",
            env!("CARGO_BIN_EXE_crontriage")
        ))
        .env("LINES", format!("{CMD_BACKUP}{FAIL_BACKUP}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.runs[0].execution.exit_code, Some(2));
}

#[test]
fn a_fifo_with_no_writer_is_an_empty_input_with_a_warning_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    let st = Command::new("mkfifo").arg(d.join("pipe")).status().unwrap();
    assert!(st.success());
    let start = std::time::Instant::now();
    let (out, doc) = json(d, &["--syslog", "syslog", "pipe"]);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert!(
        out.stderr.contains("warning: pipe: FIFO with no writer"),
        "{}",
        out.stderr
    );
    assert_eq!(doc.runs.len(), 1);
    let pipe = doc.inputs.iter().find(|i| i.path == "pipe").unwrap();
    assert_eq!(pipe.lines, 0);
}

#[test]
fn an_unreadable_file_is_exit_2_naming_it_or_skipped_with_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    write(d, "secret.log", CMD_SYNC);
    let p = d.join("secret.log");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads anything: /proc/self/mem opens, then fails to read (EIO)
    // — a file that cannot be read whoever you are.
    let bad = if std::fs::read(&p).is_ok() {
        "/proc/self/mem"
    } else {
        "secret.log"
    };
    let out = run_in(d, &["report", "--syslog", "syslog", bad]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("error: {bad}: ")),
        "{}",
        out.stderr
    );
    let (out, doc) = json(d, &["--keep-going", "--syslog", "syslog", bad]);
    assert!(
        out.stderr.contains(&format!("warning: {bad}: ")),
        "{}",
        out.stderr
    );
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
}

#[test]
fn a_gz_cut_in_half_keeps_every_run_before_the_cut_with_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut body = String::new();
    for i in 0..3000 {
        body.push_str(&format!(
            "Dec  3 {:02}:{:02}:01 web-01 CRON[{}]: (root) CMD (/usr/local/bin/job{}.sh)\n",
            i / 60 % 24,
            i % 60,
            1000 + i,
            i % 7
        ));
    }
    let full = gz(body.as_bytes());
    write(d, "logs/jobs.log.1.gz", &full[..full.len() / 2]);
    write(d, "logs/syslog", CMD_BACKUP);
    // As a job log, and in folder mode (the sample before the cut sniffs
    // fine; the cut shows only when the whole file is read).
    let out = run_in(d, &["report", "--job-log", "logs/jobs.log.1.gz"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("logs/jobs.log.1.gz"), "{}", out.stderr);
    let out = run_in(d, &["report", "logs"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("logs/jobs.log.1.gz: corrupt or truncated"),
        "{}",
        out.stderr
    );
    let (out, doc) = json(d, &["--keep-going", "logs"]);
    assert!(out.stderr.contains("warning: logs/jobs.log.1.gz"));
    let cut = doc.inputs.iter().find(|i| i.path.ends_with(".gz")).unwrap();
    assert!(cut.lines > 100 && cut.lines < 3000, "{cut:?}");
    // Every whole line read before the cut gave its run (the last one may
    // be cut mid-line, and is then malformed).
    assert!(cut.lines - cut.recognized <= 1, "{cut:?}");
    assert_eq!(doc.runs.len() as u64, cut.recognized + 1);
}

#[test]
fn symlink_loops_and_10000_files_in_folder_mode() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..10_000 {
        write(
            d,
            &format!("logs/h{:02}/syslog.{i}", i % 50),
            format!(
                "Dec  3 {:02}:{:02}:01 web-{:02} CRON[{}]: (root) CMD (/usr/local/bin/job{}.sh)\n",
                i / 60 % 24,
                i % 60,
                i % 50,
                1000 + i,
                i % 7
            ),
        );
    }
    let link = |to: &str, at: &str| std::os::unix::fs::symlink(to, d.join(at)).unwrap();
    link("..", "logs/h00/up"); // a loop back to the top
    link("loop-b", "logs/loop-a"); // a dangling loop between two links
    link("loop-a", "logs/loop-b");
    link("h01", "logs/again"); // the same folder twice
    let start = std::time::Instant::now();
    let (_, doc) = json(d, &["logs"]);
    let took = start.elapsed();
    assert_eq!(doc.runs.len(), 10_000);
    assert_eq!(doc.inputs.len(), 10_000);
    // Generous for a debug build on a loaded CI machine; ~1 s in release.
    assert!(took.as_secs() < 60, "{took:?}");
    let out = run_in(d, &["sources", "logs"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("symlink loop"), "{}", out.stdout);
}

// ------------------------------------------------------------------ config

#[test]
fn config_faults_are_exit_2_naming_the_key_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    let cases = [
        // Unknown keys, at the top and inside a job.
        (
            "[[job]]\nname = \"x\"\nchanel = \"#ops\"\n",
            "unknown field `chanel`",
        ),
        ("[channel]\n\"#a\" = \"C1\"\n", "unknown field `channel`"),
        // Wrong types.
        ("year = \"2026\"\n", "year"),
        ("tz = 1\n", "tz"),
        ("[[job]]\nname = \"x\"\nhosts = \"web-01\"\n", "hosts"),
        ("[[job]]\nname = 7\n", "name"),
        ("job = \"x\"\n", "job"),
        ("fatal_patterns = \"FATAL\"\n", "fatal_patterns"),
        // Bad durations.
        ("grace = \"5 parsecs\"\n", "grace"),
        ("[[job]]\nname = \"x\"\ngrace = \"-5m\"\n", "grace"),
        // Bad cron schedules.
        (
            "[[job]]\nname = \"x\"\nschedule = \"0 4 * *\"\n",
            "schedule = `0 4 * *`",
        ),
        (
            "[[job]]\nname = \"x\"\nschedule = \"0 25 * * *\"\n",
            "schedule = `0 25 * * *`",
        ),
        ("[[job]]\nname = \"x\"\nschedule = \"\"\n", "schedule"),
        (
            "[[job]]\nname = \"x\"\nschedule = \"@fortnightly\"\n",
            "@fortnightly",
        ),
        // Unknown zones, with a suggestion for a near miss.
        ("tz = \"Europe/Berln\"\n", "Europe/Berlin"),
        ("tz = \"\"\n", "tz"),
        // Not TOML at all, and a job with no name.
        ("this is not toml\n", "crontriage.toml"),
        ("[[job]]\nmatch = \"backup.sh\"\n", "name"),
        (
            "[[job]]\nname = \"x\"\n[[job]]\nname = \"x\"\n",
            "same name",
        ),
        ("billing_patterns = [\"(\"]\n", "billing_patterns"),
        ("[[job]]\nname = \"x\"\nlog = \"[\"\n", "log = `[`"),
        // A seconds field first (croner would take it): not crontab syntax.
        (
            "[[job]]\nname = \"x\"\nschedule = \"0 4 * * * *\"\n",
            "schedule = `0 4 * * * *` is not a crontab schedule (five fields",
        ),
        ("[[job]]\nname = \"x\"\nmatch = \"re:\"\n", "match = `re:`"),
        // Checked even where a flag overrides them (below).
        ("tz = \"Mars/Olympus\"\n", "tz `Mars/Olympus`"),
        ("delivery_window = \"xx\"\n", "delivery_window = `xx`"),
    ];
    for (text, want) in cases {
        write(d, "crontriage.toml", text);
        let out = run_in(
            d,
            &[
                "report",
                "--syslog",
                "syslog",
                "--tz",
                "UTC",
                "--delivery-window",
                "5m",
            ],
        );
        assert_eq!(out.code, 2, "{text}: {}", out.stderr);
        assert!(
            out.stderr.contains("crontriage.toml") && out.stderr.contains(want),
            "{text}: stderr lacks `{want}`: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{text}");
    }
    std::fs::remove_file(d.join("crontriage.toml")).unwrap();
    // --config naming something that is not a readable file.
    std::fs::create_dir(d.join("conf.d")).unwrap();
    for bad in ["nope.toml", "conf.d"] {
        let out = run_in(d, &["report", "--config", bad, "--syslog", "syslog"]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains(bad), "{bad}: {}", out.stderr);
    }
}

#[test]
fn a_schedule_that_never_fires_is_not_an_error_and_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", format!("{CMD_BACKUP}{CMD_SYNC}"));
    write(
        d,
        "crontriage.toml",
        "[[job]]\nname = \"backup\"\nmatch = \"backup.sh\"\nschedule = \"0 4 30 2 *\"\n",
    );
    let (_, doc) = json(d, &["--syslog", "syslog"]);
    assert_eq!(doc.runs.len(), 2);
}

// -------------------------------------------------------------- time faults

#[test]
fn clock_stepping_back_inside_a_file_keeps_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        "Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/backup.sh)\n\
         Dec  3 04:00:09 web-01 CRON[99]: (CRON) error (grandchild #100 failed with exit status 2)\n\
         Dec  3 04:05:01 web-01 CRON[200]: (root) CMD (/usr/local/bin/sync.sh)\n\
         Dec  3 03:58:30 web-01 CRON[300]: (root) CMD (/usr/local/bin/report.sh)\n\
         Dec  3 03:58:35 web-01 CRON[299]: (CRON) error (grandchild #300 failed with exit status 4)\n\
         Dec  3 04:06:01 web-01 CRON[200]: (root) END (/usr/local/bin/sync.sh)\n",
    );
    let (_, doc) = json(d, &["--syslog", "syslog"]);
    let got: Vec<_> = doc
        .runs
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.execution.status.as_str(),
                r.execution.exit_code,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("report@web-01@2026-12-03T03:58:30Z", "failed", Some(4)),
            ("backup@web-01@2026-12-03T04:00:01Z", "failed", Some(2)),
            ("sync@web-01@2026-12-03T04:05:01Z", "ok", None),
        ]
    );
}

#[test]
fn clock_stepping_back_over_new_year_stays_in_the_old_year() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        "Dec 31 23:59:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/a.sh)\n\
         Jan  1 00:00:01 web-01 CRON[200]: (root) CMD (/usr/local/bin/b.sh)\n\
         Dec 31 23:59:58 web-01 CRON[300]: (root) CMD (/usr/local/bin/c.sh)\n\
         Jan  1 00:01:01 web-01 CRON[400]: (root) CMD (/usr/local/bin/d.sh)\n",
    );
    let (_, doc) = json(d, &["--syslog", "syslog"]);
    // It used to put c on 2027-12-31 and d on 2028-01-01.
    assert_eq!(
        ids(&doc),
        [
            "a@web-01@2026-12-31T23:59:01Z",
            "c@web-01@2026-12-31T23:59:58Z",
            "b@web-01@2027-01-01T00:00:01Z",
            "d@web-01@2027-01-01T00:01:01Z",
        ]
    );
}

#[test]
fn the_same_line_twice_is_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = format!("{CMD_BACKUP}{CMD_BACKUP}{FAIL_BACKUP}{FAIL_BACKUP}");
    write(d, "syslog", &body);
    // …also when the copies are in two overlapping files (a rotated copy
    // and the live file), and in a job log and a Slack log given twice.
    write(d, "syslog.copy", &body);
    write(d, "backup.log", "2026-12-03 04:00:02 start\nexit code 2\n");
    let slack = r##"{"ts":"2026-12-03T04:00:10Z","job":"backup","channel":"#ops","response":{"ok":false,"error":"invalid_auth"}}"##;
    write(d, "slack.jsonl", format!("{slack}\n{slack}\n"));
    let (_, doc) = json(
        d,
        &[
            "--syslog",
            "syslog",
            "syslog.copy",
            "--job-log",
            "backup.log",
            "--slack",
            "slack.jsonl",
        ],
    );
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
    let r = &doc.runs[0];
    assert_eq!(r.execution.exit_code, Some(2));
    assert_eq!(r.delivery.status, "failed");
    let (_, once) = json(d, &["--syslog", "syslog"]);
    assert_eq!(verdicts(&once)[0].1, "execution-failed");
}

#[test]
fn files_given_out_of_order_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog.2",
        "Dec  1 04:00:01 web-01 CRON[10]: (root) CMD (/usr/local/bin/backup.sh)\n",
    );
    write(
        d,
        "syslog.1",
        "Dec  2 04:00:01 web-01 CRON[20]: (root) CMD (/usr/local/bin/backup.sh)\n\
         Dec  2 04:00:07 web-01 CRON[19]: (CRON) error (grandchild #20 failed with exit status 1)\n",
    );
    write(d, "syslog", format!("{CMD_BACKUP}{FAIL_BACKUP}"));
    let (a, _) = json(d, &["--syslog", "syslog", "syslog.2", "syslog.1"]);
    let (b, _) = json(d, &["--syslog", "syslog.1", "syslog", "syslog.2"]);
    let (c, doc) = json(d, &["--syslog", "syslog*"]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.stdout, c.stdout);
    assert_eq!(doc.runs.len(), 3);
    assert_eq!(doc.runs[0].execution.status, "unknown");
    assert_eq!(doc.runs[1].execution.exit_code, Some(1));
}

#[test]
fn a_run_started_in_syslog_1_gz_and_ended_in_syslog_is_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog.1.gz",
        gz(b"Dec  3 06:25:01 web-01 CRON[500]: pam_unix(cron:session): session opened for user root by (uid=0)\n\
Dec  3 06:25:01 web-01 CRON[501]: (root) CMD (/usr/local/bin/backup.sh)\n\
Dec  3 06:30:01 web-01 CRON[600]: pam_unix(cron:session): session opened for user root by (uid=0)\n\
Dec  3 06:30:01 web-01 CRON[601]: (root) CMD (/usr/local/bin/sync.sh)\n"),
    );
    write(
        d,
        "syslog",
        "Dec  3 06:31:40 web-01 CRON[500]: (CRON) error (grandchild #501 failed with exit status 1)\n\
         Dec  3 06:31:40 web-01 CRON[500]: pam_unix(cron:session): session closed for user root\n\
         Dec  3 06:31:45 web-01 CRON[600]: pam_unix(cron:session): session closed for user root\n",
    );
    for args in [
        &["--syslog", "syslog", "syslog.1.gz"][..],
        &["--syslog", "syslog*"],
        &["."],
    ] {
        let (_, doc) = json(d, args);
        let got: Vec<_> = doc
            .runs
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.execution.status.as_str(),
                    r.ended_at.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "backup@web-01@2026-12-03T06:25:01Z",
                    "failed",
                    Some("2026-12-03T06:31:40Z")
                ),
                (
                    "sync@web-01@2026-12-03T06:30:01Z",
                    "ok",
                    Some("2026-12-03T06:31:45Z")
                ),
            ],
            "{args:?}"
        );
        let ev = &doc.runs[0].evidence;
        assert!(ev.iter().any(|e| e.path.ends_with("syslog.1.gz")));
        assert!(ev.iter().any(|e| e.path.ends_with("syslog")));
    }
}

#[test]
fn a_job_log_with_no_timestamps_is_dated_by_its_modification_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        "Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/backup.sh)\n\
         Dec  3 04:00:31 web-01 CRON[99]: pam_unix(cron:session): session closed for user root\n\
         Dec  4 04:00:01 web-01 CRON[200]: (root) CMD (/usr/local/bin/backup.sh)\n\
         Dec  4 04:00:31 web-01 CRON[199]: pam_unix(cron:session): session closed for user root\n",
    );
    // Rewritten by each run: its lines belong to the latest run.
    write(
        d,
        "backup.log",
        "starting backup\npg_dump: error: connection refused\nexit code 3\n",
    );
    let st = Command::new("touch")
        .args(["-d", "2026-12-04T04:00:30Z"])
        .arg(d.join("backup.log"))
        .status()
        .unwrap();
    assert!(st.success());
    let (_, doc) = json(d, &["--syslog", "syslog", "--job-log", "backup.log"]);
    let got: Vec<_> = doc
        .runs
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.execution.status.as_str(),
                r.execution.exit_code,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("backup@web-01@2026-12-03T04:00:01Z", "ok", None),
            ("backup@web-01@2026-12-04T04:00:01Z", "failed", Some(3)),
        ]
    );
    // Alone, it is one run of its own at that time.
    let (_, doc) = json(d, &["--job-log", "backup.log"]);
    assert_eq!(doc.runs.len(), 1);
    assert_eq!(doc.runs[0].execution.exit_code, Some(3));
}

#[test]
fn a_job_log_line_of_a_million_brackets_is_read_not_a_stack_overflow() {
    // Every job-log line is tried for a `[stamp]`: one level of brackets is
    // looked into, not one per `[`.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    let mut log = "[".repeat(1_000_000);
    log.push_str("\n[[2026-12-03T04:00:02Z]] nested\n[2026-12-03T04:00:03Z] done, exit code 4\n");
    write(d, "backup.log", log);
    let (_, doc) = json(d, &["--syslog", "syslog", "--job-log", "backup.log"]);
    let input = doc.inputs.iter().find(|i| i.path == "backup.log").unwrap();
    assert_eq!(input.lines, 3);
    assert_eq!(doc.runs.len(), 1);
    assert_eq!(doc.runs[0].execution.exit_code, Some(4));
}

#[test]
fn durations_too_long_for_the_calendar_are_exit_2_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    for args in [
        &["--since", "300000y"][..],
        &["--until", "300000years"],
        &["--delivery-window", "300000y"],
    ] {
        let mut all = vec!["report", "--syslog", "syslog"];
        all.extend(args);
        let out = run_in(d, &all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(args[1]), "{args:?}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
    write(
        d,
        "crontriage.toml",
        "[[job]]\nname = \"backup\"\nmatch = \"backup.sh\"\nschedule = \"0 4 * * *\"\ngrace = \"300000y\"\n",
    );
    let out = run_in(d, &["report", "--syslog", "syslog"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("grace"), "{}", out.stderr);
    // A hundred years is still a window.
    write(
        d,
        "crontriage.toml",
        "[[job]]\nname = \"backup\"\nmatch = \"backup.sh\"\nschedule = \"0 4 * * *\"\ngrace = \"100y\"\n",
    );
    let (_, doc) = json(d, &["--syslog", "syslog", "--since", "36500d"]);
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
}

#[test]
fn a_corrupt_gz_in_a_folder_is_exit_2_naming_it_or_skipped_with_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "logs/syslog", CMD_BACKUP);
    // gzip's magic, then no valid header: rotated, then damaged.
    write(
        d,
        "logs/syslog.2.gz",
        b"\x1f\x8b\x08\xff\xff garbage, not deflate",
    );
    let out = run_in(d, &["report", "logs"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("syslog.2.gz"), "{}", out.stderr);
    let (out, doc) = json(d, &["--keep-going", "logs"]);
    assert!(
        out.stderr.contains("warning: logs/syslog.2.gz"),
        "{}",
        out.stderr
    );
    assert_eq!(ids(&doc), ["backup@web-01@2026-12-03T04:00:01Z"]);
}

// ------------------------------------------------------------------ secrets

/// Secrets fed through every input, each a distinctive string that must
/// never be printed.
const SECRETS: &[&str] = &[
    "xoxb-1111-2222-AbCdEfGhIjKl",
    "https://hooks.slack.com/services/T0001/B0001/WhSecretWhSecret",
    "BearerSecret0123456789",
    "hunter2hunter2",
    "sk-proj-AAAABBBBCCCCDDDDEEEE1234",
    "AKIAIOSFODNN7EXAMPLE",
    "xoxp-3333-4444-QwErTyUiOp",
    "xapp-1-A0123-4567-ZxCvBnMzz",
    "xoxa-2-5555-AppTokenSecret",
    "xoxs-6666-7777-SessionSecret",
    "xoxe-1-8888-RefreshSecret",
    "xoxe.xoxp-1-9999-RotatedSecret",
    "hooks.slack.com/services/T0002/B0002/JobLogHookSecret",
    "https:\\/\\/hooks.slack.com\\/services\\/T0003\\/B0003\\/EscapedHookSecret",
    "aws_secret_access_key=AwsSecretKeyValue0123",
    "curl -u admin:CurlPassSecret",
    "ghp_GithubTokenSecret0123456789ab",
];

/// The distinctive part of each secret (what a leak would show).
fn leaked(s: &str) -> Vec<&'static str> {
    [
        "AbCdEfGhIjKl",
        "WhSecretWhSecret",
        "BearerSecret0123456789",
        "hunter2hunter2",
        "AAAABBBBCCCCDDDDEEEE1234",
        "IOSFODNN7EXAMPLE",
        "QwErTyUiOp",
        "ZxCvBnMzz",
        "AppTokenSecret",
        "SessionSecret",
        "RefreshSecret",
        "RotatedSecret",
        "JobLogHookSecret",
        "SlackLogSecret",
        "ConfigSecret",
        "MissingSecret",
        "EscapedHookSecret",
        "AwsSecretKeyValue0123",
        "CurlPassSecret",
        "GithubTokenSecret0123456789ab",
    ]
    .into_iter()
    .filter(|x| s.contains(x))
    .collect()
}

/// A folder where every input carries secrets: scheduler commands, job-log
/// lines, Slack records (JSON and text), and a file path.
fn secret_inputs(d: &Path) {
    assert!(!SECRETS.is_empty());
    write(
        d,
        "syslog",
        "Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (SLACK_TOKEN=xoxb-1111-2222-AbCdEfGhIjKl /usr/local/bin/backup.sh --hook https://hooks.slack.com/services/T0001/B0001/WhSecretWhSecret)\n\
         Dec  3 04:00:09 web-01 CRON[99]: (CRON) error (grandchild #100 failed with exit status 2)\n\
         Dec  3 05:00:01 web-01 CRON[200]: (root) CMD (/opt/sync.sh -H 'Authorization: Bearer BearerSecret0123456789' https://deploy:hunter2hunter2@git.example.com/x)\n\
         Dec  3 05:00:04 web-01 CRON[199]: (CRON) error (grandchild #200 failed with exit status 1)\n",
    );
    write(
        d,
        "jobs/xoxe-1-8888-RefreshSecret/backup.log",
        "2026-12-03 04:00:02 FATAL: OpenAI key sk-proj-AAAABBBBCCCCDDDDEEEE1234 rejected\n\
         2026-12-03 04:00:03 FATAL: aws AKIAIOSFODNN7EXAMPLE denied\n\
         2026-12-03 04:00:04 FATAL: tokens xoxp-3333-4444-QwErTyUiOp xapp-1-A0123-4567-ZxCvBnMzz xoxa-2-5555-AppTokenSecret\n\
         2026-12-03 04:00:05 FATAL: xoxs-6666-7777-SessionSecret xoxe.xoxp-1-9999-RotatedSecret\n\
         2026-12-03 04:00:06 FATAL: posting to https://hooks.slack.com/services/T0002/B0002/JobLogHookSecret\n\
         2026-12-03 04:00:06 payload {\"url\":\"https:\\/\\/hooks.slack.com\\/services\\/T0003\\/B0003\\/EscapedHookSecret\"}\n\
         2026-12-03 04:00:07 env aws_secret_access_key=AwsSecretKeyValue0123 ran curl -u admin:CurlPassSecret https://x with ghp_GithubTokenSecret0123456789ab\n\
         2026-12-03 04:00:08 exit code 2 (Authorization: Bearer BearerSecret0123456789)\n",
    );
    write(
        d,
        "slack.jsonl",
        r##"{"ts":"2026-12-03T04:00:10Z","job":"backup","method":"chat.postMessage","channel":"#ops","http_status":200,"response":{"ok":false,"error":"invalid_auth"},"token":"xoxb-1111-2222-SlackLogSecret"}
{"ts":"2026-12-03T05:00:10Z","job":"sync","method":"webhook","channel":"https://hooks.slack.com/services/T0001/B0001/WhSecretWhSecret","http_status":404,"response":"no_service"}
2026-12-03T05:00:20Z job=sync method=webhook status=403 body=invalid_token for xoxb-1111-2222-AbCdEfGhIjKl
2026-12-03T06:00:00Z job=orphan method=chat.postMessage status=200 body={"ok":false,"error":"invalid_auth","token":"xoxp-3333-4444-QwErTyUiOp"}
"##,
    );
}

fn secret_args() -> Vec<&'static str> {
    vec![
        "--year",
        "2026",
        "--tz",
        "UTC",
        "--syslog",
        "syslog",
        "--job-log",
        "jobs/*/backup.log",
        "--slack",
        "slack.jsonl",
        "does-not-exist/xoxb-1111-2222-MissingSecret.log",
        "--keep-going",
    ]
}

/// `report --format FORMAT` over [`secret_inputs`]: nothing leaks to
/// stdout or stderr, and something was redacted.
fn no_secret_in_format(format: &str) -> Out {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    secret_inputs(d);
    let mut args = vec!["report", "--format", format];
    args.extend(secret_args());
    let out = run_in(d, &args);
    assert_eq!(out.code, 0, "{format}: {}", out.stderr);
    // Markdown escapes the brackets.
    assert!(out.stdout.contains("REDACTED"), "{format}: {}", out.stdout);
    assert_eq!(leaked(&out.stdout), Vec::<&str>::new(), "{format} stdout");
    assert_eq!(leaked(&out.stderr), Vec::<&str>::new(), "{format} stderr");
    // The warning about the missing file is there, redacted.
    assert!(
        out.stderr.contains("does-not-exist/[REDACTED]"),
        "{format}: {}",
        out.stderr
    );
    out
}

#[test]
fn secrets_are_redacted_in_table() {
    no_secret_in_format("table");
}

#[test]
fn secrets_are_redacted_in_json() {
    let doc = no_secret_in_format("json").doc();
    assert_eq!(doc.runs.len(), 2);
    // Every input was read: the secrets did reach the report, redacted.
    assert!(
        doc.runs[0]
            .evidence
            .iter()
            .any(|e| e.path.contains("backup.log")),
        "{:?}",
        doc.runs[0].evidence
    );
    assert!(
        doc.runs[0]
            .command
            .as_deref()
            .unwrap()
            .contains("[REDACTED]")
    );
}

#[test]
fn secrets_are_redacted_in_ndjson() {
    no_secret_in_format("ndjson");
}

#[test]
fn secrets_are_redacted_in_csv() {
    no_secret_in_format("csv");
}

#[test]
fn secrets_are_redacted_in_markdown() {
    no_secret_in_format("markdown");
}

#[test]
fn secrets_are_redacted_in_html() {
    no_secret_in_format("html");
}

#[test]
fn secrets_are_redacted_in_explain_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    secret_inputs(d);
    for id in [
        "backup@web-01@2026-12-03T04:00:01Z",
        "sync@web-01@2026-12-03T05:00:01Z",
    ] {
        let mut args = vec!["explain", id];
        args.extend(secret_args());
        let out = run_in(d, &args);
        assert_eq!(out.code, 0, "explain {id}: {}", out.stderr);
        assert!(out.stdout.contains("[REDACTED]"), "{}", out.stdout);
        assert_eq!(leaked(&out.stdout), Vec::<&str>::new(), "explain {id}");
        assert_eq!(leaked(&out.stderr), Vec::<&str>::new(), "explain {id}");
    }
    let mut args = vec!["sources"];
    args.extend(secret_args());
    let out = run_in(d, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("[REDACTED]"), "{}", out.stdout);
    assert_eq!(leaked(&out.stdout), Vec::<&str>::new(), "sources");
    assert_eq!(leaked(&out.stderr), Vec::<&str>::new(), "sources");
}

#[test]
fn secrets_are_redacted_in_error_messages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    secret_inputs(d);
    write(
        d,
        "conf/bad-tz.toml",
        "tz = \"xoxb-1111-2222-ConfigSecret\"\n",
    );
    write(
        d,
        "conf/bad-key.toml",
        "slack_token = \"xoxb-1111-2222-ConfigSecret\"\n",
    );
    write(
        d,
        "conf/bad-match.toml",
        "[[job]]\nname = \"x\"\nmatch = \"re:(sk-proj-AAAABBBBCCCCDDDDEEEE1234\"\n",
    );
    write(
        d,
        "conf/bad-type.toml",
        "[[job]]\nname = \"x\"\nchannel = [\"https://hooks.slack.com/services/T0001/B0001/WhSecretWhSecret\"]\n",
    );
    let cases: &[&[&str]] = &[
        // A missing file, a glob matching nothing, a folder that is not one.
        &[
            "report",
            "--syslog",
            "/no/such/xoxb-1111-2222-MissingSecret.log",
        ],
        &[
            "report",
            "--syslog",
            "logs-xoxb-1111-2222-MissingSecret-*.log",
        ],
        &[
            "report",
            "https://hooks.slack.com/services/T0001/B0001/WhSecretWhSecret",
        ],
        // Config errors that quote the value or the line.
        &[
            "report",
            "--config",
            "conf/bad-tz.toml",
            "--syslog",
            "syslog",
        ],
        &[
            "report",
            "--config",
            "conf/bad-key.toml",
            "--syslog",
            "syslog",
        ],
        &[
            "report",
            "--config",
            "conf/bad-match.toml",
            "--syslog",
            "syslog",
        ],
        &[
            "report",
            "--config",
            "conf/bad-type.toml",
            "--syslog",
            "syslog",
        ],
        &[
            "report",
            "--config",
            "xoxe-1-8888-RefreshSecret.toml",
            "--syslog",
            "syslog",
        ],
        // Flag values: ours, and the ones clap refuses itself.
        &[
            "report",
            "--syslog",
            "syslog",
            "--since",
            "sk-proj-AAAABBBBCCCCDDDDEEEE1234",
        ],
        &[
            "report",
            "--syslog",
            "syslog",
            "--tz",
            "xoxp-3333-4444-QwErTyUiOp",
        ],
        &[
            "report",
            "--syslog",
            "syslog",
            "--format",
            "xoxb-1111-2222-AbCdEfGhIjKl",
        ],
        &[
            "report",
            "--syslog",
            "syslog",
            "--year",
            "AKIAIOSFODNN7EXAMPLE",
        ],
        &[
            "report",
            "--syslog",
            "syslog",
            "--fail-on",
            "xoxa-2-5555-AppTokenSecret",
        ],
        &[
            "report",
            "--syslog",
            "syslog",
            "--delivery-window",
            "https://u:hunter2hunter2@h",
        ],
        &["report", "--sislog", "xoxs-6666-7777-SessionSecret"],
        // explain with a secret as the run id.
        &["explain", "xoxp-3333-4444-QwErTyUiOp", "--syslog", "syslog"],
    ];
    for args in cases {
        let out = run_in(d, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?}");
        assert_eq!(leaked(&out.stderr), Vec::<&str>::new(), "{args:?}");
        assert_eq!(leaked(&out.stdout), Vec::<&str>::new(), "{args:?}");
    }
}

#[test]
fn a_secret_cut_by_the_evidence_length_limit_is_still_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Evidence text is cut at 2,000 bytes; the password straddles the cut.
    // It used to be cut first and redacted after, so its first half (no
    // longer followed by `@`) was printed.
    for pad in [1900, 1930, 1940, 1950, 1960] {
        write(
            d,
            "backup.log",
            format!(
                "2026-12-03 04:00:02 FATAL {} pg_dump postgres://backup:hunter2hunter2hunter2@db:5432/app xoxb-1111-2222-AbCdEfGhIjKl\nexit code 2\n",
                "x".repeat(pad)
            ),
        );
        // A scheduler user that is a token is redacted like any text.
        write(
            d,
            "syslog",
            "Dec  3 04:00:01 web-01 CRON[100]: (xoxp-3333-4444-QwErTyUiOp) CMD (/usr/local/bin/backup.sh)\n",
        );
        for format in ["json", "html"] {
            let out = run_in(
                d,
                &[
                    "report",
                    "--year",
                    "2026",
                    "--tz",
                    "UTC",
                    "--format",
                    format,
                    "--syslog",
                    "syslog",
                    "--job-log",
                    "backup.log",
                ],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(!out.stdout.contains("hunter2"), "{pad} {format}");
            assert!(!out.stdout.contains("QwErTyUiOp"), "{pad} {format}");
        }
    }
}

// ----------------------------------------------------------- output safety

#[test]
fn a_write_error_other_than_a_closed_pipe_is_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", format!("{CMD_BACKUP}{FAIL_BACKUP}"));
    for format in ["table", "json", "html"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_crontriage"))
            .args([
                "report", "--year", "2026", "--format", format, "--syslog", "syslog",
            ])
            .current_dir(d)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(
            err.contains("error: writing the report") && err.contains("No space left"),
            "{format}: {err}"
        );
    }
}

/// A command that tries to break out of a Markdown table cell or inject
/// HTML, and a job name that does the same.
const HOSTILE: &str = "Dec  3 04:00:01 web-01 CRON[100]: (root) CMD (/usr/local/bin/backup.sh | tee `whoami` <script>alert(1)</script> *bold* [x](http://e) <img src=x onerror=alert(2)> & \"q\" 'a')\n\
Dec  3 04:00:09 web-01 CRON[99]: (CRON) error (grandchild #100 failed with exit status 2)\n\
Dec  3 05:00:01 web-01 CRON[200]: (root) CMD (/opt/<b>x|y`z.sh)\n\
Dec  3 05:00:09 web-01 CRON[199]: (CRON) error (grandchild #200 failed with exit status 3)\n";

#[test]
fn markdown_escapes_hostile_log_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", HOSTILE);
    let out = run_in(
        d,
        &[
            "report", "--year", "2026", "--tz", "UTC", "--format", "markdown", "--syslog", "syslog",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = &out.stdout;
    // Outside code spans (where GitHub shows text verbatim) no tag from the
    // log survives.
    for line in md.lines() {
        let text = outside_code_spans(line);
        for tag in ["<script", "<img", "<b>", "](http"] {
            assert!(!text.contains(tag), "`{tag}` in {line}\n{md}");
        }
    }
    // Every table row has as many unescaped pipes as its header.
    let mut cols = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            cols = None;
            continue;
        }
        let n = unescaped_pipes(line);
        match cols {
            None => cols = Some(n),
            Some(c) => assert_eq!(n, c, "row breaks its table: {line}\n{md}"),
        }
    }
    // Backticks in log text are escaped; code spans the report itself opens
    // are balanced on each line.
    for line in md.lines() {
        let bare = line.replace("\\`", "");
        assert_eq!(bare.matches('`').count() % 2, 0, "{line}");
    }
}

/// `line` without its code spans (text between unescaped backticks).
fn outside_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut prev = ' ';
    for c in line.chars() {
        if c == '`' && prev != '\\' {
            in_code = !in_code;
        } else if !in_code {
            out.push(c);
        }
        prev = c;
    }
    out
}

fn unescaped_pipes(line: &str) -> usize {
    let b = line.as_bytes();
    (0..b.len())
        .filter(|&i| {
            b[i] == b'|' && {
                let slashes = b[..i].iter().rev().take_while(|c| **c == b'\\').count();
                slashes % 2 == 0
            }
        })
        .count()
}

#[test]
fn html_escapes_hostile_log_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", HOSTILE);
    let out = run_in(
        d,
        &[
            "report", "--year", "2026", "--tz", "UTC", "--format", "html", "--syslog", "syslog",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = &out.stdout;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;"),
        "the text is shown, escaped"
    );
    // Quotes are escaped too, so text cannot leave an attribute value.
    assert!(html.contains("&quot;q&quot;"), "{html}");
}

#[test]
fn a_gz_name_over_data_that_is_not_gzip_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", CMD_BACKUP);
    // What a broken rotation or a copy gone wrong leaves: text, or junk.
    write(d, "syslog.2.gz", CMD_BACKUP);
    write(d, "slack.jsonl.gz", [0x00u8, 0xff, 0x13, 0x37, 0x0a, 0x42]);
    for name in ["syslog.2.gz", "slack.jsonl.gz"] {
        let flag = if name.starts_with("slack") {
            "--slack"
        } else {
            "--syslog"
        };
        let out = run_in(d, &["report", flag, name]);
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("{name}: corrupt .gz: no gzip header")),
            "{}",
            out.stderr
        );
    }
    // With --keep-going it is reported and skipped; the rest is read.
    let (out, doc) = json(
        d,
        &[
            "--keep-going",
            "--syslog",
            "syslog",
            "--syslog",
            "syslog.2.gz",
        ],
    );
    assert!(
        out.stderr.contains("warning: syslog.2.gz"),
        "{}",
        out.stderr
    );
    assert_eq!(doc.runs.len(), 1);
    // An empty file named .gz holds nothing to be wrong about.
    write(d, "empty.gz", "");
    let (_, doc) = json(d, &["--syslog", "syslog", "--syslog", "empty.gz"]);
    assert_eq!(doc.runs.len(), 1);
}

#[test]
fn a_byte_order_mark_does_not_cost_the_first_record() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "syslog", format!("\u{feff}{CMD_BACKUP}"));
    write(
        d,
        "slack.jsonl",
        "\u{feff}{\"ts\":\"2026-12-03T04:00:09Z\",\"job\":\"backup\",\"http_status\":200,\"response\":{\"ok\":false,\"error\":\"invalid_auth\"}}\n",
    );
    let (_, doc) = json(d, &["--syslog", "syslog", "--slack", "slack.jsonl"]);
    assert!(
        doc.inputs.iter().all(|i| i.malformed == 0),
        "{:?}",
        doc.inputs
    );
    assert_eq!(doc.runs.len(), 1);
    assert_eq!(doc.runs[0].delivery.status, "failed");
    assert_eq!(doc.runs[0].category, "delivery-failed");
    // In folder mode too (sniffing looks past the mark).
    let (_, doc) = json(d, &["."]);
    assert_eq!(verdicts(&doc).len(), 1);
    assert_eq!(doc.runs[0].category, "delivery-failed");
}

/// `[[job]] log` globs match whether the glob or the named file is
/// absolute or relative (found by QA: only the same spelling matched).
#[test]
fn a_log_glob_matches_relative_and_absolute_paths_alike() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        "Dec  3 02:00:01 h CRON[7]: (etl) CMD (/usr/bin/python3 /opt/etl/load_ledger.py)\n",
    );
    write(
        d,
        "logs/ledger-2026-12-03.out",
        "2026-12-03 02:00:05 Permission denied: /srv/ledger\n",
    );
    let abs = d.join("logs/ledger-*.out").display().to_string();
    for glob in [abs.as_str(), "logs/ledger-*.out"] {
        write(
            d,
            "c.toml",
            format!(
                "[[job]]\nname = \"load_ledger\"\nmatch = \"load_ledger.py\"\nlog = \"{glob}\"\n"
            ),
        );
        for named in ["logs/*".to_string(), d.join("logs/*").display().to_string()] {
            let (_, doc) = json(
                d,
                &[
                    "--syslog",
                    "syslog",
                    "--job-log",
                    &named,
                    "--config",
                    "c.toml",
                ],
            );
            let got: Vec<(&str, &str)> = doc
                .runs
                .iter()
                .map(|r| (r.job.as_str(), r.category.as_str()))
                .collect();
            assert_eq!(
                got,
                [("load_ledger", "execution-failed")],
                "log = {glob}, --job-log {named}"
            );
        }
    }
}

/// Found by QA: an every-minute schedule over months of logs made a missed
/// run per minute (2 KB each: gigabytes for a few jobs) and stopped at a
/// silent cap. Missed runs are bounded per job and host, and the bound is
/// said on stderr.
#[test]
fn missed_runs_are_bounded_and_the_bound_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut syslog = String::new();
    for day in 1..=20 {
        for hour in 0..24 {
            syslog.push_str(&format!(
                "Nov {day:2} {hour:02}:00:01 web-01 CRON[{}]: (root) CMD (/usr/lib/sysstat/debian-sa1 1 1)\n",
                1000 + day * 24 + hour
            ));
        }
    }
    write(d, "syslog", syslog);
    write(
        d,
        "c.toml",
        "[[job]]\nname = \"ghost\"\nmatch = \"never-runs\"\nschedule = \"* * * * *\"\ngrace = \"0s\"\nhosts = [\"web-01\"]\n",
    );
    let (out, doc) = json(d, &["--syslog", "syslog", "--config", "c.toml"]);
    let missed = doc.runs.iter().filter(|r| r.category == "missed").count();
    assert!((20_000..=20_160).contains(&missed), "{missed}");
    assert!(
        out.stderr
            .contains("warning: job `ghost` on web-01: missed runs looked for only up to"),
        "{}",
        out.stderr
    );
}

/// Secrets a QA pass found printed: passwords as tool arguments, a quoted
/// value with a space, a URL-encoded webhook, a token behind JSON `\u`
/// escapes. None may reach any format, `explain` or stderr.
#[test]
fn argument_passwords_encoded_webhooks_and_escaped_tokens_never_print() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "syslog",
        "Dec  3 04:00:01 web-01 CRON[201]: (root) CMD (mysql -pS3cretA1 appdb < /opt/cleanup.sql)\n\
         Dec  3 04:00:01 web-01 CRON[202]: (root) CMD (mysqldump -uroot -pS3cretA2 appdb | gzip > /b/db.gz)\n\
         Dec  3 04:00:01 web-01 CRON[203]: (root) CMD (/usr/bin/mysql -h db -uapp -p'S3cretA3' app)\n\
         Dec  3 04:00:01 web-01 CRON[204]: (root) CMD (/opt/z.sh --password S3cretA4)\n\
         Dec  3 04:00:01 web-01 CRON[205]: (root) CMD (redis-cli -a S3cretA5 ping)\n\
         Dec  3 04:00:01 web-01 CRON[206]: (root) CMD (sshpass -p S3cretA6 rsync -a /d host:/d)\n\
         Dec  3 04:00:01 web-01 CRON[207]: (root) CMD (PASSWORD='S3cretA7 Tail7' /opt/q.sh)\n\
         Dec  3 04:00:01 web-01 CRON[208]: (root) CMD (/opt/notify.sh https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0%2FB0%2FS3cretA8)\n\
         Dec  3 04:00:01 web-01 CRON[209]: (root) CMD (/opt/xoxb-1111-2222-S3cretA9job.sh)\n\
         Dec  3 04:00:01 web-01 CRON[210]: (root) CMD (/opt/sk-S3cretB1abcdefghijklmnopqrstu.sh)\n\
         Dec  3 04:00:01 web-01 CRON[211]: (root) CMD (gh auth login --with-token S3cretC1)\n\
         Dec  3 04:00:01 web-01 CRON[212]: (root) CMD (/opt/n.sh /etc/slack_xoxb-1234-5678-S3cretC2)\n\
         Dec  3 04:00:01 web-01 CRON[213]: (root) CMD (curl -s -H Authorization:\\ Bearer\\ eyJS3cretC3 https://x)\n\
         Dec  3 04:00:01 web-01 CRON[214]: (root) CMD (docker run -e MYSQL_PWD=S3cretC4 db)\n\
         Dec  3 04:00:09 web-01 CRON[200]: (CRON) error (grandchild #208 failed with exit status 1)\n",
    );
    write(
        d,
        "slack.jsonl",
        r##"{"ts":"2026-12-03T04:00:10Z","job":"notify","method":"chat.postMessage","channel":"#ops","http_status":200,"response":{"ok":false,"error":"invalid_auth","detail":"x\u006fxb-1111111111-2222222222-S3cretB2"}}
"##,
    );
    write(
        d,
        "notify.log",
        "{\"time\":\"2026-12-03T04:00:03Z\",\"level\":\"error\",\"msg\":\"FATAL token \\u0078oxb-1111111111-2222222222-S3cretB3\"}\n\
         2026-12-03T04:00:04Z FATAL: mysql -uroot -pS3cretB4 -h db failed\n\
         2026-12-03T04:00:05Z exit code 1 url=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0%2FB0%2FS3cretB5\n\
         {\"time\":\"2026-12-03T04:00:06Z\",\"msg\":\"FATAL dump:\\nxoxb-1-2-S3cretC5 and\\tsk-abcdefghijklmnopS3cretC6\"}\n",
    );
    let inputs = [
        "--syslog",
        "syslog",
        "--slack",
        "slack.jsonl",
        "--job-log",
        "notify.log",
        "--year",
        "2026",
        "--tz",
        "UTC",
    ];
    let mut outs = Vec::new();
    for f in ["table", "json", "ndjson", "csv", "markdown", "html"] {
        let mut a = vec!["report", "--format", f];
        a.extend(inputs);
        outs.push(run_in(d, &a));
    }
    let (_, doc) = json(d, &inputs[..6]);
    // Two jobs whose names are secrets: told apart after redaction.
    let ids: std::collections::BTreeSet<&str> = doc.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), doc.runs.len(), "{ids:?}");
    for r in &doc.runs {
        let mut a = vec!["explain", r.id.as_str()];
        a.extend(inputs);
        let out = run_in(d, &a);
        assert_eq!(out.code, 0, "{}: {}", r.id, out.stderr);
        outs.push(out);
    }
    for out in &outs {
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains("S3cret"), "a secret printed:\n{text}");
        }
    }
}

/// After a crash the file holds NULs where it was extended, and the next
/// line written right after them: its run is read (it was lost, and with it
/// the failure tied to it).
#[test]
fn a_line_right_after_a_nul_run_keeps_its_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "syslog",
        b"Dec  3 04:00:01 h CRON[101]: (root) CMD (/opt/a.sh)\n\0\0\0\0\0\0\0\0\0\0\0\0Dec  3 04:01:01 h CRON[102]: (root) CMD (/opt/b.sh)\nDec  3 04:01:09 h CRON[100]: (CRON) error (grandchild #102 failed with exit status 4)\n",
    );
    let (_, d) = json(dir.path(), &["--syslog", "syslog"]);
    let got: Vec<(&str, &str)> = d
        .runs
        .iter()
        .map(|r| (r.job.as_str(), r.category.as_str()))
        .collect();
    assert_eq!(got, [("a", "ok"), ("b", "execution-failed")]);
    assert_eq!(d.inputs[0].malformed, 0);
}
