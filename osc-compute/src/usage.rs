//! `usage list|show` (os-simple-tenant-usage).

use crate::common::{self, mv};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Error, Output, Record, Result, Session, Table};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A `YYYY-MM-DD` option as seconds since the epoch, with OSC's error for bad input.
fn parse_date(v: &str, flag: &str) -> Result<i64> {
    let parts: Vec<&str> = v.split('-').collect();
    let nums: Option<Vec<i64>> = parts.iter().map(|p| p.parse::<i64>().ok()).collect();
    match nums.as_deref() {
        Some([y, m, d]) if parts[0].len() == 4 && (1..=12).contains(m) && (1..=31).contains(d) => {
            Ok(days_from_civil(*y, *m, *d) * 86400)
        }
        _ => Err(Error::usage(format!(
            "{flag}: time data '{v}' does not match format '%Y-%m-%d'"
        ))),
    }
}

fn iso(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86400));
    let t = secs.rem_euclid(86400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

fn ymd(secs: i64) -> String {
    iso(secs)[..10].to_string()
}

/// The range: given dates, or four weeks ago until tomorrow.
fn range(start: &Option<String>, end: &Option<String>) -> Result<(i64, i64)> {
    let now = osc_core::time::now();
    let s = match start {
        Some(v) => parse_date(v, "--start")?,
        None => now - 28 * 86400,
    };
    let e = match end {
        Some(v) => parse_date(v, "--end")?,
        None => now + 86400,
    };
    Ok((s, e))
}

/// True when the output is a table (OSC prints a "Usage from" line only then).
fn table_format(ctx: &Context) -> bool {
    ctx.format.format == osc_core::output::Format::Table
}

fn float2(v: &Value) -> Value {
    v.as_f64()
        .map(|f| json!(format!("{f:.2}")))
        .unwrap_or(Value::Null)
}

const HEADERS: [&str; 5] = [
    "Project",
    "Servers",
    "RAM MB-Hours",
    "CPU Hours",
    "Disk GB-Hours",
];

/// The cells of one usage: OSC's ProjectColumn (name for humans), CountColumn (number of
/// servers) and FloatColumn (two decimals); machines get the values.
fn cells(u: &Value, projects: &HashMap<String, String>) -> Vec<Cell> {
    let pid = common::py_str(&u["tenant_id"]);
    let servers = server_usages(u);
    let count = servers
        .as_array()
        .map(|a| a.len().to_string())
        .unwrap_or_default();
    let float = |k: &str| {
        let v = u.get(k).cloned().unwrap_or(Value::Null);
        let human = common::py_str(&float2(&v));
        Cell::custom(v, human)
    };
    vec![
        Cell::custom(
            u["tenant_id"].clone(),
            projects.get(&pid).cloned().unwrap_or(pid),
        ),
        Cell::custom(servers, count),
        float("total_memory_mb_usage"),
        float("total_vcpus_usage"),
        float("total_local_gb_usage"),
    ]
}

/// The server usages as openstacksdk's ServerUsage.to_dict().
fn server_usages(u: &Value) -> Value {
    let Some(list) = u.get("server_usages").and_then(Value::as_array) else {
        return Value::Null;
    };
    let items = list
        .iter()
        .map(|su| {
            let get = |k: &str| su.get(k).cloned().unwrap_or(Value::Null);
            json!({
                "hours": get("hours"), "flavor": get("flavor"), "instance_id": get("instance_id"),
                "name": get("name"), "project_id": get("tenant_id"), "memory_mb": get("memory_mb"), "local_gb": get("local_gb"),
                "vcpus": get("vcpus"), "started_at": get("started_at"), "ended_at": get("ended_at"),
                "state": get("state"), "uptime": get("uptime"), "id": null, "location": null,
            })
        })
        .collect();
    Value::Array(items)
}

/// Every usage in the range, following Nova's server-usage pagination (2.40+).
fn usages(
    s: &Session,
    path: &str,
    key: &str,
    start: i64,
    end: i64,
    detailed: bool,
) -> Result<Vec<Value>> {
    let mut q = vec![
        ("start".to_string(), iso(start)),
        ("end".to_string(), iso(end)),
    ];
    if detailed {
        q.push(("detailed".into(), "1".into()));
    }
    let mut merged: Vec<Value> = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut page_q = q.clone();
        if let Some(m) = &marker {
            page_q.push(("marker".into(), m.clone()));
        }
        let body = common::get_query(s, path, &page_q, mv::USAGE)?;
        let page: Vec<Value> = match body.get(key) {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Object(_)) => vec![body[key].clone()],
            _ => Vec::new(),
        };
        let next = page
            .last()
            .and_then(|u| u["server_usages"].as_array())
            .and_then(|su| su.last())
            .and_then(|su| su["instance_id"].as_str())
            .map(str::to_string);
        let empty = page
            .iter()
            .all(|u| u["server_usages"].as_array().is_none_or(Vec::is_empty));
        for u in page {
            match merged.iter_mut().find(|m| m["tenant_id"] == u["tenant_id"]) {
                Some(m) => merge(m, &u),
                None => merged.push(u),
            }
        }
        match next {
            Some(n)
                if !empty
                    && common::supports(s, "2.40")?
                    && marker.as_deref() != Some(n.as_str()) =>
            {
                marker = Some(n)
            }
            _ => break,
        }
    }
    Ok(merged)
}

fn merge(into: &mut Value, next: &Value) {
    if let (Some(a), Some(b)) = (
        into["server_usages"].as_array_mut(),
        next["server_usages"].as_array(),
    ) {
        a.extend(b.iter().cloned());
    }
    for k in [
        "total_hours",
        "total_memory_mb_usage",
        "total_vcpus_usage",
        "total_local_gb_usage",
    ] {
        let sum = into[k].as_f64().unwrap_or(0.0) + next[k].as_f64().unwrap_or(0.0);
        into[k] = json!(sum);
    }
}

/// List resource usage per project
#[derive(clap::Args)]
pub struct ListUsage {
    /// Usage range start date, ex 2012-01-20 (default: 4 weeks ago)
    #[arg(long, value_name = "start")]
    start: Option<String>,
    /// Usage range end date, ex 2012-01-20 (default: tomorrow)
    #[arg(long, value_name = "end")]
    end: Option<String>,
}

impl Command for ListUsage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (start, end) = range(&self.start, &self.end)?;
        let s = ctx.session()?;
        let data = usages(
            s,
            "/os-simple-tenant-usage",
            "tenant_usages",
            start,
            end,
            true,
        )?;
        let mut projects = HashMap::new();
        if let Ok(list) = osc_core::resource::list_all(s, "identity", "/projects", "projects", &[])
        {
            for p in list {
                projects.insert(common::py_str(&p["id"]), common::py_str(&p["name"]));
            }
        }
        if table_format(ctx) && !data.is_empty() {
            println!("Usage from {} to {}: ", ymd(start), ymd(end));
        }
        let mut t = Table::new(HEADERS);
        for u in &data {
            t.rows.push(cells(u, &projects));
        }
        Ok(Output::List(t))
    }
}

/// Show resource usage for a single project
#[derive(clap::Args)]
pub struct ShowUsage {
    /// Name or ID of project to show usage for
    #[arg(long, value_name = "project")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "project-domain")]
    project_domain: Option<String>,
    /// Usage range start date, ex 2012-01-20 (default: 4 weeks ago)
    #[arg(long, value_name = "start")]
    start: Option<String>,
    /// Usage range end date, ex 2012-01-20 (default: tomorrow)
    #[arg(long, value_name = "end")]
    end: Option<String>,
}

impl Command for ShowUsage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let (start, end) = range(&self.start, &self.end)?;
        let s = ctx.session()?;
        let project = match &self.project {
            Some(p) => common::find_project_id(s, p, self.project_domain.as_deref())?,
            None => s.auth()?.project_id.clone().ok_or_else(|| {
                Error::cmd("No project in the current authentication; pass --project")
            })?,
        };
        let data = usages(
            s,
            &format!("/os-simple-tenant-usage/{}", encode_segment(&project)),
            "tenant_usage",
            start,
            end,
            false,
        )?;
        let u = data.into_iter().next().unwrap_or_else(|| json!({}));
        if table_format(ctx) {
            println!(
                "Usage from {} to {} on project {project}: ",
                ymd(start),
                ymd(end)
            );
        }
        let row = cells(&u, &HashMap::new());
        let mut r = Record::new();
        for (h, c) in HEADERS.iter().zip(row) {
            r.push(*h, c);
        }
        Ok(Output::Show(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let t = parse_date("2012-01-20", "--start").unwrap();
        assert_eq!(iso(t), "2012-01-20T00:00:00");
        assert_eq!(ymd(t + 86400 * 12), "2012-02-01");
        assert!(parse_date("20-1-2012", "--start").is_err());
        assert!(parse_date("tomorrow", "--end").is_err());
    }
}
