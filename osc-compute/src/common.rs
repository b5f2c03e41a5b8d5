//! What every compute command shares: microversion negotiation per resource (each
//! openstacksdk resource has its own `_max_microversion`, and JSON output only matches OSC's
//! when we send the same one), lookups of servers, flavors, images, networks and volumes by
//! name or ID, and the parsing of OSC's `key=value` options.

use osc_core::page::Fields;
use osc_core::resource::{id_of, Resource};
use osc_core::session::compare_versions;
use osc_core::{Error, Method, Request, Result, Session};
use serde_json::{Map, Value};

/// openstacksdk's `_max_microversion` of each compute resource (openstacksdk 4.x).
pub mod mv {
    pub const SERVER: &str = "2.100";
    pub const FLAVOR: &str = "2.61";
    pub const KEYPAIR: &str = "2.10";
    pub const AGGREGATE: &str = "2.81";
    pub const HYPERVISOR: &str = "2.88";
    pub const SERVICE: &str = "2.69";
    pub const USAGE: &str = "2.75";
    pub const SERVER_GROUP: &str = "2.64";
    pub const SERVER_ACTION: &str = "2.84";
    pub const MIGRATION: &str = "2.80";
    pub const INTERFACE: &str = "2.70";
    pub const VOLUME_ATTACHMENT: &str = "2.89";
    pub const REMOTE_CONSOLE: &str = "2.99";
    pub const CONSOLE_AUTH_TOKEN: &str = "2.99";
    pub const SHARE: &str = "2.97";
    pub const DIAGNOSTICS: &str = "2.48";
    /// Commands that still go through novaclient-style raw requests in OSC (hosts, agents,
    /// hypervisor stats): the base version.
    pub const BASE: &str = "2.1";
}

pub const SERVERS: Resource = Resource::new("compute", "/servers", "server", "servers")
    .list_path("/servers/detail")
    .max_microversion(mv::SERVER);
/// Nova ignores or rejects a `name` filter on flavors: search the list instead.
pub const FLAVORS: Resource = Resource::new("compute", "/flavors", "flavor", "flavors")
    .list_path("/flavors/detail")
    .name_query(None)
    .max_microversion(mv::FLAVOR);
pub const IMAGES: Resource = Resource::new("image", "/images", "", "images").display("image");
pub const NETWORKS: Resource = Resource::new("network", "/networks", "network", "networks");
pub const PORTS: Resource = Resource::new("network", "/ports", "port", "ports");
pub const SECURITY_GROUPS: Resource = Resource::new(
    "network",
    "/security-groups",
    "security_group",
    "security_groups",
)
.display("security group");
pub const VOLUMES: Resource =
    Resource::new("block-storage", "/volumes", "volume", "volumes").list_path("/volumes/detail");
pub const SNAPSHOTS: Resource =
    Resource::new("block-storage", "/snapshots", "snapshot", "snapshots")
        .list_path("/snapshots/detail");
pub const SERVER_GROUPS: Resource = Resource::new(
    "compute",
    "/os-server-groups",
    "server_group",
    "server_groups",
)
.display("server group")
.max_microversion(mv::SERVER_GROUP);

/// The microversion a request for a resource with openstacksdk maximum `max` carries: the
/// pinned `--os-compute-api-version`, else min(max, cloud's maximum).
pub fn negotiated(s: &Session, max: &str) -> Result<Option<String>> {
    s.microversion("compute", Some(max))
}

/// The version OSC checks options against: the pinned one, else the cloud's maximum.
fn available(s: &Session) -> Result<Option<String>> {
    s.microversion("compute", Some("2.999"))
}

/// True when the cloud (or the pin) allows microversion `v`.
pub fn supports(s: &Session, v: &str) -> Result<bool> {
    Ok(available(s)?.is_some_and(|have| compare_versions(&have, v).is_ge()))
}

/// Fails with OSC's message when `what` needs microversion `v` and the cloud or pin is older.
pub fn require(s: &Session, v: &str, what: &str) -> Result<()> {
    if supports(s, v)? {
        return Ok(());
    }
    let have = available(s)?.unwrap_or_else(|| "none".into());
    Err(Error::Unsupported(format!(
        "--os-compute-api-version {v} or greater is required to support {what} (the cloud or the pinned version allows {have})"
    )))
}

/// A compute request at the microversion of a resource.
pub fn request(s: &Session, method: Method, path: impl Into<String>, max: &str) -> Result<Request> {
    let mut r = Request::new(method, "compute", path);
    if let Some(v) = negotiated(s, max)? {
        r = r.microversion(v);
    }
    Ok(r)
}

pub fn get(s: &Session, path: &str, max: &str) -> Result<Value> {
    s.json(request(s, Method::GET, path, max)?)
}
pub fn get_query(s: &Session, path: &str, q: &[(String, String)], max: &str) -> Result<Value> {
    s.json(request(s, Method::GET, path, max)?.queries(q))
}
pub fn post(s: &Session, path: &str, body: Value, max: &str) -> Result<Value> {
    s.json(request(s, Method::POST, path, max)?.json(body))
}
pub fn put(s: &Session, path: &str, body: Value, max: &str) -> Result<Value> {
    s.json(request(s, Method::PUT, path, max)?.json(body))
}
pub fn delete(s: &Session, path: &str, max: &str) -> Result<()> {
    s.send(request(s, Method::DELETE, path, max)?).map(|_| ())
}

/// Every item of a paginated compute collection at a resource's microversion.
pub fn list_all(
    s: &Session,
    path: &str,
    key: &str,
    q: &[(String, String)],
    max: &str,
) -> Result<Vec<Value>> {
    list_limited(s, path, key, q, max, true, None, Fields::All)
}

/// One page, or every page when `paginate`; at most `max_items`, with only `fields` kept.
#[allow(clippy::too_many_arguments)]
pub fn list_limited(
    s: &Session,
    path: &str,
    key: &str,
    q: &[(String, String)],
    max: &str,
    paginate: bool,
    max_items: Option<usize>,
    fields: Fields,
) -> Result<Vec<Value>> {
    let first = request(s, Method::GET, path, max)?.queries(q);
    let mut items = if paginate {
        osc_core::resource::list_pages(s, first, key, fields)?
    } else {
        s.page(first, key, fields)?.items
    };
    if let Some(n) = max_items {
        items.truncate(n);
    }
    Ok(items)
}

pub fn take(mut body: Value, key: &str) -> Vec<Value> {
    match body.get_mut(key).map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

pub fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

pub fn id_or_err(v: Value, what: &str, name: &str) -> Result<String> {
    id_of(&v).ok_or_else(|| Error::cmd(format!("The {what} '{name}' has no ID")))
}

/// Finds a flavor, including private ones an admin can see.
pub fn find_flavor(s: &Session, name_or_id: &str) -> Result<Value> {
    FLAVORS.find_scoped(s, name_or_id, &[("is_public".into(), "None".into())])
}

pub fn find_image(s: &Session, name_or_id: &str) -> Result<Value> {
    IMAGES.find(s, name_or_id)
}

pub fn find_id(s: &Session, res: &Resource, name_or_id: &str) -> Result<String> {
    res.find_id(s, name_or_id)
}

/// `key=value` options (OSC's KeyValueAction) into an object, later keys winning.
pub fn parse_kv(items: &[String], flag: &str) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    for it in items {
        let (k, v) = split_kv(it, flag)?;
        m.insert(k, Value::String(v));
    }
    Ok(m)
}

pub fn split_kv(it: &str, flag: &str) -> Result<(String, String)> {
    match it.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(Error::usage(format!(
            "{flag}: expected 'key=value', got '{it}'"
        ))),
    }
}

/// `key=value,key2=value2` options (OSC's MultiKeyValueAction).
pub fn parse_multi_kv(
    item: &str,
    flag: &str,
    valid: &[&str],
    required: &[&str],
) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    for part in item.split(',') {
        let (k, v) = split_kv(part, flag)?;
        if !valid.is_empty() && !valid.contains(&k.as_str()) {
            return Err(Error::usage(format!(
                "{flag}: invalid key '{k}' in '{item}'; valid keys are: {}",
                valid.join(", ")
            )));
        }
        m.insert(k, Value::String(v));
    }
    for r in required {
        if !m.contains_key(*r) {
            return Err(Error::usage(format!(
                "{flag}: missing required key '{r}' in '{item}'"
            )));
        }
    }
    Ok(m)
}

/// Checks an ISO 8601 timestamp enough to give OSC's error before asking the server.
pub fn check_time(v: &str, what: &str) -> Result<()> {
    let ok = v.len() >= 10
        && v.as_bytes()[4] == b'-'
        && v.as_bytes()[7] == b'-'
        && v[..4].chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Error::cmd(format!("Invalid {what} value: {v}")))
    }
}

/// The project ID for `--project` / `--project-domain` through Keystone.
pub use osc_core::lookup::{project_id as find_project_id, user_id as find_user_id};

pub use osc_core::lookup::non_negative;

/// Pagination query parameters shared by the `--limit/--marker` list commands.
pub fn page_query(q: &mut Vec<(String, String)>, limit: Option<u64>, marker: Option<&str>) {
    if let Some(l) = limit {
        q.push(("limit".into(), l.to_string()));
    }
    if let Some(m) = marker {
        q.push(("marker".into(), m.to_string()));
    }
}

/// Python's `str()` of a JSON value, for messages.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// The object inside a response key, or the body.
pub fn unwrap_key(mut v: Value, key: &str) -> Value {
    match v.get_mut(key).map(Value::take) {
        Some(inner) => inner,
        None => v,
    }
}

/// osc_lib's ListColumn/DictColumn/ListDictColumn/DictListColumn give `[]`/`{}` to machines
/// for `None`; these cells do the same.
/// TODO(osc-output): could be the renderer's rule for styled cells.
pub fn list_cell(v: Value) -> osc_core::Cell {
    osc_core::Cell::list(if v.is_null() {
        Value::Array(Vec::new())
    } else {
        v
    })
}
pub fn dict_cell(v: Value) -> osc_core::Cell {
    osc_core::Cell::dict(if v.is_null() {
        Value::Object(Map::new())
    } else {
        v
    })
}
pub fn list_dict_cell(v: Value) -> osc_core::Cell {
    osc_core::Cell::list_dict(if v.is_null() {
        Value::Array(Vec::new())
    } else {
        v
    })
}
pub fn dict_list_cell(v: Value) -> osc_core::Cell {
    osc_core::Cell::dict_list(if v.is_null() {
        Value::Object(Map::new())
    } else {
        v
    })
}

/// openstacksdk's `location` of a resource: the cloud, region and project it came from.
pub fn sdk_location(s: &Session) -> Result<Value> {
    let cfg = s.config();
    let auth = s.auth()?;
    Ok(serde_json::json!({
        "cloud": cfg.name,
        "region_name": cfg.region(),
        "zone": null,
        "project": {
            "id": auth.project_id,
            "name": auth.project_name,
            "domain_id": auth.project_domain_id,
            "domain_name": null,
        },
    }))
}

/// Builds a JSON object from pairs.
pub fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_values() {
        let m = parse_kv(&["a=1".into(), "b=x=y".into(), "a=2".into()], "--property").unwrap();
        assert_eq!(m["a"], "2");
        assert_eq!(m["b"], "x=y");
        assert!(parse_kv(&["novalue".into()], "--property").is_err());
        let m = parse_multi_kv(
            "size=1,format=ext4",
            "--ephemeral",
            &["size", "format"],
            &["size"],
        )
        .unwrap();
        assert_eq!(m["format"], "ext4");
        assert!(
            parse_multi_kv("format=ext4", "--ephemeral", &["size", "format"], &["size"]).is_err()
        );
        assert!(parse_multi_kv("bad=1", "--ephemeral", &["size"], &[]).is_err());
    }

    #[test]
    fn times() {
        assert!(check_time("2024-01-01T00:00:00Z", "changes-since").is_ok());
        assert!(check_time("yesterday", "changes-since").is_err());
    }
}
