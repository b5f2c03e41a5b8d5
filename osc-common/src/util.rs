//! Helpers shared by the common commands: which services the cloud has, the microversion
//! openstacksdk would send, project lookup, and `Resource.to_dict()` emulation.

use osc_core::lookup::{Lookup, Style};
use osc_core::{catalog, Error, Method, Request, Result, Session};
use serde_json::{Map, Value};

pub use osc_core::lookup::PROJECT;

/// Projects as openstacksdk's `find_project(ignore_missing=False)` finds them ("No Project
/// found for x"), their domain likewise: the common commands go through openstacksdk.
pub const PROJECTS: Lookup = Lookup::new(PROJECT, Style::Sdk);

/// True when the catalog has the service (`is_<service>_endpoint_enabled` in OSC).
/// Authentication errors are errors, not a missing service.
pub fn has_service(s: &Session, service: &str) -> Result<bool> {
    s.auth()?;
    Ok(s.catalog_url(service).is_ok())
}

/// The microversion openstacksdk sends for a resource without a `_max_microversion`: the
/// pinned `--os-<service>-api-version`, else none (empty string). Resources with a maximum
/// use [`Session::microversion`] (empty string when it gives none).
pub fn pinned_microversion(s: &Session, service: &str) -> Result<String> {
    if s.config()
        .api_version(catalog::canonical(service))
        .is_none()
    {
        return Ok(String::new());
    }
    Ok(s.microversion(service, None)?.unwrap_or_default())
}

/// A GET with an explicit microversion (empty: none).
pub fn get_mv(
    s: &Session,
    service: &str,
    path: &str,
    query: &[(String, String)],
    mv: &str,
) -> Result<Value> {
    s.json(
        Request::new(Method::GET, service, path)
            .queries(query)
            .microversion(mv),
    )
}

/// A request with a JSON body and an explicit microversion (empty: none).
pub fn send_mv(
    s: &Session,
    method: Method,
    service: &str,
    path: &str,
    body: Option<Value>,
    mv: &str,
) -> Result<Value> {
    let mut r = Request::new(method, service, path).microversion(mv);
    if let Some(b) = body {
        r = r.json(b);
    }
    s.json(r)
}

/// The given project's ID, or the project of the current authentication.
pub fn project_or_current(s: &Session, project: Option<&str>) -> Result<String> {
    match project {
        Some(p) => PROJECTS.id(s, p, None),
        None => s.auth()?.project_id.clone().ok_or_else(|| {
            Error::cmd("The current authentication is not scoped to a project; give a project")
        }),
    }
}

/// The object under `key` of a response body (or the body itself when it is absent).
pub fn unwrap_key(body: Value, key: &str) -> Map<String, Value> {
    match body {
        Value::Object(mut m) => match m.remove(key) {
            Some(Value::Object(inner)) => inner,
            Some(_) => Map::new(),
            None => m,
        },
        _ => Map::new(),
    }
}

/// The list under `key` of a response body.
pub fn list_key(body: &Value, key: &str) -> Vec<Value> {
    body.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// An attribute of an openstacksdk resource: its Python name and its key in the body.
pub type Attr = (&'static str, &'static str);

/// openstacksdk's `Resource.to_dict()` for a resource that keeps unknown body attributes
/// (`_allow_unknown_attrs_in_body`): keys it does not declare come first, in the body's
/// order, then every declared attribute in class order (`null` when absent), then the
/// base `id` and `name`.
pub fn sdk_to_dict(body: &Map<String, Value>, declared: &[Attr]) -> Map<String, Value> {
    let known =
        |k: &str| declared.iter().any(|(a, r)| *r == k || *a == k) || k == "id" || k == "name";
    let mut out = Map::new();
    for (k, v) in body {
        if !known(k) && k != "self" {
            out.insert(k.clone(), v.clone());
        }
    }
    let base: [Attr; 2] = [("id", "id"), ("name", "name")];
    for (attr, remote) in declared.iter().chain(base.iter()) {
        if !out.contains_key(*attr) {
            let v = body
                .get(*remote)
                .or_else(|| body.get(*attr))
                .cloned()
                .unwrap_or(Value::Null);
            out.insert(attr.to_string(), v);
        }
    }
    out
}

/// Python's truth value of a JSON value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn to_dict_puts_unknown_keys_first_then_declared_in_order() {
        let body = json!({"network": 10, "extra": 1, "floatingip": 5});
        let d = sdk_to_dict(
            body.as_object().unwrap(),
            &[
                ("floating_ips", "floatingip"),
                ("networks", "network"),
                ("pools", "pool"),
            ],
        );
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["extra", "floating_ips", "networks", "pools", "id", "name"]
        );
        assert_eq!(d["networks"], json!(10));
        assert_eq!(d["pools"], Value::Null);
    }

    #[test]
    fn python_truthiness() {
        assert!(!truthy(&json!(0)));
        assert!(!truthy(&Value::Null));
        assert!(truthy(&json!(-1)));
        assert!(!truthy(&json!("")));
    }
}
