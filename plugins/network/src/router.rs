//! `router create|delete|list|set|show|unset` and `router add|remove
//! port|subnet|route|gateway`, as python-openstackclient 10.5's `network/v2/router.py`.

use crate::common::{self, SdkShape, NET, NETWORKS, PORTS, QOSPOLICIES, ROUTERS, SUBNETS};
use osc_plugin_sdk::verbs::{self, col, col_list, usage, Col};
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Request, Resource, Result, Value};

const FLAVORS: Resource = Resource::new(NET, "/flavors", "flavor", "flavors").sdk("Flavor");

/// openstacksdk's Router under OSC's column names. `admin_state_up` (UP/DOWN),
/// `external_gateway_info` and `interfaces_info` (JSON text) and `routes`
/// (`destination=..., gateway=...`) have OSC's own table forms, which the plugin ABI has no
/// style for: tables show them as `-f json` does.
const SHAPE: SdkShape = SdkShape {
    attrs: &[
        ("availability_zone_hints", "availability_zone_hints"),
        ("availability_zones", "availability_zones"),
        ("created_at", "created_at"),
        ("description", "description"),
        ("enable_ndp_proxy", "enable_ndp_proxy"),
        ("evpn_vni", "evpn_vni"),
        ("external_gateway_info", "external_gateway_info"),
        ("flavor_id", "flavor_id"),
        ("is_admin_state_up", "admin_state_up"),
        ("is_distributed", "distributed"),
        ("is_ha", "ha"),
        ("name", "name"),
        ("project_id", "project_id"),
        ("tenant_id", "tenant_id"),
        ("revision_number", "revision_number"),
        ("routes", "routes"),
        ("status", "status"),
        ("updated_at", "updated_at"),
        ("id", "id"),
        ("location", "location"),
        ("tags", "tags"),
    ],
    renames: &[
        ("is_ha", "ha"),
        ("is_distributed", "distributed"),
        ("is_admin_state_up", "admin_state_up"),
    ],
    hidden: &["location", "tenant_id"],
    false_default: &[],
    styles: &[
        ("availability_zones", "list"),
        ("availability_zone_hints", "list"),
        ("tags", "list"),
    ],
};

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Status", "status"),
    col("State", "admin_state_up"),
    col("Project", "project_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "router create" => create(host, args),
        "router delete" => verbs::delete(host, &ROUTERS, &args.list("router"), "routers"),
        "router list" => list(host, args),
        "router set" => set(host, args),
        "router show" => show(host, args),
        "router unset" => unset(host, args),
        "router add port" => interface(host, args, "add", "port"),
        "router remove port" => interface(host, args, "remove", "port"),
        "router add subnet" => interface(host, args, "add", "subnet"),
        "router remove subnet" => interface(host, args, "remove", "subnet"),
        "router add route" => extra_routes(host, args, "add_extraroutes"),
        "router remove route" => extra_routes(host, args, "remove_extraroutes"),
        "router add gateway" => gateways(host, args, "add_external_gateways"),
        "router remove gateway" => gateways(host, args, "remove_external_gateways"),
        _ => return None,
    })
}

/// OSC's `_get_columns`: `ha`, `distributed` and `evpn_vni` only when set.
fn reply(obj: &Value) -> Reply {
    let obj = common::ints(obj.clone(), &["evpn_vni", "revision_number"]);
    let mut r = Reply::show();
    for (k, v) in SHAPE.fields(&obj) {
        let optional = matches!(k.as_str(), "ha" | "distributed" | "evpn_vni");
        if !(optional && v.is_null()) {
            r = r.field(k, v);
        }
    }
    for (c, s) in SHAPE.styles {
        r = r.style(c, s);
    }
    r
}

/// `router show`: the router with `interfaces_info`, its ports' fixed IPs but the gateway's.
fn show(host: &Host, args: &Args) -> Result<Reply> {
    let mut obj = ROUTERS.find(host, args.req("router")?)?;
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    let ports = PORTS.list(host, &[("device_id".into(), id)])?;
    let mut info = Vec::new();
    for p in ports
        .iter()
        .filter(|p| p["device_owner"] != "network:router_gateway")
    {
        for ip in p["fixed_ips"].as_array().into_iter().flatten() {
            info.push(json!({
                "port_id": p["id"],
                "ip_address": ip.get("ip_address"),
                "subnet_id": ip.get("subnet_id"),
            }));
        }
    }
    obj["interfaces_info"] = json!(info);
    Ok(reply(&obj))
}

fn multiple_gateways(host: &Host) -> Result<bool> {
    common::has_extension(host, "external-gateway-multihoming")
}

/// `--fixed-ip subnet=<subnet>,ip-address=<ip>` of a gateway: the spec and its network.
fn gateway_fixed_ips(host: &Host, args: &Args, first: &str) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for mut spec in common::key_values_all(args, "fixed_ip", &[], &["subnet", "ip-address"])? {
        let mut net = first.to_string();
        if let Some(s) = spec.shift_remove("subnet").filter(|s| s != "") {
            let sub = SUBNETS.find(host, s.as_str().unwrap_or_default())?;
            spec.insert("subnet_id".into(), sub["id"].clone());
            net = sub["network_id"].as_str().unwrap_or_default().to_string();
        }
        if let Some(ip) = spec.shift_remove("ip-address").filter(|s| s != "") {
            spec.insert("ip_address".into(), ip);
        }
        out.push((net, Value::Object(spec)));
    }
    Ok(out)
}

/// OSC's `_get_external_gateway_attrs`: `external_gateway_info` (the first gateway), or
/// `external_gateways` where Neutron has external-gateway-multihoming.
fn gateway_attrs(host: &Host, args: &Args, arg: &str) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    let names = args.list(arg);
    if names.is_empty() {
        return Ok(a);
    }
    // Gateways per network, in the order their networks were first named.
    let mut gws: Vec<(String, Vec<Map<String, Value>>)> = Vec::new();
    for name in &names {
        let net = NETWORKS.find_id(host, name)?;
        let mut info = Map::new();
        info.insert("network_id".into(), json!(net));
        if args.flag("disable_snat") {
            info.insert("enable_snat".into(), json!(false));
        }
        if args.flag("enable_snat") {
            info.insert("enable_snat".into(), json!(true));
        }
        if let Some(q) = args.str("qos_policy").filter(|q| !q.is_empty()) {
            info.insert("qos_policy_id".into(), json!(QOSPOLICIES.find_id(host, q)?));
        }
        if args.flag("no_qos_policy") {
            info.insert("qos_policy_id".into(), Value::Null);
        }
        match gws.iter_mut().find(|(n, _)| *n == net) {
            Some((_, l)) => l.push(info),
            None => gws.push((net, vec![info])),
        }
    }
    let multiple = multiple_gateways(host)?;
    let first = gws[0].0.clone();
    for (net, spec) in gateway_fixed_ips(host, args, &first)? {
        let Some((_, infos)) = gws.iter_mut().find(|(n, _)| *n == net) else {
            return Err(usage(format!(
                "Subnet {} does not belong to any of the networks provided for --external-gateway.",
                spec["subnet_id"].as_str().unwrap_or_default()
            )));
        };
        match infos
            .iter_mut()
            .find(|i| !i.contains_key("external_fixed_ips"))
        {
            Some(i) => {
                i.insert("external_fixed_ips".into(), json!([spec]));
            }
            None => {
                if let Some(Value::Array(l)) = infos[0].get_mut("external_fixed_ips") {
                    l.push(spec);
                }
            }
        }
    }
    if multiple {
        let all: Vec<Value> = gws
            .into_iter()
            .flat_map(|(_, l)| l.into_iter().map(Value::Object))
            .collect();
        a.insert("external_gateways".into(), json!(all));
    } else {
        let info = gws.swap_remove(0).1.swap_remove(0);
        a.insert("external_gateway_info".into(), Value::Object(info));
    }
    Ok(a)
}

/// OSC's `_get_attrs`, shared by create and set.
fn attrs(host: &Host, args: &Args, create: bool) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    if let Some(v) = args.str("name") {
        a.insert("name".into(), json!(v));
    }
    if args.flag("enable") || (create && !args.flag("disable")) {
        a.insert("admin_state_up".into(), json!(true));
    }
    if args.flag("disable") {
        a.insert("admin_state_up".into(), json!(false));
    }
    if args.flag("centralized") {
        a.insert("distributed".into(), json!(false));
    }
    if args.flag("distributed") {
        a.insert("distributed".into(), json!(true));
    }
    if create && args.has("availability_zone_hint") {
        let hints = args.list("availability_zone_hint");
        a.insert("availability_zone_hints".into(), json!(hints));
    }
    if let Some(v) = args.str("description") {
        a.insert("description".into(), json!(v));
    }
    if create {
        if let Some(p) = common::project(host, args)? {
            a.insert("project_id".into(), json!(p));
        }
    }
    a.extend(gateway_attrs(host, args, "external_gateway")?);
    if let Some(f) = args.str("flavor_id").or(args.str("flavor")) {
        a.insert("flavor_id".into(), json!(FLAVORS.find_id(host, f)?));
    }
    for (key, on, off) in [
        (
            "enable_default_route_bfd",
            "enable_default_route_bfd",
            "disable_default_route_bfd",
        ),
        (
            "enable_default_route_ecmp",
            "enable_default_route_ecmp",
            "disable_default_route_ecmp",
        ),
    ] {
        if args.flag(on) {
            a.insert(key.into(), json!(true));
        } else if args.flag(off) {
            a.insert(key.into(), json!(false));
        }
    }
    if let Some(v) = evpn_vni(args)? {
        a.insert("evpn_vni".into(), json!(v));
    }
    Ok(a)
}

/// `--evpn-vni` (a positive integer) or `--auto-evpn-vni` (0).
fn evpn_vni(args: &Args) -> Result<Option<i64>> {
    if args.flag("auto_evpn_vni") {
        return Ok(Some(0));
    }
    let Some(v) = args.str("evpn_vni") else {
        return Ok(None);
    };
    match v.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        Ok(_) => Err(common::arg_error(
            "--evpn-vni",
            "VNI must be a positive integer",
        )),
        Err(_) => Err(common::arg_error(
            "--evpn-vni",
            &format!("Invalid VNI value: {v}"),
        )),
    }
}

fn ndp_proxy(args: &Args) -> Option<bool> {
    if args.flag("enable_ndp_proxy") {
        Some(true)
    } else if args.flag("disable_ndp_proxy") {
        Some(false)
    } else {
        None
    }
}

/// `_command_check_bfd_ecmp_supported`.
fn check_bfd_ecmp(host: &Host, a: &Map<String, Value>) -> Result<()> {
    let wants =
        a.contains_key("enable_default_route_bfd") || a.contains_key("enable_default_route_ecmp");
    if wants && !multiple_gateways(host)? {
        return Err(usage(
            "The external-gateway-multihoming extension is not enabled at the Neutron side, cannot use --enable-default-route-bfd or --enable-default-route-ecmp arguments.",
        ));
    }
    Ok(())
}

fn put_gateways(host: &Host, id: &str, action: &str, gws: Value) -> Result<Value> {
    let path = format!("{}/{action}", ROUTERS.item_path(id));
    let v = host
        .request(Request::put(NET, path).json(json!({"router": {"external_gateways": gws}})))?
        .ok()?
        .json()?;
    Ok(ROUTERS.unwrap_one(v))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = attrs(host, args, true)?;
    if args.flag("ha") {
        a.insert("ha".into(), json!(true));
    }
    if args.flag("no_ha") {
        a.insert("ha".into(), json!(false));
    }
    a.extend(common::extra_properties(args)?);
    let has_gw = args.has("external_gateway");
    if args.flag("enable_ndp_proxy") && !has_gw {
        return Err(usage(
            "You must specify '--external-gateway' in order to enable router's NDP proxy",
        ));
    }
    if args.str("qos_policy").is_some_and(|q| !q.is_empty()) && !has_gw {
        return Err(usage(
            "You must specify '--external-gateway' in order to define a QoS policy",
        ));
    }
    if let Some(n) = ndp_proxy(args) {
        a.insert("enable_ndp_proxy".into(), json!(n));
    }
    check_bfd_ecmp(host, &a)?;
    let gws = a.shift_remove("external_gateways");
    let obj = ROUTERS.create(host, Value::Object(a))?;
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    let tags = common::apply_set_tags(host, &ROUTERS.item_path(&id), &obj, args)?;
    if let Some(g) = gws.filter(|g| g.as_array().is_some_and(|l| !l.is_empty())) {
        put_gateways(host, &id, "update_external_gateways", g)?;
    }
    let snat_or_ips = args.flag("disable_snat") || args.flag("enable_snat") || args.has("fixed_ip");
    if snat_or_ips && !has_gw {
        return Err(usage(
            "You must specify '--external-gateway' in order to specify SNAT or fixed-ip values",
        ));
    }
    Ok(reply(&common::with_tags(obj, tags)))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    if let Some(n) = args.str("name") {
        q.push(("name".into(), n.to_string()));
    }
    if args.flag("enable") {
        q.push(("admin_state_up".into(), "True".into()));
    } else if args.flag("disable") {
        q.push(("admin_state_up".into(), "False".into()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    common::tag_filters(args, &mut q);
    let items = match args.str("agent") {
        None => common::paged(host, &ROUTERS, q, args)?,
        Some(agent) => agent_routers(host, agent, &q)?,
    };
    let mut cols: Vec<Col> = LIST.to_vec();
    for r in &items {
        if !r["distributed"].is_null() && !cols.iter().any(|c| c.header == "Distributed") {
            cols.push(col("Distributed", "distributed"));
        }
        if !r["ha"].is_null() && !cols.iter().any(|c| c.header == "HA") {
            cols.push(col("HA", "ha"));
        }
    }
    if args.flag("long") {
        cols.push(col("Routes", "routes"));
        cols.push(col("External gateway info", "external_gateway_info"));
        if common::has_extension(host, "router_availability_zone")? {
            cols.push(col_list("Availability zones", "availability_zones"));
        }
        cols.push(col_list("Tags", "tags"));
    }
    Ok(verbs::list_reply(&items, &cols))
}

/// `router list --agent`: the routers an L3 agent hosts, filtered here (Neutron's API does
/// not filter them) on the members that exist.
fn agent_routers(host: &Host, agent: &str, q: &[(String, String)]) -> Result<Vec<Value>> {
    let seg = osc_plugin_sdk::osc_api::resource::encode_segment(agent);
    host.request(Request::get(NET, format!("/agents/{seg}")))?
        .ok()?;
    let v = host
        .request(Request::get(NET, format!("/agents/{seg}/l3-routers")))?
        .ok()?
        .json()?;
    let mut items = v["routers"].as_array().cloned().unwrap_or_default();
    for (k, want) in q {
        if k == "name" || k == "project_id" {
            items.retain(|r| r[k.as_str()].as_str() == Some(want.as_str()));
        }
    }
    Ok(items)
}

/// `--route destination=<subnet>,gateway=<ip>` as Neutron's `{destination, nexthop}`.
fn routes(args: &Args) -> Result<Vec<Value>> {
    let specs = common::key_values_all(args, "route", &["destination", "gateway"], &[])?;
    Ok(specs
        .into_iter()
        .map(|mut r| {
            if let Some(g) = r.shift_remove("gateway") {
                r.insert("nexthop".into(), g);
            }
            Value::Object(r)
        })
        .collect())
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let obj = ROUTERS.find(host, args.req("router")?)?;
    let mut a = attrs(host, args, false)?;
    if args.flag("ha") {
        a.insert("ha".into(), json!(true));
    } else if args.flag("no_ha") {
        a.insert("ha".into(), json!(false));
    }
    if args.has("route") {
        let mut r = routes(args)?;
        if !args.flag("no_route") {
            r.extend(obj["routes"].as_array().cloned().unwrap_or_default());
        }
        a.insert("routes".into(), json!(r));
    } else if args.flag("no_route") {
        a.insert("routes".into(), json!([]));
    }
    let has_gw = args.has("external_gateway");
    let snat_or_ips = args.flag("disable_snat") || args.flag("enable_snat") || args.has("fixed_ip");
    if snat_or_ips && !has_gw {
        return Err(usage(
            "You must specify '--external-gateway' in order to update the SNAT or fixed-ip values",
        ));
    }
    let qos = args.str("qos_policy").filter(|q| !q.is_empty());
    if (qos.is_some() || args.flag("no_qos_policy")) && !has_gw {
        let Some(net) = obj["external_gateway_info"].get("network_id").cloned() else {
            return Err(usage(
                "You must specify '--external-gateway' or the router must already have an external network in order to set router gateway IP QoS",
            ));
        };
        if !a.contains_key("external_gateway_info") && !a.contains_key("external_gateways") {
            a.insert("external_gateway_info".into(), json!({}));
        }
        if let Some(Value::Object(info)) = a.get_mut("external_gateway_info") {
            info.insert("network_id".into(), net);
        }
    }
    let qos_value = match qos {
        Some(q) => Some(json!(QOSPOLICIES.find_id(host, q)?)),
        None if args.flag("no_qos_policy") => Some(Value::Null),
        None => None,
    };
    if let Some(v) = qos_value.filter(|_| !a.contains_key("external_gateways")) {
        if let Some(Value::Object(info)) = a.get_mut("external_gateway_info") {
            info.insert("qos_policy_id".into(), v);
        }
    }
    a.extend(common::extra_properties(args)?);
    if let Some(n) = ndp_proxy(args) {
        a.insert("enable_ndp_proxy".into(), json!(n));
    }
    check_bfd_ecmp(host, &a)?;
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        let gws = a.shift_remove("external_gateways");
        ROUTERS.update(host, &id, "PUT", Value::Object(a))?;
        if let Some(g) = gws.filter(|g| g.as_array().is_some_and(|l| !l.is_empty())) {
            put_gateways(host, &id, "update_external_gateways", g)?;
        }
    }
    common::apply_set_tags(host, &ROUTERS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = ROUTERS.find(host, args.req("router")?)?;
    let mut a = Map::new();
    let drop = routes(args)?;
    if !drop.is_empty() {
        let mut left = obj["routes"].as_array().cloned().unwrap_or_default();
        for r in drop {
            match left.iter().position(|x| *x == r) {
                Some(i) => {
                    left.remove(i);
                }
                None => {
                    let shown = common::py_repr(&r);
                    return Err(usage(format!("Router does not contain route {shown}")));
                }
            }
        }
        a.insert("routes".into(), json!(left));
    }
    if args.flag("qos_policy") {
        let gw = &obj["external_gateway_info"];
        if gw.get("network_id").is_none() || gw.get("qos_policy_id").is_none() {
            return Err(usage("Router does not have external network or QoS policy"));
        }
        a.insert(
            "external_gateway_info".into(),
            json!({"network_id": gw["network_id"], "qos_policy_id": null}),
        );
    }
    if args.flag("external_gateway") {
        a.insert("external_gateway_info".into(), json!({}));
    }
    a.extend(common::unset_extra_properties(args)?);
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        if multiple_gateways(host)? {
            put_gateways(host, &id, "remove_external_gateways", json!({}))?;
        }
        ROUTERS.update(host, &id, "PUT", Value::Object(a))?;
    }
    common::apply_unset_tags(host, &ROUTERS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

/// `router add|remove port|subnet`: the router's `add_router_interface` or
/// `remove_router_interface` with the port's or subnet's ID.
fn interface(host: &Host, args: &Args, verb: &str, what: &str) -> Result<Reply> {
    let (r, key) = match what {
        "port" => (&PORTS, "port_id"),
        _ => (&SUBNETS, "subnet_id"),
    };
    let target = r.find_id(host, args.req(what)?)?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    let mut body = Map::new();
    body.insert(key.into(), json!(target));
    if args.flag("advertise_host") {
        body.insert("advertise_host".into(), json!(true));
    }
    let path = format!("{}/{verb}_router_interface", ROUTERS.item_path(&router));
    host.request(Request::put(NET, path).json(Value::Object(body)))?
        .ok()?;
    Ok(Reply::None)
}

/// `router add|remove route`: the router's `add_extraroutes`/`remove_extraroutes`.
fn extra_routes(host: &Host, args: &Args, action: &str) -> Result<Reply> {
    let r = routes(args)?;
    let id = ROUTERS.find_id(host, args.req("router")?)?;
    let path = format!("{}/{action}", ROUTERS.item_path(&id));
    let v = host
        .request(Request::put(NET, path).json(json!({"router": {"routes": r}})))?
        .ok()?
        .json()?;
    Ok(reply(&ROUTERS.unwrap_one(v)))
}

/// `router add|remove gateway`: needs Neutron's external-gateway-multihoming.
fn gateways(host: &Host, args: &Args, action: &str) -> Result<Reply> {
    if !multiple_gateways(host)? {
        return Err(usage(
            "The external-gateway-multihoming extension is not enabled at the Neutron side.",
        ));
    }
    let obj = ROUTERS.find(host, args.req("router")?)?;
    let mut a = gateway_attrs(host, args, "external_gateways")?;
    let obj = match a.shift_remove("external_gateways") {
        Some(g) => put_gateways(host, obj["id"].as_str().unwrap_or_default(), action, g)?,
        None => obj,
    };
    Ok(reply(&obj))
}
