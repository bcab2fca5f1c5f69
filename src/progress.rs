//! A progress bar on stderr while large inputs are read: only when stderr is
//! a terminal and the inputs hold more than 64 MB; silent otherwise.

use crate::input::{Plan, Source};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Inputs smaller than this read too fast to need a bar.
pub const THRESHOLD: u64 = 64 * 1024 * 1024;

pub struct Progress {
    bar: Option<ProgressBar>,
}

fn size(s: &Source) -> u64 {
    s.path
        .as_ref()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len())
}

impl Progress {
    pub fn new(plan: &Plan) -> Progress {
        let total: u64 = plan.sources.iter().map(size).sum();
        let show = total > THRESHOLD
            && std::io::stderr().is_terminal()
            && std::env::var_os("CRONTRIAGE_NO_PROGRESS").is_none();
        let bar = show.then(|| {
            let b = ProgressBar::new(total);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} reading {bytes}/{total_bytes} [{bar:30}] {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b
        });
        Progress { bar }
    }

    /// A source has been read.
    pub fn done(&self, s: &Source) {
        if let Some(b) = &self.bar {
            b.inc(size(s));
            b.set_message(s.display.clone());
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
