//! Functional tests of the orchestration plugin against the devcloud's Heat, compared with
//! python-heatclient's `-f json` output through python-openstackclient. Skipped when the
//! devcloud's catalog has no `orchestration` service.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::*;
use serde_json::Value;
use std::path::Path;

/// Every command runs as the demo user, osc's and the reference's alike.
fn demo<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--os-cloud", "devstack"];
    v.extend_from_slice(args);
    v
}
fn ojson(args: &[&str]) -> Value {
    osc_json(&demo(args))
}
fn rjson(args: &[&str]) -> Value {
    openstack_json(&demo(args))
}
fn ook(args: &[&str]) -> String {
    osc_ok(&demo(args))
}
fn rok(args: &[&str]) -> String {
    openstack_ok(&demo(args))
}
fn orun(args: &[&str]) -> std::process::Output {
    osc(&demo(args))
}

/// True when the devcloud's catalog has Heat (`support::in_catalog`: a skip on a developer
/// machine, a failure in CI).
fn heat() -> bool {
    in_catalog("orchestration")
}

/// Deletes the stack when the test ends, whatever happened.
struct Stack(String);

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = orun(&["stack", "delete", "--yes", "--wait", &self.0]);
    }
}

const TOP: &str = "heat_template_version: 2018-08-31
description: osc functional test
parameters:
  length: {type: number, default: 8}
  label: {type: string, default: one}
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: {get_param: length}
  test:
    type: OS::Heat::TestResource
    properties:
      value: {get_param: label}
  viafile:
    type: sub/inner.yaml
  viaenv:
    type: My::Inner
outputs:
  random:
    description: the random string
    value: {get_attr: [rand, value]}
  label:
    value: {get_attr: [test, output]}
  inner:
    value: {get_attr: [viaenv, data]}
";

const INNER: &str = "heat_template_version: 2018-08-31
resources:
  data:
    type: OS::Heat::TestResource
    properties:
      value: {get_file: ../data.txt}
outputs:
  data:
    value: {get_attr: [data, output]}
";

const ENV: &str = "resource_registry:
  My::Inner: sub/inner.yaml
parameters:
  length: 12
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn field<'a>(v: &'a Value, k: &str) -> &'a Value {
    &v[k]
}

#[test]
fn stack_lifecycle_with_files_environments_and_snapshots() {
    require_cloud!();
    if !heat() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let top = write(d, "top.yaml", TOP);
    write(d, "sub/inner.yaml", INNER);
    write(d, "data.txt", "from a file");
    let env = write(d, "env.yaml", ENV);
    let name = unique("osc-stack");
    let _guard = Stack(name.clone());

    let created = ojson(&[
        "stack",
        "create",
        "-t",
        &top,
        "-e",
        &env,
        "--parameter",
        "label=one",
        "--wait",
        &name,
    ]);
    assert_eq!(field(&created, "stack_status"), "CREATE_COMPLETE");
    assert_eq!(field(&created, "stack_name"), name.as_str());

    // The same stack as heatclient shows it.
    let ours = ojson(&["stack", "show", &name]);
    let theirs = rjson(&["stack", "show", &name]);
    assert_same_json(&ours, &theirs, &[]);
    let params = &ours["parameters"];
    assert_eq!(
        params["length"], "12",
        "the environment's parameter: {params}"
    );

    let outputs = ojson(&["stack", "output", "show", "--all", &name]);
    assert_eq!(outputs["inner"]["output_value"], "from a file");
    assert_eq!(
        outputs["random"]["output_value"].as_str().unwrap().len(),
        12
    );
    assert_same_json(
        &outputs,
        &rjson(&["stack", "output", "show", "--all", &name]),
        &[],
    );
    assert_same_json(
        &ojson(&["stack", "output", "list", &name]),
        &rjson(&["stack", "output", "list", &name]),
        &[],
    );
    assert_same_json(
        &ojson(&["stack", "output", "show", &name, "label"]),
        &rjson(&["stack", "output", "show", &name, "label"]),
        &[],
    );

    // Update with a changed parameter; the new value reaches the resource.
    let updated = ojson(&[
        "stack",
        "update",
        "-t",
        &top,
        "-e",
        &env,
        "--parameter",
        "label=two",
        "--wait",
        &name,
    ]);
    assert_eq!(field(&updated, "stack_status"), "UPDATE_COMPLETE");
    let label = ojson(&["stack", "output", "show", &name, "label"]);
    assert_eq!(label["output_value"], "two");

    // Actions with --wait: one row each, as heatclient's.
    for (action, status) in [
        ("check", "CHECK_COMPLETE"),
        ("suspend", "SUSPEND_COMPLETE"),
        ("resume", "RESUME_COMPLETE"),
    ] {
        let rows = ojson(&["stack", action, "--wait", &name]);
        assert_eq!(rows[0]["Stack Status"], status, "{action}: {rows}");
        assert_eq!(rows[0]["Stack Name"], name.as_str());
    }

    for args in [
        vec!["stack", "resource", "list", &name],
        vec!["stack", "resource", "list", "--nested-depth", "2", &name],
        vec!["stack", "resource", "list", "--long", &name],
        vec!["stack", "event", "list", &name],
        vec!["stack", "snapshot", "list", &name],
        vec!["stack", "template", "show", &name],
        vec!["stack", "environment", "show", &name],
        vec!["stack", "file", "list", &name],
        vec!["stack", "resource", "show", &name, "test"],
        vec!["stack", "resource", "metadata", &name, "test"],
    ] {
        assert_same_json(&ojson(&args), &rjson(&args), &[]);
    }
    let nested = ojson(&["stack", "resource", "list", "--nested-depth", "2", &name]);
    let rows = nested.as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["resource_name"] == "data"),
        "the nested templates' resources: {nested}"
    );
    let files = ojson(&["stack", "file", "list", &name]);
    let files = files["files"].as_object().unwrap();
    assert!(files.keys().any(|k| k.ends_with("/data.txt")), "{files:?}");
    assert!(
        files.keys().any(|k| k.ends_with("/sub/inner.yaml")),
        "{files:?}"
    );

    // The stack's own events name no resource of it: show a resource's event.
    let events = ojson(&["stack", "event", "list", &name]);
    let first = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource_name"] == "test")
        .unwrap();
    let event = ojson(&[
        "stack",
        "event",
        "show",
        &name,
        first["resource_name"].as_str().unwrap(),
        first["id"].as_str().unwrap(),
    ]);
    assert_eq!(event["id"], first["id"]);

    assert_same_json(
        &event,
        &rjson(&[
            "stack",
            "event",
            "show",
            &name,
            "test",
            first["id"].as_str().unwrap(),
        ]),
        &[],
    );

    // Each command's default output, byte for byte: heatclient's formatter defaults (yaml
    // templates, environments, files and validation, json metadata, `log` event lines) and
    // its own formatters (`-f dot`), and its JSON and YAML columns in tables.
    for args in [
        vec!["stack", "show", &name],
        vec!["stack", "show", "-f", "value", &name],
        vec!["stack", "template", "show", &name],
        vec!["stack", "environment", "show", &name],
        vec!["stack", "file", "list", &name],
        vec!["stack", "event", "list", &name],
        vec!["stack", "event", "list", "--nested-depth", "2", &name],
        vec!["stack", "event", "list", "-f", "table", &name],
        vec!["stack", "resource", "list", "-f", "dot", &name],
        vec!["stack", "resource", "list", "-f", "dot", "-n", "2", &name],
        vec!["stack", "resource", "metadata", &name, "test"],
        vec!["stack", "output", "show", "--all", &name],
        vec!["stack", "export", &name],
        vec![
            "stack",
            "event",
            "show",
            &name,
            "test",
            first["id"].as_str().unwrap(),
        ],
        vec![
            "orchestration",
            "template",
            "validate",
            "-t",
            &top,
            "-e",
            &env,
        ],
        vec![
            "orchestration",
            "template",
            "validate",
            "--show-nested",
            "-t",
            &top,
            "-e",
            &env,
        ],
    ] {
        assert_eq!(ook(&args), rok(&args), "{args:?}");
    }
    let dot = ook(&["stack", "resource", "list", "-f", "dot", "-n", "2", &name]);
    assert!(dot.starts_with("digraph G {\n"), "{dot}");
    assert!(dot.contains("subgraph cluster_stack_"), "{dot}");
    let log = ook(&["stack", "event", "list", &name]);
    assert!(
        log.lines()
            .any(|l| l.contains(&format!("[{name}]: UPDATE_COMPLETE"))),
        "{log}"
    );
    // --follow is only for the log format, as in heatclient.
    let out = orun(&["stack", "event", "list", "--follow", "-f", "table", &name]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "--follow can only be specified with --format log"
    );

    // A dry-run update shows no change when nothing changes, as heatclient's preview.
    let dry = [
        "stack",
        "update",
        "--dry-run",
        "-t",
        &top,
        "-e",
        &env,
        "--parameter",
        "label=two",
        &name,
    ];
    assert_eq!(ook(&dry), rok(&dry));

    // Snapshots.
    let snap_name = unique("osc-snap");
    let snap = ojson(&["stack", "snapshot", "create", "--name", &snap_name, &name]);
    assert_eq!(snap["name"], snap_name.as_str());
    let snap_id = snap["ID"].as_str().unwrap().to_string();
    // Heat takes snapshots in the background and refuses to delete one in progress: wait
    // for it (bounded), as a user would.
    let mut status = String::new();
    for _ in 0..120 {
        let shown = ojson(&["stack", "snapshot", "show", &name, &snap_id]);
        status = shown["snapshot"]["status"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if status != "IN_PROGRESS" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(status, "COMPLETE");
    let listed = ojson(&["stack", "snapshot", "list", &name]);
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == snap_id.as_str()));
    assert_same_json(
        &ojson(&["stack", "snapshot", "show", &name, &snap_id]),
        &rjson(&["stack", "snapshot", "show", &name, &snap_id]),
        &[],
    );
    // The default (yaml) form, as heatclient's.
    assert_eq!(
        ook(&["stack", "snapshot", "show", &name, &snap_id]),
        rok(&["stack", "snapshot", "show", &name, &snap_id])
    );
    // Restored: the stack goes back to its snapshot (Heat restores in the background; the
    // wait is bounded).
    ook(&["stack", "snapshot", "restore", &name, &snap_id]);
    let mut stack_status = String::new();
    for _ in 0..240 {
        let shown = ojson(&["stack", "show", &name]);
        stack_status = shown["stack_status"].as_str().unwrap_or("").to_string();
        if stack_status.starts_with("RESTORE_") && !stack_status.ends_with("IN_PROGRESS") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(stack_status, "RESTORE_COMPLETE");
    ook(&["stack", "snapshot", "delete", "--yes", &name, &snap_id]);

    // Lists: ours and heatclient's agree on this stack's row.
    let mine = |v: Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|s| s["Stack Name"] == name.as_str())
            .cloned()
            .unwrap()
    };
    assert_same_json(
        &mine(ojson(&["stack", "list"])),
        &mine(rjson(&["stack", "list"])),
        &[],
    );

    ook(&["stack", "delete", "--yes", "--wait", &name]);
    let gone = orun(&["stack", "show", &name]);
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&gone.stderr).trim(),
        format!("Stack not found: {name}")
    );
    // Deleting it again: heatclient's reason, then its summary as the error.
    let again = orun(&["stack", "delete", "--yes", &name]);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(
        err.trim().lines().collect::<Vec<_>>(),
        [
            format!("Stack not found: {name}").as_str(),
            "Unable to delete 1 of the 1 stacks."
        ]
    );
}

#[test]
fn hooks_pause_a_stack_until_cleared() {
    require_cloud!();
    if !heat() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "hook.yaml",
        "heat_template_version: 2018-08-31
resources:
  first:
    type: OS::Heat::TestResource
  second:
    type: OS::Heat::TestResource
",
    );
    let name = unique("osc-hook");
    let _guard = Stack(name.clone());
    ook(&["stack", "create", "-t", &t, "--pre-create", "second", &name]);
    // Heat reaches the hook in the background: poll for it (bounded), as a user would.
    let mut hooks = Value::Null;
    for _ in 0..120 {
        hooks = ojson(&["stack", "hook", "poll", &name]);
        if hooks.as_array().is_some_and(|h| !h.is_empty()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    let rows = hooks.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{hooks}");
    assert_eq!(rows[0]["Resource Name"], "second");
    assert_eq!(
        rows[0]["Resource Status Reason"],
        "CREATE paused until Hook pre-create is cleared"
    );
    assert_same_json(&hooks, &rjson(&["stack", "hook", "poll", &name]), &[]);
    assert_eq!(
        ook(&["stack", "hook", "poll", &name]),
        rok(&["stack", "hook", "poll", &name])
    );
    // A resource without a hook: heatclient's error.
    let wrong = ["stack", "hook", "clear", &name, "first"];
    let (o, r) = (orun(&wrong), openstack(&demo(&wrong)));
    assert_eq!(o.status.code(), r.status.code());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        String::from_utf8_lossy(&r.stderr).trim()
    );
    ook(&["stack", "hook", "clear", "--pre-create", &name, "second"]);
    let mut status = String::new();
    for _ in 0..120 {
        status = ojson(&["stack", "show", &name])["stack_status"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if status != "CREATE_IN_PROGRESS" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(status, "CREATE_COMPLETE");
    // Nothing left to poll: heatclient's error for a stack no longer in progress.
    let done = orun(&["stack", "hook", "poll", &name]);
    assert_eq!(done.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&done.stderr).trim(),
        "Stack status CREATE_COMPLETE not IN_PROGRESS"
    );
    ook(&["stack", "delete", "--yes", "--wait", &name]);
}

#[test]
fn failures_and_bad_input_are_one_line_and_leave_no_stack() {
    require_cloud!();
    if !heat() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let failing = write(
        d,
        "fail.yaml",
        "heat_template_version: 2018-08-31
resources:
  bad:
    type: OS::Heat::TestResource
    properties:
      fail: true
",
    );
    let name = unique("osc-fail");
    let _guard = Stack(name.clone());
    let out = orun(&["stack", "create", "-t", &failing, "--wait", &name]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.trim().lines().last().unwrap_or("");
    assert!(
        last.starts_with(&format!("Stack {name} CREATE_FAILED: ")) && last.contains("bad"),
        "{err}"
    );
    // The events were printed while waiting.
    assert!(err.contains("CREATE_IN_PROGRESS"), "{err}");
    let failures = ook(&["stack", "failures", "list", &name]);
    assert!(failures.contains(&format!("{name}.bad:")), "{failures}");
    assert_eq!(failures, rok(&["stack", "failures", "list", &name]));
    ook(&["stack", "delete", "--yes", "--wait", &name]);

    let yaml = write(
        d,
        "broken.yaml",
        "heat_template_version: 2018-08-31\nresources:\n  a: [1\n",
    );
    let missing = write(
        d,
        "missing.yaml",
        "heat_template_version: 2018-08-31
resources:
  a:
    type: OS::Heat::TestResource
    properties: {value: {get_file: nothere.txt}}
",
    );
    let ok = write(d, "ok.yaml", "heat_template_version: 2018-08-31\n");
    let bad_name = unique("osc-bad");
    for (args, want) in [
        (
            vec!["stack", "create", "-t", yaml.as_str(), bad_name.as_str()],
            "line 4 column",
        ),
        (
            vec!["stack", "create", "-t", missing.as_str(), bad_name.as_str()],
            "Could not fetch contents for file://",
        ),
        (
            vec![
                "stack",
                "create",
                "-t",
                ok.as_str(),
                "--parameter",
                "nope=1",
                bad_name.as_str(),
            ],
            "ERROR: ",
        ),
        (
            vec![
                "stack",
                "create",
                "-t",
                "http://127.0.0.1:9/t.yaml",
                bad_name.as_str(),
            ],
            "Could not fetch template from http://127.0.0.1:9/t.yaml",
        ),
        (
            vec![
                "orchestration",
                "template",
                "validate",
                "-t",
                missing.as_str(),
            ],
            "Could not fetch contents for file://",
        ),
        (
            vec!["orchestration", "template", "validate", "-t", yaml.as_str()],
            "line 4 column",
        ),
        (
            vec![
                "stack",
                "create",
                "-t",
                "/nonexistent/osc-t.yaml",
                bad_name.as_str(),
            ],
            "/nonexistent/osc-t.yaml",
        ),
        (
            vec![
                "stack",
                "create",
                "-t",
                ok.as_str(),
                "-e",
                missing.as_str(),
                bad_name.as_str(),
            ],
            "environment has wrong section \"heat_template_version\"",
        ),
    ] {
        let out = orun(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let list = ojson(&["stack", "list"]);
    assert!(!list
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["Stack Name"] == bad_name.as_str()));

    // Validation of a good template agrees with heatclient's, in JSON and in its default
    // (yaml) form.
    assert_same_json(
        &ojson(&["orchestration", "template", "validate", "-t", &ok]),
        &rjson(&["orchestration", "template", "validate", "-t", &ok]),
        &[],
    );
    assert_eq!(
        ook(&["orchestration", "template", "validate", "-t", &ok]),
        rok(&["orchestration", "template", "validate", "-t", &ok])
    );
    // Heat's own validation message (not its generic "Bad Request" title), as heatclient.
    let unknown = [
        "orchestration",
        "template",
        "validate",
        "-t",
        ok.as_str(),
        "--parameter",
        "nope=1",
    ];
    let (o, r) = (orun(&unknown), openstack(&demo(&unknown)));
    assert_eq!(o.status.code(), r.status.code());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim(), String::from_utf8_lossy(&r.stderr).trim());
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn read_only_commands_agree_with_heatclient() {
    require_cloud!();
    if !heat() {
        return;
    }
    for args in [
        vec!["orchestration", "template", "version", "list"],
        vec![
            "orchestration",
            "template",
            "function",
            "list",
            "heat_template_version.2018-08-31",
        ],
        vec!["orchestration", "resource", "type", "list"],
        vec![
            "orchestration",
            "resource",
            "type",
            "show",
            "OS::Heat::RandomString",
        ],
        vec!["orchestration", "build", "info"],
        vec!["software", "config", "list"],
        vec!["software", "deployment", "list"],
    ] {
        assert_same_json(&ojson(&args), &rjson(&args), &[]);
    }

    // A software config from files, shown as heatclient shows it, then deleted.
    let dir = tempfile::tempdir().unwrap();
    let script = write(dir.path(), "script.sh", "#!/bin/sh\necho hi\n");
    let defn = write(
        dir.path(),
        "defn.yaml",
        "inputs:\n- name: a\n  default: x\noutputs:\n- name: out\noptions: {}\n",
    );
    let name = unique("osc-config");
    let created = ojson(&[
        "software",
        "config",
        "create",
        "--config-file",
        &script,
        "--definition-file",
        &defn,
        "--group",
        "script",
        &name,
    ]);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["config"], "#!/bin/sh\necho hi\n");
    assert_same_json(
        &ojson(&["software", "config", "show", &id]),
        &rjson(&["software", "config", "show", &id]),
        &[],
    );
    assert_eq!(
        ook(&["software", "config", "show", "--config-only", &id]),
        "#!/bin/sh\necho hi\n\n"
    );
    assert_eq!(
        ook(&["software", "config", "show", &id]),
        rok(&["software", "config", "show", &id])
    );

    // A deployment of it to a server ID (Heat records deployments without asking Nova;
    // NO_SIGNAL needs no Swift container), created by both clients and compared.
    let server = "00000000-0000-4000-8000-0000000000a1";
    let create = |name: &str, ours: bool| {
        let args = [
            "software",
            "deployment",
            "create",
            "--config",
            id.as_str(),
            "--server",
            server,
            "--signal-transport",
            "NO_SIGNAL",
            "--input-value",
            "a=y",
            name,
        ];
        if ours {
            ojson(&args)
        } else {
            rjson(&args)
        }
    };
    let ours = create(&unique("osc-deploy"), true);
    let theirs = create(&unique("osc-deploy"), false);
    assert_same_json(&ours, &theirs, &["id", "config_id", "creation_time"]);
    assert_eq!(ours["server_id"], server);
    let dep = ours["id"].as_str().unwrap().to_string();
    let other = theirs["id"].as_str().unwrap().to_string();
    for args in [
        vec!["software", "deployment", "show", &dep],
        vec!["software", "deployment", "show", "--long", &dep],
        vec!["software", "deployment", "list", "--server", server],
        vec!["software", "deployment", "metadata", "show", server],
        vec!["software", "deployment", "output", "show", "--all", &dep],
    ] {
        assert_eq!(ook(&args), rok(&args), "{args:?}");
    }
    ook(&["software", "deployment", "delete", &dep, &other]);
    let gone = orun(&["software", "deployment", "show", &dep]);
    assert_eq!(gone.status.code(), Some(1));
    let again = orun(&["software", "deployment", "delete", &dep]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr).trim().lines().last(),
        Some("Unable to delete 1 of the 1 deployments.")
    );

    ook(&["software", "config", "delete", &id]);
    let gone = orun(&["software", "config", "show", &id]);
    assert_eq!(gone.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&gone.stderr).trim(),
        format!("Configuration not found: {id}")
    );
}

#[test]
fn a_stack_with_a_server_and_a_port() {
    require_cloud!();
    if !heat() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "server.yaml",
        "heat_template_version: 2018-08-31
parameters:
  image: {type: string, default: cirros-0.6.3-x86_64-disk}
resources:
  port:
    type: OS::Neutron::Port
    properties: {network: private}
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: m1.nano
      networks: [{port: {get_resource: port}}]
outputs:
  server_id: {value: {get_resource: server}}
  port_id: {value: {get_resource: port}}
",
    );
    let name = unique("osc-server-stack");
    let _guard = Stack(name.clone());
    let created = ojson(&["stack", "create", "-t", &t, "--wait", &name]);
    assert_eq!(created["stack_status"], "CREATE_COMPLETE", "{created}");
    let server = ojson(&["stack", "output", "show", &name, "server_id"]);
    let server_id = server["output_value"].as_str().unwrap().to_string();
    let shown = ojson(&["server", "show", &server_id]);
    assert_eq!(shown["id"], server_id.as_str());
    let resources = ojson(&["stack", "resource", "list", &name]);
    assert_same_json(
        &resources,
        &rjson(&["stack", "resource", "list", &name]),
        &[],
    );
    let port = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource_name"] == "port")
        .cloned()
        .unwrap();
    assert_eq!(port["resource_type"], "OS::Neutron::Port");
    ook(&["stack", "delete", "--yes", "--wait", &name]);
    let gone = orun(&["server", "show", &server_id]);
    assert_eq!(gone.status.code(), Some(1));
}
