//! The network plugin against the SDK's fake host: the requests it sends for the learned
//! commands, and the rows it returns.
#![allow(clippy::unwrap_used)]

use osc_plugin_network::osc_plugin_entry_v1 as entry;
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};

fn net(id: &str, name: &str) -> osc_plugin_sdk::Value {
    json!({"id": id, "name": name, "subnets": ["s2", "s1"], "admin_state_up": true, "tags": [], "status": "ACTIVE",
           "router:external": false, "shared": false, "mtu": 1450, "project_id": "p1"})
}

#[test]
fn network_create_sends_the_learned_body_then_tags() {
    let mut h = FakeHost::new();
    h.route("POST", "network", "/networks", |r| {
        let mut n = net(
            "n1",
            r.json.as_ref().unwrap()["network"]["name"]
                .as_str()
                .unwrap(),
        );
        n["description"] = r.json.as_ref().unwrap()["network"]["description"].clone();
        FakeResponse::json(201, json!({"network": n}))
    });
    h.route("PUT", "network", "/networks/n1/tags", |_| {
        FakeResponse::json(200, json!({"tags": ["a"]}))
    });
    h.route("GET", "network", "/networks/n1", |_| {
        let mut n = net("n1", "blue");
        n["tags"] = json!(["a"]);
        FakeResponse::json(200, json!({"network": n}))
    });
    let out = h
        .invoke(entry, "network create", json!({"name": "blue", "description": "d", "disable": true, "mtu": "1400", "tag": ["a"]}))
        .unwrap();
    let body = h.requests[0].json.clone().unwrap();
    assert_eq!(
        body,
        json!({"network": {"name": "blue", "description": "d", "admin_state_up": false, "mtu": "1400"}})
    );
    assert_eq!(h.requests[1].json, Some(json!({"tags": ["a"]})));
    let fields = out["show"]["fields"].as_array().unwrap();
    let get = |k: &str| fields.iter().find(|f| f[0] == k).map(|f| f[1].clone());
    assert_eq!(get("name"), Some(json!("blue")));
    assert_eq!(get("tags"), Some(json!(["a"])));
    assert_eq!(get("router:external"), Some(json!(false)));
    assert_eq!(out["styles"]["subnets"], "list");
}

#[test]
fn network_list_filters_and_long_columns() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": [net("n1", "a")]}))
    });
    let out = h
        .invoke(
            entry,
            "network list",
            json!({"name": "a", "external": true}),
        )
        .unwrap();
    assert_eq!(out["list"]["columns"], json!(["ID", "Name", "Subnets"]));
    assert_eq!(out["list"]["rows"], json!([["n1", "a", ["s2", "s1"]]]));
    assert_eq!(h.requests[0].query("name"), Some("a"));
    // openstacksdk sends Python's booleans.
    assert_eq!(h.requests[0].query("router:external"), Some("True"));
    let long = h
        .invoke(entry, "network list", json!({"long": true}))
        .unwrap();
    let cols = long["list"]["columns"].as_array().unwrap();
    assert!(
        cols.contains(&json!("Network Type")) && cols.contains(&json!("State")),
        "{cols:?}"
    );
}

#[test]
fn subnet_create_looks_up_the_network_by_name() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/networks/blue", |_| {
        FakeResponse::json(404, json!({"NeutronError": {"message": "not found"}}))
    });
    h.route("GET", "network", "/networks", |r| {
        assert_eq!(r.query("name"), Some("blue"));
        FakeResponse::json(200, json!({"networks": [net("n1", "blue")]}))
    });
    h.route("POST", "network", "/subnets", |r| {
        let mut s = r.json.clone().unwrap()["subnet"].clone();
        s["id"] = json!("s1");
        FakeResponse::json(201, json!({"subnet": s}))
    });
    let out = h
        .invoke(
            entry,
            "subnet create",
            json!({"name": "sub", "network": "blue", "subnet_range": "10.0.0.0/24",
                   "allocation_pool": ["start=10.0.0.10,end=10.0.0.20"], "dns_nameserver": ["8.8.8.8", "1.1.1.1"]}),
        )
        .unwrap();
    let post = h.requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(
        post.json,
        Some(
            json!({"subnet": {"ip_version": 4, "name": "sub", "network_id": "n1", "cidr": "10.0.0.0/24",
            "allocation_pools": [{"start": "10.0.0.10", "end": "10.0.0.20"}], "dns_nameservers": ["8.8.8.8", "1.1.1.1"]}})
        )
    );
    assert!(out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f[0] == "cidr" && f[1] == "10.0.0.0/24"));
}

#[test]
fn delete_reports_partial_failures_in_one_line() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/networks/*", |_| {
        FakeResponse::json(404, json!({}))
    });
    h.route("GET", "network", "/networks/n1", |_| {
        FakeResponse::json(200, json!({"network": net("n1", "a")}))
    });
    h.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": []}))
    });
    h.route("DELETE", "network", "/networks/n1", |_| {
        FakeResponse::bytes(204, "")
    });
    let err = h
        .invoke(entry, "network delete", json!({"network": ["n1", "nope"]}))
        .unwrap_err();
    assert_eq!(err.1, "1 of 2 networks failed to delete.");
    assert!(
        h.logs
            .iter()
            .any(|(_, l)| l.contains("No Network found for nope")),
        "{:?}",
        h.logs
    );
    assert!(h
        .requests
        .iter()
        .any(|r| r.method == "DELETE" && r.path == "/networks/n1"));
}

#[test]
fn router_add_subnet_and_security_group_rule_create() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/routers/r1", |_| {
        FakeResponse::json(200, json!({"router": {"id": "r1", "name": "r"}}))
    });
    h.route("GET", "network", "/subnets/s1", |_| {
        FakeResponse::json(200, json!({"subnet": {"id": "s1"}}))
    });
    h.route("PUT", "network", "/routers/r1/add_router_interface", |_| {
        FakeResponse::json(200, json!({}))
    });
    let r = h.invoke(
        entry,
        "router add subnet",
        json!({"router": "r1", "subnet": "s1"}),
    );
    assert!(r.is_ok(), "{r:?} {:?}", h.requests);
    assert_eq!(
        h.requests.last().unwrap().json,
        Some(json!({"subnet_id": "s1"}))
    );

    h.route("GET", "network", "/security-groups/g1", |_| {
        FakeResponse::json(200, json!({"security_group": {"id": "g1"}}))
    });
    h.route("POST", "network", "/security-group-rules", |r| {
        let mut s = r.json.clone().unwrap()["security_group_rule"].clone();
        s["id"] = json!("rule1");
        FakeResponse::json(201, json!({"security_group_rule": s}))
    });
    let out = h
        .invoke(
            entry,
            "security group rule create",
            json!({"group": "g1", "protocol": "tcp", "dst_port": "22:23", "egress": true}),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    let body = h.requests.last().unwrap().json.clone().unwrap();
    assert_eq!(body["security_group_rule"]["security_group_id"], "g1");
    assert_eq!(body["security_group_rule"]["direction"], "egress");
    assert!(out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f[0] == "id" && f[1] == "rule1"));
}

#[test]
fn unset_removes_entries_from_the_current_list() {
    let mut h = FakeHost::new();
    h.route("GET", "network", "/subnets/s1", |_| {
        FakeResponse::json(
            200,
            json!({"subnet": {"id": "s1", "dns_nameservers": ["1.1.1.1", "8.8.8.8"],
                   "allocation_pools": [{"start": "10.0.0.2", "end": "10.0.0.9"}, {"start": "10.0.0.20", "end": "10.0.0.29"}]}}),
        )
    });
    h.route("PUT", "network", "/subnets/s1", |_| {
        FakeResponse::json(200, json!({"subnet": {}}))
    });
    h.invoke(
        entry,
        "subnet unset",
        json!({"subnet": "s1", "dns_nameserver": ["8.8.8.8"], "allocation_pool": ["start=10.0.0.2,end=10.0.0.9"]}),
    )
    .unwrap();
    let put = h.requests.iter().find(|r| r.method == "PUT").unwrap();
    assert_eq!(
        put.json,
        Some(
            json!({"subnet": {"dns_nameservers": ["1.1.1.1"], "allocation_pools": [{"start": "10.0.0.20", "end": "10.0.0.29"}]}})
        )
    );
}
