//! The placement plugin in-process against the SDK's fake host: the microversion it states,
//! the columns and gates that follow from the version in effect, and osc-placement's words.
#![allow(clippy::unwrap_used)]

use osc_plugin_placement::osc_plugin_entry_v1;
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{FakeHost, FakeResponse};

const RP: &str = "4e8e5957-649f-477b-9e5b-f1f75b21c03c";

fn host() -> FakeHost {
    let mut h = FakeHost::new();
    h.server_microversion("placement", "1.39");
    h.route("GET", "placement", "/", |_| {
        FakeResponse::json(200, json!({"versions": []}))
    });
    h.route("GET", "placement", "/resource_providers", |_| {
        FakeResponse::json(
            200,
            json!({"resource_providers": [{"uuid": RP, "name": "n", "generation": 3,
                   "root_provider_uuid": RP, "parent_provider_uuid": null}]}),
        )
    });
    h
}

fn err(h: &mut FakeHost, command: &str, args: osc_plugin_sdk::Value) -> String {
    h.invoke(osc_plugin_entry_v1, command, args).unwrap_err().1
}

fn gate(ver: &str, needed: &str) -> String {
    format!(
        "Operation or argument is not supported with version {ver}; requires at least version {needed}"
    )
}

#[test]
fn states_osc_placements_default_and_picks_columns_by_version() {
    let mut h = host();
    let out = h
        .invoke(osc_plugin_entry_v1, "resource provider list", json!({}))
        .unwrap();
    assert_eq!(
        h.requests[0].header("OpenStack-API-Version"),
        Some("placement 1.29")
    );
    assert_eq!(
        out["list"]["columns"],
        json!([
            "uuid",
            "name",
            "generation",
            "root_provider_uuid",
            "parent_provider_uuid"
        ])
    );
    assert_eq!(out["list"]["rows"][0], json!([RP, "n", 3, RP, null]));

    let mut h = host();
    h.pin_microversion("placement", "1.13");
    let out = h
        .invoke(osc_plugin_entry_v1, "resource provider list", json!({}))
        .unwrap();
    assert_eq!(
        h.requests[0].header("OpenStack-API-Version"),
        Some("placement 1.13")
    );
    assert_eq!(
        out["list"]["columns"],
        json!(["uuid", "name", "generation"])
    );
}

#[test]
fn read_gates_use_the_answered_version() {
    let mut h = host();
    h.pin_microversion("placement", "1.10");
    let msg = err(&mut h, "resource provider list", json!({"in_tree": RP}));
    assert_eq!(msg, gate("1.10", "1.14"));
    let mut h = host();
    h.pin_microversion("placement", "1.17");
    let msg = err(
        &mut h,
        "resource provider list",
        json!({"required": ["A,B"]}),
    );
    assert_eq!(msg, gate("1.17", "1.18"));
    let mut h = host();
    h.pin_microversion("placement", "1.29");
    let msg = err(
        &mut h,
        "resource provider list",
        json!({"required": ["A,B"]}),
    );
    assert_eq!(msg, gate("1.29", "1.39"));
    let mut h = host();
    h.pin_microversion("placement", "1.5");
    let msg = err(&mut h, "trait list", json!({}));
    assert_eq!(msg, gate("1.5", "1.6"));
}

#[test]
fn write_gates_fail_before_anything_changes() {
    let mut h = host();
    h.pin_microversion("placement", "1.13");
    let msg = err(
        &mut h,
        "resource provider create",
        json!({"name": "x", "parent_provider": RP}),
    );
    assert_eq!(msg, gate("1.13", "1.14"));
    assert!(h
        .requests
        .iter()
        .all(|r| r.method == "GET" && r.path == "/"));

    let mut h = host();
    h.pin_microversion("placement", "1.6");
    let msg = err(&mut h, "resource class set", json!({"name": "CUSTOM_X"}));
    assert_eq!(msg, gate("1.6", "1.7"));
    assert!(h.requests.iter().all(|r| r.method == "GET"));

    let mut h = host();
    let msg = err(
        &mut h,
        "resource provider aggregate set",
        json!({"uuid": RP}),
    );
    assert_eq!(msg, "A generation must be specified.");
    assert!(h.requests.iter().all(|r| r.method == "GET"));

    let mut h = host();
    h.pin_microversion("placement", "1.18");
    let msg = err(
        &mut h,
        "resource provider aggregate set",
        json!({"uuid": RP, "generation": 1}),
    );
    assert_eq!(msg, gate("1.18", "1.19"));
}

#[test]
fn unsupported_pins_are_refused_before_a_change() {
    let mut h = host();
    h.pin_microversion("placement", "1.30");
    let msg = err(&mut h, "resource provider delete", json!({"uuid": RP}));
    assert!(
        msg.starts_with("Invalid placement client version '1.30'. must be one of: 1, 1.0, 1.1,"),
        "{msg}"
    );
    assert!(h.requests.iter().all(|r| r.method == "GET"));
}

#[test]
fn errors_are_the_last_line_of_placements_detail() {
    let mut h = host();
    h.route("GET", "placement", "/resource_providers/*", |_| {
        FakeResponse::json(
            404,
            json!({"errors": [{"status": 404, "title": "Not Found",
                   "detail": "The resource could not be found.\n\n No resource provider with uuid x found  "}]}),
        )
    });
    let msg = err(&mut h, "resource provider show", json!({"uuid": "x"}));
    assert_eq!(msg, "No resource provider with uuid x found (HTTP 404)");
    // Statuses osc_lib has no exception class for are a CommandError of (status, message).
    let mut h = host();
    h.route("GET", "placement", "/resource_providers/*", |_| {
        FakeResponse::json(
            406,
            json!({"errors": [{"status": 406, "detail": "Unacceptable version header: 1.99"}]}),
        )
    });
    let msg = err(&mut h, "resource provider show", json!({"uuid": "x"}));
    assert_eq!(msg, "(406, 'Unacceptable version header: 1.99')");
}

#[test]
fn candidate_checks_run_in_osc_placements_order() {
    let mut h = host();
    h.pin_microversion("placement", "1.9");
    let msg = err(&mut h, "allocation candidate list", json!({}));
    assert_eq!(msg, gate("1.9", "1.10"));
    let mut h = host();
    let msg = err(&mut h, "allocation candidate list", json!({}));
    assert_eq!(msg, "At least one --resource must be specified.");
    let mut h = host();
    h.pin_microversion("placement", "1.15");
    let msg = err(
        &mut h,
        "allocation candidate list",
        json!({"resources": ["VCPU=1"], "limit": "1"}),
    );
    assert_eq!(msg, gate("1.15", "1.16"));
    let mut h = host();
    let msg = err(
        &mut h,
        "allocation candidate list",
        json!({"resources": ["VCPU"]}),
    );
    assert_eq!(
        msg,
        "Arguments to --resource must be of form <resource_class>=<value>"
    );
}

#[test]
fn candidates_show_each_request_per_provider() {
    let mut h = host();
    h.route("GET", "placement", "/allocation_candidates", |req| {
        assert_eq!(req.query("resources"), Some("VCPU:1"));
        assert_eq!(req.query("required"), Some("A,!B"));
        FakeResponse::json(
            200,
            json!({
                "allocation_requests": [{"allocations": {RP: {"resources": {"VCPU": 1}}}}],
                "provider_summaries": {RP: {"resources": {"VCPU": {"used": 0, "capacity": 8}},
                                            "traits": ["A", "C"]}}
            }),
        )
    });
    let out = h
        .invoke(
            osc_plugin_entry_v1,
            "allocation candidate list",
            json!({"resources": ["VCPU=1"], "required": ["A"], "forbidden": ["B"]}),
        )
        .unwrap();
    assert_eq!(
        out["list"]["columns"],
        json!([
            "#",
            "allocation",
            "resource provider",
            "inventory used/capacity",
            "traits"
        ])
    );
    assert_eq!(
        out["list"]["rows"],
        json!([[1, "VCPU=1", RP, "VCPU=0/8", "A,C"]])
    );
}

#[test]
fn inventory_dry_run_amends_without_writing() {
    let mut h = host();
    h.route(
        "GET",
        "placement",
        &format!("/resource_providers/{RP}"),
        |_| FakeResponse::json(200, json!({"uuid": RP, "generation": 3})),
    );
    h.route(
        "GET",
        "placement",
        &format!("/resource_providers/{RP}/inventories"),
        |_| {
            FakeResponse::json(
                200,
                json!({"resource_provider_generation": 3,
                       "inventories": {"VCPU": {"total": 8, "allocation_ratio": 16.0, "min_unit": 1,
                                                "max_unit": 8, "reserved": 0, "step_size": 1}}}),
            )
        },
    );
    let out = h
        .invoke(
            osc_plugin_entry_v1,
            "resource provider inventory set",
            json!({"uuid": RP, "amend": true, "dry_run": true,
                   "resource": ["DISK_GB=10", "VCPU:reserved=1", "DISK_GB:allocation_ratio=2"]}),
        )
        .unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([
            ["VCPU", 16.0, 1, 8, 1, 1, 8],
            ["DISK_GB", 2.0, "", "", "", "", 10]
        ])
    );
    assert!(h.requests.iter().all(|r| r.method == "GET"));
    let msg = err(
        &mut h,
        "resource provider inventory set",
        json!({"uuid": RP, "resource": ["VCPU:bogus=1"]}),
    );
    assert_eq!(msg, "Unknown inventory field bogus");
}
