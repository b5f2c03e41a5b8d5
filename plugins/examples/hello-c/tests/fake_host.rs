//! The C plugin, tested with the SDK's fake host: its manifest passes osc's checks, its
//! command lines parse as in osc, and its HTTP goes through the host's callbacks.
#![allow(clippy::unwrap_used)]

use hello_c::{entry, manifest};
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};

#[test]
fn the_manifest_passes_osc_checks() {
    check_manifest(manifest()).unwrap();
}

#[test]
fn greets_with_escaped_json() {
    let mut host = FakeHost::new();
    let out = host
        .run(
            entry,
            manifest(),
            &["hello", "world", "--name", "\"quoted\"", "--shout"],
        )
        .unwrap();
    assert_eq!(
        out["show"]["fields"],
        json!([["Greeting", "Hello, \"QUOTED\"!"], ["Language", "C"]])
    );
    assert_eq!(host.logs, vec![(3, "hello-c invoked".to_string())]);
    let (_, err) = host.run(entry, manifest(), &["hello", "fail"]).unwrap_err();
    assert_eq!(err, "hello-c failed on purpose");
}

#[test]
fn lists_images_through_the_host() {
    let mut host = FakeHost::new();
    host.route("GET", "image", "/images", |_| {
        FakeResponse::json(
            200,
            json!({"images": [{"id": "i1", "name": "cirros \u{e9}", "tags": ["a", {"b": "]"}]},
                              {"name": null, "id": "i2"}, {"id": "i3", "name": "x"}],
                   "first": "/v2/images"}),
        )
    });
    let out = host
        .run(entry, manifest(), &["hello", "images", "--limit", "2"])
        .unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([["i1", "cirros \u{e9}"], ["i2", null]])
    );
    assert_eq!(host.requests.len(), 1);
    host.route("GET", "image", "/images", |_| {
        FakeResponse::json(503, json!({}))
    });
    let (_, err) = host
        .run(entry, manifest(), &["hello", "images"])
        .unwrap_err();
    assert_eq!(err, "listing images failed (HTTP 503)");
}
