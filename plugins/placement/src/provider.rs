//! Resource providers (`resource_provider.py`), their aggregates (`aggregate.py`), traits
//! (`trait.py`) and usages, and project usages (`usage.py`).

use crate::api::{seg, Api, Call};
use crate::{names, props, record, table};
use osc_plugin_sdk::{json, Args, Error, Reply, Result, Value};

const BASE: &str = "/resource_providers";

fn rp_path(uuid: &str) -> String {
    format!("{BASE}/{}", seg(uuid))
}

/// `uuid, name, generation` and, from 1.14, the tree.
fn fields(api: &Api) -> Result<Vec<&'static str>> {
    let mut f = vec!["uuid", "name", "generation"];
    if api.at_least("1.14")? {
        f.extend(["root_provider_uuid", "parent_provider_uuid"]);
    }
    Ok(f)
}

/// osc_lib's `deprecated_option_warning`.
pub fn deprecated(api: &Api, old: &str, new: &str) {
    api.host.warn(&format!(
        "The {old} option is deprecated, please use {new} instead."
    ));
}

/// `common.get_required_query_param_from_args`: each OR group (`a,b`) its own `in:` value,
/// the plain and forbidden (`!`) traits together in one.
pub fn required_params(required: &[String], forbidden: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut and: Vec<String> = Vec::new();
    for r in required {
        if r.contains(',') {
            out.push(format!("in:{r}"));
        } else {
            and.push(r.clone());
        }
    }
    and.extend(forbidden.iter().map(|f| format!("!{f}")));
    let and = and.join(",");
    if !and.is_empty() {
        out.push(and);
    }
    out
}

pub fn create(api: &Api, args: &Args) -> Result<Reply> {
    api.version()?;
    let mut data = json!({"name": args.req("name")?});
    if let Some(u) = args.str("uuid").filter(|u| !u.is_empty()) {
        data["uuid"] = json!(u);
    }
    if let Some(p) = args.str("parent_provider").filter(|p| !p.is_empty()) {
        api.require("1.14")?;
        data["parent_provider_uuid"] = json!(p);
    }
    let resp = crate::api::ok(api.send(&Call::new("POST", BASE).json(data))?)?;
    let location = resp
        .header("location")
        .map(str::to_string)
        .ok_or_else(|| Error::other("'location'"))?;
    drop(resp);
    let rp = api.json(&Call::get(location))?;
    Ok(record(&fields(api)?, &rp))
}

pub fn list(api: &Api, args: &Args) -> Result<Reply> {
    let mut call = Call::get(BASE);
    if let Some(n) = args.str("name").filter(|n| !n.is_empty()) {
        call = call.query("name", n);
    }
    if let Some(u) = args.str("uuid").filter(|u| !u.is_empty()) {
        call = call.query("uuid", u);
    }
    let aggregate_uuid = args.list("aggregate_uuid");
    if !aggregate_uuid.is_empty() {
        call = call.query("member_of", format!("in:{}", aggregate_uuid.join(",")));
    }
    let resources = args.list("resource");
    if !resources.is_empty() {
        let r: Vec<String> = resources.iter().map(|r| r.replace('=', ":")).collect();
        call = call.query("resources", r.join(","));
    }
    let in_tree = args.str("in_tree").filter(|t| !t.is_empty());
    if let Some(t) = in_tree {
        call = call.query("in_tree", t);
    }
    let required = args.list("required");
    let forbidden = args.list("forbidden");
    for r in required_params(&required, &forbidden) {
        call = call.query("required", r);
    }
    let member_of = args.list("member_of");
    for m in &member_of {
        call = call.query("member_of", format!("in:{m}"));
    }
    let v = api.get_checked(&call, |api| {
        if !aggregate_uuid.is_empty() {
            api.require("1.3")?;
            deprecated(api, "--aggregate-uuid", "--member-of");
        }
        if !resources.is_empty() {
            api.require("1.4")?;
        }
        if in_tree.is_some() {
            api.require("1.14")?;
        }
        if !required.is_empty() {
            api.require("1.18")?;
            if required.iter().any(|r| r.contains(',')) {
                api.require("1.39")?;
            }
        }
        if !forbidden.is_empty() {
            api.require("1.22")?;
        }
        if !member_of.is_empty() {
            api.require("1.3")?;
        }
        Ok(())
    })?;
    let f = fields(api)?;
    let rows = v["resource_providers"]
        .as_array()
        .map(|a| a.iter().map(|r| props(r, &f)).collect())
        .unwrap_or_default();
    Ok(table(&f, rows))
}

pub fn show(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let mut rp = api.json(&Call::get(rp_path(uuid)))?;
    let mut f = fields(api)?;
    if args.flag("allocations") {
        let allocs = api.json(&Call::get(format!("{}/allocations", rp_path(uuid))))?;
        rp["allocations"] = allocs["allocations"].clone();
        f.push("allocations");
    }
    Ok(record(&f, &rp))
}

pub fn set(api: &Api, args: &Args) -> Result<Reply> {
    api.version()?;
    let uuid = args.req("uuid")?;
    let mut data = json!({"name": args.req("name")?});
    if let Some(p) = args.str("parent_provider").filter(|p| !p.is_empty()) {
        api.require("1.14")?;
        data["parent_provider_uuid"] = json!(p);
    }
    let rp = api.json(&Call::new("PUT", rp_path(uuid)).json(data))?;
    Ok(record(&fields(api)?, &rp))
}

pub fn delete(api: &Api, args: &Args) -> Result<Reply> {
    api.version()?;
    api.call(&Call::new("DELETE", rp_path(args.req("uuid")?)))?;
    Ok(Reply::None)
}

pub fn aggregate_list(api: &Api, args: &Args) -> Result<Reply> {
    let path = format!("{}/aggregates", rp_path(args.req("uuid")?));
    let v = api.get_checked(&Call::get(path), |api| api.require("1.1"))?;
    Ok(names("uuid", &v["aggregates"]))
}

pub fn aggregate_set(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.1")?;
    let path = format!("{}/aggregates", rp_path(args.req("uuid")?));
    let aggregates = args.list("aggregate");
    let generation = args.int("generation")?;
    if generation.is_some() {
        api.require("1.19")?;
    }
    let body = if !api.at_least("1.19")? {
        json!(aggregates)
    } else if let Some(g) = generation {
        json!({"aggregates": aggregates, "resource_provider_generation": g})
    } else {
        return Err(Error::other("A generation must be specified."));
    };
    let v = api.json(&Call::new("PUT", path).json(body))?;
    Ok(names("uuid", &v["aggregates"]))
}

pub fn trait_list(api: &Api, args: &Args) -> Result<Reply> {
    let path = format!("{}/traits", rp_path(args.req("uuid")?));
    let v = api.get_checked(&Call::get(path), |api| api.require("1.6"))?;
    Ok(names("name", &v["traits"]))
}

pub fn trait_set(api: &Api, args: &Args) -> Result<Reply> {
    let uuid = args.req("uuid")?;
    let rp = api.get_checked(&Call::get(rp_path(uuid)), |api| api.require("1.6"))?;
    let body = json!({
        "resource_provider_generation": rp["generation"],
        "traits": args.list("trait"),
    });
    let v = api.json(&Call::new("PUT", format!("{}/traits", rp_path(uuid))).json(body))?;
    Ok(names("name", &v["traits"]))
}

pub fn trait_delete(api: &Api, args: &Args) -> Result<Reply> {
    api.require("1.6")?;
    api.call(&Call::new(
        "DELETE",
        format!("{}/traits", rp_path(args.req("uuid")?)),
    ))?;
    Ok(Reply::None)
}

fn usage_rows(usages: &Value) -> Vec<Vec<Value>> {
    usages
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| vec![Value::String(k.clone()), v.clone()])
                .collect()
        })
        .unwrap_or_default()
}

pub fn usage_show(api: &Api, args: &Args) -> Result<Reply> {
    let v = api.json(&Call::get(format!("{}/usages", rp_path(args.req("uuid")?))))?;
    Ok(table(
        &["resource_class", "usage"],
        usage_rows(&v["usages"]),
    ))
}

pub fn project_usage(api: &Api, args: &Args) -> Result<Reply> {
    let mut call = Call::get("/usages").query("project_id", args.req("project_id")?);
    if let Some(u) = args.str("user_id").filter(|u| !u.is_empty()) {
        call = call.query("user_id", u);
    }
    let v = api.get_checked(&call, |api| api.require("1.9"))?;
    Ok(table(
        &["resource_class", "usage"],
        usage_rows(&v["usages"]),
    ))
}
