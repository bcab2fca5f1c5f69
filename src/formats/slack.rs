//! Slack delivery evidence: records of a Slack API / webhook log (SPEC §1.3),
//! and the Slack lines SDKs print into a job's own log (SPEC §1.2).
//!
//! A record becomes a [`SlackAttempt`]: what was asked (job, method, target)
//! and what Slack answered (HTTP status, `ok`, `error`, `warning`, where the
//! message landed). Judging the answer is `classify`'s job, not this module's.

use crate::event::SlackAttempt;
use crate::time::{Stamp, from_epoch_any, parse_iso};
use regex::Regex;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// A parsed Slack log line: its time (if it had one) and the attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub stamp: Option<Stamp>,
    pub attempt: SlackAttempt,
}

/// Why a Slack log line is not a record.
pub type Malformed = &'static str;

/// Parse one line of a Slack log: JSON, or the `key=value … body=…` text form.
/// `Ok(None)` is a blank line.
pub fn parse_line(line: &str) -> Result<Option<Record>, Malformed> {
    let t = line.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with('{') {
        let v: Value = serde_json::from_str(t).map_err(|_| "invalid JSON")?;
        let obj = v.as_object().ok_or("JSON line is not an object")?;
        return parse_json(obj).map(Some);
    }
    parse_text(t).map(Some)
}

/// A time field: RFC 3339 / ISO string, or epoch seconds (number or numeric
/// string, fractional allowed; milliseconds recognised by magnitude).
pub fn json_time(v: &Value) -> Option<Stamp> {
    match v {
        Value::Number(n) => from_epoch_any(n.as_f64()?).map(Stamp::Exact),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(n) = s.parse::<f64>() {
                return from_epoch_any(n).map(Stamp::Exact);
            }
            let (stamp, used) = parse_iso(s.as_bytes())?;
            (used == s.len()).then_some(stamp)
        }
        _ => None,
    }
}

fn str_field<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
}

/// A Slack record from a JSON object (also a job's own JSON log line that
/// carries Slack's answer in `response`).
pub fn json_record(obj: &Map<String, Value>) -> Result<Record, Malformed> {
    let stamp = ["ts", "time", "timestamp", "@timestamp"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(json_time));
    let mut a = SlackAttempt {
        job: str_field(obj, &["job", "job_name", "source"]).map(str::to_string),
        host: str_field(obj, &["host", "hostname"]).map(str::to_string),
        method: str_field(obj, &["method"]).map(str::to_string),
        target: str_field(obj, &["channel", "target"])
            .or_else(|| {
                obj.get("request")
                    .and_then(|r| r.get("channel"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string),
        http_status: ["http_status", "status_code", "status"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(as_status)),
        ..Default::default()
    };
    match obj.get("response").or_else(|| obj.get("body")) {
        Some(Value::Object(body)) => apply_body(&mut a, body),
        Some(Value::String(s)) => apply_text_body(&mut a, s),
        Some(Value::Null) | None => {
            // A record may carry the body's fields at top level.
            if obj.contains_key("ok") || obj.contains_key("error") {
                apply_body(&mut a, obj);
                // `channel` at top level is then the request's, keep it.
            }
        }
        Some(_) => return Err("`response` is neither an object nor a string"),
    }
    Ok(Record { stamp, attempt: a })
}

fn parse_json(obj: &Map<String, Value>) -> Result<Record, Malformed> {
    let r = json_record(obj)?;
    let a = &r.attempt;
    if a.ok.is_none() && a.error.is_none() && a.http_status.is_none() {
        return Err("no Slack response, error or HTTP status in the record");
    }
    Ok(r)
}

fn as_status(v: &Value) -> Option<u16> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s| (100..600).contains(s))
}

/// Fill the answer from a Slack JSON body.
pub fn apply_body(a: &mut SlackAttempt, body: &Map<String, Value>) {
    a.ok = body.get("ok").and_then(Value::as_bool);
    a.error = body
        .get("error")
        .and_then(Value::as_str)
        .map(str::to_string);
    a.warning = body
        .get("warning")
        .and_then(Value::as_str)
        .map(str::to_string);
    if a.ok == Some(true) {
        a.landed = body
            .get("channel")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
}

/// A string body: JSON text, webhook `ok`, or a webhook's plain error code.
fn apply_text_body(a: &mut SlackAttempt, s: &str) {
    let s = s.trim();
    if s.starts_with('{') {
        if let Ok(Value::Object(body)) = serde_json::from_str::<Value>(s) {
            apply_body(a, &body);
            return;
        }
        apply_loose_body(a, s);
        return;
    }
    if s.eq_ignore_ascii_case("ok") {
        a.ok = Some(true);
    } else if !s.is_empty() {
        a.ok = Some(false);
        a.error = text_body_code(s).map(str::to_string);
    }
}

/// The error code a webhook's text body names. Webhooks answer a bare code
/// (`invalid_payload`, `no_service`); a longer text counts when its first
/// word is code-shaped (`no_service: …`). Prose (`too many requests`, an
/// HTML error page) names no code: the HTTP status speaks instead.
fn text_body_code(s: &str) -> Option<&str> {
    let first = s.split_whitespace().next()?;
    let code = first
        .trim_matches(|c: char| c == '"' || c == '\'')
        .trim_end_matches([':', '.', ',', ';']);
    let shaped = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let alone = first.len() == s.len();
    (shaped && (alone || code.contains('_'))).then_some(code)
}

static LOOSE_OK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']ok["']\s*:\s*(true|false|True|False)"#).unwrap());
static LOOSE_ERROR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']error["']\s*:\s*["']([A-Za-z0-9_.-]+)["']"#).unwrap());
static LOOSE_WARNING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']warning["']\s*:\s*["']([A-Za-z0-9_.,-]+)["']"#).unwrap());
static LOOSE_CHANNEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']channel["']\s*:\s*["']([^"']+)["']"#).unwrap());

/// A body as a Python dict repr (python-slack-sdk prints `{'ok': False,
/// 'error': 'channel_not_found'}`) or JSON that does not parse whole (cut
/// off): read the fields that matter with patterns.
pub fn apply_loose_body(a: &mut SlackAttempt, s: &str) -> bool {
    let Some(ok) = LOOSE_OK.captures(s) else {
        return false;
    };
    a.ok = Some(ok[1].eq_ignore_ascii_case("true"));
    a.error = LOOSE_ERROR.captures(s).map(|c| c[1].to_string());
    a.warning = LOOSE_WARNING.captures(s).map(|c| c[1].to_string());
    if a.ok == Some(true) {
        a.landed = LOOSE_CHANNEL.captures(s).map(|c| c[1].to_string());
    }
    true
}

/// The text form: a leading timestamp, `key=value` pairs, `body=` last.
fn parse_text(t: &str) -> Result<Record, Malformed> {
    let (stamp, mut rest) = match leading_stamp(t) {
        Some((s, n)) => (Some(s), t[n..].trim_start()),
        None => (None, t),
    };
    let mut a = SlackAttempt::default();
    let mut any = false;
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim();
        let after = &rest[eq + 1..];
        if key == "body" || key == "response" {
            apply_text_body(&mut a, after);
            any = true;
            break;
        }
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(e) => (&q[..e], &q[e + 1..]),
                None => (q, ""),
            }
        } else {
            match after.find(' ') {
                Some(e) => (&after[..e], &after[e..]),
                None => (after, ""),
            }
        };
        match key {
            "job" | "job_name" | "source" => a.job = Some(value.to_string()),
            "host" | "hostname" => a.host = Some(value.to_string()),
            "method" => a.method = Some(value.to_string()),
            "channel" | "target" => a.target = Some(value.to_string()),
            "status" | "http_status" | "http" => {
                // As in JSON records: an HTTP status is 100–599.
                a.http_status = value.parse().ok().filter(|s| (100..600).contains(s))
            }
            "ok" => a.ok = Some(value == "true"),
            "error" => a.error = Some(value.to_string()),
            _ => {}
        }
        any = true;
        rest = next.trim_start();
    }
    if !any || (a.ok.is_none() && a.error.is_none() && a.http_status.is_none()) {
        return Err("not a Slack record: no body=, status= or error=");
    }
    Ok(Record { stamp, attempt: a })
}

/// A leading timestamp as job and Slack text logs write it: RFC 3339 / ISO
/// (`T` or space, `.` or `,` fraction), the same in `[…]`, or epoch seconds.
/// Returns the stamp and the bytes consumed (brackets included).
pub fn leading_stamp(t: &str) -> Option<(Stamp, usize)> {
    // One level of brackets only: `[[…` is no stamp (and a line of a million
    // `[` must not recurse a million deep).
    match t.strip_prefix('[') {
        Some(inner) => {
            let (s, n) = bare_stamp(inner)?;
            (inner.as_bytes().get(n) == Some(&b']')).then_some((s, n + 2))
        }
        None => bare_stamp(t),
    }
}

fn bare_stamp(t: &str) -> Option<(Stamp, usize)> {
    let b = t.as_bytes();
    if let Some((s, n)) = parse_iso(b) {
        return Some((s, n));
    }
    // Epoch seconds: 10 digits, optional fraction, then a separator.
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 10 {
        let mut end = n;
        if b.get(n) == Some(&b'.') {
            end += 1 + b[n + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        }
        if b.get(end).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            let secs: f64 = t[..end].parse().ok()?;
            return crate::time::from_epoch_secs(secs).map(|d| (Stamp::Exact(d), end));
        }
    }
    None
}

static PY_URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(url: \S*?/api/([A-Za-z.]+)(?:, status: (\d{3}))?\)").unwrap());
static NODE_ERR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"An API error occurred: ([a-z0-9_]+)").unwrap());
static NODE_RATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"A rate[- ]limit (?:was exceeded|has been reached)").unwrap());
static NODE_HTTP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"An HTTP protocol error occurred: statusCode = (\d{3})").unwrap());
static GO_RATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"slack rate limit exceeded, retry after (\S+)").unwrap());

/// Every error code SPEC §2.2/§2.3 names: a bare one in a job's log is what
/// slack-go prints (`failed to post: channel_not_found`).
pub const KNOWN_CODES: &[&str] = &[
    "channel_not_found",
    "is_archived",
    "channel_is_archived",
    "is_inactive",
    "invalid_channel",
    "user_not_found",
    "user_not_in_channel",
    "team_not_found",
    "method_not_supported_for_channel_type",
    "restricted_action_read_only_channel",
    "posting_to_general_channel_denied",
    "message_not_found",
    "invalid_auth",
    "token_revoked",
    "account_inactive",
    "team_disabled",
    "invalid_token",
    "no_service",
    "not_in_channel",
    "missing_scope",
    "restricted_action",
    "invalid_blocks",
    "no_text",
    "msg_too_long",
    "invalid_payload",
    "ratelimited",
    "service_unavailable",
    "internal_error",
    "fatal_error",
    "cant_update_message",
    "edit_window_closed",
    "not_authed",
    "paid_only",
    "paid_teams_only",
    "plan_upgrade_required",
    "free_team_not_allowed",
    "message_limit_exceeded",
    "storage_limit_reached",
    "too_many_attachments",
    "invalid_arguments",
    "request_timeout",
    "channel_not_specified",
    "action_prohibited",
];

/// The Slack answer an SDK printed into a job's log, if this line holds one.
/// `prev` is the line before (python-slack-sdk splits its error in two:
/// `… (url: …/api/chat.postMessage, status: 404)` then `The server responded
/// with: {…}`).
pub fn sdk_line(line: &str, prev: Option<&str>) -> Option<SlackAttempt> {
    let mut a = SlackAttempt::default();
    if let Some(i) = line.find("The server responded with: ") {
        let body = &line[i + "The server responded with: ".len()..];
        if !apply_loose_body(&mut a, body) {
            return None;
        }
        for src in [Some(line), prev].into_iter().flatten() {
            if let Some(c) = PY_URL.captures(src) {
                a.method = Some(c[1].to_string());
                a.http_status = c.get(2).and_then(|m| m.as_str().parse().ok());
                break;
            }
        }
        return Some(a);
    }
    if let Some(c) = NODE_ERR.captures(line) {
        a.ok = Some(false);
        a.error = Some(c[1].to_string());
        return Some(a);
    }
    if NODE_RATE.is_match(line) || GO_RATE.is_match(line) {
        a.ok = Some(false);
        a.error = Some("ratelimited".into());
        a.http_status = Some(429);
        return Some(a);
    }
    if let Some(c) = NODE_HTTP.captures(line) {
        a.ok = Some(false);
        a.http_status = c[1].parse().ok();
        return Some(a);
    }
    // A JSON (or dict repr) body logged by the job itself.
    if (line.contains("\"ok\"") || line.contains("'ok'")) && apply_loose_body(&mut a, line) {
        return Some(a);
    }
    // slack-go: the bare code, as a whole word, in a line about Slack or as
    // the line's last word.
    let lower_has_slack = line.to_ascii_lowercase().contains("slack");
    let last_word = line
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| !w.is_empty())
        .unwrap_or("");
    for code in KNOWN_CODES {
        if (last_word == *code) || (lower_has_slack && has_word(line, code)) {
            a.ok = Some(false);
            a.error = Some(code.to_string());
            return Some(a);
        }
    }
    None
}

fn has_word(hay: &str, word: &str) -> bool {
    let hb = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(word) {
        let s = from + i;
        let e = s + word.len();
        let before_ok = s == 0 || !(hb[s - 1].is_ascii_alphanumeric() || hb[s - 1] == b'_');
        let after_ok = e == hb.len() || !(hb[e].is_ascii_alphanumeric() || hb[e] == b'_');
        if before_ok && after_ok {
            return true;
        }
        from = s + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(f: impl FnOnce(&mut SlackAttempt)) -> SlackAttempt {
        let mut a = SlackAttempt::default();
        f(&mut a);
        a
    }

    #[test]
    fn json_records() {
        let r = parse_line(r##"{"ts":"2026-12-03T04:00:07Z","job":"backup","method":"chat.postMessage","channel":"#ops-alerts","http_status":200,"response":{"ok":false,"error":"channel_not_found"}}"##).unwrap().unwrap();
        assert_eq!(
            r.attempt,
            attempt(|a| {
                a.job = Some("backup".into());
                a.method = Some("chat.postMessage".into());
                a.target = Some("#ops-alerts".into());
                a.http_status = Some(200);
                a.ok = Some(false);
                a.error = Some("channel_not_found".into());
            })
        );
        assert!(matches!(r.stamp, Some(Stamp::Exact(_))));
        // aliases, epoch seconds, request.channel, success with landing channel
        let r = parse_line(r#"{"time":1764734407.25,"job_name":"etl","request":{"channel":"C024BE91L"},"response":{"ok":true,"channel":"C024BE91L","ts":"1764734407.000100","warning":"missing_charset"}}"#).unwrap().unwrap();
        assert_eq!(r.attempt.job.as_deref(), Some("etl"));
        assert_eq!(r.attempt.target.as_deref(), Some("C024BE91L"));
        assert_eq!(r.attempt.landed.as_deref(), Some("C024BE91L"));
        assert_eq!(r.attempt.warning.as_deref(), Some("missing_charset"));
        // webhook string bodies
        let r = parse_line(r#"{"@timestamp":"2026-12-03T04:00:07+01:00","source":"etl","method":"webhook","http_status":404,"response":"no_service"}"#).unwrap().unwrap();
        assert_eq!(r.attempt.error.as_deref(), Some("no_service"));
        let r = parse_line(r#"{"ts":"2026-12-03T04:00:07Z","job":"etl","method":"webhook","http_status":404,"response":"no_service: the webhook was removed"}"#).unwrap().unwrap();
        assert_eq!(r.attempt.error.as_deref(), Some("no_service"));
        // prose names no code (the HTTP status speaks instead)
        for body in [
            "too many requests",
            "Forbidden",
            "<html><body>502 Bad Gateway</body></html>",
        ] {
            let line = format!(
                r#"{{"ts":"2026-12-03T04:00:07Z","job":"etl","method":"webhook","http_status":429,"response":"{body}"}}"#
            );
            let r = parse_line(&line).unwrap().unwrap();
            assert_eq!(
                (r.attempt.ok, r.attempt.error.as_deref()),
                (Some(false), None),
                "{body}"
            );
        }
        let r = parse_line(r#"{"timestamp":"2026-12-03 04:00:07","job":"etl","method":"webhook","http_status":200,"response":"ok"}"#).unwrap().unwrap();
        assert_eq!(r.attempt.ok, Some(true));
        assert!(matches!(r.stamp, Some(Stamp::Local(_))));
        assert!(parse_line("{not json").is_err());
        assert!(parse_line(r#"{"job":"x"}"#).is_err());
    }

    #[test]
    fn text_records() {
        let r = parse_line(r#"2026-12-03T04:00:07Z job=backup method=chat.postMessage channel=#ops-alerts status=429 body={"ok":false,"error":"ratelimited"}"#).unwrap().unwrap();
        assert_eq!(r.attempt.http_status, Some(429));
        assert_eq!(r.attempt.error.as_deref(), Some("ratelimited"));
        assert_eq!(r.attempt.target.as_deref(), Some("#ops-alerts"));
        let r = parse_line(
            "[2026-12-03 04:00:07,120] method=webhook job=\"nightly report\" status=200 body=ok",
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.attempt.job.as_deref(), Some("nightly report"));
        assert_eq!(r.attempt.ok, Some(true));
        let r = parse_line("1764734407 job=etl method=webhook status=400 body=invalid_payload")
            .unwrap()
            .unwrap();
        assert_eq!(r.attempt.error.as_deref(), Some("invalid_payload"));
        // No HTTP status is 999: the field is dropped, as in JSON records.
        let r = parse_line("1764734407 job=etl method=webhook status=999 body=ok")
            .unwrap()
            .unwrap();
        assert_eq!(r.attempt.http_status, None);
        assert!(parse_line("hello world").is_err());
    }

    #[test]
    fn sdk_lines() {
        let prev = "slack_sdk.errors.SlackApiError: The request to the Slack API failed. (url: https://slack.com/api/chat.postMessage, status: 404)";
        let a = sdk_line("The server responded with: {'ok': False, 'error': 'channel_not_found', 'warning': 'missing_charset'}", Some(prev)).unwrap();
        assert_eq!(a.error.as_deref(), Some("channel_not_found"));
        assert_eq!(a.method.as_deref(), Some("chat.postMessage"));
        assert_eq!(a.http_status, Some(404));
        assert_eq!(a.warning.as_deref(), Some("missing_charset"));
        let a = sdk_line(
            "The server responded with: {'ok': False, 'error': 'not_in_channel'}",
            None,
        )
        .unwrap();
        assert_eq!(a.method, None);
        let a = sdk_line(
            "[ERROR]  web-api:WebClient:0 An API error occurred: not_in_channel",
            None,
        )
        .unwrap();
        assert_eq!(a.error.as_deref(), Some("not_in_channel"));
        let a = sdk_line(
            "2026/12/03 04:00:07 slack rate limit exceeded, retry after 30s",
            None,
        )
        .unwrap();
        assert_eq!(
            (a.error.as_deref(), a.http_status),
            (Some("ratelimited"), Some(429))
        );
        let a = sdk_line("2026/12/03 04:00:07 post failed: channel_not_found", None).unwrap();
        assert_eq!(a.error.as_deref(), Some("channel_not_found"));
        let a = sdk_line("slack: posting report: invalid_auth (will retry)", None).unwrap();
        assert_eq!(a.error.as_deref(), Some("invalid_auth"));
        assert!(sdk_line("user_not_found in LDAP, skipping", None).is_none());
        assert!(sdk_line("backup finished in 3s", None).is_none());
    }
}
