//! `journalctl -o json` export: one JSON object a line.
//!
//! The journal gives fields instead of a header: `__REALTIME_TIMESTAMP` (µs
//! since the epoch, as a string), `_HOSTNAME`, `SYSLOG_IDENTIFIER`, `_PID`,
//! `MESSAGE` (a string, or an array of bytes when it is not valid UTF-8),
//! `_SYSTEMD_UNIT` (the unit whose process logged) and `UNIT` (the unit
//! systemd's own message is about). systemd's messages and cron's go through
//! the same parsers as syslog lines; other entries of a `.service` are that
//! unit's output (job-log evidence).

use crate::event::Kind;
use crate::formats::joblog::Facts;
use crate::formats::{Parsed, Verdict, scheduler_message};
use crate::time::{Stamp, from_epoch_any, from_epoch_int};
use serde_json::{Map, Value};

fn field<'a>(obj: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    obj.get(k).and_then(Value::as_str)
}

/// `MESSAGE` as text: a string, or a byte array read lossily.
fn message(obj: &Map<String, Value>) -> Option<String> {
    match obj.get("MESSAGE")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(bytes) => {
            let v: Vec<u8> = bytes
                .iter()
                .filter_map(|b| b.as_u64().map(|b| b as u8))
                .collect();
            Some(String::from_utf8_lossy(&v).into_owned())
        }
        _ => None,
    }
}

/// Units that are infrastructure, never a job's own output.
fn is_job_output_unit(unit: &str) -> bool {
    unit.ends_with(".service")
        && !matches!(
            unit,
            "cron.service" | "crond.service" | "cronie.service" | "anacron.service" | "init.scope"
        )
}

pub fn parse(line: &str, facts: &Facts) -> Verdict {
    let obj = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(o)) => o,
        _ => return Verdict::Malformed("invalid JSON"),
    };
    let Some(ts) = obj.get("__REALTIME_TIMESTAMP") else {
        return Verdict::Malformed("JSON line without __REALTIME_TIMESTAMP");
    };
    let time = match ts {
        Value::String(s) => s.trim().parse::<i64>().ok().and_then(from_epoch_int),
        Value::Number(n) => n
            .as_i64()
            .and_then(from_epoch_int)
            .or_else(|| n.as_f64().and_then(from_epoch_any)),
        _ => None,
    };
    let Some(time) = time else {
        return Verdict::Malformed("__REALTIME_TIMESTAMP is not a time");
    };
    let Some(msg) = message(&obj) else {
        return Verdict::Noise;
    };
    let host: Option<crate::event::Name> = field(&obj, "_HOSTNAME").map(crate::event::intern);
    let ident = field(&obj, "SYSLOG_IDENTIFIER")
        .or_else(|| field(&obj, "_COMM"))
        .unwrap_or("");
    let pid = field(&obj, "_PID")
        .or_else(|| field(&obj, "SYSLOG_PID"))
        .and_then(|p| p.parse().ok());
    let text = format!(
        "{} {}{}: {}",
        host.as_deref().unwrap_or("-"),
        ident,
        pid.map(|p| format!("[{p}]")).unwrap_or_default(),
        msg
    );
    let stamp = Stamp::Exact(time);
    if let Some(mut kind) = scheduler_message(ident, pid, &msg) {
        // Old systemd names only the description in its lines; the journal
        // adds the unit in `UNIT`.
        if let Kind::Unit(ev) = &mut kind {
            if ev.unit.is_empty() {
                if let Some(u) = field(&obj, "UNIT").or_else(|| field(&obj, "USER_UNIT")) {
                    ev.unit = u.to_string();
                }
            }
        }
        return Verdict::Event(Box::new(Parsed {
            stamp,
            host,
            kind,
            text,
        }));
    }
    if let Some(unit) = field(&obj, "_SYSTEMD_UNIT").filter(|u| is_job_output_unit(u)) {
        if let Some(fact) = facts.scan(&msg, None) {
            let kind = Kind::UnitOutput {
                unit: unit.to_string(),
                fact,
            };
            return Verdict::Event(Box::new(Parsed {
                stamp,
                host,
                kind,
                text,
            }));
        }
    }
    Verdict::Noise
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{JobFact, Outcome, Scheduler, UnitEvent, UnitMsg};

    #[test]
    fn journal_entries() {
        let f = Facts::new(None, &[]).unwrap();
        let line = r#"{"__REALTIME_TIMESTAMP":"1764734401003000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"CRON","_PID":"12345","MESSAGE":"(root) CMD (/usr/local/bin/backup.sh)","_SYSTEMD_UNIT":"cron.service"}"#;
        let Verdict::Event(p) = parse(line, &f) else {
            panic!()
        };
        assert_eq!(p.host.as_deref(), Some("web-01"));
        assert!(matches!(
            p.kind,
            Kind::CronCmd {
                sched: Scheduler::Cron,
                pid: 12345,
                ..
            }
        ));
        // MESSAGE as a byte array
        let bytes: Vec<String> = "backup.service: Failed with result 'exit-code'."
            .bytes()
            .map(|b| b.to_string())
            .collect();
        let line = format!(
            r#"{{"__REALTIME_TIMESTAMP":"1764734405000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"systemd","_PID":"1","MESSAGE":[{}]}}"#,
            bytes.join(",")
        );
        let Verdict::Event(p) = parse(&line, &f) else {
            panic!()
        };
        assert_eq!(
            p.kind,
            Kind::Unit(Box::new(UnitEvent {
                unit: "backup.service".into(),
                desc: None,
                msg: UnitMsg::End(Outcome::Failed("exit-code".into()))
            }))
        );
        // old systemd: description only, UNIT names it
        let line = r#"{"__REALTIME_TIMESTAMP":"1764734400000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"systemd","_PID":"1","UNIT":"backup.service","MESSAGE":"Starting Nightly backup..."}"#;
        let Verdict::Event(p) = parse(line, &f) else {
            panic!()
        };
        assert!(
            matches!(p.kind, Kind::Unit(ref u) if u.unit == "backup.service" && u.msg == UnitMsg::Starting)
        );
        // a unit's own output with a fact
        let line = r#"{"__REALTIME_TIMESTAMP":"1764734404000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"backup.sh","_PID":"777","_SYSTEMD_UNIT":"backup.service","MESSAGE":"pg_dump: error: connection refused; exit code 2"}"#;
        let Verdict::Event(p) = parse(line, &f) else {
            panic!()
        };
        assert_eq!(
            p.kind,
            Kind::UnitOutput {
                unit: "backup.service".into(),
                fact: JobFact::Exit(2)
            }
        );
        assert!(matches!(
            parse("{\"MESSAGE\":\"x\"}", &f),
            Verdict::Malformed(_)
        ));
        assert!(matches!(parse("{oops", &f), Verdict::Malformed(_)));
    }
}
