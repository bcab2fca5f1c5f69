//! Wires the stages: config → plan inputs → read (in parallel) → correlate
//! → classify → report → render. Takes its writers as arguments, so the
//! whole tool runs in-process in tests.

use crate::classify::{Category, Context};
use crate::cli::{Cli, Color, Command, Format};
use crate::config::Config;
use crate::correlate;
use crate::error::{Error, ExitCode, Result};
use crate::ingest::{self, SourceOut};
use crate::input::{self, Plan};
use crate::report::{self, InputOutcome, Parts, Report};
use chrono::Utc;
use clap::CommandFactory;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};

/// Phase timings on stderr when `CRONTRIAGE_TIMING` is set (for profiling;
/// never part of the output).
struct Timing(Option<std::time::Instant>);

impl Timing {
    fn new() -> Timing {
        Timing(std::env::var_os("CRONTRIAGE_TIMING").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, what: &str) {
        if let Some(t) = self.0 {
            // Resident memory now and at its peak (Linux), to see which phase
            // holds the most.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |k: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(k))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse::<u64>().ok())
                    .map_or(0, |kb| kb / 1024)
            };
            eprintln!(
                "timing: {what:<10} {:>8.3} s  rss {:>5} MiB  peak {:>5} MiB",
                t.elapsed().as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// Everything read, correlated and classified: what every format renders.
pub struct Analysis {
    plan: Plan,
    results: Vec<SourceOut>,
    events: Vec<crate::event::Event>,
    runs: Vec<correlate::Run>,
    verdicts: report::Verdicts,
    unmatched_slack: Vec<usize>,
    /// Warnings for stderr: what could not be fully done.
    notes: Vec<String>,
    config_path: Option<String>,
    zone: String,
}

impl Analysis {
    /// The borrowed view the report renderers take.
    pub fn parts(&self) -> Parts<'_> {
        Parts {
            inputs: self
                .plan
                .sources
                .iter()
                .zip(&self.results)
                .map(|(s, o)| InputOutcome {
                    source: s,
                    counts: o.counts,
                    malformed: &o.malformed,
                    error: o.error.as_deref(),
                })
                .collect(),
            events: &self.events,
            runs: &self.runs,
            verdicts: &self.verdicts,
            unmatched_slack: &self.unmatched_slack,
            skipped: &self.plan.skipped,
            warnings: &[],
            config_path: self.config_path.clone(),
            zone: self.zone.clone(),
        }
    }

    /// Whether any run falls in one of `cats`.
    pub fn any_in(&self, cats: &[Category]) -> bool {
        self.verdicts
            .categories()
            .iter()
            .any(|c| cats.iter().any(|f| c.contains(*f)))
    }

    /// The whole report, every run built.
    pub fn report(&self) -> Report {
        report::build(self.parts())
    }
}

/// Read, correlate and classify everything the config names.
pub fn analyze(cfg: &Config, err: &mut dyn Write) -> Result<Analysis> {
    let mut timing = Timing::new();
    let plan = input::plan(cfg)?;
    for w in &plan.warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    let progress = crate::progress::Progress::new(&plan);
    let outs: Vec<std::result::Result<SourceOut, String>> = plan
        .sources
        .par_iter()
        .map(|s| {
            let r = ingest::read_source(cfg, s);
            progress.done(s);
            r
        })
        .collect();
    progress.finish();
    timing.lap("read");
    if timing.0.is_some() {
        let n: usize = outs.iter().flatten().map(|o| o.events.len()).sum();
        let text: usize = outs
            .iter()
            .flatten()
            .flat_map(|o| &o.events)
            .map(|e| e.text.len())
            .sum();
        eprintln!(
            "timing: {n} events of {} bytes, {} MiB of line text",
            std::mem::size_of::<crate::event::Event>(),
            text >> 20
        );
    }
    let mut results = Vec::with_capacity(outs.len());
    for (src, out) in plan.sources.iter().zip(outs) {
        match out {
            Ok(o) => {
                if let Some(e) = &o.error {
                    let _ = writeln!(err, "warning: {}", Error::input(&src.display, e));
                }
                results.push(o);
            }
            Err(e) if cfg.keep_going => {
                let _ = writeln!(err, "warning: {} (skipped)", Error::input(&src.display, &e));
                results.push(SourceOut {
                    error: Some(e),
                    ..Default::default()
                });
            }
            Err(e) => return Err(Error::input(&src.display, e)),
        }
    }
    let a = assemble(cfg, plan, results, &mut timing);
    for note in &a.notes {
        let _ = writeln!(err, "warning: {}", crate::redact::redact(note));
    }
    Ok(a)
}

fn assemble(
    cfg: &Config,
    plan: Plan,
    mut results: Vec<SourceOut>,
    timing: &mut Timing,
) -> Analysis {
    let input_end = results.iter().filter_map(|r| r.latest).max();
    // Grow the largest input's events rather than copy them all again.
    let largest = (0..results.len()).max_by_key(|&i| results[i].events.len());
    let mut all = largest
        .map(|i| std::mem::take(&mut results[i].events))
        .unwrap_or_default();
    all.reserve_exact(results.iter().map(|r| r.events.len()).sum());
    for r in &mut results {
        all.append(&mut r.events);
        r.events = Vec::new();
    }
    let events = correlate::prepare(all);
    timing.lap("sort");
    let paths: Vec<String> = plan.sources.iter().map(|s| s.display.clone()).collect();
    let mut corr = correlate::correlate(&events, cfg, &paths);
    timing.lap("correlate");
    let ctx = Context {
        jobs_with_slack: &corr.jobs_with_slack,
        input_end,
    };
    let mut runs = std::mem::take(&mut corr.runs);
    let read = runs.len();
    let span = runs
        .iter()
        .map(|r| r.started_at)
        .min()
        .zip(runs.iter().map(|r| r.started_at).max());
    runs.retain(|r| {
        cfg.since.is_none_or(|s| r.started_at >= s) && cfg.until.is_none_or(|u| r.started_at < u)
    });
    // An empty report for a window the logs do not reach must not read as
    // "all clear": say what the logs hold.
    if let (true, Some((first, last))) = (runs.is_empty(), span) {
        let at = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let window = [("--since", cfg.since), ("--until", cfg.until)]
            .iter()
            .filter_map(|(f, t)| t.map(|t| format!("{f} {}", at(t))))
            .collect::<Vec<_>>()
            .join(", ");
        corr.notes.push(format!(
            "no run started in the window ({window}); the {read} run(s) read started {} to {}",
            at(first),
            at(last)
        ));
    }
    // Judged once, kept as the report shows it.
    let verdicts = report::Verdicts::judge(&runs, &events, cfg, &ctx);
    timing.lap("classify");
    Analysis {
        plan,
        results,
        events,
        runs,
        verdicts,
        unmatched_slack: corr.unmatched_slack,
        notes: std::mem::take(&mut corr.notes),
        config_path: cfg.config_path.as_ref().map(|p| p.display().to_string()),
        zone: cfg.zone.name().to_string(),
    }
}

/// Write, treating a closed pipe (`| head`) as a quiet success.
fn emit(out: &mut dyn Write, s: &str) -> std::result::Result<bool, Error> {
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Error::Output(e)),
    }
}

/// Write the report in the configured format. JSON and NDJSON are streamed
/// from the runs; the other formats render a built report.
fn render(a: &Analysis, cfg: &Config, wrap: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let text = match cfg.format {
        Format::Json | Format::Ndjson => {
            // Written in blocks of megabytes: no buffer of its own needed.
            report::write_json(&a.parts(), out, cfg.format == Format::Ndjson)?;
            return out.flush();
        }
        Format::Table => report::table::render(&a.report(), cfg.color, wrap),
        Format::Markdown => report::markdown::render(&a.report()),
        Format::Csv => report::csv::render(&a.report()),
        Format::Html => report::html::render(&a.report()),
    };
    out.write_all(text.as_bytes())?;
    out.flush()
}

fn run_inner(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitCode> {
    let now = Utc::now();
    match cli.command {
        Command::Report(a) => {
            let cfg = Config::new(
                &a.input,
                &a.correlation,
                a.format,
                a.color,
                a.fail_on.as_deref(),
                now,
            )?;
            let a = analyze(&cfg, err)?;
            let wrap = std::io::stdout().is_terminal();
            let mut timing = Timing::new();
            let rendered = render(&a, &cfg, wrap, out);
            timing.lap("render");
            match rendered {
                Ok(()) => {}
                // A closed pipe (`| head`) is a quiet success.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::Ok),
                Err(e) => return Err(Error::Output(e)),
            }
            let code = if a.any_in(&cfg.fail_on) {
                ExitCode::FailOn
            } else {
                ExitCode::Ok
            };
            // The process ends here: freeing every event, run and name one
            // by one only costs time (30–50 ms on a 1 GiB input).
            std::mem::forget(a);
            Ok(code)
        }
        Command::Explain(a) => {
            let cfg = Config::new(&a.input, &a.correlation, Format::Table, a.color, None, now)?;
            let r = analyze(&cfg, err)?.report();
            let x = report::explain::find(&r, &a.run_id).map_err(Error::Usage)?;
            emit(out, &report::explain::render_in(x, &r.zone, cfg.color))?;
            Ok(ExitCode::Ok)
        }
        Command::Sources(a) => {
            let cfg = Config::new(
                &a.input,
                &Default::default(),
                Format::Table,
                Color::Never,
                None,
                now,
            )?;
            let plan = input::plan(&cfg)?;
            emit(out, &crate::report::sources(&plan, &cfg))?;
            Ok(ExitCode::Ok)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "crontriage", &mut buf);
            emit(out, &String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::Ok)
        }
        Command::Man => {
            emit(out, &crate::man::render())?;
            Ok(ExitCode::Ok)
        }
    }
}

/// Run a parsed command line; errors are printed to `err` and become exit 2.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    match run_inner(cli, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "crontriage: error: {e}");
            ExitCode::Error
        }
    }
}

/// All categories a `--fail-on any` covers (for docs and tests).
pub fn failing_categories() -> Vec<Category> {
    Category::ALL
        .iter()
        .copied()
        .filter(|c| *c != Category::Ok)
        .collect()
}
