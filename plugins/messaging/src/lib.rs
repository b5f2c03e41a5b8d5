//! osc plugin for Zaqar: python-zaqarclient 4.7's `messaging` commands (queues, messages,
//! claims, subscriptions, signed URLs, pools, flavors, health, ping) on the SDK.
//! `manifest.json` is written from zaqarclient's own parsers for the commands in
//! `commands.txt` (`plugins/tools/manifest_from_osc.py --group openstack.messaging.v2`).
//!
//! Every request carries the `Client-ID` header zaqarclient sends: `--client-id` (or
//! `OS_MESSAGE_CLIENT_ID`) where the command has it, else a UUID kept per user in osc's
//! cache directory (`messaging-client-id`), made once.

use osc_plugin_sdk::{export_plugin, json, Args, Error, Host, Map, Reply, Request, Result, Value};
use std::time::{SystemTime, UNIX_EPOCH};

const SERVICE: &str = "messaging";

/// Zaqar's v2 API below the catalog's (unversioned) endpoint.
fn path(p: &str) -> String {
    format!("/v2/{p}")
}

fn seg(s: &str) -> String {
    osc_plugin_sdk::osc_api::resource::encode_segment(s)
}

fn queue(args: &Args, rest: &str) -> Result<String> {
    Ok(path(&format!(
        "queues/{}{rest}",
        seg(args.req("queue_name")?)
    )))
}

/// A 32-digit random UUID (version 4), as oslo's `generate_uuid(dashed=False)`.
fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !ok {
        let n = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            ^ (std::process::id() as u128) << 64;
        bytes = n.to_le_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The per-user client ID: read from osc's cache directory, made there once.
fn kept_client_id() -> String {
    let dir = std::env::var_os("OSC_CACHE_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME").map(|d| std::path::PathBuf::from(d).join("osc"))
        })
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache/osc"))
        });
    let Some(dir) = dir else {
        return new_uuid();
    };
    let file = dir.join("messaging-client-id");
    if let Ok(s) = std::fs::read_to_string(&file) {
        let s = s.trim();
        if !s.is_empty() {
            return s.to_string();
        }
    }
    // Written whole beside it, then linked into place: two osc processes starting at once
    // agree on the first one's ID, and none reads a half-written file.
    let id = new_uuid();
    let tmp = dir.join(format!("messaging-client-id.{id}"));
    let made = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&tmp, &id))
        .and_then(|_| std::fs::hard_link(&tmp, &file));
    let _ = std::fs::remove_file(&tmp);
    if made.is_err() {
        if let Ok(s) = std::fs::read_to_string(&file) {
            if !s.trim().is_empty() {
                return s.trim().to_string();
            }
        }
    }
    id
}

/// `--client-id`, else `OS_MESSAGE_CLIENT_ID`; required by the message commands.
fn given_client_id(args: &Args) -> Result<String> {
    args.str("client_id")
        .map(str::to_string)
        .or_else(|| std::env::var("OS_MESSAGE_CLIENT_ID").ok())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::Other(
                "<--client-id> option is missing and environment variable OS_MESSAGE_CLIENT_ID \
                 is not set. Please at least either pass in the client id or set the \
                 environment variable"
                    .into(),
            )
        })
}

struct Zaqar<'a, 'h> {
    host: &'a Host<'h>,
    client_id: String,
}

impl Zaqar<'_, '_> {
    fn req(&self, method: &str, p: String) -> Request<'static> {
        Request::new(method, SERVICE, p).header("Client-ID", &self.client_id)
    }

    /// The answer's JSON (null when empty); error statuses as the service says them.
    fn call(&self, req: Request<'_>) -> Result<Value> {
        let mut resp = self.host.request(req)?;
        if resp.is_success() {
            return resp.json();
        }
        let text = resp.text().unwrap_or_default();
        Err(Error::Other(zaqar_error(resp.status, &text)))
    }

    /// Every item of a listing (`links` with `rel: next`); with a limit, the first page.
    fn list(
        &self,
        p: String,
        key: &str,
        query: Vec<(String, String)>,
        all: bool,
    ) -> Result<Vec<Value>> {
        let mut req = self.req("GET", p);
        for (k, v) in &query {
            req = req.query(k, v);
        }
        let mut out = Vec::new();
        let mut body = self.call(req)?;
        loop {
            let page = body[key].as_array().cloned().unwrap_or_default();
            let empty = page.is_empty();
            out.extend(page);
            let next = body["links"]
                .as_array()
                .and_then(|l| l.iter().find(|x| x["rel"] == "next"))
                .and_then(|x| x["href"].as_str())
                .map(str::to_string);
            match next {
                Some(href) if all && !empty => {
                    // Zaqar's links are absolute paths below the host ("/v2/queues?...").
                    let rel = href.strip_prefix("/v2/").map(path).unwrap_or(href);
                    body = self.call(self.req("GET", rel))?;
                }
                _ => return Ok(out),
            }
        }
    }
}

/// zaqarclient's `TransportError` wording: the code, then the body's title and description,
/// or its text when it has none.
fn zaqar_error(code: u16, text: &str) -> String {
    let v: Value = osc_plugin_sdk::serde_json::from_str(text).unwrap_or(Value::Null);
    let mut msg = format!("Error response from Zaqar. Code: {code}.");
    match (v["title"].as_str(), v.get("description")) {
        (Some(t), Some(d)) => {
            if !t.is_empty() {
                msg += &format!(" Title: {t}.");
            }
            let d = d
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| d.to_string());
            if !d.is_empty() {
                msg += &format!(" Description: {d}.");
            }
        }
        _ if !text.trim().is_empty() => {
            msg += &format!(
                " Text: {}.",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        _ => {}
    }
    msg
}

fn paging(args: &Args) -> Result<(Vec<(String, String)>, bool)> {
    let mut q = Vec::new();
    if let Some(m) = args.str("marker") {
        q.push(("marker".into(), m.into()));
    }
    let limit = match args.value("limit") {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let all = limit.is_none();
    if let Some(l) = limit {
        q.push(("limit".into(), l));
    }
    Ok((q, all))
}

fn json_arg(v: &str, what: impl FnOnce(&str) -> String) -> Result<Value> {
    osc_plugin_sdk::serde_json::from_str(v).map_err(|_| Error::Other(what(v)))
}

/// A value of `obj`, '' when absent (`get_item_properties`).
fn get(obj: &Value, k: &str) -> Value {
    obj.get(k).cloned().unwrap_or(json!(""))
}

fn rows(items: &[Value], keys: &[&str]) -> Vec<Vec<Value>> {
    items
        .iter()
        .map(|it| keys.iter().map(|k| get(it, k)).collect())
        .collect()
}

fn record(cols: &[&str], keys: &[&str], obj: &Value) -> Reply {
    let mut r = Reply::show();
    for (c, k) in cols.iter().zip(keys) {
        r = r.field(*c, get(obj, k));
    }
    r
}

/// A message as zaqarclient's `Message` sees it: its claim ID from its href.
fn message(mut m: Value) -> Value {
    let href = m["href"].as_str().unwrap_or("").to_string();
    if let Some(o) = m.as_object_mut() {
        let claim = href.split_once('=').map(|(_, c)| c.to_string());
        o.insert(
            "claim_id".into(),
            claim.map(Value::String).unwrap_or(Value::Null),
        );
        if !o.contains_key("id") {
            let id = href
                .rsplit('/')
                .next()
                .unwrap_or("")
                .split('?')
                .next()
                .unwrap_or("");
            o.insert("id".into(), json!(id));
        }
        o.entry("checksum").or_insert(Value::Null);
    }
    m
}

/// Python's `json.dumps(v, indent=4, sort_keys=True)`.
fn dumps(v: &Value) -> String {
    fn go(v: &Value, depth: usize, out: &mut String) {
        let pad = |d: usize| "    ".repeat(d);
        match v {
            Value::Object(m) if !m.is_empty() => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push_str("{\n");
                for (i, k) in keys.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push_str(": ");
                    go(&m[*k], depth + 1, out);
                    out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push('}');
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str("[\n");
                for (i, x) in a.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    go(x, depth + 1, out);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    go(v, 0, &mut out);
    out
}

/// UTC now plus `secs` as Python's naive `isoformat()` (`2026-12-02T23:00:00.123456`).
fn expiry(secs: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let t = now.as_secs() as i64 + secs;
    let micros = now.subsec_micros();
    let (days, rem) = (t.div_euclid(86400), t.rem_euclid(86400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let frac = if micros > 0 {
        format!(".{micros:06}")
    } else {
        String::new()
    };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const POOL_COLS: &[&str] = &["Name", "Weight", "URI", "Flavor", "Options"];
const POOL_KEYS: &[&str] = &["name", "weight", "uri", "flavor", "options"];
const SUB_COLS: &[&str] = &["ID", "Subscriber", "TTL", "Age", "Confirmed", "Options"];
const SUB_KEYS: &[&str] = &["id", "subscriber", "ttl", "age", "confirmed", "options"];

fn run(host: &Host, command: &str, args: &Args) -> Result<Reply> {
    let client_id = match command {
        "messaging message post" | "messaging message list" => given_client_id(args)?,
        _ => kept_client_id(),
    };
    let z = Zaqar { host, client_id };
    match command {
        "messaging queue create" => {
            z.call(z.req("PUT", queue(args, "")?))?;
            Ok(Reply::show().field("Name", args.req("queue_name")?))
        }
        "messaging queue delete" => z
            .call(z.req("DELETE", queue(args, "")?))
            .map(|_| Reply::None),
        "messaging queue list" => {
            let (mut q, all) = paging(args)?;
            let detailed = args.flag("detailed");
            if detailed {
                q.push(("detailed".into(), "True".into()));
            }
            if args.flag("with_count") {
                q.push(("with_count".into(), "True".into()));
            }
            let queues = z.list(path("queues"), "queues", q, all)?;
            let (cols, keys): (&[&str], &[&str]) = if detailed {
                (
                    &["Name", "Metadata_Dict", "Href"],
                    &["name", "metadata", "href"],
                )
            } else {
                (&["Name"], &["name"])
            };
            Ok(Reply::list(cols.iter().copied()).rows(rows(&queues, keys)))
        }
        "messaging queue stats" => {
            let name = args.req("queue_name")?;
            let resp = host.request(z.req("GET", queue(args, "/stats")?))?;
            if resp.status == 404 {
                return Err(Error::Other(format!("Queue({name}) does not exist.")));
            }
            let stats = resp.ok()?.json()?;
            Ok(Reply::show().field("Stats", stats))
        }
        "messaging queue set metadata" => {
            let raw = args.req("queue_metadata")?;
            let meta = json_arg(raw, |v| format!("Queue metadata({v}) is not a valid json."))?;
            let Value::Object(new) = meta else {
                return Err(Error::Other(format!(
                    "Queue metadata({raw}) is not a valid json."
                )));
            };
            // zaqarclient's diff against the current metadata: replace the keys it has, add
            // the others, remove the keys the new metadata lacks.
            let current = z.call(z.req("GET", queue(args, "")?))?;
            let mut rest = current.as_object().cloned().unwrap_or_default();
            let mut ops = Vec::new();
            for (k, v) in &new {
                let op = if current.get(k).is_some_and(|c| !c.is_null()) {
                    rest.remove(k);
                    "replace"
                } else {
                    "add"
                };
                ops.push(json!({"op": op, "path": format!("/metadata/{k}"), "value": v}));
            }
            for k in rest.keys() {
                ops.push(json!({"op": "remove", "path": format!("/metadata/{k}")}));
            }
            let req = z
                .req("PATCH", queue(args, "")?)
                .json(Value::Array(ops))
                .content_type("application/openstack-messaging-v2.0-json-patch");
            z.call(req).map(|_| Reply::None)
        }
        "messaging queue get metadata" => {
            let meta = z.call(z.req("GET", queue(args, "")?))?;
            Ok(Reply::show().field("Metadata", meta))
        }
        "messaging queue purge" => {
            let types = args.list("resource_types");
            let mut req = z.req("POST", queue(args, "/purge")?);
            req = if types.is_empty() {
                req.json(json!({}))
            } else {
                req.json(json!({"resource_types": types}))
            };
            z.call(req).map(|_| Reply::None)
        }
        "messaging queue signed url" => {
            let paths: Vec<String> = args
                .str("paths")
                .unwrap_or("messages")
                .split(',')
                .map(str::to_string)
                .collect();
            if !paths
                .iter()
                .all(|p| ["messages", "subscriptions", "claims"].contains(&p.as_str()))
            {
                host.warn(&format!(
                    "Invalid path supplied! Received {}. Valid paths are: messages, subscriptions, claims",
                    paths.join(",")
                ));
            }
            let methods: Vec<&str> = args.str("methods").unwrap_or("GET").split(',').collect();
            let mut body = Map::new();
            if let Some(t) = args.int("ttl_seconds")?.filter(|t| *t != 0) {
                body.insert("expires".into(), json!(expiry(t)));
            }
            body.insert("paths".into(), json!(paths));
            body.insert("methods".into(), json!(methods));
            let d = z.call(
                z.req("POST", queue(args, "/share")?)
                    .json(Value::Object(body)),
            )?;
            let join = |k: &str| {
                d[k].as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default()
            };
            Ok(Reply::show()
                .field("Paths", join("paths"))
                .field("Methods", join("methods"))
                .field("Expires", d["expires"].clone())
                .field("Signature", d["signature"].clone())
                .field("Project ID", d["project"].clone()))
        }
        "messaging message post" => {
            let raw = args.req("messages")?;
            let msgs = json_arg(raw, |v| {
                format!("argument <messages>: invalid loads value: '{v}'")
            })
            .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?;
            let msgs = match msgs {
                Value::Array(a) => a,
                other => vec![other],
            };
            let req = z
                .req("POST", queue(args, "/messages")?)
                .json(json!({"messages": msgs}));
            z.call(req).map(|_| Reply::None)
        }
        "messaging message list" => {
            let mut q = Vec::new();
            if let Some(l) = args.int("limit")? {
                q.push(("limit".to_string(), l.to_string()));
            }
            for (arg, key) in [
                ("echo", "echo"),
                ("include_claimed", "include_claimed"),
                ("include_delayed", "include_delayed"),
            ] {
                q.push((
                    key.to_string(),
                    if args.flag(arg) { "True" } else { "False" }.to_string(),
                ));
            }
            let msgs = match args.str("message_ids") {
                Some(ids) => {
                    // zaqarclient passes the split list to requests: `ids=a&ids=b`.
                    let mut req = z.req("GET", queue(args, "/messages")?);
                    for id in ids.split(',') {
                        req = req.query("ids", id);
                    }
                    for (k, v) in &q {
                        req = req.query(k, v);
                    }
                    let b = z.call(req)?;
                    b["messages"].as_array().cloned().unwrap_or_default()
                }
                None => z.list(queue(args, "/messages")?, "messages", q, false)?,
            };
            let msgs: Vec<Value> = msgs.into_iter().map(message).collect();
            Ok(
                Reply::list(["ID", "Body", "TTL", "Age", "Claim ID", "Checksum"]).rows(rows(
                    &msgs,
                    &["id", "body", "ttl", "age", "claim_id", "checksum"],
                )),
            )
        }
        "messaging claim create" => {
            let mut body = Map::new();
            for k in ["ttl", "grace"] {
                if let Some(v) = args.value(k) {
                    body.insert(k.into(), v.clone());
                }
            }
            let mut req = z
                .req("POST", queue(args, "/claims")?)
                .json(Value::Object(body));
            if let Some(l) = args.int("limit")? {
                req = req.query("limit", l);
            }
            let b = z.call(req)?;
            let msgs: Vec<Value> = match b {
                Value::Array(a) => a,
                Value::Object(_) => b["messages"].as_array().cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            let msgs: Vec<Value> = msgs.into_iter().map(message).collect();
            Ok(Reply::list([
                "Claim_ID",
                "Message_ID",
                "TTL",
                "Age",
                "Messages",
                "Checksum",
            ])
            .rows(rows(
                &msgs,
                &["claim_id", "id", "ttl", "age", "body", "checksum"],
            )))
        }
        "messaging claim query" | "messaging claim renew" => {
            let p = queue(args, &format!("/claims/{}", seg(args.req("claim_id")?)))?;
            if command.ends_with("renew") {
                let mut body = Map::new();
                for k in ["ttl", "grace"] {
                    if let Some(v) = args.value(k) {
                        body.insert(k.into(), v.clone());
                    }
                }
                z.call(z.req("PATCH", p.clone()).json(Value::Object(body)))?;
            }
            let b = z.call(z.req("GET", p))?;
            let msgs = b["messages"].as_array().cloned().unwrap_or_default();
            // zaqarclient reads `_id`, which its messages lack: the column is empty.
            Ok(Reply::list(["Message_ID", "Age", "TTL", "Message"])
                .rows(rows(&msgs, &["_id", "age", "ttl", "body"])))
        }
        "messaging claim release" => {
            let p = queue(args, &format!("/claims/{}", seg(args.req("claim_id")?)))?;
            z.call(z.req("DELETE", p)).map(|_| Reply::None)
        }
        "messaging subscription create" => {
            let options = match args.str("options") {
                Some(o) => json_arg(o, |v| {
                    format!("argument --options: invalid loads value: '{v}'")
                })
                .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?,
                None => json!({}),
            };
            let subscriber = args.req("subscriber")?;
            let ttl = args.value("ttl").cloned().unwrap_or(Value::Null);
            let body = json!({"subscriber": subscriber, "ttl": ttl, "options": options});
            let created = z.call(
                z.req("POST", queue(args, "/subscriptions")?)
                    .json(body.clone()),
            )?;
            let mut shown = body;
            shown["id"] = created["subscription_id"].clone();
            Ok(record(
                &["ID", "Subscriber", "TTL", "Options"],
                &["id", "subscriber", "ttl", "options"],
                &shown,
            ))
        }
        "messaging subscription update" => {
            let options = match args.str("options") {
                Some(o) => json_arg(o, |v| {
                    format!("argument --options: invalid loads value: '{v}'")
                })
                .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?,
                None => json!({}),
            };
            let data = json!({"subscriber": args.str("subscriber"), "ttl": args.value("ttl"), "options": options});
            let mut body = Map::new();
            // Zaqar ignores the nulls zaqarclient sends for what is not given: left out here.
            for (k, v) in data.as_object().into_iter().flatten() {
                if !v.is_null() {
                    body.insert(k.clone(), v.clone());
                }
            }
            let p = queue(
                args,
                &format!("/subscriptions/{}", seg(args.req("subscription_id")?)),
            )?;
            z.call(z.req("PATCH", p).json(Value::Object(body)))?;
            // zaqarclient reads the columns as attributes of the dictionary it sent, which
            // has none: every value is ''.
            Ok(record(
                &["ID", "Subscriber", "TTL", "Options"],
                &["", "", "", ""],
                &Value::Null,
            ))
        }
        "messaging subscription delete" => {
            let p = queue(
                args,
                &format!("/subscriptions/{}", seg(args.req("subscription_id")?)),
            )?;
            z.call(z.req("DELETE", p)).map(|_| Reply::None)
        }
        "messaging subscription show" => {
            let p = queue(
                args,
                &format!("/subscriptions/{}", seg(args.req("subscription_id")?)),
            )?;
            let s = z.call(z.req("GET", p))?;
            Ok(record(SUB_COLS, SUB_KEYS, &s))
        }
        "messaging subscription list" => {
            let (q, all) = paging(args)?;
            let subs = z.list(queue(args, "/subscriptions")?, "subscriptions", q, all)?;
            Ok(Reply::list(SUB_COLS.iter().copied()).rows(rows(&subs, SUB_KEYS)))
        }
        "messaging pool create" => {
            let options = match args.str("pool_options") {
                Some(o) => json_arg(o, |v| {
                    format!("argument --pool_options: invalid loads value: '{v}'")
                })
                .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?,
                None => json!({}),
            };
            let weight: Value = match args.value("pool_weight") {
                Some(Value::String(s)) => s.parse::<i64>().map(|n| json!(n)).map_err(|_| {
                    osc_plugin_sdk::verbs::usage(format!(
                        "argument <pool_weight>: invalid int value: '{s}'"
                    ))
                })?,
                Some(v) => v.clone(),
                None => Value::Null,
            };
            let mut body =
                json!({"uri": args.req("pool_uri")?, "weight": weight, "options": options});
            if let Some(f) = args.str("flavor").filter(|f| !f.is_empty()) {
                body["flavor"] = json!(f);
            }
            let p = path(&format!("pools/{}", seg(args.req("pool_name")?)));
            z.call(z.req("PUT", p).json(body.clone()))?;
            // zaqarclient's `Pool` as made: the flavor as given, else None.
            body["name"] = json!(args.req("pool_name")?);
            body["flavor"] = json!(args.str("flavor"));
            Ok(record(POOL_COLS, POOL_KEYS, &body))
        }
        "messaging pool show" | "messaging pool update" => {
            let p = path(&format!("pools/{}", seg(args.req("pool_name")?)));
            if command.ends_with("update") {
                let mut body = Map::new();
                if let Some(u) = args.str("pool_uri").filter(|u| !u.is_empty()) {
                    body.insert("uri".into(), json!(u));
                }
                if let Some(w) = args.value("pool_weight").filter(|w| w.as_i64() != Some(0)) {
                    body.insert("weight".into(), w.clone());
                }
                if let Some(f) = args.str("flavor").filter(|f| !f.is_empty()) {
                    body.insert("flavor".into(), json!(f));
                }
                if let Some(o) = args.str("pool_options") {
                    let o = json_arg(o, |v| {
                        format!("argument --pool_options: invalid loads value: '{v}'")
                    })
                    .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?;
                    if o.as_object().is_some_and(|m| !m.is_empty()) {
                        body.insert("options".into(), o);
                    }
                }
                z.call(z.req("PATCH", p.clone()).json(Value::Object(body)))?;
            }
            let pool = z.call(z.req("GET", p))?;
            Ok(record(POOL_COLS, POOL_KEYS, &pool))
        }
        "messaging pool delete" => {
            let p = path(&format!("pools/{}", seg(args.req("pool_name")?)));
            z.call(z.req("DELETE", p)).map(|_| Reply::None)
        }
        "messaging pool list" => {
            let (mut q, all) = paging(args)?;
            let detailed = args.flag("detailed");
            if detailed {
                q.push(("detailed".into(), "True".into()));
            }
            let pools = z.list(path("pools"), "pools", q, all)?;
            let n = if detailed { 5 } else { 4 };
            Ok(Reply::list(POOL_COLS[..n].iter().copied()).rows(rows(&pools, &POOL_KEYS[..n])))
        }
        "messaging flavor create" => {
            let pool_list: Option<Vec<&str>> = args
                .str("pool_list")
                .filter(|p| !p.is_empty())
                .map(|p| p.split(',').collect());
            let body = json!({"pool_list": pool_list});
            let p = path(&format!("flavors/{}", seg(args.req("flavor_name")?)));
            z.call(z.req("PUT", p).json(body.clone()))?;
            // zaqarclient's `Flavor` as made: no capabilities yet.
            let shown = json!({"name": args.req("flavor_name")?, "pool_list": pool_list, "capabilities": {}});
            Ok(record(
                &["Name", "Pool list", "Capabilities"],
                &["name", "pool_list", "capabilities"],
                &shown,
            ))
        }
        "messaging flavor show" | "messaging flavor update" => {
            let p = path(&format!("flavors/{}", seg(args.req("flavor_name")?)));
            let update = command.ends_with("update");
            if update {
                let mut body = Map::new();
                if let Some(l) = args.str("pool_list").filter(|l| !l.is_empty()) {
                    body.insert("pool_list".into(), json!(l.split(',').collect::<Vec<_>>()));
                }
                if let Some(c) = args.str("capabilities") {
                    let c = json_arg(c, |v| {
                        format!("argument --capabilities: invalid loads value: '{v}'")
                    })
                    .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?;
                    // zaqarclient decodes the value twice: a JSON string holding the JSON
                    // object is what it accepts; the object itself is accepted here too.
                    let c = match c {
                        Value::String(inner) => json_arg(&inner, |v| {
                            format!("argument --capabilities: invalid loads value: '{v}'")
                        })
                        .map_err(|e| osc_plugin_sdk::verbs::usage(e.to_string()))?,
                        other => other,
                    };
                    body.insert("capabilities".into(), c);
                }
                z.call(z.req("PATCH", p.clone()).json(Value::Object(body)))?;
            }
            let f = z.call(z.req("GET", p))?;
            let cols: &[&str] = if update {
                &["Name", "Pool_list", "Capabilities"]
            } else {
                &["Name", "Pool list", "Capabilities"]
            };
            Ok(record(cols, &["name", "pool_list", "capabilities"], &f))
        }
        "messaging flavor delete" => {
            let p = path(&format!("flavors/{}", seg(args.req("flavor_name")?)));
            z.call(z.req("DELETE", p)).map(|_| Reply::None)
        }
        "messaging flavor list" => {
            let (mut q, all) = paging(args)?;
            let detailed = args.flag("detailed");
            q.push((
                "detailed".into(),
                if detailed { "True" } else { "False" }.into(),
            ));
            let flavors = z.list(path("flavors"), "flavors", q, all)?;
            let (cols, keys): (&[&str], &[&str]) = if detailed {
                (
                    &["Name", "Pool list", "Capabilities"],
                    &["name", "pool_list", "capabilities"],
                )
            } else {
                (&["Name", "Pool list"], &["name", "pool_list"])
            };
            Ok(Reply::list(cols.iter().copied()).rows(rows(&flavors, keys)))
        }
        "messaging ping" => {
            let ok = host
                .request(z.req("GET", path("ping")))
                .map(|r| r.is_success())
                .unwrap_or(false);
            Ok(Reply::show().field("Pingable", ok))
        }
        "messaging health" => Ok(Reply::Text(dumps(&z.call(z.req("GET", path("health")))?))),
        "messaging homedoc" => {
            // zaqarclient asks for plain JSON: Zaqar answers `application/json-home` with 406.
            Ok(Reply::Text(dumps(&z.call(z.req("GET", path("")))?)))
        }
        other => Err(format!("messaging plugin: unknown command {other}").into()),
    }
}

export_plugin!(manifest: "../manifest.json", handler: run);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_without_dashes() {
        let u = new_uuid();
        assert_eq!(u.len(), 32);
        assert_eq!(&u[12..13], "4");
        assert_ne!(u, new_uuid());
    }

    #[test]
    fn expiry_is_a_naive_iso_date() {
        let e = expiry(0);
        assert_eq!(e.as_bytes()[4], b'-');
        assert_eq!(e.as_bytes()[10], b'T');
        assert!(e.starts_with("20"));
    }

    #[test]
    fn errors_read_as_zaqarclients() {
        assert_eq!(
            zaqar_error(400, r#"{"title": "Invalid API request", "description": "bad ttl"}"#),
            "Error response from Zaqar. Code: 400. Title: Invalid API request. Description: bad ttl."
        );
        assert_eq!(
            zaqar_error(503, "down\n"),
            "Error response from Zaqar. Code: 503. Text: down."
        );
    }

    #[test]
    fn messages_get_their_claim_from_the_href() {
        let m = message(json!({"href": "/v2/queues/q/messages/m1?claim_id=c1", "body": {}}));
        assert_eq!(m["id"], "m1");
        assert_eq!(m["claim_id"], "c1");
    }
}
