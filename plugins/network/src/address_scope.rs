//! `address scope *`: python-openstackclient's `network/v2/address_scope.py`.

use crate::common::ADDR_SCOPES;
use crate::common::{self, qp, Attrs};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Result, Value};

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("ip_version", "ip_version"),
    ("is_shared", "shared"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];
const RENAMES: &[(&str, &str)] = &[("is_shared", "shared")];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("IP Version", "ip_version"),
    col("Shared", "shared"),
    col("Project", "project_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "address scope create" => create(host, args),
        "address scope delete" => verbs::delete(
            host,
            &ADDR_SCOPES,
            &args.list("address_scope"),
            "address scopes",
        ),
        "address scope list" => list(host, args),
        "address scope set" => set(host, args),
        "address scope show" => show(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, RENAMES, &[])
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let body = Body::new()
        .arg("name", args, "name")
        .set("ip_version", args.int("ip_version")?.unwrap_or(4))
        .opt("shared", common::either(args, "share", "no_share"))
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra(body, args)?;
    Ok(show_obj(&ADDR_SCOPES.create(host, body.into_value())?))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    if let Some(n) = args.str("name").filter(|n| !n.is_empty()) {
        q.push(qp("name", n));
    }
    if let Some(v) = args.int("ip_version")?.filter(|v| *v != 0) {
        q.push(qp("ip_version", v));
    }
    if let Some(s) = common::either(args, "share", "no_share") {
        q.push(qp("shared", common::py_bool(s)));
    }
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    common::list_paged(host, &ADDR_SCOPES, args, q, LIST)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = ADDR_SCOPES.find_id(host, args.req("address_scope")?)?;
    let body = Body::new()
        .arg("name", args, "name")
        .opt("shared", common::either(args, "share", "no_share"));
    common::update_if_any(host, &ADDR_SCOPES, &id, common::with_extra(body, args)?)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(show_obj(
        &ADDR_SCOPES.find(host, args.req("address_scope")?)?,
    ))
}
