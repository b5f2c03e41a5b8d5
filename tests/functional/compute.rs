//! Functional tests of osc-compute against the devcloud (Nova's fake driver): our JSON
//! output is compared with python-openstackclient's for the same objects.

use crate::support::*;
use serde_json::Value;

const DEMO: &str = "devstack";
const ADMIN: &str = "devstack-admin";
const IMAGE: &str = "cirros-0.6.3-x86_64-disk";
const FLAVOR: &str = "m1.nano";

fn ours(cloud: &str, args: &[&str]) -> Value {
    let mut a = vec!["--os-cloud", cloud];
    a.extend_from_slice(args);
    osc_json(&a)
}

fn theirs(cloud: &str, args: &[&str]) -> Value {
    let mut a = vec!["--os-cloud", cloud];
    a.extend_from_slice(args);
    openstack_json(&a)
}

fn run(cloud: &str, args: &[&str]) -> String {
    let mut a = vec!["--os-cloud", cloud];
    a.extend_from_slice(args);
    osc_ok(&a)
}

/// Deletes what a test created, even when it fails half-way.
struct Cleanup(Vec<(String, Vec<String>)>);

impl Cleanup {
    fn new() -> Self {
        Cleanup(Vec::new())
    }
    fn add(&mut self, cloud: &str, args: &[&str]) {
        self.0.push((
            cloud.to_string(),
            args.iter().map(|s| s.to_string()).collect(),
        ));
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for (cloud, args) in self.0.iter().rev() {
            let mut a: Vec<&str> = vec!["--os-cloud", cloud];
            a.extend(args.iter().map(String::as_str));
            let _ = osc(&a);
        }
    }
}

#[test]
fn flavor_crud_matches_openstack() {
    require_cloud!();
    let name = unique("fl");
    let mut c = Cleanup::new();
    let created = ours(
        ADMIN,
        &[
            "flavor",
            "create",
            &name,
            "--ram",
            "128",
            "--vcpus",
            "1",
            "--private",
            "--property",
            "a=b",
        ],
    );
    c.add(ADMIN, &["flavor", "delete", &name]);
    assert_eq!(created["name"], name.as_str());
    assert_eq!(created["properties"]["a"], "b");
    assert_eq!(created["os-flavor-access:is_public"], false);

    run(
        ADMIN,
        &[
            "flavor",
            "set",
            &name,
            "--property",
            "c=d",
            "--project",
            "demo",
        ],
    );
    let shown = ours(ADMIN, &["flavor", "show", &name]);
    assert_same_json(&shown, &theirs(ADMIN, &["flavor", "show", &name]), &[]);
    assert_eq!(
        shown["access_project_ids"].as_array().map(Vec::len),
        Some(1)
    );

    run(
        ADMIN,
        &[
            "flavor",
            "unset",
            &name,
            "--property",
            "c",
            "--project",
            "demo",
        ],
    );
    let shown = ours(ADMIN, &["flavor", "show", &name]);
    assert!(shown["properties"].get("c").is_none());

    // Only our row: other tests may change other flavors meanwhile.
    let row = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|f| f["Name"] == name.as_str())
            .cloned()
            .unwrap()
    };
    let list = row(ours(ADMIN, &["flavor", "list", "--all", "--long"]));
    assert_same_json(
        &list,
        &row(theirs(ADMIN, &["flavor", "list", "--all", "--long"])),
        &[],
    );

    run(ADMIN, &["flavor", "delete", &name]);
    let gone = osc(&["--os-cloud", ADMIN, "flavor", "show", &name]);
    assert!(!gone.status.success());
}

#[test]
fn keypair_create_show_delete() {
    require_cloud!();
    let name = unique("kp");
    let mut c = Cleanup::new();
    let private = run(DEMO, &["keypair", "create", &name]);
    c.add(DEMO, &["keypair", "delete", &name]);
    assert!(private.contains("BEGIN OPENSSH PRIVATE KEY"), "{private}");
    let shown = ours(DEMO, &["keypair", "show", &name]);
    assert_same_json(&shown, &theirs(DEMO, &["keypair", "show", &name]), &[]);
    let public = run(DEMO, &["keypair", "show", "--public-key", &name]);
    assert!(public.starts_with("ssh-ed25519 "), "{public}");
    let list = ours(DEMO, &["keypair", "list"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["Name"] == name.as_str()));
    run(DEMO, &["keypair", "delete", &name]);
    assert!(!osc(&["--os-cloud", DEMO, "keypair", "show", &name])
        .status
        .success());
}

fn status(name: &str) -> String {
    ours(DEMO, &["server", "show", name])["status"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Polls until the server reaches `want` (for actions that have no --wait).
fn wait_status(name: &str, want: &str) {
    for _ in 0..120 {
        if status(name) == want {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    panic!("server {name} never reached {want} (now {})", status(name));
}

#[test]
fn server_lifecycle_matches_openstack() {
    require_cloud!();
    let name = unique("srv");
    let mut c = Cleanup::new();
    let created = ours(
        DEMO,
        &[
            "server",
            "create",
            &name,
            "--flavor",
            FLAVOR,
            "--image",
            IMAGE,
            "--network",
            "private",
            "--wait",
        ],
    );
    c.add(DEMO, &["server", "delete", "--wait", &name]);
    assert_eq!(created["status"], "ACTIVE");
    assert!(created["adminPass"].is_string());
    let reference_keys = theirs(DEMO, &["server", "show", &name]);
    // create shows the same fields as show, plus the admin password.
    let mut keys: Vec<&String> = created
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "adminPass")
        .collect();
    let mut want: Vec<&String> = reference_keys.as_object().unwrap().keys().collect();
    keys.sort();
    want.sort();
    assert_eq!(keys, want);

    // show and list: same keys and values as python-openstackclient.
    assert_same_json(
        &ours(DEMO, &["server", "show", &name]),
        &theirs(DEMO, &["server", "show", &name]),
        &[],
    );
    let id = created["id"].as_str().unwrap().to_string();
    assert_same_json(
        &ours(DEMO, &["server", "show", &id]),
        &theirs(DEMO, &["server", "show", &id]),
        &[],
    );
    let filter = format!("^{name}$");
    for extra in [&[][..], &["--long"][..]] {
        let mut args = vec!["server", "list", "--name", &filter];
        args.extend_from_slice(extra);
        let list = ours(DEMO, &args);
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        assert_same_json(&list, &theirs(DEMO, &args), &[]);
    }

    run(DEMO, &["server", "stop", &name]);
    wait_status(&name, "SHUTOFF");
    run(DEMO, &["server", "start", &name]);
    wait_status(&name, "ACTIVE");
    run(DEMO, &["server", "reboot", "--wait", &name]);
    assert_eq!(status(&name), "ACTIVE");
    run(DEMO, &["server", "pause", &name]);
    wait_status(&name, "PAUSED");
    run(DEMO, &["server", "unpause", &name]);
    wait_status(&name, "ACTIVE");
    run(DEMO, &["server", "lock", &name]);
    assert_eq!(ours(DEMO, &["server", "show", &name])["locked"], true);
    run(DEMO, &["server", "unlock", &name]);

    let log = osc(&["--os-cloud", DEMO, "console", "log", "show", &name]);
    assert!(
        log.status.success(),
        "{}",
        String::from_utf8_lossy(&log.stderr)
    );

    run(
        DEMO,
        &["server", "resize", "--flavor", "m1.micro", "--wait", &name],
    );
    assert_eq!(status(&name), "VERIFY_RESIZE");
    run(DEMO, &["server", "resize", "confirm", &name]);
    wait_status(&name, "ACTIVE");
    let shown = ours(DEMO, &["server", "show", &name]);
    assert_eq!(shown["flavor"]["original_name"], "m1.micro");

    let rebuilt = ours(DEMO, &["server", "rebuild", "--wait", &name]);
    assert_eq!(rebuilt["id"], id.as_str());
    assert_eq!(status(&name), "ACTIVE");

    run(DEMO, &["server", "shelve", "--wait", &name]);
    assert!(status(&name).starts_with("SHELVED"));
    run(DEMO, &["server", "unshelve", "--wait", &name]);
    assert_eq!(status(&name), "ACTIVE");

    run(DEMO, &["server", "delete", "--wait", &name]);
    assert!(!osc(&["--os-cloud", DEMO, "server", "show", &id])
        .status
        .success());
}

#[test]
fn server_create_without_network() {
    require_cloud!();
    let name = unique("srv-nonet");
    let mut c = Cleanup::new();
    let created = ours(
        DEMO,
        &[
            "server", "create", &name, "--flavor", FLAVOR, "--image", IMAGE, "--nic", "none",
            "--wait",
        ],
    );
    c.add(DEMO, &["server", "delete", "--wait", &name]);
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["addresses"], serde_json::json!({}));
    run(DEMO, &["server", "delete", "--wait", &name]);
}

#[test]
fn server_add_and_remove_volume() {
    require_cloud!();
    let name = unique("srv-vol");
    let vol = unique("vol");
    let mut c = Cleanup::new();
    // The volume commands of osc are used for speed; the reference client would do as well.
    run(DEMO, &["volume", "create", "--size", "1", &vol]);
    c.add(DEMO, &["volume", "delete", &vol]);
    c.add(DEMO, &["server", "delete", "--wait", &name]);
    ours(
        DEMO,
        &[
            "server", "create", &name, "--flavor", FLAVOR, "--image", IMAGE, "--nic", "none",
            "--wait",
        ],
    );
    for _ in 0..60 {
        let v = ours(DEMO, &["volume", "show", &vol]);
        if v["status"] == "available" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let attached = ours(DEMO, &["server", "add", "volume", &name, &vol]);
    assert!(attached["Volume ID"].is_string(), "{attached}");
    let listed = ours(DEMO, &["server", "volume", "list", &name]);
    assert_same_json(
        &listed,
        &theirs(DEMO, &["server", "volume", "list", &name]),
        &[],
    );
    run(DEMO, &["server", "remove", "volume", &name, &vol]);
    run(DEMO, &["server", "delete", "--wait", &name]);
    for _ in 0..60 {
        let v = ours(DEMO, &["volume", "show", &vol]);
        if v["status"] == "available" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    run(DEMO, &["volume", "delete", &vol]);
}

#[test]
fn server_group_matches_openstack() {
    require_cloud!();
    let name = unique("sg");
    let mut c = Cleanup::new();
    let created = ours(
        DEMO,
        &[
            "server",
            "group",
            "create",
            "--policy",
            "anti-affinity",
            &name,
        ],
    );
    c.add(DEMO, &["server", "group", "delete", &name]);
    assert_eq!(created["policy"], "anti-affinity");
    assert_same_json(
        &ours(DEMO, &["server", "group", "show", &name]),
        &theirs(DEMO, &["server", "group", "show", &name]),
        &[],
    );
    let list = ours(DEMO, &["server", "group", "list", "--long"]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["Name"] == name.as_str()));
    run(DEMO, &["server", "group", "delete", &name]);
}

#[test]
fn bad_input_fails_cleanly() {
    require_cloud!();
    let out = osc(&[
        "--os-cloud",
        DEMO,
        "server",
        "create",
        "x",
        "--flavor",
        FLAVOR,
        "--nic",
        "bogus=1",
        "--image",
        IMAGE,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--nic") && !err.contains("panicked"), "{err}");
    let out = osc(&["--os-cloud", DEMO, "server", "show", "no-such-server-xyz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No server with a name or ID"));
}
