//! `database backup …` and `database backup strategy …` (python-troveclient's
//! database_backups and database_backup_strategy).

use crate::api::{self, BACKUPS, INSTANCES};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};

const LIST: &[&str] = &[
    "ID",
    "Instance ID",
    "Name",
    "Status",
    "Parent ID",
    "Updated",
    "Project ID",
];

/// A backup as `show` and `create` print it: its datastore flattened.
fn detail(v: Value) -> Value {
    let mut m = api::fields(v);
    if let Some(ds) = m.get("datastore").cloned() {
        m.insert("datastore".into(), ds["type"].clone());
        m.insert("datastore_version".into(), ds["version"].clone());
        m.insert("datastore_version_id".into(), ds["version_id"].clone());
    }
    Value::Object(m)
}

fn list(host: &Host, args: &Args) -> Result<Reply> {
    let mut q: Vec<(String, String)> = Vec::new();
    if let Some(d) = args.str("datastore") {
        q.push(("datastore".into(), d.into()));
    }
    if let Some(i) = args.str("instance").or(args.str("instance_id")) {
        q.push(("instance_id".into(), api::resource_id(host, &INSTANCES, i)?));
    }
    if args.flag("all_projects") {
        q.push(("all_projects".into(), "True".into()));
    }
    if let Some(p) = args.str("project_id") {
        q.push(("project_id".into(), p.into()));
    }
    let items = api::paginated(host, "/backups", "backups", &q, args)?;
    api::table_loaded(host, &BACKUPS, LIST, items)
}

fn list_instance(host: &Host, args: &Args) -> Result<Reply> {
    let id = api::find_id(host, &INSTANCES, args.req("instance")?)?;
    let path = format!("/instances/{id}/backups");
    let items = api::paginated(host, &path, "backups", &[], args)?;
    api::table_loaded(host, &BACKUPS, &LIST[..6], items)
}

fn create(host: &Host, args: &Args) -> Result<Reply> {
    let mut b = Map::new();
    b.insert("name".into(), json!(args.req("name")?));
    if let Some(from) = args.str("restore_from") {
        // The service validates the rest.
        b.insert(
            "restore_from".into(),
            json!({"remote_location": from,
                   "local_datastore_version_id": args.str("restore_datastore_version"),
                   "size": args.value("restore_size")}),
        );
    } else {
        let Some(inst) = args.str("instance") else {
            return Err(Error::other(
                "Instance ID or name is required if not restoring a backup.",
            ));
        };
        let id = api::resource_id(host, &INSTANCES, inst)?;
        b.insert(
            "incremental".into(),
            json!(i32::from(args.flag("incremental"))),
        );
        b.insert("instance".into(), json!(id));
        for (arg, key) in [
            ("description", "description"),
            ("parent", "parent_id"),
            ("storage_driver", "storage_driver"),
            ("swift_container", "swift_container"),
        ] {
            if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
                b.insert(key.into(), json!(v));
            }
        }
    }
    let v = api::call(host, "POST", "/backups", Some(json!({ "backup": b })))?;
    Ok(api::record(&detail(api::member(v, "backup")?)))
}

fn delete(host: &Host, args: &Args) -> Result<Reply> {
    let ids = api::deleter_ids(host, &BACKUPS, "database backup", &args.list("backup"))?;
    api::delete_each(host, "database backup", &ids, |id| {
        api::call(host, "DELETE", format!("/backups/{id}"), None).map(drop)
    })
}

/// Scheduled backups are Mistral executions: deleted there (service type `workflowv2`).
fn execution_delete(host: &Host, args: &Args) -> Result<Reply> {
    let id = args.req("execution")?;
    let req = Request::delete("workflowv2", format!("/executions/{}", api::quote(id)));
    host.request(req)?.ok()?;
    Ok(Reply::None)
}

fn strategy_query(args: &Args) -> Vec<(String, String)> {
    ["instance_id", "project_id"]
        .iter()
        .filter_map(|k| args.str(k).map(|v| (k.to_string(), v.to_string())))
        .collect()
}

fn strategy(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    match verb {
        "list" => {
            let mut req = Request::get(api::SVC, "/backup_strategies");
            for (k, v) in strategy_query(args) {
                req = req.query(&k, v);
            }
            let v = host.request(req)?.ok()?.json()?;
            let items = v["backup_strategies"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            Ok(api::table(
                &["Project ID", "Instance ID", "Swift Container"],
                &items,
            ))
        }
        "create" => {
            // troveclient sends no project: the strategy is the caller's.
            let mut b = Map::new();
            for key in ["instance_id", "swift_container"] {
                if let Some(v) = args.str(key).filter(|v| !v.is_empty()) {
                    b.insert(key.into(), json!(v));
                }
            }
            let v = api::call(
                host,
                "POST",
                "/backup_strategies",
                Some(json!({ "backup_strategy": b })),
            )?;
            Ok(api::record(&api::member(v, "backup_strategy")?))
        }
        _ => {
            let mut req = Request::delete(api::SVC, "/backup_strategies");
            for (k, v) in strategy_query(args) {
                req = req.query(&k, v);
            }
            host.request(req)?.ok()?;
            Ok(Reply::None)
        }
    }
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let verb = command.strip_prefix("database backup ")?;
    if let Some(v) = verb.strip_prefix("strategy ") {
        return Some(strategy(host, v, args));
    }
    Some(match verb {
        "list" => list(host, args),
        "list instance" => list_instance(host, args),
        "show" => args
            .req("backup")
            .and_then(|b| api::find(host, &BACKUPS, b))
            .map(|b| api::record(&detail(b))),
        "create" => create(host, args),
        "delete" => delete(host, args),
        "execution delete" => execution_delete(host, args),
        _ => return None,
    })
}
