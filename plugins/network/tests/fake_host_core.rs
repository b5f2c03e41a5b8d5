//! The core network commands (port, subnet pool...) against the SDK's fake host: the
//! read-modify-write bodies and the errors the devcloud cannot show (its users may not set
//! a binding profile).
#![allow(clippy::unwrap_used)]

use osc_plugin_network::osc_plugin_entry_v1 as entry;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
use osc_plugin_sdk::{json, Value};

fn port(profile: Value) -> Value {
    json!({"port": {"id": "p1", "name": "p", "network_id": "n1", "binding:profile": profile,
        "fixed_ips": [{"subnet_id": "s1", "ip_address": "10.0.0.5"}],
        "security_groups": ["sg1"], "allowed_address_pairs": [], "tags": []}})
}

/// A fake host with port p1 whose binding profile is `profile`; PUTs answer with the port.
fn host_with_port(profile: Value) -> FakeHost {
    let mut h = FakeHost::new();
    let p = port(profile);
    let q = p.clone();
    h.route("GET", "network", "/ports/p1", move |_| {
        FakeResponse::json(200, p.clone())
    });
    h.route("PUT", "network", "/ports/p1", move |_| {
        FakeResponse::json(200, q.clone())
    });
    h.route("GET", "network", "/security-groups/sg2", |_| {
        FakeResponse::json(200, json!({"security_group": {"id": "sg2", "name": "web"}}))
    });
    h
}

fn put_body(h: &FakeHost) -> Value {
    let put = h.requests.iter().find(|r| r.method == "PUT").unwrap();
    put.json.clone().unwrap()["port"].clone()
}

#[test]
fn port_set_merges_the_binding_profile() {
    let mut h = host_with_port(json!({"a": "1"}));
    h.invoke(
        entry,
        "port set",
        json!({"port": "p1", "binding_profile": ["b=2", "{\"c\": 3}"]}),
    )
    .unwrap();
    assert_eq!(
        put_body(&h),
        json!({"binding:profile": {"a": "1", "b": "2", "c": 3}})
    );
}

#[test]
fn port_set_no_binding_profile_then_new_keys_replaces_it() {
    let mut h = host_with_port(json!({"a": "1"}));
    h.invoke(
        entry,
        "port set",
        json!({"port": "p1", "no_binding_profile": true, "binding_profile": ["d=4"]}),
    )
    .unwrap();
    assert_eq!(put_body(&h), json!({"binding:profile": {"d": "4"}}));
}

#[test]
fn port_unset_binding_profile_keys() {
    let mut h = host_with_port(json!({"a": "1", "b": "2"}));
    h.invoke(
        entry,
        "port unset",
        json!({"port": "p1", "binding_profile": ["a"]}),
    )
    .unwrap();
    assert_eq!(put_body(&h), json!({"binding:profile": {"b": "2"}}));
    let mut h = host_with_port(json!({"a": "1"}));
    let err = h
        .invoke(
            entry,
            "port unset",
            json!({"port": "p1", "binding_profile": ["zz"]}),
        )
        .unwrap_err()
        .1;
    assert!(
        err.contains("Port does not contain binding-profile zz"),
        "{err}"
    );
}

#[test]
fn port_set_appends_security_groups_and_fixed_ips() {
    let mut h = host_with_port(json!({}));
    h.route("GET", "network", "/subnets/s2", |_| {
        FakeResponse::json(200, json!({"subnet": {"id": "s2", "name": "sub"}}))
    });
    h.invoke(
        entry,
        "port set",
        json!({"port": "p1", "security_group": ["sg2"], "fixed_ip": ["subnet=s2,ip-address=10.0.1.9"]}),
    )
    .unwrap();
    assert_eq!(
        put_body(&h),
        json!({"fixed_ips": [{"subnet_id": "s1", "ip_address": "10.0.0.5"},
                             {"subnet_id": "s2", "ip_address": "10.0.1.9"}],
               "security_groups": ["sg1", "sg2"]})
    );
}

#[test]
fn bad_key_value_options_are_refused() {
    let mut h = host_with_port(json!({}));
    let err = h
        .invoke(
            entry,
            "port set",
            json!({"port": "p1", "fixed_ip": ["subnet"]}),
        )
        .unwrap_err()
        .1;
    assert!(
        err.contains(
            "argument --fixed-ip: Expected comma separated 'key=value' pairs, but got: subnet"
        ),
        "{err}"
    );
    let err = h
        .invoke(
            entry,
            "port set",
            json!({"port": "p1", "allowed_address": ["mac-address=x"]}),
        )
        .unwrap_err()
        .1;
    assert!(err.contains("Missing required keys ip-address"), "{err}");
    let err = h
        .invoke(
            entry,
            "port set",
            json!({"port": "p1", "fixed_ip": ["subnet=a,foo=b"]}),
        )
        .unwrap_err()
        .1;
    assert!(err.contains("Invalid keys foo specified"), "{err}");
}
