//! Functional tests of the baremetal plugin against the devcloud's Ironic (fake-hardware),
//! compared with python-ironicclient's `-f json` output through python-openstackclient.
//! Skipped when the devcloud runs no Ironic (`devcloud/up --layers 1-2` starts it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;

const ADMIN: &[&str] = &["--os-cloud", "devstack-admin"];
const SYSTEM: &[&str] = &["--os-cloud", "devstack-system-admin"];

fn a<'a>(cloud: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = cloud.to_vec();
    v.extend_from_slice(rest);
    v
}

/// Deletes the node when the test ends, whatever happened.
/// System scope: a project's admin cannot delete nodes it does not own (those the tests
/// create with system scope), which left them behind.
struct Node(String);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = osc(&a(
            SYSTEM,
            &["baremetal", "node", "maintenance", "set", &self.0],
        ));
        let _ = osc(&a(SYSTEM, &["baremetal", "node", "delete", &self.0]));
    }
}

/// A fake-hardware node named `name` made with system scope (`extra`: further create
/// options): its `-f json` record, and the guard that deletes it.
fn fake_node(name: &str, extra: &[&str]) -> (Value, Node) {
    fake_node_as(SYSTEM, name, extra)
}

/// `fake_node` made by `cloud` (a project admin's node belongs to its project).
fn fake_node_as(cloud: &[&str], name: &str, extra: &[&str]) -> (Value, Node) {
    let mut cmd = vec![
        "baremetal",
        "node",
        "create",
        "--driver",
        "fake-hardware",
        "--name",
        name,
    ];
    cmd.extend_from_slice(extra);
    (osc_json(&a(cloud, &cmd)), Node(name.to_string()))
}

/// Powers `name` off and waits until Ironic says it is off: the API answers 202 and the
/// conductor acts afterwards (after a preceding `reboot`'s lock is released), so a `show`
/// straight after can still say "power on".
fn power_off(cloud: &[&str], name: &str) {
    osc_ok(&a(cloud, &["baremetal", "node", "power", "off", name]));
    let show = [
        "baremetal",
        "node",
        "show",
        name,
        "-c",
        "power_state",
        "-c",
        "target_power_state",
    ];
    let off = poll(std::time::Duration::from_secs(120), || {
        let v = osc_json(&a(cloud, &show));
        (v["power_state"] == "power off" && v["target_power_state"].is_null()).then_some(())
    });
    assert!(off.is_some(), "{name} did not power off within 120 s");
}

#[test]
fn node_through_the_state_machine() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-node");
    let (created, node) = fake_node_as(
        ADMIN,
        &name,
        &[
            "--property",
            "cpus=2",
            "--property",
            "arch=x86_64",
            "--extra",
            "k=v",
        ],
    );
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

    power_off(ADMIN, &name);
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
    if !in_catalog("baremetal") {
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
    if !in_catalog("baremetal") {
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
    let (created, _n) = fake_node(&name, &["--chassis-uuid", &cid]);
    let node_uuid = created["uuid"].as_str().unwrap().to_string();
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
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-crud-node");
    let (node, _n) = fake_node(&name, &["--storage-interface", "fake"]);
    let node_uuid = node["uuid"].as_str().unwrap().to_string();
    // Volume connectors and targets change only on a node that is powered off.
    osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "manage", &name, "--wait", "120"],
    ));
    power_off(SYSTEM, &name);
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
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-trait-node");
    let (_, _n) = fake_node(&name, &[]);
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

/// Runs an osc command (a delete) when the test ends, whatever happened.
struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = osc(&refs(&self.0));
    }
}

fn cleanup(cloud: &[&str], words: &[&str]) -> Cleanup {
    Cleanup(cloud.iter().chain(words).map(|s| s.to_string()).collect())
}

/// A MAC address unique to this test run.
fn mac(last: u8) -> String {
    let p = std::process::id();
    format!(
        "52:54:{:02x}:{:02x}:{:02x}:{last:02x}",
        (p >> 16) & 0xff,
        (p >> 8) & 0xff,
        p & 0xff
    )
}

/// The error line of a failed command, without request IDs.
fn error_line(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .rfind(|l| !l.trim().is_empty() && !l.contains("Warning"))
        .unwrap_or("")
        .to_string();
    match line.find("(Request-ID: req-") {
        Some(i) => line[..i].trim_end().to_string(),
        None => line,
    }
}

/// Both clients fail the same way: same exit code, same message; osc's is one line.
fn fails_alike(args: &[&str]) -> String {
    let ours = osc(args);
    let reference = openstack(args);
    assert!(!ours.status.success(), "osc {args:?} succeeded");
    assert_eq!(ours.status.code(), reference.status.code(), "{args:?}");
    let err = String::from_utf8_lossy(&ours.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    let line = error_line(&ours);
    assert_eq!(line, error_line(&reference), "{args:?}");
    line
}

/// Both clients' `-f json` of the same command are the same.
fn same(args: &[&str]) -> serde_json::Value {
    let ours = osc_json(args);
    assert_eq!(ours, openstack_json(args), "{args:?}");
    ours
}

/// The acceptance path: a fake-hardware node with a port group and a port, a trait and a
/// deploy template named after it, allocated by resource class and trait (`--wait`),
/// deployed and undeployed with `--wait`; every object compared with ironicclient's.
#[test]
fn allocation_deploys_with_ports_and_a_deploy_template() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let pid = std::process::id();
    let name = unique("osc-alloc-node");
    let rc = format!("CUSTOM_OSC_RC_{pid}");
    let t = format!("CUSTOM_OSC_T_{pid}");
    let (created, _node) = fake_node(&name, &["--resource-class", &rc]);
    let uuid = created["uuid"].as_str().unwrap().to_string();
    for verb in ["manage", "provide"] {
        osc_ok(&a(
            SYSTEM,
            &["baremetal", "node", verb, &name, "--wait", "120"],
        ));
    }

    let pg_name = unique("osc-pg");
    let pg = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "port",
            "group",
            "create",
            "--node",
            &uuid,
            "--address",
            &mac(1),
            "--name",
            &pg_name,
        ],
    ));
    let _pg = cleanup(SYSTEM, &["baremetal", "port", "group", "delete", &pg_name]);
    assert_eq!(pg["name"], pg_name.as_str());
    let pg_id = pg["uuid"].as_str().unwrap();
    let port = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "port",
            "create",
            &mac(2),
            "--node",
            &uuid,
            // Ironic takes only a UUID here.
            "--port-group",
            pg_id,
        ],
    ));
    let port_id = port["uuid"].as_str().unwrap().to_string();
    let _port = cleanup(SYSTEM, &["baremetal", "port", "delete", &port_id]);
    assert_eq!(port["portgroup_uuid"], pg["uuid"]);
    // Port groups are found by name as well as UUID.
    let pg_show = ["baremetal", "port", "group", "show", pg_name.as_str()];
    assert_same_json(
        &osc_json(&a(SYSTEM, &pg_show)),
        &openstack_json(&a(SYSTEM, &pg_show)),
        &[],
    );
    same(&a(
        SYSTEM,
        &["baremetal", "port", "list", "--port-group", &pg_name],
    ));

    let out = osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "add", "trait", &name, &t],
    ));
    assert_eq!(out.trim(), format!("Added trait {t}"));
    let steps = r#"[{"interface": "bios", "step": "apply_configuration", "args": {"settings": []}, "priority": 150}]"#;
    let tpl = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "deploy",
            "template",
            "create",
            &t,
            "--steps",
            steps,
        ],
    ));
    let _tpl = cleanup(SYSTEM, &["baremetal", "deploy", "template", "delete", &t]);
    assert_eq!(tpl["name"], t.as_str());
    assert_same_json(
        &osc_json(&a(SYSTEM, &["baremetal", "deploy", "template", "show", &t])),
        &openstack_json(&a(SYSTEM, &["baremetal", "deploy", "template", "show", &t])),
        &[],
    );

    // Ironic allocates only nodes whose power state is known; a new fake node's is not.
    power_off(SYSTEM, &name);
    let alloc_name = unique("osc-alloc");
    let alloc = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "allocation",
            "create",
            "--resource-class",
            &rc,
            "--trait",
            &t,
            "--name",
            &alloc_name,
            "--extra",
            "k=v",
            "--wait",
            "60",
        ],
    ));
    let _alloc = cleanup(SYSTEM, &["baremetal", "allocation", "delete", &alloc_name]);
    assert_eq!(alloc["state"], "active", "{alloc}");
    assert_eq!(alloc["node_uuid"], uuid.as_str());
    assert_eq!(alloc["extra"], serde_json::json!({"k": "v"}));
    let show = ["baremetal", "allocation", "show", alloc_name.as_str()];
    assert_same_json(
        &osc_json(&a(SYSTEM, &show)),
        &openstack_json(&a(SYSTEM, &show)),
        &[],
    );
    same(&a(
        SYSTEM,
        &[
            "baremetal",
            "allocation",
            "list",
            "--resource-class",
            &rc,
            "--long",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "allocation",
            "set",
            &alloc_name,
            "--extra",
            "j=1",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "allocation",
            "unset",
            &alloc_name,
            "--extra",
            "k",
        ],
    ));
    let after = osc_json(&a(SYSTEM, &show));
    assert_eq!(after["extra"], serde_json::json!({"j": 1}));
    // The allocation gave the node its traits to deploy with, which picks the template.
    let node_show = ["baremetal", "node", "show", name.as_str()];
    let n = osc_json(&a(SYSTEM, &node_show));
    assert_eq!(n["allocation_uuid"], alloc["uuid"]);
    assert_eq!(n["instance_info"]["traits"], serde_json::json!([t]));

    let out = osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "deploy", &name, "--wait", "180"],
    ));
    assert_eq!(
        out.trim(),
        format!("Waiting for provision state active on node(s) {name}")
    );
    assert_same_json(
        &osc_json(&a(SYSTEM, &node_show)),
        &openstack_json(&a(SYSTEM, &node_show)),
        &[],
    );
    same(&a(
        SYSTEM,
        &["baremetal", "node", "history", "list", &name, "--long"],
    ));
    osc_ok(&a(
        SYSTEM,
        &["baremetal", "node", "undeploy", &name, "--wait", "180"],
    ));
    let n = osc_json(&a(SYSTEM, &node_show));
    assert_eq!(n["provision_state"], "available");
    // Tearing the instance down released the allocation, as Ironic does.
    assert_eq!(n["allocation_uuid"], serde_json::Value::Null);
    let gone = fails_alike(&a(SYSTEM, &show));
    assert!(gone.contains("could not be found"), "{gone}");
}

/// A transition the node cannot make: `--wait` reports the node's last error, exit 1, in
/// ironicclient's words.
#[test]
fn a_failing_transition_reports_the_last_error() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-fail-node");
    let (_, _node) = fake_node(&name, &[]);
    let bad_clean = [
        "baremetal",
        "node",
        "clean",
        name.as_str(),
        "--clean-steps",
        r#"[{"interface": "deploy", "step": "no_such_step"}]"#,
        "--wait",
        "60",
    ];
    let mut lines = Vec::new();
    for reference in [false, true] {
        osc_ok(&a(
            SYSTEM,
            &["baremetal", "node", "manage", &name, "--wait", "60"],
        ));
        let out = if reference {
            openstack(&a(SYSTEM, &bad_clean))
        } else {
            osc(&a(SYSTEM, &bad_clean))
        };
        assert_eq!(out.status.code(), Some(1), "reference: {reference}");
        lines.push(error_line(&out));
        let n = osc_json(&a(SYSTEM, &["baremetal", "node", "show", &name]));
        assert_eq!(n["provision_state"], "clean failed");
        let last = n["last_error"].as_str().unwrap();
        assert!(lines[lines.len() - 1].ends_with(last), "{lines:?} / {last}");
    }
    assert!(
        lines[0].starts_with(&format!(
            "Node {name} failed to reach state manageable. It's in state clean failed, and has error: "
        )),
        "{}",
        lines[0]
    );
    assert_eq!(lines[0], lines[1]);
}

/// Bad input: one line, non-zero exit, nothing changed on the server.
#[test]
fn bad_input_is_one_line_and_changes_nothing() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-bad-node");
    let (_, _node) = fake_node(&name, &[]);
    let show = ["baremetal", "node", "show", name.as_str()];
    let before = osc_json(&a(SYSTEM, &show));

    let missing = format!("no-such-node-{}", std::process::id());
    let err = fails_alike(&a(SYSTEM, &["baremetal", "node", "show", &missing]));
    assert_eq!(
        err,
        format!("Node {missing} could not be found. (HTTP 404)")
    );
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "node", "manage", &missing, "--wait", "10"],
    ));
    // An invalid transition: an enrolled node cannot be deployed.
    let err = fails_alike(&a(SYSTEM, &["baremetal", "node", "deploy", &name]));
    assert!(err.contains("while it is in state \"enroll\""), "{err}");
    // Malformed deploy steps never reach the server. The JSON parsers' own words differ.
    let bad = osc(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "deploy",
            &name,
            "--deploy-steps",
            "[{bad",
        ],
    ));
    assert_eq!(bad.status.code(), Some(1));
    let err = error_line(&bad);
    assert!(
        err.starts_with("Value '[{bad' is not a file and cannot be parsed as JSON: "),
        "{err}"
    );
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim().lines().count(),
        1
    );
    assert!(!openstack(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "deploy",
            &name,
            "--deploy-steps",
            "[{bad"
        ]
    ))
    .status
    .success());
    // A pinned microversion above the server's: python-ironicclient refuses it as a usage
    // error (exit 2, argparse's choices); osc sends it and reports Ironic's answer.
    let high = osc(&a(
        SYSTEM,
        &[
            "--os-baremetal-api-version",
            "1.999",
            "baremetal",
            "node",
            "set",
            &name,
            "--description",
            "x",
        ],
    ));
    assert!(!high.status.success());
    let err = error_line(&high);
    assert!(err.contains("Version 1.999 was requested"), "{err}");
    assert_eq!(
        String::from_utf8_lossy(&high.stderr).trim().lines().count(),
        1
    );
    assert_eq!(
        openstack(&a(
            SYSTEM,
            &[
                "--os-baremetal-api-version",
                "1.999",
                "baremetal",
                "node",
                "show",
                &name
            ]
        ))
        .status
        .code(),
        Some(2)
    );
    // A config drive path that does not exist (ironicclient's words).
    let err = fails_alike(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "deploy",
            &name,
            "--config-drive",
            "/nonexistent/osc-drive",
        ],
    ));
    assert!(
        err.starts_with("Config drive seems to refer to a file or directory"),
        "{err}"
    );
    // An allocation needs a resource class or a node.
    let err = fails_alike(&a(SYSTEM, &["baremetal", "allocation", "create"]));
    assert_eq!(
        err,
        "--resource-class is required except when --node is used"
    );
    let after = osc_json(&a(SYSTEM, &show));
    assert_same_json(&after, &before, &[]);
}

/// The node's sub-resources and management actions that fake-hardware supports, and the
/// same failure from both clients where it does not (NMI, vendor passthru).
#[test]
fn node_management_and_sub_resources_match_the_reference() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let name = unique("osc-ops-node");
    let (_, _node) = fake_node(&name, &[]);
    let n = name.as_str();
    for sub in [
        &["validate", n][..],
        &["boot", "device", "show", n],
        &["boot", "device", "show", n, "--supported"],
        &["console", "show", n],
        &["bios", "setting", "list", n, "--long"],
        &["vif", "list", n],
        &["children", "list", n],
        &["firmware", "list", n],
        &["passthru", "list", n],
    ] {
        let mut args = vec!["baremetal", "node"];
        args.extend(sub);
        same(&a(SYSTEM, &args));
    }
    for action in [
        &["boot", "device", "set", n, "pxe", "--persistent"][..],
        &["boot", "mode", "set", n, "uefi"],
        &["secure", "boot", "on", n],
        &["secure", "boot", "off", n],
        &["console", "enable", n],
        &["console", "disable", n],
        &["reboot", n],
    ] {
        let mut args = vec!["baremetal", "node"];
        args.extend(action);
        osc_ok(&a(SYSTEM, &args));
    }
    power_off(SYSTEM, n);
    let shown = osc_json(&a(SYSTEM, &["baremetal", "node", "show", n]));
    // fake-hardware accepts a boot mode without recording it: `boot_mode` is not checked.
    assert_eq!(shown["power_state"], "power off");
    assert_eq!(shown["console_enabled"], false);
    let boot = osc_json(&a(
        SYSTEM,
        &["baremetal", "node", "boot", "device", "show", n],
    ));
    assert_eq!(boot["boot_device"], "pxe");
    // fake-hardware does not record `persistent`.

    let err = fails_alike(&a(SYSTEM, &["baremetal", "node", "inject", "nmi", n]));
    assert!(err.contains("does not support inject_nmi"), "{err}");
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "node", "passthru", "call", n, "no_such_method"],
    ));
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "node", "bios", "setting", "show", n, "no_such"],
    ));
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "node", "reboot", n, "--power-timeout", "0"],
    ));

    let vif = format!("osc-vif-{}", std::process::id());
    osc_ok(&a(SYSTEM, &["baremetal", "node", "vif", "attach", n, &vif]));
    let err = fails_alike(&a(
        SYSTEM,
        &[
            "baremetal",
            "node",
            "vif",
            "attach",
            n,
            "x",
            "--vif-info",
            "id=1",
        ],
    ));
    assert_eq!(err, "The attribute 'id' can't be specified in vif-info");
    osc_ok(&a(SYSTEM, &["baremetal", "node", "vif", "detach", n, &vif]));

    let history = same(&a(SYSTEM, &["baremetal", "node", "history", "list", n]));
    if let Some(event) = history.as_array().and_then(|h| h.first()) {
        let id = event["uuid"].as_str().unwrap();
        same(&a(SYSTEM, &["baremetal", "node", "history", "get", n, id]));
    }
    let dir = std::env::temp_dir().join(unique("osc-inventory"));
    let file = dir.to_string_lossy().to_string();
    // A fake node was never inspected: no inventory, the same error from both.
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "node", "inventory", "save", n, "--file", &file],
    ));
    assert!(!dir.exists());
}

/// Runbooks (with traits) and inspection rules: create, show, list, set, unset, delete.
#[test]
fn runbooks_and_inspection_rules_match_the_reference() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let rb = format!("CUSTOM_OSC_RB_{}", std::process::id());
    let steps = r#"[{"interface": "bios", "step": "apply_configuration", "args": {}, "order": 1}]"#;
    let made = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "runbook",
            "create",
            "--name",
            &rb,
            "--steps",
            steps,
            "--extra",
            "a=1",
            "--public",
            "no",
            "--description",
            "osc runbook",
        ],
    ));
    let _rb = cleanup(SYSTEM, &["baremetal", "runbook", "delete", &rb]);
    assert_eq!(made["public"], false);
    assert_eq!(made["steps"][0]["step"], "apply_configuration");
    let show = ["baremetal", "runbook", "show", rb.as_str()];
    let out = osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "runbook",
            "trait",
            "add",
            &rb,
            "CUSTOM_A",
            "CUSTOM_B",
        ],
    ));
    assert_eq!(out.trim(), "Added trait CUSTOM_A\nAdded trait CUSTOM_B");
    same(&a(SYSTEM, &["baremetal", "runbook", "trait", "list", &rb]));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "runbook",
            "set",
            &rb,
            "--extra",
            "b=2",
            "--disable-ramdisk",
            "true",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "runbook",
            "unset",
            &rb,
            "--extra",
            "a",
            "--description",
        ],
    ));
    let shown = osc_json(&a(SYSTEM, &show));
    assert_same_json(&shown, &openstack_json(&a(SYSTEM, &show)), &[]);
    assert_eq!(shown["extra"], serde_json::json!({"b": 2}));
    assert_eq!(shown["disable_ramdisk"], true);
    assert_eq!(shown["description"], serde_json::Value::Null);
    let err = fails_alike(&a(
        SYSTEM,
        &["baremetal", "runbook", "set", &rb, "--public", "maybe"],
    ));
    assert!(
        err.starts_with("argument --public: Unrecognized value 'maybe'"),
        "{err}"
    );
    let id = shown["uuid"].as_str().unwrap().to_string();
    let list = ["baremetal", "runbook", "list", "--long"];
    assert_eq!(
        mine(osc_json(&a(SYSTEM, &list)), &[&id]),
        mine(openstack_json(&a(SYSTEM, &list)), &[&id])
    );
    let out = osc_ok(&a(
        SYSTEM,
        &["baremetal", "runbook", "trait", "remove", &rb, "--all"],
    ));
    assert_eq!(out.trim(), format!("Removed all traits from runbook {rb}"));
    let out = osc_ok(&a(SYSTEM, &["baremetal", "runbook", "delete", &rb]));
    assert_eq!(out.trim(), format!("Deleted runbook {rb}"));

    let desc = unique("osc-rule");
    let rule = osc_json(&a(
        SYSTEM,
        &[
            "baremetal",
            "inspection",
            "rule",
            "create",
            "--description",
            &desc,
            "--priority",
            "10",
            "--actions",
            r#"[{"op": "set-attribute", "args": {"path": "/extra/x", "value": "y"}}]"#,
            "--conditions",
            r#"[{"op": "eq", "args": {"values": [1, 1]}}]"#,
        ],
    ));
    let rid = rule["uuid"].as_str().unwrap().to_string();
    let _rule = cleanup(SYSTEM, &["baremetal", "inspection", "rule", "delete", &rid]);
    assert_eq!(rule["priority"], 10);
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "inspection",
            "rule",
            "set",
            &rid,
            "--priority",
            "20",
        ],
    ));
    osc_ok(&a(
        SYSTEM,
        &[
            "baremetal",
            "inspection",
            "rule",
            "unset",
            &rid,
            "--description",
        ],
    ));
    let show = ["baremetal", "inspection", "rule", "show", rid.as_str()];
    let shown = osc_json(&a(SYSTEM, &show));
    assert_same_json(&shown, &openstack_json(&a(SYSTEM, &show)), &[]);
    assert_eq!(shown["priority"], 20);
    assert_eq!(shown["description"], serde_json::Value::Null);
    let list = ["baremetal", "inspection", "rule", "list", "--long"];
    assert_eq!(
        mine(osc_json(&a(SYSTEM, &list)), &[&rid]),
        mine(openstack_json(&a(SYSTEM, &list)), &[&rid])
    );
    let out = osc_ok(&a(
        SYSTEM,
        &["baremetal", "inspection", "rule", "delete", &rid],
    ));
    assert_eq!(out.trim(), format!("Deleted rule {rid}"));
}

/// Conductors, shards and the drivers' properties and passthru methods.
#[test]
fn conductors_shards_and_driver_details_match_the_reference() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let conductors = same(&a(SYSTEM, &["baremetal", "conductor", "list"]));
    same(&a(
        SYSTEM,
        &[
            "baremetal",
            "conductor",
            "list",
            "--fields",
            "hostname",
            "drivers",
        ],
    ));
    let host = conductors[0]["hostname"].as_str().unwrap();
    // `updated_at` is the conductor's heartbeat: it moves between two reads.
    let show = ["baremetal", "conductor", "show", host];
    assert_same_json(
        &osc_json(&a(SYSTEM, &show)),
        &openstack_json(&a(SYSTEM, &show)),
        &["updated_at"],
    );
    // Other tests add and remove unsharded nodes meanwhile: compare a shard of our own.
    let shard = unique("osc-shard");
    let name = unique("osc-shard-node");
    let (_, _node) = fake_node(&name, &["--shard", &shard]);
    let ours_only = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["name"] == shard.as_str())
            .cloned()
            .collect()
    };
    let list = a(SYSTEM, &["baremetal", "shard", "list"]);
    let ours = ours_only(osc_json(&list));
    assert_eq!(ours, vec![serde_json::json!({"name": shard, "count": 1})]);
    assert_eq!(ours, ours_only(openstack_json(&list)));
    for words in [
        &["driver", "property", "list", "fake-hardware"][..],
        &["driver", "raid", "property", "list", "fake-hardware"],
        &["driver", "passthru", "list", "fake-hardware"],
    ] {
        let mut args = vec!["baremetal"];
        args.extend(words);
        same(&a(SYSTEM, &args));
    }
    fails_alike(&a(
        SYSTEM,
        &["baremetal", "conductor", "show", "no-such-conductor"],
    ));
}

/// `baremetal create` from a YAML file: a chassis holding a node with a trait, a port
/// group holding a port, and a port of its own; invalid files are refused before anything
/// is created.
#[test]
fn create_from_a_file_makes_the_whole_tree() {
    require_cloud!();
    if !in_catalog("baremetal") {
        return;
    }
    let node = unique("osc-file-node");
    let chassis = unique("osc-file-chassis");
    let pg = unique("osc-file-pg");
    let dir = std::env::temp_dir().join(unique("osc-bm-create"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("resources.yaml");
    std::fs::write(
        &file,
        format!(
            "chassis:\n  - description: {chassis}\n    nodes:\n      - name: {node}\n        driver: fake-hardware\n        traits: [CUSTOM_OSC_FILE]\n        portgroups:\n          - name: {pg}\n            address: \"{}\"\n            ports:\n              - address: \"{}\"\n        ports:\n          - address: \"{}\"\n",
            mac(0x11),
            mac(0x12),
            mac(0x13)
        ),
    )
    .unwrap();
    let path = file.to_string_lossy().to_string();
    osc_ok(&a(SYSTEM, &["baremetal", "create", &path]));
    let _node = Node(node.clone());
    let shown = osc_json(&a(SYSTEM, &["baremetal", "node", "show", &node]));
    let chassis_id = shown["chassis_uuid"].as_str().unwrap().to_string();
    let _pg = cleanup(SYSTEM, &["baremetal", "port", "group", "delete", &pg]);
    assert_eq!(shown["traits"], serde_json::json!(["CUSTOM_OSC_FILE"]));
    let ports = osc_json(&a(
        SYSTEM,
        &["baremetal", "port", "list", "--node", &node, "--long"],
    ));
    let ports = ports.as_array().unwrap();
    assert_eq!(ports.len(), 2);
    let group = osc_json(&a(SYSTEM, &["baremetal", "port", "group", "show", &pg]));
    assert!(ports
        .iter()
        .any(|p| p["portgroup_uuid"] == group["uuid"] && p["address"] == mac(0x12).as_str()));
    for p in ports {
        osc_ok(&a(
            SYSTEM,
            &["baremetal", "port", "delete", p["uuid"].as_str().unwrap()],
        ));
    }
    osc_ok(&a(SYSTEM, &["baremetal", "port", "group", "delete", &pg]));
    osc_ok(&a(SYSTEM, &["baremetal", "node", "delete", &node]));
    osc_ok(&a(SYSTEM, &["baremetal", "chassis", "delete", &chassis_id]));

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"nodes": [{"driver": "fake-hardware"}], "racks": []}"#,
    )
    .unwrap();
    let bad = bad.to_string_lossy().to_string();
    let txt = dir.join("resources.txt").to_string_lossy().to_string();
    let out = osc(&a(SYSTEM, &["baremetal", "create", &bad, &txt]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        error_line(&out),
        format!("While validating the resources file(s), the following error(s) were encountered: Additional properties are not allowed ('racks' was unexpected); Cannot read file \"{txt}\" due to error: [Errno 2] No such file or directory: '{txt}'")
    );
    assert!(!openstack(&a(SYSTEM, &["baremetal", "create", &bad, &txt]))
        .status
        .success());
    let _ = std::fs::remove_dir_all(&dir);
}
