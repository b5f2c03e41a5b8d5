//! The smaller groups: `database flavor`, `limit`, `quota`, `log` and `ssl`
//! (python-troveclient's database_flavors, _limits, _quota, _logs and _ssl).

use crate::api::{self, FLAVORS, INSTANCES};
use osc_plugin_sdk::osc_api::lookup;
use osc_plugin_sdk::{json, Args, Error, Host, Map, Reply, Request, Result, Value};
use std::io::Write;

fn flavor(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    if verb == "show" {
        let mut m = api::fields(api::find(host, &FLAVORS, args.req("flavor")?)?);
        m.remove("links");
        if let Some(s) = m.remove("str_id") {
            if m.get("id").is_none_or(Value::is_null) {
                m.insert("id".into(), s);
            }
        }
        return Ok(api::record(&Value::Object(m)));
    }
    let path = match (args.str("datastore_type"), args.str("datastore_version_id")) {
        (Some(ds), Some(v)) => format!(
            "/datastores/{}/versions/{}/flavors",
            api::quote(ds),
            api::quote(v)
        ),
        (None, None) => "/flavors".to_string(),
        _ => {
            return Err(Error::other(
                "Missing argument(s): datastore-type, datastore-version-id",
            ))
        }
    };
    let v = api::get(host, path)?;
    let rows: Vec<Value> = v["flavors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let mut m = api::fields(f);
            if m.get("id").is_none_or(Value::is_null) {
                let s = m.get("str_id").cloned().unwrap_or_default();
                m.insert("id".into(), s);
            }
            Value::Object(m)
        })
        .collect();
    Ok(api::table(
        &["ID", "Name", "RAM", "vCPUs", "Disk", "Ephemeral"],
        &rows,
    ))
}

/// `database limit list`: the rate limits; the absolute ones (the first entry) are printed
/// before them as troveclient's `print_dict` does (osc sends plugin prints to stderr, so
/// `-f json` stays parseable).
fn limits(host: &Host) -> Result<Reply> {
    let v = api::get(host, "/limits")?;
    let mut all = v["limits"].as_array().cloned().unwrap_or_default();
    if !all.is_empty() {
        let abs = all.remove(0);
        let mut rows: Vec<(String, String)> = abs
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), api::text(v))).collect())
            .unwrap_or_default();
        rows.sort();
        let out = print_dict(&rows);
        let _ = std::io::stdout().write_all(out.as_bytes());
    }
    Ok(api::table(&["Value", "Verb", "Remaining", "Unit"], &all))
}

/// troveclient's `utils.print_dict`: a Property/Value prettytable.
fn print_dict(rows: &[(String, String)]) -> String {
    let w1 = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let w2 = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let rule = format!("+{}+{}+\n", "-".repeat(w1 + 2), "-".repeat(w2 + 2));
    let line = |a: &str, b: &str| format!("| {a:<w1$} | {b:<w2$} |\n");
    let mut out = rule.clone() + &line("Property", "Value") + &rule;
    for (k, v) in rows {
        out += &line(k, v);
    }
    out + &rule
}

fn project(host: &Host, args: &Args) -> Result<String> {
    let p = args.req("project")?;
    if api::is_uuid_like(p) {
        return Ok(p.to_string());
    }
    lookup::project_id(host, p, None)
        .map_err(|e| Error::other(format!("Failed to get project ID for {p}, error: {e}")))
}

fn quota(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    let id = project(host, args)?;
    let path = format!("/mgmt/quotas/{id}");
    if verb == "show" {
        let v = api::get(host, path)?;
        let q = api::member(v, "quotas")?;
        let rows = q.as_array().cloned().unwrap_or_default();
        return Ok(api::table(
            &["Resource", "In Use", "Reserved", "Limit"],
            &rows,
        ));
    }
    let mut q = Map::new();
    q.insert(
        args.req("resource")?.to_string(),
        args.value("limit").cloned().unwrap_or_default(),
    );
    let v = api::call(host, "PUT", path, Some(json!({ "quotas": q })))?;
    Ok(api::record(&api::member(v, "quotas")?))
}

/// `POST /instances/<id>/log`: shows (and with flags changes) one guest log.
fn log_action(host: &Host, id: &str, name: &str, flags: &[(&str, bool)]) -> Result<Value> {
    let mut b = Map::new();
    b.insert("name".into(), json!(name));
    for (k, on) in flags {
        if *on {
            b.insert(k.to_string(), json!(1));
        }
    }
    let v = api::call(
        host,
        "POST",
        format!("/instances/{id}/log"),
        Some(Value::Object(b)),
    )?;
    api::member(v, "log")
}

/// The published parts of a guest log, oldest first, from its Swift container; `lines`
/// keeps only the last parts that hold that many lines (then only those lines).
fn log_contents(host: &Host, log: &Value, lines: i64) -> Result<String> {
    let container = api::text(&log["container"]);
    let prefix = api::text(&log["prefix"]);
    let swift = |req: Request<'static>| -> Result<_> {
        let r = host.request(req)?;
        if r.status == 404 {
            return Err(Error::NotFound(String::new()));
        }
        r.ok()
    };
    let listing = swift(
        Request::get("object-store", format!("/{}", api::quote(&container)))
            .query("prefix", &prefix)
            .query("format", "json"),
    )?
    .json()?;
    let mut parts = listing.as_array().cloned().unwrap_or_default();
    parts.sort_by(|a, b| api::text(&a["last_modified"]).cmp(&api::text(&b["last_modified"])));
    let obj = |p: &Value| {
        format!(
            "/{}/{}",
            api::quote(&container),
            api::quote(&api::text(&p["name"]))
        )
    };
    let mut shown = parts.clone();
    let mut keep = None;
    if lines > 0 {
        shown.clear();
        let mut want = lines;
        for p in parts.iter().rev() {
            let head = swift(Request::head("object-store", obj(p)))?;
            let n: i64 = head
                .header("x-object-meta-lines")
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            shown.insert(0, p.clone());
            if n >= want {
                keep = Some(want);
                break;
            }
            want -= n;
        }
        if keep.is_none() {
            keep = Some(lines);
        }
    }
    let mut out = String::new();
    for (i, p) in shown.iter().enumerate() {
        let text = swift(Request::get("object-store", obj(p)))?.text()?;
        match keep {
            Some(n) if i == 0 => {
                let all: Vec<&str> = text.lines().collect();
                let from = all.len().saturating_sub(usize::try_from(n).unwrap_or(0));
                out.push_str(&all[from..].join("\n"));
                out.push('\n');
            }
            _ => out.push_str(&text),
        }
    }
    Ok(out)
}

fn log(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    let given = args.req("instance")?;
    let id = api::find_id(host, &INSTANCES, given)?;
    if verb == "list" {
        let v = api::get(host, format!("/instances/{id}/log"))?;
        let logs = v["logs"].as_array().cloned().unwrap_or_default();
        return Ok(api::table(
            &[
                "Name",
                "Type",
                "Status",
                "Published",
                "Pending",
                "Container",
                "Prefix",
            ],
            &logs,
        ));
    }
    let name = args.req("log_name")?;
    let flags: Vec<(&str, bool)> = if verb == "set" {
        ["enable", "disable", "publish", "discard"]
            .iter()
            .map(|f| (*f, args.flag(f)))
            .collect()
    } else {
        Vec::new()
    };
    let info = log_action(host, &id, name, &flags)?;
    let missing = || format!("ERROR: No published '{name}' log was found for {given}");
    match verb {
        "show" | "set" => Ok(api::record(&info)),
        "tail" => match log_contents(host, &info, args.int("lines")?.unwrap_or(50)) {
            Ok(text) => Ok(Reply::Text(text)),
            Err(Error::NotFound(_)) => Ok(Reply::Text(missing())),
            Err(e) => Err(e),
        },
        _ => {
            let file = args
                .str("file")
                .map(str::to_string)
                .unwrap_or_else(|| format!("trove-{id}-{name}.log"));
            let text = match log_contents(host, &info, 0) {
                Ok(t) => t,
                Err(Error::NotFound(_)) => return Ok(Reply::Text(missing())),
                Err(e) => return Err(e),
            };
            std::fs::write(&file, text)
                .map_err(|e| Error::other(format!("Cannot write {file}: {e}")))?;
            Ok(Reply::Text(format!("Log \"{name}\" written to {file}")))
        }
    }
}

fn ssl(host: &Host, verb: &str, args: &Args) -> Result<Reply> {
    let id = api::find_id(host, &INSTANCES, args.req("instance")?)?;
    let path = format!("/instances/{id}/ssl");
    let body = match verb {
        "show" => {
            let mut req = Request::get(api::SVC, path);
            if args.flag("include_certificate") {
                req = req.query("include_certificate", "True");
            }
            let mut m = api::fields(api::member(host.request(req)?.ok()?.json()?, "ssl")?);
            if let Some(Value::Object(cert)) = m.remove("certificate") {
                for (k, v) in cert {
                    m.insert(format!("certificate.{k}"), v);
                }
            }
            return Ok(api::record(&Value::Object(m)));
        }
        "enable" => {
            let mut s = json!({"enable": true, "mode": args.str("mode"),
                               "container_ref": args.req("container_ref")?});
            if let Some(p) = args.str("password_ref").filter(|p| !p.is_empty()) {
                s["password_ref"] = json!(p);
            }
            s
        }
        "disable" => json!({"disable": true}),
        _ => json!({"rollback": true}),
    };
    let v = api::call(host, "POST", path, Some(json!({ "ssl": body })))?;
    Ok(api::record(&api::member(v, "ssl")?))
}

pub fn run(host: &Host, command: &str, args: &Args) -> Option<Result<Reply>> {
    let rest = command.strip_prefix("database ")?;
    let (group, verb) = rest.split_once(' ')?;
    Some(match group {
        "flavor" => flavor(host, verb, args),
        "limit" => limits(host),
        "quota" => quota(host, verb, args),
        "log" => log(host, verb, args),
        "ssl" => ssl(host, verb, args),
        _ => return None,
    })
}
