//! `port create|delete|list|set|show|unset`, as python-openstackclient 10.5's
//! `network/v2/port.py`.

use crate::common::{self, NETWORKS, PORTS, QOSPOLICIES, ROUTERS, SECURITY_GROUPS, SUBNETS};
use osc_plugin_sdk::verbs::{self, col, col_dict, col_list, col_styled, usage, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

/// OSC's `_get_columns`: every port column, (header, field).
const SHOW: &[Col] = &[
    col("admin_state_up", "admin_state_up"),
    col_styled(
        "allowed_address_pairs",
        "allowed_address_pairs",
        "list_dict",
    ),
    col("binding_host_id", "binding:host_id"),
    col_dict("binding_profile", "binding:profile"),
    col_dict("binding_vif_details", "binding:vif_details"),
    col("binding_vif_type", "binding:vif_type"),
    col("binding_vnic_type", "binding:vnic_type"),
    col("created_at", "created_at"),
    col("data_plane_status", "data_plane_status"),
    col("description", "description"),
    col("device_id", "device_id"),
    col("device_owner", "device_owner"),
    col("device_profile", "device_profile"),
    col_styled("dns_assignment", "dns_assignment", "list_dict"),
    col("dns_domain", "dns_domain"),
    col("dns_name", "dns_name"),
    col_styled("extra_dhcp_opts", "extra_dhcp_opts", "list_dict"),
    col_styled("fixed_ips", "fixed_ips", "list_dict"),
    col("hardware_offload_type", "hardware_offload_type"),
    col("hints", "hints"),
    col("id", "id"),
    col("ip_allocation", "ip_allocation"),
    col("mac_address", "mac_address"),
    col("name", "name"),
    col("network_id", "network_id"),
    col("numa_affinity_policy", "numa_affinity_policy"),
    col("port_security_enabled", "port_security_enabled"),
    col("project_id", "project_id"),
    col("propagate_uplink_status", "propagate_uplink_status"),
    col("pvlan_type", "pvlan_type"),
    col("pvlan_community", "pvlan_community"),
    col("resource_request", "resource_request"),
    col("revision_number", "revision_number"),
    col("qos_network_policy_id", "qos_network_policy_id"),
    col("qos_policy_id", "qos_policy_id"),
    col_list("security_group_ids", "security_groups"),
    col("status", "status"),
    col_list("tags", "tags"),
    col("trunk_details", "trunk_details"),
    col("trusted", "trusted"),
    col("updated_at", "updated_at"),
];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("MAC Address", "mac_address"),
    col_styled("Fixed IP Addresses", "fixed_ips", "list_dict"),
    col("Status", "status"),
];
const LIST_PVLAN: &[Col] = &[
    col("PVLAN Type", "pvlan_type"),
    col("PVLAN Community", "pvlan_community"),
];
const LIST_LONG: &[Col] = &[
    col_list("Security Groups", "security_groups"),
    col("Device Owner", "device_owner"),
    col_list("Tags", "tags"),
    col_styled("Trunk subports", "trunk_details", "list_dict"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "port create" => create(host, args),
        "port delete" => verbs::delete(host, &PORTS, &args.list("port"), "ports"),
        "port list" => list(host, args),
        "port set" => set(host, args),
        "port show" => show(host, args),
        "port unset" => unset(host, args),
        _ => return None,
    })
}

fn reply(obj: &Value) -> Reply {
    // openstacksdk's Port has no `hints` attribute, so OSC always shows `""` for it.
    let mut obj = obj.clone();
    obj["hints"] = json!("");
    verbs::show_reply(&obj, SHOW)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(reply(&PORTS.find(host, args.req("port")?)?))
}

/// `--fixed-ip subnet=<subnet>,ip-address=<ip>` as Neutron's `{subnet_id, ip_address}`
/// (`_prepare_fixed_ips`: the subnet found by name or ID).
fn fixed_ips(host: &Host, args: &Args) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for mut spec in common::key_values_all(args, "fixed_ip", &[], &["subnet", "ip-address"])? {
        if let Some(Value::String(s)) = spec.get("subnet").cloned() {
            if !s.is_empty() {
                let id = SUBNETS.find_id(host, &s)?;
                spec.shift_remove("subnet");
                spec.insert("subnet_id".into(), json!(id));
            }
        }
        if let Some(ip) = spec.shift_remove("ip-address") {
            spec.insert("ip_address".into(), ip);
        }
        out.push(Value::Object(spec));
    }
    Ok(out)
}

/// `--allowed-address ip-address=<ip>[,mac-address=<mac>]` (`_convert_address_pairs`).
fn address_pairs(args: &Args) -> Result<Vec<Value>> {
    let specs = common::key_values_all(args, "allowed_address", &["ip-address"], &["mac-address"])?;
    Ok(specs
        .into_iter()
        .map(|s| {
            let mut m = Map::new();
            m.insert("ip_address".into(), s["ip-address"].clone());
            if let Some(mac) = s.get("mac-address") {
                m.insert("mac_address".into(), mac.clone());
            }
            Value::Object(m)
        })
        .collect())
}

/// `--extra-dhcp-option name=<name>[,value=<value>,ip-version={4,6}]`.
fn dhcp_options(args: &Args) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for s in args.list("extra_dhcp_option") {
        let kv = common::key_values(
            "--extra-dhcp-option",
            &s,
            &["name"],
            &["value", "ip-version"],
            true,
        )?;
        let mut m = Map::new();
        m.insert("opt_name".into(), kv["name"].clone());
        if let Some(v) = kv.get("value") {
            m.insert("opt_value".into(), v.clone());
        }
        if let Some(v) = kv.get("ip-version") {
            m.insert("ip_version".into(), v.clone());
        }
        out.push(Value::Object(m));
    }
    Ok(out)
}

/// A `JSONKeyValueAction` option (`--binding-profile`, `--hint`): each value JSON or
/// `key=value`, merged; `None` when not given.
fn json_key_values(args: &Args, arg: &str) -> Result<Option<Map<String, Value>>> {
    let values = args.list(arg);
    if values.is_empty() {
        return Ok(None);
    }
    let mut m = Map::new();
    for v in values {
        match osc_plugin_sdk::serde_json::from_str::<Value>(&v) {
            Ok(Value::Object(o)) => m.extend(o),
            Ok(_) | Err(_) => match v.split_once('=') {
                Some((k, val)) => {
                    m.insert(k.to_string(), json!(val));
                }
                None => {
                    return Err(Error::other(format!(
                        "argument --{}: Expected '<key>=<value>' or JSON data for option --{}, but encountered JSON parsing error: Expecting value: line 1 column 1 (char 0)",
                        arg.replace('_', "-"),
                        arg.replace('_', "-")
                    )))
                }
            },
        }
    }
    Ok(Some(m))
}

/// `--hint`: validated, aliases expanded, the extensions checked.
fn hints(host: &Host, args: &Args) -> Result<Option<Value>> {
    let Some(h) = json_key_values(args, "hint")? else {
        return Ok(None);
    };
    let h = Value::Object(h);
    let expanded = match h.get("ovs-tx-steering").and_then(Value::as_str) {
        Some(v) if h.as_object().map(Map::len) == Some(1) && (v == "thread" || v == "hash") => {
            json!({"openvswitch": {"other_config": {"tx-steering": v}}})
        }
        _ => h.clone(),
    };
    let valid = ["thread", "hash"]
        .iter()
        .any(|v| expanded == json!({"openvswitch": {"other_config": {"tx-steering": v}}}));
    if !valid {
        return Err(usage(
            "Invalid value to --hints, see --help for valid values.",
        ));
    }
    for ext in ["port-hints", "port-hint-ovs-tx-steering"] {
        if !common::has_extension(host, ext)? {
            return Err(usage(format!(
                "Not supported by Network API: No Extension found for {ext}"
            )));
        }
    }
    Ok(Some(expanded))
}

/// OSC's `_get_attrs`: what create and set share.
fn attrs(host: &Host, args: &Args, create: bool) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    let mut put = |k: &str, v: Value| {
        a.insert(k.to_string(), v);
    };
    if let Some(v) = args.str("description") {
        put("description", json!(v));
    }
    if let Some(v) = args.str("device").filter(|v| !v.is_empty()) {
        put("device_id", json!(v));
    }
    if let Some(v) = args.str("device_owner") {
        put("device_owner", json!(v));
    }
    if args.flag("enable") || (create && !args.flag("disable")) {
        put("admin_state_up", json!(true));
    }
    if args.flag("disable") {
        put("admin_state_up", json!(false));
    }
    if let Some(v) = args.str("vnic_type") {
        put("binding:vnic_type", json!(v));
    }
    if let Some(v) = args.str("host").filter(|v| !v.is_empty()) {
        put("binding:host_id", json!(v));
    }
    if let Some(v) = args.str("mac_address") {
        put("mac_address", json!(v));
    }
    if let Some(v) = args.str("dns_domain") {
        put("dns_domain", json!(v));
    }
    if let Some(v) = args.str("dns_name") {
        put("dns_name", json!(v));
    }
    if let Some(v) = args.str("name") {
        put("name", json!(v));
    }
    if create {
        if let Some(p) = common::project(host, args)? {
            put("project_id", json!(p));
        }
    }
    if args.flag("disable_port_security") {
        put("port_security_enabled", json!(false));
    }
    if args.flag("enable_port_security") {
        put("port_security_enabled", json!(true));
    }
    if let Some(q) = args.str("qos_policy").filter(|v| !v.is_empty()) {
        put("qos_policy_id", json!(QOSPOLICIES.find_id(host, q)?));
    }
    if args.flag("enable_uplink_status_propagation") {
        put("propagate_uplink_status", json!(true));
    }
    if args.flag("disable_uplink_status_propagation") {
        put("propagate_uplink_status", json!(false));
    }
    for policy in ["required", "preferred", "socket", "legacy"] {
        if args.flag(&format!("numa_policy_{policy}")) {
            put("numa_affinity_policy", json!(policy));
            break;
        }
    }
    for (arg, key) in [
        ("device_profile", "device_profile"),
        ("hardware_offload_type", "hardware_offload_type"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            put(key, json!(v));
        }
    }
    if args.flag("not_trusted") {
        put("trusted", json!(false));
    }
    if args.flag("trusted") {
        put("trusted", json!(true));
    }
    if let Some(v) = args.str("pvlan_type") {
        put("pvlan_type", json!(v));
    }
    if let Some(v) = args.str("pvlan_community") {
        put("pvlan_community", json!(v));
    }
    validate_pvlan(&a)?;
    Ok(a)
}

fn wants_pvlan(a: &Map<String, Value>) -> bool {
    let set = |k: &str| a.get(k).is_some_and(|v| !v.is_null() && v != "");
    set("pvlan_type") || set("pvlan_community")
}

/// `_validate_pvlan_port`.
fn validate_pvlan(a: &Map<String, Value>) -> Result<()> {
    if wants_pvlan(a) && a.get("port_security_enabled") == Some(&json!(false)) {
        return Err(usage(
            "PVLAN attributes cannot be set when port security is disabled.",
        ));
    }
    let community = a.get("pvlan_community").is_some_and(|v| v != "");
    if a.get("pvlan_type") == Some(&json!("community")) && !community {
        return Err(usage(
            "--pvlan-community is required when --pvlan-type is 'community'.",
        ));
    }
    Ok(())
}

/// `_validate_pvlan_network_port`.
fn validate_pvlan_network(a: &Map<String, Value>, network: &Value) -> Result<()> {
    let enabled = network
        .get("pvlan")
        .is_some_and(|v| v.as_bool() == Some(true));
    if wants_pvlan(a) && !enabled {
        return Err(usage(
            "PVLAN attributes cannot be set on a port whose network does not have PVLAN enabled.",
        ));
    }
    Ok(())
}

fn security_group_ids(host: &Host, args: &Args) -> Result<Vec<Value>> {
    args.list("security_group")
        .iter()
        .map(|sg| Ok(json!(SECURITY_GROUPS.find_id(host, sg)?)))
        .collect()
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let network = NETWORKS.find(host, args.req("network")?)?;
    let fixed = fixed_ips(host, args)?;
    let mut a = attrs(host, args, true)?;
    a.insert("network_id".into(), network["id"].clone());
    if let Some(p) = json_key_values(args, "binding_profile")? {
        a.insert("binding:profile".into(), Value::Object(p));
    }
    if !fixed.is_empty() {
        a.insert("fixed_ips".into(), json!(fixed));
    } else if args.flag("no_fixed_ip") {
        a.insert("fixed_ips".into(), json!([]));
    }
    if args.flag("no_security_group") {
        a.insert("security_groups".into(), json!([]));
    } else if args.has("security_group") {
        a.insert(
            "security_groups".into(),
            json!(security_group_ids(host, args)?),
        );
    }
    let pairs = address_pairs(args)?;
    if !pairs.is_empty() {
        a.insert("allowed_address_pairs".into(), json!(pairs));
    }
    let dhcp = dhcp_options(args)?;
    if !dhcp.is_empty() {
        a.insert("extra_dhcp_opts".into(), json!(dhcp));
    }
    if let Some(h) = hints(host, args)? {
        a.insert("hints".into(), h);
    }
    let tags_in_post = common::has_extension(host, "tag-ports-during-bulk-creation")?;
    if tags_in_post {
        if args.flag("no_tag") {
            a.insert("tags".into(), json!([]));
        }
        if let Some(t) = common::create_tags(args) {
            a.insert("tags".into(), json!(t));
        }
    }
    a.extend(common::extra_properties(args)?);
    validate_pvlan_network(&a, &network)?;
    let obj = PORTS
        .create(host, Value::Object(a.clone()))
        .map_err(|e| common::explain_failure(host, &a, e))?;
    let obj = if tags_in_post {
        obj
    } else {
        let path = PORTS.item_path(obj["id"].as_str().unwrap_or_default());
        let tags = common::apply_set_tags(host, &path, &obj, args)?;
        common::with_tags(obj, tags)
    };
    Ok(reply(&obj))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| q.push((k.to_string(), v));
    if let Some(v) = args.str("device_owner") {
        push("device_owner", v.to_string());
    }
    if let Some(v) = args.str("device_id") {
        push("device_id", v.to_string());
    }
    if let Some(r) = args.str("router").filter(|v| !v.is_empty()) {
        push("device_id", ROUTERS.find_id(host, r)?);
    }
    if let Some(s) = args.str("server").filter(|v| !v.is_empty()) {
        push("device_id", server_id(host, s)?);
    }
    if let Some(v) = args.str("host").filter(|v| !v.is_empty()) {
        push("binding:host_id", v.to_string());
    }
    if let Some(n) = args.str("network").filter(|v| !v.is_empty()) {
        push("network_id", NETWORKS.find_id(host, n)?);
    }
    if let Some(v) = args.str("mac_address").filter(|v| !v.is_empty()) {
        push("mac_address", v.to_string());
    }
    if let Some(v) = args.str("status") {
        push("status", v.to_string());
    }
    if let Some(p) = common::project(host, args)? {
        push("project_id", p);
    }
    if let Some(v) = args.str("name").filter(|v| !v.is_empty()) {
        push("name", v.to_string());
    }
    for f in filter_fixed_ips(host, args)? {
        push("fixed_ips", f);
    }
    for sg in args.list("security_group") {
        push("security_groups", sg);
    }
    common::tag_filters(args, &mut q);
    let pvlan = args.flag("pvlan")
        || args.flag("no_pvlan")
        || args.has("pvlan_type")
        || args.has("pvlan_community");
    let mut cols: Vec<Col> = LIST.to_vec();
    if pvlan {
        cols.extend_from_slice(LIST_PVLAN);
    }
    if args.flag("long") {
        cols.extend_from_slice(LIST_LONG);
    }
    let mut items = common::paged(host, &PORTS, q, args)?;
    // Not in openstacksdk's query mapping: the SDK filters on them itself.
    for key in ["pvlan_type", "pvlan_community"] {
        if let Some(v) = args.str(key) {
            items.retain(|p| p.get(key) == Some(&json!(v)));
        }
    }
    if args.flag("pvlan") {
        items.retain(|p| !p["pvlan_type"].is_null());
    } else if args.flag("no_pvlan") {
        items.retain(|p| p["pvlan_type"].is_null());
    }
    for p in &mut items {
        if let Some(sub) = p
            .get("trunk_details")
            .and_then(|t| t.get("sub_ports"))
            .cloned()
        {
            p["trunk_details"] = sub;
        }
    }
    Ok(verbs::list_reply(&items, &cols))
}

/// `--fixed-ip` of `port list` as Neutron's `fixed_ips` filters (`_prepare_filter_fixed_ips`).
fn filter_fixed_ips(host: &Host, args: &Args) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let keys = ["subnet", "ip-address", "ip-substring"];
    for spec in common::key_values_all(args, "fixed_ip", &[], &keys)? {
        if let Some(s) = spec
            .get("subnet")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            out.push(format!("subnet_id={}", SUBNETS.find_id(host, s)?));
        }
        if let Some(ip) = spec.get("ip-address").and_then(Value::as_str) {
            out.push(format!("ip_address={ip}"));
        }
        if let Some(ip) = spec.get("ip-substring").and_then(Value::as_str) {
            out.push(format!("ip_address_substr={ip}"));
        }
    }
    Ok(out)
}

/// A server's ID by name or ID, as `compute.find_server`.
fn server_id(host: &Host, name_or_id: &str) -> Result<String> {
    const SERVERS: osc_plugin_sdk::Resource =
        osc_plugin_sdk::Resource::new("compute", "/servers", "server", "servers")
            .list_path("/servers/detail")
            .sdk("Server");
    SERVERS.find_id(host, name_or_id)
}

/// The existing members of a list field, as OSC copies them (empty ones dropped).
fn current_list(obj: &Value, key: &str) -> Vec<Value> {
    obj[key]
        .as_array()
        .map(|a| a.iter().filter(|v| !is_empty(v)).cloned().collect())
        .unwrap_or_default()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let fixed = fixed_ips(host, args)?;
    let obj = PORTS.find(host, args.req("port")?)?;
    let mut a = attrs(host, args, false)?;
    if args.flag("no_binding_profile") {
        a.insert("binding:profile".into(), json!({}));
    }
    if let Some(p) = json_key_values(args, "binding_profile")?.filter(|p| !p.is_empty()) {
        let mut profile = match a.get("binding:profile") {
            Some(Value::Object(m)) => m.clone(),
            _ => obj["binding:profile"]
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        profile.extend(p);
        a.insert("binding:profile".into(), Value::Object(profile));
    }
    extend_list(&mut a, "fixed_ips", args.flag("no_fixed_ip"), fixed, &obj)?;
    let sgs = security_group_ids(host, args)?;
    extend_list(
        &mut a,
        "security_groups",
        args.flag("no_security_group"),
        sgs,
        &obj,
    )?;
    let pairs = address_pairs(args)?;
    let no_pairs = args.flag("no_allowed_address");
    extend_list(&mut a, "allowed_address_pairs", no_pairs, pairs, &obj)?;
    let dhcp = dhcp_options(args)?;
    if !dhcp.is_empty() {
        a.insert("extra_dhcp_opts".into(), json!(dhcp));
    }
    if let Some(v) = args.str("data_plane_status") {
        a.insert("data_plane_status".into(), json!(v));
    }
    if let Some(h) = hints(host, args)? {
        a.insert("hints".into(), h);
    }
    a.extend(common::extra_properties(args)?);
    if wants_pvlan(&a) {
        let network = NETWORKS.find(host, obj["network_id"].as_str().unwrap_or_default())?;
        validate_pvlan_network(&a, &network)?;
    }
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        PORTS
            .update(host, &id, "PUT", Value::Object(a.clone()))
            .map_err(|e| common::explain_failure(host, &a, e))?;
    }
    common::apply_set_tags(host, &PORTS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

/// A read-modify-write list option of `set`: cleared by `--no-…`, then the current members
/// (unless cleared) with `new` appended.
fn extend_list(
    a: &mut Map<String, Value>,
    key: &str,
    clear: bool,
    new: Vec<Value>,
    obj: &Value,
) -> Result<()> {
    if clear {
        a.insert(key.into(), json!([]));
    }
    if !new.is_empty() {
        let mut list = match a.get(key) {
            Some(Value::Array(l)) => l.clone(),
            _ => current_list(obj, key),
        };
        list.extend(new);
        a.insert(key.into(), Value::Array(list));
    }
    Ok(())
}

/// Removes each of `drop` from the port's `key` list; the first one missing is an error.
fn remove_each(obj: &Value, key: &str, drop: &[(Value, String)], what: &str) -> Result<Value> {
    let mut list = obj[key].as_array().cloned().unwrap_or_default();
    for (v, shown) in drop {
        match list.iter().position(|x| x == v) {
            Some(i) => {
                list.remove(i);
            }
            None => return Err(usage(format!("Port does not contain {what} {shown}"))),
        }
    }
    Ok(Value::Array(list))
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = PORTS.find(host, args.req("port")?)?;
    let mut a = Map::new();
    let fixed: Vec<(Value, String)> = fixed_ips(host, args)?
        .into_iter()
        .map(|f| {
            let shown = common::py_repr(&f);
            (f, shown)
        })
        .collect();
    if !fixed.is_empty() {
        a.insert(
            "fixed_ips".into(),
            remove_each(&obj, "fixed_ips", &fixed, "fixed-ip")?,
        );
    }
    let keys = args.list("binding_profile");
    if !keys.is_empty() {
        let mut profile = obj["binding:profile"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for k in keys {
            if profile.shift_remove(&k).is_none() {
                return Err(usage(format!("Port does not contain binding-profile {k}")));
            }
        }
        a.insert("binding:profile".into(), Value::Object(profile));
    }
    let mut sgs = Vec::new();
    for sg in args.list("security_group") {
        sgs.push((json!(SECURITY_GROUPS.find_id(host, &sg)?), sg));
    }
    if !sgs.is_empty() {
        let left = remove_each(&obj, "security_groups", &sgs, "security group")?;
        a.insert("security_groups".into(), left);
    }
    let pairs: Vec<(Value, String)> = address_pairs(args)?
        .into_iter()
        .map(|p| {
            let shown = common::py_repr(&p);
            (p, shown)
        })
        .collect();
    if !pairs.is_empty() {
        let left = remove_each(
            &obj,
            "allowed_address_pairs",
            &pairs,
            "allowed-address-pair",
        )?;
        a.insert("allowed_address_pairs".into(), left);
    }
    for (flag, key, value) in [
        ("qos_policy", "qos_policy_id", Value::Null),
        ("data_plane_status", "data_plane_status", Value::Null),
        ("numa_policy", "numa_affinity_policy", Value::Null),
        ("host", "binding:host_id", Value::Null),
        ("hints", "hints", Value::Null),
        ("device", "device_id", json!("")),
        ("device_owner", "device_owner", json!("")),
        ("pvlan_community", "pvlan_community", Value::Null),
    ] {
        if args.flag(flag) {
            a.insert(key.into(), value);
        }
    }
    a.extend(common::unset_extra_properties(args)?);
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        PORTS.update(host, &id, "PUT", Value::Object(a))?;
    }
    common::apply_unset_tags(host, &PORTS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}
