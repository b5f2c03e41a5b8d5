//! `network trunk`, `network trunk subport` and `network subport list`, as OSC's
//! `network_trunk.py`.

use crate::common::PORTS;
use crate::common::{self, NET};
use osc_plugin_sdk::verbs::{self, col, col_styled, Body, Col};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Resource, Result, Value};

const TRUNKS: Resource = Resource::new(NET, "/trunks", "trunk", "trunks").sdk("Trunk");

/// The SDK Trunk's attributes; `admin_state_up` is the SDK's `is_admin_state_up`.
const SHOW: &[Col] = &[
    col("description", "description"),
    col("id", "id"),
    col("is_admin_state_up", "admin_state_up"),
    col("name", "name"),
    col("port_id", "port_id"),
    col("project_id", "project_id"),
    col("status", "status"),
    col_styled("sub_ports", "sub_ports", "list_dict"),
    col("tags", "tags"),
];
const HIDDEN: &[&str] = &["tenant_id"];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Parent Port", "port_id"),
    col("Description", "description"),
];
/// OSC reads `admin_state_up` from the SDK object, which has no such attribute (it is
/// `is_admin_state_up`): the State column is always '' ([`NO_STATE`] holds it).
const LONG: &[Col] = &[
    col("Status", "status"),
    col("State", NO_STATE),
    col("Created At", "created_at"),
    col("Updated At", "updated_at"),
];
const NO_STATE: &str = "osc_empty_state";
const SUBPORTS: &[Col] = &[
    col("Port", "port_id"),
    col("Segmentation Type", "segmentation_type"),
    col("Segmentation ID", "segmentation_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network trunk create" => create(host, args),
        "network trunk delete" => delete(host, args),
        "network trunk list" => list(host, args),
        "network trunk set" => set(host, args),
        "network trunk show" => show(host, args),
        "network trunk unset" => unset(host, args),
        "network trunk subport add" => subport_add(host, args),
        "network trunk subport remove" => subport_remove(host, args),
        "network trunk subport list" => subports(host, args.str("trunk")),
        "network subport list" => subports(host, args.str("trunk")),
        _ => return None,
    })
}

/// One `--subport port=<port>,segmentation-type=<type>,segmentation-id=<id>`, as osc_lib's
/// `MultiKeyValueAction` parses it.
fn parse_subport(spec: &str) -> Result<Map<String, Value>> {
    let valid = ["port", "segmentation-id", "segmentation-type"];
    let mut m = Map::new();
    for kv in spec.split(',').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| verbs::usage(format!("Expected 'key=value' type, but got: {kv}")))?;
        if !valid.contains(&k) {
            return Err(verbs::usage(format!(
                "Invalid keys {k} specified. Valid keys are: {}",
                valid.join(", ")
            )));
        }
        m.insert(k.to_string(), Value::String(v.to_string()));
    }
    if !m.contains_key("port") {
        return Err(verbs::usage(
            "Missing required keys port. Required keys are: port",
        ));
    }
    Ok(m)
}

/// `--subport` values as Neutron's sub_ports (`_format_subports`).
fn subports_of(host: &Host, args: &Args) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for spec in args.list("subport") {
        let s = parse_subport(&spec)?;
        let text = |k: &str| s.get(k).and_then(Value::as_str).filter(|v| !v.is_empty());
        let mut sub = Map::new();
        if let Some(p) = text("port") {
            sub.insert("port_id".into(), Value::String(PORTS.find_id(host, p)?));
        }
        if let Some(id) = text("segmentation-id") {
            let n: i64 = id
                .parse()
                .map_err(|_| Error::other(format!("Segmentation-id '{id}' is not an integer")))?;
            sub.insert("segmentation_id".into(), Value::from(n));
        }
        if let Some(t) = text("segmentation-type") {
            sub.insert("segmentation_type".into(), Value::String(t.to_string()));
        }
        out.push(Value::Object(sub));
    }
    Ok(out)
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    // --enable is the default.
    let up = !args.flag("disable");
    let mut body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description")
        .set("admin_state_up", up)
        .set("port_id", PORTS.find_id(host, args.req("parent_port")?)?);
    if args.has("subport") {
        body = body.set("sub_ports", subports_of(host, args)?);
    }
    let body = body.opt("project_id", common::project(host, args)?);
    let obj = common::sdk_create(host, &TRUNKS, body.into_value())?;
    Ok(common::sdk_show(&obj, SHOW, HIDDEN))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    common::delete_each(
        host,
        &args.list("trunk"),
        "trunk with name or ID",
        "trunks",
        |n| {
            let id = TRUNKS.find_id(host, n)?;
            common::sdk_delete(host, &TRUNKS, &id)
        },
    )
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let cols = if args.flag("long") {
        [LIST, LONG].concat()
    } else {
        LIST.to_vec()
    };
    let mut items = TRUNKS.list(host, &[])?;
    for i in items.iter_mut().filter_map(Value::as_object_mut) {
        i.insert(NO_STATE.into(), Value::from(""));
    }
    Ok(verbs::list_reply(&items, &cols))
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let id = TRUNKS.find_id(host, args.req("trunk")?)?;
    let obj = common::sdk_get(host, &TRUNKS, &id)?;
    Ok(common::sdk_show(&obj, SHOW, HIDDEN))
}

/// `PUT /trunks/<id>/<action>` with these sub_ports.
fn subport_action(host: &Host, id: &str, action: &str, subs: Vec<Value>) -> Result<Value> {
    let path = format!("{}/{action}", TRUNKS.item_path(id));
    let req = Request::put(NET, path).json(json!({"sub_ports": subs}));
    common::sdk_call(host, req, None)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let trunk = args.req("trunk")?;
    let id = TRUNKS.find_id(host, trunk)?;
    let body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description")
        .switch("admin_state_up", args, "enable", "disable");
    common::sdk_update(host, &TRUNKS, &id, body.into_value())
        .map_err(|e| Error::other(format!("Failed to set trunk '{trunk}': {e}")))?;
    if args.has("subport") {
        let subs = subports_of(host, args)?;
        subport_action(host, &id, "add_subports", subs)
            .map_err(|e| Error::other(format!("Failed to add subports to trunk '{trunk}': {e}")))?;
    }
    Ok(Reply::None)
}

/// The ports' IDs as `{"port_id": ...}` sub_ports.
fn port_ids(host: &Host, ports: &[String]) -> Result<Vec<Value>> {
    ports
        .iter()
        .map(|p| Ok(json!({"port_id": PORTS.find_id(host, p)?})))
        .collect()
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let subs = port_ids(host, &args.list("subport"))?;
    let id = TRUNKS.find_id(host, args.req("trunk")?)?;
    subport_action(host, &id, "remove_subports", subs)?;
    Ok(Reply::None)
}

fn subport_add(host: &Host, args: &Args) -> Result<Reply> {
    let trunk = args.req("trunk")?;
    let id = TRUNKS.find_id(host, trunk)?;
    let sub = Body::new()
        .set("port_id", PORTS.find_id(host, args.req("port")?)?)
        .arg("segmentation_type", args, "segmentation_type")
        .opt("segmentation_id", args.int("segmentation_id")?);
    subport_action(host, &id, "add_subports", vec![sub.into_value()])
        .map_err(|e| Error::other(format!("Failed to add subport to trunk '{trunk}': {e}")))?;
    Ok(Reply::None)
}

fn subport_remove(host: &Host, args: &Args) -> Result<Reply> {
    let id = TRUNKS.find_id(host, args.req("trunk")?)?;
    let subs = port_ids(host, &args.list("port"))?;
    subport_action(host, &id, "remove_subports", subs)?;
    Ok(Reply::None)
}

fn subports(host: &Host, trunk: Option<&str>) -> Result<Reply> {
    let id = TRUNKS.find_id(host, trunk.ok_or("missing argument trunk")?)?;
    let path = format!("{}/get_subports", TRUNKS.item_path(&id));
    let v = common::sdk_call(host, Request::get(NET, path), None)?;
    let items = v["sub_ports"].as_array().cloned().unwrap_or_default();
    Ok(verbs::list_reply(&items, SUBPORTS))
}

#[cfg(test)]
mod tests {
    use osc_plugin_sdk::testing::{FakeHost, FakeResponse};
    use osc_plugin_sdk::{json, Value};

    fn host() -> FakeHost {
        let mut h = FakeHost::new();
        for p in ["parent", "child"] {
            h.route("GET", "network", &format!("/ports/{p}"), move |_| {
                FakeResponse::json(200, json!({"port": {"id": format!("{p}-id")}}))
            });
        }
        h.route("GET", "network", "/trunks/t", |_| {
            FakeResponse::json(200, json!({"trunk": {"id": "t", "name": "t"}}))
        });
        h
    }

    fn run(h: &mut FakeHost, cmd: &str, args: Value) -> Result<Value, (i32, String)> {
        h.invoke(crate::osc_plugin_entry_v1, cmd, args)
    }

    #[test]
    fn create_sends_subports_and_enables_by_default() {
        let mut h = host();
        h.route("POST", "network", "/trunks", |r| {
            FakeResponse::json(
                201,
                json!({"trunk": r.json.clone().unwrap()["trunk"].clone()}),
            )
        });
        let args = json!({"name": "t", "parent_port": "parent",
            "subport": ["port=child,segmentation-type=vlan,segmentation-id=7"]});
        let out = run(&mut h, "network trunk create", args).unwrap();
        let sent = h.requests.last().unwrap().json.clone().unwrap();
        assert_eq!(
            sent,
            json!({"trunk": {"name": "t", "admin_state_up": true, "port_id": "parent-id",
                "sub_ports": [{"port_id": "child-id", "segmentation_id": 7, "segmentation_type": "vlan"}]}})
        );
        assert_eq!(out["styles"]["sub_ports"], "list_dict");
    }

    #[test]
    fn bad_subports_are_refused() {
        let mut h = host();
        let args = json!({"name": "t", "parent_port": "parent", "subport": ["segmentation-id=7"]});
        let e = run(&mut h, "network trunk create", args).unwrap_err();
        assert!(e.1.starts_with("Missing required keys port"), "{}", e.1);
        let args = json!({"name": "t", "parent_port": "parent", "subport": ["port=child,segmentation-id=x"]});
        let e = run(&mut h, "network trunk create", args).unwrap_err();
        assert_eq!(e.1, "Segmentation-id 'x' is not an integer");
    }

    #[test]
    fn set_adds_subports_after_the_update() {
        let mut h = host();
        h.route("PUT", "network", "/trunks/t", |_| {
            FakeResponse::json(200, json!({"trunk": {}}))
        });
        h.route("PUT", "network", "/trunks/t/add_subports", |_| {
            FakeResponse::json(
                404,
                json!({"NeutronError": {"message": "Port x not found"}}),
            )
        });
        let args = json!({"trunk": "t", "disable": true, "subport": ["port=child"]});
        let e = run(&mut h, "network trunk set", args).unwrap_err();
        assert!(
            e.1.starts_with("Failed to add subports to trunk 't': NotFoundException: 404"),
            "{}",
            e.1
        );
        let put = h.requests.iter().find(|r| r.method == "PUT").unwrap();
        assert_eq!(put.json, Some(json!({"trunk": {"admin_state_up": false}})));
    }

    #[test]
    fn long_list_state_is_empty_as_in_osc() {
        let mut h = host();
        h.route("GET", "network", "/trunks", |_| {
            FakeResponse::json(
                200,
                json!({"trunks": [{"id": "t", "admin_state_up": true, "status": "ACTIVE"}]}),
            )
        });
        let out = run(&mut h, "network trunk list", json!({"long": true})).unwrap();
        assert_eq!(out["list"]["columns"][5], "State");
        assert_eq!(out["list"]["rows"][0][5], "");
        assert_eq!(out["list"]["rows"][0][6], Value::Null);
    }
}
