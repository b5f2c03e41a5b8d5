//! `database user …`, `database db …` and `database root …`: what lives inside an
//! instance's database server (python-troveclient's database_users, databases and
//! database_root).

use crate::api::{self, CLUSTERS, INSTANCES};
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Result, Value};

fn instance(host: &Host, args: &Args) -> Result<String> {
    api::find_id(host, &INSTANCES, args.req("instance")?)
}

/// `/instances/<id>/users/<user@host quoted>`.
fn user_path(host: &Host, args: &Args) -> Result<String> {
    let id = instance(host, args)?;
    let user = api::user_host(args.req("name")?, args.str("host"));
    Ok(format!("/instances/{id}/users/{user}"))
}

fn user(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    match verb {
        "create" => {
            let id = instance(host, args)?;
            let mut u = Map::new();
            u.insert("name".into(), json!(args.req("name")?));
            u.insert("password".into(), json!(args.req("password")?));
            u.insert("databases".into(), api::names(&args.list("databases")));
            if let Some(h) = args.str("host").filter(|h| !h.is_empty()) {
                u.insert("host".into(), json!(h));
            }
            let path = format!("/instances/{id}/users");
            api::call(host, "POST", path, Some(json!({ "users": [u] })))?;
            Ok(Reply::None)
        }
        "list" => {
            let id = instance(host, args)?;
            let users =
                api::paginated(host, &format!("/instances/{id}/users"), "users", &[], args)?;
            let rows: Vec<Value> = users
                .into_iter()
                .map(|u| {
                    let mut m = api::fields(u);
                    let dbs: Vec<String> = m
                        .get("databases")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(|d| api::text(&d["name"])).collect())
                        .unwrap_or_default();
                    m.insert("databases".into(), json!(dbs.join(", ")));
                    Value::Object(m)
                })
                .collect();
            Ok(api::table(&["Name", "Host", "Databases"], &rows))
        }
        "show" => {
            let v = api::get(host, user_path(host, args)?)?;
            Ok(api::record(&api::member(v, "user")?))
        }
        "delete" => {
            let name = args.req("name")?;
            let r = user_path(host, args).and_then(|p| api::call(host, "DELETE", p, None));
            api::wrap(r, format!("Failed to delete user {name}"))?;
            Ok(Reply::None)
        }
        "grant access" => {
            let path = format!("{}/databases", user_path(host, args)?);
            let body = json!({"databases": api::names(&args.list("databases"))});
            api::call(host, "PUT", path, Some(body))?;
            Ok(Reply::None)
        }
        "revoke access" => {
            let db = args.req("databases")?;
            let path = format!("{}/databases/{}", user_path(host, args)?, api::quote(db));
            api::call(host, "DELETE", path, None)?;
            Ok(Reply::None)
        }
        "show access" => {
            let v = api::get(host, format!("{}/databases", user_path(host, args)?))?;
            let dbs = v["databases"].as_array().cloned().unwrap_or_default();
            Ok(api::table(&["Name"], &dbs))
        }
        _ => {
            // update attributes
            let path = user_path(host, args)?;
            let mut attrs = Map::new();
            for (arg, key) in [
                ("new_name", "name"),
                ("new_password", "password"),
                ("new_host", "host"),
            ] {
                if let Some(v) = args.str(arg).filter(|v| !v.is_empty()) {
                    attrs.insert(key.into(), json!(v));
                }
            }
            if attrs.is_empty() {
                return Err(Error::other(format!(
                    "No updates specified for user {}",
                    args.req("name")?
                )));
            }
            api::call(host, "PUT", path, Some(json!({ "user": attrs })))?;
            Ok(Reply::None)
        }
    }
}

fn db(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    match verb {
        "create" => {
            let id = instance(host, args)?;
            let mut d = Map::new();
            d.insert("name".into(), json!(args.req("name")?));
            for key in ["collate", "character_set"] {
                if let Some(v) = args.str(key).filter(|v| !v.is_empty()) {
                    d.insert(key.into(), json!(v));
                }
            }
            let path = format!("/instances/{id}/databases");
            api::call(host, "POST", path, Some(json!({ "databases": [d] })))?;
            Ok(Reply::None)
        }
        "list" => {
            let id = instance(host, args)?;
            let path = format!("/instances/{id}/databases");
            let dbs = api::paginated(host, &path, "databases", &[], args)?;
            Ok(api::table(&["Name"], &dbs))
        }
        _ => {
            let name = args.req("database")?;
            let r = instance(host, args).and_then(|id| {
                let path = format!("/instances/{id}/databases/{}", api::quote(name));
                api::call(host, "DELETE", path, None)
            });
            api::wrap(r, format!("Failed to delete database {name}"))?;
            Ok(Reply::None)
        }
    }
}

/// `find_instance_or_cluster`: the root path of an instance, else of a cluster.
fn root_path(host: &Host, given: &str) -> Result<String> {
    if let Ok(id) = api::find_id(host, &INSTANCES, given) {
        return Ok(format!("/instances/{id}/root"));
    }
    match api::find_id(host, &CLUSTERS, given) {
        Ok(id) => Ok(format!("/clusters/{id}/root")),
        Err(_) => Err(Error::other(format!(
            "No instance or cluster with a name or ID of '{given}' exists."
        ))),
    }
}

fn root(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    match verb {
        "enable" => {
            let path = root_path(host, args.req("instance_or_cluster")?)?;
            let body = args
                .str("root_password")
                .filter(|p| !p.is_empty())
                .map(|p| json!({"password": p}));
            let v = api::call(host, "POST", path, body)?;
            let u = api::member(v, "user")?;
            Ok(Reply::show()
                .field("name", u["name"].clone())
                .field("password", u["password"].clone()))
        }
        "show" => {
            let path = root_path(host, args.req("instance_or_cluster")?)?;
            let v = api::get(host, path)?;
            Ok(Reply::show().field("is_root_enabled", v["rootEnabled"].clone()))
        }
        _ => {
            let id = instance(host, args)?;
            api::call(host, "DELETE", format!("/instances/{id}/root"), None)?;
            Ok(Reply::None)
        }
    }
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    if let Some(v) = command.strip_prefix("database user ") {
        return Some(user(host, v, args));
    }
    if let Some(v) = command.strip_prefix("database db ") {
        return Some(db(host, v, args));
    }
    let v = command.strip_prefix("database root ")?;
    Some(root(host, v, args))
}
