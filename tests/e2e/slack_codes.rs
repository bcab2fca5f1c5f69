//! Every Slack error code SPEC §2.2 and §2.3 name → the delivery status and
//! category it yields, as a Slack API log records it and as each SDK prints
//! it into a job's own log.

use crate::harness::{Doc, run_in};
use std::fmt::Write;

/// (code, delivery status, category)
const TABLE: &[(&str, &str, &str)] = &[
    // the target itself is wrong
    ("channel_not_found", "misrouted", "misrouted-target"),
    ("is_archived", "misrouted", "misrouted-target"),
    ("channel_is_archived", "misrouted", "misrouted-target"),
    ("is_inactive", "misrouted", "misrouted-target"),
    ("invalid_channel", "misrouted", "misrouted-target"),
    ("user_not_found", "misrouted", "misrouted-target"),
    ("user_not_in_channel", "misrouted", "misrouted-target"),
    ("team_not_found", "misrouted", "misrouted-target"),
    (
        "method_not_supported_for_channel_type",
        "misrouted",
        "misrouted-target",
    ),
    (
        "restricted_action_read_only_channel",
        "misrouted",
        "misrouted-target",
    ),
    (
        "posting_to_general_channel_denied",
        "misrouted",
        "misrouted-target",
    ),
    // credentials
    ("invalid_auth", "failed", "delivery-failed"),
    ("token_revoked", "failed", "delivery-failed"),
    ("account_inactive", "failed", "delivery-failed"),
    ("team_disabled", "failed", "delivery-failed"),
    ("invalid_token", "failed", "delivery-failed"),
    ("no_service", "failed", "delivery-failed"),
    // permission
    ("not_in_channel", "failed", "delivery-failed"),
    ("missing_scope", "failed", "delivery-failed"),
    ("restricted_action", "failed", "delivery-failed"),
    // payload
    ("invalid_blocks", "failed", "delivery-failed"),
    ("no_text", "failed", "delivery-failed"),
    ("msg_too_long", "failed", "delivery-failed"),
    ("invalid_payload", "failed", "delivery-failed"),
    // rate limits and outages
    ("ratelimited", "failed", "delivery-failed"),
    ("service_unavailable", "failed", "delivery-failed"),
    ("internal_error", "failed", "delivery-failed"),
    ("fatal_error", "failed", "delivery-failed"),
    // edits
    ("cant_update_message", "failed", "delivery-failed"),
    ("edit_window_closed", "failed", "delivery-failed"),
    // billing (SPEC §2.3)
    ("paid_only", "failed", "billing-inactive"),
    ("paid_teams_only", "failed", "billing-inactive"),
    ("plan_upgrade_required", "failed", "billing-inactive"),
    ("free_team_not_allowed", "failed", "billing-inactive"),
    ("message_limit_exceeded", "failed", "billing-inactive"),
    ("storage_limit_reached", "failed", "billing-inactive"),
];

/// One Debian cron run per job, each ending well, at 04:00 + i minutes.
fn syslog(jobs: &[String]) -> String {
    let mut s = String::new();
    for (i, j) in jobs.iter().enumerate() {
        let (p, g) = (1000 + 2 * i, 1001 + 2 * i);
        writeln!(s, "Dec  3 04:{i:02}:01 web-01 CRON[{p}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)").unwrap();
        writeln!(
            s,
            "Dec  3 04:{i:02}:01 web-01 CRON[{g}]: (root) CMD (/usr/local/bin/{j})"
        )
        .unwrap();
        writeln!(s, "Dec  3 04:{i:02}:03 web-01 CRON[{p}]: pam_unix(cron:session): session closed for user root").unwrap();
    }
    s
}

fn report(dir: &std::path::Path, extra: &[&str]) -> Doc {
    let mut args = vec![
        "report", "--format", "json", "--tz", "UTC", "--year", "2026", "--syslog", "syslog",
    ];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.doc()
}

fn check(d: &Doc, job: &str, code: &str, delivery: &str, category: &str, how: &str) {
    let r = d
        .runs
        .iter()
        .find(|r| r.job == job)
        .unwrap_or_else(|| panic!("{how}: no run of {job}"));
    assert_eq!(
        (
            r.delivery.status.as_str(),
            r.category.as_str(),
            r.delivery.error.as_deref()
        ),
        (delivery, category, Some(code)),
        "{how}: {code}"
    );
}

#[test]
fn codes_in_a_slack_api_log() {
    let dir = tempfile::tempdir().unwrap();
    let jobs: Vec<String> = TABLE.iter().map(|(c, _, _)| format!("j_{c}")).collect();
    std::fs::write(dir.path().join("syslog"), syslog(&jobs)).unwrap();
    let mut slack = String::new();
    for (i, (code, _, _)) in TABLE.iter().enumerate() {
        let status = match *code {
            "ratelimited" => 429,
            "service_unavailable" => 503,
            "internal_error" | "fatal_error" => 500,
            _ => 200,
        };
        writeln!(
            slack,
            r##"{{"ts":"2026-12-03T04:{i:02}:05Z","job":"j_{code}","method":"chat.postMessage","channel":"#ops","http_status":{status},"response":{{"ok":false,"error":"{code}"}}}}"##
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("slack.jsonl"), slack).unwrap();
    let d = report(dir.path(), &["--slack", "slack.jsonl"]);
    for (code, delivery, category) in TABLE {
        check(
            &d,
            &format!("j_{code}"),
            code,
            delivery,
            category,
            "Slack API log",
        );
    }
}

#[test]
fn codes_as_sdks_print_them_in_job_logs() {
    let dir = tempfile::tempdir().unwrap();
    let mut jobs = Vec::new();
    std::fs::create_dir(dir.path().join("jobs")).unwrap();
    for (i, (code, _, _)) in TABLE.iter().enumerate() {
        // python-slack-sdk (two lines), node @slack/web-api, slack-go.
        let forms = [
            format!(
                "2026-12-03 04:{i:02}:02,511 ERROR slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage)\nThe server responded with: {{'ok': False, 'error': '{code}'}}\n"
            ),
            format!(
                "[ERROR]  web-api:WebClient:0 2026-12-03T04:{i:02}:02Z An API error occurred: {code}\n"
            ),
            format!("2026-12-03T04:{i:02}:02Z slack: failed to post message: {code}\n"),
        ];
        for (n, text) in forms.iter().enumerate() {
            let job = format!("k{n}_{code}");
            std::fs::write(dir.path().join("jobs").join(format!("{job}.log")), text).unwrap();
            jobs.push(job);
        }
    }
    // The run times: every form of code i runs at minute i.
    let mut s = String::new();
    for (i, j) in jobs.iter().enumerate() {
        let minute = i / 3;
        let (p, g) = (1000 + 2 * i, 1001 + 2 * i);
        writeln!(s, "Dec  3 04:{minute:02}:01 web-01 CRON[{p}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)").unwrap();
        writeln!(
            s,
            "Dec  3 04:{minute:02}:01 web-01 CRON[{g}]: (root) CMD (/usr/local/bin/{j})"
        )
        .unwrap();
        writeln!(s, "Dec  3 04:{minute:02}:03 web-01 CRON[{p}]: pam_unix(cron:session): session closed for user root").unwrap();
    }
    std::fs::write(dir.path().join("syslog"), s).unwrap();
    let d = report(dir.path(), &["--job-log", "jobs/*.log"]);
    for (code, delivery, category) in TABLE {
        for (n, how) in ["python-slack-sdk", "node web-api", "slack-go"]
            .iter()
            .enumerate()
        {
            check(&d, &format!("k{n}_{code}"), code, delivery, category, how);
        }
    }
}

#[test]
fn success_warnings_and_http_answers() {
    let dir = tempfile::tempdir().unwrap();
    let jobs: Vec<String> = [
        "warn",
        "ok_wrong",
        "h429",
        "h503",
        "retry",
        "update",
        "h503_ok",
        "h429_text",
        "early",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    std::fs::write(dir.path().join("syslog"), syslog(&jobs)).unwrap();
    std::fs::write(
        dir.path().join("crontriage.toml"),
        "[channels]\n\"#ops\" = \"C024BE91L\"\n[[job]]\nname = \"ok_wrong\"\nchannel = \"#ops\"\n[[job]]\nname = \"warn\"\nchannel = \"#ops\"\n",
    )
    .unwrap();
    let slack = [
        // warnings never fail a delivery
        r##"{"ts":"2026-12-03T04:00:05Z","job":"warn","channel":"#ops","http_status":200,"response":{"ok":true,"channel":"C024BE91L","warning":"missing_charset"}}"##,
        // ok, but landed elsewhere (compared by ID through [channels])
        r##"{"ts":"2026-12-03T04:01:05Z","job":"ok_wrong","channel":"#ops","http_status":200,"response":{"ok":true,"channel":"C0GENERAL1"}}"##,
        // HTTP status alone
        r##"{"ts":"2026-12-03T04:02:05Z","job":"h429","method":"webhook","http_status":429,"response":""}"##,
        r##"{"ts":"2026-12-03T04:03:05Z","job":"h503","method":"webhook","http_status":503}"##,
        // a retry that got through: the last attempt decides
        r##"{"ts":"2026-12-03T04:04:05Z","job":"retry","http_status":429,"response":{"ok":false,"error":"ratelimited"}}"##,
        r##"{"ts":"2026-12-03T04:04:35Z","job":"retry","http_status":200,"response":{"ok":true,"channel":"C1"}}"##,
        // message_not_found on chat.update: the target (message) is wrong
        r##"{"ts":"2026-12-03T04:05:05Z","job":"update","method":"chat.update","http_status":200,"response":{"ok":false,"error":"message_not_found"}}"##,
        // HTTP >= 400 fails whatever the body says (a proxy's cached answer)
        r##"{"ts":"2026-12-03T04:06:05Z","job":"h503_ok","method":"chat.postMessage","channel":"#x","http_status":503,"response":{"ok":true,"channel":"C1","ts":"1.2"}}"##,
        // a webhook's prose body names no code: the status speaks
        r##"{"ts":"2026-12-03T04:07:05Z","job":"h429_text","method":"webhook","http_status":429,"response":"too many requests"}"##,
        // before its run started (04:08:01): not its notification (SPEC §2.2
        // "from its start")
        r##"{"ts":"2026-12-03T04:07:31Z","job":"early","http_status":200,"response":{"ok":false,"error":"invalid_auth"}}"##,
    ];
    std::fs::write(dir.path().join("slack.jsonl"), slack.join("\n")).unwrap();
    let d = report(dir.path(), &["--slack", "slack.jsonl"]);
    let get = |j: &str| d.runs.iter().find(|r| r.job == j).unwrap();
    assert_eq!(
        (
            get("warn").delivery.status.as_str(),
            get("warn").category.as_str()
        ),
        ("delivered", "ok")
    );
    assert_eq!(get("ok_wrong").category, "misrouted-target");
    assert_eq!(get("h429").category, "delivery-failed");
    assert_eq!(get("h503").category, "delivery-failed");
    assert_eq!(
        (
            get("retry").delivery.status.as_str(),
            get("retry").delivery.attempts
        ),
        ("delivered", 2)
    );
    assert_eq!(get("update").category, "misrouted-target");
    assert_eq!(get("early").delivery.attempts, 0);
    assert_ne!(get("early").category, "delivery-failed");
    let h503_ok = &get("h503_ok").delivery;
    assert_eq!(
        (h503_ok.status.as_str(), h503_ok.error.as_deref()),
        ("failed", Some("http_503"))
    );
    let h429_text = get("h429_text");
    assert_eq!(
        (
            h429_text.delivery.status.as_str(),
            h429_text.delivery.error.as_deref(),
            h429_text.category.as_str()
        ),
        ("failed", Some("http_429"), "delivery-failed")
    );
    assert!(
        h429_text.reason.contains("429") && !h429_text.reason.contains("`too`"),
        "{}",
        h429_text.reason
    );
}
