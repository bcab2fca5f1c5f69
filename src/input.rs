//! Where the bytes come from: paths, globs, `-`, `.gz`, folders.
//!
//! [`plan`] turns what the user named into a sorted list of [`Source`]s, each
//! with its kind (and, for a job log, its job). In a folder every file is
//! sniffed by content; [`Plan::skipped`] says what was left out and why, so
//! `crontriage sources` can show exactly what `report` will read.
//! [`BlockReader`] reads a source in large line-aligned blocks with bounded
//! memory: a line longer than [`MAX_LINE`] that crosses a block is cut,
//! flagged and skipped to its end, so one giant line cannot exhaust memory;
//! the parsers count a longer line inside a block the same way.
//! A plain file ([`plain_file`]) is instead read by position in independent
//! pieces ([`read_piece`]), so that several threads read and parse it at
//! once; the pieces give exactly the lines the block reader gives.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::event::SourceId;
use crate::formats::{self, InputKind, Sniffed};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Longest line kept; the rest of a longer line is skipped.
pub const MAX_LINE: usize = 1 << 20;
/// Whether a line (without its `\n`) is over [`MAX_LINE`], not counting
/// a `\r` that ends it: the parsers' rule, so that whether a line is cut
/// does not depend on where a block or piece boundary falls.
pub fn overlong_line(line: &[u8]) -> bool {
    line.strip_suffix(b"\r").unwrap_or(line).len() > MAX_LINE
}

/// Bytes read per block.
pub const BLOCK: usize = 8 << 20;

/// One input to read.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: SourceId,
    /// As shown in the report: the path as found, or `-` for stdin.
    pub display: String,
    /// `None` for stdin.
    pub path: Option<PathBuf>,
    pub kind: InputKind,
    /// The job a job log belongs to.
    pub job: Option<String>,
    /// Why it was taken for this kind (folder mode), or the flag that named it.
    pub why: String,
}

/// A file in a folder that is not read, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub display: String,
    pub why: String,
}

/// What will be read.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub sources: Vec<Source>,
    pub skipped: Vec<Skipped>,
    /// Problems reported and passed over (`--keep-going`).
    pub warnings: Vec<String>,
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expand one path argument: `-`, a glob, or a literal path.
fn expand(arg: &str, flag: &str) -> std::result::Result<Vec<PathBuf>, Error> {
    if arg == "-" {
        return Ok(vec![PathBuf::from("-")]);
    }
    if has_glob(arg) {
        let paths = glob::glob(arg)
            .map_err(|e| Error::Usage(format!("{flag} `{arg}`: not a valid glob: {e}")))?;
        let mut out: Vec<PathBuf> = Vec::new();
        for p in paths {
            match p {
                Ok(p) if p.is_dir() => {}
                Ok(p) => out.push(p),
                Err(e) => return Err(Error::input(e.path().display().to_string(), e.error())),
            }
        }
        if out.is_empty() {
            return Err(Error::input(
                arg,
                format!("no file matches this pattern ({flag})"),
            ));
        }
        out.sort();
        return Ok(out);
    }
    let p = PathBuf::from(arg);
    match std::fs::metadata(&p) {
        Ok(m) if m.is_dir() => Err(Error::input(
            arg,
            format!("is a directory ({flag} takes files; give a folder as DIR)"),
        )),
        Ok(_) => Ok(vec![p]),
        Err(e) => Err(Error::input(arg, io_reason(&e))),
    }
}

/// A short reason for an I/O error.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Files under `dir`, recursively, sorted; symlinked folders are followed
/// once (loops are cut), hidden entries skipped.
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut BTreeSet<PathBuf>,
    skipped: &mut Vec<Skipped>,
    depth: usize,
) -> io::Result<()> {
    let canon = dir.canonicalize()?;
    if !seen.insert(canon) {
        skipped.push(Skipped {
            display: dir.display().to_string(),
            why: "folder already read (symlink loop)".into(),
        });
        return Ok(());
    }
    if depth > 32 {
        skipped.push(Skipped {
            display: dir.display().to_string(),
            why: "nested more than 32 folders deep".into(),
        });
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                if let Err(e) = walk(&p, out, seen, skipped, depth + 1) {
                    skipped.push(Skipped {
                        display: p.display().to_string(),
                        why: io_reason(&e),
                    });
                }
            }
            Ok(m) if m.is_file() => out.push(p),
            Ok(_) => skipped.push(Skipped {
                display: p.display().to_string(),
                why: "not a regular file".into(),
            }),
            Err(e) => skipped.push(Skipped {
                display: p.display().to_string(),
                why: io_reason(&e),
            }),
        }
    }
    Ok(())
}

/// Up to `n` bytes from the start of a file, decompressed when gzip.
fn sample(path: &Path, n: usize) -> io::Result<Vec<u8>> {
    let mut r = open_path(path)?;
    let mut buf = Vec::with_capacity(n);
    r.by_ref().take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Build the list of sources from flags and folders.
pub fn plan(cfg: &Config) -> Result<Plan> {
    let i = &cfg.inputs;
    if i.syslog.is_empty() && i.job_log.is_empty() && i.slack.is_empty() && i.dirs.is_empty() {
        // An empty report here would pass a CI check whose log folder
        // variable came out empty.
        return Err(Error::Usage(
            "no inputs: give a folder (`crontriage report DIR`) or files with --syslog, --job-log or --slack (`-` for stdin)".into(),
        ));
    }
    let mut plan = Plan::default();
    // Canonical path → the name it was first taken under.
    let mut seen: std::collections::BTreeMap<PathBuf, String> = Default::default();
    let mut stdin_used = false;
    let mut push = |plan: &mut Plan,
                    path: PathBuf,
                    kind: InputKind,
                    job: Option<String>,
                    why: String|
     -> Result<()> {
        let display = path.display().to_string();
        if display == "-" {
            if stdin_used {
                return Err(Error::Usage("`-` (stdin) can be given only once".into()));
            }
            stdin_used = true;
        } else {
            let key = path.canonicalize().unwrap_or_else(|_| path.clone());
            if let Some(first) = seen.get(&key) {
                // A second name for a file already taken (a symlink, or the
                // file named twice) is read once, and said so.
                if *first != display {
                    plan.skipped.push(Skipped {
                        display,
                        why: format!("the same file as {first} (read once)"),
                    });
                }
                return Ok(());
            }
            seen.insert(key, display.clone());
        }
        plan.sources.push(Source {
            id: 0,
            path: (display != "-").then_some(path),
            display,
            kind,
            job,
            why,
        });
        Ok(())
    };
    let flags: [(&Vec<String>, InputKind, &str); 3] = [
        (&cfg.inputs.syslog, InputKind::Syslog, "--syslog"),
        (&cfg.inputs.job_log, InputKind::JobLog, "--job-log"),
        (&cfg.inputs.slack, InputKind::Slack, "--slack"),
    ];
    for (args, kind, flag) in flags {
        for arg in args {
            let paths = match expand(arg, flag) {
                Ok(p) => p,
                Err(e) if cfg.keep_going => {
                    plan.warnings.push(e.to_string());
                    continue;
                }
                Err(e) => return Err(e),
            };
            for p in paths {
                let job = (kind == InputKind::JobLog).then(|| job_of(cfg, &p));
                push(&mut plan, p, kind, job, format!("named by {flag}"))?;
            }
        }
    }
    for dir in &cfg.inputs.dirs {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::input(
                    dir.display().to_string(),
                    "is not a folder (name files with --syslog, --job-log or --slack)",
                ));
            }
            Err(e) => {
                let err = Error::input(dir.display().to_string(), io_reason(&e));
                if cfg.keep_going {
                    plan.warnings.push(err.to_string());
                    continue;
                }
                return Err(err);
            }
        }
        let mut files = Vec::new();
        let mut walked = BTreeSet::new();
        walk(dir, &mut files, &mut walked, &mut plan.skipped, 0)
            .map_err(|e| Error::input(dir.display().to_string(), io_reason(&e)))?;
        for f in files {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name == "crontriage.toml" {
                let used = cfg.config_path.as_ref().is_some_and(|c| same_file(c, &f));
                plan.skipped.push(Skipped {
                    display: f.display().to_string(),
                    why: if used {
                        "config (read as crontriage.toml)".into()
                    } else {
                        "config of another folder (not used)".into()
                    },
                });
                continue;
            }
            if let Some(why) = not_a_log(&name) {
                plan.skipped.push(Skipped {
                    display: f.display().to_string(),
                    why: why.to_string(),
                });
                continue;
            }
            let bytes = match sample(&f, 64 * 1024) {
                Ok(b) => b,
                // SPEC §1: an unreadable file or a corrupt `.gz` is an error
                // in a folder too; `--keep-going` reports and skips it.
                Err(e) if cfg.keep_going => {
                    let err = Error::input(f.display().to_string(), io_reason(&e));
                    plan.warnings.push(err.to_string());
                    plan.skipped.push(Skipped {
                        display: f.display().to_string(),
                        why: format!("unreadable: {}", io_reason(&e)),
                    });
                    continue;
                }
                Err(e) => return Err(Error::input(f.display().to_string(), io_reason(&e))),
            };
            let (what, why) = formats::sniff(&bytes);
            let kind = match what {
                Sniffed::Scheduler => InputKind::Syslog,
                Sniffed::Slack => InputKind::Slack,
                Sniffed::JobLog
                    if cfg.job_for_log(&f).is_none()
                        && !formats::joblog::named_like_a_log(&name)
                        && !formats::joblog::has_timestamps(&bytes) =>
                {
                    // Prose, notes, junk: read as a job log it would make a
                    // run at the file's modification time.
                    plan.skipped.push(Skipped {
                        display: f.display().to_string(),
                        why: "no timestamped line and not named like a log (.log, .out, .err)"
                            .into(),
                    });
                    continue;
                }
                Sniffed::JobLog => InputKind::JobLog,
                Sniffed::Skip(reason) => {
                    plan.skipped.push(Skipped {
                        display: f.display().to_string(),
                        why: reason.to_string(),
                    });
                    continue;
                }
            };
            let job = (kind == InputKind::JobLog).then(|| job_of(cfg, &f));
            push(&mut plan, f, kind, job, why)?;
        }
    }
    // Folders only, and not one file in them: an artifacts folder that came
    // out empty must not pass a CI check as a clean report.
    let flags_empty = i.syslog.is_empty() && i.job_log.is_empty() && i.slack.is_empty();
    if flags_empty && plan.sources.is_empty() && plan.skipped.is_empty() && !cfg.keep_going {
        let dirs: Vec<String> = i.dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(Error::input(
            dirs.join(", "),
            "holds no files (nothing to report on; --keep-going makes this an empty report)",
        ));
    }
    plan.sources
        .sort_by(|a, b| (a.kind, &a.display).cmp(&(b.kind, &b.display)));
    for (i, s) in plan.sources.iter_mut().enumerate() {
        s.id = i as SourceId;
    }
    Ok(plan)
}

/// Files a gathered folder holds beside its logs (notes, configs, scripts,
/// pictures, other archives), by name: sniffed, a README would pass for a
/// job log.
fn not_a_log(name: &str) -> Option<&'static str> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    Some(match ext.as_str() {
        "md" | "rst" | "adoc" | "pdf" | "doc" | "docx" | "odt" => "a document, not a log",
        "toml" | "yaml" | "yml" | "ini" | "cfg" | "conf" | "env" => {
            "a configuration file, not a log"
        }
        "sh" | "bash" | "py" | "rb" | "pl" | "php" | "js" | "ts" | "rs" | "go" => {
            "a script, not a log"
        }
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "ico" | "html" | "htm" | "css" => {
            "a picture or page, not a log"
        }
        "zip" | "tar" | "tgz" | "xz" | "bz2" | "zst" | "7z" | "lz4" => {
            "an archive crontriage does not open (unpack it; .gz is read)"
        }
        _ => return None,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The job a job log belongs to: a config `log` glob, else its path.
fn job_of(cfg: &Config, p: &Path) -> String {
    if let Some(j) = cfg.job_for_log(p) {
        return j.name.clone();
    }
    formats::joblog::job_from_path(p).unwrap_or_else(|| "stdin".into())
}

/// Open a file, transparently decompressing gzip (by its magic bytes, not
/// its name: rotated files are not always named for what they hold). A file
/// named `.gz` that holds no gzip data is corrupt (SPEC §1), not text: read
/// as lines, its bytes would only be counted malformed and the run looks
/// clean.
pub fn open_path(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    let named_gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    #[cfg(unix)]
    if std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()) {
        return wrap(fifo::open(path)?, named_gz);
    }
    wrap(Box::new(File::open(path)?), named_gz)
}

/// A FIFO with no writer (see [`fifo`]): read as an empty input, with a
/// warning, rather than waiting forever.
#[derive(Debug)]
pub struct NoWriter;

impl std::fmt::Display for NoWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FIFO with no writer (nothing wrote to it within {} ms): read as empty",
            fifo::GRACE.as_millis()
        )
    }
}

impl std::error::Error for NoWriter {}

/// Whether `e` is [`NoWriter`].
pub fn is_no_writer(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|x| x.is::<NoWriter>())
}

/// A FIFO named as a file: bash's process substitution (`--syslog <(zcat
/// syslog.2.gz)` hands over `/dev/fd/63`) or a named pipe. A blocking open
/// waits until some process opens the other end, so a FIFO nobody writes to
/// would hang the run forever. It is opened non-blocking instead, and a
/// first read tells: data or `EAGAIN` means a writer is there (reads go back
/// to blocking), end-of-file means none is. A writer being started next to
/// crontriage gets [`fifo::GRACE`] to connect.
#[cfg(unix)]
mod fifo {
    use super::NoWriter;
    use std::fs::{File, OpenOptions};
    use std::io::{self, Read};
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;
    use std::time::{Duration, Instant};

    pub const GRACE: Duration = Duration::from_millis(1000);

    pub fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
        let mut f: File = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?;
        let mut first = vec![0u8; 64 * 1024];
        let deadline = Instant::now() + GRACE;
        let got = loop {
            match f.read(&mut first) {
                Ok(0) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                Ok(0) => return Err(io::Error::other(NoWriter)),
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break 0,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        first.truncate(got);
        // SAFETY: fcntl on a descriptor `f` owns; F_GETFL/F_SETFL touch only
        // its status flags.
        let fd = f.as_raw_fd();
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Box::new(io::Cursor::new(first).chain(f)))
    }
}

/// Decompress when the data starts with gzip's magic bytes; `must_be_gz`
/// (a file named `.gz`) makes anything else but an empty file an error.
fn wrap(r: Box<dyn Read + Send>, must_be_gz: bool) -> io::Result<Box<dyn Read + Send>> {
    let mut br = BufReader::with_capacity(256 * 1024, r);
    let magic = br.fill_buf()?;
    if magic.len() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(br)))
    } else if must_be_gz && !magic.is_empty() {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "corrupt .gz: no gzip header (the file is named .gz but does not start with gzip's magic bytes)",
        ))
    } else {
        Ok(Box::new(br))
    }
}

/// Open a source for reading (stdin for `-`).
pub fn open(src: &Source) -> io::Result<Box<dyn Read + Send>> {
    match &src.path {
        Some(p) => open_path(p),
        None => wrap(Box::new(io::stdin()), false),
    }
}

/// A source's modification time (its reference for year-less stamps).
/// The source file's modification time, when it has one a log could carry
/// (1970 to 9999: a touched-to-the-far-future file is no date to walk
/// years back from, and chrono would panic converting some).
pub fn mtime(src: &Source) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = src
        .path
        .as_ref()
        .and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok())?;
    let since = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    let secs = i64::try_from(since.as_secs()).ok()?;
    chrono::DateTime::from_timestamp(secs, since.subsec_nanos())
        .filter(|d| chrono::Datelike::year(d) <= 9999)
}

/// Bytes per piece when a plain file is read by position ([`read_piece`]).
/// A piece and its parse stay in the CPU's caches: the parser walks each
/// piece several times (UTF-8 check, literal prefilter, line ends), and a
/// piece read into a small reused buffer costs the kernel's copy into cache
/// rather than into fresh memory.
pub const PIECE: usize = 1 << 20;

/// A plain regular file that can be read by position, in pieces, in
/// parallel: not stdin, not a FIFO, not gzip (by magic or by name; a `.gz`
/// without the magic goes through [`open`], which names it corrupt).
/// Returns the file and its size at this moment: what is appended later is
/// not read (as with a stream, which stops at the end it reaches).
#[cfg(unix)]
pub fn plain_file(src: &Source) -> io::Result<Option<(File, u64)>> {
    use std::os::unix::fs::FileExt;
    let Some(path) = &src.path else {
        return Ok(None);
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        return Ok(None);
    }
    // Looked at before opening: opening a FIFO blocks until a writer comes.
    if !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(None);
    }
    let mut magic = [0u8; 2];
    let n = file.read_at(&mut magic, 0)?;
    if n == 2 && magic == [0x1f, 0x8b] {
        return Ok(None);
    }
    Ok(Some((file, meta.len())))
}

#[cfg(not(unix))]
pub fn plain_file(_src: &Source) -> io::Result<Option<(File, u64)>> {
    Ok(None)
}

/// The lines of one piece: `buf[lines]` holds every line that starts in the
/// piece, whole (the last one read on past the piece's end); `overlong`: one
/// more line starts in the piece, longer than [`MAX_LINE`], and was not read
/// to its end (it counts as one malformed line after the others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub lines: std::ops::Range<usize>,
    pub overlong: bool,
}

/// Read at `at` until `buf` is full or the file ends; returns the bytes read.
#[cfg(unix)]
fn read_full_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Read into `buf` the lines of `file` (of `size` bytes) that start in
/// `start..end`: piece `k` of a file is `k * PIECE .. (k + 1) * PIECE`, and
/// every line belongs to exactly one piece, the one its first byte is in.
/// Pieces are independent, so they are read and parsed in parallel. What
/// the lines are is exactly what [`BlockReader`] gives for the same file: a
/// byte-order mark at the start is dropped, the last line may lack its
/// newline, a line longer than [`MAX_LINE`] is not read past that and is
/// flagged. `buf` keeps its length between calls (no zero-filling per
/// piece); its contents outside the returned range are junk.
#[cfg(unix)]
pub fn read_piece(
    file: &File,
    start: u64,
    end: u64,
    size: u64,
    buf: &mut Vec<u8>,
) -> io::Result<Piece> {
    let mut p = piece_lines(file, start, end, size, buf)?;
    // A byte-order mark is not part of the first line (see BlockReader).
    if start == 0 && buf[p.lines.clone()].starts_with(BOM) {
        p.lines.start += BOM.len();
    }
    Ok(p)
}

#[cfg(unix)]
fn piece_lines(
    file: &File,
    start: u64,
    end: u64,
    size: u64,
    buf: &mut Vec<u8>,
) -> io::Result<Piece> {
    // Lines crossing the piece's end are read on in steps of this.
    const STEP: usize = 64 * 1024;
    let end = end.min(size);
    let empty = Piece {
        lines: 0..0,
        overlong: false,
    };
    if start >= end {
        return Ok(empty);
    }
    // One byte before the piece tells whether a line starts at its first byte.
    let from = start.saturating_sub(1);
    let want = (end - from) as usize;
    if buf.len() < 64 + want + STEP {
        buf.resize(64 + want + STEP, 0);
    }
    // The kernel copies the page cache into `buf` several times faster when
    // source and destination sit at the same offset within a cache line
    // (1 GiB in 0.09 s against 0.43 s, misaligned by 16 bytes, on an AMD
    // EPYC): the data goes `pad` bytes in, where that holds.
    let pad = ((from % 64) as usize + 64 - buf.as_ptr() as usize % 64) % 64;
    let got = pad + read_full_at(file, &mut buf[pad..pad + want], from)?;
    let first = if start == 0 {
        pad
    } else {
        match memchr::memchr(b'\n', &buf[pad..got]) {
            Some(i) => pad + i + 1,
            None => return Ok(empty),
        }
    };
    if first >= got {
        return Ok(empty);
    }
    // The file ended (or shrank) inside the piece, or the piece ends at a
    // line's end: its lines are all here.
    if got < pad + want || buf[got - 1] == b'\n' || end == size {
        return Ok(Piece {
            lines: first..got,
            overlong: false,
        });
    }
    // The last line crosses the piece's end: read on to its newline.
    let last = memchr::memrchr(b'\n', &buf[first..got]).map_or(first, |i| first + i + 1);
    let mut filled = got;
    loop {
        let line = filled - last;
        // Over MAX_LINE even without a trailing `\r`: cut, as the block
        // reader cuts it (shorter ones are judged by the parser, whole).
        if line > MAX_LINE + 1 {
            return Ok(Piece {
                lines: first..last,
                overlong: true,
            });
        }
        let pos = from + (filled - pad) as u64;
        if pos >= size {
            break;
        }
        let step = STEP.min((size - pos) as usize).min(MAX_LINE + 2 - line);
        if buf.len() < filled + step {
            buf.resize(filled + step, 0);
        }
        let n = read_full_at(file, &mut buf[filled..filled + step], pos)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[filled..filled + n]) {
            return Ok(Piece {
                lines: first..filled + i + 1,
                overlong: false,
            });
        }
        filled += n;
    }
    Ok(Piece {
        lines: first..filled,
        overlong: false,
    })
}

/// A run of complete lines read from a source.
#[derive(Debug, Default)]
pub struct Block {
    pub data: Vec<u8>,
    /// The block is the first [`MAX_LINE`] bytes of one longer line.
    pub overlong: bool,
}

/// Reads line-aligned blocks with bounded memory.
pub struct BlockReader<R: Read> {
    r: R,
    pending: Vec<u8>,
    eof: bool,
    /// Skipping the rest of an overlong line.
    skipping: bool,
    block: usize,
    /// A read error, returned once the data read before it has been given
    /// out (a `.gz` cut in half still yields every line before the cut).
    err: Option<io::Error>,
    /// Buffers of blocks already parsed, given back by [`Self::recycle`].
    /// Without them every 8 MiB block is a fresh allocation, and glibc's
    /// per-thread arenas keep several freed ones resident.
    spare: Vec<Vec<u8>>,
    /// The input's first bytes were looked at for a UTF-8 byte-order mark.
    bom_checked: bool,
}

/// The UTF-8 byte-order mark some Windows tools and editors put first.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: Read> BlockReader<R> {
    pub fn new(r: R) -> Self {
        Self::with_block(r, BLOCK)
    }

    pub fn with_block(r: R, block: usize) -> Self {
        BlockReader {
            r,
            pending: Vec::new(),
            eof: false,
            skipping: false,
            block: block.max(MAX_LINE + 2),
            err: None,
            spare: Vec::new(),
            bom_checked: false,
        }
    }

    /// Give a parsed block's buffer back for a later block.
    pub fn recycle(&mut self, block: Block) {
        if self.spare.len() < 2 && block.data.capacity() >= self.block {
            self.spare.push(block.data);
        }
    }

    /// Read into `pending` until it holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.eof || self.pending.len() >= want {
            return Ok(());
        }
        let need = want - self.pending.len();
        // Exactly: `read_to_end` would otherwise double the buffer past
        // the block size.
        self.pending.reserve_exact(need);
        // `read_to_end` on a `take` appends without zero-filling first, keeps
        // what it read before an error, and retries on EINTR.
        match (&mut self.r)
            .take(need as u64)
            .read_to_end(&mut self.pending)
        {
            Ok(n) if n < need => self.eof = true,
            Ok(_) => {}
            Err(e) => {
                self.err = Some(e);
                self.eof = true;
            }
        }
        Ok(())
    }

    /// The next block, or `None` at the end of the input. A read error comes
    /// after the blocks read before it.
    pub fn next_block(&mut self) -> io::Result<Option<Block>> {
        let b = self.next_inner()?;
        if b.is_none() {
            if let Some(e) = self.err.take() {
                return Err(e);
            }
        }
        Ok(b)
    }

    fn next_inner(&mut self) -> io::Result<Option<Block>> {
        loop {
            if self.skipping {
                // Drop bytes up to and including the overlong line's newline.
                if self.pending.is_empty() {
                    self.fill(64 * 1024)?;
                    if self.pending.is_empty() {
                        self.skipping = false;
                        return Ok(None);
                    }
                }
                match memchr::memchr(b'\n', &self.pending) {
                    Some(i) => {
                        self.pending.drain(..=i);
                        self.skipping = false;
                    }
                    None => {
                        self.pending.clear();
                        continue;
                    }
                }
            }
            self.fill(self.block)?;
            if !self.bom_checked {
                // A byte-order mark is not part of the first line: left in,
                // that line matches no format and its record is lost.
                self.bom_checked = true;
                if self.pending.starts_with(BOM) {
                    self.pending.drain(..BOM.len());
                }
            }
            if self.pending.is_empty() {
                return Ok(None);
            }
            if let Some(last_nl) = memchr::memrchr(b'\n', &self.pending) {
                // The first line of the block may itself be overlong.
                let first_nl = memchr::memchr(b'\n', &self.pending).unwrap_or(last_nl);
                if overlong_line(&self.pending[..first_nl]) {
                    return Ok(Some(self.cut_overlong()));
                }
                let mut rest = self.spare.pop().unwrap_or_default();
                rest.clear();
                rest.extend_from_slice(&self.pending[last_nl + 1..]);
                self.pending.truncate(last_nl + 1);
                let data = std::mem::replace(&mut self.pending, rest);
                return Ok(Some(Block {
                    data,
                    overlong: false,
                }));
            }
            if self.eof {
                if overlong_line(&self.pending) {
                    return Ok(Some(self.cut_overlong()));
                }
                // The last line, without a newline.
                return Ok(Some(Block {
                    data: std::mem::take(&mut self.pending),
                    overlong: false,
                }));
            }
            // Longer than any line kept, even if a `\r` ends it.
            if self.pending.len() > MAX_LINE + 1 {
                return Ok(Some(self.cut_overlong()));
            }
        }
    }

    fn cut_overlong(&mut self) -> Block {
        let mut data = std::mem::take(&mut self.pending);
        let rest = data.split_off(MAX_LINE);
        match memchr::memchr(b'\n', &rest) {
            Some(i) => self.pending = rest[i + 1..].to_vec(),
            None => self.skipping = !self.eof,
        }
        Block {
            data,
            overlong: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(input: &[u8], block: usize) -> Vec<(Vec<u8>, bool)> {
        let mut r = BlockReader::with_block(input, block);
        let mut out = Vec::new();
        while let Some(b) = r.next_block().unwrap() {
            out.push((b.data, b.overlong));
        }
        out
    }

    /// Buffers given back are reused: the blocks are the same bytes as from
    /// fresh buffers, with nothing left over from the block a buffer held.
    #[test]
    fn recycled_buffers_give_the_same_blocks() {
        let mut input = Vec::new();
        for i in 0..200_000u32 {
            input.extend(format!("line {i} {}\n", "z".repeat((i % 37) as usize)).bytes());
        }
        input.extend(b"no newline at the end");
        let fresh = blocks(&input, 0);
        let mut r = BlockReader::with_block(&input[..], 0);
        let mut recycled = Vec::new();
        while let Some(b) = r.next_block().unwrap() {
            recycled.push((b.data.clone(), b.overlong));
            r.recycle(b);
        }
        assert!(fresh.len() > 3, "{} blocks", fresh.len());
        assert_eq!(recycled, fresh);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_dropped() {
        let out = blocks(
            b"\xEF\xBB\xBFDec  3 04:00:01 h CRON[1]: (root) CMD (x)\n",
            0,
        );
        assert_eq!(out[0].0, b"Dec  3 04:00:01 h CRON[1]: (root) CMD (x)\n");
        // Only at the start: later the bytes are the line's own.
        let out = blocks(b"a\n\xEF\xBB\xBFb\n", 0);
        assert_eq!(out[0].0, b"a\n\xEF\xBB\xBFb\n");
        assert!(blocks(b"\xEF\xBB\xBF", 0).is_empty());
    }

    #[test]
    fn blocks_are_line_aligned_and_keep_last_line() {
        let input = b"a\nbb\nccc";
        let out = blocks(input, 0);
        let joined: Vec<u8> = out.iter().flat_map(|b| b.0.clone()).collect();
        assert_eq!(joined, input);
        assert!(out.iter().all(|b| !b.1));
    }

    #[test]
    fn overlong_line_is_cut_and_skipped() {
        let mut input = b"first\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE * 3));
        input.extend(b"\nafter\n");
        let out = blocks(&input, 0);
        assert_eq!(out[0], (b"first\n".to_vec(), false));
        assert_eq!(out[1].0.len(), MAX_LINE);
        assert!(out[1].1);
        assert_eq!(out[2], (b"after\n".to_vec(), false));
        assert_eq!(out.len(), 3);
    }

    /// A reader that fails after giving some bytes, like a cut `.gz`.
    struct Cut(&'static [u8], bool);
    impl Read for Cut {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.1 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut"));
            }
            self.1 = true;
            let n = self.0.len().min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            Ok(n)
        }
    }

    #[test]
    fn data_before_a_read_error_comes_first() {
        let mut r = BlockReader::with_block(Cut(b"one\ntwo\nthr", false), 0);
        let b = r.next_block().unwrap().unwrap();
        assert_eq!(b.data, b"one\ntwo\n");
        let b = r.next_block().unwrap().unwrap();
        assert_eq!(b.data, b"thr");
        assert!(r.next_block().is_err());
    }

    #[test]
    fn overlong_last_line_without_newline() {
        let input = vec![b'y'; MAX_LINE + 10];
        let out = blocks(&input, 0);
        assert_eq!(out.len(), 1);
        assert!(out[0].1);
    }

    /// A source's lines as the parsers see them: each line (without its
    /// newline), or `None` for a line over [`MAX_LINE`].
    fn lines_of(data: &[u8], overlong: bool, out: &mut Vec<Option<Vec<u8>>>) {
        if overlong {
            out.push(None);
            return;
        }
        for l in data.split_inclusive(|&b| b == b'\n') {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            let bare = l.strip_suffix(b"\r").unwrap_or(l);
            out.push((bare.len() <= MAX_LINE).then(|| l.to_vec()));
        }
    }

    fn by_blocks(input: &[u8]) -> Vec<Option<Vec<u8>>> {
        let mut out = Vec::new();
        for (data, overlong) in blocks(input, 0) {
            lines_of(&data, overlong, &mut out);
        }
        out
    }

    #[cfg(unix)]
    fn by_pieces(input: &[u8], piece: u64) -> Vec<Option<Vec<u8>>> {
        let mut f = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut f, input).unwrap();
        let size = input.len() as u64;
        let mut out = Vec::new();
        let mut buf = Vec::new();
        let mut start = 0;
        while start < size {
            let p = read_piece(&f, start, start + piece, size, &mut buf).unwrap();
            lines_of(&buf[p.lines.clone()], false, &mut out);
            if p.overlong {
                out.push(None);
            }
            start += piece;
        }
        out
    }

    /// Pieces read by position give exactly the lines the block reader
    /// gives, wherever the pieces' edges fall: inside a line, on a newline,
    /// inside a CRLF, inside a byte-order mark, across a line over the cap.
    #[cfg(unix)]
    #[test]
    fn pieces_give_the_lines_blocks_give() {
        let long = vec![b'x'; MAX_LINE + 5];
        let just_fits = vec![b'y'; MAX_LINE];
        let mut inputs: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n".to_vec(),
            b"one".to_vec(),
            b"one\ntwo\nthree\n".to_vec(),
            b"one\r\ntwo\r\n\r\nthree".to_vec(),
            b"\xEF\xBB\xBFDec  3 04:00:01 h CRON[1]: (root) CMD (x)\nnext\n".to_vec(),
            b"\xEF\xBB".to_vec(),
            b"a\n\n\nb\n\n".to_vec(),
        ];
        for (before, after) in [
            (&b"a\nb\n"[..], &b"\nc\n"[..]),
            (b"", b"\nc"),
            (b"a\n", b""),
        ] {
            for middle in [&long, &just_fits] {
                let mut v = before.to_vec();
                v.extend_from_slice(middle);
                v.extend_from_slice(after);
                inputs.push(v);
            }
        }
        // A line of exactly MAX_LINE bytes before its `\r\n`.
        let mut crlf = just_fits.clone();
        crlf.extend_from_slice(b"\r\nz\n");
        inputs.push(crlf);
        for input in &inputs {
            let want = by_blocks(input);
            let small = input.len() < 4096;
            for piece in [
                1u64,
                2,
                3,
                5,
                7,
                64,
                4096,
                65_536,
                700_000,
                1 << 20,
                3 << 20,
            ] {
                if small || piece >= 4096 {
                    assert_eq!(
                        by_pieces(input, piece),
                        want,
                        "input of {} bytes in pieces of {piece}",
                        input.len()
                    );
                }
            }
        }
    }
}
