//! Times rendering a 10,000 x 10 table (and the other formats) in every format; run with
//! `cargo bench -p osc-output`. cliff takes seconds for this; the target here is < 50 ms
//! for the table in release.

use osc_output::{render, Cell, Format, FormatOptions, Output, Table};
use std::time::{Duration, Instant};

fn dataset(rows: usize) -> Output {
    let columns: Vec<String> = (0..10).map(|i| format!("Column {i}")).collect();
    let mut t = Table::new(columns);
    for r in 0..rows {
        t.rows.push(vec![
            Cell::raw(format!("{r:08x}-5b7d-4c1e-9a8f-0123456789ab")),
            Cell::raw(format!("server-{r}")),
            Cell::raw(if r % 3 == 0 { "ACTIVE" } else { "SHUTOFF" }),
            Cell::raw(r as u64),
            Cell::raw(serde_json::json!(r as f64 / 7.0)),
            Cell::raw(r % 2 == 0),
            Cell::list(serde_json::json!(["prod", format!("tag{r}")])),
            Cell::dict(serde_json::json!({"owner": "alice", "n": r})),
            Cell::size(serde_json::json!(r as u64 * 1_048_576)),
            Cell::raw(serde_json::Value::Null),
        ]);
    }
    Output::List(t)
}

fn time(label: &str, out: &Output, opts: &FormatOptions) -> Duration {
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..5 {
        let mut buf = Vec::with_capacity(4 << 20);
        let start = Instant::now();
        if let Err(e) = render(out, opts, &mut buf) {
            eprintln!("{label}: {e}");
            return best;
        }
        best = best.min(start.elapsed());
        bytes = buf.len();
    }
    println!(
        "{label:<28} {:>8.2} ms  ({bytes} bytes)",
        best.as_secs_f64() * 1e3
    );
    best
}

fn main() {
    let out = dataset(10_000);
    let table = time("table 10000x10", &out, &FormatOptions::default());
    let fitted = FormatOptions {
        max_width: 120,
        ..Default::default()
    };
    time("table 10000x10 max-width", &out, &fitted);
    for f in [Format::Csv, Format::Json, Format::Value, Format::Yaml] {
        time(
            &format!("{} 10000x10", f.name()),
            &out,
            &FormatOptions::with_format(f),
        );
    }
    let sorted = FormatOptions {
        sort_columns: vec!["Column 1".into()],
        ..Default::default()
    };
    time("table sorted", &out, &sorted);
    if table > Duration::from_millis(50) {
        println!("WARNING: table rendering slower than the 50 ms target");
    }
}
