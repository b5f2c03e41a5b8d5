//! Runs the plugin in-process against the SDK's fake host.
#![allow(clippy::unwrap_used)]

use osc_plugin_hello::osc_plugin_entry_v1;
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};

#[test]
fn lists_networks() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |req| {
        assert_eq!(req.query("name"), Some("blue"));
        FakeResponse::json(200, json!({"networks": [{"id": "n1", "name": "blue", "subnets": ["s1"], "status": "ACTIVE"}]}))
    });
    let out = host.invoke(osc_plugin_entry_v1, "hello network list", json!({"name": "blue", "long": true})).unwrap();
    assert_eq!(out["list"]["columns"], json!(["ID", "Name", "Subnets", "Status"]));
    assert_eq!(out["list"]["rows"], json!([["n1", "blue", ["s1"], "ACTIVE"]]));
}

#[test]
fn service_errors_are_one_line() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |_| FakeResponse::json(503, json!({"message": "try later"})));
    let (_, msg) = host.invoke(osc_plugin_entry_v1, "hello network list", json!({})).unwrap_err();
    assert_eq!(msg, "try later (HTTP 503)");
}
