//! A progress bar on stderr while large inputs are read: only when stderr is
//! a terminal and the inputs hold more than [`THRESHOLD`] bytes; silent
//! otherwise (pipes, files, CI logs, cron mails), and always silent with
//! `CRONTRIAGE_NO_PROGRESS` set.
//!
//! Progress is counted in bytes (uncompressed, for `.gz`) of whole files as
//! they finish (sources are read in parallel, each in one pass); a steady
//! tick keeps the spinner and the elapsed time moving while one big file is
//! still being read.

use crate::input::{Plan, Source};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Inputs smaller than this read too fast to need a bar.
pub const THRESHOLD: u64 = 64 * 1024 * 1024;

pub struct Progress {
    bar: Option<ProgressBar>,
    files: usize,
    done: AtomicUsize,
}

/// Bytes to read: a `.gz`'s uncompressed size (its trailer's ISIZE, which a
/// rotated log's ten-fold compression would otherwise hide from the
/// threshold), a file's size, stdin's when it is a redirected file (0 for a
/// pipe, which has none to tell).
fn size(s: &Source) -> u64 {
    let path = s
        .path
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("/dev/stdin"));
    let Ok(meta) = std::fs::metadata(&path) else {
        return 0;
    };
    let len = meta.len();
    if s.path.is_none() || !meta.is_file() || len < 18 {
        return len;
    }
    gz_isize(&path).filter(|n| *n >= len).unwrap_or(len)
}

/// The uncompressed size a gzip file's trailer gives (modulo 4 GiB; the
/// last member's only), or `None` for a file that is not gzip.
fn gz_isize(path: &std::path::Path) -> Option<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let mut magic = [0u8; 2];
    f.read_exact(&mut magic).ok()?;
    if magic != [0x1f, 0x8b] {
        return None;
    }
    f.seek(SeekFrom::End(-4)).ok()?;
    let mut tail = [0u8; 4];
    f.read_exact(&mut tail).ok()?;
    Some(u64::from(u32::from_le_bytes(tail)))
}

/// Whether to draw: big inputs, stderr a terminal, not switched off.
pub fn wanted(total: u64) -> bool {
    total > THRESHOLD
        && std::io::stderr().is_terminal()
        && std::env::var_os("CRONTRIAGE_NO_PROGRESS").is_none()
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

impl Progress {
    pub fn new(plan: &Plan) -> Progress {
        let total: u64 = plan.sources.iter().map(size).sum();
        let bar = wanted(total).then(|| {
            let b = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} reading {bytes}/{total_bytes} [{bar:30}] {elapsed} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            b.set_message(format!("0/{} files", plan.sources.len()));
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        Progress {
            bar,
            files: plan.sources.len(),
            done: AtomicUsize::new(0),
        }
    }

    /// A source has been read.
    pub fn done(&self, s: &Source) {
        if let Some(b) = &self.bar {
            let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            b.inc(size(s));
            b.set_message(format!("{n}/{} files, last {}", self.files, s.display));
        }
    }

    /// Clear the bar, so the report starts on a clean line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
