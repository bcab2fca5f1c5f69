//! One report model, several renderers. [`build`] turns runs and verdicts
//! into the [`Report`] every format prints — redacted, sorted, with stable
//! ids — so renderers never recompute or re-judge anything.
//!
//! The JSON form of [`Report`] is the stable schema of SPEC §4
//! (`schema_version: 1`); fields that only the human formats show
//! (per-job health, diagnostics) are skipped in JSON.

pub mod csv;
pub mod explain;
pub mod html;
mod json;
pub mod markdown;
pub mod table;

use crate::classify::{Categories, Category};
use crate::correlate::Run;
use crate::event::Event;
use crate::formats::Counts;
use crate::input::{Skipped, Source};
use crate::redact::{redact, redact_repeated};
use crate::time::rfc3339;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Longest evidence text shown; longer lines are cut with `…`.
pub const MAX_EVIDENCE_TEXT: usize = 2000;

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct InputReport {
    pub path: String,
    pub kind: String,
    pub lines: u64,
    pub recognized: u64,
    pub ignored: u64,
    pub malformed: u64,
}

/// Runs per category, every category present, in SPEC order.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct ByCategory {
    pub ok: u64,
    #[serde(rename = "execution-failed")]
    pub execution_failed: u64,
    #[serde(rename = "delivery-failed")]
    pub delivery_failed: u64,
    #[serde(rename = "misrouted-target")]
    pub misrouted_target: u64,
    #[serde(rename = "billing-inactive")]
    pub billing_inactive: u64,
    pub missed: u64,
}

impl ByCategory {
    pub fn add(&mut self, c: Category) {
        *self.slot(c) += 1;
    }

    fn slot(&mut self, c: Category) -> &mut u64 {
        match c {
            Category::Ok => &mut self.ok,
            Category::ExecutionFailed => &mut self.execution_failed,
            Category::DeliveryFailed => &mut self.delivery_failed,
            Category::MisroutedTarget => &mut self.misrouted_target,
            Category::BillingInactive => &mut self.billing_inactive,
            Category::Missed => &mut self.missed,
        }
    }

    pub fn get(&self, c: Category) -> u64 {
        let mut copy = self.clone();
        *copy.slot(c)
    }
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Summary {
    pub runs: u64,
    pub by_category: ByCategory,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct ExecutionReport {
    pub status: String,
    pub exit_code: Option<i32>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct DeliveryReport {
    pub status: String,
    pub attempts: usize,
    pub target: Option<String>,
    pub expected_target: Option<String>,
    pub error: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct BillingReport {
    pub layer: String,
    pub marker: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct EvidenceLine {
    pub path: String,
    pub line: u64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct RunReport {
    pub id: String,
    pub job: String,
    pub host: Option<String>,
    pub user: Option<String>,
    pub command: Option<String>,
    pub scheduler: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub duration_s: Option<f64>,
    pub category: String,
    pub categories: Vec<String>,
    pub execution: ExecutionReport,
    pub delivery: DeliveryReport,
    pub billing: Option<BillingReport>,
    pub reason: String,
    pub evidence: Vec<EvidenceLine>,
    #[serde(skip)]
    pub started: Option<DateTime<Utc>>,
}

/// Per-job health for the human formats: what push-monitor users ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobHealth {
    pub job: String,
    pub runs: u64,
    pub by_category: ByCategory,
    /// Consecutive non-ok runs up to the latest one, counted per host (a
    /// job that fails on web-02 is failing there whatever web-01 does): the
    /// longest current streak of any host.
    pub failing_streak: u64,
    /// Hosts with a current streak, longest first: (host, streak). The host
    /// is `-` for runs without one.
    pub failing_on: Vec<(String, u64)>,
    /// Hosts the job ran on (or was expected on), sorted.
    pub hosts: Vec<String>,
    /// Start of the latest ok run, and its host.
    pub last_ok: Option<String>,
    pub last_ok_host: Option<String>,
    /// Category of the latest run.
    pub last: Option<String>,
}

/// What the human formats add after the runs: skipped lines and files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    /// `path:line: reason` for the first malformed lines of each input.
    pub malformed: Vec<String>,
    /// Inputs with invalid UTF-8 lines: (path, count).
    pub invalid_utf8: Vec<(String, u64)>,
    /// Inputs cut short and read in part (`--keep-going`), and other warnings.
    pub warnings: Vec<String>,
    /// Slack records that matched no run: count and first examples.
    pub unmatched_slack: u64,
    pub unmatched_examples: Vec<String>,
    /// Folder files not read, and why.
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub schema_version: u32,
    pub inputs: Vec<InputReport>,
    pub summary: Summary,
    pub runs: Vec<RunReport>,
    #[serde(skip)]
    pub jobs: Vec<JobHealth>,
    #[serde(skip)]
    pub diagnostics: Diagnostics,
    /// The config file read, if any (shown by the human formats).
    #[serde(skip)]
    pub config_path: Option<String>,
    /// The zone used for zone-less stamps (shown by the human formats).
    #[serde(skip)]
    pub zone: String,
}

/// What `build` needs about each input.
pub struct InputOutcome<'a> {
    pub source: &'a Source,
    pub counts: Counts,
    pub malformed: &'a [(u64, String)],
    pub error: Option<&'a str>,
}

fn cut(s: &str) -> String {
    if s.len() <= MAX_EVIDENCE_TEXT {
        return s.to_string();
    }
    let mut end = MAX_EVIDENCE_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn evidence_line(path: &str, line: u64, text: &str) -> EvidenceLine {
    // Redact before cutting: a secret cut in half no longer matches its
    // pattern, and its first half would be printed.
    let text = crate::redact::redact_cow(text);
    EvidenceLine {
        path: redact_repeated(path),
        line,
        text: if text.len() <= MAX_EVIDENCE_TEXT {
            text.into_owned()
        } else {
            cut(&text)
        },
    }
}

/// Everything the report is built from.
pub struct Parts<'a> {
    pub inputs: Vec<InputOutcome<'a>>,
    pub events: &'a [Event],
    pub runs: &'a [Run],
    /// `categories[i]` is `runs[i]`'s.
    pub categories: &'a [Categories],
    /// What classifying a run needs: a verdict is built when its run is
    /// shown, not kept for every run.
    pub cfg: &'a crate::config::Config,
    pub ctx: crate::classify::Context<'a>,
    pub unmatched_slack: &'a [usize],
    pub skipped: &'a [Skipped],
    pub warnings: &'a [String],
    pub config_path: Option<String>,
    pub zone: String,
}

/// `inputs[]` and the diagnostics the human formats print after the runs.
fn inputs_and_diagnostics(p: &Parts) -> (Vec<InputReport>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let inputs = p
        .inputs
        .iter()
        .map(|i| {
            for (line, why) in i.malformed.iter().take(3) {
                diagnostics
                    .malformed
                    .push(redact(&format!("{}:{}: {}", i.source.display, line, why)));
            }
            if i.counts.invalid_utf8 > 0 {
                diagnostics
                    .invalid_utf8
                    .push((redact(&i.source.display), i.counts.invalid_utf8));
            }
            if let Some(e) = i.error {
                diagnostics.warnings.push(redact(&format!(
                    "{}: {e} (read up to there)",
                    i.source.display
                )));
            }
            InputReport {
                path: redact(&i.source.display),
                kind: i.source.kind.as_str().to_string(),
                lines: i.counts.lines,
                recognized: i.counts.recognized,
                ignored: i.counts.ignored,
                malformed: i.counts.malformed,
            }
        })
        .collect();
    diagnostics
        .warnings
        .extend(p.warnings.iter().map(|w| redact(w)));
    diagnostics.skipped = p
        .skipped
        .iter()
        .map(|s| redact(&format!("{}: {}", s.display, s.why)))
        .collect();
    diagnostics.unmatched_slack = p.unmatched_slack.len() as u64;
    diagnostics.unmatched_examples = p
        .unmatched_slack
        .iter()
        .take(3)
        .map(|&i| {
            let e = &p.events[i];
            format!(
                "{}:{}: {}",
                redact(&p.inputs[e.loc.source as usize].source.display),
                e.loc.line,
                cut(&redact(&e.text))
            )
        })
        .collect();
    (inputs, diagnostics)
}

fn summary(p: &Parts) -> Summary {
    let mut summary = Summary::default();
    for c in p.categories {
        summary.runs += 1;
        summary.by_category.add(c.first());
    }
    summary
}

/// Every run's id: `job@host@start`, with `#2`, `#3`… for the rare runs of
/// one job on one host that start in the same instant.
fn ids(p: &Parts) -> Vec<String> {
    use rayon::prelude::*;
    let mut ids: Vec<String> = p
        .runs
        .par_iter()
        .map(|run| {
            // Redacted here, before ids are told apart: two jobs whose
            // names hold secrets must not end up with one id.
            redact(&format!(
                "{}@{}@{}",
                run.job,
                run.host.as_deref().unwrap_or("-"),
                rfc3339(run.started_at)
            ))
        })
        .collect();
    // The same id twice: `#2`, `#3` in run order. Runs are sorted by
    // start, so equal ids are among runs of one start time.
    let mut dups: Vec<(usize, u32)> = Vec::new();
    let mut from = 0;
    while from < ids.len() {
        let t = p.runs[from].started_at;
        let to = from + p.runs[from..].partition_point(|r| r.started_at == t);
        if to - from > 1 {
            let mut seen: rustc_hash::FxHashMap<&str, u32> = Default::default();
            for (i, id) in ids.iter().enumerate().take(to).skip(from) {
                let n = seen.entry(id.as_str()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    dups.push((i, *n));
                }
            }
        }
        from = to;
    }
    for (i, n) in dups {
        ids[i] = format!("{}#{n}", ids[i]);
    }
    ids
}

/// One run as every format shows it. Pure, so runs are built in parallel.
fn run_report(p: &Parts, i: usize, id: &str) -> RunReport {
    let run = &p.runs[i];
    let v = &crate::classify::classify(run, p.events, p.cfg, &p.ctx);
    let path = |src: u32| p.inputs[src as usize].source.display.as_str();
    // One line may be two events (a job log's last line is both the end
    // of its output and its exit status): show it once.
    let mut shown: rustc_hash::FxHashSet<crate::event::Location> = Default::default();
    let mut evidence: Vec<EvidenceLine> = Vec::with_capacity(run.evidence.len() + 1);
    for &i in &run.evidence {
        let e = &p.events[i];
        if !shown.insert(e.loc) {
            continue;
        }
        evidence.push(evidence_line(path(e.loc.source), e.loc.line, &e.text));
    }
    if let Some(m) = &run.missed {
        evidence.push(evidence_line(
            p.config_path.as_deref().unwrap_or("crontriage.toml"),
            m.config_line,
            &format!("schedule = \"{}\"", m.schedule),
        ));
    }
    let duration_s = run
        .ended_at
        .map(|e| (e - run.started_at).num_milliseconds() as f64 / 1000.0);
    RunReport {
        id: id.to_string(),
        job: redact_repeated(&run.job),
        host: run.host.as_deref().map(redact_repeated),
        user: run.user.as_deref().map(redact_repeated),
        command: run.command.as_deref().map(redact_repeated),
        scheduler: run.sched.as_str().to_string(),
        started_at: rfc3339(run.started_at),
        ended_at: run.ended_at.map(rfc3339),
        duration_s,
        category: v.category().as_str().to_string(),
        categories: v
            .categories
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        execution: ExecutionReport {
            status: v.execution.status.as_str().to_string(),
            exit_code: v.execution.exit_code,
            reason: redact_repeated(&v.execution.reason),
        },
        delivery: DeliveryReport {
            status: v.delivery.status.as_str().to_string(),
            attempts: v.delivery.attempts,
            target: v.delivery.target.as_deref().map(redact_repeated),
            expected_target: v.delivery.expected_target.as_deref().map(redact_repeated),
            error: v.delivery.error.as_deref().map(redact_repeated),
            reason: redact_repeated(&v.delivery.reason),
        },
        billing: v.billing.as_ref().map(|b| BillingReport {
            layer: b.layer.to_string(),
            marker: redact_repeated(&b.marker),
            reason: redact_repeated(&b.reason),
        }),
        reason: redact_repeated(&v.reason),
        evidence,
        started: Some(run.started_at),
    }
}

/// The whole report, every run built (for the human formats and `explain`).
pub fn build(p: Parts) -> Report {
    use rayon::prelude::*;
    let (inputs, diagnostics) = inputs_and_diagnostics(&p);
    let ids = ids(&p);
    let runs: Vec<RunReport> = ids
        .par_iter()
        .enumerate()
        .map(|(i, id)| run_report(&p, i, id))
        .collect();
    let jobs = job_health(&runs, p.categories);
    Report {
        schema_version: 1,
        inputs,
        summary: summary(&p),
        runs,
        jobs,
        diagnostics,
        config_path: p.config_path.map(|c| redact(&c)),
        zone: p.zone,
    }
}

/// A reason's parts as (quoted, text): what stands between a pair of
/// backticks (a schedule, a Slack error code) is quoted. `None` when the
/// backticks do not pair up, and the whole text is plain.
pub fn quoted_parts(s: &str) -> Option<Vec<(bool, &str)>> {
    let parts: Vec<(bool, &str)> = s
        .split('`')
        .enumerate()
        .map(|(i, p)| (i % 2 == 1, p))
        .collect();
    (parts.len() % 2 == 1).then_some(parts)
}

/// Runs built and serialized together: bounds the memory a large report
/// needs while the threads share the work.
const BLOCK: usize = 2048;

/// serde_json's pretty formatter (two spaces a level) started `level`s
/// deep, so a value nested in the document is written in place, already
/// indented, instead of pretty-printed alone and then re-indented.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn at(level: usize) -> Nested {
        Nested {
            level,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const PAD: &[u8] = &[b' '; 64];
        w.write_all(b"\n")?;
        let mut n = self.level * 2;
        while n > 0 {
            let k = n.min(PAD.len());
            w.write_all(&PAD[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(c)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(c)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Pretty JSON of `v` as if it stood `level`s deep in a pretty document.
fn nested_json(v: &impl Serialize, level: usize, out: &mut Vec<u8>) -> serde_json::Result<()> {
    v.serialize(&mut serde_json::Serializer::with_formatter(
        out,
        Nested::at(level),
    ))
}

/// Write the JSON document (or NDJSON, one run a line) straight from the
/// runs, a block at a time, without building the whole report first. The
/// bytes equal `serde_json::to_string_pretty` of [`build`]'s report.
pub fn write_json(p: &Parts, w: &mut dyn std::io::Write, ndjson: bool) -> std::io::Result<()> {
    use rayon::prelude::*;
    let ids = ids(p);
    if !ndjson {
        let (inputs, _) = inputs_and_diagnostics(p);
        let mut head = Vec::new();
        head.extend_from_slice(b"{\n  \"schema_version\": 1,\n  \"inputs\": ");
        nested_json(&inputs, 1, &mut head)?;
        head.extend_from_slice(b",\n  \"summary\": ");
        nested_json(&summary(p), 1, &mut head)?;
        head.extend_from_slice(if ids.is_empty() {
            b",\n  \"runs\": []"
        } else {
            b",\n  \"runs\": ["
        });
        w.write_all(&head)?;
    }
    for (b, block) in ids.chunks(BLOCK).enumerate() {
        let parts: Vec<Vec<u8>> = block
            .par_iter()
            .enumerate()
            .map(|(k, id)| {
                let i = b * BLOCK + k;
                let run = run_report(p, i, id);
                let mut out = Vec::with_capacity(2048);
                if ndjson {
                    json::run(&run, None, &mut out);
                    out.push(b'\n');
                } else {
                    out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                    json::run(&run, Some(2), &mut out);
                }
                out
            })
            .collect();
        for part in parts {
            w.write_all(&part)?;
        }
    }
    if !ndjson {
        w.write_all(if ids.is_empty() {
            b"\n}\n"
        } else {
            b"\n  ]\n}\n"
        })?;
    }
    Ok(())
}

fn job_health(runs: &[RunReport], categories: &[Categories]) -> Vec<JobHealth> {
    let mut by_job: BTreeMap<&str, JobHealth> = BTreeMap::new();
    // (job, host) → current streak.
    let mut streaks: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (r, c) in runs.iter().zip(categories) {
        let h = by_job.entry(&r.job).or_insert_with(|| JobHealth {
            job: r.job.clone(),
            ..Default::default()
        });
        h.runs += 1;
        h.by_category.add(c.first());
        let host = r.host.as_deref().unwrap_or("-");
        let streak = streaks.entry((&r.job, host)).or_insert(0);
        // Runs are in start order, so this walks each job's history forwards.
        if c.first() == Category::Ok {
            *streak = 0;
            h.last_ok = Some(r.started_at.clone());
            h.last_ok_host = Some(host.to_string());
        } else {
            *streak += 1;
        }
        h.last = Some(r.category.clone());
    }
    for ((job, host), n) in streaks {
        let h = by_job.get_mut(job).expect("every streak has its job");
        h.hosts.push(host.to_string());
        if n > 0 {
            h.failing_on.push((host.to_string(), n));
        }
    }
    for h in by_job.values_mut() {
        h.failing_on
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        h.failing_streak = h.failing_on.first().map_or(0, |f| f.1);
    }
    by_job.into_values().collect()
}

/// Render a built report's JSON document (what [`write_json`] streams).
pub fn json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("report serializes");
    s.push('\n');
    s
}

/// One JSON run a line.
pub fn ndjson(r: &Report) -> String {
    let mut s = String::new();
    for run in &r.runs {
        s.push_str(&serde_json::to_string(run).expect("run serializes"));
        s.push('\n');
    }
    s
}

/// `crontriage sources`: what each input was taken for, and why.
pub fn sources(plan: &crate::input::Plan, cfg: &crate::config::Config) -> String {
    use table::Span;
    let same = |a: &std::path::Path, b: &std::path::Path| match (a.canonicalize(), b.canonicalize())
    {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    let mut g = table::Grid::new(vec!["path", "taken as", "why"], vec![false; 3]);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &plan.sources {
        let (kind, why) = match &s.job {
            Some(j) => {
                let how = match &s.path {
                    Some(p) if cfg.job_for_log(p).is_some() => "the config's [[job]] log glob",
                    Some(p)
                        if p.file_name().is_some_and(|f| {
                            f.to_string_lossy().split('.').next() == Some(j.as_str())
                        }) =>
                    {
                        "the file's name"
                    }
                    Some(_) => "its folder's name",
                    None => "stdin",
                };
                (
                    format!("job log of {j}"),
                    format!("{}; job from {how}", s.why),
                )
            }
            None => (
                match s.kind.as_str() {
                    "slack" => "Slack log".to_string(),
                    k => k.to_string(),
                },
                s.why.clone(),
            ),
        };
        *counts.entry(s.kind.as_str()).or_default() += 1;
        g.rows.push(vec![
            vec![Span::plain(redact(&s.display))],
            vec![Span::plain(kind)],
            vec![Span::plain(redact(&why))],
        ]);
    }
    let mut skipped = 0;
    for s in &plan.skipped {
        let is_config = cfg
            .config_path
            .as_ref()
            .is_some_and(|c| same(c, std::path::Path::new(&s.display)));
        let (kind, why) = if is_config {
            ("config".to_string(), "read as crontriage.toml".to_string())
        } else {
            skipped += 1;
            ("skipped".to_string(), s.why.clone())
        };
        g.rows.push(vec![
            vec![Span::plain(redact(&s.display))],
            vec![Span::plain(kind)],
            vec![Span::plain(redact(&why))],
        ]);
    }
    let mut out = g.render(table::tty_width(), false);
    let read: Vec<String> = ["syslog", "job-log", "slack"]
        .iter()
        .filter_map(|k| counts.get(k).map(|n| format!("{n} {k}")))
        .collect();
    out.push_str(&format!(
        "\n{} file(s) read ({}), {skipped} skipped\n",
        plan.sources.len(),
        if read.is_empty() {
            "none".to_string()
        } else {
            read.join(", ")
        }
    ));
    match &cfg.config_path {
        Some(p) => out.push_str(&format!("config: {}\n", redact(&p.display().to_string()))),
        None => out.push_str("config: none (no crontriage.toml found)\n"),
    }
    for w in &plan.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}
