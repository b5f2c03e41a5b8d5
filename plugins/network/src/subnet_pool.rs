//! `subnet pool create|delete|list|set|show|unset`, as python-openstackclient 10.5's
//! `network/v2/subnet_pool.py`.

use crate::common::{self, ADDR_SCOPES, SUBNET_POOLS};
use osc_plugin_sdk::verbs::{self, col, col_list, Col};
use osc_plugin_sdk::{json, Args, Host, Map, Reply, Result, Value};

/// The SDK resource's attributes sorted under OSC's names (`get_osc_show_columns_for_sdk_resource`).
const SHOW: &[Col] = &[
    col("address_scope_id", "address_scope_id"),
    col("created_at", "created_at"),
    col("default_prefixlen", "default_prefixlen"),
    col("default_quota", "default_quota"),
    col("description", "description"),
    col("id", "id"),
    col("ip_version", "ip_version"),
    col("is_default", "is_default"),
    col("max_prefixlen", "max_prefixlen"),
    col("min_prefixlen", "min_prefixlen"),
    col("name", "name"),
    col_list("prefixes", "prefixes"),
    col("project_id", "project_id"),
    col("revision_number", "revision_number"),
    col("shared", "shared"),
    col_list("tags", "tags"),
    col("updated_at", "updated_at"),
];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col_list("Prefixes", "prefixes"),
];
const LIST_LONG: &[Col] = &[
    col("Default Prefix Length", "default_prefixlen"),
    col("Address Scope", "address_scope_id"),
    col("Default Subnet Pool", "is_default"),
    col("Shared", "shared"),
    col_list("Tags", "tags"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "subnet pool create" => create(host, args),
        "subnet pool delete" => verbs::delete(
            host,
            &SUBNET_POOLS,
            &args.list("subnet_pool"),
            "subnet pools",
        ),
        "subnet pool list" => list(host, args),
        "subnet pool set" => set(host, args),
        "subnet pool show" => show(host, args),
        "subnet pool unset" => unset(host, args),
        _ => return None,
    })
}

/// The members openstacksdk's SubnetPool types as integers.
const INTS: &[&str] = &[
    "default_prefixlen",
    "default_quota",
    "ip_version",
    "max_prefixlen",
    "min_prefixlen",
    "revision_number",
];

fn reply(obj: &Value) -> Reply {
    verbs::show_reply(&common::ints(obj.clone(), INTS), SHOW)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(reply(&SUBNET_POOLS.find(host, args.req("subnet_pool")?)?))
}

/// A non-negative integer option (osc_lib's `NonNegativeAction`).
fn non_negative(args: &Args, arg: &str) -> Result<Option<i64>> {
    let v = args.int(arg)?;
    if v.is_some_and(|n| n < 0) {
        let opt = format!("--{}", arg.replace('_', "-"));
        return Err(common::arg_error(
            &opt,
            &format!("{opt} expected a non-negative integer"),
        ));
    }
    Ok(v)
}

/// OSC's `_get_attrs`, shared by create and set.
fn attrs(host: &Host, args: &Args, create: bool) -> Result<Map<String, Value>> {
    let mut a = Map::new();
    if let Some(v) = args.str("name") {
        a.insert("name".into(), json!(v));
    }
    if args.has("pool_prefix") {
        a.insert("prefixes".into(), json!(args.list("pool_prefix")));
    }
    for (arg, key) in [
        ("default_prefix_length", "default_prefixlen"),
        ("min_prefix_length", "min_prefixlen"),
        ("max_prefix_length", "max_prefixlen"),
    ] {
        if let Some(n) = non_negative(args, arg)? {
            a.insert(key.into(), json!(n));
        }
    }
    if let Some(s) = args.str("address_scope") {
        a.insert(
            "address_scope_id".into(),
            json!(ADDR_SCOPES.find_id(host, s)?),
        );
    }
    if args.flag("no_address_scope") {
        a.insert("address_scope_id".into(), Value::Null);
    }
    if args.flag("default") {
        a.insert("is_default".into(), json!(true));
    }
    if args.flag("no_default") {
        a.insert("is_default".into(), json!(false));
    }
    if args.flag("share") {
        a.insert("shared".into(), json!(true));
    }
    if args.flag("no_share") {
        a.insert("shared".into(), json!(false));
    }
    if create {
        if let Some(p) = common::project(host, args)? {
            a.insert("project_id".into(), json!(p));
        }
    }
    if let Some(v) = args.str("description") {
        a.insert("description".into(), json!(v));
    }
    if let Some(q) = args.int("default_quota")? {
        a.insert("default_quota".into(), json!(q));
    }
    Ok(a)
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut a = attrs(host, args, true)?;
    a.entry("prefixes").or_insert_with(|| json!([]));
    a.extend(common::extra_properties(args)?);
    let obj = SUBNET_POOLS.create(host, Value::Object(a))?;
    let path = SUBNET_POOLS.item_path(obj["id"].as_str().unwrap_or_default());
    let tags = common::apply_set_tags(host, &path, &obj, args)?;
    Ok(reply(&common::with_tags(obj, tags)))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    if args.flag("default") {
        q.push(("is_default".into(), "True".into()));
    } else if args.flag("no_default") {
        q.push(("is_default".into(), "False".into()));
    }
    if args.flag("share") {
        q.push(("shared".into(), "True".into()));
    } else if args.flag("no_share") {
        q.push(("shared".into(), "False".into()));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(("project_id".into(), p));
    }
    if let Some(n) = args.str("name") {
        q.push(("name".into(), n.to_string()));
    }
    if let Some(s) = args.str("address_scope").filter(|s| !s.is_empty()) {
        q.push(("address_scope_id".into(), ADDR_SCOPES.find_id(host, s)?));
    }
    common::tag_filters(args, &mut q);
    let mut cols: Vec<Col> = LIST.to_vec();
    if args.flag("long") {
        cols.extend_from_slice(LIST_LONG);
    }
    let items: Vec<Value> = common::paged(host, &SUBNET_POOLS, q, args)?
        .into_iter()
        .map(|i| common::ints(i, INTS))
        .collect();
    Ok(verbs::list_reply(&items, &cols))
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let obj = SUBNET_POOLS.find(host, args.req("subnet_pool")?)?;
    let mut a = attrs(host, args, false)?;
    // Existing prefixes must be a subset of the new prefixes.
    if let Some(Value::Array(p)) = a.get_mut("prefixes") {
        p.extend(obj["prefixes"].as_array().cloned().unwrap_or_default());
    }
    a.extend(common::extra_properties(args)?);
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    if !a.is_empty() {
        SUBNET_POOLS.update(host, &id, "PUT", Value::Object(a))?;
    }
    common::apply_set_tags(host, &SUBNET_POOLS.item_path(&id), &obj, args)?;
    Ok(Reply::None)
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let obj = SUBNET_POOLS.find(host, args.req("subnet_pool")?)?;
    let path = SUBNET_POOLS.item_path(obj["id"].as_str().unwrap_or_default());
    common::apply_unset_tags(host, &path, &obj, args)?;
    Ok(Reply::None)
}
