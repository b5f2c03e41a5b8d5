//! The shared machinery as a plugin gets it: osc-api's verbs over the host (pagination,
//! lookup with openstacksdk's wording, several names, waits, microversion negotiation),
//! against the fake host, which negotiates as the real one does.
#![allow(clippy::unwrap_used)]

use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
use osc_plugin_sdk::verbs::{self, col, col_list, Col};
use osc_plugin_sdk::{
    export_plugin, json, Args, Host, Reply, Request, Resource, Result, Wait, WaitStatus,
};
use std::time::Duration;

const THINGS: Resource = Resource::new("placement", "/things", "thing", "things")
    .sdk("Thing")
    .max_microversion("1.29");
const COLUMNS: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col_list("Tags", "tags"),
];

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    match command {
        "thing list" => verbs::list(host, &THINGS, &[], COLUMNS),
        "thing show" => verbs::show(host, &THINGS, args.req("thing")?, COLUMNS),
        "thing delete" => verbs::delete(host, &THINGS, &args.list("thing"), "things"),
        "thing wait" => {
            let id = THINGS.find_id(host, args.req("thing")?)?;
            let obj = Wait::new(format!("thing {id}"))
                .quiet()
                .interval(Duration::ZERO, Duration::ZERO)
                .timeout(Duration::from_secs(30))
                .status(WaitStatus::new(&["ACTIVE"], &["ERROR"]), || {
                    THINGS.get(host, &id)
                })?;
            Ok(verbs::show_reply(&obj, COLUMNS))
        }
        "thing exact" => {
            let r = host.request(Request::get("placement", "/").microversion("1.10"))?;
            Ok(Reply::show().field("used", r.microversion.clone()))
        }
        other => Err(format!("unknown command {other}").into()),
    }
}

export_plugin!(manifest: "machinery_manifest.json", handler: run);

fn thing(id: &str, name: &str) -> serde_json::Value {
    json!({"id": id, "name": name, "tags": ["t"], "extra": "not shown"})
}

#[test]
fn lists_follow_next_links_with_the_same_microversion() {
    let mut host = FakeHost::new();
    host.server_microversion("placement", "1.39");
    host.route("GET", "placement", "/things", |req| {
        if req.query("marker") == Some("b") {
            FakeResponse::json(200, json!({"things": [thing("c", "three")]}))
        } else {
            FakeResponse::json(200, json!({
                "things": [thing("a", "one"), thing("b", "two")],
                "things_links": [{"rel": "next", "href": "http://fake/placement/things?marker=b"}]
            }))
        }
    });
    let out = host
        .invoke(osc_plugin_entry_v1, "thing list", json!({}))
        .unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([
            ["a", "one", ["t"]],
            ["b", "two", ["t"]],
            ["c", "three", ["t"]]
        ])
    );
    assert_eq!(out["styles"]["Tags"], "list");
    assert_eq!(host.requests.len(), 2);
    for r in &host.requests {
        assert_eq!(r.header("OpenStack-API-Version"), Some("placement 1.29"));
    }
}

#[test]
fn the_server_maximum_and_the_users_pin_win() {
    let mut host = FakeHost::new();
    host.server_microversion("placement", "1.20");
    host.route("GET", "placement", "/things/a", |_| {
        FakeResponse::json(200, json!({"thing": thing("a", "one")}))
    });
    host.invoke(osc_plugin_entry_v1, "thing show", json!({"thing": "a"}))
        .unwrap();
    assert_eq!(
        host.requests[0].header("OpenStack-API-Version"),
        Some("placement 1.20")
    );
    host.pin_microversion("placement", "1.10");
    host.invoke(osc_plugin_entry_v1, "thing show", json!({"thing": "a"}))
        .unwrap();
    assert_eq!(
        host.requests[1].header("OpenStack-API-Version"),
        Some("placement 1.10")
    );
    let out = host
        .invoke(osc_plugin_entry_v1, "thing exact", json!({}))
        .unwrap();
    assert_eq!(out["show"]["fields"], json!([["used", "1.10"]]));
}

fn by_name(host: &mut FakeHost, found: serde_json::Value) {
    host.route("GET", "placement", "/things/*", |_| {
        FakeResponse::json(
            404,
            json!({"errors": [{"title": "Not Found", "detail": "no such thing"}]}),
        )
    });
    host.route("GET", "placement", "/things", move |req| {
        assert_eq!(req.query("name"), Some("one"));
        FakeResponse::json(200, json!({"things": found.clone()}))
    });
}

#[test]
fn lookups_by_name_use_openstacksdk_wording() {
    let mut host = FakeHost::new();
    by_name(&mut host, json!([thing("a", "one")]));
    let out = host
        .invoke(osc_plugin_entry_v1, "thing show", json!({"thing": "one"}))
        .unwrap();
    assert_eq!(out["show"]["fields"][0], json!(["ID", "a"]));

    let mut host = FakeHost::new();
    by_name(&mut host, json!([]));
    let err = host
        .invoke(osc_plugin_entry_v1, "thing show", json!({"thing": "one"}))
        .unwrap_err();
    assert_eq!(err.1, "No Thing found for one");

    let mut host = FakeHost::new();
    by_name(&mut host, json!([thing("a", "one"), thing("b", "one")]));
    let err = host
        .invoke(osc_plugin_entry_v1, "thing show", json!({"thing": "one"}))
        .unwrap_err();
    assert_eq!(err.1, "More than one Thing exists with the name 'one'.");
}

#[test]
fn deleting_several_reports_every_failure() {
    let mut host = FakeHost::new();
    host.route("GET", "placement", "/things/*", |req| {
        if req.path == "/things/a" {
            FakeResponse::json(200, json!({"thing": thing("a", "one")}))
        } else {
            FakeResponse::json(404, json!({"message": "gone"}))
        }
    });
    host.route("GET", "placement", "/things", |_| {
        FakeResponse::json(200, json!({"things": []}))
    });
    host.route("DELETE", "placement", "/things/a", |_| {
        FakeResponse::bytes(204, "")
    });
    let err = host
        .invoke(
            osc_plugin_entry_v1,
            "thing delete",
            json!({"thing": ["a", "zz"]}),
        )
        .unwrap_err();
    assert_eq!(err.1, "1 of 2 things failed to delete.");
    assert!(host
        .logs
        .iter()
        .any(|(_, m)| m == "Failed to delete thing with name or ID 'zz': No Thing found for zz"));
    assert!(host
        .requests
        .iter()
        .any(|r| r.method == "DELETE" && r.path == "/things/a"));
}

#[test]
fn waits_poll_until_the_status_is_reached_or_fails() {
    for (last, want) in [
        ("ACTIVE", Ok(())),
        ("ERROR", Err("thing a went to status ERROR")),
    ] {
        let mut host = FakeHost::new();
        let mut n = 0;
        host.route("GET", "placement", "/things/a", move |_| {
            n += 1;
            let status = if n < 3 { "BUILD" } else { last };
            FakeResponse::json(
                200,
                json!({"thing": {"id": "a", "name": "one", "status": status}}),
            )
        });
        let got = host.invoke(osc_plugin_entry_v1, "thing wait", json!({"thing": "a"}));
        match want {
            Ok(()) => assert_eq!(got.unwrap()["show"]["fields"][0], json!(["ID", "a"])),
            Err(m) => assert_eq!(got.unwrap_err().1, m),
        }
        assert_eq!(
            host.requests.len(),
            3,
            "one lookup, then polls until the third answer"
        );
    }
}
