//! `network l3 conntrack helper`, as OSC's `l3_conntrack_helper.py`: a router's
//! `/routers/<id>/conntrack_helpers`.

use crate::common::ROUTERS;
use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{json, Args, Host, Reply, Request, Result, Value};

/// The SDK ConntrackHelper's body attributes (it keeps no others; `name` is never sent).
const SHOW: &[Col] = &[
    col("helper", "helper"),
    col("id", "id"),
    col("name", "name"),
    col("port", "port"),
    col("protocol", "protocol"),
];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Router ID", "router_id"),
    col("Helper", "helper"),
    col("Protocol", "protocol"),
    col("Port", "port"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network l3 conntrack helper create" => create(host, args),
        "network l3 conntrack helper delete" => delete(host, args),
        "network l3 conntrack helper list" => list(host, args),
        "network l3 conntrack helper set" => set(host, args),
        "network l3 conntrack helper show" => show(host, args),
        _ => return None,
    })
}

fn router(host: &Host, args: &Args) -> Result<String> {
    ROUTERS.find_id(host, args.req("router")?)
}

fn helpers(router: &str) -> String {
    format!("{}/conntrack_helpers", ROUTERS.item_path(router))
}

fn helper(router: &str, id: &str) -> String {
    format!(
        "{}/{}",
        helpers(router),
        osc_plugin_sdk::osc_api::resource::encode_segment(id)
    )
}

/// `--helper`, `--protocol`, `--port` when given (and not empty or 0, as OSC tests them).
fn attrs(args: &Args) -> Result<Body> {
    let text = |k: &str| args.str(k).filter(|v| !v.is_empty()).map(str::to_string);
    Ok(Body::new()
        .opt("helper", text("helper"))
        .opt("protocol", text("protocol"))
        .opt("port", args.int("port")?.filter(|p| *p != 0)))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let r = router(host, args)?;
    let body = json!({"conntrack_helper": attrs(args)?.into_value()});
    let v = common::sdk_call(host, Request::post(NET, helpers(&r)).json(body), None)?;
    Ok(verbs::show_reply(&v["conntrack_helper"], SHOW))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let r = router(host, args)?;
    let ids = args.list("conntrack_helper_id");
    let what = "L3 conntrack helper with ID";
    common::delete_each(host, &ids, what, "L3 conntrack helpers", |id| {
        common::sdk_call(host, Request::delete(NET, helper(&r, id)), None).map(drop)
    })
}

/// OSC passes `--helper`, `--protocol` and `--port` to openstacksdk, which does not send
/// them (they are not query parameters) but keeps only the helpers whose field equals
/// the given string: a `--port` never matches Neutron's integer ports.
fn list(host: &Host, args: &Args) -> Result<Reply> {
    let r = router(host, args)?;
    let filters: Vec<(&str, Value)> = ["helper", "protocol", "port"]
        .into_iter()
        .filter_map(|k| {
            Some((
                k,
                Value::String(args.str(k).filter(|v| !v.is_empty())?.into()),
            ))
        })
        .collect();
    let (query, max) = common::paging(args)?;
    let items: Vec<Value> = common::list_at(host, &helpers(&r), "conntrack_helpers", &query, max)?
        .into_iter()
        .filter(|h| filters.iter().all(|(k, v)| &h[*k] == v))
        .map(|mut h| {
            // The SDK object carries its router's ID (from the path).
            if let Some(m) = h.as_object_mut() {
                m.insert("router_id".into(), Value::String(r.clone()));
            }
            h
        })
        .collect();
    Ok(verbs::list_reply(&items, LIST))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let r = router(host, args)?;
    let body = attrs(args)?;
    // openstacksdk sends nothing when nothing changes.
    if body.is_empty() {
        return Ok(Reply::None);
    }
    let id = args.req("conntrack_helper_id")?;
    let req =
        Request::put(NET, helper(&r, id)).json(json!({"conntrack_helper": body.into_value()}));
    common::sdk_call(host, req, None)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let r = router(host, args)?;
    let id = args.req("conntrack_helper_id")?;
    let missing = format!("No ConntrackHelper found for {id}");
    let v = common::sdk_call(host, Request::get(NET, helper(&r, id)), Some(missing))?;
    Ok(verbs::show_reply(&v["conntrack_helper"], SHOW))
}

#[cfg(test)]
mod tests {
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
    use osc_plugin_sdk::{json, Value};

    fn host() -> FakeHost {
        let mut h = FakeHost::new();
        h.route("GET", "network", "/routers/r", |_| {
            FakeResponse::json(200, json!({"router": {"id": "r"}}))
        });
        h.route("GET", "network", "/routers/r/conntrack_helpers", |_| {
            FakeResponse::json(
                200,
                json!({"conntrack_helpers": [
                {"id": "h1", "helper": "tftp", "protocol": "udp", "port": 69},
                {"id": "h2", "helper": "ftp", "protocol": "tcp", "port": 21}]}),
            )
        });
        h
    }

    fn run(h: &mut FakeHost, cmd: &str, args: Value) -> Value {
        h.invoke(crate::osc_plugin_entry_v1, cmd, args).unwrap()
    }

    #[test]
    fn list_filters_on_the_client_as_openstacksdk() {
        let mut h = host();
        let out = run(
            &mut h,
            "network l3 conntrack helper list",
            json!({"router": "r", "helper": "tftp"}),
        );
        assert_eq!(out["list"]["rows"], json!([["h1", "r", "tftp", "udp", 69]]));
        assert!(h.requests.last().unwrap().query.is_empty());
        // A string never equals Neutron's integer port.
        let out = run(
            &mut h,
            "network l3 conntrack helper list",
            json!({"router": "r", "port": "69"}),
        );
        assert_eq!(out["list"]["rows"], json!([]));
    }

    #[test]
    fn set_without_changes_sends_nothing() {
        let mut h = host();
        run(
            &mut h,
            "network l3 conntrack helper set",
            json!({"router": "r", "conntrack_helper_id": "h1"}),
        );
        assert_eq!(h.requests.last().unwrap().method, "GET");
    }
}
