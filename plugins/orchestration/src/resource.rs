//! `stack resource …` (heatclient's `osc/v1/resource.py`) and `stack snapshot …`
//! (`osc/v1/snapshot.py`).

use crate::heat::{self, get, ident, is_not_found, or_not_found, send, strings, SVC};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Error, Host, Reply, Request, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "stack resource list" => list(host, args),
        "stack resource show" => show(host, args),
        "stack resource metadata" => metadata(host, args),
        "stack resource signal" => signal(host, args),
        "stack resource mark unhealthy" => mark_unhealthy(host, args),
        "stack snapshot list" => snapshot_list(host, args),
        "stack snapshot show" => snapshot_show(host, args),
        "stack snapshot create" => snapshot_create(host, args),
        "stack snapshot delete" => snapshot_delete(host, args),
        "stack snapshot restore" => snapshot_restore(host, args),
        _ => return None,
    })
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let nested_depth = args.int("nested_depth")?.unwrap_or(0);
    let long = args.flag("long");
    let mut req = Request::get(SVC, format!("/stacks/{}/resources", ident(stack)));
    let filters = crate::template::format_parameters(&args.list("filter"), true)?;
    for (k, v) in heat::filter_query(&filters) {
        req = req.query(&k, v);
    }
    if nested_depth != 0 {
        req = req.query("nested_depth", nested_depth);
    }
    if long {
        req = req.query("with_detail", "True");
    }
    let resources = or_not_found(send(host, req), || format!("Stack not found: {stack}"))?
        ["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if args.format() == Some("dot") {
        return Ok(Reply::Text(dot(&resources)));
    }
    let mut columns = strings(&[
        "physical_resource_id",
        "resource_type",
        "resource_status",
        "updated_time",
    ]);
    if resources
        .first()
        .is_some_and(|r| r.get("resource_name").is_none())
    {
        columns.insert(0, "logical_resource_id".into());
    } else {
        columns.insert(0, "resource_name".into());
    }
    if nested_depth != 0 || long {
        columns.push("stack_name".into());
    }
    Ok(heat::table(columns, &resources))
}

/// `ResourceDotInfo.dot_id`: a prefix and the first 20 hex digits of the URL's SHA-256.
fn dot_id(url: Option<&str>, prefix: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let url = url.filter(|u| !u.is_empty())?;
    let hex: String = Sha256::digest(url.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(format!("{prefix}_{}", &hex[..20]))
}

struct DotInfo<'a> {
    resource: &'a Value,
    nested: Option<String>,
    stack: Option<String>,
    id: Option<String>,
}

/// `-f dot`: heatclient's `ResourceDotWriter`, a Graphviz graph of the resources, nested
/// stacks as clusters and `required_by` as edges.
fn dot(resources: &[Value]) -> String {
    let infos: Vec<DotInfo> = resources
        .iter()
        .map(|r| {
            let link = |rel: &str| {
                r["links"]
                    .as_array()
                    .and_then(|l| l.iter().rev().find(|l| l["rel"] == rel))
                    .and_then(|l| l["href"].as_str())
            };
            DotInfo {
                resource: r,
                nested: dot_id(link("nested"), "stack"),
                stack: dot_id(link("stack"), "stack"),
                id: dot_id(link("self"), "r"),
            }
        })
        .collect();
    let name = |r: &Value| r["resource_name"].as_str().unwrap_or("").to_string();
    // resources_by_stack: stack dot ID -> resource name -> info (first insertion order, a
    // later resource of the same name replacing the value in place).
    let mut by_stack: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    let mut by_id: Vec<(String, usize)> = Vec::new();
    let mut nested_ids: Vec<&str> = Vec::new();
    for (i, info) in infos.iter().enumerate() {
        if let Some(s) = &info.stack {
            let pos = match by_stack.iter().position(|(k, _)| k == s) {
                Some(p) => p,
                None => {
                    by_stack.push((s.clone(), Vec::new()));
                    by_stack.len() - 1
                }
            };
            let list = &mut by_stack[pos].1;
            let n = name(info.resource);
            match list.iter_mut().find(|(k, _)| *k == n) {
                Some(e) => e.1 = i,
                None => list.push((n, i)),
            }
        }
        if let Some(id) = &info.id {
            match by_id.iter_mut().find(|(k, _)| k == id) {
                Some(e) => e.1 = i,
                None => by_id.push((id.clone(), i)),
            }
        }
        if let Some(n) = &info.nested {
            nested_ids.push(n);
        }
    }
    let stack_of = |id: &str| by_stack.iter().find(|(k, _)| k == id).map(|(_, v)| v);
    let mut out = String::from("digraph G {\n");
    out.push_str("  graph [\n    fontsize=10 fontname=\"Verdana\" compound=true rankdir=LR\n  ]\n");
    let nodes = |out: &mut String, list: &[(String, usize)], indent: usize| {
        for (_, i) in list {
            let info = &infos[*i];
            let r = info.resource;
            let style = if r["resource_status"]
                .as_str()
                .is_some_and(|s| s.ends_with("FAILED"))
            {
                "style=filled color=red"
            } else {
                ""
            };
            out.push_str(&format!(
                "{}{} [label=\"{}\n{}\" {}];\n",
                " ".repeat(indent),
                info.id.as_deref().unwrap_or("None"),
                name(r),
                r["resource_type"].as_str().unwrap_or(""),
                style
            ));
        }
        out.push('\n');
    };
    for (stack, list) in &by_stack {
        if !nested_ids.contains(&stack.as_str()) {
            nodes(&mut out, list, 2);
        }
    }
    for (_, i) in &by_id {
        let info = &infos[*i];
        if let Some(list) = info.nested.as_deref().and_then(stack_of) {
            if !list.is_empty() {
                let n = info.nested.as_deref().unwrap_or("");
                out.push_str(&format!("  subgraph cluster_{n} {{\n"));
                out.push_str(&format!("    label=\"{}\";\n", name(info.resource)));
                nodes(&mut out, list, 4);
                out.push_str("  }\n\n");
            }
        }
    }
    for (id, i) in &by_id {
        let info = &infos[*i];
        if let Some(n) = info.nested.as_deref() {
            if let Some((_, first)) = stack_of(n).and_then(|l| l.first()) {
                out.push_str(&format!(
                    "  {id} -> {} [\n    color=dimgray lhead=cluster_{n} arrowhead=none\n  ];\n",
                    infos[*first].id.as_deref().unwrap_or("None")
                ));
            }
        }
    }
    out.push('\n');
    for (id, i) in &by_id {
        let info = &infos[*i];
        let (Some(required), Some(stack)) = (
            info.resource["required_by"].as_array(),
            info.stack.as_deref(),
        ) else {
            continue;
        };
        let Some(list) = stack_of(stack) else {
            continue;
        };
        for req in required.iter().filter_map(Value::as_str) {
            if let Some((_, other)) = list.iter().find(|(k, _)| k == req) {
                out.push_str(&format!(
                    "  {id} -> {};\n",
                    infos[*other].id.as_deref().unwrap_or("None")
                ));
            }
        }
    }
    out.push('\n');
    out.push_str("}\n");
    out
}

fn resource_path(host: &Host, stack: &str, resource: &str) -> Result<String> {
    Ok(format!(
        "{}/resources/{}",
        heat::stack_path(host, stack)?,
        encode_segment(resource)
    ))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.req("resource")?;
    let msg = || format!("Stack or resource not found: {stack} {resource}");
    let path = or_not_found(resource_path(host, stack, resource), msg).map_err(|e| {
        match e.to_string().starts_with("Stack not found") {
            true => Error::other(msg()),
            false => e,
        }
    })?;
    let mut req = Request::get(SVC, path);
    for a in args.list("with_attr") {
        req = req.query("with_attr", a);
    }
    let body = or_not_found(send(host, req), msg)?;
    Ok(heat::dict_record(body.get("resource").unwrap_or(&body)))
}

fn not_found_msg(stack: &str, resource: &str) -> String {
    format!("Stack {stack} or resource {resource} not found.")
}

fn path_or(host: &Host, stack: &str, resource: &str, msg: &dyn Fn() -> String) -> Result<String> {
    resource_path(host, stack, resource).map_err(|e| {
        if is_not_found(&e) || e.to_string().starts_with("Stack not found") {
            Error::other(msg())
        } else {
            e
        }
    })
}

fn metadata(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.req("resource")?;
    let msg = || not_found_msg(stack, resource);
    let path = path_or(host, stack, resource, &msg)?;
    let body = or_not_found(get(host, format!("{path}/metadata")), msg)?;
    Ok(heat::dict_record(&body["metadata"]))
}

fn signal(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.req("resource")?;
    let data = args.str("data");
    let data_file = args.str("data_file");
    if data.is_some() && data_file.is_some() {
        return Err(Error::other("Should only specify one of data or data-file"));
    }
    let text = match (data, data_file) {
        (_, Some(f)) => {
            let url = crate::template::to_url(f)?;
            let bytes = crate::template::fetch(&url)
                .map_err(|e| Error::other(format!("Could not read {url}: {e}")))?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        (Some(d), None) => Some(d.to_string()),
        (None, None) => None,
    };
    let body = match text.filter(|t| !t.is_empty()) {
        Some(t) => {
            let v: Value = osc_plugin_sdk::serde_json::from_str(&t)
                .map_err(|e| Error::other(format!("Data should be in JSON format: {e}")))?;
            if !v.is_object() {
                return Err(Error::other("Data should be a JSON dict"));
            }
            Some(v)
        }
        None => None,
    };
    let msg = || not_found_msg(stack, resource);
    let path = path_or(host, stack, resource, &msg)?;
    let mut req = Request::post(SVC, format!("{path}/signal"));
    if let Some(b) = body {
        req = req.json(b);
    }
    or_not_found(send(host, req), msg)?;
    Ok(Reply::None)
}

fn mark_unhealthy(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.req("resource")?;
    let msg = || format!("Stack or resource not found: {stack} {resource}");
    let path = path_or(host, stack, resource, &msg)?;
    let body = json!({
        "mark_unhealthy": !args.flag("reset"),
        "resource_status_reason": args.str("reason").unwrap_or(""),
    });
    or_not_found(send(host, Request::patch(SVC, path).json(body)), msg)?;
    Ok(Reply::None)
}

fn snapshots_path(host: &Host, stack: &str) -> Result<String> {
    Ok(format!("{}/snapshots", heat::stack_path(host, stack)?))
}

/// The snapshots path; a missing stack is the command's own message.
fn path_or_msg(host: &Host, stack: &str, msg: &dyn Fn() -> String) -> Result<String> {
    snapshots_path(host, stack).map_err(|e| {
        if is_not_found(&e) || e.to_string().starts_with("Stack not found") {
            Error::other(msg())
        } else {
            e
        }
    })
}

fn snapshot_list(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let body = or_not_found(get(host, snapshots_path(host, stack)?), || {
        format!("Stack not found: {stack}")
    })?;
    let items = body["snapshots"].as_array().cloned().unwrap_or_default();
    Ok(heat::table(
        strings(&[
            "id",
            "name",
            "action",
            "status",
            "status_reason",
            "creation_time",
        ]),
        &items,
    ))
}

fn snapshot_not_found(stack: &str, snapshot: &str) -> String {
    format!("Snapshot ID <{snapshot}> not found for stack <{stack}>")
}

fn snapshot_show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let snapshot = args.req("snapshot")?;
    let msg = || snapshot_not_found(stack, snapshot);
    let path = path_or_msg(host, stack, &msg)?;
    let body = or_not_found(
        get(host, format!("{path}/{}", encode_segment(snapshot))),
        msg,
    )?;
    Ok(heat::dict_record(&body))
}

fn snapshot_create(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let mut body = json!({});
    if let Some(n) = args.str("name").filter(|n| !n.is_empty()) {
        body["name"] = json!(n);
    }
    let path = snapshots_path(host, stack)?;
    let data = or_not_found(send(host, Request::post(SVC, path).json(body)), || {
        format!("Stack not found: {stack}")
    })?;
    Ok(heat::record(
        &data,
        &strings(&[
            "ID",
            "name",
            "action",
            "status",
            "status_reason",
            "data",
            "creation_time",
        ]),
    ))
}

fn snapshot_delete(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let snapshot = args.req("snapshot")?;
    if !args.flag("yes")
        && !heat::confirm("Are you sure you want to delete the snapshot of this stack [Y/N]?")
    {
        host.info("User did not confirm snapshot delete so taking no action.");
        return Ok(Reply::None);
    }
    let msg = || snapshot_not_found(stack, snapshot);
    let path = path_or_msg(host, stack, &msg)?;
    or_not_found(
        send(
            host,
            Request::delete(SVC, format!("{path}/{}", encode_segment(snapshot))),
        ),
        msg,
    )?;
    Ok(Reply::None)
}

fn snapshot_restore(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let snapshot = args.req("snapshot")?;
    let msg = || format!("Stack {stack} or snapshot {snapshot} not found.");
    let path = path_or_msg(host, stack, &msg)?;
    or_not_found(
        send(
            host,
            Request::post(SVC, format!("{path}/{}/restore", encode_segment(snapshot))),
        ),
        msg,
    )?;
    Ok(Reply::None)
}
