//! The case runner: every folder with a `case.toml` under `fixtures/cases/`
//! and `fixtures/real/` is run through the real binary and its JSON checked
//! against `[expect]`. The format is documented in `fixtures/cases/README.md`.

use crontriage::report::{InputReport, RunReport, Summary};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The JSON document, decoded into the library's own types.
#[derive(Debug, Deserialize)]
pub struct Doc {
    pub schema_version: u32,
    pub inputs: Vec<InputReport>,
    pub summary: Summary,
    pub runs: Vec<RunReport>,
}

/// Output of one run of the binary.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn doc(&self) -> Doc {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "not the JSON report ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary in `dir` with `args`; the environment is pinned (no
/// colour, no progress, UTC as the local zone) so output is reproducible.
pub fn run_in(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_crontriage"))
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .env("CRONTRIAGE_NO_PROGRESS", "1")
        .output()
        .expect("run crontriage");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Out {
    run_in(&root(), args)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    #[serde(default)]
    exit: i32,
    #[serde(default)]
    stdin: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    runs: Option<u64>,
    malformed: Option<u64>,
    recognized: Option<u64>,
    #[serde(default)]
    by_category: std::collections::BTreeMap<String, u64>,
    #[serde(default)]
    run: Vec<ExpectRun>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectRun {
    job: Option<String>,
    host: Option<String>,
    started_at: Option<String>,
    /// `"none"` for a run with no end.
    ended_at: Option<String>,
    scheduler: Option<String>,
    category: Option<String>,
    categories: Option<Vec<String>>,
    execution: Option<String>,
    exit_code: Option<i32>,
    delivery: Option<String>,
    attempts: Option<usize>,
    billing: Option<bool>,
    evidence_min: Option<usize>,
}

fn check_case(dir: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(dir.join("case.toml")).map_err(|e| e.to_string())?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("case.toml: {e}"))?;
    let mut args: Vec<&str> = vec!["report", "--format", "json"];
    args.extend(case.args.iter().map(String::as_str));
    let out = match &case.stdin {
        Some(file) => {
            let input = std::fs::read(dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
            let mut child = Command::new(env!("CARGO_BIN_EXE_crontriage"))
                .args(&args)
                .current_dir(dir)
                .env("TZ", "UTC")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .map_err(|e| e.to_string())?;
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(&input)
                .map_err(|e| e.to_string())?;
            let o = child.wait_with_output().map_err(|e| e.to_string())?;
            Out {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            }
        }
        None => run_in(dir, &args),
    };
    if out.code != case.exit {
        return Err(format!(
            "exit {} (want {}); stderr: {}",
            out.code, case.exit, out.stderr
        ));
    }
    let doc: Doc = serde_json::from_str(&out.stdout)
        .map_err(|e| format!("bad JSON: {e}\nstderr: {}", out.stderr))?;
    let e = &case.expect;
    let mut errs = Vec::new();
    if let Some(n) = e.runs {
        if doc.summary.runs != n {
            errs.push(format!("runs: {} (want {n})", doc.summary.runs));
        }
    }
    let malformed: u64 = doc.inputs.iter().map(|i| i.malformed).sum();
    let recognized: u64 = doc.inputs.iter().map(|i| i.recognized).sum();
    if e.malformed.is_some_and(|m| m != malformed) {
        errs.push(format!(
            "malformed: {malformed} (want {})",
            e.malformed.unwrap()
        ));
    }
    if e.recognized.is_some_and(|m| m != recognized) {
        errs.push(format!(
            "recognized: {recognized} (want {})",
            e.recognized.unwrap()
        ));
    }
    let cats = serde_json::to_value(&doc.summary.by_category).unwrap();
    for (k, v) in &e.by_category {
        let got = cats.get(k).and_then(|x| x.as_u64());
        if got != Some(*v) {
            errs.push(format!("by_category.{k}: {got:?} (want {v})"));
        }
    }
    let mut used = vec![false; doc.runs.len()];
    for (n, want) in e.run.iter().enumerate() {
        let found = doc.runs.iter().enumerate().position(|(i, r)| {
            !used[i]
                && want.job.as_ref().is_none_or(|j| *j == r.job)
                && want
                    .host
                    .as_ref()
                    .is_none_or(|h| Some(h) == r.host.as_ref())
                && want.started_at.as_ref().is_none_or(|s| *s == r.started_at)
        });
        let Some(i) = found else {
            errs.push(format!(
                "run #{} ({:?} {:?} {:?}): no such run",
                n + 1,
                want.job,
                want.host,
                want.started_at
            ));
            continue;
        };
        used[i] = true;
        let r = &doc.runs[i];
        let mut diff = |what: &str, got: String, want: String| {
            if got != want {
                errs.push(format!("run {}: {what} = {got} (want {want})", r.id));
            }
        };
        if let Some(s) = &want.ended_at {
            let got = r.ended_at.clone().unwrap_or_else(|| "none".into());
            diff("ended_at", got, s.clone());
        }
        if let Some(s) = &want.scheduler {
            diff("scheduler", r.scheduler.clone(), s.clone());
        }
        if let Some(c) = &want.category {
            diff("category", r.category.clone(), c.clone());
        }
        if let Some(c) = &want.categories {
            diff("categories", r.categories.join(","), c.join(","));
        }
        if let Some(x) = &want.execution {
            diff("execution", r.execution.status.clone(), x.clone());
        }
        if let Some(x) = want.exit_code {
            diff(
                "exit_code",
                format!("{:?}", r.execution.exit_code),
                format!("{:?}", Some(x)),
            );
        }
        if let Some(d) = &want.delivery {
            diff("delivery", r.delivery.status.clone(), d.clone());
        }
        if let Some(a) = want.attempts {
            diff("attempts", r.delivery.attempts.to_string(), a.to_string());
        }
        if let Some(b) = want.billing {
            diff("billing", r.billing.is_some().to_string(), b.to_string());
        }
        if let Some(m) = want.evidence_min {
            if r.evidence.len() < m {
                errs.push(format!(
                    "run {}: {} evidence lines (want ≥ {m})",
                    r.id,
                    r.evidence.len()
                ));
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n  "))
    }
}

fn case_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for base in ["fixtures/cases", "fixtures/real"] {
        let Ok(rd) = std::fs::read_dir(root().join(base)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("case.toml").is_file())
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

#[test]
fn every_case_folder() {
    let dirs = case_dirs();
    assert!(dirs.len() >= 5, "case folders found: {dirs:?}");
    let mut failed = Vec::new();
    for d in &dirs {
        if let Err(e) = check_case(d) {
            failed.push(format!(
                "{}:\n  {e}",
                d.strip_prefix(root()).unwrap_or(d).display()
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        dirs.len(),
        failed.join("\n")
    );
}
