//! `network agent`, as OSC's `network_agent.py`.
//!
//! OSC shows `alive` as ':-)'/'XXX' and `admin_state_up` as 'UP'/'DOWN' in tables (its
//! `AliveColumn` and `AdminStateColumn`); `-f json` prints the booleans, as these do.

use crate::common::{self, NET};
use crate::common::{NETWORKS, ROUTERS};
use osc_plugin_sdk::verbs::{self, col, col_dict, Body, Col};
use osc_plugin_sdk::{json, Args, Host, Reply, Request, Resource, Result};

const AGENTS: Resource = Resource::new(NET, "/agents", "agent", "agents").sdk("Agent");

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

/// openstacksdk does not check the answers of the agent's router calls: OSC reports no
/// failure of the call itself.
fn add_router(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    if args.flag("l3") {
        let body = Body::new()
            .set("router_id", router)
            .opt("ha_chassis_priority", args.int("ha_chassis_priority")?);
        let req = Request::post(NET, sub_path(&a, "l3-routers")).json(body.into_value());
        let _unchecked = host.request(req)?;
    }
    Ok(Reply::None)
}

fn remove_router(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    if args.flag("l3") {
        let path = sub_path(&a, &format!("l3-routers/{router}"));
        let _unchecked =
            host.request(Request::delete(NET, path).json(json!({"router_id": router})))?;
    }
    Ok(Reply::None)
}

fn router_set(host: &Host, args: &Args) -> Result<Reply> {
    let a = agent(host, args, "agent_id")?;
    let router = ROUTERS.find_id(host, args.req("router")?)?;
    let body = Body::new().opt("ha_chassis_priority", args.int("ha_chassis_priority")?);
    let path = sub_path(&a, &format!("l3-routers/{router}"));
    let _unchecked = host.request(Request::put(NET, path).json(body.into_value()))?;
    Ok(Reply::None)
}

#[cfg(test)]
mod tests {
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
    use osc_plugin_sdk::{json, Value};

    const AGENT: &str = "a1";

    /// A host with one L3/DHCP agent, network `n1` and router `r1`.
    fn host() -> FakeHost {
        let mut h = FakeHost::new();
        h.route("GET", "network", "/agents/a1", |_| {
            FakeResponse::json(
                200,
                json!({"agent": {"id": "a1", "agent_type": "L3 agent"}}),
            )
        });
        h.route("GET", "network", "/networks/n1", |_| {
            FakeResponse::json(200, json!({"network": {"id": "n1", "name": "net"}}))
        });
        h.route("GET", "network", "/routers/r1", |_| {
            FakeResponse::json(200, json!({"router": {"id": "r1", "name": "r"}}))
        });
        h
    }

    fn run(h: &mut FakeHost, cmd: &str, args: Value) -> Result<Value, (i32, String)> {
        h.invoke(crate::osc_plugin_entry_v1, cmd, args)
    }

    fn last(h: &FakeHost) -> (String, String, Option<Value>) {
        let r = h.requests.last().expect("a request");
        (r.method.clone(), r.path.clone(), r.json.clone())
    }

    #[test]
    fn add_and_remove_router() {
        let mut h = host();
        h.route("POST", "network", "/agents/a1/l3-routers", |_| {
            FakeResponse::json(201, json!({}))
        });
        h.route("DELETE", "network", "/agents/a1/l3-routers/r1", |_| {
            FakeResponse::bytes(204, "")
        });
        h.route("PUT", "network", "/agents/a1/l3-routers/r1", |_| {
            FakeResponse::json(200, json!({}))
        });
        let args = json!({"agent_id": AGENT, "router": "r1", "l3": true, "ha_chassis_priority": 5});
        run(&mut h, "network agent add router", args).unwrap();
        assert_eq!(
            last(&h),
            (
                "POST".into(),
                "/agents/a1/l3-routers".into(),
                Some(json!({"router_id": "r1", "ha_chassis_priority": 5}))
            )
        );
        run(
            &mut h,
            "network agent remove router",
            json!({"agent_id": AGENT, "router": "r1", "l3": true}),
        )
        .unwrap();
        assert_eq!(
            last(&h),
            (
                "DELETE".into(),
                "/agents/a1/l3-routers/r1".into(),
                Some(json!({"router_id": "r1"}))
            )
        );
        let args = json!({"agent_id": AGENT, "router": "r1", "ha_chassis_priority": 7});
        run(&mut h, "network agent router set", args).unwrap();
        assert_eq!(
            last(&h),
            (
                "PUT".into(),
                "/agents/a1/l3-routers/r1".into(),
                Some(json!({"ha_chassis_priority": 7}))
            )
        );
    }

    #[test]
    fn router_failures_are_silent_as_in_osc() {
        let mut h = host();
        h.route("POST", "network", "/agents/a1/l3-routers", |_| {
            FakeResponse::json(409, json!({"NeutronError": {"message": "already hosted"}}))
        });
        let args = json!({"agent_id": AGENT, "router": "r1", "l3": true});
        assert!(run(&mut h, "network agent add router", args).is_ok());
    }

    #[test]
    fn without_l3_nothing_is_sent() {
        let mut h = host();
        run(
            &mut h,
            "network agent add router",
            json!({"agent_id": AGENT, "router": "r1"}),
        )
        .unwrap();
        assert_eq!(last(&h).1, "/routers/r1");
    }

    #[test]
    fn dhcp_failures_are_silent_as_in_osc() {
        let mut h = host();
        h.route("POST", "network", "/agents/a1/dhcp-networks", |_| {
            FakeResponse::json(409, json!({"NeutronError": {"message": "already hosted"}}))
        });
        let args = json!({"agent_id": AGENT, "network": "n1", "dhcp": true});
        assert!(run(&mut h, "network agent add network", args).is_ok());
        assert_eq!(
            last(&h),
            (
                "POST".into(),
                "/agents/a1/dhcp-networks".into(),
                Some(json!({"network_id": "n1"}))
            )
        );
    }

    #[test]
    fn set_sends_only_what_changes() {
        let mut h = host();
        h.route("PUT", "network", "/agents/a1", |_| {
            FakeResponse::json(200, json!({"agent": {}}))
        });
        run(&mut h, "network agent set", json!({"network_agent": AGENT})).unwrap();
        assert_eq!(last(&h).0, "GET");
        let args = json!({"network_agent": AGENT, "disable": true, "description": "d"});
        run(&mut h, "network agent set", args).unwrap();
        assert_eq!(
            last(&h),
            (
                "PUT".into(),
                "/agents/a1".into(),
                Some(json!({"agent": {"description": "d", "admin_state_up": false}}))
            )
        );
    }

    #[test]
    fn show_maps_sdk_names() {
        let mut h = FakeHost::new();
        h.route("GET", "network", "/agents/a1", |_| {
            FakeResponse::json(
                200,
                json!({"agent": {"id": "a1", "alive": true, "admin_state_up": true,
                "configurations": {"k": 1}, "heartbeat_timestamp": "t"}}),
            )
        });
        let out = run(
            &mut h,
            "network agent show",
            json!({"network_agent": AGENT}),
        )
        .unwrap();
        let fields = out["show"]["fields"].as_array().unwrap();
        let get = |k: &str| fields.iter().find(|f| f[0] == k).map(|f| f[1].clone());
        assert_eq!(get("configuration"), Some(json!({"k": 1})));
        assert_eq!(get("last_heartbeat_at"), Some(json!("t")));
        assert_eq!(get("alive"), Some(json!(true)));
        assert_eq!(fields.len(), 16);
        assert_eq!(out["styles"]["configuration"], "dict");
    }
}
