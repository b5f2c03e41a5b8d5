//! The database plugin in-process against the SDK's fake host: the requests
//! python-troveclient sends, the records and rows it prints, and its words. What the
//! devcloud's Trove cannot do (anything needing a guest agent) is covered here only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use osc_plugin_database::{osc_plugin_entry_v1, osc_plugin_manifest};
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};
use osc_plugin_sdk::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;

const ID: &str = "07aca6e1-2b1b-4b65-9280-e081b805f6b4";
const CFG: &str = "e03cc707-122d-473c-8abd-83dd99593c8f";

fn run(h: &mut FakeHost, argv: &[&str]) -> Result<Value, String> {
    h.run(osc_plugin_entry_v1, &osc_plugin_manifest, argv)
        .map_err(|e| e.1)
}

fn fields(out: &Value) -> Vec<(String, Value)> {
    out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f[0].as_str().unwrap().to_string(), f[1].clone()))
        .collect()
}

fn field(out: &Value, name: &str) -> Value {
    fields(out)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no field {name} in {out}"))
}

fn instance() -> Value {
    json!({"id": ID, "name": "db1", "status": "BUILD", "operating_status": "",
           "flavor": {"id": "d1", "links": []}, "datastore": {"type": "mysql", "version": "5.7"},
           "volume": {"size": 1, "used": 0.1}, "links": [], "configuration": {"id": CFG, "name": "c"},
           "access": {"is_public": false, "allowed_cidrs": ["10.0.0.0/8"]},
           "fault": {"message": "boom", "created": "2026-12-03", "details": "trace"},
           "ip": ["10.0.0.5", "fd00::5"], "replicas": [{"id": "r1"}, {"id": "r2"}]})
}

/// A Trove with instance `db1` (found by name through the listing).
fn trove() -> FakeHost {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/instances", |_| {
        FakeResponse::json(200, json!({"instances": [{"id": ID, "name": "db1"}]}))
    });
    h.route("GET", "database", "/instances/db1", |_| {
        FakeResponse::json(
            404,
            json!({"itemNotFound": {"code": 404, "message": "gone"}}),
        )
    });
    h.route("GET", "database", &format!("/instances/{ID}"), |_| {
        FakeResponse::json(200, json!({ "instance": instance() }))
    });
    h
}

/// Records each request body sent to `method path`, answering `reply`.
fn capture(
    h: &mut FakeHost,
    method: &str,
    path: &str,
    status: u16,
    reply: Value,
) -> Rc<RefCell<Vec<Value>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    h.route(method, "database", path, move |r| {
        s.borrow_mut().push(r.json.clone().unwrap_or(Value::Null));
        FakeResponse::json(status, reply.clone())
    });
    seen
}

#[test]
fn manifest_is_valid_and_complete() {
    let m = check_manifest(&osc_plugin_manifest).unwrap();
    assert_eq!(m["commands"].as_array().unwrap().len(), 84);
}

#[test]
fn instance_show_flattens_as_troveclient() {
    let mut h = trove();
    let out = run(&mut h, &["database", "instance", "show", "db1"]).unwrap();
    assert_eq!(field(&out, "flavor"), json!("d1"));
    assert_eq!(field(&out, "volume"), json!(1));
    assert_eq!(field(&out, "volume_used"), json!(0.1));
    assert_eq!(field(&out, "ip"), json!("10.0.0.5, fd00::5"));
    assert_eq!(field(&out, "datastore"), json!("mysql"));
    assert_eq!(field(&out, "datastore_version"), json!("5.7"));
    assert_eq!(field(&out, "datastore_version_number"), Value::Null);
    assert_eq!(field(&out, "configuration"), json!(CFG));
    assert_eq!(field(&out, "replicas"), json!("r1, r2"));
    assert_eq!(field(&out, "fault"), json!("boom"));
    assert_eq!(field(&out, "fault_details"), json!("trace"));
    assert_eq!(field(&out, "public"), json!(false));
    assert_eq!(field(&out, "allowed_cidrs"), json!(["10.0.0.0/8"]));
    let names: Vec<String> = fields(&out).into_iter().map(|f| f.0).collect();
    assert!(!names.contains(&"links".to_string()) && !names.contains(&"access".to_string()));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn ambiguous_and_unknown_instances_fail_in_one_line() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/instances/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    h.route("GET", "database", "/instances", |_| {
        FakeResponse::json(
            200,
            json!({"instances": [{"id": "a", "name": "twin"}, {"id": "b", "name": "twin"}]}),
        )
    });
    let e = run(&mut h, &["database", "instance", "show", "twin"]).unwrap_err();
    assert!(
        e.starts_with("More than one instance exists with the name 'twin'"),
        "{e}"
    );
    let e = run(&mut h, &["database", "instance", "show", "nope"]).unwrap_err();
    assert_eq!(e, "No instance with a name or ID of 'nope' exists.");
}

#[test]
fn instance_list_rows_and_admin_columns() {
    let mut h = FakeHost::new();
    let q = Rc::new(RefCell::new(Vec::new()));
    let qq = q.clone();
    h.route("GET", "database", "/mgmt/instances", move |r| {
        qq.borrow_mut().push(r.query.clone());
        FakeResponse::json(
            200,
            json!({"instances": [
            {"id": "i1", "name": "a", "status": "BUILD", "flavor": {"id": "d1"},
             "datastore": {"type": "mysql", "version": "5.7"}, "volume": {"size": 2},
             "access": {"is_public": true}, "replicas": [], "server_id": "s", "tenant_id": "t"},
            {"id": "i2", "name": "b", "status": "ACTIVE", "flavor": {"id": 3},
             "datastore": {"type": "mysql"}, "replica_of": {"id": "i1"}}]}),
        )
    });
    let out = run(
        &mut h,
        &[
            "database",
            "instance",
            "list",
            "--project-id",
            "p1",
            "--include-clustered",
        ],
    )
    .unwrap();
    let cols = out["list"]["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 13);
    assert_eq!(cols[11], "Server ID");
    assert_eq!(
        out["list"]["rows"][0],
        json!(["i1", "a", "mysql", "5.7", "BUILD", "", true, "", "d1", 2, "primary", "s", "t"])
    );
    assert_eq!(
        out["list"]["rows"][1],
        json!(["i2", "b", "mysql", "", "ACTIVE", "", "", "", 3, "-", "replica", "", ""])
    );
    let q = q.borrow();
    assert!(q[0].contains(&("include_clustered".into(), "True".into())));
    assert!(q[0].contains(&("project_id".into(), "p1".into())));
    assert!(q[0].contains(&("deleted".into(), "False".into())));
}

#[test]
fn lists_follow_the_marker_of_next_links() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/backups", |r| {
        // The link's own host is unreachable (Trove's `https://` behind plain HTTP).
        let page = match r.query("marker") {
            None => json!({"backups": [{"id": "b1", "instance_id": "i", "name": "x", "status": "NEW",
                           "parent_id": null, "updated": "u", "project_id": "p"}],
                           "links": [{"rel": "next", "href": "https://nowhere:8779/v1.0/p/backups?limit=1&marker=b1"}]}),
            Some("b1") => json!({"backups": [{"id": "b2", "instance_id": "i", "name": "y", "status": "NEW",
                           "parent_id": "b1", "updated": "u", "project_id": "p"}], "links": []}),
            Some(other) => panic!("marker {other}"),
        };
        FakeResponse::json(200, page)
    });
    let out = run(&mut h, &["database", "backup", "list"]).unwrap();
    assert_eq!(out["list"]["rows"].as_array().unwrap().len(), 2);
    assert_eq!(out["list"]["rows"][1][4], json!("b1"));
    // With --limit only that page, as troveclient.
    let out = run(&mut h, &["database", "backup", "list", "--limit", "1"]).unwrap();
    assert_eq!(out["list"]["rows"].as_array().unwrap().len(), 1);
    assert_eq!(h.requests.last().unwrap().query("limit"), Some("1"));
}

#[test]
fn instance_create_sends_troveclients_body() {
    let mut h = trove();
    h.route("GET", "database", "/flavors/d1", |_| {
        FakeResponse::json(
            200,
            json!({"flavor": {"id": null, "str_id": "d1", "name": "ds512M"}}),
        )
    });
    h.route("GET", "database", "/modules/m1", |_| {
        FakeResponse::json(200, json!({"module": {"id": "mod-1", "name": "m1"}}))
    });
    h.route("GET", "database", "/backups/bk", |_| {
        FakeResponse::json(200, json!({"backup": {"id": "bk-id", "name": "bk"}}))
    });
    let sent = capture(
        &mut h,
        "POST",
        "/instances",
        200,
        json!({"instance": instance()}),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "instance",
            "create",
            "new",
            "--flavor",
            "d1",
            "--size",
            "2",
            "--volume-type",
            "lvm",
            "--databases",
            "a",
            "b",
            "--users",
            "u:p",
            "--backup",
            "bk",
            "--datastore",
            "mysql",
            "--datastore-version",
            "5.7",
            "--nic",
            "net-id=n1,subnet-id=s1",
            "--configuration",
            CFG,
            "--module",
            "m1",
            "--locality",
            "affinity",
            "--is-public",
            "--allowed-cidr",
            "10.0.0.0/8",
            "--availability-zone",
            "nova",
            "--region",
            "R2",
        ],
    )
    .unwrap();
    assert_eq!(field(&out, "flavor"), json!("d1"));
    assert_eq!(
        sent.borrow()[0],
        json!({"instance": {
        "name": "new", "flavorRef": "d1", "volume": {"size": 2, "type": "lvm"},
        "databases": [{"name": "a"}, {"name": "b"}],
        "users": [{"name": "u", "password": "p", "databases": [{"name": "a"}, {"name": "b"}]}],
        "restorePoint": {"backupRef": "bk-id"}, "availability_zone": "nova",
        "datastore": {"type": "mysql", "version": "5.7"},
        "nics": [{"network_id": "n1", "subnet_id": "s1"}], "configuration": CFG,
        "modules": [{"id": "mod-1"}], "locality": "affinity", "region_name": "R2",
        "access": {"is_public": true, "allowed_cidrs": ["10.0.0.0/8"]}}})
    );
}

#[test]
fn instance_create_checks_what_troveclient_checks() {
    let mut h = trove();
    h.route("GET", "database", "/flavors/d1", |_| {
        FakeResponse::json(200, json!({"flavor": {"id": 1}}))
    });
    let e = run(&mut h, &["database", "instance", "create", "x"]).unwrap_err();
    assert_eq!(e, "Please specify a flavor");
    let e = run(
        &mut h,
        &[
            "database", "instance", "create", "x", "--flavor", "d1", "--size", "0",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "Volume size '0' must be an integer and greater than 0.");
    let e = run(
        &mut h,
        &[
            "database",
            "instance",
            "create",
            "x",
            "--flavor",
            "d1",
            "--nic",
            "port-id=p",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "port-id is not allowed.");
    let e = run(
        &mut h,
        &[
            "database",
            "instance",
            "create",
            "x",
            "--replica-of",
            "db1",
            "--locality",
            "affinity",
        ],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "Cannot specify locality when adding replicas to existing master."
    );
    assert!(run(
        &mut h,
        &["database", "instance", "create", "x", "--flavor", "d1", "--size", "two"]
    )
    .is_err());
    assert!(
        h.requests.iter().all(|r| r.method == "GET"),
        "nothing was created"
    );
}

#[test]
fn replicas_default_to_one_and_ignore_the_flavor() {
    let mut h = trove();
    let sent = capture(
        &mut h,
        "POST",
        "/instances",
        200,
        json!({"instance": instance()}),
    );
    run(
        &mut h,
        &["database", "instance", "create", "r", "--replica-of", "db1"],
    )
    .unwrap();
    let b = &sent.borrow()[0]["instance"];
    assert_eq!(b["replica_of"], json!(ID));
    assert_eq!(b["replica_count"], json!(1));
    assert!(b.get("flavorRef").is_none());
}

#[test]
fn instance_update_and_configuration_attach_detach() {
    let mut h = trove();
    let sent = capture(&mut h, "PUT", &format!("/instances/{ID}"), 202, Value::Null);
    run(
        &mut h,
        &[
            "database",
            "instance",
            "update",
            "db1",
            "--name",
            "n",
            "--is-private",
            "--allowed-cidr",
            "1.2.3.4/32",
        ],
    )
    .unwrap();
    run(
        &mut h,
        &[
            "database",
            "instance",
            "update",
            ID,
            "--detach_replica_source",
            "--remove-configuration",
        ],
    )
    .unwrap();
    run(&mut h, &["database", "configuration", "attach", "db1", CFG]).unwrap();
    run(&mut h, &["database", "configuration", "detach", "db1"]).unwrap();
    run(&mut h, &["database", "instance", "detach", "db1"]).unwrap();
    let s = sent.borrow();
    assert_eq!(
        s[0],
        json!({"instance": {"name": "n", "access": {"is_public": false, "allowed_cidrs": ["1.2.3.4/32"]}}})
    );
    assert_eq!(
        s[1],
        json!({"instance": {"configuration": null, "replica_of": null}})
    );
    assert_eq!(s[2], json!({"instance": {"configuration": CFG}}));
    assert_eq!(s[3], json!({"instance": {"configuration": null}}));
    assert_eq!(s[4], json!({"instance": {"replica_of": null}}));
    let e = run(
        &mut h,
        &[
            "database",
            "instance",
            "update",
            "db1",
            "--configuration",
            CFG,
            "--remove-configuration",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "Cannot attach and detach configuration simultaneously.");
}

#[test]
fn instance_actions() {
    let mut h = trove();
    h.route("GET", "database", "/flavors/d2", |_| {
        FakeResponse::json(200, json!({"flavor": {"id": 2}}))
    });
    let acts = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/action"),
        202,
        Value::Null,
    );
    let mgmt = capture(
        &mut h,
        "POST",
        &format!("/mgmt/instances/{ID}/action"),
        202,
        Value::Null,
    );
    let patch = capture(
        &mut h,
        "PATCH",
        &format!("/instances/{ID}"),
        202,
        Value::Null,
    );
    for argv in [
        &["database", "instance", "restart", "db1"][..],
        &["database", "instance", "reset", "status", "db1"],
        &["database", "instance", "promote", "db1"],
        &["database", "instance", "eject", "db1"],
        &["database", "instance", "resize", "volume", "db1", "3"],
        &["database", "instance", "resize", "flavor", "db1", "d2"],
        &["database", "instance", "reboot", "db1"],
        &["database", "instance", "rebuild", ID, "img"],
        &["database", "instance", "upgrade", "db1", "5.8"],
    ] {
        run(&mut h, argv).unwrap();
    }
    assert_eq!(
        *acts.borrow(),
        vec![
            json!({"restart": {}}),
            json!({"reset_status": {}}),
            json!({"promote_to_replica_source": {}}),
            json!({"eject_replica_source": {}}),
            json!({"resize": {"volume": {"size": 3}}}),
            json!({"resize": {"flavorRef": 2}})
        ]
    );
    assert_eq!(
        *mgmt.borrow(),
        vec![
            json!({"reboot": {}}),
            json!({"rebuild": {"image_id": "img"}})
        ]
    );
    assert_eq!(
        patch.borrow()[0],
        json!({"instance": {"datastore_version": "5.8"}})
    );
}

#[test]
fn instance_delete_reports_each_and_force_resets_first() {
    let mut h = trove();
    h.route("DELETE", "database", &format!("/instances/{ID}"), |_| {
        FakeResponse::json(202, Value::Null)
    });
    h.route(
        "DELETE",
        "database",
        "/instances/22222222-2222-2222-2222-222222222222",
        |_| {
            FakeResponse::json(
                404,
                json!({"itemNotFound": {"code": 404, "message": "No instance"}}),
            )
        },
    );
    let reset = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/action"),
        202,
        Value::Null,
    );
    let out = run(&mut h, &["database", "instance", "delete", "db1"]).unwrap();
    assert_eq!(
        out["text"],
        json!(format!(
            "Request to delete database instance {ID} has been accepted."
        ))
    );
    let e = run(
        &mut h,
        &[
            "database",
            "instance",
            "delete",
            "db1",
            "22222222-2222-2222-2222-222222222222",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "Unable to delete the specified database instance(s).");
    let e = run(&mut h, &["database", "instance", "delete", "nope"]).unwrap_err();
    assert!(
        e.starts_with("Failed to get database instance nope, error: No Instance matching"),
        "{e}"
    );
    run(
        &mut h,
        &["database", "instance", "delete", "--force", "db1"],
    )
    .unwrap();
    run(&mut h, &["database", "instance", "force", "delete", "db1"]).unwrap();
    assert_eq!(*reset.borrow(), vec![json!({"reset_status": {}}); 2]);
}

#[test]
fn configuration_create_show_and_values() {
    let mut h = FakeHost::new();
    let group = json!({"id": CFG, "name": "c1", "description": "d", "values": {"max_connections": 50, "sql_mode": "ANSI"},
                       "datastore_version_id": "v", "datastore_name": "mysql", "instance_count": 0});
    let sent = capture(
        &mut h,
        "POST",
        "/configurations",
        200,
        json!({ "configuration": group }),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "configuration",
            "create",
            "c1",
            r#"{"max_connections": 50}"#,
            "--datastore",
            "mysql",
            "--datastore-version",
            "5.7",
            "--description",
            "d",
        ],
    )
    .unwrap();
    assert_eq!(
        sent.borrow()[0],
        json!({"configuration": {"name": "c1", "values": {"max_connections": 50},
        "datastore": {"type": "mysql", "version": "5.7"}, "description": "d"}})
    );
    assert_eq!(
        field(&out, "values"),
        json!(r#"{"max_connections": 50, "sql_mode": "ANSI"}"#)
    );
    assert!(fields(&out)
        .iter()
        .all(|(k, _)| k != "datastore_version_id"));
    let e = run(
        &mut h,
        &["database", "configuration", "create", "c2", "{bad"],
    )
    .unwrap_err();
    assert!(e.starts_with("Invalid JSON in <values>"), "{e}");
    assert_eq!(sent.borrow().len(), 1);
}

#[test]
fn configuration_list_loads_what_the_listing_lacks() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/configurations", |_| {
        FakeResponse::json(
            200,
            json!({"configurations": [{"id": CFG, "name": "c", "description": null,
            "datastore_name": "mysql", "datastore_version_name": "5.7"}]}),
        )
    });
    h.route("GET", "database", &format!("/configurations/{CFG}"), |_| {
        FakeResponse::json(200, json!({"configuration": {"id": CFG, "name": "c", "description": null,
            "datastore_name": "mysql", "datastore_version_name": "5.7", "datastore_version_number": "5.7.29"}}))
    });
    let out = run(&mut h, &["database", "configuration", "list"]).unwrap();
    assert_eq!(
        out["list"]["rows"][0],
        json!([CFG, "c", null, "mysql", "5.7", "5.7.29"])
    );
}

#[test]
fn configuration_set_parameters_and_delete() {
    let mut h = FakeHost::new();
    let put = capture(
        &mut h,
        "PUT",
        &format!("/configurations/{CFG}"),
        202,
        Value::Null,
    );
    let patch = capture(
        &mut h,
        "PATCH",
        &format!("/configurations/{CFG}"),
        202,
        Value::Null,
    );
    run(
        &mut h,
        &[
            "database",
            "configuration",
            "set",
            CFG,
            r#"{"a": 1}"#,
            "--name",
            "n",
        ],
    )
    .unwrap();
    run(
        &mut h,
        &[
            "database",
            "configuration",
            "parameter",
            "set",
            CFG,
            r#"{"b": 2}"#,
        ],
    )
    .unwrap();
    assert_eq!(
        put.borrow()[0],
        json!({"configuration": {"values": {"a": 1}, "name": "n"}})
    );
    assert_eq!(
        patch.borrow()[0],
        json!({"configuration": {"values": {"b": 2}}})
    );
    h.route("GET", "database", "/configurations/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    h.route("GET", "database", "/configurations", |_| {
        FakeResponse::json(200, json!({"configurations": []}))
    });
    let e = run(&mut h, &["database", "configuration", "delete", "gone"]).unwrap_err();
    assert_eq!(
        e,
        "Failed to delete configuration gone: No configuration with a name or ID of 'gone' exists."
    );
}

#[test]
fn parameters_by_version_id_or_by_datastore() {
    let mut h = FakeHost::new();
    let v = "2955a170-e079-4a99-8668-9a3540bd64ab";
    h.route("GET", "database", &format!("/datastores/versions/{v}/parameters"), |_| {
        FakeResponse::json(200, json!({"configuration-parameters": [
            {"name": "max_connections", "type": "integer", "min": 1, "max": 100000, "restart_required": false},
            {"name": "autocommit", "type": "boolean", "restart_required": false}]}))
    });
    h.route(
        "GET",
        "database",
        "/datastores/mysql/versions/5.7/parameters/autocommit",
        |_| {
            FakeResponse::json(
                200,
                json!({"name": "autocommit", "type": "boolean", "restart_required": false}),
            )
        },
    );
    let out = run(
        &mut h,
        &["database", "configuration", "parameter", "list", v],
    )
    .unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([
            ["max_connections", "integer", 1, 100000, false],
            ["autocommit", "boolean", "-", "-", false]
        ])
    );
    let out = run(
        &mut h,
        &[
            "database",
            "configuration",
            "parameter",
            "show",
            "5.7",
            "autocommit",
            "--datastore",
            "mysql",
        ],
    )
    .unwrap();
    assert_eq!(field(&out, "type"), json!("boolean"));
    let e = run(
        &mut h,
        &["database", "configuration", "parameter", "list", "5.7"],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "Either datastore version ID or datastore name needs to be specified."
    );
}

#[test]
fn users_are_quoted_with_their_host() {
    let mut h = trove();
    let users = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/users"),
        202,
        Value::Null,
    );
    run(
        &mut h,
        &[
            "database",
            "user",
            "create",
            "db1",
            "bob",
            "pw",
            "--host",
            "10.0.0.1",
            "--databases",
            "d1",
            "d2",
        ],
    )
    .unwrap();
    assert_eq!(
        users.borrow()[0],
        json!({"users": [{"name": "bob", "password": "pw",
        "databases": [{"name": "d1"}, {"name": "d2"}], "host": "10.0.0.1"}]})
    );
    let path = format!("/instances/{ID}/users/bob%4010%2e0%2e0%2e1");
    h.route("GET", "database", &path, |_| {
        FakeResponse::json(
            200,
            json!({"user": {"name": "bob", "host": "10.0.0.1", "databases": []}}),
        )
    });
    let out = run(
        &mut h,
        &[
            "database", "user", "show", "db1", "bob", "--host", "10.0.0.1",
        ],
    )
    .unwrap();
    assert_eq!(field(&out, "host"), json!("10.0.0.1"));
    let grant = capture(
        &mut h,
        "PUT",
        &format!("{path}/databases"),
        202,
        Value::Null,
    );
    run(
        &mut h,
        &[
            "database", "user", "grant", "access", "db1", "bob", "--host", "10.0.0.1", "d3",
        ],
    )
    .unwrap();
    assert_eq!(grant.borrow()[0], json!({"databases": [{"name": "d3"}]}));
    let upd = capture(&mut h, "PUT", &path, 202, Value::Null);
    run(
        &mut h,
        &[
            "database",
            "user",
            "update",
            "attributes",
            "db1",
            "bob",
            "--host",
            "10.0.0.1",
            "--new_password",
            "x",
        ],
    )
    .unwrap();
    assert_eq!(upd.borrow()[0], json!({"user": {"password": "x"}}));
    let e = run(
        &mut h,
        &["database", "user", "update", "attributes", "db1", "bob"],
    )
    .unwrap_err();
    assert_eq!(e, "No updates specified for user bob");
}

#[test]
fn user_list_joins_databases_and_db_commands() {
    let mut h = trove();
    h.route("GET", "database", &format!("/instances/{ID}/users"), |_| {
        FakeResponse::json(200, json!({"users": [{"name": "u", "host": "%", "databases": [{"name": "a"}, {"name": "b"}]}]}))
    });
    let out = run(&mut h, &["database", "user", "list", "db1"]).unwrap();
    assert_eq!(out["list"]["rows"], json!([["u", "%", "a, b"]]));
    let dbs = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/databases"),
        202,
        Value::Null,
    );
    run(
        &mut h,
        &[
            "database",
            "db",
            "create",
            "db1",
            "sales",
            "--character_set",
            "utf8",
        ],
    )
    .unwrap();
    assert_eq!(
        dbs.borrow()[0],
        json!({"databases": [{"name": "sales", "character_set": "utf8"}]})
    );
    h.route(
        "DELETE",
        "database",
        &format!("/instances/{ID}/databases/sales"),
        |_| {
            FakeResponse::json(
                404,
                json!({"itemNotFound": {"code": 404, "message": "no db"}}),
            )
        },
    );
    let e = run(&mut h, &["database", "db", "delete", "db1", "sales"]).unwrap_err();
    assert!(
        e.starts_with("Failed to delete database sales: no db"),
        "{e}"
    );
}

#[test]
fn root_enable_on_an_instance_or_a_cluster() {
    let mut h = trove();
    let root = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/root"),
        200,
        json!({"user": {"name": "root", "password": "s3"}}),
    );
    let out = run(
        &mut h,
        &["database", "root", "enable", "db1", "--root_password", "s3"],
    )
    .unwrap();
    assert_eq!(
        fields(&out),
        vec![
            ("name".into(), json!("root")),
            ("password".into(), json!("s3"))
        ]
    );
    assert_eq!(root.borrow()[0], json!({"password": "s3"}));
    h.route("GET", "database", "/clusters/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    h.route("GET", "database", "/clusters", |_| {
        FakeResponse::json(200, json!({"clusters": [{"id": "c1", "name": "cl"}]}))
    });
    h.route("GET", "database", "/clusters/c1", |_| {
        FakeResponse::json(200, json!({"cluster": {"id": "c1", "name": "cl"}}))
    });
    h.route("GET", "database", "/clusters/c1/root", |_| {
        FakeResponse::json(200, json!({"rootEnabled": true}))
    });
    let out = run(&mut h, &["database", "root", "show", "cl"]).unwrap();
    assert_eq!(fields(&out), vec![("is_root_enabled".into(), json!(true))]);
    let e = run(&mut h, &["database", "root", "show", "zz"]).unwrap_err();
    assert_eq!(
        e,
        "No instance or cluster with a name or ID of 'zz' exists."
    );
}

#[test]
fn cluster_instances_are_parsed_like_troveclient() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/flavors/*", |_| {
        FakeResponse::json(200, json!({"flavor": {"id": 7}}))
    });
    let sent = capture(
        &mut h,
        "POST",
        "/clusters",
        200,
        json!({"cluster": {"id": "c1", "name": "cl",
        "datastore": {"type": "mongodb", "version": "4"}, "task": {"name": "BUILDING", "description": "Building"},
        "instances": [{"id": "i1"}, {"id": "i2"}], "links": [], "ip": [{"address": "1.1.1.1"}, "2.2.2.2"]}}),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "cluster",
            "create",
            "cl",
            "mongodb",
            "4",
            "--instance",
            "flavor=f,volume=2,nic='net-id=n1,v4-fixed-ip=1.2.3.4',availability_zone=az",
            "--instance",
            "flavor=f,volume=2,volume_type=lvm,type=member",
            "--extended-properties",
            "a=1,b=2",
        ],
    )
    .unwrap();
    assert_eq!(
        sent.borrow()[0],
        json!({"cluster": {"name": "cl", "datastore": {"type": "mongodb", "version": "4"},
        "instances": [
            {"flavorRef": "7", "volume": {"size": "2"}, "nics": [{"network_id": "n1", "v4-fixed-ip": "1.2.3.4"}], "availability_zone": "az"},
            {"flavorRef": "7", "volume": {"size": "2", "type": "lvm"}, "type": ["member"]}],
        "extended_properties": {"a": "1", "b": "2"}}})
    );
    assert_eq!(field(&out, "task_name"), json!("BUILDING"));
    assert_eq!(field(&out, "instance_count"), json!(2));
    assert_eq!(field(&out, "ip"), json!("1.1.1.1, 2.2.2.2"));
    let e = run(
        &mut h,
        &[
            "database",
            "cluster",
            "create",
            "cl",
            "m",
            "4",
            "--instance",
            "volume=1",
        ],
    )
    .unwrap_err();
    assert!(
        e.starts_with("Missing option 'flavor' for argument --instance"),
        "{e}"
    );
    let e = run(
        &mut h,
        &[
            "database",
            "cluster",
            "create",
            "cl",
            "m",
            "4",
            "--instance",
            "flavor=f,volume=1,colour=red",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "Unknown option(s) 'colour=red' specified for instance");
}

#[test]
fn cluster_actions_and_member_listings() {
    let mut h = trove();
    let c = json!({"id": "c1", "name": "cl", "instances": [{"id": ID, "name": "db1", "status": "BUILD",
        "flavor": {"id": "d1"}, "volume": {"size": 1}}]});
    h.route("GET", "database", "/clusters/c1", move |_| {
        FakeResponse::json(200, json!({ "cluster": c.clone() }))
    });
    h.route("GET", "database", &format!("/instances/{ID}/modules"), |_| {
        FakeResponse::json(200, json!({"modules": [{"name": "m", "type": "ping", "md5": "x", "created": "c", "updated": "u"}]}))
    });
    let acts = capture(&mut h, "POST", "/clusters/c1", 202, Value::Null);
    h.route("DELETE", "database", "/clusters/c1", |_| {
        FakeResponse::json(202, Value::Null)
    });
    run(&mut h, &["database", "cluster", "shrink", "c1", "db1"]).unwrap();
    run(&mut h, &["database", "cluster", "upgrade", "c1", "5"]).unwrap();
    run(&mut h, &["database", "cluster", "force", "delete", "c1"]).unwrap();
    assert_eq!(
        *acts.borrow(),
        vec![
            json!({"shrink": [{"id": ID}]}),
            json!({"upgrade": {"datastore_version": "5"}}),
            json!({"reset-status": {}})
        ]
    );
    let out = run(&mut h, &["database", "cluster", "list", "instances", "c1"]).unwrap();
    assert_eq!(out["list"]["rows"], json!([[ID, "db1", "d1", 1, "BUILD"]]));
    let out = run(&mut h, &["database", "cluster", "modules", "c1"]).unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([["db1", "m", "ping", "x", "c", "u"]])
    );
}

#[test]
fn backups_create_delete_and_strategies() {
    let mut h = trove();
    let sent = capture(
        &mut h,
        "POST",
        "/backups",
        202,
        json!({"backup": {"id": "b1", "name": "bk",
        "datastore": {"type": "mysql", "version": "5.7", "version_id": "v1"}}}),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "backup",
            "create",
            "bk",
            "--instance",
            "db1",
            "--incremental",
            "--parent",
            "b0",
        ],
    )
    .unwrap();
    assert_eq!(
        sent.borrow()[0],
        json!({"backup": {"name": "bk", "incremental": 1, "instance": ID, "parent_id": "b0"}})
    );
    assert_eq!(field(&out, "datastore_version_id"), json!("v1"));
    let e = run(&mut h, &["database", "backup", "create", "bk"]).unwrap_err();
    assert_eq!(
        e,
        "Instance ID or name is required if not restoring a backup."
    );
    run(
        &mut h,
        &[
            "database",
            "backup",
            "create",
            "bk",
            "--restore-from",
            "swift://x",
            "--restore-size",
            "1.5",
        ],
    )
    .unwrap();
    assert_eq!(
        sent.borrow()[1],
        json!({"backup": {"name": "bk", "restore_from": {"remote_location": "swift://x",
        "local_datastore_version_id": null, "size": 1.5}}})
    );
    let strat = capture(
        &mut h,
        "POST",
        "/backup_strategies",
        202,
        json!({"backup_strategy": {"project_id": "p",
        "instance_id": ID, "swift_container": "c"}}),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "backup",
            "strategy",
            "create",
            "--instance-id",
            ID,
            "--swift-container",
            "c",
        ],
    )
    .unwrap();
    assert_eq!(
        strat.borrow()[0],
        json!({"backup_strategy": {"instance_id": ID, "swift_container": "c"}})
    );
    assert_eq!(field(&out, "swift_container"), json!("c"));
    h.route("DELETE", "database", "/backup_strategies", |_| {
        FakeResponse::json(202, Value::Null)
    });
    run(
        &mut h,
        &[
            "database",
            "backup",
            "strategy",
            "delete",
            "--project-id",
            "p",
        ],
    )
    .unwrap();
    assert_eq!(h.requests.last().unwrap().query("project_id"), Some("p"));
    h.route("DELETE", "workflowv2", "/executions/e1", |_| {
        FakeResponse::json(204, Value::Null)
    });
    run(&mut h, &["database", "backup", "execution", "delete", "e1"]).unwrap();
}

#[test]
fn datastores_and_versions() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/datastores/mysql", |_| FakeResponse::json(200, json!({"datastore": {"id": "ds", "name": "mysql",
        "links": [], "default_version": "v2", "versions": [{"id": "v1", "name": "5.7"}, {"id": "v2", "name": "8.0"}]}})));
    let out = run(&mut h, &["datastore", "show", "mysql"]).unwrap();
    assert_eq!(field(&out, "versions (id)"), json!("5.7 (v1)\n8.0 (v2)"));
    assert_eq!(field(&out, "default_version"), json!("8.0"));
    let created = capture(&mut h, "POST", "/mgmt/datastore-versions", 202, Value::Null);
    run(
        &mut h,
        &[
            "datastore",
            "version",
            "create",
            "8.0",
            "mysql",
            "mysql",
            "",
            "--image-tags",
            "trove,mysql",
            "--active",
        ],
    )
    .unwrap();
    assert_eq!(
        created.borrow()[0],
        json!({"version": {"name": "8.0", "datastore_name": "mysql", "datastore_manager": "mysql",
        "image_tags": ["trove", "mysql"], "packages": [], "active": true, "default": false}})
    );
    let set = capture(
        &mut h,
        "PATCH",
        "/mgmt/datastore-versions/v2",
        202,
        Value::Null,
    );
    run(
        &mut h,
        &[
            "datastore",
            "version",
            "set",
            "v2",
            "--disable",
            "--non-default",
            "--image-tags",
            "",
            "--version-name",
            "8",
        ],
    )
    .unwrap();
    assert_eq!(
        set.borrow()[0],
        json!({"active": false, "default": false, "image_tags": [""], "name": "8"})
    );
    let e = run(&mut h, &["datastore", "version", "show", "8.0"]).unwrap_err();
    assert_eq!(
        e,
        "The datastore name or id is required to retrieve a datastore version by name."
    );
    h.route("DELETE", "database", "/mgmt/datastore-versions/v9", |_| {
        FakeResponse::json(404, json!({"itemNotFound": {"code": 404, "message": "Datastore version 'v9' cannot be found."}}))
    });
    let e = run(&mut h, &["datastore", "version", "delete", "v9"]).unwrap_err();
    assert!(
        e.starts_with(
            "Failed to delete datastore version v9: Datastore version 'v9' cannot be found."
        ),
        "{e}"
    );
}

#[test]
fn flavors_quotas_and_limits() {
    let mut h = FakeHost::new();
    h.route("GET", "database", "/datastores/mysql/versions/v1/flavors", |_| {
        FakeResponse::json(200, json!({"flavors": [{"id": null, "str_id": "d1", "name": "ds512M", "ram": 512, "vcpus": 1, "disk": 5, "ephemeral": 0}]}))
    });
    let out = run(
        &mut h,
        &[
            "database",
            "flavor",
            "list",
            "--datastore-type",
            "mysql",
            "--datastore-version-id",
            "v1",
        ],
    )
    .unwrap();
    assert_eq!(out["list"]["rows"], json!([["d1", "ds512M", 512, 1, 5, 0]]));
    // By name: the listing's flavor has no numeric ID, so it is fetched by its `str_id`.
    h.route("GET", "database", "/flavors/ds512M", |_| {
        FakeResponse::json(404, json!({}))
    });
    h.route("GET", "database", "/flavors", |_| {
        FakeResponse::json(
            200,
            json!({"flavors": [{"id": null, "str_id": "d1", "name": "ds512M"}]}),
        )
    });
    h.route("GET", "database", "/flavors/d1", |_| {
        FakeResponse::json(
            200,
            json!({"flavor": {"id": null, "str_id": "d1", "name": "ds512M", "links": []}}),
        )
    });
    let out = run(&mut h, &["database", "flavor", "show", "ds512M"]).unwrap();
    assert_eq!(
        fields(&out),
        vec![("id".into(), json!("d1")), ("name".into(), json!("ds512M"))]
    );
    let e = run(
        &mut h,
        &["database", "flavor", "list", "--datastore-type", "mysql"],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "Missing argument(s): datastore-type, datastore-version-id"
    );
    let p = "591901aa8bca496b98f3753eed003125";
    let q = capture(
        &mut h,
        "PUT",
        &format!("/mgmt/quotas/{p}"),
        200,
        json!({"quotas": {"instances": 5}}),
    );
    let out = run(
        &mut h,
        &["database", "quota", "update", p, "instances", "5"],
    )
    .unwrap();
    assert_eq!(q.borrow()[0], json!({"quotas": {"instances": 5}}));
    assert_eq!(fields(&out), vec![("instances".into(), json!(5))]);
    h.route("GET", "database", "/limits", |_| {
        FakeResponse::json(
            200,
            json!({"limits": [
        {"verb": "ABSOLUTE", "max_instances": 10},
        {"verb": "POST", "value": 200, "remaining": 199, "unit": "MINUTE", "uri": "*"}]}),
        )
    });
    let out = run(&mut h, &["database", "limit", "list"]).unwrap();
    assert_eq!(out["list"]["rows"], json!([[200, "POST", 199, "MINUTE"]]));
}

#[test]
fn logs_from_the_guest_and_swift() {
    let mut h = trove();
    let acts = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/log"),
        200,
        json!({"log": {"name": "general", "container": "logs", "prefix": "p/", "status": "Ready"}}),
    );
    let out = run(
        &mut h,
        &[
            "database",
            "log",
            "set",
            "db1",
            "general",
            "--enable",
            "--publish",
        ],
    )
    .unwrap();
    assert_eq!(
        acts.borrow()[0],
        json!({"name": "general", "enable": 1, "publish": 1})
    );
    assert_eq!(field(&out, "container"), json!("logs"));
    h.route("GET", "object-store", "/logs", |r| {
        assert_eq!(r.query("prefix"), Some("p/"));
        FakeResponse::json(
            200,
            json!([{"name": "p/2", "last_modified": "2"}, {"name": "p/1", "last_modified": "1"}]),
        )
    });
    h.route("HEAD", "object-store", "/logs/p/2", |_| {
        FakeResponse::bytes(200, "").header("X-Object-Meta-Lines", "2")
    });
    h.route("HEAD", "object-store", "/logs/p/1", |_| {
        FakeResponse::bytes(200, "").header("X-Object-Meta-Lines", "3")
    });
    h.route("GET", "object-store", "/logs/p/1", |_| {
        FakeResponse::bytes(200, "a\nb\nc\n")
    });
    h.route("GET", "object-store", "/logs/p/2", |_| {
        FakeResponse::bytes(200, "d\ne\n")
    });
    let out = run(
        &mut h,
        &["database", "log", "tail", "db1", "general", "--lines", "3"],
    )
    .unwrap();
    assert_eq!(out["text"], json!("c\nd\ne\n"));
    let dir = std::env::temp_dir().join(format!("osc-db-log-{}", std::process::id()));
    let file = dir.to_string_lossy().to_string();
    let out = run(
        &mut h,
        &["database", "log", "save", "db1", "general", "--file", &file],
    )
    .unwrap();
    assert_eq!(
        out["text"],
        json!(format!("Log \"general\" written to {file}"))
    );
    assert_eq!(std::fs::read_to_string(&dir).unwrap(), "a\nb\nc\nd\ne\n");
    let _ = std::fs::remove_file(&dir);
    h.route("GET", "object-store", "/logs", |_| {
        FakeResponse::json(404, json!({}))
    });
    let out = run(&mut h, &["database", "log", "tail", "db1", "general"]).unwrap();
    assert_eq!(
        out["text"],
        json!("ERROR: No published 'general' log was found for db1")
    );
}

#[test]
fn ssl_show_flattens_the_certificate() {
    let mut h = trove();
    h.route("GET", "database", &format!("/instances/{ID}/ssl"), |r| {
        assert_eq!(r.query("include_certificate"), Some("True"));
        FakeResponse::json(
            200,
            json!({"ssl": {"enabled": true, "certificate": {"subject": "CN=x", "expires": "e"}}}),
        )
    });
    let out = run(
        &mut h,
        &["database", "ssl", "show", "db1", "--include-certificate"],
    )
    .unwrap();
    assert_eq!(
        fields(&out),
        vec![
            ("certificate.expires".into(), json!("e")),
            ("certificate.subject".into(), json!("CN=x")),
            ("enabled".into(), json!(true))
        ]
    );
    let sent = capture(
        &mut h,
        "POST",
        &format!("/instances/{ID}/ssl"),
        202,
        json!({"ssl": {"status": "ENABLING"}}),
    );
    run(
        &mut h,
        &[
            "database", "ssl", "enable", "db1", "ref", "--mode", "REQUIRED",
        ],
    )
    .unwrap();
    assert_eq!(
        sent.borrow()[0],
        json!({"ssl": {"enable": true, "mode": "REQUIRED", "container_ref": "ref"}})
    );
}
