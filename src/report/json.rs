//! A run's JSON, written directly: the same bytes serde_json writes for a
//! [`RunReport`] (pretty at a depth, or compact for NDJSON), several times
//! faster. A report of a fleet's day holds a hundred thousand runs, and
//! serde's field-by-field dispatch and byte-by-byte string escaping were a
//! third of the time spent rendering them. The tests hold both writers to
//! the same bytes on hostile text.

use super::{EvidenceLine, RunReport};

/// Where the next value goes: `Some(level)` pretty (two spaces a level),
/// `None` compact.
#[derive(Clone, Copy)]
struct Style(Option<usize>);

impl Style {
    fn inner(self) -> Style {
        Style(self.0.map(|l| l + 1))
    }

    fn newline(self, out: &mut Vec<u8>) {
        if let Some(level) = self.0 {
            out.push(b'\n');
            out.resize(out.len() + 2 * level, b' ');
        }
    }
}

/// An object or array being written: commas, newlines and indentation as
/// serde_json's pretty and compact formatters put them.
struct Open<'o> {
    out: &'o mut Vec<u8>,
    style: Style,
    empty: bool,
    close: u8,
}

impl<'o> Open<'o> {
    fn object(out: &'o mut Vec<u8>, style: Style) -> Open<'o> {
        out.push(b'{');
        Open {
            out,
            style,
            empty: true,
            close: b'}',
        }
    }

    fn array(out: &'o mut Vec<u8>, style: Style) -> Open<'o> {
        out.push(b'[');
        Open {
            out,
            style,
            empty: true,
            close: b']',
        }
    }

    /// Start an array item; returns where to write it.
    fn item(&mut self) -> &mut Vec<u8> {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.style.inner().newline(self.out);
        self.out
    }

    /// Start an object member; returns where to write its value.
    fn key(&mut self, k: &str) -> &mut Vec<u8> {
        let pretty = self.style.0.is_some();
        let out = self.item();
        string(out, k);
        out.extend_from_slice(if pretty { b": " } else { b":" });
        out
    }

    fn str(&mut self, k: &str, v: &str) {
        string(self.key(k), v);
    }

    fn opt_str(&mut self, k: &str, v: Option<&str>) {
        match v {
            Some(v) => self.str(k, v),
            None => self.key(k).extend_from_slice(b"null"),
        }
    }

    fn num(&mut self, k: &str, v: impl std::fmt::Display) {
        use std::io::Write;
        let _ = write!(self.key(k), "{v}");
    }

    fn opt_num(&mut self, k: &str, v: Option<impl std::fmt::Display>) {
        match v {
            Some(v) => self.num(k, v),
            None => self.key(k).extend_from_slice(b"null"),
        }
    }

    fn end(self) {
        if !self.empty {
            self.style.newline(self.out);
        }
        self.out.push(self.close);
    }
}

/// `s` as a JSON string, escaped as serde_json escapes: `"` and `\`, the
/// short forms `\b \f \n \r \t`, other controls as `\u00xx`; the rest as is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    // Nearly every string needs no escape: tell so in one pass the compiler
    // vectorises, and copy it whole.
    let plain = !b.iter().fold(false, |any, &c| {
        any | (c < 0x20) | (c == b'"') | (c == b'\\')
    });
    if plain {
        out.extend_from_slice(b);
    } else {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut from = 0;
        for (i, &c) in b.iter().enumerate() {
            let short: &[u8] = match c {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                0x0c => b"\\f",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0..=0x1f => &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 0xf)],
                ],
                _ => continue,
            };
            out.extend_from_slice(&b[from..i]);
            out.extend_from_slice(short);
            from = i + 1;
        }
        out.extend_from_slice(&b[from..]);
    }
    out.push(b'"');
}

fn evidence(out: &mut Vec<u8>, e: &EvidenceLine, style: Style) {
    let mut o = Open::object(out, style);
    o.str("path", &e.path);
    o.num("line", e.line);
    o.str("text", &e.text);
    o.end();
}

/// Write `r` as serde_json does: pretty as if `level`s deep in a pretty
/// document, or compact (`None`).
pub fn run(r: &RunReport, level: Option<usize>, out: &mut Vec<u8>) {
    let style = Style(level);
    let mut o = Open::object(out, style);
    o.str("id", &r.id);
    o.str("job", &r.job);
    o.opt_str("host", r.host.as_deref());
    o.opt_str("user", r.user.as_deref());
    o.opt_str("command", r.command.as_deref());
    o.str("scheduler", &r.scheduler);
    o.str("started_at", &r.started_at);
    o.opt_str("ended_at", r.ended_at.as_deref());
    {
        // serde_json writes floats with ryu, and non-finite ones as null.
        let out = o.key("duration_s");
        match r.duration_s {
            Some(d) => serde_json::to_writer(&mut *out, &d).expect("a float serializes"),
            None => out.extend_from_slice(b"null"),
        }
    }
    o.str("category", &r.category);
    {
        let inner = style.inner();
        let mut a = Open::array(o.key("categories"), inner);
        for c in &r.categories {
            string(a.item(), c);
        }
        a.end();
    }
    {
        let mut x = Open::object(o.key("execution"), style.inner());
        x.str("status", &r.execution.status);
        x.opt_num("exit_code", r.execution.exit_code);
        x.str("reason", &r.execution.reason);
        x.end();
    }
    {
        let d = &r.delivery;
        let mut x = Open::object(o.key("delivery"), style.inner());
        x.str("status", &d.status);
        x.num("attempts", d.attempts);
        x.opt_str("target", d.target.as_deref());
        x.opt_str("expected_target", d.expected_target.as_deref());
        x.opt_str("error", d.error.as_deref());
        x.str("reason", &d.reason);
        x.end();
    }
    match &r.billing {
        Some(b) => {
            let mut x = Open::object(o.key("billing"), style.inner());
            x.str("layer", &b.layer);
            x.str("marker", &b.marker);
            x.str("reason", &b.reason);
            x.end();
        }
        None => o.key("billing").extend_from_slice(b"null"),
    }
    o.str("reason", &r.reason);
    {
        let inner = style.inner();
        let mut a = Open::array(o.key("evidence"), inner);
        for e in &r.evidence {
            evidence(a.item(), e, inner.inner());
        }
        a.end();
    }
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{BillingReport, DeliveryReport, ExecutionReport};

    fn sample(text: &str, duration_s: Option<f64>, billing: bool) -> RunReport {
        RunReport {
            id: format!("job@host@2026-12-03T04:00:00Z{text}"),
            job: text.to_string(),
            host: Some("web-01".into()),
            user: None,
            command: Some(format!("/bin/sh -c '{text}'")),
            scheduler: "cron".into(),
            started_at: "2026-12-03T04:00:00Z".into(),
            ended_at: None,
            duration_s,
            category: "ok".into(),
            categories: if billing {
                vec![]
            } else {
                vec!["ok".into(), text.into()]
            },
            execution: ExecutionReport {
                status: "ok".into(),
                exit_code: if billing { Some(-3) } else { None },
                reason: text.into(),
            },
            delivery: DeliveryReport {
                status: "not-required".into(),
                attempts: 3,
                target: Some(text.into()),
                expected_target: None,
                error: None,
                reason: "none expected".into(),
            },
            billing: billing.then(|| BillingReport {
                layer: "execution".into(),
                marker: text.into(),
                reason: "billing inactive".into(),
            }),
            reason: text.into(),
            evidence: if billing {
                vec![]
            } else {
                vec![
                    EvidenceLine {
                        path: "/var/log/syslog".into(),
                        line: 1,
                        text: text.into(),
                    },
                    EvidenceLine {
                        path: text.into(),
                        line: u64::MAX,
                        text: String::new(),
                    },
                ]
            },
            started: None,
        }
    }

    #[test]
    fn the_same_bytes_as_serde_json() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let texts = [
            "plain text".to_string(),
            String::new(),
            every_control,
            r#"{"ok":false,"error":"is_archived","path":"C:\\tmp\\x"}"#.to_string(),
            "tab\there, del \u{7f}, é, 日本, 🦀, \u{2028} line sep".to_string(),
            "\"\\\"\\\\".to_string(),
        ];
        for text in &texts {
            for (duration, billing) in [
                (None, false),
                (Some(58.0), true),
                (Some(0.1 + 0.2), false),
                (Some(1e21), false),
                (Some(-0.0), true),
                (Some(f64::NAN), false),
            ] {
                let r = sample(text, duration, billing);
                for level in [0, 2, 5] {
                    let mut ours = Vec::new();
                    run(&r, Some(level), &mut ours);
                    let mut theirs = Vec::new();
                    super::super::nested_json(&r, level, &mut theirs).unwrap();
                    assert_eq!(
                        String::from_utf8_lossy(&ours),
                        String::from_utf8_lossy(&theirs),
                        "{text:?} {duration:?} at level {level}"
                    );
                }
                let mut ours = Vec::new();
                run(&r, None, &mut ours);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    serde_json::to_string(&r).unwrap(),
                    "{text:?} {duration:?} compact"
                );
            }
        }
    }
}
