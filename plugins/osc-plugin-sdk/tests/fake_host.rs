//! The SDK against its own fake host: requests, streamed bodies, errors and panics cross
//! the C ABI in-process.
#![allow(clippy::unwrap_used)]

use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
use osc_plugin_sdk::{abi, export_plugin, json, Args, Host, Reply, Request, Result};

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    match command {
        "demo list" => {
            let v = host
                .request(Request::get("network", "/networks").query("name", "x"))?
                .ok()?
                .json()?;
            let rows = v["networks"]
                .as_array()
                .ok_or("no networks")?
                .iter()
                .map(|n| vec![n["id"].clone(), n["name"].clone()])
                .collect();
            host.info("listed");
            Ok(Reply::list(["ID", "Name"]).rows(rows))
        }
        "demo upload" => {
            let data = args.req("data")?.as_bytes().to_vec();
            let r = host
                .request(Request::put("object-store", "/c/o").body(std::io::Cursor::new(data)))?;
            host.progress("upload", 3, 3);
            Ok(Reply::show().field("status", r.status))
        }
        "demo fail" => Err(host
            .request(Request::get("network", "/missing"))?
            .ok()
            .err()
            .ok_or("expected an error")?),
        "demo panic" => panic!("boom"),
        other => Err(format!("unknown command {other}").into()),
    }
}

export_plugin!(manifest: "demo_manifest.json", handler: run);

#[test]
fn manifest_and_build_info_are_plain_data() {
    assert!(std::str::from_utf8(&osc_plugin_manifest)
        .unwrap()
        .contains("\"demo list\""));
    assert_eq!(osc_plugin_build_info.abi_major, abi::ABI_MAJOR);
    assert_eq!(
        osc_plugin_build_info.panic_aborts,
        u8::from(cfg!(panic = "abort"))
    );
}

#[test]
fn list_through_the_fake_host() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/networks", |_| {
        FakeResponse::json(200, json!({"networks": [{"id": "n1", "name": "x"}]}))
    });
    let out = host
        .invoke(osc_plugin_entry_v1, "demo list", json!({}))
        .unwrap();
    assert_eq!(out["list"]["columns"], json!(["ID", "Name"]));
    assert_eq!(out["list"]["rows"], json!([["n1", "x"]]));
    assert_eq!(host.requests[0].query("name"), Some("x"));
    assert_eq!(host.logs, vec![(abi::LOG_INFO, "listed".to_string())]);
}

#[test]
fn streamed_body_reaches_the_host() {
    let mut host = FakeHost::new();
    host.route("PUT", "object-store", "/c/o", |r| {
        FakeResponse::bytes(201, r.body.clone())
    });
    let out = host
        .invoke(osc_plugin_entry_v1, "demo upload", json!({"data": "abc"}))
        .unwrap();
    assert_eq!(out["show"]["fields"], json!([["status", 201]]));
    assert_eq!(host.requests[0].body, b"abc");
    assert_eq!(host.progress, vec![("upload".to_string(), 3, 3)]);
}

#[test]
fn http_errors_become_one_line() {
    let mut host = FakeHost::new();
    host.route("GET", "network", "/missing", |_| {
        FakeResponse::json(
            404,
            json!({"NeutronError": {"message": "Network x could not be found."}}),
        )
        .header("x-openstack-request-id", "req-1")
    });
    let err = host
        .invoke(osc_plugin_entry_v1, "demo fail", json!({}))
        .unwrap_err();
    assert_eq!(
        err,
        (
            abi::ERROR,
            "Network x could not be found. (HTTP 404) (Request-ID: req-1)".to_string()
        )
    );
}

#[test]
fn a_panic_is_an_error_not_a_crash() {
    let mut host = FakeHost::new();
    let (status, msg) = host
        .invoke(osc_plugin_entry_v1, "demo panic", json!({}))
        .unwrap_err();
    assert_eq!(status, abi::PANIC);
    assert!(msg.starts_with("the plugin panicked: boom"), "{msg}");
    // The plugin still works afterwards.
    let e = host
        .invoke(osc_plugin_entry_v1, "demo nothing", json!({}))
        .unwrap_err();
    assert_eq!(e.1, "unknown command demo nothing");
}
