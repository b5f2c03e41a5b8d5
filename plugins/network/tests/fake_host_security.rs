//! QoS, metering and local IP commands against the SDK's fake host (the devcloud may lack
//! those Neutron extensions): the requests they send and what they show.
#![allow(clippy::unwrap_used)]

use osc_plugin_network::osc_plugin_entry_v1 as entry;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
use osc_plugin_sdk::{json, Value};

fn policy() -> Value {
    json!({"policy": {"id": "p1", "name": "gold", "shared": false, "is_default": false,
    "project_id": "pr", "tenant_id": "pr", "description": "", "tags": [],
    "rules": [
        {"id": "r1", "type": "bandwidth_limit", "qos_policy_id": "p1", "max_kbps": 10,
         "max_burst_kbps": 0, "direction": "egress"},
        {"id": "r2", "type": "minimum_bandwidth", "qos_policy_id": "p1", "min_kbps": 5,
         "direction": "egress"}
    ]}})
}

fn with_policy() -> FakeHost {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/qos/policies/p1", |_| {
        FakeResponse::json(200, policy())
    });
    h
}

fn fields(out: &Value) -> Vec<(String, Value)> {
    out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f[0].as_str().unwrap().to_string(), f[1].clone()))
        .collect()
}

#[test]
fn qos_rule_create_sends_the_type_body_and_shows_every_field() {
    let mut h = with_policy();
    h.route(
        "POST",
        "network",
        "/qos/policies/p1/bandwidth_limit_rules",
        |r| {
            let mut rule = r.json.as_ref().unwrap()["bandwidth_limit_rule"].clone();
            rule["id"] = json!("r9");
            rule["qos_policy_id"] = json!("p1");
            rule["type"] = json!("bandwidth_limit");
            FakeResponse::json(201, json!({"bandwidth_limit_rule": rule}))
        },
    );
    let out = h
        .invoke(
            entry,
            "network qos rule create",
            json!({"qos_policy": "p1", "type": "bandwidth-limit", "max_kbps": 1000,
                   "max_burst_kbits": 100, "egress": true}),
        )
        .unwrap();
    assert_eq!(
        h.requests[1].json,
        Some(
            json!({"bandwidth_limit_rule": {"max_kbps": 1000, "max_burst_kbps": 100, "direction": "egress"}})
        )
    );
    let names: Vec<String> = fields(&out).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "direction",
            "id",
            "max_burst_kbps",
            "max_kbps",
            "qos_policy_id",
            "type"
        ]
    );
}

#[test]
fn qos_rule_checks_the_arguments_of_its_type() {
    let mut h = with_policy();
    let err = h
        .invoke(
            entry,
            "network qos rule create",
            json!({"qos_policy": "p1", "type": "dscp-marking"}),
        )
        .unwrap_err();
    assert_eq!(
        err.1,
        "Failed to create Network QoS rule: \"Create\" rule command for type \"dscp-marking\" requires arguments: dscp_mark"
    );
    let err = h
        .invoke(
            entry,
            "network qos rule set",
            json!({"qos_policy": "p1", "id": "r2", "dscp_mark": 8}),
        )
        .unwrap_err();
    assert_eq!(
        err.1,
        "Failed to set Network QoS rule ID \"r2\": Rule type \"minimum-bandwidth\" only requires arguments: direction, min_kbps"
    );
    let err = h
        .invoke(
            entry,
            "network qos rule show",
            json!({"qos_policy": "p1", "id": "nope"}),
        )
        .unwrap_err();
    assert_eq!(
        err.1,
        "Failed to show Network QoS rule ID \"nope\": Rule not found"
    );
}

#[test]
fn qos_rule_set_reads_then_puts_the_rule() {
    let mut h = with_policy();
    h.route(
        "GET",
        "network",
        "/qos/policies/p1/bandwidth_limit_rules/r1",
        |_| FakeResponse::json(200, json!({"bandwidth_limit_rule": {"id": "r1"}})),
    );
    h.route(
        "PUT",
        "network",
        "/qos/policies/p1/bandwidth_limit_rules/r1",
        |_| FakeResponse::json(200, json!({"bandwidth_limit_rule": {"id": "r1"}})),
    );
    h.invoke(
        entry,
        "network qos rule set",
        json!({"qos_policy": "p1", "id": "r1", "max_kbps": 20, "ingress": true}),
    )
    .unwrap();
    let put = h.requests.iter().find(|r| r.method == "PUT").unwrap();
    assert_eq!(
        put.json,
        Some(json!({"bandwidth_limit_rule": {"max_kbps": 20, "direction": "ingress"}}))
    );
}

#[test]
fn qos_rule_list_shows_missing_fields_empty() {
    let mut h = with_policy();
    let out = h
        .invoke(entry, "network qos rule list", json!({"qos_policy": "p1"}))
        .unwrap();
    assert_eq!(
        out["list"]["rows"][1],
        json!(["r2", "p1", "minimum_bandwidth", "", "", 5, "", "", "egress"])
    );
}

#[test]
fn qos_policy_list_filters_as_the_sdk() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/qos/policies", |_| {
        FakeResponse::json(200, json!({"policies": []}))
    });
    h.invoke(
        entry,
        "network qos policy list",
        json!({"share": true, "max_items": 2}),
    )
    .unwrap();
    assert_eq!(h.requests[0].query("shared"), Some("True"));
    assert_eq!(h.requests[0].query("limit"), Some("2"));
}

#[test]
fn meter_lists_show_the_columns_osc_cannot_read_empty() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/metering/metering-labels", |_| {
        FakeResponse::json(
            200,
            json!({"metering_labels": [{"id": "m1", "name": "n", "description": "d", "shared": true}]}),
        )
    });
    let out = h.invoke(entry, "network meter list", json!({})).unwrap();
    assert_eq!(out["list"]["rows"], json!([["m1", "n", "d", ""]]));
}

#[test]
fn local_ip_association_create_posts_under_the_local_ip() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/ports/port1", |_| {
        FakeResponse::json(200, json!({"port": {"id": "port1"}}))
    });
    h.route("GET", "network", "/local_ips/lip", |_| {
        FakeResponse::json(200, json!({"local_ip": {"id": "lip"}}))
    });
    h.route("POST", "network", "/local_ips/lip/port_associations", |_| {
        FakeResponse::json(
            201,
            json!({"port_association": {"id": "x", "local_ip_id": "lip", "local_ip_address": "10.0.0.9",
                   "fixed_port_id": "port1", "fixed_ip": "10.0.0.3", "host": null}}),
        )
    });
    let out = h
        .invoke(
            entry,
            "local ip association create",
            json!({"local_ip": "lip", "fixed_port": "port1"}),
        )
        .unwrap();
    let post = h.requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(
        post.json,
        Some(json!({"port_association": {"fixed_port_id": "port1"}}))
    );
    let names: Vec<String> = fields(&out).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "fixed_ip",
            "fixed_port_id",
            "host",
            "local_ip_address",
            "local_ip_id"
        ]
    );
}
