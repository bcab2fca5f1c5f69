//! `crontriage explain RUN_ID`: one run's two layers, its reason, and every
//! evidence line as `path:line: text`.

use super::{Report, RunReport};
use chrono::{DateTime, Utc};

/// `2026-12-03T01:30:01Z` → ` (02:30:01 Europe/Berlin)`: the wall-clock
/// time the host's own logs show, next to the UTC of the id. Nothing for
/// UTC or an unknown zone.
fn local(rfc3339: &str, zone: &str) -> String {
    let (Ok(t), Ok(tz)) = (
        DateTime::parse_from_rfc3339(rfc3339),
        zone.parse::<chrono_tz::Tz>(),
    ) else {
        return String::new();
    };
    if tz == chrono_tz::UTC {
        return String::new();
    }
    format!(
        " ({} {zone})",
        t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S")
    )
}

/// One run, for a person: what ran, its verdict, then the evidence.
pub fn render(x: &RunReport, color: bool) -> String {
    render_in(x, "UTC", color)
}

/// [`render`], with start and end also shown in `zone` (the report's zone
/// for stamps without one, which is what the logs' own stamps mostly are).
pub fn render_in(x: &RunReport, zone: &str, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let paint = |s: &str| super::table::paint(s, &x.category, color);
    let mut out = String::new();
    out.push_str(&format!("{} {}\n", bold("Run"), x.id));
    out.push_str(&format!(
        "  job        {} ({}{}{})\n",
        x.job,
        x.scheduler,
        x.host
            .as_deref()
            .map(|h| format!(", host {h}"))
            .unwrap_or_default(),
        x.user
            .as_deref()
            .map(|u| format!(", user {u}"))
            .unwrap_or_default()
    ));
    if let Some(c) = &x.command {
        out.push_str(&format!("  command    {c}\n"));
    }
    out.push_str(&format!(
        "  started    {}{}\n",
        x.started_at,
        local(&x.started_at, zone)
    ));
    match (&x.ended_at, x.duration_s) {
        (Some(e), Some(d)) => out.push_str(&format!(
            "  ended      {e}{}, after {d} s\n",
            local(e, zone)
        )),
        _ if x.category == "missed" => {
            out.push_str("  ended      - (it did not start: `started` is the scheduled time)\n")
        }
        _ => out.push_str("  ended      (no end seen)\n"),
    }
    let also: Vec<&str> = x.categories.iter().skip(1).map(String::as_str).collect();
    out.push_str(&format!(
        "  category   {}{}\n",
        paint(&x.category),
        if also.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", also.join(", "))
        }
    ));
    out.push_str(&format!("  reason     {}\n\n", x.reason));
    out.push_str(&format!(
        "{}  {}{} — {}\n",
        bold("Execution:"),
        x.execution.status,
        x.execution
            .exit_code
            .map(|c| format!(" (exit {c})"))
            .unwrap_or_default(),
        x.execution.reason
    ));
    let d = &x.delivery;
    out.push_str(&format!(
        "{}   {} — {}\n",
        bold("Delivery:"),
        d.status,
        d.reason
    ));
    out.push_str(&format!(
        "            attempts {}, target {}, expected {}{}\n",
        d.attempts,
        d.target.as_deref().unwrap_or("-"),
        d.expected_target.as_deref().unwrap_or("(any)"),
        d.error
            .as_deref()
            .map(|e| format!(", error {e}"))
            .unwrap_or_default()
    ));
    match &x.billing {
        Some(b) => out.push_str(&format!(
            "{}    {} layer: {}\n",
            bold("Billing:"),
            b.layer,
            b.reason
        )),
        None => out.push_str(&format!(
            "{}    no sign of inactive billing\n",
            bold("Billing:")
        )),
    }
    out.push_str(&format!("\n{} ({})\n", bold("Evidence"), x.evidence.len()));
    for e in &x.evidence {
        out.push_str(&format!("  {}:{}: {}\n", e.path, e.line, e.text));
    }
    out
}

/// Most runs listed in a "did you mean" message; the latest are kept.
const MAX_LISTED: usize = 12;

/// `  id  category` lines for runs (oldest first), the latest
/// [`MAX_LISTED`] of them, with a note of how many earlier ones were left out.
fn list(runs: &[&RunReport]) -> String {
    let w = runs.iter().map(|x| x.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    let skip = runs.len().saturating_sub(MAX_LISTED);
    if skip > 0 {
        out.push_str(&format!("  … {skip} earlier run(s) not shown\n"));
    }
    for x in &runs[skip..] {
        out.push_str(&format!("  {:<w$}  {}\n", x.id, x.category));
    }
    out.trim_end().to_string()
}

/// A point in time from the third part of an id: RFC 3339 (any offset), or
/// an ISO stamp without a zone, read as UTC like every id.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.split('#').next().unwrap_or(s);
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    match crate::time::parse_iso(s.as_bytes()) {
        Some((crate::time::Stamp::Exact(t), n)) if n == s.len() => Some(t),
        Some((crate::time::Stamp::Local(t), n)) if n == s.len() => Some(t.and_utc()),
        _ => None,
    }
}

/// The time of an id written to the whole second (no fraction).
fn whole_second(s: &str) -> Option<DateTime<Utc>> {
    let t = parse_time(s)?;
    let clock = s.split_once('T').or_else(|| s.split_once(' '))?.1;
    (!clock.contains(['.', ','])).then_some(t)
}

fn same_second(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    a.timestamp() == b.timestamp()
}

fn started(x: &RunReport) -> Option<DateTime<Utc>> {
    x.started.or_else(|| parse_time(&x.started_at))
}

/// `1h 2m` — how far apart two runs are, for "nearest run" hints.
fn apart(a: DateTime<Utc>, b: DateTime<Utc>) -> String {
    let secs = (a - b).num_seconds().unsigned_abs();
    let d = std::time::Duration::from_secs(secs);
    let when = if a > b { "later" } else { "earlier" };
    if a == b {
        "the same time".into()
    } else if secs == 0 {
        "less than a second apart".into()
    } else {
        format!("{} {when}", humantime::format_duration(d))
    }
}

/// The run `id` names; else an error saying what was meant:
///
/// * an exact id, or the same job, host and instant written another way
///   (`+01:00` instead of `Z`);
/// * a job name, or the start of an id (`backup@web-01`,
///   `backup@web-01@2026-12-02`): the one run it matches, or the list;
/// * a mistyped job or host: the closest one and its runs;
/// * a right job and host at a wrong time: the nearest run.
pub fn find<'a>(r: &'a Report, id: &str) -> Result<&'a RunReport, String> {
    // Notes are joined by `; `: after a question, a space alone.
    find_in(r, id).map_err(|e| e.replace("?; ", "? "))
}

fn find_in<'a>(r: &'a Report, id: &str) -> Result<&'a RunReport, String> {
    // Exactly as given first: a job name may itself start or end with a
    // space (a command's odd spacing), and the id with it.
    if let Some(x) = r.runs.iter().find(|x| x.id == id) {
        return Ok(x);
    }
    let id = id.trim();
    if let Some(x) = r.runs.iter().find(|x| x.id == id) {
        return Ok(x);
    }
    let parts: Vec<&str> = id.splitn(3, '@').collect();
    let (job, host, time) = (
        parts[0],
        parts.get(1).copied(),
        parts.get(2).copied().filter(|t| !t.is_empty()),
    );
    let of_job = |j: &str| -> Vec<&'a RunReport> { r.runs.iter().filter(|x| x.job == j).collect() };
    let on_host = |runs: &[&'a RunReport], h: &str| -> Vec<&'a RunReport> {
        runs.iter()
            .copied()
            .filter(|x| x.host.as_deref().unwrap_or("-") == h)
            .collect()
    };
    // The same instant written differently.
    if let (Some(h), Some(t)) = (host, time.and_then(parse_time)) {
        let same: Vec<&RunReport> = on_host(&of_job(job), h)
            .into_iter()
            .filter(|x| started(x) == Some(t))
            .collect();
        if same.len() == 1 {
            return Ok(same[0]);
        }
    }
    // A time given to the second, as a syslog line shows it, names the one
    // run that started within that second (ids carry the fraction).
    if let (Some(h), Some(t)) = (host, time.and_then(whole_second)) {
        let within: Vec<&RunReport> = on_host(&of_job(job), h)
            .into_iter()
            .filter(|x| started(x).is_some_and(|s| same_second(s, t)))
            .collect();
        if within.len() == 1 {
            return Ok(within[0]);
        }
    }
    // A job name, or the start of an id.
    let matching: Vec<&RunReport> = if host.is_none() {
        of_job(job)
    } else {
        r.runs.iter().filter(|x| x.id.starts_with(id)).collect()
    };
    match matching.len() {
        1 => return Ok(matching[0]),
        0 => {}
        n => {
            let what = if host.is_none() {
                format!("`{id}` is a job with {n} runs")
            } else {
                format!("`{id}` is the start of {n} run ids")
            };
            return Err(format!("{what}; give one of them:\n{}", list(&matching)));
        }
    }
    // Nothing matches: find what was meant, part by part.
    let mut jobs: Vec<&str> = r.runs.iter().map(|x| x.job.as_str()).collect();
    jobs.sort_unstable();
    jobs.dedup();
    let head = format!(
        "no run with id `{id}` in these inputs ({} runs)",
        r.runs.len()
    );
    let job_ok = jobs.contains(&job);
    let Some(meant_job) = (if job_ok {
        Some(job)
    } else {
        crate::suggest::closest(job, jobs.iter().copied())
    }) else {
        return Err(format!(
            "{head}; no job `{job}` (jobs: {})",
            if jobs.is_empty() {
                "none".to_string()
            } else {
                jobs.join(", ")
            }
        ));
    };
    let runs = of_job(meant_job);
    let job_note = if job_ok {
        String::new()
    } else {
        format!("; did you mean job `{meant_job}`?")
    };
    let Some(host) = host else {
        return Err(format!("{head}{job_note} Its runs:\n{}", list(&runs)));
    };
    let mut hosts: Vec<&str> = runs
        .iter()
        .map(|x| x.host.as_deref().unwrap_or("-"))
        .collect();
    hosts.sort_unstable();
    hosts.dedup();
    let host_ok = hosts.contains(&host);
    // Among hosts as near by name, the one with a run at that very time.
    let at_time = |h: &str| {
        time.and_then(parse_time).is_some_and(|t| {
            on_host(&runs, h)
                .iter()
                .any(|x| started(x).is_some_and(|s| same_second(s, t)))
        })
    };
    let meant_host = if host_ok {
        Some(host)
    } else {
        let by_name = crate::suggest::closest(host, hosts.iter().copied());
        by_name.map(|best| {
            let d = crate::suggest::distance(host, best);
            hosts
                .iter()
                .copied()
                .find(|h| crate::suggest::distance(host, h) == d && at_time(h))
                .unwrap_or(best)
        })
    };
    let host_note = match meant_host {
        Some(h) if !host_ok => format!("; did you mean host `{h}`?"),
        Some(_) => String::new(),
        None => format!(
            "; `{meant_job}` ran on {}, not on `{host}`",
            hosts
                .iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // The run nearest in time among the meant job (and host, when known).
    let pool: Vec<&RunReport> = match meant_host {
        Some(h) => on_host(&runs, h),
        None => runs.clone(),
    };
    let want = time.and_then(parse_time);
    let nearest = want.and_then(|t| {
        pool.iter()
            .copied()
            .filter_map(|x| started(x).map(|s| (s, x)))
            .min_by_key(|(s, _)| (*s - t).num_milliseconds().unsigned_abs())
            .map(|(s, x)| (x, s, t))
    });
    match nearest {
        Some((x, s, t)) => Err(format!(
            "{head}{job_note}{host_note}; the nearest run is `{}` ({}, {})",
            x.id,
            apart(s, t),
            x.category
        )),
        None => {
            // A time that does not parse (or none): the closest id as text.
            let near = crate::suggest::closest(id, pool.iter().map(|x| x.id.as_str()));
            match near {
                Some(n) => Err(format!("{head}{job_note}{host_note}; did you mean `{n}`?")),
                None => Err(format!(
                    "{head}{job_note}{host_note}; the runs of `{meant_job}`{}:\n{}",
                    meant_host.map(|h| format!(" on {h}")).unwrap_or_default(),
                    list(&pool)
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{DeliveryReport, ExecutionReport, Summary};

    fn run(job: &str, host: &str, at: &str, cat: &str) -> RunReport {
        RunReport {
            id: format!("{job}@{host}@{at}"),
            job: job.into(),
            host: Some(host.into()),
            user: None,
            command: None,
            scheduler: "cron".into(),
            started_at: at.into(),
            ended_at: None,
            duration_s: None,
            category: cat.into(),
            categories: vec![cat.into()],
            execution: ExecutionReport {
                status: "ok".into(),
                exit_code: None,
                reason: String::new(),
            },
            delivery: DeliveryReport {
                status: "not-required".into(),
                attempts: 0,
                target: None,
                expected_target: None,
                error: None,
                reason: String::new(),
            },
            billing: None,
            reason: String::new(),
            evidence: Vec::new(),
            started: None,
        }
    }

    fn report() -> Report {
        let runs = vec![
            run("backup", "web-01", "2026-12-01T03:00:01Z", "ok"),
            run("backup", "web-02", "2026-12-01T03:00:02Z", "ok"),
            run("backup", "web-01", "2026-12-02T03:00:01Z", "missed"),
            run(
                "backup",
                "web-02",
                "2026-12-02T03:00:02Z",
                "execution-failed",
            ),
            run("certbot", "db-01", "2026-12-02T11:41:07Z", "ok"),
        ];
        Report {
            schema_version: 1,
            inputs: Vec::new(),
            summary: Summary::default(),
            runs,
            jobs: Vec::new(),
            diagnostics: Default::default(),
            config_path: None,
            zone: "UTC".into(),
        }
    }

    #[test]
    fn exact_and_equivalent_ids() {
        let r = report();
        let x = find(&r, "backup@web-02@2026-12-02T03:00:02Z").unwrap();
        assert_eq!(x.category, "execution-failed");
        let x = find(&r, "backup@web-02@2026-12-02T04:00:02+01:00").unwrap();
        assert_eq!(x.id, "backup@web-02@2026-12-02T03:00:02Z");
        assert_eq!(find(&r, "certbot").unwrap().job, "certbot");
        assert_eq!(
            find(&r, "backup@web-01@2026-12-02").unwrap().category,
            "missed"
        );
    }

    #[test]
    fn a_time_to_the_second_names_the_run_started_in_it() {
        let mut r = report();
        r.runs
            .push(run("sync", "web-02", "2026-12-03T00:15:01.0055Z", "ok"));
        let x = find(&r, "sync@web-02@2026-12-03T00:15:01Z").unwrap();
        assert_eq!(x.id, "sync@web-02@2026-12-03T00:15:01.0055Z");
        let x = find(&r, "sync@web-02@2026-12-03T01:15:01+01:00").unwrap();
        assert_eq!(x.id, "sync@web-02@2026-12-03T00:15:01.0055Z");
        // A fraction given is an exact time, and this one is not a run's.
        let e = find(&r, "sync@web-02@2026-12-03T00:15:01.5Z").unwrap_err();
        assert!(e.contains("less than a second apart"), "{e}");
    }

    #[test]
    fn prefixes_and_jobs_list_their_runs() {
        let r = report();
        let e = find(&r, "backup@web-01").unwrap_err();
        assert!(e.contains("start of 2 run ids"), "{e}");
        assert!(e.contains("backup@web-01@2026-12-01T03:00:01Z  ok"), "{e}");
        assert!(!e.contains("web-02"), "{e}");
        let e = find(&r, "backup").unwrap_err();
        assert!(e.contains("job with 4 runs"), "{e}");
    }

    #[test]
    fn typos_suggest_what_was_meant() {
        let r = report();
        let e = find(&r, "bakup").unwrap_err();
        assert!(e.contains("did you mean job `backup`"), "{e}");
        assert!(e.contains("backup@web-02@2026-12-02T03:00:02Z"), "{e}");
        let e = find(&r, "bakup@web-02@2026-12-02T03:00:02Z").unwrap_err();
        assert!(
            e.contains("did you mean job `backup`")
                && e.contains("nearest run is `backup@web-02@2026-12-02T03:00:02Z`"),
            "{e}"
        );
        let e = find(&r, "backup@web-02@2026-12-02T05:00:00Z").unwrap_err();
        assert!(
            e.contains("nearest run is `backup@web-02@2026-12-02T03:00:02Z` (1h 59m 58s earlier"),
            "{e}"
        );
        let e = find(&r, "backup@web-3@2026-12-01T03:00:00Z").unwrap_err();
        assert!(e.contains("did you mean host `web-01`"), "{e}");
        // Two hosts as near by name: the one with a run at that time.
        let e = find(&r, "backup@web-3@2026-12-01T03:00:02Z").unwrap_err();
        assert!(
            e.contains("did you mean host `web-02`? the nearest run is `backup@web-02@2026-12-01T03:00:02Z` (the same time, ok)"),
            "{e}"
        );
        let e = find(&r, "nightly@web-01@2026-12-01T03:00:00Z").unwrap_err();
        assert!(
            e.contains("no job `nightly` (jobs: backup, certbot)"),
            "{e}"
        );
    }
}
