//! systemd's messages about units, current and older wordings.
//!
//! systemd ≥ 253 names the unit in its start/finish lines (`Starting
//! backup.service - Nightly backup...`); older versions wrote only the
//! description (`Starting Nightly backup...`), and name the unit only in
//! `U: …` lines. Both are parsed here; `correlate` ties descriptions to units.

use crate::event::{Kind, Outcome, UnitEvent, UnitMsg};

const UNIT_SUFFIXES: [&str; 11] = [
    ".service",
    ".timer",
    ".scope",
    ".slice",
    ".socket",
    ".target",
    ".mount",
    ".path",
    ".device",
    ".swap",
    ".automount",
];

fn is_unit(s: &str) -> bool {
    !s.contains(' ')
        && UNIT_SUFFIXES
            .iter()
            .any(|suf| s.len() > suf.len() && s.ends_with(suf))
}

/// `U - Desc` (new) or `Desc` (old) → (unit, description), borrowed.
fn unit_and_desc(s: &str) -> (&str, Option<&str>) {
    if let Some((u, d)) = s.split_once(" - ") {
        if is_unit(u) {
            return (u, Some(d));
        }
    }
    if is_unit(s) {
        return (s, None);
    }
    ("", Some(s))
}

/// Whether a message about `unit` (or, when `unit` is empty, about `desc`)
/// can be about a job. Most of systemd's lines are about scopes, slices,
/// mounts, login sessions and user managers, which never are: they are
/// turned away here, before anything is copied.
fn may_be_job(unit: &str, desc: Option<&str>) -> bool {
    if unit.is_empty() {
        // Old systemd names login sessions and user managers by
        // description only.
        return !desc.is_some_and(|d| {
            d.starts_with("Session ")
                || d.starts_with("User Manager for UID")
                || d.starts_with("User Runtime Directory")
        });
    }
    // Per-user service managers start with every login.
    (unit.ends_with(".service")
        && !unit.starts_with("user@")
        && !unit.starts_with("user-runtime-dir@"))
        || unit.ends_with(".timer")
}

/// The event for a message about a unit, or `None` when it cannot be about
/// a job.
fn unit_event(unit: &str, desc: Option<&str>, msg: impl FnOnce() -> UnitMsg) -> Option<Kind> {
    if !may_be_job(unit, desc) {
        return None;
    }
    if let Some(service) = unit.strip_suffix(".timer") {
        return Some(Kind::Timer {
            service: format!("{service}.service"),
        });
    }
    Some(Kind::Unit(Box::new(UnitEvent {
        unit: unit.to_string(),
        desc: desc.map(str::to_string),
        msg: msg(),
    })))
}

/// Parse a message logged by `systemd` (pid 1 or a user instance).
pub fn parse(msg: &str) -> Option<Kind> {
    let msg = msg.trim_end();
    if let Some(r) = msg.strip_prefix("Starting ") {
        let r = r.strip_suffix("...").or_else(|| r.strip_suffix('…'))?;
        let (u, d) = unit_and_desc(r);
        return unit_event(u, d, || UnitMsg::Starting);
    }
    if let Some(r) = msg.strip_prefix("Started ") {
        let (u, d) = unit_and_desc(r.strip_suffix('.').unwrap_or(r));
        return unit_event(u, d, || UnitMsg::Started);
    }
    if let Some(r) = msg.strip_prefix("Finished ") {
        let (u, d) = unit_and_desc(r.strip_suffix('.').unwrap_or(r));
        return unit_event(u, d, || UnitMsg::Finished);
    }
    if let Some(r) = msg.strip_prefix("Failed to start ") {
        let (u, d) = unit_and_desc(r.strip_suffix('.').unwrap_or(r));
        return unit_event(u, d, || {
            UnitMsg::End(Outcome::Failed("failed to start".into()))
        });
    }
    // Very old systemd: `Unit backup.service entered failed state.`
    if let Some(r) = msg.strip_prefix("Unit ") {
        if let Some(u) = r.strip_suffix(" entered failed state.") {
            if is_unit(u) {
                return unit_event(u, None, || {
                    UnitMsg::End(Outcome::Failed("entered failed state".into()))
                });
            }
        }
    }
    // `U: …`
    let colon = super::cron::find_short(msg, b": ")?;
    let (unit, rest) = (&msg[..colon], &msg[colon + 2..]);
    if !is_unit(unit) {
        // Old: `backup.service failed.`
        if let Some(u) = msg.strip_suffix(" failed.") {
            if is_unit(u) {
                return unit_event(u, None, || UnitMsg::End(Outcome::Failed("failed".into())));
            }
        }
        return None;
    }
    unit_event(unit, None, || {
        if rest.starts_with("Deactivated successfully") || rest.starts_with("Succeeded") {
            UnitMsg::End(Outcome::Ok)
        } else if let Some(r) = rest.strip_prefix("Main process exited, ") {
            UnitMsg::MainExited(parse_exit(r))
        } else if let Some(r) = rest.strip_prefix("Control process exited, ") {
            UnitMsg::MainExited(parse_exit(r))
        } else if let Some(r) = rest.strip_prefix("Failed with result '") {
            let why = r.split('\'').next().unwrap_or("failed");
            UnitMsg::End(Outcome::Failed(why.to_string()))
        } else if rest.starts_with("start operation timed out") {
            UnitMsg::MainExited(Outcome::Failed("start operation timed out".into()))
        } else if rest.starts_with("Unit entered failed state") {
            UnitMsg::End(Outcome::Failed("entered failed state".into()))
        } else {
            // `Consumed …`, `Killing process`, and daemon chatter
            // (`Scheduled restart job`, `Found left-over process`…).
            UnitMsg::Note
        }
    })
}

/// `code=exited, status=1/FAILURE` / `code=killed, status=9/KILL` /
/// `code=dumped, status=11/SEGV`.
fn parse_exit(r: &str) -> Outcome {
    let code = r
        .split("code=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or("");
    let status = r
        .split("status=")
        .nth(1)
        .unwrap_or("")
        .trim_end_matches('.');
    let (num, name) = status.split_once('/').unwrap_or((status, ""));
    let num: i32 = num.trim().parse().unwrap_or(-1);
    match code {
        "exited" => Outcome::Exit(num),
        "killed" | "dumped" => Outcome::Signal(num, name.to_string()),
        other => Outcome::Failed(format!("code={other}, status={status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(u: &str, d: Option<&str>, msg: UnitMsg) -> Option<Kind> {
        Some(Kind::Unit(Box::new(UnitEvent {
            unit: u.into(),
            desc: d.map(Into::into),
            msg,
        })))
    }

    #[test]
    fn real_messages() {
        let cases: Vec<(&str, Option<Kind>)> = vec![
            (
                "Starting backup.service - Nightly backup...",
                unit("backup.service", Some("Nightly backup"), UnitMsg::Starting),
            ),
            (
                "Finished backup.service - Nightly backup.",
                unit("backup.service", Some("Nightly backup"), UnitMsg::Finished),
            ),
            (
                "backup.service: Deactivated successfully.",
                unit("backup.service", None, UnitMsg::End(Outcome::Ok)),
            ),
            (
                "backup.service: Succeeded.",
                unit("backup.service", None, UnitMsg::End(Outcome::Ok)),
            ),
            (
                "backup.service: Main process exited, code=exited, status=1/FAILURE",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::MainExited(Outcome::Exit(1)),
                ),
            ),
            (
                "backup.service: Main process exited, code=killed, status=9/KILL",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::MainExited(Outcome::Signal(9, "KILL".into())),
                ),
            ),
            (
                "backup.service: Failed with result 'exit-code'.",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::End(Outcome::Failed("exit-code".into())),
                ),
            ),
            (
                "backup.service: Failed with result 'oom-kill'.",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::End(Outcome::Failed("oom-kill".into())),
                ),
            ),
            (
                "Failed to start backup.service - Nightly backup.",
                unit(
                    "backup.service",
                    Some("Nightly backup"),
                    UnitMsg::End(Outcome::Failed("failed to start".into())),
                ),
            ),
            (
                "backup.service: start operation timed out. Terminating.",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::MainExited(Outcome::Failed("start operation timed out".into())),
                ),
            ),
            (
                "backup.service: Consumed 1.234s CPU time.",
                unit("backup.service", None, UnitMsg::Note),
            ),
            (
                "backup.service: Unit entered failed state.",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::End(Outcome::Failed("entered failed state".into())),
                ),
            ),
            (
                "Unit backup.service entered failed state.",
                unit(
                    "backup.service",
                    None,
                    UnitMsg::End(Outcome::Failed("entered failed state".into())),
                ),
            ),
            // older wording: description only
            (
                "Starting Daily apt upgrade and clean activities...",
                unit(
                    "",
                    Some("Daily apt upgrade and clean activities"),
                    UnitMsg::Starting,
                ),
            ),
            (
                "Started Daily apt upgrade and clean activities.",
                unit(
                    "",
                    Some("Daily apt upgrade and clean activities"),
                    UnitMsg::Started,
                ),
            ),
            // corpus/plaso/syslog_rsyslog_*: cron.service itself
            (
                "Started Regular background program processing daemon.",
                unit(
                    "",
                    Some("Regular background program processing daemon"),
                    UnitMsg::Started,
                ),
            ),
            (
                "Started backup.timer - Run backup daily.",
                Some(Kind::Timer {
                    service: "backup.service".into(),
                }),
            ),
            (
                "Reached target multi-user.target - Multi-User System.",
                None,
            ),
            // login sessions and user managers, both wordings: never jobs
            ("Started Session 123 of User deploy.", None),
            (
                "Started session-123.scope - Session 123 of User deploy.",
                None,
            ),
            ("session-123.scope: Deactivated successfully.", None),
            (
                "Starting user@1000.service - User Manager for UID 1000...",
                None,
            ),
        ];
        for (msg, want) in cases {
            assert_eq!(parse(msg), want, "{msg}");
        }
    }
}
