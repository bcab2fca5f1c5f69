//! The default terminal output: a one-line summary, per-job health, the
//! runs that need attention with their reason and id (for `explain`), and
//! what was skipped in the inputs.

use super::{ByCategory, Report};
use crate::classify::Category;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

pub fn category_color(c: &str) -> Color {
    match c {
        "ok" => Color::Green,
        "execution-failed" => Color::Red,
        "delivery-failed" => Color::Yellow,
        "misrouted-target" => Color::Magenta,
        "billing-inactive" => Color::Cyan,
        "missed" => Color::Blue,
        _ => Color::Reset,
    }
}

/// `\x1b[…m` around `s` when colouring.
pub fn paint(s: &str, cat: &str, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match cat {
        "ok" => "32",
        "execution-failed" => "31",
        "delivery-failed" => "33",
        "misrouted-target" => "35",
        "billing-inactive" => "36",
        "missed" => "34",
        _ => "1",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

fn cat_cell(s: &str, color: bool) -> Cell {
    let c = Cell::new(s);
    if color { c.fg(category_color(s)) } else { c }
}

fn new_table(color: bool, wrap: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_HORIZONTAL_ONLY);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t.set_content_arrangement(if wrap {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    t
}

/// The one-line summary: `12 runs: 9 ok, 2 execution-failed, 1 missed`.
pub fn summary_line(r: &Report, color: bool) -> String {
    let mut parts = Vec::new();
    for c in Category::ALL {
        let n = r.summary.by_category.get(c);
        if n > 0 {
            parts.push(paint(&format!("{n} {}", c.as_str()), c.as_str(), color));
        }
    }
    if parts.is_empty() {
        return "0 runs".to_string();
    }
    format!("{} runs: {}", r.summary.runs, parts.join(", "))
}

fn failures(b: &ByCategory) -> String {
    Category::ALL
        .iter()
        .filter(|c| **c != Category::Ok)
        .filter_map(|c| {
            let n = b.get(*c);
            (n > 0).then(|| format!("{n} {}", c.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn render(r: &Report, color: bool, wrap: bool) -> String {
    let mut out = String::new();
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    out.push_str(&format!(
        "{} {}\n\n",
        bold("crontriage:"),
        summary_line(r, color)
    ));

    if !r.jobs.is_empty() {
        let mut t = new_table(color, wrap);
        t.set_header(vec![
            "job",
            "runs",
            "ok",
            "failures",
            "failing streak",
            "last ok run",
            "last run",
        ]);
        for j in &r.jobs {
            let streak = if j.failing_streak > 0 {
                let c = Cell::new(j.failing_streak);
                if color {
                    c.fg(Color::Red).add_attribute(Attribute::Bold)
                } else {
                    c
                }
            } else {
                Cell::new("0")
            };
            t.add_row(vec![
                Cell::new(&j.job),
                Cell::new(j.runs),
                Cell::new(j.by_category.ok),
                Cell::new(failures(&j.by_category)),
                streak,
                Cell::new(j.last_ok.as_deref().unwrap_or("never")),
                cat_cell(j.last.as_deref().unwrap_or("-"), color),
            ]);
        }
        out.push_str(&format!("{}\n{t}\n\n", bold("Jobs")));
    }

    let bad: Vec<_> = r.runs.iter().filter(|x| x.category != "ok").collect();
    if bad.is_empty() {
        out.push_str("No run needs attention.\n");
    } else {
        let mut t = new_table(color, wrap);
        t.set_header(vec!["run (job@host@start UTC)", "category", "reason"]);
        for x in &bad {
            t.add_row(vec![
                Cell::new(&x.id),
                cat_cell(&x.category, color),
                Cell::new(&x.reason),
            ]);
        }
        out.push_str(&format!(
            "{} ({})\n{t}\n",
            bold("Runs needing attention"),
            bad.len()
        ));
        out.push_str("Details: crontriage explain RUN_ID <same inputs>\n");
    }
    out.push('\n');
    out.push_str(&inputs_footer(r));
    out
}

/// Input counts and the first skipped lines, shared by the human formats.
pub fn inputs_footer(r: &Report) -> String {
    let mut out = String::new();
    let (mut lines, mut rec, mut ign, mut mal) = (0, 0, 0, 0);
    for i in &r.inputs {
        lines += i.lines;
        rec += i.recognized;
        ign += i.ignored;
        mal += i.malformed;
    }
    out.push_str(&format!(
        "Inputs: {} file(s), {lines} lines: {rec} recognized, {ign} ignored, {mal} malformed (times without a zone read in {})\n",
        r.inputs.len(),
        r.zone
    ));
    for i in &r.inputs {
        out.push_str(&format!(
            "  {} [{}]: {} lines, {} recognized, {} ignored, {} malformed\n",
            i.path, i.kind, i.lines, i.recognized, i.ignored, i.malformed
        ));
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
    if !d.skipped.is_empty() {
        out.push_str(&format!(
            "Skipped {} file(s) in folders:\n",
            d.skipped.len()
        ));
        for s in d.skipped.iter().take(10) {
            out.push_str(&format!("  {s}\n"));
        }
        if d.skipped.len() > 10 {
            out.push_str(&format!(
                "  … and {} more (see `crontriage sources`)\n",
                d.skipped.len() - 10
            ));
        }
    }
    out
}
