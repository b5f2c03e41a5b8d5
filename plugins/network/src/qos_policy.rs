//! `network qos policy *`: python-openstackclient's `network/v2/network_qos_policy.py`.

use crate::common::{self, qp, Attrs, QOSPOLICIES};
use osc_plugin_sdk::verbs::{col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Result, Value};

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("tags", "tags"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("description", "description"),
    ("is_default", "is_default"),
    ("is_shared", "shared"),
    ("rules", "rules"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];
const RENAMES: &[(&str, &str)] = &[("is_shared", "shared")];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Shared", "shared"),
    col("Default", "is_default"),
    col("Project", "project_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network qos policy create" => create(host, args),
        "network qos policy delete" => common::delete_each(
            host,
            &args.list("policy"),
            "QoS policy name or ID",
            "QoS policies",
            |p| {
                let id = QOSPOLICIES.find_id(host, p)?;
                QOSPOLICIES.delete(host, &id)
            },
        ),
        "network qos policy list" => list(host, args),
        "network qos policy set" => set(host, args),
        "network qos policy show" => show(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, RENAMES, &[])
}

/// OSC's `_get_attrs`, shared by create, set and (as filters) list.
fn attrs(host: &Host, args: &Args) -> Result<Body> {
    Ok(Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description")
        .opt("shared", common::either(args, "share", "no_share"))
        .opt("is_default", common::either(args, "default", "no_default"))
        .opt("project_id", common::project(host, args)?))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let body = common::with_extra(attrs(host, args)?, args)?;
    Ok(show_obj(&QOSPOLICIES.create(host, body.into_value())?))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let q = attrs(host, args)?
        .0
        .into_iter()
        .map(|(k, v)| match v {
            Value::Bool(b) => qp(&k, common::py_bool(b)),
            Value::String(s) => qp(&k, s),
            other => qp(&k, other),
        })
        .collect();
    common::list_paged(host, &QOSPOLICIES, args, q, LIST)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = QOSPOLICIES.find_id(host, args.req("policy")?)?;
    let body = common::with_extra(attrs(host, args)?, args)?;
    common::update_if_any(host, &QOSPOLICIES, &id, body)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    let obj = QOSPOLICIES.find(host, args.req("policy")?)?;
    // OSC's RulesColumn: one rule per line in a table, the list itself in JSON.
    Ok(show_obj(&obj).style("rules", "list"))
}
