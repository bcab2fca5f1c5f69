//! The demo incident folder (`fixtures/demo`): the README's first command.
//! Every category occurs, with the runs the README describes.

use crate::harness::{Doc, run};
use crontriage::report::RunReport;

fn demo() -> Doc {
    let out = run(&["report", "fixtures/demo", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.doc()
}

fn find<'a>(d: &'a Doc, id: &str) -> &'a RunReport {
    d.runs
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no run {id}"))
}

#[test]
fn every_category_occurs() {
    let d = demo();
    assert_eq!(d.schema_version, 1);
    let c = &d.summary.by_category;
    assert!(
        c.ok > 0 && c.execution_failed > 0 && c.delivery_failed > 0,
        "{c:?}"
    );
    assert!(
        c.misrouted_target > 0 && c.billing_inactive > 0 && c.missed > 0,
        "{c:?}"
    );
    assert_eq!(d.summary.runs as usize, d.runs.len());
    let malformed: u64 = d.inputs.iter().map(|i| i.malformed).sum();
    assert_eq!(malformed, 0);
    // Folder mode routed each file to the right parser.
    let kind = |p: &str| {
        d.inputs
            .iter()
            .find(|i| i.path.ends_with(p))
            .map(|i| i.kind.clone())
    };
    assert_eq!(kind("web-01/syslog").as_deref(), Some("syslog"));
    assert_eq!(
        kind("db-01/journal-short-iso.log").as_deref(),
        Some("syslog")
    );
    assert_eq!(kind("web-02/jobs/backup.log").as_deref(), Some("job-log"));
    assert_eq!(kind("slack/notify-api.jsonl").as_deref(), Some("slack"));
    assert_eq!(kind("slack/webhooks.log").as_deref(), Some("slack"));
}

#[test]
fn the_runs_the_readme_describes() {
    let d = demo();
    // A retry that got through: delivered, two attempts.
    let r = find(&d, "backup@web-01@2026-12-03T03:00:01Z");
    assert_eq!(
        (
            r.category.as_str(),
            r.delivery.status.as_str(),
            r.delivery.attempts
        ),
        ("ok", "delivered", 2)
    );
    // A 429 that did not get through.
    let r = find(&d, "backup@web-02@2026-12-03T03:00:01.0065Z");
    assert_eq!(
        (r.category.as_str(), r.delivery.status.as_str()),
        ("delivery-failed", "failed")
    );
    assert_eq!(r.delivery.error.as_deref(), Some("ratelimited"));
    assert_eq!(r.delivery.attempts, 3);
    // The job failed, its notification worked: execution layer only.
    let r = find(&d, "backup@web-02@2026-12-02T03:00:01.0065Z");
    assert_eq!(r.categories, vec!["execution-failed"]);
    assert_eq!(
        (r.execution.exit_code, r.delivery.status.as_str()),
        (Some(2), "delivered")
    );
    // A message that landed in the wrong channel.
    let r = find(&d, "daily_summary@web-01@2026-12-02T05:00:01Z");
    assert_eq!(
        (r.category.as_str(), r.delivery.status.as_str()),
        ("misrouted-target", "misrouted")
    );
    assert_eq!(r.delivery.target.as_deref(), Some("C0GENERAL1"));
    // An LLM quota error.
    let r = find(&d, "daily_summary@web-01@2026-12-03T05:00:01Z");
    assert_eq!(r.categories, vec!["billing-inactive", "execution-failed"]);
    assert_eq!(
        r.billing.as_ref().map(|b| b.marker.as_str()),
        Some("insufficient_quota")
    );
    // A missed run: the crontab was replaced at 03:58.
    let r = find(&d, "backup@web-01@2026-12-02T03:00:00Z");
    assert_eq!((r.category.as_str(), r.evidence.len()), ("missed", 1));
    assert!(r.evidence[0].text.contains("0 4 * * *"));
    // systemd failure notified to an archived channel.
    let r = find(&d, "db-vacuum@db-01@2026-12-03T02:30:00Z");
    assert_eq!(r.categories, vec!["execution-failed", "misrouted-target"]);
    assert_eq!(r.scheduler, "systemd");
    // python-slack-sdk's words in a job log: delivery failed, bot not invited.
    let r = find(&d, "load_ledger@web-02@2026-12-03T01:30:01.0035Z");
    assert_eq!(r.delivery.error.as_deref(), Some("not_in_channel"));
    // A webhook whose app was removed.
    let r = find(&d, "sync_users@web-02@2026-12-03T00:15:01.0055Z");
    assert_eq!(
        (r.category.as_str(), r.delivery.error.as_deref()),
        ("delivery-failed", Some("no_service"))
    );
}

#[test]
fn output_is_byte_identical_and_secret_free_in_every_format() {
    for fmt in ["json", "table", "markdown", "csv", "ndjson", "html"] {
        let a = run(&["report", "fixtures/demo", "--format", fmt]);
        let b = run(&["report", "fixtures/demo", "--format", fmt]);
        assert_eq!(a.code, 0, "{fmt}: {}", a.stderr);
        assert_eq!(a.stdout, b.stdout, "{fmt} output differs between two runs");
        for secret in ["sk-proj-Xq3vB9nR2mL8kT5wZ1yH7cJ4", "s3cr3t-pw"] {
            assert!(!a.stdout.contains(secret), "{fmt} output leaks {secret}");
        }
        assert!(
            a.stdout.contains("[REDACTED]") || fmt == "table" || fmt == "markdown",
            "{fmt}: nothing redacted?"
        );
    }
}

#[test]
fn runs_are_sorted_by_start_job_host() {
    let d = demo();
    let keys: Vec<(String, String, String)> = d
        .runs
        .iter()
        .map(|r| {
            let t = chrono::DateTime::parse_from_rfc3339(&r.started_at)
                .unwrap()
                .timestamp_micros();
            (
                format!("{t:020}"),
                r.job.clone(),
                r.host.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
