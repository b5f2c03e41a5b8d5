//! `metric …`: gnocchiclient 7.2's `v1/*_cli.py` on Gnocchi's REST API (service type
//! `metric`). Objects are shown as cliff's `dict2columns` does (every field, in order), after
//! the client's own reshaping (`archive_policy/name`, `resource/…`, `attributes/…`); the
//! table-only text formatting (`- name: …` lines) is left to osc's column styles.

use crate::util::{self, array, invalid, is_uuid, parse_date, py};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};

const SERVICE: &str = "metric";

pub(crate) fn call(
    host: &Host,
    method: &str,
    path: impl Into<String>,
    body: Option<Value>,
) -> Result<Value> {
    let mut req = Request::new(method, SERVICE, path);
    if let Some(b) = body {
        req = req.json(b);
    }
    call_req(host, req)
}

/// The answer, or gnocchiclient's `from_response` error: Gnocchi's `description`, which for a
/// validation failure is an object shown as Python's `str()` of it.
fn send<'h>(host: &'h Host, req: Request<'_>) -> Result<osc_plugin_sdk::Response<'h>> {
    let mut resp = host.request(req)?;
    if resp.is_success() {
        return Ok(resp);
    }
    let text = resp.text()?;
    let desc = osc_plugin_sdk::serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("description").filter(|d| d.is_object()).cloned());
    let rid = resp.header("x-openstack-request-id").map(String::from);
    let mut err =
        osc_plugin_sdk::osc_api::error_body::http_error(resp.status, &text, rid.as_deref());
    if let (Some(d), Error::Http { message, .. }) = (desc, &mut err) {
        *message = py(&d);
    }
    Err(err)
}

pub(crate) fn call_req(host: &Host, req: Request<'_>) -> Result<Value> {
    let mut resp = send(host, req)?;
    let text = resp.text()?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    osc_plugin_sdk::serde_json::from_str(&text)
        .map_err(|e| Error::BadReply(format!("Gnocchi answered with invalid JSON: {e}")))
}

pub(crate) fn get(host: &Host, path: impl Into<String>) -> Result<Value> {
    call(host, "GET", path, None)
}

fn seg(s: &str) -> String {
    encode_segment(s)
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let rest = command.strip_prefix("metric ")?;
    Some(match rest {
        "archive-policy list" => archive_policy_list(host),
        "archive-policy show" => args
            .req("name")
            .and_then(|n| get(host, format!("/v1/archive_policy/{}", seg(n))))
            .map(|ap| util::show(&ap)),
        "archive-policy create" => archive_policy_create(host, args),
        "archive-policy update" => archive_policy_update(host, args),
        "archive-policy delete" => delete(host, "/v1/archive_policy", args.req("name")),
        "archive-policy-rule list" => get(host, "/v1/archive_policy_rule").map(|v| {
            util::list(
                &["name", "archive_policy_name", "metric_pattern"],
                &array(v),
            )
        }),
        "archive-policy-rule show" => args
            .req("name")
            .and_then(|n| get(host, format!("/v1/archive_policy_rule/{}", seg(n))))
            .map(|r| util::show(&r)),
        "archive-policy-rule create" => archive_policy_rule_create(host, args),
        "archive-policy-rule delete" => delete(host, "/v1/archive_policy_rule", args.req("name")),
        "resource-type list" => get(host, "/v1/resource_type").map(|v| {
            let types: Vec<Value> = array(v).into_iter().map(format_dict_dict).collect();
            util::list(&["name", "attributes"], &types)
        }),
        "resource-type show" => args
            .req("name")
            .and_then(|n| get(host, format!("/v1/resource_type/{}", seg(n))))
            .map(|rt| util::show(&format_resource_type(rt))),
        "resource-type create" => resource_type_create(host, args),
        "resource-type update" => resource_type_update(host, args),
        "resource-type delete" => delete(host, "/v1/resource_type", args.req("name")),
        "resource list" => resource_list(host, args, None),
        "resource search" => args
            .req("query")
            .and_then(|q| resource_list(host, args, Some(q))),
        "resource history" => resource_history(host, args),
        "resource show" => resource_show(host, args),
        "resource create" => resource_write(host, args, false),
        "resource update" => resource_write(host, args, true),
        "resource delete" => delete(host, "/v1/resource/generic", args.req("resource_id")),
        "list" => metric_list(host, args),
        "show" => metric_show(host, args),
        "create" => metric_create(host, args),
        "delete" => metric_delete(host, args),
        "measures add" => measures_add(host, args),
        "measures show" => measures_show(host, args),
        "measures batch-metrics" => batch(host, args, "/v1/batch/metrics/measures", None),
        "measures batch-resources-metrics" => batch(
            host,
            args,
            "/v1/batch/resources/metrics/measures",
            Some(if args.flag("create_metrics") {
                "True"
            } else {
                "False"
            }),
        ),
        "aggregates" => aggregates(host, args),
        "measures aggregation" => measures_aggregation(host, args),
        "resource batch delete" => resource_batch_delete(host, args),
        "status" => status(host),
        "capabilities list" => get(host, "/v1/capabilities/").map(|c| util::show(&c)),
        "server version" => get(host, "/").map(|v| {
            let build = v.get("build").cloned().unwrap_or(json!("unknown"));
            Reply::show().field("version", build)
        }),
        _ => return None,
    })
}

fn delete(host: &Host, base: &str, name: Result<&str>) -> Result<Reply> {
    call(host, "DELETE", format!("{base}/{}", seg(name?)), None).map(|_| Reply::None)
}

// --- archive policies ---------------------------------------------------------------------

fn archive_policy_list(host: &Host) -> Result<Reply> {
    let cols = ["name", "back_window", "definition", "aggregation_methods"];
    Ok(util::list(&cols, &array(get(host, "/v1/archive_policy")?))
        .style("definition", "list_dict")
        .style("aggregation_methods", "list"))
}

/// gnocchiclient's `archive_policy_definition`: two or three of `granularity:`, `points:`,
/// `timespan:`, separated by commas.
fn definition(s: &str) -> Result<Value> {
    let mut defs = Map::new();
    for part in s.split(',') {
        let (attr, value) = part.split_once(':').unwrap_or((part, ""));
        if !matches!(attr, "granularity" | "points" | "timespan") {
            return Err(invalid("-d/--definition", "archive_policy_definition", s));
        }
        defs.insert(attr.into(), json!(value));
    }
    if defs.len() < 2 {
        return Err(invalid("-d/--definition", "archive_policy_definition", s));
    }
    Ok(Value::Object(defs))
}

fn definitions(args: &Args) -> Result<Value> {
    args.list("definition")
        .iter()
        .map(|d| definition(d))
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

fn archive_policy_create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    body.insert("name".into(), json!(args.req("name")?));
    if let Some(b) = args.int("back_window")? {
        body.insert("back_window".into(), json!(b));
    }
    let methods = args.list("aggregation_method");
    if !methods.is_empty() {
        body.insert("aggregation_methods".into(), json!(methods));
    }
    body.insert("definition".into(), definitions(args)?);
    let ap = call(
        host,
        "POST",
        "/v1/archive_policy",
        Some(Value::Object(body)),
    )?;
    Ok(util::show(&ap))
}

fn archive_policy_update(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let body = json!({"definition": definitions(args)?});
    // gnocchiclient patches `v1/archive_policy//<name>`; Gnocchi routes both the same.
    let ap = call(
        host,
        "PATCH",
        format!("/v1/archive_policy/{}", seg(name)),
        Some(body),
    )?;
    Ok(util::show(&ap))
}

fn archive_policy_rule_create(host: &Host, args: &Args) -> Result<Reply> {
    let body = json!({
        "name": args.req("name")?,
        "metric_pattern": args.req("metric_pattern")?,
        "archive_policy_name": args.req("archive_policy_name")?,
    });
    Ok(util::show(&call(
        host,
        "POST",
        "/v1/archive_policy_rule",
        Some(body),
    )?))
}

// --- resource types -----------------------------------------------------------------------

/// `format_resource_type`: each attribute moved to `attributes/<name>`, its options as
/// `k=v, …` sorted.
fn format_resource_type(mut rt: Value) -> Value {
    if let Some(m) = rt.as_object_mut() {
        if let Some(Value::Object(attrs)) = m.shift_remove("attributes") {
            for (name, a) in attrs {
                let text = match a {
                    Value::Object(o) => {
                        let mut kv: Vec<(String, Value)> = o.into_iter().collect();
                        kv.sort_by(|x, y| x.0.cmp(&y.0));
                        kv.iter()
                            .map(|(k, v)| format!("{k}={}", py(v)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                    other => py(&other),
                };
                m.insert(format!("attributes/{name}"), json!(text));
            }
        }
    }
    rt
}

/// `CliResourceTypeList`: `attributes` as `format_dict_dict` text (`- name: type: string ,
/// required: False`), in every format.
fn format_dict_dict(mut rt: Value) -> Value {
    if let Some(Value::Object(attrs)) = rt.get("attributes").cloned() {
        let lines: Vec<String> = attrs
            .iter()
            .map(|(name, elem)| {
                let kv = elem
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .map(|(k, v)| format!("{k}: {}", py(v)))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                format!("- {name}: {}", kv.join(" , "))
            })
            .collect();
        rt["attributes"] = json!(lines.join("\n"));
    }
    rt
}

/// `_resource_attribute`: `name:type:required:option=value:…` (`fill` goes into `options`;
/// values become numbers when they parse).
fn attribute(s: &str) -> Result<(String, Value)> {
    let mut parts = s.split(':');
    let name = parts.next().unwrap_or_default().to_string();
    let mut attrs = Map::new();
    if let Some(t) = parts.next() {
        attrs.insert("type".into(), json!(t));
    }
    if let Some(r) = parts.next() {
        let b =
            str_to_bool(r).ok_or_else(|| invalid("-a/--attribute", "_resource_attribute", s))?;
        attrs.insert("required".into(), json!(b));
    }
    for p in parts {
        let (param, value) = p.split_once('=').unwrap_or((p, ""));
        let v = if let Ok(i) = value.parse::<i64>() {
            json!(i)
        } else if let Ok(f) = value.parse::<f64>() {
            json!(f)
        } else {
            json!(value)
        };
        if param == "fill" {
            let opts = attrs.entry("options").or_insert_with(|| json!({}));
            if let Some(o) = opts.as_object_mut() {
                o.insert(param.into(), v);
            }
        } else {
            attrs.insert(param.into(), v);
        }
    }
    Ok((name, Value::Object(attrs)))
}

/// gnocchiclient's `str_to_bool`.
fn str_to_bool(v: &str) -> Option<bool> {
    match v.to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

fn resource_type_create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    body.insert("name".into(), json!(args.req("name")?));
    let attrs = args.list("attribute");
    if !attrs.is_empty() {
        let mut m = Map::new();
        for a in attrs {
            let (k, v) = attribute(&a)?;
            m.insert(k, v);
        }
        body.insert("attributes".into(), Value::Object(m));
    }
    let rt = call(host, "POST", "/v1/resource_type", Some(Value::Object(body)))?;
    Ok(util::show(&format_resource_type(rt)))
}

fn resource_type_update(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let mut ops = Vec::new();
    for a in args.list("attribute") {
        let (k, v) = attribute(&a)?;
        ops.push(json!({"op": "add", "path": format!("/attributes/{k}"), "value": v}));
    }
    for k in args.list("remove_attribute") {
        ops.push(json!({"op": "remove", "path": format!("/attributes/{k}")}));
    }
    let req = Request::patch(SERVICE, format!("/v1/resource_type/{}", seg(name)))
        .json(Value::Array(ops))
        .content_type("application/json-patch+json");
    let rt = send(host, req)?.json()?;
    Ok(util::show(&format_resource_type(rt)))
}

// --- resources ----------------------------------------------------------------------------

const RESOURCE_COLS: &[&str] = &[
    "id",
    "type",
    "project_id",
    "user_id",
    "original_resource_id",
    "started_at",
    "ended_at",
    "revision_start",
    "revision_end",
];

/// `build_pagination_options`, in gnocchiclient's order.
fn pagination(args: &Args, history: bool) -> Result<Vec<(String, String)>> {
    let mut q = Vec::new();
    if args.flag("details") {
        q.push(("details".into(), "true".into()));
    }
    if history && args.flag("history") {
        q.push(("history".into(), "true".into()));
    }
    if let Some(l) = args.int("limit")?.filter(|l| *l != 0) {
        q.push(("limit".into(), l.to_string()));
    }
    if let Some(m) = args.str("marker").filter(|m| !m.is_empty()) {
        q.push(("marker".into(), m.into()));
    }
    for s in args.list("sort") {
        q.push(("sort".into(), s));
    }
    Ok(q)
}

/// Every page (Gnocchi's `Link: <…>; rel="next"`) until `--limit` is reached.
fn pages(
    host: &Host,
    method: &str,
    path: String,
    query: Vec<(String, String)>,
    limit: Option<i64>,
) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut req = Request::new(method, SERVICE, path);
    for (k, v) in &query {
        req = req.query(k, v);
    }
    if method == "POST" {
        req = req.header("Content-Type", "application/json");
    }
    let mut next = Some(req);
    while let Some(r) = next.take() {
        let resp = send(host, r)?;
        let link = resp.header("link").and_then(next_link);
        out.extend(array(resp.json()?));
        if limit.is_some_and(|l| l != 0 && out.len() as i64 >= l) {
            break;
        }
        if let Some(url) = link {
            let mut r = Request::new(method, SERVICE, url);
            if method == "POST" {
                r = r.header("Content-Type", "application/json");
            }
            next = Some(r);
        }
    }
    Ok(out)
}

fn next_link(h: &str) -> Option<String> {
    h.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

/// `_list2cols`: the standard columns, then every other key of the first resource
/// (`created_by_*` left out when `creator` is there).
fn resource_table(mut resources: Vec<Value>, drop_metrics: bool) -> Reply {
    if drop_metrics {
        for r in &mut resources {
            if let Some(m) = r.as_object_mut() {
                m.shift_remove("metrics");
            }
        }
    }
    let mut cols: Vec<String> = RESOURCE_COLS.iter().map(|s| s.to_string()).collect();
    if let Some(first) = resources.first().and_then(Value::as_object) {
        for k in first.keys() {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    if cols.iter().any(|c| c == "creator") {
        cols.retain(|c| c != "created_by_user_id" && c != "created_by_project_id");
    }
    let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    util::list(&refs, &resources)
}

fn resource_list(host: &Host, args: &Args, query: Option<&str>) -> Result<Reply> {
    let rtype = seg(args.str("type").unwrap_or("generic"));
    let mut q = pagination(args, true)?;
    let (method, path) = match query {
        Some(f) => {
            q.push(("filter".into(), f.into()));
            ("POST", format!("/v1/search/resource/{rtype}"))
        }
        None => ("GET", format!("/v1/resource/{rtype}")),
    };
    let items = pages(host, method, path, q, args.int("limit")?)?;
    Ok(resource_table(items, true))
}

fn resource_history(host: &Host, args: &Args) -> Result<Reply> {
    let rtype = seg(args.str("type").unwrap_or("generic"));
    let id = seg(args.req("resource_id")?);
    let q = pagination(args, false)?;
    let mut req = Request::get(SERVICE, format!("/v1/resource/{rtype}/{id}/history"));
    for (k, v) in &q {
        req = req.query(k, v);
    }
    let items = array(send(host, req)?.json()?);
    Ok(resource_table(items, false))
}

fn resource_show(host: &Host, args: &Args) -> Result<Reply> {
    let rtype = seg(args.str("type").unwrap_or("generic"));
    let id = seg(args.req("resource_id")?);
    Ok(util::show(&get(
        host,
        format!("/v1/resource/{rtype}/{id}"),
    )?))
}

/// `_resource_from_args`: attributes typed by the resource type (`number`, `bool`), metrics
/// added (`name:id`), created (`name:archive_policy`) or, on update, deleted.
fn resource_write(host: &Host, args: &Args, update: bool) -> Result<Reply> {
    let rtype_name = args.str("type").unwrap_or("generic");
    let rtype = seg(rtype_name);
    let id = args.req("resource_id")?;
    let rt = get(host, format!("/v1/resource_type/{rtype}"))?;
    let mut body = Map::new();
    if !update {
        body.insert("id".into(), json!(id));
    }
    for a in args.list("attribute") {
        let (name, value) = a.split_once(':').unwrap_or((a.as_str(), ""));
        let kind = rt["attributes"][name]["type"].as_str().unwrap_or("");
        let v = match kind {
            "number" => json!(value
                .trim()
                .parse::<f64>()
                .map_err(|_| Error::other(format!(
                    "could not convert string to float: '{value}'"
                )))?),
            "bool" => json!(str_to_bool(value).ok_or_else(|| Error::other(format!(
                "Invalid truth value '{}'",
                value.to_lowercase()
            )))?),
            _ => json!(value),
        };
        body.insert(name.into(), v);
    }
    let add = args.list("add_metric");
    let create = args.list("create_metric");
    let del = if update {
        args.list("delete_metric")
    } else {
        Vec::new()
    };
    if !add.is_empty() || !create.is_empty() || !del.is_empty() {
        let mut metrics = if update {
            let r = get(host, format!("/v1/resource/{rtype}/{}", seg(id)))?;
            let mut m = r["metrics"].as_object().cloned().unwrap_or_default();
            for name in &del {
                if m.shift_remove(name).is_none() {
                    return Err(Error::NotFound(format!("Metric name {name} not found")));
                }
            }
            m
        } else {
            Map::new()
        };
        for m in add {
            let (name, v) = m.split_once(':').unwrap_or((m.as_str(), ""));
            metrics.insert(name.into(), json!(v));
        }
        for m in create {
            let (name, v) = m.split_once(':').unwrap_or((m.as_str(), ""));
            let spec = if v.is_empty() {
                json!({})
            } else {
                json!({"archive_policy_name": v})
            };
            metrics.insert(name.into(), spec);
        }
        body.insert("metrics".into(), Value::Object(metrics));
    }
    let res = if update {
        call(
            host,
            "PATCH",
            format!("/v1/resource/{rtype}/{}", seg(id)),
            Some(Value::Object(body)),
        )?
    } else {
        call(
            host,
            "POST",
            format!("/v1/resource/{rtype}"),
            Some(Value::Object(body)),
        )?
    };
    Ok(util::show(&res))
}

// --- metrics and measures -----------------------------------------------------------------

/// The metric's URL: by ID, or by name under `--resource-id`.
pub(crate) fn metric_path(args: &Args, metric: &str) -> Result<String> {
    match args.str("resource_id") {
        Some(r) => Ok(format!(
            "/v1/resource/generic/{}/metric/{}",
            seg(r),
            seg(metric)
        )),
        None if is_uuid(metric) => Ok(format!("/v1/metric/{}", seg(metric))),
        None => Err(Error::other(
            "resource_id is required to get a metric by name",
        )),
    }
}

/// `archive_policy` replaced by `archive_policy/name`, the creator IDs dropped, `resource`
/// moved to `resource/…` (`resource/id` null when there is none).
fn format_metric(mut m: Value) -> Value {
    if let Some(o) = m.as_object_mut() {
        if let Some(ap) = o.shift_remove("archive_policy") {
            o.insert("archive_policy/name".into(), ap["name"].clone());
        }
        o.shift_remove("created_by_user_id");
        o.shift_remove("created_by_project_id");
        match o.shift_remove("resource") {
            Some(Value::Object(r)) => {
                for (k, v) in r {
                    o.insert(format!("resource/{k}"), v);
                }
            }
            Some(_) => {
                o.insert("resource/id".into(), Value::Null);
            }
            None => {}
        }
    }
    m
}

fn metric_list(host: &Host, args: &Args) -> Result<Reply> {
    let q = pagination(args, false)?;
    let items = pages(host, "GET", "/v1/metric".into(), q, args.int("limit")?)?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|mut m| {
            if let Some(o) = m.as_object_mut() {
                if let Some(Value::Object(ap)) = o.shift_remove("archive_policy") {
                    for (k, v) in ap {
                        o.insert(format!("archive_policy/{k}"), v);
                    }
                }
            }
            m
        })
        .collect();
    Ok(util::list(
        &["id", "archive_policy/name", "name", "unit", "resource_id"],
        &items,
    ))
}

fn metric_show(host: &Host, args: &Args) -> Result<Reply> {
    let path = metric_path(args, args.req("metric")?)?;
    Ok(util::show(&format_metric(get(host, path)?)))
}

fn metric_create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    let name = args.str("name");
    if let Some(n) = name {
        body.insert("name".into(), json!(n));
    }
    if let Some(a) = args.str("archive_policy_name") {
        body.insert("archive_policy_name".into(), json!(a));
    }
    if let Some(u) = args.str("unit") {
        body.insert("unit".into(), json!(u));
    }
    let metric = match args.str("resource_id") {
        None => call(host, "POST", "/v1/metric", Some(Value::Object(body)))?,
        Some(r) => {
            let n =
                name.ok_or_else(|| Error::other("Metric name is required if resource_id is set"))?;
            let mut wrap = Map::new();
            wrap.insert(n.into(), Value::Object(body));
            let path = format!("/v1/resource/generic/{}/metric", seg(r));
            let created = call(host, "POST", path, Some(Value::Object(wrap)))?;
            created
                .as_array()
                .and_then(|a| a.first().cloned())
                .ok_or_else(|| Error::BadReply("Gnocchi returned no metric".into()))?
        }
    };
    Ok(util::show(&format_metric(metric)))
}

fn metric_delete(host: &Host, args: &Args) -> Result<Reply> {
    for m in args.list("metric") {
        call(host, "DELETE", metric_path(args, &m)?, None)?;
    }
    Ok(Reply::None)
}

/// `CliMeasuresAdd.measure`: `timestamp@value`; a timestamp that is not ISO 8601 (`now`,
/// `-5day`) goes to the server as is.
fn measure(s: &str) -> Result<Value> {
    let (ts, value) = s.rsplit_once('@').unwrap_or(("", s));
    let v: f64 = value
        .trim()
        .parse()
        .map_err(|_| invalid("-m/--measure", "measure", s))?;
    let ts = parse_date(ts).unwrap_or_else(|| ts.to_string());
    Ok(json!({"timestamp": ts, "value": v}))
}

fn measures_add(host: &Host, args: &Args) -> Result<Reply> {
    let measures = args
        .list("measure")
        .iter()
        .map(|m| measure(m))
        .collect::<Result<Vec<_>>>()?;
    let path = metric_path(args, args.req("metric")?)? + "/measures";
    call(host, "POST", path, Some(Value::Array(measures)))?;
    Ok(Reply::None)
}

pub(crate) fn date_arg(args: &Args, name: &str) -> Result<Option<String>> {
    match args.str(name) {
        None => Ok(None),
        Some(s) => parse_date(s)
            .map(Some)
            .ok_or_else(|| invalid(&format!("--{name}"), "parse_date", s)),
    }
}

fn measures_show(host: &Host, args: &Args) -> Result<Reply> {
    let start = date_arg(args, "start")?;
    let stop = date_arg(args, "stop")?;
    let path = metric_path(args, args.req("metric")?)? + "/measures";
    let mut req = Request::get(SERVICE, path);
    for (k, v) in [
        ("start", start),
        ("stop", stop),
        ("aggregation", args.str("aggregation").map(String::from)),
        ("granularity", args.str("granularity").map(String::from)),
        ("resample", args.str("resample").map(String::from)),
    ] {
        if let Some(v) = v {
            req = req.query(k, v);
        }
    }
    req = req.query(
        "refresh",
        if args.flag("refresh") {
            "True"
        } else {
            "False"
        },
    );
    let rows = array(send(host, req)?.json()?)
        .into_iter()
        .map(|m| array(m).into_iter().take(3).collect())
        .collect();
    Ok(Reply::list(["timestamp", "granularity", "value"]).rows(rows))
}

/// Python's `OSError` text: `[Errno 2] No such file or directory: 'f'`.
fn os_error(e: &std::io::Error, file: &str) -> String {
    let text = e.to_string();
    match e.raw_os_error() {
        Some(n) => {
            let desc = text.split(" (os error").next().unwrap_or(&text);
            format!("[Errno {n}] {desc}: '{file}'")
        }
        None => format!("{text}: '{file}'"),
    }
}

/// `CliMeasuresBatch`: the file's (or stdin's) JSON, posted as is.
fn batch(host: &Host, args: &Args, path: &str, create: Option<&str>) -> Result<Reply> {
    let file = args.req("file")?;
    let text = if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| Error::other(format!("argument file: can't read stdin: {e}")))?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| Error::other(os_error(&e, file)))?
    };
    let body: Value = osc_plugin_sdk::serde_json::from_str(&text)
        .map_err(|e| Error::other(format!("{file}: not JSON: {e}")))?;
    let mut req = Request::post(SERVICE, path).json(body);
    if let Some(c) = create {
        req = req.query("create_metrics", c);
    }
    call_req(host, req)?;
    Ok(Reply::None)
}

/// `CliAggregates`: `POST /v1/aggregates` with the operations (and a resource search), the
/// series flattened into `name/…` rows (grouped by the `--groupby` attributes with a search).
fn aggregates(host: &Host, args: &Args) -> Result<Reply> {
    let ops = args.req("operations")?;
    let search = args.str("search");
    let mut data = Map::new();
    data.insert("operations".into(), json!(ops));
    // dict_to_querystring: sorted keys, unset ones left out.
    let mut params: Vec<(&str, String)> = vec![("details", "False".into())];
    if let Some(f) = args.str("fill") {
        params.push(("fill", f.into()));
    }
    if let Some(g) = args.str("granularity") {
        params.push(("granularity", g.into()));
    }
    let groupby = args.list("groupby");
    if let Some(s) = search {
        data.insert("search".into(), json!(s));
        data.insert(
            "resource_type".into(),
            json!(args.str("resource_type").unwrap_or("generic")),
        );
        for g in &groupby {
            params.push(("groupby", g.clone()));
        }
    }
    if let Some(n) = args.value("needed_overlap").filter(|v| !v.is_null()) {
        let n = match n {
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| invalid("--needed-overlap", "float", s))?,
            other => other.as_f64().unwrap_or_default(),
        };
        params.push(("needed_overlap", format!("{n:?}")));
    }
    if let Some(s) = args.str("start") {
        params.push(("start", s.into()));
    }
    if let Some(s) = args.str("stop") {
        params.push(("stop", s.into()));
    }
    params.push((
        "use_history",
        args.str("use_history").unwrap_or("False").into(),
    ));
    params.sort_by(|a, b| a.0.cmp(b.0));
    let mut req = Request::post(SERVICE, "/v1/aggregates").json(Value::Object(data));
    for (k, v) in &params {
        req = req.query(k, v);
    }
    let answer = call_req(host, req)?;
    let cols = ["name", "timestamp", "granularity", "value"];
    if search.is_some() && !groupby.is_empty() {
        let mut rows = Vec::new();
        for g in array(answer) {
            let mut keys: Vec<(&String, &Value)> = g["group"]
                .as_object()
                .map(|m| m.iter().collect())
                .unwrap_or_default();
            keys.sort_by(|a, b| a.0.cmp(b.0));
            let name = keys
                .iter()
                .map(|(k, v)| format!("{k}: {}", py(v)))
                .collect::<Vec<_>>()
                .join(", ");
            for mut r in flatten(&g["measures"]["measures"], "") {
                r.insert(0, json!(name));
                rows.push(r);
            }
        }
        return Ok(Reply::list(["group", "name", "timestamp", "granularity", "value"]).rows(rows));
    }
    Ok(Reply::list(cols).rows(flatten(&answer["measures"], "")))
}

/// `CliMeasuresAggregation`: `GET /v1/aggregation/metric` over metric IDs, or with `--query`
/// one metric name across the resources found.
fn measures_aggregation(host: &Host, args: &Args) -> Result<Reply> {
    let metrics = args.list("metric");
    let query = args.str("query");
    let mut params: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("start", date_arg(args, "start")?),
        ("stop", date_arg(args, "stop")?),
    ] {
        if let Some(v) = v {
            params.push((k, v));
        }
    }
    for k in [
        "aggregation",
        "reaggregation",
        "granularity",
        "resample",
        "fill",
    ] {
        if let Some(v) = args.str(k) {
            params.push((k, v.into()));
        }
    }
    if let Some(n) = args.value("needed_overlap").filter(|v| !v.is_null()) {
        let n = match n {
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| invalid("--needed-overlap", "float", s))?,
            other => other.as_f64().unwrap_or_default(),
        };
        params.push(("needed_overlap", format!("{n:?}")));
    }
    let groupby = args.list("groupby");
    for g in &groupby {
        params.push(("groupby", g.clone()));
    }
    params.push((
        "refresh",
        if args.flag("refresh") {
            "True"
        } else {
            "False"
        }
        .into(),
    ));
    let req = match query {
        None => {
            for m in &metrics {
                if !is_uuid(m) {
                    return Err(Error::other(
                        "resource_id is required to get a metric by name",
                    ));
                }
                params.push(("metric", m.clone()));
            }
            Request::get(SERVICE, "/v1/aggregation/metric")
        }
        Some(q) => {
            if metrics.len() != 1 {
                return Err(Error::other("One metric is required if query is provided"));
            }
            params.push(("filter", q.into()));
            params.sort_by(|a, b| a.0.cmp(b.0));
            let rtype = seg(args.str("resource_type").unwrap_or("generic"));
            Request::post(
                SERVICE,
                format!(
                    "/v1/aggregation/resource/{rtype}/metric/{}",
                    seg(&metrics[0])
                ),
            )
            .header("Content-Type", "application/json")
        }
    };
    let mut req = req;
    for (k, v) in &params {
        req = req.query(k, v);
    }
    let answer = call_req(host, req)?;
    let point = |p: Value| -> Vec<Value> { array(p).into_iter().take(3).collect() };
    if groupby.is_empty() {
        let rows = array(answer).into_iter().map(point).collect();
        return Ok(Reply::list(["timestamp", "granularity", "value"]).rows(rows));
    }
    let mut rows = Vec::new();
    for g in array(answer) {
        let mut keys: Vec<(&String, &Value)> = g["group"]
            .as_object()
            .map(|m| m.iter().collect())
            .unwrap_or_default();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        let name = keys
            .iter()
            .map(|(k, v)| format!("{k}: {}", py(v)))
            .collect::<Vec<_>>()
            .join(", ");
        for p in array(g["measures"].clone()) {
            let mut r = vec![json!(name)];
            r.extend(point(p));
            rows.push(r);
        }
    }
    Ok(Reply::list(["group", "timestamp", "granularity", "value"]).rows(rows))
}

/// `flatten_measures`: nested objects down to their `[timestamp, granularity, value]` lists.
fn flatten(data: &Value, prefix: &str) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    if let Some(m) = data.as_object() {
        for (k, v) in m {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}/{k}")
            };
            match v {
                Value::Array(series) => {
                    for p in series {
                        let mut r = vec![json!(name)];
                        r.extend(array(p.clone()).into_iter().take(3));
                        rows.push(r);
                    }
                }
                other => rows.extend(flatten(other, &name)),
            }
        }
    }
    rows
}

fn resource_batch_delete(host: &Host, args: &Args) -> Result<Reply> {
    let rtype = seg(args.str("type").unwrap_or("generic"));
    let req = Request::delete(SERVICE, format!("/v1/resource/{rtype}/"))
        .query("filter", args.req("query")?)
        .header("Content-Type", "application/json");
    Ok(util::show(&call_req(host, req)?))
}

fn status(host: &Host) -> Result<Reply> {
    let s = call_req(
        host,
        Request::get(SERVICE, "/v1/status").query("details", "False"),
    )?;
    let mut r = Reply::show();
    if s.get("metricd").is_some() {
        r = r.field("metricd/processors", s["metricd"]["processors"].clone());
    }
    Ok(r.field(
        "storage/number of metric having measures to process",
        s["storage"]["summary"]["metrics"].clone(),
    )
    .field(
        "storage/total number of measures to process",
        s["storage"]["summary"]["measures"].clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_and_attributes_as_gnocchiclient_parses_them() {
        assert_eq!(
            definition("granularity:1s,points:60").unwrap(),
            json!({"granularity": "1s", "points": "60"})
        );
        assert!(definition("granularity:1s").is_err());
        assert!(definition("foo:1,points:2").is_err());
        let (n, a) = attribute("display_name:string:true:max_length=255").unwrap();
        assert_eq!(n, "display_name");
        assert_eq!(
            a,
            json!({"type": "string", "required": true, "max_length": 255})
        );
        assert!(attribute("x:string:maybe").is_err());
        assert_eq!(
            measure("2024-01-02T10:00@4.5").unwrap()["timestamp"],
            "2024-01-02T10:00:00+00:00"
        );
        assert_eq!(measure("now@1").unwrap()["timestamp"], "now");
        assert!(measure("now@abc").is_err());
    }

    #[test]
    fn next_links() {
        let h = "<http://g/v1/metric?marker=x>; rel=\"next\"";
        assert_eq!(next_link(h).as_deref(), Some("http://g/v1/metric?marker=x"));
        assert_eq!(next_link("<a>; rel=\"prev\""), None);
    }
}
