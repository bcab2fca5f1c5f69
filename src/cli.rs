//! What the user typed: clap derive definitions, nothing else. `config`
//! turns this into validated settings; nothing below `config` reads `Cli`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  Report on an incident folder (files sniffed by content, crontriage.toml inside is the config):
    crontriage report ./incident-2026-12-03/

  Yesterday's runs from rotated logs, as the daily report:
    crontriage report --syslog '/var/log/syslog*' --job-log '/var/log/jobs/*.log*' \\
        --slack /var/log/slack-notify.jsonl --since yesterday --until today

  Fail a CI job when any run failed to execute or to deliver:
    crontriage report logs/ --fail-on execution-failed,delivery-failed --format markdown

  Why did this run fail?
    crontriage explain 'backup@web-01@2026-12-03T03:00:01Z' ./incident-2026-12-03/

Exit status:
  0  done (no run in a --fail-on category)
  1  --fail-on matched at least one run
  2  usage, config or input error";

/// Tell, for every cron run, whether the job executed correctly and whether
/// its notification reached the right place.
///
/// crontriage reads the logs a cron setup already writes — the scheduler's
/// syslog or journal lines, each job's own output log, and logs of Slack API
/// responses — correlates them by job and time, and names one root-cause
/// category per run: execution-failed, delivery-failed, misrouted-target,
/// billing-inactive, missed or ok.
#[derive(Debug, Parser)]
#[command(name = "crontriage", version, after_long_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report every run: per-job summary and the runs that need attention.
    Report(ReportArgs),
    /// Show one run's two layers, its reason and every evidence line.
    Explain(ExplainArgs),
    /// List what each input file was taken for, and why.
    Sources(SourcesArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
}

/// Where the logs come from.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Folders of gathered logs: every file is sniffed by content and routed
    /// to the right parser; a crontriage.toml inside is the config.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// System logs holding the scheduler's lines (syslog in any framing, or
    /// `journalctl -o json`). Plain or .gz, glob patterns, `-` for stdin.
    #[arg(long, value_name = "PATH", num_args = 1.., action = clap::ArgAction::Append)]
    pub syslog: Vec<String>,

    /// Each job's own stdout/stderr log; the job is the file's stem
    /// (backup.log.2.gz → backup), or its folder for jobs/backup/DATE.log.
    #[arg(long = "job-log", value_name = "PATH", num_args = 1.., action = clap::ArgAction::Append)]
    pub job_log: Vec<String>,

    /// Logs of Slack API / webhook responses (JSON lines or key=value text).
    #[arg(long, value_name = "PATH", num_args = 1.., action = clap::ArgAction::Append)]
    pub slack: Vec<String>,

    /// Config file (default: ./crontriage.toml, or DIR/crontriage.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report unreadable inputs and go on with the rest instead of failing.
    #[arg(long)]
    pub keep_going: bool,

    /// Year for year-less syslog stamps (RFC 3164): the year of each file's
    /// first line. Default: from each file's modification time.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,

    /// Time zone for stamps that carry none (IANA name, e.g. Europe/Berlin).
    /// Default: config `tz`, else the machine's zone.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

/// How runs are correlated and which are reported.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Correlation")]
pub struct CorrelationArgs {
    /// Only runs started at or after this: RFC 3339 (`2026-12-03T04:00Z`;
    /// without an offset, in the config's zone), a date (midnight in the
    /// config's zone), or `24h`, `7d` back from now, `yesterday`, `today`.
    #[arg(long, value_name = "TIME", value_hint = clap::ValueHint::Other)]
    pub since: Option<String>,

    /// Only runs started before this (same forms as --since).
    #[arg(long, value_name = "TIME", value_hint = clap::ValueHint::Other)]
    pub until: Option<String>,

    /// How long after a run's end its Slack notification may arrive
    /// (overrides config `delivery_window`; default 15m).
    #[arg(long, value_name = "DURATION")]
    pub delivery_window: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Per-job summary and the non-ok runs with their reason.
    #[default]
    Table,
    /// The stable JSON document (schema_version 1).
    Json,
    /// Markdown, for a GitHub step summary or a Slack post.
    Markdown,
    /// One row per run.
    Csv,
    /// One JSON run per line.
    Ndjson,
    /// One self-contained HTML page with a timeline per job.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Color {
    /// Colour when stdout is a terminal, NO_COLOR is unset and TERM is not `dumb`
    /// (CLICOLOR=0 turns it off, CLICOLOR_FORCE=1 on even when piped).
    #[default]
    Auto,
    /// Always colour, even when piped or with NO_COLOR set.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub correlation: CorrelationArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t, help_heading = "Output")]
    pub format: Format,
    /// When to colour the table output by category (other formats are
    /// never coloured).
    #[arg(long, value_enum, default_value_t, help_heading = "Output")]
    pub color: Color,
    /// Exit 1 when any run falls in one of these categories
    /// (comma-separated), or `any` for every non-ok category.
    #[arg(long, value_name = "CATS", help_heading = "Output", value_hint = clap::ValueHint::Other)]
    pub fail_on: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct ExplainArgs {
    /// The run's id, as the report prints it (`job@host@time`). A job
    /// name, or the start of an id (`backup@web-01`), lists the matching
    /// runs; a unique start picks that run.
    pub run_id: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub correlation: CorrelationArgs,
    /// When to colour the category.
    #[arg(long, value_enum, default_value_t, help_heading = "Output")]
    pub color: Color,
}

#[derive(Debug, Args, Clone)]
pub struct SourcesArgs {
    #[command(flatten)]
    pub input: InputArgs,
}
