//! Functional tests of osc-volume against the devcloud (fake Cinder driver): every test
//! compares osc's `-f json` with python-openstackclient's and cleans up what it creates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;

const DEMO: &str = "devstack";
const ADMIN: &str = "devstack-admin";
const ALT: &str = "devstack-alt";

fn with_cloud<'a>(cloud: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", cloud];
    v.extend_from_slice(args);
    v
}

fn ours(cloud: &str, args: &[&str]) -> Value {
    osc_json(&with_cloud(cloud, args))
}

fn theirs(cloud: &str, args: &[&str]) -> Value {
    openstack_json(&with_cloud(cloud, args))
}

fn ok(cloud: &str, args: &[&str]) -> String {
    osc_ok(&with_cloud(cloud, args))
}

/// Polls `<kind> show` until the status is `want` (bounded; each call is a round trip).
fn wait_status(cloud: &str, kind: &[&str], id: &str, want: &str) -> Value {
    let mut last = Value::Null;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    while std::time::Instant::now() < deadline {
        let mut args = kind.to_vec();
        args.extend(["show", id]);
        last = ours(cloud, &args);
        let status = last["status"].as_str().unwrap_or("");
        if status == want {
            return last;
        }
        assert!(
            !status.starts_with("error"),
            "{} {id} went to {status}",
            kind.join(" ")
        );
    }
    panic!("{} {id} never reached {want}: {last}", kind.join(" "));
}

/// Polls `<kind> show` until the status is `want`; `None` if it never gets there.
fn try_wait_status(cloud: &str, kind: &[&str], id: &str, want: &str) -> Option<Value> {
    // Bounded by time, not by polls: backing up a 1 GiB volume takes cinder-backup a while.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    while std::time::Instant::now() < deadline {
        let mut args = kind.to_vec();
        args.extend(["show", id]);
        let v = ours(cloud, &args);
        if v["status"] == want {
            return Some(v);
        }
        if v["status"].as_str().is_some_and(|s| s.starts_with("error")) {
            return None;
        }
    }
    None
}

/// Polls until `show` fails (the resource is gone).
fn wait_gone(cloud: &str, kind: &[&str], id: &str) {
    for _ in 0..300 {
        let mut args = with_cloud(cloud, kind);
        args.extend(["show", id]);
        if !osc(&args).status.success() {
            return;
        }
    }
    panic!("{} {id} was never deleted", kind.join(" "));
}

fn create_volume(cloud: &str, name: &str) -> String {
    let v = ours(cloud, &["volume", "create", "--size", "1", name]);
    let id = v["id"].as_str().unwrap().to_string();
    wait_status(cloud, &["volume"], &id, "available");
    id
}

fn delete_volume(cloud: &str, id: &str) {
    let _ = osc(&with_cloud(cloud, &["volume", "delete", id]));
    wait_gone(cloud, &["volume"], id);
}

#[test]
fn volume_create_show_set_unset_list_delete() {
    require_cloud!();
    let name = unique("osc-vol");
    let created = ours(
        DEMO,
        &[
            "volume",
            "create",
            "--size",
            "1",
            "--property",
            "a=b",
            "--description",
            "d",
            &name,
        ],
    );
    for k in [
        "id",
        "name",
        "size",
        "properties",
        "type",
        "status",
        "bootable",
    ] {
        assert!(
            created.get(k).is_some(),
            "volume create lacks {k}: {created}"
        );
    }
    let id = created["id"].as_str().unwrap().to_string();
    wait_status(DEMO, &["volume"], &id, "available");

    // Cinder's volume service fills service_uuid and shared_targets a moment after the
    // volume turns available, so the two reads may straddle it (a CI run saw it).
    assert_same_json(
        &ours(DEMO, &["volume", "show", &id]),
        &theirs(DEMO, &["volume", "show", &id]),
        &["service_uuid", "shared_targets"],
    );

    let renamed = unique("osc-vol-renamed");
    ok(
        DEMO,
        &[
            "volume",
            "set",
            "--name",
            &renamed,
            "--property",
            "x=y",
            "--no-property",
            "--bootable",
            &id,
        ],
    );
    let shown = ours(DEMO, &["volume", "show", &renamed]);
    assert_eq!(shown["properties"], serde_json::json!({"x": "y"}));
    assert_eq!(shown["bootable"], Value::Bool(true));
    ok(DEMO, &["volume", "unset", "--property", "x", &id]);
    assert_same_json(
        &ours(DEMO, &["volume", "show", &id]),
        &theirs(DEMO, &["volume", "show", &id]),
        &[],
    );

    let list_args = ["volume", "list", "--name", renamed.as_str(), "--long"];
    assert_same_json(&ours(DEMO, &list_args), &theirs(DEMO, &list_args), &[]);

    ok(DEMO, &["volume", "delete", &id]);
    wait_gone(DEMO, &["volume"], &id);
}

#[test]
fn volume_errors_are_one_line_and_nonzero() {
    require_cloud!();
    let out = osc(&with_cloud(DEMO, &["volume", "show", "no-such-volume-osc"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("No Volume found for no-such-volume-osc"),
        "{err}"
    );
    let out = osc(&with_cloud(DEMO, &["volume", "create", "x"]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--size is a required option"));
    let out = osc(&with_cloud(
        DEMO,
        &[
            "volume",
            "create",
            "--size",
            "1",
            "--property",
            "novalue",
            "x",
        ],
    ));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Expected 'key=value' type"));
}

#[test]
fn snapshot_create_list_show_delete() {
    require_cloud!();
    let vol = create_volume(DEMO, &unique("osc-snapvol"));
    let name = unique("osc-snap");
    let snap = ours(
        DEMO,
        &[
            "volume",
            "snapshot",
            "create",
            "--volume",
            &vol,
            "--property",
            "k=v",
            &name,
        ],
    );
    let id = snap["id"].as_str().unwrap().to_string();
    wait_status(DEMO, &["volume", "snapshot"], &id, "available");
    assert_same_json(
        &ours(DEMO, &["volume", "snapshot", "show", &id]),
        &theirs(DEMO, &["volume", "snapshot", "show", &id]),
        &[],
    );
    let list_args = [
        "volume",
        "snapshot",
        "list",
        "--name",
        name.as_str(),
        "--long",
    ];
    assert_same_json(&ours(DEMO, &list_args), &theirs(DEMO, &list_args), &[]);
    ok(DEMO, &["volume", "snapshot", "delete", &id]);
    wait_gone(DEMO, &["volume", "snapshot"], &id);
    delete_volume(DEMO, &vol);
}

#[test]
fn volume_type_create_set_show_delete() {
    require_cloud!();
    let name = unique("osc-type");
    let created = ours(
        ADMIN,
        &[
            "volume",
            "type",
            "create",
            "--property",
            "a=b",
            "--private",
            &name,
        ],
    );
    let reference_keys = [
        "access_project_ids",
        "description",
        "id",
        "is_public",
        "name",
        "properties",
    ];
    let id = created["id"].as_str().unwrap().to_string();
    ok(
        ADMIN,
        &[
            "volume",
            "type",
            "set",
            "--description",
            "described",
            "--property",
            "c=d",
            "--project",
            "demo",
            &id,
        ],
    );
    let shown = ours(ADMIN, &["volume", "type", "show", &id]);
    assert_same_json(
        &shown,
        &theirs(ADMIN, &["volume", "type", "show", &id]),
        &[],
    );
    for k in reference_keys {
        assert!(shown.get(k).is_some(), "volume type show lacks {k}");
    }
    assert_eq!(shown["properties"], serde_json::json!({"a": "b", "c": "d"}));
    ok(
        ADMIN,
        &[
            "volume",
            "type",
            "unset",
            "--property",
            "a",
            "--project",
            "demo",
            &id,
        ],
    );
    assert_same_json(
        &ours(ADMIN, &["volume", "type", "show", &id]),
        &theirs(ADMIN, &["volume", "type", "show", &id]),
        &[],
    );
    assert_same_json(
        &ours(ADMIN, &["volume", "type", "list", "--long"]),
        &theirs(ADMIN, &["volume", "type", "list", "--long"]),
        &[],
    );
    ok(ADMIN, &["volume", "type", "delete", &id]);
}

#[test]
fn attach_through_compute_and_detach() {
    require_cloud!();
    let server = unique("osc-vm");
    let vm = theirs(
        DEMO,
        &[
            "server",
            "create",
            "--image",
            "cirros-0.6.3-x86_64-disk",
            "--flavor",
            "m1.tiny",
            "--nic",
            "none",
            "--wait",
            &server,
        ],
    );
    let server_id = vm["id"].as_str().unwrap().to_string();
    let vol_name = unique("osc-attach");
    let vol = create_volume(DEMO, &vol_name);
    openstack_ok(&with_cloud(
        DEMO,
        &["server", "add", "volume", &server_id, &vol],
    ));
    wait_status(DEMO, &["volume"], &vol, "in-use");

    assert_same_json(
        &ours(DEMO, &["volume", "show", &vol]),
        &theirs(DEMO, &["volume", "show", &vol]),
        &[],
    );
    // Only this test's volume: others run concurrently and change state.
    let list_args = ["volume", "list", "--long", "--name", vol_name.as_str()];
    assert_same_json(&ours(DEMO, &list_args), &theirs(DEMO, &list_args), &[]);
    // The table names the server, as OSC's AttachmentsColumn does.
    let table = ok(
        DEMO,
        &["volume", "list", "--name", &vol_name, "-c", "Attached to"],
    );
    assert!(
        table.contains(&format!("Attached to {server} on ")),
        "{table}"
    );
    let attachments = ours(DEMO, &["volume", "attachment", "list", "--volume-id", &vol]);
    assert_same_json(
        &attachments,
        &theirs(DEMO, &["volume", "attachment", "list", "--volume-id", &vol]),
        &[],
    );

    openstack_ok(&with_cloud(
        DEMO,
        &["server", "remove", "volume", &server_id, &vol],
    ));
    wait_status(DEMO, &["volume"], &vol, "available");
    delete_volume(DEMO, &vol);
    // Cleanup only: the check is done, a slow or flaky compute must not fail it.
    let out = openstack(&with_cloud(
        DEMO,
        &["server", "delete", "--wait", &server_id],
    ));
    if !out.status.success() {
        eprintln!(
            "warning: could not delete server {server_id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn transfer_request_create_accept() {
    require_cloud!();
    let vol = create_volume(DEMO, &unique("osc-xfer"));
    let name = unique("osc-xfer-req");
    let req = ours(
        DEMO,
        &[
            "volume", "transfer", "request", "create", "--name", &name, &vol,
        ],
    );
    let mut keys: Vec<&String> = req.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["auth_key", "created_at", "id", "name", "volume_id"]);
    let id = req["id"].as_str().unwrap().to_string();
    assert_same_json(
        &ours(DEMO, &["volume", "transfer", "request", "show", &id]),
        &theirs(DEMO, &["volume", "transfer", "request", "show", &id]),
        &[],
    );
    assert_same_json(
        &ours(DEMO, &["volume", "transfer", "request", "list"]),
        &theirs(DEMO, &["volume", "transfer", "request", "list"]),
        &[],
    );
    let accepted = ours(
        ALT,
        &[
            "volume",
            "transfer",
            "request",
            "accept",
            "--auth-key",
            req["auth_key"].as_str().unwrap(),
            &id,
        ],
    );
    assert_eq!(accepted["volume_id"], Value::String(vol.clone()));
    assert_eq!(accepted["id"], Value::String(id));
    delete_volume(ALT, &vol);
}

#[test]
fn backup_create_restore() {
    require_cloud!();
    let services = ours(
        ADMIN,
        &["volume", "service", "list", "--service", "cinder-backup"],
    );
    if services
        .as_array()
        .is_none_or(|a| !a.iter().any(|s| s["State"] == "up"))
    {
        eprintln!("SKIP: cinder-backup is not running");
        return;
    }
    let vol = create_volume(DEMO, &unique("osc-bkvol"));
    let name = unique("osc-backup");
    let b = ours(DEMO, &["volume", "backup", "create", "--name", &name, &vol]);
    assert_eq!(b["volume_id"], Value::String(vol.clone()));
    let id = b["id"].as_str().unwrap().to_string();
    if try_wait_status(DEMO, &["volume", "backup"], &id, "available").is_none() {
        // cinder-backup never finished: clean up as admin (which exercises `set --state`),
        // then fail with the reason.
        ok(ADMIN, &["volume", "backup", "set", "--state", "error", &id]);
        ok(ADMIN, &["volume", "backup", "delete", &id]);
        ok(ADMIN, &["volume", "set", "--state", "available", &vol]);
        delete_volume(DEMO, &vol);
        panic!("cinder-backup did not complete backup {id}; see the devcloud's cinder-backup.log");
    }
    assert_same_json(
        &ours(DEMO, &["volume", "backup", "show", &id]),
        &theirs(DEMO, &["volume", "backup", "show", &id]),
        &[],
    );
    let list_args = [
        "volume",
        "backup",
        "list",
        "--name",
        name.as_str(),
        "--long",
    ];
    assert_same_json(&ours(DEMO, &list_args), &theirs(DEMO, &list_args), &[]);
    let restored_name = unique("osc-restored");
    let r = ours(DEMO, &["volume", "backup", "restore", &id, &restored_name]);
    assert_eq!(r["id"], Value::String(id.clone()));
    let restored = r["volume_id"].as_str().unwrap().to_string();
    wait_status(DEMO, &["volume"], &restored, "available");
    wait_status(DEMO, &["volume", "backup"], &id, "available");
    ok(DEMO, &["volume", "backup", "delete", &id]);
    wait_gone(DEMO, &["volume", "backup"], &id);
    delete_volume(DEMO, &restored);
    delete_volume(DEMO, &vol);
}

#[test]
fn qos_and_listings_match() {
    require_cloud!();
    let name = unique("osc-qos");
    let q = ours(
        ADMIN,
        &[
            "volume",
            "qos",
            "create",
            "--property",
            "read_iops_sec=100",
            &name,
        ],
    );
    let id = q["id"].as_str().unwrap().to_string();
    assert_same_json(&q, &theirs(ADMIN, &["volume", "qos", "show", &id]), &[]);
    ok(
        ADMIN,
        &[
            "volume",
            "qos",
            "set",
            "--property",
            "write_iops_sec=5",
            &id,
        ],
    );
    assert_same_json(
        &ours(ADMIN, &["volume", "qos", "show", &id]),
        &theirs(ADMIN, &["volume", "qos", "show", &id]),
        &[],
    );
    ok(ADMIN, &["volume", "qos", "delete", &id]);
    for args in [
        &["volume", "service", "list", "--long"][..],
        &["volume", "backend", "pool", "list"][..],
        &["volume", "summary"][..],
        &["block", "storage", "resource", "filter", "list"][..],
    ] {
        assert_same_json(&ours(ADMIN, args), &theirs(ADMIN, args), &["Updated At"]);
    }
}
