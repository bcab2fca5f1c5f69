//! Scheduler messages of the cron family: Debian/Ubuntu cron, cronie (and the
//! old RHEL vixie-cron it grew from), dcron, busybox crond, anacron and
//! run-parts. Input is a syslog frame's ident, pid and message; output is the
//! event [`Kind`] it means, or `None` for a line that is not ours.
//!
//! The strings are the daemons' own (see the tests for the real lines). The
//! ident decides the family; the message decides the event. Anything a cron
//! daemon logs that is not about a run (STARTUP, RELOAD, crontab edits) is
//! [`Kind::Context`]: recognised, never a run.

use crate::event::{Kind, Outcome, Scheduler, intern};

/// The program part of an ident: `/usr/sbin/cron` → `cron`,
/// `crond(pam_unix)` → (`crond`, `pam_unix`), `run-parts(/etc/cron.daily)` →
/// (`run-parts`, `/etc/cron.daily`).
pub fn split_ident(ident: &str) -> (&str, Option<&str>) {
    let (base, paren) = match memchr::memchr(b'(', ident.as_bytes()) {
        Some(i) if ident.ends_with(')') => (&ident[..i], Some(&ident[i + 1..ident.len() - 1])),
        _ => (ident, None),
    };
    let base = memchr::memrchr(b'/', base.as_bytes()).map_or(base, |i| &base[i + 1..]);
    (base, paren)
}

/// Where `needle` (a few bytes) first stands in `s`: memchr for its first
/// byte, then a compare, without building a substring searcher.
pub(crate) fn find_short(s: &str, needle: &[u8]) -> Option<usize> {
    let bytes = s.as_bytes();
    let (&first, rest) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, &bytes[from..]) {
        let at = from + i;
        if bytes[at + 1..].starts_with(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Parse a message from a cron-family ident. `pid` is the tag's pid.
pub fn parse(ident: &str, pid: Option<u32>, msg: &str) -> Option<Kind> {
    parse_split(split_ident(ident), pid, msg)
}

/// [`parse`] with the ident already split ([`split_ident`]).
pub fn parse_split(
    (base, paren): (&str, Option<&str>),
    pid: Option<u32>,
    msg: &str,
) -> Option<Kind> {
    let pid_or_0 = pid.unwrap_or(0);
    match base {
        "CRON" | "cron" | "CROND" | "crond" | "Cron" => {
            let sched = if base.eq_ignore_ascii_case("crond") {
                Scheduler::Cronie
            } else {
                Scheduler::Cron
            };
            if paren == Some("pam_unix") {
                // Old RHEL: `crond(pam_unix)[2915]: session opened for user root by (uid=0)`.
                return parse_session(pid_or_0, msg).or(Some(Kind::Context));
            }
            parse_cron(sched, pid_or_0, msg)
        }
        "anacron" => Some(parse_anacron(pid_or_0, msg)),
        "run-parts" => parse_run_parts(paren, msg),
        "crontab" => Some(Kind::Context),
        _ => None,
    }
}

fn parse_cron(sched: Scheduler, pid: u32, msg: &str) -> Option<Kind> {
    // busybox prefixes its own name on some builds: `crond: USER root pid …`.
    let m = msg.strip_prefix("crond: ").unwrap_or(msg);
    if let Some(rest) = m.strip_prefix("USER ") {
        return parse_busybox(rest).or(Some(Kind::Context));
    }
    if let Some(rest) = m.strip_prefix("FILE ") {
        return parse_dcron_start(rest).or(Some(Kind::Context));
    }
    if let Some(rest) = m.strip_prefix("exit status ") {
        return parse_dcron_exit(pid, rest).or(Some(Kind::Context));
    }
    if m.starts_with("pam_") {
        return parse_session(pid, m).or(Some(Kind::Context));
    }
    if !m.starts_with('(') {
        // `crond (busybox 1.36.1) started, log level 8` and similar.
        return Some(Kind::Context);
    }
    let close = find_short(m, b") ")?;
    let user = &m[1..close];
    let rest = &m[close + 2..];
    let (verb, arg) = match find_short(rest, b" (") {
        Some(i) => (&rest[..i], Some(&rest[i + 2..])),
        None => (rest, None),
    };
    // The argument runs to the line's last `)`: commands hold unbalanced
    // parentheses (`echo ')' ; exit 2`, plaso's `/sbin/status.mycheck))`).
    let arg = arg.map(|a| match memchr::memrchr(b')', a.as_bytes()) {
        Some(i) => &a[..i],
        None => a,
    });
    let kind = match (verb, arg) {
        ("CMD", Some(cmd)) => match job_pid(cmd) {
            Some((job, cmd)) => Kind::CronCmd {
                sched,
                pid: job,
                parent: Some(pid),
                user: intern(user),
                command: intern(cmd),
            },
            None => Kind::CronCmd {
                sched,
                pid,
                parent: None,
                user: intern(user),
                command: intern(cmd),
            },
        },
        ("END" | "CMDEND", Some(cmd)) => Kind::CronEnd {
            pid,
            user: intern(user),
            command: intern(job_pid(cmd).map_or(cmd, |(_, c)| c)),
            status: None,
        },
        ("CMDOUT", Some(text)) => Kind::CronOutput {
            pid,
            user: user.to_string(),
            text: text.to_string(),
        },
        ("error", Some(a)) if a.starts_with("grandchild #") => {
            parse_grandchild(a, pid).unwrap_or(Kind::CronNote { pid })
        }
        // Mail of the run's output, and the no-MTA notice: facts about cron's
        // own mail, logged by the run's parent; evidence, never a failure.
        ("MAIL", _) => Kind::CronNote { pid },
        ("info", Some(a)) if a.starts_with("No MTA installed") => Kind::CronNote { pid },
        _ => Kind::Context,
    };
    Some(kind)
}

/// Debian cron with pid logging (`-L 8`) writes the job's pid first:
/// `[27063] exit 1` → (27063, `exit 1`).
fn job_pid(cmd: &str) -> Option<(u32, &str)> {
    let rest = cmd.strip_prefix('[')?;
    let close = rest.find("] ")?;
    Some((rest[..close].parse().ok()?, &rest[close + 2..]))
}

/// `grandchild #12345 failed with exit status 1`, or (a shell killed by a
/// signal, Debian at `-L 4` and up) `grandchild #12345 terminated by signal 9`.
fn parse_grandchild(a: &str, pid: u32) -> Option<Kind> {
    let rest = a.strip_prefix("grandchild #")?;
    let sp = rest.find(' ')?;
    let child = rest[..sp].parse().ok()?;
    let number = |s: &str| -> Option<i32> {
        let digits: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits.parse().ok()
    };
    let outcome = if let Some(s) = rest.split("exit status ").nth(1) {
        Outcome::Exit(number(s)?)
    } else if let Some(s) = rest.split("signal ").nth(1) {
        Outcome::Signal(number(s)?, String::new())
    } else {
        Outcome::Failed(rest[sp + 1..].to_string())
    };
    Some(Kind::CronGrandchild {
        pid,
        child,
        outcome,
    })
}

/// `pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
/// `session opened for user root by (uid=0)`, `session closed for user root`.
fn parse_session(pid: u32, msg: &str) -> Option<Kind> {
    let body = match find_short(msg, b"): ") {
        Some(i) if msg.starts_with("pam_") => &msg[i + 3..],
        _ => msg,
    };
    let (opened, rest) = if let Some(r) = body.strip_prefix("session opened for user ") {
        (true, r)
    } else if let Some(r) = body.strip_prefix("session closed for user ") {
        (false, r)
    } else {
        return None;
    };
    let user = rest.find([' ', '(']).map_or(rest, |i| &rest[..i]);
    Some(Kind::CronSession {
        pid,
        opened,
        user: intern(user),
    })
}

/// busybox: `root pid  123 cmd command` (after `USER `; pid space-padded).
fn parse_busybox(rest: &str) -> Option<Kind> {
    let (user, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("pid ")?.trim_start();
    let (pid, rest) = rest.split_once(' ')?;
    let command = rest.strip_prefix("cmd ")?;
    Some(Kind::BusyboxCmd {
        pid: pid.parse().ok()?,
        user: intern(user),
        command: intern(command),
    })
}

/// dcron: `/var/spool/cron/crontabs/root USER root PID 1234 command`.
fn parse_dcron_start(rest: &str) -> Option<Kind> {
    let (_file, rest) = rest.split_once(" USER ")?;
    let (user, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("PID ")?.trim_start();
    let (pid, command) = rest.split_once(' ')?;
    Some(Kind::CronCmd {
        sched: Scheduler::Cron,
        pid: pid.parse().ok()?,
        parent: None,
        user: intern(user),
        command: intern(command),
    })
}

/// dcron: `1 from user root command` (after `exit status `).
fn parse_dcron_exit(pid: u32, rest: &str) -> Option<Kind> {
    let (status, rest) = rest.split_once(" from user ")?;
    let (user, command) = rest.split_once(' ').unwrap_or((rest, ""));
    Some(Kind::CronEnd {
        pid,
        user: intern(user),
        command: intern(command),
        status: Some(status.trim().parse().ok()?),
    })
}

fn parse_anacron(pid: u32, msg: &str) -> Kind {
    let Some(rest) = msg.strip_prefix("Job `") else {
        return Kind::Context;
    };
    let Some(q) = rest.find('\'') else {
        return Kind::Context;
    };
    let job = rest[..q].to_string();
    let tail = rest[q + 1..].trim_start();
    if tail.starts_with("started") {
        return Kind::AnacronStart {
            pid,
            job: intern(&job),
        };
    }
    let Some(t) = tail.strip_prefix("terminated") else {
        return Kind::Context;
    };
    let t = t.trim_start();
    let outcome = if let Some(s) = t.strip_prefix("(exit status: ") {
        let n: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        n.parse()
            .map(Outcome::Exit)
            .unwrap_or_else(|_| Outcome::Failed("terminated".into()))
    } else if let Some(s) = t.strip_prefix("due to signal ") {
        let n: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        Outcome::Signal(n.parse().unwrap_or(0), String::new())
    } else if t.starts_with("abnormally") {
        Outcome::Failed("terminated abnormally".into())
    } else {
        Outcome::Ok
    };
    Kind::AnacronEnd {
        pid,
        job: intern(&job),
        outcome,
    }
}

/// Debian: ident `run-parts(/etc/cron.daily)`, message `starting logrotate`;
/// cronie: ident `run-parts`, message `(/etc/cron.hourly) starting 0anacron`.
fn parse_run_parts(paren: Option<&str>, msg: &str) -> Option<Kind> {
    let (dir, rest) = match paren {
        Some(d) => (d, msg),
        None => {
            let m = msg.strip_prefix('(')?;
            let i = m.find(") ")?;
            (&m[..i], &m[i + 2..])
        }
    };
    let (finished, step) = if let Some(s) = rest.strip_prefix("starting ") {
        (false, s)
    } else if let Some(s) = rest.strip_prefix("finished ") {
        (true, s)
    } else {
        return Some(Kind::Context);
    };
    Some(Kind::RunParts {
        dir: dir.to_string(),
        step: step.trim().to_string(),
        finished,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(sched: Scheduler, pid: u32, user: &str, command: &str) -> Kind {
        Kind::CronCmd {
            sched,
            pid,
            parent: None,
            user: intern(user),
            command: intern(command),
        }
    }

    /// Real (ident, pid, message) → event, from corpus/ and daemon sources.
    #[test]
    fn real_messages() {
        let cases: Vec<(&str, Option<u32>, &str, Option<Kind>)> = vec![
            // corpus/plaso/syslog_cron.log
            (
                "CRON",
                Some(3),
                "(root) CMD (touch /tmp/afile.txt)",
                Some(cmd(Scheduler::Cron, 3, "root", "touch /tmp/afile.txt")),
            ),
            // corpus/plaso/syslog: unbalanced parenthesis, the command runs to the last `)`
            (
                "CRON",
                Some(31067),
                "(root) CMD (/sbin/status.mycheck))",
                Some(cmd(Scheduler::Cron, 31067, "root", "/sbin/status.mycheck)")),
            ),
            (
                "CRON",
                Some(3),
                "(root) CMD (sleep $(( 1 * 60 )); touch /tmp/afile.txt)",
                Some(cmd(
                    Scheduler::Cron,
                    3,
                    "root",
                    "sleep $(( 1 * 60 )); touch /tmp/afile.txt",
                )),
            ),
            // corpus/plaso/syslog_rsyslog_traditional: leading spaces kept
            (
                "CRON",
                Some(11068),
                "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
                Some(cmd(
                    Scheduler::Cron,
                    11068,
                    "root",
                    "   cd / && run-parts --report /etc/cron.hourly",
                )),
            ),
            // corpus/plaso/syslog_crond.log (cronie)
            (
                "CROND",
                Some(1396),
                "(root) CMD (run-parts /etc/cron.hourly)",
                Some(cmd(
                    Scheduler::Cronie,
                    1396,
                    "root",
                    "run-parts /etc/cron.hourly",
                )),
            ),
            (
                "CROND",
                Some(1395),
                "(root) CMDEND (run-parts /etc/cron.hourly)",
                Some(Kind::CronEnd {
                    pid: 1395,
                    user: "root".into(),
                    command: "run-parts /etc/cron.hourly".into(),
                    status: None,
                }),
            ),
            (
                "crond",
                Some(1276),
                "(CRON) STARTUP (1.7.2)",
                Some(Kind::Context),
            ),
            (
                "crond",
                Some(1608),
                "(*system*) RELOAD (/etc/cron.d/0hourly)",
                Some(Kind::Context),
            ),
            (
                "crontab",
                Some(1578),
                "(root) REPLACE (root)",
                Some(Kind::Context),
            ),
            // corpus/plaso/syslog_cron_debian.log
            (
                "cron",
                Some(1615),
                "(CRON) INFO (pidfile fd = 3)",
                Some(Kind::Context),
            ),
            (
                "/usr/sbin/cron",
                Some(73991),
                "(root) CMD (/usr/libexec/atrun)",
                Some(cmd(Scheduler::Cron, 73991, "root", "/usr/libexec/atrun")),
            ),
            (
                "/USR/SBIN/CRON",
                Some(4242),
                "(root) CMD (true)",
                Some(cmd(Scheduler::Cron, 4242, "root", "true")),
            ),
            // Debian failure, logged by the parent about the grandchild
            (
                "CRON",
                Some(12344),
                "(CRON) error (grandchild #12345 failed with exit status 1)",
                Some(Kind::CronGrandchild {
                    pid: 12344,
                    child: 12345,
                    outcome: Outcome::Exit(1),
                }),
            ),
            // fixtures/real/debian-cron-L5: a shell killed by a signal
            (
                "CRON",
                Some(22444),
                "(CRON) error (grandchild #22445 terminated by signal 9)",
                Some(Kind::CronGrandchild {
                    pid: 22444,
                    child: 22445,
                    outcome: Outcome::Signal(9, String::new()),
                }),
            ),
            (
                "CRON",
                Some(12344),
                "(root) END (/usr/local/bin/backup.sh)",
                Some(Kind::CronEnd {
                    pid: 12344,
                    user: "root".into(),
                    command: "/usr/local/bin/backup.sh".into(),
                    status: None,
                }),
            ),
            // pam, both wordings, both services
            (
                "CRON",
                Some(12344),
                "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
                Some(Kind::CronSession {
                    pid: 12344,
                    opened: true,
                    user: "root".into(),
                }),
            ),
            // Ubuntu 24.04's wording
            (
                "CRON",
                Some(12344),
                "pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)",
                Some(Kind::CronSession {
                    pid: 12344,
                    opened: true,
                    user: "root".into(),
                }),
            ),
            (
                "CRON",
                Some(12344),
                "pam_unix(cron:session): session opened for user root by (uid=0)",
                Some(Kind::CronSession {
                    pid: 12344,
                    opened: true,
                    user: "root".into(),
                }),
            ),
            (
                "CRON",
                Some(12344),
                "pam_unix(cron:session): session closed for user root",
                Some(Kind::CronSession {
                    pid: 12344,
                    opened: false,
                    user: "root".into(),
                }),
            ),
            (
                "crond",
                Some(7),
                "pam_unix(crond:session): session closed for user backup",
                Some(Kind::CronSession {
                    pid: 7,
                    opened: false,
                    user: "backup".into(),
                }),
            ),
            // corpus/loghub_Thunderbird_2k.log
            (
                "crond(pam_unix)",
                Some(2915),
                "session opened for user root by (uid=0)",
                Some(Kind::CronSession {
                    pid: 2915,
                    opened: true,
                    user: "root".into(),
                }),
            ),
            // cron's own mail: evidence, never a failure
            (
                "CRON",
                Some(12344),
                "(root) MAIL (mailed 57 bytes of output but got status 0x004b from MTA#012)",
                Some(Kind::CronNote { pid: 12344 }),
            ),
            (
                "CRON",
                Some(12344),
                "(root) MAIL (mailed 57 bytes of output but got status 0x0 04b from MTA#012) ",
                Some(Kind::CronNote { pid: 12344 }),
            ),
            (
                "CRON",
                Some(12344),
                "(CRON) info (No MTA installed, discarding output)",
                Some(Kind::CronNote { pid: 12344 }),
            ),
            // cronie output to syslog
            (
                "CROND",
                Some(90),
                "(root) CMDOUT (Traceback (most recent call last):)",
                Some(Kind::CronOutput {
                    pid: 90,
                    user: "root".into(),
                    text: "Traceback (most recent call last):".into(),
                }),
            ),
            // busybox: padded pid, and the older `crond: ` prefix
            (
                "crond",
                Some(2058),
                "USER root pid  10 cmd /usr/bin/backup",
                Some(Kind::BusyboxCmd {
                    pid: 10,
                    user: "root".into(),
                    command: "/usr/bin/backup".into(),
                }),
            ),
            (
                "crond",
                Some(2058),
                "crond: USER root pid 10010 cmd run-parts /etc/periodic/15min",
                Some(Kind::BusyboxCmd {
                    pid: 10010,
                    user: "root".into(),
                    command: "run-parts /etc/periodic/15min".into(),
                }),
            ),
            (
                "crond",
                Some(1),
                "crond (busybox 1.36.1) started, log level 8",
                Some(Kind::Context),
            ),
            // dcron
            (
                "crond",
                Some(9),
                "FILE /var/spool/cron/crontabs/root USER root PID 4711 /usr/local/bin/backup",
                Some(cmd(Scheduler::Cron, 4711, "root", "/usr/local/bin/backup")),
            ),
            (
                "crond",
                Some(9),
                "exit status 0 from user root /usr/local/bin/backup",
                Some(Kind::CronEnd {
                    pid: 9,
                    user: "root".into(),
                    command: "/usr/local/bin/backup".into(),
                    status: Some(0),
                }),
            ),
            // anacron (corpus/plaso/syslog_cronie.log, syslog_crond.log)
            (
                "anacron",
                Some(1588),
                "Job `plaso-fail' started",
                Some(Kind::AnacronStart {
                    pid: 1588,
                    job: "plaso-fail".into(),
                }),
            ),
            (
                "anacron",
                Some(1588),
                "Job `plaso-fail' terminated (exit status: 3) (produced output)",
                Some(Kind::AnacronEnd {
                    pid: 1588,
                    job: "plaso-fail".into(),
                    outcome: Outcome::Exit(3),
                }),
            ),
            (
                "anacron",
                Some(1595),
                "Job `cron.daily' terminated (produced output)",
                Some(Kind::AnacronEnd {
                    pid: 1595,
                    job: "cron.daily".into(),
                    outcome: Outcome::Ok,
                }),
            ),
            (
                "anacron",
                Some(2189),
                "Job `cron.weekly' terminated",
                Some(Kind::AnacronEnd {
                    pid: 2189,
                    job: "cron.weekly".into(),
                    outcome: Outcome::Ok,
                }),
            ),
            (
                "anacron",
                Some(5),
                "Job `cron.daily' terminated due to signal 9",
                Some(Kind::AnacronEnd {
                    pid: 5,
                    job: "cron.daily".into(),
                    outcome: Outcome::Signal(9, String::new()),
                }),
            ),
            (
                "anacron",
                Some(5),
                "Job `cron.daily' terminated abnormally",
                Some(Kind::AnacronEnd {
                    pid: 5,
                    job: "cron.daily".into(),
                    outcome: Outcome::Failed("terminated abnormally".into()),
                }),
            ),
            (
                "anacron",
                Some(1409),
                "Will run job `cron.daily' in 10 min.",
                Some(Kind::Context),
            ),
            (
                "/sbin/anacron",
                Some(1234),
                "Normal exit (1 job run)",
                Some(Kind::Context),
            ),
            // run-parts, Debian and cronie styles
            (
                "run-parts(/etc/cron.daily)",
                Some(1601),
                "starting logrotate",
                Some(Kind::RunParts {
                    dir: "/etc/cron.daily".into(),
                    step: "logrotate".into(),
                    finished: false,
                }),
            ),
            (
                "run-parts",
                Some(1399),
                "(/etc/cron.hourly) finished 0anacron",
                Some(Kind::RunParts {
                    dir: "/etc/cron.hourly".into(),
                    step: "0anacron".into(),
                    finished: true,
                }),
            ),
            // not ours
            ("sshd", Some(1), "Accepted publickey for deploy", None),
        ];
        for (ident, pid, msg, want) in cases {
            assert_eq!(parse(ident, pid, msg), want, "{ident}: {msg}");
        }
    }
}
