//! What every volume command shares: openstacksdk's view of a block-storage resource (its
//! class name for messages, the microversion the SDK sends for it, the attributes its
//! `to_dict()` yields), SDK-style name-or-ID lookup, microversion checks with OSC's
//! messages, `key=value` options, identity lookups and status polling.

use osc_core::resource::ResourceRequest;
use osc_core::resource::{next_link, resolve_link, Resource};
use osc_core::session::compare_versions;
use osc_core::wait::{Status, Wait};
use osc_core::{Error, Method, Request, Result, Session};
use serde_json::{Map, Value};
use std::time::Duration;

/// The service type every request here goes to.
pub const BS: &str = "block-storage";

/// An openstacksdk block-storage resource class.
#[derive(Clone, Copy, Debug)]
pub struct Sdk {
    /// SDK class name, used in "No Volume found for x".
    pub class: &'static str,
    pub path: &'static str,
    /// Listing path used by `find` and list commands (`/volumes/detail`).
    pub list_path: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    /// The class's `_max_microversion`; `None` sends the base version (3.0).
    pub max_mv: Option<&'static str>,
    /// Server attribute names `to_dict(original_names=True)` yields, in order.
    pub attrs: &'static [&'static str],
    /// Whether `find` narrows its listing with `?name=`.
    pub name_filter: bool,
    /// Query `find` adds to its lookups (volume types: `is_public=none`, so private ones
    /// are found too).
    pub find_query: &'static [(&'static str, &'static str)],
}

impl Sdk {
    /// The osc-core resource: its maximum microversion is the class's, else the base 3.0.
    pub const fn resource(&self) -> Resource {
        let max = match self.max_mv {
            Some(v) => v,
            None => "3.0",
        };
        Resource::new(BS, self.path, self.singular, self.plural)
            .list_path(self.list_path)
            .max_microversion(max)
    }

    /// A request at this resource's microversion ([`Resource::request`]).
    pub fn req(&self, s: &Session, method: Method, path: impl Into<String>) -> Result<Request> {
        self.resource().request(s, method, path)
    }

    pub fn item(&self, id: &str) -> String {
        format!("{}/{}", self.path, osc_core::resource::encode_segment(id))
    }

    fn unwrap_one(&self, v: Value) -> Value {
        match v {
            Value::Object(mut m) if m.contains_key(self.singular) => {
                m.remove(self.singular).unwrap_or_default()
            }
            other => other,
        }
    }

    pub fn get(&self, s: &Session, id: &str) -> Result<Value> {
        Ok(self.unwrap_one(s.json(self.req(s, Method::GET, self.item(id))?)?))
    }

    /// Every object on every page.
    pub fn list(&self, s: &Session, query: &[(String, String)]) -> Result<Vec<Value>> {
        self.list_max(s, query, None)
    }

    /// Objects across pages, stopping after `max_items` when given (`--max-items`).
    pub fn list_max(
        &self,
        s: &Session,
        query: &[(String, String)],
        max_items: Option<usize>,
    ) -> Result<Vec<Value>> {
        let first = self.req(s, Method::GET, self.list_path)?.queries(query);
        let mv = first.microversion.clone();
        let mut out = Vec::new();
        let mut body = s.json(first)?;
        let mut seen = std::collections::HashSet::new();
        loop {
            let next = next_link(&body, self.plural);
            if let Some(Value::Array(a)) = body.get_mut(self.plural).map(Value::take) {
                out.extend(a);
            }
            if max_items.is_some_and(|m| out.len() >= m) {
                out.truncate(max_items.unwrap_or(0));
                break;
            }
            let Some(next) = next else { break };
            let url = resolve_link(&s.endpoint(BS)?, &next);
            if !seen.insert(url.clone()) {
                break;
            }
            let mut next = Request::new(Method::GET, BS, url);
            next.microversion = mv.clone();
            body = s.json(next)?;
        }
        Ok(out)
    }

    /// openstacksdk's `find`: GET by ID, then list (by name when the class filters on it)
    /// and match name or ID exactly once.
    pub fn find_with(
        &self,
        s: &Session,
        name_or_id: &str,
        extra: &[(String, String)],
    ) -> Result<Value> {
        match self.get(s, name_or_id) {
            Ok(v) if v.is_object() => return Ok(v),
            Ok(_) => {}
            Err(e)
                if matches!(e.status(), Some(400) | Some(403) | Some(404)) || e.is_not_found() => {}
            Err(e) => return Err(e),
        }
        let mut q = extra.to_vec();
        q.extend(
            self.find_query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        if self.name_filter {
            q.push(("name".into(), name_or_id.into()));
        }
        let items = self.list(s, &q)?;
        let mut matches = items.into_iter().filter(|i| {
            i.get("id").and_then(Value::as_str) == Some(name_or_id)
                || i.get("name").and_then(Value::as_str) == Some(name_or_id)
        });
        match (matches.next(), matches.next()) {
            (Some(v), None) => Ok(v),
            (Some(_), Some(_)) => Err(Error::Ambiguous(format!(
                "More than one {} exists with the name '{name_or_id}'.",
                self.class
            ))),
            _ => Err(Error::NotFound(format!(
                "No {} found for {name_or_id}",
                self.class
            ))),
        }
    }

    pub fn find(&self, s: &Session, name_or_id: &str) -> Result<Value> {
        self.find_with(s, name_or_id, &[])
    }

    pub fn find_id(&self, s: &Session, name_or_id: &str) -> Result<String> {
        let v = self.find(s, name_or_id)?;
        Ok(str_of(&v, "id"))
    }

    /// POST the object wrapped in the singular key; returns the object.
    pub fn create(&self, s: &Session, obj: Value) -> Result<Value> {
        let body = wrap(self.singular, obj);
        Ok(self.unwrap_one(s.json(self.req(s, Method::POST, self.path)?.json(body))?))
    }

    /// PUT the changed attributes wrapped in the singular key.
    pub fn update(&self, s: &Session, id: &str, obj: Value) -> Result<Value> {
        let body = wrap(self.singular, obj);
        Ok(self.unwrap_one(s.json(self.req(s, Method::PUT, self.item(id))?.json(body))?))
    }

    pub fn delete(&self, s: &Session, id: &str) -> Result<()> {
        s.send(self.req(s, Method::DELETE, self.item(id))?)
            .map(|_| ())
    }

    /// POST `{path}/{id}/action`; the body is often empty.
    pub fn action(&self, s: &Session, id: &str, body: Value) -> Result<Value> {
        let resp = s.send(
            self.req(s, Method::POST, format!("{}/action", self.item(id)))?
                .json(body),
        )?;
        let text = resp.text().unwrap_or_default();
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// The object as `to_dict(original_names=True)` gives it: every SDK attribute, `None`
    /// for the ones the server left out, server-only fields dropped.
    pub fn to_dict(&self, raw: &Value) -> Map<String, Value> {
        self.attrs
            .iter()
            .map(|a| (a.to_string(), raw.get(*a).cloned().unwrap_or(Value::Null)))
            .collect()
    }
}

pub fn wrap(key: &str, obj: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_string(), obj);
    Value::Object(m)
}

/// A string field, or "".
pub fn str_of(v: &Value, k: &str) -> String {
    match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The SDK's `BoolStr`: "true"/"false" strings become booleans.
pub fn bool_str(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::Bool(s.eq_ignore_ascii_case("true")),
        other => other.clone(),
    }
}

// ---- microversions -------------------------------------------------------------------

thread_local! {
    static SERVER_MAX: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

/// The highest microversion the cloud's block-storage API offers. Falls back to the
/// unversioned root when the core's discovery found none: Cinder answers 401 on `/v3/`
/// without a token (should move to osc-core: discover with the token, or at the root).
pub fn server_max(s: &Session) -> Result<Option<String>> {
    if let Some(v) = SERVER_MAX.with(|c| c.get().cloned()) {
        return Ok(v);
    }
    let d = s.discovered(BS)?;
    let found = match d.max_version {
        Some(v) => Some(v),
        None => root_max(s, &d.url),
    };
    SERVER_MAX.with(|c| {
        let _ = c.set(found.clone());
    });
    Ok(found)
}

/// Reads the version document at the endpoint's root (`http://host:8776/`).
fn root_max(s: &Session, versioned: &str) -> Option<String> {
    let (scheme, rest) = versioned.split_once("://")?;
    let host = rest.split('/').next()?;
    let prefix: Vec<&str> = rest
        .split('/')
        .skip(1)
        .take_while(|p| !p.starts_with('v') || p.parse::<u32>().is_ok())
        .collect();
    let mut root = format!("{scheme}://{host}/");
    if !prefix.is_empty() {
        root.push_str(&prefix.join("/"));
        root.push('/');
    }
    let doc = s
        .json(Request::new(Method::GET, BS, root).microversion("3.0"))
        .ok()?;
    let versions = doc.get("versions")?.as_array()?;
    versions
        .iter()
        .find(|v| v["id"].as_str().is_some_and(|id| id.starts_with("v3")))
        .and_then(|v| {
            v["version"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
}

/// openstacksdk's `supports_microversion`: the server supports `needed` and, when
/// `--os-volume-api-version` pins a microversion, the pinned one is at least `needed`.
pub fn supports(s: &Session, needed: &str) -> Result<bool> {
    let server_max = server_max(s)?.unwrap_or_default();
    if server_max.is_empty() || compare_versions(&server_max, needed).is_lt() {
        return Ok(false);
    }
    if let Some(pinned) = s.config().api_version(BS) {
        if pinned.contains('.') && !pinned.ends_with("latest") {
            return Ok(!compare_versions(&pinned, needed).is_lt());
        }
    }
    Ok(true)
}

/// Fails with OSC's message when `needed` is not available.
pub fn require(s: &Session, needed: &str, what: &str) -> Result<()> {
    if supports(s, needed)? {
        Ok(())
    } else {
        Err(Error::cmd(format!(
            "--os-volume-api-version {needed} or greater is required {what}"
        )))
    }
}

/// The highest of `candidates` (ascending) this session supports, for requests OSC sends at
/// a fixed microversion chosen by feature.
pub fn best_of(s: &Session, candidates: &[&str]) -> Result<String> {
    let mut best = "3.0".to_string();
    for c in candidates {
        if supports(s, c)? {
            best = c.to_string();
        }
    }
    Ok(best)
}

// ---- options ---------------------------------------------------------------------------

pub use osc_core::lookup::{non_negative, parse_kv, project_id, user_id};

/// Repeated `key=value` options as a JSON object (last value wins, as in a Python dict).
pub fn kv_object(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    m
}

/// Pushes `k=v` onto a query when the value is present.
pub fn q(query: &mut Vec<(String, String)>, k: &str, v: Option<impl ToString>) {
    if let Some(v) = v {
        query.push((k.to_string(), v.to_string()));
    }
}

// ---- identity and compute lookups ------------------------------------------------------

/// A server's ID from its name or ID, through compute.
pub fn server_id(s: &Session, server: &str) -> Result<String> {
    let res = osc_core::resource::Resource::new("compute", "/servers", "server", "servers")
        .list_path("/servers/detail")
        .display("server");
    res.find_id(s, server)
}

// ---- waiting ---------------------------------------------------------------------------

/// Cinder's newest user message about a resource, for error reports.
pub fn user_message(s: &Session, id: &str) -> Option<String> {
    let q = vec![("resource_uuid".to_string(), id.to_string())];
    let body = s
        .json(
            Request::new(Method::GET, BS, "/messages")
                .queries(&q)
                .microversion("3.3"),
        )
        .ok()?;
    body["messages"]
        .as_array()?
        .iter()
        .filter_map(|m| m["user_message"].as_str())
        .next_back()
        .map(str::to_string)
}

/// Notes on stderr why an object is in an error state, with Cinder's user message
/// (stdout stays as OSC prints it).
pub fn report_error_state(s: &Session, res: &Sdk, obj: &Value) {
    let status = str_of(obj, "status");
    if status.starts_with("error") {
        let id = str_of(obj, "id");
        let why = user_message(s, &id)
            .map(|m| format!(": {m}"))
            .unwrap_or_default();
        osc_core::log::warn(&format!("{} {id} is in status '{status}'{why}", res.class));
    }
}

/// Polls (quietly, as OSC) until the status is one of `done`; an error status fails with
/// Cinder's user message.
pub fn wait_status(
    s: &Session,
    res: &Sdk,
    id: &str,
    done: &[&str],
    error: &[&str],
    timeout_secs: u64,
) -> Result<Value> {
    let status = Status::new(done, error);
    Wait::new(format!("{} {id}", res.class))
        .timeout(Duration::from_secs(timeout_secs))
        .interval(Duration::from_millis(300), Duration::from_secs(3))
        .quiet()
        .poll(|| {
            status.check(res.get(s, id), |_, st| {
                let why = user_message(s, id)
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                Error::cmd(format!("{} {id} is in status '{st}'{why}", res.class))
            })
        })
}

/// Runs `f` for each name; failures are logged as OSC logs them and counted into
/// "N of M <plural> failed to <verb>.".
pub fn each(
    names: &[String],
    what: &str,
    plural: &str,
    verb: &str,
    f: impl FnMut(&str) -> Result<()>,
) -> Result<osc_core::Output> {
    osc_core::resource::for_each_named(names, what, plural, verb, f)
}

/// Accumulates the failures of a multi-step `set`/`unset` and reports them together.
#[derive(Default)]
pub struct Steps {
    failed: usize,
}

impl Steps {
    pub fn run(&mut self, what: &str, r: Result<impl Sized>) {
        if let Err(e) = r {
            osc_core::log::warn(&format!("{what}: {e}"));
            self.failed += 1;
        }
    }
    pub fn finish(self, msg: &str) -> Result<osc_core::Output> {
        if self.failed > 0 {
            Err(Error::cmd(msg))
        } else {
            Ok(osc_core::Output::None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_options() {
        assert_eq!(parse_kv("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(parse_kv("a=").unwrap(), ("a".into(), "".into()));
        assert!(parse_kv("a").unwrap_err().contains("Expected 'key=value'"));
        assert!(parse_kv("=x")
            .unwrap_err()
            .contains("key must be specified"));
        assert!(non_negative("-1").is_err());
        assert_eq!(non_negative("5").unwrap(), 5);
    }

    #[test]
    fn bool_strings() {
        assert_eq!(bool_str(&Value::String("false".into())), Value::Bool(false));
        assert_eq!(bool_str(&Value::String("True".into())), Value::Bool(true));
        assert_eq!(bool_str(&Value::Bool(true)), Value::Bool(true));
    }
}
