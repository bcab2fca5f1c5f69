//! One self-contained HTML page: inline CSS and SVG, no script, nothing
//! fetched (a Content-Security-Policy of `default-src 'none'` says so to the
//! browser too), so it can be mailed, attached to a ticket or opened from a
//! CI artifact offline.
//!
//! The page, top to bottom: counts per category; a timeline with one lane
//! per job and host (a job on two hosts gets two lanes, so an ok run on one
//! never hides a failure on the other) and one mark per run, coloured by
//! category, with its reason on hover and a link to its row; per-job
//! health; the runs that need attention; every run (a CSS-only switch hides
//! the ok ones); the inputs. All log text is escaped.

use super::table::{failures, short_time, streak_text};
use super::{Report, RunReport};
use crate::classify::Category;
use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use std::fmt::Write as _;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A category's colour (the same hue as the terminal's, deeper for contrast
/// with white text).
pub fn color(cat: &str) -> &'static str {
    match cat {
        "ok" => "#2e7d32",
        "execution-failed" => "#c62828",
        "delivery-failed" => "#e65100",
        "misrouted-target" => "#8e24aa",
        "billing-inactive" => "#00838f",
        "missed" => "#455a64",
        _ => "#9e9e9e",
    }
}

const CSS: &str = "
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1320px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 2px} h2{font-size:17px;margin:28px 0 10px}
.sub{color:#57606a;margin:0 0 14px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{padding:8px 14px;border-radius:8px;color:#fff;min-width:128px;text-decoration:none}
.card b{display:block;font-size:24px;line-height:1.2}
.card.zero{background:#d0d7de!important;color:#57606a}
.panel{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
.legend{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:0 0 8px;color:#57606a;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend i.hollow{background:#fff!important;border:2px dashed #455a64}
svg.tl{display:block;width:100%;height:auto}
svg.tl text{font-size:12px;fill:#1f2328}
svg.tl .host{fill:#57606a}
svg.tl .tick{fill:#57606a;font-size:11px}
svg.tl .day{font-weight:600}
svg.tl a:hover rect{stroke:#1f2328;stroke-width:2}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de;border-radius:8px}
th,td{border-bottom:1px solid #eaeef2;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.nowrap{white-space:nowrap}
.cat{display:inline-block;padding:1px 7px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap;margin:1px 2px 1px 0}
.also{opacity:.75}
tr.bad td:first-child{box-shadow:inset 4px 0 0 var(--c)}
tr.run td{border-bottom:0;padding-bottom:0}
tr.evrow td{padding-top:0}
tr:target td,tr:target + tr td{background:#fff8c5}
.streak{color:#c62828;font-weight:600}
.never{color:#c62828}
details summary{cursor:pointer;color:#57606a;font-size:12px}
details pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0;font:12px/1.4 ui-monospace,'DejaVu Sans Mono',monospace;background:#f6f8fa;border:1px solid #eaeef2;border-radius:6px;padding:6px 8px}
.ev{margin:4px 0 2px;font:12px/1.45 ui-monospace,'DejaVu Sans Mono',monospace;background:#f6f8fa;border:1px solid #eaeef2;border-radius:6px;padding:6px 8px}
.ev div{white-space:pre-wrap;overflow-wrap:anywhere;padding-left:2em;text-indent:-2em}
.ev .loc{color:#57606a}
code{font:12px ui-monospace,'DejaVu Sans Mono',monospace}
.muted{color:#57606a}
#only-bad{margin:0 6px 10px 0}
#only-bad:checked ~ table tr.ok{display:none}
";

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn started(x: &RunReport) -> Option<DateTime<Utc>> {
    x.started.or_else(|| parse(&x.started_at))
}

/// The anchor of a run's row: by position, since ids hold `#` and `@`.
fn anchor(i: usize) -> String {
    format!("run-{}", i + 1)
}

fn chip(cat: &str, also: bool) -> String {
    format!(
        "<span class=\"cat{}\" style=\"background:{}\">{}</span>",
        if also { " also" } else { "" },
        color(cat),
        esc(cat)
    )
}

/// A tick step giving at most ~14 ticks over `span` seconds.
fn tick_step(span: i64) -> i64 {
    const STEPS: [i64; 13] = [
        60,
        300,
        900,
        1800,
        3600,
        2 * 3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        7 * 86400,
        30 * 86400,
    ];
    const MONTH: i64 = 30 * 86400;
    STEPS
        .iter()
        .copied()
        .find(|s| span / s <= 14)
        // Months and years: whole months, as many as keep ~14 ticks.
        .unwrap_or_else(|| (span / 14).div_euclid(MONTH).saturating_add(1) * MONTH)
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn day_label(t: DateTime<Utc>) -> String {
    format!(
        "{} {} {} {}",
        WEEKDAYS[t.weekday().num_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month0() as usize],
        t.year()
    )
}

/// Pixels each ok mark needs to be told apart from the next.
const DENSE_PX: f64 = 6.0;
/// Width of the marks a dense lane's ok runs are binned into.
const BIN_PX: f64 = 4.0;
/// Above this many runs the table of all runs leaves out ok runs' evidence
/// (`explain` and the JSON have it): thousands of collapsed blocks made the
/// page megabytes of what nobody opens.
const EVIDENCE_OF_OK_UP_TO: usize = 500;

/// The timeline: one lane per job and host, a mark per run; days and hours
/// on the axis (UTC, like the ids).
fn timeline(r: &Report) -> String {
    let times: Vec<DateTime<Utc>> = r.runs.iter().filter_map(started).collect();
    let (Some(&first), Some(&last)) = (times.iter().min(), times.iter().max()) else {
        return "<p class=\"muted\">No runs.</p>".into();
    };
    let raw_span = (last - first).num_seconds().max(60);
    let pad = (raw_span / 50).max(60);
    let lo = first.timestamp() - pad;
    let hi = last.timestamp() + pad;
    let span = (hi - lo) as f64;
    let (label_w, plot_w, lane_h, top, bottom) = (200.0, 1060.0, 22.0, 26.0, 24.0);
    let x_of = |t: DateTime<Utc>| {
        label_w + (t.timestamp_millis() as f64 / 1000.0 - lo as f64) / span * plot_w
    };

    // Lanes: (job, host), in job order, hosts sorted.
    let mut lanes: Vec<(&str, &str)> = Vec::new();
    for j in &r.jobs {
        for h in &j.hosts {
            lanes.push((&j.job, h));
        }
    }
    for x in &r.runs {
        let key = (x.job.as_str(), x.host.as_deref().unwrap_or("-"));
        if !lanes.contains(&key) {
            lanes.push(key);
        }
    }
    let height = top + lane_h * lanes.len() as f64 + bottom;
    let width = label_w + plot_w + 10.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"tl\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"timeline: one mark per run, coloured by category\">"
    );
    // Zebra lanes, with a line between jobs.
    for (i, (job, host)) in lanes.iter().enumerate() {
        let y = top + i as f64 * lane_h;
        let first_of_job = i == 0 || lanes[i - 1].0 != *job;
        if i % 2 == 0 {
            let _ = write!(
                s,
                "<rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{lane_h}\" fill=\"#f6f8fa\"/>"
            );
        }
        if first_of_job && i > 0 {
            let _ = write!(
                s,
                "<line x1=\"0\" x2=\"{width}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d0d7de\"/>"
            );
        }
        let multi = lanes.iter().filter(|l| l.0 == *job).count() > 1;
        let label = if first_of_job {
            let mut t = format!("<tspan font-weight=\"600\">{}</tspan>", esc(job));
            if multi || *host != "-" {
                let _ = write!(t, " <tspan class=\"host\">{}</tspan>", esc(host));
            }
            t
        } else {
            format!("<tspan class=\"host\" dx=\"12\">{}</tspan>", esc(host))
        };
        let _ = write!(
            s,
            "<text x=\"6\" y=\"{:.1}\">{label}</text>",
            y + lane_h / 2.0 + 4.0
        );
    }
    // Axis: hour ticks below, day boundaries (labelled above) across.
    let step = tick_step(hi - lo);
    let axis_bottom = top + lane_h * lanes.len() as f64;
    let mut t = (lo + step - 1).div_euclid(step) * step;
    while t <= hi {
        let at = Utc.timestamp_opt(t, 0).single().expect("in range");
        let x = x_of(at);
        let midnight = at.hour() == 0 && at.minute() == 0;
        // A label cut by the plot's edge is worse than none.
        let inside = x > label_w + 16.0 && x < label_w + plot_w - 16.0;
        if (!midnight || step >= 86400) && inside {
            let _ = write!(
                s,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{axis_bottom}\" stroke=\"#d0d7de\" stroke-dasharray=\"2 3\"/>"
            );
            let label = if step >= 30 * 86400 {
                format!("{} {}", MONTHS[at.month0() as usize], at.year())
            } else if step >= 86400 {
                format!("{} {}", at.day(), MONTHS[at.month0() as usize])
            } else {
                at.format("%H:%M").to_string()
            };
            let _ = write!(
                s,
                "<text class=\"tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
                axis_bottom + 15.0
            );
        }
        t += step;
    }
    if step < 86400 {
        // Midnights in the window, and the first day's label at the left edge.
        let mut d = lo.div_euclid(86400) * 86400;
        let mut first_label = true;
        while d <= hi {
            let at = Utc.timestamp_opt(d, 0).single().expect("in range");
            if d >= lo {
                let x = x_of(at);
                let _ = write!(
                    s,
                    "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{axis_bottom}\" stroke=\"#57606a\"/><text class=\"tick day\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    top - 16.0,
                    x + 4.0,
                    top - 6.0,
                    day_label(at)
                );
            } else if first_label
                && x_of(Utc.timestamp_opt(d + 86400, 0).single().expect("in range")) - label_w
                    > 130.0
            {
                let _ = write!(
                    s,
                    "<text class=\"tick day\" x=\"{label_w}\" y=\"{:.1}\">{}</text>",
                    top - 6.0,
                    day_label(at)
                );
            }
            first_label = false;
            d += 86400;
        }
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">UTC</text>",
            label_w - 8.0,
            axis_bottom + 15.0
        );
    }
    let lane_of = |x: &RunReport| {
        lanes
            .iter()
            .position(|l| *l == (x.job.as_str(), x.host.as_deref().unwrap_or("-")))
            .unwrap_or(0)
    };
    // A lane with more ok runs than marks fit side by side (an hourly job
    // over a month) would be a solid bar no mark of which can be pointed
    // at: its ok runs are drawn as one mark per few pixels, saying how many
    // runs and which span it stands for.
    let mut ok_in_lane = vec![0usize; lanes.len()];
    for x in r.runs.iter().filter(|x| x.category == "ok") {
        ok_in_lane[lane_of(x)] += 1;
    }
    let dense: Vec<bool> = ok_in_lane
        .iter()
        .map(|n| *n as f64 > plot_w / DENSE_PX)
        .collect();
    // (lane, pixel bin) → (count, first run, last run).
    let mut bins: std::collections::BTreeMap<(usize, i64), (usize, usize, usize)> =
        Default::default();
    for (i, x) in r.runs.iter().enumerate() {
        let Some(at) = started(x) else { continue };
        let lane = lane_of(x);
        if x.category == "ok" && dense[lane] {
            let bin = ((x_of(at) - label_w) / BIN_PX).floor() as i64;
            let e = bins.entry((lane, bin)).or_insert((0, i, i));
            e.0 += 1;
            e.2 = i;
        }
    }
    for (&(lane, bin), &(n, a, b)) in &bins {
        let y = top + lane as f64 * lane_h;
        let (first, last) = (&r.runs[a], &r.runs[b]);
        let _ = write!(
            s,
            "<a href=\"#{}\"><rect class=\"mark bin\" data-runs=\"{n}\" data-category=\"ok\" x=\"{:.1}\" y=\"{:.1}\" width=\"{BIN_PX}\" height=\"12\" fill=\"{}\"><title>{n} ok run(s) of {}\n{} to {}</title></rect></a>",
            anchor(a),
            label_w + bin as f64 * BIN_PX,
            y + (lane_h - 12.0) / 2.0,
            color("ok"),
            esc(&first.job),
            esc(&short_time(&first.started_at)),
            esc(&short_time(&last.started_at)),
        );
    }
    // Marks: ok ones first, so a failure is never drawn under an ok run.
    let mut order: Vec<usize> = (0..r.runs.len()).collect();
    order.sort_by_key(|&i| r.runs[i].category != "ok");
    for i in order {
        let x = &r.runs[i];
        let Some(at) = started(x) else { continue };
        let lane = lane_of(x);
        if x.category == "ok" && dense[lane] {
            continue;
        }
        let y = top + lane as f64 * lane_h;
        let px = x_of(at);
        let ok = x.category == "ok";
        let (w, h) = if ok { (4.0, 12.0) } else { (8.0, 16.0) };
        let fill = color(&x.category);
        let shape = if x.category == "missed" {
            format!("fill=\"#fff\" stroke=\"{fill}\" stroke-width=\"2\" stroke-dasharray=\"3 2\"")
        } else if ok {
            format!("fill=\"{fill}\"")
        } else {
            format!("fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\"")
        };
        let _ = write!(
            s,
            "<a href=\"#{}\"><rect class=\"mark\" data-run=\"{}\" data-category=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w}\" height=\"{h}\" rx=\"2\" {shape}><title>{}\n{} · {}\n{}</title></rect></a>",
            anchor(i),
            esc(&x.id),
            esc(&x.category),
            px - w / 2.0,
            y + (lane_h - h) / 2.0,
            esc(&x.id),
            esc(&x.category),
            esc(&short_time(&x.started_at)),
            esc(&x.reason)
        );
    }
    s.push_str("</svg>");
    s
}

fn legend(r: &Report) -> String {
    let mut s = String::from("<div class=\"legend\">");
    for c in Category::ALL {
        let n = r.summary.by_category.get(c);
        let hollow = if c == Category::Missed {
            " class=\"hollow\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "<span><i{hollow} style=\"background:{}\"></i>{} ({n})</span>",
            color(c.as_str()),
            c.as_str()
        );
    }
    s.push_str("<span>· hover a mark for its reason, click it for its row</span></div>");
    s
}

/// A reason as HTML: its `quoted` parts (a schedule, a Slack error code)
/// as `<code>`, everything escaped; unbalanced backticks stay text.
fn prose(s: &str) -> String {
    let Some(parts) = super::quoted_parts(s) else {
        return esc(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    for (quoted, p) in parts {
        if quoted {
            let _ = write!(out, "<code>{}</code>", esc(p));
        } else {
            out.push_str(&esc(p));
        }
    }
    out
}

fn evidence(x: &RunReport) -> String {
    let mut ev = String::new();
    for e in &x.evidence {
        let _ = write!(
            ev,
            "<div><span class=\"loc\">{}:{}:</span> {}</div>",
            esc(&e.path),
            e.line,
            esc(&e.text)
        );
    }
    format!(
        "<details><summary>{} evidence line(s) · <code>crontriage explain '{}'</code></summary><div class=\"ev\">{}</div></details>",
        x.evidence.len(),
        esc(&x.id),
        ev
    )
}

/// Two rows a run: its fields and reason, then its evidence (collapsed)
/// across the width of the table, where long log lines have room.
fn run_rows(id: &str, x: &RunReport, with_evidence: bool, out: &mut String) {
    let ok = x.category == "ok";
    let class = if ok { "ok" } else { "bad" };
    let mut cats = chip(&x.category, false);
    for c in x.categories.iter().skip(1) {
        cats.push_str(&chip(c, true));
    }
    let exit = x
        .execution
        .exit_code
        .map(|c| format!(" (exit {c})"))
        .unwrap_or_default();
    let attempts = if x.delivery.attempts > 1 {
        format!(" ({} attempts)", x.delivery.attempts)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "<tr id=\"{id}\" class=\"{class} run\" style=\"--c:{}\"><td class=\"nowrap\" title=\"{}\">{}</td><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>{cats}</td><td class=\"nowrap\">{}{exit}</td><td class=\"nowrap\">{}{attempts}</td><td>{}</td></tr>\n<tr class=\"{class} evrow\" style=\"--c:{}\"><td></td><td colspan=\"6\">{}</td></tr>",
        color(&x.category),
        esc(&x.started_at),
        esc(&short_time(&x.started_at)),
        esc(&x.job),
        esc(x.host.as_deref().unwrap_or("-")),
        esc(&x.execution.status),
        esc(&x.delivery.status),
        prose(&x.reason),
        color(&x.category),
        if with_evidence {
            evidence(x)
        } else {
            format!(
                "<span class=\"muted\">{} evidence line(s) · <code>crontriage explain '{}'</code></span>",
                x.evidence.len(),
                esc(&x.id)
            )
        }
    );
}

const RUNS_HEAD: &str = "<tr><th>started (UTC)</th><th>job</th><th>host</th><th>category</th><th>execution</th><th>delivery</th><th>reason</th></tr>\n";

pub fn render(r: &Report) -> String {
    let summary = super::table::summary_line(r, false);
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    let _ = writeln!(
        h,
        "<title>crontriage: {}</title><style>{CSS}</style></head><body><main>",
        esc(&summary)
    );
    let bad: Vec<usize> = (0..r.runs.len())
        .filter(|&i| r.runs[i].category != "ok")
        .collect();
    let _ = writeln!(
        h,
        "<h1>crontriage: {} run(s), {} need attention</h1>",
        r.summary.runs,
        bad.len()
    );
    let times: Vec<&str> = r.runs.iter().map(|x| x.started_at.as_str()).collect();
    let period = match (times.first(), times.last()) {
        (Some(a), Some(b)) => format!(
            "Runs started {} to {} UTC · ",
            esc(&short_time(a)),
            esc(&short_time(b))
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<p class=\"sub\">{period}{} input file(s) · zone-less log times read in {}</p>",
        r.inputs.len(),
        esc(&r.zone)
    );
    h.push_str("<div class=\"cards\">");
    for c in Category::ALL {
        let n = r.summary.by_category.get(c);
        let _ = write!(
            h,
            "<div class=\"card{}\" style=\"background:{}\"><b>{n}</b>{}</div>",
            if n == 0 { " zero" } else { "" },
            color(c.as_str()),
            c.as_str()
        );
    }
    h.push_str("</div>\n<h2>Timeline</h2>\n<div class=\"panel\">");
    h.push_str(&legend(r));
    h.push_str(&timeline(r));
    h.push_str("</div>\n");

    h.push_str("<h2>Jobs</h2>\n<table><tr><th>job</th><th>hosts</th><th class=\"num\">runs</th><th class=\"num\">ok</th><th>not ok</th><th>failing streak</th><th>last ok run (UTC)</th><th>latest run</th></tr>\n");
    for j in &r.jobs {
        let not_ok: String = failures(&j.by_category)
            .iter()
            .map(|(n, c)| {
                format!(
                    "<span class=\"cat\" style=\"background:{}\">{n} {}</span>",
                    color(c.as_str()),
                    c.as_str()
                )
            })
            .collect();
        let streak = if j.failing_streak > 0 {
            format!("<span class=\"streak\">{}</span>", esc(&streak_text(j)))
        } else {
            "–".into()
        };
        let last_ok = match super::table::last_ok_text(j) {
            Some(t) => esc(&t),
            None => "<span class=\"never\">never</span>".into(),
        };
        let _ = writeln!(
            h,
            "<tr><td><b>{}</b></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{streak}</td><td class=\"nowrap\">{last_ok}</td><td>{}</td></tr>",
            esc(&j.job),
            esc(&j.hosts.join(", ")),
            j.runs,
            j.by_category.ok,
            if not_ok.is_empty() {
                "–".into()
            } else {
                not_ok
            },
            j.last
                .as_deref()
                .map(|c| chip(c, false))
                .unwrap_or_default()
        );
    }
    h.push_str("</table>\n");

    let _ = writeln!(h, "<h2>Runs needing attention ({})</h2>", bad.len());
    if bad.is_empty() {
        h.push_str("<p>None: every run is ok.</p>\n");
    } else {
        h.push_str("<table>");
        h.push_str(RUNS_HEAD);
        for &i in &bad {
            // The timeline links to the rows of the full table below.
            run_rows(
                &format!("{}-attention", anchor(i)),
                &r.runs[i],
                true,
                &mut h,
            );
        }
        h.push_str("</table>\n");
    }

    let _ = writeln!(h, "<h2>All runs ({})</h2>", r.runs.len());
    h.push_str("<input type=\"checkbox\" id=\"only-bad\"><label for=\"only-bad\">show only the runs needing attention</label>\n<table>");
    h.push_str(RUNS_HEAD);
    let all_evidence = r.runs.len() <= EVIDENCE_OF_OK_UP_TO;
    if !all_evidence {
        let _ = writeln!(
            h,
            "<p class=\"muted\">Over {EVIDENCE_OF_OK_UP_TO} runs: the evidence of ok runs is left out here; <code>crontriage explain RUN_ID</code> or <code>--format json</code> shows it.</p>"
        );
    }
    for (i, x) in r.runs.iter().enumerate() {
        run_rows(&anchor(i), x, all_evidence || x.category != "ok", &mut h);
    }
    h.push_str("</table>\n");

    h.push_str("<h2>Inputs</h2>\n<table><tr><th>path</th><th>kind</th><th class=\"num\">lines</th><th class=\"num\">recognized</th><th class=\"num\">ignored</th><th class=\"num\">malformed</th></tr>");
    for i in &r.inputs {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&i.path),
            esc(&i.kind),
            i.lines,
            i.recognized,
            i.ignored,
            i.malformed
        );
    }
    h.push_str("</table>\n");
    let d = &r.diagnostics;
    let mut notes: Vec<(String, &Vec<String>)> = Vec::new();
    if !d.malformed.is_empty() {
        notes.push(("Malformed lines (first of each input)".into(), &d.malformed));
    }
    if d.unmatched_slack > 0 {
        notes.push((
            format!("{} Slack record(s) matched no run", d.unmatched_slack),
            &d.unmatched_examples,
        ));
    }
    if !d.warnings.is_empty() {
        notes.push(("Warnings".into(), &d.warnings));
    }
    if !d.skipped.is_empty() {
        notes.push((
            format!("Files in folders not read as logs ({})", d.skipped.len()),
            &d.skipped,
        ));
    }
    for (title, lines) in notes {
        let _ = write!(h, "<details><summary>{}</summary><pre>", esc(&title));
        for l in lines {
            h.push_str(&esc(l));
            h.push('\n');
        }
        h.push_str("</pre></details>\n");
    }
    for (p, n) in &d.invalid_utf8 {
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}: {n} line(s) with invalid UTF-8, read lossily</p>",
            esc(p)
        );
    }
    h.push_str("</main></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_show_their_code_spans() {
        assert_eq!(
            prose("Slack answered `not_in_channel` <now>"),
            "Slack answered <code>not_in_channel</code> &lt;now&gt;"
        );
        assert_eq!(prose("a `<b>` c"), "a <code>&lt;b&gt;</code> c");
        assert_eq!(prose("odd ` one"), "odd ` one");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }

    #[test]
    fn tick_steps_keep_the_axis_readable() {
        assert_eq!(tick_step(3600), 300);
        assert_eq!(tick_step(3 * 86400), 6 * 3600);
        assert_eq!(tick_step(60 * 86400), 7 * 86400);
        // Years (a box that logged its boot in 2020): whole months.
        assert_eq!(tick_step(7 * 365 * 86400) % (30 * 86400), 0);
        for span in [60, 7200, 86400, 10 * 86400, 365 * 86400, 7 * 365 * 86400] {
            assert!(span / tick_step(span) <= 14, "{span}");
        }
    }

    #[test]
    fn day_labels() {
        let t = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
        assert_eq!(day_label(t), "Thu 3 Dec 2026");
    }
}
