//! Validated settings: `crontriage.toml` plus flags, resolved once.
//!
//! Regexes are compiled, the time zone resolved, durations parsed, `--since`
//! and `--until` fixed against the clock — here and nowhere below, so the
//! stages after this one are pure: the same inputs and config give the same
//! bytes out. Every invalid value is an error naming the key (or flag), the
//! value and what is allowed.

use crate::classify::Category;
use crate::cli::{self, Color, CorrelationArgs, Format, InputArgs};
use crate::error::{Error, Result};
use crate::formats::joblog::Facts;
use crate::suggest;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// When a job is expected to post a Slack notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    Always,
    OnFailure,
    Never,
}

/// How a `[[job]]` entry recognises its runs.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// Substring of the command or unit name.
    Substring(String),
    /// `re:…`.
    Regex(Regex),
}

impl Matcher {
    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Matcher::Substring(sub) => s.contains(sub.as_str()),
            Matcher::Regex(re) => re.is_match(s),
        }
    }
}

/// A `[[job]]` entry, validated.
#[derive(Debug, Clone)]
pub struct JobPolicy {
    pub name: String,
    pub matcher: Option<Matcher>,
    pub channel: Option<String>,
    pub notify: Option<Notify>,
    pub schedule: Option<croner::Cron>,
    pub schedule_text: Option<String>,
    /// Line of `schedule = …` in the config file (evidence for missed runs).
    pub schedule_line: u64,
    pub grace: Duration,
    pub log: Option<glob::Pattern>,
    /// Hosts the job runs on, when the logs alone cannot tell (missed runs).
    pub hosts: Vec<String>,
}

/// Names and IDs that mean the same Slack target (`[channels]`).
#[derive(Debug, Clone, Default)]
pub struct Channels {
    /// Every spelling (lower-cased, `#` dropped) → canonical spelling.
    canon: BTreeMap<String, String>,
}

impl Channels {
    fn new(map: &BTreeMap<String, String>) -> Self {
        let mut canon = BTreeMap::new();
        for (name, id) in map {
            let c = Self::norm(id);
            canon.insert(Self::norm(name), c.clone());
            canon.insert(c.clone(), c);
        }
        Channels { canon }
    }

    /// IDs keep their case; names lose `#` and case.
    fn norm(s: &str) -> String {
        let s = s.trim();
        if is_channel_id(s) {
            s.to_string()
        } else {
            s.trim_start_matches('#').to_ascii_lowercase()
        }
    }

    /// The canonical form of a target, and whether it is known to `[channels]`.
    pub fn canonical(&self, s: &str) -> (String, bool) {
        let n = Self::norm(s);
        match self.canon.get(&n) {
            Some(c) => (c.clone(), true),
            None => (n, false),
        }
    }

    /// Whether two targets are the same; `None` when that cannot be told
    /// (a name and an ID that `[channels]` does not relate).
    pub fn same(&self, a: &str, b: &str) -> Option<bool> {
        let (ca, _) = self.canonical(a);
        let (cb, _) = self.canonical(b);
        let (na, nb) = (Self::norm(a), Self::norm(b));
        if ca == cb || na == nb {
            return Some(true);
        }
        // A post to a user (`U…`/`W…`) lands in the DM channel with them
        // (`D…`), whose ID says nothing of whose it is.
        let user = |s: &str| s.trim().starts_with(['U', 'W']) && is_channel_id(s);
        let dm = |s: &str| s.trim().starts_with('D') && is_channel_id(s);
        if (user(&ca) && dm(&cb)) || (dm(&ca) && user(&cb)) {
            return None;
        }
        // Comparable when both are names, or both are (or resolve to) IDs.
        let ids = is_channel_id(&ca) && is_channel_id(&cb);
        let names = !is_channel_id(&na) && !is_channel_id(&nb);
        (ids || names).then_some(false)
    }
}

/// Slack IDs: `C024BE91L`, `G…`, `D…`, `U…`, `W…`.
pub fn is_channel_id(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 9
        && s.starts_with(['C', 'G', 'D', 'U', 'W'])
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A relative glob (`logs/ledger-*.out`) matched against as many trailing
/// components of the absolute path `a`.
fn ends_with_glob(p: &glob::Pattern, a: &Path, opts: glob::MatchOptions) -> bool {
    if p.as_str().starts_with('/') {
        return false;
    }
    let rel = p.as_str().trim_start_matches("./");
    let comps: Vec<_> = a.components().collect();
    let Some(k) = comps.len().checked_sub(rel.split('/').count()) else {
        return false;
    };
    let tail: PathBuf = comps[k..].iter().collect();
    glob::Pattern::new(rel).is_ok_and(|q| q.matches_path_with(&tail, opts))
}

/// Validated settings for one invocation.
#[derive(Debug, Clone)]
pub struct Config {
    /// The zone of log stamps that carry none (`--tz`, else config `tz`,
    /// else local).
    pub zone: Tz,
    /// The zone `schedule`s are read in: the config's `tz` (SPEC §2.4),
    /// else [`Config::zone`].
    pub schedule_zone: Tz,
    pub year: Option<i32>,
    pub delivery_window: Duration,
    pub channels: Channels,
    pub jobs: Vec<JobPolicy>,
    pub facts: Facts,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub fail_on: Vec<Category>,
    pub format: Format,
    pub color: bool,
    pub keep_going: bool,
    pub inputs: InputArgs,
    /// The config file read, if any (shown as evidence for missed runs).
    pub config_path: Option<PathBuf>,
    /// The one clock read: "now" for relative times and for stdin, which has
    /// no modification time.
    pub now: DateTime<Utc>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    tz: Option<String>,
    year: Option<i32>,
    delivery_window: Option<String>,
    grace: Option<String>,
    #[serde(default)]
    channels: BTreeMap<String, String>,
    #[serde(default)]
    job: Vec<RawJob>,
    fatal_patterns: Option<Vec<String>>,
    #[serde(default)]
    billing_patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    name: String,
    #[serde(rename = "match")]
    matcher: Option<String>,
    channel: Option<String>,
    notify: Option<String>,
    schedule: Option<String>,
    grace: Option<String>,
    log: Option<String>,
    #[serde(default)]
    hosts: Vec<String>,
}

/// Parse `15m`, `1h30m`, `90s`, `2 days`.
pub fn parse_duration(key: &str, s: &str) -> std::result::Result<Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| {
        format!("{key} = `{s}` is not a duration ({e}); write e.g. `15m`, `1h`, `90s`")
    })?;
    Duration::from_std(d)
        .ok()
        .filter(|d| *d <= MAX_DURATION)
        .ok_or_else(|| format!("{key} = `{s}` is too long (at most 100 years)"))
}

/// The longest window, grace or look-back taken: time arithmetic on log
/// stamps stays far from chrono's limits (which panic).
const MAX_DURATION: Duration = Duration::days(36_525);

/// A zone name → zone, with a suggestion when it is close to a real one.
pub fn parse_zone(what: &str, s: &str) -> std::result::Result<Tz, String> {
    s.trim().parse::<Tz>().map_err(|_| {
        let hint = suggest::hint(s, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
        format!("{what} `{s}` is not an IANA time zone (e.g. `Europe/Berlin`, `UTC`){hint}")
    })
}

/// The machine's zone: `TZ`, else the system setting, else UTC.
fn local_zone() -> Tz {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':');
        if let Ok(z) = tz.parse::<Tz>() {
            return z;
        }
    }
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|n| n.parse::<Tz>().ok())
        .unwrap_or(chrono_tz::UTC)
}

/// Parse `--since`/`--until`: RFC 3339, a date (midnight in `zone`),
/// `yesterday`, `today`, or a duration back from `now` (`24h`, `7d`).
pub fn parse_when(
    flag: &str,
    s: &str,
    zone: Tz,
    now: DateTime<Utc>,
) -> std::result::Result<DateTime<Utc>, String> {
    let t = s.trim();
    let midnight =
        |d: NaiveDate| crate::time::resolve_local(zone, d.and_hms_opt(0, 0, 0).unwrap(), None);
    let today = now.with_timezone(&zone).date_naive();
    match t.to_ascii_lowercase().as_str() {
        "today" => return Ok(midnight(today)),
        "yesterday" => return Ok(midnight(today - Duration::days(1))),
        "now" => return Ok(now),
        _ => {}
    }
    // `2026-12-03T04:00Z`, `2026-12-03 04:00`: a time to the minute, as
    // people type it, is that minute's first second.
    let b = t.as_bytes();
    if b.len() >= 16
        && b[13] == b':'
        && crate::time::parse_ymd(b).is_some()
        && b[14..16].iter().all(u8::is_ascii_digit)
        && b.get(16).is_none_or(|c| *c != b':' && !c.is_ascii_digit())
    {
        return parse_when(flag, &format!("{}:00{}", &t[..16], &t[16..]), zone, now)
            .map_err(|_| when_error(flag, s));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    if let Some((stamp, used)) = crate::time::parse_iso(t.as_bytes()) {
        if used == t.len() {
            return Ok(match stamp {
                crate::time::Stamp::Exact(u) => u,
                crate::time::Stamp::Local(n) => crate::time::resolve_local(zone, n, None),
                crate::time::Stamp::NoYear { .. } => unreachable!("ISO stamps carry a year"),
            });
        }
    }
    if let Some(d) = crate::time::parse_ymd(t.as_bytes()).filter(|_| t.len() == 10) {
        return Ok(midnight(d));
    }
    if let Ok(d) = humantime::parse_duration(t) {
        if let Some(at) = Duration::from_std(d)
            .ok()
            .filter(|d| *d <= MAX_DURATION)
            .and_then(|d| now.checked_sub_signed(d))
        {
            return Ok(at);
        }
    }
    Err(when_error(flag, s))
}

fn when_error(flag: &str, s: &str) -> String {
    format!(
        "{flag} `{s}`: expected RFC 3339 (2026-12-03T04:00:00Z), a date (2026-12-03), \
         `today`, `yesterday`, or a duration back from now (24h, 7d)"
    )
}

/// Parse `--fail-on`: comma-separated categories, or `any`.
pub fn parse_fail_on(s: &str) -> std::result::Result<Vec<Category>, String> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part == "any" {
            out.extend(Category::ALL.iter().copied().filter(|c| *c != Category::Ok));
            continue;
        }
        match part.parse::<Category>() {
            Ok(c) => out.push(c),
            Err(_) => {
                let names: Vec<&str> = Category::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(["any"])
                    .collect();
                let hint = suggest::hint(part, names.iter().copied());
                return Err(format!(
                    "--fail-on: `{part}` is not a category{hint} (allowed: {}, any)",
                    Category::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    if out.is_empty() {
        return Err("--fail-on: give at least one category, or `any`".into());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Which config file to read: `--config`, else `DIR/crontriage.toml` of the
/// first folder that has one, else `./crontriage.toml` when present.
pub fn find_config_file(input: &InputArgs) -> Option<PathBuf> {
    if let Some(p) = &input.config {
        return Some(p.clone());
    }
    for d in &input.dirs {
        let p = d.join("crontriage.toml");
        if p.is_file() {
            return Some(p);
        }
    }
    let p = PathBuf::from("crontriage.toml");
    p.is_file().then_some(p)
}

/// 1-based line of the `n`-th `[[job]]` table's `key`, for evidence.
fn job_key_line(text: &str, n: usize, key: &str) -> u64 {
    let mut seen = 0usize;
    let mut in_job = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("[[job]]") {
            in_job = seen == n;
            seen += 1;
            continue;
        }
        if t.starts_with('[') {
            in_job = false;
        }
        if in_job && t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return i as u64 + 1;
        }
    }
    0
}

impl Config {
    /// Build the settings for a subcommand from its raw flags. `now` is the
    /// only clock read, for relative `--since`/`--until`.
    pub fn new(
        input: &InputArgs,
        corr: &CorrelationArgs,
        format: Format,
        color: Color,
        fail_on: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Config> {
        let config_path = find_config_file(input);
        let (raw, text) = match &config_path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::Config(format!("{}: {e}", p.display())))?;
                let raw: RawConfig = toml::from_str(&text).map_err(|e| {
                    Error::Config(format!("{}: {}", p.display(), e.to_string().trim_end()))
                })?;
                (raw, text)
            }
            None => (RawConfig::default(), String::new()),
        };
        let cfg_err = |m: String| {
            Error::Config(match &config_path {
                Some(p) => format!("{}: {m}", p.display()),
                None => m,
            })
        };
        // The config's values are checked even where a flag overrides them:
        // a broken config must not pass because today's command line hides it.
        let config_zone = raw
            .tz
            .as_ref()
            .map(|z| parse_zone("tz", z).map_err(cfg_err))
            .transpose()?;
        let zone = match &input.tz {
            Some(z) => parse_zone("--tz", z).map_err(Error::Usage)?,
            None => config_zone.unwrap_or_else(local_zone),
        };
        let config_window = raw
            .delivery_window
            .as_ref()
            .map(|w| parse_duration("delivery_window", w).map_err(cfg_err))
            .transpose()?;
        let delivery_window = match &corr.delivery_window {
            Some(w) => parse_duration("--delivery-window", w).map_err(Error::Usage)?,
            None => config_window.unwrap_or(Duration::minutes(15)),
        };
        let default_grace = match &raw.grace {
            Some(g) => parse_duration("grace", g).map_err(cfg_err)?,
            None => Duration::minutes(5),
        };
        // crontab(5) syntax: five fields (or `@daily`…); croner would also
        // take a sixth, seconds, field first and a seventh, years, reading
        // `0 4 * * * *` as "at second 0 of minute 4 of every hour".
        let crontab = croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Disallowed)
            .year(croner::parser::Year::Disallowed)
            .build();
        let mut jobs = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, j) in raw.job.iter().enumerate() {
            let at = |m: String| cfg_err(format!("[[job]] #{} (`{}`): {m}", i + 1, j.name));
            if j.name.trim().is_empty() {
                return Err(at("name must not be empty".into()));
            }
            if !names.insert(j.name.clone()) {
                return Err(at("another [[job]] has the same name".into()));
            }
            let matcher = match &j.matcher {
                Some(m) if m.trim() == "re:" => {
                    return Err(at(
                        "match = `re:` has an empty regex (it would match every command)".into(),
                    ));
                }
                Some(m) if m.starts_with("re:") => {
                    Some(Matcher::Regex(Regex::new(&m[3..]).map_err(|e| {
                        at(format!("match = `{m}` is not a valid regex: {e}"))
                    })?))
                }
                Some(m) if m.is_empty() => return Err(at("match must not be empty".into())),
                Some(m) => Some(Matcher::Substring(m.clone())),
                None => None,
            };
            let notify = match j.notify.as_deref() {
                None => None,
                Some("always") => Some(Notify::Always),
                Some("on-failure") => Some(Notify::OnFailure),
                Some("never") => Some(Notify::Never),
                Some(other) => {
                    let hint = suggest::hint(other, ["always", "on-failure", "never"]);
                    return Err(at(format!(
                        "notify = `{other}` is not one of always, on-failure, never{hint}"
                    )));
                }
            };
            let schedule = match &j.schedule {
                Some(s) => Some(crontab.parse(s).map_err(|e| {
                    at(format!(
                        "schedule = `{s}` is not a crontab schedule (five fields: minute hour day-of-month month day-of-week, or @hourly/@daily/@weekly/@monthly/@yearly): {e}"
                    ))
                })?),
                None => None,
            };
            let grace = match &j.grace {
                Some(g) => parse_duration("grace", g).map_err(at)?,
                None => default_grace,
            };
            let log = match &j.log {
                Some(l) => Some(
                    glob::Pattern::new(l)
                        .map_err(|e| at(format!("log = `{l}` is not a glob: {e}")))?,
                ),
                None => None,
            };
            jobs.push(JobPolicy {
                name: j.name.clone(),
                matcher,
                channel: j.channel.clone(),
                notify,
                schedule,
                schedule_text: j.schedule.clone(),
                schedule_line: job_key_line(&text, i, "schedule"),
                grace,
                log,
                hosts: j.hosts.clone(),
            });
        }
        let facts =
            Facts::new(raw.fatal_patterns.as_deref(), &raw.billing_patterns).map_err(cfg_err)?;
        let since = corr
            .since
            .as_deref()
            .map(|s| parse_when("--since", s, zone, now))
            .transpose()
            .map_err(Error::Usage)?;
        let until = corr
            .until
            .as_deref()
            .map(|s| parse_when("--until", s, zone, now))
            .transpose()
            .map_err(Error::Usage)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s >= u {
                return Err(Error::Usage(format!(
                    "--since ({}) is not before --until ({})",
                    crate::time::rfc3339(s),
                    crate::time::rfc3339(u)
                )));
            }
        }
        let fail_on = match fail_on {
            Some(f) => parse_fail_on(f).map_err(Error::Usage)?,
            None => Vec::new(),
        };
        if let Some(y) = input.year {
            if !(1970..=2200).contains(&y) {
                return Err(Error::Usage(format!(
                    "--year {y}: expected a year between 1970 and 2200"
                )));
            }
        }
        if let Some(y) = raw.year {
            if !(1970..=2200).contains(&y) {
                return Err(cfg_err(format!(
                    "year = {y}: expected a year between 1970 and 2200"
                )));
            }
        }
        // The convention of ripgrep and fd: `always` forces colour even with
        // NO_COLOR set; `auto` colours only a terminal that can show it, and
        // honours NO_COLOR (https://no-color.org: any non-empty value).
        let color = match color {
            cli::Color::Always => true,
            cli::Color::Never => false,
            cli::Color::Auto => {
                // CLICOLOR_FORCE (non-zero) forces it and CLICOLOR=0 turns
                // it off (https://bixense.com/clicolors), under NO_COLOR.
                let set = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
                let no_color = set("NO_COLOR").is_some();
                let force = set("CLICOLOR_FORCE").is_some_and(|v| v != "0");
                let off = set("CLICOLOR").is_some_and(|v| v == "0");
                !no_color
                    && (force
                        || !off
                            && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                            && std::io::stdout().is_terminal())
            }
        };
        Ok(Config {
            zone,
            schedule_zone: config_zone.unwrap_or(zone),
            year: input.year.or(raw.year),
            delivery_window,
            channels: Channels::new(&raw.channels),
            jobs,
            facts,
            since,
            until,
            fail_on,
            format,
            color,
            keep_going: input.keep_going,
            inputs: input.clone(),
            config_path,
            now,
        })
    }

    /// The config job a command or unit name belongs to (`match` first).
    pub fn job_for(&self, command: &str) -> Option<&JobPolicy> {
        self.jobs
            .iter()
            .find(|j| j.matcher.as_ref().is_some_and(|m| m.is_match(command)))
    }

    pub fn job_named(&self, name: &str) -> Option<&JobPolicy> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// The config job whose `log` glob matches a job-log path.
    pub fn job_for_log(&self, path: &Path) -> Option<&JobPolicy> {
        let opts = glob::MatchOptions {
            require_literal_separator: false,
            ..Default::default()
        };
        // The glob may be spelled absolute while the file was named relative,
        // or the other way round: the absolute path is tried too.
        let absolute = std::path::absolute(path).ok();
        self.jobs.iter().find(|j| {
            j.log.as_ref().is_some_and(|p| {
                p.matches_path_with(path, opts)
                    || absolute
                        .as_deref()
                        .is_some_and(|a| p.matches_path_with(a, opts) || ends_with_glob(p, a, opts))
                    || path
                        .file_name()
                        .is_some_and(|f| p.matches_with(&f.to_string_lossy(), opts))
            })
        })
    }
}

/// Midnight UTC of a date, for tests and fixtures.
pub fn utc_date(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 16, 0, 0).unwrap()
    }

    #[test]
    fn when_forms() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let cases = [
            ("2026-12-03T04:00:00Z", "2026-12-03T04:00:00Z"),
            ("2026-12-03T04:00:00+01:00", "2026-12-03T03:00:00Z"),
            ("2026-12-03", "2026-12-02T23:00:00Z"),
            ("today", "2026-12-02T23:00:00Z"),
            ("yesterday", "2026-12-01T23:00:00Z"),
            ("24h", "2026-12-02T16:00:00Z"),
            ("7d", "2026-11-26T16:00:00Z"),
            ("Yesterday", "2026-12-01T23:00:00Z"),
            ("2026-12-03T04:00Z", "2026-12-03T04:00:00Z"),
            ("2026-12-03 05:00", "2026-12-03T04:00:00Z"),
            ("2026-12-03T05:00+01:00", "2026-12-03T04:00:00Z"),
        ];
        for (s, want) in cases {
            assert_eq!(
                crate::time::rfc3339(parse_when("--since", s, berlin, now()).unwrap()),
                want,
                "{s}"
            );
        }
        assert!(parse_when("--since", "last tuesday", berlin, now()).is_err());
    }

    #[test]
    fn fail_on_names() {
        assert_eq!(
            parse_fail_on("execution-failed,missed").unwrap(),
            vec![Category::ExecutionFailed, Category::Missed]
        );
        assert_eq!(parse_fail_on("any").unwrap().len(), 5);
        let e = parse_fail_on("execution-faild").unwrap_err();
        assert!(e.contains("did you mean `execution-failed`"), "{e}");
    }

    #[test]
    fn zones_and_durations() {
        assert!(parse_zone("--tz", "Europe/Berlin").is_ok());
        let e = parse_zone("--tz", "Europe/Berln").unwrap_err();
        assert!(e.contains("Europe/Berlin"), "{e}");
        assert_eq!(parse_duration("grace", "5m").unwrap(), Duration::minutes(5));
        assert!(parse_duration("grace", "soon").is_err());
    }

    #[test]
    fn channels_compare_names_and_ids() {
        let mut m = BTreeMap::new();
        m.insert("#ops-alerts".to_string(), "C024BE91L".to_string());
        let c = Channels::new(&m);
        assert_eq!(c.same("#ops-alerts", "C024BE91L"), Some(true));
        assert_eq!(c.same("ops-alerts", "#ops-alerts"), Some(true));
        assert_eq!(c.same("#ops-alerts", "C0000000X"), Some(false));
        assert_eq!(c.same("#ops-alerts", "#general"), Some(false));
        assert_eq!(c.same("#ops-alerts", "C999999XX"), Some(false));
        assert_eq!(Channels::default().same("#ops-alerts", "C024BE91L"), None);
        // chat.postMessage to a user answers with the DM channel's ID.
        assert_eq!(Channels::default().same("U0BOB12345", "D0BOB12345"), None);
        assert_eq!(Channels::default().same("W0ALICE123", "D07QCFX9HAB"), None);
        assert_eq!(Channels::default().same("@alice", "D07QCFX9HAB"), None);
        assert_eq!(
            Channels::default().same("C024BE91L", "D07QCFX9HAB"),
            Some(false)
        );
        // [channels] may still relate them.
        let mut m = BTreeMap::new();
        m.insert("U0BOB12345".to_string(), "D0BOB12345".to_string());
        assert_eq!(
            Channels::new(&m).same("U0BOB12345", "D0BOB12345"),
            Some(true)
        );
    }
}
