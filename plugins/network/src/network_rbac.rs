//! `network rbac *`: python-openstackclient's `network/v2/network_rbac.py`.

use crate::common::{self, qp, Attrs, NET};
use osc_plugin_sdk::osc_api::lookup;
use osc_plugin_sdk::verbs::{col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Resource, Result, Value};

pub const RBAC_POLICIES: Resource =
    Resource::new(NET, "/rbac-policies", "rbac_policy", "rbac_policies")
        .display("RBAC policy")
        .sdk("RBACPolicy")
        .name_query(None);

/// The objects a policy can be about, as the SDK finds them for `--type`.
const OBJECTS: &[(&str, Resource)] = &[
    ("network", crate::common::NETWORKS),
    ("qos_policy", crate::common::QOSPOLICIES),
    ("security_group", crate::common::SECURITY_GROUPS),
    ("address_scope", crate::common::ADDR_SCOPES),
    (
        "subnetpool",
        Resource::new(NET, "/subnetpools", "subnetpool", "subnetpools").sdk("SubnetPool"),
    ),
    ("address_group", crate::address_group::ADDR_GROUPS),
];

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("object_id", "object_id"),
    ("target_project_id", "target_tenant"),
    ("project_id", "project_id"),
    ("tenant_id", "tenant_id"),
    ("object_type", "object_type"),
    ("action", "action"),
];
const HIDDEN: &[&str] = &["location", "name", "tenant_id"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Object Type", "object_type"),
    col("Object ID", "object_id"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "network rbac create" => create(host, args),
        "network rbac delete" => common::delete_each(
            host,
            &args.list("rbac_policy"),
            "RBAC policy with ID",
            "RBAC policies",
            |p| {
                let id = RBAC_POLICIES.find_id(host, p)?;
                RBAC_POLICIES.delete(host, &id)
            },
        ),
        "network rbac list" => list(host, args),
        "network rbac set" => set(host, args),
        "network rbac show" => show(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, &[], &[])
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let ty = args.req("type")?;
    let object = match OBJECTS.iter().find(|(t, _)| *t == ty) {
        Some((_, r)) => r.find_id(host, args.req("rbac_object")?)?,
        None => return Err(format!("argument --type: invalid choice: '{ty}'").into()),
    };
    let target = match common::project_of(host, args, "target_project", "target_project_domain")? {
        Some(p) => p,
        None if args.flag("target_all_projects") => "*".to_string(),
        None => {
            return Err(
                "one of the arguments --target-project --target-all-projects is required".into(),
            )
        }
    };
    let body = Body::new()
        .set("object_type", ty)
        .arg("action", args, "action")
        .set("object_id", object)
        .set("target_tenant", target)
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra(body, args)?;
    Ok(show_obj(&RBAC_POLICIES.create(host, body.into_value())?))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut cols = LIST.to_vec();
    if args.flag("long") {
        cols.push(col("Action", "action"));
    }
    let mut q = Vec::new();
    if let Some(t) = args.str("type") {
        q.push(qp("object_type", t));
    }
    if let Some(a) = args.str("action") {
        q.push(qp("action", a));
    }
    if let Some(t) = args.str("target_project") {
        let id = match t {
            "*" => t.to_string(),
            _ => lookup::project_id(host, t, None)?,
        };
        q.push(qp("target_tenant", id));
    }
    common::list_paged(host, &RBAC_POLICIES, args, q, &cols)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let id = RBAC_POLICIES.find_id(host, args.req("rbac_policy")?)?;
    let target = match args.str("target_project").filter(|t| !t.is_empty()) {
        Some(t) => Some(lookup::project_id(
            host,
            t,
            args.str("target_project_domain"),
        )?),
        None => None,
    };
    let body = Body::new().opt("target_tenant", target);
    common::update_if_any(host, &RBAC_POLICIES, &id, common::with_extra(body, args)?)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(show_obj(
        &RBAC_POLICIES.find(host, args.req("rbac_policy")?)?,
    ))
}
