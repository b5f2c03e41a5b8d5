//! What ironicclient's commands of every Ironic resource share: listings (`--limit`,
//! `--marker`, `--sort`, `--long`, `--fields`), shows without links and sub-resources,
//! creates from arguments, deletes that report each node ("Deleted chassis x"), and
//! updates as JSON patches (`args_array_to_patch`).

use crate::fields;
use crate::MAX_MICROVERSION;
use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::osc_api::Transport;
use osc_plugin_sdk::{
    json, Args, Error, Fields, Host, Map, Method, Reply, Request, Response, Result, Value,
};

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
    /// How `--long` asks for the detailed fields.
    pub detail: Detail,
}

/// How a listing's `--long` is served.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// `<path>/detail` (nodes, ports, chassis...).
    Path,
    /// `?detail=True` (newer resources).
    Query,
    /// The plain listing, shown with the detailed columns (allocations).
    Client,
}

/// A request at ironicclient's microversion, negotiated by the host.
pub fn request(method: &str, path: impl Into<String>) -> Request<'static> {
    Request::new(method, "baremetal", path).max_microversion(MAX_MICROVERSION)
}

/// How often, and how far apart, a write is sent again while Ironic says the node is
/// locked: python-ironicclient's `DEFAULT_MAX_RETRIES` and `DEFAULT_RETRY_INTERVAL`.
const LOCKED_ATTEMPTS: u32 = 5;
const LOCKED_PAUSE: std::time::Duration = std::time::Duration::from_secs(2);

/// Sends `req` and fails on an error status; while Ironic answers 409 NodeLocked (a
/// conductor is busy with the node, e.g. a power action after `reboot`), sends it again
/// after a pause, as ironicclient does. Unlike ironicclient, any other conflict (a name
/// taken) fails at once.
pub fn send<'h>(host: &Host<'h>, mut req: Request<'static>) -> Result<Response<'h>> {
    let mut attempt = 1;
    loop {
        let again = (attempt < LOCKED_ATTEMPTS)
            .then(|| req.try_clone())
            .flatten();
        match (host.request(req)?.ok(), again) {
            (
                Err(Error::Http {
                    status: 409,
                    message,
                    ..
                }),
                Some(next),
            ) if message.contains("is locked by host") => {
                host.debug(&format!(
                    "{message}: attempt {attempt} of {LOCKED_ATTEMPTS}, again in {} s",
                    LOCKED_PAUSE.as_secs()
                ));
                std::thread::sleep(LOCKED_PAUSE);
                req = next;
                attempt += 1;
            }
            (done, _) => return done,
        }
    }
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
            match self.detail {
                Detail::Query => {
                    query.push(("detail".into(), "True".into()));
                    (self.path.to_string(), detailed)
                }
                Detail::Path => (format!("{}/detail", self.path), detailed),
                Detail::Client => (self.path.to_string(), detailed),
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
        let obj = send(host, request("POST", self.path).json(Value::Object(body)))?.json()?;
        Ok(self.reply(obj))
    }

    /// POSTs a new object; the object created.
    pub fn post(&self, host: &Host, body: Map<String, Value>) -> Result<Value> {
        send(host, request("POST", self.path).json(Value::Object(body)))?.json()
    }

    /// Exactly the detailed fields of `obj`, '' for those it lacks, as ironicclient's
    /// creates of ports, port groups, allocations, deploy templates... show them.
    pub fn detailed_reply(&self, obj: &Value) -> Reply {
        let mut shown = Map::new();
        for f in self.detailed {
            shown.insert(f.to_string(), obj.get(*f).cloned().unwrap_or(json!("")));
        }
        self.reply(Value::Object(shown))
    }

    /// Deletes each; "Deleted <noun> <x>" for each success, every failure reported.
    pub fn delete(&self, host: &Host, ids: &[String]) -> Result<Reply> {
        let mut done = Vec::new();
        let mut failures = Vec::new();
        for id in ids {
            match send(host, request("DELETE", self.item(id))) {
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
        send(
            host,
            request("PATCH", self.item(id)).json(Value::Array(ops)),
        )
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

/// The `traits` sub-resource of a node or runbook (`/nodes/<id>/traits`).
pub struct Traits {
    pub base: String,
}

impl Traits {
    pub fn of(path: &str, id: &str) -> Self {
        Traits {
            base: format!("{path}/{}/traits", encode_segment(id)),
        }
    }

    /// The traits, one per row under "traits" (the field name).
    pub fn list(&self, host: &Host) -> Result<Reply> {
        let body = host
            .request(request("GET", self.base.clone()))?
            .ok()?
            .json()?;
        let rows = body["traits"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|t| vec![t])
            .collect();
        Ok(Reply::list(["traits".to_string()]).rows(rows))
    }

    /// Adds (PUT) or removes (DELETE) each trait: "Added trait X" for each success, every
    /// failure reported, as ironicclient.
    pub fn each(&self, host: &Host, traits: &[String], add: bool) -> Result<Reply> {
        let (method, done, verb) = if add {
            ("PUT", "Added", "add")
        } else {
            ("DELETE", "Removed", "remove")
        };
        let mut out = Vec::new();
        let mut failures = Vec::new();
        for t in traits {
            let path = format!("{}/{}", self.base, encode_segment(t));
            match send(host, request(method, path)) {
                Ok(_) => out.push(format!("{done} trait {t}")),
                Err(e) => failures.push(format!("Failed to {verb} trait {t}: {e}")),
            }
        }
        if !failures.is_empty() {
            return Err(failures.join("; ").into());
        }
        Ok(Reply::Text(out.join("\n")))
    }

    /// Removes every trait.
    pub fn clear(&self, host: &Host) -> Result<()> {
        send(host, request("DELETE", self.base.clone())).map(drop)
    }
}

/// `<resource> trait list|add|remove` of the object named by the positional `one` of
/// the collection `path`; `remove --all` prints `all_done` ("Removed all traits from runbook
/// x") when the command does.
pub fn trait_command(
    host: &Host,
    args: &Args,
    path: &str,
    one: &str,
    verb: &str,
    all_done: Option<&str>,
) -> Result<Reply> {
    let id = args.req(one)?;
    let traits = Traits::of(path, id);
    match verb {
        "list" => traits.list(host),
        "add" => traits.each(host, &args.list("traits"), true),
        _ if args.flag("all") => {
            traits.clear(host)?;
            Ok(all_done.map_or(Reply::None, |d| Reply::Text(format!("{d} {id}"))))
        }
        _ if args.list("traits").is_empty() => Err("Must specify traits to remove or --all".into()),
        _ => traits.each(host, &args.list("traits"), false),
    }
}
