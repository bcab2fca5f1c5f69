//! The default terminal output: a one-line summary, per-job health, the
//! runs that need attention with their reason and id (for `explain`), and
//! what was read.
//!
//! Plain aligned columns rather than a boxed table: the output is read in
//! 80–100 column terminals and in cron mails, so it must stay narrow, and
//! long text (a run's reason, a job's failures) goes last or on its own
//! line, where wrapping keeps its indent instead of breaking the columns.
//! Widths are measured on the text before colour codes are added, so
//! coloured and plain output line up the same.

use super::{ByCategory, JobHealth, Report, RunReport};
use crate::classify::Category;

const INDENT: &str = "  ";
const GAP: usize = 2;
/// Narrower than this, the last column is not wrapped by us (the terminal
/// does it): a 10-character column of wrapped words is worse than a long line.
const MIN_WRAP: usize = 24;

/// The SGR code for a category's colour (basic 16-colour palette, so it
/// follows the terminal's theme).
pub fn category_sgr(cat: &str) -> &'static str {
    match cat {
        "ok" => "32",
        "execution-failed" => "31",
        "delivery-failed" => "33",
        "misrouted-target" => "35",
        "billing-inactive" => "36",
        "missed" => "34",
        _ => "1",
    }
}

fn sgr(s: &str, code: &str, color: bool) -> String {
    if color && !s.is_empty() {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// `\x1b[…m` around `s` in the category's colour when colouring.
pub fn paint(s: &str, cat: &str, color: bool) -> String {
    sgr(s, category_sgr(cat), color)
}

/// A piece of a cell: its text and colour. `whole` pieces are never split
/// across lines (`3 execution-failed`); the others wrap at spaces.
#[derive(Debug, Clone)]
pub struct Span {
    pub text: String,
    pub sgr: Option<&'static str>,
    pub whole: bool,
}

impl Span {
    pub fn plain(s: impl Into<String>) -> Span {
        Span {
            text: s.into(),
            sgr: None,
            whole: false,
        }
    }

    pub fn styled(s: impl Into<String>, sgr: &'static str) -> Span {
        Span {
            text: s.into(),
            sgr: Some(sgr),
            whole: false,
        }
    }
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// Break spans into lines of at most `width` characters (a single word
/// longer than that gets a line of its own). Returns lines of spans.
fn wrap(spans: &[Span], width: Option<usize>) -> Vec<Vec<Span>> {
    let width = width.unwrap_or(usize::MAX);
    // Words, each with its style and whether a space may precede it.
    let mut words: Vec<Span> = Vec::new();
    for s in spans {
        if s.whole {
            words.push(s.clone());
        } else {
            for w in s.text.split(' ').filter(|w| !w.is_empty()) {
                words.push(Span {
                    text: w.to_string(),
                    sgr: s.sgr,
                    whole: true,
                });
            }
        }
    }
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    for w in words {
        let n = width_of(&w.text);
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            used = n;
            line.push(w);
        } else if used + 1 + n <= width {
            used += 1 + n;
            line.push(Span::plain(" "));
            line.push(w);
        } else {
            used = n;
            lines.push(vec![w]);
        }
    }
    lines
}

fn paint_spans(spans: &[Span], color: bool) -> String {
    spans
        .iter()
        .map(|s| match s.sgr {
            Some(code) => sgr(&s.text, code, color),
            None => s.text.clone(),
        })
        .collect()
}

/// Aligned columns under a header; the last column is free text, wrapped
/// with a hanging indent to `width` when the terminal width is known.
pub struct Grid {
    pub header: Vec<&'static str>,
    /// Right-align this column (numbers).
    pub right: Vec<bool>,
    pub rows: Vec<Vec<Vec<Span>>>,
}

impl Grid {
    pub fn new(header: Vec<&'static str>, right: Vec<bool>) -> Grid {
        Grid {
            header,
            right,
            rows: Vec::new(),
        }
    }

    pub fn render(&self, width: Option<usize>, color: bool) -> String {
        let ncol = self.header.len();
        let text_len = |cell: &[Span]| cell.iter().map(|s| width_of(&s.text)).sum::<usize>();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width_of(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(ncol - 1) {
                widths[i] = widths[i].max(text_len(cell));
            }
        }
        let lead: usize = INDENT.len() + widths[..ncol - 1].iter().map(|w| w + GAP).sum::<usize>();
        let last_width = width
            .and_then(|w| w.checked_sub(lead))
            .filter(|w| *w >= MIN_WRAP);
        let mut out = String::new();
        let line = |cells: Vec<(String, usize)>, last: &[Span], out: &mut String| {
            let mut s = String::from(INDENT);
            for (i, (text, len)) in cells.into_iter().enumerate() {
                let pad = " ".repeat(widths[i] - len);
                if self.right.get(i).copied().unwrap_or(false) {
                    s.push_str(&pad);
                    s.push_str(&text);
                } else {
                    s.push_str(&text);
                    s.push_str(&pad);
                }
                s.push_str(&" ".repeat(GAP));
            }
            let last_len = text_len(last);
            match (width, last_width) {
                // No room beside the columns on a narrow terminal: the text
                // goes under the row, indented, instead of past the edge.
                (Some(w), None) if last_len > 0 && lead + last_len > w => {
                    let under = INDENT.len() + 4;
                    s.truncate(s.trim_end().len());
                    for l in wrap(last, Some(w.saturating_sub(under).max(MIN_WRAP))) {
                        s.push('\n');
                        s.push_str(&" ".repeat(under));
                        s.push_str(&paint_spans(&l, color));
                    }
                }
                _ => {
                    for (k, l) in wrap(last, last_width).iter().enumerate() {
                        if k > 0 {
                            s.push('\n');
                            s.push_str(&" ".repeat(lead));
                        }
                        s.push_str(&paint_spans(l, color));
                    }
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        let head: Vec<(String, usize)> = self.header[..ncol - 1]
            .iter()
            .map(|h| (sgr(h, "1", color), width_of(h)))
            .collect();
        line(
            head,
            &[Span {
                text: self.header[ncol - 1].into(),
                sgr: Some("1"),
                whole: true,
            }],
            &mut out,
        );
        for row in &self.rows {
            let cells: Vec<(String, usize)> = row[..ncol - 1]
                .iter()
                .map(|c| (paint_spans(c, color), text_len(c)))
                .collect();
            line(cells, &row[ncol - 1], &mut out);
        }
        out
    }
}

/// Spans as a paragraph: wrapped to `width` with later lines indented by
/// `indent`, or one line when the width is unknown.
fn flow(spans: &[Span], width: Option<usize>, indent: usize, color: bool) -> String {
    let lines = wrap(spans, width.map(|w| w.saturating_sub(indent).max(MIN_WRAP)));
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&paint_spans(l, color));
        out.push('\n');
    }
    out
}

/// The one-line summary: `12 runs: 2 execution-failed, 1 missed, 9 ok`.
pub fn summary_line(r: &Report, color: bool) -> String {
    let mut parts = Vec::new();
    for c in Category::ALL {
        let n = r.summary.by_category.get(c);
        if n > 0 {
            parts.push(paint(&format!("{n} {}", c.as_str()), c.as_str(), color));
        }
    }
    if parts.is_empty() {
        return runs_word(r.summary.runs);
    }
    format!("{}: {}", runs_word(r.summary.runs), parts.join(", "))
}

/// `1 run`, `2 runs`.
pub fn runs_word(n: u64) -> String {
    format!("{n} run{}", if n == 1 { "" } else { "s" })
}

/// `1 execution-failed, 2 missed` — the non-ok counts, in category order.
pub fn failures(b: &ByCategory) -> Vec<(u64, Category)> {
    Category::ALL
        .iter()
        .filter(|c| **c != Category::Ok)
        .filter_map(|c| {
            let n = b.get(*c);
            (n > 0).then_some((n, *c))
        })
        .collect()
}

/// `2026-12-03T03:00:01.0065Z` → `2026-12-03 03:00` (UTC, to the minute:
/// enough to tell runs of a job apart, short enough for a column).
pub fn short_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// `2`, or `2 on web-02` when the job runs on several hosts (the hosts with
/// the longest streak, two at most, and how many more are failing), or `-`.
pub fn streak_text(j: &JobHealth) -> String {
    let Some((_, max)) = j.failing_on.first() else {
        return "-".into();
    };
    if j.hosts.len() <= 1 {
        return max.to_string();
    }
    let top: Vec<&str> = j
        .failing_on
        .iter()
        .filter(|(_, n)| n == max)
        .take(2)
        .map(|(h, _)| h.as_str())
        .collect();
    let more = j.failing_on.len() - top.len();
    let mut s = format!("{max} on {}", top.join(", "));
    if more > 0 {
        s.push_str(&format!(" +{more} more"));
    }
    s
}

/// `2026-12-03 03:00`, or `never`; with `on web-01` when the job runs on
/// several hosts and is failing on one (its streak next to a good run on
/// another host must not read as one host's history).
pub fn last_ok_text(j: &JobHealth) -> Option<String> {
    let t = short_time(j.last_ok.as_deref()?);
    Some(match &j.last_ok_host {
        Some(h) if j.hosts.len() > 1 && j.failing_streak > 0 => format!("{t} on {h}"),
        _ => t,
    })
}

fn jobs_grid(jobs: &[JobHealth]) -> Grid {
    let mut g = Grid::new(
        vec![
            "job",
            "runs",
            "ok",
            "failing streak",
            "last ok (UTC)",
            "not ok",
        ],
        vec![false, true, true, false, false, false],
    );
    for j in jobs {
        let streak = streak_text(j);
        let streak = if j.failing_streak > 0 {
            Span::styled(streak, "1;31")
        } else {
            Span::plain(streak)
        };
        let last_ok = match last_ok_text(j) {
            Some(t) => Span::plain(t),
            None => Span::styled("never", "31"),
        };
        let mut not_ok = Vec::new();
        let f = failures(&j.by_category);
        for (i, (n, c)) in f.iter().enumerate() {
            let sep = if i + 1 < f.len() { "," } else { "" };
            not_ok.push(Span {
                text: format!("{n} {}{sep}", c.as_str()),
                sgr: Some(category_sgr(c.as_str())),
                whole: true,
            });
        }
        g.rows.push(vec![
            vec![Span::plain(j.job.clone())],
            vec![Span::plain(j.runs.to_string())],
            vec![Span::plain(j.by_category.ok.to_string())],
            vec![streak],
            vec![last_ok],
            not_ok,
        ]);
    }
    g
}

/// The non-ok runs, oldest first, two lines each: category and id (what
/// `explain` takes), then the reason, indented under the id.
fn attention(bad: &[&RunReport], width: Option<usize>, color: bool) -> String {
    let catw = bad.iter().map(|x| width_of(&x.category)).max().unwrap_or(0);
    let lead = INDENT.len() + catw + GAP;
    let reason_width = width
        .and_then(|w| w.checked_sub(lead))
        .filter(|w| *w >= MIN_WRAP);
    let mut out = String::new();
    for x in bad {
        let pad = " ".repeat(catw - width_of(&x.category) + GAP);
        out.push_str(&format!(
            "{INDENT}{}{pad}{}\n",
            paint(&x.category, &x.category, color),
            x.id
        ));
        for l in wrap(&[Span::plain(x.reason.clone())], reason_width) {
            out.push_str(&" ".repeat(lead));
            out.push_str(&paint_spans(&l, false));
            out.push('\n');
        }
    }
    out
}

/// The terminal width to wrap to: `COLUMNS` when set, else the terminal's.
fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    // A terminal that reports no size (a bare pty, a serial console says
    // 0×0) gets the classic 80 columns, not a column a word wide.
    Some(
        comfy_table::Table::new()
            .width()
            .map(usize::from)
            .filter(|w| *w >= 20)
            .unwrap_or(80),
    )
}

/// The width to wrap to when stdout is a terminal; `None` for pipes.
pub fn tty_width() -> Option<usize> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        terminal_width()
    } else {
        None
    }
}

/// Render for a terminal when `wrap` (stdout is one: wrap to its width),
/// else unwrapped for pipes and files.
pub fn render(r: &Report, color: bool, wrap: bool) -> String {
    render_width(r, color, if wrap { terminal_width() } else { None })
}

/// Render, wrapping long text to `width` columns when given.
pub fn render_width(r: &Report, color: bool, width: Option<usize>) -> String {
    let bold = |s: &str| sgr(s, "1", color);
    let mut out = String::new();
    let mut head = vec![
        Span::styled("crontriage:", "1"),
        Span::plain(if r.summary.runs == 0 {
            "0 runs.".to_string()
        } else {
            format!("{}:", runs_word(r.summary.runs))
        }),
    ];
    let counts: Vec<(u64, Category)> = Category::ALL
        .iter()
        .map(|c| (r.summary.by_category.get(*c), *c))
        .filter(|(n, _)| *n > 0)
        .collect();
    for (i, (n, c)) in counts.iter().enumerate() {
        head.push(Span {
            text: format!("{n} {}", c.as_str()),
            sgr: Some(category_sgr(c.as_str())),
            whole: true,
        });
        if i + 1 < counts.len() {
            // The comma stays with its count when the line wraps.
            let last = head.pop().expect("just pushed");
            head.push(Span {
                text: format!("{},", last.text),
                ..last
            });
        }
    }
    out.push_str(&flow(&head, width, "crontriage: ".len(), color));
    let times: Vec<&str> = r.runs.iter().map(|x| x.started_at.as_str()).collect();
    if let (Some(first), Some(last)) = (times.first(), times.last()) {
        out.push_str(&flow(
            &[Span::plain(format!(
                "Runs started {} to {} UTC; zone-less log times read in {}.",
                short_time(first),
                short_time(last),
                r.zone
            ))],
            width,
            2,
            color,
        ));
    }
    out.push('\n');

    if !r.jobs.is_empty() {
        out.push_str(&format!("{} ({})\n", bold("Jobs"), r.jobs.len()));
        out.push_str(&jobs_grid(&r.jobs).render(width, color));
        out.push('\n');
    }

    let bad: Vec<&RunReport> = r.runs.iter().filter(|x| x.category != "ok").collect();
    if bad.is_empty() {
        out.push_str("No run needs attention.\n");
    } else {
        out.push_str(&format!(
            "{} ({}, oldest first)\n",
            bold("Runs needing attention"),
            bad.len()
        ));
        out.push_str(&attention(&bad, width, color));
        out.push_str("Details: crontriage explain RUN_ID <same inputs>\n");
    }
    out.push('\n');
    // The footer's first line is a sentence: wrap it like one.
    let footer = inputs_footer(r);
    let (first, rest) = footer.split_once('\n').unwrap_or((&footer, ""));
    // Break only after its commas, so a count stays with its noun.
    let parts: Vec<&str> = first.split_inclusive(", ").collect();
    let spans: Vec<Span> = parts
        .iter()
        .map(|p| Span {
            text: p.trim_end().to_string(),
            sgr: None,
            whole: true,
        })
        .collect();
    out.push_str(&flow(&spans, width, 2, color));
    out.push_str(rest);
    out
}

/// Input counts and the first skipped lines, shared by the human formats.
/// Each input gets its own line only when something is off with it (lines
/// it could not parse, or nothing recognised); `crontriage sources` lists
/// them all.
pub fn inputs_footer(r: &Report) -> String {
    let mut out = String::new();
    let (mut lines, mut rec, mut ign, mut mal) = (0, 0, 0, 0);
    for i in &r.inputs {
        lines += i.lines;
        rec += i.recognized;
        ign += i.ignored;
        mal += i.malformed;
    }
    let kinds = ["syslog", "job-log", "slack"]
        .iter()
        .map(|k| (k, r.inputs.iter().filter(|i| i.kind == *k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&format!(
        "Inputs: {} file(s) ({kinds}), {lines} lines: {rec} recognized, {ign} ignored, {mal} malformed\n",
        r.inputs.len(),
    ));
    for i in &r.inputs {
        if i.malformed > 0 || (i.recognized == 0 && i.lines > 0) {
            out.push_str(&format!(
                "  {} [{}]: {} lines, {} recognized, {} ignored, {} malformed\n",
                i.path, i.kind, i.lines, i.recognized, i.ignored, i.malformed
            ));
        }
    }
    let d = &r.diagnostics;
    if !d.malformed.is_empty() {
        out.push_str("Malformed lines (first of each input):\n");
        for m in &d.malformed {
            out.push_str(&format!("  {m}\n"));
        }
    }
    for (p, n) in &d.invalid_utf8 {
        out.push_str(&format!(
            "  {p}: {n} line(s) with invalid UTF-8, read lossily\n"
        ));
    }
    if d.unmatched_slack > 0 {
        out.push_str(&format!(
            "{} Slack record(s) matched no run:\n",
            d.unmatched_slack
        ));
        for m in &d.unmatched_examples {
            out.push_str(&format!("  {m}\n"));
        }
    }
    for w in &d.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    // The config file is listed among skipped files but was read: say so
    // apart from the files really left out.
    let skipped: Vec<&String> = d
        .skipped
        .iter()
        .filter(|s| !s.ends_with(": config (read as crontriage.toml)"))
        .collect();
    if let Some(c) = &r.config_path {
        out.push_str(&format!("Config: {c}\n"));
    }
    if !skipped.is_empty() {
        out.push_str(&format!("Skipped {} file(s) in folders:\n", skipped.len()));
        for s in skipped.iter().take(10) {
            out.push_str(&format!("  {s}\n"));
        }
        if skipped.len() > 10 {
            out.push_str(&format!(
                "  … and {} more (see `crontriage sources`)\n",
                skipped.len() - 10
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_whole_spans_and_breaks_at_spaces() {
        let spans = vec![
            Span {
                text: "1 execution-failed,".into(),
                sgr: None,
                whole: true,
            },
            Span {
                text: "1 missed".into(),
                sgr: None,
                whole: true,
            },
        ];
        let lines = wrap(&spans, Some(24));
        assert_eq!(lines.len(), 2);
        assert_eq!(paint_spans(&lines[0], false), "1 execution-failed,");
        let lines = wrap(&[Span::plain("exit status 1 (from cron)")], Some(12));
        let text: Vec<String> = lines.iter().map(|l| paint_spans(l, false)).collect();
        assert_eq!(text, vec!["exit status", "1 (from", "cron)"]);
        assert!(text.iter().all(|l| l.len() <= 12));
    }

    #[test]
    fn grid_aligns_on_text_not_colour_codes() {
        let mut g = Grid::new(vec!["a", "n", "rest"], vec![false, true, false]);
        g.rows.push(vec![
            vec![Span::styled("xx", "31")],
            vec![Span::plain("10")],
            vec![Span::plain("tail")],
        ]);
        let plain = g.render(None, false);
        assert_eq!(plain, "  a    n  rest\n  xx  10  tail\n");
        let coloured = g.render(None, true);
        let stripped = coloured
            .replace("\x1b[31m", "")
            .replace("\x1b[1m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
    }

    #[test]
    fn streak_names_the_host_only_for_multi_host_jobs() {
        let mut j = JobHealth {
            job: "backup".into(),
            failing_streak: 2,
            failing_on: vec![("web-02".into(), 2)],
            hosts: vec!["web-01".into(), "web-02".into()],
            ..Default::default()
        };
        assert_eq!(streak_text(&j), "2 on web-02");
        j.hosts.push("web-03".into());
        j.failing_on.push(("web-01".into(), 1));
        assert_eq!(streak_text(&j), "2 on web-02 +1 more");
        j.failing_on[0].1 = 1;
        j.failing_on.push(("web-03".into(), 1));
        j.failing_on
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        assert_eq!(streak_text(&j), "1 on web-01, web-02 +1 more");
        j.hosts.truncate(1);
        j.failing_on.truncate(1);
        assert_eq!(streak_text(&j), "1");
        j.failing_on.clear();
        assert_eq!(streak_text(&j), "-");
    }
}
