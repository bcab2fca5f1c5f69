//! Secret redaction. Logs carry tokens: Slack tokens in commands, webhook
//! URLs in job output, bearer headers in curl lines, API keys in tracebacks.
//! Every text crontriage prints — report, evidence, errors — passes through
//! [`redact`] once, where the report is built. Redaction is idempotent.

use regex::Regex;
use std::borrow::Cow;
use std::sync::{LazyLock, OnceLock};

pub const MARK: &str = "[REDACTED]";

struct Rule {
    pattern: &'static str,
    /// Compiled when first needed: a report needs a few of the rules, and
    /// compiling them all cost more than rendering thousands of runs.
    re: OnceLock<Regex>,
    /// Replacement; `$1`… keep the non-secret context (a header name, the
    /// user in `user:pass@`).
    with: &'static str,
    /// What the pattern cannot match without, in lower case: from each
    /// group, one literal must stand in the text (its ASCII letters
    /// lowered). Derived from the pattern by hand, and held to it by a test.
    needs: &'static [&'static [&'static str]],
}

impl Rule {
    fn regex(&self) -> &Regex {
        self.re
            .get_or_init(|| Regex::new(self.pattern).expect("a valid pattern"))
    }

    /// Whether the pattern may match the text whose [`lowered`] form is
    /// `lower`.
    fn may_match(&self, lower: &str) -> bool {
        self.needs
            .iter()
            .all(|any| any.iter().any(|lit| lower.contains(lit)))
    }
}

/// The keywords of the key/value rules: `api_key`, `access-token`,
/// `client_secret`, `password`… each holds one of these.
const KEYWORDS: &[&str] = &["key", "token", "secret", "passw"];
const KEYWORDS_PWD: &[&str] = &["key", "token", "secret", "passw", "pwd"];

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let r = |pattern: &'static str,
             with: &'static str,
             needs: &'static [&'static [&'static str]]| Rule {
        pattern,
        re: OnceLock::new(),
        with,
        needs,
    };
    vec![
        // Slack webhooks (URL path is the secret), with or without the
        // scheme, and JSON-escaped (`https:\/\/hooks.slack.com\/services\/…`,
        // as PHP's json_encode writes it).
        r(
            r"(?i)(?:https?(?::|%3A)(?:\\?/|%2F){2})?hooks\.slack\.com(?:\\?/|%2F)(?:services|workflows|triggers)(?:\\?/|%2F)[A-Za-z0-9/_\-\\%]+",
            MARK,
            &[&["hooks.slack.com"]],
        ),
        // Slack tokens: bot, user, app-level, legacy, refresh, config.
        // Wherever they stand (`slack_xoxb-…`, `…Txoxb-…` in a value
        // pasted into a flag): no word has these letters.
        r(r"xox[abposre]-[A-Za-z0-9\-]+", MARK, &[&["xox"]]),
        r(r"xapp-[A-Za-z0-9\-]+", MARK, &[&["xapp-"]]),
        // Authorization headers: everything after the header name.
        r(
            r#"(?i)\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|bot)\\?\s+)?(?:\\\s+)?[^\s"',;\[\\][^\s"',;\\]*(?:\\\s+[^\s"',;\\]+)?"#,
            "${1}[REDACTED]",
            &[&["authorization"]],
        ),
        r(
            r"(?i)\b(bearer\\?\s+)[A-Za-z0-9._~+/=\-]{8,}",
            "${1}[REDACTED]",
            &[&["bearer"]],
        ),
        // OpenAI / Anthropic style API keys; Stripe's live and test keys.
        r(
            r"(^|[^A-Za-z0-9])sk-[A-Za-z0-9_\-]{16,}",
            "${1}[REDACTED]",
            &[&["sk-"]],
        ),
        r(
            r"\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,}",
            MARK,
            &[&["k_live_", "k_test_"]],
        ),
        // GitHub tokens, Google API keys, JSON web tokens.
        r(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})",
            MARK,
            &[&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]],
        ),
        r(r"\bAIza[0-9A-Za-z_\-]{35}", MARK, &[&["aiza"]]),
        r(
            r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
            MARK,
            &[&["eyj"]],
        ),
        // Discord and Microsoft Teams webhooks (the URL is the secret).
        r(
            r#"(?i)https?:(?:\\?/){2}(?:[a-z0-9.\-]*\.)?(?:discord(?:app)?\.com(?:\\?/)api(?:\\?/)webhooks|webhook\.office\.com|[a-z0-9\-]+\.logic\.azure\.com)[^\s"'<>]*"#,
            MARK,
            &[
                &["http"],
                &["discord", "webhook.office.com", ".logic.azure.com"],
            ],
        ),
        // A private key's first line: what follows on it is key material.
        r(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*",
            "-----BEGIN PRIVATE KEY----- [REDACTED]",
            &[&["private key-----"]],
        ),
        // curl/wget credentials: `-u user:pass`, `--user=user:pass`.
        r(
            r"(\s(?:-u|--user|--proxy-user|--http-password)(?:\s+|=)['\x22]?[^\s:'\x22]+:)[^\s'\x22]+",
            "${1}[REDACTED]",
            &[&["-u", "-password"]],
        ),
        // AWS access key ids.
        r(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", MARK, &[&["akia", "asia"]]),
        // Passwords in URLs: scheme://user:pass@host (also JSON-escaped,
        // `scheme:\/\/user:pass@host`).
        r(
            r"([a-zA-Z][a-zA-Z0-9+.\-]*:(?:\\?/){2}[^\s:/@\\]+:)[^\s@/]+@",
            "${1}[REDACTED]@",
            &[&[":/", ":\\"], &["@"]],
        ),
        // A quoted value is the secret whole, spaces and all:
        // `PASSWORD='two words'`, `"password": "two words"`.
        r(
            r#"(?i)\b([A-Za-z0-9_\-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd|token|secret)=)'[^'\n]*'"#,
            "${1}'[REDACTED]'",
            &[KEYWORDS, &["='"]],
        ),
        r(
            r#"(?i)\b([A-Za-z0-9_\-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd|token|secret)(?:=|["']?\s*:\s*))"(?:[^"\\\n]|\\.)*""#,
            "${1}\"[REDACTED]\"",
            &[KEYWORDS, &["\""]],
        ),
        // Passwords given to database and remote tools as arguments:
        // `mysql -pSECRET` (glued), `--password SECRET`, `redis-cli -a
        // SECRET`, `sshpass -p SECRET`, `lftp -u user,SECRET`.
        r(
            r#"(\b(?i:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mariadb|mariadb-dump)\b[^|;&\n]*?\s-p)(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)"#,
            "${1}[REDACTED]",
            &[&["mysql", "mariadb"], &["-p"]],
        ),
        r(
            r#"(?i)(\s--?(?:[a-z0-9]+-)*(?:password|passwd|pass|pwd|token|api-?key|apikey|secret|client-secret|access-key|secret-key|private-key)\s+)(?:'[^'\n]*'|"[^"\n]*"|[^\s'"-][^\s'"]*)"#,
            "${1}[REDACTED]",
            &[&["pass", "pwd", "token", "key", "secret"], &["-"]],
        ),
        r(
            r#"(\bredis-cli\b[^|;&\n]*?\s-a\s+)(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)"#,
            "${1}[REDACTED]",
            &[&["redis-cli"], &["-a"]],
        ),
        r(
            r#"(\bsshpass\b[^|;&\n]*?\s-p\s*)(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)"#,
            "${1}[REDACTED]",
            &[&["sshpass"], &["-p"]],
        ),
        r(
            r#"(\s-u\s+['"]?[^\s,:'"]+,)[^\s'"]+"#,
            "${1}[REDACTED]",
            &[&["-u"], &[","]],
        ),
        // GitLab personal access tokens.
        r(r"\bglpat-[A-Za-z0-9_\-]{20,}", MARK, &[&["glpat-"]]),
        // key=value, "key": "value", and API-key headers.
        r(
            r#"(?i)\b([A-Za-z0-9_\-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd|pwd|token|secret)\s*=\s*["']?)[^\s"'&,;}\]\[][^\s"'&,;}\]]{3,}"#,
            "${1}[REDACTED]",
            &[KEYWORDS_PWD, &["="]],
        ),
        // `key: value` (YAML, env dumps), for names that say secret on their
        // own: not a bare `token:`/`secret:`, which prose uses ("error:
        // token_revoked").
        r(
            r#"(?i)\b([A-Za-z0-9_\-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd|[A-Za-z0-9]+[_-](?:token|secret|key|pwd))\s*:\s*(?:\\?["'])?)[^\s"'&,;}\]\[\\][^\s"'&,;}\]\\]{3,}"#,
            "${1}[REDACTED]",
            &[KEYWORDS_PWD, &[":"]],
        ),
        r(
            r#"(?i)(["'][A-Za-z0-9_\-]*(?:api[_-]?key|access[_-]?key|private[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key|password|passwd|token|secret)["']\s*:\s*["']?)[^\s"'&,;}\]\[][^\s"'&,;}\]]{3,}"#,
            "${1}[REDACTED]",
            &[KEYWORDS, &[":"]],
        ),
        r(
            r#"(?i)\b((?:x-api-key|api-key|x-auth-token|private-token|x-slack-signature)\s*:\s*)[^\s"',;\[][^\s"',;]*"#,
            "${1}[REDACTED]",
            &[
                &["api-key", "auth-token", "private-token", "slack-signature"],
                &[":"],
            ],
        ),
    ]
});

/// `s` with every secret replaced by `[REDACTED]`.
pub fn redact(s: &str) -> String {
    redact_cow(s).into_owned()
}

/// Whether `s` holds nothing redaction acts on: no trigger literal, and no
/// escape (`\`, `%`) that could hide one. [`redact`] returns such a text
/// unchanged — and so it does clean texts joined by `@` and followed by a
/// time stamp (a run's id, `job@host@2026-12-03T03:00:01Z`): no trigger
/// holds an `@`, and none is made of a stamp's characters only, so none
/// can start in one part and end in the next (a test holds both).
pub fn is_clean(s: &str) -> bool {
    !TRIGGERS.any(s) && memchr::memchr2(b'\\', b'%', s.as_bytes()).is_none()
}

/// Literals at least one of which every secret pattern needs: most texts
/// hold none, and are passed over with one scan instead of every regex.
static TRIGGERS: LazyLock<Triggers> = LazyLock::new(|| {
    let (short, long): (Vec<String>, Vec<String>) =
        trigger_literals().into_iter().partition(|t| t.len() < 4);
    let searcher = |pats: Vec<String>| {
        aho_corasick::packed::Searcher::new(pats).expect("a packed searcher for the CPU")
    };
    Triggers {
        short: searcher(short),
        long: searcher(long),
    }
});

/// The trigger literals in two packed (Teddy) searchers, by length: the
/// dozen three-byte ones, and the rest told apart by four bytes. One
/// searcher of all sixty-two matches on three-byte fingerprints shared by
/// many literals, and spent most of its time checking candidates that were
/// none: apart, a report's evidence lines (syslog lines, ~100 bytes) are
/// scanned in under a third of the instructions (~2,150 -> ~660 a line).
struct Triggers {
    short: aho_corasick::packed::Searcher,
    long: aho_corasick::packed::Searcher,
}

impl Triggers {
    /// Whether `s` holds any trigger literal.
    fn any(&self, s: &str) -> bool {
        self.short.find(s).is_some() || self.long.find(s).is_some()
    }
}

fn trigger_literals() -> Vec<String> {
    // Literals whose secrets are case-sensitive, then the keywords of the
    // case-insensitive rules in the spellings configs, headers and code use
    // (lower, Title, UPPER; `camelCase` names end in a Title word): a packed
    // SIMD search, several times faster than a case-folding automaton.
    let mut pats: Vec<String> = [
        "xox",
        "xapp-",
        "hooks.slack.com",
        "HOOKS.SLACK.COM",
        "sk-",
        "AKIA",
        "ASIA",
        "://",
        ":\\/\\/",
        "k_live_",
        "k_test_",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "AIza",
        "eyJ",
        "PRIVATE KEY",
        "-u ",
        "-u=",
        "--user",
        "-password",
        "discord",
        "DISCORD",
        "webhook.office",
        "logic.azure",
        "mysql",
        "MYSQL",
        "mariadb",
        "redis-cli",
        "sshpass",
        "glpat-",
        "pwd",
        "PWD",
        "Pwd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for w in [
        "authorization",
        "bearer",
        "key",
        "token",
        "secret",
        "passw",
        "private-",
        "signature",
    ] {
        let title = format!("{}{}", w[..1].to_ascii_uppercase(), &w[1..]);
        pats.extend([w.to_string(), title, w.to_ascii_uppercase()]);
    }
    pats.push("PassW".into());
    pats
}

/// As [`redact`], borrowing when there is nothing to hide.
pub fn redact_cow(s: &str) -> Cow<'_, str> {
    // A secret spelled with escapes (`x\u006fxb-…`, `token%3Dxoxb-…`, or
    // right after a JSON `\n`) is one once they are read: redacted so, and
    // shown with them read.
    // What the text as written shows is redacted as written; only a secret
    // the escapes hid changes how the text is shown.
    let raw = redact_plain(s);
    if memchr::memchr2(b'\\', b'%', raw.as_bytes()).is_some() {
        let read = read_escapes(&raw);
        if read != *raw {
            let red = redact_plain(&read);
            if red != read {
                return Cow::Owned(red.into_owned());
            }
        }
    }
    raw
}

/// `s` with the escapes a secret may hide behind read: JSON `\uXXXX` and
/// URL `%XX` of printable ASCII characters, `\"` and `\/`, and `\n`, `\r`,
/// `\t` as a space (so what follows starts a word). Everything else is kept
/// as written.
fn read_escapes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    let mut i = 0;
    let hex = |h: &[u8]| {
        std::str::from_utf8(h)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
            .filter(|c| (' '..='~').contains(c))
    };
    while i < b.len() {
        let (read, used) = match (b[i], b.get(i + 1)) {
            (b'\\', Some(b'u')) => match b.get(i + 2..i + 6).and_then(hex) {
                Some(c) => (Some(c), 6),
                None => (None, 1),
            },
            (b'\\', Some(b'n' | b'r' | b't')) => (Some(' '), 2),
            (b'\\', Some(&c @ (b'"' | b'/'))) => (Some(char::from(c)), 2),
            (b'%', _) => match b.get(i + 1..i + 3).and_then(hex) {
                Some(c) => (Some(c), 3),
                None => (None, 1),
            },
            _ => (None, 1),
        };
        if let Some(c) = read {
            out.push_str(&s[from..i]);
            out.push(c);
            from = i + used;
        }
        i += used;
    }
    out.push_str(&s[from..]);
    out
}

/// `s` lowered for [`Rule::may_match`]: ASCII letters, and the two
/// characters a case-insensitive pattern takes for ASCII letters (the
/// Kelvin sign for `k`, the long s for `s`; a test asks the regex engine
/// of every character).
fn lowered(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .map(|c| match c {
            '\u{212A}' => 'k',
            '\u{17F}' => 's',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn redact_plain(s: &str) -> Cow<'_, str> {
    if !TRIGGERS.any(s) {
        return Cow::Borrowed(s);
    }
    let mut out: Cow<'_, str> = Cow::Borrowed(s);
    let mut lower = lowered(&out);
    for rule in RULES.iter() {
        if !rule.may_match(&lower) {
            continue;
        }
        let re = rule.regex();
        if re.is_match(&out) {
            let replaced = re.replace_all(&out, rule.with).into_owned();
            out = Cow::Owned(replaced);
            lower = lowered(&out);
        }
    }
    // A rule's own mark must not be taken for a secret by a later rule.
    if out.contains("[REDACTED][REDACTED]") {
        out = Cow::Owned(out.replace("[REDACTED][REDACTED]", MARK));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let cases = [
            // Options with a space, `key = value`, `KEY_TOKEN: value`.
            (
                "gh auth login --with-token abcLEAK01",
                "gh auth login --with-token [REDACTED]",
            ),
            (
                "/opt/x.sh --api-key abcLEAK02 -v",
                "/opt/x.sh --api-key [REDACTED] -v",
            ),
            (
                "/opt/x.sh --secret abcLEAK03",
                "/opt/x.sh --secret [REDACTED]",
            ),
            (
                "/opt/x.sh --token-file /etc/t",
                "/opt/x.sh --token-file /etc/t",
            ),
            (
                "docker run -e MYSQL_PWD=abcLEAK04 db",
                "docker run -e MYSQL_PWD=[REDACTED] db",
            ),
            (
                "aws_secret_access_key = abcLEAK05",
                "aws_secret_access_key = [REDACTED]",
            ),
            ("SLACK_BOT_TOKEN: abcLEAK06", "SLACK_BOT_TOKEN: [REDACTED]"),
            // Right after a JSON escape, glued to `_`, URL-encoded.
            (
                r#"{"msg":"config dump:\nxoxb-1234-5678-abcLEAK07"}"#,
                r#"{"msg":"config dump:\n[REDACTED]"}"#,
            ),
            (
                r#"{"msg":"key:\tsk-abcdefghijklmnopLEAK08"}"#,
                r#"{"msg":"key: [REDACTED]"}"#,
            ),
            (
                "/etc/slack_xoxb-1234-5678-abcLEAK09",
                "/etc/slack_[REDACTED]",
            ),
            (
                "OPENAI_KEY_sk-abcdefghijklmnopLEAK10",
                "OPENAI_KEY_[REDACTED]",
            ),
            (
                "?u=x%26token%3Dxoxb-1234-abcLEAK11",
                "?u=x%26token%3D[REDACTED]",
            ),
            ("?u=x%26token%3DabcdLEAK14", "?u=x&token=[REDACTED]"),
            (
                "2026-12-03Txoxb-1234-5678-abcLEAK12",
                "2026-12-03T[REDACTED]",
            ),
            (
                "http POST https://x Authorization:Bearer\\ eyJabcLEAK13",
                "http POST https://x Authorization:[REDACTED]",
            ),
            (
                "disk-usage-report-for-all-hosts",
                "disk-usage-report-for-all-hosts",
            ),
            // Passwords as tool arguments (a QA pass found each in a CMD).
            (
                "mysql -pS3cretA1 appdb < /opt/cleanup.sql",
                "mysql -p[REDACTED] appdb < /opt/cleanup.sql",
            ),
            (
                "mysqldump -uroot -pS3cretA2 appdb | gzip > /b/db.gz",
                "mysqldump -uroot -p[REDACTED] appdb | gzip > /b/db.gz",
            ),
            (
                "/usr/bin/mysql -h db -P 3306 -uapp -p'S3 cret' app",
                "/usr/bin/mysql -h db -P 3306 -uapp -p[REDACTED] app",
            ),
            (
                "/opt/z.sh --password S3cretA4",
                "/opt/z.sh --password [REDACTED]",
            ),
            ("redis-cli -a S3cretA5 ping", "redis-cli -a [REDACTED] ping"),
            (
                "sshpass -p S3cretA6 rsync -a /d host:/d",
                "sshpass -p [REDACTED] rsync -a /d host:/d",
            ),
            (
                "lftp -u backup,S3cretA8 ftp.example",
                "lftp -u backup,[REDACTED] ftp.example",
            ),
            // A quoted value whole.
            (
                "PASSWORD='S3cret Tail24' /opt/q.sh",
                "PASSWORD='[REDACTED]' /opt/q.sh",
            ),
            (
                r#"PGPASSWORD="S3cret Tail25" pg_dump app"#,
                r#"PGPASSWORD="[REDACTED]" pg_dump app"#,
            ),
            (
                r#"{"password": "two words", "user": "bob"}"#,
                r#"{"password": "[REDACTED]", "user": "bob"}"#,
            ),
            // URL-encoded and JSON-\u-escaped.
            (
                "url=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0%2FB0%2FS3cretEnc2 x",
                "url=[REDACTED] x",
            ),
            (
                r#"{"detail":"x\u006fxb-1234567890-S3cretK9","ok":false}"#,
                r#"{"detail":"[REDACTED]","ok":false}"#,
            ),
            ("glpat-AbCdEfGhIjKlMnOpQrSt12 in use", "[REDACTED] in use"),
            (
                "token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx here",
                "token [REDACTED] here",
            ),
            (
                "xoxp-1-2-3-abc xoxa-2-x xoxs-abc xoxe.xoxp-1-x xoxe-1-abc xapp-1-A0-123-abc",
                "[REDACTED] [REDACTED] [REDACTED] xoxe.[REDACTED] [REDACTED] [REDACTED]",
            ),
            (
                "curl -X POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX -d @x",
                "curl -X POST [REDACTED] -d @x",
            ),
            (
                r#"{"url":"https:\/\/hooks.slack.com\/services\/T0AAAAAAA\/B0BBBBBBB\/SECRETwebhookPART1234","ok":true}"#,
                r#"{"url":"[REDACTED]","ok":true}"#,
            ),
            (
                "posting to hooks.slack.com/services/T0/B0/SECRETxyz failed",
                "posting to [REDACTED] failed",
            ),
            (
                r#"{"dsn":"postgres:\/\/backup:hunter2@db\/app"}"#,
                r#"{"dsn":"postgres:\/\/backup:[REDACTED]@db\/app"}"#,
            ),
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY region=eu",
                "aws_secret_access_key=[REDACTED] region=eu",
            ),
            (
                "AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_SECRET_ACCESS_KEY: [REDACTED]",
            ),
            ("db password: hunter22", "db password: [REDACTED]"),
            (
                "curl -u admin:s3cretpass https://internal/api",
                "curl -u admin:[REDACTED] https://internal/api",
            ),
            (
                "curl --user=deploy:s3cretpass https://internal/api",
                "curl --user=deploy:[REDACTED] https://internal/api",
            ),
            (
                "sudo -u deploy /srv/app/bin/warm-cache",
                "sudo -u deploy /srv/app/bin/warm-cache",
            ),
            (
                "git clone with ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "git clone with [REDACTED]",
            ),
            (
                "GOOGLE_API_KEY AIzaSyA1234567890abcdefghijklmnopqrstuv used",
                "GOOGLE_API_KEY [REDACTED] used",
            ),
            (
                "stripe sk_live_abcdefghij1234567890 charge",
                "stripe [REDACTED] charge",
            ),
            (
                "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
                "jwt [REDACTED]",
            ),
            (
                "POST https://discord.com/api/webhooks/123456/abcDEF-secret failed",
                "POST [REDACTED] failed",
            ),
            (
                "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA",
                "-----BEGIN PRIVATE KEY----- [REDACTED]",
            ),
            (
                "curl -H 'Authorization: Bearer abc.def.ghi' https://api",
                "curl -H 'Authorization: [REDACTED]' https://api",
            ),
            (
                "requests with bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
                "requests with bearer [REDACTED]",
            ),
            (
                "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwx python3 x.py",
                "OPENAI_API_KEY=[REDACTED] python3 x.py",
            ),
            (
                "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
                "key [REDACTED]",
            ),
            ("aws AKIAIOSFODNN7EXAMPLE used", "aws [REDACTED] used"),
            (
                "pg_dump postgres://backup:hunter2@db:5432/app",
                "pg_dump postgres://backup:[REDACTED]@db:5432/app",
            ),
            (
                "{\"password\": \"hunter22\"}",
                "{\"password\": \"[REDACTED]\"}",
            ),
            (
                "nothing secret: token_revoked",
                "nothing secret: token_revoked",
            ),
            (
                "curl -H 'X-Api-Key: abcdef123' https://x",
                "curl -H 'X-Api-Key: [REDACTED]' https://x",
            ),
            (
                "SLACK_BOT_TOKEN=abcdefgh ./notify",
                "SLACK_BOT_TOKEN=[REDACTED] ./notify",
            ),
            (
                "{'ok': False, 'error': 'invalid_token'}",
                "{'ok': False, 'error': 'invalid_token'}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    /// Every rule's secrets contain a trigger literal (else the prefilter
    /// would let them through).
    #[test]
    fn triggers_cover_every_rule() {
        for s in [
            "https://hooks.slack.com/services/T0/B0/X",
            r"https:\/\/hooks.slack.com\/services\/T0\/B0\/X",
            "HOOKS.SLACK.COM/services/T0/B0/X",
            r"mysql:\/\/u:p@h\/db",
            "xoxb-1-2-abc",
            "xapp-1-A-1-abc",
            "Authorization: Basic dXNlcjpwYXNz",
            "bearer abcdefghijkl",
            "sk-abcdefghijklmnopqr",
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAIOSFODNN7EXAMPLE",
            "postgres://u:p@h/db",
            "api_key=abcd1234",
            "\"client_secret\": \"abcd1234\"",
            "X-Api-Key: abcd1234",
            "PRIVATE-TOKEN: abcd1234",
            "apiKey=abcd1234",
            "API_KEY=abcd1234",
            "userPassWord=abcd1234",
            "X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "x-slack-signature: v0=abcd1234",
            "aws_secret_access_key=abcd1234",
            "curl -u a:b1234 x",
            "ghp_abcdefghijklmnopqrstuvwxyz",
            "AIzaSyA1234567890abcdefghijklmnopqrstuv",
            "sk_test_abcdefghij1234",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3.dozjgNryP4J3jVmNHl0w",
            "https://discord.com/api/webhooks/1/x",
            "-----BEGIN RSA PRIVATE KEY----- MIIE",
            "MYSQL -pabc db",
            "mariadb-dump -pabc db",
            "redis-cli -h r -a abc",
            "sshpass -pabc ssh h",
            "lftp -u u,abc h",
            "glpat-abcdefghijklmnopqrst",
            "https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0%2FB0%2FX",
            r"x\u006fxb-1-2-abc",
        ] {
            assert_ne!(redact(s), s, "{s}");
        }
    }

    /// What looks like the password forms but is not one stays.
    #[test]
    fn lookalikes_stay() {
        for s in [
            "mkdir -p /var/backups && ssh -p 2222 host",
            "mysql -h db -P 3306 -u app appdb",
            "rsync -u -a /src /dst",
            "sort -u list.txt",
            r#"{"msg":"caf\u00e9 done"}"#,
        ] {
            assert_eq!(redact(s), s, "{s}");
        }
    }

    #[test]
    fn json_escapes_of_other_characters_are_kept() {
        // Only printable ASCII escapes are read, and only when that shows a
        // secret; the rest of the line stays as written.
        assert_eq!(
            redact(r#"{"a":"\u00e9","t":"x\u006fxb-1-2-abc"}"#),
            r#"{"a":"\u00e9","t":"[REDACTED]"}"#
        );
    }

    #[test]
    fn idempotent() {
        for s in [
            "Authorization: Bearer abcdefghijkl",
            "https://u:p@h/ xoxb-1-2 sk-abcdefghijklmnopqrstu",
            "password=[REDACTED]",
            "PASSWORD='two words' mysql -p'x y' db",
            r#"{"password": "a b"}"#,
        ] {
            let once = redact(s);
            assert_eq!(redact(&once), once, "{s}");
        }
    }

    /// A rule is passed over only when its pattern cannot match: every text
    /// of these tests, in several casings, and texts pieced together from
    /// the patterns' own words, where a rule matches, holds its literals.
    #[test]
    fn rules_skipped_only_where_they_cannot_match() {
        let src = include_str!("redact.rs");
        // Every string literal of this file: the tests' texts and more.
        let mut texts: Vec<String> = src
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|t| t.replace("\\\\", "\\"))
            .collect();
        let fragments = [
            "https://",
            "http:\\/\\/",
            "hooks.slack.com/services/",
            "xoxb-",
            "xapp-",
            "Authorization: ",
            "Bearer ",
            "bearer\\ ",
            "sk-",
            "sk_live_",
            "rk_test_",
            "ghp_",
            "github_pat_",
            "AIza",
            "eyJ",
            "discord.com/api/webhooks",
            "webhook.office.com",
            "x.logic.azure.com",
            "-----BEGIN RSA PRIVATE KEY-----",
            " -u ",
            " --user=",
            " --http-password ",
            "AKIA",
            "ASIA",
            "user:",
            "pass@",
            "@",
            "api_key",
            "API-KEY",
            "Access_Token",
            "auth-token",
            "client_secret",
            "SECRET_KEY",
            "password",
            "PassWd",
            "pwd",
            "token",
            "secret",
            "=",
            "='",
            ":",
            "\\\"",
            "\\'",
            " ",
            "\\t",
            ",",
            "mysql",
            "MariaDB-dump",
            " -p",
            "redis-cli",
            " -a ",
            "sshpass",
            "glpat-",
            "x-api-key",
            "private-token",
            "X-Slack-Signature",
            "-",
            "ABCDEFGHIJKLMNOP0123456789abcdefghijklmnop",
            "abcd1234",
            "/",
            "\\",
            "%2F",
            "%3A",
            "\"",
            "\": \"",
            "'",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..30_000 {
            let mut t = String::new();
            for _ in 0..1 + x % 7 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(fragments[(x % fragments.len() as u64) as usize]);
            }
            texts.push(t);
        }
        let n = texts.len();
        for i in 0..n {
            let t = texts[i].clone();
            texts.push(t.to_uppercase());
            texts.push(t.to_lowercase());
            texts.push(
                t.chars()
                    .enumerate()
                    .map(|(k, c)| {
                        if k % 2 == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect(),
            );
        }
        let mut matched = vec![0; RULES.len()];
        for t in &texts {
            let lower = lowered(t);
            for (k, rule) in RULES.iter().enumerate() {
                if rule.regex().is_match(t) {
                    matched[k] += 1;
                    assert!(rule.may_match(&lower), "rule {k} on {t:?}");
                }
            }
        }
        // Each rule was put to the test.
        for (k, m) in matched.iter().enumerate() {
            assert!(*m > 0, "rule {k} matched nothing");
        }
        // A Kelvin sign is a `k` to a case-insensitive pattern.
        let kelvin = "api_\u{212A}ey=abcdefgh";
        assert!(RULES[23].regex().is_match(kelvin));
        assert!(RULES[23].may_match(&lowered(kelvin)));
    }

    /// `lowered` knows every character beyond ASCII that a case-insensitive
    /// pattern takes for one of the rules' literal characters.
    #[test]
    fn lowered_knows_every_case_fold_into_ascii() {
        let beyond: String = ('\u{80}'..=char::MAX).collect();
        let mut chars: Vec<char> = RULES
            .iter()
            .flat_map(|r| r.needs.iter().flat_map(|any| any.iter()))
            .flat_map(|lit| lit.chars())
            .collect();
        chars.sort_unstable();
        chars.dedup();
        let mut found = 0;
        for c in chars {
            assert!(c.is_ascii() && !c.is_ascii_uppercase(), "{c:?}");
            let re = Regex::new(&format!("(?i){}", regex::escape(&c.to_string()))).unwrap();
            for m in re.find_iter(&beyond) {
                found += 1;
                assert_eq!(lowered(m.as_str()), c.to_string(), "{:?}", m.as_str());
            }
        }
        assert_eq!(found, 2, "the Kelvin sign and the long s");
    }

    /// What `is_clean` promises for a run's id: no trigger can span the
    /// `@` between clean parts or reach into the stamp after them.
    #[test]
    fn no_trigger_spans_an_id() {
        for t in trigger_literals() {
            assert!(!t.contains('@'), "{t}");
            assert!(!t.chars().all(|c| "0123456789-+:.TZ".contains(c)), "{t}");
        }
        for s in [
            "backup",
            "web-01",
            "-",
            "cron.hourly",
            "2026-12-03T03:00:01.5Z",
        ] {
            assert!(is_clean(s), "{s}");
        }
        for s in ["rotate-keys", "x%41", "a\\u0041", "xoxb-1"] {
            assert!(!is_clean(s), "{s}");
        }
    }
}
