//! Markdown: fits a GitHub step summary or a Slack post. Log text is
//! escaped so it cannot break a table or inject markup.

use super::Report;
use super::table::{failures, short_time, streak_text};
use crate::classify::Category;

/// Escape text for a Markdown table cell: pipes, backticks, angle brackets,
/// newlines, and the characters that start emphasis or links.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '`' => out.push_str("\\`"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A reason as a cell: its `quoted` parts (a schedule, a Slack error
/// code) stay code spans; the rest is escaped like any cell. Unbalanced
/// backticks, or a code part holding what a span cannot, are all escaped.
fn prose_cell(s: &str) -> String {
    let Some(parts) = super::quoted_parts(s) else {
        return cell(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    for (quoted, p) in parts {
        if !quoted {
            out.push_str(&cell(p));
        } else if p.is_empty() || p.contains(['|', '\n', '\r']) {
            out.push_str(&cell(&format!("`{p}`")));
        } else {
            out.push('`');
            out.push_str(p);
            out.push('`');
        }
    }
    out
}

/// A run id as a code span (copy it into `crontriage explain`), or
/// escaped text when it holds what a code span cannot.
fn id_cell(id: &str) -> String {
    if id.contains(['`', '|', '\n', '\r']) {
        cell(id)
    } else {
        format!("`{id}`")
    }
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let bad: Vec<_> = r.runs.iter().filter(|x| x.category != "ok").collect();
    out.push_str(&format!(
        "## crontriage: {} run(s), {} need attention\n\n",
        r.summary.runs,
        bad.len()
    ));
    if let (Some(a), Some(b)) = (r.runs.first(), r.runs.last()) {
        out.push_str(&format!(
            "Runs started {} to {} UTC; zone-less log times read in {}.\n\n",
            short_time(&a.started_at),
            short_time(&b.started_at),
            cell(&r.zone)
        ));
    }
    out.push_str("| category | runs |\n|---|---:|\n");
    for c in Category::ALL {
        let n = r.summary.by_category.get(c);
        let name = if n > 0 && c != Category::Ok {
            format!("**{}**", c.as_str())
        } else {
            c.as_str().to_string()
        };
        out.push_str(&format!("| {name} | {n} |\n"));
    }
    if !r.jobs.is_empty() {
        out.push_str("\n### Jobs\n\n| job | runs | ok | not ok | failing streak | last ok run (UTC) |\n|---|---:|---:|---|---|---|\n");
        for j in &r.jobs {
            let not_ok = failures(&j.by_category)
                .iter()
                .map(|(n, c)| format!("{n} {}", c.as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                cell(&j.job),
                j.runs,
                j.by_category.ok,
                if not_ok.is_empty() {
                    "–".into()
                } else {
                    not_ok
                },
                if j.failing_streak > 0 {
                    format!("**{}**", cell(&streak_text(j)))
                } else {
                    "–".into()
                },
                super::table::last_ok_text(j).unwrap_or_else(|| "never".into())
            ));
        }
    }
    out.push_str(&format!("\n### Runs needing attention ({})\n\n", bad.len()));
    if bad.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| run | category | reason |\n|---|---|---|\n");
        for x in bad {
            let also: Vec<&str> = x.categories.iter().skip(1).map(String::as_str).collect();
            out.push_str(&format!(
                "| {} | **{}**{} | {} |\n",
                id_cell(&x.id),
                x.category,
                if also.is_empty() {
                    String::new()
                } else {
                    format!(" (also {})", also.join(", "))
                },
                prose_cell(&x.reason)
            ));
        }
        out.push_str("\nDetails of a run: `crontriage explain RUN_ID` with the same inputs.\n");
    }
    out.push_str("\n<details><summary>Inputs</summary>\n\n| path | kind | lines | recognized | ignored | malformed |\n|---|---|---:|---:|---:|---:|\n");
    for i in &r.inputs {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&i.path),
            i.kind,
            i.lines,
            i.recognized,
            i.ignored,
            i.malformed
        ));
    }
    let d = &r.diagnostics;
    let mut notes = Vec::new();
    for m in &d.malformed {
        notes.push(format!("- malformed: {}", cell(m)));
    }
    if d.unmatched_slack > 0 {
        notes.push(format!(
            "- {} Slack record(s) matched no run",
            d.unmatched_slack
        ));
    }
    for w in &d.warnings {
        notes.push(format!("- warning: {}", cell(w)));
    }
    for s in &d.skipped {
        notes.push(format!("- not read: {}", cell(s)));
    }
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out.push_str("\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(
            cell("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(cell("`rm -rf`\nnext"), "\\`rm -rf\\` next");
    }

    #[test]
    fn reasons_keep_their_code_spans() {
        assert_eq!(
            prose_cell("no run within 5m (schedule `0 4 * * *` in Europe/Berlin)"),
            "no run within 5m (schedule `0 4 * * *` in Europe/Berlin)"
        );
        assert_eq!(
            prose_cell("Slack answered `not_in_channel` — invite the bot"),
            "Slack answered `not_in_channel` — invite the bot"
        );
        // Unbalanced, or a span holding a pipe: escaped.
        assert_eq!(prose_cell("a `b"), "a \\`b");
        assert_eq!(prose_cell("x `a|b` y"), "x \\`a\\|b\\` y");
        assert_eq!(prose_cell("<b>`<i>`"), "&lt;b&gt;`<i>`");
    }

    #[test]
    fn ids_are_code_spans_unless_they_cannot_be() {
        assert_eq!(
            id_cell("daily_summary@web-01@2026-12-03T05:00:01Z"),
            "`daily_summary@web-01@2026-12-03T05:00:01Z`"
        );
        assert_eq!(id_cell("a|b@h@t"), "a\\|b@h@t");
    }
}
