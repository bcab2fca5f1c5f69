//! One self-contained HTML page (inline CSS and SVG, nothing fetched):
//! summary counts per category, a timeline per job with each run a mark
//! coloured by category (hover for its reason), and the runs table with
//! evidence. All log text is escaped.

use super::Report;
use crate::classify::Category;
use chrono::{DateTime, Utc};

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

fn color(cat: &str) -> &'static str {
    match cat {
        "ok" => "#2e7d32",
        "execution-failed" => "#c62828",
        "delivery-failed" => "#ef6c00",
        "misrouted-target" => "#8e24aa",
        "billing-inactive" => "#00838f",
        "missed" => "#546e7a",
        _ => "#9e9e9e",
    }
}

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 12px} h2{font-size:16px;margin:24px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{padding:8px 12px;border-radius:6px;color:#fff;min-width:110px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
.cat{display:inline-block;padding:1px 6px;border-radius:4px;color:#fff;font-size:12px;white-space:nowrap}
.tl{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px}
.tl text{font-size:12px;fill:#333}
details pre{white-space:pre-wrap;word-break:break-all;margin:4px 0;font-size:12px;background:#f6f6f6;padding:6px}
code{font-size:12px}
.muted{color:#666}
";

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn timeline(r: &Report) -> String {
    let times: Vec<DateTime<Utc>> = r.runs.iter().filter_map(|x| parse(&x.started_at)).collect();
    let (Some(&lo), Some(&hi)) = (times.iter().min(), times.iter().max()) else {
        return "<p class=\"muted\">No runs.</p>".into();
    };
    let span = ((hi - lo).num_seconds().max(60)) as f64;
    let (label_w, width, row_h) = (160.0, 900.0, 22.0);
    let jobs: Vec<&str> = r.jobs.iter().map(|j| j.job.as_str()).collect();
    let height = row_h * jobs.len() as f64 + 30.0;
    let mut s = format!(
        "<svg class=\"tl-svg\" viewBox=\"0 0 {w} {height}\" width=\"100%\" role=\"img\" aria-label=\"timeline of runs per job\">",
        w = label_w + width + 20.0
    );
    for (row, job) in jobs.iter().enumerate() {
        let y = row as f64 * row_h + 15.0;
        s.push_str(&format!(
            "<text x=\"4\" y=\"{:.1}\">{}</text><line x1=\"{label_w}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/>",
            y + 4.0,
            esc(job),
            label_w + width,
            y,
            y
        ));
        for x in r.runs.iter().filter(|x| x.job == *job) {
            let Some(t) = parse(&x.started_at) else {
                continue;
            };
            let px = label_w + (t - lo).num_seconds() as f64 / span * width;
            s.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"14\" rx=\"2\" fill=\"{}\"><title>{} — {}: {}</title></rect>",
                px - 3.0,
                y - 7.0,
                color(&x.category),
                esc(&x.id),
                esc(&x.category),
                esc(&x.reason)
            ));
        }
    }
    let axis_y = height - 8.0;
    s.push_str(&format!(
        "<text x=\"{label_w}\" y=\"{axis_y}\">{}</text><text x=\"{:.1}\" y=\"{axis_y}\" text-anchor=\"end\">{}</text></svg>",
        esc(&crate::time::rfc3339(lo)),
        label_w + width,
        esc(&crate::time::rfc3339(hi))
    ));
    s
}

pub fn render(r: &Report) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    h.push_str(&format!(
        "<title>crontriage: {}</title><style>{CSS}</style></head><body>\n",
        esc(&super::table::summary_line(r, false))
    ));
    h.push_str(&format!(
        "<h1>crontriage: {}</h1>\n<div class=\"cards\">",
        esc(&super::table::summary_line(r, false))
    ));
    for c in Category::ALL {
        h.push_str(&format!(
            "<div class=\"card\" style=\"background:{}\"><b>{}</b>{}</div>",
            color(c.as_str()),
            r.summary.by_category.get(c),
            c.as_str()
        ));
    }
    h.push_str("</div>\n<h2>Timeline</h2>\n<div class=\"tl\">");
    h.push_str(&timeline(r));
    h.push_str("</div>\n<h2>Jobs</h2>\n<table><tr><th>job</th><th>runs</th><th>ok</th><th>not ok</th><th>failing streak</th><th>last ok run</th></tr>");
    for j in &r.jobs {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&j.job),
            j.runs,
            j.by_category.ok,
            j.runs - j.by_category.ok,
            j.failing_streak,
            esc(j.last_ok.as_deref().unwrap_or("never"))
        ));
    }
    h.push_str("</table>\n<h2>Runs</h2>\n<table><tr><th>started (UTC)</th><th>job</th><th>host</th><th>category</th><th>execution</th><th>delivery</th><th>reason and evidence</th></tr>\n");
    for x in &r.runs {
        let mut ev = String::new();
        for e in &x.evidence {
            ev.push_str(&format!("{}:{}: {}\n", esc(&e.path), e.line, esc(&e.text)));
        }
        h.push_str(&format!(
            "<tr id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td><span class=\"cat\" style=\"background:{}\">{}</span></td><td>{}</td><td>{}</td><td>{}<details><summary>{} evidence line(s) · <code>{}</code></summary><pre>{}</pre></details></td></tr>\n",
            esc(&x.id),
            esc(&x.started_at),
            esc(&x.job),
            esc(x.host.as_deref().unwrap_or("-")),
            color(&x.category),
            esc(&x.category),
            esc(&x.execution.status),
            esc(&x.delivery.status),
            esc(&x.reason),
            x.evidence.len(),
            esc(&x.id),
            ev
        ));
    }
    h.push_str("</table>\n<h2>Inputs</h2>\n<table><tr><th>path</th><th>kind</th><th>lines</th><th>recognized</th><th>ignored</th><th>malformed</th></tr>");
    for i in &r.inputs {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&i.path),
            esc(&i.kind),
            i.lines,
            i.recognized,
            i.ignored,
            i.malformed
        ));
    }
    h.push_str("</table>\n");
    if !r.diagnostics.malformed.is_empty() {
        h.push_str("<p class=\"muted\">Malformed lines:</p><pre>");
        for m in &r.diagnostics.malformed {
            h.push_str(&esc(m));
            h.push('\n');
        }
        h.push_str("</pre>");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}
