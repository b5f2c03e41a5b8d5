//! The telemetry plugin in-process against the SDK's fake host: the requests gnocchiclient and
//! aodhclient send, the records they show, and their words for bad input.
#![allow(clippy::unwrap_used)]

use osc_plugin_sdk::json;
use osc_plugin_sdk::testing::{check_manifest, FakeHost, FakeResponse};
use osc_plugin_telemetry::{osc_plugin_entry_v1 as entry, osc_plugin_manifest as manifest};

const METRIC: &str = "5b8d4d4a-59e1-4b6e-9c7e-7d5d3a1d6c11";
const ALARM: &str = "0c1d2e3f-4a5b-4c6d-8e7f-901234567890";

fn run(h: &mut FakeHost, argv: &[&str]) -> Result<osc_plugin_sdk::Value, String> {
    h.run(entry, &manifest, argv).map_err(|e| e.1)
}

#[test]
fn manifest_is_valid_layer_3() {
    let m = check_manifest(&manifest).unwrap();
    assert_eq!(m["services"], json!(["metric", "alarming"]));
    assert_eq!(m["commands"].as_array().unwrap().len(), 52);
}

#[test]
fn archive_policy_create_sends_definitions() {
    let mut h = FakeHost::new();
    h.route("POST", "metric", "/v1/archive_policy", |r| {
        FakeResponse::json(201, r.json.clone().unwrap())
    });
    let out = run(
        &mut h,
        &[
            "metric",
            "archive-policy",
            "create",
            "p1",
            "-d",
            "granularity:1s,points:60",
            "-b",
            "0",
            "-m",
            "mean",
        ],
    )
    .unwrap();
    assert_eq!(
        h.requests[0].json,
        Some(
            json!({"name": "p1", "back_window": 0, "aggregation_methods": ["mean"],
                    "definition": [{"granularity": "1s", "points": "60"}]})
        )
    );
    let fields = out["show"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f[0].as_str().unwrap()).collect();
    // cliff 4's dict2columns keeps the service's order.
    assert_eq!(
        names,
        ["name", "back_window", "aggregation_methods", "definition"]
    );
    let e = run(
        &mut h,
        &[
            "metric",
            "archive-policy",
            "create",
            "p2",
            "-d",
            "points:60",
        ],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "argument -d/--definition: invalid archive_policy_definition value: 'points:60'"
    );
    assert_eq!(h.requests.len(), 1);
}

#[test]
fn resource_search_posts_the_query_as_filter() {
    let mut h = FakeHost::new();
    h.route("POST", "metric", "/v1/search/resource/generic", |_| {
        FakeResponse::json(
            200,
            json!([{"id": "r1", "type": "generic", "project_id": null,
            "user_id": null, "original_resource_id": "r1", "started_at": "t0", "ended_at": null,
            "revision_start": "t0", "revision_end": null, "creator": "u:p",
            "created_by_user_id": "u", "created_by_project_id": "p", "metrics": {"cpu": "m"}}]),
        )
    });
    let out = run(
        &mut h,
        &[
            "metric",
            "resource",
            "search",
            "id=r1 and not ended_at!=null",
            "--limit",
            "5",
        ],
    )
    .unwrap();
    assert_eq!(
        h.requests[0].query("filter"),
        Some("id=r1 and not ended_at!=null")
    );
    assert_eq!(h.requests[0].query("limit"), Some("5"));
    let cols = &out["list"]["columns"];
    assert_eq!(cols.as_array().unwrap().len(), 10);
    assert_eq!(cols[9], "creator");
}

#[test]
fn resource_create_types_attributes_and_creates_metrics() {
    let mut h = FakeHost::new();
    h.route("GET", "metric", "/v1/resource_type/host", |_| {
        FakeResponse::json(
            200,
            json!({"name": "host", "attributes": {"cores": {"type": "number"}}}),
        )
    });
    h.route("POST", "metric", "/v1/resource/host", |r| {
        FakeResponse::json(201, r.json.clone().unwrap())
    });
    run(
        &mut h,
        &[
            "metric", "resource", "create", "-t", "host", "r1", "-a", "cores:4", "-a", "name:x",
            "-n", "cpu:low",
        ],
    )
    .unwrap();
    assert_eq!(
        h.requests[1].json,
        Some(
            json!({"id": "r1", "cores": 4.0, "name": "x", "metrics": {"cpu": {"archive_policy_name": "low"}}})
        )
    );
    let e = run(
        &mut h,
        &[
            "metric",
            "resource",
            "create",
            "-t",
            "host",
            "r2",
            "-a",
            "cores:many",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "could not convert string to float: 'many'");
}

#[test]
fn metrics_by_name_need_a_resource() {
    let mut h = FakeHost::new();
    let e = run(&mut h, &["metric", "show", "cpu"]).unwrap_err();
    assert_eq!(e, "resource_id is required to get a metric by name");
    assert!(h.requests.is_empty());
    h.route(
        "GET",
        "metric",
        "/v1/resource/generic/r1/metric/cpu",
        |_| {
            FakeResponse::json(
                200,
                json!({"id": METRIC, "name": "cpu", "archive_policy": {"name": "low"},
            "created_by_user_id": "u", "created_by_project_id": "p", "creator": "u:p",
            "resource": {"id": "r1", "type": "generic"}, "unit": null}),
            )
        },
    );
    let out = run(&mut h, &["metric", "show", "-r", "r1", "cpu"]).unwrap();
    let names: Vec<&str> = out["show"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        // gnocchiclient appends the fields it moves: archive_policy/name, then resource/….
        [
            "id",
            "name",
            "creator",
            "unit",
            "archive_policy/name",
            "resource/id",
            "resource/type"
        ]
    );
}

#[test]
fn measures_add_and_show_as_gnocchiclient() {
    let mut h = FakeHost::new();
    let path = format!("/v1/metric/{METRIC}/measures");
    h.route("POST", "metric", &path, |_| FakeResponse::bytes(202, ""));
    h.route("GET", "metric", &path, |_| {
        FakeResponse::json(200, json!([["2024-01-02T10:00:00+00:00", 60.0, 4.5]]))
    });
    run(
        &mut h,
        &[
            "metric",
            "measures",
            "add",
            METRIC,
            "-m",
            "2024-01-02T10:00@4.5",
            "-m",
            "now@1",
        ],
    )
    .unwrap();
    assert_eq!(
        h.requests[0].json,
        Some(
            json!([{"timestamp": "2024-01-02T10:00:00+00:00", "value": 4.5}, {"timestamp": "now", "value": 1.0}])
        )
    );
    let out = run(
        &mut h,
        &[
            "metric",
            "measures",
            "show",
            METRIC,
            "--start",
            "2024-01-02",
            "--granularity",
            "60",
            "--aggregation",
            "mean",
        ],
    )
    .unwrap();
    let q = &h.requests[1];
    assert_eq!(q.query("start"), Some("2024-01-02T00:00:00+00:00"));
    assert_eq!(q.query("granularity"), Some("60"));
    assert_eq!(q.query("aggregation"), Some("mean"));
    assert_eq!(q.query("refresh"), Some("False"));
    assert_eq!(
        out["list"]["rows"],
        json!([["2024-01-02T10:00:00+00:00", 60.0, 4.5]])
    );
    let e = run(
        &mut h,
        &["metric", "measures", "add", METRIC, "-m", "now@lots"],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "argument -m/--measure: invalid measure value: 'now@lots'"
    );
    let e = run(
        &mut h,
        &["metric", "measures", "show", METRIC, "--start", "yesterday"],
    )
    .unwrap_err();
    assert_eq!(e, "argument --start: invalid parse_date value: 'yesterday'");
    assert_eq!(h.requests.len(), 2);
}

#[test]
fn composite_alarm_is_created_and_shown_with_its_rule_as_json() {
    let mut h = FakeHost::new();
    h.route("POST", "alarming", "/v2/alarms", |r| {
        let mut a = r.json.clone().unwrap();
        a["alarm_id"] = json!(ALARM);
        a["time_constraints"] = json!([]);
        FakeResponse::json(201, a)
    });
    let rule = r#"{"or": [{"type": "gnocchi_resources_threshold", "threshold": 1}]}"#;
    let out = run(
        &mut h,
        &[
            "alarm",
            "create",
            "--name",
            "c1",
            "-t",
            "composite",
            "--composite-rule",
            rule,
        ],
    )
    .unwrap();
    let sent = h.requests[0].json.clone().unwrap();
    assert_eq!(sent["composite_rule"]["or"][0]["threshold"], 1);
    assert!(sent.get("gnocchi_resources_threshold_rule").is_none());
    let fields = out["show"]["fields"].as_array().unwrap();
    let rule_shown = fields.iter().find(|f| f[0] == "composite_rule").unwrap();
    assert!(rule_shown[1]
        .as_str()
        .unwrap()
        .starts_with("{\n  \"or\": [\n"));
    let e = run(
        &mut h,
        &["alarm", "create", "--name", "c2", "-t", "composite"],
    )
    .unwrap_err();
    assert_eq!(e, "Composite alarm requires --composite-rule parameter");
    let e = run(
        &mut h,
        &[
            "alarm",
            "create",
            "--name",
            "c2",
            "-t",
            "composite",
            "--composite-rule",
            "{no",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "argument --composite-rule: invalid loads value: '{no'");
    let e = run(
        &mut h,
        &[
            "alarm",
            "create",
            "--name",
            "g",
            "-t",
            "gnocchi_resources_threshold",
            "--metric",
            "cpu",
        ],
    )
    .unwrap_err();
    assert!(e.starts_with("gnocchi_resources_threshold requires --metric"));
    assert_eq!(h.requests.len(), 1);
}

#[test]
fn alarms_by_name_and_their_state() {
    let mut h = FakeHost::new();
    h.route("POST", "alarming", "/v2/query/alarms", |_| {
        FakeResponse::json(200, json!([{"alarm_id": ALARM, "name": "a1"}]))
    });
    h.route(
        "PUT",
        "alarming",
        &format!("/v2/alarms/{ALARM}/state"),
        |_| FakeResponse::json(200, json!("alarm")),
    );
    let out = run(
        &mut h,
        &["alarm", "state", "set", "--name", "a1", "--state", "alarm"],
    )
    .unwrap();
    assert_eq!(
        h.requests[0].json,
        Some(json!({"filter": "{\"=\":{\"name\":\"a1\"}}"}))
    );
    assert_eq!(h.requests[1].json, Some(json!("alarm")));
    assert_eq!(out["show"]["fields"], json!([["state", "alarm"]]));
    let e = run(&mut h, &["alarm", "state", "get"]).unwrap_err();
    assert_eq!(
        e,
        "You need to specify one of alarm ID and alarm name(--name) to get state of an alarm."
    );
    let e = run(&mut h, &["alarm", "show", ALARM, "--name", "a1"]).unwrap_err();
    assert_eq!(
        e,
        "You should provide only one of alarm ID and alarm name(--name) to query an alarm."
    );
    let e = run(
        &mut h,
        &["alarm", "state", "set", "--name", "a1", "--state", "bad"],
    );
    assert!(e.is_err());
    let mut h = FakeHost::new();
    h.route("POST", "alarming", "/v2/query/alarms", |_| {
        FakeResponse::json(200, json!([]))
    });
    let e = run(&mut h, &["alarm", "delete", "nope"]).unwrap_err();
    // aodhclient raises its NotFound, whose text ends in "(HTTP 404)".
    assert_eq!(e, "Alarm nope not found (HTTP 404)");
}

#[test]
fn alarm_list_query_and_history_search() {
    let mut h = FakeHost::new();
    h.route("POST", "alarming", "/v2/query/alarms", |_| {
        FakeResponse::json(200, json!([]))
    });
    h.route("POST", "alarming", "/v2/query/alarms/history", |_| {
        FakeResponse::json(200, json!([]))
    });
    h.route("GET", "alarming", "/v2/alarms", |_| {
        FakeResponse::json(200, json!([]))
    });
    run(
        &mut h,
        &["alarm", "list", "--query", "state=alarm and severity=low"],
    )
    .unwrap();
    let f: osc_plugin_sdk::Value = osc_plugin_sdk::serde_json::from_str(
        h.requests[0].json.as_ref().unwrap()["filter"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        f,
        // aodhclient lists the operands of `and` last first.
        json!({"and": [{"=": {"severity": "low"}}, {"=": {"state": "alarm"}}]})
    );
    let e = run(
        &mut h,
        &["alarm", "list", "--query", "state=alarm", "--limit", "1"],
    )
    .unwrap_err();
    assert_eq!(e, "Query and pagination options are mutually exclusive.");
    run(&mut h, &["alarm", "list", "--filter", "type=composite"]).unwrap();
    assert_eq!(h.requests[1].query("q.field"), Some("type"));
    let e = run(&mut h, &["alarm", "list", "--filter", "typecomposite"]).unwrap_err();
    assert!(e.contains("Malformed parameter(typecomposite)"));
    run(
        &mut h,
        &["alarm-history", "search", "--query", "alarm_id=x"],
    )
    .unwrap();
    assert_eq!(
        h.requests[2].json,
        Some(json!({"filter": "{\"=\":{\"alarm_id\":\"x\"}}"}))
    );
    let e = run(&mut h, &["alarm-history", "search", "--query", "alarm_id="]).unwrap_err();
    // pyparsing's ParseException, as aodhclient lets it through.
    assert!(e.starts_with("Expected Group:("), "{e}");
    assert!(
        e.ends_with("found 'alarm'  (at char 0), (line:1, col:1)"),
        "{e}"
    );
    assert_eq!(h.requests.len(), 3);
}

#[test]
fn aggregates_flatten_the_series() {
    let mut h = FakeHost::new();
    h.route("POST", "metric", "/v1/aggregates", |_| {
        FakeResponse::json(
            200,
            json!({"measures": {"m1": {"mean": [["2024-01-02T10:00:00+00:00", 1.0, 2.0]]}}}),
        )
    });
    let out = run(
        &mut h,
        &[
            "metric",
            "aggregates",
            "(metric m1 mean)",
            "--granularity",
            "1",
            "--needed-overlap",
            "50",
        ],
    )
    .unwrap();
    let r = &h.requests[0];
    assert_eq!(r.json, Some(json!({"operations": "(metric m1 mean)"})));
    let q: Vec<(&str, &str)> = r
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        q,
        [
            ("details", "False"),
            ("granularity", "1"),
            ("needed_overlap", "50.0"),
            ("use_history", "False")
        ]
    );
    assert_eq!(
        out["list"]["rows"],
        json!([["m1/mean", "2024-01-02T10:00:00+00:00", 1.0, 2.0]])
    );
    let e = run(
        &mut h,
        &["metric", "aggregates", "x", "--needed-overlap", "lots"],
    )
    .unwrap_err();
    assert_eq!(e, "argument --needed-overlap: invalid float value: 'lots'");
}

#[test]
fn measures_aggregation_by_ids_or_by_query() {
    let mut h = FakeHost::new();
    h.route("GET", "metric", "/v1/aggregation/metric", |_| {
        FakeResponse::json(200, json!([["2024-01-02T10:00:00+00:00", 1.0, 2.0]]))
    });
    h.route(
        "POST",
        "metric",
        "/v1/aggregation/resource/generic/metric/cpu",
        |_| FakeResponse::json(200, json!([])),
    );
    let out = run(
        &mut h,
        &[
            "metric",
            "measures",
            "aggregation",
            "-m",
            METRIC,
            "--aggregation",
            "mean",
        ],
    )
    .unwrap();
    assert_eq!(h.requests[0].query("metric"), Some(METRIC));
    assert_eq!(
        out["list"]["rows"],
        json!([["2024-01-02T10:00:00+00:00", 1.0, 2.0]])
    );
    run(
        &mut h,
        &[
            "metric",
            "measures",
            "aggregation",
            "-m",
            "cpu",
            "--query",
            "id=r1",
        ],
    )
    .unwrap();
    assert_eq!(h.requests[1].query("filter"), Some("id=r1"));
    let e = run(
        &mut h,
        &[
            "metric",
            "measures",
            "aggregation",
            "-m",
            "cpu",
            "mem",
            "--query",
            "id=r1",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "One metric is required if query is provided");
    let e = run(&mut h, &["metric", "measures", "aggregation", "-m", "cpu"]).unwrap_err();
    assert_eq!(e, "resource_id is required to get a metric by name");
}

#[test]
fn resource_types_show_attributes_as_gnocchiclient_formats_them() {
    let mut h = FakeHost::new();
    h.route("GET", "metric", "/v1/resource_type", |_| {
        FakeResponse::json(200, json!([{"name": "t", "attributes": {"host": {"type": "string", "required": false, "max_length": 64}}}]))
    });
    h.route("GET", "metric", "/v1/resource_type/t", |_| {
        FakeResponse::json(200, json!({"name": "t", "state": "active", "attributes": {"host": {"type": "string", "required": false}}}))
    });
    let out = run(&mut h, &["metric", "resource-type", "list"]).unwrap();
    assert_eq!(
        out["list"]["rows"],
        json!([[
            "t",
            "- host: type: string , required: False , max_length: 64"
        ]])
    );
    let out = run(&mut h, &["metric", "resource-type", "show", "t"]).unwrap();
    assert_eq!(
        out["show"]["fields"],
        json!([
            ["name", "t"],
            ["state", "active"],
            ["attributes/host", "required=False, type=string"]
        ])
    );
}

#[test]
fn metric_and_metrics_feed_one_list() {
    let mut h = FakeHost::new();
    h.route("POST", "alarming", "/v2/alarms", |r| {
        FakeResponse::json(201, r.json.clone().unwrap())
    });
    run(
        &mut h,
        &[
            "alarm",
            "create",
            "--name",
            "m",
            "-t",
            "gnocchi_aggregation_by_metrics_threshold",
            "--metric",
            METRIC,
            "--metrics",
            ALARM,
            "--threshold",
            "2",
            "--aggregation-method",
            "mean",
        ],
    )
    .unwrap();
    let rule =
        &h.requests[0].json.as_ref().unwrap()["gnocchi_aggregation_by_metrics_threshold_rule"];
    assert_eq!(rule["metrics"], json!([METRIC, ALARM]));
    assert_eq!(rule["threshold"], 2.0);
}

#[test]
fn alarm_update_merges_into_the_current_rule() {
    let mut h = FakeHost::new();
    let path = format!("/v2/alarms/{ALARM}");
    h.route("GET", "alarming", &path, |_| {
        FakeResponse::json(200, json!({"alarm_id": ALARM, "name": "a", "type": "gnocchi_resources_threshold",
            "time_constraints": [], "gnocchi_resources_threshold_rule": {"metric": "cpu", "threshold": 1.0,
            "resource_id": "r", "resource_type": "generic", "aggregation_method": "mean"}}))
    });
    h.route("PUT", "alarming", &path, |r| {
        FakeResponse::json(200, r.json.clone().unwrap())
    });
    let out = run(
        &mut h,
        &[
            "alarm",
            "update",
            ALARM,
            "--threshold",
            "7",
            "--description",
            "d",
        ],
    )
    .unwrap();
    let sent = h.requests.last().unwrap().json.clone().unwrap();
    assert_eq!(sent["gnocchi_resources_threshold_rule"]["threshold"], 7.0);
    assert_eq!(sent["gnocchi_resources_threshold_rule"]["metric"], "cpu");
    assert_eq!(sent["description"], "d");
    assert!(sent.get("composite_rule").is_none() && sent.get("event_rule").is_none());
    let fields = out["show"]["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f[0] == "threshold" && f[1] == 7.0));
    let e = run(&mut h, &["alarm", "update", "--threshold", "7"]).unwrap_err();
    assert_eq!(
        e,
        "You need to specify one of alarm ID and alarm name(--name) to update an alarm."
    );
}

#[test]
fn benchmarks_time_real_requests_with_one_worker() {
    let mut h = FakeHost::new();
    h.route("POST", "metric", "/v1/metric", |_| {
        FakeResponse::json(201, json!({"id": METRIC}))
    });
    h.route("DELETE", "metric", &format!("/v1/metric/{METRIC}"), |_| {
        FakeResponse::json(204, json!(null))
    });
    let out = run(
        &mut h,
        &[
            "metric",
            "benchmark",
            "metric",
            "create",
            "-n",
            "3",
            "-a",
            "low",
        ],
    )
    .unwrap();
    // Three creations, then three deletions (no --keep), each a request of its own.
    assert_eq!(h.requests.len(), 6);
    assert_eq!(
        h.requests[0].json,
        Some(json!({"archive_policy_name": "low"}))
    );
    let fields = out["show"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f[0].as_str().unwrap()).collect();
    assert_eq!(
        names[..3],
        [
            "client workers",
            "create runtime",
            "create runtime (cumulated)"
        ]
    );
    assert_eq!(names.len(), 27, "{names:?}");
    assert_eq!(names[14], "delete runtime");
    assert_eq!(fields[0][1], 1);
    assert_eq!(fields[3][1], 3);
    assert!(fields[8][1].as_f64().is_some_and(|l| l >= 0.0));

    // More workers than osc can run are refused, before any request.
    let mut h = FakeHost::new();
    let e = run(
        &mut h,
        &[
            "metric",
            "benchmark",
            "metric",
            "show",
            METRIC,
            "-n",
            "2",
            "-w",
            "4",
        ],
    )
    .unwrap_err();
    assert!(
        e.starts_with("--workers 4: osc sends a plugin's requests one at a time"),
        "{e}"
    );
    let e = run(
        &mut h,
        &["metric", "benchmark", "metric", "show", METRIC, "-n", "0"],
    )
    .unwrap_err();
    assert_eq!(e, "argument --count/-n: 0 must be greater than 0");
    let e = run(
        &mut h,
        &[
            "metric",
            "benchmark",
            "measures",
            "add",
            METRIC,
            "-n",
            "5",
            "-s",
            "2024-01-02",
            "-e",
            "2024-01-01",
        ],
    )
    .unwrap_err();
    assert_eq!(e, "End timestamp must be after start timestamp");
    let e = run(
        &mut h,
        &[
            "metric",
            "benchmark",
            "measures",
            "add",
            METRIC,
            "-n",
            "5",
            "-b",
            "5",
            "-s",
            "2024-01-02T00:00:00",
            "-e",
            "2024-01-02T00:00:03",
        ],
    )
    .unwrap_err();
    assert_eq!(
        e,
        "The specified time range is not large enough for the number of points"
    );
    assert!(h.requests.is_empty());
}

#[test]
fn benchmark_measures_add_pushes_batches_over_the_range() {
    let mut h = FakeHost::new();
    h.route(
        "POST",
        "metric",
        &format!("/v1/metric/{METRIC}/measures"),
        |_| FakeResponse::json(202, json!(null)),
    );
    let out = run(
        &mut h,
        &[
            "metric",
            "benchmark",
            "measures",
            "add",
            METRIC,
            "-n",
            "10",
            "-b",
            "4",
            "-s",
            "1970-01-01T00:00:00",
            "-e",
            "1970-01-01T00:01:00",
        ],
    )
    .unwrap();
    // count // batch pushes of the same batch, spread over the range at (end-start)//batch.
    assert_eq!(h.requests.len(), 2);
    let batch = h.requests[0].json.clone().unwrap();
    let ts: Vec<i64> = batch
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["timestamp"].as_i64().unwrap())
        .collect();
    assert_eq!(ts, [0, 15, 30, 45]);
    let fields = out["show"]["fields"].as_array().unwrap();
    let get = |k: &str| fields.iter().find(|f| f[0] == k).map(|f| f[1].clone());
    assert_eq!(get("measures per request"), Some(json!(4)));
    assert_eq!(get("push executed"), Some(json!(2)));
    assert!(get("measures push speed").is_some_and(|s| s.as_str().unwrap().ends_with(" push/s")));
}
