//! Functional tests of the telemetry plugin against the devcloud's Gnocchi and Aodh (Layer 3),
//! compared with gnocchiclient's and aodhclient's `-f json` output through
//! python-openstackclient. Skipped when the catalog has no `metric` (or, for the alarms, no
//! `alarming`) service. One test shares its objects: an archive policy, a resource type, a
//! resource with a metric, measures, and alarms on that metric.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = ADMIN.to_vec();
    v.extend_from_slice(rest);
    v
}

fn in_catalog(service: &str) -> bool {
    let cat = osc_json(&a(&["catalog", "list"]));
    let found = cat
        .as_array()
        .is_some_and(|s| s.iter().any(|e| e["Type"] == service));
    if !found {
        eprintln!(
            "SKIP: the devcloud's catalog has no {service} service (devcloud/up --layers 1-3)"
        );
    }
    found
}

/// Runs the cleanup commands (in reverse) when the test ends, whatever happened.
#[derive(Default)]
struct Cleanup(Vec<Vec<String>>);

impl Cleanup {
    fn push(&mut self, cmd: &[&str]) {
        self.0.push(cmd.iter().map(|s| s.to_string()).collect());
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for cmd in self.0.iter().rev() {
            let v: Vec<&str> = cmd.iter().map(String::as_str).collect();
            let _ = osc(&a(&v));
        }
    }
}

fn fails_with(args: &[&str], message: &str) {
    let out = osc(&a(args));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(err.contains(message), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn both(args: &[&str]) -> (serde_json::Value, serde_json::Value) {
    let mut v = args.to_vec();
    v.extend_from_slice(&["-f", "json"]);
    (osc_json(&a(&v)), openstack_json(&a(&v)))
}

#[test]
fn metrics_measures_and_alarms() {
    require_cloud!();
    if !in_catalog("metric") {
        return;
    }
    let mut clean = Cleanup::default();
    let policy = unique("osc-ap");
    osc_json(&a(&[
        "metric",
        "archive-policy",
        "create",
        &policy,
        "-d",
        "granularity:1s,points:3600",
        "-m",
        "mean",
        "-m",
        "max",
        "-f",
        "json",
    ]));
    clean.push(&["metric", "archive-policy", "delete", &policy]);
    let (ours, theirs) = both(&["metric", "archive-policy", "show", &policy]);
    assert_same_json(&ours, &theirs, &[]);

    let rtype = unique("osc_rt").replace('-', "_");
    osc_json(&a(&[
        "metric",
        "resource-type",
        "create",
        &rtype,
        "-a",
        "host:string:false:max_length=64",
        "-f",
        "json",
    ]));
    clean.push(&["metric", "resource-type", "delete", &rtype]);
    let (ours, theirs) = both(&["metric", "resource-type", "show", &rtype]);
    assert_same_json(&ours, &theirs, &[]);

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
        "-n",
        &format!("cpu:{policy}"),
        "-f",
        "json",
    ]));
    clean.push(&["metric", "resource", "delete", res["id"].as_str().unwrap()]);
    assert_eq!(res["host"], "h1");
    assert_eq!(res["original_resource_id"], rid.as_str());
    let (ours, theirs) = both(&["metric", "resource", "show", "-t", &rtype, &rid]);
    assert_same_json(&ours, &theirs, &[]);
    let q = format!("original_resource_id='{rid}'");
    let (ours, theirs) = both(&["metric", "resource", "search", "-t", &rtype, &q]);
    assert_eq!(ours.as_array().map(Vec::len), Some(1));
    assert_same_json(&ours, &theirs, &[]);

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
    ]));
    let show = [
        "metric",
        "measures",
        "show",
        "-r",
        &rid,
        "cpu",
        "--refresh",
        "--aggregation",
        "max",
        "--start",
        "2024-01-02T09:00",
        "--granularity",
        "1",
    ];
    let (ours, theirs) = both(&show);
    assert_eq!(ours.as_array().map(Vec::len), Some(2), "{ours}");
    assert_eq!(ours[1]["value"], 5.5);
    assert_same_json(&ours, &theirs, &[]);
    let (ours, theirs) = both(&["metric", "show", "-r", &rid, "cpu"]);
    assert_same_json(&ours, &theirs, &[]);
    let metric_id = ours["id"].as_str().unwrap().to_string();

    // Bad input, in gnocchiclient's words, before any request.
    fails_with(
        &["metric", "show", "cpu"],
        "resource_id is required to get a metric by name",
    );
    fails_with(
        &[
            "metric",
            "archive-policy",
            "create",
            &unique("osc-ap"),
            "-d",
            "points:5",
        ],
        "invalid archive_policy_definition value",
    );
    fails_with(
        &["metric", "measures", "add", &metric_id, "-m", "now@x"],
        "invalid measure value",
    );
    fails_with(
        &["metric", "measures", "show", &metric_id, "--start", "soon"],
        "invalid parse_date value",
    );
    fails_with(
        &["metric", "archive-policy", "show", &unique("osc-none")],
        "not",
    );

    if !in_catalog("alarming") {
        return;
    }
    let alarm = unique("osc-alarm");
    let created = osc_json(&a(&[
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
        res["id"].as_str().unwrap(),
        "--resource-type",
        &rtype,
        "--aggregation-method",
        "mean",
        "--granularity",
        "1",
        "-f",
        "json",
    ]));
    let alarm_id = created["alarm_id"].as_str().unwrap().to_string();
    clean.push(&["alarm", "delete", &alarm_id]);
    let (ours, theirs) = both(&["alarm", "show", &alarm_id]);
    assert_same_json(&ours, &theirs, &[]);
    let (ours, theirs) = both(&["alarm", "show", "--name", &alarm]);
    assert_same_json(&ours, &theirs, &[]);
    let set = osc_json(&a(&[
        "alarm", "state", "set", "--name", &alarm, "--state", "alarm", "-f", "json",
    ]));
    assert_eq!(set["state"], "alarm");
    let (ours, theirs) = both(&["alarm", "state", "get", &alarm_id]);
    assert_eq!(ours, theirs);
    let hist = osc_json(&a(&["alarm-history", "show", &alarm_id, "-f", "json"]));
    assert!(
        hist.as_array()
            .unwrap()
            .iter()
            .any(|h| h["type"] == "state transition"
                && h["detail"].as_str().is_some_and(|d| d.contains("alarm"))),
        "{hist}"
    );

    let comp = unique("osc-comp");
    let rule = format!(
        r#"{{"or": [{{"type": "gnocchi_resources_threshold", "metric": "cpu", "threshold": 1, "resource_id": "{}", "resource_type": "{rtype}", "aggregation_method": "mean"}}, {{"type": "gnocchi_resources_threshold", "metric": "cpu", "threshold": 9, "resource_id": "{}", "resource_type": "{rtype}", "aggregation_method": "max"}}]}}"#,
        res["id"].as_str().unwrap(),
        res["id"].as_str().unwrap()
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
        "-f",
        "json",
    ]));
    let comp_id = c["alarm_id"].as_str().unwrap().to_string();
    clean.push(&["alarm", "delete", &comp_id]);
    let (ours, theirs) = both(&["alarm", "show", &comp_id]);
    assert_same_json(&ours, &theirs, &[]);
    let (ours, theirs) = both(&["alarm", "list", "--query", &format!("name={comp}")]);
    assert_same_json(&ours, &theirs, &[]);

    fails_with(
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
    fails_with(&["alarm", "show", &unique("osc-none")], "not found");
    fails_with(
        &["alarm", "state", "get"],
        "You need to specify one of alarm ID and alarm name(--name)",
    );
}
