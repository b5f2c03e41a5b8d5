//! Shared identity helpers: the Keystone resources, OSC's name-or-ID lookup rules for them
//! (osc-core's [`Lookup`]), records of fixed fields, and small parsing helpers. Candidates
//! to move to osc-core are marked "general".

use osc_core::lookup::{Lookup, Passthrough, Style};
use osc_core::resource::Resource;
use osc_core::{Cell, Error, Output, Record, Result, Session};
use serde_json::{json, Map, Value};

pub const SVC: &str = "identity";

pub use osc_core::lookup::{DOMAIN, PROJECT, USER};
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

/// OSC's identity lookups (`_find_identity_resource`, `_find_sdk_id`): osc_lib's wording, and
/// a 403 gives the value back as the ID (`.lenient()`: a missing object too).
const fn identity(r: Resource) -> Lookup {
    Lookup::new(r, Style::OscLib).passing(Passthrough::Forbidden)
}

pub const DOMAINS: Lookup = identity(DOMAIN);
// Domain-owned objects, whose names repeat across domains: an ambiguous name suggests the
// domain option.
pub const PROJECTS: Lookup = identity(PROJECT).domain_hint();
pub const USERS: Lookup = identity(USER).domain_hint();
pub const GROUPS: Lookup = identity(GROUP).domain_hint();
pub const ROLES: Lookup = identity(ROLE).domain_hint();

/// The ID of `--domain`, when given.
pub fn opt_domain_id(s: &Session, domain: Option<&str>) -> Result<Option<String>> {
    domain.map(|d| DOMAINS.id(s, d, None)).transpose()
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
