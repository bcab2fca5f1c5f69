//! CSV: one row per run, a fixed header, RFC 4180 quoting (the `csv` crate).

use super::Report;

pub const HEADER: [&str; 21] = [
    "id",
    "job",
    "host",
    "user",
    "scheduler",
    "started_at",
    "ended_at",
    "duration_s",
    "category",
    "categories",
    "execution_status",
    "exit_code",
    "execution_reason",
    "delivery_status",
    "attempts",
    "target",
    "expected_target",
    "delivery_error",
    "billing",
    "reason",
    "command",
];

pub fn render(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("write to memory");
    for x in &r.runs {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        w.write_record([
            x.id.clone(),
            x.job.clone(),
            opt(&x.host),
            opt(&x.user),
            x.scheduler.clone(),
            x.started_at.clone(),
            opt(&x.ended_at),
            x.duration_s.map(|d| d.to_string()).unwrap_or_default(),
            x.category.clone(),
            x.categories.join(" "),
            x.execution.status.clone(),
            x.execution
                .exit_code
                .map(|c| c.to_string())
                .unwrap_or_default(),
            x.execution.reason.clone(),
            x.delivery.status.clone(),
            x.delivery.attempts.to_string(),
            opt(&x.delivery.target),
            opt(&x.delivery.expected_target),
            opt(&x.delivery.error),
            x.billing
                .as_ref()
                .map(|b| b.marker.clone())
                .unwrap_or_default(),
            x.reason.clone(),
            opt(&x.command),
        ])
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory"))
        .expect("CSV of UTF-8 fields is UTF-8")
}
