//! `network create|delete|list|set|show|unset`, as python-openstackclient 10.5's
//! `network/v2/network.py`.

use crate::common::{self, SdkShape, NET, NETWORKS, QOSPOLICIES};
use osc_plugin_sdk::verbs::{self, col, col_list, usage, Col};
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Request, Result, Value};

/// openstacksdk's Network under OSC's column names. `admin_state_up` and `router:external`
/// are `AdminStateColumn`/`RouterExternalColumn` (UP/DOWN, External/Internal in a table;
/// the plugin ABI has no such style, so tables show the boolean as `-f json` does).
const SHAPE: SdkShape = SdkShape {
    attrs: &[
        ("availability_zone_hints", "availability_zone_hints"),
        ("availability_zones", "availability_zones"),
        ("created_at", "created_at"),
        ("description", "description"),
        ("dns_domain", "dns_domain"),
        ("ipv4_address_scope_id", "ipv4_address_scope"),
        ("ipv6_address_scope_id", "ipv6_address_scope"),
        ("is_admin_state_up", "admin_state_up"),
        ("is_default", "is_default"),
        ("is_port_security_enabled", "port_security_enabled"),
        ("is_router_external", "router:external"),
        ("is_shared", "shared"),
        ("mtu", "mtu"),
        ("name", "name"),
        ("project_id", "project_id"),
        ("provider_network_type", "provider:network_type"),
        ("provider_physical_network", "provider:physical_network"),
        ("provider_segmentation_id", "provider:segmentation_id"),
        ("pvlan", "pvlan"),
        ("qos_policy_id", "qos_policy_id"),
        ("segments", "segments"),
        ("status", "status"),
        ("subnet_ids", "subnets"),
        ("updated_at", "updated_at"),
        ("is_vlan_transparent", "vlan_transparent"),
        ("is_vlan_qinq", "vlan_qinq"),
        ("revision_number", "revision_number"),
        ("id", "id"),
        ("location", "location"),
        ("tags", "tags"),
        ("tenant_id", "tenant_id"),
    ],
    renames: &[
        ("subnet_ids", "subnets"),
        ("is_admin_state_up", "admin_state_up"),
        ("is_router_external", "router:external"),
        ("is_port_security_enabled", "port_security_enabled"),
        ("provider_network_type", "provider:network_type"),
        ("provider_physical_network", "provider:physical_network"),
        ("provider_segmentation_id", "provider:segmentation_id"),
        ("is_shared", "shared"),
        ("ipv4_address_scope_id", "ipv4_address_scope"),
        ("ipv6_address_scope_id", "ipv6_address_scope"),
    ],
    hidden: &["location", "tenant_id"],
    false_default: &["is_port_security_enabled", "is_router_external"],
    styles: &[
        ("subnets", "list"),
        ("availability_zones", "list"),
        ("availability_zone_hints", "list"),
        ("tags", "list"),
    ],
};

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col_list("Subnets", "subnets"),
];
const LIST_LONG: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Status", "status"),
    col("Project", "project_id"),
    col("State", "admin_state_up"),
    col("Shared", "shared"),
    col_list("Subnets", "subnets"),
    col("Network Type", "provider:network_type"),
    col("Router Type", "router:external"),
    col_list("Availability Zones", "availability_zones"),
    col_list("Tags", "tags"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network create" => create(host, args),
        "network delete" => verbs::delete(host, &NETWORKS, &args.list("network"), "networks"),
        "network list" => list(host, args),
        "network set" => set(host, args),
        "network show" => show(host, args),
        "network unset" => unset(host, args),
        _ => return None,
    })
}

fn reply(obj: &Value) -> Reply {
    SHAPE.reply(&common::ints(obj.clone(), &["mtu", "revision_number"]))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(reply(&NETWORKS.find(host, args.req("network")?)?))
}

/// `true` for `on`, `false` for `off`, as a member of the body.
fn switch(a: &mut Map<String, Value>, key: &str, args: &Args, on: &str, off: &str) {
    if args.flag(on) {
        a.insert(key.into(), json!(true));
    }
    if args.flag(off) {
        a.insert(key.into(), json!(false));
    }
}

/// OSC's `_get_attrs`, shared by create and set.
fn attrs(host: &Host, args: &Args, create: bool) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    if let Some(v) = args.str("name") {
        a.insert("name".into(), json!(v));
    }
    // `--enable` defaults to true on create.
    if args.flag("enable") || (create && !args.flag("disable")) {
        a.insert("admin_state_up".into(), json!(true));
    }
    if args.flag("disable") {
        a.insert("admin_state_up".into(), json!(false));
    }
    switch(&mut a, "shared", args, "share", "no_share");
    switch(
        &mut a,
        "port_security_enabled",
        args,
        "enable_port_security",
        "disable_port_security",
    );
    if create {
        if let Some(p) = common::project(host, args)? {
            a.insert("project_id".into(), json!(p));
        }
        if args.has("availability_zone_hint") {
            let hints = args.list("availability_zone_hint");
            a.insert("availability_zone_hints".into(), json!(hints));
        }
    }
    if let Some(v) = args.str("description") {
        a.insert("description".into(), json!(v));
    }
    if let Some(v) = args.str("mtu").filter(|v| !v.is_empty()) {
        a.insert("mtu".into(), json!(v));
    }
    switch(&mut a, "router:external", args, "external", "internal");
    switch(&mut a, "is_default", args, "default", "no_default");
    for (arg, key) in [
        ("provider_network_type", "provider:network_type"),
        ("provider_physical_network", "provider:physical_network"),
        ("provider_segment", "provider:segmentation_id"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            a.insert(key.into(), json!(v));
        }
    }
    if let Some(q) = args.str("qos_policy") {
        a.insert("qos_policy_id".into(), json!(QOSPOLICIES.find_id(host, q)?));
    }
    if args.flag("no_qos_policy") {
        a.insert("qos_policy_id".into(), Value::Null);
    }
    switch(&mut a, "pvlan", args, "pvlan", "no_pvlan");
    if let Some(v) = args.str("dns_domain") {
        a.insert("dns_domain".into(), json!(v));
    }
    Ok(a)
}

fn check_pvlan(a: &Map<String, Value>) -> Result<()> {
    if a.get("port_security_enabled") == Some(&json!(false)) && a.get("pvlan") == Some(&json!(true))
    {
        return Err(usage(
            "--disable-port-security and --pvlan can not be used together.",
        ));
    }
    Ok(())
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = attrs(host, args, true)?;
    switch(
        &mut a,
        "vlan_transparent",
        args,
        "transparent_vlan",
        "no_transparent_vlan",
    );
    switch(&mut a, "vlan_qinq", args, "qinq_vlan", "no_qinq_vlan");
    if a.get("vlan_transparent") == Some(&json!(true)) && a.get("vlan_qinq") == Some(&json!(true)) {
        return Err(usage(
            "--transparent-vlan and --qinq-vlan can not be both enabled for the network.",
        ));
    }
    check_pvlan(&a)?;
    let given = |arg: &str| args.str(arg).is_some_and(|s| !s.is_empty());
    if given("provider_segment") && !given("provider_network_type") {
        return Err(usage(
            "--provider-segment requires --provider-network-type to be specified.",
        ));
    }
    a.extend(common::extra_properties(args)?);
    let obj = NETWORKS
        .create(host, Value::Object(a.clone()))
        .map_err(|e| common::explain_failure(host, &a, e))?;
    let path = NETWORKS.item_path(obj["id"].as_str().unwrap_or_default());
    let tags = common::apply_set_tags(host, &path, &obj, args)?;
    Ok(reply(&common::with_tags(obj, tags)))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let long = args.flag("long");
    if let Some(agent) = args.str("agent") {
        return agent_networks(host, agent);
    }
    let mut q: Vec<(String, String)> = Vec::new();
    let mut bool_filter = |key: &str, on: &str, off: &str| {
        if args.flag(on) {
            q.push((key.into(), "True".into()));
        } else if args.flag(off) {
            q.push((key.into(), "False".into()));
        }
    };
    // In openstacksdk's order of its query mapping.
    bool_filter("admin_state_up", "enable", "disable");
    bool_filter("router:external", "external", "internal");
    bool_filter("shared", "share", "no_share");
    if let Some(n) = args.str("name") {
        q.push(("name".into(), n.to_string()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    for (arg, key) in [
        ("status", "status"),
        ("provider_network_type", "provider:network_type"),
        ("provider_physical_network", "provider:physical_network"),
        ("provider_segment", "provider:segmentation_id"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            q.push((key.into(), v.to_string()));
        }
    }
    common::tag_filters(args, &mut q);
    let mut items: Vec<Value> = common::paged(host, &NETWORKS, q, args)?;
    // `pvlan` is not in openstacksdk's query mapping: the SDK filters on it itself.
    if args.flag("pvlan") || args.flag("no_pvlan") {
        let want = json!(args.flag("pvlan"));
        items.retain(|n| n.get("pvlan") == Some(&want));
    }
    let items: Vec<Value> = items.into_iter().map(with_defaults).collect();
    Ok(verbs::list_reply(
        &items,
        if long { LIST_LONG } else { LIST },
    ))
}

/// The SDK's defaults for members Neutron may leave out.
fn with_defaults(mut n: Value) -> Value {
    for k in ["router:external", "port_security_enabled"] {
        if n.get(k).is_none_or(Value::is_null) {
            n[k] = json!(false);
        }
    }
    n
}

/// `network list --agent`: the networks a DHCP agent hosts.
fn agent_networks(host: &Host, agent: &str) -> Result<Reply> {
    let seg = osc_plugin_sdk::osc_api::resource::encode_segment(agent);
    host.request(Request::get(NET, format!("/agents/{seg}")))?
        .ok()?;
    let v = host
        .request(Request::get(NET, format!("/agents/{seg}/dhcp-networks")))?
        .ok()?
        .json()?;
    let items = v["networks"].as_array().cloned().unwrap_or_default();
    Ok(verbs::list_reply(&items, LIST))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let obj = NETWORKS.find(host, args.req("network")?)?;
    let mut a = attrs(host, args, false)?;
    a.extend(common::extra_properties(args)?);
    check_pvlan(&a)?;
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        NETWORKS
            .update(host, &id, "PUT", Value::Object(a.clone()))
            .map_err(|e| common::explain_failure(host, &a, e))?;
    }
    common::apply_set_tags(host, &NETWORKS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = NETWORKS.find(host, args.req("network")?)?;
    let a: Map<String, Value> = common::unset_extra_properties(args)?.into_iter().collect();
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        NETWORKS.update(host, &id, "PUT", Value::Object(a))?;
    }
    common::apply_unset_tags(host, &NETWORKS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}
