//! What every Heat command shares: requests with heatclient's error wording (`ERROR: <the
//! engine's message>`), stack identifiers resolved to `<name>/<id>` before any request that
//! is not a GET (Heat answers `/stacks/<name>` with a redirect, which an HTTP client follows
//! as a GET), and heatclient's way of reading attributes into columns.

use osc_plugin_sdk::osc_api::resource::encode_segment;
use osc_plugin_sdk::{Error, Host, Map, Reply, Request, Result, Value};

pub const SVC: &str = "orchestration";

/// A Heat error as heatclient's `HTTPException` prints it; 404s keep their kind, so commands
/// can say "Stack not found: x" as heatclient does.
pub fn heat_error(e: Error) -> Error {
    match e {
        Error::Http {
            status: 404,
            message,
            request_id,
        } => Error::Http {
            status: 404,
            message,
            request_id,
        },
        Error::Http { message, .. } => Error::other(format!("ERROR: {message}")),
        other => other,
    }
}

pub fn is_not_found(e: &Error) -> bool {
    matches!(e, Error::Http { status: 404, .. } | Error::NotFound(_))
}

/// Sends `req`; an error status is heatclient's error.
pub fn send(host: &Host, req: Request<'_>) -> Result<Value> {
    let mut resp = host.request(req)?;
    if !resp.is_success() {
        // The shared parser reads the engine's `error.message`, which heatclient prints,
        // rather than Heat's generic `title`.
        let status = resp.status;
        let text = resp.text().unwrap_or_default();
        return Err(heat_error(osc_plugin_sdk::osc_api::error_body::http_error(
            status, &text, None,
        )));
    }
    if resp.status == 204 {
        return Ok(Value::Null);
    }
    let json = resp
        .header("content-type")
        .is_some_and(|c| c.contains("json"));
    let mut resp = resp;
    let body = resp.read_all()?;
    if body.is_empty() {
        return Ok(Value::Null);
    }
    match osc_plugin_sdk::serde_json::from_slice(&body) {
        Ok(v) => Ok(v),
        Err(e) if json => Err(Error::BadReply(format!("Heat answered with bad JSON: {e}"))),
        Err(_) => Ok(Value::Null),
    }
}

pub fn get(host: &Host, path: impl Into<String>) -> Result<Value> {
    send(host, Request::get(SVC, path))
}

/// A stack reference as a path: a name or ID, or `<name>/<id>`, each part encoded.
pub fn ident(stack: &str) -> String {
    stack
        .split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// `GET /stacks/<stack>` (the redirect of a name or ID followed).
pub fn get_stack(host: &Host, stack: &str, resolve_outputs: bool) -> Result<Value> {
    let mut req = Request::get(SVC, format!("/stacks/{}", ident(stack)));
    if !resolve_outputs {
        req = req.query("resolve_outputs", "False");
    }
    let body = send(host, req)?;
    Ok(body.get("stack").cloned().unwrap_or(body))
}

/// The stack's `<name>/<id>` (`_resolve_stack_id`), or heatclient's "Stack not found: x".
pub fn resolve(host: &Host, stack: &str) -> Result<String> {
    if stack.find('/').is_some_and(|i| i > 0) {
        return Ok(stack.to_string());
    }
    match get_stack(host, stack, false) {
        Ok(s) => Ok(format!(
            "{}/{}",
            s["stack_name"].as_str().unwrap_or(stack),
            s["id"].as_str().unwrap_or(stack)
        )),
        Err(e) if is_not_found(&e) => Err(stack_not_found(stack)),
        Err(e) => Err(e),
    }
}

/// `/stacks/<name>/<id>` of a stack.
pub fn stack_path(host: &Host, stack: &str) -> Result<String> {
    Ok(format!("/stacks/{}", ident(&resolve(host, stack)?)))
}

pub fn stack_not_found(stack: &str) -> Error {
    Error::other(format!("Stack not found: {stack}"))
}

/// Maps a 404 to `msg`, other errors unchanged.
pub fn or_not_found<T>(r: Result<T>, msg: impl FnOnce() -> String) -> Result<T> {
    r.map_err(|e| {
        if is_not_found(&e) {
            Error::other(msg())
        } else {
            e
        }
    })
}

/// heatclient's `get_item_properties`/`get_dict_properties`: a column header names the
/// attribute in lower case with underscores (`Stack Name` is `stack_name`); a missing one is
/// `''`.
pub fn attr(obj: &Value, column: &str) -> Value {
    let key = column.to_lowercase().replace(' ', "_");
    match obj.get(&key) {
        Some(v) => v.clone(),
        None => match key.as_str() {
            // Resources and events name their stack in their links.
            "stack_name" => stack_name_from_links(obj).map_or(Value::from(""), Value::from),
            _ => Value::from(""),
        },
    }
}

/// The stack name in a resource's or event's `stack` link (`.../stacks/<name>/<id>`).
pub fn stack_name_from_links(obj: &Value) -> Option<String> {
    let href = obj["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == "stack")?["href"]
        .as_str()?;
    let parts: Vec<&str> = href.trim_end_matches('/').split('/').collect();
    parts.len().checked_sub(2).map(|i| parts[i].to_string())
}

pub fn row(obj: &Value, columns: &[String]) -> Vec<Value> {
    columns.iter().map(|c| attr(obj, c)).collect()
}

pub fn table(columns: Vec<String>, items: &[Value]) -> Reply {
    let rows = items.iter().map(|i| row(i, &columns)).collect();
    Reply::list(columns).rows(rows)
}

pub fn strings(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

/// A record of `columns` read as attributes.
pub fn record(obj: &Value, columns: &[String]) -> Reply {
    let mut r = Reply::show();
    for c in columns {
        r = r.field(c.clone(), attr(obj, c));
    }
    r
}

/// Every key of a dictionary, in the answer's order (`dict2columns`, `zip(*d.items())`).
pub fn dict_record(obj: &Value) -> Reply {
    let mut r = Reply::show();
    if let Some(m) = obj.as_object() {
        for (k, v) in m {
            r = r.field(k.clone(), v.clone());
        }
    }
    r
}

/// osc_lib's `sort_items`: `key[:asc|desc]`, several separated by commas.
pub fn sort_items(items: &mut [Value], sort: Option<&str>) -> Result<()> {
    let Some(sort) = sort.filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    for spec in sort.split(',').rev() {
        let (key, dir) = spec.split_once(':').unwrap_or((spec, "asc"));
        if key.is_empty() {
            return Err(Error::other("'<empty string>'' is not a valid sort key"));
        }
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            other => {
                let other = if other.is_empty() {
                    "<empty string>"
                } else {
                    other
                };
                return Err(Error::other(format!(
                    "'{other}' is not a valid sort direction for sort key {key}, use 'asc' or \
                     'desc' instead"
                )));
            }
        };
        items.sort_by(|a, b| {
            let o = cmp_values(&a[key], &b[key]);
            if desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    Ok(())
}

fn cmp_values(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
        (Value::Null, _) => std::cmp::Ordering::Less,
        (_, Value::Null) => std::cmp::Ordering::Greater,
        _ => a.to_string().cmp(&b.to_string()),
    }
}

/// `key=value` filters (`--filter`, `--property`) as query parameters; a repeated key is
/// sent once per value.
pub fn filter_query(filters: &Map<String, Value>) -> Vec<(String, String)> {
    let mut q = Vec::new();
    for (k, v) in filters {
        match v {
            Value::Array(a) => {
                for x in a {
                    q.push((k.clone(), x.as_str().unwrap_or("").to_string()));
                }
            }
            other => q.push((k.clone(), other.as_str().unwrap_or("").to_string())),
        }
    }
    q
}

/// Asks before a destructive action when standard input is a terminal; false: the user did
/// not confirm.
pub fn confirm(prompt: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return true;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => false,
        Ok(_) => line.trim().to_lowercase().starts_with('y'),
    }
}

/// Whether osc renders this command's output as a table, where heatclient's
/// `FormattableColumn`s show their human form (other formatters get the value itself).
pub fn in_table(args: &osc_plugin_sdk::Args) -> bool {
    args.format() == Some("table")
}

/// heatclient's `link_formatter` (`LinkColumn`): `href (rel)` per line.
pub fn link_text(links: &Value) -> String {
    links
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let href = l["href"].as_str().unwrap_or("");
            match l.get("rel") {
                Some(rel) => format!("{href} ({})", rel.as_str().unwrap_or("")),
                None => href.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// heatclient's `text_wrap_formatter` (`TextWrapColumn`): `textwrap.wrap(d, 55)` joined by
/// newlines: whitespace runs collapse, words fill lines of at most 55 characters, a longer
/// word is broken. (textwrap also breaks after hyphens; this does not.)
pub fn text_wrap(text: &Value) -> Value {
    const WIDTH: usize = 55;
    let Some(s) = text.as_str() else {
        return text.clone();
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let room = if used == 0 { WIDTH } else { WIDTH - used - 1 };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 && word.len() <= WIDTH {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a line: fill this line with its start.
            let rest = word.split_off(room);
            if used > 0 {
                line.push(' ');
            }
            line.extend(word.iter());
            lines.push(std::mem::take(&mut line));
            word = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Value::String(lines.join("\n"))
}
