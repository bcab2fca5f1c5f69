//! Micro-benchmarks of the parsers, on real lines (`cargo bench --bench
//! parsers`). The end-to-end throughput benchmark is `scripts/bench.sh`;
//! these say which parser a change made faster or slower.

use crontriage::formats::joblog::{Facts, JobLogReader};
use crontriage::formats::{self, slack, syslog};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// Real lines: Debian cron (corpus/plaso), cronie, a pam line, systemd, and
/// noise that the prefilter must pass over.
const LINES: &[&str] = &[
    "Mar 11 22:55:30 ubuntu2015 CRON[3]: (root) CMD (touch /tmp/afile.txt)",
    "2026-10-10T12:00:01.487368+00:00 ubuntu CRON[2749]: (svc-backup) CMD (/usr/local/bin/backup.sh --incremental >> /var/tmp/backup.log 2>&1)",
    "Jul 28 09:01:00 localhost CROND[2175]: (root) CMDEND (run-parts /etc/cron.hourly)",
    "Dec  3 18:01:01 vm CRON[8497]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
    "<78>1 2021-03-06T04:07:38.268395+00:00 hostname cron 18898 - -  (CRON) INFO (pidfile fd = 3)",
    "Dec  3 04:00:31 web-01 systemd[1]: backup.service: Main process exited, code=exited, status=1/FAILURE",
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4",
];

#[divan::bench]
fn frame(b: Bencher) {
    b.bench(|| {
        for l in LINES {
            black_box(syslog::parse_frame(black_box(l)).ok());
        }
    });
}

#[divan::bench]
fn frame_and_message(b: Bencher) {
    b.bench(|| {
        for l in LINES {
            black_box(formats::parse_syslog_record(black_box(l)).ok());
        }
    });
}

/// A chunk like a fleet's syslog: one cron line in twenty.
fn chunk() -> Vec<u8> {
    let noise = [
        "Dec  3 04:00:02 web-07 sshd[4242]: Accepted publickey for deploy from 10.0.3.7 port 51234 ssh2: ED25519 SHA256:q3Vx8yWm0fS1bRkTn2pZc7dHj9LaUeXo4iGvBtNsKwE",
        "Dec  3 04:00:02 web-07 kernel: [12345.678901] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=203.0.113.9 DST=10.0.3.11 LEN=44 PROTO=TCP SPT=40022 DPT=23",
        "Dec  3 04:00:02 web-07 postfix/smtpd[2211]: connect from unknown[198.51.100.4]",
        "Dec  3 04:00:03 web-07 systemd[1]: session-812.scope: Deactivated successfully.",
    ];
    let mut out = Vec::new();
    for i in 0..20_000 {
        let l = if i % 20 == 0 {
            LINES[i / 20 % 4]
        } else {
            noise[i % noise.len()]
        };
        out.extend_from_slice(l.as_bytes());
        out.push(b'\n');
    }
    out
}

#[divan::bench]
fn syslog_chunk(b: Bencher) {
    let facts = Facts::new(None, &[]).unwrap();
    let data = chunk();
    b.counter(divan::counter::BytesCount::new(data.len()))
        .bench(|| black_box(formats::parse_syslog_chunk(black_box(&data), &facts)));
}

#[divan::bench]
fn job_log_lines(b: Bencher) {
    let facts = Facts::new(None, &[]).unwrap();
    let lines = [
        "2026-12-03 04:00:01,120 backup: starting full backup of /srv/app",
        "2026-12-03 06:00:06,000 ERROR openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}",
        "The server responded with: {'ok': False, 'error': 'not_in_channel'}",
        r#"{"time":"2026-12-03T04:00:06Z","level":"info","msg":"done","exit_code":0}"#,
        "2026-12-03 04:00:38,000 backup: done, exit code 0",
    ];
    b.bench(|| {
        let mut r = JobLogReader::new(&facts);
        for l in lines {
            black_box(r.line(black_box(l)));
        }
    });
}

#[divan::bench]
fn slack_records(b: Bencher) {
    let lines = [
        r##"{"ts":"2026-12-03T04:00:07Z","job":"backup","method":"chat.postMessage","channel":"#ops-alerts","http_status":200,"response":{"ok":false,"error":"channel_not_found"}}"##,
        r##"2026-12-03T04:00:07Z job=backup method=chat.postMessage channel=#ops-alerts status=429 body={"ok":false,"error":"ratelimited"}"##,
    ];
    b.bench(|| {
        for l in lines {
            black_box(slack::parse_line(black_box(l)).ok());
        }
    });
}

#[divan::bench]
fn redact_evidence(b: Bencher) {
    b.bench(|| {
        for l in LINES {
            black_box(crontriage::redact::redact_cow(black_box(l)));
        }
    });
}
