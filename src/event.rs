//! The normalized [`Event`] every parser produces.
//!
//! Parsers turn lines into events; `correlate` turns events into runs. An
//! event owns only what correlation and the report need: its time (already
//! UTC), the host, what it says (`Kind`), where it came from (`Location`) and
//! the line's text, which becomes evidence. Noise never becomes an event, so
//! memory follows runs, not lines.

use chrono::{DateTime, Utc};

/// A name many events and runs share (host, job, user, command, unit):
/// one allocation for all of them.
pub type Name = std::sync::Arc<str>;

/// Hands out one shared [`Name`] per distinct string.
#[derive(Debug, Default)]
pub struct Names(rustc_hash::FxHashSet<Name>);

impl Names {
    pub fn get(&mut self, s: &str) -> Name {
        if let Some(n) = self.0.get(s) {
            return n.clone();
        }
        let n: Name = s.into();
        self.0.insert(n.clone());
        n
    }
}

/// The shared [`Name`] for `s` on this thread: parsers name the same host,
/// user and command on thousands of lines, and build each name once here
/// instead of allocating it per line. A cache: it is emptied when it grows
/// past a bound, so hostile input with endless distinct names costs
/// allocations, not memory.
pub fn intern(s: &str) -> Name {
    thread_local! {
        static NAMES: std::cell::RefCell<Names> = std::cell::RefCell::default();
    }
    const MOST: usize = 1 << 16;
    NAMES.with_borrow_mut(|names| {
        if names.0.len() >= MOST {
            names.0.clear();
        }
        names.get(s)
    })
}

/// Index of an input in the report's `inputs[]` list.
pub type SourceId = u32;

/// Where an event's line is: input index and 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub source: SourceId,
    pub line: u64,
}

/// Which scheduler produced a run; serialized into `runs[].scheduler`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheduler {
    Cron,
    Cronie,
    Anacron,
    Busybox,
    Systemd,
    JobLog,
}

impl Scheduler {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheduler::Cron => "cron",
            Scheduler::Cronie => "cronie",
            Scheduler::Anacron => "anacron",
            Scheduler::Busybox => "busybox",
            Scheduler::Systemd => "systemd",
            Scheduler::JobLog => "job-log",
        }
    }
}

/// How an anacron job or a systemd unit says it ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Ended without a failure sign (`terminated`, `Finished`, `Deactivated
    /// successfully`, `Succeeded`).
    Ok,
    /// An exit status was logged.
    Exit(i32),
    /// Killed by a signal (number and name when known).
    Signal(i32, String),
    /// A failure with a reason and no status (`terminated abnormally`,
    /// `Failed with result 'timeout'`, `Failed to start`).
    Failed(String),
}

/// A systemd message about a unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnitMsg {
    /// `Starting U - Desc...` (or the older `Starting Desc...`).
    Starting,
    /// `Started U - Desc.`: a daemon came up, or (old systemd) a oneshot ended.
    Started,
    /// `Finished U - Desc.`: a oneshot job ended well.
    Finished,
    /// Anything else that says how the unit ended.
    End(Outcome),
    /// `Main process exited, code=…, status=…`: the status, not yet the end.
    MainExited(Outcome),
    /// `Consumed …`, `Unit entered failed state.`: evidence only.
    Note,
}

/// A Slack API / webhook answer, from a Slack log or a job log line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SlackAttempt {
    /// The job named in the record, if any.
    pub job: Option<String>,
    /// The host the record names (`host`, `hostname`), if any.
    pub host: Option<String>,
    pub method: Option<String>,
    /// The requested target (`channel`).
    pub target: Option<String>,
    pub http_status: Option<u16>,
    /// `ok` in the body; `None` when the body says nothing (e.g. plain text).
    pub ok: Option<bool>,
    pub error: Option<String>,
    pub warning: Option<String>,
    /// On success, where the message actually landed (`response.channel`).
    pub landed: Option<String>,
}

/// A fact a job's own output gives about its run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JobFact {
    Exit(i32),
    Fatal(String),
    Billing(String),
    Slack(Box<SlackAttempt>),
    /// The first line of a stretch of output (after silence or an exit
    /// status): where a run seen only in its job log starts.
    SegmentStart,
    /// The last line of a stretch of output.
    SegmentEnd,
}

/// A systemd message about `unit` (or about a description, when old systemd
/// logged no unit name: then `unit` is empty and `desc` is set).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitEvent {
    pub unit: String,
    pub desc: Option<String>,
    pub msg: UnitMsg,
}

/// What an event says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `(user) CMD (command)` (Debian cron, cronie, dcron `FILE … USER … PID`).
    /// `pid` is the job's own process; `parent` the process that logs its
    /// end, when the line says (Debian with pid logging, `-L 8`:
    /// `CRON[P]: (root) CMD ([G] command)`).
    CronCmd {
        sched: Scheduler,
        pid: u32,
        parent: Option<u32>,
        user: Name,
        command: Name,
    },
    /// `(user) END (command)` / `(user) CMDEND (command)` / dcron `exit status`.
    /// `pid` is the logging process (cronie: the job's parent, which also
    /// logs its `CMDOUT` lines).
    CronEnd {
        pid: u32,
        user: Name,
        command: Name,
        status: Option<i32>,
    },
    /// `(CRON) error (grandchild #P failed with exit status S)` or
    /// `… terminated by signal N)`, logged by the run's parent `pid`.
    CronGrandchild {
        pid: u32,
        child: u32,
        outcome: Outcome,
    },
    /// `pam_unix(cron:session): session opened|closed for user U`.
    CronSession { pid: u32, opened: bool, user: Name },
    /// MAIL / No MTA / other per-run cron notes logged by the run's parent.
    CronNote { pid: u32 },
    /// cronie `(user) CMDOUT (text)`: the job's output in syslog, logged by
    /// the job's parent (the pid of the run's `CMDEND`, not of its `CMD`).
    CronOutput {
        pid: u32,
        user: String,
        text: String,
    },
    /// busybox `USER u pid N cmd command`.
    BusyboxCmd { pid: u32, user: Name, command: Name },
    /// anacron `Job `X' started`.
    AnacronStart { pid: u32, job: Name },
    /// anacron `Job `X' terminated…`.
    AnacronEnd {
        pid: u32,
        job: Name,
        outcome: Outcome,
    },
    /// run-parts `starting X` / `finished X` in directory `dir`.
    RunParts {
        dir: String,
        step: String,
        finished: bool,
    },
    /// A systemd message about a unit (boxed: rarer and larger than the
    /// cron events every run has).
    Unit(Box<UnitEvent>),
    /// A `.timer` unit seen in the input (makes its service a job).
    Timer { service: String },
    /// Journal entry of a unit's own process: job output.
    UnitOutput { unit: String, fact: JobFact },
    /// Scheduler daemon context (STARTUP, RELOAD, crontab edits…): covers time
    /// for the host, never a run.
    Context,
    /// A job log line.
    Job { job: Name, fact: JobFact },
    /// A Slack log record.
    Slack(Box<SlackAttempt>),
}

impl Kind {
    /// Replace the names this event carries by the shared ones of `names`:
    /// thousands of lines name the same user, command and job.
    pub fn share_names(&mut self, names: &mut Names) {
        match self {
            Kind::CronCmd { user, command, .. }
            | Kind::CronEnd { user, command, .. }
            | Kind::BusyboxCmd { user, command, .. } => {
                *user = names.get(user);
                *command = names.get(command);
            }
            Kind::CronSession { user, .. } => *user = names.get(user),
            Kind::AnacronStart { job, .. }
            | Kind::AnacronEnd { job, .. }
            | Kind::Job { job, .. } => *job = names.get(job),
            _ => {}
        }
    }
}

/// One recognised line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    pub time: DateTime<Utc>,
    pub host: Option<Name>,
    pub kind: Kind,
    pub loc: Location,
    /// The line as read (lossy UTF-8, unredacted: redaction happens once,
    /// when the report is built).
    pub text: Box<str>,
}
