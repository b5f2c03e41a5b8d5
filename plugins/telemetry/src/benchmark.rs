//! `metric benchmark …`: gnocchiclient's `benchmark.py`, made honest for osc. gnocchiclient
//! runs the requests in a pool of processes (`--workers`, the number of CPUs by default);
//! a plugin's requests go through the host's HTTP callbacks, which are not for threads, so
//! osc runs them one at a time: there is one worker, `--workers` other than 1 is refused
//! rather than ignored, and every figure is measured on these requests (the latencies as
//! seen by the plugin, the runtime by a monotonic clock). The statistics are the client's:
//! same names, order and rounding.

use crate::gnocchi::{call, call_req, metric_path};
use crate::util::parse_date;
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Result, Value};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command.strip_prefix("metric benchmark ")? {
        "metric create" => metric_create(host, args),
        "metric show" => metric_show(host, args),
        "measures add" => measures_add(host, args),
        "measures show" => measures_show(host, args),
        _ => return None,
    })
}

/// `_positive_non_zero_int`, with argparse's wording of its refusal.
fn positive(args: &Args, name: &str, option: &str) -> Result<Option<u64>> {
    let Some(v) = args.value(name).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let n: i64 = text
        .trim()
        .parse()
        .map_err(|_| Error::other(format!("argument {option}: {text} must be an integer")))?;
    if n <= 0 {
        return Err(Error::other(format!(
            "argument {option}: {text} must be greater than 0"
        )));
    }
    Ok(Some(n as u64))
}

fn count(args: &Args) -> Result<u64> {
    positive(args, "count", "--count/-n")?
        .ok_or_else(|| Error::other("the following arguments are required: --count/-n"))
}

/// The one worker there is (see the module comment).
fn workers(args: &Args) -> Result<u64> {
    match positive(args, "workers", "--workers/-w")? {
        None | Some(1) => Ok(1),
        Some(n) => Err(Error::other(format!(
            "--workers {n}: osc sends a plugin's requests one at a time, so its benchmarks \
             run with one worker (--workers 1)"
        ))),
    }
}

/// `BenchmarkPool` with one worker: runs the jobs, times each, and gives the results of
/// those that succeeded with `wait_job`'s statistics.
struct Pool<'h> {
    host: &'h Host<'h>,
    verb: &'static str,
    stats: Vec<(String, Value)>,
}

impl<'h> Pool<'h> {
    fn new(host: &'h Host<'h>, verb: &'static str) -> Self {
        Pool {
            host,
            verb,
            stats: Vec::new(),
        }
    }

    fn run<T>(&mut self, total: u64, mut job: impl FnMut(u64) -> Result<T>) -> Result<Vec<T>> {
        let verb = self.verb;
        let started = Instant::now();
        let mut results = Vec::new();
        let mut latencies = Vec::new();
        let mut failures = 0u64;
        let mut last_error = None;
        for i in 0..total {
            let t = Instant::now();
            match job(i) {
                Ok(r) => {
                    latencies.push(t.elapsed().as_secs_f64());
                    results.push(r);
                }
                Err(e) => {
                    failures += 1;
                    self.host.warn(&format!("Error with {verb} metric: {e}"));
                    last_error = Some(e);
                }
            }
            self.host.progress(&format!("count:{verb}"), i + 1, total);
        }
        let runtime = started.elapsed().as_secs_f64();
        if latencies.is_empty() {
            // gnocchiclient fails computing the minimum of no latencies; say why instead.
            return Err(last_error.unwrap_or_else(|| Error::other(format!("no {verb} ran"))));
        }
        latencies.sort_by(f64::total_cmp);
        let cumulated: f64 = latencies.iter().sum();
        let executed = total as f64;
        let speed = if runtime != 0.0 {
            executed / cumulated
        } else {
            0.0
        };
        let pct = |p: f64| percentile(&latencies, p);
        let mut put = |k: String, v: Value| match self.stats.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => self.stats.push((k, v)),
        };
        put("client workers".into(), json!(1));
        put(
            format!("{verb} runtime"),
            json!(format!("{runtime:.2} seconds")),
        );
        put(
            format!("{verb} runtime (cumulated)"),
            json!(format!("{cumulated:.2} seconds")),
        );
        put(format!("{verb} executed"), json!(total));
        put(
            format!("{verb} speed"),
            json!(format!("{speed:.2} {verb}/s")),
        );
        put(format!("{verb} failures"), json!(failures));
        put(
            format!("{verb} failures rate"),
            json!(format!("{:.2} %", 100.0 * failures as f64 / executed)),
        );
        put(format!("{verb} latency min"), json!(latencies[0]));
        put(
            format!("{verb} latency max"),
            json!(latencies[latencies.len() - 1]),
        );
        put(
            format!("{verb} latency mean"),
            json!(cumulated / latencies.len() as f64),
        );
        put(format!("{verb} latency median"), json!(pct(0.5)));
        put(format!("{verb} latency 95%'ile"), json!(pct(0.95)));
        put(format!("{verb} latency 99%'ile"), json!(pct(0.99)));
        put(format!("{verb} latency 99.9%'ile"), json!(pct(0.999)));
        Ok(results)
    }

    fn put(&mut self, k: &str, v: Value) {
        self.stats.push((k.into(), v));
    }

    fn reply(self) -> Reply {
        let mut r = Reply::show();
        for (k, v) in self.stats {
            r = r.field(k, v);
        }
        r
    }
}

/// `BenchmarkPool._percentile`: linear interpolation between the closest ranks.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let k = (sorted.len() - 1) as f64 * p;
    let (f, c) = (k.floor(), k.ceil());
    if f == c {
        return sorted[k as usize];
    }
    sorted[f as usize] * (c - k) + sorted[c as usize] * (k - f)
}

fn metric_create(host: &Host, args: &Args) -> Result<Reply> {
    workers(args)?;
    let n = count(args)?;
    let mut body = json!({});
    if let Some(a) = args.str("archive_policy_name") {
        body["archive_policy_name"] = json!(a);
    }
    if args.str("resource_id").is_some() {
        // `_create_new` without a name, as the benchmark calls it.
        return Err(Error::other(
            "Metric name is required if resource_id is set",
        ));
    }
    let mut pool = Pool::new(host, "create");
    let created = pool.run(n, |_| call(host, "POST", "/v1/metric", Some(body.clone())))?;
    if !args.flag("keep") {
        let ids: Vec<String> = created
            .iter()
            .filter_map(|m| m["id"].as_str().map(String::from))
            .collect();
        let mut del = Pool::new(host, "delete");
        del.stats = std::mem::take(&mut pool.stats);
        del.run(ids.len() as u64, |i| {
            call(
                host,
                "DELETE",
                format!("/v1/metric/{}", ids[i as usize]),
                None,
            )
        })?;
        return Ok(del.reply());
    }
    Ok(pool.reply())
}

fn metric_show(host: &Host, args: &Args) -> Result<Reply> {
    workers(args)?;
    let n = count(args)?;
    let metrics = args.list("metric");
    let paths = metrics
        .iter()
        .map(|m| metric_path(args, m))
        .collect::<Result<Vec<_>>>()?;
    // `metric * count`: the list repeated, not each metric in turn.
    let total = n * paths.len() as u64;
    let mut pool = Pool::new(host, "show");
    pool.run(total, |i| {
        call(
            host,
            "GET",
            paths[(i % paths.len() as u64) as usize].clone(),
            None,
        )
    })?;
    Ok(pool.reply())
}

/// A `--timestamp-*` value: its instant, and what Python's `strftime("%s")` makes of it
/// (the fields read as local time, UTC here, whatever their offset).
fn timestamp(args: &Args, name: &str, option: &str, default: i64) -> Result<(i64, i64)> {
    let Some(s) = args.str(name) else {
        return Ok((default, default));
    };
    let iso = parse_date(s).ok_or_else(|| crate::util::invalid(option, "parse_date", s))?;
    epoch(&iso).ok_or_else(|| crate::util::invalid(option, "parse_date", s))
}

/// (instant, fields as UTC) in seconds of `YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM`.
fn epoch(iso: &str) -> Option<(i64, i64)> {
    let num = |r: std::ops::Range<usize>| iso.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let zone = &iso[iso.len() - 6..];
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let offset =
        sign * (num(iso.len() - 5..iso.len() - 3)? * 3600 + num(iso.len() - 2..iso.len())? * 60);
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y2, m2) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    let local = days * 86400 + h * 3600 + mi * 60 + s;
    Some((local - offset, local))
}

/// xorshift64*, seeded by the clock: the benchmark's values need no more than that.
struct Rng(u64);

impl Rng {
    fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Rng(seed | 1)
    }
    /// `random.randint(-2**32, 2**32)`.
    fn value(&mut self) -> i64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r % (1u64 << 33 | 1)) as i64 - (1i64 << 32)
    }
}

fn measures_add(host: &Host, args: &Args) -> Result<Reply> {
    workers(args)?;
    let n = count(args)?;
    let mut batch = positive(args, "batch", "--batch/-b")?.unwrap_or(1);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (start_at, start) = timestamp(
        args,
        "timestamp_start",
        "--timestamp-start/-s",
        now - 365 * 86400,
    )?;
    let (end_at, end) = timestamp(args, "timestamp_end", "--timestamp-end/-e", now)?;
    let path = metric_path(args, args.req("metric")?)? + "/measures";
    if end_at <= start_at {
        return Err(Error::other("End timestamp must be after start timestamp"));
    }
    batch = batch.min(n);
    if end - start < batch as i64 {
        return Err(Error::other(
            "The specified time range is not large enough for the number of points",
        ));
    }
    let step = (end - start) / batch as i64;
    let mut rng = Rng::new();
    let measures: Vec<Value> = (0..batch as i64)
        .map(|i| json!({"timestamp": start + i * step, "value": rng.value()}))
        .collect();
    let body = Value::Array(measures);
    let mut pool = Pool::new(host, "push");
    pool.run(n / batch, |_| {
        call_req(
            host,
            Request::post("metric", path.clone()).json(body.clone()),
        )
    })?;
    let push_speed = pool
        .stats
        .iter()
        .find(|(k, _)| k == "push speed")
        .and_then(|(_, v)| v.as_str())
        .and_then(|s| s.trim_end_matches(" push/s").parse::<f64>().ok())
        .unwrap_or(0.0);
    pool.put("measures per request", json!(batch));
    pool.put(
        "measures push speed",
        json!(format!("{:.2} push/s", batch as f64 * push_speed)),
    );
    if args.flag("wait") {
        let started = Instant::now();
        loop {
            let status = call_req(
                host,
                Request::get("metric", "/v1/status").query("details", "False"),
            )?;
            let remaining = status["storage"]["summary"]["measures"]
                .as_i64()
                .unwrap_or(0);
            if remaining == 0 {
                let waited = started.elapsed().as_secs_f64();
                pool.put(
                    "extra wait to process measures",
                    json!(format!("{waited} seconds")),
                );
                break;
            }
            host.info(&format!("Remaining measures to be processed: {remaining}"));
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    Ok(pool.reply())
}

fn measures_show(host: &Host, args: &Args) -> Result<Reply> {
    workers(args)?;
    let n = count(args)?;
    let start = crate::gnocchi::date_arg(args, "start")?;
    let stop = crate::gnocchi::date_arg(args, "stop")?;
    let path = metric_path(args, args.req("metric")?)? + "/measures";
    let mut pool = Pool::new(host, "show");
    // What the benchmark passes to get_measures: aggregation, start and stop (refresh False).
    let results = pool.run(n, |_| {
        let mut req = Request::get("metric", path.clone());
        for (k, v) in [
            ("aggregation", args.str("aggregation").map(String::from)),
            ("refresh", Some("False".to_string())),
            ("start", start.clone()),
            ("stop", stop.clone()),
        ] {
            if let Some(v) = v {
                req = req.query(k, v);
            }
        }
        call_req(host, req)
    })?;
    let per_request = results
        .first()
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    pool.put("measures per request", json!(per_request));
    Ok(pool.reply())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_as_gnocchiclient_interpolates_them() {
        let l = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&l, 0.5), 2.5);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
        assert!((percentile(&l, 0.95) - 3.85).abs() < 1e-9);
    }

    #[test]
    fn epochs_of_iso_timestamps() {
        assert_eq!(epoch("1970-01-01T00:00:00+00:00"), Some((0, 0)));
        assert_eq!(
            epoch("2024-01-02T10:00:00+01:00"),
            Some((1_704_186_000, 1_704_189_600))
        );
        assert_eq!(
            epoch("2000-03-01T00:00:00.500000+00:00").map(|e| e.0),
            Some(951_868_800)
        );
    }

    #[test]
    fn values_in_randint_range() {
        let mut r = Rng::new();
        for _ in 0..1000 {
            let v = r.value();
            assert!((-(1i64 << 32)..=(1i64 << 32)).contains(&v));
        }
    }
}
