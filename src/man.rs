//! `crontriage man`: one man page for the whole tool, built from the clap
//! definitions so it cannot drift from `--help`.
//!
//! clap_mangen renders one page per command and points at
//! `crontriage-report(1)` and friends, which nobody installs from a single
//! `crontriage man > crontriage.1`. So this module takes its pieces (title,
//! synopsis, options) and assembles one page: every subcommand in SYNOPSIS
//! and COMMANDS, the shared options grouped as `--help` groups them, then
//! EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES. Text outside ASCII is
//! written as groff `\[uXXXX]` escapes, so `man`, `groff -ww` and `mandoc
//! -T lint` read it without warnings whatever the locale.

use crate::cli::Cli;
use clap::CommandFactory;
use clap_mangen::Man;

/// Escape text for a roff text line: backslashes, hyphens (so they are
/// not typeset as hyphenation points), and a leading `.` or `'`.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '.' | '\'' if i == 0 => {
                out.push_str("\\&");
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Non-ASCII characters as groff named-glyph escapes.
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

/// The string definition every clap_mangen render starts with (`\*(Aq`, an
/// apostrophe that survives groff); written once at the top of the page.
const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

/// One clap_mangen piece, without its copy of the preamble.
fn render_with(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    f(&mut buf).expect("writing to a Vec cannot fail");
    String::from_utf8_lossy(&buf)
        .lines()
        .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// What clap_mangen writes between a flag's help and its possible values
/// (`.br`, an empty line, `.br`) is a blank line: say so in one request,
/// which mandoc's linter accepts.
fn tidy(s: &str) -> String {
    s.replace(".br\n\n.br\n", ".sp\n")
}

/// `.SH SYNOPSIS\n…` → the lines after the header.
fn body(section: &str) -> String {
    section
        .split_once('\n')
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_default()
}

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Done; no run fell in a \\-\\-fail\\-on category."),
    (
        "1",
        "\\-\\-fail\\-on was given and at least one run fell in one of its categories.",
    ),
    (
        "2",
        "Usage, config or input error (a path that matches nothing, an unreadable file, a corrupt .gz, an invalid crontriage.toml).",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "NO_COLOR",
        "When set to a non\\-empty value, \\-\\-color auto does not colour. \\-\\-color always still does.",
    ),
    ("TERM", "When dumb, \\-\\-color auto does not colour."),
    (
        "CLICOLOR, CLICOLOR_FORCE",
        "CLICOLOR=0 turns \\-\\-color auto off on a terminal; CLICOLOR_FORCE set and not 0 turns it on even when piped (NO_COLOR still wins).",
    ),
    (
        "COLUMNS",
        "Width to wrap the table output to when stdout is a terminal (default: the terminal's width).",
    ),
    (
        "TZ",
        "The machine's time zone, used for stamps without a zone when neither \\-\\-tz nor the config's tz is given.",
    ),
    (
        "CRONTRIAGE_NO_PROGRESS",
        "When set, no progress bar is drawn (one is drawn on stderr only when it is a terminal and the inputs exceed 64 MB).",
    ),
];

const EXAMPLES: &[(&str, &str)] = &[
    (
        "Triage a folder of logs gathered for an incident (each file is sniffed by content; a crontriage.toml inside is the config):",
        "crontriage sources ./incident/\ncrontriage report ./incident/",
    ),
    (
        "Why did one run fail? Every line that decided it, as path:line: text:",
        "crontriage explain 'backup@web\\-02@2026\\-12\\-02T03:00:01.0065Z' ./incident/",
    ),
    (
        "The daily report over yesterday's runs, as a crontab line (crontab lines cannot be continued, so it is one line; cron's PATH is short, so the path is full):",
        "15 7 * * * /usr/local/bin/crontriage report \\-\\-syslog '/var/log/syslog*' \\-\\-since yesterday \\-\\-until today",
    ),
    (
        "In CI: the Markdown in the step summary, and the step fails (exit 1) when a run failed, in one command:",
        "crontriage report logs/ \\-\\-format markdown \\-\\-fail\\-on execution\\-failed,delivery\\-failed >> \"$GITHUB_STEP_SUMMARY\"",
    ),
    (
        "A self\\-contained HTML page with a timeline per job:",
        "crontriage report ./incident/ \\-\\-format html > triage.html",
    ),
    (
        "Shell completion and this page:",
        "crontriage completions bash > /etc/bash_completion.d/crontriage\ncrontriage man > /usr/local/share/man/man1/crontriage.1",
    ),
];

/// The whole man page, as roff.
pub fn render() -> String {
    let mut cmd = Cli::command();
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = Man::new(cmd.clone());
    let subs: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .cloned()
        .collect();

    let mut out = String::from(PREAMBLE);
    // No date (mandoc's linter notes it): the page is generated, the same
    // binary must give the same bytes, and a date written here would go
    // stale between releases.
    out.push_str(&format!(
        ".TH CRONTRIAGE 1 \"\" \"crontriage {version}\" \"User Commands\"\n"
    ));
    out.push_str(&render_with(|w| man.render_name_section(w)));

    out.push_str(".SH SYNOPSIS\n");
    for (i, s) in subs.iter().enumerate() {
        if i > 0 {
            out.push_str(".br\n");
        }
        let syn = render_with(|w| Man::new(s.clone()).render_synopsis_section(w));
        out.push_str(&body(&syn));
    }
    out.push_str(&render_with(|w| man.render_description_section(w)));

    out.push_str(".SH COMMANDS\n");
    for s in &subs {
        out.push_str(&format!(".TP\n\\fBcrontriage {}\\fR", text(s.get_name())));
        for a in s.get_positionals() {
            let name = a
                .get_value_names()
                .and_then(|v| v.first())
                .map(|v| v.to_string())
                .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
            let many = matches!(a.get_num_args(), Some(r) if r.max_values() > 1);
            let shown = format!("{name}{}", if many { "..." } else { "" });
            if a.is_required_set() {
                out.push_str(&format!(" \\fI{}\\fR", text(&shown)));
            } else {
                out.push_str(&format!(" [\\fI{}\\fR]", text(&shown)));
            }
        }
        out.push('\n');
        let about = s
            .get_long_about()
            .or_else(|| s.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        out.push_str(&text(&about));
        out.push('\n');
        for a in s.get_positionals().filter(|a| a.get_id() != "dirs") {
            if let Some(h) = a.get_long_help().or_else(|| a.get_help()) {
                out.push_str(&format!(".IP\n{}\n", text(&h.to_string())));
            }
        }
    }

    // The options of `report` are a superset of the others' (explain adds
    // only RUN_ID, sources takes the Input group): one list, grouped.
    if let Some(report) = subs.iter().find(|s| s.get_name() == "report") {
        let opts = render_with(|w| Man::new(report.clone()).render_options_section(w));
        for section in opts.split(".SH ").filter(|s| !s.trim().is_empty()) {
            let (head, rest) = section.split_once('\n').unwrap_or((section, ""));
            let head = head.trim().trim_matches('"');
            if head == "OPTIONS" {
                // Only -h/--help: said once, below.
                continue;
            }
            out.push_str(&format!(".SH \"{} OPTIONS\"\n{rest}", head.to_uppercase()));
        }
    }
    out.push_str(".SH \"OTHER OPTIONS\"\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint help (a summary with \\-h).\n.TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nPrint the version.\n");

    out.push_str(".SH \"EXIT STATUS\"\n");
    for (code, what) in EXIT_STATUS {
        out.push_str(&format!(".TP\n\\fB{code}\\fR\n{what}\n"));
    }
    out.push_str(".SH ENVIRONMENT\n");
    for (var, what) in ENVIRONMENT {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{what}\n", text(var)));
    }
    out.push_str(".SH FILES\n.TP\n\\fIcrontriage.toml\\fR\nThe config: time zone, delivery window, channel names and IDs, and per job its command match, channel, notify policy, schedule, grace and log glob. Read from \\-\\-config, else from the first DIR that holds one, else from the current folder.\n");
    out.push_str(".SH EXAMPLES\n");
    for (i, (what, code)) in EXAMPLES.iter().enumerate() {
        if i > 0 {
            out.push_str(".PP\n");
        }
        out.push_str(&format!("{what}\n.PP\n.RS 4\n.nf\n{code}\n.fi\n.RE\n"));
    }
    out.push_str(
        ".SH \"SEE ALSO\"\n\\fBcrontab\\fR(5), \\fBcron\\fR(8), \\fBjournalctl\\fR(1), \\fBsystemd.timer\\fR(5)\n",
    );
    out.push_str(&render_with(|w| man.render_version_section(w)));
    ascii(&tidy(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_roff() {
        assert_eq!(text(".hidden --flag a\\b"), "\\&.hidden \\-\\-flag a\\eb");
        assert_eq!(ascii("a — b"), "a \\[u2014] b");
    }

    #[test]
    fn one_page_with_every_command_and_option_group() {
        let page = render();
        assert!(page.is_ascii());
        for want in [
            ".TH CRONTRIAGE 1",
            ".SH SYNOPSIS",
            "\\fBcrontriage report\\fR",
            "\\fBcrontriage explain\\fR",
            "\\fBcrontriage sources\\fR",
            ".SH \"INPUT OPTIONS\"",
            ".SH \"CORRELATION OPTIONS\"",
            ".SH \"OUTPUT OPTIONS\"",
            "fail\\-on",
            ".SH \"EXIT STATUS\"",
            "NO_COLOR",
        ] {
            assert!(page.contains(want), "man page lacks {want}:\n{page}");
        }
        assert!(!page.contains("crontriage\\-report(1)"), "{page}");
    }
}
