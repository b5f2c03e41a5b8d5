//! Functional tests of the baremetal plugin against the devcloud's Ironic (fake-hardware),
//! compared with python-ironicclient's `-f json` output through python-openstackclient.
//! Skipped when the devcloud runs no Ironic (`devcloud/up --layers 1-2` starts it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];
const SYSTEM: &[&str] = &["--os-cloud", "devstack-system-admin"];

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

/// True when the devcloud's catalog has Ironic; tells why a test does nothing otherwise.
fn ironic() -> bool {
    let cat = osc_json(&a(ADMIN, &["catalog", "list"]));
    let found = cat
        .as_array()
        .is_some_and(|s| s.iter().any(|e| e["Type"] == "baremetal"));
    if !found {
        eprintln!("SKIP: the devcloud runs no Ironic (start it with devcloud/up --layers 1-2)");
    }
    found
}

/// Deletes the node when the test ends, whatever happened.
struct Node(String);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = osc(&a(
            ADMIN,
            &["baremetal", "node", "maintenance", "set", &self.0],
        ));
        let _ = osc(&a(ADMIN, &["baremetal", "node", "delete", &self.0]));
    }
}

#[test]
fn node_through_the_state_machine() {
    require_cloud!();
    if !ironic() {
        return;
    }
    let name = unique("osc-node");
    let created = osc_json(&a(
        ADMIN,
        &[
            "baremetal",
            "node",
            "create",
            "--driver",
            "fake-hardware",
            "--name",
            &name,
            "--property",
            "cpus=2",
            "--property",
            "arch=x86_64",
            "--extra",
            "k=v",
        ],
    ));
    let node = Node(name.clone());
    assert_eq!(created["name"], name.as_str());
    assert_eq!(
        created["properties"]["cpus"], 2,
        "values are JSON when they parse"
    );
    assert_eq!(created["provision_state"], "enroll");
    let show = ["baremetal", "node", "show", node.0.as_str()];
    assert_same_json(
        &osc_json(&a(ADMIN, &show)),
        &openstack_json(&a(ADMIN, &show)),
        &[],
    );
    let fields = [
        "baremetal",
        "node",
        "list",
        "--fields",
        "uuid",
        "name",
        "--fields",
        "provision_state",
    ];
    let ours = osc_json(&a(ADMIN, &fields));
    assert_eq!(ours, openstack_json(&a(ADMIN, &fields)));

    for (verb, state) in [
        ("manage", "manageable"),
        ("provide", "available"),
        ("deploy", "active"),
    ] {
        let out = osc_ok(&a(
            ADMIN,
            &["baremetal", "node", verb, &name, "--wait", "120"],
        ));
        assert_eq!(
            out.trim(),
            format!("Waiting for provision state {state} on node(s) {name}")
        );
        let n = osc_json(&a(ADMIN, &show));
        assert_eq!(n["provision_state"], state, "after {verb}");
    }
    let list = ["baremetal", "node", "list", "--provision-state", "active"];
    assert_eq!(osc_json(&a(ADMIN, &list)), openstack_json(&a(ADMIN, &list)));
    let long = [
        "baremetal",
        "node",
        "list",
        "--long",
        "--provision-state",
        "active",
    ];
    assert_eq!(osc_json(&a(ADMIN, &long)), openstack_json(&a(ADMIN, &long)));

    osc_ok(&a(ADMIN, &["baremetal", "node", "power", "off", &name]));
    osc_ok(&a(
        ADMIN,
        &[
            "baremetal",
            "node",
            "maintenance",
            "set",
            &name,
            "--reason",
            "osc test",
        ],
    ));
    let n = osc_json(&a(ADMIN, &show));
    assert_eq!(n["maintenance"], true);
    assert_eq!(n["maintenance_reason"], "osc test");
    osc_ok(&a(
        ADMIN,
        &["baremetal", "node", "maintenance", "unset", &name],
    ));
    osc_ok(&a(
        ADMIN,
        &["baremetal", "node", "undeploy", &name, "--wait"],
    ));
    assert_eq!(osc_json(&a(ADMIN, &show))["provision_state"], "available");

    // A wait that cannot succeed fails at once with ironicclient's words.
    let bad = osc(&a(
        ADMIN,
        &["baremetal", "node", "provide", &name, "--wait", "30"],
    ));
    assert!(!bad.status.success());

    let out = osc_ok(&a(ADMIN, &["baremetal", "node", "delete", &name]));
    assert_eq!(out.trim(), format!("Deleted node {name}"));
    let gone = osc(&a(ADMIN, &show));
    let reference = openstack(&a(ADMIN, &show));
    assert_eq!(gone.status.code(), reference.status.code());
    let err = String::from_utf8_lossy(&gone.stderr);
    assert!(
        err.contains(&format!("Node {name} could not be found")),
        "{err}"
    );
}

#[test]
fn drivers_need_system_scope_and_match_the_reference() {
    require_cloud!();
    if !ironic() {
        return;
    }
    let list = ["baremetal", "driver", "list"];
    assert_eq!(
        osc_json(&a(SYSTEM, &list)),
        openstack_json(&a(SYSTEM, &list))
    );
    let show = ["baremetal", "driver", "show", "fake-hardware"];
    assert_same_json(
        &osc_json(&a(SYSTEM, &show)),
        &openstack_json(&a(SYSTEM, &show)),
        &[],
    );
    let long = ["baremetal", "driver", "list", "--long"];
    assert_eq!(
        osc_json(&a(SYSTEM, &long)),
        openstack_json(&a(SYSTEM, &long))
    );
}

/// The rows of a listing that are this test's own (other tests share the cloud).
fn mine(list: serde_json::Value, ids: &[&str]) -> serde_json::Value {
    serde_json::Value::Array(
        list.as_array()
            .into_iter()
            .flatten()
            .filter(|r| ids.contains(&r["uuid"].as_str().unwrap_or("")))
            .cloned()
            .collect(),
    )
}

/// A resource group, the arguments of its create, set and unset.
type Case = (
    &'static str,
    Vec<String>,
    Vec<&'static str>,
    Vec<&'static str>,
);

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Deletes a chassis or port when the test ends.
struct Gone(&'static str, String);

impl Drop for Gone {
    fn drop(&mut self) {
        let _ = osc(&a(SYSTEM, &["baremetal", self.0, "delete", &self.1]));
    }
}

#[test]
fn chassis_and_ports_match_the_reference() {
    require_cloud!();
    if !ironic() {
        return;
    }
    let chassis = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "chassis",
            "create",
            "--description",
            "rack 1",
            "--extra",
            "row=3",
        ],
    ));
    let cid = chassis["uuid"].as_str().unwrap().to_string();
    let _c = Gone("chassis", cid.clone());
    assert_eq!(chassis["extra"], serde_json::json!({"row": 3}));
    let show = ["baremetal", "chassis", "show", cid.as_str()];
    assert_same_json(
        &osc_json(&a(SYSTEM, &show)),
        &openstack_json(&a(SYSTEM, &show)),
        &[],
    );
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "chassis",
            "set",
            &cid,
            "--description",
            "rack 2",
            "--extra",
            "k=v",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &["baremetal", "chassis", "unset", &cid, "--extra", "row"],
    ));
    let after = osc_json(&a(SYSTEM, &show));
    assert_eq!(after["description"], "rack 2");
    assert_eq!(after["extra"], serde_json::json!({"k": "v"}));
    for list in [
        vec!["baremetal", "chassis", "list"],
        vec!["baremetal", "chassis", "list", "--long"],
        vec!["baremetal", "chassis", "list", "--fields", "uuid", "extra"],
    ] {
        assert_eq!(
            mine(osc_json(&a(SYSTEM, &list)), &[&cid]),
            mine(openstack_json(&a(SYSTEM, &list)), &[&cid]),
            "{list:?}"
        );
    }

    let name = unique("osc-port-node");
    let node_uuid = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "create",
            "--driver",
            "fake-hardware",
            "--name",
            &name,
            "--chassis-uuid",
            &cid,
        ],
    ))["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let _n = Node(name.clone());
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "set",
            &name,
            "--property",
            "memory_mb=1024",
            "--extra",
            "a=1",
            "--extra",
            "b=x",
            "--description",
            "described",
            "--resource-class",
            "gold",
            "--driver-info",
            "k=v",
            "--no-automated-clean",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "unset",
            &name,
            "--extra",
            "a",
            "--resource-class",
        ],
    ));
    let show = ["baremetal", "node", "show", name.as_str()];
    let n = osc_json(&a(SYSTEM, &show));
    assert_same_json(&n, &openstack_json(&a(SYSTEM, &show)), &[]);
    assert_eq!(n["properties"]["memory_mb"], 1024);
    assert_eq!(n["extra"], serde_json::json!({"b": "x"}));
    assert_eq!(n["resource_class"], serde_json::Value::Null);
    assert_eq!(n["automated_clean"], false);
    let nothing = osc(&a(SYSTEM, &["baremetal", "node", "set", &name]));
    assert!(nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("Please specify what to set."));
    let port = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "port",
            "create",
            "52:54:00:12:34:56",
            "--node",
            &node_uuid,
            "--local-link-connection",
            "switch_id=aa:bb:cc:dd:ee:ff",
            "--local-link-connection",
            "port_id=Eth1",
            "--extra",
            "slot=1",
            "--name",
            "nic0",
        ],
    ));
    let pid = port["uuid"].as_str().unwrap().to_string();
    let _p = Gone("port", pid.clone());
    assert_eq!(port["address"], "52:54:00:12:34:56");
    assert_eq!(port["local_link_connection"]["port_id"], "Eth1");
    let show = ["baremetal", "port", "show", pid.as_str()];
    assert_same_json(
        &osc_json(&a(SYSTEM, &show)),
        &openstack_json(&a(SYSTEM, &show)),
        &[],
    );
    let by_address = [
        "baremetal",
        "port",
        "show",
        "--address",
        "52:54:00:12:34:56",
    ];
    assert_same_json(
        &osc_json(&a(SYSTEM, &by_address)),
        &openstack_json(&a(SYSTEM, &by_address)),
        &[],
    );
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "port",
            "set",
            &pid,
            "--pxe-disabled",
            "--physical-network",
            "physnet1",
            "--description",
            "d",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "port",
            "unset",
            &pid,
            "--extra",
            "slot",
            "--name",
        ],
    ));
    let after = osc_json(&a(SYSTEM, &show));
    assert_eq!(after["pxe_enabled"], false);
    assert_eq!(after["physical_network"], "physnet1");
    assert_eq!(after["name"], serde_json::Value::Null);
    assert_eq!(after["extra"], serde_json::json!({}));
    for list in [
        vec!["baremetal", "port", "list", "--node", name.as_str()],
        vec![
            "baremetal",
            "port",
            "list",
            "--node",
            name.as_str(),
            "--long",
        ],
        vec![
            "baremetal",
            "port",
            "list",
            "--address",
            "52:54:00:12:34:56",
            "--fields",
            "uuid",
            "node_uuid",
        ],
    ] {
        assert_eq!(
            mine(osc_json(&a(SYSTEM, &list)), &[&pid]),
            mine(openstack_json(&a(SYSTEM, &list)), &[&pid]),
            "{list:?}"
        );
    }
    let out = osc_ok(&a(SYSTEM, &["baremetal", "port", "delete", &pid]));
    assert_eq!(out.trim(), format!("Deleted port {pid}"));
    let bad = osc(&a(
        SYSTEM,
        &["baremetal", "chassis", "delete", &cid, "no-such-chassis"],
    ));
    assert!(
        !bad.status.success(),
        "the chassis still holds a node and one does not exist"
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("Failed to delete chassis no-such-chassis"),
        "{err}"
    );
}

#[test]
fn port_groups_volumes_and_deploy_templates_match_the_reference() {
    require_cloud!();
    if !ironic() {
        return;
    }
    let name = unique("osc-crud-node");
    let node = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "create",
            "--driver",
            "fake-hardware",
            "--name",
            &name,
            "--storage-interface",
            "fake",
        ],
    ));
    let node_uuid = node["uuid"].as_str().unwrap().to_string();
    let _n = Node(name.clone());
    // Volume connectors and targets change only on a node that is powered off.
    osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "manage", &name, "--wait", "120"],
    ));
    osc_ok(&a(SYSTEM, &["baremetal", "node", "power", "off", &name]));
    let cases: Vec<Case> = vec![
        (
            "port group",
            vec!["--node".into(), node_uuid.clone(), "--address".into(), "52:54:00:aa:bb:cc".into(), "--name".into(), unique("osc-pg"), "--extra".into(), "a=1".into(), "--property".into(), "p=q".into(), "--mode".into(), "active-backup".into(), "--unsupport-standalone-ports".into()],
            vec!["--mode", "802.3ad", "--category", "cat", "--extra", "b=2", "--support-standalone-ports"],
            vec!["--extra", "a", "--property", "p", "--category"],
        ),
        (
            "volume connector",
            vec!["--node".into(), node_uuid.clone(), "--type".into(), "iqn".into(), "--connector-id".into(), format!("iqn.2026-12.org.osc:{}", std::process::id()), "--extra".into(), "a=1".into()],
            vec!["--extra", "b=2"],
            vec!["--extra", "a"],
        ),
        (
            "volume target",
            vec!["--node".into(), node_uuid.clone(), "--type".into(), "iscsi".into(), "--boot-index".into(), "0".into(), "--volume-id".into(), format!("vol-{}", std::process::id()), "--property".into(), "lun=1".into()],
            vec!["--extra", "b=2", "--property", "x=y"],
            vec!["--property", "lun"],
        ),
        (
            "deploy template",
            vec![format!("CUSTOM_OSC_{}", std::process::id()), "--steps".into(), r#"[{"interface": "bios", "step": "apply_configuration", "args": {"settings": []}, "priority": 150}]"#.into(), "--extra".into(), "a=1".into()],
            vec!["--extra", "b=2"],
            vec!["--extra", "a"],
        ),
    ];
    for (group, create, set, unset) in cases {
        let words: Vec<&str> = group.split(' ').collect();
        let cmd = |verb: &'static str, rest: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = SYSTEM.iter().map(|s| s.to_string()).collect();
            v.push("baremetal".into());
            v.extend(words.iter().map(|w| w.to_string()));
            v.push(verb.into());
            v.extend(rest.iter().map(|s| s.to_string()));
            v
        };
        let create_refs: Vec<&str> = create.iter().map(String::as_str).collect();
        let made = osc_json(&refs(&cmd("create", &create_refs)));
        let id = made["uuid"]
            .as_str()
            .unwrap_or_else(|| panic!("{group}: {made}"))
            .to_string();
        let show = cmd("show", &[&id]);
        assert_same_json(&osc_json(&refs(&show)), &openstack_json(&refs(&show)), &[]);
        let mut set_args = vec![id.as_str()];
        set_args.extend(&set);
        osc_ok(&refs(&cmd("set", &set_args)));
        let mut unset_args = vec![id.as_str()];
        unset_args.extend(&unset);
        osc_ok(&refs(&cmd("unset", &unset_args)));
        assert_same_json(&osc_json(&refs(&show)), &openstack_json(&refs(&show)), &[]);
        for list in [cmd("list", &[]), cmd("list", &["--long"])] {
            assert_eq!(
                mine(osc_json(&refs(&list)), &[&id]),
                mine(openstack_json(&refs(&list)), &[&id]),
                "{group}"
            );
        }
        let out = osc_ok(&refs(&cmd("delete", &[&id])));
        assert_eq!(out.trim(), format!("Deleted {group} {id}"));
    }
}

#[test]
fn node_traits_match_the_reference() {
    require_cloud!();
    if !ironic() {
        return;
    }
    let name = unique("osc-trait-node");
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "create",
            "--driver",
            "fake-hardware",
            "--name",
            &name,
        ],
    ));
    let _n = Node(name.clone());
    let out = osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "add",
            "trait",
            &name,
            "CUSTOM_A",
            "CUSTOM_B",
        ],
    ));
    assert_eq!(out.trim(), "Added trait CUSTOM_A\nAdded trait CUSTOM_B");
    let list = ["baremetal", "node", "trait", "list", name.as_str()];
    let ours = osc_json(&a(SYSTEM, &list));
    assert_eq!(ours, openstack_json(&a(SYSTEM, &list)));
    assert_eq!(ours.as_array().map(Vec::len), Some(2));
    let out = osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "trait", "remove", &name, "CUSTOM_A"],
    ));
    assert_eq!(out.trim(), "Removed trait CUSTOM_A");
    let missing = osc(&a(
        SYSTEM,
        &["baremetal", "node", "remove", "trait", &name, "CUSTOM_X"],
    ));
    assert_eq!(missing.status.code(), Some(1));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("Failed to remove trait CUSTOM_X"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "remove", "trait", &name, "--all"],
    ));
    assert_eq!(osc_json(&a(SYSTEM, &list)), serde_json::json!([]));
}
