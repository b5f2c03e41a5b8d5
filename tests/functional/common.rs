//! Functional tests of osc-common (quota, limits, availability zone, extension, project
//! cleanup) against the devcloud: osc's `-f json` compared with python-openstackclient's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::sync::Mutex;

const ADMIN: &str = "devstack-admin";

/// Quota tests change quotas that `quota list` shows: one at a time.
static QUOTAS: Mutex<()> = Mutex::new(());

fn args<'a>(a: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", ADMIN];
    v.extend_from_slice(a);
    v
}

fn ours(a: &[&str]) -> Value {
    osc_json(&args(a))
}

fn theirs(a: &[&str]) -> Value {
    openstack_json(&args(a))
}

fn same(a: &[&str], ignore: &[&str]) {
    assert_same_json(&stable(ours(a)), &stable(theirs(a)), ignore);
}

/// Without the per-volume-type quotas of types other tests create and delete meanwhile.
fn stable(v: Value) -> Value {
    match v {
        Value::Array(rows) => Value::Array(
            rows.into_iter()
                .filter(|r| !r["Resource"].as_str().is_some_and(|n| n.contains("osc")))
                .collect(),
        ),
        v => v,
    }
}

/// The `Limit` of one resource in `quota show` output.
fn limit(rows: &Value, resource: &str) -> Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["Resource"] == resource)
        .unwrap_or_else(|| panic!("no {resource} in {rows}"))["Limit"]
        .clone()
}

#[test]
fn quota_show_matches_reference() {
    require_cloud!();
    let _g = QUOTAS.lock().unwrap_or_else(|e| e.into_inner());
    same(&["quota", "show"], &[]);
    same(&["quota", "show", "--default"], &[]);
    same(&["quota", "show", "alt_demo", "--network"], &[]);
    // Usage moves with whatever else runs on the cloud: compare the resources and limits.
    let strip = |v: Value| -> Vec<(Value, Value)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["Resource"].clone(), r["Limit"].clone()))
            .collect()
    };
    let u = ["quota", "show", "--usage"];
    assert_eq!(strip(stable(ours(&u))), strip(stable(theirs(&u))));
}

/// Runs an osc command when dropped (restores state even when an assertion fails).
struct Restore(Vec<String>);

impl Drop for Restore {
    fn drop(&mut self) {
        let a: Vec<&str> = self.0.iter().map(String::as_str).collect();
        let out = osc(&a);
        if !out.status.success() {
            eprintln!(
                "restoring failed: osc {}: {}",
                a.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn quota_set_then_show_on_alt_demo() {
    require_cloud!();
    let _g = QUOTAS.lock().unwrap_or_else(|e| e.into_inner());
    let before = stable(ours(&["quota", "show", "alt_demo"]));
    let old: Vec<(&str, &str, Value)> = [
        ("--cores", "cores"),
        ("--volumes", "volumes"),
        ("--networks", "networks"),
        ("--key-pairs", "key-pairs"),
    ]
    .into_iter()
    .map(|(opt, res)| (opt, res, limit(&before, res)))
    .collect();
    // Put the old values back however the test ends.
    let olds: Vec<String> = old.iter().map(|(_, _, v)| v.to_string()).collect();
    let mut restore: Vec<String> = vec![
        "--os-cloud".into(),
        ADMIN.into(),
        "quota".into(),
        "set".into(),
        "alt_demo".into(),
    ];
    for ((opt, _, _), v) in old.iter().zip(&olds) {
        restore.extend([opt.to_string(), v.clone()]);
    }
    let guard = Restore(restore);
    let mut set = vec!["quota", "set"];
    let new: Vec<String> = old
        .iter()
        .map(|(_, _, v)| (v.as_i64().unwrap() + 7).to_string())
        .collect();
    for ((opt, _, _), n) in old.iter().zip(&new) {
        set.extend([*opt, n.as_str()]);
    }
    set.push("alt_demo");
    osc_ok(&args(&set));
    let after = stable(ours(&["quota", "show", "alt_demo"]));
    assert_same_json(&after, &stable(theirs(&["quota", "show", "alt_demo"])), &[]);
    for ((_, res, _), n) in old.iter().zip(&new) {
        assert_eq!(limit(&after, res).to_string(), *n, "{res}");
    }
    // A project with non-default quotas shows up in `quota list`.
    let id = ours(&["project", "show", "alt_demo"])["id"].clone();
    for svc in ["--compute", "--network"] {
        let listed = ours(&["quota", "list", svc]);
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["Project ID"] == id),
            "{svc}: {listed}"
        );
    }
    drop(guard);
    assert_same_json(&stable(ours(&["quota", "show", "alt_demo"])), &before, &[]);
}

#[test]
fn quota_list_compute_matches_reference() {
    require_cloud!();
    let _g = QUOTAS.lock().unwrap_or_else(|e| e.into_inner());
    same(&["quota", "list", "--compute"], &[]);
}

#[test]
fn limits_show_absolute_matches_reference() {
    require_cloud!();
    let a = ["limits", "show", "--absolute"];
    let (o, r) = (ours(&a), theirs(&a));
    let (o, r) = (o.as_array().unwrap(), r.as_array().unwrap());
    let names = |v: &[Value]| v.iter().map(|x| x["Name"].clone()).collect::<Vec<_>>();
    assert_eq!(names(o), names(r));
    // Usage counters move with other tests; limits must agree.
    for (x, y) in o.iter().zip(r) {
        if !x["Name"].as_str().unwrap().contains("used") {
            assert_eq!(x, y);
        }
    }
    same(&["limits", "show", "--rate"], &[]);
}

#[test]
fn availability_zone_list_matches_reference() {
    require_cloud!();
    same(&["availability", "zone", "list"], &[]);
    same(&["availability", "zone", "list", "--volume"], &[]);
    // Service heartbeats move between two reads.
    same(
        &["availability", "zone", "list", "--long"],
        &["Service Status"],
    );
}

#[test]
fn extension_list_and_show_match_reference() {
    require_cloud!();
    same(&["extension", "list", "--network"], &[]);
    same(&["extension", "list", "--network", "--long"], &[]);
    same(&["extension", "show", "router"], &[]);
    let out = osc(&args(&["extension", "show", "no-such-extension"]));
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn project_cleanup_dry_run_lists_a_fresh_projects_network() {
    require_cloud!();
    let project = unique("osc-cleanup");
    let net = unique("osc-cleanup-net");
    openstack_ok(&args(&["project", "create", &project]));
    openstack_ok(&args(&[
        "role",
        "add",
        "--project",
        &project,
        "--user",
        "admin",
        "admin",
    ]));
    openstack_ok(&args(&["network", "create", "--project", &project, &net]));
    let cmd = ["project", "cleanup", "--dry-run", "--project", &project];
    let ours_out = osc_ok(&args(&cmd));
    let theirs_out = openstack_ok(&args(&cmd));
    // Clean up before asserting.
    openstack_ok(&args(&["network", "delete", &net]));
    openstack_ok(&args(&["project", "delete", &project]));
    assert!(ours_out.contains("| Network |"), "{ours_out}");
    assert!(ours_out.contains(&net), "{ours_out}");
    // openstacksdk also lists every other project's unattached router an admin can see
    // (and would delete them); osc keeps to the project. Otherwise the same rows.
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Type"))
            .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>().join("|"))
            .collect()
    };
    let (o, r) = (rows(&ours_out), rows(&theirs_out));
    let extra: Vec<&String> = r.iter().filter(|x| !o.contains(x)).collect();
    assert!(
        o.iter().all(|x| r.contains(x)),
        "osc:\n{ours_out}\nopenstack:\n{theirs_out}"
    );
    assert!(
        extra.iter().all(|x| x.starts_with("|Router|")),
        "osc:\n{ours_out}\nopenstack:\n{theirs_out}"
    );
    if extra.is_empty() {
        assert_eq!(ours_out, theirs_out);
    }
}

#[test]
fn bad_input_is_one_line_and_nonzero() {
    require_cloud!();
    for a in [
        vec!["quota", "list"],
        vec!["limits", "show"],
        vec!["quota", "set", "--cores", "many", "admin"],
        vec!["quota", "show", "no-such-project-x"],
        vec!["project", "cleanup", "--dry-run"],
        vec![
            "project",
            "cleanup",
            "--dry-run",
            "--auth-project",
            "--created-before",
            "soon",
        ],
    ] {
        let out = osc(&args(&a));
        assert!(!out.status.success(), "{a:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{a:?}: {err}");
        assert!(!err.contains("panicked"), "{a:?}: {err}");
    }
}
