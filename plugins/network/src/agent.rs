//! `network agent`, as OSC's `network_agent.py`.
//!
//! OSC shows `alive` as ':-)'/'XXX' and `admin_state_up` as 'UP'/'DOWN' in tables (its
//! `AliveColumn` and `AdminStateColumn`); `-f json` prints the booleans, as these do.

use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, col_dict, Body, Col};
use osc_plugin_sdk::{json, Args, Host, Reply, Request, Resource, Result};

const AGENTS: Resource = Resource::new(NET, "/agents", "agent", "agents").sdk("Agent");
const NETWORKS: Resource = Resource::new(NET, "/networks", "network", "networks").sdk("Network");
const ROUTERS: Resource = Resource::new(NET, "/routers", "router", "routers").sdk("Router");

/// OSC's fixed show columns, each from its SDK attribute's body field.
const SHOW: &[Col] = &[
    col("admin_state_up", "admin_state_up"),
    col("agent_type", "agent_type"),
    col("alive", "alive"),
    col("availability_zone", "availability_zone"),
    col("binary", "binary"),
    col_dict("configuration", "configurations"),
    col("created_at", "created_at"),
    col("description", "description"),
    col("ha_chassis_priority", "ha_chassis_priority"),
    col("ha_state", "ha_state"),
    col("host", "host"),
    col("id", "id"),
    col("last_heartbeat_at", "heartbeat_timestamp"),
    col("resources_synced", "resources_synced"),
    col("started_at", "started_at"),
    col("topic", "topic"),
];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Agent Type", "agent_type"),
    col("Host", "host"),
    col("Availability Zone", "availability_zone"),
    col("Alive", "alive"),
    col("State", "admin_state_up"),
    col("Binary", "binary"),
];

/// `--agent-type` choices as Neutron names the agent types.
const AGENT_TYPES: &[(&str, &str)] = &[
    ("bgp", "BGP dynamic routing agent"),
    ("dhcp", "DHCP agent"),
    ("open-vswitch", "Open vSwitch agent"),
    ("linux-bridge", "Linux bridge agent"),
    ("ofa", "OFA driver agent"),
    ("l3", "L3 agent"),
    ("loadbalancer", "Loadbalancer agent"),
    ("metering", "Metering agent"),
    ("metadata", "Metadata agent"),
    ("macvtap", "Macvtap agent"),
    ("nic", "NIC Switch agent"),
    ("baremetal", "Baremetal Node"),
    ("ovn-controller", "OVN Controller agent"),
    ("ovn-controller-gateway", "OVN Controller Gateway agent"),
    ("ovn-metadata", "OVN Metadata agent"),
    ("ovn-agent", "OVN Neutron agent"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network agent list" => list(host, args),
        "network agent show" => show(host, args),
        "network agent set" => set(host, args),
        "network agent delete" => delete(host, args),
        "network agent add network" => add_network(host, args),
        "network agent remove network" => remove_network(host, args),
        "network agent add router" => add_router(host, args),
        "network agent remove router" => remove_router(host, args),
        "network agent router set" => router_set(host, args),
        _ => return None,
    })
}

/// The agent's ID, fetched as OSC's `get_agent` ("No Agent found for x: ..." when absent).
fn agent(host: &Host, args: &Args, arg: &str) -> Result<String> {
    let a = common::sdk_get(host, &AGENTS, args.req(arg)?)?;
    Ok(a["id"].as_str().unwrap_or_default().to_string())
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    if let Some(n) = args.str("network") {
        let id = NETWORKS.find_id(host, n)?;
        let path = format!("{}/dhcp-agents", NETWORKS.item_path(&id));
        let items = common::list_at(host, &path, "agents", &[], None)?;
        return Ok(verbs::list_reply(&items, LIST));
    }
    if let Some(r) = args.str("router") {
        let mut cols = LIST.to_vec();
        if args.flag("long") {
            cols.push(col("HA State", "ha_state"));
        }
        let id = ROUTERS.find_id(host, r)?;
        let path = format!("{}/l3-agents", ROUTERS.item_path(&id));
        let items = common::list_at(host, &path, "agents", &[], None)?;
        return Ok(verbs::list_reply(&items, &cols));
    }
    let mut q = Vec::new();
    if let Some(t) = args.str("agent_type") {
        let name = AGENT_TYPES
            .iter()
            .find(|(k, _)| *k == t)
            .map_or(t, |(_, v)| v);
        q.push(("agent_type".to_string(), name.to_string()));
    }
    if let Some(h) = args.str("host") {
        q.push(("host".to_string(), h.to_string()));
    }
    common::list_paged(host, &AGENTS, args, q, LIST)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = common::sdk_get(host, &AGENTS, args.req("network_agent")?)?;
    Ok(verbs::show_reply(&obj, SHOW))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = agent(host, args, "network_agent")?;
    let body = Body::new().arg("description", args, "description").switch(
        "admin_state_up",
        args,
        "enable",
        "disable",
    );
    common::sdk_update(host, &AGENTS, &id, body.into_value())?;
    Ok(Reply::None)
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let ids = args.list("network_agent");
    common::delete_each(
        host,
        &ids,
        "network agent with ID",
        "network agents",
        |id| common::sdk_delete(host, &AGENTS, id),
    )
}

fn sub_path(agent: &str, what: &str) -> String {
    format!("{}/{what}", AGENTS.item_path(agent))
}

/// OSC builds an error when the call fails but does not raise it: nothing is reported.
fn add_network(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let net = NETWORKS.find_id(host, args.req("network")?)?;
    if args.flag("dhcp") {
        let req =
            Request::post(NET, sub_path(&a, "dhcp-networks")).json(json!({"network_id": net}));
        let _ignored = host.request(req)?;
    }
    Ok(Reply::None)
}

/// As [`add_network`], failures are not reported.
fn remove_network(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let net = NETWORKS.find_id(host, args.req("network")?)?;
    if args.flag("dhcp") {
        let path = sub_path(&a, &format!("dhcp-networks/{net}"));
        let _ignored = host.request(Request::delete(NET, path).json(json!({"network_id": net})))?;
    }
    Ok(Reply::None)
}

fn add_router(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    if args.flag("l3") {
        let body = Body::new()
            .set("router_id", router)
            .opt("ha_chassis_priority", args.int("ha_chassis_priority")?);
        let req = Request::post(NET, sub_path(&a, "l3-routers")).json(body.into_value());
        host.request(req)?.ok()?;
    }
    Ok(Reply::None)
}

fn remove_router(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    if args.flag("l3") {
        let path = sub_path(&a, &format!("l3-routers/{router}"));
        host.request(Request::delete(NET, path).json(json!({"router_id": router})))?
            .ok()?;
    }
    Ok(Reply::None)
}

fn router_set(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    let body = Body::new().opt("ha_chassis_priority", args.int("ha_chassis_priority")?);
    let path = sub_path(&a, &format!("l3-routers/{router}"));
    host.request(Request::put(NET, path).json(body.into_value()))?
        .ok()?;
    Ok(Reply::None)
}
