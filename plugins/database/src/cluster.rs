//! `database cluster …` (python-troveclient's database_clusters), with troveclient's
//! `--instance "opt=<value>[,opt=<value> ...]"` syntax.

use crate::api::{self, CLUSTERS, INSTANCES, MODULES};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

const LIST: &[&str] = &["ID", "Name", "Datastore", "Datastore Version", "Task Name"];
const INSTANCE_METAVAR: &str = "\"opt=<value>[,opt=<value> ...] \"";

/// A cluster as `show` and `create` print it.
fn detail(v: Value) -> Value {
    let mut m = api::fields(v);
    if let Some(ds) = m.get("datastore").cloned() {
        m.insert("datastore".into(), ds["type"].clone());
        m.insert("datastore_version".into(), ds["version"].clone());
    }
    if let Some(t) = m.remove("task") {
        m.insert("task_description".into(), t["description"].clone());
        m.insert("task_name".into(), t["name"].clone());
    }
    if let Some(Value::Array(ips)) = m.get("ip") {
        let ips: Vec<String> = ips
            .iter()
            .map(|a| match a.get("address") {
                Some(x) => api::text(x),
                None => api::text(a),
            })
            .collect();
        m.insert("ip".into(), json!(ips.join(", ")));
    }
    if let Some(Value::Array(i)) = m.remove("instances") {
        if !i.is_empty() {
            m.insert("instance_count".into(), json!(i.len()));
        }
    }
    m.remove("links");
    Value::Object(m)
}

/// The options of one `--instance`: `key=value` separated by commas, a value quoted with
/// `'` or `"` may hold commas (`nic='net-id=x,v4-fixed-ip=y'`).
fn split_opts(spec: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = spec.trim().trim_matches(',');
    while !rest.is_empty() {
        let Some((k, after)) = rest.split_once('=') else {
            return Err(Error::other(format!(
                "Unknown option(s) '{rest}' specified for instance"
            )));
        };
        let (value, next) = match after.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let body = &after[1..];
                match body.find(q) {
                    Some(end) => (&body[..end], body[end + 1..].trim_start_matches(',')),
                    None => (body, ""),
                }
            }
            _ => match after.split_once(',') {
                Some((v, n)) => (v, n),
                None => (after, ""),
            },
        };
        out.push((k.trim().to_string(), value.trim().to_string()));
        rest = next.trim();
    }
    Ok(out)
}

/// troveclient's `_get_networks` for one `nic=` value.
fn nic(spec: &str) -> Result<Value> {
    let mut m = Map::new();
    for (k, v) in split_opts(spec)? {
        let key = match k.as_str() {
            "net-id" => "network_id",
            "port-id" => "port-id",
            "v4-fixed-ip" => "v4-fixed-ip",
            _ => {
                return Err(Error::other(format!(
                    "Unknown args '{k}={v}' in 'nic' option"
                )))
            }
        };
        m.insert(key.into(), json!(v));
    }
    if m.contains_key("network_id") && m.contains_key("port-id") || m.is_empty() {
        return Err(Error::other(format!(
            "Invalid nic argument '{spec}'. Nic arguments must be of the form --nic \
             <net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>, with only one of \
             net-id or port-id specified."
        )));
    }
    Ok(Value::Object(m))
}

/// `_parse_instance_options`: each `--instance` as a request member.
fn instances(host: &Host, specs: &[String], grow: bool) -> Result<Vec<Value>> {
    if specs.is_empty() {
        return Err(Error::other("Missing argument(s): instance"));
    }
    specs
        .iter()
        .map(|spec| {
            let mut m = Map::new();
            let mut volume = Map::new();
            let (mut nics, mut modules, mut types) = (Vec::new(), Vec::new(), Vec::new());
            for (k, v) in split_opts(spec)? {
                match k.as_str() {
                    "flavor" => {
                        let id = api::flavor_ref(host, &v)?;
                        m.insert("flavorRef".into(), json!(api::text(&id)));
                    }
                    "volume" => {
                        volume.insert("size".into(), json!(v));
                    }
                    "volume_type" => {
                        volume.insert("type".into(), json!(v));
                    }
                    "nic" => nics.push(nic(&v)?),
                    "availability_zone" | "region" => {
                        m.insert(k.clone(), json!(v));
                    }
                    "module" => {
                        modules.push(json!({"id": api::find_id(host, &MODULES, &v)?}));
                    }
                    "type" => types.push(json!(v)),
                    "related_to" | "name" if grow => {
                        m.insert(k.clone(), json!(v));
                    }
                    _ => {
                        return Err(Error::other(format!(
                            "Unknown option(s) '{k}={v}' specified for instance"
                        )))
                    }
                }
            }
            for req in ["flavor", "volume"] {
                let have = if req == "flavor" {
                    m.contains_key("flavorRef")
                } else {
                    volume.contains_key("size")
                };
                if !have {
                    return Err(Error::other(format!(
                        "Missing option '{req}' for argument --instance {INSTANCE_METAVAR}"
                    )));
                }
            }
            m.insert("volume".into(), Value::Object(volume));
            if !nics.is_empty() {
                m.insert("nics".into(), Value::Array(nics));
            }
            if !modules.is_empty() {
                m.insert("modules".into(), Value::Array(modules));
            }
            if !types.is_empty() {
                m.insert("type".into(), Value::Array(types));
            }
            Ok(Value::Object(m))
        })
        .collect()
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let inst = instances(host, &args.list("instance"), false)?;
    let mut b = Map::new();
    b.insert("name".into(), json!(args.req("name")?));
    b.insert(
        "datastore".into(),
        json!({"type": args.req("datastore")?, "version": args.req("datastore_version")?}),
    );
    b.insert("instances".into(), Value::Array(inst));
    if let Some(l) = args.str("locality") {
        b.insert("locality".into(), json!(l));
    }
    if let Some(props) = args.str("extended_properties") {
        let mut p = Map::new();
        for kv in props.split(',') {
            let Some((k, v)) = kv.trim().split_once('=') else {
                return Err(Error::other(format!(
                    "Invalid --extended-properties '{props}': expected key=value pairs"
                )));
            };
            p.insert(k.into(), json!(v));
        }
        if !p.is_empty() {
            b.insert("extended_properties".into(), Value::Object(p));
        }
    }
    if let Some(c) = args.str("configuration") {
        b.insert("configuration".into(), json!(c));
    }
    let v = api::call(host, "POST", "/clusters", Some(json!({ "cluster": b })))?;
    Ok(api::record(&detail(api::member(v, "cluster")?)))
}

fn cluster_action(host: &Host, id: &str, verb: &str, arg: Value) -> Result<Reply> {
    api::action(host, format!("/clusters/{id}"), verb, arg)?;
    Ok(Reply::None)
}

fn delete(host: &Host, args: &Args, force: bool) -> Result<Reply> {
    let given = args.req("cluster")?;
    let found = api::find_id(host, &CLUSTERS, given);
    let id = if force {
        found?
    } else {
        api::wrap(found, format!("Failed to delete cluster {given}"))?
    };
    if force {
        cluster_action(host, &id, "reset-status", json!({}))?;
    }
    let r = api::call(host, "DELETE", format!("/clusters/{id}"), None);
    api::wrap(r, format!("Failed to delete cluster {given}"))?;
    Ok(Reply::None)
}

fn members(host: &Host, args: &Args) -> Result<Vec<Value>> {
    let c = api::find(host, &CLUSTERS, args.req("cluster")?)?;
    Ok(c["instances"].as_array().cloned().unwrap_or_default())
}

fn list_instances(host: &Host, args: &Args) -> Result<Reply> {
    let rows: Vec<Value> = members(host, args)?
        .into_iter()
        .map(|i| {
            let mut m = api::fields(i);
            let flavor = m.get("flavor").map(|f| f["id"].clone()).unwrap_or_default();
            m.insert("flavor_id".into(), flavor);
            if let Some(size) = m
                .get("volume")
                .filter(|v| !v.is_null())
                .map(|v| v["size"].clone())
            {
                m.insert("size".into(), size);
            }
            Value::Object(m)
        })
        .collect();
    Ok(api::table(
        &["ID", "Name", "Flavor ID", "Size", "Status"],
        &rows,
    ))
}

fn modules(host: &Host, args: &Args) -> Result<Reply> {
    let mut rows = Vec::new();
    for i in members(host, args)? {
        let id = api::text(&i["id"]);
        let v = api::get(host, format!("/instances/{id}/modules"))?;
        for m in v["modules"].as_array().cloned().unwrap_or_default() {
            let mut m = api::fields(m);
            m.insert("instance_id".into(), json!(id));
            m.insert("instance_name".into(), i["name"].clone());
            m.insert(
                "module_name".into(),
                m.get("name").cloned().unwrap_or_default(),
            );
            m.insert(
                "module_type".into(),
                m.get("type").cloned().unwrap_or_default(),
            );
            rows.push(Value::Object(m));
        }
    }
    Ok(api::table(
        &[
            "instance_name",
            "Module Name",
            "Module Type",
            "md5",
            "created",
            "updated",
        ],
        &rows,
    ))
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let verb = command.strip_prefix("database cluster ")?;
    let id = || api::find_id(host, &CLUSTERS, args.req("cluster")?);
    Some(match verb {
        "list" => api::paginated(host, "/clusters", "clusters", &[], args).map(|items| {
            let rows: Vec<Value> = items
                .into_iter()
                .map(|c| {
                    let mut m = api::fields(c);
                    let ds = m.get("datastore").cloned().unwrap_or_default();
                    m.insert("datastore".into(), ds["type"].clone());
                    m.insert("datastore_version".into(), ds["version"].clone());
                    let task = m.get("task").map(|t| t["name"].clone()).unwrap_or_default();
                    m.insert("task_name".into(), task);
                    Value::Object(m)
                })
                .collect();
            api::table(LIST, &rows)
        }),
        "show" => args
            .req("cluster")
            .and_then(|c| api::find(host, &CLUSTERS, c))
            .map(|c| api::record(&detail(c))),
        "create" => create(host, args),
        "delete" => delete(host, args, false),
        "force delete" => delete(host, args, true),
        "reset status" => id().and_then(|id| cluster_action(host, &id, "reset-status", json!({}))),
        "list instances" => list_instances(host, args),
        "modules" => modules(host, args),
        "upgrade" => id().and_then(|id| {
            let v = args.req("datastore_version")?;
            cluster_action(host, &id, "upgrade", json!({ "datastore_version": v }))
        }),
        "grow" => id().and_then(|id| {
            let inst = instances(host, &args.list("instance"), true)?;
            cluster_action(host, &id, "grow", Value::Array(inst))
        }),
        "shrink" => id().and_then(|id| {
            let drop: Vec<Value> = args
                .list("instances")
                .iter()
                .map(|i| api::find_id(host, &INSTANCES, i).map(|iid| json!({ "id": iid })))
                .collect::<Result<_>>()?;
            cluster_action(host, &id, "shrink", Value::Array(drop))
        }),
        _ => return None,
    })
}
