//! `router ndp proxy`, as OSC's `ndp_proxy.py`.

use crate::common::{self, NET};
use crate::common::{PORTS, ROUTERS};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Resource, Result, Value};

const PROXIES: Resource =
    Resource::new(NET, "/ndp_proxies", "ndp_proxy", "ndp_proxies").sdk("NDPProxy");

/// The SDK NDPProxy's attributes (others in the body are shown too).
const SHOW: &[Col] = &[
    col("created_at", "created_at"),
    col("description", "description"),
    col("id", "id"),
    col("ip_address", "ip_address"),
    col("name", "name"),
    col("port_id", "port_id"),
    col("project_id", "project_id"),
    col("revision_number", "revision_number"),
    col("router_id", "router_id"),
    col("updated_at", "updated_at"),
];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Router ID", "router_id"),
    col("IP Address", "ip_address"),
    col("Project", "project_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "router ndp proxy create" => create(host, args),
        "router ndp proxy delete" => delete(host, args),
        "router ndp proxy list" => list(host, args),
        "router ndp proxy set" => set(host, args),
        "router ndp proxy show" => show(host, args),
        _ => return None,
    })
}

fn given<'a>(args: &'a Args, k: &str) -> Option<&'a str> {
    args.str(k).filter(|v| !v.is_empty())
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    // OSC always sends the name (null when not given).
    let body = Body::new()
        .set(
            "name",
            args.str("name").map(Value::from).unwrap_or(Value::Null),
        )
        .set("router_id", ROUTERS.find_id(host, args.req("router")?)?)
        .opt("ip_address", given(args, "ip_address"))
        .set("port_id", PORTS.find_id(host, args.req("port")?)?)
        .arg("description", args, "description");
    let obj = common::sdk_create(host, &PROXIES, body.into_value())?;
    Ok(common::sdk_show(&obj, SHOW, &[]))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    common::delete_each(
        host,
        &args.list("ndp_proxy"),
        "NDP proxy",
        "NDP proxies",
        |n| {
            let id = PROXIES.find_id(host, n)?;
            common::sdk_delete(host, &PROXIES, &id)
        },
    )
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    if let Some(r) = given(args, "router") {
        q.push(("router_id".into(), ROUTERS.find_id(host, r)?));
    }
    if let Some(p) = given(args, "port") {
        q.push(("port_id".into(), PORTS.find_id(host, p)?));
    }
    if let Some(a) = args.str("ip_address") {
        q.push(("ip_address".into(), a.into()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    if let Some(n) = given(args, "name") {
        q.push(("name".into(), n.into()));
    }
    let items = PROXIES
        .list(host, &q)
        .map_err(|e| common::sdk_list_error(host, PROXIES.path, &q, e))?;
    Ok(verbs::list_reply(&items, LIST))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let body = Body::new()
        .arg("description", args, "description")
        .arg("name", args, "name");
    let id = PROXIES.find_id(host, args.req("ndp_proxy")?)?;
    common::sdk_update(host, &PROXIES, &id, body.into_value())?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = PROXIES.find(host, args.req("ndp_proxy")?)?;
    Ok(common::sdk_show(&obj, SHOW, &[]))
}

#[cfg(test)]
mod tests {
    use osc_plugin_sdk::json;
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};

    #[test]
    fn create_always_sends_the_name() {
        let mut h = FakeHost::new();
        h.route("GET", "network", "/routers/r", |_| {
            FakeResponse::json(200, json!({"router": {"id": "r"}}))
        });
        h.route("GET", "network", "/ports/p", |_| {
            FakeResponse::json(200, json!({"port": {"id": "p"}}))
        });
        h.route("POST", "network", "/ndp_proxies", |_| {
            FakeResponse::json(201, json!({"ndp_proxy": {"id": "n", "extra": 1}}))
        });
        let out = h
            .invoke(
                crate::osc_plugin_entry_v1,
                "router ndp proxy create",
                json!({"router": "r", "port": "p"}),
            )
            .unwrap();
        assert_eq!(
            h.requests.last().unwrap().json,
            Some(json!({"ndp_proxy": {"name": null, "router_id": "r", "port_id": "p"}}))
        );
        let fields = out["show"]["fields"].as_array().unwrap();
        assert_eq!(
            fields.len(),
            11,
            "the SDK's ten attributes and the unknown one"
        );
    }
}
