//! Events → runs. Pure and deterministic: the same events give the same
//! runs, whatever order the inputs were given in.
//!
//! 1. Scheduler starts make runs (`CMD`, busybox `USER … cmd`, anacron
//!    `started`, systemd `Starting`).
//! 2. Ends and failures attach to them: Debian's parent process logs `session
//!    closed`, `grandchild #P failed`, MAIL; cronie's `CMDEND` (another pid)
//!    pairs by user, command and time; anacron by job and pid; systemd by unit.
//! 3. Job output joins the run of its job whose span holds it (start − 60 s
//!    to the next run's start); output no run holds makes runs of its own.
//! 4. Slack records join a run of their job from its start to
//!    `delivery_window` after its end, never past the next run's start.
//! 5. With a `schedule`, scheduled times the host's logs cover with no run
//!    near them become `missed` runs.

use crate::config::Config;
use crate::event::{Event, JobFact, Kind, Outcome, Scheduler, SlackAttempt, UnitMsg};
use crate::jobname;
use chrono::{DateTime, Duration, Utc};
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// Index into the event list.
pub type Ev = usize;

pub use crate::event::{Name, Names};

/// A scheduled run that did not happen.
#[derive(Debug, Clone)]
pub struct Missed {
    pub schedule: String,
    pub grace: Duration,
    pub config_line: u64,
}

/// The Slack attempt an event holds (a Slack record or an SDK line).
pub fn attempt(e: &Event) -> Option<&SlackAttempt> {
    match &e.kind {
        Kind::Slack(a) => Some(a),
        Kind::Job {
            fact: JobFact::Slack(a),
            ..
        }
        | Kind::UnitOutput {
            fact: JobFact::Slack(a),
            ..
        } => Some(a),
        _ => None,
    }
}

/// One run of one job, with every event that speaks about it.
#[derive(Debug, Clone)]
pub struct Run {
    pub job: Name,
    pub host: Option<Name>,
    pub user: Option<Name>,
    pub command: Option<Name>,
    pub sched: Scheduler,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The scheduler's own end line was seen.
    pub end_logged: bool,
    /// This scheduler, on this host, logs ends at all (else a missing end
    /// says nothing: `unknown`, not `incomplete`).
    pub ends_expected: bool,
    /// Exit status the scheduler logged, and the event that said it.
    pub exit: Option<(i32, Ev)>,
    /// A failure the scheduler logged without a status (signal, timeout…).
    pub sched_failure: Option<Box<(String, Ev)>>,
    /// Job output facts (job logs, CMDOUT, unit output).
    pub facts: Vec<(JobFact, Ev)>,
    /// Slack attempts (events of Slack logs and job-log SDK lines), in
    /// time order.
    pub slack: Vec<Ev>,
    /// Every event that speaks about this run.
    pub evidence: Vec<Ev>,
    pub missed: Option<Box<Missed>>,
    /// When the next run of the same job on the same host started.
    pub next_start: Option<DateTime<Utc>>,
    /// Unit name (systemd runs), for output matching.
    pub unit: Option<Name>,
    pid: Option<u32>,
    /// Debian: the run's pam session has closed.
    session_closed: bool,
    /// The process that logs the run's end, when the CMD line named it.
    parent: Option<u32>,
}

impl Run {
    fn new(job: Name, host: Option<Name>, sched: Scheduler, t: DateTime<Utc>, ev: Ev) -> Run {
        Run {
            job,
            host,
            user: None,
            command: None,
            sched,
            started_at: t,
            ended_at: None,
            end_logged: false,
            ends_expected: !matches!(sched, Scheduler::Busybox | Scheduler::JobLog),
            exit: None,
            sched_failure: None,
            facts: Vec::new(),
            slack: Vec::new(),
            // Room for the few lines most runs gather (start, session,
            // end): one allocation, not a reallocation on the second.
            evidence: {
                let mut v = Vec::with_capacity(4);
                v.push(ev);
                v
            },
            missed: None,
            next_start: None,
            unit: None,
            pid: None,
            session_closed: false,
            parent: None,
        }
    }

    fn end(&mut self, t: DateTime<Utc>) {
        self.end_logged = true;
        if self.ended_at.is_none_or(|e| t > e) {
            self.ended_at = Some(t.max(self.started_at));
        }
    }

    /// The latest moment the run is known to have been active.
    pub fn last_seen(&self, events: &[Event]) -> DateTime<Utc> {
        let ev_max = self.evidence.iter().map(|&i| events[i].time).max();
        [Some(self.started_at), self.ended_at, ev_max]
            .into_iter()
            .flatten()
            .max()
            .unwrap()
    }
}

/// What correlation found.
#[derive(Debug, Default)]
pub struct Correlation {
    pub runs: Vec<Run>,
    /// Slack records that matched no run.
    pub unmatched_slack: Vec<Ev>,
    /// Jobs that have any Slack record in the inputs.
    pub jobs_with_slack: BTreeSet<String>,
    /// Per host: the span its scheduler lines cover.
    /// Per host: the stretches of time its scheduler lines cover, split
    /// wherever they fall silent for more than [`COVERAGE_GAP`].
    pub coverage: BTreeMap<String, Vec<Span>>,
    /// What the report could not fully do (shown as warnings).
    pub notes: Vec<String>,
}

type HostKey = String;

fn host_key(h: Option<&str>) -> HostKey {
    h.unwrap_or_default().to_string()
}

/// An event's host, borrowed (`""` for a line without one).
fn hk(e: &Event) -> &str {
    e.host.as_deref().unwrap_or("")
}

fn is_scheduler(k: &Kind) -> bool {
    !matches!(k, Kind::Job { .. } | Kind::Slack(_))
}

/// Sort events by (time, input, line) and drop the very same scheduler line
/// seen twice (log shipping retries, overlapping rotated copies), also when
/// one copy has whole seconds and the other a fraction (a host's rsyslog
/// file and its journal export). Works in place: the events are most of the
/// memory a large report needs.
pub fn prepare(mut events: Vec<Event>) -> Vec<Event> {
    // A stable sort of indices (records of one stream line share a key and
    // keep their order), then the permutation applied by swapping.
    sort_in_place(&mut events, |a, b| {
        a.time.cmp(&b.time).then(a.loc.cmp(&b.loc))
    });
    let mut kept = 0;
    // The kept scheduler events of the current second, by a hash of what
    // they say: a fleet's syslog holds thousands of lines in the second
    // cron.hourly starts, and comparing each with all the others was
    // quadratic.
    let mut second: HashMap<u64, Few<usize>> = HashMap::default();
    let said = |e: &Event| {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        e.kind.hash(&mut h);
        e.host.hash(&mut h);
        h.finish()
    };
    for r in 0..events.len() {
        if kept > 0 && events[kept - 1].time != events[r].time {
            second.clear();
        }
        let e = &events[r];
        let dup = if is_scheduler(&e.kind) {
            let key = said(e);
            let same = second.get(&key).is_some_and(|list| {
                list.as_slice().iter().any(|&o| {
                    let o = &events[o];
                    o.kind == e.kind && o.host == e.host && same_message(&o.text, &e.text)
                })
            });
            let dup = same || whole_second_copy(&events[..kept], e);
            if !dup {
                second.entry(key).or_default().push(kept);
            }
            dup
        } else {
            false
        };
        if !dup {
            events.swap(kept, r);
            kept += 1;
        }
    }
    events.truncate(kept);
    events
}

/// Whether `kept` (sorted by time) holds `e` from another input with its
/// time cut to the second: the same scheduler message (same kind, so the
/// same pid, user and command) in a file of whole-second stamps.
fn whole_second_copy(kept: &[Event], e: &Event) -> bool {
    let nanos = chrono::Timelike::nanosecond(&e.time);
    if nanos == 0 {
        return false;
    }
    let whole = e.time - Duration::nanoseconds(i64::from(nanos));
    let from = kept.partition_point(|o| o.time < whole);
    kept[from..]
        .iter()
        .take_while(|o| o.time == whole)
        .any(|o| o.loc.source != e.loc.source && o.kind == e.kind && o.host == e.host)
}

/// Stable sort of large elements. Inputs nearly always come sorted (a log is
/// in time order): the vector is then one long sorted run and a short tail
/// (the other inputs' events), which the standard sort merges moving each
/// element once and buffering only the tail. Otherwise indices are sorted
/// and the permutation applied by swapping, which needs no buffer of half
/// the elements (the standard sort's) but jumps across the whole vector.
fn sort_in_place<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let sorted = 1 + v
        .windows(2)
        .take_while(|w| cmp(&w[0], &w[1]).is_le())
        .count();
    if sorted >= v.len() {
        return;
    }
    if v.len() - sorted <= v.len() / 16 {
        v.sort_by(cmp);
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Put `v` in the order `from` gives (`v[i]` becomes the old `v[from[i]]`)
/// by swapping along the permutation's cycles; `from` is used up.
fn permute<T>(v: &mut [T], from: &mut [usize]) {
    for i in 0..from.len() {
        let mut cur = i;
        while from[cur] != cur {
            let next = from[cur];
            from[cur] = cur;
            if next == i {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

/// Sort `runs`, of which the first `head` are in order already, as a stable
/// sort would. A short tail (the units, job-log and missed runs added after
/// the hosts' runs) is sorted apart and merged in from the back: each run
/// after the tail's first place moves once, swapped with a stand-in, and the
/// head's runs are compared only with the tail's. A long tail goes to
/// [`sort_in_place`].
fn merge_tail(runs: &mut Vec<Run>, head: usize, cmp: impl Fn(&Run, &Run) -> std::cmp::Ordering) {
    let n = runs.len();
    if head >= n {
        return;
    }
    if n - head > n / 16 {
        sort_in_place(runs, cmp);
        return;
    }
    let mut tail: Vec<Run> = runs.drain(head..).collect();
    tail.sort_by(&cmp);
    let stand_in = Run::new(
        Name::from(""),
        None,
        Scheduler::JobLog,
        DateTime::<Utc>::MIN_UTC,
        0,
    );
    runs.extend(tail.iter().map(|_| stand_in.clone()));
    // `runs[..x]`: head runs still to place; `runs[w..]`: placed.
    let (mut x, mut w) = (head, n);
    while let Some(t) = tail.last() {
        if x > 0 && cmp(&runs[x - 1], t).is_gt() {
            runs.swap(x - 1, w - 1);
            x -= 1;
        } else {
            // A tail run after the head runs it equals: they came first.
            runs[w - 1] = tail.pop().expect("a tail run");
        }
        w -= 1;
    }
}

/// Two lines say the same when their texts match after the header (the
/// same line may come once with `<PRI>` and once without).
fn same_message(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim_start_matches(|c: char| c == '<' || c.is_ascii_digit() || c == '>')
            .len()
    };
    a == b || a.ends_with(&b[b.len() - strip(b)..]) || b.ends_with(&a[a.len() - strip(a)..])
}

/// Name of a cron run: a config `match` on the whole command first, else
/// derived from the command.
fn cron_job_name(cfg: &Config, command: &str) -> String {
    cfg.job_for(command)
        .map(|j| j.name.clone())
        .unwrap_or_else(|| jobname::from_command(command))
}

fn unit_job_name(cfg: &Config, unit: &str, desc: Option<&str>) -> String {
    cfg.job_for(unit)
        .or_else(|| desc.and_then(|d| cfg.job_for(d)))
        .map(|j| j.name.clone())
        .unwrap_or_else(|| jobname::from_unit(unit))
}

/// Lines of one run come from several processes (the job logs its CMD, its
/// parent the end): when the pid ties them, an end stamped up to this much
/// before the start still belongs to the run (coarse or skewed stamps, a
/// merged file's order within one second).
const SKEW: Duration = Duration::seconds(1);

/// One value (nearly always, for keys with a pid) or several, with no heap
/// allocation for one: the pid maps hold a key per run.
#[derive(Debug, Clone)]
enum Few<T> {
    One(T),
    Many(Vec<T>),
}

impl<T: Copy> Default for Few<T> {
    fn default() -> Self {
        Few::Many(Vec::new())
    }
}

impl<T: Copy> Few<T> {
    fn push(&mut self, v: T) {
        match self {
            Few::Many(list) if list.is_empty() => *self = Few::One(v),
            Few::One(a) => *self = Few::Many(vec![*a, v]),
            Few::Many(list) => list.push(v),
        }
    }

    fn as_slice(&self) -> &[T] {
        match self {
            Few::One(a) => std::slice::from_ref(a),
            Few::Many(list) => list,
        }
    }
}

/// A stretch of time: (from, to).
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// A host's scheduler lines further apart than this leave a hole in what its
/// logs cover (a job's own schedule may bridge it: see `missed_runs`).
const COVERAGE_GAP: Duration = Duration::hours(1);

/// How far back a search for a run walks past runs that do not fit.
const SCAN: usize = 512;

/// Latest run in `list` (in start order) started at or before `t`, passing
/// `ok`. `started[i]` is `runs[i].started_at`: the search reads a dense list,
/// not a run a step.
fn latest_before(
    runs: &[Run],
    started: &[DateTime<Utc>],
    list: Option<&[usize]>,
    t: DateTime<Utc>,
    ok: impl Fn(&Run) -> bool,
) -> Option<usize> {
    let list = list?;
    let end = list.partition_point(|&i| started[i] <= t);
    list[..end]
        .iter()
        .rev()
        .take(SCAN)
        .copied()
        .find(|&i| ok(&runs[i]))
}

/// The runs of `list` (in start order) that started in `lo..=hi`.
fn started_between<'l>(
    runs: &[Run],
    list: &'l [usize],
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
) -> &'l [usize] {
    let a = list.partition_point(|&i| runs[i].started_at < lo);
    let b = list.partition_point(|&i| runs[i].started_at <= hi);
    &list[a..b.max(a)]
}

/// One host's runs, and its coverage as (host, stretches).
type HostRuns = (Vec<Run>, Vec<(String, Vec<Span>)>);

/// A scheduler line of one host as [`host_runs`] reads it: the fields its
/// keys and tests use, with user, command and job names as host-local ids
/// ([`Ids`]). The host's lines lie scattered through the event vector (60
/// hosts: one line in 60); each is read once into this compact list, which
/// the passes below then walk in order. What only a rare line needs (an
/// outcome, output text, a run-parts folder) is read from its event.
#[derive(Debug, Clone, Copy)]
enum Said {
    Cmd {
        sched: Scheduler,
        pid: u32,
        parent: Option<u32>,
        user: u32,
        command: u32,
    },
    Busybox {
        pid: u32,
        user: u32,
        command: u32,
    },
    AnacronStart {
        pid: u32,
        job: u32,
    },
    Session {
        pid: u32,
        opened: bool,
        user: u32,
    },
    /// The outcome stays in the event.
    Grandchild {
        pid: u32,
        child: u32,
    },
    Note {
        pid: u32,
    },
    End {
        pid: u32,
        user: u32,
        command: u32,
        status: Option<i32>,
    },
    Output {
        pid: u32,
    },
    /// The outcome stays in the event.
    AnacronEnd {
        pid: u32,
        job: u32,
    },
    RunParts,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    time: DateTime<Utc>,
    ev: Ev,
    said: Said,
}

/// Host-local ids of the names a host's lines carry: equal ids, equal
/// strings. Keys of small integers hash and compare in a step; the events'
/// own names are shared per piece of input read, so the same string comes
/// in many allocations and pointers cannot stand for it.
#[derive(Default)]
struct Ids<'e> {
    ids: HashMap<&'e str, u32>,
    strs: Vec<&'e str>,
}

impl<'e> Ids<'e> {
    fn of(&mut self, s: &'e str) -> u32 {
        *self.ids.entry(s).or_insert_with(|| {
            self.strs.push(s);
            (self.strs.len() - 1) as u32
        })
    }
}

/// The runs one host's scheduler lines give: starts, then the sessions,
/// ends, outcomes, output and notes tied to them; and the stretches of
/// time its lines cover. Hosts are correlated apart (and in parallel), so
/// no key in here needs the host. `idx`: the host's scheduler events, in
/// time order; the runs come out in the order of their start events.
fn host_runs(events: &[Event], idx: &[usize], cfg: &Config) -> HostRuns {
    let h = idx.first().map_or("", |&i| hk(&events[i]));
    let mut names = Names::default();
    let mut ids = Ids::default();

    // One read of each line: its coverage, whether this host logs cron
    // ends at all, and what the passes below need of it.
    let mut spans: Vec<Span> = Vec::new();
    let mut logs_ends = false;
    let mut starts = 0;
    let mut lines: Vec<Line> = Vec::with_capacity(idx.len());
    for &i in idx {
        let e = &events[i];
        // Events are in time order: extend the last stretch, or start a new
        // one after a silence.
        match spans.last_mut() {
            Some(last) if e.time - last.1 <= COVERAGE_GAP => last.1 = last.1.max(e.time),
            _ => spans.push((e.time, e.time)),
        }
        let said = match &e.kind {
            Kind::CronCmd {
                sched,
                pid,
                parent,
                user,
                command,
            } => Said::Cmd {
                sched: *sched,
                pid: *pid,
                parent: *parent,
                user: ids.of(user),
                command: ids.of(command),
            },
            Kind::BusyboxCmd { pid, user, command } => Said::Busybox {
                pid: *pid,
                user: ids.of(user),
                command: ids.of(command),
            },
            Kind::AnacronStart { pid, job } => Said::AnacronStart {
                pid: *pid,
                job: ids.of(job),
            },
            Kind::CronSession { pid, opened, user } => Said::Session {
                pid: *pid,
                opened: *opened,
                user: ids.of(user),
            },
            Kind::CronGrandchild { pid, child, .. } => Said::Grandchild {
                pid: *pid,
                child: *child,
            },
            Kind::CronNote { pid } => Said::Note { pid: *pid },
            Kind::CronEnd {
                pid,
                user,
                command,
                status,
            } => Said::End {
                pid: *pid,
                user: ids.of(user),
                command: ids.of(command),
                status: *status,
            },
            Kind::CronOutput { pid, user, .. } => {
                // Interned for the orphan search below.
                ids.of(user);
                Said::Output { pid: *pid }
            }
            Kind::AnacronEnd { pid, job, .. } => Said::AnacronEnd {
                pid: *pid,
                job: ids.of(job),
            },
            Kind::RunParts { .. } => Said::RunParts,
            _ => continue,
        };
        // dcron's `exit status N` is logged only on failure: not an end
        // every run gets.
        if matches!(
            said,
            Said::Session { opened: false, .. } | Said::End { status: None, .. }
        ) {
            logs_ends = true;
        }
        if matches!(
            said,
            Said::Cmd { .. } | Said::Busybox { .. } | Said::AnacronStart { .. }
        ) {
            starts += 1;
        }
        lines.push(Line {
            time: e.time,
            ev: i,
            said,
        });
    }
    let coverage = vec![(h.to_string(), spans)];
    // A run's host as its start line spells it: every line here has host
    // `h`, but the nameless partition holds lines without a host and,
    // should one come, with an empty one.
    let host_name = idx.first().and_then(|&i| events[i].host.clone());
    let host_of = |ev: Ev| {
        if h.is_empty() {
            events[ev].host.clone()
        } else {
            host_name.clone()
        }
    };
    // The runs' names, one allocation per host and name: runs on the
    // other thread never touch these counts.
    let mut shared: Vec<Option<Name>> = vec![None; ids.strs.len()];
    let mut name = |id: u32| -> Name {
        shared[id as usize]
            .get_or_insert_with(|| Name::from(ids.strs[id as usize]))
            .clone()
    };

    // Exactly as many runs as start lines: a vector grown by doubling would
    // briefly hold twice.
    let mut runs: Vec<Run> = Vec::with_capacity(starts);
    // Per run: its user id (cron and busybox runs), for the session search.
    let mut run_user: Vec<u32> = Vec::with_capacity(starts);

    // 1. Starts.
    let mut by_pid: HashMap<u32, Few<usize>> = HashMap::default();
    let mut by_cmd: HashMap<(u32, u32), Vec<usize>> = HashMap::default();
    let mut by_user: HashMap<u32, Vec<usize>> = HashMap::default();
    let mut anacron: HashMap<(u32, u32), Few<usize>> = HashMap::default();
    // Every run of the host, in start order.
    let mut all: Vec<usize> = Vec::with_capacity(starts);
    // Job name per command id.
    let mut job_names: HashMap<u32, Name> = HashMap::default();
    for l in &lines {
        let idx = runs.len();
        match l.said {
            Said::Cmd {
                sched,
                pid,
                parent,
                user,
                command,
            } => {
                let job = job_names
                    .entry(command)
                    .or_insert_with(|| names.get(&cron_job_name(cfg, ids.strs[command as usize])))
                    .clone();
                let mut r = Run::new(job, host_of(l.ev), sched, l.time, l.ev);
                r.user = Some(name(user));
                r.command = Some(name(command));
                r.pid = Some(pid);
                r.parent = parent;
                // Debian cron at its default level logs no end on success:
                // an end is expected only where this host logs them.
                r.ends_expected = sched == Scheduler::Cronie || logs_ends;
                by_pid.entry(pid).or_default().push(idx);
                by_cmd.entry((user, command)).or_default().push(idx);
                by_user.entry(user).or_default().push(idx);
                runs.push(r);
                run_user.push(user);
            }
            Said::Busybox { pid, user, command } => {
                let job = job_names
                    .entry(command)
                    .or_insert_with(|| names.get(&cron_job_name(cfg, ids.strs[command as usize])))
                    .clone();
                let mut r = Run::new(job, host_of(l.ev), Scheduler::Busybox, l.time, l.ev);
                r.user = Some(name(user));
                r.command = Some(name(command));
                r.pid = Some(pid);
                runs.push(r);
                run_user.push(user);
            }
            Said::AnacronStart { pid, job } => {
                let text = ids.strs[job as usize];
                let job_name = cfg
                    .job_for(text)
                    .map(|j| j.name.clone())
                    .unwrap_or_else(|| text.to_string());
                let mut r = Run::new(
                    names.get(&job_name),
                    host_of(l.ev),
                    Scheduler::Anacron,
                    l.time,
                    l.ev,
                );
                r.command = Some(name(job));
                r.pid = Some(pid);
                anacron.entry((pid, job)).or_default().push(idx);
                runs.push(r);
                run_user.push(u32::MAX);
            }
            _ => continue,
        }
        all.push(idx);
    }

    // The runs' starts, for the searches by time (they do not change).
    let started: Vec<DateTime<Utc>> = runs.iter().map(|r| r.started_at).collect();

    // Debian: the parent that opened the pam session just before a CMD is
    // the process that later logs the run's end and failure.
    let mut parent: HashMap<u32, Few<usize>> = HashMap::default();
    // (time, event, pid, user), in time order.
    let mut opens: Vec<(DateTime<Utc>, Ev, u32, u32)> = Vec::new();
    let mut session_open: HashMap<u32, Few<DateTime<Utc>>> = HashMap::default();
    for l in &lines {
        if let Said::Session {
            pid,
            opened: true,
            user,
        } = l.said
        {
            opens.push((l.time, l.ev, pid, user));
            session_open.entry(pid).or_default().push(l.time);
        }
    }
    // Session-open lines already given to a run, by their place in `opens`.
    let mut used_open: Vec<bool> = vec![false; opens.len()];
    // Per run: the parent pid and session-open line worked out here when no
    // line named them (a grandchild line may correct both later).
    let mut inferred: Vec<Option<(u32, Option<usize>)>> = vec![None; runs.len()];
    for (idx, r) in runs.iter_mut().enumerate() {
        if !matches!(r.sched, Scheduler::Cron | Scheduler::Cronie) {
            continue;
        }
        let Some(pid) = r.pid else {
            continue;
        };
        if let Some(p) = r.parent {
            // Pid logging named the parent (`CMD ([G] …)`): its session
            // lines are this run's.
            let until = r.started_at + SKEW;
            let end = opens.partition_point(|o| o.0 <= until);
            let opened = (0..end)
                .rev()
                .take(SCAN)
                .find(|&k| opens[k].2 == p && !used_open[k]);
            if let Some(k) = opened {
                used_open[k] = true;
                r.evidence.push(opens[k].1);
            }
            parent.entry(p).or_default().push(idx);
            continue;
        }
        // The session's user is the CMD's; its pid is below the CMD's and,
        // in a quiet minute, right below it (in a burst of jobs starting
        // together the pids spread out: the closest unused one is taken).
        // `opens` is in time order: look only at sessions opened within
        // five seconds of the CMD.
        let user = run_user[idx];
        let (from, until) = (
            r.started_at - Duration::seconds(5),
            r.started_at + Duration::seconds(5),
        );
        let lo = opens.partition_point(|o| o.0 < from);
        let hi = opens.partition_point(|o| o.0 <= until);
        let found = (lo..hi.max(lo))
            .filter(|&k| {
                let (_, _, p, u) = opens[k];
                !used_open[k] && p < pid && pid - p <= 256 && u == user
            })
            .max_by_key(|&k| (opens[k].2, std::cmp::Reverse(opens[k].1)));
        let (ppid, open_ev) = match found {
            Some(k) => {
                used_open[k] = true;
                let (_, ev, p, _) = opens[k];
                r.evidence.push(ev);
                (p, Some(ev))
            }
            None => (pid.saturating_sub(1), None),
        };
        inferred[idx] = Some((ppid, open_ev));
        parent.entry(ppid).or_default().push(idx);
    }

    // 2. Ends, failures and per-run notes.
    // cronie's `CMDOUT` lines, by logging pid, until the `CMDEND` that the
    // same process logs when the job is done says whose they are.
    let mut outputs: HashMap<u32, Vec<usize>> = HashMap::default();
    // Parents a grandchild line proved, where they differ from the guess.
    let mut retied: HashMap<u32, usize> = HashMap::default();
    let mut orphan_outputs: Vec<usize> = Vec::new();
    // The facts of each output text: a job prints the same lines run after
    // run, and the scan (a regex set) is most of what an output line costs.
    let mut scanned: HashMap<&str, Vec<JobFact>> = HashMap::default();
    let mut attach_output = |runs: &mut [Run], r: usize, i: usize| {
        if let Kind::CronOutput { text, .. } = &events[i].kind {
            let facts = scanned
                .entry(text)
                .or_insert_with(|| cfg.facts.scan_all(text, None));
            for f in facts.iter() {
                runs[r].facts.push((f.clone(), i));
            }
            runs[r].evidence.push(i);
        }
    };
    for l in &lines {
        let (i, t) = (l.ev, l.time);
        match l.said {
            Said::Grandchild { pid: logger, child } => {
                if let Some(r) = latest_before(
                    &runs,
                    &started,
                    by_pid.get(&child).map(Few::as_slice),
                    t + SKEW,
                    |_| true,
                ) {
                    retie(&mut runs, &mut inferred, &mut retied, &parent, r, logger);
                    let Kind::CronGrandchild { outcome, .. } = &events[i].kind else {
                        unreachable!("a grandchild line's event")
                    };
                    let r = &mut runs[r];
                    apply_outcome(r, outcome, i);
                    r.end(t);
                    r.evidence.push(i);
                }
            }
            Said::Session {
                pid,
                opened: false,
                user,
            } => {
                // The run this session's pid was tied to; failing that (jobs
                // started in one burst spread their pids so that only time
                // ties a CMD to its session), the oldest run of this user
                // still open that started with the session.
                let opened_at = session_open
                    .get(&pid)
                    .and_then(|v| v.as_slice().iter().rev().find(|o| **o <= t))
                    .copied();
                let linked = parent_run(&runs, &started, &retied, &parent, pid, t + SKEW, |r| {
                    !r.session_closed
                });
                let fallback = || {
                    let list = by_user.get(&user)?;
                    let (lo, hi) = match opened_at {
                        Some(o) => (o - Duration::seconds(2), (o + Duration::seconds(2)).min(t)),
                        None => (t - Duration::days(1), t),
                    };
                    started_between(&runs, list, lo, hi)
                        .iter()
                        .copied()
                        .find(|&ri| !runs[ri].session_closed)
                };
                if let Some(r) = linked.or_else(fallback) {
                    runs[r].session_closed = true;
                    runs[r].end(t);
                    runs[r].evidence.push(i);
                }
            }
            Said::Note { pid } => {
                if let Some(r) = parent_run(&runs, &started, &retied, &parent, pid, t, |_| true) {
                    runs[r].evidence.push(i);
                }
            }
            Said::End {
                pid,
                user,
                command,
                status,
            } => {
                let cands = by_cmd.get(&(user, command)).map(Vec::as_slice);
                // The run whose end this process logs, when that is known:
                // Debian with pid logging names the parent on the CMD line;
                // cronie's CMDEND comes from the job's parent, the CMD's pid
                // less one in every cronie log seen. Else the latest run of
                // this user and command still open.
                let tied = |r: &Run| {
                    !r.end_logged
                        && match r.parent {
                            Some(p) => p == pid,
                            None => r.sched == Scheduler::Cronie && r.pid == pid.checked_add(1),
                        }
                };
                let found = latest_before(&runs, &started, cands, t, tied)
                    .or_else(|| {
                        latest_before(&runs, &started, cands, t, |r| {
                            r.exit.is_none() && !r.end_logged
                        })
                    })
                    .or_else(|| latest_before(&runs, &started, cands, t, |_| true));
                if let Some(r) = found {
                    // This process's output lines since the run began are
                    // the run's; older ones (a pid reused) are not.
                    if let Some(list) = outputs.remove(&pid) {
                        let from = runs[r].started_at - SKEW;
                        for o in list {
                            if events[o].time >= from {
                                attach_output(&mut runs, r, o);
                            } else {
                                orphan_outputs.push(o);
                            }
                        }
                    }
                    let r = &mut runs[r];
                    r.end(t);
                    if let Some(s) = status {
                        r.exit = Some((s, i));
                    }
                    r.evidence.push(i);
                }
            }
            Said::Output { pid } => outputs.entry(pid).or_default().push(i),
            Said::AnacronEnd { pid, job } => {
                if let Some(r) = latest_before(
                    &runs,
                    &started,
                    anacron.get(&(pid, job)).map(Few::as_slice),
                    t,
                    |r| !r.end_logged,
                ) {
                    let Kind::AnacronEnd { outcome, .. } = &events[i].kind else {
                        unreachable!("an anacron end line's event")
                    };
                    let r = &mut runs[r];
                    r.end(t);
                    apply_outcome(r, outcome, i);
                    r.evidence.push(i);
                }
            }
            Said::RunParts => {
                let Kind::RunParts { dir, .. } = &events[i].kind else {
                    unreachable!("a run-parts line's event")
                };
                let folder = dir.rsplit('/').next().unwrap_or(dir);
                let found = latest_before(&runs, &started, Some(&all), t, |r| {
                    (&*r.job == folder
                        || r.command
                            .as_deref()
                            .is_some_and(|c| c.contains(dir.as_str())))
                        && r.ended_at.is_none_or(|e| e >= t)
                });
                if let Some(r) = found {
                    runs[r].evidence.push(i);
                }
            }
            _ => {}
        }
    }

    // Output whose `CMDEND` never came (the run outlived the log, or the
    // line was lost): the latest run of its user still open then.
    orphan_outputs.extend(outputs.into_values().flatten());
    orphan_outputs.sort_unstable();
    for i in orphan_outputs {
        let e = &events[i];
        let Kind::CronOutput { user, .. } = &e.kind else {
            continue;
        };
        let found = latest_before(
            &runs,
            &started,
            ids.ids
                .get(user.as_str())
                .and_then(|u| by_user.get(u))
                .map(Vec::as_slice),
            e.time,
            |r| r.ended_at.is_none_or(|end| end >= e.time),
        );
        if let Some(r) = found {
            attach_output(&mut runs, r, i);
        }
    }

    (runs, coverage)
}

/// Runs from several lists, each in the order of their start events, in
/// that order (the order one pass over all hosts' events gave them). The
/// order is worked out on (start event, list) keys, then each run is moved
/// once: a heap of runs moved them three times (50 ms at 1 GiB).
fn merge_by_start(parts: Vec<Vec<Run>>) -> Vec<Run> {
    let mut keys: Vec<(Ev, u32)> = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for (k, part) in parts.iter().enumerate() {
        debug_assert!(part.windows(2).all(|w| w[0].evidence[0] < w[1].evidence[0]));
        keys.extend(part.iter().map(|r| (r.evidence[0], k as u32)));
    }
    // Start events are distinct: an unstable sort is as good as a stable one.
    keys.sort_unstable();
    let mut iters: Vec<std::vec::IntoIter<Run>> = parts.into_iter().map(Vec::into_iter).collect();
    keys.into_iter()
        .map(|(_, k)| iters[k as usize].next().expect("one run a key"))
        .collect()
}

/// Correlate sorted, de-duplicated events ([`prepare`]); `paths[i]` is the
/// path of input `i` (a job log under a host's folder belongs to that host).
pub fn correlate(events: &[Event], cfg: &Config, paths: &[String]) -> Correlation {
    let mut c = Correlation::default();
    let mut names = Names::default();

    // 1–2. Each host's scheduler lines, apart: its runs and its coverage.
    // The same pass picks out the few events the later steps read (units,
    // job output, Slack records): each step then walks its own list, not
    // every event again.
    let mut by_host_events: HashMap<&str, Vec<usize>> = HashMap::default();
    let (mut unit_events, mut output_events, mut slack_events) = (vec![], vec![], vec![]);
    for (i, e) in events.iter().enumerate() {
        match e.kind {
            Kind::Unit(_) | Kind::Timer { .. } => unit_events.push(i),
            Kind::Job { .. } | Kind::UnitOutput { .. } => output_events.push(i),
            Kind::Slack(_) => slack_events.push(i),
            _ => {}
        }
        if is_scheduler(&e.kind) {
            by_host_events.entry(hk(e)).or_default().push(i);
        }
    }
    let mut hosts: Vec<(&str, Vec<usize>)> = by_host_events.into_iter().collect();
    // The busiest first, so the threads finish together.
    hosts.sort_unstable_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let parts: Vec<HostRuns> = {
        use rayon::prelude::*;
        hosts
            .par_iter()
            .map(|(_, idx)| host_runs(events, idx, cfg))
            .collect()
    };
    drop(hosts);
    let mut host_parts = Vec::with_capacity(parts.len());
    for (runs, coverage) in parts {
        c.coverage.extend(coverage);
        host_parts.push(runs);
    }
    let mut runs = merge_by_start(host_parts);

    // systemd units.
    correlate_units(events, &unit_events, cfg, &mut runs, &mut names);

    // 3. Job output. (The indexes are built only for inputs that have some.)
    let (by_job, next_start) = if output_events.is_empty() {
        Default::default()
    } else {
        job_index(&runs, true)
    };
    let by_unit = if output_events
        .iter()
        .any(|&i| matches!(events[i].kind, Kind::UnitOutput { .. }))
    {
        index_by(&runs, |r| {
            r.unit.clone().map(|u| (host_key(r.host.as_deref()), u))
        })
    } else {
        Default::default()
    };
    // Keyed by job and the folder of the file: two hosts' `jobs/foo.log`
    // are two streams (a file and its rotated copies, one).
    let mut orphan_output: BTreeMap<(String, String), Vec<Ev>> = BTreeMap::new();
    let mut hints = HostHints::default();
    for &i in &output_events {
        let e = &events[i];
        // Runs that started by a minute after the line may hold it.
        let latest = e.time + Duration::seconds(60);
        let (job, fact) = match &e.kind {
            Kind::Job { job, fact } => (job.clone(), fact),
            Kind::UnitOutput { unit, fact } => {
                let list = by_unit.get(&(host_key(e.host.as_deref()), Name::from(unit.as_str())));
                let found = list.and_then(|l| {
                    let end = l.partition_point(|&ri| runs[ri].started_at <= latest);
                    l[..end]
                        .iter()
                        .rev()
                        .take(SCAN)
                        .copied()
                        .find(|&ri| holds_output(&runs[ri], next_start[ri], e.time))
                });
                if let Some(r) = found {
                    add_fact(&mut runs[r], fact, i);
                }
                continue;
            }
            _ => continue,
        };
        let list = by_job.get(&*job).map(|j| &j.all);
        let hint = hints.get(paths, e, &runs, &job, list);
        let found = list.and_then(|list| {
            let end = list.partition_point(|&ri| runs[ri].started_at <= latest);
            list[..end]
                .iter()
                .rev()
                .take(SCAN)
                .copied()
                .filter(|&ri| holds_output(&runs[ri], next_start[ri], e.time))
                .max_by_key(|&ri| {
                    (
                        hint.is_some() && runs[ri].host.as_deref() == hint.as_deref(),
                        runs[ri].started_at,
                    )
                })
        });
        match found {
            Some(r) => add_fact(&mut runs[r], fact, i),
            None => {
                let folder = paths
                    .get(e.loc.source as usize)
                    .and_then(|p| std::path::Path::new(p).parent())
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                orphan_output
                    .entry((job.to_string(), folder))
                    .or_default()
                    .push(i)
            }
        }
    }
    let runs_before_orphans = runs.len();
    // Output no scheduler run holds: runs seen only in their job log. At most
    // one run per segment start, exit status or job.
    let bound = orphan_output.len()
        + orphan_output
            .values()
            .flatten()
            .filter(|&&i| {
                matches!(
                    events[i].kind,
                    Kind::Job {
                        fact: JobFact::SegmentStart | JobFact::Exit(_),
                        ..
                    }
                )
            })
            .count();
    runs.reserve_exact(bound);
    // Hosts the logs name: a folder named like one is that host's.
    let known_hosts: BTreeSet<Name> = if orphan_output.is_empty() {
        BTreeSet::new()
    } else {
        runs.iter()
            .filter_map(|r| r.host.clone())
            .chain(
                c.coverage
                    .keys()
                    .filter(|h| !h.is_empty())
                    .map(|h| Name::from(h.as_str())),
            )
            .collect()
    };
    for ((job, folder), evs) in orphan_output {
        let host = std::path::Path::new(&folder).components().find_map(|c| {
            let c = c.as_os_str().to_string_lossy();
            known_hosts.iter().find(|h| ***h == *c).cloned()
        });
        // The current run, and the latest time it was seen.
        let mut cur: Option<(usize, DateTime<Utc>)> = None;
        let mut after_exit = false;
        // Events of this second so far: a line another file of the folder
        // also holds (rotated copies that overlap) is read once.
        let mut second: Vec<Ev> = Vec::new();
        for i in evs {
            let e = &events[i];
            let Kind::Job { fact, .. } = &e.kind else {
                continue;
            };
            if second.first().is_some_and(|&o| events[o].time != e.time) {
                second.clear();
            }
            if second
                .iter()
                .any(|&o| events[o].loc.source != e.loc.source && events[o].text == e.text)
            {
                continue;
            }
            second.push(i);
            let start_new = match cur {
                None => true,
                Some((_, seen)) => {
                    matches!(fact, JobFact::SegmentStart)
                        || after_exit && !matches!(fact, JobFact::SegmentEnd)
                        || (e.time - seen).num_seconds() >= crate::ingest::SEGMENT_GAP
                }
            };
            if start_new {
                let name = cfg
                    .job_named(&job)
                    .map(|j| j.name.clone())
                    .unwrap_or(job.clone());
                let mut r = Run::new(names.get(&name), host.clone(), Scheduler::JobLog, e.time, i);
                r.evidence = Vec::new();
                runs.push(r);
                cur = Some((runs.len() - 1, e.time));
                after_exit = false;
            }
            let Some((ri, seen)) = cur.as_mut() else {
                continue;
            };
            *seen = (*seen).max(e.time);
            let r = &mut runs[*ri];
            add_fact(r, fact, i);
            if matches!(fact, JobFact::SegmentEnd) {
                r.ended_at = Some(e.time.max(r.started_at));
            }
            after_exit |= matches!(fact, JobFact::Exit(_));
        }
    }

    // 4. Slack records. (The indexes are built here if job output did not
    // need them, and rebuilt if job logs added runs.)
    let built = !output_events.is_empty() && runs.len() == runs_before_orphans;
    let (by_job, next_start) = if built || slack_events.is_empty() {
        (by_job, next_start)
    } else {
        job_index(&runs, true)
    };
    // Runs in start order, for records that name no job (built if needed).
    let all: std::cell::OnceCell<Vec<usize>> = std::cell::OnceCell::new();
    // A run's end as far as the logs tell, fixed before Slack records join
    // (a retry does not stretch the window it is judged in); worked out
    // for the runs a record is compared with.
    let last_seen: Vec<std::cell::OnceCell<DateTime<Utc>>> =
        vec![std::cell::OnceCell::new(); runs.len()];
    let last = |ri: usize| *last_seen[ri].get_or_init(|| runs[ri].last_seen(events));
    // No run is looked for further back than this before a record.
    let lookback = cfg.delivery_window + Duration::days(2);
    // (run, record): applied once all records are placed.
    let mut assigned: Vec<(usize, Ev)> = Vec::new();
    let mut slack_hints = HostHints::default();
    let known: BTreeSet<String> = by_job
        .keys()
        .map(|j| j.to_string())
        .chain(cfg.jobs.iter().map(|j| j.name.clone()))
        .collect();
    // Runs hold Slack attempts only from job output so far.
    if !output_events.is_empty() {
        for r in &runs {
            if !r.slack.is_empty() {
                c.jobs_with_slack.insert(r.job.to_string());
            }
        }
    }
    for &i in &slack_events {
        let e = &events[i];
        let Kind::Slack(a) = &e.kind else { continue };
        // From a run's start (SPEC §2.2), a second early for stamps cut to
        // the second in one log and not in the other, to the end of its
        // delivery window or the next run's start. (Most runs a record is
        // compared with are older runs of its job, which the next start
        // rules out before their end is worked out.)
        let late = e.time + SKEW;
        let window = |ri: usize| -> bool {
            let r = &runs[ri];
            r.missed.is_none()
                && late >= r.started_at
                && next_start[ri].is_none_or(|n| e.time <= n)
                && e.time <= last(ri) + cfg.delivery_window
        };
        // Several runs of the job (on several hosts) may hold the record:
        // the host it names, else the host in its path, else the run that
        // ended last before it (a notification follows its job's end).
        let hint = a.host.clone().or_else(|| {
            let job = a.job.as_deref()?;
            slack_hints.get(paths, e, &runs, job, by_job.get(job).map(|j| &j.all))
        });
        let pick = |cands: &mut dyn Iterator<Item = usize>| -> Option<usize> {
            cands.max_by_key(|&ri| {
                (
                    hint.is_some() && runs[ri].host.as_deref() == hint.as_deref(),
                    last(ri) <= e.time,
                    last(ri),
                )
            })
        };
        let found = match &a.job {
            Some(j) => {
                let job = normalize_job(j, &known, cfg);
                c.jobs_with_slack.insert(job.clone());
                by_job.get(job.as_str()).and_then(|j| {
                    // The job's runs that started from `lookback` before to
                    // a minute after the record, host by host: of those that
                    // started before it, only the last can hold it (the next
                    // start closes the others' windows).
                    let (lo, hi) = (e.time - lookback, e.time + Duration::seconds(60));
                    let mut held: Vec<usize> = Vec::new();
                    for list in &j.by_host {
                        let from = list.partition_point(|&ri| runs[ri].started_at < lo);
                        let before = list.partition_point(|&ri| runs[ri].started_at < e.time);
                        let from = from.max(before.saturating_sub(1));
                        let to = list.partition_point(|&ri| runs[ri].started_at <= hi);
                        held.extend(
                            list[from..to.max(from)]
                                .iter()
                                .copied()
                                .filter(|&ri| window(ri)),
                        );
                    }
                    // In the job's start order, as `pick` breaks ties.
                    held.sort_unstable_by_key(|&ri| (runs[ri].started_at, ri));
                    pick(&mut held.into_iter())
                })
            }
            None => {
                let all = all.get_or_init(|| {
                    let mut v: Vec<usize> = (0..runs.len()).collect();
                    v.sort_by_key(|&i| runs[i].started_at);
                    v
                });
                let near = started_between(
                    &runs,
                    all,
                    e.time - lookback,
                    e.time + Duration::seconds(60),
                );
                let holding: Vec<usize> = near.iter().copied().filter(|&ri| window(ri)).collect();
                (holding.len() == 1).then(|| holding[0])
            }
        };
        match found {
            Some(ri) => {
                c.jobs_with_slack.insert(runs[ri].job.to_string());
                assigned.push((ri, i));
            }
            None => c.unmatched_slack.push(i),
        }
    }
    for (ri, i) in assigned {
        runs[ri].slack.push(i);
        runs[ri].evidence.push(i);
    }

    // 5. Missed runs.
    let missed = missed_runs(cfg, &runs, &c.coverage, &mut c.notes);
    runs.reserve_exact(missed.len());
    runs.extend(missed);

    let (_, next) = job_index(&runs, false);
    {
        use rayon::prelude::*;
        runs.par_iter_mut().zip(next).for_each(|(r, n)| {
            r.next_start = n;
            r.evidence.sort_unstable();
            r.evidence.dedup();
            r.slack.sort_unstable();
            r.facts.sort_by_key(|(_, ev)| *ev);
        });
    }
    // The report's order: start, job, host, command, first evidence. The
    // names compare by rank (their text order), a lookup each rather than
    // a string comparison.
    let ranks = NameRanks::new(&runs);
    let names = |r: &Run| {
        (
            ranks.of(&r.job),
            r.host.as_ref().map_or(0, |h| 1 + ranks.of(h)),
            r.command.as_ref().map_or(0, |c| 1 + ranks.of(c)),
        )
    };
    let order = |a: &Run, b: &Run| {
        a.started_at
            .cmp(&b.started_at)
            .then_with(|| names(a).cmp(&names(b)))
            .then_with(|| a.evidence.first().cmp(&b.evidence.first()))
    };
    // The hosts' runs come first, in start order: with each instant's runs
    // sorted (a few dozen at most: in place, no large buffer) they are one
    // sorted stretch, and the runs added after them a short tail to merge.
    let head = 1 + runs
        .windows(2)
        .take_while(|w| w[0].started_at <= w[1].started_at)
        .count();
    let head = head.min(runs.len());
    // An instant's runs are sorted by their names' ranks, worked out once
    // each, and then put in that order. (Their first evidence, in a list of
    // its own, is read only to part runs of the same names.)
    let mut keys: Vec<((u32, u32, u32), usize)> = Vec::new();
    let mut to: Vec<usize> = Vec::new();
    for same_start in runs[..head].chunk_by_mut(|a, b| a.started_at == b.started_at) {
        if same_start.len() > 1 {
            keys.clear();
            keys.extend(same_start.iter().enumerate().map(|(k, r)| (names(r), k)));
            // The place breaks the last ties: as a stable sort would.
            keys.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| {
                        let first = |k: usize| same_start[k].evidence.first();
                        first(a.1).cmp(&first(b.1))
                    })
                    .then(a.1.cmp(&b.1))
            });
            to.clear();
            to.extend(keys.iter().map(|k| k.1));
            permute(same_start, &mut to);
        }
    }
    merge_tail(&mut runs, head, order);
    c.runs = runs;
    c
}

/// The open run whose parent process is `pid`: the one a grandchild line
/// proved, else the latest guessed one started by `t` passing `ok` (a run
/// proved to have another parent is not this one's).
fn parent_run(
    runs: &[Run],
    started: &[DateTime<Utc>],
    retied: &HashMap<u32, usize>,
    parent: &HashMap<u32, Few<usize>>,
    pid: u32,
    t: DateTime<Utc>,
    ok: impl Fn(&Run) -> bool,
) -> Option<usize> {
    retied
        .get(&pid)
        .copied()
        .filter(|&r| !runs[r].session_closed)
        .or_else(|| {
            latest_before(runs, started, parent.get(&pid).map(Few::as_slice), t, |r| {
                ok(r) && r.parent.is_none_or(|p| p == pid)
            })
        })
}

/// `(CRON) error (grandchild #G …)` from `logger`: the run of G is
/// `logger`'s. When the session guess gave G's run another parent (jobs
/// started in one burst, where only time ties a CMD to its session), the
/// run the guess gave `logger` in the same burst swaps with it: its parent
/// and its session-open line.
fn retie(
    runs: &mut [Run],
    inferred: &mut [Option<(u32, Option<usize>)>],
    retied: &mut HashMap<u32, usize>,
    parent: &HashMap<u32, Few<usize>>,
    r: usize,
    logger: u32,
) {
    let Some((old, open_ev)) = inferred[r] else {
        return;
    };
    if old == logger || runs[r].parent.is_some() {
        return;
    }
    let started = runs[r].started_at;
    let other = parent.get(&logger).and_then(|list| {
        list.as_slice().iter().copied().find(|&o| {
            o != r
                && runs[o].parent.is_none()
                && !runs[o].session_closed
                && inferred[o].is_some_and(|(p, _)| p == logger)
                && (runs[o].started_at - started).abs() <= Duration::seconds(5)
        })
    });
    runs[r].parent = Some(logger);
    retied.insert(logger, r);
    let Some(o) = other else {
        inferred[r] = Some((logger, open_ev));
        return;
    };
    let other_ev = inferred[o].and_then(|(_, ev)| ev);
    runs[o].parent = Some(old);
    retied.insert(old, o);
    for (run, from, to) in [(r, open_ev, other_ev), (o, other_ev, open_ev)] {
        if let Some(f) = from {
            runs[run].evidence.retain(|&e| e != f);
        }
        runs[run].evidence.extend(to);
    }
    inferred[r] = Some((logger, other_ev));
    inferred[o] = Some((old, open_ev));
}

fn apply_outcome(r: &mut Run, outcome: &Outcome, ev: Ev) {
    match outcome {
        Outcome::Ok => {}
        Outcome::Exit(n) => r.exit = Some((*n, ev)),
        Outcome::Signal(n, name) => {
            let what = if name.is_empty() {
                format!("killed by signal {n}")
            } else {
                format!("killed by signal {n} ({name})")
            };
            r.sched_failure = Some(Box::new((what, ev)));
        }
        Outcome::Failed(why) => {
            if r.sched_failure.is_none() {
                r.sched_failure = Some(Box::new((why.clone(), ev)));
            }
        }
    }
}

fn add_fact(r: &mut Run, fact: &JobFact, ev: Ev) {
    match fact {
        JobFact::Slack(_) => r.slack.push(ev),
        JobFact::SegmentStart | JobFact::SegmentEnd => {}
        f => r.facts.push((f.clone(), ev)),
    }
    r.evidence.push(ev);
}

/// Runs grouped by a key, each group in start order (ties in index order).
fn index_by<K: std::hash::Hash + Eq>(
    runs: &[Run],
    key: impl Fn(&Run) -> Option<K>,
) -> HashMap<K, Vec<usize>> {
    let mut m: HashMap<K, Vec<usize>> = HashMap::default();
    for (i, r) in runs.iter().enumerate() {
        if let Some(k) = key(r) {
            m.entry(k).or_default().push(i);
        }
    }
    for list in m.values_mut() {
        list.sort_by_key(|&i| (runs[i].started_at, i));
    }
    m
}

/// A job's runs, in start order (ties in index order): all of them, and
/// those of each host apart.
#[derive(Debug, Default)]
struct JobRuns {
    all: Vec<usize>,
    by_host: Vec<Vec<usize>>,
}

/// Runs by job ([`JobRuns`], built when `lists`), and for each run the start
/// of the next run of the same job on the same host. One walk over the runs
/// in start order (ties in index order), which the hosts' runs already are
/// unless units, job logs or missed runs were added; names are looked up by
/// address ([`PairIds`]).
fn job_index(runs: &[Run], lists: bool) -> (HashMap<Name, JobRuns>, Vec<Option<DateTime<Utc>>>) {
    let order: Option<Vec<usize>> = (!runs.windows(2).all(|w| w[0].started_at <= w[1].started_at))
        .then(|| {
            let mut order: Vec<usize> = (0..runs.len()).collect();
            order.sort_by_key(|&i| runs[i].started_at);
            order
        });
    let mut pair_ids = PairIds::default();
    // Per (job, host) pair: its job's place in `jobs`, its last run so far,
    // and its runs.
    let mut pairs: Vec<(usize, Option<usize>, Vec<usize>)> = Vec::new();
    let mut job_at: HashMap<&str, usize> = HashMap::default();
    // Per job: its name, its runs and its pairs.
    let mut jobs: Vec<(Name, Vec<usize>, Vec<usize>)> = Vec::new();
    let mut next = vec![None; runs.len()];
    let mut step = |i: usize| {
        let r = &runs[i];
        let p = pair_ids.of(r);
        if p == pairs.len() {
            let j = *job_at.entry(&r.job).or_insert(jobs.len());
            if j == jobs.len() {
                jobs.push((r.job.clone(), Vec::new(), Vec::new()));
            }
            jobs[j].2.push(p);
            pairs.push((j, None, Vec::new()));
        }
        let (j, last, list) = &mut pairs[p];
        if let Some(prev) = last.replace(i) {
            next[prev] = Some(r.started_at);
        }
        if lists {
            jobs[*j].1.push(i);
            list.push(i);
        }
    };
    match order {
        Some(order) => order.into_iter().for_each(&mut step),
        None => (0..runs.len()).for_each(&mut step),
    }
    let by_job = if lists {
        jobs.into_iter()
            .map(|(job, all, ps)| {
                let by_host = ps
                    .into_iter()
                    .map(|p| std::mem::take(&mut pairs[p].2))
                    .collect();
                (job, JobRuns { all, by_host })
            })
            .collect()
    } else {
        HashMap::default()
    };
    (by_job, next)
}

/// The address of a name's allocation: runs share their names' allocations
/// (one per host and name), so a few lookups by address stand for many by
/// text. (Two different live names never share an address.)
fn name_addr(n: &Name) -> usize {
    std::sync::Arc::as_ptr(n).cast::<u8>().addr()
}

/// Dense ids of the (job, host) pairs of runs: equal pairs, equal ids. A
/// pair is looked up by its names' addresses, and by their text only the
/// first time those addresses come.
#[derive(Default)]
struct PairIds<'r> {
    by_addr: HashMap<(usize, usize), usize>,
    by_text: HashMap<(&'r str, Option<&'r str>), usize>,
}

impl<'r> PairIds<'r> {
    fn of(&mut self, r: &'r Run) -> usize {
        let addr = (name_addr(&r.job), r.host.as_ref().map_or(0, name_addr));
        if let Some(&id) = self.by_addr.get(&addr) {
            return id;
        }
        let next = self.by_text.len();
        let id = *self
            .by_text
            .entry((&r.job, r.host.as_deref()))
            .or_insert(next);
        self.by_addr.insert(addr, id);
        id
    }
}

/// Every job, host and command name of the runs, ranked in text order and
/// looked up by address ([`name_addr`]).
struct NameRanks(HashMap<usize, u32>);

impl NameRanks {
    fn new(runs: &[Run]) -> NameRanks {
        let mut text: HashMap<usize, &str> = HashMap::default();
        for r in runs {
            for n in [Some(&r.job), r.host.as_ref(), r.command.as_ref()]
                .into_iter()
                .flatten()
            {
                text.entry(name_addr(n)).or_insert(n);
            }
        }
        let mut sorted: Vec<&str> = text.values().copied().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let rank = |t: &str| sorted.partition_point(|s| *s < t) as u32;
        NameRanks(text.into_iter().map(|(a, t)| (a, rank(t))).collect())
    }

    fn of(&self, n: &Name) -> u32 {
        self.0[&name_addr(n)]
    }
}

/// Does a run's output span (start − 60 s to the next run's start) hold `t`?
fn holds_output(r: &Run, next: Option<DateTime<Utc>>, t: DateTime<Utc>) -> bool {
    r.missed.is_none()
        && t >= r.started_at - Duration::seconds(60)
        && next.is_none_or(|n| t < n - Duration::seconds(60))
}

/// [`path_host_hint`] once per (input, job): the answer depends on nothing
/// else, and a job log holds thousands of lines of one job.
#[derive(Default)]
struct HostHints(HashMap<crate::event::SourceId, HashMap<String, Option<String>>>);

impl HostHints {
    fn get(
        &mut self,
        paths: &[String],
        e: &Event,
        runs: &[Run],
        job: &str,
        list: Option<&Vec<usize>>,
    ) -> Option<String> {
        let per_input = self.0.entry(e.loc.source).or_default();
        if let Some(h) = per_input.get(job) {
            return h.clone();
        }
        let h = path_host_hint(paths, e, runs, list);
        per_input.insert(job.to_string(), h.clone());
        h
    }
}

/// A host named by a folder in a job log's path (`web-01/jobs/backup.log`).
fn path_host_hint(
    paths: &[String],
    e: &Event,
    runs: &[Run],
    list: Option<&Vec<usize>>,
) -> Option<String> {
    let list = list?;
    let text_hosts: BTreeSet<&str> = list
        .iter()
        .filter_map(|&i| runs[i].host.as_deref())
        .collect();
    if text_hosts.len() < 2 {
        return None;
    }
    let path = paths.get(e.loc.source as usize)?;
    let comps: Vec<String> = std::path::Path::new(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    text_hosts
        .into_iter()
        .find(|h| comps.iter().any(|c| c == h))
        .map(str::to_string)
}

/// A Slack record's job as a run's job: itself when known, else its derived
/// name (`backup.sh` → `backup`).
fn normalize_job(j: &str, known: &BTreeSet<String>, cfg: &Config) -> String {
    if known.contains(j) {
        return j.to_string();
    }
    if let Some(p) = cfg.job_for(j) {
        return p.name.clone();
    }
    let derived = jobname::from_command(j);
    if known.contains(&derived) {
        return derived;
    }
    j.to_string()
}

/// A `Started U` this long after U's last run ended starts a new run; one
/// sooner is old systemd finishing the oneshot that just ended.
const STARTED_AFTER_END: Duration = Duration::seconds(10);

/// systemd: runs per (host, unit), ended by their end lines; which units
/// are jobs is decided at the end (SPEC §1.1).
fn correlate_units(
    events: &[Event],
    unit_events: &[Ev],
    cfg: &Config,
    runs: &mut Vec<Run>,
    names: &mut Names,
) {
    let mut timers: BTreeSet<&str> = BTreeSet::new();
    let mut qualified: BTreeSet<(HostKey, String)> = BTreeSet::new();
    let mut open: HashMap<(HostKey, String), usize> = HashMap::default();
    // Old systemd: runs started by description, unit not yet known.
    let mut by_desc: HashMap<(HostKey, String), usize> = HashMap::default();
    let mut desc_unit: HashMap<(HostKey, String), String> = HashMap::default();
    let mut unit_runs: Vec<Run> = Vec::new();
    for &i in unit_events {
        let e = &events[i];
        let h = host_key(e.host.as_deref());
        let (unit, desc, msg) = match &e.kind {
            Kind::Timer { service } => {
                timers.insert(service);
                continue;
            }
            Kind::Unit(u) => (&u.unit, &u.desc, &u.msg),
            _ => continue,
        };
        let mut unit = unit.clone();
        if unit.is_empty() {
            if let Some(d) = desc {
                if let Some(u) = desc_unit.get(&(h.clone(), d.clone())) {
                    unit = u.clone();
                }
            }
        }
        if unit.is_empty() {
            // Description only, unit unknown yet.
            let d = desc.clone().unwrap_or_default();
            match msg {
                UnitMsg::Starting => {
                    let mut r =
                        Run::new(names.get(""), e.host.clone(), Scheduler::Systemd, e.time, i);
                    r.command = Some(names.get(&d));
                    by_desc.insert((h, d), unit_runs.len());
                    unit_runs.push(r);
                }
                UnitMsg::Finished | UnitMsg::End(_) | UnitMsg::Started => {
                    if let Some(&ri) = by_desc.get(&(h.clone(), d.clone())) {
                        let r = &mut unit_runs[ri];
                        if r.ended_at.is_none() || matches!(msg, UnitMsg::End(_)) {
                            if let UnitMsg::End(o) = msg {
                                apply_outcome(r, o, i);
                                r.end(e.time);
                            } else if matches!(msg, UnitMsg::Finished) {
                                r.end(e.time);
                            }
                        }
                        r.evidence.push(i);
                        if matches!(msg, UnitMsg::Finished | UnitMsg::End(Outcome::Failed(_))) {
                            if let Some(u) = &r.unit {
                                qualified.insert((h, u.to_string()));
                            }
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        let key = (h.clone(), unit.clone());
        match msg {
            UnitMsg::Starting => {
                let mut r = Run::new(names.get(""), e.host.clone(), Scheduler::Systemd, e.time, i);
                r.unit = Some(names.get(&unit));
                r.command = Some(names.get(&unit));
                if let Some(d) = desc {
                    desc_unit.insert((h.clone(), d.clone()), unit.clone());
                }
                open.insert(key, unit_runs.len());
                unit_runs.push(r);
            }
            UnitMsg::Started
                if unit.ends_with(".service")
                    && open.get(&key).is_none_or(|&ri| {
                        unit_runs[ri]
                            .ended_at
                            .is_some_and(|end| e.time - end > STARTED_AFTER_END)
                    }) =>
            {
                // A `Type=simple` service logs no `Starting`: its `Started U`
                // is the run's start. (Old systemd's `Started` that ends a
                // oneshot comes while its run is open, or right after its
                // `Succeeded.`.)
                let mut r = Run::new(names.get(""), e.host.clone(), Scheduler::Systemd, e.time, i);
                r.unit = Some(names.get(&unit));
                r.command = Some(names.get(&unit));
                open.insert(key, unit_runs.len());
                unit_runs.push(r);
            }
            _ => {
                // Bind an open description-only run on this host to the unit.
                let ri = match open.get(&key) {
                    Some(&ri)
                        if unit_runs[ri].ended_at.is_none()
                            || !matches!(msg, UnitMsg::MainExited(_)) =>
                    {
                        Some(ri)
                    }
                    _ => {
                        let cands: Vec<(String, usize)> = by_desc
                            .iter()
                            .filter(|((hh, _), ri)| {
                                *hh == h
                                    && unit_runs[**ri].unit.is_none()
                                    && unit_runs[**ri].ended_at.is_none()
                            })
                            .map(|((_, d), ri)| (d.clone(), *ri))
                            .collect();
                        if cands.len() == 1 && !matches!(msg, UnitMsg::Note | UnitMsg::Started) {
                            let (d, ri) = cands[0].clone();
                            unit_runs[ri].unit = Some(names.get(&unit));
                            desc_unit.insert((h.clone(), d), unit.clone());
                            open.insert(key.clone(), ri);
                            Some(ri)
                        } else {
                            None
                        }
                    }
                };
                let ri = match (ri, msg) {
                    (Some(ri), _) => ri,
                    // An end with no start in the input: the run began before
                    // the logs did. Keep it.
                    (None, UnitMsg::Finished | UnitMsg::End(_) | UnitMsg::MainExited(_)) => {
                        let mut r =
                            Run::new(names.get(""), e.host.clone(), Scheduler::Systemd, e.time, i);
                        r.unit = Some(names.get(&unit));
                        r.command = Some(names.get(&unit));
                        open.insert(key.clone(), unit_runs.len());
                        unit_runs.push(r);
                        unit_runs.len() - 1
                    }
                    (None, _) => continue,
                };
                let r = &mut unit_runs[ri];
                if r.unit.is_none() {
                    r.unit = Some(names.get(&unit));
                }
                r.evidence.push(i);
                match msg {
                    UnitMsg::MainExited(o) => apply_outcome(r, o, i),
                    UnitMsg::End(o) => {
                        apply_outcome(r, o, i);
                        r.end(e.time);
                        if matches!(o, Outcome::Failed(_)) {
                            qualified.insert(key.clone());
                        }
                    }
                    UnitMsg::Finished => {
                        r.end(e.time);
                        qualified.insert(key.clone());
                    }
                    _ => {}
                }
            }
        }
    }
    // Exactly (a full vector would double): run vectors are large.
    runs.reserve_exact(unit_runs.len());
    for mut r in unit_runs {
        let Some(unit) = r.unit.clone() else {
            // Never tied to a unit: a job only when the config names it.
            if let Some(j) = r.command.as_deref().and_then(|d| cfg.job_for(d)) {
                r.job = names.get(&j.name);
                runs.push(r);
            }
            continue;
        };
        let h = host_key(r.host.as_deref());
        let desc = r.command.clone();
        let named =
            cfg.job_for(&unit).is_some() || cfg.job_named(&jobname::from_unit(&unit)).is_some();
        if named || timers.contains(&*unit) || qualified.contains(&(h, unit.to_string())) {
            r.job = names.get(&unit_job_name(cfg, &unit, desc.as_deref()));
            r.command = Some(unit);
            runs.push(r);
        }
    }
}

/// The longest wait between two of the schedule's times, over its next 64
/// from `from`: a day across a DST change is 25 h, a weekday job's weekend is
/// three days.
fn schedule_period(sched: &croner::Cron, from: chrono::DateTime<chrono_tz::Tz>) -> Duration {
    let times: Vec<DateTime<Utc>> = sched
        .iter_from(from, croner::Direction::Forward)
        .take(64)
        .map(|t| t.with_timezone(&Utc))
        .collect();
    times
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or(Duration::days(1))
}

/// How many of a job's longest waits a silence may last and still be inside
/// what the host's logs cover: a host that logs nothing but this job, which
/// skipped up to three runs in a row, still covers the time between.
const BRIDGE_PERIODS: i32 = 4;

/// A host's coverage for one job: its stretches joined where the silence
/// between them is at most [`BRIDGE_PERIODS`] of the job's longest waits (a
/// host that logs little but this daily job still covers the days between
/// its runs, a day it skipped included, with jitter or a DST change in
/// between), and never across a longer silence — a clock reset to 1970, a
/// host switched off for a week — which would invent missed runs by the
/// thousand.
fn spans_for(stretches: &[(DateTime<Utc>, DateTime<Utc>)], period: Duration) -> Vec<Span> {
    let bridge = (period * BRIDGE_PERIODS).max(COVERAGE_GAP);
    let mut out: Vec<Span> = Vec::new();
    for &(a, b) in stretches {
        match out.last_mut() {
            Some(last) if a - last.1 <= bridge => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Scheduled times (config `schedule`, in the config's zone) inside the span
/// a host's scheduler lines cover, with no run of the job near them.
fn missed_runs(
    cfg: &Config,
    runs: &[Run],
    coverage: &BTreeMap<String, Vec<Span>>,
    notes: &mut Vec<String>,
) -> Vec<Run> {
    let mut out = Vec::new();
    for job in &cfg.jobs {
        let Some(sched) = &job.schedule else { continue };
        let mine: Vec<&Run> = runs.iter().filter(|r| *r.job == *job.name).collect();
        let mut hosts: BTreeSet<String> = job.hosts.iter().cloned().collect();
        if hosts.is_empty() {
            hosts = mine
                .iter()
                .filter_map(|r| r.host.as_deref().map(str::to_string))
                .collect();
        }
        if hosts.is_empty() {
            hosts = coverage.keys().filter(|h| !h.is_empty()).cloned().collect();
        }
        let kind = mine.first().map(|r| r.sched).unwrap_or(Scheduler::Cron);
        for host in hosts {
            let Some(stretches) = coverage.get(&host) else {
                continue;
            };
            let mut starts: Vec<DateTime<Utc>> = mine
                .iter()
                .filter(|r| r.host.as_deref() == Some(host.as_str()))
                .map(|r| r.started_at)
                .collect();
            starts.sort();
            let Some(first) = stretches.first() else {
                continue;
            };
            let period = schedule_period(sched, first.0.with_timezone(&cfg.schedule_zone));
            // A bound on the scheduled times looked at per host and job
            // (every minute for two weeks): each missed run is a run in the
            // report, and a config of frequent schedules over months of logs
            // would otherwise take gigabytes. Reaching it is said.
            let mut budget = MISSED_BUDGET;
            let spans = spans_for(stretches, period);
            let covered_to = spans.last().map(|s| s.1);
            let mut last_looked: Option<DateTime<Utc>> = None;
            for (from, to) in spans {
                if budget == 0 {
                    break;
                }
                let from_local = from.with_timezone(&cfg.schedule_zone);
                for s in sched
                    .iter_from(from_local, croner::Direction::Forward)
                    .take(budget)
                {
                    budget -= 1;
                    let s = s.with_timezone(&Utc);
                    if s + job.grace > to {
                        break;
                    }
                    last_looked = Some(s);
                    let lo = s - Duration::seconds(60);
                    let hi = s + job.grace;
                    let i = starts.partition_point(|t| *t < lo);
                    if starts.get(i).is_some_and(|t| *t <= hi) {
                        continue;
                    }
                    let mut r = Run::new(
                        job.name.as_str().into(),
                        Some(host.as_str().into()),
                        kind,
                        s,
                        0,
                    );
                    r.evidence = Vec::new();
                    r.ends_expected = false;
                    r.missed = Some(Box::new(Missed {
                        schedule: job.schedule_text.clone().unwrap_or_default(),
                        grace: job.grace,
                        config_line: job.schedule_line,
                    }));
                    out.push(r);
                }
            }
            if let (0, Some(last), Some(end)) = (budget, last_looked, covered_to) {
                if last + job.grace < end {
                    notes.push(format!(
                        "job `{}` on {host}: missed runs looked for only up to {} ({MISSED_BUDGET} scheduled times); its host's logs go on to {}",
                        job.name,
                        last.format("%Y-%m-%dT%H:%M:%SZ"),
                        end.format("%Y-%m-%dT%H:%M:%SZ"),
                    ));
                }
            }
        }
    }
    out
}

/// Scheduled times looked at per job and host for missed runs.
const MISSED_BUDGET: usize = 20_160;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Location;
    use chrono::TimeZone;

    #[test]
    fn sort_in_place_is_a_stable_sort_whatever_the_order() {
        // (key, original position): equal keys must keep their order.
        let cases: Vec<Vec<u32>> = vec![
            (0..1000).collect(),                                // already sorted
            (0..1000).chain((0..30).map(|k| k * 33)).collect(), // a short tail
            (0..1000).map(|k| (k * 7919) % 101).collect(),      // no order at all
            (0..1000).rev().collect(),
            vec![],
            vec![5],
        ];
        for keys in cases {
            let mut v: Vec<(u32, usize)> = keys.iter().copied().zip(0..).collect();
            let mut want = v.clone();
            want.sort_by_key(|&(k, _)| k);
            sort_in_place(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, want);
        }
    }

    fn ev(sec: u32, line: u64, text: &str) -> Event {
        Event {
            time: Utc.with_ymd_and_hms(2026, 12, 3, 4, 0, sec).unwrap(),
            host: Some("h".into()),
            kind: Kind::Context,
            loc: Location { source: 0, line },
            text: text.into(),
        }
    }

    #[test]
    fn prepare_sorts_in_place_and_drops_the_same_line_twice() {
        let events = vec![
            ev(3, 1, "c"),
            ev(1, 2, "a"),
            ev(2, 3, "b"),
            ev(1, 4, "a"),
            ev(1, 5, "x"),
            ev(0, 6, "z"),
        ];
        let out = prepare(events);
        let got: Vec<(u64, &str)> = out.iter().map(|e| (e.loc.line, &*e.text)).collect();
        assert_eq!(got, vec![(6, "z"), (2, "a"), (5, "x"), (3, "b"), (1, "c")]);
    }

    /// A host's rsyslog file (whole seconds) and its journal export (µs):
    /// one line each, one event.
    #[test]
    fn prepare_drops_a_whole_second_copy_from_another_input() {
        let cmd = Kind::CronCmd {
            sched: Scheduler::Cron,
            pid: 7,
            parent: None,
            user: "root".into(),
            command: "/opt/backup.sh".into(),
        };
        let mut syslog = ev(
            1,
            1,
            "Dec  3 04:00:01 h CRON[7]: (root) CMD (/opt/backup.sh)",
        );
        syslog.kind = cmd.clone();
        let mut journal = ev(1, 1, r#"{"MESSAGE":"(root) CMD (/opt/backup.sh)"}"#);
        journal.kind = cmd.clone();
        journal.loc.source = 1;
        journal.time += Duration::microseconds(234_567);
        assert_eq!(prepare(vec![journal.clone(), syslog.clone()]).len(), 1);
        // In one input both are kept (two lines of one file are two lines).
        journal.loc.source = 0;
        journal.loc.line = 2;
        assert_eq!(prepare(vec![journal.clone(), syslog.clone()]).len(), 2);
        // Another pid is another run.
        journal.loc.source = 1;
        if let Kind::CronCmd { pid, .. } = &mut journal.kind {
            *pid = 8;
        }
        assert_eq!(prepare(vec![journal, syslog]).len(), 2);
    }
}
