//! Markdown: fits a GitHub step summary or a Slack post. Log text is
//! escaped so it cannot break a table or inject markup.

use super::Report;
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

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "## crontriage: {}\n\n",
        super::table::summary_line(r, false)
    ));
    out.push_str("| category | runs |\n|---|---:|\n");
    for c in Category::ALL {
        out.push_str(&format!(
            "| {} | {} |\n",
            c.as_str(),
            r.summary.by_category.get(c)
        ));
    }
    if !r.jobs.is_empty() {
        out.push_str("\n### Jobs\n\n| job | runs | ok | not ok | failing streak | last ok run |\n|---|---:|---:|---:|---:|---|\n");
        for j in &r.jobs {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                cell(&j.job),
                j.runs,
                j.by_category.ok,
                j.runs - j.by_category.ok,
                j.failing_streak,
                j.last_ok.as_deref().unwrap_or("never")
            ));
        }
    }
    let bad: Vec<_> = r.runs.iter().filter(|x| x.category != "ok").collect();
    out.push_str(&format!("\n### Runs needing attention ({})\n\n", bad.len()));
    if bad.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str("| started (UTC) | job | host | category | reason |\n|---|---|---|---|---|\n");
        for x in bad {
            out.push_str(&format!(
                "| {} | {} | {} | **{}** | {} |\n",
                x.started_at,
                cell(&x.job),
                cell(x.host.as_deref().unwrap_or("-")),
                x.category,
                cell(&x.reason)
            ));
        }
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
    for m in &r.diagnostics.malformed {
        out.push_str(&format!("\n- malformed: {}", cell(m)));
    }
    if !r.diagnostics.malformed.is_empty() {
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
}
