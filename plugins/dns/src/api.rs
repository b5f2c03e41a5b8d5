//! What every Designate command shares, as python-designateclient's `DesignateAdapter` and
//! `V2Controller` do it: the `--all-projects` / `--sudo-project-id` / `--edit-managed` /
//! `--hard-delete` headers, error bodies reduced to their message, every page of a listing
//! (`links.next`), names resolved to IDs (`resolve_by_name`), and objects shown sorted without
//! their links.

use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{Args, Error, Host, Reply, Request, Result, Value};

pub const SERVICE: &str = "dns";

/// A request to Designate with the headers the common options ask for.
pub fn request(method: &str, path: impl Into<String>, args: &Args) -> Request<'static> {
    let mut r = Request::new(method, SERVICE, path);
    if args.flag("all_projects") {
        r = r.header("X-Auth-All-Projects", "True");
    }
    if args.flag("edit_managed") {
        r = r.header("X-Designate-Edit-Managed-Records", "True");
    }
    if args.flag("hard_delete") {
        r = r.header("X-Designate-Hard-Delete", "True");
    }
    if let Some(p) = args.str("sudo_project_id") {
        r = r.header("X-Auth-Sudo-Project-ID", p);
    }
    r
}

/// Sends the request; an error status becomes designateclient's message: the body's
/// `message`, else its `errors` messages joined, else its `type`, else the text.
pub fn call(host: &Host, req: Request<'_>) -> Result<Value> {
    let mut resp = host.request(req)?;
    if resp.is_success() {
        return resp.json();
    }
    let status = resp.status;
    let text = resp.text().unwrap_or_default();
    Err(Error::Other(error_message(status, &text)))
}

/// The line designateclient prints for an error answer.
pub fn error_message(status: u16, text: &str) -> String {
    let v: Value = osc_plugin_sdk::serde_json::from_str(text).unwrap_or(Value::Null);
    if let Some(m) = v["message"].as_str().filter(|m| !m.is_empty()) {
        return m.to_string();
    }
    if let Some(errs) = v["errors"]["errors"].as_array() {
        let msgs: Vec<&str> = errs.iter().filter_map(|e| e["message"].as_str()).collect();
        if !msgs.is_empty() {
            return msgs.join(". ");
        }
    }
    if let Some(t) = v["type"].as_str() {
        return t.to_string();
    }
    let t = text.trim();
    if t.is_empty() || v.is_object() {
        // designateclient's exception, named after the status when the body says nothing.
        match status {
            400 => "BadRequest",
            401 | 403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            413 => "OverQuota",
            s if s >= 500 => "Unknown",
            _ => return format!("HTTP {status}"),
        }
        .to_string()
    } else {
        t.lines().next().unwrap_or("").to_string()
    }
}

/// Every item of a collection, following `links.next` (designateclient's `get_all`).
pub fn list_all(
    host: &Host,
    args: &Args,
    path: &str,
    key: &str,
    query: &[(String, String)],
) -> Result<Vec<Value>> {
    let mut req = request("GET", path, args);
    for (k, v) in query {
        req = req.query(k, v);
    }
    let mut body = call(host, req)?;
    let mut items = Vec::new();
    loop {
        match body.get_mut(key).map(Value::take) {
            Some(Value::Array(a)) => items.extend(a),
            _ => {
                return Err(Error::BadReply(format!(
                    "the DNS service's answer has no {key}"
                )))
            }
        }
        match body["links"]["next"].as_str() {
            Some(next) if !next.is_empty() => {
                body = call(host, request("GET", next.to_string(), args))?;
            }
            _ => return Ok(items),
        }
    }
}

/// oslo's `is_uuid_like`: 32 hexadecimal digits, with or without the dashes.
pub fn is_uuid_like(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    hex.len() == 32
        && hex.chars().all(|c| c.is_ascii_hexdigit())
        && (s.len() == 32 || (s.len() == 36 && [8, 13, 18, 23].iter().all(|&i| &s[i..=i] == "-")))
}

/// A name (`example.org.`) or ID to an ID, by the collection's `name` filter
/// (`resolve_by_name`). Zone names are found with or without their trailing dot.
pub fn resolve(host: &Host, args: &Args, path: &str, key: &str, name: &str) -> Result<String> {
    if is_uuid_like(name) {
        return Ok(name.to_string());
    }
    let by = |n: &str| list_all(host, args, path, key, &[("name".into(), n.into())]);
    let mut found = by(name)?;
    if found.is_empty() && key == "zones" && !name.ends_with('.') {
        found = by(&format!("{name}."))?;
    }
    match found.len() {
        1 => found[0]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Error::BadReply(format!("{name} has no id"))),
        0 => Err(Error::NotFound(format!("Name {name} didn't resolve"))),
        _ => Err(Error::Ambiguous(format!(
            "Multiple matches found for {name}, please use ID instead."
        ))),
    }
}

/// A zone's ID from its name (with or without the final dot) or ID.
pub fn zone_id(host: &Host, args: &Args, zone: &str) -> Result<String> {
    resolve(host, args, "/zones", "zones", zone)
}

pub fn seg(s: &str) -> String {
    encode_segment(s)
}

/// How an object's fields are shown (the `_format_*` functions).
#[derive(Clone, Copy, PartialEq)]
pub enum Fmt {
    /// Links dropped.
    Plain,
    /// `masters` joined by ", ", `attributes` as `key:value` lines.
    Zone,
    /// `records` joined by newlines.
    Recordset,
    /// `capabilities` and `stats` as lines, or "-" when empty.
    Status,
    /// Shown as is (transfer requests and accepts keep their links).
    Raw,
}

pub fn format(fmt: Fmt, obj: &mut Value) {
    let Some(m) = obj.as_object_mut() else {
        return;
    };
    if fmt != Fmt::Raw {
        m.remove("links");
    }
    match fmt {
        Fmt::Zone => {
            if let Some(Value::Array(a)) = m.get("masters") {
                let s: Vec<String> = a.iter().map(text).collect();
                m.insert("masters".into(), Value::String(s.join(", ")));
            }
            if let Some(Value::Object(a)) = m.get("attributes") {
                let s: String = a
                    .iter()
                    .map(|(k, v)| format!("{k}:{}\n", text(v)))
                    .collect();
                m.insert("attributes".into(), Value::String(s));
            }
        }
        Fmt::Recordset => {
            if let Some(Value::Array(a)) = m.get("records") {
                let s: Vec<String> = a.iter().map(text).collect();
                m.insert("records".into(), Value::String(s.join("\n")));
            }
        }
        Fmt::Status => {
            for k in ["capabilities", "stats"] {
                let v = match m.get(k) {
                    Some(Value::Array(a)) if !a.is_empty() => {
                        Value::String(a.iter().map(text).collect::<Vec<_>>().join("\n"))
                    }
                    // Python joins a dictionary's keys.
                    Some(Value::Object(o)) if !o.is_empty() => {
                        Value::String(o.keys().cloned().collect::<Vec<_>>().join("\n"))
                    }
                    _ => Value::String("-".into()),
                };
                m.insert(k.into(), v);
            }
        }
        Fmt::Plain | Fmt::Raw => {}
    }
}

/// A value as Python's `str()` shows it in a join.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An object shown as designateclient does: formatted, every field sorted.
pub fn show(fmt: Fmt, mut obj: Value) -> Reply {
    format(fmt, &mut obj);
    osc_plugin_sdk::verbs::sorted_reply(&obj, &[], &[])
}

/// An object shown in the service's own field order, without its links (cliff's
/// `dict2columns`: zone share create and show).
pub fn show_unsorted(mut obj: Value) -> Reply {
    format(Fmt::Plain, &mut obj);
    let mut r = Reply::show();
    for (k, v) in obj.as_object().into_iter().flatten() {
        r = r.field(k.clone(), v.clone());
    }
    r
}

/// Rows of `cols` (missing and null fields are ''), as designateclient's
/// `get_item_properties`.
pub fn table(fmt: Fmt, items: Vec<Value>, cols: &[&str]) -> Reply {
    let rows = items
        .into_iter()
        .map(|mut it| {
            format(fmt, &mut it);
            cols.iter()
                .map(|c| match it.get(*c) {
                    None | Some(Value::Null) => Value::String(String::new()),
                    Some(v) => v.clone(),
                })
                .collect()
        })
        .collect();
    Reply::list(cols.iter().copied()).rows(rows)
}

/// `key:value` attributes (zone create, zone import create).
pub fn attributes(args: &Args) -> Result<Option<Value>> {
    let attrs = args.list("attributes");
    if attrs.is_empty() {
        return Ok(None);
    }
    let mut m = osc_plugin_sdk::Map::new();
    for a in attrs {
        let parts: Vec<&str> = a.split(':').collect();
        if parts.len() != 2 {
            return Err(Error::Other(format!(
                "Attribute '{a}' is in an incorrect format. Attributes are <key>:<value> formatted"
            )));
        }
        m.insert(parts[0].into(), Value::String(parts[1].into()));
    }
    Ok(Some(Value::Object(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_with_and_without_dashes() {
        assert!(is_uuid_like("0b3b3a5e-6a53-4d3a-9b1c-0a8f3b7c8d9e"));
        assert!(is_uuid_like("0b3b3a5e6a534d3a9b1c0a8f3b7c8d9e"));
        assert!(!is_uuid_like("example.org."));
        assert!(!is_uuid_like("0b3b3a5e-6a53-4d3a-9b1c-0a8f3b7c8d9"));
    }

    #[test]
    fn error_bodies_give_their_message() {
        assert_eq!(
            error_message(
                400,
                r#"{"code": 400, "type": "invalid_object", "message": "bad name"}"#
            ),
            "bad name"
        );
        assert_eq!(
            error_message(
                400,
                r#"{"code": 400, "type": "invalid_object", "errors": {"errors": [{"message": "a"}, {"message": "b"}]}}"#
            ),
            "a. b"
        );
        assert_eq!(error_message(502, "Bad Gateway\n<html>"), "Bad Gateway");
        assert_eq!(error_message(403, ""), "Forbidden");
        assert_eq!(error_message(404, "{}"), "NotFound");
    }
}
