//! `baremetal node …`: enrolment, listing and the provisioning state machine, as
//! python-ironicclient's `osc/v1/baremetal_node.py`.

use crate::columns::{NODE_DETAILED_RESOURCE, NODE_RESOURCE};
use crate::fields;
use crate::resource::{self, Detail, Spec};
use crate::MAX_MICROVERSION;
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{
    json, Args, Error, Host, Map, Poll, Reply, Request, Resource, Result, Value, Wait,
};
use std::time::Duration;

/// Ironic's nodes: found by name or UUID in the path itself.
pub const NODES: Resource = Resource::new("baremetal", "/nodes", "", "nodes")
    .name_query(None)
    .max_microversion(MAX_MICROVERSION);

const NODE: Spec = Spec {
    noun: "node",
    path: "/nodes",
    key: "nodes",
    columns: NODE_RESOURCE,
    detailed: NODE_DETAILED_RESOURCE,
    detail: Detail::Path,
    hidden: &["links", "ports", "portgroups", "states", "volume"],
};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let sub = command.strip_prefix("baremetal node ")?;
    Some(match sub {
        "list" => list(host, args),
        "show" => show(host, args),
        "create" => create(host, args),
        "delete" => delete(host, args),
        "power on" => power(host, args, "power on"),
        "power off" => power(
            host,
            args,
            if args.flag("soft") {
                "soft power off"
            } else {
                "power off"
            },
        ),
        "reboot" => power(
            host,
            args,
            if args.flag("soft") {
                "soft rebooting"
            } else {
                "rebooting"
            },
        ),
        "set" => set(host, args),
        "unset" => unset(host, args),
        "maintenance set" => each(args, |n| {
            let body = match args.str("reason") {
                Some(r) => json!({"reason": r}),
                None => json!({}),
            };
            send(host, Request::put("baremetal", maintenance(n)).json(body))
        }),
        "maintenance unset" => each(args, |n| {
            send(host, Request::delete("baremetal", maintenance(n)))
        }),
        "trait list" => traits(host, args, "list"),
        "add trait" | "trait add" => traits(host, args, "add"),
        "remove trait" | "trait remove" => traits(host, args, "remove"),
        "abort" | "adopt" | "clean" | "deploy" | "inspect" | "manage" | "provide" | "rebuild"
        | "rescue" | "service" | "undeploy" | "unrescue" | "unhold" => provision(host, args),
        _ => return None,
    })
}

pub fn node_path(node: &str) -> String {
    format!("/nodes/{}", encode_segment(node))
}

fn maintenance(node: &str) -> String {
    format!("{}/maintenance", node_path(node))
}

/// A request at ironicclient's microversion, negotiated by the host.
fn versioned(req: Request<'static>) -> Request<'static> {
    req.max_microversion(MAX_MICROVERSION)
}

fn send(host: &Host, req: Request<'static>) -> Result<()> {
    resource::send(host, versioned(req)).map(drop)
}

fn each(args: &Args, mut f: impl FnMut(&str) -> Result<()>) -> Result<Reply> {
    for n in args.list("nodes") {
        f(&n)?;
    }
    Ok(Reply::None)
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| q.push((k.to_string(), v));
    for (on, off, key) in [
        ("associated", "unassociated", "associated"),
        ("maintenance", "no_maintenance", "maintenance"),
        ("retired", "no_retired", "retired"),
        ("sharded", "unsharded", "sharded"),
    ] {
        if args.flag(on) {
            put(key, "True".into());
        } else if args.flag(off) {
            put(key, "False".into());
        }
    }
    for (arg, key) in [
        ("fault", "fault"),
        ("conductor_group", "conductor_group"),
        ("provision_state", "provision_state"),
        ("driver", "driver"),
        ("resource_class", "resource_class"),
        ("chassis", "chassis_uuid"),
        ("conductor", "conductor"),
        ("owner", "owner"),
        ("lessee", "lessee"),
        ("description_contains", "description_contains"),
        ("parent_node", "parent_node"),
        ("instance_name", "instance_name"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            put(key, v.to_string());
        }
    }
    let shards = args.list("shards");
    if !shards.is_empty() {
        put("shard", shards.join(","));
    }
    if args.flag("include_children") {
        put("include_children", "True".into());
    }
    NODE.list(host, args, q)
}

/// A node as ironicclient shows it: every field sorted, without links and sub-resources,
/// with `chassis_uuid` always present.
fn node_reply(mut node: Value, fields: Option<&[String]>) -> Reply {
    if let Some(m) = node.as_object_mut() {
        if fields.is_none_or(|f| f.iter().any(|x| x == "chassis_uuid")) {
            m.entry("chassis_uuid").or_insert(json!(""));
        }
    }
    NODE.reply(node)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let ident = args.req("node")?;
    let selected = fields::selected(args);
    let mut req = if args.flag("instance") {
        versioned(Request::get("baremetal", "/nodes/detail").query("instance_uuid", ident))
    } else {
        versioned(Request::get("baremetal", node_path(ident)))
    };
    if let Some(f) = &selected {
        req = req.query("fields", f.join(","));
    }
    let body = host.request(req)?.ok()?.json()?;
    let node = if args.flag("instance") {
        body["nodes"]
            .as_array()
            .and_then(|a| a.first().cloned())
            .ok_or_else(|| Error::NotFound(format!("Node with instance {ident} not found")))?
    } else {
        body
    };
    Ok(node_reply(node, selected.as_deref()))
}

/// A JSON argument given inline, as a JSON or YAML file, or as `-` for standard input
/// (ironicclient's `handle_json_arg`, with its messages).
pub fn json_arg(value: &str, what: &str) -> Result<Value> {
    let text = if value == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("Cannot get {what} from standard input. Error: {e}"))?;
        s.trim().to_string()
    } else if std::path::Path::new(value).is_file() {
        let read = std::fs::read_to_string(value).map_err(|e| e.to_string());
        return read
            .and_then(|t| serde_yaml_ng::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|e| {
                Error::other(format!(
                    "Cannot get JSON/YAML from file '{value}'. Error: {e}"
                ))
            });
    } else {
        value.to_string()
    };
    osc_plugin_sdk::serde_json::from_str(&text).map_err(|e| {
        Error::other(format!(
            "Value '{text}' is not a file and cannot be parsed as JSON: '{e}'"
        ))
    })
}

const INTERFACES: &[&str] = &[
    "bios",
    "boot",
    "console",
    "deploy",
    "firmware",
    "inspect",
    "management",
    "network",
    "power",
    "raid",
    "rescue",
    "storage",
    "vendor",
];

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    for f in [
        "chassis_uuid",
        "driver",
        "uuid",
        "name",
        "instance_name",
        "conductor_group",
        "owner",
        "description",
        "lessee",
        "shard",
        "resource_class",
        "parent_node",
    ] {
        if let Some(v) = args.str(f) {
            body.insert(f.to_string(), json!(v));
        }
    }
    for iface in INTERFACES {
        let f = format!("{iface}_interface");
        if let Some(v) = args.str(&f) {
            body.insert(f, json!(v));
        }
    }
    for f in ["automated_clean", "disable_power_off"] {
        if args.flag(f) {
            body.insert(f.to_string(), json!(true));
        }
    }
    for f in ["driver_info", "properties", "extra"] {
        if let Some(d) = resource::kv_dict(args, if f == "properties" { "property" } else { f })? {
            body.insert(f.to_string(), d);
        }
    }
    if let Some(n) = args.str("network_data") {
        body.insert(
            "network_data".into(),
            json_arg(n, "static network configuration")?,
        );
    }
    let node = resource::send(
        host,
        versioned(Request::post("baremetal", "/nodes").json(Value::Object(body))),
    )?
    .json()?;
    Ok(node_reply(node, None))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    NODE.delete(host, &args.list("nodes"))
}

fn power(host: &Host, args: &Args, target: &str) -> Result<Reply> {
    let timeout = args.int("power_timeout")?;
    each(args, |n| {
        let mut body = json!({"target": target});
        if let Some(t) = timeout {
            if t <= 0 {
                return Err(
                    "'timeout' option for setting power state must have positive integer value (> 0)"
                        .into(),
                );
            }
            body["timeout"] = json!(t);
        }
        send(
            host,
            Request::put("baremetal", format!("{}/states/power", node_path(n))).json(body),
        )
    })
}

/// The state `--wait` waits for after a provision action, and ironicclient's poll
/// interval for it (seconds): `ironicclient.v1.utils.PROVISION_ACTIONS`.
fn expected(target: &str) -> Option<(&'static str, u64)> {
    Some(match target {
        "active" | "rebuild" | "unrescue" | "service" => ("active", 10),
        "deleted" | "provide" => ("available", 10),
        "inspect" | "manage" => ("manageable", 2),
        "clean" => ("manageable", 10),
        "adopt" => ("active", 2),
        "rescue" => ("rescue", 10),
        _ => return None,
    })
}

fn provision(host: &Host, args: &Args) -> Result<Reply> {
    let target = args.req("provision_state")?.to_string();
    if args.has("runbook") && args.flag("disable_ramdisk") {
        return Err("You cannot supply --runbook and --disable-ramdisk together".into());
    }
    let mut extra = Map::new();
    for (arg, key, what) in [
        ("clean_steps", "clean_steps", "clean steps"),
        ("deploy_steps", "deploy_steps", "deploy steps"),
        ("service_steps", "service_steps", "service steps"),
    ] {
        if let Some(v) = args.str(arg) {
            extra.insert(key.to_string(), json_arg(v, what)?);
        }
    }
    if let Some(cd) = args.str("config_drive") {
        extra.insert("configdrive".into(), crate::configdrive::value(cd)?);
    }
    for (arg, key) in [
        ("rescue_password", "rescue_password"),
        ("runbook", "runbook"),
    ] {
        if let Some(v) = args.str(arg) {
            extra.insert(key.to_string(), json!(v));
        }
    }
    if args.flag("disable_ramdisk") {
        extra.insert("disable_ramdisk".into(), json!(true));
    }
    let nodes = args.list("nodes");
    for n in &nodes {
        let mut body = extra.clone();
        body.insert("target".into(), json!(target));
        send(
            host,
            Request::put("baremetal", format!("{}/states/provision", node_path(n)))
                .json(Value::Object(body)),
        )?;
    }
    let Some(timeout) = args.int("wait")? else {
        return Ok(Reply::None);
    };
    let (state, interval) = expected(&target)
        .ok_or_else(|| format!("'--wait' is not supported for provision state '{target}'"))?;
    let banner = format!(
        "Waiting for provision state {state} on node(s) {}\n",
        nodes.join(", ")
    );
    wait_for(host, &nodes, state, timeout.max(0) as u64, interval)?;
    Ok(Reply::Text(banner))
}

/// ironicclient's `wait_for_provision_state`: every node polled until it is in `state`;
/// an error state, a `… failed` state or another stable state fails at once.
fn wait_for(host: &Host, nodes: &[String], state: &str, timeout: u64, interval: u64) -> Result<()> {
    let mut unfinished: Vec<String> = nodes.to_vec();
    // Timeout 0 waits for ever, as ironicclient; a century is for ever here.
    let limit = if timeout == 0 {
        100 * 365 * 86400
    } else {
        timeout
    };
    let r: Result<()> = Wait::new(format!("node(s) {}", nodes.join(", ")))
        .timeout(Duration::from_secs(limit))
        .interval(Duration::from_millis(500), Duration::from_secs(interval))
        .poll(|| {
            let mut still = Vec::new();
            let mut last = String::new();
            for n in &unfinished {
                let node = NODES.get(host, n)?;
                let actual = node["provision_state"].as_str().unwrap_or("").to_string();
                if actual == state {
                    continue;
                }
                if actual == "error" || actual.ends_with(" failed") {
                    return Err(format!(
                        "Node {n} failed to reach state {state}. It's in state {actual}, and has error: {}",
                        node["last_error"].as_str().unwrap_or("None")
                    )
                    .into());
                }
                if node["target_provision_state"].is_null() {
                    return Err(format!(
                        "Node {n} failed to reach state {state}. It's in unexpected stable state {actual}"
                    )
                    .into());
                }
                last = actual;
                still.push(n.clone());
            }
            unfinished = still;
            Ok(if unfinished.is_empty() {
                Poll::Done(())
            } else {
                Poll::pending(last)
            })
        });
    r.map_err(|e| match e {
        Error::Other(m) if m.starts_with("Timed out after") => Error::other(format!(
            "Node(s) {} failed to reach state {state} in {timeout} seconds",
            nodes.join(", ")
        )),
        e => e,
    })
}

/// Fields `node set` adds and `node unset` removes by name (flags in `unset`).
const PLAIN: &[&str] = &[
    "instance_uuid",
    "instance_name",
    "name",
    "chassis_uuid",
    "resource_class",
    "conductor_group",
    "protected_reason",
    "retired_reason",
    "owner",
    "lessee",
    "description",
    "shard",
    "parent_node",
];

/// The dictionaries whose keys `--property`, `--extra`... set and unset.
const DICTS: &[(&str, &str)] = &[
    ("property", "properties"),
    ("extra", "extra"),
    ("driver_info", "driver_info"),
    ("instance_info", "instance_info"),
];

fn raid_config(host: &Host, nodes: &[String], config: &Value) -> Result<()> {
    for n in nodes {
        send(
            host,
            Request::put("baremetal", format!("{}/states/raid", node_path(n))).json(config.clone()),
        )?;
    }
    Ok(())
}

fn update(host: &Host, nodes: &[String], ops: Vec<Value>, reset: bool) -> Result<()> {
    for n in nodes {
        let mut req =
            Request::new("PATCH", "baremetal", node_path(n)).json(Value::Array(ops.clone()));
        if reset {
            req = req.query("reset_interfaces", "True");
        }
        send(host, req)?;
    }
    Ok(())
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let nodes = args.list("nodes");
    for single in ["name", "instance_uuid"] {
        if args.has(single) && nodes.len() > 1 {
            return Err(format!(
                "--{} cannot be used with more than one node",
                single.replace('_', "-")
            )
            .into());
        }
    }
    // Before the rest, so that a node named by a name being changed is still found.
    let raid = args.str("target_raid_config");
    if let Some(r) = raid {
        raid_config(host, &nodes, &json_arg(r, "target_raid_config")?)?;
    }
    let mut ops = Vec::new();
    for f in PLAIN.iter().chain(&["driver"]) {
        if let Some(v) = args.str(f).filter(|v| !v.is_empty()) {
            ops.push(resource::add(&format!("{f}={v}"))?);
        }
    }
    for f in ["protected", "retired"] {
        if args.flag(f) {
            ops.push(resource::add(&format!("{f}=True"))?);
        }
    }
    if args.flag("automated_clean") {
        ops.push(resource::add("automated_clean=True")?);
    } else if args.flag("no_automated_clean") {
        ops.push(resource::add("automated_clean=False")?);
    }
    if args.flag("disable_power_off") {
        ops.push(resource::add("disable_power_off=True")?);
    } else if args.flag("enable_power_off") {
        ops.push(resource::add("disable_power_off=False")?);
    }
    let reset = args.flag("reset_interfaces");
    if reset && !args.has("driver") {
        return Err("--reset-interfaces can only be specified with --driver".into());
    }
    for iface in INTERFACES {
        let field = format!("{iface}_interface");
        if let Some(v) = args.str(&field).filter(|v| !v.is_empty()) {
            ops.push(resource::add(&format!("{field}={v}"))?);
        } else if args.flag(&format!("reset_{field}")) {
            ops.push(resource::remove(&field));
        }
    }
    for (arg, dict) in DICTS {
        for kv in args.list(arg) {
            ops.push(resource::add(&format!("{dict}/{kv}"))?);
        }
    }
    if let Some(n) = args.str("network_data") {
        let data = json_arg(n, "static network configuration")?;
        ops.push(json!({"op": "add", "path": "/network_data", "value": data}));
    }
    if ops.is_empty() {
        if raid.is_none() {
            host.warn("Please specify what to set.");
        }
        return Ok(Reply::None);
    }
    update(host, &nodes, ops, reset)?;
    Ok(Reply::None)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let nodes = args.list("nodes");
    let raid = args.flag("target_raid_config");
    if raid {
        raid_config(host, &nodes, &json!({}))?;
    }
    let mut ops = Vec::new();
    let interfaces: Vec<String> = INTERFACES
        .iter()
        .map(|i| format!("{i}_interface"))
        .collect();
    let flags = PLAIN
        .iter()
        .map(|s| s.to_string())
        .chain(["automated_clean", "protected", "retired", "network_data"].map(String::from))
        .chain(interfaces);
    for f in flags {
        if args.flag(&f) {
            ops.push(resource::remove(&f));
        }
    }
    for (arg, dict) in DICTS {
        for k in args.list(arg) {
            ops.push(resource::remove(&format!("{dict}/{k}")));
        }
    }
    if ops.is_empty() {
        if !raid {
            host.warn("Please specify what to unset.");
        }
        return Ok(Reply::None);
    }
    update(host, &nodes, ops, false)?;
    Ok(Reply::None)
}

fn traits(host: &Host, args: &Args, verb: &str) -> Result<Reply> {
    resource::trait_command(host, args, "/nodes", "node", verb, None)
}
