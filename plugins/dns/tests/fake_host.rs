//! The dns plugin in-process against the SDK's fake host: designateclient's requests,
//! headers, name resolution, columns and messages.
#![allow(clippy::unwrap_used)]

use osc_plugin_dns::{osc_plugin_entry_v1 as entry, osc_plugin_manifest as manifest};
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};

const ZID: &str = "0b3b3a5e-6a53-4d3a-9b1c-0a8f3b7c8d9e";

fn zone() -> osc_plugin_sdk::Value {
    json!({"id": ZID, "name": "example.org.", "type": "PRIMARY", "serial": 1, "status": "PENDING",
           "action": "CREATE", "masters": [], "attributes": {"tier": "gold"}, "links": {"self": "x"},
           "email": "a@example.org", "ttl": 3600, "pool_id": "p"})
}

fn host() -> FakeHost {
    let mut h = FakeHost::new();
    h.route("GET", "dns", "/zones", |req| {
        let z = match req.query("name") {
            Some("example.org.") | None => vec![zone()],
            _ => vec![],
        };
        FakeResponse::json(200, json!({"zones": z, "links": {}}))
    });
    h.route("GET", "dns", &format!("/zones/{ZID}"), |_| {
        FakeResponse::json(200, zone())
    });
    h
}

#[test]
fn manifest_is_valid_and_complete() {
    let m = check_manifest(&manifest).unwrap();
    assert_eq!(m["commands"].as_array().unwrap().len(), 60);
}

#[test]
fn zone_names_resolve_with_or_without_the_final_dot() {
    let mut h = host();
    for name in ["example.org.", "example.org"] {
        let out = h.invoke(entry, "zone show", json!({"id": name})).unwrap();
        let fields = out["show"]["fields"].as_array().unwrap().clone();
        assert!(fields.contains(&json!(["attributes", "tier:gold\n"])));
        assert!(fields.contains(&json!(["masters", ""])));
        assert!(!fields.iter().any(|f| f[0] == "links"));
    }
    let e = h
        .invoke(entry, "zone show", json!({"id": "nope.org"}))
        .unwrap_err()
        .1;
    assert_eq!(e, "Name nope.org didn't resolve");
}

#[test]
fn common_options_become_headers_and_columns() {
    let mut h = host();
    let out = h
        .run(
            entry,
            &manifest,
            &[
                "zone",
                "list",
                "--all-projects",
                "--sudo-project-id",
                "p1",
                "--long",
            ],
        )
        .unwrap();
    let req = &h.requests[0];
    assert_eq!(req.header("X-Auth-All-Projects"), Some("True"));
    assert_eq!(req.header("X-Auth-Sudo-Project-ID"), Some("p1"));
    assert_eq!(
        out["list"]["columns"],
        json!([
            "id",
            "project_id",
            "name",
            "type",
            "serial",
            "status",
            "action",
            "ttl",
            "pool_id",
            "email",
            "attributes",
            "masters"
        ])
    );
}

#[test]
fn zone_create_needs_an_email_and_qualifies_the_name() {
    let mut h = host();
    let e = h
        .run(entry, &manifest, &["zone", "create", "example.org"])
        .unwrap_err()
        .1;
    assert_eq!(e, "Zone type PRIMARY requires --email.");
    h.route("POST", "dns", "/zones", |req| {
        FakeResponse::json(202, {
            let mut z = zone();
            z["name"] = req.json.as_ref().unwrap()["name"].clone();
            z
        })
    });
    h.run(
        entry,
        &manifest,
        &[
            "zone",
            "create",
            "example.org",
            "--email",
            "a@example.org",
            "--ttl",
            "60",
            "--attributes",
            "tier:gold",
        ],
    )
    .unwrap();
    let body = h.requests.last().unwrap().json.clone().unwrap();
    assert_eq!(
        body,
        json!({"name": "example.org.", "type": "PRIMARY", "email": "a@example.org", "ttl": 60, "attributes": {"tier": "gold"}})
    );
    let e = h
        .run(
            entry,
            &manifest,
            &[
                "zone",
                "create",
                "x.org",
                "--email",
                "a@b",
                "--attributes",
                "bad",
            ],
        )
        .unwrap_err()
        .1;
    assert!(
        e.starts_with("Attribute 'bad' is in an incorrect format."),
        "{e}"
    );
}

#[test]
fn recordsets_are_named_within_their_zone() {
    let mut h = host();
    h.route("POST", "dns", &format!("/zones/{ZID}/recordsets"), |req| {
        let b = req.json.clone().unwrap();
        FakeResponse::json(201, json!({"id": "r1", "name": b["name"], "type": b["type"], "records": b["records"], "links": {}}))
    });
    let out = h
        .run(
            entry,
            &manifest,
            &[
                "recordset",
                "create",
                "example.org",
                "www",
                "--type",
                "A",
                "--record",
                "192.0.2.1",
                "--record",
                "192.0.2.2",
            ],
        )
        .unwrap();
    let body = h.requests.last().unwrap().json.clone().unwrap();
    assert_eq!(
        body,
        json!({"name": "www.example.org.", "type": "A", "records": ["192.0.2.1", "192.0.2.2"]})
    );
    assert!(out["show"]["fields"]
        .as_array()
        .unwrap()
        .contains(&json!(["records", "192.0.2.1\n192.0.2.2"])));
    let e = h
        .run(
            entry,
            &manifest,
            &["recordset", "create", "example.org", "www", "--type", "A"],
        )
        .unwrap_err();
    assert!(e.1.contains("--record"), "{e:?}");
}

#[test]
fn designate_errors_are_their_message() {
    let mut h = host();
    h.route("POST", "dns", "/zones", |_| {
        FakeResponse::json(
            400,
            json!({"code": 400, "type": "invalid_object",
            "message": "Provided object does not match schema", "request_id": "req-1"}),
        )
    });
    let e = h
        .run(
            entry,
            &manifest,
            &["zone", "create", "not a name", "--email", "a@b.c"],
        )
        .unwrap_err()
        .1;
    assert_eq!(e, "Provided object does not match schema");
}

#[test]
fn imports_send_the_zone_file_as_text_dns() {
    let mut h = host();
    h.route("POST", "dns", "/zones/tasks/imports", |req| {
        assert_eq!(req.content_type.as_deref(), Some("text/dns"));
        assert!(String::from_utf8_lossy(&req.body).starts_with("$ORIGIN"));
        FakeResponse::json(202, json!({"id": "i1", "status": "PENDING", "links": {}}))
    });
    let f = std::env::temp_dir().join(format!("osc-dns-test-{}.zone", std::process::id()));
    std::fs::write(&f, "$ORIGIN example.org.\n").unwrap();
    h.run(
        entry,
        &manifest,
        &["zone", "import", "create", f.to_str().unwrap()],
    )
    .unwrap();
    std::fs::remove_file(&f).unwrap();
    let e = h
        .run(
            entry,
            &manifest,
            &["zone", "import", "create", "/nonexistent/zone"],
        )
        .unwrap_err()
        .1;
    assert!(e.contains("No such file"), "{e}");
}

#[test]
fn lists_follow_next_links() {
    let mut h = FakeHost::new();
    h.route("GET", "dns", "/tlds", |req| {
        if req.query("marker").is_some() {
            FakeResponse::json(
                200,
                json!({"tlds": [{"id": "2", "name": "net", "description": null}], "links": {}}),
            )
        } else {
            FakeResponse::json(
                200,
                json!({"tlds": [{"id": "1", "name": "org"}],
                "links": {"next": "http://fake/dns/tlds?marker=1"}}),
            )
        }
    });
    let out = h.run(entry, &manifest, &["tld", "list"]).unwrap();
    // Missing and null fields alike are '' (designateclient's `get_item_properties`).
    assert_eq!(
        out["list"]["rows"],
        json!([["1", "org", ""], ["2", "net", ""]])
    );
}

#[test]
fn quota_changes_reach_the_tokens_project_with_all_projects() {
    let mut h = host();
    // An admin's token: /auth/projects lists three, so Neutron tells the token's project.
    h.route("GET", "identity", "/auth/projects", |_| {
        FakeResponse::json(
            200,
            json!({"projects": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}]}),
        )
    });
    h.route("GET", "network", "/quotas/project", |_| {
        FakeResponse::json(200, json!({"project": {"project_id": "p2"}}))
    });
    h.route("PATCH", "dns", "/quotas/p2", |req| {
        assert_eq!(req.json, Some(json!({"zones": 7})));
        FakeResponse::json(200, json!({"zones": 7}))
    });
    h.route("GET", "dns", "/quotas/p2", |_| {
        FakeResponse::json(200, json!({"zones": 7}))
    });
    h.run(entry, &manifest, &["dns", "quota", "set", "--zones", "7"])
        .unwrap();
    let patch = h.requests.iter().find(|r| r.method == "PATCH").unwrap();
    // designateclient compares --project-id (absent) with the token's: they differ.
    assert_eq!(patch.header("X-Auth-All-Projects"), Some("True"));
    // Listing the token's own project by ID needs no all-projects header.
    h.requests.clear();
    h.run(
        entry,
        &manifest,
        &["dns", "quota", "list", "--project-id", "p2"],
    )
    .unwrap();
    let get = h.requests.iter().find(|r| r.service == "dns").unwrap();
    assert_eq!(get.path, "/quotas/p2");
    assert_eq!(get.header("X-Auth-All-Projects"), None);
}

#[test]
fn empty_error_bodies_name_designateclients_exception() {
    let mut h = host();
    h.route(
        "GET",
        "dns",
        "/tlds/0b3b3a5e-6a53-4d3a-9b1c-0a8f3b7c8d9f",
        |_| FakeResponse::bytes(403, ""),
    );
    let e = h
        .run(
            entry,
            &manifest,
            &["tld", "show", "0b3b3a5e-6a53-4d3a-9b1c-0a8f3b7c8d9f"],
        )
        .unwrap_err()
        .1;
    assert_eq!(e, "Forbidden");
}
