//! What ironicclient's commands of every Ironic resource share: listings (`--limit`,
//! `--marker`, `--sort`, `--long`, `--fields`), shows without links and sub-resources,
//! creates from arguments, deletes that report each node ("Deleted chassis x"), and
//! updates as JSON patches (`args_array_to_patch`).

use crate::fields;
use crate::MAX_MICROVERSION;
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::osc_api::Transport;
use osc_plugin_sdk::{json, Args, Fields, Host, Map, Method, Reply, Request, Result, Value};

/// One Ironic resource as ironicclient's commands see it.
pub struct Spec {
    /// The word in messages ("chassis", "port").
    pub noun: &'static str,
    /// Collection path and JSON list key (`/chassis`, `chassis`).
    pub path: &'static str,
    pub key: &'static str,
    /// Default and `--long` columns (`res_fields.*_RESOURCE`).
    pub columns: &'static [&'static str],
    pub detailed: &'static [&'static str],
    /// Fields dropped from shown objects.
    pub hidden: &'static [&'static str],
    /// `--long` asks `?detail=True` (newer resources) instead of `<path>/detail`.
    pub detail_query: bool,
}

/// A request at ironicclient's microversion, negotiated by the host.
pub fn request(method: &str, path: impl Into<String>) -> Request<'static> {
    Request::new(method, "baremetal", path).max_microversion(MAX_MICROVERSION)
}

impl Spec {
    pub fn item(&self, id: &str) -> String {
        format!("{}/{}", self.path, encode_segment(id))
    }

    /// The listing, with `query` filters added by the command.
    pub fn list(
        &self,
        host: &Host,
        args: &Args,
        mut query: Vec<(String, String)>,
    ) -> Result<Reply> {
        let limit = args.int("limit")?;
        if let Some(l) = limit {
            if l < 0 {
                return Err(format!("Expected non-negative --limit, got {l}").into());
            }
            if l > 0 {
                query.push(("limit".into(), l.to_string()));
            }
        }
        if let Some(m) = args.str("marker") {
            query.push(("marker".into(), m.to_string()));
        }
        let (path, columns): (String, Vec<String>) = if args.flag("long") {
            let detailed = self.detailed.iter().map(|s| s.to_string()).collect();
            if self.detail_query {
                query.push(("detail".into(), "True".into()));
                (self.path.to_string(), detailed)
            } else {
                (format!("{}/detail", self.path), detailed)
            }
        } else if let Some(f) = fields::selected(args) {
            query.push(("fields".into(), f.join(",")));
            (self.path.to_string(), f)
        } else {
            (
                self.path.to_string(),
                self.columns.iter().map(|s| s.to_string()).collect(),
            )
        };
        let mut first =
            osc_plugin_sdk::osc_api::Request::new(Method::GET, "baremetal", path).queries(&query);
        first.max_microversion = Some(MAX_MICROVERSION.to_string());
        // No --limit: one page, as many as the service returns at most; 0: every page.
        let mut items = match limit {
            Some(0) => {
                osc_plugin_sdk::osc_api::resource::list_pages(host, first, self.key, Fields::All)?
            }
            _ => host.page(first, self.key, Fields::All)?.items,
        };
        fields::sort(&mut items, args.str("sort"))?;
        Ok(fields::table(&items, &columns))
    }

    /// An object as ironicclient shows it: every field sorted, hidden ones dropped.
    pub fn reply(&self, mut obj: Value) -> Reply {
        if let Some(m) = obj.as_object_mut() {
            for h in self.hidden {
                m.remove(*h);
            }
        }
        osc_plugin_sdk::verbs::sorted_reply(&obj, &[], &[])
    }

    pub fn show(&self, host: &Host, args: &Args, id: &str) -> Result<Reply> {
        let mut req = request("GET", self.item(id));
        if let Some(f) = fields::selected(args) {
            req = req.query("fields", f.join(","));
        }
        Ok(self.reply(host.request(req)?.ok()?.json()?))
    }

    pub fn create(&self, host: &Host, body: Map<String, Value>) -> Result<Reply> {
        let obj = host
            .request(request("POST", self.path).json(Value::Object(body)))?
            .ok()?
            .json()?;
        Ok(self.reply(obj))
    }

    /// Creates, then shows exactly the detailed fields ('' for those the answer lacks), as
    /// ironicclient's creates of ports, port groups, volume connectors and targets and
    /// deploy templates do.
    pub fn create_detailed(&self, host: &Host, body: Map<String, Value>) -> Result<Reply> {
        let created = host
            .request(request("POST", self.path).json(Value::Object(body)))?
            .ok()?
            .json()?;
        let mut shown = Map::new();
        for f in self.detailed {
            shown.insert(f.to_string(), created.get(*f).cloned().unwrap_or(json!("")));
        }
        Ok(self.reply(Value::Object(shown)))
    }

    /// Deletes each; "Deleted <noun> <x>" for each success, every failure reported.
    pub fn delete(&self, host: &Host, ids: &[String]) -> Result<Reply> {
        let mut done = Vec::new();
        let mut failures = Vec::new();
        for id in ids {
            match host.request(request("DELETE", self.item(id)))?.ok() {
                Ok(_) => done.push(format!("Deleted {} {id}", self.noun)),
                Err(e) => failures.push(format!("Failed to delete {} {id}: {e}", self.noun)),
            }
        }
        if !failures.is_empty() {
            done.extend(failures);
            return Err(done.join("; ").into());
        }
        Ok(Reply::Text(done.join("\n") + "\n"))
    }

    /// Applies a JSON patch; with nothing to change, ironicclient's warning.
    pub fn patch(&self, host: &Host, id: &str, ops: Vec<Value>, what: &str) -> Result<Reply> {
        if ops.is_empty() {
            host.warn(&format!("Please specify what to {what}."));
            return Ok(Reply::None);
        }
        host.request(request("PATCH", self.item(id)).json(Value::Array(ops)))?
            .ok()
            .map(|_| Reply::None)
    }
}

/// `path=value` as a JSON patch `add`, the value deserialised from JSON when it parses
/// (ironicclient's `args_array_to_patch('add', ...)`).
pub fn add(path_value: &str) -> Result<Value> {
    let (path, value) = split_and_deserialize(path_value)?;
    Ok(json!({"op": "add", "path": format!("/{path}"), "value": value}))
}

/// A JSON patch `remove` of `path`.
pub fn remove(path: &str) -> Value {
    json!({"op": "remove", "path": format!("/{path}")})
}

/// ironicclient's `split_and_deserialize`: `KEY=VALUE`, VALUE as JSON if it parses.
pub fn split_and_deserialize(s: &str) -> Result<(String, Value)> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("Attributes must be a list of PATH=VALUE not \"{s}\""))?;
    let v =
        osc_plugin_sdk::serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string()));
    Ok((k.to_string(), v))
}

/// `key=value` arguments as a dictionary (ironicclient's `args_array_to_dict`).
pub fn kv_dict(args: &Args, name: &str) -> Result<Option<Value>> {
    let pairs = args.list(name);
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut m = Map::new();
    for p in pairs {
        let (k, v) = split_and_deserialize(&p)?;
        m.insert(k, v);
    }
    Ok(Some(Value::Object(m)))
}

/// String arguments copied into a create body under their own names.
pub fn copy(body: &mut Map<String, Value>, args: &Args, names: &[(&str, &str)]) {
    for (arg, key) in names {
        if let Some(v) = args.str(arg) {
            body.insert(key.to_string(), json!(v));
        }
    }
}
