//! `security group *`: python-openstackclient's `network/v2/security_group.py`.

use crate::common::{self, qp, Attrs};
use osc_plugin_sdk::verbs::{self, col, Body, Col};
use osc_plugin_sdk::{Args, Host, Reply, Result, Value};

use crate::common::SECURITY_GROUPS;

const ATTRS: Attrs = &[
    ("id", "id"),
    ("name", "name"),
    ("revision_number", "revision_number"),
    ("tags", "tags"),
    ("created_at", "created_at"),
    ("description", "description"),
    ("stateful", "stateful"),
    ("project_id", "project_id"),
    ("security_group_rules", "security_group_rules"),
    ("tenant_id", "tenant_id"),
    ("updated_at", "updated_at"),
    ("is_shared", "shared"),
];
const HIDDEN: &[&str] = &["location", "tenant_id"];
const RENAMES: &[(&str, &str)] = &[("security_group_rules", "rules")];
/// OSC's `NetworkSecurityGroupRulesColumn` (a table shows the rules as a list of dicts).
const STYLES: &[(&str, &str)] = &[("rules", "list_dict")];

/// What `security group list` asks for (`fields`) and shows.
const FIELDS: &[&str] = &["id", "name", "description", "project_id", "tags", "shared"];
const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
    col("Project", "project_id"),
    col("Tags", "tags"),
    col("Shared", "shared"),
];

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    Some(match command {
        "security group create" => create(host, args),
        "security group delete" => {
            verbs::delete(host, &SECURITY_GROUPS, &args.list("group"), "groups")
        }
        "security group list" => list(host, args),
        "security group set" => set(host, args),
        "security group show" => show(host, args),
        "security group unset" => unset(host, args),
        _ => return None,
    })
}

fn show_obj(obj: &Value) -> Reply {
    common::sdk_attrs_show(obj, ATTRS, HIDDEN, RENAMES, STYLES)
}

/// Replaces the tags when `new` differs, and keeps `obj` up to date (as the SDK's `set_tags`).
fn apply_tags(host: &Host, obj: &mut Value, new: Option<Vec<String>>) -> Result<()> {
    if let Some(tags) = new {
        let id = obj["id"].as_str().unwrap_or_default().to_string();
        common::put_tags(host, &SECURITY_GROUPS.item_path(&id), &tags)?;
        obj["tags"] = Value::from(tags);
    }
    Ok(())
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let name = args.req("name")?;
    let body = Body::new()
        .set("name", name)
        .set("description", args.str("description").unwrap_or(name))
        .opt("stateful", common::either(args, "stateful", "stateless"))
        .opt("project_id", common::project(host, args)?);
    let body = common::with_extra(body, args)?;
    let mut obj = SECURITY_GROUPS.create(host, body.into_value())?;
    let tags = common::set_tags(&obj, args);
    apply_tags(host, &mut obj, tags)?;
    Ok(show_obj(&obj))
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = FIELDS.iter().map(|f| qp("fields", f)).collect();
    if let Some(p) = common::project(host, args)? {
        q.push(qp("project_id", p));
    }
    if let Some(s) = common::either(args, "share", "no_share") {
        q.push(qp("shared", common::py_bool(s)));
    }
    for (arg, key) in [
        ("tags", "tags"),
        ("any_tags", "tags-any"),
        ("not_tags", "not-tags"),
        ("not_any_tags", "not-tags-any"),
    ] {
        let v = args.list(arg);
        if !v.is_empty() {
            q.push(qp(key, v.join(",")));
        }
    }
    common::list_paged(host, &SECURITY_GROUPS, args, q, LIST)
}

fn set(host: &Host, args: &Args) -> Result<Reply> {
    let mut obj = SECURITY_GROUPS.find(host, args.req("group")?)?;
    let id = obj["id"].as_str().unwrap_or_default().to_string();
    let body = Body::new()
        .arg("name", args, "name")
        .arg("description", args, "description")
        .opt("stateful", common::either(args, "stateful", "stateless"));
    common::update_if_any(host, &SECURITY_GROUPS, &id, common::with_extra(body, args)?)?;
    let tags = common::set_tags(&obj, args);
    apply_tags(host, &mut obj, tags)?;
    Ok(Reply::None)
}

fn show(host: &Host, args: &Args) -> Result<Reply> {
    Ok(show_obj(&SECURITY_GROUPS.find(host, args.req("group")?)?))
}

fn unset(host: &Host, args: &Args) -> Result<Reply> {
    let mut obj = SECURITY_GROUPS.find(host, args.req("group")?)?;
    let tags = common::unset_tags(&obj, args);
    apply_tags(host, &mut obj, tags).map(|_| Reply::None)
}
