//! Functional tests of the network plugin's service commands (flavors and profiles, agents,
//! IP availability, segments and ranges, trunks, port forwardings, conntrack helpers, NDP
//! proxies, auto-allocated topology, service providers, subnet onboarding) against the
//! devcloud, compared with python-openstackclient's `-f json` output and messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "functional")]

mod support;
use serde_json::Value;
use support::*;

const ADMIN: &str = "devstack-admin";
const DEMO: &str = "devstack";

fn on<'a>(cloud: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", cloud];
    v.extend_from_slice(rest);
    v
}

/// Both clients' `-f json` on the same command, compared.
fn same(cloud: &str, cmd: &[&str]) -> Value {
    let ours = osc_json(&on(cloud, cmd));
    assert_same_json(&ours, &openstack_json(&on(cloud, cmd)), &[]);
    ours
}

/// A failing command: the same exit code and the same stderr lines from both clients
/// (osc's host prefixes a plugin's warnings with "network: ").
fn same_failure(cloud: &str, cmd: &[&str]) -> String {
    let ours = osc(&on(cloud, cmd));
    let theirs = openstack(&on(cloud, cmd));
    let lines = |o: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .map(|l| l.strip_prefix("network: ").unwrap_or(l).to_string())
            .filter(|l| !l.contains("eventlet") && !l.trim().is_empty())
            .collect()
    };
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "exit codes of {cmd:?}"
    );
    assert_eq!(lines(&ours), lines(&theirs), "stderr of {cmd:?}");
    lines(&ours).join("\n")
}

/// Whether Neutron offers the extension `alias`; prints why a test skips when not.
fn extension(alias: &str) -> bool {
    let exts = osc_json(&on(ADMIN, &["extension", "list", "--network"]));
    let found = exts
        .as_array()
        .is_some_and(|a| a.iter().any(|e| e["Alias"] == alias));
    if !found {
        eprintln!("SKIP: Neutron has no {alias} extension in the devcloud");
    }
    found
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

#[test]
fn flavor_and_profile_round_trip() {
    require_cloud!();
    if !extension("flavors") {
        return;
    }
    let name = unique("osc-flavor");
    let created = osc_json(&on(
        ADMIN,
        &[
            "network",
            "flavor",
            "create",
            &name,
            "--service-type",
            "L3_ROUTER_NAT",
            "--description",
            "by osc",
            "--disable",
        ],
    ));
    assert_eq!(created["enabled"], false);
    assert_eq!(created["description"], "by osc");
    let id = id_of(&created);
    same(ADMIN, &["network", "flavor", "show", &name]);
    same(ADMIN, &["network", "flavor", "show", &id]);
    osc_ok(&on(
        ADMIN,
        &[
            "network",
            "flavor",
            "set",
            &name,
            "--enable",
            "--description",
            "d2",
        ],
    ));
    let shown = same(ADMIN, &["network", "flavor", "show", &id]);
    assert_eq!(shown["enabled"], true);
    assert_eq!(shown["description"], "d2");
    let renamed = unique("osc-flavor");
    osc_ok(&on(
        ADMIN,
        &[
            "network",
            "flavor",
            "set",
            &id,
            "--name",
            &renamed,
            "--disable",
        ],
    ));
    let listed = same(ADMIN, &["network", "flavor", "list"]);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["Name"] == renamed.as_str()));

    // A profile needs a driver or metainfo; with metainfo only the driver is empty.
    same_failure(
        ADMIN,
        &[
            "network",
            "flavor",
            "profile",
            "create",
            "--description",
            "x",
        ],
    );
    let profile = osc_json(&on(
        ADMIN,
        &[
            "network",
            "flavor",
            "profile",
            "create",
            "--metainfo",
            "{\"a\": 1}",
            "--description",
            "p",
        ],
    ));
    assert_eq!(profile["driver"], "");
    assert_eq!(profile["meta_info"], "{\"a\": 1}");
    let pid = id_of(&profile);
    same(ADMIN, &["network", "flavor", "profile", "show", &pid]);
    osc_ok(&on(
        ADMIN,
        &[
            "network",
            "flavor",
            "profile",
            "set",
            &pid,
            "--disable",
            "--description",
            "p2",
        ],
    ));
    let p = same(ADMIN, &["network", "flavor", "profile", "show", &pid]);
    assert_eq!(p["enabled"], false);
    assert_eq!(p["description"], "p2");
    same(ADMIN, &["network", "flavor", "profile", "list"]);
    same(
        ADMIN,
        &["network", "flavor", "profile", "list", "--limit", "1"],
    );
    same(ADMIN, &["network", "flavor", "list", "--max-items", "1"]);

    osc_ok(&on(
        ADMIN,
        &["network", "flavor", "add", "profile", &renamed, &pid],
    ));
    let with = same(ADMIN, &["network", "flavor", "show", &id]);
    assert_eq!(with["service_profile_ids"], serde_json::json!([pid]));
    osc_ok(&on(
        ADMIN,
        &["network", "flavor", "remove", "profile", &id, &pid],
    ));
    let without = same(ADMIN, &["network", "flavor", "show", &id]);
    assert_eq!(without["service_profile_ids"], serde_json::json!([]));

    let missing = unique("osc-missing");
    same_failure(ADMIN, &["network", "flavor", "show", &missing]);
    same_failure(ADMIN, &["network", "flavor", "profile", "show", &missing]);
    let out = osc(&on(
        ADMIN,
        &["network", "flavor", "delete", &renamed, &missing],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 2 flavors failed to delete."));
    let out = osc(&on(
        ADMIN,
        &["network", "flavor", "profile", "delete", &pid, &missing],
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 of 2 flavor_profiles failed to delete.")
    );
    same_failure(ADMIN, &["network", "flavor", "delete", &missing]);
    same_failure(ADMIN, &["network", "flavor", "profile", "delete", &missing]);
}
