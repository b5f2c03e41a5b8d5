//! What every Trove command shares: the resources and their lookups (osc_lib's
//! `find_resource`: by ID, then by name), raw requests, Trove's marker pagination, and
//! troveclient's ways of turning objects into rows and records.

use osc_plugin_sdk::osc_api::{ErrorStatus, Resource};
use osc_plugin_sdk::{verbs, Args, Error, Host, Map, Reply, Request, Result, Value};

pub const SVC: &str = "database";

/// osc_lib's lookups name the manager's resource class in lower case ("No instance with a
/// name or ID of 'x' exists."); Trove filters no list by name, so every page is read.
const fn res(path: &'static str, one: &'static str, many: &'static str) -> Resource {
    Resource::new(SVC, path, one, many).name_query(None)
}

pub const INSTANCES: Resource = res("/instances", "instance", "instances");
pub const CONFIGURATIONS: Resource = res("/configurations", "configuration", "configurations");
pub const BACKUPS: Resource = res("/backups", "backup", "backups");
pub const CLUSTERS: Resource = res("/clusters", "cluster", "clusters");
pub const FLAVORS: Resource = res("/flavors", "flavor", "flavors");
pub const DATASTORES: Resource = res("/datastores", "datastore", "datastores");
pub const MODULES: Resource = res("/modules", "module", "modules");

/// oslo's `uuidutils.is_uuid_like`: 32 hex digits, dashes anywhere, braces and `urn:uuid:`
/// allowed, as `uuid.UUID()` parses them.
pub fn is_uuid_like(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("urn:").unwrap_or(&t);
    let t = t.strip_prefix("uuid:").unwrap_or(t);
    let t = t.trim_start_matches('{').trim_end_matches('}');
    let hex: String = t.chars().filter(|c| *c != '-').collect();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// An object found by name or ID (`osc_utils.find_resource`), in full: one found by name
/// in a listing is fetched again (troveclient's resources load their details when a
/// missing attribute is read).
pub fn find(host: &Host, r: &Resource, name_or_id: &str) -> Result<Value> {
    match r.get(host, name_or_id) {
        Ok(v) if !v.is_null() => return Ok(v),
        Ok(_) => {}
        Err(e) if matches!(e.status(), Some(404) | Some(400)) || e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    let all = r.list(host, &[])?;
    let hits: Vec<&Value> = all
        .iter()
        .filter(|o| o["name"].as_str() == Some(name_or_id) || text(&o["id"]) == name_or_id)
        .collect();
    match hits.as_slice() {
        [one] => match text(&one["id"]) {
            // A flavor whose Nova ID is not a number: `id` null, `str_id` set.
            id if id.is_empty() => r.get(host, &text(&one["str_id"])),
            id => r.get(host, &id),
        },
        [] => Err(r.not_found(name_or_id)),
        _ => Err(r.ambiguous(name_or_id, hits.len(), false)),
    }
}

/// Its ID (a number for flavors, as Trove gives it).
pub fn find_id(host: &Host, r: &Resource, name_or_id: &str) -> Result<String> {
    r.find_id(host, name_or_id)
}

/// What commands that skip the lookup for a UUID use (`if not is_uuid_like: find`).
pub fn ref_id(host: &Host, r: &Resource, name_or_id: &str) -> Result<String> {
    if is_uuid_like(name_or_id) {
        Ok(name_or_id.to_string())
    } else {
        find_id(host, r, name_or_id)
    }
}

/// troveclient's `get_resource_id_by_name`: the one object of that name, or its error.
pub fn id_by_name(host: &Host, r: &Resource, name: &str) -> Result<String> {
    let all = r.list(host, &[])?;
    let hits: Vec<&Value> = all
        .iter()
        .filter(|o| o["name"].as_str() == Some(name))
        .collect();
    match hits.as_slice() {
        [one] => Ok(text(&one["id"])),
        [] => Err(Error::NotFound(format!(
            "No {} matching {{'name': '{name}'}}.",
            class(r)
        ))),
        _ => Err(r.ambiguous(name, hits.len(), false)),
    }
}

/// troveclient's `get_resource_id`: a UUID as it is, else the ID of that name.
pub fn resource_id(host: &Host, r: &Resource, given: &str) -> Result<String> {
    if is_uuid_like(given) {
        return Ok(given.to_string());
    }
    id_by_name(host, r, given)
        .map_err(|e| Error::other(format!("Failed to get resource ID for {given}, error: {e}")))
}

fn class(r: &Resource) -> String {
    let mut c = r.display.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A flavor's ID: Trove gives `id: null` and a `str_id` for flavors whose Nova ID is not a
/// number (troveclient's `Flavor` falls back to it).
pub fn flavor_ref(host: &Host, name_or_id: &str) -> Result<Value> {
    let f = find(host, &FLAVORS, name_or_id)?;
    Ok(match &f["id"] {
        Value::Null => f["str_id"].clone(),
        id => id.clone(),
    })
}

/// A string's text, any other value's JSON.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One request to Trove; the reply's JSON (`null` when empty).
pub fn call(
    host: &Host,
    method: &str,
    path: impl Into<String>,
    body: Option<Value>,
) -> Result<Value> {
    let mut req = Request::new(method, SVC, path);
    if let Some(b) = body {
        req = req.json(b);
    }
    host.request(req)?.ok()?.json()
}

pub fn get(host: &Host, path: impl Into<String>) -> Result<Value> {
    call(host, "GET", path, None)
}

/// `POST /instances/<id>/action` (or `/mgmt/instances/...`, `/clusters/<id>`).
pub fn action(host: &Host, path: String, verb: &str, arg: Value) -> Result<Value> {
    let mut body = Map::new();
    body.insert(verb.to_string(), arg);
    call(host, "POST", path, Some(Value::Object(body)))
}

/// A member of a reply body, or an error naming what is missing.
pub fn member(mut v: Value, key: &str) -> Result<Value> {
    match v.get_mut(key).map(Value::take) {
        Some(x) => Ok(x),
        None => Err(Error::BadReply(format!(
            "Missing key value '{key}' in response body."
        ))),
    }
}

/// The marker of a Trove `links` list's `next` link.
fn next_marker(body: &Value) -> Option<String> {
    let links = body.get("links")?.as_array()?;
    let href = links.iter().find(|l| l["rel"].as_str() == Some("next"))?["href"].as_str()?;
    let query = href.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == "marker").then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Some(h) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(h);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// troveclient's `_paginated`: one page with `--limit`/`--marker` as given; without
/// `--limit` (or when `follow`) the next pages too, by the marker of each `next` link (the
/// links' own host may be one the client cannot reach, so only their marker is used).
pub fn paginated(
    host: &Host,
    path: &str,
    key: &str,
    query: &[(String, String)],
    args: &Args,
) -> Result<Vec<Value>> {
    let limit = args.value("limit").map(text);
    let mut marker = args.str("marker").map(str::to_string);
    let mut out = Vec::new();
    loop {
        let mut req = Request::get(SVC, path);
        for (k, v) in query {
            req = req.query(k, v);
        }
        if let Some(l) = &limit {
            req = req.query("limit", l);
        }
        if let Some(m) = &marker {
            req = req.query("marker", m);
        }
        let body = host.request(req)?.ok()?.json()?;
        if body.is_null() {
            return Err(Error::BadReply(format!(
                "Call to {path} did not return a body."
            )));
        }
        if let Some(items) = body.get(key).and_then(Value::as_array) {
            out.extend(items.iter().cloned());
        }
        match next_marker(&body) {
            Some(m) if limit.is_none() && marker.as_deref() != Some(m.as_str()) => marker = Some(m),
            _ => return Ok(out),
        }
    }
}

/// The attribute a cliff column shows (`Datastore Version` is `datastore_version`); `""`
/// when the object has none (`get_item_properties`).
pub fn prop(obj: &Value, header: &str) -> Value {
    let key = header.to_lowercase().replace(' ', "_");
    match obj.get(&key) {
        Some(v) => v.clone(),
        None => Value::String(String::new()),
    }
}

/// A table of `objs` under cliff's `headers`.
pub fn table(headers: &[&str], objs: &[Value]) -> Reply {
    let rows = objs
        .iter()
        .map(|o| headers.iter().map(|h| prop(o, h)).collect())
        .collect();
    Reply::list(headers.iter().copied()).rows(rows)
}

/// [`table`] for listed objects that troveclient loads in full when a column is missing
/// from the listing (its resources fetch themselves on a missing attribute).
pub fn table_loaded(
    host: &Host,
    r: &Resource,
    headers: &[&str],
    objs: Vec<Value>,
) -> Result<Reply> {
    let key = |h: &&str| h.to_lowercase().replace(' ', "_");
    let full: Vec<Value> = objs
        .into_iter()
        .map(|o| {
            let lacking = headers.iter().any(|h| o.get(key(h)).is_none());
            match (lacking, o["id"].is_null()) {
                (true, false) => r.get(host, &text(&o["id"])),
                _ => Ok(o),
            }
        })
        .collect::<Result<_>>()?;
    Ok(table(headers, &full))
}

/// `zip(*sorted(info.items()))`: every field by name.
pub fn record(obj: &Value) -> Reply {
    verbs::sorted_reply(obj, &[], &[])
}

/// An object's fields as a map to edit.
pub fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Python's `json.dumps` (`", "` and `": "` separators, non-ASCII escaped).
pub fn py_json(v: &Value) -> String {
    let mut out = String::new();
    dump(v, &mut out);
    out
}

fn dump(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump_str(k, out);
                out.push_str(": ");
                dump(x, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(x, out);
            }
            out.push(']');
        }
        Value::String(s) => dump_str(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn dump_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Python's `urllib.parse.quote` (safe `/`), as troveclient quotes user names.
pub fn quote(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `common.quote_user_host`: `user@host` quoted, with dots as `%2e`.
pub fn user_host(user: &str, host: Option<&str>) -> String {
    let raw = match host {
        Some(h) if !h.is_empty() => format!("{user}@{h}"),
        _ => user.to_string(),
    };
    quote(&raw).replace('.', "%2e")
}

/// A JSON list of `{"name": ..}` objects.
pub fn names(list: &[String]) -> Value {
    Value::Array(
        list.iter()
            .map(|n| {
                let mut m = Map::new();
                m.insert("name".into(), Value::String(n.clone()));
                Value::Object(m)
            })
            .collect(),
    )
}

/// `base.TroveDeleter.delete_resources`: every deletion tried; "Request to delete ... has
/// been accepted." for each success, then the failures.
pub fn delete_each(
    host: &Host,
    resource: &str,
    ids: &[String],
    mut delete: impl FnMut(&str) -> Result<()>,
) -> Result<Reply> {
    let mut lines = Vec::new();
    let mut failed = false;
    for id in ids {
        match delete(id) {
            Ok(()) => lines.push(format!(
                "Request to delete {resource} {id} has been accepted."
            )),
            Err(e) => {
                failed = true;
                lines.push(e.to_string());
            }
        }
    }
    if failed {
        for l in &lines {
            host.warn(l);
        }
        return Err(Error::other(format!(
            "Unable to delete the specified {resource}(s)."
        )));
    }
    Ok(Reply::Text(lines.join("\n")))
}

/// The IDs of the named objects for a TroveDeleter (names resolved first, all or none).
pub fn deleter_ids(host: &Host, r: &Resource, what: &str, given: &[String]) -> Result<Vec<String>> {
    given
        .iter()
        .map(|g| {
            if is_uuid_like(g) {
                Ok(g.clone())
            } else {
                id_by_name(host, r, g)
                    .map_err(|e| Error::other(format!("Failed to get {what} {g}, error: {e}")))
            }
        })
        .collect()
}

/// Wraps an error in a command's own words (`Failed to delete cluster x: ...`).
pub fn wrap<T>(r: Result<T>, prefix: impl std::fmt::Display) -> Result<T> {
    r.map_err(|e| Error::other(format!("{prefix}: {e}")))
}
