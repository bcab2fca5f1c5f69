//! One report model, several renderers. [`build`] turns runs and verdicts
//! into the [`Report`] every format prints — redacted, sorted, with stable
//! ids — so renderers never recompute or re-judge anything.
//!
//! The JSON form of [`Report`] is the stable schema of SPEC §4
//! (`schema_version: 1`); fields that only the human formats show
//! (per-job health, diagnostics) are skipped in JSON.
//!
//! Each run's values are worked out in one place, `Shown`: [`build`]
//! makes a [`RunReport`] of them, and [`write_json`] writes them straight
//! into the document (a hundred thousand runs, each otherwise built as a
//! struct of owned strings, serialized and freed). Verdicts come judged and
//! redacted from [`Verdicts`].

pub mod csv;
pub mod explain;
pub mod html;
mod json;
pub mod markdown;
pub mod table;
mod verdicts;

pub use verdicts::Verdicts;

use crate::classify::{Categories, Category};
use crate::correlate::Run;
use crate::event::{Event, Name};
use crate::formats::Counts;
use crate::input::{Skipped, Source};
use crate::redact::redact;
use crate::time::rfc3339;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::borrow::Cow;
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

/// An evidence line's text as shown: redacted, then cut. Redact before
/// cutting: a secret cut in half no longer matches its pattern, and its
/// first half would be printed.
fn shown_text(text: &str) -> Cow<'_, str> {
    match crate::redact::redact_cow(text) {
        Cow::Borrowed(t) => cut_cow(t),
        t => Cow::Owned(cut(&t)),
    }
}

/// As [`cut`], borrowing a text short enough.
fn cut_cow(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_EVIDENCE_TEXT {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(cut(text))
    }
}

/// Everything the report is built from.
pub struct Parts<'a> {
    pub inputs: Vec<InputOutcome<'a>>,
    pub events: &'a [Event],
    pub runs: &'a [Run],
    /// `runs[i]`'s verdict is `verdicts.get(i)`.
    pub verdicts: &'a Verdicts,
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
    for c in p.verdicts.categories() {
        summary.runs += 1;
        summary.by_category.add(c.first());
    }
    summary
}

/// What redaction makes of a run's names (job, host, user, command), asked
/// once per name and thread: names are shared (`Arc<str>`), so a report's
/// hundred thousand runs hold a few hundred of them.
#[derive(Default)]
struct Names(rustc_hash::FxHashMap<usize, Redacted>);

enum Redacted {
    /// Nothing redaction could act on (see [`crate::redact::is_clean`]).
    Clean,
    /// Something it looks at, but unchanged.
    Same,
    Changed(String),
}

impl Names {
    fn state(&mut self, name: &Name) -> &Redacted {
        // Keyed by address: every name lives as long as the runs holding
        // it, so no two names share one while a report is rendered (and a
        // thread's table is emptied when it turns to another report).
        let key = std::sync::Arc::as_ptr(name) as *const u8 as usize;
        self.0.entry(key).or_insert_with(|| {
            if crate::redact::is_clean(name) {
                Redacted::Clean
            } else {
                match crate::redact::redact_cow(name) {
                    Cow::Borrowed(_) => Redacted::Same,
                    Cow::Owned(s) => Redacted::Changed(s),
                }
            }
        })
    }

    fn clean(&mut self, name: &Name) -> bool {
        matches!(self.state(name), Redacted::Clean)
    }

    /// `name` as shown.
    fn shown<'a>(&mut self, name: &'a Name) -> Cow<'a, str> {
        match self.state(name) {
            Redacted::Changed(s) => Cow::Owned(s.clone()),
            _ => Cow::Borrowed(name),
        }
    }
}

/// Runs' ids: `job@host@start`, redacted, with `#2`, `#3`… for the rare
/// runs of one job on one host that start in the same instant. Worked out
/// for one piece of runs at a time, so each thread does its own.
struct Ids {
    /// The first run held (the start of the piece's first instant).
    from: usize,
    text: Vec<u8>,
    /// Run `from + k`'s id is `text[ends[k]..ends[k + 1]]`.
    ends: Vec<usize>,
    /// Its number among equal ids, 1 for the first.
    nth: Vec<u32>,
}

impl Ids {
    fn of(p: &Parts, range: std::ops::Range<usize>, names: &mut Names) -> Ids {
        let runs = p.runs;
        // Equal ids are among runs of one start time (runs are sorted by
        // start): begin at the piece's first instant, which may have begun
        // in the piece before.
        let from = match runs.get(range.start) {
            Some(r) if !range.is_empty() => {
                runs[..range.start].partition_point(|x| x.started_at < r.started_at)
            }
            _ => range.start,
        };
        let mut ids = Ids {
            from,
            text: Vec::with_capacity((range.end - from) * 48),
            ends: Vec::with_capacity(range.end - from + 1),
            nth: vec![1; range.end - from],
        };
        ids.ends.push(0);
        for run in &runs[from..range.end] {
            let host = run.host.as_ref();
            let at = ids.text.len();
            ids.text.extend_from_slice(run.job.as_bytes());
            ids.text.push(b'@');
            ids.text
                .extend_from_slice(host.map_or("-", |h| &**h).as_bytes());
            ids.text.push(b'@');
            json::rfc3339(&mut ids.text, run.started_at);
            // Names redaction would return unchanged (see `is_clean`) stay
            // as written; otherwise the id is redacted whole, before ids are
            // told apart: two jobs whose names hold secrets must not end up
            // with one id.
            if !(names.clean(&run.job) && host.is_none_or(|h| names.clean(h))) {
                let raw =
                    String::from_utf8(ids.text.split_off(at)).expect("names and stamps are UTF-8");
                ids.text
                    .extend_from_slice(crate::redact::redact_cow(&raw).as_bytes());
            }
            ids.ends.push(ids.text.len());
        }
        // The same id twice: `#2`, `#3` in run order.
        let mut seen: rustc_hash::FxHashMap<&[u8], u32> = Default::default();
        let mut k = 0;
        let n = ids.nth.len();
        while k < n {
            let t = runs[from + k].started_at;
            let mut e = k + 1;
            while e < n && runs[from + e].started_at == t {
                e += 1;
            }
            if e - k > 1 {
                seen.clear();
                for j in k..e {
                    let c = seen
                        .entry(&ids.text[ids.ends[j]..ids.ends[j + 1]])
                        .or_insert(0);
                    *c += 1;
                    ids.nth[j] = *c;
                }
            }
            k = e;
        }
        drop(seen);
        ids
    }

    /// Run `i`'s id as redacted, and its number among equal ids.
    fn get(&self, i: usize) -> (&[u8], u32) {
        let k = i - self.from;
        (&self.text[self.ends[k]..self.ends[k + 1]], self.nth[k])
    }
}

/// What every run's rendering shares: the inputs' paths as shown, each
/// redacted once rather than once per evidence line.
struct Shared<'p, 'a> {
    p: &'p Parts<'a>,
    /// Tells this report from others rendered in the process before.
    report: u64,
    paths: Vec<String>,
    /// The config's path, where a missed run's evidence points.
    config: String,
}

impl<'p, 'a> Shared<'p, 'a> {
    fn new(p: &'p Parts<'a>) -> Self {
        static REPORTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Shared {
            p,
            report: REPORTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            paths: p.inputs.iter().map(|i| redact(&i.source.display)).collect(),
            config: redact(p.config_path.as_deref().unwrap_or("crontriage.toml")),
        }
    }

    /// `f` with this thread's [`Names`] for this report.
    fn with_names<R>(&self, f: impl FnOnce(&mut Names) -> R) -> R {
        thread_local! {
            static NAMES: std::cell::RefCell<(u64, Names)> = Default::default();
        }
        NAMES.with_borrow_mut(|(report, names)| {
            if *report != self.report {
                names.0.clear();
                *report = self.report;
            }
            f(names)
        })
    }

    /// Run `i` as shown, its id taken from `ids`.
    fn run<'s>(&'s self, i: usize, ids: &'s Ids, names: &mut Names) -> Shown<'s> {
        let run = &self.p.runs[i];
        let (id, nth) = ids.get(i);
        let v = self.p.verdicts.get(i);
        let shown = Cow::Borrowed;
        Shown {
            id,
            nth,
            job: names.shown(&run.job),
            host: run.host.as_ref().map(|h| names.shown(h)),
            user: run.user.as_ref().map(|u| names.shown(u)),
            command: run.command.as_ref().map(|c| names.shown(c)),
            scheduler: run.sched.as_str(),
            started_at: run.started_at,
            ended_at: run.ended_at,
            duration_s: run
                .ended_at
                .map(|e| (e - run.started_at).num_milliseconds()),
            categories: v.categories,
            execution: ShownExecution {
                status: v.execution.as_str(),
                exit_code: v.exit_code,
                reason: shown(v.execution_reason),
            },
            delivery: ShownDelivery {
                status: v.delivery.as_str(),
                attempts: v.attempts,
                target: v.target.map(shown),
                expected_target: v.expected_target.map(shown),
                error: v.error.map(shown),
                reason: shown(v.delivery_reason),
            },
            billing: v.billing.map(|(layer, marker, reason)| ShownBilling {
                layer,
                marker: shown(marker),
                reason: shown(reason),
            }),
            reason: shown(v.reason),
            evidence: Evidence::Run {
                run,
                events: self.p.events,
                paths: &self.paths,
                config: &self.config,
            },
        }
    }
}

/// One run's values as every format shows them: redacted, borrowed where
/// redaction changed nothing. [`RunReport`] is made from it for the human
/// formats, and the JSON writer writes it without making one, so the two
/// cannot disagree.
pub(crate) struct Shown<'a> {
    /// Redacted; `#nth` follows when `nth > 1`.
    pub id: &'a [u8],
    pub nth: u32,
    pub job: Cow<'a, str>,
    pub host: Option<Cow<'a, str>>,
    pub user: Option<Cow<'a, str>>,
    pub command: Option<Cow<'a, str>>,
    pub scheduler: &'static str,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// In milliseconds (`duration_s` is this over 1000).
    pub duration_s: Option<i64>,
    /// Shown in SPEC order; the first is the run's category.
    pub categories: Categories,
    pub execution: ShownExecution<'a>,
    pub delivery: ShownDelivery<'a>,
    pub billing: Option<ShownBilling<'a>>,
    pub reason: Cow<'a, str>,
    pub evidence: Evidence<'a>,
}

/// Where a shown run's evidence lines come from.
pub(crate) enum Evidence<'a> {
    /// The run's events (paths redacted, in input order), and the config's
    /// path for a missed run's schedule line.
    Run {
        run: &'a Run,
        events: &'a [Event],
        paths: &'a [String],
        config: &'a str,
    },
    /// Lines as shown (the JSON writer's tests).
    #[cfg(test)]
    Lines(&'a [EvidenceLine]),
}

pub(crate) struct ShownExecution<'a> {
    pub status: &'static str,
    pub exit_code: Option<i32>,
    pub reason: Cow<'a, str>,
}

pub(crate) struct ShownDelivery<'a> {
    pub status: &'static str,
    pub attempts: usize,
    pub target: Option<Cow<'a, str>>,
    pub expected_target: Option<Cow<'a, str>>,
    pub error: Option<Cow<'a, str>>,
    pub reason: Cow<'a, str>,
}

pub(crate) struct ShownBilling<'a> {
    pub layer: &'static str,
    pub marker: Cow<'a, str>,
    pub reason: Cow<'a, str>,
}

impl Shown<'_> {
    /// The evidence lines as shown: `f(path, line, text)` for each.
    pub fn each_evidence(&self, mut f: impl FnMut(&str, u64, &str)) {
        let (run, events, paths, config) = match &self.evidence {
            Evidence::Run {
                run,
                events,
                paths,
                config,
            } => (*run, *events, *paths, *config),
            #[cfg(test)]
            Evidence::Lines(lines) => {
                for l in *lines {
                    f(&l.path, l.line, &l.text);
                }
                return;
            }
        };
        let ev = &run.evidence;
        // One line may be two events (a job log's last line is both the
        // end of its output and its exit status): show it once. Runs hold
        // a handful of lines; a long list is told apart with a set.
        let mut set: rustc_hash::FxHashSet<crate::event::Location> = Default::default();
        let long = ev.len() > 16;
        // Nearly every run's lines hold nothing redaction acts on: asked of
        // them all at once (a scan's cost is mostly its start, and a line is
        // short), they are then shown as they are. Any part of a clean text
        // is clean.
        let clean = {
            thread_local! {
                static LINES: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
            }
            LINES.with_borrow_mut(|lines| {
                lines.clear();
                for &i in ev {
                    lines.push_str(&events[i].text);
                    lines.push('\n');
                }
                crate::redact::is_clean(lines)
            })
        };
        for (k, &i) in ev.iter().enumerate() {
            let e = &events[i];
            let again = if long {
                !set.insert(e.loc)
            } else {
                ev[..k].iter().any(|&j| events[j].loc == e.loc)
            };
            if !again {
                let text = if clean {
                    cut_cow(&e.text)
                } else {
                    shown_text(&e.text)
                };
                f(&paths[e.loc.source as usize], e.loc.line, &text);
            }
        }
        if let Some(m) = &run.missed {
            let text = format!("schedule = \"{}\"", m.schedule);
            f(config, m.config_line, &shown_text(&text));
        }
    }

    /// The seconds `duration_s` shows.
    pub fn duration_s(&self) -> Option<f64> {
        self.duration_s.map(|ms| ms as f64 / 1000.0)
    }

    fn report(&self) -> RunReport {
        let s = |c: &Cow<str>| c.to_string();
        let mut id = String::from_utf8(self.id.to_vec()).expect("ids are UTF-8");
        if self.nth > 1 {
            id.push_str(&format!("#{}", self.nth));
        }
        let mut evidence = Vec::new();
        self.each_evidence(|path, line, text| {
            evidence.push(EvidenceLine {
                path: path.to_string(),
                line,
                text: text.to_string(),
            })
        });
        RunReport {
            id,
            job: s(&self.job),
            host: self.host.as_ref().map(s),
            user: self.user.as_ref().map(s),
            command: self.command.as_ref().map(s),
            scheduler: self.scheduler.to_string(),
            started_at: rfc3339(self.started_at),
            ended_at: self.ended_at.map(rfc3339),
            duration_s: self.duration_s(),
            category: self.categories.first().as_str().to_string(),
            categories: self
                .categories
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            execution: ExecutionReport {
                status: self.execution.status.to_string(),
                exit_code: self.execution.exit_code,
                reason: s(&self.execution.reason),
            },
            delivery: DeliveryReport {
                status: self.delivery.status.to_string(),
                attempts: self.delivery.attempts,
                target: self.delivery.target.as_ref().map(s),
                expected_target: self.delivery.expected_target.as_ref().map(s),
                error: self.delivery.error.as_ref().map(s),
                reason: s(&self.delivery.reason),
            },
            billing: self.billing.as_ref().map(|b| BillingReport {
                layer: b.layer.to_string(),
                marker: s(&b.marker),
                reason: s(&b.reason),
            }),
            reason: s(&self.reason),
            evidence,
            started: Some(self.started_at),
        }
    }
}

/// Runs per block: bounds the memory a large report needs while the threads
/// share the work (a block of JSON is some 12 MB).
const BLOCK: usize = 8192;

/// Runs a thread renders in one go, with one set of lookups.
const PIECE: usize = 512;

/// The whole report, every run built (for the human formats and `explain`).
pub fn build(p: Parts) -> Report {
    use rayon::prelude::*;
    let (inputs, diagnostics) = inputs_and_diagnostics(&p);
    let shared = Shared::new(&p);
    let runs: Vec<RunReport> = (0..p.runs.len().div_ceil(PIECE))
        .into_par_iter()
        .flat_map_iter(|k| {
            let range = k * PIECE..p.runs.len().min((k + 1) * PIECE);
            shared.with_names(|names| {
                let ids = Ids::of(&p, range.clone(), names);
                range
                    .map(|i| shared.run(i, &ids, names).report())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let jobs = job_health(&runs, p.verdicts.categories());
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
    let n = p.runs.len();
    if !ndjson {
        let (inputs, _) = inputs_and_diagnostics(p);
        let mut head = Vec::new();
        head.extend_from_slice(b"{\n  \"schema_version\": 1,\n  \"inputs\": ");
        nested_json(&inputs, 1, &mut head)?;
        head.extend_from_slice(b",\n  \"summary\": ");
        nested_json(&summary(p), 1, &mut head)?;
        head.extend_from_slice(if n == 0 {
            b",\n  \"runs\": []"
        } else {
            b",\n  \"runs\": ["
        });
        w.write_all(&head)?;
    }
    let shared = Shared::new(p);
    let layout = json::Layout::new((!ndjson).then_some(2));
    // One buffer per piece of a block, kept from block to block.
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); BLOCK.div_ceil(PIECE)];
    for start in (0..n).step_by(BLOCK) {
        let end = n.min(start + BLOCK);
        bufs.par_iter_mut().enumerate().for_each(|(k, out)| {
            out.clear();
            let from = start + k * PIECE;
            let to = end.min(from + PIECE);
            if from >= to {
                return;
            }
            // About 1.5 kB a run: one allocation, not a dozen doublings.
            out.reserve((to - from) * 2048);
            shared.with_names(|names| {
                let ids = Ids::of(p, from..to, names);
                for i in from..to {
                    let run = shared.run(i, &ids, names);
                    if ndjson {
                        json::run(&run, &layout, out);
                        out.push(b'\n');
                    } else {
                        out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                        json::run(&run, &layout, out);
                    }
                }
            })
        });
        for buf in &bufs {
            w.write_all(buf)?;
        }
    }
    if !ndjson {
        w.write_all(if n == 0 { b"\n}\n" } else { b"\n  ]\n}\n" })?;
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
