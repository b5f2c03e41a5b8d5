//! `database configuration …`: configuration groups, their instances and the parameters
//! of a datastore version (python-troveclient's database_configurations).

use crate::api::{self, CONFIGURATIONS, INSTANCES};
use crate::instance;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

const LIST: &[&str] = &[
    "ID",
    "Name",
    "Description",
    "Datastore Name",
    "Datastore Version Name",
    "Datastore Version Number",
];
const PARAMS: &[&str] = &["Name", "Type", "Min Size", "Max Size", "Restart Required"];

/// A group as `show` and `create` print it: its values as JSON text, no version ID.
fn detail(v: Value) -> Value {
    let mut m = api::fields(v);
    let values = m.get("values").cloned().unwrap_or(Value::Null);
    m.insert("values".into(), json!(api::py_json(&values)));
    m.remove("datastore_version_id");
    Value::Object(m)
}

/// The `<values>` argument: a JSON object, checked here as `json.loads` does.
pub fn values(args: &Args) -> Result<Value> {
    let raw = args.req("values")?;
    osc_plugin_sdk::serde_json::from_str::<Value>(raw)
        .map_err(|e| Error::other(format!("Invalid JSON in <values> {raw:?}: {e}")))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut b = Map::new();
    b.insert("name".into(), json!(args.req("name")?));
    b.insert("values".into(), values(args)?);
    let mut ds = Map::new();
    for (arg, key) in [
        ("datastore", "type"),
        ("datastore_version", "version"),
        ("datastore_version_number", "version_number"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            ds.insert(key.into(), json!(v));
        }
    }
    if !ds.is_empty() {
        b.insert("datastore".into(), Value::Object(ds));
    }
    if let Some(d) = args.str("description").filter(|d| !d.is_empty()) {
        b.insert("description".into(), json!(d));
    }
    let v = api::call(
        host,
        "POST",
        "/configurations",
        Some(json!({"configuration": b})),
    )?;
    Ok(api::record(&detail(api::member(v, "configuration")?)))
}

/// The parameters path of a version: by its ID, or by datastore and version name.
fn params_path(args: &Args) -> Result<String> {
    let v = args.req("datastore_version")?;
    if api::is_uuid_like(v) {
        Ok(format!("/datastores/versions/{v}/parameters"))
    } else if let Some(ds) = args.str("datastore") {
        Ok(format!("/datastores/{ds}/versions/{v}/parameters"))
    } else {
        Err(Error::other(
            "Either datastore version ID or datastore name needs to be specified.",
        ))
    }
}

fn param_list(host: &Host, args: &Args) -> Result<Reply> {
    let body = api::get(host, params_path(args)?)?;
    let params = body["configuration-parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let rows: Vec<Value> = params
        .into_iter()
        .map(|p| {
            let mut m = api::fields(p);
            let min = m.get("min").cloned().unwrap_or(json!("-"));
            let max = m.get("max").cloned().unwrap_or(json!("-"));
            m.insert("min_size".into(), min);
            m.insert("max_size".into(), max);
            Value::Object(m)
        })
        .collect();
    Ok(api::table(PARAMS, &rows))
}

fn param_show(host: &Host, args: &Args) -> Result<Reply> {
    let path = format!("{}/{}", params_path(args)?, args.req("parameter")?);
    Ok(api::record(&api::get(host, path)?))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let given = args.req("configuration_group")?;
    let r = api::find_id(host, &CONFIGURATIONS, given)
        .and_then(|id| api::call(host, "DELETE", format!("/configurations/{id}"), None));
    api::wrap(r, format!("Failed to delete configuration {given}"))?;
    Ok(Reply::None)
}

fn instances(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::find_id(host, &CONFIGURATIONS, args.req("configuration_group")?)?;
    let path = format!("/configurations/{id}/instances");
    let items = api::paginated(host, &path, "instances", &[], args)?;
    Ok(api::table(&["ID", "Name"], &items))
}

fn attach(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::ref_id(host, &INSTANCES, args.req("instance")?)?;
    let config = api::ref_id(host, &CONFIGURATIONS, args.req("configuration")?)?;
    let body = instance::update_body(Some(&config), false, None, false, None, None)?;
    instance::put(host, &id, body)
}

fn detach(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::ref_id(host, &INSTANCES, args.req("instance")?)?;
    let body = instance::update_body(None, true, None, false, None, None)?;
    instance::put(host, &id, body)
}

fn default(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::find_id(host, &INSTANCES, args.req("instance")?)?;
    let v = api::get(host, format!("/instances/{id}/configuration"))?;
    Ok(api::record(&v["instance"]["configuration"]))
}

/// `parameter set` (PATCH: merged into the group) and `set` (PUT: replaces its values).
fn edit(host: &Host, args: &Args, replace: bool) -> Result<Reply> {
    let id = args.req("configuration_group_id")?;
    let mut b = Map::new();
    b.insert("values".into(), values(args)?);
    let method = if replace {
        for key in ["name", "description"] {
            if let Some(v) = args.str(key).filter(|v| !v.is_empty()) {
                b.insert(key.into(), json!(v));
            }
        }
        "PUT"
    } else {
        "PATCH"
    };
    let path = format!("/configurations/{}", api::quote(id));
    api::call(host, method, path, Some(json!({ "configuration": b })))?;
    Ok(Reply::None)
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let verb = command.strip_prefix("database configuration ")?;
    Some(match verb {
        "list" => api::paginated(host, "/configurations", "configurations", &[], args)
            .and_then(|items| api::table_loaded(host, &CONFIGURATIONS, LIST, items)),
        "show" => args
            .req("configuration_group")
            .and_then(|c| api::find(host, &CONFIGURATIONS, c))
            .map(|c| api::record(&detail(c))),
        "create" => create(host, args),
        "delete" => delete(host, args),
        "instances" => instances(host, args),
        "attach" => attach(host, args),
        "detach" => detach(host, args),
        "default" => default(host, args),
        "set" => edit(host, args, true),
        "parameter set" => edit(host, args, false),
        "parameter list" => param_list(host, args),
        "parameter show" => param_show(host, args),
        _ => return None,
    })
}
