//! Job output logs (SPEC §1.2): what a job's own stdout/stderr says about its
//! run.
//!
//! [`Facts`] finds the execution facts in one line of output — exit status,
//! fatal marker, billing marker, Slack answer — and is shared by job logs,
//! cronie's `CMDOUT` lines and journal entries of a job's unit.
//! [`JobLogReader`] reads a job log line by line: timestamps (text or JSON),
//! continuation lines that belong to the line before, and the segments that
//! make runs when no scheduler line covers them.

use crate::event::JobFact;
use crate::formats::slack::{self, json_time, leading_stamp};
use crate::time::Stamp;
use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};
use serde_json::Value;
use std::sync::LazyLock;

/// The fatal markers used when the config names none.
pub const DEFAULT_FATAL: &[&str] = &[
    "Traceback (most recent call last)",
    "panicked at",
    "FATAL",
    "Killed",
    "Segmentation fault",
    "command not found",
    "Permission denied",
    "Out of memory",
];

/// Billing markers (SPEC §2.3): (label, pattern). Matched on codes and
/// messages, never on an HTTP status alone.
const BILLING: &[(&str, &str)] = &[
    ("paid_only", r"\bpaid_only\b"),
    ("paid_teams_only", r"\bpaid_teams_only\b"),
    ("plan_upgrade_required", r"\bplan_upgrade_required\b"),
    ("free_team_not_allowed", r"\bfree_team_not_allowed\b"),
    ("message_limit_exceeded", r"\bmessage_limit_exceeded\b"),
    ("storage_limit_reached", r"\bstorage_limit_reached\b"),
    ("insufficient_quota", r"\binsufficient_quota\b"),
    ("credit_balance_exhausted", r"\bcredit_balance_exhausted\b"),
    ("billing_not_active", r"\bbilling_not_active\b"),
    (
        "billing_hard_limit_reached",
        r"\bbilling_hard_limit_reached\b",
    ),
    ("spend_limit_exceeded", r"\b[a-z_]*_spend_limit_exceeded\b"),
    (
        "credit balance is too low",
        r"(?i)credit balance is too low",
    ),
    ("402 Payment Required", r"(?i)\bpayment required\b"),
    (
        "402",
        r"(?i)(?:\bhttp(?:/[0-9.]+)?|\bstatus(?:[ _-]?code)?|\bcode|\berror)\W{0,4}402\b",
    ),
    ("Insufficient credits", r"(?i)\binsufficient credits\b"),
    ("Insufficient Balance", r"(?i)\binsufficient balance\b"),
    ("BILLING_DISABLED", r"\bBILLING_DISABLED\b"),
    (
        "requires billing to be enabled",
        r"(?i)requires billing to be enabled",
    ),
    (
        "billing account is disabled",
        r"(?i)billing account\b.{0,100}?\bis disabled",
    ),
    (
        "INVALID_PAYMENT_INSTRUMENT",
        r"\bINVALID_PAYMENT_INSTRUMENT\b",
    ),
    (
        "recent account payments have failed",
        r"(?i)recent account payments have failed",
    ),
];

static EXIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:exit(?:ed)?(?:\s+with)?[\s_-]*(?:code|status)|exit_code|exitcode|returncode)\s*[:=]?\s*(-?\d{1,3})\b",
    )
    .unwrap()
});

/// Compiled fact patterns: defaults plus the config's own.
#[derive(Debug, Clone)]
pub struct Facts {
    fatal: AhoCorasick,
    fatal_names: Vec<String>,
    billing: RegexSet,
    billing_names: Vec<String>,
}

impl Facts {
    /// `fatal` replaces the default fatal markers when given; `billing_extra`
    /// adds regexes to the billing markers. Errors name the bad pattern.
    pub fn new(fatal: Option<&[String]>, billing_extra: &[String]) -> Result<Self, String> {
        let fatal_names: Vec<String> = match fatal {
            Some(f) => f.to_vec(),
            None => DEFAULT_FATAL.iter().map(|s| s.to_string()).collect(),
        };
        let fatal = AhoCorasick::new(&fatal_names).map_err(|e| format!("fatal_patterns: {e}"))?;
        let mut pats: Vec<String> = BILLING.iter().map(|(_, p)| p.to_string()).collect();
        let mut billing_names: Vec<String> = BILLING.iter().map(|(n, _)| n.to_string()).collect();
        for p in billing_extra {
            Regex::new(p)
                .map_err(|e| format!("billing_patterns: `{p}` is not a valid regex: {e}"))?;
            pats.push(p.clone());
            billing_names.push(p.clone());
        }
        let billing = RegexSet::new(&pats).map_err(|e| format!("billing_patterns: {e}"))?;
        Ok(Facts {
            fatal,
            fatal_names,
            billing,
            billing_names,
        })
    }

    /// The billing marker in `text`, if any.
    pub fn billing(&self, text: &str) -> Option<String> {
        let m = self.billing.matches(text);
        let first = m.iter().next()?;
        // A named code beats the generic `402` when both match.
        let best = m
            .iter()
            .find(|&i| self.billing_names[i] != "402")
            .unwrap_or(first);
        Some(self.billing_names[best].clone())
    }

    /// The fact one line of job output gives; `prev` is the line before it.
    pub fn scan(&self, text: &str, prev: Option<&str>) -> Option<JobFact> {
        if let Some(c) = EXIT.captures(text) {
            if let Ok(n) = c[1].parse() {
                return Some(JobFact::Exit(n));
            }
        }
        if let Some(a) = slack::sdk_line(text, prev) {
            return Some(JobFact::Slack(Box::new(a)));
        }
        if let Some(b) = self.billing(text) {
            return Some(JobFact::Billing(b));
        }
        if let Some(m) = self.fatal.find(text) {
            return Some(JobFact::Fatal(
                self.fatal_names[m.pattern().as_usize()].clone(),
            ));
        }
        None
    }

    /// Every fact of one line: [`Facts::scan`]'s, and the billing marker
    /// beside an exit status (`insufficient_quota, exit code 1` says both;
    /// SPEC §2.4 reads billing from every line).
    pub fn scan_all(&self, text: &str, prev: Option<&str>) -> Vec<JobFact> {
        let mut v: Vec<JobFact> = self.scan(text, prev).into_iter().collect();
        self.billing_beside(&mut v, text);
        v
    }

    fn billing_beside(&self, facts: &mut Vec<JobFact>, text: &str) {
        if matches!(facts.first(), Some(JobFact::Exit(_))) {
            if let Some(b) = self.billing(text) {
                facts.push(JobFact::Billing(b));
            }
        }
    }
}

/// One line of a job log as read: its own timestamp (if any) and its facts
/// (most lines none, a few one, an exit status with a billing marker two).
#[derive(Debug, Clone, PartialEq)]
pub struct JobLine {
    pub stamp: Option<Stamp>,
    pub facts: Vec<JobFact>,
}

/// Reads a job log line by line (plain text or JSON lines, mixed).
#[derive(Debug)]
pub struct JobLogReader<'f> {
    facts: &'f Facts,
    prev: String,
}

impl<'f> JobLogReader<'f> {
    pub fn new(facts: &'f Facts) -> Self {
        JobLogReader {
            facts,
            prev: String::new(),
        }
    }

    pub fn line(&mut self, line: &str) -> JobLine {
        let t = line.trim_end();
        let out = if t.trim_start().starts_with('{') {
            match serde_json::from_str::<Value>(t.trim_start()) {
                Ok(Value::Object(obj)) => self.json_line(&obj, t),
                _ => self.text_line(t),
            }
        } else {
            self.text_line(t)
        };
        self.prev.clear();
        self.prev.push_str(t);
        out
    }

    fn text_line(&self, t: &str) -> JobLine {
        let stamp = leading_stamp(t).map(|(s, _)| s);
        let prev = (!self.prev.is_empty()).then_some(self.prev.as_str());
        JobLine {
            stamp,
            facts: self.facts.scan_all(t, prev),
        }
    }

    fn json_line(&self, obj: &serde_json::Map<String, Value>, raw: &str) -> JobLine {
        let stamp = ["time", "ts", "timestamp", "@timestamp"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(json_time));
        // `"exit_code": 1` or `"exit_code": "1"`; a value no process exits
        // with (over i32) is no exit status.
        let exit = ["exit_code", "exitCode", "exit_status", "returncode"]
            .iter()
            .find_map(|k| match obj.get(*k)? {
                Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                Value::String(s) => s.trim().parse::<i32>().ok(),
                _ => None,
            });
        let fact = if let Some(n) = exit {
            Some(JobFact::Exit(n))
        } else if obj.get("response").is_some_and(Value::is_object) {
            // A job that logs Slack's answer as a JSON field: read as a
            // Slack record is (method, channel and their aliases).
            slack::json_record(obj)
                .ok()
                .map(|r| r.attempt)
                .filter(|a| a.ok.is_some() || a.error.is_some())
                .map(|a| JobFact::Slack(Box::new(a)))
        } else {
            None
        };
        let fact = fact.or_else(|| {
            let msg = ["msg", "message"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_str));
            let level = ["level", "severity"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_str));
            let from_msg = msg.and_then(|m| self.facts.scan(m, None));
            from_msg
                .or_else(|| self.facts.billing(raw).map(JobFact::Billing))
                .or_else(|| {
                    level
                        .filter(|l| {
                            matches!(
                                l.to_ascii_lowercase().as_str(),
                                "fatal" | "panic" | "emerg" | "emergency"
                            )
                        })
                        .map(|l| JobFact::Fatal(format!("level {l}")))
                })
        });
        let mut facts: Vec<JobFact> = fact.into_iter().collect();
        self.facts.billing_beside(&mut facts, raw);
        JobLine { stamp, facts }
    }
}

/// Whether a file's name says it is a log: `x.log`, rotated `x.log.1`,
/// `x.log-20261203`, `x.log.2.gz`, or a job's captured `x.out` / `x.err`.
pub fn named_like_a_log(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    let parts: Vec<&str> = lower.split('.').skip(1).collect();
    parts.iter().any(|p| {
        let p = p.split('-').next().unwrap_or(p);
        matches!(p, "log" | "out" | "err" | "stdout" | "stderr")
    })
}

/// Whether any of the first lines of a sample carries a timestamp the job
/// log reader takes (at its start, or in a JSON line's time field).
pub fn has_timestamps(sample: &[u8]) -> bool {
    String::from_utf8_lossy(sample).lines().take(200).any(|l| {
        let t = l.trim();
        if t.starts_with('{') {
            return serde_json::from_str::<serde_json::Map<String, Value>>(t).is_ok_and(|o| {
                ["time", "ts", "timestamp", "@timestamp"]
                    .iter()
                    .any(|k| o.get(*k).and_then(json_time).is_some())
            });
        }
        leading_stamp(t).is_some()
    })
}

/// The job a log file belongs to, from its path (SPEC §1.2): the file's stem
/// with rotation and compression suffixes dropped (`backup.log.2.gz`,
/// `backup.log-20261203` → `backup`), or the parent folder when the stem is
/// a date or a generic name (`jobs/backup/2026-12-03.log` → `backup`).
pub fn job_from_path(path: &std::path::Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_string();
    let mut stem = name.as_str();
    loop {
        let before = stem;
        for suf in [
            ".gz", ".log", ".txt", ".out", ".err", ".jsonl", ".json", ".ndjson",
        ] {
            if let Some(s) = stem.strip_suffix(suf) {
                stem = s;
            }
        }
        // `.1`, `.12`, `-20261203`, `.2026-12-03`
        if let Some(i) = stem.rfind(['.', '-', '_']) {
            let tail = &stem[i + 1..];
            if !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit()) && i > 0 {
                stem = &stem[..i];
            }
        }
        if let Some(i) = stem.rfind(['.', '_']) {
            if crate::time::parse_ymd(&stem.as_bytes()[i + 1..]).is_some() && i > 0 {
                stem = &stem[..i];
            }
        }
        if stem == before {
            break;
        }
    }
    let generic = stem.is_empty()
        || stem.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            stem.to_ascii_lowercase().as_str(),
            "log"
                | "output"
                | "stdout"
                | "stderr"
                | "current"
                | "latest"
                | "run"
                | "job"
                | "console"
                | "cron"
        );
    if generic {
        let parent = path.parent()?.file_name()?.to_string_lossy().to_string();
        return (!parent.is_empty() && parent != "." && parent != "/").then_some(parent);
    }
    Some(stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn what_folder_mode_takes_for_a_job_log() {
        for (name, log) in [
            ("backup.log", true),
            ("backup.log.1", true),
            ("backup.log.2.gz", true),
            ("backup.log-20261203", true),
            ("etl.out", true),
            ("etl.ERR", true),
            ("README.txt", false),
            ("notes", false),
            ("a.bin", false),
            ("logrotate.conf.txt", false),
        ] {
            assert_eq!(named_like_a_log(name), log, "{name}");
        }
        for (sample, stamped) in [
            (&b"2026-12-03T04:00:09Z backup: done\n"[..], true),
            (b"[2026-12-03 04:00:09] INFO start\n", true),
            (b"{\"time\":\"2026-12-03T04:00:09Z\",\"msg\":\"x\"}\n", true),
            (
                b"Logs gathered from web-05 after the incident.\nAsk alice.\n",
                false,
            ),
            (b"{\"msg\":\"no time here\"}\n", false),
            (b"\x8f\xc3(\x91 zz\x7f\x01\n", false),
        ] {
            assert_eq!(
                has_timestamps(sample),
                stamped,
                "{}",
                String::from_utf8_lossy(sample)
            );
        }
    }

    fn facts() -> Facts {
        Facts::new(None, &[]).unwrap()
    }

    /// Real job output lines → the fact they give.
    #[test]
    fn fact_table() {
        let f = facts();
        let cases: Vec<(&str, Option<JobFact>)> = vec![
            (
                "2026-12-03 04:00:06 backup finished, exit code 0",
                Some(JobFact::Exit(0)),
            ),
            ("exit status 3", Some(JobFact::Exit(3))),
            ("process exited with code 137", Some(JobFact::Exit(137))),
            ("level=info msg=done exit_code=2", Some(JobFact::Exit(2))),
            ("Exit code: 1", Some(JobFact::Exit(1))),
            // a bare status= is usually an HTTP status
            ("GET /health status=500", None),
            (
                "Traceback (most recent call last):",
                Some(JobFact::Fatal("Traceback (most recent call last)".into())),
            ),
            (
                "thread 'main' panicked at src/main.rs:10:5:",
                Some(JobFact::Fatal("panicked at".into())),
            ),
            (
                "/etc/cron.daily/x: line 3: pg_dumpp: command not found",
                Some(JobFact::Fatal("command not found".into())),
            ),
            ("Killed", Some(JobFact::Fatal("Killed".into()))),
            // billing, as the APIs word it
            (
                "openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}",
                Some(JobFact::Billing("insufficient_quota".into())),
            ),
            (
                "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'}}",
                Some(JobFact::Billing("credit balance is too low".into())),
            ),
            (
                "requests.exceptions.HTTPError: 402 Client Error: Payment Required for url: https://api.example.com/v1/run",
                Some(JobFact::Billing("402 Payment Required".into())),
            ),
            (
                "google.api_core.exceptions.PermissionDenied: 403 This API method requires billing to be enabled. Please enable billing on project #123 (reason: BILLING_DISABLED)",
                Some(JobFact::Billing("BILLING_DISABLED".into())),
            ),
            (
                "An error occurred (INVALID_PAYMENT_INSTRUMENT) when calling the CreateAccount operation",
                Some(JobFact::Billing("INVALID_PAYMENT_INSTRUMENT".into())),
            ),
            (
                "The job was not started because recent account payments have failed or your spending limit needs to be increased.",
                Some(JobFact::Billing(
                    "recent account payments have failed".into(),
                )),
            ),
            ("error code: 402", Some(JobFact::Billing("402".into()))),
            ("copied 402 files", None),
            (
                "{'error': {'code': 'organization_spend_limit_exceeded'}}",
                Some(JobFact::Billing("spend_limit_exceeded".into())),
            ),
            ("backup done", None),
        ];
        for (line, want) in cases {
            assert_eq!(f.scan(line, None), want, "{line}");
        }
    }

    #[test]
    fn json_lines() {
        let f = facts();
        let mut r = JobLogReader::new(&f);
        let l =
            r.line(r#"{"time":"2026-12-03T04:00:06Z","level":"info","msg":"done","exit_code":0}"#);
        assert_eq!(l.facts, [JobFact::Exit(0)]);
        assert!(matches!(l.stamp, Some(Stamp::Exact(_))));
        let l = r.line(r#"{"ts":1764734406,"level":"fatal","message":"cannot connect"}"#);
        assert_eq!(l.facts, [JobFact::Fatal("level fatal".into())]);
        let l = r.line(r#"{"@timestamp":"2026-12-03T04:00:06Z","severity":"ERROR","message":"llm call failed","error":{"code":"insufficient_quota"}}"#);
        assert_eq!(l.facts, [JobFact::Billing("insufficient_quota".into())]);
        // a job's JSON log line carrying Slack's answer
        let l = r.line(
            r##"{"time":"2026-12-03T04:00:07Z","msg":"notify","method":"chat.postMessage","channel":"#ops","response":{"ok":false,"error":"channel_not_found"}}"##,
        );
        match &l.facts[..] {
            [JobFact::Slack(a)] => {
                assert_eq!(a.error.as_deref(), Some("channel_not_found"));
                assert_eq!(a.target.as_deref(), Some("#ops"));
                assert_eq!(a.method.as_deref(), Some("chat.postMessage"));
            }
            other => panic!("{other:?}"),
        }
        // an exit status beside a billing marker: both facts
        let l = r.line(
            r#"{"time":"2026-12-03T04:00:08Z","exit_code":1,"msg":"credit balance is too low"}"#,
        );
        assert_eq!(l.facts.len(), 2, "{:?}", l.facts);
        assert_eq!(l.facts[0], JobFact::Exit(1));
        assert!(matches!(l.facts[1], JobFact::Billing(_)));
        let l = r.line("2026-12-03 04:00:09 openai: insufficient_quota, exit code 1");
        assert_eq!(
            l.facts,
            [
                JobFact::Exit(1),
                JobFact::Billing("insufficient_quota".into())
            ]
        );
        // exit codes as strings count; ones no process exits with do not
        let l = r.line(r#"{"time":"2026-12-03T04:00:10Z","exit_code":"3"}"#);
        assert_eq!(l.facts, [JobFact::Exit(3)]);
        let l = r.line(r#"{"time":"2026-12-03T04:00:11Z","exit_code":4294967296}"#);
        assert_eq!(l.facts, []);
        // a continuation line has no stamp
        let l = r.line("  File \"/opt/etl/load.py\", line 3, in <module>");
        assert_eq!(l.stamp, None);
    }

    #[test]
    fn job_names_from_paths() {
        for (p, want) in [
            ("/var/log/jobs/backup.log", "backup"),
            ("backup.log.1", "backup"),
            ("logs/backup.log.2.gz", "backup"),
            ("backup.log-20261203", "backup"),
            ("jobs/backup/2026-12-03.log", "backup"),
            ("jobs/load_ledger/output.log", "load_ledger"),
            ("cron.daily.log", "cron.daily"),
            ("etl.jsonl", "etl"),
        ] {
            assert_eq!(job_from_path(Path::new(p)).as_deref(), Some(want), "{p}");
        }
    }
}
