//! The orchestration plugin in-process against the SDK's fake host: the requests
//! python-heatclient would send (templates, files, environments, parameters), `--wait` on
//! stack events, and heatclient's words.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use osc_plugin_orchestration::{osc_plugin_entry_v1, osc_plugin_manifest};
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};
use osc_plugin_sdk::{json, Value};

const ID: &str = "5b5d2d28-7b3b-4d3e-9c1e-6f0f3a1c2b11";

fn run(h: &mut FakeHost, argv: &[&str]) -> Result<Value, String> {
    h.run(osc_plugin_entry_v1, &osc_plugin_manifest, argv)
        .map_err(|e| e.1)
}

fn fields(out: &Value) -> Vec<(String, Value)> {
    out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f[0].as_str().unwrap().to_string(), f[1].clone()))
        .collect()
}

fn stack(status: &str, reason: &str) -> Value {
    json!({"stack": {"id": ID, "stack_name": "s1", "description": "d",
        "creation_time": "2026-12-02T10:00:00Z", "updated_time": null,
        "stack_status": status, "stack_status_reason": reason,
        "parameters": {"p": "1"}, "outputs": [{"output_key": "o", "output_value": "v",
        "description": "an output"}], "links": [], "template_description": "d",
        "tags": null, "timeout_mins": null}})
}

fn events(status: &str) -> FakeResponse {
    let link = json!([{"rel": "stack", "href": format!("http://h/v1/p/stacks/s1/{ID}")}]);
    FakeResponse::json(
        200,
        json!({"events": [
            {"id": "e1", "event_time": "2026-12-02T10:00:00Z", "resource_name": "s1",
             "physical_resource_id": ID, "resource_status": "CREATE_IN_PROGRESS",
             "resource_status_reason": "Stack CREATE started", "links": link},
            {"id": "e2", "event_time": "2026-12-02T10:00:01Z", "resource_name": "r",
             "physical_resource_id": "", "resource_status": "CREATE_COMPLETE",
             "resource_status_reason": "state changed", "links": link},
            {"id": "e3", "event_time": "2026-12-02T10:00:02Z", "resource_name": "s1",
             "physical_resource_id": ID, "resource_status": status,
             "resource_status_reason": "Stack CREATE completed", "links": link}
        ]}),
    )
}

/// A stack `s1` whose lookups answer, and whose events end with `status`.
fn heat(status: &'static str) -> FakeHost {
    let mut h = FakeHost::new();
    h.route("GET", "orchestration", "/stacks/s1", move |_| {
        FakeResponse::json(200, stack(status, "Resource CREATE failed: boom"))
    });
    h.route(
        "GET",
        "orchestration",
        &format!("/stacks/{ID}"),
        move |_| FakeResponse::json(200, stack(status, "Resource CREATE failed: boom")),
    );
    h.route(
        "GET",
        "orchestration",
        &format!("/stacks/s1/{ID}"),
        move |_| FakeResponse::json(200, stack(status, "Resource CREATE failed: boom")),
    );
    for path in [
        format!("/stacks/s1/{ID}/events"),
        "/stacks/s1/events".to_string(),
    ] {
        h.route("GET", "orchestration", &path, move |_| events(status));
    }
    h.route("POST", "orchestration", "/stacks", |_| {
        FakeResponse::json(201, json!({"stack": {"id": ID, "links": []}}))
    });
    h
}

#[test]
fn manifest_has_every_heatclient_command() {
    let m = check_manifest(&osc_plugin_manifest).unwrap();
    assert_eq!(m["commands"].as_array().unwrap().len(), 49);
    assert_eq!(m["services"], json!(["orchestration"]));
}

#[test]
fn create_sends_template_files_environments_and_parameters_then_waits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("top.yaml"),
        "heat_template_version: 2018-08-31\nparameters:\n  p: {type: string}\n  blob: {type: string}\nresources:\n  r:\n    type: My::Nested\n  c:\n    type: OS::Heat::TestResource\n    properties:\n      value: {get_file: files/data.txt}\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("files")).unwrap();
    std::fs::write(d.join("files/data.txt"), "data\n").unwrap();
    std::fs::write(d.join("blob.txt"), "from a file").unwrap();
    std::fs::write(
        d.join("nested.yaml"),
        "heat_template_version: 2018-08-31\nresources:\n  n: {type: OS::Heat::RandomString}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("env.yaml"),
        "resource_registry:\n  My::Nested: nested.yaml\nparameters:\n  p: from-env\n",
    )
    .unwrap();
    std::fs::write(d.join("env2.yaml"), "parameter_defaults:\n  q: 1\n").unwrap();
    let top = d.join("top.yaml");
    let env = d.join("env.yaml");
    let env2 = d.join("env2.yaml");
    let mut h = heat("CREATE_COMPLETE");
    let out = run(
        &mut h,
        &[
            "stack",
            "create",
            "-t",
            top.to_str().unwrap(),
            "-e",
            env.to_str().unwrap(),
            "-e",
            env2.to_str().unwrap(),
            "--parameter",
            "p=cli",
            "--parameter-file",
            "blob=blob.txt",
            "--tags",
            "a,b",
            "--timeout",
            "10",
            "--wait",
            "s1",
        ],
    )
    .unwrap();
    let base = url_of(d);
    let post = h.requests.iter().find(|r| r.method == "POST").unwrap();
    let body = post.json.as_ref().unwrap();
    assert_eq!(body["stack_name"], "s1");
    assert_eq!(body["disable_rollback"], true);
    assert_eq!(
        body["parameters"],
        json!({"p": "cli", "blob": "from a file"})
    );
    assert_eq!(body["tags"], "a,b");
    assert_eq!(body["timeout_mins"], 10);
    assert_eq!(
        body["template"]["resources"]["c"]["properties"]["value"]["get_file"],
        json!(format!("{base}/files/data.txt"))
    );
    let files = body["files"].as_object().unwrap();
    assert_eq!(files[&format!("{base}/files/data.txt")], "data\n");
    let nested: Value = serde_json_from(files[&format!("{base}/nested.yaml")].as_str().unwrap());
    assert_eq!(nested["resources"]["n"]["type"], "OS::Heat::RandomString");
    assert!(files.contains_key(&format!("{base}/env.yaml")));
    assert_eq!(
        body["environment"],
        json!({"resource_registry": {"My::Nested": format!("{base}/nested.yaml")},
               "parameters": {"p": "from-env"}, "parameter_defaults": {"q": 1}})
    );
    assert_eq!(
        body["environment_files"],
        json!([format!("{base}/env.yaml"), format!("{base}/env2.yaml")])
    );
    // The wait read the events, in order, once.
    let ev = h
        .requests
        .iter()
        .find(|r| r.path.ends_with("/events"))
        .unwrap();
    assert_eq!(ev.query("sort_dir"), Some("asc"));
    // The short record of the created stack, without resolving outputs.
    let f = fields(&out);
    let names: Vec<&str> = f.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "stack_name",
            "description",
            "creation_time",
            "updated_time",
            "stack_status",
            "stack_status_reason"
        ]
    );
    let last = h.requests.last().unwrap();
    assert_eq!(last.query("resolve_outputs"), Some("False"));
}

fn serde_json_from(s: &str) -> Value {
    osc_plugin_sdk::serde_json::from_str(s).unwrap()
}

fn url_of(d: &std::path::Path) -> String {
    let canon = std::fs::canonicalize(d).unwrap();
    format!("file://{}", canon.to_str().unwrap())
}

#[test]
fn a_failed_create_reports_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::write(&t, "heat_template_version: 2018-08-31\n").unwrap();
    let mut h = heat("CREATE_FAILED");
    let e = run(
        &mut h,
        &["stack", "create", "-t", t.to_str().unwrap(), "--wait", "s1"],
    )
    .unwrap_err();
    assert_eq!(e, "Stack s1 CREATE_FAILED: Resource CREATE failed: boom");
}

#[test]
fn bad_templates_fail_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("bad.yaml"),
        "heat_template_version: 2018-08-31\nresources:\n  r:\n    type: [OS::Heat::None\n",
    )
    .unwrap();
    std::fs::write(
        d.join("missing.yaml"),
        "heat_template_version: 2018-08-31\nresources:\n  r:\n    type: OS::Heat::TestResource\n    properties: {value: {get_file: nope.txt}}\n",
    )
    .unwrap();
    let mut h = heat("CREATE_COMPLETE");
    let bad = d.join("bad.yaml");
    let e = run(
        &mut h,
        &["stack", "create", "-t", bad.to_str().unwrap(), "s1"],
    )
    .unwrap_err();
    assert!(
        e.starts_with(&format!("Error parsing template {}/bad.yaml ", url_of(d))),
        "{e}"
    );
    assert!(e.contains("line 4 column"), "{e}");
    assert!(!e.contains('\n'));
    let missing = d.join("missing.yaml");
    let e = run(
        &mut h,
        &["stack", "create", "-t", missing.to_str().unwrap(), "s1"],
    )
    .unwrap_err();
    assert_eq!(
        e,
        format!("Could not fetch contents for {}/nope.txt", url_of(d))
    );
    let e = run(
        &mut h,
        &["stack", "create", "-t", "/nonexistent/t.yaml", "s1"],
    )
    .unwrap_err();
    assert!(
        e.starts_with("Could not fetch template from file:///nonexistent/t.yaml"),
        "{e}"
    );
    let e = run(
        &mut h,
        &[
            "stack",
            "create",
            "-t",
            missing.to_str().unwrap(),
            "--parameter",
            "x",
            "s1",
        ],
    )
    .unwrap_err();
    assert!(
        e.starts_with("Could not fetch contents") || e.starts_with("Malformed"),
        "{e}"
    );
    assert!(h.requests.is_empty(), "{:?}", h.requests.len());
}

#[test]
fn heat_errors_read_as_heatclient_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::write(&t, "heat_template_version: 2018-08-31\n").unwrap();
    let mut h = FakeHost::new();
    h.route("POST", "orchestration", "/stacks", |_| {
        FakeResponse::json(
            400,
            json!({"code": 400, "title": "Bad Request", "explanation": "x",
                   "error": {"message": "The Parameter (nope) was not defined in template.",
                             "type": "UnknownUserParameter", "traceback": null}}),
        )
    });
    let e = run(
        &mut h,
        &[
            "stack",
            "create",
            "-t",
            t.to_str().unwrap(),
            "--parameter",
            "nope=1",
            "s1",
        ],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "ERROR: The Parameter (nope) was not defined in template."
    );
}

#[test]
fn actions_and_deletes_go_to_the_resolved_stack() {
    let mut h = heat("DELETE_COMPLETE");
    h.route(
        "DELETE",
        "orchestration",
        &format!("/stacks/s1/{ID}"),
        |_| FakeResponse::bytes(204, ""),
    );
    run(&mut h, &["stack", "delete", "--yes", "s1"]).unwrap();
    assert!(h
        .requests
        .iter()
        .any(|r| r.method == "DELETE" && r.path == format!("/stacks/s1/{ID}")));

    let mut h = heat("CHECK_COMPLETE");
    h.route(
        "POST",
        "orchestration",
        &format!("/stacks/s1/{ID}/actions"),
        |_| FakeResponse::bytes(200, ""),
    );
    let out = run(&mut h, &["stack", "check", "s1"]).unwrap();
    let post = h.requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(post.json, Some(json!({"check": null})));
    assert_eq!(
        out["list"]["columns"],
        json!([
            "ID",
            "Stack Name",
            "Stack Status",
            "Creation Time",
            "Updated Time"
        ])
    );
    assert_eq!(out["list"]["rows"][0][1], "s1");

    let mut h = FakeHost::new();
    h.route("GET", "orchestration", "/stacks/gone", |_| {
        FakeResponse::json(
            404,
            json!({"error": {"message": "The Stack (gone) could not be found."}}),
        )
    });
    let e = run(&mut h, &["stack", "delete", "--yes", "gone"]).unwrap_err();
    assert_eq!(e, "Unable to delete 1 of the 1 stacks.");
    let e = run(&mut h, &["stack", "show", "gone"]).unwrap_err();
    assert_eq!(e, "Stack not found: gone");
}

#[test]
fn outputs_resources_and_events() {
    let mut h = heat("CREATE_COMPLETE");
    let out = run(&mut h, &["stack", "output", "show", "--all", "s1"]).unwrap();
    assert_eq!(fields(&out)[0].0, "o");
    assert_eq!(fields(&out)[0].1["output_value"], "v");
    let e = run(&mut h, &["stack", "output", "show", "s1"]).unwrap_err();
    assert_eq!(e, "Either <OUTPUT NAME> or --all must be specified.");

    h.route("GET", "orchestration", "/stacks/s1/resources", |r| {
        assert_eq!(r.query("nested_depth"), Some("2"));
        FakeResponse::json(
            200,
            json!({"resources": [{"resource_name": "r", "physical_resource_id": "p",
                "resource_type": "OS::Heat::None", "resource_status": "CREATE_COMPLETE",
                "updated_time": "t", "links": [{"rel": "stack",
                "href": format!("http://h/v1/p/stacks/s1-r-x/{ID}")}]}]}),
        )
    });
    let out = run(
        &mut h,
        &["stack", "resource", "list", "--nested-depth", "2", "s1"],
    )
    .unwrap();
    assert_eq!(
        out["list"]["columns"],
        json!([
            "resource_name",
            "physical_resource_id",
            "resource_type",
            "resource_status",
            "updated_time",
            "stack_name"
        ])
    );
    assert_eq!(out["list"]["rows"][0][5], "s1-r-x");

    // heatclient's default formatter for events is `log`: one line per event.
    let out = run(&mut h, &["stack", "event", "list", "s1"]).unwrap();
    let log = out["text"].as_str().unwrap();
    assert_eq!(log.lines().count(), 3, "{log}");
    assert!(log.starts_with("2026-12-02 10:00:00Z "), "{log}");
    let out = run(&mut h, &["stack", "event", "list", "-f", "table", "s1"]).unwrap();
    assert_eq!(
        out["list"]["columns"],
        json!([
            "resource_name",
            "id",
            "resource_status",
            "resource_status_reason",
            "event_time",
            "physical_resource_id",
            "logical_resource_id"
        ])
    );
    assert_eq!(out["list"]["rows"].as_array().unwrap().len(), 3);
}

#[test]
fn hooks_are_polled_from_events_and_cleared_by_signal() {
    let mut h = FakeHost::new();
    h.route("GET", "orchestration", "/stacks/s1", |_| {
        FakeResponse::json(200, stack("CREATE_IN_PROGRESS", ""))
    });
    h.route("GET", "orchestration", "/stacks/s1/events", |_| {
        let ev = |id: &str, res: &str, reason: &str| {
            json!({"id": id, "resource_name": res, "resource_status": "CREATE_IN_PROGRESS",
                   "resource_status_reason": reason, "event_time": "t",
                   "physical_resource_id": "",
                   "links": [{"rel": "stack", "href": format!("http://h/v1/p/stacks/s1/{ID}")}]})
        };
        FakeResponse::json(
            200,
            json!({"events": [
                ev("e1", "s1", "Stack CREATE started"),
                ev("e2", "a", "CREATE paused until Hook pre-create is cleared"),
                ev("e3", "b", "CREATE paused until Hook pre-create is cleared"),
                ev("e4", "a", "Hook pre-create is cleared"),
            ]}),
        )
    });
    let out = run(&mut h, &["stack", "hook", "poll", "s1"]).unwrap();
    assert_eq!(
        out["list"]["columns"],
        json!([
            "Resource Name",
            "ID",
            "Resource Status Reason",
            "Resource Status",
            "Event Time"
        ])
    );
    assert_eq!(out["list"]["rows"].as_array().unwrap().len(), 1);
    assert_eq!(out["list"]["rows"][0][0], "b");

    h.route("GET", "orchestration", "/stacks/s1/resources", |_| {
        FakeResponse::json(
            200,
            json!({"resources": [{"resource_name": "a1"}, {"resource_name": "b1"}]}),
        )
    });
    h.route(
        "POST",
        "orchestration",
        &format!("/stacks/s1/{ID}/resources/a1/signal"),
        |_| FakeResponse::bytes(200, ""),
    );
    run(&mut h, &["stack", "hook", "clear", "s1", "a*"]).unwrap();
    let signals: Vec<_> = h.requests.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(signals.len(), 1);
    assert_eq!(signals[0].json, Some(json!({"unset_hook": "pre-create"})));
}

#[test]
fn list_asks_heat_as_heatclient_does() {
    let mut h = FakeHost::new();
    h.route("GET", "orchestration", "/stacks", |_| {
        FakeResponse::json(
            200,
            json!({"stacks": [
                {"id": "2", "stack_name": "b", "stack_status": "CREATE_COMPLETE",
                 "creation_time": "t2", "updated_time": null, "project": "p"},
                {"id": "1", "stack_name": "a", "stack_status": "CREATE_FAILED",
                 "creation_time": "t1", "updated_time": null, "project": "p"}]}),
        )
    });
    let out = run(
        &mut h,
        &[
            "stack",
            "list",
            "--all-projects",
            "--tags",
            "x,y",
            "--tag-mode",
            "any",
            "--sort",
            "stack_name:asc",
            "--property",
            "status=COMPLETE",
        ],
    )
    .unwrap();
    let r = &h.requests[0];
    assert_eq!(r.query("global_tenant"), Some("True"));
    assert_eq!(r.query("tags_any"), Some("x,y"));
    assert_eq!(r.query("status"), Some("COMPLETE"));
    assert_eq!(
        out["list"]["columns"],
        json!([
            "ID",
            "Stack Name",
            "Project",
            "Stack Status",
            "Creation Time",
            "Updated Time"
        ])
    );
    assert_eq!(out["list"]["rows"][0][1], "a");
    let e = run(&mut h, &["stack", "list", "--sort", "stack_name:up"]).unwrap_err();
    assert!(e.contains("not a valid sort direction"), "{e}");
}

#[test]
fn update_waits_after_the_last_event_and_delete_wait_ends_when_gone() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.yaml");
    std::fs::write(&t, "heat_template_version: 2018-08-31\n").unwrap();
    let mut h = heat("UPDATE_COMPLETE");
    h.route("PUT", "orchestration", &format!("/stacks/s1/{ID}"), |_| {
        FakeResponse::bytes(202, "")
    });
    let out = run(
        &mut h,
        &[
            "stack",
            "update",
            "-t",
            t.to_str().unwrap(),
            "--parameter",
            "p=2",
            "--rollback",
            "disabled",
            "--wait",
            "s1",
        ],
    )
    .unwrap();
    assert_eq!(fields(&out)[5].1, "UPDATE_COMPLETE");
    let methods: Vec<(&str, Option<&str>)> = h
        .requests
        .iter()
        .map(|r| (r.method.as_str(), r.query("sort_dir")))
        .collect();
    let put = methods.iter().position(|m| m.0 == "PUT").unwrap();
    assert_eq!(methods[put - 1], ("GET", Some("desc")));
    assert_eq!(methods[put + 1], ("GET", Some("asc")));
    // The marker is the event seen before the update.
    assert_eq!(h.requests[put + 1].query("marker"), Some("e1"));
    let body = h.requests[put].json.as_ref().unwrap();
    assert_eq!(body["parameters"], json!({"p": "2"}));
    assert_eq!(body["disable_rollback"], true);

    // A deleted stack whose events are gone ends the wait.
    let mut h = FakeHost::new();
    h.route("GET", "orchestration", "/stacks/s1", |_| {
        FakeResponse::json(200, stack("CREATE_COMPLETE", ""))
    });
    h.route(
        "GET",
        "orchestration",
        &format!("/stacks/s1/{ID}/events"),
        |r| {
            if r.query("sort_dir") == Some("desc") {
                FakeResponse::json(200, json!({"events": []}))
            } else {
                FakeResponse::json(
                    404,
                    json!({"error": {"message": "The Stack (s1) could not be found."}}),
                )
            }
        },
    );
    h.route(
        "DELETE",
        "orchestration",
        &format!("/stacks/s1/{ID}"),
        |_| FakeResponse::bytes(204, ""),
    );
    run(&mut h, &["stack", "delete", "--yes", "--wait", "s1"]).unwrap();
}
