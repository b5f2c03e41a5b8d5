//! `alarm …`, `alarm-history …`, `alarming capabilities list`: aodhclient 3.12's
//! `v2/*_cli.py` on Aodh's v2 API (service type `alarming`). Alarms are found by ID, then by
//! name through Aodh's complex query (`_find_alarm_by_name`), and shown as `_format_alarm`
//! does: the type's rule merged into the alarm, a composite rule as indented JSON.

use crate::util::{self, array, is_uuid, search_query};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};

const SERVICE: &str = "alarming";

const ALARM_TYPES: &[&str] = &[
    "prometheus",
    "event",
    "composite",
    "threshold",
    "gnocchi_resources_threshold",
    "gnocchi_aggregation_by_metrics_threshold",
    "gnocchi_aggregation_by_resources_threshold",
    "loadbalancer_member_health",
];

const LIST_COLS: &[&str] = &["alarm_id", "type", "name", "state", "severity", "enabled"];

fn call(host: &Host, req: Request<'_>) -> Result<Value> {
    let mut resp = host.request(req)?.ok()?;
    let text = resp.text()?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    osc_plugin_sdk::serde_json::from_str(&text)
        .map_err(|e| Error::BadReply(format!("Aodh answered with invalid JSON: {e}")))
}

fn alarm_path(id: &str) -> String {
    format!("/v2/alarms/{}", encode_segment(id))
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "alarm list" => list(host, args),
        "alarm show" => show(host, args),
        "alarm create" => create(host, args),
        "alarm update" => update(host, args),
        "alarm delete" => delete(host, args),
        "alarm state get" => state(host, args, None),
        "alarm state set" => args.req("state").and_then(|s| state(host, args, Some(s))),
        "alarm-history show" => history_show(host, args),
        "alarm-history search" => history_search(host, args),
        "alarm quota show" => quota_show(host, args),
        "alarm quota set" => quota_set(host, args),
        "alarm metrics" => metrics(host),
        "alarming capabilities list" => {
            call(host, Request::get(SERVICE, "/v2/capabilities")).map(|c| util::show(&c))
        }
        _ => return None,
    })
}

fn pagination<'r>(mut req: Request<'r>, args: &Args) -> Result<Request<'r>> {
    if let Some(l) = args.int("limit")?.filter(|l| *l != 0) {
        req = req.query("limit", l);
    }
    if let Some(m) = args.str("marker").filter(|m| !m.is_empty()) {
        req = req.query("marker", m);
    }
    for s in args.list("sort") {
        req = req.query("sort", s);
    }
    Ok(req)
}

fn query_alarms(host: &Host, filter: &Value) -> Result<Vec<Value>> {
    let body = json!({"filter": filter.to_string()});
    Ok(array(call(
        host,
        Request::post(SERVICE, "/v2/query/alarms").json(body),
    )?))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let alarms = if let Some(q) = args.str("query") {
        if args.has("limit") || args.has("sort") || args.has("marker") {
            return Err(Error::other(
                "Query and pagination options are mutually exclusive.",
            ));
        }
        query_alarms(host, &search_query(q)?)?
    } else {
        let mut req = Request::get(SERVICE, "/v2/alarms");
        for f in args.list("filter") {
            let (k, v) = f.split_once('=').ok_or_else(|| {
                Error::other(format!(
                    "argument --filter: Malformed parameter({f}). Use the key=value format."
                ))
            })?;
            req = req
                .query("q.field", k)
                .query("q.op", "eq")
                .query("q.value", v);
        }
        array(call(host, pagination(req, args)?)?)
    };
    Ok(util::list(LIST_COLS, &alarms))
}

/// `_check_name_and_id`.
fn id_or_name<'a>(args: &'a Args, action: &str) -> Result<(Option<&'a str>, Option<&'a str>)> {
    let (id, name) = (args.str("id"), args.str("name"));
    if id.is_some() && name.is_some() {
        return Err(Error::other(format!(
            "You should provide only one of alarm ID and alarm name(--name) to {action} an alarm."
        )));
    }
    if id.is_none() && name.is_none() {
        return Err(Error::other(format!(
            "You need to specify one of alarm ID and alarm name(--name) to {action} an alarm."
        )));
    }
    Ok((id, name))
}

fn find_by_name(host: &Host, name: &str) -> Result<Value> {
    let mut found = query_alarms(host, &json!({"=": {"name": name}}))?;
    match found.len() {
        // aodhclient's `exceptions.NotFound`: "(HTTP 404)" although nothing answered 404.
        0 => Err(Error::Http {
            status: 404,
            message: format!("Alarm {name} not found"),
            request_id: None,
        }),
        1 => Ok(found.remove(0)),
        _ => Err(Error::Ambiguous(format!(
            "Multiple alarms matches found for '{name}', use an ID to be more specific."
        ))),
    }
}

/// The alarm's ID: `--name` by name; a UUID as is when `found_by_id` finds it, else by name.
fn resolve(host: &Host, id: Option<&str>, name: Option<&str>) -> Result<String> {
    let key = name.or(id).unwrap_or_default();
    if name.is_none() && is_uuid(key) {
        match host.request(Request::get(SERVICE, alarm_path(key)))?.ok() {
            Ok(_) => return Ok(key.to_string()),
            Err(Error::Http { status: 404, .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let a = find_by_name(host, key)?;
    Ok(a["alarm_id"].as_str().unwrap_or_default().to_string())
}

/// `_format_alarm`.
fn format_alarm(mut alarm: Value) -> Value {
    let Some(m) = alarm.as_object_mut() else {
        return alarm;
    };
    if m.get("composite_rule").is_some_and(truthy) {
        let rule = m.get("composite_rule").map(python_json).unwrap_or_default();
        m.insert("composite_rule".into(), json!(rule));
        return alarm;
    }
    for t in ALARM_TYPES {
        let key = format!("{t}_rule");
        if m.get(&key).is_some_and(truthy) {
            if let Some(Value::Object(rule)) = m.shift_remove(&key) {
                for (k, v) in rule {
                    m.insert(k, v);
                }
            }
        }
    }
    if m.get("time_constraints").is_some_and(truthy) {
        let mut tc = m.get("time_constraints").cloned().unwrap_or_default();
        sort_keys(&mut tc);
        m.insert("time_constraints".into(), json!(python_json(&tc)));
    }
    if let Some(Value::Array(q)) = m.get("query") {
        let rows: Vec<String> = q
            .iter()
            .map(|c| {
                let op = c["op"].as_str().unwrap_or_default();
                let op = match op {
                    "lt" => "<",
                    "le" => "<=",
                    "eq" => "=",
                    "ne" => "!=",
                    "ge" => ">=",
                    "gt" => ">",
                    o => o,
                };
                format!("{} {op} {}", text(&c["field"]), text(&c["value"]))
            })
            .collect();
        m.insert("query".into(), json!(rows.join(" AND\n")));
    }
    alarm
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
    }
}

fn sort_keys(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let mut items: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut val) in items {
                sort_keys(&mut val);
                m.insert(k, val);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// `json.dumps(v, indent=2)` (non-ASCII escaped as Python does).
fn python_json(v: &Value) -> String {
    let s = osc_plugin_sdk::serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let (id, name) = id_or_name(args, "query")?;
    let alarm = match (name, id) {
        (Some(n), _) => find_by_name(host, n)?,
        (None, Some(i)) if is_uuid(i) => {
            match host.request(Request::get(SERVICE, alarm_path(i)))?.ok() {
                Ok(r) => r.json()?,
                Err(Error::Http { status: 404, .. }) => find_by_name(host, i)?,
                Err(e) => return Err(e),
            }
        }
        (None, i) => find_by_name(host, i.unwrap_or_default())?,
    };
    Ok(util::show(&format_alarm(alarm)))
}

/// oslo's `bool_from_string` (not strict): only the true words are true.
fn bool_from_string(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "1" | "t" | "true" | "on" | "y" | "yes"
    )
}

/// `cli_to_array`: `field<=34;other=string::foo`.
fn cli_to_array(q: &str) -> Result<Value> {
    let mut out = Vec::new();
    for part in q.split(';') {
        let hit = part.char_indices().find_map(|(i, _)| {
            [">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find(|op| part[i..].starts_with(**op))
                .map(|op| (i, *op))
        });
        let Some((i, op)) = hit else {
            return Err(Error::other(format!(
                "Invalid or missing operator in query {part},the supported operators are: \
                 dict_keys(['!=', '>=', '<=', '>', '<', '='])"
            )));
        };
        let (field, tv) = (&part[..i], &part[i + op.len()..]);
        if field.is_empty() {
            return Err(Error::other(format!("Missing field in query {part}")));
        }
        if tv.is_empty() {
            return Err(Error::other(format!("Missing value in query {part}")));
        }
        let (ty, value) = tv.split_once("::").unwrap_or(("", tv));
        if !ty.is_empty() && !matches!(ty, "string" | "integer" | "float" | "datetime" | "boolean")
        {
            return Err(Error::other(format!(
                "Invalid value type {ty}, the type of valueshould be one of: integer, string, \
                 float, datetime, boolean."
            )));
        }
        let op = match op {
            "!=" => "ne",
            ">=" => "ge",
            "<=" => "le",
            ">" => "gt",
            "<" => "lt",
            _ => "eq",
        };
        out.push(json!({"field": field, "op": op, "type": ty, "value": value}));
    }
    Ok(Value::Array(out))
}

/// `validate_time_constraint`: `name=x;start=y;duration=z`.
fn time_constraint(s: &str) -> Result<Value> {
    let mut m = Map::new();
    for kv in s.split(';') {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            Error::other(format!(
                "argument --time-constraint: invalid validate_time_constraint value: '{s}'"
            ))
        })?;
        let strip = |x: &str| {
            x.trim_matches(|c| c == ' ' || c == '"' || c == '\'')
                .to_string()
        };
        m.insert(strip(k), json!(strip(v)));
    }
    Ok(Value::Object(m))
}

fn float_arg(args: &Args, name: &str) -> Result<Option<f64>> {
    match args.value(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| {
            Error::other(format!(
                "argument --{}: invalid float value: '{s}'",
                name.replace('_', "-")
            ))
        }),
        Some(_) => Ok(None),
    }
}

/// Only the given fields, as `dict_from_parsed_args`.
fn pick(all: &Map<String, Value>, keys: &[&str]) -> Value {
    let mut m = Map::new();
    for k in keys {
        if let Some(v) = all.get(*k) {
            m.insert(k.to_string(), v.clone());
        }
    }
    Value::Object(m)
}

/// `_alarm_from_args`, with `_validate_args` on create.
fn alarm_from_args(args: &Args, create: bool) -> Result<Map<String, Value>> {
    let ty = args.str("type");
    let mut a = Map::new();
    for (arg, key) in [
        ("name", "name"),
        ("type", "type"),
        ("project_id", "project_id"),
        ("user_id", "user_id"),
        ("description", "description"),
        ("state", "state"),
        ("severity", "severity"),
    ] {
        if let Some(v) = args.str(arg) {
            a.insert(key.into(), json!(v));
        }
    }
    for (arg, key) in [("enabled", "enabled"), ("repeat_actions", "repeat_actions")] {
        if let Some(v) = args.str(arg) {
            a.insert(key.into(), json!(bool_from_string(v)));
        }
    }
    for (arg, key) in [
        ("alarm_action", "alarm_actions"),
        ("ok_action", "ok_actions"),
        ("insufficient_data_action", "insufficient_data_actions"),
    ] {
        let v = args.list(arg);
        if v == [String::new()] {
            a.insert(key.into(), Value::Null);
        } else if !v.is_empty() {
            a.insert(key.into(), json!(v));
        }
    }
    let tcs = args.list("time_constraint");
    if !tcs.is_empty() {
        let tcs = tcs
            .iter()
            .map(|t| time_constraint(t))
            .collect::<Result<Vec<_>>>()?;
        a.insert("time_constraints".into(), Value::Array(tcs));
    }
    // Every rule field the user gave.
    let mut f = Map::new();
    for name in [
        "comparison_operator",
        "event_type",
        "meter_name",
        "statistic",
        "granularity",
        "aggregation_method",
        "resource_type",
        "resource_id",
        "stack_id",
        "pool_id",
        "autoscaling_group_id",
    ] {
        if let Some(v) = args.str(name) {
            f.insert(name.into(), json!(v));
        }
    }
    for name in ["evaluation_periods", "period"] {
        if let Some(v) = args.int(name)? {
            f.insert(name.into(), json!(v));
        }
    }
    let threshold = float_arg(args, "threshold")?;
    if let Some(t) = threshold {
        f.insert("threshold".into(), json!(t));
    }
    // `--metric` and `--metrics` append to one list.
    let mut metrics = args.list("metric");
    metrics.extend(args.list("metrics"));
    if let Some(m) = metrics.first() {
        f.insert("metric".into(), json!(m));
        f.insert("metrics".into(), json!(metrics));
    }
    let query = args.str("query");
    if let Some(q) = query {
        let q = if matches!(ty, Some("threshold") | Some("event")) {
            cli_to_array(q)?
        } else {
            json!(q)
        };
        f.insert("query".into(), q);
    }
    let composite = match args.str("composite_rule") {
        Some(c) => Some(
            osc_plugin_sdk::serde_json::from_str::<Value>(c).map_err(|_| {
                Error::other(format!(
                    "argument --composite-rule: invalid loads value: '{c}'"
                ))
            })?,
        ),
        None => None,
    };
    let common_g = [
        "granularity",
        "comparison_operator",
        "threshold",
        "aggregation_method",
        "evaluation_periods",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        common_g.iter().chain(extra).copied().collect()
    };
    let rules: Vec<(&str, Vec<&str>)> = vec![
        (
            "threshold",
            vec![
                "meter_name",
                "period",
                "evaluation_periods",
                "statistic",
                "comparison_operator",
                "threshold",
                "query",
            ],
        ),
        ("event", vec!["event_type", "query"]),
        (
            "prometheus",
            vec!["comparison_operator", "threshold", "query"],
        ),
        (
            "gnocchi_resources_threshold",
            with(&["metric", "resource_id", "resource_type"]),
        ),
        (
            "gnocchi_aggregation_by_metrics_threshold",
            with(&["metrics"]),
        ),
        (
            "gnocchi_aggregation_by_resources_threshold",
            with(&["metric", "query", "resource_type"]),
        ),
        (
            "loadbalancer_member_health",
            vec!["stack_id", "pool_id", "autoscaling_group_id"],
        ),
    ];
    for (t, keys) in &rules {
        a.insert(format!("{t}_rule"), pick(&f, keys));
    }
    a.insert(
        "composite_rule".into(),
        composite.clone().unwrap_or(Value::Null),
    );
    if create {
        let has = |k: &str| f.contains_key(k);
        let need = match ty.unwrap_or_default() {
            "threshold" if !(has("meter_name") && threshold.is_some_and(|t| t != 0.0)) => Some(
                "Threshold alarm requires -m/--meter-name and --threshold parameters. Meter name \
                 can be found in Ceilometer",
            ),
            "gnocchi_resources_threshold"
                if !(has("metric") && has("threshold") && has("resource_id") && has("resource_type")
                    && has("aggregation_method")) =>
            {
                Some("gnocchi_resources_threshold requires --metric, --threshold, --resource-id, \
                      --resource-type and --aggregation-method")
            }
            "gnocchi_aggregation_by_metrics_threshold"
                if !(has("metric") && has("threshold") && has("aggregation_method")) =>
            {
                Some("gnocchi_aggregation_by_metrics_threshold requires --metric, --threshold and \
                      --aggregation-method")
            }
            "gnocchi_aggregation_by_resources_threshold"
                if !(has("metric") && has("threshold") && has("query") && has("resource_type")
                    && has("aggregation_method")) =>
            {
                Some("gnocchi_aggregation_by_resources_threshold requires --metric, --threshold, \
                      --aggregation-method, --query and --resource-type")
            }
            "composite" if !composite.as_ref().is_some_and(truthy) => {
                Some("Composite alarm requires --composite-rule parameter")
            }
            "loadbalancer_member_health"
                if !(has("stack_id") && has("pool_id") && has("autoscaling_group_id")) =>
            {
                Some("Loadbalancer member health alarm requires--stack-id, --pool-id and--autoscaling-group-id")
            }
            "prometheus" if !(query.is_some() && threshold.is_some_and(|t| t != 0.0)) => {
                Some("Prometheus alarm requires --query and --threshold parameters.")
            }
            _ => None,
        };
        if let Some(msg) = need {
            return Err(Error::other(msg));
        }
    }
    Ok(a)
}

/// `_clean_rules`: only the rule of `ty` stays.
fn clean_rules(a: &mut Map<String, Value>, ty: &str) {
    for t in ALARM_TYPES {
        if *t != ty {
            a.shift_remove(&format!("{t}_rule"));
        }
    }
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = alarm_from_args(args, true)?;
    clean_rules(&mut a, args.req("type")?);
    let alarm = call(
        host,
        Request::post(SERVICE, "/v2/alarms").json(Value::Object(a)),
    )?;
    Ok(util::show(&format_alarm(alarm)))
}

fn update(host: &Host, args: &Args) -> Result<Reply> {
    let mut upd = alarm_from_args(args, false)?;
    let (id, name) = (args.str("id"), args.str("name"));
    if id.is_none() && name.is_none() {
        return Err(Error::other(
            "You need to specify one of alarm ID and alarm name(--name) to update an alarm.",
        ));
    }
    // With an ID, `--name` is the new name; without one, the alarm to update.
    let id = resolve(host, id.or(name), None).or_else(|e| match (id, e) {
        (Some(_), e) => Err(e),
        (None, _) => resolve(host, None, name),
    })?;
    let mut alarm = call(host, Request::get(SERVICE, alarm_path(&id)))?;
    let cur_type = alarm["type"].as_str().unwrap_or_default().to_string();
    let new_type = upd.get("type").and_then(Value::as_str).map(String::from);
    clean_rules(&mut upd, new_type.as_deref().unwrap_or(&cur_type));
    let changes_type = new_type.as_ref().is_some_and(|t| *t != cur_type);
    if let Some(m) = alarm.as_object_mut() {
        let rule_key = ALARM_TYPES
            .iter()
            .map(|t| format!("{t}_rule"))
            .find(|k| upd.contains_key(k));
        if let Some(k) = rule_key {
            let new_rule = upd.shift_remove(&k).unwrap_or(Value::Null);
            let replace = matches!(
                k.as_str(),
                "composite_rule" | "loadbalancer_member_health_rule"
            );
            if changes_type && k != "threshold_rule" && k != "prometheus_rule" {
                m.shift_remove(&format!("{cur_type}_rule"));
                if !replace {
                    m.insert(k.clone(), new_rule.clone());
                }
            } else if !replace {
                if let (Some(Value::Object(cur)), Value::Object(n)) = (m.get_mut(&k), &new_rule) {
                    for (kk, vv) in n {
                        cur.insert(kk.clone(), vv.clone());
                    }
                }
            }
            if replace && !new_rule.is_null() {
                m.insert(k, new_rule);
            }
        }
        for (k, v) in upd {
            m.insert(k, v);
        }
    }
    let alarm = call(host, Request::put(SERVICE, alarm_path(&id)).json(alarm))?;
    Ok(util::show(&format_alarm(alarm)))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let (id, name) = id_or_name(args, "delete")?;
    let id = resolve(host, id, name)?;
    call(host, Request::delete(SERVICE, alarm_path(&id)))?;
    Ok(Reply::None)
}

fn state(host: &Host, args: &Args, set: Option<&str>) -> Result<Reply> {
    let action = if set.is_some() {
        "set state of"
    } else {
        "get state of"
    };
    let (id, name) = id_or_name(args, action)?;
    let id = resolve(host, id, name)?;
    let path = format!("{}/state", alarm_path(&id));
    let req = match set {
        Some(s) => Request::put(SERVICE, path).json(json!(s)),
        None => Request::get(SERVICE, path),
    };
    Ok(Reply::show().field("state", call(host, req)?))
}

fn history_show(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("alarm_id")?;
    let req = pagination(
        Request::get(SERVICE, format!("{}/history", alarm_path(id))),
        args,
    )?;
    let h = array(call(host, req)?);
    Ok(util::list(&["timestamp", "type", "detail", "event_id"], &h))
}

fn history_search(host: &Host, args: &Args) -> Result<Reply> {
    let body = match args.str("query") {
        Some(q) => json!({"filter": search_query(q)?.to_string()}),
        None => json!({}),
    };
    let h = array(call(
        host,
        Request::post(SERVICE, "/v2/query/alarms/history").json(body),
    )?);
    Ok(util::list(&["alarm_id", "timestamp", "type", "detail"], &h))
}

/// `CliMetrics`: the evaluation results as Prometheus-style labels.
fn metrics(host: &Host) -> Result<Reply> {
    let m = call(host, Request::get(SERVICE, "/v2/metrics"))?;
    let mut rows = Vec::new();
    for a in m["evaluation_results"].as_array().into_iter().flatten() {
        for (state, count) in a["state_counters"].as_object().into_iter().flatten() {
            let labels = format!(
                "alarm_id=\"{{{}}}\", project_id=\"{{{}}}\", state=\"{{{state}}}\"",
                text(&a["alarm_id"]),
                text(&a["project_id"])
            );
            rows.push(vec![
                json!("evaluation_result"),
                json!(labels),
                count.clone(),
            ]);
        }
    }
    Ok(Reply::list(["name", "labels", "value"]).rows(rows))
}

fn quotas(q: Value) -> Reply {
    let mut r = Reply::show();
    let mut items: Vec<(String, Value)> = q["quotas"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| (text(&x["resource"]), x["limit"].clone()))
                .collect()
        })
        .unwrap_or_default();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in items {
        r = r.field(k, v);
    }
    r
}

fn quota_show(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = Request::get(SERVICE, "/v2/quotas");
    if let Some(p) = args.str("project") {
        req = req.query("project_id", p);
    }
    Ok(quotas(call(host, req)?))
}

fn quota_set(host: &Host, args: &Args) -> Result<Reply> {
    let project = args.req("project")?;
    let mut qs = Vec::new();
    if let Some(a) = args.int("alarm")? {
        if a < -1 {
            return Err(Error::other("Quota limit cannot be less than -1."));
        }
        qs.push(json!({"resource": "alarms", "limit": a}));
    }
    let body = json!({"project_id": project, "quotas": qs});
    Ok(quotas(call(
        host,
        Request::post(SERVICE, "/v2/quotas").json(body),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_and_rules_as_aodhclient_builds_them() {
        assert_eq!(
            cli_to_array("this<=34;that=string::foo").unwrap(),
            json!([{"field": "this", "op": "le", "type": "", "value": "34"},
                   {"field": "that", "op": "eq", "type": "string", "value": "foo"}])
        );
        assert!(cli_to_array("novalue").is_err());
        assert!(cli_to_array("=x").is_err());
        assert!(cli_to_array("a=bad::x").is_err());
        let alarm = json!({"name": "a", "type": "gnocchi_resources_threshold", "time_constraints": [],
            "gnocchi_resources_threshold_rule": {"metric": "cpu", "threshold": 1.0}});
        let f = format_alarm(alarm);
        assert_eq!(f["metric"], "cpu");
        assert!(f.get("gnocchi_resources_threshold_rule").is_none());
        let c = format_alarm(json!({"composite_rule": {"or": [{"a": 1}]}}));
        assert_eq!(
            c["composite_rule"],
            "{\n  \"or\": [\n    {\n      \"a\": 1\n    }\n  ]\n}"
        );
    }
}
