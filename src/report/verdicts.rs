//! Every run's verdict, judged once and kept the way the report shows it:
//! statuses and numbers as they are, texts redacted and held once per
//! chunk of runs. Categories are needed before any run is written (the
//! summary, `--fail-on`), and a verdict again when its run is; judging each
//! run twice cost a fifth of rendering, and a hundred thousand full
//! [`Verdict`]s would hold half a million strings, where a fleet's day
//! repeats the same few reasons.

use crate::classify::{self, Categories, Context, DeliveryStatus, ExecStatus, Verdict};
use crate::config::Config;
use crate::correlate::Run;
use crate::event::Event;

/// Runs judged together, sharing one table of texts.
const CHUNK: usize = 512;

/// A text's place in its chunk's table.
type Text = u32;
const NONE: Text = Text::MAX;

/// Every run's verdict, in run order.
#[derive(Default)]
pub struct Verdicts {
    chunks: Vec<Chunk>,
    categories: Vec<Categories>,
}

struct Chunk {
    runs: Vec<Judged>,
    /// Redacted.
    texts: Vec<Box<str>>,
}

/// One [`Verdict`], its texts in its chunk's table.
struct Judged {
    categories: Categories,
    execution: ExecStatus,
    exit_code: Option<i32>,
    execution_reason: Text,
    delivery: DeliveryStatus,
    attempts: usize,
    target: Text,
    expected_target: Text,
    error: Text,
    delivery_reason: Text,
    billing: Option<&'static str>,
    marker: Text,
    billing_reason: Text,
    reason: Text,
}

/// A kept verdict's values, borrowed from its table.
pub(crate) struct Kept<'a> {
    pub categories: Categories,
    pub execution: ExecStatus,
    pub exit_code: Option<i32>,
    pub execution_reason: &'a str,
    pub delivery: DeliveryStatus,
    pub attempts: usize,
    pub target: Option<&'a str>,
    pub expected_target: Option<&'a str>,
    pub error: Option<&'a str>,
    pub delivery_reason: &'a str,
    /// The layer that showed it, its marker and reason.
    pub billing: Option<(&'static str, &'a str, &'a str)>,
    pub reason: &'a str,
}

impl Verdicts {
    /// Judge every run (in parallel).
    pub fn judge(runs: &[Run], events: &[Event], cfg: &Config, ctx: &Context) -> Verdicts {
        use rayon::prelude::*;
        let chunks: Vec<Chunk> = runs
            .par_chunks(CHUNK)
            .map(|runs| {
                let mut table = Table {
                    texts: Vec::new(),
                    judged: Vec::new(),
                    known: Default::default(),
                    last: [NONE; Field::COUNT],
                };
                let runs = runs
                    .iter()
                    .map(|r| table.keep(classify::classify(r, events, cfg, ctx)))
                    .collect();
                Chunk {
                    runs,
                    texts: table.texts,
                }
            })
            .collect();
        let categories = chunks
            .iter()
            .flat_map(|c| c.runs.iter().map(|j| j.categories))
            .collect();
        Verdicts { chunks, categories }
    }

    /// `categories()[i]` is run `i`'s.
    pub fn categories(&self) -> &[Categories] {
        &self.categories
    }

    /// Run `i`'s verdict.
    pub(crate) fn get(&self, i: usize) -> Kept<'_> {
        let chunk = &self.chunks[i / CHUNK];
        let j = &chunk.runs[i % CHUNK];
        let text = |t: Text| &*chunk.texts[t as usize];
        let opt = |t: Text| (t != NONE).then(|| text(t));
        Kept {
            categories: j.categories,
            execution: j.execution,
            exit_code: j.exit_code,
            execution_reason: text(j.execution_reason),
            delivery: j.delivery,
            attempts: j.attempts,
            target: opt(j.target),
            expected_target: opt(j.expected_target),
            error: opt(j.error),
            delivery_reason: text(j.delivery_reason),
            billing: j
                .billing
                .map(|layer| (layer, text(j.marker), text(j.billing_reason))),
            reason: text(j.reason),
        }
    }
}

/// A chunk's texts, each redacted once.
struct Table {
    texts: Vec<Box<str>>,
    /// `texts[t]` as judged (unredacted).
    judged: Vec<String>,
    /// As judged → place.
    known: rustc_hash::FxHashMap<String, Text>,
    /// The text each field had last: runs in a row mostly share their
    /// reasons, and a comparison costs less than a hash lookup.
    last: [Text; Field::COUNT],
}

/// A verdict's text fields, for [`Table::last`].
#[derive(Clone, Copy)]
enum Field {
    ExecutionReason,
    Target,
    ExpectedTarget,
    Error,
    DeliveryReason,
    Marker,
    BillingReason,
    Reason,
}

impl Field {
    const COUNT: usize = 8;
}

impl Table {
    fn text(&mut self, field: Field, s: String) -> Text {
        let last = self.last[field as usize];
        if last != NONE && self.judged[last as usize] == s {
            return last;
        }
        let t = match self.known.get(&s) {
            Some(&t) => t,
            None => {
                let t = self.texts.len() as Text;
                self.texts
                    .push(crate::redact::redact_cow(&s).into_owned().into_boxed_str());
                self.judged.push(s.clone());
                self.known.insert(s, t);
                t
            }
        };
        self.last[field as usize] = t;
        t
    }

    fn opt(&mut self, field: Field, s: Option<String>) -> Text {
        s.map_or(NONE, |s| self.text(field, s))
    }

    fn keep(&mut self, v: Verdict) -> Judged {
        let categories = Categories::of(&v.categories);
        // Categories are kept as a set and shown in SPEC order, the order
        // classify lists them in.
        debug_assert!(categories.iter().eq(v.categories.iter().copied()));
        let (billing, marker, billing_reason) = match v.billing {
            Some(b) => (
                Some(b.layer),
                self.text(Field::Marker, b.marker),
                self.text(Field::BillingReason, b.reason),
            ),
            None => (None, NONE, NONE),
        };
        Judged {
            categories,
            execution: v.execution.status,
            exit_code: v.execution.exit_code,
            execution_reason: self.text(Field::ExecutionReason, v.execution.reason),
            delivery: v.delivery.status,
            attempts: v.delivery.attempts,
            target: self.opt(Field::Target, v.delivery.target),
            expected_target: self.opt(Field::ExpectedTarget, v.delivery.expected_target),
            error: self.opt(Field::Error, v.delivery.error),
            delivery_reason: self.text(Field::DeliveryReason, v.delivery.reason),
            billing,
            marker,
            billing_reason,
            reason: self.text(Field::Reason, v.reason),
        }
    }
}
