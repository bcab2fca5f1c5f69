//! Deterministic benchmark corpus for crontriage.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --size-mb 256 --out target/bench-corpus/256 [--seed 20261201]
//! ```
//!
//! Writes `OUT/syslog`, RFC 3164 lines (`Dec  3 04:00:01 web-01 CRON[12345]: …`,
//! year-less, UTC, from 2026-12-01 00:00:00 on) of a 60-host fleet: runs of 50
//! cron jobs (Debian cron and cronie) among ~95 % ordinary daemon noise, and
//! `OUT/slack.jsonl`, the Slack API answers of the 20 jobs that notify.
//! The fleet's activity is fixed, so the size only decides how long a span is
//! written (1 GiB ≈ 4 days ≈ 128k cron runs), and a smaller corpus's syslog is
//! a prefix of a larger one's with the same seed. Same seed and size give
//! byte-identical files. Std only: the PRNG is SplitMix64. benches/README.md describes the
//! corpus.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const MIB: f64 = 1_048_576.0;
const DEFAULT_SEED: u64 = 20_261_201;
/// Cron lines are this share of all lines; the noise rate is derived from it.
const CRON_SHARE: f64 = 0.052;
/// One noise line in this many carries raw invalid UTF-8 bytes.
const INVALID_UTF8_EVERY: u64 = 100_000;
/// A first Slack attempt fails this often.
const SLACK_ERROR_RATE: f64 = 0.03;
/// Flush the line buffers to disk past this many bytes.
const FLUSH_AT: usize = 8 << 20;

// ---------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast, and good enough for synthetic logs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// Index into `weights`, chosen in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------
// Byte formatting without allocation

trait Put {
    fn c(&mut self, byte: u8) -> &mut Self;
    fn s(&mut self, s: &str) -> &mut Self;
    fn n(&mut self, v: u64) -> &mut Self;
    /// Zero-padded to `width` digits.
    fn z(&mut self, v: u64, width: usize) -> &mut Self;
    fn hex(&mut self, r: &mut Rng, len: usize) -> &mut Self;
    fn ip(&mut self, ip: [u8; 4]) -> &mut Self;
}

impl Put for Vec<u8> {
    fn c(&mut self, byte: u8) -> &mut Self {
        self.push(byte);
        self
    }
    fn s(&mut self, s: &str) -> &mut Self {
        self.extend_from_slice(s.as_bytes());
        self
    }
    fn n(&mut self, mut v: u64) -> &mut Self {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.extend_from_slice(&tmp[i..]);
        self
    }
    fn z(&mut self, v: u64, width: usize) -> &mut Self {
        let mut tmp = [b'0'; 20];
        let mut i = tmp.len();
        let mut v = v;
        while v > 0 {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        let start = i.min(tmp.len() - width);
        self.extend_from_slice(&tmp[start..]);
        self
    }
    fn hex(&mut self, r: &mut Rng, len: usize) -> &mut Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut bits = 0u64;
        for i in 0..len {
            if i % 16 == 0 {
                bits = r.next();
            }
            self.push(HEX[(bits & 15) as usize]);
            bits >>= 4;
        }
        self
    }
    fn ip(&mut self, ip: [u8; 4]) -> &mut Self {
        for (i, o) in ip.iter().enumerate() {
            if i > 0 {
                self.push(b'.');
            }
            self.n(u64::from(*o));
        }
        self
    }
}

// ---------------------------------------------------------------------------
// Time

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Broken-down wall time of one second of the corpus, in the forms the
/// daemons print, computed once per second.
#[derive(Default)]
struct Clock {
    /// Seconds since the corpus start.
    t: u64,
    epoch: u64,
    year: u64,
    month: u32,
    day: u32,
    hh: u64,
    mm: u64,
    ss: u64,
    /// `Dec  3 04:00:01 `
    syslog: Vec<u8>,
}

impl Clock {
    fn at(start_epoch: u64, t: u64) -> Clock {
        let epoch = start_epoch + t;
        let (y, m, d) = civil_from_days((epoch / 86_400) as i64);
        let sod = epoch % 86_400;
        let mut c = Clock {
            t,
            epoch,
            year: y as u64,
            month: m,
            day: d,
            hh: sod / 3600,
            mm: sod / 60 % 60,
            ss: sod % 60,
            syslog: Vec::with_capacity(16),
        };
        c.syslog.s(MONTHS[m as usize - 1]).c(b' ');
        if d < 10 {
            c.syslog.c(b' ');
        }
        c.syslog.n(u64::from(d)).c(b' ');
        c.hms(b':');
        c.syslog.c(b' ');
        c
    }
    fn hms(&mut self, sep: u8) {
        let (h, m, s) = (self.hh, self.mm, self.ss);
        self.syslog.z(h, 2).push(sep);
        self.syslog.z(m, 2).push(sep);
        self.syslog.z(s, 2);
    }
    /// `2026-12-01`
    fn date(&self, b: &mut Vec<u8>, sep: u8) {
        b.z(self.year, 4).push(sep);
        b.z(u64::from(self.month), 2).push(sep);
        b.z(u64::from(self.day), 2);
    }
    fn time(&self, b: &mut Vec<u8>) {
        b.z(self.hh, 2).c(b':');
        b.z(self.mm, 2).c(b':');
        b.z(self.ss, 2);
    }
    /// `2026-12-01T04:00:02`
    fn iso(&self, b: &mut Vec<u8>) {
        self.date(b, b'-');
        b.c(b'T');
        self.time(b);
    }
    /// `01/Dec/2026:04:00:02` (nginx, haproxy)
    fn clf(&self, b: &mut Vec<u8>) {
        b.z(u64::from(self.day), 2).c(b'/');
        b.s(MONTHS[self.month as usize - 1]).c(b'/');
        b.z(self.year, 4).c(b':');
        self.time(b);
    }
}

// ---------------------------------------------------------------------------
// The fleet

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Web,
    App,
    Worker,
    Db,
    Cache,
    Etl,
    Ci,
    Lb,
    Mail,
    Mon,
}

/// (name prefix, role, count). 60 hosts; db, etl and ci run RHEL (cronie).
const FLEET: &[(&str, Role, u32)] = &[
    ("web", Role::Web, 16),
    ("app", Role::App, 12),
    ("worker", Role::Worker, 10),
    ("db", Role::Db, 6),
    ("cache", Role::Cache, 4),
    ("etl", Role::Etl, 4),
    ("ci", Role::Ci, 3),
    ("lb", Role::Lb, 2),
    ("mail", Role::Mail, 2),
    ("mon", Role::Mon, 1),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mta {
    /// Output is mailed: postfix lines, no cron line.
    Working,
    /// `(user) MAIL (mailed N bytes of output but got status 0x004b from MTA#012)`
    Broken,
    /// `(CRON) info (No MTA installed, discarding output)`
    Missing,
}

struct Host {
    name: String,
    role: Role,
    /// RHEL family: cronie `CROND` lines, dnf timers, no ufw.
    cronie: bool,
    /// Pre-1.4 PAM: `session opened for user root by (uid=0)`, old systemd wording.
    old: bool,
    mta: Mta,
    docker: bool,
    ip: [u8; 4],
    next_pid: u64,
    uptime0: u64,
    session: u64,
    audit_serial: u64,
    /// Long-lived daemons' pids.
    daemon: [u64; 8],
    /// Relative share of the fleet's noise.
    weight: u32,
    /// What its noise is made of.
    noise: Table<Noise>,
}

impl Host {
    fn pid(&mut self, r: &mut Rng) -> u64 {
        self.next_pid += r.range(1, 60);
        if self.next_pid > 4_194_000 {
            self.next_pid = 300 + r.below(1000);
        }
        self.next_pid
    }
}

#[derive(Clone, Copy)]
enum Sched {
    /// `OFF-59/N * * * *`
    Every(u32, u32),
    /// `M * * * *`
    Hourly(u32),
    /// `M */N * * *`
    EveryHours(u32, u32),
    /// `M H * * *`
    Daily(u32, u32),
}

impl Sched {
    fn fires(self, minute_of_day: u32) -> bool {
        let (h, m) = (minute_of_day / 60, minute_of_day % 60);
        match self {
            Sched::Every(n, off) => m % n == off,
            Sched::Hourly(at) => m == at,
            Sched::EveryHours(n, at) => h % n == 0 && m == at,
            Sched::Daily(hh, mm) => h == hh && m == mm,
        }
    }
    fn per_day(self) -> f64 {
        match self {
            Sched::Every(n, _) => 1440.0 / f64::from(n),
            Sched::Hourly(_) => 24.0,
            Sched::EveryHours(n, _) => 24.0 / f64::from(n),
            Sched::Daily(..) => 1.0,
        }
    }
}

#[derive(Clone, Copy)]
enum On {
    Debian,
    Cronie,
    All,
    Roles(&'static [Role]),
    Host(&'static str),
}

struct JobDef {
    /// The name crontriage derives from `command` (SPEC §3); checked at start.
    name: &'static str,
    user: &'static str,
    command: &'static str,
    sched: Sched,
    on: On,
    /// Duration range, seconds.
    dur: (u64, u64),
    fail: f64,
    /// Chance that a run prints something (mail or CMDOUT).
    output: f64,
    /// Slack channel it posts to after every run; `true` for an incoming webhook.
    notify: Option<(&'static str, bool)>,
}

/// One row of the job table.
#[allow(clippy::too_many_arguments)]
const fn job(
    name: &'static str,
    user: &'static str,
    command: &'static str,
    sched: Sched,
    on: On,
    dur: (u64, u64),
    fail: f64,
    output: f64,
) -> JobDef {
    JobDef {
        name,
        user,
        command,
        sched,
        on,
        dur,
        fail,
        output,
        notify: None,
    }
}

const fn notify(def: JobDef, channel: &'static str, webhook: bool) -> JobDef {
    JobDef {
        notify: Some((channel, webhook)),
        ..def
    }
}

use Role::*;
use Sched::*;

/// 50 jobs; the 20 that notify Slack each run on one host, so a Slack record
/// belongs to exactly one run.
#[rustfmt::skip]
const JOBS: &[JobDef] = &[
    job("debian-sa1", "root", "/usr/lib/sysstat/debian-sa1 1 1", Every(10, 5), On::Debian, (0, 1), 0.08, 0.0),
    job("healthcheck", "deploy", "cd /srv/app && ./bin/healthcheck.sh", Every(5, 0), On::Roles(&[App]), (0, 3), 0.14, 0.1),
    job("artisan", "www-data", "/usr/bin/php /var/www/app/artisan schedule:run >> /dev/null 2>&1", Every(5, 0), On::Roles(&[Web]), (0, 4), 0.12, 0.0),
    job("queue-drain", "deploy", "flock -n /tmp/queue-drain.lock /usr/local/bin/queue-drain --batch 500", Every(5, 1), On::Roles(&[Worker]), (5, 120), 0.15, 0.3),
    job("check_replication", "postgres", "/usr/bin/python3 /opt/monitor/check_replication.py --max-lag 30", Every(5, 2), On::Roles(&[Db]), (0, 2), 0.12, 0.05),
    job("sync-certs", "root", "/usr/local/bin/sync-certs --reload-nginx", Every(5, 2), On::Roles(&[Lb]), (0, 3), 0.05, 0.02),
    job("redis-memcheck", "root", "/usr/local/bin/redis-memcheck", Every(5, 3), On::Roles(&[Cache]), (0, 1), 0.1, 0.1),
    job("ntp-drift-check", "root", "/usr/local/bin/ntp-drift-check", Every(15, 4), On::All, (0, 2), 0.12, 0.05),
    job("compact_partitions", "etl", "/usr/bin/python3 /opt/etl/compact_partitions.py", Every(30, 0), On::Roles(&[Etl]), (10, 240), 0.1, 0.1),
    job("cron.hourly", "root", "run-parts /etc/cron.hourly", Hourly(1), On::Cronie, (0, 20), 0.03, 0.0),
    job("cron.hourly", "root", "cd / && run-parts --report /etc/cron.hourly", Hourly(17), On::Debian, (0, 5), 0.02, 0.05),
    job("rotate-logs", "root", "flock -n /tmp/rotate.lock /usr/local/bin/rotate-logs", Hourly(0), On::Roles(&[Web]), (1, 40), 0.06, 0.1),
    job("cleanup_tmp", "root", "bash /opt/scripts/cleanup_tmp.sh", Hourly(30), On::Roles(&[Worker]), (0, 15), 0.04, 0.2),
    job("pg_wal_archive_check", "postgres", "/opt/backup/bin/pg_wal_archive_check", Hourly(10), On::Roles(&[Db]), (1, 10), 0.08, 0.1),
    job("check_smart", "root", "/usr/bin/perl /opt/mon/check_smart.pl -d /dev/sda", Hourly(23), On::Roles(&[Db, Cache]), (1, 6), 0.05, 0.05),
    job("gitlab-runner-cleanup", "root", "/usr/local/bin/gitlab-runner-cleanup", Hourly(40), On::Roles(&[Ci]), (2, 60), 0.1, 0.2),
    job("prune-docker-images", "root", "ionice -c3 /usr/local/bin/prune-docker-images", Hourly(45), On::Roles(&[Worker, Ci]), (3, 90), 0.05, 0.2),
    job("requeue-deferred", "root", "sh /opt/mail/requeue-deferred.sh", Hourly(15), On::Roles(&[Mail]), (0, 5), 0.05, 0.1),
    job("backup-redis", "root", "/usr/local/bin/backup-redis.sh", Hourly(50), On::Roles(&[Cache]), (2, 30), 0.07, 0.05),
    job("expire-carts", "deploy", "/usr/bin/node /srv/app/scripts/expire-carts.js", Hourly(0), On::Roles(&[App]), (1, 20), 0.05, 0.05),
    job("refresh-blocklist", "root", "/usr/local/bin/refresh-blocklist", EveryHours(6, 20), On::Roles(&[Lb, Web]), (1, 15), 0.05, 0.05),
    job("cron.daily", "root", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )", Daily(6, 25), On::Debian, (5, 120), 0.03, 0.3),
    job("certbot", "root", "/usr/bin/certbot renew --quiet --no-random-sleep-on-renew", Daily(3, 17), On::Roles(&[Lb]), (2, 20), 0.1, 0.1),
    job("vacuum-analyze", "postgres", "/usr/local/bin/vacuum-analyze.sh", Daily(3, 0), On::Roles(&[Db]), (60, 900), 0.05, 0.1),
    job("purge_sessions", "www-data", "/usr/bin/php /var/www/app/bin/purge_sessions.php", Daily(5, 10), On::Roles(&[Web]), (1, 30), 0.05, 0.0),
    job("aide-check", "root", "/usr/local/sbin/aide-check", Daily(5, 0), On::All, (30, 600), 0.04, 0.5),
    job("gc-artifacts", "root", "/usr/local/bin/gc-artifacts --older-than 14d", Daily(2, 0), On::Roles(&[Ci]), (10, 300), 0.1, 0.2),
    job("restic-backup", "root", "chronic /usr/local/bin/restic-backup", Daily(1, 30), On::Roles(&[App]), (30, 900), 0.06, 0.1),
    job("geoipupdate", "root", "/usr/bin/geoipupdate -f /etc/GeoIP.conf", Daily(4, 41), On::Roles(&[Lb, Web]), (1, 10), 0.05, 0.0),
    job("raid-check", "root", "/usr/sbin/raid-check", Daily(1, 0), On::Roles(&[Db]), (5, 60), 0.03, 0.05),
    // The 20 that notify.
    notify(job("backup", "root", "cd /srv/app && ./bin/backup.sh --full", Daily(4, 0), On::Host("db-01"), (300, 1500), 0.1, 0.2), "#ops-alerts", false),
    notify(job("load_ledger", "etl", "/usr/bin/python3 /opt/etl/load_ledger.py", Hourly(5), On::Host("etl-01"), (20, 240), 0.12, 0.1), "#data-pipeline", false),
    notify(job("sync_invoices", "etl", "/usr/bin/python3 /opt/billing/sync_invoices.py", Every(5, 3), On::Host("etl-02"), (5, 90), 0.08, 0.1), "#billing-jobs", false),
    notify(job("poll_sftp", "etl", "cd /srv/ingest && ./bin/poll_sftp.sh", Every(10, 0), On::Host("etl-03"), (2, 60), 0.1, 0.1), "#data-pipeline", true),
    notify(job("check-queue-depth", "root", "/usr/local/bin/check-queue-depth --warn 5000", Every(15, 0), On::Host("mon-01"), (0, 5), 0.05, 0.1), "#ops-alerts", false),
    notify(job("refresh-mviews", "postgres", "/usr/local/bin/refresh-mviews.sh", Hourly(12), On::Host("db-02"), (30, 400), 0.08, 0.1), "#db-alerts", false),
    notify(job("build-dashboard", "deploy", "/usr/bin/node /srv/reports/build-dashboard.js", Hourly(25), On::Host("app-01"), (10, 120), 0.07, 0.1), "#reports", false),
    notify(job("sync-s3-assets", "deploy", "timeout 600 /usr/local/bin/sync-s3-assets", Hourly(35), On::Host("web-01"), (10, 300), 0.1, 0.1), "#ops-alerts", false),
    notify(job("reindex-search", "deploy", "nice /usr/local/bin/reindex-search", Hourly(50), On::Host("app-02"), (30, 600), 0.1, 0.1), "#search", false),
    notify(job("fetch_fx_rates", "etl", "/usr/bin/python3 /opt/etl/fetch_fx_rates.py", Hourly(2), On::Host("etl-04"), (1, 20), 0.15, 0.1), "#data-pipeline", false),
    notify(job("ssl-expiry-check", "root", "/usr/local/bin/ssl-expiry-check", Hourly(7), On::Host("mon-01"), (2, 30), 0.03, 0.1), "#ops-alerts", true),
    notify(job("pg_dump_all", "postgres", "/usr/local/bin/pg_dump_all.sh", Daily(2, 30), On::Host("db-02"), (300, 2400), 0.08, 0.1), "#db-alerts", false),
    notify(job("send_invoices", "etl", "/usr/bin/python3 /opt/billing/send_invoices.py --live", Daily(7, 0), On::Host("etl-02"), (60, 600), 0.1, 0.1), "#billing-jobs", false),
    notify(job("daily_kpis", "deploy", "cd /opt/reports && /usr/bin/ruby daily_kpis.rb", Daily(6, 0), On::Host("mon-01"), (20, 200), 0.08, 0.1), "#reports", false),
    notify(job("export_users", "deploy", "/opt/scripts/export_users.sh", Daily(1, 0), On::Host("app-03"), (30, 300), 0.06, 0.1), "#data-pipeline", true),
    notify(job("warm-cache", "root", "sudo -u deploy /srv/app/bin/warm-cache", Hourly(55), On::Host("web-02"), (5, 120), 0.05, 0.1), "#ops-alerts", false),
    notify(job("replica-lag-report", "root", "env PGHOST=db-01 /usr/local/bin/replica-lag-report", Daily(8, 0), On::Host("mon-01"), (1, 30), 0.05, 0.1), "#db-alerts", false),
    notify(job("retrain_model", "deploy", "/usr/bin/python3 /opt/ml/retrain_model.py", Daily(2, 0), On::Host("worker-01"), (600, 3000), 0.12, 0.1), "#ml-ops", false),
    notify(job("db_backup_verify", "postgres", "bash /opt/scripts/db_backup_verify.sh", Daily(5, 30), On::Host("db-03"), (60, 900), 0.1, 0.1), "#db-alerts", false),
    notify(job("mailq-report", "root", "/usr/local/bin/mailq-report", EveryHours(6, 0), On::Host("mail-01"), (0, 10), 0.03, 0.1), "#ops-alerts", true),
];

/// Slack channel names and the IDs the API answers with.
const CHANNELS: &[(&str, &str)] = &[
    ("#ops-alerts", "C024BE91L"),
    ("#data-pipeline", "C05K3QH7ZP1"),
    ("#billing-jobs", "C06B1LL9NG0"),
    ("#db-alerts", "C03PDB9A2LM"),
    ("#reports", "C02RPT5XY8Q"),
    ("#search", "C04SRCH8N2J"),
    ("#ml-ops", "C07MLOPS4KD"),
];

fn uid(user: &str) -> u64 {
    match user {
        "root" => 0,
        "www-data" => 33,
        "backup" => 34,
        "postgres" => 113,
        "deploy" => 1001,
        "etl" => 1002,
        "ubuntu" => 1000,
        "ansible" => 1003,
        "alice" => 1004,
        "bob" => 1005,
        _ => 1010,
    }
}

/// The job name SPEC §3 derives from a crontab command, for the corpus's
/// own commands: skip what only prepares the run, then take the program's
/// file stem (`run-parts DIR` names the folder).
fn derive_name(command: &str) -> String {
    let mut toks = command.split_whitespace().peekable();
    while let Some(tok) = toks.next() {
        match tok {
            "cd" => {
                toks.next();
                toks.next_if_eq(&"&&");
            }
            "test" | "[" => {
                for t in toks.by_ref() {
                    if t == "||" || t == "&&" {
                        break;
                    }
                }
            }
            "(" | "env" | "nice" | "ionice" | "chronic" | "sh" | "bash" | "python3" | "php"
            | "node" | "perl" | "ruby" => {}
            "timeout" => {
                toks.next();
            }
            "flock" => {
                toks.next_if_eq(&"-n");
                toks.next();
            }
            "sudo" => {
                toks.next_if_eq(&"-u");
                toks.next();
            }
            t if t.starts_with('-') || t.contains('=') => {}
            t => {
                let base = t.rsplit('/').next().unwrap_or(t);
                let base = match base {
                    "run-parts" => {
                        let dir = toks.find(|t| !t.starts_with('-')).unwrap_or("");
                        return dir.rsplit('/').next().unwrap_or(dir).to_string();
                    }
                    b => b,
                };
                let interp = ["sh", "bash", "python3", "php", "node", "perl", "ruby"];
                if interp.contains(&base) {
                    continue;
                }
                return match base.rfind('.') {
                    Some(i) if i > 0 => base[..i].to_string(),
                    _ => base.to_string(),
                };
            }
        }
    }
    String::new()
}

// ---------------------------------------------------------------------------
// Runs in flight and queued Slack records

/// A value due at second `at`; the heap pops the earliest first, ties in
/// insertion order, so the output does not depend on heap internals.
struct Due<T> {
    at: u64,
    seq: u64,
    val: T,
}

impl<T> PartialEq for Due<T> {
    fn eq(&self, o: &Self) -> bool {
        (self.at, self.seq) == (o.at, o.seq)
    }
}
impl<T> Eq for Due<T> {}
impl<T> PartialOrd for Due<T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<T> Ord for Due<T> {
    fn cmp(&self, o: &Self) -> Ordering {
        (o.at, o.seq).cmp(&(self.at, self.seq))
    }
}

enum Ending {
    Cron {
        host: usize,
        job: usize,
        /// The CMD line's pid; the session's parent is pid − 1.
        pid: u64,
        /// Exit status of a failing run.
        fail: Option<u64>,
        output: bool,
    },
    Unit {
        host: usize,
        unit: usize,
        fail: bool,
    },
}

/// systemd timer services: (unit, description, Debian (else RHEL) hosts).
const UNITS: &[(&str, &str, bool)] = &[
    ("logrotate.service", "Rotate log files", true),
    ("man-db.service", "Daily man-db regeneration", true),
    ("apt-daily.service", "Daily apt download activities", true),
    (
        "apt-daily-upgrade.service",
        "Daily apt upgrade and clean activities",
        true,
    ),
    ("dnf-makecache.service", "dnf makecache", false),
];

/// When a host's timer unit fires: (unit index, minute of day, hourly).
struct Timer {
    host: usize,
    unit: usize,
    minute: u32,
    hourly: bool,
}

#[derive(Default)]
struct Stats {
    lines: u64,
    cron_lines: u64,
    cronie_lines: u64,
    runs: u64,
    cronie_runs: u64,
    ended: u64,
    failed: u64,
    unit_runs: u64,
    unit_failed: u64,
    slack: u64,
    slack_errors: u64,
    slack_retries: u64,
    invalid_utf8: u64,
}

// ---------------------------------------------------------------------------
// The generator

struct Corpus {
    r: Rng,
    c: Clock,
    start_epoch: u64,
    hosts: Vec<Host>,
    /// Which host a noise line comes from.
    host_table: Table<usize>,
    /// (job, host) pairs, in crontab order.
    pairs: Vec<(usize, usize)>,
    timers: Vec<Timer>,
    ends: BinaryHeap<Due<Ending>>,
    slack_q: BinaryHeap<Due<Vec<u8>>>,
    seq: u64,
    /// Noise lines per second, before the day/night swing.
    noise_rate: f64,
    buf: Vec<u8>,
    slack_buf: Vec<u8>,
    out: BufWriter<File>,
    slack_out: BufWriter<File>,
    written: u64,
    target: u64,
    st: Stats,
}

impl Corpus {
    fn new(seed: u64, target: u64, out: BufWriter<File>, slack_out: BufWriter<File>) -> Corpus {
        let mut r = Rng(seed);
        let mut hosts = Vec::new();
        for &(prefix, role, count) in FLEET {
            for i in 1..=count {
                let cronie = matches!(role, Db | Etl | Ci);
                let idx = hosts.len() as u8;
                let mta = match role {
                    Ci | Cache => Mta::Missing,
                    Worker => Mta::Broken,
                    _ if r.chance(0.15) => Mta::Broken,
                    _ => Mta::Working,
                };
                let weight = match role {
                    Lb => 14,
                    Web => 9,
                    App => 8,
                    Mail => 7,
                    Db | Mon => 6,
                    Worker | Ci => 5,
                    Cache | Etl => 4,
                };
                let daemon = std::array::from_fn(|_| r.range(400, 9000));
                let docker = matches!(role, App | Worker | Ci) || r.chance(0.2);
                hosts.push(Host {
                    name: format!("{prefix}-{i:02}"),
                    role,
                    cronie,
                    old: !cronie && r.chance(0.25),
                    mta,
                    docker,
                    ip: [10, 0, 1 + (idx / 50), 10 + idx % 50 * 4],
                    next_pid: r.range(20_000, 900_000),
                    uptime0: r.range(100_000, 6_000_000),
                    session: r.range(1000, 90_000),
                    audit_serial: r.range(100, 90_000),
                    daemon,
                    weight,
                    noise: noise_table(role, docker),
                });
            }
        }
        let mut pairs = Vec::new();
        for (j, def) in JOBS.iter().enumerate() {
            for (h, host) in hosts.iter().enumerate() {
                let on = match def.on {
                    On::Debian => !host.cronie,
                    On::Cronie => host.cronie,
                    On::All => true,
                    On::Roles(roles) => roles.contains(&host.role),
                    On::Host(name) => host.name == name,
                };
                if on {
                    pairs.push((j, h));
                }
            }
        }
        let mut timers = Vec::new();
        for (h, host) in hosts.iter().enumerate() {
            for (u, &(_, _, debian)) in UNITS.iter().enumerate() {
                if debian == host.cronie {
                    continue;
                }
                let minute = match u {
                    0 => 0,
                    1 => r.range(0, 719) as u32,
                    2 => r.range(6 * 60, 18 * 60) as u32,
                    3 => r.range(6 * 60, 7 * 60) as u32,
                    _ => r.range(0, 59) as u32,
                };
                timers.push(Timer {
                    host: h,
                    unit: u,
                    minute,
                    hourly: !debian,
                });
            }
        }
        let weights: Vec<(usize, u32)> = hosts.iter().map(|h| h.weight).enumerate().collect();
        let host_table = Table::new(&weights);
        let start_epoch = (days_from_civil(2026, 12, 1) * 86_400) as u64;
        let mut corpus = Corpus {
            r,
            c: Clock::default(),
            start_epoch,
            hosts,
            host_table,
            pairs,
            timers,
            ends: BinaryHeap::new(),
            slack_q: BinaryHeap::new(),
            seq: 0,
            noise_rate: 0.0,
            buf: Vec::with_capacity(FLUSH_AT + (1 << 16)),
            slack_buf: Vec::with_capacity(1 << 20),
            out,
            slack_out,
            written: 0,
            target,
            st: Stats::default(),
        };
        corpus.noise_rate =
            corpus.cron_lines_per_day() * (1.0 - CRON_SHARE) / CRON_SHARE / 86_400.0;
        corpus
    }

    /// Expected CRON/CROND lines a day, from the same odds `start`/`end` use.
    fn cron_lines_per_day(&self) -> f64 {
        self.pairs
            .iter()
            .map(|&(j, h)| {
                let (def, host) = (&JOBS[j], &self.hosts[h]);
                let per_run = if host.cronie {
                    2.0 + def.fail * 2.0 + (1.0 - def.fail) * def.output * 1.5
                } else {
                    let mail = if host.mta == Mta::Working {
                        0.0
                    } else {
                        def.output
                    };
                    3.0 + def.fail + mail
                };
                def.sched.per_day() * per_run
            })
            .sum()
    }

    fn full(&self) -> bool {
        self.written + self.buf.len() as u64 >= self.target
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// `Dec  3 04:00:01 web-01 IDENT[PID]: `
    fn head(&mut self, h: usize, ident: &str, pid: Option<u64>) {
        self.st.lines += 1;
        self.buf.extend_from_slice(&self.c.syslog);
        self.buf.s(&self.hosts[h].name).c(b' ');
        self.buf.s(ident);
        if let Some(pid) = pid {
            self.buf.c(b'[');
            self.buf.n(pid).c(b']');
        }
        self.buf.s(": ");
    }

    fn cron_head(&mut self, h: usize, pid: u64) {
        let ident = if self.hosts[h].cronie {
            "CROND"
        } else {
            "CRON"
        };
        self.head(h, ident, Some(pid));
        self.st.cron_lines += 1;
        if self.hosts[h].cronie {
            self.st.cronie_lines += 1;
        }
    }

    fn run(&mut self) -> std::io::Result<()> {
        let mut t = 0u64;
        while !self.full() {
            self.c = Clock::at(self.start_epoch, t);
            let swing = 1.0
                + 0.15
                    * ((self.c.hh as f64 + self.c.mm as f64 / 60.0 - 8.0) * std::f64::consts::PI
                        / 12.0)
                        .sin();
            let want = self.noise_rate * swing * (0.6 + 0.8 * self.r.unit());
            let k = want as u64 + u64::from(self.r.chance(want.fract()));
            let before = self.r.below(k + 1);
            for _ in 0..before {
                if self.full() {
                    break;
                }
                self.noise();
            }
            self.cron_second();
            for _ in before..k {
                if self.full() {
                    break;
                }
                self.noise();
            }
            while self.slack_q.peek().is_some_and(|d| d.at <= t) {
                let d = self.slack_q.pop().expect("peeked");
                self.slack_buf.extend_from_slice(&d.val);
            }
            if self.buf.len() >= FLUSH_AT {
                self.flush()?;
            }
            t += 1;
        }
        while let Some(d) = self.slack_q.pop() {
            self.slack_buf.extend_from_slice(&d.val);
        }
        self.flush()?;
        self.out.flush()?;
        self.slack_out.flush()
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        self.slack_out.write_all(&self.slack_buf)?;
        self.slack_buf.clear();
        Ok(())
    }

    /// Scheduler work of the current second: cronie fires at :00, Debian
    /// cron at :01, systemd timers at :00; then the runs that end now.
    fn cron_second(&mut self) {
        let minute = (self.c.hh * 60 + self.c.mm) as u32;
        let sec = self.c.ss;
        if sec <= 1 {
            for i in 0..self.pairs.len() {
                let (j, h) = self.pairs[i];
                if self.hosts[h].cronie == (sec == 0) && JOBS[j].sched.fires(minute) {
                    if self.full() {
                        return;
                    }
                    self.start(j, h);
                }
            }
        }
        if sec == 0 {
            for i in 0..self.timers.len() {
                let tm = &self.timers[i];
                let fires = if tm.hourly {
                    minute % 60 == tm.minute
                } else {
                    minute == tm.minute
                };
                if fires {
                    let (h, u) = (tm.host, tm.unit);
                    self.start_unit(h, u);
                }
            }
        }
        while self.ends.peek().is_some_and(|d| d.at <= self.c.t) {
            if self.full() {
                return;
            }
            let d = self.ends.pop().expect("peeked");
            match d.val {
                Ending::Cron {
                    host,
                    job,
                    pid,
                    fail,
                    output,
                } => self.end(host, job, pid, fail, output),
                Ending::Unit { host, unit, fail } => self.end_unit(host, unit, fail),
            }
        }
    }

    fn start(&mut self, j: usize, h: usize) {
        let def = &JOBS[j];
        let parent = self.hosts[h].pid(&mut self.r);
        let pid = parent + 1;
        self.hosts[h].next_pid = pid + self.r.range(0, 3);
        let cronie = self.hosts[h].cronie;
        if !cronie {
            self.cron_head(h, parent);
            self.buf
                .s("pam_unix(cron:session): session opened for user ")
                .s(def.user);
            if !self.hosts[h].old {
                self.buf.s("(uid=").n(uid(def.user)).c(b')');
            }
            self.buf.s(" by (uid=0)\n");
        }
        self.cron_head(h, pid);
        self.buf.c(b'(');
        self.buf.s(def.user).s(") CMD (").s(def.command).s(")\n");
        self.st.runs += 1;
        if cronie {
            self.st.cronie_runs += 1;
            if def.command.starts_with("run-parts") {
                self.cronie_run_parts(h, pid);
            }
        }
        let fail = self.r.chance(def.fail).then(|| {
            const STATUS: [u64; 8] = [1, 1, 1, 1, 2, 2, 127, 124];
            *self.r.pick(&STATUS)
        });
        let output = fail.is_some() || self.r.chance(def.output);
        // A failing run tends to stop early.
        let hi = if fail.is_some() {
            def.dur.0 + (def.dur.1 - def.dur.0) / 2
        } else {
            def.dur.1
        };
        let at = self.c.t + self.r.range(def.dur.0, hi);
        let seq = self.next_seq();
        self.ends.push(Due {
            at,
            seq,
            val: Ending::Cron {
                host: h,
                job: j,
                pid,
                fail,
                output,
            },
        });
    }

    /// cronie's `0hourly` runs anacron through run-parts; with the day's
    /// jobs already done, anacron exits at once.
    fn cronie_run_parts(&mut self, h: usize, pid: u64) {
        let rp = pid + 3;
        self.head(h, "run-parts", Some(rp));
        self.buf.s("(/etc/cron.hourly) starting 0anacron\n");
        let an = pid + 9;
        self.head(h, "anacron", Some(an));
        self.buf.s("Anacron started on ");
        self.c.date(&mut self.buf, b'-');
        self.buf.c(b'\n');
        self.head(h, "anacron", Some(an));
        self.buf.s("Normal exit (0 jobs run)\n");
        self.head(h, "run-parts", Some(rp + 8));
        self.buf.s("(/etc/cron.hourly) finished 0anacron\n");
    }

    fn end(&mut self, h: usize, j: usize, pid: u64, fail: Option<u64>, output: bool) {
        let def = &JOBS[j];
        let parent = pid - 1;
        self.st.ended += 1;
        if fail.is_some() {
            self.st.failed += 1;
        }
        if self.hosts[h].cronie {
            if let Some(status) = fail {
                self.cmdout_failure(h, parent, def, status);
            } else if output {
                let n = self.r.range(1, 2);
                for _ in 0..n {
                    self.cron_head(h, parent);
                    self.buf.c(b'(');
                    self.buf.s(def.user).s(") CMDOUT (");
                    self.benign_output(def.name);
                    self.buf.s(")\n");
                }
            }
            self.cron_head(h, parent);
            self.buf.c(b'(');
            self.buf.s(def.user).s(") CMDEND (").s(def.command).s(")\n");
        } else {
            if output {
                match self.hosts[h].mta {
                    Mta::Broken => {
                        let bytes = self.r.range(40, 4000);
                        self.cron_head(h, parent);
                        self.buf.c(b'(');
                        self.buf.s(def.user).s(") MAIL (mailed ").n(bytes);
                        self.buf
                            .s(" bytes of output but got status 0x004b from MTA#012)\n");
                    }
                    Mta::Missing => {
                        self.cron_head(h, parent);
                        self.buf
                            .s("(CRON) info (No MTA installed, discarding output)\n");
                    }
                    Mta::Working => self.postfix_pickup(h, def.user),
                }
            }
            if let Some(status) = fail {
                self.cron_head(h, parent);
                self.buf.s("(CRON) error (grandchild #").n(pid);
                self.buf.s(" failed with exit status ").n(status).s(")\n");
            }
            self.cron_head(h, parent);
            self.buf
                .s("pam_unix(cron:session): session closed for user ")
                .s(def.user)
                .c(b'\n');
        }
        if let Some((channel, webhook)) = def.notify {
            self.queue_slack(def.name, channel, webhook);
        }
    }

    /// cronie logs no exit status: with `-s` a failing job's output reaches
    /// syslog as CMDOUT, which is what tells the run failed.
    fn cmdout_failure(&mut self, h: usize, parent: u64, def: &JobDef, status: u64) {
        let user = def.user;
        let line = |c: &mut Corpus, text: &[&str]| {
            c.cron_head(h, parent);
            c.buf.c(b'(');
            c.buf.s(user).s(") CMDOUT (");
            for s in text {
                c.buf.s(s);
            }
            c.buf.s(")\n");
        };
        // The script the command runs, for messages that name it.
        let mut words = def.command.split_whitespace();
        let script = words
            .find(|t| t.ends_with(".py") || t.ends_with(".sh"))
            .unwrap_or(def.name);
        let mut exit_line = Vec::new();
        exit_line
            .s(def.name)
            .s(" finished with exit code ")
            .n(status);
        let exit_line = std::str::from_utf8(&exit_line).expect("ascii");
        match self.r.below(2) {
            0 if script.ends_with(".py") => {
                line(self, &["Traceback (most recent call last):"]);
                line(self, &["  File \"", script, "\", line 88, in <module>"]);
                line(
                    self,
                    &["psycopg2.OperationalError: could not connect to server: Connection refused"],
                );
            }
            0 if user == "postgres" => {
                line(
                    self,
                    &[
                        "pg_dump: error: connection to server at \"db-01\" (10.0.1.26), port 5432 failed: FATAL:  password authentication failed for user \"backup\"",
                    ],
                );
            }
            0 if script.ends_with(".sh") => {
                line(self, &[script, ": line 42: aws: command not found"]);
            }
            _ => {
                line(self, &["ERROR: ", def.name, " aborted after 3 attempts"]);
                line(self, &[exit_line]);
            }
        }
    }

    fn benign_output(&mut self, name: &str) {
        match self.r.below(4) {
            0 => {
                let n = self.r.range(1, 400);
                self.buf.s(name).s(": processed ").n(n).s(" items");
            }
            1 => {
                let n = self.r.range(1, 90);
                self.buf.s("removed ").n(n).s(" stale files from /var/tmp");
            }
            2 => {
                self.buf
                    .s("WARNING: lag ")
                    .n(self.r.range(1, 20))
                    .s("s above soft limit, continuing");
            }
            _ => {
                self.buf
                    .s(name)
                    .s(" done in ")
                    .n(self.r.range(1, 300))
                    .s(".");
                self.buf.n(self.r.range(0, 9)).s("s");
            }
        }
    }

    /// A working MTA takes cron's mail: postfix picks it up, no cron line.
    fn postfix_pickup(&mut self, h: usize, user: &str) {
        let pid = self.hosts[h].daemon[5];
        self.head(h, "postfix/pickup", Some(pid));
        self.buf
            .hex(&mut self.r, 10)
            .s(": uid=")
            .n(uid(user))
            .s(" from=<")
            .s(user)
            .s(">\n");
    }

    fn start_unit(&mut self, h: usize, u: usize) {
        let (unit, desc, _) = UNITS[u];
        self.head(h, "systemd", Some(1));
        self.buf.s("Starting ").s(unit).s(" - ").s(desc).s("...\n");
        self.st.unit_runs += 1;
        let fail = self.r.chance(0.02);
        let at = self.c.t + self.r.range(0, 40);
        let seq = self.next_seq();
        self.ends.push(Due {
            at,
            seq,
            val: Ending::Unit {
                host: h,
                unit: u,
                fail,
            },
        });
    }

    fn end_unit(&mut self, h: usize, u: usize, fail: bool) {
        let (unit, desc, _) = UNITS[u];
        if fail {
            self.st.unit_failed += 1;
            self.head(h, "systemd", Some(1));
            self.buf
                .s(unit)
                .s(": Main process exited, code=exited, status=1/FAILURE\n");
            self.head(h, "systemd", Some(1));
            self.buf.s(unit).s(": Failed with result 'exit-code'.\n");
            self.head(h, "systemd", Some(1));
            self.buf
                .s("Failed to start ")
                .s(unit)
                .s(" - ")
                .s(desc)
                .s(".\n");
        } else {
            self.head(h, "systemd", Some(1));
            self.buf.s(unit).s(": Deactivated successfully.\n");
            self.head(h, "systemd", Some(1));
            self.buf.s("Finished ").s(unit).s(" - ").s(desc).s(".\n");
        }
        let ms = self.r.range(20, 9000);
        self.head(h, "systemd", Some(1));
        self.buf.s(unit).s(": Consumed ").n(ms / 1000).c(b'.');
        self.buf.z(ms % 1000, 3).s("s CPU time.\n");
    }

    // -----------------------------------------------------------------------
    // Slack

    fn queue_slack(&mut self, job: &str, channel: &str, webhook: bool) {
        let mut at = self.c.t + self.r.range(1, 4);
        let first_error = self.r.chance(SLACK_ERROR_RATE);
        let mut prev: Option<(u64, &'static str)> = None;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (status, error): (u64, Option<&'static str>) = if attempt == 1 && !first_error {
                (200, None)
            } else if attempt == 1 {
                let errors: &[(u64, &str, u32)] = if webhook {
                    &[
                        (404, "channel_not_found", 3),
                        (400, "invalid_payload", 2),
                        (404, "no_service", 2),
                        (403, "invalid_token", 2),
                        (503, "service_unavailable", 1),
                    ]
                } else {
                    &[
                        (200, "channel_not_found", 5),
                        (200, "not_in_channel", 5),
                        (429, "ratelimited", 7),
                        (200, "invalid_auth", 3),
                        (503, "service_unavailable", 1),
                    ]
                };
                let w: Vec<u32> = errors.iter().map(|e| e.2).collect();
                let (s, e, _) = errors[self.r.weighted(&w)];
                (s, Some(e))
            } else {
                // A retry: transient errors mostly clear, the others repeat.
                match prev {
                    Some((_, "ratelimited" | "service_unavailable")) if self.r.chance(0.8) => {
                        (200, None)
                    }
                    Some((s, e)) => (s, Some(e)),
                    None => (200, None),
                }
            };
            self.write_slack(at, job, channel, webhook, status, error);
            let Some(e) = error else { break };
            let retry = match e {
                "ratelimited" | "service_unavailable" => attempt < 4,
                _ => attempt == 1 && self.r.chance(0.3),
            };
            if !retry {
                break;
            }
            self.st.slack_retries += 1;
            prev = Some((status, e));
            at += if e == "ratelimited" {
                self.r.range(1, 30)
            } else {
                self.r.range(5, 20)
            };
        }
    }

    fn write_slack(
        &mut self,
        at: u64,
        job: &str,
        channel: &str,
        webhook: bool,
        status: u64,
        error: Option<&str>,
    ) {
        let when = Clock::at(self.start_epoch, at);
        let mut b = Vec::with_capacity(200);
        b.s("{\"ts\":\"");
        when.iso(&mut b);
        b.s("Z\",\"job\":\"").s(job).s("\",\"method\":\"");
        b.s(if webhook {
            "webhook"
        } else {
            "chat.postMessage"
        });
        b.s("\",\"channel\":\"")
            .s(channel)
            .s("\",\"http_status\":")
            .n(status);
        b.s(",\"response\":");
        match (webhook, error) {
            (true, None) => {
                b.s("\"ok\"");
            }
            (true, Some(e)) => {
                b.c(b'"');
                b.s(e).c(b'"');
            }
            (false, None) => {
                let id = CHANNELS
                    .iter()
                    .find(|c| c.0 == channel)
                    .map_or("C0000000000", |c| c.1);
                b.s("{\"ok\":true,\"channel\":\"")
                    .s(id)
                    .s("\",\"ts\":\"")
                    .n(when.epoch)
                    .c(b'.');
                b.z(self.r.below(1_000_000), 6).c(b'"');
                if self.r.chance(0.01) {
                    b.s(",\"warning\":\"missing_charset\",\"response_metadata\":{\"warnings\":[\"missing_charset\"]}");
                }
                b.c(b'}');
            }
            (false, Some(e)) => {
                b.s("{\"ok\":false,\"error\":\"").s(e).s("\"}");
            }
        }
        b.s("}\n");
        self.st.slack += 1;
        if error.is_some() {
            self.st.slack_errors += 1;
        }
        let seq = self.next_seq();
        self.slack_q.push(Due { at, seq, val: b });
    }
}

// ---------------------------------------------------------------------------
// Noise: what else a fleet's syslog holds (~95 % of lines)

/// Weighted choice by binary search over cumulative weights.
struct Table<T> {
    items: Vec<T>,
    cum: Vec<u64>,
}

impl<T: Copy> Table<T> {
    fn new(entries: &[(T, u32)]) -> Table<T> {
        let mut total = 0;
        let mut t = Table {
            items: Vec::new(),
            cum: Vec::new(),
        };
        for &(item, w) in entries.iter().filter(|e| e.1 > 0) {
            total += u64::from(w);
            t.items.push(item);
            t.cum.push(total);
        }
        t
    }
    fn pick(&self, r: &mut Rng) -> T {
        let x = r.below(*self.cum.last().expect("non-empty table"));
        self.items[self.cum.partition_point(|&c| c <= x)]
    }
}

#[derive(Clone, Copy)]
enum Noise {
    Sshd,
    Kernel,
    Systemd,
    Sudo,
    Docker,
    Nginx,
    NginxError,
    PhpFpm,
    Api,
    Celery,
    Postgres,
    Redis,
    Airflow,
    GitlabRunner,
    Haproxy,
    Postfix,
    Monitoring,
    Misc,
}

fn noise_table(role: Role, docker: bool) -> Table<Noise> {
    let mut w = vec![
        (Noise::Sshd, 16),
        (Noise::Kernel, 3),
        (Noise::Systemd, 10),
        (Noise::Sudo, 3),
        (Noise::Misc, 2),
        (Noise::Docker, if docker { 5 } else { 0 }),
    ];
    w.extend_from_slice(match role {
        Web => &[
            (Noise::Nginx, 45),
            (Noise::NginxError, 3),
            (Noise::PhpFpm, 5),
        ][..],
        App => &[(Noise::Api, 40)],
        Worker => &[(Noise::Celery, 35)],
        Db => &[(Noise::Postgres, 40)],
        Cache => &[(Noise::Redis, 30)],
        Etl => &[(Noise::Airflow, 30)],
        Ci => &[(Noise::GitlabRunner, 30)],
        Lb => &[(Noise::Haproxy, 50)],
        Mail => &[(Noise::Postfix, 50)],
        Mon => &[(Noise::Monitoring, 35)],
    });
    Table::new(&w)
}

const USERS: &[&str] = &[
    "deploy", "deploy", "deploy", "ubuntu", "ansible", "alice", "bob",
];
const INVALID_USERS: &[&str] = &[
    "admin",
    "test",
    "oracle",
    "postgres",
    "user",
    "git",
    "pi",
    "support",
    "guest",
    "ftpuser",
    "ubnt",
    "1234",
    "minecraft",
    "hadoop",
    "steam",
];
const PUBLIC_NETS: &[u8] = &[45, 61, 91, 103, 118, 141, 159, 176, 185, 193, 203, 218, 222];
const SUDO_COMMANDS: &[&str] = &[
    "/usr/bin/systemctl restart nginx",
    "/usr/bin/systemctl status app.service",
    "/usr/bin/journalctl -u app.service -n 200",
    "/usr/bin/apt-get update",
    "/usr/bin/docker ps",
    "/usr/bin/tail -f /var/log/syslog",
    "/usr/sbin/ufw status",
    "/bin/cat /etc/crontab",
];
const PATHS: &[&str] = &[
    "/",
    "/api/v1/cart",
    "/api/v1/orders?page=2",
    "/api/v1/products/48213",
    "/api/v1/search?q=boots",
    "/healthz",
    "/login",
    "/checkout",
    "/static/js/app.9f2c1e7a.js",
    "/static/css/main.4b1d.css",
    "/images/p/48213.webp",
    "/favicon.ico",
    "/wp-login.php",
    "/.env",
    "/api/v1/session",
];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "curl/8.5.0",
    "kube-probe/1.31",
    "Go-http-client/1.1",
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
];
const TASKS: &[&str] = &[
    "app.tasks.send_email",
    "app.tasks.resize_image",
    "app.tasks.sync_inventory",
    "app.tasks.charge_card",
    "app.tasks.index_product",
];
const QUERIES: &[&str] = &[
    "SELECT o.id, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20",
    "UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2",
    "SELECT count(*) FROM sessions WHERE expires_at < now()",
    "INSERT INTO events (kind, payload) VALUES ($1, $2)",
];

fn internal_ip(r: &mut Rng) -> [u8; 4] {
    [10, 0, r.range(1, 4) as u8, r.range(2, 250) as u8]
}

fn public_ip(r: &mut Rng) -> [u8; 4] {
    [
        *r.pick(PUBLIC_NETS),
        r.below(256) as u8,
        r.below(256) as u8,
        r.range(1, 254) as u8,
    ]
}

fn port(r: &mut Rng) -> u64 {
    r.range(32_768, 60_999)
}

fn base64(b: &mut Vec<u8>, r: &mut Rng, len: usize) {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0;
    for i in 0..len {
        if i % 10 == 0 {
            bits = r.next();
        }
        b.push(B64[(bits & 63) as usize]);
        bits >>= 6;
    }
}

fn hex_upper(b: &mut Vec<u8>, r: &mut Rng, len: usize) {
    let start = b.len();
    b.hex(r, len);
    b[start..].make_ascii_uppercase();
}

fn uuid(b: &mut Vec<u8>, r: &mut Rng) {
    b.hex(r, 8).c(b'-');
    b.hex(r, 4).c(b'-');
    b.hex(r, 4).c(b'-');
    b.hex(r, 4).c(b'-');
    b.hex(r, 12);
}

impl Corpus {
    fn noise(&mut self) {
        let h = self.host_table.pick(&mut self.r);
        if self.r.below(INVALID_UTF8_EVERY) == 0 {
            self.invalid_utf8(h);
            return;
        }
        match self.hosts[h].noise.pick(&mut self.r) {
            Noise::Sshd => self.sshd(h),
            Noise::Kernel => self.kernel(h),
            Noise::Systemd => self.systemd(h),
            Noise::Sudo => self.sudo(h),
            Noise::Docker => self.docker(h),
            Noise::Nginx => self.nginx(h),
            Noise::NginxError => self.nginx_error(h),
            Noise::PhpFpm => self.php_fpm(h),
            Noise::Api => self.api(h),
            Noise::Celery => self.celery(h),
            Noise::Postgres => self.postgres(h),
            Noise::Redis => self.redis(h),
            Noise::Airflow => self.airflow(h),
            Noise::GitlabRunner => self.gitlab_runner(h),
            Noise::Haproxy => self.haproxy(h),
            Noise::Postfix => self.postfix(h),
            Noise::Monitoring => self.monitoring(h),
            Noise::Misc => self.misc(h),
        }
    }

    /// `.123` style fraction with `digits` digits.
    fn frac(&mut self, digits: usize) {
        let max = 10u64.pow(digits as u32);
        let v = self.r.below(max);
        self.buf.c(b'.');
        self.buf.z(v, digits);
    }

    fn sshd(&mut self, h: usize) {
        let pid = self.hosts[h].pid(&mut self.r);
        self.head(h, "sshd", Some(pid));
        let (b, r) = (&mut self.buf, &mut self.r);
        let user = *r.pick(USERS);
        match r.below(20) {
            0..=2 => {
                b.s("Accepted publickey for ")
                    .s(user)
                    .s(" from ")
                    .ip(internal_ip(r));
                b.s(" port ").n(port(r)).s(" ssh2: ED25519 SHA256:");
                base64(b, r, 43);
            }
            3 => {
                b.s("pam_unix(sshd:session): session opened for user ")
                    .s(user);
                b.s("(uid=").n(uid(user)).s(") by (uid=0)");
            }
            4 => {
                b.s("Received disconnect from ")
                    .ip(internal_ip(r))
                    .s(" port ")
                    .n(port(r));
                b.s(":11: disconnected by user");
            }
            5 => {
                b.s("Disconnected from user ").s(user).c(b' ');
                b.ip(internal_ip(r)).s(" port ").n(port(r));
            }
            6 => {
                b.s("pam_unix(sshd:session): session closed for user ")
                    .s(user);
            }
            7..=9 => {
                b.s("Invalid user ")
                    .s(r.word(INVALID_USERS))
                    .s(" from ")
                    .ip(public_ip(r));
                b.s(" port ").n(port(r));
            }
            10..=11 => {
                b.s("Connection closed by invalid user ")
                    .s(r.word(INVALID_USERS))
                    .c(b' ');
                b.ip(public_ip(r)).s(" port ").n(port(r)).s(" [preauth]");
            }
            12 => {
                b.s("Failed password for invalid user ")
                    .s(r.word(INVALID_USERS));
                b.s(" from ")
                    .ip(public_ip(r))
                    .s(" port ")
                    .n(port(r))
                    .s(" ssh2");
            }
            13 => {
                b.s("Failed password for root from ")
                    .ip(public_ip(r))
                    .s(" port ")
                    .n(port(r))
                    .s(" ssh2");
            }
            14 => {
                b.s("Received disconnect from ")
                    .ip(public_ip(r))
                    .s(" port ")
                    .n(port(r));
                b.s(":11: Bye Bye [preauth]");
            }
            15 => {
                b.s("Connection reset by authenticating user root ")
                    .ip(public_ip(r));
                b.s(" port ").n(port(r)).s(" [preauth]");
            }
            16 => {
                b.s("error: kex_exchange_identification: read: Connection reset by peer");
            }
            17 => {
                b.s("Unable to negotiate with ")
                    .ip(public_ip(r))
                    .s(" port ")
                    .n(port(r));
                b.s(": no matching host key type found. Their offer: ssh-rsa,ssh-dss [preauth]");
            }
            18 => {
                b.s("Disconnected from invalid user ")
                    .s(r.word(INVALID_USERS))
                    .c(b' ');
                b.ip(public_ip(r)).s(" port ").n(port(r)).s(" [preauth]");
            }
            _ => {
                b.s("banner exchange: Connection from ")
                    .ip(public_ip(r))
                    .s(" port ")
                    .n(port(r));
                b.s(": invalid format");
            }
        }
        b.c(b'\n');
    }

    fn kernel(&mut self, h: usize) {
        let up = self.hosts[h].uptime0 + self.c.t;
        let (ip, cronie, docker) = (self.hosts[h].ip, self.hosts[h].cronie, self.hosts[h].docker);
        self.head(h, "kernel", None);
        self.buf.c(b'[');
        self.buf.n(up);
        self.frac(6);
        self.buf.s("] ");
        let (b, r) = (&mut self.buf, &mut self.r);
        match r.below(10) {
            0..=5 => {
                b.s(if cronie {
                    "filter_IN_public_REJECT: "
                } else {
                    "[UFW BLOCK] "
                });
                b.s("IN=eth0 OUT= MAC=52:54:00");
                for _ in 0..3 {
                    b.c(b':');
                    b.hex(r, 2);
                }
                b.s(":fe:ff:ff:ff:ff:ff:08:00 SRC=")
                    .ip(public_ip(r))
                    .s(" DST=")
                    .ip(ip);
                b.s(" LEN=")
                    .n(r.range(40, 60))
                    .s(" TOS=0x00 PREC=0x00 TTL=")
                    .n(r.range(40, 250));
                b.s(" ID=")
                    .n(r.below(65_536))
                    .s(" PROTO=TCP SPT=")
                    .n(port(r))
                    .s(" DPT=");
                b.n(*r.pick(&[22, 23, 80, 443, 3389, 5900, 8080, 6379, 5432]));
                b.s(" WINDOW=")
                    .n(*r.pick(&[1024, 65_535, 29_200]))
                    .s(" RES=0x00 SYN URGP=0");
            }
            6..=7 => {
                let (profile, name, comm) = *r.pick(&[
                    (
                        "/usr/sbin/named",
                        "/proc/sys/net/ipv4/ip_local_port_range",
                        "named",
                    ),
                    (
                        "snap.lxd.activate",
                        "/proc/sys/vm/max_map_count",
                        "snap-exec",
                    ),
                    ("docker-default", "/proc/sysrq-trigger", "sh"),
                    ("/usr/bin/man", "/etc/ld.so.cache", "man"),
                ]);
                b.s("audit: type=1400 audit(").n(self.c.epoch);
                b.c(b'.');
                b.z(r.below(1000), 3).c(b':');
                self.hosts[h].audit_serial += r.range(1, 30);
                b.n(self.hosts[h].audit_serial)
                    .s("): apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"");
                b.s(profile)
                    .s("\" name=\"")
                    .s(name)
                    .s("\" pid=")
                    .n(r.range(300, 99_999));
                b.s(" comm=\"")
                    .s(comm)
                    .s("\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0");
            }
            8 if docker => {
                b.s("docker0: port ")
                    .n(r.range(1, 12))
                    .s("(veth")
                    .hex(r, 7)
                    .s(") entered ");
                b.s(r.word(&["blocking state", "disabled state", "forwarding state"]));
            }
            _ => {
                let (a, c) = (r.range(2501, 4000), r.range(50_000, 79_750));
                b.s("perf: interrupt took too long (")
                    .n(a)
                    .s(" > 2500), lowering kernel.perf_event_max_sample_rate to ")
                    .n(c);
            }
        }
        b.c(b'\n');
    }

    fn systemd(&mut self, h: usize) {
        let host = &mut self.hosts[h];
        host.session += self.r.below(3);
        let (session, old, docker, logind) = (host.session, host.old, host.docker, host.daemon[0]);
        let user = *self.r.pick(USERS);
        let uid = uid(user);
        match self.r.below(12) {
            0 => {
                self.head(h, "systemd-logind", Some(logind));
                self.buf
                    .s("New session ")
                    .n(session)
                    .s(" of user ")
                    .s(user)
                    .s(".\n");
            }
            1 => {
                self.head(h, "systemd", Some(1));
                if old {
                    self.buf
                        .s("Started Session ")
                        .n(session)
                        .s(" of User ")
                        .s(user)
                        .s(".\n");
                } else {
                    self.buf
                        .s("Started session-")
                        .n(session)
                        .s(".scope - Session ")
                        .n(session);
                    self.buf.s(" of User ").s(user).s(".\n");
                }
            }
            2 => {
                self.head(h, "systemd", Some(1));
                let done = if old {
                    ": Succeeded.\n"
                } else {
                    ": Deactivated successfully.\n"
                };
                self.buf.s("session-").n(session).s(".scope").s(done);
            }
            3 => {
                self.head(h, "systemd-logind", Some(logind));
                self.buf
                    .s("Session ")
                    .n(session)
                    .s(" logged out. Waiting for processes to exit.\n");
            }
            4 => {
                self.head(h, "systemd-logind", Some(logind));
                self.buf.s("Removed session ").n(session).s(".\n");
            }
            5 => {
                self.head(h, "systemd", Some(1));
                self.buf
                    .s("Created slice user-")
                    .n(uid)
                    .s(".slice - User Slice of UID ")
                    .n(uid)
                    .s(".\n");
            }
            6 => {
                self.head(h, "systemd", Some(1));
                self.buf
                    .s("Starting user@")
                    .n(uid)
                    .s(".service - User Manager for UID ")
                    .n(uid)
                    .s("...\n");
            }
            7 => {
                let pid = self.hosts[h].pid(&mut self.r);
                self.head(h, "systemd", Some(pid));
                self.buf
                    .s("Startup finished in ")
                    .n(self.r.range(40, 300))
                    .s("ms.\n");
            }
            8..=9 if docker => {
                self.head(h, "systemd", Some(1));
                if self.r.chance(0.5) {
                    self.buf
                        .s("run-docker-runtime\\x2drunc-moby-")
                        .hex(&mut self.r, 64)
                        .s("-runc.");
                    base64(&mut self.buf, &mut self.r, 6);
                    self.buf.s(".mount: Deactivated successfully.\n");
                } else {
                    self.buf
                        .s("var-lib-docker-overlay2-")
                        .hex(&mut self.r, 64)
                        .s("-merged.mount: Deactivated successfully.\n");
                }
            }
            10 => {
                let pid = self.hosts[h].daemon[1];
                self.head(h, "systemd-resolved", Some(pid));
                self.buf.s("Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.0.0.2.\n");
            }
            11 if self.r.chance(0.3) => {
                let pid = self.hosts[h].daemon[2];
                self.head(h, "systemd-journald", Some(pid));
                self.buf
                    .s("Data hash table of /var/log/journal/")
                    .hex(&mut self.r, 32);
                self.buf.s("/system.journal has a fill level at 75.0 (8535 of 11377 items, 6553600 file size, 767 bytes per hash table item), suggesting rotation.\n");
            }
            _ => {
                self.head(h, "systemd-logind", Some(logind));
                self.buf
                    .s("Session ")
                    .n(session)
                    .s(" logged out. Waiting for processes to exit.\n");
            }
        }
    }

    fn sudo(&mut self, h: usize) {
        let user = *self.r.pick(&USERS[..5]);
        self.head(h, "sudo", None);
        let (b, r) = (&mut self.buf, &mut self.r);
        match r.below(3) {
            0 => {
                b.s("  ")
                    .s(user)
                    .s(" : TTY=pts/")
                    .n(r.below(4))
                    .s(" ; PWD=/home/")
                    .s(user);
                b.s(" ; USER=root ; COMMAND=").s(r.word(SUDO_COMMANDS));
            }
            1 => {
                b.s("pam_unix(sudo:session): session opened for user root(uid=0) by ")
                    .s(user);
                b.s("(uid=").n(uid(user)).c(b')');
            }
            _ => {
                b.s("pam_unix(sudo:session): session closed for user root");
            }
        }
        b.c(b'\n');
    }

    /// `time="2026-12-01T04:00:02.123456789Z"`
    fn go_time(&mut self) {
        self.buf.s("time=\"");
        self.c.iso(&mut self.buf);
        self.frac(9);
        self.buf.s("Z\" ");
    }

    fn docker(&mut self, h: usize) {
        let (dockerd, containerd) = (self.hosts[h].daemon[3], self.hosts[h].daemon[4]);
        let k = self.r.below(6);
        if k < 3 {
            self.head(h, "containerd", Some(containerd));
        } else {
            self.head(h, "dockerd", Some(dockerd));
        }
        self.go_time();
        let (b, r) = (&mut self.buf, &mut self.r);
        match k {
            0 => {
                b.s("level=info msg=\"shim disconnected\" id=")
                    .hex(r, 64)
                    .s(" namespace=moby");
            }
            1 => {
                b.s("level=warning msg=\"cleaning up after shim disconnected\" id=")
                    .hex(r, 64)
                    .s(" namespace=moby");
            }
            2 => {
                b.s("level=info msg=\"cleaning up dead shim\" namespace=moby");
            }
            3 => {
                b.s("level=info msg=\"ignoring event\" container=")
                    .hex(r, 64);
                b.s(" module=libcontainerd namespace=moby topic=/tasks/delete type=\"*events.TaskDelete\"");
            }
            4 => {
                b.s("level=warning msg=\"Health check for container ")
                    .hex(r, 64)
                    .s(" error: context deadline exceeded\"");
            }
            _ => {
                b.s("level=error msg=\"Handler for POST /v1.43/containers/")
                    .hex(r, 12);
                b.s("/stop returned error: No such container: ")
                    .hex(r, 12)
                    .s("\"");
            }
        }
        b.c(b'\n');
    }

    fn http_status(&mut self, path: &str) -> u64 {
        if path == "/wp-login.php" || path == "/.env" {
            return 404;
        }
        *self.r.pick(&[
            200, 200, 200, 200, 200, 200, 200, 200, 200, 304, 302, 301, 404, 499, 502,
        ])
    }

    fn nginx(&mut self, h: usize) {
        self.head(h, "nginx", None);
        let path = *self.r.pick(PATHS);
        let status = self.http_status(path);
        let (b, r) = (&mut self.buf, &mut self.r);
        let client = if r.chance(0.7) {
            public_ip(r)
        } else {
            internal_ip(r)
        };
        b.ip(client).s(" - - [");
        self.c.clf(b);
        b.s(" +0000] \"")
            .s(if r.chance(0.85) { "GET " } else { "POST " })
            .s(path)
            .s(" HTTP/1.1\" ");
        b.n(status).c(b' ');
        b.n(r.range(0, 40_000)).s(" \"-\" \"");
        let agent = AGENTS[r.weighted(&[1, 1, 4, 9, 3, 2, 3, 1])];
        b.s(agent).s("\" rt=0.0").z(r.below(100), 2).c(b'\n');
    }

    fn nginx_error(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[6];
        self.head(h, "nginx", Some(pid));
        self.c.date(&mut self.buf, b'/');
        self.buf.c(b' ');
        self.c.time(&mut self.buf);
        let (b, r) = (&mut self.buf, &mut self.r);
        if r.chance(0.5) {
            b.s(" [error] ")
                .n(pid)
                .c(b'#')
                .n(pid)
                .s(": *")
                .n(r.range(1000, 999_999));
            b.s(" upstream timed out (110: Connection timed out) while reading response header from upstream, client: ");
            b.ip(public_ip(r)).s(", server: shop.example.com, request: \"GET /checkout HTTP/1.1\", upstream: \"http://");
            b.ip(internal_ip(r))
                .s(":8080/checkout\", host: \"shop.example.com\"\n");
        } else {
            b.s(" [warn] ")
                .n(pid)
                .c(b'#')
                .n(pid)
                .s(": *")
                .n(r.range(1000, 999_999));
            b.s(" an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/3/41/00000");
            b.n(r.range(10_000, 99_999)).s(" while reading upstream\n");
        }
    }

    fn php_fpm(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "php-fpm8.2", Some(pid));
        let (b, r) = (&mut self.buf, &mut self.r);
        match r.below(3) {
            0 => b.s("[WARNING] [pool www] server reached pm.max_children setting (50), consider raising it\n"),
            1 => {
                b.s("[NOTICE] [pool www] child ").n(r.range(1000, 99_999)).s(" exited with code 0 after ");
                b.n(r.range(3000, 3700)).c(b'.').z(r.below(1_000_000), 6).s(" seconds from start\n")
            }
            _ => b.s("[NOTICE] [pool www] child ").n(r.range(1000, 99_999)).s(" started\n"),
        };
    }

    fn api(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        if self.r.chance(0.5) {
            self.head(h, "api", Some(pid));
            self.buf.s("level=info ts=");
            self.c.iso(&mut self.buf);
            self.frac(3);
            let (b, r) = (&mut self.buf, &mut self.r);
            b.s("Z caller=server.go:211 msg=\"request served\" method=GET path=");
            b.s(r.word(&PATHS[..6]))
                .s(" status=200 duration_ms=")
                .n(r.range(1, 300));
            b.c(b'\n');
        } else {
            self.head(h, "node", Some(pid + 1));
            let ms = self.c.epoch * 1000 + self.r.below(1000);
            let (b, r) = (&mut self.buf, &mut self.r);
            b.s("{\"level\":30,\"time\":")
                .n(ms)
                .s(",\"pid\":")
                .n(pid + 1)
                .s(",\"hostname\":\"");
            b.s(&self.hosts[h].name)
                .s("\",\"msg\":\"request completed\",\"responseTime\":");
            b.n(r.range(1, 400)).c(b'.').z(r.below(100), 2).s("}\n");
        }
    }

    fn celery(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "celery", Some(pid));
        self.buf.c(b'[');
        self.c.date(&mut self.buf, b'-');
        self.buf.c(b' ');
        self.c.time(&mut self.buf);
        self.buf.c(b',');
        self.buf.z(self.r.below(1000), 3);
        let (b, r) = (&mut self.buf, &mut self.r);
        let task = *r.pick(TASKS);
        match r.below(5) {
            0..=1 => {
                b.s(": INFO/MainProcess] Task ").s(task).c(b'[');
                uuid(b, r);
                b.s("] received\n");
            }
            2..=3 => {
                b.s(": INFO/ForkPoolWorker-")
                    .n(r.range(1, 8))
                    .s("] Task ")
                    .s(task)
                    .c(b'[');
                uuid(b, r);
                b.s("] succeeded in ")
                    .n(r.below(3))
                    .c(b'.')
                    .z(r.below(1000), 3)
                    .s("s: None\n");
            }
            _ => {
                b.s(": WARNING/ForkPoolWorker-")
                    .n(r.range(1, 8))
                    .s("] Task ")
                    .s(task)
                    .c(b'[');
                uuid(b, r);
                b.s("] retry: Retry in 30s: ConnectionError('Connection reset by peer')\n");
            }
        }
    }

    fn postgres(&mut self, h: usize) {
        let pid = self.hosts[h].pid(&mut self.r);
        self.head(h, "postgres", Some(pid));
        self.buf.c(b'[');
        self.buf.n(self.r.range(1, 9)).s("-1] ");
        self.c.date(&mut self.buf, b'-');
        self.buf.c(b' ');
        self.c.time(&mut self.buf);
        self.frac(3);
        let (b, r) = (&mut self.buf, &mut self.r);
        b.s(" UTC [").n(pid).s("] ");
        match r.below(20) {
            0..=5 => {
                b.s("LOG:  duration: ")
                    .n(r.range(500, 9000))
                    .c(b'.')
                    .z(r.below(1000), 3);
                b.s(" ms  statement: ").s(r.word(QUERIES));
            }
            6..=9 => {
                b.s("LOG:  connection received: host=")
                    .ip(internal_ip(r))
                    .s(" port=")
                    .n(port(r));
            }
            10..=13 => {
                b.s("LOG:  connection authorized: user=app database=shop application_name=");
                b.s(r.word(&["api", "celery", "puma", "psql"]));
            }
            14..=16 => {
                b.s("LOG:  disconnection: session time: 0:00:0")
                    .n(r.below(10))
                    .c(b'.')
                    .z(r.below(1000), 3);
                b.s(" user=app database=shop host=")
                    .ip(internal_ip(r))
                    .s(" port=")
                    .n(port(r));
            }
            17 => {
                b.s("LOG:  checkpoint complete: wrote ")
                    .n(r.range(100, 9000))
                    .s(" buffers (");
                b.n(r.below(20))
                    .s(".")
                    .n(r.below(10))
                    .s("%); 0 WAL file(s) added, 0 removed, 1 recycled; write=269.");
                b.z(r.below(1000), 3).s(" s, sync=0.012 s, total=269.912 s");
            }
            18 => {
                b.s("ERROR:  duplicate key value violates unique constraint \"orders_pkey\"");
            }
            _ => {
                b.s("LOG:  automatic vacuum of table \"shop.public.sessions\": index scans: 1");
            }
        }
        b.c(b'\n');
    }

    fn redis(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "redis-server", Some(pid));
        let role = if self.r.chance(0.8) { ":M " } else { ":C " };
        self.buf.n(pid).s(role);
        self.buf
            .z(u64::from(self.c.day), 2)
            .c(b' ')
            .s(MONTHS[self.c.month as usize - 1])
            .c(b' ');
        self.buf.n(self.c.year).c(b' ');
        self.c.time(&mut self.buf);
        self.frac(3);
        let (b, r) = (&mut self.buf, &mut self.r);
        match r.below(5) {
            0 => b.s(" * 100 changes in 300 seconds. Saving...\n"),
            1 => b
                .s(" * Background saving started by pid ")
                .n(r.range(1000, 99_999))
                .c(b'\n'),
            2 => b.s(" * DB saved on disk\n"),
            3 => b.s(" * Fork CoW for RDB: current 2 MB, peak 2 MB, average 1 MB\n"),
            _ => b.s(" * Background saving terminated with success\n"),
        };
    }

    fn airflow(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "airflow-scheduler", Some(pid));
        self.buf.c(b'[');
        self.c.iso(&mut self.buf);
        self.frac(3);
        let (b, r) = (&mut self.buf, &mut self.r);
        b.s("+0000] ");
        match r.below(3) {
            0 => b.s("{scheduler_job_runner.py:417} INFO - ").n(r.range(1, 6)).s(" tasks up for execution:\n"),
            1 => b.s("{processor.py:161} INFO - Started process (PID=").n(r.range(1000, 99_999)).s(") to work on /opt/airflow/dags/ledger_sync.py\n"),
            _ => b.s("{scheduler_job_runner.py:1567} INFO - Adopting or resetting orphaned tasks for active dag runs\n"),
        };
    }

    fn gitlab_runner(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "gitlab-runner", Some(pid));
        let (b, r) = (&mut self.buf, &mut self.r);
        let job = r.range(8_800_000, 8_899_999);
        match r.below(3) {
            0 => {
                b.s("Checking for jobs... received                         job=")
                    .n(job);
                b.s(" repo_url=https://gitlab.example.com/shop/api.git runner=xT9kLm2Q\n");
            }
            1 => {
                b.s("Job succeeded                                       duration_s=")
                    .n(r.range(10, 900));
                b.c(b'.')
                    .z(r.below(1000), 3)
                    .s(" job=")
                    .n(job)
                    .s(" project=42 runner=xT9kLm2Q\n");
            }
            _ => {
                b.s("Appending trace to coordinator...ok                  code=202 job=")
                    .n(job);
                b.s(" job-log=0-")
                    .n(r.range(1000, 99_999))
                    .s(" job-status=running runner=xT9kLm2Q status=202 Accepted\n");
            }
        }
    }

    fn haproxy(&mut self, h: usize) {
        let pid = self.hosts[h].daemon[7];
        self.head(h, "haproxy", Some(pid));
        let (b, r) = (&mut self.buf, &mut self.r);
        b.ip(public_ip(r)).c(b':').n(port(r)).s(" [");
        self.c.clf(b);
        b.c(b'.');
        b.z(r.below(1000), 3)
            .s("] https-in~ be_app/app-")
            .z(r.range(1, 12), 2)
            .s(" 0/0/");
        let (tc, tr) = (r.range(0, 3), r.range(1, 400));
        b.n(tc).c(b'/').n(tr).c(b'/').n(tc + tr + 1).c(b' ');
        let path = *r.pick(PATHS);
        b.n(*r.pick(&[200, 200, 200, 200, 304, 302, 404]))
            .c(b' ')
            .n(r.range(200, 40_000));
        b.s(" - - ---- ")
            .n(r.range(300, 500))
            .s("/")
            .n(r.range(290, 490))
            .s("/12/3/0 0/0 \"GET ");
        b.s(path).s(" HTTP/1.1\"\n");
    }

    fn postfix(&mut self, h: usize) {
        let (qmgr, name) = (self.hosts[h].daemon[5], self.hosts[h].name.clone());
        let k = self.r.below(8);
        let pid = if k == 3 || k == 6 {
            qmgr
        } else {
            self.hosts[h].pid(&mut self.r)
        };
        let ident = match k {
            0..=2 => "postfix/smtpd",
            3 | 6 => "postfix/qmgr",
            4 => "postfix/smtp",
            5 => "postfix/cleanup",
            _ => "postfix/anvil",
        };
        self.head(h, ident, Some(pid));
        let (b, r) = (&mut self.buf, &mut self.r);
        match k {
            0 => {
                b.s("connect from unknown[").ip(public_ip(r)).s("]\n");
            }
            1 => {
                b.s("disconnect from unknown[")
                    .ip(public_ip(r))
                    .s("] ehlo=1 auth=0/1 quit=1 commands=2/3\n");
            }
            2 => {
                b.s("NOQUEUE: reject: RCPT from unknown[").ip(public_ip(r));
                b.s("]: 554 5.7.1 <spam@example.net>: Relay access denied; from=<x@example.org> to=<spam@example.net> proto=ESMTP helo=<User>\n");
            }
            3 => {
                hex_upper(b, r, 10);
                b.s(": from=<root@")
                    .s(&name)
                    .s(".example.com>, size=")
                    .n(r.range(400, 9000))
                    .s(", nrcpt=1 (queue active)\n");
            }
            4 => {
                hex_upper(b, r, 10);
                b.s(": to=<ops@example.com>, relay=mx1.example.com[192.0.2.25]:25, delay=0.");
                b.n(r.range(10, 99)).s(
                    ", delays=0.01/0.01/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ",
                );
                hex_upper(b, r, 10);
                b.s(")\n");
            }
            5 => {
                hex_upper(b, r, 10);
                b.s(": message-id=<").n(self.c.epoch).c(b'.');
                hex_upper(b, r, 10);
                b.c(b'@').s(&name).s(".example.com>\n");
            }
            6 => {
                hex_upper(b, r, 10);
                b.s(": removed\n");
            }
            _ => {
                b.s("statistics: max connection rate ")
                    .n(r.range(1, 30))
                    .s("/60s for (smtp:")
                    .ip(public_ip(r))
                    .s(") at ");
                b.extend_from_slice(&self.c.syslog[..15]);
                b.c(b'\n');
            }
        }
    }

    fn monitoring(&mut self, h: usize) {
        let base = self.hosts[h].daemon[7];
        let k = self.r.below(3);
        let ident = ["prometheus", "grafana", "alertmanager"][k as usize];
        self.head(h, ident, Some(base + k));
        if k == 1 {
            self.buf.s("logger=context userId=0 orgId=1 uname= t=");
        } else {
            self.buf.s("ts=");
        }
        self.c.iso(&mut self.buf);
        self.frac(3);
        let (b, r) = (&mut self.buf, &mut self.r);
        match k {
            0 => {
                b.s("Z caller=compact.go:519 level=info component=tsdb msg=\"write block\" ulid=01J");
                hex_upper(b, r, 23);
                b.s(" duration=").n(r.range(100, 2000)).s("ms\n");
            }
            1 => {
                b.s("+0000 level=info msg=\"Request Completed\" method=GET path=/api/health status=200 remote_addr=");
                b.ip(internal_ip(r))
                    .s(" time_ms=")
                    .n(r.range(0, 9))
                    .s(" size=70\n");
            }
            _ => {
                b.s("Z caller=dispatch.go:353 level=info component=dispatcher msg=\"Notify success\" receiver=pagerduty-ops integration=pagerduty[0] attempts=1\n");
            }
        }
    }

    fn misc(&mut self, h: usize) {
        let cronie = self.hosts[h].cronie;
        let pid = self.hosts[h].pid(&mut self.r);
        match self.r.below(6) {
            0 => {
                self.head(h, "rsyslogd", None);
                self.buf.s("[origin software=\"rsyslogd\" swVersion=\"8.2302.0\" x-pid=\"612\" x-info=\"https://www.rsyslog.com\"] rsyslogd was HUPed\n");
            }
            1 => {
                self.head(h, "dbus-daemon", Some(self.hosts[h].daemon[1] + 7));
                self.buf
                    .s("[system] Successfully activated service 'org.freedesktop.hostname1'\n");
            }
            2 if !cronie => {
                self.head(h, "snapd", Some(self.hosts[h].daemon[2] + 11));
                self.buf.s("storehelpers.go:773: cannot refresh: snap has no updates available: \"core22\", \"lxd\"\n");
            }
            2 => {
                self.head(h, "chronyd", Some(self.hosts[h].daemon[2] + 11));
                self.buf
                    .s("Selected source 169.254.169.123 (169.254.169.123)\n");
            }
            3 => {
                let user = *self.r.pick(USERS);
                self.head(h, "crontab", Some(pid));
                self.buf.c(b'(');
                self.buf.s(user).s(") LIST (").s(user).s(")\n");
            }
            4 => {
                self.head(h, "systemd-networkd", Some(self.hosts[h].daemon[1] + 3));
                let ip = self.hosts[h].ip;
                self.buf
                    .s("eth0: DHCPv4 address ")
                    .ip(ip)
                    .s("/24, gateway 10.0.1.1 acquired from 10.0.1.1\n");
            }
            _ => {
                self.head(h, "systemd-timesyncd", Some(self.hosts[h].daemon[1] + 1));
                self.buf
                    .s("Contacted time server 185.125.190.57:123 (ntp.ubuntu.com).\n");
            }
        }
    }

    /// Real logs carry the odd broken byte: a scanner's user name, a truncated
    /// multi-byte character in a URL, a USB descriptor.
    fn invalid_utf8(&mut self, h: usize) {
        self.st.invalid_utf8 += 1;
        match self.r.below(3) {
            0 => {
                let pid = self.hosts[h].pid(&mut self.r);
                self.head(h, "sshd", Some(pid));
                self.buf
                    .extend_from_slice(b"Invalid user \xff\xfeadm\xc3 from ");
                self.buf
                    .ip(public_ip(&mut self.r))
                    .s(" port ")
                    .n(port(&mut self.r))
                    .c(b'\n');
            }
            1 => {
                self.head(h, "nginx", None);
                self.buf.ip(public_ip(&mut self.r)).s(" - - [");
                self.c.clf(&mut self.buf);
                self.buf.extend_from_slice(
                    b" +0000] \"GET /search?q=caf\xc3 HTTP/1.1\" 400 150 \"-\" \"curl/8.5.0\"\n",
                );
            }
            _ => {
                let up = self.hosts[h].uptime0 + self.c.t;
                self.head(h, "kernel", None);
                self.buf.c(b'[');
                self.buf.n(up);
                self.frac(6);
                self.buf
                    .extend_from_slice(b"] usb 2-1: Product: USB\xff\xc3 Flash Disk\n");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// main

struct Args {
    size_mb: f64,
    out: PathBuf,
    seed: u64,
}

const USAGE: &str = "usage: gen_corpus --size-mb N --out DIR [--seed S]\n\
    Writes DIR/syslog (N MiB of RFC 3164 syslog, ±1%) and DIR/slack.jsonl.";

fn parse_args() -> Result<Args, String> {
    let mut size_mb = None;
    let mut out = None;
    let mut seed = DEFAULT_SEED;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--size-mb" => {
                let v = value("--size-mb")?;
                size_mb = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|n| *n > 0.0)
                        .ok_or(format!("--size-mb: not a positive number: {v}"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not an unsigned integer: {v}"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Args {
        size_mb: size_mb.ok_or("--size-mb is required")?,
        out: out.ok_or("--out is required")?,
        seed,
    })
}

fn check_jobs() -> Result<(), String> {
    for def in JOBS {
        let derived = derive_name(def.command);
        if derived != def.name {
            return Err(format!(
                "job table: `{}` derives `{derived}`, not `{}`",
                def.command, def.name
            ));
        }
    }
    let notifying = JOBS.iter().filter(|j| j.notify.is_some()).count();
    if JOBS.len() != 50 || notifying != 20 {
        return Err(format!(
            "job table: {} jobs, {notifying} notifying",
            JOBS.len()
        ));
    }
    Ok(())
}

fn create(dir: &Path, name: &str) -> std::io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(dir.join(name))?,
    ))
}

fn generate(args: &Args) -> std::io::Result<Corpus> {
    fs::create_dir_all(&args.out)?;
    // Written under temporary names and renamed when complete, so an
    // interrupted run never leaves a corpus that looks finished.
    let out = create(&args.out, "syslog.partial")?;
    let slack = create(&args.out, "slack.jsonl.partial")?;
    let target = (args.size_mb * MIB) as u64;
    let mut corpus = Corpus::new(args.seed, target, out, slack);
    corpus.run()?;
    fs::rename(args.out.join("syslog.partial"), args.out.join("syslog"))?;
    fs::rename(
        args.out.join("slack.jsonl.partial"),
        args.out.join("slack.jsonl"),
    )?;
    Ok(corpus)
}

fn pct(part: u64, whole: u64) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_corpus: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if e.is_empty() { 0 } else { 2 });
        }
    };
    if let Err(e) = check_jobs() {
        eprintln!("gen_corpus: {e}");
        return ExitCode::from(1);
    }
    let clock = Instant::now();
    let corpus = match generate(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gen_corpus: writing {}: {e}", args.out.display());
            return ExitCode::from(1);
        }
    };
    let secs = clock.elapsed().as_secs_f64();
    let st = &corpus.st;
    let bytes = corpus.written;
    let last = Clock::at(corpus.start_epoch, corpus.c.t);
    let mut span = Vec::new();
    last.iso(&mut span);
    eprintln!(
        "gen_corpus: seed {} -> {}/syslog, {}/slack.jsonl in {secs:.2}s ({:.0} MiB/s)",
        args.seed,
        args.out.display(),
        args.out.display(),
        bytes as f64 / MIB / secs
    );
    eprintln!("  bytes          {bytes} ({:.2} MiB)", bytes as f64 / MIB);
    eprintln!(
        "  span           2026-12-01T00:00:00Z .. {}Z ({:.2} days)",
        String::from_utf8_lossy(&span),
        corpus.c.t as f64 / 86_400.0
    );
    eprintln!("  lines          {}", st.lines);
    eprintln!(
        "  cron lines     {} ({:.2}% of lines; CROND {})",
        st.cron_lines,
        pct(st.cron_lines, st.lines),
        st.cronie_lines
    );
    eprintln!(
        "  cron runs      {} (cron {}, cronie {}); {} ended, {} still running at the end",
        st.runs,
        st.runs - st.cronie_runs,
        st.cronie_runs,
        st.ended,
        st.runs - st.ended
    );
    eprintln!(
        "  failing runs   {} ({:.1}% of ended runs)",
        st.failed,
        pct(st.failed, st.ended)
    );
    eprintln!(
        "  systemd timer runs {} ({} failed; units logrotate, man-db, apt-daily*, dnf-makecache)",
        st.unit_runs, st.unit_failed
    );
    eprintln!(
        "  slack records  {} ({} errors, {} retries)",
        st.slack, st.slack_errors, st.slack_retries
    );
    eprintln!("  invalid UTF-8 lines {}", st.invalid_utf8);
    eprintln!(
        "  hosts {}, jobs {} ({} notify)",
        corpus.hosts.len(),
        JOBS.len(),
        JOBS.iter().filter(|j| j.notify.is_some()).count()
    );
    ExitCode::SUCCESS
}
