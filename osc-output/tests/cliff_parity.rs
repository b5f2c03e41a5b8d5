//! Byte-for-byte parity with python-openstackclient/cliff.
//!
//! `fixtures/gen.py` ran every case in `fixtures/cases.json` through cliff's real parser and
//! formatters (with osc_lib's column classes) and stored what cliff printed in
//! `fixtures/golden/<case>.out` (and its error message in `<case>.err`). Here the same
//! inputs and argv go through `add_format_args` + `FormatOptions::from_matches` + `render`,
//! and the bytes must match. No Python is needed to run this.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use osc_output::{
    add_format_args, render, Cell, FormatOptions, Kind, Output, Record, Style, Table,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect(name);
    serde_json::from_str(&text).expect(name)
}

fn to_cell(v: &Value) -> Cell {
    let style = match v[0].as_str().unwrap() {
        "raw" => Style::Raw,
        "list" => Style::List,
        "dict" => Style::Dict,
        "list_dict" => Style::ListDict,
        "dict_list" => Style::DictList,
        "size" => Style::Size,
        other => panic!("unknown style {other}"),
    };
    Cell::styled(v[1].clone(), style)
}

fn to_output(ds: &Value) -> (Output, Kind) {
    match ds["kind"].as_str().unwrap() {
        "list" => {
            let columns: Vec<String> = ds["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().into())
                .collect();
            let mut t = Table::new(columns);
            for row in ds["rows"].as_array().unwrap() {
                t.rows
                    .push(row.as_array().unwrap().iter().map(to_cell).collect());
            }
            (Output::List(t), Kind::List)
        }
        _ => {
            let mut r = Record::new();
            for f in ds["fields"].as_array().unwrap() {
                r.push(f[0].as_str().unwrap(), to_cell(&f[1]));
            }
            (Output::Show(r), Kind::Show)
        }
    }
}

fn options(kind: Kind, argv: &[String], terminal_width: Option<usize>) -> FormatOptions {
    let cmd = add_format_args(clap::Command::new("osc"), kind);
    let matches = cmd
        .try_get_matches_from(std::iter::once("osc".to_string()).chain(argv.iter().cloned()))
        .expect("argv parses");
    let mut opts = FormatOptions::from_matches(&matches, kind);
    // The goldens say which terminal stdout was attached to; the test's own stdout is not it.
    opts.terminal_width = if opts.max_width > 0 {
        None
    } else {
        terminal_width
    };
    opts
}

/// First differing line, for a readable failure.
fn first_diff(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.split('\n').zip(got.split('\n')).enumerate() {
        if w != g {
            return format!("line {}:\n  want {w:?}\n  got  {g:?}", i + 1);
        }
    }
    format!(
        "line counts differ: want {} got {}",
        want.split('\n').count(),
        got.split('\n').count()
    )
}

#[test]
fn cliff_golden_outputs() {
    let datasets = load("datasets.json");
    let cases = load("cases.json");
    let cases = cases.as_array().unwrap();
    assert!(
        cases.len() >= 40,
        "expected at least 40 cases, found {}",
        cases.len()
    );
    let only = std::env::var("OSC_PARITY_CASE").ok();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let (output, kind) = to_output(&datasets[case["dataset"].as_str().unwrap()]);
        let argv: Vec<String> = case["argv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().into())
            .collect();
        let tw = case["terminal_width"].as_u64().map(|w| w as usize);
        let opts = options(kind, &argv, tw);
        let golden = fixtures().join("golden");
        let want = std::fs::read_to_string(golden.join(format!("{name}.out"))).unwrap();
        let want_err = std::fs::read_to_string(golden.join(format!("{name}.err"))).ok();
        let mut got = Vec::new();
        let result = render(&output, &opts, &mut got);
        let got = String::from_utf8(got).unwrap();
        if got != want {
            failures.push(format!(
                "{name}: output differs at {}",
                first_diff(&want, &got)
            ));
        }
        let got_err = result.err().map(|e| e.to_string());
        if got_err != want_err {
            failures.push(format!("{name}: error {got_err:?}, want {want_err:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
