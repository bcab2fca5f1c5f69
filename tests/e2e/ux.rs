//! The operator-facing surface, through the real binary: completions, man
//! page, colour, the HTML page (rendered in Chromium where installed),
//! explain's "did you mean", folder mode (`sources` = what `report` reads),
//! `--since`/`--until`, the progress bar, per-job health, the table's width,
//! and the README's recipes.
//!
//! Tests that need a tool the machine may lack (bash, zsh, fish, groff,
//! mandoc, man, script, chromium) print a note and pass without it.

use crate::harness::{Doc, root, run, run_in};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_crontriage");

/// The binary with a clean environment for colour and progress (the
/// harness pins NO_COLOR and CRONTRIAGE_NO_PROGRESS; these tests vary them).
fn bin() -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(root())
        .env("TZ", "UTC")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CRONTRIAGE_NO_PROGRESS")
        .env_remove("COLUMNS")
        .env("TERM", "xterm-256color");
    c
}

struct Got {
    code: i32,
    stdout: String,
    stderr: String,
}

fn output(mut c: Command) -> Got {
    let o = c.stdin(Stdio::null()).output().expect("run crontriage");
    Got {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A program on PATH, or a note saying the test is skipped without it.
fn tool(name: &str, why: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!("note: `{name}` is not installed; skipping {why}");
    }
    found
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Run the binary on a pseudo-terminal (util-linux `script`): stdout and
/// stderr are both the terminal, merged in what comes back. `env` is set
/// for the binary only.
fn on_tty(env: &[(&str, &str)], args: &[&str]) -> Option<Got> {
    let script = tool("script", "a test on a terminal")?;
    let mut cmd = String::from("exec env");
    for (k, v) in env {
        cmd.push_str(&format!(" {k}={}", sh_quote(v)));
    }
    cmd.push(' ');
    cmd.push_str(&sh_quote(BIN));
    for a in args {
        cmd.push(' ');
        cmd.push_str(&sh_quote(a));
    }
    let mut c = Command::new(script);
    c.args(["-qec", &cmd, "/dev/null"])
        .current_dir(root())
        .env("TZ", "UTC")
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CRONTRIAGE_NO_PROGRESS")
        .env_remove("COLUMNS");
    let g = output(c);
    // A terminal turns \n into \r\n.
    Some(Got {
        stdout: g.stdout.replace("\r\n", "\n"),
        ..g
    })
}

fn doc(args: &[&str]) -> Doc {
    let mut a = vec!["report", "--format", "json"];
    a.extend_from_slice(args);
    let out = run(&a);
    assert_eq!(out.code, 0, "{a:?}: {}", out.stderr);
    out.doc()
}

// ------------------------------------------------------------ completions

#[test]
fn completions_for_every_shell_name_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in [
            "report", "explain", "sources", "fail-on", "since", "color", "format",
        ] {
            assert!(
                out.stdout.contains(word),
                "{shell} completion lacks `{word}`"
            );
        }
        // The value lists are completed too (elvish and powershell
        // scripts from clap_complete complete flags only).
        if ["bash", "zsh", "fish"].contains(&shell) {
            for value in ["markdown", "html", "always"] {
                assert!(out.stdout.contains(value), "{shell}: no `{value}`");
            }
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bash"), "{}", out.stderr);
}

/// Each script is checked by its own shell's parser where installed.
#[test]
fn completion_scripts_parse_in_their_shells() {
    let dir = tempfile::tempdir().unwrap();
    let checks: [(&str, &str, &[&str]); 3] = [
        ("bash", "bash", &["-n"]),
        ("zsh", "zsh", &["-n"]),
        ("fish", "fish", &["--no-execute"]),
    ];
    for (shell, prog, flags) in checks {
        let Some(prog) = tool(prog, &format!("the {shell} completion syntax check")) else {
            continue;
        };
        let out = run(&["completions", shell]);
        let path = dir.path().join(format!("crontriage.{shell}"));
        std::fs::write(&path, &out.stdout).unwrap();
        let o = Command::new(prog).args(flags).arg(&path).output().unwrap();
        assert!(
            o.status.success(),
            "{shell} rejects its completion script: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // bash: loading it registers the completion function for crontriage.
    if let Some(bash) = tool("bash", "loading the bash completion") {
        let path = dir.path().join("crontriage.bash");
        let o = Command::new(bash)
            .arg("-c")
            .arg(format!(". {} && complete -p crontriage", path.display()))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("crontriage"));
    }
}

// --------------------------------------------------------------- man page

#[test]
fn man_page_is_one_valid_roff_page_for_every_command() {
    let out = run(&["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let page = &out.stdout;
    assert!(page.is_ascii(), "non-ASCII text in the roff source");
    for want in [
        ".TH CRONTRIAGE 1",
        "crontriage report",
        "crontriage explain",
        "crontriage sources",
        "\\-\\-fail\\-on",
        "\\-\\-since",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        "NO_COLOR",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(want), "man page lacks `{want}`");
    }
    // No reference to per-command pages nobody installs.
    assert!(!page.contains("crontriage\\-report(1)"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crontriage.1");
    std::fs::write(&path, page).unwrap();

    if let Some(groff) = tool("groff", "the groff check of the man page") {
        let o = Command::new(groff)
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(o.status.success());
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "",
            "groff warns about the man page"
        );
    }
    if let Some(mandoc) = tool("mandoc", "the mandoc lint of the man page") {
        let o = Command::new(mandoc)
            .args(["-T", "lint", "-W", "warning"])
            .arg(&path)
            .output()
            .unwrap();
        let text =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        // The page carries no date on purpose (same binary, same bytes).
        let problems: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.contains("missing date"))
            .collect();
        assert!(
            problems.is_empty(),
            "mandoc -T lint:\n{}",
            problems.join("\n")
        );
    }
    if let Some(man) = tool("man", "rendering the page with man -l") {
        let o = Command::new(man)
            .arg("-l")
            .arg(&path)
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for want in ["EXIT STATUS", "--fail-on", "INPUT OPTIONS", "EXAMPLES"] {
            assert!(text.contains(want), "man -l output lacks {want}:\n{text}");
        }
    }
}

// ----------------------------------------------------------------- colour

const ESC: char = '\x1b';

#[test]
fn color_always_forces_colour_even_with_no_color_and_a_pipe() {
    let mut c = bin();
    c.args(["report", "fixtures/demo", "--color", "always"])
        .env("NO_COLOR", "1");
    let g = output(c);
    assert_eq!(g.code, 0, "{}", g.stderr);
    // Categories in their colours: red for execution-failed, green for ok.
    assert!(
        g.stdout.contains("\x1b[31m3 execution-failed,\x1b[0m"),
        "{}",
        g.stdout
    );
    assert!(g.stdout.contains("\x1b[32m"), "no green");
    assert!(
        g.stdout.contains("\x1b[36mbilling-inactive\x1b[0m"),
        "{}",
        g.stdout
    );
    // The same text under the colour codes.
    let plain = output({
        let mut c = bin();
        c.args(["report", "fixtures/demo", "--color", "never"]);
        c
    });
    let stripped = strip_ansi(&g.stdout);
    assert_eq!(stripped, plain.stdout);
    // explain colours too.
    let mut c = bin();
    c.args([
        "explain",
        "backup@web-02@2026-12-02T03:00:01.0065Z",
        "fixtures/demo",
        "--color",
        "always",
    ]);
    assert!(output(c).stdout.contains("\x1b[31mexecution-failed"));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            // CSI … final byte in @–~.
            if chars.next() == Some('[') {
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn color_auto_and_never_are_plain_when_piped_or_with_no_color() {
    for (color, no_color) in [("auto", None), ("auto", Some("1")), ("never", None)] {
        let mut c = bin();
        c.args(["report", "fixtures/demo", "--color", color]);
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let g = output(c);
        assert_eq!(g.code, 0);
        assert!(
            !g.stdout.contains(ESC),
            "--color {color} NO_COLOR={no_color:?} coloured a pipe"
        );
    }
    // Other formats are never coloured, even with --color always.
    for format in ["json", "markdown", "csv", "ndjson", "html"] {
        let mut c = bin();
        c.args([
            "report",
            "fixtures/demo",
            "--color",
            "always",
            "--format",
            format,
        ]);
        assert!(!output(c).stdout.contains(ESC), "{format} has colour codes");
    }
}

#[test]
fn color_auto_on_a_terminal_colours_unless_no_color_or_dumb() {
    let args = ["report", "fixtures/demo", "--color", "auto"];
    let Some(g) = on_tty(&[], &args) else { return };
    assert_eq!(g.code, 0, "{}", g.stdout);
    assert!(
        g.stdout.contains("\x1b[31m"),
        "auto on a tty: no colour:\n{}",
        g.stdout
    );
    let g = on_tty(&[("NO_COLOR", "1")], &args).unwrap();
    assert!(!g.stdout.contains(ESC), "NO_COLOR ignored:\n{}", g.stdout);
    let g = on_tty(&[("TERM", "dumb")], &args).unwrap();
    assert!(!g.stdout.contains(ESC), "TERM=dumb coloured");
    let g = on_tty(&[], &["report", "fixtures/demo", "--color", "never"]).unwrap();
    assert!(!g.stdout.contains(ESC), "--color never on a tty coloured");
    // An empty NO_COLOR does not count (no-color.org).
    let g = on_tty(&[("NO_COLOR", "")], &args).unwrap();
    assert!(g.stdout.contains(ESC));
    // CLICOLOR=0 turns auto off on a terminal (bixense.com/clicolors).
    let g = on_tty(&[("CLICOLOR", "0")], &args).unwrap();
    assert!(!g.stdout.contains(ESC), "CLICOLOR=0 ignored");
    // A terminal that reports no size is 80 columns wide, not one word.
    // (`script` gives its pty no size when it has no terminal itself.)
    let g = on_tty(&[], &["report", "fixtures/demo", "--color", "never"]).unwrap();
    assert!(
        g.stdout.lines().any(|l| l.chars().count() >= 60),
        "wrapped to a sliver on a size-less terminal:\n{}",
        g.stdout
    );
}

#[test]
fn clicolor_force_colours_a_pipe_unless_no_color() {
    let mut c = bin();
    c.args(["report", "fixtures/demo"])
        .env("CLICOLOR_FORCE", "1");
    assert!(output(c).stdout.contains(ESC), "CLICOLOR_FORCE=1 ignored");
    let mut c = bin();
    c.args(["report", "fixtures/demo"])
        .env("CLICOLOR_FORCE", "0");
    assert!(!output(c).stdout.contains(ESC), "CLICOLOR_FORCE=0 coloured");
    let mut c = bin();
    c.args(["report", "fixtures/demo"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1");
    assert!(!output(c).stdout.contains(ESC), "NO_COLOR must win");
}

// ------------------------------------------------------------------- HTML

fn html_of(dir: &Path, args: &[&str]) -> (String, Doc) {
    let mut a = vec!["report", "--format", "html"];
    a.extend_from_slice(args);
    let out = run_in(dir, &a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut j = vec!["report", "--format", "json"];
    j.extend_from_slice(args);
    (out.stdout, run_in(dir, &j).doc())
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// Nothing the page names is fetched: no scripts, no external sheets,
/// fonts, images or frames. Log text is escaped, so every raw `<` in the
/// page opens a tag of ours: attributes are looked for in tags only.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let name = tag.split_whitespace().next().unwrap_or("");
        assert!(
            !["script", "link", "iframe", "img", "object", "embed", "base"].contains(&name),
            "a <{name}> tag"
        );
        for attr in [" src=", " href=", " xlink:href=", " action=", " srcset="] {
            if let Some(i) = tag.find(attr) {
                let value = tag[i + attr.len()..].trim_start_matches(['"', '\'']);
                assert!(
                    value.starts_with('#'),
                    "{attr} to something else than an anchor: <{tag}>"
                );
            }
        }
    }
    let css = lower
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .expect("inline CSS");
    assert!(
        !css.contains("@import") && !css.contains("url("),
        "CSS that fetches"
    );
    assert!(lower.contains("content-security-policy") && lower.contains("default-src 'none'"));
}

#[test]
fn html_is_self_contained_with_one_mark_per_run() {
    let (html, d) = html_of(&root(), &["fixtures/demo"]);
    assert_self_contained(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(count(&html, "class=\"mark\""), d.runs.len());
    // Each mark carries its run and category, and links to its row.
    for (i, r) in d.runs.iter().enumerate() {
        let mark = format!(
            "<a href=\"#run-{}\"><rect class=\"mark\" data-run=\"{}\" data-category=\"{}\"",
            i + 1,
            r.id,
            r.category
        );
        assert!(html.contains(&mark), "no mark for {}", r.id);
        assert!(html.contains(&format!("<tr id=\"run-{}\"", i + 1)));
    }
    // Summary, legend, lanes per host, an axis with days, collapsible evidence.
    for want in [
        "<b>123</b>ok",
        "misrouted-target (1)",
        "Tue 1 Dec 2026",
        ">06:00<",
        "2 on web-02",
        "Runs needing attention (8)",
        "<details><summary>8 evidence line(s)",
        "id=\"only-bad\"",
    ] {
        assert!(html.contains(want), "page lacks {want}");
    }
    let bad = d.runs.iter().filter(|r| r.category != "ok").count();
    assert_eq!(count(&html, "-attention\" class=\"bad run\""), bad);
}

/// An hourly job on four hosts over a month and a job every 5 minutes:
/// 2,880 + 8,640 runs, a few failed.
fn busy_month(dir: &Path) {
    use std::fmt::Write as _;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut pid = 1000;
    for host in ["web-01", "web-02", "web-03", "db-01"] {
        let mut log = String::new();
        for m in (0..30 * 24 * 60).step_by(5) {
            let t = start + chrono::Duration::minutes(m);
            for (job, due) in [("hourly_sync", m % 60 == 5), ("poll", host == "web-01")] {
                if !due {
                    continue;
                }
                pid += 2;
                let at = |s: i64| (t + chrono::Duration::seconds(s)).format("%b %e %H:%M:%S");
                let _ = writeln!(
                    log,
                    "{} {host} CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
                    at(1)
                );
                let _ = writeln!(
                    log,
                    "{} {host} CRON[{}]: (root) CMD (/usr/local/bin/{job}.sh)",
                    at(1),
                    pid + 1
                );
                if pid % 97 == 0 {
                    let _ = writeln!(
                        log,
                        "{} {host} CRON[{pid}]: (CRON) error (grandchild #{} failed with exit status 1)",
                        at(9),
                        pid + 1
                    );
                }
                let _ = writeln!(
                    log,
                    "{} {host} CRON[{pid}]: pam_unix(cron:session): session closed for user root",
                    at(9)
                );
            }
        }
        std::fs::write(dir.join(format!("{host}.syslog")), log).unwrap();
    }
}

/// A lane with more ok runs than marks fit side by side is binned (a bin
/// says how many runs it stands for); failures keep one mark each. Over 500
/// runs the table of all runs leaves out ok runs' evidence, so the page
/// stays small enough to mail.
#[test]
fn html_bins_dense_lanes_and_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    busy_month(dir.path());
    let mut args = vec!["--year", "2026", "--tz", "UTC"];
    let files: Vec<String> = ["web-01", "web-02", "web-03", "db-01"]
        .iter()
        .map(|h| format!("{h}.syslog"))
        .collect();
    for f in &files {
        args.extend(["--syslog", f.as_str()]);
    }
    let (html, d) = html_of(dir.path(), &args);
    assert_self_contained(&html);
    assert_eq!(d.runs.len(), 4 * 720 + 8640);
    let bad = d.runs.iter().filter(|r| r.category != "ok").count();
    assert!(bad > 10, "{bad}");
    // Every non-ok run has its own mark; ok runs are in bins that add up.
    assert_eq!(count(&html, "class=\"mark\""), bad);
    let binned: usize = html
        .match_indices("class=\"mark bin\" data-runs=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(binned, d.runs.len() - bad);
    assert!(html.contains("ok run(s) of hourly_sync"));
    assert!(html.contains("the evidence of ok runs is left out here"));
    // Evidence blocks only for the runs that need attention (twice each:
    // their own table and the table of all runs).
    assert_eq!(count(&html, "<details><summary>"), 2 * bad);
    assert!(html.len() < 2 * d.runs.len() * 1024, "{} bytes", html.len());
}

#[test]
fn html_escapes_hostile_log_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>&amp;";
    std::fs::create_dir_all(d.join("in/jobs")).unwrap();
    std::fs::write(
        d.join("in/syslog"),
        format!(
            "2026-12-03T04:00:01+00:00 web-01 CRON[100]: (root) CMD (/opt/evil.sh '{evil}')\n\
             2026-12-03T04:00:05+00:00 web-01 CRON[99]: (CRON) error (grandchild #100 failed with exit status 1)\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("in/jobs/evil.log"),
        format!("2026-12-03 04:00:02 FATAL {evil} <style>body{{display:none}}</style>\n"),
    )
    .unwrap();
    let (html, doc) = html_of(d, &["--tz", "UTC", "in"]);
    assert_eq!(doc.runs.len(), 1, "{html}");
    assert_self_contained(&html);
    assert!(
        !html.contains("<script>alert(1)"),
        "script tag passed through"
    );
    assert!(!html.contains("<img src=x"), "img tag passed through");
    assert!(!html.contains("<style>body"), "style tag passed through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&amp;amp;"), "& not escaped");
    assert_eq!(count(&html, "class=\"mark\""), 1);
}

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
        let found = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        });
        if found.is_some() {
            return found;
        }
    }
    eprintln!("note: chromium is not installed; skipping the rendering test");
    None
}

/// Headless Chromium, offline, on a throwaway profile; killed after 90 s.
/// Its output goes to files, not pipes: `--dump-dom` writes more than a
/// pipe holds, and nobody would read the pipe while we wait.
fn headless(browser: &Path, extra: &[&str], url: &str) -> (String, String) {
    let scratch = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (scratch.path().join("out"), scratch.path().join("err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish in 90 s: {}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    (
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(browser) = chromium() else { return };
    let (html, d) = html_of(&root(), &["fixtures/demo"]);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("triage.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}", page.display());

    let png = dir.path().join("triage.png");
    let shot = format!("--screenshot={}", png.display());
    let (_, err) = headless(&browser, &[&shot], &url);
    let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot ({e}): {err}"));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank page compresses to a few KB; this one has a timeline and tables.
    assert!(
        bytes.len() > 50_000,
        "screenshot suspiciously small: {}",
        bytes.len()
    );

    let (dom, _) = headless(&browser, &["--dump-dom"], &url);
    assert_eq!(
        count(&dom, "class=\"mark\""),
        d.runs.len(),
        "the browser's DOM has a different number of timeline marks"
    );
    assert!(dom.contains("<svg class=\"tl\""), "no timeline in the DOM");
    assert!(
        dom.contains("<details>"),
        "no collapsible evidence in the DOM"
    );
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_a_failed_run_shows_both_layers_and_evidence() {
    let out = run(&[
        "explain",
        "load_ledger@web-02@2026-12-03T01:30:01.0035Z",
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = &out.stdout;
    for want in [
        "category   execution-failed (also: delivery-failed)",
        "Execution:  failed (exit 1)",
        "Delivery:   failed",
        "error not_in_channel",
        "fixtures/demo/web-02/jobs/load_ledger.log:9: ",
        "fixtures/demo/web-02/syslog:",
    ] {
        assert!(s.contains(want), "explain lacks `{want}`:\n{s}");
    }
    // The same instant written in another offset is the same run.
    let out = run(&[
        "explain",
        "load_ledger@web-02@2026-12-03T02:30:01.0035+01:00",
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn explain_did_you_mean() {
    // The start of an id lists that job and host's runs, and no other.
    let out = run(&["explain", "backup@web-01", "fixtures/demo"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is the start of 3 run ids"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("backup@web-01@2026-12-02T03:00:00Z  missed"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("web-02"), "{}", out.stderr);
    // A unique start is that run.
    let out = run(&["explain", "backup@web-01@2026-12-02", "fixtures/demo"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Run backup@web-01@2026-12-02T03:00:00Z")
    );
    // The time as a syslog line shows it (whole seconds, or the local
    // clock with its offset) is the run that started in that second.
    for id in [
        "backup@web-02@2026-12-02T03:00:01Z",
        "backup@web-02@2026-12-02T04:00:01+01:00",
    ] {
        let out = run(&["explain", id, "fixtures/demo"]);
        assert_eq!(out.code, 0, "{id}: {}", out.stderr);
        assert!(
            out.stdout
                .starts_with("Run backup@web-02@2026-12-02T03:00:01.0065Z"),
            "{id}: {}",
            out.stdout
        );
    }
    // A job name lists its runs.
    let out = run(&["explain", "daily_summary", "fixtures/demo"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is a job with 3 runs"),
        "{}",
        out.stderr
    );
    // A mistyped job: the job, and its runs.
    let out = run(&["explain", "dayly_summary", "fixtures/demo"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean job `daily_summary`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("daily_summary@web-01@2026-12-03T05:00:01Z")
    );
    // A wrong time: the nearest run of that job on that host.
    let out = run(&[
        "explain",
        "backup@web-02@2026-12-02T04:00:00Z",
        "fixtures/demo",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "the nearest run is `backup@web-02@2026-12-02T03:00:01.0065Z` (59m 58s earlier, execution-failed)"
        ),
        "{}",
        out.stderr
    );
    // A mistyped host.
    let out = run(&[
        "explain",
        "backup@web-2@2026-12-03T03:00:01.0065Z",
        "fixtures/demo",
    ]);
    assert!(
        out.stderr.contains("did you mean host `web-02`?")
            && out
                .stderr
                .contains("`backup@web-02@2026-12-03T03:00:01.0065Z`"),
        "{}",
        out.stderr
    );
    // Nothing close: the jobs there are.
    let out = run(&["explain", "zzz@h@2026-12-03T03:00:00Z", "fixtures/demo"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("jobs: backup, certbot"),
        "{}",
        out.stderr
    );
}

// ------------------------------------------------------------ folder mode

/// `sources` rows as (path, taken as).
fn sources_rows(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip(1) // header
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with("   ")) // wrapped continuation
        .map(|l| {
            let cols: Vec<&str> = l.trim().split("  ").filter(|c| !c.is_empty()).collect();
            (cols[0].trim().to_string(), cols[1].trim().to_string())
        })
        .collect()
}

#[test]
fn sources_lists_exactly_what_report_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = root().join("fixtures/demo");
    // The demo, plus files folder mode must skip or route by content.
    copy_dir(&demo, &d.join("incident"));
    std::fs::write(d.join("incident/notes.bin"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(d.join("incident/README"), "gathered by hand\n").unwrap();
    std::fs::create_dir_all(d.join("incident/other")).unwrap();
    std::fs::write(d.join("incident/other/crontriage.toml"), "tz = \"UTC\"\n").unwrap();
    std::fs::write(
        d.join("incident/slack/mislabeled.log"),
        "{\"ts\":\"2026-12-03T03:00:14Z\",\"job\":\"backup\",\"channel\":\"#ops-alerts\",\"http_status\":200,\"response\":{\"ok\":true}}\n",
    )
    .unwrap();

    let out = run_in(d, &["sources", "incident"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = sources_rows(&out.stdout);
    let taken: Vec<&(String, String)> = rows
        .iter()
        .filter(|(_, k)| k != "skipped" && k != "config")
        .collect();
    let report = run_in(d, &["report", "--format", "json", "incident"]).doc();
    let kind = |k: &str| match k {
        "syslog" => "syslog".to_string(),
        "Slack log" => "slack".to_string(),
        k if k.starts_with("job log of ") => "job-log".to_string(),
        k => k.to_string(),
    };
    assert_eq!(
        taken
            .iter()
            .map(|(p, k)| (p.clone(), kind(k)))
            .collect::<Vec<_>>(),
        report
            .inputs
            .iter()
            .map(|i| (i.path.clone(), i.kind.clone()))
            .collect::<Vec<_>>(),
        "sources and report's inputs[] differ:\n{}",
        out.stdout
    );
    let find = |p: &str| {
        rows.iter()
            .find(|(path, _)| path.ends_with(p))
            .map(|r| r.1.as_str())
    };
    assert_eq!(
        find("web-02/jobs/load_ledger.log"),
        Some("job log of load_ledger")
    );
    assert_eq!(find("slack/mislabeled.log"), Some("Slack log"));
    assert_eq!(find("db-01/journal-short-iso.log"), Some("syslog"));
    assert_eq!(find("incident/crontriage.toml"), Some("config"));
    assert_eq!(find("other/crontriage.toml"), Some("skipped"));
    assert_eq!(find("notes.bin"), Some("skipped"));
    assert!(
        out.stdout.contains("config: incident/crontriage.toml"),
        "{}",
        out.stdout
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

// ------------------------------------------------------- --since / --until

fn starts(d: &Doc) -> Vec<chrono::DateTime<chrono::Utc>> {
    d.runs
        .iter()
        .map(|r| {
            chrono::DateTime::parse_from_rfc3339(&r.started_at)
                .unwrap()
                .with_timezone(&chrono::Utc)
        })
        .collect()
}

#[test]
fn since_and_until_take_rfc3339_dates_and_relative_forms() {
    use chrono::{TimeZone, Utc};
    let all = starts(&doc(&["fixtures/demo"]));
    let between = |lo: chrono::DateTime<Utc>, hi: Option<chrono::DateTime<Utc>>| {
        all.iter()
            .filter(|t| **t >= lo && hi.is_none_or(|h| **t < h))
            .count()
    };
    // A date is midnight in the config's zone (Europe/Berlin: 23:00 UTC the day before).
    let berlin_midnight = Utc.with_ymd_and_hms(2026, 12, 2, 23, 0, 0).unwrap();
    let d = doc(&["fixtures/demo", "--since", "2026-12-03"]);
    assert!(starts(&d).iter().all(|t| *t >= berlin_midnight));
    assert_eq!(d.runs.len(), between(berlin_midnight, None));
    assert!(
        d.runs
            .iter()
            .any(|r| r.id == "cron.hourly@web-01@2026-12-02T23:17:01Z")
    );
    let d = doc(&["fixtures/demo", "--until", "2026-12-03"]);
    assert!(starts(&d).iter().all(|t| *t < berlin_midnight));
    assert_eq!(d.runs.len() + between(berlin_midnight, None), all.len());
    // RFC 3339 with an offset, on both ends.
    let d = doc(&[
        "fixtures/demo",
        "--since",
        "2026-12-03T04:00:00+01:00",
        "--until",
        "2026-12-03T06:00:00+01:00",
    ]);
    let (lo, hi) = (
        Utc.with_ymd_and_hms(2026, 12, 3, 3, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 3, 5, 0, 0).unwrap(),
    );
    assert_eq!(d.runs.len(), between(lo, Some(hi)));
    assert!(
        d.runs
            .iter()
            .any(|r| r.id == "backup@web-02@2026-12-03T03:00:01.0065Z")
    );
    assert!(!d.runs.iter().any(|r| r.job == "daily_summary"));
    // To the minute, as people type it; keywords in any case.
    let m = doc(&[
        "fixtures/demo",
        "--since",
        "2026-12-03T04:00+01:00",
        "--until",
        "2026-12-03 06:00",
    ]);
    assert_eq!(m.runs.len(), d.runs.len());
    let y = doc(&["fixtures/demo", "--since", "Yesterday", "--until", "TODAY"]);
    let y2 = doc(&["fixtures/demo", "--since", "yesterday", "--until", "today"]);
    assert_eq!(y.runs.len(), y2.runs.len());

    // Relative forms are against the clock: compare with the same bounds
    // computed here (before and after the call, for a run on a boundary).
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let midnight = |days_back: i64| {
        let today = Utc::now().with_timezone(&tz).date_naive() - chrono::Duration::days(days_back);
        tz.from_local_datetime(&today.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    for (flag, back) in [
        ("24h", chrono::Duration::hours(24)),
        ("7d", chrono::Duration::days(7)),
    ] {
        let before = Utc::now() - back;
        let n = doc(&["fixtures/demo", "--since", flag]).runs.len();
        let after = Utc::now() - back;
        assert!(
            (between(after, None)..=between(before, None)).contains(&n),
            "--since {flag}: {n} runs"
        );
    }
    let n = doc(&["fixtures/demo", "--since", "yesterday", "--until", "today"])
        .runs
        .len();
    assert_eq!(
        n,
        between(midnight(1), Some(midnight(0))),
        "yesterday..today"
    );
    let n = doc(&["fixtures/demo", "--since", "today"]).runs.len();
    assert_eq!(n, between(midnight(0), None), "--since today");

    let out = run(&[
        "report",
        "fixtures/demo",
        "--since",
        "today",
        "--until",
        "yesterday",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not before --until"),
        "{}",
        out.stderr
    );
    let out = run(&["report", "fixtures/demo", "--until", "2026-13-01"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--until `2026-13-01`"),
        "{}",
        out.stderr
    );
}

// --------------------------------------------------------------- progress

fn noise_file(dir: &Path, mb: usize) -> PathBuf {
    use std::io::Write;
    let path = dir.join("syslog");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut written = 0;
    let mut i = 0u64;
    while written < mb * 1024 * 1024 {
        let line = format!(
            "Dec  3 04:{:02}:{:02} web-01 kernel: [{i}.000000] eth0: link noise, nothing to see {i}\n",
            (i / 60) % 60,
            i % 60
        );
        f.write_all(line.as_bytes()).unwrap();
        written += line.len();
        i += 1;
    }
    f.flush().unwrap();
    path
}

#[test]
fn progress_is_silent_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = noise_file(dir.path(), 70);
    assert!(std::fs::metadata(&path).unwrap().len() > crontriage::progress::THRESHOLD);
    let mut c = bin();
    c.args(["report", "--year", "2026", "--syslog"]).arg(&path);
    let g = output(c);
    assert_eq!(g.code, 0, "{}", g.stderr);
    assert_eq!(
        g.stderr, "",
        "stderr is not a terminal, yet something was written"
    );
    assert!(g.stdout.contains("0 runs"), "{}", g.stdout);

    // On a terminal the bar is drawn, then cleared; the run still ends
    // (it used to deadlock on the stderr lock main held).
    let p = path.display().to_string();
    let args = ["report", "--year", "2026", "--syslog", p.as_str()];
    let Some(g) = on_tty(&[], &args) else { return };
    assert_eq!(g.code, 0, "{}", g.stdout);
    assert!(
        g.stdout.contains("reading"),
        "no progress bar on a terminal:\n{}",
        g.stdout
    );
    assert!(g.stdout.contains("70.00 MiB"), "{}", g.stdout);
    let g = on_tty(&[("CRONTRIAGE_NO_PROGRESS", "1")], &args).unwrap();
    assert!(
        !g.stdout.contains("reading"),
        "CRONTRIAGE_NO_PROGRESS ignored"
    );
    // Small inputs never get a bar.
    let g = on_tty(&[], &["report", "fixtures/demo"]).unwrap();
    assert!(!g.stdout.contains("reading"));
    // A rotated `.gz` is counted by what it holds, not its few MB on disk.
    let gz = dir.path().join("syslog.2.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::copy(&mut std::fs::File::open(&path).unwrap(), &mut enc).unwrap();
    enc.finish().unwrap();
    assert!(std::fs::metadata(&gz).unwrap().len() < crontriage::progress::THRESHOLD);
    let z = gz.display().to_string();
    let g = on_tty(&[], &["report", "--year", "2026", "--syslog", z.as_str()]).unwrap();
    assert!(
        g.stdout.contains("reading") && g.stdout.contains("70.00 MiB"),
        "no bar for 70 MB in a .gz:\n{}",
        g.stdout
    );
}

// ------------------------------------------------------------- job health

/// The row of `job` in the table's Jobs section, spaces squeezed.
fn job_row(table: &str, job: &str) -> String {
    let line = table
        .lines()
        .skip_while(|l| !l.starts_with("Jobs"))
        .find(|l| l.trim_start().starts_with(&format!("{job} ")))
        .unwrap_or_else(|| panic!("no row for {job}:\n{table}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn job_health_on_the_demo() {
    let out = run(&["report", "fixtures/demo"]);
    assert_eq!(out.code, 0);
    let t = &out.stdout;
    // backup fails on web-02 twice running (web-01's ok run between does
    // not end web-02's streak); its last ok run is web-01's, and says so.
    assert_eq!(
        job_row(t, "backup"),
        "backup 6 3 2 on web-02 2026-12-03 03:00 on web-01 1 execution-failed, 1 delivery-failed, 1 missed"
    );
    assert_eq!(
        job_row(t, "daily_summary"),
        "daily_summary 3 1 2 2026-12-01 05:00 1 billing-inactive, 1 misrouted-target"
    );
    assert_eq!(
        job_row(t, "db-vacuum"),
        "db-vacuum 3 2 1 2026-12-02 02:30 1 execution-failed"
    );
    assert_eq!(
        job_row(t, "cron.hourly"),
        "cron.hourly 108 108 - 2026-12-03 04:17"
    );
    assert_eq!(job_row(t, "certbot"), "certbot 5 5 - 2026-12-02 23:41");
    // Every non-ok run is listed with its id and reason under it.
    assert!(t.contains("Runs needing attention (8, oldest first)"));
    assert!(t.contains(
        "  execution-failed  backup@web-02@2026-12-02T03:00:01.0065Z\n                    exit status 2 (from cron)\n"
    ), "{t}");
    // The same health in Markdown.
    let md = run(&["report", "fixtures/demo", "--format", "markdown"]).stdout;
    assert!(md.contains(
        "| backup | 6 | 3 | 1 execution-failed, 1 delivery-failed, 1 missed | **2 on web-02** | 2026-12-03 03:00 on web-01 |"
    ), "{md}");
    // A window with only the good runs: no streak anywhere.
    let out = run(&["report", "fixtures/demo", "--until", "2026-12-02T00:00:00Z"]);
    assert!(out.stdout.contains("No run needs attention."));
    assert_eq!(
        job_row(&out.stdout, "backup"),
        "backup 2 2 - 2026-12-01 03:00"
    );
    // A window the logs do not reach: an empty report, and a warning with
    // what the logs do hold (not a silent "all clear").
    let out = run(&["report", "fixtures/demo", "--since", "2026-12-04"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("crontriage: 0 runs.\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "no run started in the window (--since 2026-12-03T23:00:00Z); the 131 run(s) read started 2026-11-30T23:17:01Z to 2026-12-03T05:00:01Z"
        ),
        "{}",
        out.stderr
    );
    // One run is `1 run`; an explicit --config is named like a found one.
    let out = run(&[
        "report",
        "--config",
        "fixtures/demo/crontriage.toml",
        "--syslog",
        "fixtures/demo/web-01/syslog",
        "--until",
        "2026-12-01T00:00:00Z",
    ]);
    assert!(
        out.stdout.starts_with("crontriage: 1 run: 1 ok\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\nConfig: fixtures/demo/crontriage.toml\n"),
        "{}",
        out.stdout
    );
}

fn width(line: &str) -> usize {
    strip_ansi(line).chars().count()
}

/// At 80 columns the Jobs rows do not fit with their failures beside
/// them: the failures go under the row, and no line passes the edge.
#[test]
fn table_fits_an_80_column_terminal() {
    let Some(g) = on_tty(&[("COLUMNS", "80")], &["report", "fixtures/demo"]) else {
        return;
    };
    assert_eq!(g.code, 0);
    let plain = strip_ansi(&g.stdout);
    let wide: Vec<&str> = plain.lines().filter(|l| width(l) > 80).collect();
    assert!(wide.is_empty(), "lines wider than 80:\n{}", wide.join("\n"));
    assert!(
        plain.contains(
            "  backup            6    3  2 on web-02     2026-12-03 03:00 on web-01\n      1 execution-failed, 1 delivery-failed, 1 missed\n"
        ),
        "{plain}"
    );
}

#[test]
fn table_fits_a_100_column_terminal() {
    let Some(g) = on_tty(&[("COLUMNS", "100")], &["report", "fixtures/demo"]) else {
        return;
    };
    assert_eq!(g.code, 0);
    let wide: Vec<&str> = g.stdout.lines().filter(|l| width(l) > 100).collect();
    assert!(
        wide.is_empty(),
        "lines wider than 100 columns:\n{}",
        wide.join("\n")
    );
    // Wrapped text keeps its column: a reason's continuation lines are
    // indented under the reason, a job's failures under "not ok".
    let plain = strip_ansi(&g.stdout);
    assert!(
        plain.contains(
            "exit status 1 (from cron); Slack answered `not_in_channel` — invite the bot to\n                    the channel\n"
        ),
        "{plain}"
    );
    let col = plain
        .lines()
        .find(|l| l.trim_start().starts_with("job "))
        .and_then(|l| l.find("not ok"))
        .unwrap();
    let backup = plain
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("backup "))
        .take(2)
        .collect::<Vec<_>>();
    assert_eq!(backup[1].find(|c: char| c != ' '), Some(col), "{plain}");
    // Piped, nothing is wrapped: one line per run for grep.
    let out = run(&["report", "fixtures/demo"]);
    assert!(out.stdout.contains(
        "exit status 1 (from cron); Slack answered `not_in_channel` — invite the bot to the channel\n"
    ));
}

// ----------------------------------------------------- the README recipes

/// The commands of the README's "Three ways to use it", on the demo.
#[test]
fn readme_recipes_work() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Three ways to use it")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("the README has its Three ways section");
    for want in [
        "--since yesterday --until today",
        "GITHUB_STEP_SUMMARY",
        "--fail-on",
        "crontriage explain",
        "crontriage sources",
    ] {
        assert!(section.contains(want), "README recipes lack {want}");
    }
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step-summary.md");
    // CI: the Markdown goes to the step summary and the step fails on a
    // failing run (exit 1), in one command.
    let mut c = bin();
    c.args([
        "report",
        "fixtures/demo",
        "--format",
        "markdown",
        "--fail-on",
        "execution-failed,delivery-failed,misrouted-target,billing-inactive",
    ])
    .stdout(std::fs::File::create(&summary).unwrap());
    let status = c.status().unwrap();
    assert_eq!(status.code(), Some(1));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("## crontriage: 131 run(s), 8 need attention"),
        "{md}"
    );
    // The daily report's window (on the demo's own days).
    let out = run(&[
        "report",
        "fixtures/demo",
        "--format",
        "markdown",
        "--since",
        "2026-12-02",
        "--until",
        "2026-12-03",
    ]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("Runs needing attention (3)"),
        "{}",
        out.stdout
    );
    let out = run(&[
        "report",
        "fixtures/demo",
        "--since",
        "yesterday",
        "--until",
        "today",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Post-incident: sources, report, then explain an id the report printed.
    let out = run(&["sources", "fixtures/demo"]);
    assert_eq!(out.code, 0);
    let table = run(&["report", "fixtures/demo"]).stdout;
    let id = table
        .lines()
        .find_map(|l| l.trim().strip_prefix("billing-inactive"))
        .map(str::trim)
        .expect("a billing-inactive run in the table");
    let out = run(&["explain", id, "fixtures/demo"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("insufficient_quota"));
}
