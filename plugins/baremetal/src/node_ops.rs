//! The node's sub-resources and management actions: BIOS settings, boot device and mode,
//! secure boot, console, NMI, inventory, vendor passthru, validation, VIFs, history,
//! children and firmware, as python-ironicclient's `osc/v1/baremetal_node.py`.

use crate::columns::*;
use crate::fields;
use crate::node::node_path;
use crate::resource::{self, request};
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Result, Value};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let sub = command.strip_prefix("baremetal node ")?;
    Some(match sub {
        "bios setting list" => bios_list(host, args),
        "bios setting show" => bios_show(host, args),
        "boot device set" => {
            let body = json!({
                "boot_device": args.str("device").unwrap_or_default(),
                "persistent": args.flag("persistent"),
            });
            each_put(host, args, "management/boot_device", body)
        }
        "boot device show" => boot_device(host, args),
        "boot mode set" => each_put(
            host,
            args,
            "states/boot_mode",
            json!({"target": args.str("boot_mode").unwrap_or_default()}),
        ),
        "secure boot on" => each_put(host, args, "states/secure_boot", json!({"target": true})),
        "secure boot off" => each_put(host, args, "states/secure_boot", json!({"target": false})),
        "console enable" => each_put(host, args, "states/console", json!({"enabled": true})),
        "console disable" => each_put(host, args, "states/console", json!({"enabled": false})),
        "console show" => get(host, args, "states/console").map(|c| sorted(&c)),
        "inject nmi" => each_put(host, args, "management/inject_nmi", json!({})),
        "inventory save" => inventory(host, args),
        "passthru list" => get(host, args, "vendor_passthru/methods")
            .map(|m| passthru_methods(&m, PASSTHRU_LABELS)),
        "passthru call" => passthru_call(host, args),
        "validate" => validate(host, args),
        "vif list" => get(host, args, "vifs").map(|v| rows(&v, "vifs", &["id"])),
        "vif attach" => vif_attach(host, args),
        "vif detach" => args.req("vif_id").and_then(|vif| {
            let path = format!(
                "{}/vifs/{}",
                node_path(args.req("node")?),
                encode_segment(vif)
            );
            send(host, request("DELETE", path))
        }),
        "history list" => history(host, args),
        "history get" => args.req("event").and_then(|e| {
            let mut ev = get(host, args, &format!("history/{}", encode_segment(e)))?;
            if let Some(m) = ev.as_object_mut() {
                m.remove("links");
            }
            Ok(sorted(&ev))
        }),
        "children list" => children(host, args),
        "firmware list" => {
            get(host, args, "firmware").map(|f| rows(&f, "firmware", FIRMWARE_RESOURCE))
        }
        _ => return None,
    })
}

fn send(host: &Host, req: osc_plugin_sdk::Request<'static>) -> Result<Reply> {
    crate::resource::send(host, req).map(|_| Reply::None)
}

/// `PUT /nodes/<node>/<sub>` with `body` for each of the positional `nodes`.
fn each_put(host: &Host, args: &Args, sub: &str, body: Value) -> Result<Reply> {
    for n in args.list("nodes") {
        let path = format!("{}/{sub}", node_path(&n));
        send(host, request("PUT", path).json(body.clone()))?;
    }
    Ok(Reply::None)
}

/// `GET /nodes/<node>/<sub>` of the positional `node`.
fn get(host: &Host, args: &Args, sub: &str) -> Result<Value> {
    let path = format!("{}/{sub}", node_path(args.req("node")?));
    host.request(request("GET", path))?.ok()?.json()
}

fn sorted(v: &Value) -> Reply {
    osc_plugin_sdk::verbs::sorted_reply(v, &[], &[])
}

/// The list under `key` of `body` as a table of `columns` (headed by the field names).
fn rows(body: &Value, key: &str, columns: &[&str]) -> Reply {
    let items = body[key].as_array().cloned().unwrap_or_default();
    fields::table(&items, columns)
}

fn bios_list(host: &Host, args: &Args) -> Result<Reply> {
    let mut req = request("GET", format!("{}/bios", node_path(args.req("node")?)));
    let columns: Vec<String> = if args.flag("long") {
        req = req.query("detail", "True");
        BIOS_DETAILED_RESOURCE
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else if let Some(f) = fields::selected(args) {
        req = req.query("detail", "False").query("fields", f.join(","));
        f
    } else {
        BIOS_RESOURCE.iter().map(|s| s.to_string()).collect()
    };
    let body = host.request(req)?.ok()?.json()?;
    let items = body["bios"].as_array().cloned().unwrap_or_default();
    Ok(fields::table(&items, &columns))
}

fn bios_show(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("setting_name")?;
    let body = get(host, args, &format!("bios/{}", encode_segment(name)))?;
    let mut setting = body.get(name).cloned().unwrap_or(Value::Object(Map::new()));
    if let Some(m) = setting.as_object_mut() {
        m.remove("links");
    }
    Ok(sorted(&setting))
}

fn boot_device(host: &Host, args: &Args) -> Result<Reply> {
    if !args.flag("supported") {
        return get(host, args, "management/boot_device").map(|b| sorted(&b));
    }
    let mut info = get(host, args, "management/boot_device/supported")?;
    let joined = info["supported_boot_devices"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    info["supported_boot_devices"] = json!(joined);
    Ok(sorted(&info))
}

/// The inventory as JSON, to `--file` or standard output.
fn inventory(host: &Host, args: &Args) -> Result<Reply> {
    let inv = get(host, args, "inventory")?;
    let text = osc_plugin_sdk::serde_json::to_string(&inv)?;
    match args.str("file") {
        Some(f) => {
            std::fs::write(f, text).map_err(|e| format!("Cannot write {f}: {e}"))?;
            Ok(Reply::None)
        }
        None => Ok(Reply::Text(text)),
    }
}

/// Vendor passthru methods (`{"name": {"http_methods": [..], ..}}`) as rows of
/// `VENDOR_PASSTHRU_METHOD_RESOURCE`'s fields under `headers`.
pub fn passthru_methods(methods: &Value, headers: &[&str]) -> Reply {
    let rows = methods
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(name, info)| {
                    PASSTHRU_FIELDS
                        .iter()
                        .map(|f| match *f {
                            "name" => json!(name),
                            "http_methods" => json!(info["http_methods"]
                                .as_array()
                                .map(|a| {
                                    a.iter()
                                        .filter_map(Value::as_str)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                })
                                .unwrap_or_default()),
                            f => info.get(f).cloned().unwrap_or(json!("")),
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    Reply::list(headers.iter().map(|h| h.to_string())).rows(rows)
}

/// Calls a vendor passthru method at `path`: POST, PUT and PATCH send the `--arg`s as a
/// JSON object; the answer, if any.
pub fn passthru(host: &Host, args: &Args, path: String) -> Result<Option<Value>> {
    let method = args.str("http_method").unwrap_or("POST").to_uppercase();
    let mut body = Map::new();
    for a in args.list("arg") {
        let (k, v) = resource::split_and_deserialize(&a)?;
        body.insert(k, v);
    }
    let mut req = request(&method, path);
    if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
        req = req.json(Value::Object(body));
    }
    let mut resp = resource::send(host, req)?;
    if method == "DELETE" {
        return Ok(None);
    }
    let text = resp.text()?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    Ok(Some(
        osc_plugin_sdk::serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

/// `node passthru call` prints the answer as ironicclient does (a Python dict).
fn passthru_call(host: &Host, args: &Args) -> Result<Reply> {
    let node = args.req("node")?;
    let method = args.req("method")?;
    let path = format!(
        "{}/vendor_passthru/{}",
        node_path(node),
        encode_segment(method)
    );
    Ok(match passthru(host, args, path)? {
        Some(v) if v.as_object().is_some_and(|m| !m.is_empty()) => Reply::Text(py_repr(&v)),
        _ => Reply::None,
    })
}

/// Python's `str()` of a JSON value (`{'a': True, 'b': None}`).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn validate(host: &Host, args: &Args) -> Result<Reply> {
    let v = get(host, args, "validate")?;
    let mut rows: Vec<Vec<Value>> = v
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(iface, r)| {
                    vec![
                        json!(iface),
                        r.get("result").cloned().unwrap_or(json!("")),
                        r.get("reason").cloned().unwrap_or(json!("")),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
    Ok(Reply::list(["Interface", "Result", "Reason"].map(String::from)).rows(rows))
}

fn vif_attach(host: &Host, args: &Args) -> Result<Reply> {
    let node = args.req("node")?;
    let mut body = Map::new();
    for a in args.list("vif_info") {
        let (k, v) = resource::split_and_deserialize(&a)?;
        body.insert(k, v);
    }
    if body.contains_key("id") {
        return Err("The attribute 'id' can't be specified in vif-info".into());
    }
    for f in ["port_uuid", "portgroup_uuid"] {
        if let Some(v) = args.str(f) {
            body.insert(f.into(), json!(v));
        }
    }
    body.insert("id".into(), json!(args.req("vif_id")?));
    let path = format!("{}/vifs", node_path(node));
    send(host, request("POST", path).json(Value::Object(body)))
}

fn history(host: &Host, args: &Args) -> Result<Reply> {
    let long = args.flag("long");
    let mut req = request("GET", format!("{}/history", node_path(args.req("node")?)));
    if long {
        req = req.query("detail", "True");
    }
    let body = host.request(req)?.ok()?.json()?;
    let columns = if long {
        NODE_HISTORY_DETAILED_RESOURCE
    } else {
        NODE_HISTORY_RESOURCE
    };
    Ok(rows(&body, "history", columns))
}

/// cliff's ShowOne of `('children',)` and one row per child: the first child, as a list.
fn children(host: &Host, args: &Args) -> Result<Reply> {
    let body = get(host, args, "children")?;
    let first = body["children"].as_array().and_then(|c| c.first().cloned());
    Ok(match first {
        Some(c) => Reply::show().field("children", json!([c])),
        None => Reply::show(),
    })
}
