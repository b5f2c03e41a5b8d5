//! `floating ip create|delete|list|set|show|unset`, as python-openstackclient 10.5's
//! `network/v2/floating_ip.py`.

use crate::common::{self, SdkShape, NET, NETWORKS, PORTS, QOSPOLICIES, ROUTERS, SUBNETS};
use osc_plugin_sdk::osc_api::ErrorStatus;
use osc_plugin_sdk::verbs::{self, col, Col};
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Resource, Result, Value};

/// openstacksdk's FloatingIP: its "name" is the address, and `find` lists every floating IP
/// (no name filter on the server) to match it.
pub const FLOATING_IPS: Resource = Resource::new(NET, "/floatingips", "floatingip", "floatingips")
    .display("floating IP")
    .name_field("floating_ip_address")
    .name_query(None)
    .sdk("FloatingIP");

/// openstacksdk's FloatingIP (`name` is the address again).
const SHAPE: SdkShape = SdkShape {
    attrs: &[
        ("created_at", "created_at"),
        ("description", "description"),
        ("dns_domain", "dns_domain"),
        ("dns_name", "dns_name"),
        ("fixed_ip_address", "fixed_ip_address"),
        ("floating_ip_address", "floating_ip_address"),
        ("name", "floating_ip_address"),
        ("floating_network_id", "floating_network_id"),
        ("port_details", "port_details"),
        ("port_id", "port_id"),
        ("qos_policy_id", "qos_policy_id"),
        ("project_id", "project_id"),
        ("tenant_id", "tenant_id"),
        ("router_id", "router_id"),
        ("status", "status"),
        ("updated_at", "updated_at"),
        ("subnet_id", "subnet_id"),
        ("revision_number", "revision_number"),
        ("id", "id"),
        ("location", "location"),
        ("tags", "tags"),
    ],
    renames: &[],
    hidden: &["location", "tenant_id"],
    false_default: &[],
    styles: &[("port_details", "dict"), ("tags", "list")],
};

/// Create shows port_details unformatted (a table prints the Python dict).
const CREATED: SdkShape = SdkShape {
    styles: &[("tags", "list")],
    ..SHAPE
};

/// OSC's list passes no formatters: tags show as Python's list repr in a table.
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Floating IP Address", "floating_ip_address"),
    col("Fixed IP Address", "fixed_ip_address"),
    col("Port", "port_id"),
    col("Floating Network", "floating_network_id"),
    col("Project", "project_id"),
];
const LIST_LONG: &[Col] = &[
    col("Router", "router_id"),
    col("Status", "status"),
    col("Description", "description"),
    col("Tags", "tags"),
    col("DNS Name", "dns_name"),
    col("DNS Domain", "dns_domain"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "floating ip create" => create(host, args),
        "floating ip delete" => verbs::delete(
            host,
            &FLOATING_IPS,
            &args.list("floating_ip"),
            "floating IPs",
        ),
        "floating ip list" => list(host, args),
        "floating ip set" => set(host, args),
        "floating ip show" => show(host, args),
        "floating ip unset" => unset(host, args),
        _ => return None,
    })
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = FLOATING_IPS.find(host, args.req("floating_ip")?)?;
    Ok(SHAPE.reply(&obj))
}

/// A name-or-ID option as the ID of `r`, when given and not empty.
fn found(host: &Host, r: &Resource, args: &Args, arg: &str) -> Result<Option<String>> {
    match args.str(arg).filter(|v| !v.is_empty()) {
        Some(v) => Ok(Some(r.find_id(host, v)?)),
        None => Ok(None),
    }
}

/// OSC's `_get_attrs` for create.
fn attrs(host: &Host, args: &Args) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    // The name of a network could be an empty string.
    if let Some(n) = args.str("network") {
        a.insert(
            "floating_network_id".into(),
            json!(NETWORKS.find_id(host, n)?),
        );
    }
    for (arg, r, key) in [
        ("subnet", &SUBNETS, "subnet_id"),
        ("port", &PORTS, "port_id"),
        ("router", &ROUTERS, "router_id"),
    ] {
        if let Some(id) = found(host, r, args, arg)? {
            a.insert(key.into(), json!(id));
        }
    }
    for key in ["floating_ip_address", "fixed_ip_address"] {
        if let Some(v) = args.str(key).filter(|v| !v.is_empty()) {
            a.insert(key.into(), json!(v));
        }
    }
    if let Some(id) = found(host, &QOSPOLICIES, args, "qos_policy")? {
        a.insert("qos_policy_id".into(), json!(id));
    }
    if let Some(v) = args.str("description") {
        a.insert("description".into(), json!(v));
    }
    if let Some(p) = common::project(host, args)? {
        a.insert("project_id".into(), json!(p));
    }
    for key in ["dns_domain", "dns_name"] {
        if let Some(v) = args.str(key).filter(|v| !v.is_empty()) {
            a.insert(key.into(), json!(v));
        }
    }
    Ok(a)
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = attrs(host, args)?;
    a.extend(common::extra_properties(args)?);
    let obj = FLOATING_IPS
        .create(host, Value::Object(a.clone()))
        .map_err(|e| common::explain_failure(host, &a, e))?;
    let path = FLOATING_IPS.item_path(obj["id"].as_str().unwrap_or_default());
    let tags = common::apply_set_tags(host, &path, &obj, args)?;
    Ok(CREATED.reply(&common::with_tags(obj, tags)))
}

/// Each value of a repeatable name-or-ID filter, as IDs.
fn ids(host: &Host, r: &Resource, args: &Args, arg: &str) -> Result<Vec<String>> {
    args.list(arg).iter().map(|v| r.find_id(host, v)).collect()
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    for n in ids(host, &NETWORKS, args, "network")? {
        q.push(("floating_network_id".into(), n));
    }
    for p in ids(host, &PORTS, args, "port")? {
        q.push(("port_id".into(), p));
    }
    for key in ["fixed_ip_address", "floating_ip_address", "status"] {
        if let Some(v) = args.str(key) {
            q.push((key.into(), v.to_string()));
        }
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    for r in ids(host, &ROUTERS, args, "router")? {
        q.push(("router_id".into(), r));
    }
    common::tag_filters(args, &mut q);
    let mut cols: Vec<Col> = LIST.to_vec();
    if args.flag("long") {
        cols.extend_from_slice(LIST_LONG);
    }
    let items = match common::paged(host, &FLOATING_IPS, q, args) {
        Err(e) if e.status() == Some(404) => Vec::new(),
        r => r?,
    };
    Ok(verbs::list_reply(&items, &cols))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let obj = FLOATING_IPS.find(host, args.req("floating_ip")?)?;
    let mut a = Map::new();
    if let Some(id) = found(host, &PORTS, args, "port")? {
        a.insert("port_id".into(), json!(id));
    }
    if let Some(v) = args.str("fixed_ip_address").filter(|v| !v.is_empty()) {
        a.insert("fixed_ip_address".into(), json!(v));
    }
    if let Some(id) = found(host, &ROUTERS, args, "router")? {
        a.insert("router_id".into(), json!(id));
    }
    if let Some(v) = args.str("description").filter(|v| !v.is_empty()) {
        a.insert("description".into(), json!(v));
    }
    if let Some(id) = found(host, &QOSPOLICIES, args, "qos_policy")? {
        a.insert("qos_policy_id".into(), json!(id));
    }
    if args.flag("no_qos_policy") {
        a.insert("qos_policy_id".into(), Value::Null);
    }
    a.extend(common::extra_properties(args)?);
    update(host, &obj, a, args, false)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = FLOATING_IPS.find(host, args.req("floating_ip")?)?;
    let mut a = Map::new();
    if args.flag("port") {
        a.insert("port_id".into(), Value::Null);
    }
    if args.flag("qos_policy") {
        a.insert("qos_policy_id".into(), Value::Null);
    }
    a.extend(common::unset_extra_properties(args)?);
    update(host, &obj, a, args, true)
}

/// PUT the changes (if any), then the tags.
fn update(
    host: &Host,
    obj: &Value,
    a: Map<String, Value>,
    args: &Args,
    unset: bool,
) -> Result<Reply> {
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        FLOATING_IPS.update(host, &id, "PUT", Value::Object(a))?;
    }
    let path = FLOATING_IPS.item_path(&id);
    if unset {
        common::apply_unset_tags(host, &path, obj, args)?;
    } else {
        common::apply_set_tags(host, &path, obj, args)?;
    }
    Ok(Reply::None)
}
