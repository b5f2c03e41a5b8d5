//! Functional tests of the database plugin against the devcloud's Trove, compared with
//! python-troveclient's `-f json` output through python-openstackclient. Skipped when the
//! devcloud runs no Trove (`devcloud/up --layers all` starts it).
//!
//! The devcloud has no guest agent (devcloud/hooks/trove.py): an instance is accepted, gets
//! its Nova server and stays in BUILD, so what needs a running guest (databases, users,
//! root, logs, backups, resizes) is tested here by the failure both clients report, and in
//! full only against the fake host (plugins/database/tests/fake_host.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::time::Duration;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];
/// What changes between two reads of the same instance.
const VOLATILE: &[&str] = &[
    "status",
    "operating_status",
    "updated",
    "server_id",
    "volume_id",
    "addresses",
    "service_status_updated",
    "ip",
    "fault",
    "fault_date",
    "fault_details",
];

fn a<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = ADMIN.to_vec();
    v.extend_from_slice(rest);
    v
}

/// Both clients print the same JSON but for `volatile` fields (left out of both: an
/// instance's addresses appear while it builds). Lists are compared in a stable order
/// (Trove's quota rows come in any order).
/// Runs osc until the command succeeds (five minutes at most): what Trove refuses until its
/// task manager and Nova have moved on. Returns the successful run's stdout.
fn until_ok(cmd: &[&str]) -> String {
    let mut err = String::new();
    let ok = poll(Duration::from_secs(300), || {
        let out = osc(&a(cmd));
        err = String::from_utf8_lossy(&out.stderr).into_owned();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    });
    ok.unwrap_or_else(|| panic!("osc {} kept failing: {err}", cmd.join(" ")))
}

fn same(cmd: &[&str], volatile: &[&str]) -> Value {
    let strip = |mut v: Value| {
        if let Some(m) = v.as_object_mut() {
            m.retain(|k, _| !volatile.contains(&k.as_str()));
        }
        if let Some(rows) = v.as_array_mut() {
            rows.sort_by_key(|r| r.to_string());
        }
        v
    };
    let ours = osc_json(&a(cmd));
    assert_same_json(&strip(ours.clone()), &strip(openstack_json(&a(cmd))), &[]);
    ours
}

/// Both clients fail with the same exit code and message (osc adds Trove's request ID);
/// osc's error is one line.
fn same_failure(cmd: &[&str]) -> String {
    let (o, r) = (osc(&a(cmd)), openstack(&a(cmd)));
    let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).trim().to_string();
    let (oe, re) = (err(&o), err(&r));
    assert!(!o.status.success(), "osc {} succeeded", cmd.join(" "));
    assert_eq!(
        o.status.code(),
        r.status.code(),
        "{}: {oe} / {re}",
        cmd.join(" ")
    );
    assert_eq!(oe.lines().count(), 1, "osc: not one line: {oe}");
    let ours = oe.split(" (Request-ID:").next().unwrap_or("");
    let theirs = re.lines().last().unwrap_or("");
    assert_eq!(ours, theirs, "{}", cmd.join(" "));
    oe
}

/// Both fail, osc in one line (where their words cannot be the same: Python's JSON
/// parser's messages).
fn both_fail(cmd: &[&str]) -> String {
    let (o, r) = (osc(&a(cmd)), openstack(&a(cmd)));
    assert!(
        !o.status.success() && !r.status.success(),
        "{}",
        cmd.join(" ")
    );
    let oe = String::from_utf8_lossy(&o.stderr).trim().to_string();
    assert_eq!(oe.lines().count(), 1, "osc: not one line: {oe}");
    oe
}

/// What a test registered, removed when it ends (instances first, then the groups, the
/// version and its datastore), whatever failed.
#[derive(Default)]
struct Cleanup {
    instances: Vec<String>,
    configurations: Vec<String>,
    version: Option<(String, String)>,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        // An instance in BUILD is only deleted by force (its status reset first).
        for i in &self.instances {
            let _ = osc(&a(&["database", "instance", "delete", "--force", i]));
        }
        gone(&self.instances);
        for c in &self.configurations {
            let _ = osc(&a(&["database", "configuration", "delete", c]));
        }
        if let Some((ds, v)) = &self.version {
            let _ = osc(&a(&["datastore", "version", "delete", v]));
            let _ = osc(&a(&["datastore", "delete", ds]));
        }
    }
}

/// Waits (up to two minutes) until Trove lists none of `ids`: a version cannot be deleted
/// while instances use it.
fn gone(ids: &[String]) {
    let _ = poll(Duration::from_secs(120), || {
        let list = osc_json(&a(&["database", "instance", "list", "--all-projects"]));
        let left = list
            .as_array()
            .unwrap()
            .iter()
            .any(|i| ids.iter().any(|id| i["ID"] == id.as_str()));
        (!left).then_some(())
    });
}

#[test]
fn datastores_flavors_limits_and_quotas() {
    require_cloud!();
    if !in_catalog("database") {
        return;
    }
    // Other tests register datastores meanwhile: the seeded one is compared.
    let mysql = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|d| d["Name"] == "mysql")
            .cloned()
            .unwrap()
    };
    let cmd = a(&["datastore", "list"]);
    assert_eq!(mysql(osc_json(&cmd)), mysql(openstack_json(&cmd)));
    let ds = same(&["datastore", "show", "mysql"], &[]);
    assert_eq!(ds["name"], "mysql");
    let versions = same(&["datastore", "version", "list", "mysql"], &[]);
    let vid = versions[0]["ID"].as_str().unwrap();
    let vname = versions[0]["Name"].as_str().unwrap();
    same(&["datastore", "version", "show", vid], &[]);
    same(
        &[
            "datastore",
            "version",
            "show",
            vname,
            "--datastore",
            "mysql",
        ],
        &[],
    );
    same(
        &["database", "configuration", "parameter", "list", vid],
        &[],
    );
    let flavors = same(&["database", "flavor", "list"], &[]);
    let fname = flavors[0]["Name"].as_str().unwrap();
    same(&["database", "flavor", "show", fname], &[]);
    same(
        &[
            "database",
            "flavor",
            "list",
            "--datastore-type",
            "mysql",
            "--datastore-version-id",
            vid,
        ],
        &[],
    );
    // The absolute limits go to stderr with osc; the rate limits count down on each
    // request, so only their shape is compared.
    let limits = osc_json(&a(&["database", "limit", "list"]));
    let theirs = openstack(&a(&[
        "database", "limit", "list", "-f", "value", "-c", "Verb",
    ]));
    let verbs: Vec<&str> = limits
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["Verb"].as_str().unwrap())
        .collect();
    let their_out = String::from_utf8_lossy(&theirs.stdout).to_string();
    let their_verbs: Vec<&str> = their_out
        .lines()
        .filter(|l| !l.starts_with('+') && !l.starts_with('|'))
        .collect();
    assert_eq!(verbs, their_verbs);

    // Quotas of the demo project: shown, set, shown again, put back.
    let before = same(&["database", "quota", "show", "demo"], &[]);
    let limit = |q: &Value, r: &str| {
        q.as_array()
            .unwrap()
            .iter()
            .find(|x| x["Resource"] == r)
            .map(|x| x["Limit"].clone())
            .unwrap()
    };
    let old = limit(&before, "backups").to_string();
    let new = (limit(&before, "backups").as_i64().unwrap() + 1).to_string();
    let set = osc_json(&a(&[
        "database", "quota", "update", "demo", "backups", &new,
    ]));
    assert_eq!(set["backups"].to_string(), new);
    let after = same(&["database", "quota", "show", "demo"], &[]);
    assert_eq!(limit(&after, "backups").to_string(), new);
    let back = openstack_json(&a(&[
        "database", "quota", "update", "demo", "backups", &old,
    ]));
    assert_eq!(back["backups"].to_string(), old);
    same_failure(&["database", "quota", "show", "no-such-project-x"]);
}

/// An admin registers a datastore version (with the cirros image: no guest image exists),
/// loads its parameters as DevStack does (trove-manage), makes a configuration group from
/// parameters, and creates an instance with it; the instance is accepted and stays in BUILD.
#[test]
fn version_configuration_and_instance() {
    require_cloud!();
    if !in_catalog("database") {
        return;
    }
    let home = &cloud().unwrap().home;
    let (ds, ver) = (unique("osc-ds"), unique("osc-v"));
    let mut clean = Cleanup::default();
    let images = osc_json(&a(&["image", "list"]));
    let image = images[0]["ID"].as_str().unwrap().to_string();
    osc_ok(&a(&[
        "datastore",
        "version",
        "create",
        &ver,
        &ds,
        "mysql",
        &image,
        "--active",
    ]));
    let versions = same(&["datastore", "version", "list", &ds], &[]);
    let vid = versions[0]["ID"].as_str().unwrap().to_string();
    clean.version = Some((ds.clone(), vid.clone()));
    same(&["datastore", "show", &ds], &[]);
    same(
        &["datastore", "version", "show", &ver, "--datastore", &ds],
        &[],
    );
    osc_ok(&a(&[
        "datastore",
        "version",
        "set",
        &vid,
        "--version-name",
        &ver,
        "--enable",
    ]));

    let rules = std::fs::read_dir(home.join("venv/lib"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| {
            e.path()
                .join("site-packages/trove/templates/mysql/validation-rules.json")
        })
        .find(|p| p.is_file())
        .expect("trove's mysql validation rules");
    let loaded = std::process::Command::new(home.join("venv/bin/trove-manage"))
        .arg("--config-file")
        .arg(home.join("etc/trove/trove.conf"))
        .args(["db_load_datastore_config_parameters", &ds, &ver])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let params = same(
        &["database", "configuration", "parameter", "list", &vid],
        &[],
    );
    assert!(params
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["Name"] == "max_connections"));
    same(
        &[
            "database",
            "configuration",
            "parameter",
            "list",
            &ver,
            "--datastore",
            &ds,
        ],
        &[],
    );
    same(
        &[
            "database",
            "configuration",
            "parameter",
            "show",
            &vid,
            "max_connections",
        ],
        &[],
    );

    // A group from parameters; the wrong type is refused by Trove for both.
    let name = unique("osc-cfg");
    let values = r#"{"max_connections": 50, "autocommit": 1}"#;
    let created = osc_json(&a(&[
        "database",
        "configuration",
        "create",
        &name,
        values,
        "--datastore",
        &ds,
        "--datastore-version",
        &ver,
        "--description",
        "from osc",
    ]));
    let cfg = created["id"].as_str().unwrap().to_string();
    clean.configurations.push(cfg.clone());
    let values_of =
        |v: &Value| -> Value { serde_json::from_str(v["values"].as_str().unwrap()).unwrap() };
    assert_eq!(
        values_of(&created),
        serde_json::json!({"max_connections": 50, "autocommit": 1})
    );
    same(&["database", "configuration", "show", &cfg], &[]);
    same(&["database", "configuration", "show", &name], &[]);
    let list = same(&["database", "configuration", "list"], &[]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["ID"] == cfg.as_str()));
    osc_ok(&a(&[
        "database",
        "configuration",
        "set",
        &cfg,
        r#"{"max_connections": 60}"#,
        "--name",
        &name,
    ]));
    osc_ok(&a(&[
        "database",
        "configuration",
        "parameter",
        "set",
        &cfg,
        r#"{"autocommit": 0}"#,
    ]));
    let shown = same(&["database", "configuration", "show", &cfg], &[]);
    assert_eq!(
        values_of(&shown),
        serde_json::json!({"max_connections": 60, "autocommit": 0})
    );
    same_failure(&[
        "database",
        "configuration",
        "create",
        &unique("osc-bad"),
        r#"{"max_connections": "many"}"#,
        "--datastore",
        &ds,
        "--datastore-version",
        &ver,
    ]);
    both_fail(&[
        "database",
        "configuration",
        "create",
        &unique("osc-bad"),
        "{max_connections",
        "--datastore",
        &ds,
        "--datastore-version",
        &ver,
    ]);

    // An instance with that group: accepted, in BUILD, shown alike, listed, deleted.
    let nets = osc_json(&a(&["network", "list", "--name", "private"]));
    let net = format!("net-id={}", nets[0]["ID"].as_str().unwrap());
    let iname = unique("osc-db");
    let inst = osc_json(&a(&[
        "database",
        "instance",
        "create",
        &iname,
        "--flavor",
        "ds512M",
        "--size",
        "1",
        "--datastore",
        &ds,
        "--datastore-version",
        &ver,
        "--nic",
        &net,
        "--configuration",
        &cfg,
    ]));
    let iid = inst["id"].as_str().unwrap().to_string();
    clean.instances.push(iid.clone());
    assert_eq!(inst["configuration"], cfg.as_str());
    assert_eq!(inst["datastore"], ds.as_str());
    assert_eq!(inst["status"], "BUILD");
    same(&["database", "instance", "show", &iid], VOLATILE);
    same(&["database", "instance", "show", &iname], VOLATILE);
    let rows = osc_json(&a(&["database", "instance", "list"]));
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ID"] == iid.as_str()));
    same(&["database", "configuration", "instances", &cfg], &[]);
    // Trove answers "not ready" (422) until the task manager has made the Nova server.
    until_ok(&["database", "configuration", "default", &iid]);
    same(&["database", "configuration", "default", &iid], &[]);
    same(&["database", "backup", "list", "--instance", &iid], &[]);

    // What needs the guest agent fails alike.
    same_failure(&["database", "db", "list", &iid]);
    same_failure(&["database", "user", "list", &iid]);
    same_failure(&["database", "user", "create", &iid, "u1", "secret"]);
    same_failure(&["database", "root", "show", &iid]);
    same_failure(&["database", "instance", "restart", &iid]);
    same_failure(&["database", "instance", "resize", "volume", &iid, "2"]);
    same_failure(&[
        "database",
        "backup",
        "create",
        &unique("osc-bk"),
        "--instance",
        &iid,
    ]);
    same_failure(&[
        "database",
        "cluster",
        "create",
        &unique("osc-cl"),
        &ds,
        &ver,
        "--instance",
        "flavor=ds512M,volume=1",
    ]);

    // A second instance of the same name (made by the reference): the name is ambiguous.
    let twin = openstack_json(&a(&[
        "database",
        "instance",
        "create",
        &iname,
        "--flavor",
        "ds512M",
        "--size",
        "1",
        "--datastore",
        &ds,
        "--datastore-version",
        &ver,
        "--nic",
        &net,
    ]));
    clean
        .instances
        .push(twin["id"].as_str().unwrap().to_string());
    let e = osc(&a(&["database", "instance", "show", &iname]));
    assert!(!e.status.success());
    let msg = String::from_utf8_lossy(&e.stderr).trim().to_string();
    assert!(
        msg.starts_with(&format!(
            "More than one instance exists with the name '{iname}'"
        )),
        "{msg}"
    );
    assert_eq!(msg.lines().count(), 1);
    assert!(!openstack(&a(&["database", "instance", "show", &iname]))
        .status
        .success());

    // In BUILD a plain delete is refused (Trove waits for the guest), for both clients;
    // `--force` and `force delete` reset the status first.
    let refused = osc(&a(&["database", "instance", "delete", &iid]));
    assert!(!refused.status.success());
    assert!(!openstack(&a(&["database", "instance", "delete", &iid]))
        .status
        .success());
    let err = String::from_utf8_lossy(&refused.stderr).to_string();
    assert!(
        err.contains("Unable to delete the specified database instance(s)."),
        "{err}"
    );
    // Trove refuses even a forced delete while the Nova server is in BUILD.
    let out = until_ok(&["database", "instance", "delete", "--force", &iid]);
    assert_eq!(
        out.trim(),
        format!("Request to delete database instance {iid} has been accepted.")
    );
    until_ok(&[
        "database",
        "instance",
        "force",
        "delete",
        twin["id"].as_str().unwrap(),
    ]);
    gone(&clean.instances);
    let left = osc_json(&a(&["database", "instance", "list", "--all-projects"]));
    assert!(!left
        .as_array()
        .unwrap()
        .iter()
        .any(|i| clean.instances.iter().any(|id| i["ID"] == id.as_str())));
}

#[test]
fn bad_input_fails_in_one_line() {
    require_cloud!();
    if !in_catalog("database") {
        return;
    }
    let net = osc_json(&a(&["network", "list", "--name", "private"]));
    let nic = format!("net-id={}", net[0]["ID"].as_str().unwrap());
    same_failure(&[
        "database",
        "instance",
        "create",
        &unique("osc-x"),
        "--flavor",
        "ds512M",
        "--size",
        "1",
        "--datastore",
        "mysql",
        "--datastore-version",
        "no-such-version",
        "--nic",
        &nic,
    ]);
    same_failure(&["database", "instance", "create", &unique("osc-x")]);
    same_failure(&[
        "database",
        "instance",
        "create",
        &unique("osc-x"),
        "--flavor",
        "ds512M",
        "--size",
        "0",
    ]);
    same_failure(&[
        "database",
        "instance",
        "create",
        &unique("osc-x"),
        "--flavor",
        "no-such-flavor",
    ]);
    same_failure(&[
        "datastore",
        "version",
        "show",
        "no-such-version",
        "--datastore",
        "mysql",
    ]);
    same_failure(&["datastore", "version", "show", "no-such-version"]);
    same_failure(&["datastore", "show", "no-such-datastore"]);
    same_failure(&["database", "instance", "show", "no-such-instance"]);
    same_failure(&["database", "configuration", "show", "no-such-group"]);
    same_failure(&["database", "configuration", "parameter", "list", "5.7.29"]);
    same_failure(&["database", "flavor", "list", "--datastore-type", "mysql"]);
    same_failure(&["database", "backup", "create", &unique("osc-bk")]);
    same_failure(&["database", "cluster", "show", "no-such-cluster"]);
    same_failure(&["database", "root", "show", "no-such-thing"]);
}
