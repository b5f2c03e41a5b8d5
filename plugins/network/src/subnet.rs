//! `subnet create|delete|list|set|show|unset`, as python-openstackclient 10.5's
//! `network/v2/subnet.py`.

use crate::common::{self, SdkShape, NET, NETWORKS, SUBNETS, SUBNET_POOLS};
use osc_plugin_sdk::verbs::{self, col, col_list, usage, Col};
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Resource, Result, Value};

const SEGMENTS: Resource = Resource::new(NET, "/segments", "segment", "segments").sdk("Segment");

/// openstacksdk's Subnet under OSC's column names. `allocation_pools` and `host_routes`
/// have OSC's own table forms (`start-end`, `destination=..., gateway=...`) and
/// `dns_nameservers` is an unsorted list: the plugin ABI has no such styles, so tables
/// show them as `-f json` does.
const SHAPE: SdkShape = SdkShape {
    attrs: &[
        ("allocation_pools", "allocation_pools"),
        ("cidr", "cidr"),
        ("created_at", "created_at"),
        ("description", "description"),
        ("dns_nameservers", "dns_nameservers"),
        ("dns_publish_fixed_ip", "dns_publish_fixed_ip"),
        ("gateway_ip", "gateway_ip"),
        ("host_routes", "host_routes"),
        ("ip_version", "ip_version"),
        ("ipv6_address_mode", "ipv6_address_mode"),
        ("ipv6_ra_mode", "ipv6_ra_mode"),
        ("is_dhcp_enabled", "enable_dhcp"),
        ("name", "name"),
        ("network_id", "network_id"),
        ("prefix_length", "prefixlen"),
        ("project_id", "project_id"),
        ("tenant_id", "tenant_id"),
        ("segment_id", "segment_id"),
        ("service_types", "service_types"),
        ("subnet_pool_id", "subnetpool_id"),
        ("updated_at", "updated_at"),
        ("use_default_subnet_pool", "use_default_subnetpool"),
        ("revision_number", "revision_number"),
        ("id", "id"),
        ("location", "location"),
        ("tags", "tags"),
    ],
    renames: &[
        ("is_dhcp_enabled", "enable_dhcp"),
        ("subnet_pool_id", "subnetpool_id"),
    ],
    hidden: &[
        "location",
        "use_default_subnet_pool",
        "prefix_length",
        "tenant_id",
    ],
    false_default: &[],
    styles: &[("service_types", "list"), ("tags", "list")],
};

const INTS: &[&str] = &["ip_version", "revision_number"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Network", "network_id"),
    col("Subnet", "cidr"),
];
const LIST_LONG: &[Col] = &[
    col("Project", "project_id"),
    col("DHCP", "enable_dhcp"),
    col("Name Servers", "dns_nameservers"),
    col("Allocation Pools", "allocation_pools"),
    col("Host Routes", "host_routes"),
    col("IP Version", "ip_version"),
    col("Gateway", "gateway_ip"),
    col_list("Service Types", "service_types"),
    col_list("Tags", "tags"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "subnet create" => create(host, args),
        "subnet delete" => verbs::delete(host, &SUBNETS, &args.list("subnet"), "subnets"),
        "subnet list" => list(host, args),
        "subnet set" => set(host, args),
        "subnet show" => show(host, args),
        "subnet unset" => unset(host, args),
        _ => return None,
    })
}

fn reply(obj: &Value) -> Reply {
    SHAPE.reply(&common::ints(obj.clone(), INTS))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(reply(&SUBNETS.find(host, args.req("subnet")?)?))
}

/// `--allocation-pool start=<ip>,end=<ip>`, in the order given.
fn allocation_pools(args: &Args) -> Result<Vec<Value>> {
    let pools = common::key_values_all(args, "allocation_pool", &["start", "end"], &[])?;
    Ok(pools.into_iter().map(Value::Object).collect())
}

/// `--host-route destination=<subnet>,gateway=<ip>` as Neutron's `{destination, nexthop}`.
fn host_routes(args: &Args) -> Result<Vec<Value>> {
    let routes = common::key_values_all(args, "host_route", &["destination", "gateway"], &[])?;
    Ok(routes
        .into_iter()
        .map(|mut r| {
            if let Some(g) = r.shift_remove("gateway") {
                r.insert("nexthop".into(), g);
            }
            Value::Object(r)
        })
        .collect())
}

fn strings(args: &Args, arg: &str) -> Vec<Value> {
    args.list(arg).into_iter().map(Value::String).collect()
}

/// OSC's `_get_attrs`, shared by create and set.
fn attrs(host: &Host, args: &Args, create: bool) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    if let Some(v) = args.str("name") {
        a.insert("name".into(), json!(v));
    }
    if create {
        create_attrs(host, args, &mut a)?;
    }
    if let Some(s) = args.str("network_segment") {
        a.insert("segment_id".into(), json!(SEGMENTS.find_id(host, s)?));
    }
    if let Some(g) = args.str("gateway") {
        let g = g.to_lowercase();
        if !create && g == "auto" {
            return Err(usage(
                "Auto option is not available for Subnet Set. Valid options are <ip-address> or none",
            ));
        }
        if g == "none" {
            a.insert("gateway_ip".into(), Value::Null);
        } else if g != "auto" {
            a.insert("gateway_ip".into(), json!(g));
        }
    }
    if args.has("allocation_pool") {
        a.insert("allocation_pools".into(), json!(allocation_pools(args)?));
    }
    for (key, on, off) in [
        ("enable_dhcp", "dhcp", "no_dhcp"),
        (
            "dns_publish_fixed_ip",
            "dns_publish_fixed_ip",
            "no_dns_publish_fixed_ip",
        ),
    ] {
        if args.flag(on) {
            a.insert(key.into(), json!(true));
        }
        if args.flag(off) {
            a.insert(key.into(), json!(false));
        }
    }
    if args.has("dns_nameserver") {
        a.insert(
            "dns_nameservers".into(),
            json!(strings(args, "dns_nameserver")),
        );
    }
    if args.has("host_route") {
        a.insert("host_routes".into(), json!(host_routes(args)?));
    }
    if args.has("service_type") {
        a.insert("service_types".into(), json!(strings(args, "service_type")));
    }
    if let Some(v) = args.str("description") {
        a.insert("description".into(), json!(v));
    }
    Ok(a)
}

/// What only create sets: project, network, pool, range, IP version and IPv6 modes.
fn create_attrs(host: &Host, args: &Args, a: &mut Map<String, Value>) -> Result<()> {
    if let Some(p) = common::project(host, args)? {
        a.insert("project_id".into(), json!(p));
    }
    a.insert(
        "network_id".into(),
        json!(NETWORKS.find_id(host, args.req("network")?)?),
    );
    if let Some(p) = args.str("subnet_pool") {
        a.insert(
            "subnetpool_id".into(),
            json!(SUBNET_POOLS.find_id(host, p)?),
        );
    }
    if args.flag("use_prefix_delegation") {
        a.insert("subnetpool_id".into(), json!("prefix_delegation"));
    }
    if args.flag("use_default_subnet_pool") {
        a.insert("use_default_subnetpool".into(), json!(true));
    }
    if let Some(v) = args.str("prefix_length") {
        a.insert("prefixlen".into(), json!(v));
    }
    if let Some(v) = args.str("subnet_range") {
        a.insert("cidr".into(), json!(v));
    }
    a.insert(
        "ip_version".into(),
        json!(args.int("ip_version")?.unwrap_or(4)),
    );
    for key in ["ipv6_ra_mode", "ipv6_address_mode"] {
        if let Some(v) = args.str(key) {
            a.insert(key.into(), json!(v));
        }
    }
    Ok(())
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = attrs(host, args, true)?;
    a.extend(common::extra_properties(args)?);
    let obj = SUBNETS.create(host, Value::Object(a))?;
    let path = SUBNETS.item_path(obj["id"].as_str().unwrap_or_default());
    let tags = common::apply_set_tags(host, &path, &obj, args)?;
    Ok(reply(&common::with_tags(obj, tags)))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    if let Some(v) = args.int("ip_version")?.filter(|v| *v != 0) {
        q.push(("ip_version".into(), v.to_string()));
    }
    if args.flag("dhcp") {
        q.push(("enable_dhcp".into(), "True".into()));
    } else if args.flag("no_dhcp") {
        q.push(("enable_dhcp".into(), "False".into()));
    }
    // Not a query parameter of openstacksdk's Subnet: it filters the listing itself, on
    // the whole list (`service_types == [...]`), as OSC's results show.
    let service_types = args.list("service_type");
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    if let Some(n) = args.str("network").filter(|v| !v.is_empty()) {
        q.push(("network_id".into(), NETWORKS.find_id(host, n)?));
    }
    for (arg, key) in [
        ("gateway", "gateway_ip"),
        ("name", "name"),
        ("subnet_range", "cidr"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            q.push((key.into(), v.to_string()));
        }
    }
    if let Some(p) = args.str("subnet_pool").filter(|v| !v.is_empty()) {
        q.push(("subnetpool_id".into(), SUBNET_POOLS.find_id(host, p)?));
    }
    common::tag_filters(args, &mut q);
    let mut cols: Vec<Col> = LIST.to_vec();
    if args.flag("long") {
        cols.extend_from_slice(LIST_LONG);
    }
    let items: Vec<Value> = common::paged(host, &SUBNETS, q, args)?
        .into_iter()
        .filter(|s| service_types.is_empty() || s["service_types"] == json!(service_types))
        .map(|s| common::ints(s, INTS))
        .collect();
    Ok(verbs::list_reply(&items, &cols))
}

/// New members first, then the subnet's own unless `--no-…` cleared them; `--no-…` alone
/// empties the list.
fn merge(a: &mut Map<String, Value>, key: &str, clear: bool, obj: &Value) {
    match a.get_mut(key) {
        Some(Value::Array(new)) if !clear => {
            new.extend(obj[key].as_array().cloned().unwrap_or_default());
        }
        Some(_) => {}
        None if clear => {
            a.insert(key.into(), json!([]));
        }
        None => {}
    }
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let obj = SUBNETS.find(host, args.req("subnet")?)?;
    let mut a = attrs(host, args, false)?;
    merge(
        &mut a,
        "dns_nameservers",
        args.flag("no_dns_nameservers"),
        &obj,
    );
    merge(&mut a, "host_routes", args.flag("no_host_route"), &obj);
    merge(
        &mut a,
        "allocation_pools",
        args.flag("no_allocation_pool"),
        &obj,
    );
    merge(&mut a, "service_types", false, &obj);
    if args.flag("leak_routes") {
        a.insert("leak_routes".into(), json!(true));
    } else if args.flag("no_leak_routes") {
        a.insert("leak_routes".into(), json!(false));
    }
    a.extend(common::extra_properties(args)?);
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        SUBNETS
            .update(host, &id, "PUT", Value::Object(a.clone()))
            .map_err(|e| common::explain_failure(host, &a, e))?;
    }
    common::apply_set_tags(host, &SUBNETS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

/// The subnet's `key` list without each of `drop` (OSC's `_update_arguments`).
fn without(obj: &Value, key: &str, drop: Vec<Value>, option: &str) -> Result<Value> {
    let mut list = obj[key].as_array().cloned().unwrap_or_default();
    for d in drop {
        match list.iter().position(|x| *x == d) {
            Some(i) => {
                list.remove(i);
            }
            None => {
                let shown = match &d {
                    Value::String(s) => s.clone(),
                    other => common::py_repr(other),
                };
                return Err(usage(format!("Subnet does not contain {option} {shown}")));
            }
        }
    }
    Ok(Value::Array(list))
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = SUBNETS.find(host, args.req("subnet")?)?;
    let mut a = Map::new();
    if args.flag("gateway") {
        a.insert("gateway_ip".into(), Value::Null);
    }
    let removals = [
        (
            "dns_nameservers",
            strings(args, "dns_nameserver"),
            "dns-nameserver",
        ),
        ("host_routes", host_routes(args)?, "host-route"),
        (
            "allocation_pools",
            allocation_pools(args)?,
            "allocation-pool",
        ),
        (
            "service_types",
            strings(args, "service_type"),
            "service-type",
        ),
    ];
    for (key, drop, option) in removals {
        if !drop.is_empty() {
            a.insert(key.into(), without(&obj, key, drop, option)?);
        }
    }
    a.extend(common::unset_extra_properties(args)?);
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        SUBNETS.update(host, &id, "PUT", Value::Object(a))?;
    }
    common::apply_unset_tags(host, &SUBNETS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}
