//! Job names from what the scheduler logged (SPEC §3): the program a cron
//! command runs, with its folder and extension dropped, after skipping what
//! only prepares the run (`cd DIR &&`, `test -x … ||`, `VAR=value`, `env`,
//! `nice`, `ionice`, `timeout N`, `flock [-n] LOCK`, `sudo -u U`, `chronic`,
//! interpreters). `run-parts DIR` is named for its folder; a unit for its
//! name without `.service`.

/// Shell-ish words of a command segment: whitespace-separated, quotes
/// grouping (and dropped), redirections removed.
fn words(seg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in seg.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    // Drop redirections (`>> /var/log/x 2>&1`, `>/dev/null`, `< in`).
    let mut kept = Vec::new();
    let mut skip_next = false;
    for w in out {
        if skip_next {
            skip_next = false;
            continue;
        }
        let t = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
        if t.starts_with('>') || t.starts_with('<') {
            // `>` alone takes the next word as its target.
            if t.trim_start_matches(['>', '<', '&', '|']).is_empty() {
                skip_next = true;
            }
            continue;
        }
        kept.push(w);
    }
    kept
}

/// Split a command into segments at `&&`, `||`, `;`, `|` outside quotes.
fn segments(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = cmd.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                cur.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == ';' || c == '|' || (c == '&' && chars.get(i + 1) == Some(&'&')) => {
                out.push(std::mem::take(&mut cur));
                if chars.get(i + 1) == Some(&c) {
                    i += 1;
                }
            }
            None => cur.push(c),
        }
        i += 1;
    }
    out.push(cur);
    out.into_iter()
        .map(|s| {
            s.trim()
                .trim_matches(|c| c == '(' || c == ')' || c == '{' || c == '}')
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

const INTERPRETERS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ksh", "php", "node", "nodejs", "perl", "ruby", "deno", "bun",
];

fn is_interpreter(base: &str) -> bool {
    INTERPRETERS.contains(&base)
        || base == "python"
        || (base.starts_with("python") && base[6..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn basename(w: &str) -> &str {
    w.trim_end_matches('/').rsplit('/').next().unwrap_or(w)
}

/// Drop a script extension: `backup.sh` → `backup`, `load_ledger.py` →
/// `load_ledger`; a dotted name that is not an extension stays.
fn drop_ext(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && matches!(
                    ext,
                    "sh" | "bash"
                        | "py"
                        | "pl"
                        | "rb"
                        | "php"
                        | "js"
                        | "mjs"
                        | "ts"
                        | "exe"
                        | "bin"
                        | "ps1"
                        | "zsh"
                        | "jar"
                        | "out"
                        | "cron"
                ) =>
        {
            stem
        }
        _ => name,
    }
}

/// The name of the program a segment runs, or `None` when the segment only
/// prepares the run.
fn program(seg: &str, depth: usize) -> Option<String> {
    let w = words(seg);
    let mut i = 0;
    let flag = |w: &str| w.starts_with('-');
    while i < w.len() {
        let tok = w[i].as_str();
        let base = basename(tok);
        // VAR=value
        if !tok.starts_with('-')
            && tok.contains('=')
            && tok.split('=').next().is_some_and(|k| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        {
            i += 1;
            continue;
        }
        match base {
            "cd" | "test" | "[" | "[[" | "true" | ":" | "export" | "umask" | "sleep" | "if"
            | "then" | "fi" | "else" | "!" | "source" | "." | "ulimit" | "set" | "exit" => {
                // `if X; then Y; fi` keeps Y in a later segment.
                if matches!(base, "if" | "then" | "else" | "!") && i + 1 < w.len() {
                    i += 1;
                    continue;
                }
                return None;
            }
            "env" | "nohup" | "exec" | "time" | "chronic" | "command" | "stdbuf" | "setsid"
            | "unbuffer" | "caffeinate" => {
                i += 1;
                while i < w.len() && (flag(&w[i]) || w[i].contains('=')) {
                    if matches!(w[i].as_str(), "-u" | "-C" | "-S") {
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            "nice" | "ionice" | "chrt" | "taskset" => {
                i += 1;
                while i < w.len() && flag(&w[i]) {
                    let f = w[i].as_str();
                    // `-n 10`, `-c 3`, `-c3`
                    if matches!(f, "-n" | "-c" | "-p" | "-t") && i + 1 < w.len() {
                        i += 1;
                    }
                    i += 1;
                }
                if matches!(base, "chrt" | "taskset") && i < w.len() {
                    i += 1; // priority / mask
                }
                continue;
            }
            "timeout" => {
                i += 1;
                while i < w.len() && flag(&w[i]) {
                    if matches!(w[i].as_str(), "-s" | "-k" | "--signal" | "--kill-after") {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1; // the duration
                continue;
            }
            "flock" => {
                i += 1;
                while i < w.len() && flag(&w[i]) {
                    if matches!(
                        w[i].as_str(),
                        "-w" | "-E" | "--timeout" | "--conflict-exit-code"
                    ) {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1; // the lock file
                // `flock LOCK -c "cmd"`
                if i + 1 < w.len() && matches!(w[i].as_str(), "-c" | "--command") {
                    return from_command_depth(&w[i + 1], depth + 1);
                }
                continue;
            }
            "sudo" | "su" | "runuser" => {
                i += 1;
                while i < w.len() && (flag(&w[i]) || (base == "su" && !w[i].contains('/'))) {
                    let f = w[i].as_str();
                    if matches!(f, "-c" | "--command") && i + 1 < w.len() {
                        return from_command_depth(&w[i + 1], depth + 1);
                    }
                    if matches!(f, "-u" | "-g" | "-U" | "-s") && i + 1 < w.len() {
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            "run-parts" => {
                let dir = w[i + 1..].iter().rev().find(|a| !flag(a))?;
                return Some(basename(dir).to_string());
            }
            b if is_interpreter(b) => {
                i += 1;
                while i < w.len() && flag(&w[i]) {
                    if w[i] == "-c" && i + 1 < w.len() {
                        return from_command_depth(&w[i + 1], depth + 1);
                    }
                    if w[i] == "-m" && i + 1 < w.len() {
                        // `python3 -m package.module`
                        return Some(w[i + 1].rsplit('.').next().unwrap_or(&w[i + 1]).to_string());
                    }
                    i += 1;
                }
                if i >= w.len() {
                    return Some(b.to_string());
                }
                continue;
            }
            _ => return Some(drop_ext(base).to_string()),
        }
    }
    None
}

fn from_command_depth(cmd: &str, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    segments(cmd).iter().find_map(|s| program(s, depth))
}

/// The job name for a cron command.
pub fn from_command(cmd: &str) -> String {
    // crontab `%` starts the job's stdin.
    let cmd = match cmd.find('%') {
        Some(i) if !cmd[..i].ends_with('\\') && !cmd[..i].contains("date") => &cmd[..i],
        _ => cmd,
    };
    // A name never starts or ends with a space (run ids and `explain` are
    // typed by hand; quoting gone wrong in a crontab can leave one).
    from_command_depth(cmd, 0)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            let first = cmd.split_whitespace().next().unwrap_or("cron");
            drop_ext(basename(first)).to_string()
        })
}

/// The job name for a systemd unit: `backup.service` → `backup`.
pub fn from_unit(unit: &str) -> String {
    unit.strip_suffix(".service").unwrap_or(unit).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_real_commands() {
        let cases = [
            ("cd /srv && ./bin/backup.sh --full", "backup"),
            ("python3 /opt/etl/load_ledger.py", "load_ledger"),
            ("run-parts /etc/cron.daily", "cron.daily"),
            // fuzz (pipeline): quoting gone wrong left a name with a space
            (
                ":\"cd / && r2026-12-03T03:00:39.00un-parts --0Z\"",
                "&& r2026-12-03T03:00:39.00un-parts --0Z",
            ),
            (
                "   cd / && run-parts --report /etc/cron.hourly",
                "cron.hourly",
            ),
            (
                "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
                "cron.daily",
            ),
            (
                "/usr/local/bin/backup.sh --incremental >> /var/tmp/backup.log 2>&1",
                "backup",
            ),
            ("/usr/local/bin/agent --daemon", "agent"),
            ("touch /tmp/afile.txt", "touch"),
            ("sleep $(( 1 * 60 )); touch /tmp/afile.txt", "touch"),
            ("/sbin/status.mycheck)", "status.mycheck"),
            (
                "flock -n /tmp/rotate.lock /usr/local/bin/rotate-logs",
                "rotate-logs",
            ),
            (
                "timeout 300 nice -n 10 ionice -c3 /usr/bin/python3 -u /opt/jobs/report.py",
                "report",
            ),
            (
                "PATH=/usr/bin:/bin MAILTO=ops env LANG=C sudo -u deploy /srv/app/bin/sync_users.rb",
                "sync_users",
            ),
            ("chronic /usr/local/sbin/certbot-renew", "certbot-renew"),
            (
                "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
                "sessionclean",
            ),
            ("/bin/sh -c '/opt/scripts/cleanup.sh --days 7'", "cleanup"),
            ("bash /home/ops/nightly.sh > /dev/null 2>&1", "nightly"),
            ("node /srv/notify/index.js", "index"),
            ("php /var/www/artisan schedule:run", "artisan"),
            (
                "flock -w 10 /run/lock/x.lock -c 'pg_dump app > /tmp/x.sql'",
                "pg_dump",
            ),
            ("echo ')' ; exit 2", "echo"),
        ];
        for (cmd, want) in cases {
            assert_eq!(from_command(cmd), want, "{cmd}");
        }
        assert_eq!(from_unit("backup.service"), "backup");
    }
}
