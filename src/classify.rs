//! Run + policy → verdict: execution status, delivery status, billing, the
//! categories and the one-line reason (SPEC §2). Pure: no I/O, no clock.

use crate::config::{Config, Notify};
use crate::correlate::Run;
use crate::event::{Event, JobFact, SlackAttempt};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// Root-cause categories, in the order SPEC §2.4 ranks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    BillingInactive,
    ExecutionFailed,
    MisroutedTarget,
    DeliveryFailed,
    Missed,
    Ok,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::BillingInactive,
        Category::ExecutionFailed,
        Category::MisroutedTarget,
        Category::DeliveryFailed,
        Category::Missed,
        Category::Ok,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::BillingInactive => "billing-inactive",
            Category::ExecutionFailed => "execution-failed",
            Category::MisroutedTarget => "misrouted-target",
            Category::DeliveryFailed => "delivery-failed",
            Category::Missed => "missed",
            Category::Ok => "ok",
        }
    }
}

impl std::str::FromStr for Category {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// A run's categories as a set (one byte: kept for every run, while full
/// verdicts are built only when a run is shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Categories(u8);

impl Categories {
    pub fn of(list: &[Category]) -> Categories {
        Categories(list.iter().fold(0, |m, c| m | 1 << (*c as u8)))
    }

    /// In SPEC order.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL
            .into_iter()
            .filter(move |c| self.0 & (1 << (*c as u8)) != 0)
    }

    /// The category a run is reported under: the first that applies.
    pub fn first(self) -> Category {
        self.iter().next().unwrap_or(Category::Ok)
    }

    pub fn contains(self, c: Category) -> bool {
        self.0 & (1 << (c as u8)) != 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecStatus {
    Ok,
    Failed,
    Incomplete,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryStatus {
    Delivered,
    Misrouted,
    Failed,
    Missing,
    Pending,
    NotRequired,
}

impl ExecStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecStatus::Ok => "ok",
            ExecStatus::Failed => "failed",
            ExecStatus::Incomplete => "incomplete",
            ExecStatus::Unknown => "unknown",
        }
    }
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Misrouted => "misrouted",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Missing => "missing",
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::NotRequired => "not-required",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub status: ExecStatus,
    pub exit_code: Option<i32>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub status: DeliveryStatus,
    pub attempts: usize,
    pub target: Option<String>,
    pub expected_target: Option<String>,
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Billing {
    /// `execution` or `delivery`: the layer that showed it.
    pub layer: &'static str,
    /// The code or message that showed it.
    pub marker: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub execution: Execution,
    pub delivery: Delivery,
    pub billing: Option<Billing>,
    pub categories: Vec<Category>,
    pub reason: String,
}

impl Verdict {
    pub fn category(&self) -> Category {
        self.categories[0]
    }
}

/// Facts about the whole input that classification needs.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub jobs_with_slack: &'a BTreeSet<String>,
    /// The latest timestamp in any input.
    pub input_end: Option<DateTime<Utc>>,
}

/// Whose layer a Slack error code points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// The target itself is wrong (SPEC §2.2 `misrouted`).
    Target,
    /// The workspace's plan or billing (SPEC §2.3).
    Billing,
    Credentials,
    Permission,
    Payload,
    RateLimit,
    Outage,
    Edit,
    /// The calling code is wrong (method, arguments, deprecated endpoint).
    Client,
    /// A code no table here names: a failure of unknown kind.
    Unknown,
}

/// Sort a Slack error code (SPEC §2.2, §2.3, and the codes Slack's own
/// method docs list, e.g. chat.postMessage's error table).
pub fn code_kind(code: &str, method: &str) -> CodeKind {
    use CodeKind::*;
    match code {
        "channel_not_found"
        | "is_archived"
        | "channel_is_archived"
        | "is_inactive"
        | "invalid_channel"
        | "user_not_found"
        | "user_not_in_channel"
        | "team_not_found"
        | "method_not_supported_for_channel_type"
        | "restricted_action_read_only_channel"
        | "posting_to_general_channel_denied"
        | "restricted_action_non_threadable_channel"
        | "restricted_action_thread_only_channel"
        | "restricted_action_thread_locked"
        | "duplicate_channel_not_found"
        | "cannot_reply_to_message"
        | "messages_tab_disabled"
        | "channel_not_specified" => Target,
        "message_not_found" if method == "chat.update" => Target,
        "paid_only"
        | "paid_teams_only"
        | "plan_upgrade_required"
        | "free_team_not_allowed"
        | "message_limit_exceeded"
        | "storage_limit_reached" => Billing,
        "invalid_auth"
        | "token_revoked"
        | "token_expired"
        | "account_inactive"
        | "team_disabled"
        | "invalid_token"
        | "no_service"
        | "not_authed"
        | "not_allowed_token_type"
        | "org_login_required"
        | "two_factor_setup_required"
        | "team_added_to_org"
        | "invalid_token_type"
        | "no_team"
        | "action_prohibited_for_token" => Credentials,
        "not_in_channel"
        | "missing_scope"
        | "restricted_action"
        | "access_denied"
        | "accesslimited"
        | "app_access_restricted"
        | "ekm_access_denied"
        | "enterprise_is_restricted"
        | "no_permission"
        | "send_on_behalf_not_allowed"
        | "is_bot"
        | "action_prohibited"
        | "slack_connect_canvas_sharing_blocked"
        | "slack_connect_file_link_sharing_blocked"
        | "slack_connect_lists_sharing_blocked" => Permission,
        "invalid_blocks"
        | "invalid_blocks_format"
        | "no_text"
        | "msg_too_long"
        | "msg_blocks_too_long"
        | "invalid_payload"
        | "too_many_attachments"
        | "attachment_payload_limit_exceeded"
        | "invalid_charset"
        | "invalid_form_data"
        | "invalid_metadata_format"
        | "invalid_metadata_schema"
        | "markdown_text_conflict"
        | "metadata_too_large"
        | "metadata_must_be_sent_from_app"
        | "missing_file_data"
        | "too_many_contact_cards"
        | "invalid_attachments"
        | "missing_text_or_fallback_or_attachments"
        | "invalid_post_type"
        | "missing_post_type"
        | "as_user_not_supported"
        | "invalid_json"
        | "json_not_object"
        | "invalid_arg_name"
        | "invalid_array_arg"
        | "invalid_arguments" => Payload,
        "ratelimited" | "rate_limited" => RateLimit,
        "service_unavailable"
        | "internal_error"
        | "fatal_error"
        | "request_timeout"
        | "team_not_ready" => Outage,
        "cant_update_message"
        | "edit_window_closed"
        | "message_not_found"
        | "draft_already_deleted"
        | "draft_already_sent"
        | "draft_has_conflict"
        | "draft_not_found"
        | "duplicate_message_not_found" => Edit,
        "deprecated_endpoint" | "method_deprecated" | "unknown_method" => Client,
        _ => Unknown,
    }
}

/// How one Slack attempt went.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub status: DeliveryStatus,
    pub billing: Option<String>,
    pub detail: String,
}

fn show_target(t: &str) -> String {
    t.to_string()
}

/// Judge one attempt against the expected target.
pub fn judge(a: &SlackAttempt, expected: Option<&str>, cfg: &Config) -> Judged {
    let err = a.error.as_deref();
    let method = a.method.as_deref().unwrap_or("");
    let aimed_wrong = match (expected, a.target.as_deref()) {
        (Some(e), Some(t)) => cfg.channels.same(e, t) == Some(false),
        _ => false,
    };
    if let Some(code) = err.filter(|c| code_kind(c, method) == CodeKind::Billing) {
        return Judged {
            status: DeliveryStatus::Failed,
            billing: Some(code.to_string()),
            detail: format!(
                "Slack refused the post: `{code}` (the workspace's plan does not allow it)"
            ),
        };
    }
    // HTTP >= 400 is a failure whatever the body says (SPEC §2.2): a proxy's
    // 503 in front of a cached `{"ok":true}` delivered nothing.
    let http_failed = a.http_status.is_some_and(|s| s >= 400);
    let succeeded = !http_failed
        && (a.ok == Some(true)
            || (a.ok.is_none()
                && err.is_none()
                && a.http_status.is_some_and(|s| (200..300).contains(&s))));
    if succeeded {
        if let (Some(e), Some(l)) = (expected, a.landed.as_deref()) {
            if cfg.channels.same(e, l) == Some(false) {
                return Judged {
                    status: DeliveryStatus::Misrouted,
                    billing: None,
                    detail: format!(
                        "delivered, but to {} instead of {}",
                        show_target(l),
                        show_target(e)
                    ),
                };
            }
        }
        if aimed_wrong {
            return Judged {
                status: DeliveryStatus::Misrouted,
                billing: None,
                detail: format!(
                    "delivered, but posted to {} instead of {}",
                    a.target.as_deref().unwrap_or("?"),
                    expected.unwrap_or("?")
                ),
            };
        }
        return Judged {
            status: DeliveryStatus::Delivered,
            billing: None,
            detail: match a.landed.as_deref().or(a.target.as_deref()) {
                Some(t) => format!("delivered to {t}"),
                None => "delivered".to_string(),
            },
        };
    }
    let target = a
        .target
        .as_deref()
        .map(|t| format!(" for {t}"))
        .unwrap_or_default();
    if let Some(code) = err {
        if code_kind(code, method) == CodeKind::Target {
            return Judged {
                status: DeliveryStatus::Misrouted,
                billing: None,
                detail: format!("Slack answered `{code}`{target}: the target is wrong"),
            };
        }
    }
    if aimed_wrong {
        return Judged {
            status: DeliveryStatus::Misrouted,
            billing: None,
            detail: format!(
                "posted to {} instead of {}{}",
                a.target.as_deref().unwrap_or("?"),
                expected.unwrap_or("?"),
                err.map(|c| format!(" (`{c}`)")).unwrap_or_default()
            ),
        };
    }
    let http = a
        .http_status
        .map(|s| format!("HTTP {s}"))
        .unwrap_or_default();
    let what = match (err, a.http_status) {
        (Some(code), _) => {
            let kind = match code {
                "not_in_channel" => " — invite the bot to the channel",
                _ => failure_hint(code_kind(code, method), a.http_status),
            };
            let http = if http.is_empty() {
                String::new()
            } else {
                format!(", {http}")
            };
            format!("Slack answered `{code}`{target}{http}{kind}")
        }
        (None, Some(429)) => format!("rate limited (HTTP 429){target}"),
        (None, Some(s)) if s >= 500 => format!("Slack outage (HTTP {s}){target}"),
        (None, Some(s)) => format!("HTTP {s}{target}"),
        (None, None) => format!("Slack answered ok: false{target}"),
    };
    Judged {
        status: DeliveryStatus::Failed,
        billing: None,
        detail: what,
    }
}

/// A hint of whose layer a Slack failure is.
fn failure_hint(kind: CodeKind, http: Option<u16>) -> &'static str {
    match kind {
        CodeKind::Credentials => " — credentials",
        CodeKind::Permission => " — permissions",
        CodeKind::Payload => " — message payload",
        CodeKind::RateLimit => " — rate limited",
        CodeKind::Outage => " — Slack outage",
        CodeKind::Edit => " — edit refused",
        CodeKind::Client => " — API call",
        _ if http == Some(429) => " — rate limited",
        _ => "",
    }
}

fn execution(run: &Run) -> Execution {
    if let Some(m) = &run.missed {
        return Execution {
            status: ExecStatus::Unknown,
            exit_code: None,
            reason: format!("did not start (schedule `{}`)", m.schedule),
        };
    }
    let job_exit = run.facts.iter().rev().find_map(|(f, ev)| match f {
        JobFact::Exit(n) => Some((*n, *ev)),
        _ => None,
    });
    let from_scheduler = run.exit.is_some();
    if let Some((code, _)) = run.exit.or(job_exit) {
        let src = if from_scheduler {
            run.sched.as_str()
        } else {
            "the job log"
        };
        return Execution {
            status: if code == 0 {
                ExecStatus::Ok
            } else {
                ExecStatus::Failed
            },
            exit_code: Some(code),
            reason: format!("exit status {code} (from {src})"),
        };
    }
    if let Some((why, _)) = run.sched_failure.as_deref() {
        return Execution {
            status: ExecStatus::Failed,
            exit_code: None,
            reason: format!("{} ({})", why, run.sched.as_str()),
        };
    }
    let fatal = run.facts.iter().find_map(|(f, _)| match f {
        JobFact::Fatal(m) => Some(m.clone()),
        _ => None,
    });
    if let Some(m) = fatal {
        return Execution {
            status: ExecStatus::Failed,
            exit_code: None,
            reason: format!("fatal marker `{m}` in the job's output"),
        };
    }
    let billing = run.facts.iter().find_map(|(f, _)| match f {
        JobFact::Billing(m) => Some(m.clone()),
        _ => None,
    });
    if let Some(m) = billing {
        return Execution {
            status: ExecStatus::Failed,
            exit_code: None,
            reason: format!("billing marker `{m}` in the job's output"),
        };
    }
    if run.end_logged {
        return Execution {
            status: ExecStatus::Ok,
            exit_code: None,
            reason: "ended with no failure logged".into(),
        };
    }
    if run.ends_expected {
        return Execution {
            status: ExecStatus::Incomplete,
            exit_code: None,
            reason: match run.next_start {
                Some(_) => "started; no end logged before the job's next run started".into(),
                None => "started; no end seen before the input ends".into(),
            },
        };
    }
    Execution {
        status: ExecStatus::Unknown,
        exit_code: None,
        reason: match run.sched {
            crate::event::Scheduler::JobLog => {
                "seen only in its job log, which gives no exit status".into()
            }
            _ => format!(
                "{} logs no end here and no job log tells",
                run.sched.as_str()
            ),
        },
    }
}

fn delivery(
    run: &Run,
    exec: &Execution,
    cfg: &Config,
    ctx: &Context,
    events: &[Event],
) -> (Delivery, Option<(String, String)>) {
    let policy = cfg.job_named(&run.job);
    let expected = policy.and_then(|p| p.channel.clone());
    let notify =
        policy
            .and_then(|p| p.notify)
            .unwrap_or(if ctx.jobs_with_slack.contains(&*run.job) {
                Notify::Always
            } else {
                Notify::Never
            });
    if run.missed.is_some() {
        return (
            Delivery {
                status: DeliveryStatus::NotRequired,
                attempts: 0,
                target: None,
                expected_target: expected,
                error: None,
                reason: "no run, so nothing to deliver".into(),
            },
            None,
        );
    }
    let attempts: Vec<&crate::event::SlackAttempt> = run
        .slack
        .iter()
        .filter_map(|&ev| crate::correlate::attempt(&events[ev]))
        .collect();
    if let Some(last) = attempts.last() {
        let judged: Vec<Judged> = attempts
            .iter()
            .map(|a| judge(a, expected.as_deref(), cfg))
            .collect();
        let j = judged.last().unwrap();
        let billing = judged
            .iter()
            .find_map(|j| j.billing.clone().map(|b| (b, j.detail.clone())));
        let n = judged.len();
        let reason = if n > 1 {
            let failed_before = judged[..n - 1]
                .iter()
                .filter(|j| j.status != DeliveryStatus::Delivered)
                .count();
            if j.status == DeliveryStatus::Delivered && failed_before > 0 {
                format!(
                    "{} after {} attempts (earlier: {})",
                    j.detail,
                    n,
                    judged[n - 2].detail
                )
            } else {
                format!("{} (last of {} attempts)", j.detail, n)
            }
        } else {
            j.detail.clone()
        };
        return (
            Delivery {
                status: j.status,
                attempts: n,
                target: last.landed.clone().or_else(|| last.target.clone()),
                expected_target: expected,
                error: last.error.clone().or_else(|| {
                    last.http_status
                        .filter(|s| *s >= 400)
                        .map(|s| format!("http_{s}"))
                }),
                reason,
            },
            billing,
        );
    }
    let required = match notify {
        Notify::Always => true,
        Notify::OnFailure => exec.status == ExecStatus::Failed,
        Notify::Never => false,
    };
    let (status, reason) = if !required {
        (
            DeliveryStatus::NotRequired,
            match notify {
                Notify::Never if policy.and_then(|p| p.notify).is_some() => {
                    "the job does not notify (notify = never)".to_string()
                }
                Notify::Never => {
                    "no Slack record for this job in the inputs, none expected".to_string()
                }
                _ => format!(
                    "notifies only on failure; execution {}",
                    exec.status.as_str()
                ),
            },
        )
    } else {
        // Never past the next run's start (SPEC §2.2): a record after it
        // would be that run's, so this one's window is closed.
        let window_end = run.last_seen(events) + cfg.delivery_window;
        let window_end = run.next_start.map_or(window_end, |n| window_end.min(n));
        match ctx.input_end {
            Some(end) if window_end > end => (
                DeliveryStatus::Pending,
                format!(
                    "no Slack record yet; the delivery window is open until {}",
                    crate::time::rfc3339(window_end)
                ),
            ),
            _ => (
                DeliveryStatus::Missing,
                format!(
                    "no Slack record within {} of the run",
                    humantime::format_duration(cfg.delivery_window.to_std().unwrap_or_default())
                ),
            ),
        }
    };
    (
        Delivery {
            status,
            attempts: 0,
            target: None,
            expected_target: expected,
            error: None,
            reason,
        },
        None,
    )
}

/// Classify one run.
pub fn classify(run: &Run, events: &[Event], cfg: &Config, ctx: &Context) -> Verdict {
    let execution = execution(run);
    let (delivery, slack_billing) = delivery(run, &execution, cfg, ctx, events);
    let exec_billing = run.facts.iter().find_map(|(f, _)| match f {
        JobFact::Billing(m) => Some(m.clone()),
        _ => None,
    });
    let billing = match (exec_billing, slack_billing) {
        (Some(m), _) => Some(Billing {
            layer: "execution",
            reason: format!("billing inactive: `{m}` in the job's output"),
            marker: m,
        }),
        (None, Some((code, detail))) => Some(Billing {
            layer: "delivery",
            marker: code,
            reason: format!("billing inactive: {detail}"),
        }),
        (None, None) => None,
    };
    let mut categories = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    if let Some(m) = &run.missed {
        categories.push(Category::Missed);
        reasons.push(format!(
            "no run within {} of the scheduled time (schedule `{}` in {})",
            humantime::format_duration(m.grace.to_std().unwrap_or_default()),
            m.schedule,
            cfg.schedule_zone.name()
        ));
    } else {
        if let Some(b) = &billing {
            categories.push(Category::BillingInactive);
            reasons.push(b.reason.clone());
        }
        if execution.status == ExecStatus::Failed {
            categories.push(Category::ExecutionFailed);
            // Unless the billing marker is itself the failure.
            if !execution.reason.starts_with("billing marker") {
                reasons.push(execution.reason.clone());
            }
        }
        match delivery.status {
            DeliveryStatus::Misrouted => {
                categories.push(Category::MisroutedTarget);
                reasons.push(delivery.reason.clone());
            }
            DeliveryStatus::Failed | DeliveryStatus::Missing => {
                categories.push(Category::DeliveryFailed);
                if billing.as_ref().is_none_or(|b| b.layer != "delivery") {
                    reasons.push(delivery.reason.clone());
                }
            }
            _ => {}
        }
    }
    if categories.is_empty() {
        categories.push(Category::Ok);
        let exec_part = match execution.status {
            ExecStatus::Ok => format!("ran ok: {}", execution.reason),
            _ => format!(
                "execution {}: {}",
                execution.status.as_str(),
                execution.reason
            ),
        };
        let del_part = match delivery.status {
            DeliveryStatus::NotRequired => String::new(),
            _ => format!("; {}", delivery.reason),
        };
        reasons.push(format!("{exec_part}{del_part}"));
    }
    Verdict {
        execution,
        delivery,
        billing,
        categories,
        reason: reasons.join("; "),
    }
}
