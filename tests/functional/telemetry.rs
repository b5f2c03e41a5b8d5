//! Functional tests of the telemetry plugin against the devcloud's Gnocchi and Aodh (Layer 3),
//! compared with gnocchiclient's and aodhclient's `-f json` output through
//! python-openstackclient. Skipped when the catalog has no `metric` (or, for the alarms, no
//! `alarming`) service. Each test creates its own objects under unique names and deletes
//! them, whatever happens.
//!
//! Gnocchi's metricd processes measures asynchronously: reads that must see them either ask
//! the API to process them first (`--refresh`, as gnocchiclient offers) or poll with a
//! deadline until metricd has.
//!
//! Exit codes: argparse rejects a bad option value with exit 2; osc's plugin ABI has no
//! usage-error return, so the plugin's own argument checks exit 1 with argparse's message
//! (`parser_failure`). Errors of the services exit 1 in both (`same_failure`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::time::Duration;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = ADMIN.to_vec();
    v.extend_from_slice(rest);
    v
}

/// Runs the cleanup commands (in reverse) when the test ends, whatever happened.
#[derive(Default)]
struct Cleanup(Vec<(Vec<String>, bool)>);

impl Cleanup {
    fn push(&mut self, cmd: &[&str]) {
        self.0
            .push((cmd.iter().map(|s| s.to_string()).collect(), false));
    }
    /// An archive policy stays "in use" until metricd has expunged the deleted metrics
    /// that used it: its delete is retried until then (with a deadline).
    fn push_policy(&mut self, name: &str) {
        let cmd = ["metric", "archive-policy", "delete", name];
        self.0
            .push((cmd.iter().map(|s| s.to_string()).collect(), true));
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for (cmd, retry) in self.0.iter().rev() {
            let v: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let _ = poll(Duration::from_secs(180), || {
                let out = osc(&a(&v));
                let err = String::from_utf8_lossy(&out.stderr);
                (out.status.success() || !*retry || !err.contains("still in use")).then_some(())
            });
        }
    }
}

/// The last line of stderr, without the request ID and with whitespace runs as one space
/// (osc's error parser collapses them in a service's message; gnocchiclient keeps them).
fn last_line(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err.trim().lines().last().unwrap_or_default().to_string();
    let line = match line.find(" (Request-ID: ") {
        Some(i) => line[..i].to_string(),
        None => line,
    };
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Both fail with exit 1 and the same message; returns it.
fn same_failure(args: &[&str]) -> String {
    let (ours, theirs) = (osc(&a(args)), openstack(&a(args)));
    let (o, t) = (last_line(&ours), last_line(&theirs));
    assert_eq!(ours.status.code(), Some(1), "osc {args:?}: {o}");
    assert_eq!(theirs.status.code(), Some(1), "openstack {args:?}: {t}");
    assert_eq!(o, t, "{args:?}");
    assert!(!o.contains("panicked"), "{o}");
    o
}

/// A value argparse refuses (exit 2 there): osc fails with argparse's words, before any
/// request, with exit 1 (see the module comment); the reference is asked too.
fn parser_failure(args: &[&str], message: &str) {
    let (ours, theirs) = (osc(&a(args)), openstack(&a(args)));
    let (o, t) = (last_line(&ours), last_line(&theirs));
    assert_eq!(ours.status.code(), Some(1), "osc {args:?}: {o}");
    assert_eq!(o, message, "osc {args:?}");
    assert_eq!(theirs.status.code(), Some(2), "openstack {args:?}: {t}");
    assert!(t.ends_with(message), "openstack {args:?}: {t}");
}

/// osc's side of `parser_failure`, where the reference cannot be asked.
fn parser_failure_osc(args: &[&str], message: &str) {
    let ours = osc(&a(args));
    assert_eq!(ours.status.code(), Some(1), "osc {args:?}");
    assert_eq!(last_line(&ours), message, "osc {args:?}");
}

/// `-f json` of both clients.
fn both(args: &[&str]) -> (Value, Value) {
    (osc_json(&a(args)), openstack_json(&a(args)))
}

/// Both print the same JSON; returns osc's.
fn same(args: &[&str]) -> Value {
    let (ours, theirs) = both(args);
    assert_same_json(&ours, &theirs, &[]);
    ours
}

/// The rows of a list whose `key` is one of `keep` (lists of a shared cloud hold others'
/// objects too).
fn only(list: &Value, key: &str, keep: &[&str]) -> Vec<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|r| r[key].as_str().is_some_and(|v| keep.contains(&v)))
        .cloned()
        .collect()
}

/// The measures of a metric, as `measures show` gives them.
fn measures(args: &[&str]) -> Vec<Value> {
    let mut v = vec!["metric", "measures", "show"];
    v.extend_from_slice(args);
    osc_json(&a(&v)).as_array().unwrap().clone()
}

/// Waits (by polling, with a deadline) until metricd has processed the metric's measures
/// into `points` points at `granularity`.
fn wait_processed(metric: &[&str], granularity: &str, points: usize) -> Vec<Value> {
    let mut args = metric.to_vec();
    args.extend_from_slice(&["--granularity", granularity]);
    poll(Duration::from_secs(180), || {
        let m = measures(&args);
        (m.len() >= points).then_some(m)
    })
    .unwrap_or_else(|| panic!("metricd did not process {metric:?} in 180s"))
}

/// Gnocchi's own `high` policy (1s for an hour, 1m for a week...): a policy stays "in use"
/// until metricd's janitor has expunged the deleted metrics that used it (every
/// `metric_cleanup_delay`, 10 minutes here), so the tests that create metrics do not create
/// their policy; `archive_policies_and_rules` creates and deletes one.
fn shipped_policy() -> String {
    let p = osc_json(&a(&["metric", "archive-policy", "show", "high"]));
    assert_eq!(p["definition"][0]["granularity"], "0:00:01", "{p}");
    "high".into()
}

fn write_file(name: &str, text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("{}-{name}", unique("osc-tel")));
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn archive_policies_and_rules() {
    require_cloud!();
    if !in_catalog("metric") {
        return;
    }
    let mut clean = Cleanup::default();
    let policy = unique("osc-ap");
    let created = osc_json(&a(&[
        "metric",
        "archive-policy",
        "create",
        &policy,
        "-d",
        "granularity:1s,points:3600",
        "-d",
        "granularity:1m,timespan:1d",
        "-m",
        "mean",
        "-m",
        "max",
        "-b",
        "2",
    ]));
    clean.push_policy(&policy);
    assert_eq!(created["back_window"], 2);
    assert_eq!(created["definition"][1]["points"], 1440);
    let shown = same(&["metric", "archive-policy", "show", &policy]);
    // Gnocchi keeps aggregation methods as a set: their order may differ between answers.
    let methods_sorted = |mut v: serde_json::Value| {
        if let Some(m) = v["aggregation_methods"].as_array_mut() {
            m.sort_by_key(|x| x.to_string());
        }
        v
    };
    assert_eq!(methods_sorted(shown), methods_sorted(created.clone()));
    let (ours, theirs) = both(&["metric", "archive-policy", "list"]);
    let mine = only(&ours, "name", &[&policy]);
    assert_eq!(mine.len(), 1);
    assert_eq!(
        serde_json::to_value(&mine).unwrap(),
        serde_json::to_value(only(&theirs, "name", &[&policy])).unwrap()
    );
    let updated = osc_json(&a(&[
        "metric",
        "archive-policy",
        "update",
        &policy,
        "-d",
        "granularity:1s,points:7200",
        "-d",
        "granularity:1m,timespan:1d",
    ]));
    assert_eq!(updated["definition"][0]["points"], 7200);
    same(&["metric", "archive-policy", "show", &policy]);

    let rule = unique("osc-apr");
    let pattern = format!("{rule}.*");
    osc_json(&a(&[
        "metric",
        "archive-policy-rule",
        "create",
        &rule,
        "-a",
        &policy,
        "-m",
        &pattern,
    ]));
    clean.push(&["metric", "archive-policy-rule", "delete", &rule]);
    let r = same(&["metric", "archive-policy-rule", "show", &rule]);
    assert_eq!(r["archive_policy_name"], policy.as_str());
    let (ours, theirs) = both(&["metric", "archive-policy-rule", "list"]);
    assert_eq!(only(&ours, "name", &[&rule]).len(), 1);
    assert_eq!(
        only(&ours, "name", &[&rule]),
        only(&theirs, "name", &[&rule])
    );

    // Bad input: the definition and the policy as each client reports them.
    parser_failure(
        &[
            "metric",
            "archive-policy",
            "create",
            &unique("osc-ap"),
            "-d",
            "points:5",
        ],
        "argument -d/--definition: invalid archive_policy_definition value: 'points:5'",
    );
    let m = same_failure(&[
        "metric",
        "archive-policy",
        "create",
        &unique("osc-ap"),
        "-d",
        "granularity:1s,points:many",
    ]);
    assert!(m.contains("expected int for dictionary value"), "{m}");
    let none = unique("osc-none");
    assert_eq!(
        same_failure(&["metric", "archive-policy", "show", &none]),
        format!("Archive policy {none} does not exist (HTTP 404)")
    );
    same_failure(&["metric", "archive-policy-rule", "show", &none]);
    // The rule refers to the policy: Gnocchi refuses to delete it.
    let m = same_failure(&["metric", "archive-policy", "delete", &policy]);
    assert!(m.contains("in use"), "{m}");

    osc_ok(&a(&["metric", "archive-policy-rule", "delete", &rule]));
    same_failure(&["metric", "archive-policy-rule", "show", &rule]);
}

#[test]
fn resources_metrics_and_measures() {
    require_cloud!();
    if !in_catalog("metric") {
        return;
    }
    let mut clean = Cleanup::default();
    let policy = shipped_policy();

    // A resource type with its attribute schema.
    let rtype = unique("osc_rt").replace('-', "_");
    let rt = osc_json(&a(&[
        "metric",
        "resource-type",
        "create",
        &rtype,
        "-a",
        "host:string:false:max_length=64",
        "-a",
        "size:number:false:min=0",
    ]));
    clean.push(&["metric", "resource-type", "delete", &rtype]);
    assert_eq!(
        rt["attributes/host"],
        "max_length=64, min_length=0, required=False, type=string"
    );
    same(&["metric", "resource-type", "show", &rtype]);
    let (ours, theirs) = both(&["metric", "resource-type", "list"]);
    assert_eq!(only(&ours, "name", &[&rtype]).len(), 1);
    assert_eq!(
        only(&ours, "name", &[&rtype]),
        only(&theirs, "name", &[&rtype])
    );
    let rt = osc_json(&a(&[
        "metric",
        "resource-type",
        "update",
        &rtype,
        "-a",
        "flag:bool:false",
    ]));
    assert_eq!(rt["attributes/flag"], "required=False, type=bool");
    same(&["metric", "resource-type", "show", &rtype]);

    // A resource with two metrics, and its attributes typed by the schema.
    let rid = unique("osc-res");
    let res = osc_json(&a(&[
        "metric",
        "resource",
        "create",
        "-t",
        &rtype,
        &rid,
        "-a",
        "host:h1",
        "-a",
        "size:3",
        "-a",
        "flag:yes",
        "-n",
        &format!("cpu:{policy}"),
        "-n",
        &format!("mem:{policy}"),
    ]));
    let res_id = res["id"].as_str().unwrap().to_string();
    clean.push(&["metric", "resource", "delete", &res_id]);
    assert_eq!(res["host"], "h1");
    assert_eq!(res["size"], 3.0);
    assert_eq!(res["flag"], true);
    assert_eq!(res["original_resource_id"], rid.as_str());
    same(&["metric", "resource", "show", "-t", &rtype, &rid]);
    same(&["metric", "resource", "show", &res_id]);
    let q = format!("original_resource_id='{rid}'");
    let found = same(&["metric", "resource", "search", "-t", &rtype, &q]);
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    same(&[
        "metric",
        "resource",
        "search",
        "-t",
        &rtype,
        "--details",
        &q,
        "--sort",
        "id:asc",
    ]);
    // A metric taken off its resource is not deleted with it.
    let mem_id = res["metrics"]["mem"].as_str().unwrap().to_string();
    clean.push(&["metric", "delete", &mem_id]);
    let upd = osc_json(&a(&[
        "metric", "resource", "update", "-t", &rtype, &rid, "-a", "host:h2", "-d", "mem",
    ]));
    assert_eq!(upd["host"], "h2");
    assert!(upd["metrics"].get("mem").is_none(), "{upd}");
    let hist = same(&["metric", "resource", "history", "-t", &rtype, &res_id]);
    assert_eq!(hist.as_array().map(Vec::len), Some(2), "{hist}");
    assert_eq!(hist[0]["host"], "h1");

    // A metric of the resource, by name, and one on its own.
    let cpu = same(&["metric", "show", "-r", &rid, "cpu"]);
    let cpu_id = cpu["id"].as_str().unwrap().to_string();
    assert_eq!(cpu["archive_policy/name"], policy.as_str());
    let name = unique("osc-metric");
    let lone = osc_json(&a(&[
        "metric", "create", "-a", &policy, "--unit", "B", &name,
    ]));
    let lone_id = lone["id"].as_str().unwrap().to_string();
    clean.push(&["metric", "delete", &lone_id]);
    assert_eq!(lone["unit"], "B");
    same(&["metric", "show", &lone_id]);
    let (ours, theirs) = both(&["metric", "list"]);
    let keep = [cpu_id.as_str(), lone_id.as_str()];
    assert_eq!(only(&ours, "id", &keep).len(), 2);
    assert_eq!(only(&ours, "id", &keep), only(&theirs, "id", &keep));

    // Measures pushed, processed by metricd, and read back with aggregation.
    osc_ok(&a(&[
        "metric",
        "measures",
        "add",
        "-r",
        &rid,
        "cpu",
        "-m",
        "2024-01-02T10:00:00@4.5",
        "-m",
        "2024-01-02T10:00:01@5.5",
        "-m",
        "2024-01-02T10:01:30@1",
    ]));
    osc_ok(&a(&[
        "metric",
        "measures",
        "add",
        &lone_id,
        "-m",
        "2024-01-02T10:00:00+00:00@10",
        "-m",
        "2024-01-02 10:00:01@20",
    ]));
    let points = wait_processed(&["-r", &rid, "cpu"], "1", 3);
    assert_eq!(points[1]["value"], 5.5, "{points:?}");
    wait_processed(&[&lone_id], "1", 2);
    let per_minute = same(&[
        "metric",
        "measures",
        "show",
        "-r",
        &rid,
        "cpu",
        "--aggregation",
        "max",
        "--granularity",
        "60",
    ]);
    assert_eq!(per_minute.as_array().map(Vec::len), Some(2), "{per_minute}");
    assert_eq!(per_minute[0]["value"], 5.5);
    same(&[
        "metric",
        "measures",
        "show",
        &cpu_id,
        "--aggregation",
        "sum",
        "--start",
        "2024-01-02T10:00:01",
        "--stop",
        "2024-01-02 10:05",
        "--granularity",
        "1",
        "--refresh",
    ]);
    same(&[
        "metric",
        "measures",
        "show",
        &cpu_id,
        "--resample",
        "60",
        "--granularity",
        "1",
        "--aggregation",
        "max",
    ]);
    let sum = same(&[
        "metric",
        "aggregates",
        &format!("(+ (metric {cpu_id} mean) (metric {lone_id} mean))"),
        "--granularity",
        "1",
    ]);
    assert_eq!(sum[0]["value"], 14.5, "{sum}");
    let grouped = same(&[
        "metric",
        "aggregates",
        "--resource-type",
        &rtype,
        "(aggregate max (metric cpu mean))",
        &format!("id='{res_id}'"),
        "--groupby",
        "host",
        "--granularity",
        "60",
    ]);
    assert_eq!(grouped[0]["group"], "host: h2", "{grouped}");
    same(&[
        "metric",
        "measures",
        "aggregation",
        "-m",
        &cpu_id,
        &lone_id,
        "--aggregation",
        "max",
        "--granularity",
        "1",
    ]);
    same(&[
        "metric",
        "measures",
        "aggregation",
        "-m",
        "cpu",
        "--query",
        &format!("id='{res_id}'"),
        "--resource-type",
        &rtype,
        "--groupby",
        "host",
        "--granularity",
        "1",
    ]);

    // Batches, from a file and from stdin; one with a bad line is refused whole.
    let file = write_file(
        "batch.json",
        &format!(r#"{{"{lone_id}": [{{"timestamp": "2024-01-02T10:02:00", "value": 30}}]}}"#),
    );
    osc_ok(&a(&[
        "metric",
        "measures",
        "batch-metrics",
        file.to_str().unwrap(),
    ]));
    let stdin = write_file(
        "batch-res.json",
        &format!(
            r#"{{"{res_id}": {{"cpu": [{{"timestamp": "2024-01-02T10:03:00", "value": 7}}], "disk": {{"archive_policy_name": "{policy}", "measures": [{{"timestamp": "2024-01-02T10:03:00", "value": 8}}]}}}}}}"#
        ),
    );
    let out = osc_stdin(
        &a(&[
            "metric",
            "measures",
            "batch-resources-metrics",
            "--create-metrics",
            "-",
        ]),
        std::fs::File::open(&stdin).unwrap(),
    );
    assert!(out.status.success(), "{}", last_line(&out));
    let lone_now = measures(&[&lone_id, "--refresh", "--granularity", "1"]);
    assert_eq!(lone_now.len(), 3, "{lone_now:?}");
    let disk = same(&["metric", "show", "-r", &rid, "disk"]);
    assert_eq!(disk["archive_policy/name"], policy.as_str());
    let bad = write_file(
        "bad.json",
        &format!(
            r#"{{"{lone_id}": [{{"timestamp": "2024-01-02T10:04:00", "value": 1}}, {{"timestamp": "2024-01-02T10:05:00", "value": "x"}}]}}"#
        ),
    );
    let m = same_failure(&["metric", "measures", "batch-metrics", bad.to_str().unwrap()]);
    assert!(m.contains("unexpected measures value"), "{m}");
    assert_eq!(
        measures(&[&lone_id, "--refresh", "--granularity", "1"]),
        lone_now,
        "Gnocchi validates a batch whole: nothing of it is written"
    );
    let missing = std::env::temp_dir().join(unique("osc-none"));
    let m = same_failure(&[
        "metric",
        "measures",
        "batch-metrics",
        missing.to_str().unwrap(),
    ]);
    assert!(m.starts_with("[Errno 2] No such file or directory"), "{m}");

    // The benchmarks, timed on real requests with osc's one worker. gnocchiclient 7.2's fail
    // on this Python (its process pool cannot pickle the client, then it divides by zero),
    // so the statistics are compared with the reference's only where it runs.
    let show = osc_json(&a(&[
        "metric",
        "benchmark",
        "measures",
        "show",
        &lone_id,
        "-n",
        "3",
        "-w",
        "1",
    ]));
    assert_eq!(show["show executed"], 3, "{show}");
    assert_eq!(show["show failures"], 0);
    let all = measures(&[&lone_id]).len();
    assert_eq!(show["measures per request"], all, "{show}");
    let created = osc_json(&a(&[
        "metric",
        "benchmark",
        "metric",
        "create",
        "-n",
        "2",
        "-a",
        &policy,
    ]));
    assert_eq!(created["client workers"], 1);
    assert_eq!(created["create executed"], 2, "{created}");
    assert_eq!(created["delete executed"], 2, "{created}");
    assert!(
        created["create latency max"].as_f64().unwrap()
            >= created["create latency min"].as_f64().unwrap()
    );
    let pushed = osc_json(&a(&[
        "metric",
        "benchmark",
        "measures",
        "add",
        &lone_id,
        "-n",
        "4",
        "-b",
        "2",
        "-s",
        "2024-01-03T00:00:00",
        "-e",
        "2024-01-03T00:01:00",
    ]));
    assert_eq!(pushed["push executed"], 2, "{pushed}");
    assert_eq!(pushed["measures per request"], 2);
    let reference = openstack(&a(&[
        "metric",
        "benchmark",
        "metric",
        "show",
        &lone_id,
        "-n",
        "2",
        "-w",
        "1",
        "-f",
        "json",
    ]));
    if reference.status.success() {
        let theirs: Value = serde_json::from_slice(&reference.stdout).unwrap();
        let ours = osc_json(&a(&[
            "metric",
            "benchmark",
            "metric",
            "show",
            &lone_id,
            "-n",
            "2",
            "-w",
            "1",
        ]));
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&ours), keys(&theirs));
    } else {
        assert_eq!(last_line(&reference), "division by zero");
    }
    parser_failure_osc(
        &["metric", "benchmark", "metric", "show", &lone_id, "-n", "0"],
        "argument --count/-n: 0 must be greater than 0",
    );

    // Bad input.
    same_failure(&["metric", "resource", "search", "-t", &rtype, "host=="]);
    same_failure(&["metric", "resource", "search", "host=h1 and"]);
    assert_eq!(
        same_failure(&[
            "metric",
            "create",
            "-a",
            "osc-no-such-policy",
            &unique("osc-m")
        ]),
        "Archive policy osc-no-such-policy does not exist (HTTP 400)"
    );
    parser_failure(
        &[
            "metric",
            "measures",
            "show",
            &lone_id,
            "--start",
            "2024-13-45",
        ],
        "argument --start: invalid parse_date value: '2024-13-45'",
    );
    let m = same_failure(&["metric", "measures", "add", &lone_id, "-m", "2024-99-01@1"]);
    assert!(m.contains("Unable to convert timestamps"), "{m}");
    parser_failure(
        &["metric", "measures", "add", &lone_id, "-m", "now@x"],
        "argument -m/--measure: invalid measure value: 'now@x'",
    );
    let out = osc(&a(&["metric", "show", "cpu"]));
    assert_eq!(
        last_line(&out),
        "resource_id is required to get a metric by name"
    );
    same_failure(&["metric", "show", "-r", &rid, "nope"]);
    same_failure(&["metric", "resource", "show", &unique("osc-none")]);

    // Everything deleted; the resources by query.
    osc_ok(&a(&["metric", "delete", &lone_id]));
    same_failure(&["metric", "show", &lone_id]);
    // By query, on generic resources: Gnocchi 4.7's batch delete of a type of one's own
    // removes the rows of the type's table only, leaving the resource behind (unseen, and
    // its type forever "in use").
    let extra = unique("osc-res");
    let e = osc_json(&a(&["metric", "resource", "create", &extra]));
    clean.push(&["metric", "resource", "delete", e["id"].as_str().unwrap()]);
    let del = osc_json(&a(&[
        "metric",
        "resource",
        "batch",
        "delete",
        &format!("original_resource_id='{extra}'"),
    ]));
    assert_eq!(del["deleted"], 1, "{del}");
    same_failure(&["metric", "resource", "show", &extra]);
    osc_ok(&a(&["metric", "resource", "delete", &res_id]));
    same_failure(&["metric", "resource", "show", &res_id]);
}

#[test]
fn alarms_state_history_and_quotas() {
    require_cloud!();
    if !in_catalog("metric") || !in_catalog("alarming") {
        return;
    }
    let mut clean = Cleanup::default();
    let policy = shipped_policy();
    let rtype = unique("osc_rt").replace('-', "_");
    osc_json(&a(&[
        "metric",
        "resource-type",
        "create",
        &rtype,
        "-a",
        "host:string:false",
    ]));
    clean.push(&["metric", "resource-type", "delete", &rtype]);
    let res = osc_json(&a(&[
        "metric",
        "resource",
        "create",
        "-t",
        &rtype,
        &unique("osc-res"),
        "-a",
        "host:h1",
        "-n",
        &format!("cpu:{policy}"),
    ]));
    let res_id = res["id"].as_str().unwrap().to_string();
    clean.push(&["metric", "resource", "delete", &res_id]);
    let cpu_id = res["metrics"]["cpu"].as_str().unwrap().to_string();

    // An alarm of each type this Aodh serves, created by osc, shown alike by both. They are
    // disabled: the evaluator would change their state between the two clients' reads.
    let alarm = unique("osc-alarm");
    let by_resource = osc_json(&a(&[
        "alarm",
        "create",
        "--name",
        &alarm,
        "-t",
        "gnocchi_resources_threshold",
        "--metric",
        "cpu",
        "--threshold",
        "5",
        "--resource-id",
        &res_id,
        "--resource-type",
        &rtype,
        "--aggregation-method",
        "mean",
        "--granularity",
        "1",
        "--time-constraint",
        "name=night;start=0 23 * * *;duration=3600",
        "--enabled",
        "False",
    ]));
    let alarm_id = by_resource["alarm_id"].as_str().unwrap().to_string();
    clean.push(&["alarm", "delete", &alarm_id]);
    assert_eq!(by_resource["metric"], "cpu");
    assert_eq!(by_resource["enabled"], false);
    assert!(by_resource["time_constraints"]
        .as_str()
        .is_some_and(|t| t.contains("\"name\": \"night\"")));
    same(&["alarm", "show", &alarm_id]);
    same(&["alarm", "show", "--name", &alarm]);

    let query = format!(r#"{{"=": {{"id": "{res_id}"}}}}"#);
    let kinds: Vec<(&str, Vec<String>)> = vec![
        (
            "gnocchi_aggregation_by_metrics_threshold",
            [
                "--metric",
                &cpu_id,
                "--threshold",
                "5",
                "--aggregation-method",
                "max",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "gnocchi_aggregation_by_resources_threshold",
            [
                "--metric",
                "cpu",
                "--threshold",
                "5",
                "--aggregation-method",
                "mean",
                "--query",
                &query,
                "--resource-type",
                &rtype,
                "--comparison-operator",
                "ge",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "event",
            [
                "--event-type",
                "compute.instance.*",
                "--query",
                "traits.host=string::h1",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "prometheus",
            ["--query", "up", "--threshold", "1"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "loadbalancer_member_health",
            [
                "--stack-id",
                &res_id,
                "--pool-id",
                &res_id,
                "--autoscaling-group-id",
                &res_id,
            ]
            .map(String::from)
            .to_vec(),
        ),
    ];
    for (kind, extra) in &kinds {
        let name = unique("osc-alarm");
        let mut args = vec![
            "alarm",
            "create",
            "--name",
            &name,
            "-t",
            kind,
            "--enabled",
            "false",
        ];
        args.extend(extra.iter().map(String::as_str));
        let created = osc_json(&a(&args));
        let id = created["alarm_id"].as_str().unwrap().to_string();
        clean.push(&["alarm", "delete", &id]);
        assert_eq!(created["type"], *kind);
        // Aodh rewrites evaluate_timestamp as it evaluates.
        let (ours, theirs) = both(&["alarm", "show", &id]);
        assert_same_json(&ours, &theirs, &["evaluate_timestamp"]);
    }
    // The threshold type needs Ceilometer's API, which the devcloud has not.
    same_failure(&[
        "alarm",
        "create",
        "--name",
        &unique("osc-alarm"),
        "-t",
        "threshold",
        "--meter-name",
        "cpu",
        "--threshold",
        "5",
    ]);

    // A composite alarm, its rule as JSON.
    let comp = unique("osc-comp");
    let rule = format!(
        r#"{{"or": [{{"type": "gnocchi_resources_threshold", "metric": "cpu", "threshold": 1, "resource_id": "{res_id}", "resource_type": "{rtype}", "aggregation_method": "mean"}}, {{"type": "gnocchi_resources_threshold", "metric": "cpu", "threshold": 9, "resource_id": "{res_id}", "resource_type": "{rtype}", "aggregation_method": "max"}}]}}"#
    );
    let c = osc_json(&a(&[
        "alarm",
        "create",
        "--name",
        &comp,
        "-t",
        "composite",
        "--composite-rule",
        &rule,
        "--enabled",
        "no",
    ]));
    let comp_id = c["alarm_id"].as_str().unwrap().to_string();
    clean.push(&["alarm", "delete", &comp_id]);
    assert!(c["composite_rule"]
        .as_str()
        .is_some_and(|r| r.starts_with("{\n  \"or\": [")));
    same(&["alarm", "show", &comp_id]);
    let listed = same(&[
        "alarm",
        "list",
        "--query",
        &format!("name='{comp}' or name='{alarm}'"),
    ]);
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    let (ours, theirs) = both(&["alarm", "list", "--filter", "type=composite"]);
    assert_eq!(
        only(&ours, "alarm_id", &[&comp_id]),
        only(&theirs, "alarm_id", &[&comp_id])
    );
    assert_eq!(only(&ours, "alarm_id", &[&comp_id]).len(), 1);

    // Update, state and history.
    let upd = osc_json(&a(&[
        "alarm",
        "update",
        &alarm_id,
        "--threshold",
        "7",
        "--severity",
        "critical",
        "--alarm-action",
        "log://",
    ]));
    assert_eq!(upd["threshold"], 7.0);
    assert_eq!(upd["severity"], "critical");
    assert_eq!(upd["metric"], "cpu", "the rule is merged, not replaced");
    let set = osc_json(&a(&[
        "alarm", "state", "set", "--name", &alarm, "--state", "alarm",
    ]));
    assert_eq!(set["state"], "alarm");
    let state = same(&["alarm", "state", "get", &alarm_id]);
    assert_eq!(state["state"], "alarm");
    let hist = same(&["alarm-history", "show", &alarm_id]);
    assert!(
        hist.as_array()
            .unwrap()
            .iter()
            .any(|h| h["type"] == "state transition"
                && h["detail"].as_str().is_some_and(|d| d.contains("alarm"))),
        "{hist}"
    );
    assert!(
        hist.as_array()
            .unwrap()
            .iter()
            .any(|h| h["type"] == "rule change"),
        "{hist}"
    );
    let one = same(&["alarm-history", "show", &alarm_id, "--limit", "1"]);
    assert_eq!(one.as_array().map(Vec::len), Some(1));
    let found = same(&[
        "alarm-history",
        "search",
        "--query",
        &format!("alarm_id={alarm_id} and type='state transition'"),
    ]);
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["alarm_id"] == alarm_id.as_str() && h["type"] == "state transition"),
        "{found}"
    );
    assert!(!found.as_array().unwrap().is_empty());

    // Quotas. Aodh stores the default (-1) the first time a project's quota is read, and then
    // counts -1 as a limit every alarm exceeds: only a made-up project is read or set here
    // (neither client can delete a quota, so its row stays).
    let project = unique("osc-quota").replace('-', "");
    let set = osc_json(&a(&["alarm", "quota", "set", &project, "--alarm", "5"]));
    assert_eq!(set["alarms"], 5);
    same(&["alarm", "quota", "show", "--project", &project]);
    same(&["alarm", "quota", "set", &project, "--alarm", "6"]);
    assert_eq!(
        same_failure(&["alarm", "quota", "set", &project, "--alarm", "-5"]),
        "Quota limit cannot be less than -1."
    );
    same(&["alarming", "capabilities", "list"]);
    // The devcloud's Aodh serves no Prometheus metrics.
    same_failure(&["alarm", "metrics"]);

    // Bad input.
    let m = same_failure(&["alarm", "list", "--query", "name="]);
    assert!(
        m.ends_with("found 'name' (at char 0), (line:1, col:1)"),
        "{m}"
    );
    same_failure(&["alarm-history", "search", "--query", "(alarm_id=x"]);
    parser_failure(
        &[
            "alarm",
            "create",
            "--name",
            &unique("osc-x"),
            "-t",
            "composite",
        ],
        "Composite alarm requires --composite-rule parameter",
    );
    parser_failure(
        &["alarm", "create", "--name", &unique("osc-x"), "-t", "gnocchi_resources_threshold", "--metric", "cpu"],
        "gnocchi_resources_threshold requires --metric, --threshold, --resource-id, --resource-type and --aggregation-method",
    );
    let none = unique("osc-none");
    assert_eq!(
        same_failure(&["alarm", "show", &none]),
        format!("Alarm {none} not found (HTTP 404)")
    );
    same_failure(&["alarm", "state", "get"]);
    same_failure(&["alarm", "list", "--query", "name=x", "--limit", "1"]);

    // Deleted, by name and by ID.
    osc_ok(&a(&["alarm", "delete", "--name", &comp]));
    osc_ok(&a(&["alarm", "delete", &alarm_id]));
    same_failure(&["alarm", "show", &alarm_id]);
}
