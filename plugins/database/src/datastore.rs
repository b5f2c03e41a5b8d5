//! `datastore …` and `datastore version …` (python-troveclient's datastores; creating,
//! changing and deleting versions is the admin's `/mgmt/datastore-versions`).

use crate::api::{self, DATASTORES};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

/// A datastore as `show` prints it: its versions as `name (id)` lines, the default by name.
fn detail(v: Value) -> Value {
    let mut m = api::fields(v);
    let versions = m
        .remove("versions")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let lines: Vec<String> = versions
        .iter()
        .map(|v| format!("{} ({})", api::text(&v["name"]), api::text(&v["id"])))
        .collect();
    m.insert("versions (id)".into(), json!(lines.join("\n")));
    m.remove("links");
    if let Some(def) = m.get("default_version").cloned() {
        let name = versions
            .iter()
            .find(|v| v["id"] == def)
            .map(|v| v["name"].clone())
            .unwrap_or(def);
        m.insert("default_version".into(), name);
    }
    Value::Object(m)
}

fn image_tags(s: &str) -> Value {
    json!(s.split(',').collect::<Vec<_>>())
}

fn version_create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("version_name")?;
    let tags = args
        .str("image_tags")
        .filter(|t| !t.is_empty())
        .map(image_tags)
        .unwrap_or(json!([]));
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    b.insert("datastore_name".into(), json!(args.req("datastore_name")?));
    b.insert(
        "datastore_manager".into(),
        json!(args.req("datastore_manager")?),
    );
    b.insert("image_tags".into(), tags);
    b.insert("packages".into(), json!([]));
    b.insert("active".into(), json!(args.flag("active")));
    b.insert("default".into(), json!(args.flag("default")));
    for (arg, key) in [
        ("image_id", "image"),
        ("registry_ext", "registry_ext"),
        ("repl_strategy", "repl_strategy"),
        ("version_number", "version"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            b.insert(key.into(), json!(v));
        }
    }
    let r = api::call(
        host,
        "POST",
        "/mgmt/datastore-versions",
        Some(json!({ "version": b })),
    );
    api::wrap(r, format!("Failed to create datastore version {name}"))?;
    Ok(Reply::None)
}

fn version_set(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("datastore_version_id")?;
    let mut b = Map::new();
    for (arg, key) in [
        ("datastore_manager", "datastore_manager"),
        ("image", "image"),
    ] {
        if let Some(v) = args.str(arg) {
            b.insert(key.into(), json!(v));
        }
    }
    for (arg, key) in [
        ("registry_ext", "registry_ext"),
        ("repl_strategy", "repl_strategy"),
    ] {
        if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
            b.insert(key.into(), json!(v));
        }
    }
    for (on, off, key) in [
        ("enable", "disable", "active"),
        ("default", "non_default", "default"),
    ] {
        if args.flag(on) {
            b.insert(key.into(), json!(true));
        } else if args.flag(off) {
            b.insert(key.into(), json!(false));
        }
    }
    if let Some(t) = args.str("image_tags") {
        b.insert("image_tags".into(), image_tags(t));
    }
    if let Some(n) = args.str("version_name").filter(|n| !n.is_empty()) {
        b.insert("name".into(), json!(n));
    }
    let path = format!("/mgmt/datastore-versions/{}", api::quote(id));
    let r = api::call(host, "PATCH", path, Some(Value::Object(b)));
    api::wrap(r, format!("Failed to update datastore version {id}"))?;
    Ok(Reply::None)
}

fn version_show(host: &Host, args: &Args) -> Result<Reply> {
    let v = args.req("datastore_version")?;
    let path = if let Some(ds) = args.str("datastore") {
        format!("/datastores/{}/versions/{}", api::quote(ds), api::quote(v))
    } else if api::is_uuid_like(v) {
        format!("/datastores/versions/{v}")
    } else {
        return Err(Error::other(
            "The datastore name or id is required to retrieve a datastore version by name.",
        ));
    };
    let mut m = api::fields(api::member(api::get(host, path)?, "version")?);
    m.remove("links");
    Ok(api::record(&Value::Object(m)))
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let verb = command.strip_prefix("datastore ")?;
    Some(match verb {
        "list" => api::get(host, "/datastores").map(|v| {
            let all = v["datastores"].as_array().cloned().unwrap_or_default();
            api::table(&["ID", "Name"], &all)
        }),
        "show" => args
            .req("datastore")
            .and_then(|d| api::find(host, &DATASTORES, d))
            .map(|d| api::record(&detail(d))),
        "delete" => args.req("datastore").and_then(|d| {
            let r = api::call(
                host,
                "DELETE",
                format!("/datastores/{}", api::quote(d)),
                None,
            );
            api::wrap(r, format!("Failed to delete datastore {d}"))?;
            Ok(Reply::None)
        }),
        "version list" => args.req("datastore").and_then(|d| {
            let path = format!("/datastores/{}/versions", api::quote(d));
            let all = api::paginated(host, &path, "versions", &[], args)?;
            Ok(api::table(&["ID", "Name", "Version"], &all))
        }),
        "version show" => version_show(host, args),
        "version create" => version_create(host, args),
        "version set" => version_set(host, args),
        "version delete" => args.req("datastore_version").and_then(|v| {
            let path = format!("/mgmt/datastore-versions/{}", api::quote(v));
            let r = api::call(host, "DELETE", path, None);
            api::wrap(r, format!("Failed to delete datastore version {v}"))?;
            Ok(Reply::None)
        }),
        _ => return None,
    })
}
