//! The baremetal plugin in-process against the SDK's fake host: what the live Ironic cannot
//! show deterministically (a wait's deadline), the requests behind the new commands, and
//! ironicclient's messages for bad input.
#![allow(clippy::unwrap_used)]

use osc_plugin_baremetal::{osc_plugin_entry_v1, osc_plugin_manifest};
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};
use osc_plugin_sdk::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;

fn run(h: &mut FakeHost, argv: &[&str]) -> Result<Value, String> {
    h.run(osc_plugin_entry_v1, &osc_plugin_manifest, argv)
        .map_err(|(_, m)| m)
}

fn words(line: &str) -> Vec<&str> {
    line.split(' ').collect()
}

#[test]
fn manifest_is_valid_and_has_every_command() {
    let m = check_manifest(&osc_plugin_manifest).unwrap();
    assert_eq!(m["commands"].as_array().unwrap().len(), 118);
}

#[test]
fn a_wait_that_times_out_names_the_state_it_waited_for() {
    let mut h = FakeHost::new();
    h.route("PUT", "baremetal", "/nodes/n1/states/provision", |_| {
        FakeResponse::json(202, json!(null))
    });
    h.route("GET", "baremetal", "/nodes/n1", |_| {
        FakeResponse::json(
            200,
            json!({"uuid": "u1", "provision_state": "deploying", "target_provision_state": "active"}),
        )
    });
    let err = run(&mut h, &words("baremetal node deploy n1 --wait 1")).unwrap_err();
    assert_eq!(err, "Node(s) n1 failed to reach state active in 1 seconds");
}

#[test]
fn a_failed_allocation_reports_its_last_error() {
    let mut h = FakeHost::new();
    let sent = Rc::new(RefCell::new(Value::Null));
    let s = sent.clone();
    h.route("POST", "baremetal", "/allocations", move |r| {
        *s.borrow_mut() = r.json.clone().unwrap_or_default();
        FakeResponse::json(201, json!({"uuid": "a1", "state": "allocating"}))
    });
    h.route("GET", "baremetal", "/allocations/a1", |_| {
        FakeResponse::json(
            200,
            json!({"uuid": "a1", "state": "error", "last_error": "no suitable nodes"}),
        )
    });
    let err = run(
        &mut h,
        &words("baremetal allocation create --resource-class CUSTOM_X --trait T1 --trait T2 --candidate-node n1 --extra k=1 --wait"),
    )
    .unwrap_err();
    assert_eq!(err, "Allocation a1 failed: no suitable nodes");
    assert_eq!(
        *sent.borrow(),
        json!({"resource_class": "CUSTOM_X", "traits": ["T1", "T2"], "candidate_nodes": ["n1"], "extra": {"k": 1}})
    );
    let err = run(&mut h, &words("baremetal allocation create --name x")).unwrap_err();
    assert_eq!(
        err,
        "--resource-class is required except when --node is used"
    );
}

#[test]
fn runbook_booleans_are_strict_and_patched_as_booleans() {
    let mut h = FakeHost::new();
    let sent = Rc::new(RefCell::new(Value::Null));
    let s = sent.clone();
    h.route("PATCH", "baremetal", "/runbooks/rb", move |r| {
        *s.borrow_mut() = r.json.clone().unwrap_or_default();
        FakeResponse::json(200, json!({}))
    });
    run(
        &mut h,
        &words("baremetal runbook set rb --public yes --disable-ramdisk off --extra a=1"),
    )
    .unwrap();
    assert_eq!(
        *sent.borrow(),
        json!([
            {"op": "add", "path": "/public", "value": true},
            {"op": "add", "path": "/extra/a", "value": 1},
            {"op": "add", "path": "/disable_ramdisk", "value": false},
        ])
    );
    let err = run(&mut h, &words("baremetal runbook set rb --public maybe")).unwrap_err();
    assert!(
        err.starts_with("argument --public: Unrecognized value 'maybe'"),
        "{err}"
    );
}

#[test]
fn node_management_requests() {
    let mut h = FakeHost::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    for path in [
        "/nodes/n1/management/boot_device",
        "/nodes/n1/states/boot_mode",
        "/nodes/n1/states/secure_boot",
        "/nodes/n1/states/console",
        "/nodes/n1/states/power",
        "/nodes/n1/vifs",
    ] {
        for method in ["PUT", "POST"] {
            let s = seen.clone();
            h.route(method, "baremetal", path, move |r| {
                s.borrow_mut()
                    .push((r.path.clone(), r.json.clone().unwrap_or_default()));
                FakeResponse::json(202, json!(null))
            });
        }
    }
    // A positional after one that repeats: as osc's parser (clap) assigns it, which the
    // fake host's command-line parser does not.
    for (command, args) in [
        (
            "baremetal node boot device set",
            json!({"nodes": ["n1"], "device": "disk", "persistent": true}),
        ),
        (
            "baremetal node boot mode set",
            json!({"nodes": ["n1"], "boot_mode": "bios"}),
        ),
    ] {
        h.invoke(osc_plugin_entry_v1, command, args).unwrap();
    }
    for line in [
        "baremetal node secure boot on n1",
        "baremetal node console disable n1",
        "baremetal node reboot n1 --soft --power-timeout 5",
        "baremetal node vif attach n1 v1 --port-uuid p1 --vif-info a=b",
    ] {
        run(&mut h, &words(line)).unwrap();
    }
    let bodies: Vec<Value> = seen.borrow().iter().map(|(_, b)| b.clone()).collect();
    assert_eq!(
        bodies,
        vec![
            json!({"boot_device": "disk", "persistent": true}),
            json!({"target": "bios"}),
            json!({"target": true}),
            json!({"enabled": false}),
            json!({"target": "soft rebooting", "timeout": 5}),
            json!({"a": "b", "port_uuid": "p1", "id": "v1"}),
        ]
    );
    let err = run(&mut h, &words("baremetal node reboot n1 --power-timeout 0")).unwrap_err();
    assert_eq!(
        err,
        "'timeout' option for setting power state must have positive integer value (> 0)"
    );
}

#[test]
fn vendor_passthru_answers_print_as_python_dicts() {
    let mut h = FakeHost::new();
    h.route("GET", "baremetal", "/nodes/n1/vendor_passthru/m", |_| {
        FakeResponse::json(200, json!({"a": true, "b": null, "c": ["x'y", 1]}))
    });
    let out = run(
        &mut h,
        &words("baremetal node passthru call n1 m --http-method GET"),
    )
    .unwrap();
    assert_eq!(out["text"], "{'a': True, 'b': None, 'c': [\"x'y\", 1]}");
}

#[test]
fn malformed_json_arguments_send_nothing() {
    let mut h = FakeHost::new();
    let err = run(
        &mut h,
        &words("baremetal node deploy n1 --deploy-steps [{bad"),
    )
    .unwrap_err();
    assert!(
        err.starts_with("Value '[{bad' is not a file and cannot be parsed as JSON: "),
        "{err}"
    );
    assert!(h.requests.is_empty());
}

/// Ironic's 409 while a conductor holds the node: `error_message` holds the fault as JSON.
fn locked() -> FakeResponse {
    let fault = json!({
        "faultstring": "Node n1 is locked by host c1, please retry after the current operation is completed.",
        "faultcode": "Client",
        "debuginfo": null,
    });
    FakeResponse::json(409, json!({"error_message": fault.to_string()}))
}

#[test]
fn a_write_to_a_locked_node_is_sent_again_and_other_conflicts_are_not() {
    let mut h = FakeHost::new();
    let answers = Rc::new(RefCell::new(vec![
        FakeResponse::json(202, json!(null)),
        locked(),
    ]));
    let sent = Rc::new(RefCell::new(0));
    let (a, s) = (answers.clone(), sent.clone());
    h.route("PUT", "baremetal", "/nodes/n1/states/power", move |r| {
        *s.borrow_mut() += 1;
        assert_eq!(r.json, Some(json!({"target": "power off"})));
        a.borrow_mut().pop().unwrap()
    });
    run(&mut h, &words("baremetal node power off n1")).unwrap();
    assert_eq!(*sent.borrow(), 2, "sent again after the lock");

    let tries = Rc::new(RefCell::new(0));
    let t = tries.clone();
    h.route("PATCH", "baremetal", "/nodes/n1", move |_| {
        *t.borrow_mut() += 1;
        FakeResponse::json(
            409,
            json!({"error_message": json!({"faultstring": "A node with name x already exists."}).to_string()}),
        )
    });
    let err = run(&mut h, &words("baremetal node set n1 --name x")).unwrap_err();
    assert!(err.contains("A node with name x already exists."), "{err}");
    assert_eq!(*tries.borrow(), 1, "a taken name is not sent again");
}
