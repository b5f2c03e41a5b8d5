//! `baremetal port …`, as python-ironicclient's `osc/v1/baremetal_port.py`.

use crate::columns::{PORT_DETAILED_RESOURCE, PORT_RESOURCE};
use crate::resource::{self, Spec};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

const PORTS: Spec = Spec {
    noun: "port",
    path: "/ports",
    key: "ports",
    columns: PORT_RESOURCE,
    detailed: PORT_DETAILED_RESOURCE,
    hidden: &["links"],
};

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command.strip_prefix("baremetal port ")? {
        "list" => list(host, args),
        "show" => show(host, args),
        "create" => create(host, args),
        "delete" => PORTS.delete(host, &args.list("ports")),
        "set" => set(host, args),
        "unset" => unset(host, args),
        _ => return None,
    })
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    for (arg, key) in [
        ("address", "address"),
        ("node", "node"),
        ("port_group", "portgroup"),
    ] {
        if let Some(v) = args.str(arg) {
            q.push((key.to_string(), v.to_string()));
        }
    }
    PORTS.list(host, args, q)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let port = args.req("port")?;
    if !args.flag("address") {
        return PORTS.show(host, args, port);
    }
    let mut req = resource::request("GET", "/ports/detail").query("address", port);
    if let Some(f) = crate::fields::selected(args) {
        req = req.query("fields", f.join(","));
    }
    let body = host.request(req)?.ok()?.json()?;
    let found = body["ports"]
        .as_array()
        .and_then(|a| a.first().cloned())
        .ok_or_else(|| Error::NotFound(format!("Port with address {port} not found")))?;
    Ok(PORTS.reply(found))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut body = Map::new();
    resource::copy(
        &mut body,
        args,
        &[
            ("address", "address"),
            ("node", "node_uuid"),
            ("uuid", "uuid"),
            ("pxe_enabled", "pxe_enabled"),
            ("port_group", "portgroup_uuid"),
            ("physical_network", "physical_network"),
            ("name", "name"),
            ("description", "description"),
            ("vendor", "vendor"),
            ("category", "category"),
        ],
    );
    for f in ["extra", "local_link_connection"] {
        if let Some(d) = resource::kv_dict(args, f)? {
            body.insert(f.to_string(), d);
        }
    }
    if args.flag("is_smartnic") {
        body.insert("is_smartnic".into(), json!(true));
    }
    let created = host
        .request(resource::request("POST", "/ports").json(Value::Object(body)))?
        .ok()?
        .json()?;
    // ironicclient shows exactly the detailed fields, '' for those the answer lacks.
    let mut shown = Map::new();
    for f in PORT_DETAILED_RESOURCE {
        shown.insert(f.to_string(), created.get(*f).cloned().unwrap_or(json!("")));
    }
    Ok(PORTS.reply(Value::Object(shown)))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let mut ops = Vec::new();
    for (arg, field) in [
        ("node", "node_uuid"),
        ("address", "address"),
        ("port_group", "portgroup_uuid"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            ops.push(resource::add(&format!("{field}={v}"))?);
        }
    }
    for e in args.list("extra") {
        ops.push(resource::add(&format!("extra/{e}"))?);
    }
    for l in args.list("local_link_connection") {
        ops.push(resource::add(&format!("local_link_connection/{l}"))?);
    }
    if args.flag("pxe_enabled") {
        ops.push(resource::add("pxe_enabled=True")?);
    } else if args.flag("pxe_disabled") {
        ops.push(resource::add("pxe_enabled=False")?);
    }
    if let Some(v) = args.str("physical_network").filter(|v| !v.is_empty()) {
        ops.push(resource::add(&format!("physical_network={v}"))?);
    }
    if args.flag("is_smartnic") {
        ops.push(resource::add("is_smartnic=True")?);
    }
    for f in ["name", "description", "vendor", "category"] {
        if let Some(v) = args.str(f).filter(|v| !v.is_empty()) {
            ops.push(resource::add(&format!("{f}={v}"))?);
        }
    }
    PORTS.patch(host, args.req("port")?, ops, "set")
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let mut ops = Vec::new();
    for e in args.list("extra") {
        ops.push(resource::remove(&format!("extra/{e}")));
    }
    for l in args.list("local_link_connection") {
        ops.push(resource::remove(&format!("local_link_connection/{l}")));
    }
    if args.flag("port_group") {
        ops.push(resource::remove("portgroup_uuid"));
    }
    if args.flag("physical_network") {
        ops.push(resource::remove("physical_network"));
    }
    if args.flag("is_smartnic") {
        ops.push(resource::add("is_smartnic=False")?);
    }
    for f in ["name", "description", "vendor", "category"] {
        if args.flag(f) {
            ops.push(resource::remove(f));
        }
    }
    PORTS.patch(host, args.req("port")?, ops, "unset")
}
