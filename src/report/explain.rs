//! `crontriage explain RUN_ID`: one run's two layers, its reason, and every
//! evidence line as `path:line: text`.

use super::{Report, RunReport};
use crate::suggest;

pub fn render(x: &RunReport, color: bool) -> String {
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
    out.push_str(&format!("  started    {}\n", x.started_at));
    match (&x.ended_at, x.duration_s) {
        (Some(e), Some(d)) => out.push_str(&format!("  ended      {e} ({d} s)\n")),
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

/// The run with this id; else an error with the closest ids (or the runs of
/// a job, when a job name was given).
pub fn find<'a>(r: &'a Report, id: &str) -> Result<&'a RunReport, String> {
    if let Some(x) = r.runs.iter().find(|x| x.id == id) {
        return Ok(x);
    }
    let by_job: Vec<&RunReport> = r.runs.iter().filter(|x| x.job == id).collect();
    if by_job.len() == 1 {
        return Ok(by_job[0]);
    }
    if !by_job.is_empty() {
        let list: Vec<String> = by_job
            .iter()
            .rev()
            .take(10)
            .map(|x| format!("  {}  {}", x.id, x.category))
            .collect();
        return Err(format!(
            "`{id}` is a job with {} runs; give one run id:\n{}",
            by_job.len(),
            list.join("\n")
        ));
    }
    let hint = suggest::hint(id, r.runs.iter().map(|x| x.id.as_str()));
    let job = id.split('@').next().unwrap_or(id);
    let job_hint = if hint.is_empty() {
        let jobs: std::collections::BTreeSet<&str> =
            r.runs.iter().map(|x| x.job.as_str()).collect();
        suggest::closest(job, jobs.iter().copied())
            .map(|j| {
                format!("; did you mean job `{j}`? (its runs: crontriage report … | grep {j})")
            })
            .unwrap_or_default()
    } else {
        hint
    };
    Err(format!(
        "no run with id `{id}` in these inputs ({} runs){job_hint}",
        r.runs.len()
    ))
}
