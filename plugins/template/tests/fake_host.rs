//! Runs the plugin in-process against the SDK's fake host.
#![allow(clippy::unwrap_used)]

use osc_plugin_hello::osc_plugin_entry_v1;
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};

#[test]
fn lists_every_page() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |req| {
        assert_eq!(req.query("name"), Some("blue"));
        if req.query("marker") == Some("n1") {
            FakeResponse::json(200, json!({"networks": [{"id": "n2", "name": "blue", "subnets": [], "status": "DOWN"}]}))
        } else {
            FakeResponse::json(200, json!({
                "networks": [{"id": "n1", "name": "blue", "subnets": ["s1"], "status": "ACTIVE"}],
                "networks_links": [{"rel": "next", "href": "http://fake/network/networks?name=blue&marker=n1"}]
            }))
        }
    });
    let out = host
        .invoke(
            osc_plugin_entry_v1,
            "hello network list",
            json!({"name": "blue", "long": true}),
        )
        .unwrap();
    assert_eq!(
        out["list"]["columns"],
        json!(["ID", "Name", "Subnets", "Status"])
    );
    assert_eq!(
        out["list"]["rows"],
        json!([["n1", "blue", ["s1"], "ACTIVE"], ["n2", "blue", [], "DOWN"]])
    );
}

#[test]
fn shows_by_name_or_id() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks/*", |_| {
        FakeResponse::json(
            404,
            json!({"NeutronError": {"message": "Network blue could not be found."}}),
        )
    });
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": [{"id": "n1", "name": "blue"}]}))
    });
    let out = host
        .invoke(
            osc_plugin_entry_v1,
            "hello network show",
            json!({"network": "blue"}),
        )
        .unwrap();
    assert_eq!(
        out["show"]["fields"],
        json!([["id", "n1"], ["name", "blue"]])
    );
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": []}))
    });
    let (_, msg) = host
        .invoke(
            osc_plugin_entry_v1,
            "hello network show",
            json!({"network": "red"}),
        )
        .unwrap_err();
    assert_eq!(msg, "No Network found for red");
}

#[test]
fn waits_for_active() {
    let mut host = FakeHost::new();
    let mut polls = 0;
    host.route("GET", "network", "/networks/n1", move |_| {
        polls += 1;
        let status = if polls < 2 { "BUILD" } else { "ACTIVE" };
        FakeResponse::json(200, json!({"network": {"id": "n1", "status": status}}))
    });
    let out = host
        .invoke(
            osc_plugin_entry_v1,
            "hello network wait",
            json!({"network": "n1", "timeout": 30}),
        )
        .unwrap();
    assert_eq!(
        out["show"]["fields"],
        json!([["id", "n1"], ["status", "ACTIVE"]])
    );
}

#[test]
fn deletes_report_every_failure() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": []}))
    });
    let (_, msg) = host
        .invoke(
            osc_plugin_entry_v1,
            "hello network delete",
            json!({"network": ["a", "b"]}),
        )
        .unwrap_err();
    assert_eq!(msg, "2 of 2 networks failed to delete.");
}

#[test]
fn service_errors_are_one_line() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(503, json!({"message": "try later"}))
    });
    let (_, msg) = host
        .invoke(osc_plugin_entry_v1, "hello network list", json!({}))
        .unwrap_err();
    assert_eq!(msg, "try later (HTTP 503)");
}

#[test]
fn the_manifest_passes_osc_checks() {
    // The same strict check osc runs when it finds the plugin: a typo fails here.
    osc_plugin_sdk::testing::check_manifest(&osc_plugin_hello::osc_plugin_manifest).unwrap();
}

#[test]
fn command_lines_parse_as_in_osc() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": []}))
    });
    let manifest = &osc_plugin_hello::osc_plugin_manifest;
    let out = host
        .run(
            osc_plugin_entry_v1,
            manifest,
            &["hello", "network", "list", "--name", "x"],
        )
        .unwrap();
    assert_eq!(out["list"]["rows"], json!([]));
    assert_eq!(host.requests[0].query("name"), Some("x"));
    let (_, err) = host
        .run(
            osc_plugin_entry_v1,
            manifest,
            &["hello", "network", "list", "--nme", "x"],
        )
        .unwrap_err();
    assert!(err.contains("unrecognized arguments: --nme"), "{err}");
}
