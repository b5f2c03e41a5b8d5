//! Shared identity helpers: the Keystone resources, OSC's name-or-ID lookups (names scoped
//! by a domain, Forbidden falling back to the given value), records of fixed fields, and
//! small parsing helpers. Candidates to move to osc-core are marked "general".

use osc_core::resource::{id_of, Resource};
use osc_core::{Cell, Error, Output, Record, Result, Session};
use serde_json::{json, Map, Value};

pub const SVC: &str = "identity";

pub const PROJECT: Resource = Resource::new(SVC, "/projects", "project", "projects");
pub const DOMAIN: Resource = Resource::new(SVC, "/domains", "domain", "domains");
pub const USER: Resource = Resource::new(SVC, "/users", "user", "users");
pub const GROUP: Resource = Resource::new(SVC, "/groups", "group", "groups");
pub const ROLE: Resource = Resource::new(SVC, "/roles", "role", "roles");
pub const SERVICE: Resource = Resource::new(SVC, "/services", "service", "services");
pub const ENDPOINT: Resource =
    Resource::new(SVC, "/endpoints", "endpoint", "endpoints").name_query(None);
pub const REGION: Resource = Resource::new(SVC, "/regions", "region", "regions").name_query(None);
pub const CREDENTIAL: Resource =
    Resource::new(SVC, "/credentials", "credential", "credentials").name_query(None);
pub const POLICY: Resource = Resource::new(SVC, "/policies", "policy", "policies").name_query(None);
pub const ENDPOINT_GROUP: Resource = Resource::new(
    SVC,
    "/OS-EP-FILTER/endpoint_groups",
    "endpoint_group",
    "endpoint_groups",
)
.display("endpoint group");
pub const LIMIT: Resource = Resource::new(SVC, "/limits", "limit", "limits").name_query(None);
pub const REGISTERED_LIMIT: Resource = Resource::new(
    SVC,
    "/registered_limits",
    "registered_limit",
    "registered_limits",
)
.name_query(None)
.display("registered limit");
pub const IDP: Resource = Resource::new(
    SVC,
    "/OS-FEDERATION/identity_providers",
    "identity_provider",
    "identity_providers",
)
.name_query(None)
.display("identity provider");
pub const MAPPING: Resource =
    Resource::new(SVC, "/OS-FEDERATION/mappings", "mapping", "mappings").name_query(None);
pub const SERVICE_PROVIDER: Resource = Resource::new(
    SVC,
    "/OS-FEDERATION/service_providers",
    "service_provider",
    "service_providers",
)
.name_query(None)
.display("service provider");
pub const CONSUMER: Resource =
    Resource::new(SVC, "/OS-OAUTH1/consumers", "consumer", "consumers").name_query(None);
pub const TRUST: Resource =
    Resource::new(SVC, "/OS-TRUST/trusts", "trust", "trusts").name_query(None);

/// Domain-owned resources whose names repeat across domains.
fn domain_owned(r: &Resource) -> bool {
    ["project", "user", "group", "role"].contains(&r.display)
}

/// An ambiguous name of a domain-owned resource also says a domain option disambiguates.
fn hint_domain(r: &Resource, e: Error) -> Error {
    match e {
        Error::Ambiguous(m) if domain_owned(r) => Error::Ambiguous(m.replace(
            "use its ID instead",
            "use its ID, or name its domain (--domain or --<resource>-domain)",
        )),
        other => other,
    }
}

/// Looks a resource up by ID, then by name within `scope`; a 403 on the lookup returns the
/// given value as the ID, as OSC does for users who may not list (`_find_sdk_id`).
pub fn find_id_scoped(
    s: &Session,
    r: &Resource,
    name_or_id: &str,
    scope: &[(String, String)],
) -> Result<String> {
    match r.find_scoped(s, name_or_id, scope) {
        Ok(v) => id_of(&v)
            .ok_or_else(|| Error::cmd(format!("The {} '{name_or_id}' has no ID", r.display))),
        Err(e) if e.status() == Some(403) => Ok(name_or_id.to_string()),
        Err(e) => Err(hint_domain(r, e)),
    }
}

/// Like [`find_id_scoped`], but a missing resource yields the given value too (OSC's
/// `validate_actor_existence=False`, used when removing grants of deleted actors).
pub fn find_id_lenient(
    s: &Session,
    r: &Resource,
    name_or_id: &str,
    scope: &[(String, String)],
) -> Result<String> {
    match find_id_scoped(s, r, name_or_id, scope) {
        Err(e) if e.is_not_found() => Ok(name_or_id.to_string()),
        other => other,
    }
}

fn domain_scope(id: Option<String>) -> Vec<(String, String)> {
    id.map(|d| vec![("domain_id".to_string(), d)])
        .unwrap_or_default()
}

pub fn domain_id(s: &Session, domain: &str) -> Result<String> {
    find_id_scoped(s, &DOMAIN, domain, &[])
}

pub fn opt_domain_id(s: &Session, domain: Option<&String>) -> Result<Option<String>> {
    domain.map(|d| domain_id(s, d)).transpose()
}

/// A project, user, group or role by name or ID, its name scoped by an optional domain.
pub fn scoped_id(
    s: &Session,
    r: &Resource,
    name_or_id: &str,
    domain: Option<&String>,
) -> Result<String> {
    let d = opt_domain_id(s, domain)?;
    find_id_scoped(s, r, name_or_id, &domain_scope(d))
}

/// The full object of a project/user/group/role, scoped by an optional domain ID.
pub fn scoped_find(
    s: &Session,
    r: &Resource,
    name_or_id: &str,
    domain_id: Option<String>,
) -> Result<Value> {
    r.find_scoped(s, name_or_id, &domain_scope(domain_id))
        .map_err(|e| hint_domain(r, e))
}

pub fn project_id(s: &Session, project: &str, domain: Option<&String>) -> Result<String> {
    scoped_id(s, &PROJECT, project, domain)
}
pub fn user_id(s: &Session, user: &str, domain: Option<&String>) -> Result<String> {
    scoped_id(s, &USER, user, domain)
}
pub fn group_id(s: &Session, group: &str, domain: Option<&String>) -> Result<String> {
    scoped_id(s, &GROUP, group, domain)
}

/// A service by ID, name or type, as OSC's `find_service_sdk`.
pub fn find_service(s: &Session, name_type_or_id: &str) -> Result<Value> {
    match SERVICE.find(s, name_type_or_id) {
        Ok(v) => return Ok(v),
        Err(Error::Ambiguous(_)) => {
            return Err(Error::cmd(format!(
                "Multiple service matches found for '{name_type_or_id}', use an ID to be more specific."
            )))
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    let by_type = SERVICE.list(s, &[("type".into(), name_type_or_id.into())])?;
    let mut it = by_type
        .into_iter()
        .filter(|v| v["type"].as_str() == Some(name_type_or_id));
    match (it.next(), it.next()) {
        (Some(v), None) => Ok(v),
        (None, _) => Err(Error::NotFound(format!(
            "No service with a type, name or ID of '{name_type_or_id}' exists."
        ))),
        _ => Err(Error::cmd(format!(
            "Multiple service matches found for '{name_type_or_id}', use an ID to be more specific."
        ))),
    }
}

/// The authenticated user's ID from the token.
pub fn auth_user_id(s: &Session) -> Result<String> {
    s.auth()?
        .user_id
        .clone()
        .ok_or_else(|| Error::cmd("missing auth info: the token has no user"))
}

/// A record of the given fields in order, each shown raw (missing ones as None), as OSC's
/// `get_item_properties` over an SDK resource. `(header, field)` pairs.
pub fn fields(obj: &Value, cols: &[(&str, &str)]) -> Record {
    let mut r = Record::new();
    for (h, f) in cols {
        r.push(*h, Cell::raw(osc_core::resource::field(obj, f).clone()));
    }
    r
}

/// Same headers as field names.
pub fn same_fields(obj: &Value, names: &[&str]) -> Record {
    let mut r = Record::new();
    for f in names {
        r.push(*f, Cell::raw(obj.get(*f).cloned().unwrap_or(Value::Null)));
    }
    r
}

/// Every field sorted, without `links` (keystoneclient's `sorted(_info.items())`).
pub fn sorted_info(obj: &Value) -> Record {
    osc_core::resource::record_sorted(obj, &["links"], &[])
}

/// Deletes several names, reporting each failure, then OSC's summary (always with OSC's
/// plural noun, e.g. "1 of 3 policies failed to delete.").
pub fn each(
    names: &[String],
    item: &str,
    plural: &str,
    f: impl FnMut(&str) -> Result<()>,
) -> Result<Output> {
    osc_core::resource::for_each_named(names, item, plural, "delete", f)
}

/// Builds a JSON object from optional fields, skipping `None`.
#[derive(Default)]
pub struct Body(pub Map<String, Value>);

impl Body {
    pub fn new() -> Self {
        Body::default()
    }
    pub fn set(&mut self, k: &str, v: impl Into<Value>) -> &mut Self {
        self.0.insert(k.to_string(), v.into());
        self
    }
    pub fn opt<T: Into<Value>>(&mut self, k: &str, v: Option<T>) -> &mut Self {
        if let Some(v) = v {
            self.0.insert(k.to_string(), v.into());
        }
        self
    }
    /// A non-empty string only (OSC's `if parsed_args.x:`).
    pub fn nonempty(&mut self, k: &str, v: &Option<String>) -> &mut Self {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            self.0.insert(k.to_string(), json!(v));
        }
        self
    }
    pub fn value(self) -> Value {
        Value::Object(self.0)
    }
}

/// `--enable`/`--disable` pair into an optional bool.
pub fn enabled(enable: bool, disable: bool) -> Option<bool> {
    if enable {
        Some(true)
    } else if disable {
        Some(false)
    } else {
        None
    }
}

/// `--immutable`/`--no-immutable` into Keystone's `options`.
pub fn immutable_options(immutable: bool, no_immutable: bool) -> Option<Value> {
    enabled(immutable, no_immutable).map(|b| json!({"immutable": b}))
}

/// Parses `key=value` (osc_lib's KeyValueAction). General: should move to osc-core.
pub fn key_value(s: &str) -> std::result::Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("Expected 'key=value' type, but got: {s}")),
    }
}

/// Reads a password from stdin, prompting on a terminal (osc_lib's `get_password`).
/// General: should move to osc-core.
pub fn read_password(prompt: &str, confirm: bool) -> Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    let read = |p: &str| -> Result<String> {
        if tty {
            eprint!("{p}");
            let _ = std::io::stderr().flush();
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    let first = read(prompt)?;
    if confirm && tty {
        let second = read("Repeat User Password:")?;
        if first != second {
            return Err(Error::cmd("The passwords entered were not the same"));
        }
    }
    Ok(first)
}

/// Reads a whole file for options such as `--rules <filename>`.
pub fn read_file(path: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::Io(format!("Cannot read '{path}': {e}")))
}

pub fn q(k: &str, v: impl ToString) -> (String, String) {
    (k.to_string(), v.to_string())
}
