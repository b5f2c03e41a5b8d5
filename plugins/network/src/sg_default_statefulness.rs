//! `security group default statefulness *`: python-openstackclient's
//! `network/v2/security_groups_default_statefulness.py`.

use crate::common::{self, qp, Attrs, NET};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Error, Host, Reply, Resource, Result, Value};

pub const SETTINGS: Resource = Resource::new(
    NET,
    "/security-groups-default-statefulness",
    "security_group_default_statefulness",
    "security_groups_default_statefulness",
)
.display("security groups default statefulness")
.sdk("SecurityGroupsDefaultStatefulness")
.name_query(None);

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("revision_number", "revision_number"),
    ("project_id", "project_id"),
    ("stateful", "stateful"),
];
const HIDDEN: &[&str] = &["location", "name", "revision_number"];

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Project ID", "project_id"),
    col("Stateful", "stateful"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "security group default statefulness create" => create(host, args),
        "security group default statefulness delete" => delete(host, args),
        "security group default statefulness list" => list(host, args),
        "security group default statefulness set" => set(host, args),
        "security group default statefulness show" => show(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, &[], &[])
}

/// `--stateful` or `--stateless`, one of which argparse requires.
fn stateful(args: &Args) -> Result<bool> {
    common::either(args, "stateful", "stateless")
        .ok_or_else(|| Error::other("one of the arguments --stateful --stateless is required"))
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let stateful = stateful(args)?;
    let project = common::project(host, args)?;
    let body = Body::new().set("stateful", stateful).set(
        "project_id",
        project.map(Value::from).unwrap_or(Value::Null),
    );
    Ok(show_obj(&SETTINGS.create(host, body.into_value())?))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    common::delete_each(
        host,
        &args.list("setting"),
        "default statefulness setting with ID",
        "default statefulness settings",
        |s| {
            let id = SETTINGS.find_id(host, s)?;
            SETTINGS.delete(host, &id)
        },
    )
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q = Vec::new();
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    verbs::list(host, &SETTINGS, &q, LIST)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let stateful = stateful(args)?;
    let id = SETTINGS.find_id(host, args.req("setting")?)?;
    SETTINGS.update(
        host,
        &id,
        "PUT",
        Body::new().set("stateful", stateful).into_value(),
    )?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(show_obj(&SETTINGS.find(host, args.req("setting")?)?))
}
