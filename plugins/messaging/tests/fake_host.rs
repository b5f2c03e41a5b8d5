//! The messaging plugin in-process against the SDK's fake host: zaqarclient's requests,
//! the Client-ID header, columns and messages.
#![allow(clippy::unwrap_used)]

use osc_plugin_messaging::{osc_plugin_entry_v1 as entry, osc_plugin_manifest as manifest};
use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A private cache directory for this test process, set as `OSC_CACHE_DIR` before any command
/// runs: the commands without `--client-id` keep their Client-ID there, never in the user's
/// `~/.cache/osc/messaging-client-id`.
fn cache_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("osc-messaging-fake-host-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::env::set_var("OSC_CACHE_DIR", &dir);
        dir
    })
}

/// A fake host, with the private cache directory in place.
fn fake_host() -> FakeHost {
    cache_dir();
    FakeHost::new()
}

#[test]
fn manifest_is_valid_and_complete() {
    let m = check_manifest(&manifest).unwrap();
    assert_eq!(m["commands"].as_array().unwrap().len(), 32);
}

#[test]
fn messages_are_posted_from_json_with_the_given_client_id() {
    let mut h = fake_host();
    h.route("POST", "messaging", "/v2/queues/q1/messages", |_| {
        FakeResponse::json(201, json!({"resources": ["/v2/queues/q1/messages/m1"]}))
    });
    h.run(
        entry,
        &manifest,
        &[
            "messaging",
            "message",
            "post",
            "q1",
            r#"{"body": {"a": 1}, "ttl": 60}"#,
            "--client-id",
            "c-1",
        ],
    )
    .unwrap();
    let r = &h.requests[0];
    assert_eq!(r.header("Client-ID"), Some("c-1"));
    assert_eq!(
        r.json,
        Some(json!({"messages": [{"body": {"a": 1}, "ttl": 60}]}))
    );
    let e = h
        .run(
            entry,
            &manifest,
            &[
                "messaging",
                "message",
                "post",
                "q1",
                "not json",
                "--client-id",
                "c",
            ],
        )
        .unwrap_err()
        .1;
    assert!(e.contains("invalid loads value: 'not json'"), "{e}");
}

#[test]
fn message_list_asks_echo_and_claimed() {
    let mut h = fake_host();
    h.route("GET", "messaging", "/v2/queues/q1/messages", |req| {
        assert_eq!(req.query("echo"), Some("True"));
        assert_eq!(req.query("include_claimed"), Some("True"));
        FakeResponse::json(
            200,
            json!({"messages": [{"id": "m1", "href": "/v2/queues/q1/messages/m1?claim_id=c9",
            "ttl": 60, "age": 1, "body": {"a": 1}, "checksum": "MD5:x"}], "links": []}),
        )
    });
    let out = h
        .run(
            entry,
            &manifest,
            &[
                "messaging",
                "message",
                "list",
                "q1",
                "--echo",
                "--include-claimed",
                "--client-id",
                "c",
            ],
        )
        .unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([["m1", {"a": 1}, 60, 1, "c9", "MD5:x"]])
    );
}

#[test]
fn claims_take_ttl_grace_and_limit() {
    let mut h = fake_host();
    h.route("POST", "messaging", "/v2/queues/q1/claims", |req| {
        assert_eq!(req.query("limit"), Some("10"));
        assert_eq!(req.json, Some(json!({"ttl": 300, "grace": 60})));
        FakeResponse::json(
            201,
            json!({"messages": [{"id": "m1", "href": "/v2/queues/q1/messages/m1?claim_id=c9",
            "ttl": 60, "age": 1, "body": 5}]}),
        )
    });
    let out = h
        .run(entry, &manifest, &["messaging", "claim", "create", "q1"])
        .unwrap();
    assert_eq!(out["list"]["rows"], json!([["c9", "m1", 60, 1, 5, null]]));
    assert_eq!(h.requests[0].header("Client-ID").map(str::len), Some(32));
}

#[test]
fn queue_metadata_must_be_json() {
    let mut h = fake_host();
    let e = h
        .run(
            entry,
            &manifest,
            &["messaging", "queue", "set", "metadata", "q1", "{bad"],
        )
        .unwrap_err()
        .1;
    assert_eq!(e, "Queue metadata({bad) is not a valid json.");
}

#[test]
fn the_kept_client_id_is_made_once_in_the_cache_directory() {
    let mut h = fake_host();
    h.route("GET", "messaging", "/v2/queues/q1/stats", |_| {
        FakeResponse::json(
            200,
            json!({"messages": {"free": 0, "claimed": 0, "total": 0}}),
        )
    });
    let args = ["messaging", "queue", "stats", "q1"];
    h.run(entry, &manifest, &args).unwrap();
    h.run(entry, &manifest, &args).unwrap();
    let kept = std::fs::read_to_string(cache_dir().join("messaging-client-id")).unwrap();
    assert_eq!(kept.len(), 32, "{kept}");
    for r in &h.requests {
        assert_eq!(r.header("Client-ID"), Some(kept.as_str()));
    }
}

#[test]
fn message_ids_go_as_repeated_ids_parameters() {
    let mut h = fake_host();
    h.route("GET", "messaging", "/v2/queues/q1/messages", |req| {
        let ids: Vec<&str> = req
            .query
            .iter()
            .filter(|(k, _)| k == "ids")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(ids, ["m1", "m2"]);
        FakeResponse::json(200, json!({"messages": []}))
    });
    let args = [
        "messaging",
        "message",
        "list",
        "q1",
        "--message-ids",
        "m1,m2",
        "--client-id",
        "c",
    ];
    h.run(entry, &manifest, &args).unwrap();
    assert_eq!(h.requests.len(), 1);
}
