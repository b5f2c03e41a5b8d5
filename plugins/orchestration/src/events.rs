//! Stack events: `stack event list/show`, heatclient's event log lines
//! (`event_log_formatter` with its `EventLogContext` naming nested resources), and `--wait`:
//! `poll_for_events` on the shared wait loop, printing each new event as it arrives and
//! ending when the stack's own event (or, after two quiet polls, the stack) reaches the
//! action's COMPLETE or FAILED status.

use crate::heat::{self, get, ident, SVC};
use osc_plugin_sdk::{Args, Error, Host, Poll, Reply, Request, Result, Value, Wait};
use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

/// The events of `stack` (a name, ID or `<name>/<id>`) with `query`; each gets the
/// `stack_name` heatclient gives it (from its links, else the stack reference).
pub fn get_events(host: &Host, stack: &str, query: &[(String, String)]) -> Result<Vec<Value>> {
    let mut req = Request::get(SVC, format!("/stacks/{}/events", ident(stack)));
    for (k, v) in query {
        req = req.query(k, v);
    }
    let body = heat::send(host, req).map_err(|e| match e {
        Error::Http { message, .. } => Error::other(format!("ERROR: {message}")),
        other => other,
    })?;
    let fallback = stack.split('/').next().unwrap_or(stack).to_string();
    let mut events = body["events"].as_array().cloned().unwrap_or_default();
    for e in &mut events {
        let name = heat::stack_name_from_links(e).unwrap_or_else(|| fallback.clone());
        if let Some(m) = e.as_object_mut() {
            m.entry("stack_name").or_insert(Value::String(name));
        }
    }
    Ok(events)
}

/// The ID of the stack's latest event, the marker after which `--wait` prints.
pub fn last_event_id(host: &Host, stack: &str) -> Result<Option<String>> {
    let q = vec![
        ("limit".to_string(), "1".to_string()),
        ("sort_dir".to_string(), "desc".to_string()),
    ];
    Ok(get_events(host, stack, &q)?
        .first()
        .and_then(|e| e["id"].as_str())
        .map(str::to_string))
}

/// `EventLogContext`: remembers which resource created which nested stack, so a nested
/// resource's event is named `parent.child`.
#[derive(Default)]
pub struct LogContext {
    id_to_res_info: HashMap<String, (String, String)>,
}

impl LogContext {
    fn prepend_paths(&self, path: &mut Vec<String>, stack_id: &str, depth: usize) {
        let Some((_, res_name)) = self.id_to_res_info.get(stack_id) else {
            return;
        };
        if depth > 64 {
            return;
        }
        if let Some((n_sid, n_res)) = self.id_to_res_info.get(res_name) {
            path.insert(0, n_res.clone());
            self.prepend_paths(path, &n_sid.clone(), depth + 1);
        } else if !res_name.is_empty() {
            path.insert(0, res_name.clone());
        }
    }

    pub fn resource_name(&mut self, event: &Value) -> String {
        let res_name = event["resource_name"].as_str().unwrap_or("").to_string();
        let stack_id = event["stack_id"].as_str().map(str::to_string).or_else(|| {
            event["links"].as_array()?.iter().find_map(|l| {
                (l["rel"] == "stack").then(|| {
                    l["href"]
                        .as_str()
                        .and_then(|h| h.rsplit('/').next())
                        .map(str::to_string)
                })?
            })
        });
        let Some(stack_id) = stack_id.filter(|s| !s.is_empty()) else {
            return res_name;
        };
        let phys = event["physical_resource_id"].as_str().unwrap_or("");
        let status = event["resource_status"].as_str().unwrap_or("");
        let is_stack_event = stack_id == phys;
        if is_stack_event {
            self.id_to_res_info
                .insert(stack_id.clone(), (stack_id.clone(), res_name.clone()));
        } else if !phys.is_empty() && status == "CREATE_IN_PROGRESS" {
            self.id_to_res_info
                .insert(phys.to_string(), (stack_id.clone(), res_name.clone()));
        }
        let mut path = Vec::new();
        if !res_name.is_empty() && !is_stack_event {
            path.push(res_name);
        }
        self.prepend_paths(&mut path, &stack_id, 0);
        path.join(".")
    }
}

/// `event_log_formatter`: `<time> <id> [<resource>]: <status>  <reason>` per event.
pub fn log_lines(events: &[Value], ctx: &mut LogContext) -> String {
    let s = |e: &Value, k: &str| e[k].as_str().unwrap_or("").to_string();
    events
        .iter()
        .map(|e| {
            let name = ctx.resource_name(e);
            format!(
                "{} {} [{}]: {}  {}",
                s(e, "event_time").replace('T', " "),
                s(e, "id"),
                name,
                s(e, "resource_status"),
                s(e, "resource_status_reason")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How `--wait` waits for `stack` (`<name>/<id>`) to finish `action` (None: any action).
pub struct Waiter<'a> {
    pub host: &'a Host<'a>,
    pub stack: String,
    pub action: Option<&'a str>,
    pub marker: Option<String>,
    pub poll: Duration,
}

impl Waiter<'_> {
    fn stops(&self, status: &str) -> bool {
        match self.action {
            Some(a) => status == format!("{a}_FAILED") || status == format!("{a}_COMPLETE"),
            None => status.ends_with("_COMPLETE") || status.ends_with("_FAILED"),
        }
    }

    /// Polls until the stack's status stops the wait; returns it. New events are printed
    /// to standard error as they arrive. A stack that is gone (deleted) ends the wait with
    /// `DELETE_COMPLETE`.
    pub fn wait(mut self) -> Result<String> {
        let name = self.stack.split('/').next().unwrap_or("").to_string();
        let id = self.stack.rsplit('/').next().unwrap_or("").to_string();
        let mut ctx = LogContext::default();
        let mut quiet_polls = 0;
        let mut deleted = false;
        let mut deleted_polls = 0;
        let first = self.poll.min(Duration::from_secs(1));
        let wait = Wait::new(format!("stack {name}"))
            .timeout(Duration::from_secs(24 * 3600))
            .interval(first, self.poll)
            .quiet();
        wait.poll(|| {
            let mut q = vec![("sort_dir".to_string(), "asc".to_string())];
            if let Some(m) = &self.marker {
                q.push(("marker".to_string(), m.clone()));
            }
            let events = match get_events(self.host, &self.stack, &q) {
                Ok(e) => e,
                Err(e) if self.action == Some("DELETE") && gone(&e) => {
                    return Ok(Poll::Done("DELETE_COMPLETE".to_string()))
                }
                Err(e) => return Err(e),
            };
            if events.is_empty() {
                quiet_polls += 1;
            } else {
                quiet_polls = 0;
                self.marker = events
                    .last()
                    .and_then(|e| e["id"].as_str())
                    .map(str::to_string);
                let mut err = std::io::stderr();
                let _ = writeln!(err, "{}", log_lines(&events, &mut ctx));
                for e in &events {
                    let own = e["resource_name"] == name.as_str()
                        && e["physical_resource_id"] == id.as_str();
                    let status = e["resource_status"].as_str().unwrap_or("");
                    if own && status == "DELETE_COMPLETE" && self.action == Some("DELETE") {
                        // Heat removes the stack just after its last event: wait until a
                        // read no longer finds it, so `--wait` means gone.
                        deleted = true;
                    } else if own && self.stops(status) {
                        return Ok(Poll::Done(status.to_string()));
                    }
                }
            }
            if deleted {
                // Heat keeps a deleted stack readable by ID; its name stops resolving to it a
                // moment later. Bounded: after ten reads, the event is enough.
                deleted_polls += 1;
                let done = match heat::get_stack(self.host, &name, false) {
                    Err(e) if gone(&e) => true,
                    Err(e) => return Err(e),
                    Ok(s) => s["id"] != id.as_str() || deleted_polls >= 10,
                };
                return Ok(if done {
                    Poll::Done("DELETE_COMPLETE".to_string())
                } else {
                    Poll::pending("DELETE_COMPLETE")
                });
            }
            if quiet_polls >= 2 {
                quiet_polls = 0;
                let stack = match heat::get_stack(self.host, &self.stack, false) {
                    Ok(s) => s,
                    Err(e) if self.action == Some("DELETE") && gone(&e) => {
                        return Ok(Poll::Done("DELETE_COMPLETE".to_string()))
                    }
                    Err(e) => return Err(e),
                };
                let status = stack["stack_status"].as_str().unwrap_or("").to_string();
                if self.stops(&status) {
                    return Ok(Poll::Done(status));
                }
                return Ok(Poll::pending(status));
            }
            Ok(Poll::pending("IN_PROGRESS"))
        })
    }
}

fn gone(e: &Error) -> bool {
    heat::is_not_found(e) || e.to_string().contains("could not be found")
}

/// The error of a wait that ended in `<ACTION>_FAILED`: the stack's status and reason.
pub fn failed(host: &Host, stack: &str, status: &str) -> Error {
    let name = stack.split('/').next().unwrap_or(stack);
    let reason = heat::get_stack(host, stack, false)
        .ok()
        .and_then(|s| s["stack_status_reason"].as_str().map(str::to_string))
        .filter(|r| !r.is_empty());
    match reason {
        Some(r) => Error::other(format!("Stack {name} {status}: {r}")),
        None => Error::other(format!("Stack {name} {status}")),
    }
}

/// Waits as `--wait` does and fails when the action failed.
pub fn wait_for(
    host: &Host,
    stack: &str,
    action: Option<&str>,
    marker: Option<String>,
    poll: Duration,
) -> Result<()> {
    let status = Waiter {
        host,
        stack: stack.to_string(),
        action,
        marker,
        poll,
    }
    .wait()?;
    let failed_status = match action {
        Some(a) => status == format!("{a}_FAILED"),
        None => status.ends_with("_FAILED"),
    };
    if failed_status {
        return Err(failed(host, stack, &status));
    }
    Ok(())
}

/// `stack event list`.
pub fn list(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.str("resource");
    let nested_depth = args.int("nested_depth")?.unwrap_or(0);
    if resource.is_some() && nested_depth != 0 {
        return Err(Error::other(
            "--nested-depth cannot be specified with --resource",
        ));
    }
    // `-f log`, heatclient's default for this command, prints `event_log_formatter` lines.
    let log = args.format() == Some("log");
    if args.flag("follow") && !log {
        return Err(Error::other(
            "--follow can only be specified with --format log",
        ));
    }
    let mut columns = heat::strings(&[
        "id",
        "resource_status",
        "resource_status_reason",
        "event_time",
        "physical_resource_id",
    ]);
    let mut q: Vec<(String, String)> = heat::filter_query(&crate::template::format_parameters(
        &args.list("filter"),
        true,
    )?);
    let mut sort_dir = "asc".to_string();
    let sorts: Vec<String> = args.list("sort");
    let mut client_sort = Vec::new();
    for s in &sorts {
        if let Some(d) = s.strip_prefix(':') {
            client_sort.push(format!("event_time:{d}"));
        } else {
            client_sort.push(s.clone());
            q.push((
                "sort_keys".into(),
                s.split(':').next().unwrap_or("").to_string(),
            ));
        }
    }
    if let Some((_, d)) = sorts.first().and_then(|s| s.split_once(':')) {
        sort_dir = d.to_string();
    }
    q.push(("sort_dir".into(), sort_dir));
    if let Some(m) = args.str("marker") {
        q.push(("marker".into(), m.to_string()));
    }
    if let Some(l) = args.int("limit")?.filter(|l| *l != 0) {
        q.push(("limit".into(), l.to_string()));
    }
    if nested_depth != 0 {
        columns.push("stack_name".into());
        q.push(("nested_depth".into(), nested_depth.to_string()));
    }
    q.sort();
    if args.flag("follow") {
        return follow(host, stack, resource, q);
    }
    let mut events = events_of(host, stack, resource, &q)?;
    if !client_sort.is_empty() {
        heat::sort_items(&mut events, Some(&client_sort.join(",")))?;
    }
    if log {
        let mut text = log_lines(&events, &mut LogContext::default());
        text.push('\n');
        return Ok(Reply::Text(text));
    }
    if let Some(first) = events.first() {
        if first.get("resource_name").is_some() {
            columns.insert(0, "resource_name".into());
            columns.push("logical_resource_id".into());
        } else {
            columns.insert(0, "logical_resource_id".into());
        }
    }
    Ok(heat::table(columns, &events))
}

/// `--follow`: prints new events to standard output every five seconds, until the process
/// is interrupted (the command writes to stdout itself: `"stdout": true`).
fn follow(
    host: &Host,
    stack: &str,
    resource: Option<&str>,
    query: Vec<(String, String)>,
) -> Result<Reply> {
    let mut ctx = LogContext::default();
    let mut marker = query
        .iter()
        .find(|(k, _)| k == "marker")
        .map(|(_, v)| v.clone());
    let base: Vec<(String, String)> = query.into_iter().filter(|(k, _)| k != "marker").collect();
    loop {
        let mut q = base.clone();
        if let Some(m) = &marker {
            q.push(("marker".into(), m.clone()));
        }
        let events = events_of(host, stack, resource, &q)?;
        if let Some(last) = events.last().and_then(|e| e["id"].as_str()) {
            marker = Some(last.to_string());
            let mut out = std::io::stdout();
            let _ = writeln!(out, "{}", log_lines(&events, &mut ctx));
            let _ = out.flush();
        }
        std::thread::sleep(Duration::from_secs(5));
    }
}

/// The events of the stack, or of one of its resources.
fn events_of(
    host: &Host,
    stack: &str,
    resource: Option<&str>,
    q: &[(String, String)],
) -> Result<Vec<Value>> {
    match resource {
        None => get_events(host, stack, q).map_err(|e| not_found_as_is(e, stack)),
        Some(r) => {
            let path = heat::stack_path(host, stack)?;
            let mut req = Request::get(
                SVC,
                format!(
                    "{path}/resources/{}/events",
                    osc_plugin_sdk::osc_api::resource::encode_segment(r)
                ),
            );
            for (k, v) in q {
                req = req.query(k, v);
            }
            Ok(heat::send(host, req)?["events"]
                .as_array()
                .cloned()
                .unwrap_or_default())
        }
    }
}

fn not_found_as_is(e: Error, stack: &str) -> Error {
    match e {
        Error::Http { status: 404, .. } => heat::stack_not_found(stack),
        other => other,
    }
}

/// `stack event show`.
pub fn show(host: &Host, args: &Args) -> Result<Reply> {
    let stack = args.req("stack")?;
    let resource = args.req("resource")?;
    let event = args.req("event")?;
    let enc = osc_plugin_sdk::osc_api::resource::encode_segment;
    let msg = |e: Error| match e {
        Error::Http { message, .. } => Error::other(format!("ERROR: {message}")),
        other => other,
    };
    // heatclient reads the stack, then the resource, then the event; a 404 on any is the
    // engine's message.
    let s = heat::get_stack(host, stack, true).map_err(msg)?;
    let path = format!(
        "/stacks/{}",
        ident(&format!(
            "{}/{}",
            s["stack_name"].as_str().unwrap_or(stack),
            s["id"].as_str().unwrap_or("")
        ))
    );
    get(host, format!("{path}/resources/{}", enc(resource))).map_err(msg)?;
    let body = get(
        host,
        format!("{path}/resources/{}/events/{}", enc(resource), enc(event)),
    )
    .map_err(msg)?;
    let mut ev = body.get("event").cloned().unwrap_or(body);
    // `LinkColumn` and `JsonColumn` in tables.
    if heat::in_table(args) {
        if let Some(links) = ev.get_mut("links") {
            *links = Value::String(heat::link_text(links));
        }
    }
    Ok(heat::dict_record(&ev).style("resource_properties", "json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use osc_plugin_sdk::json;

    #[test]
    fn nested_resources_are_named_by_their_parents() {
        let link =
            |s: &str| json!([{"rel": "stack", "href": format!("http://h/v1/p/stacks/x/{s}")}]);
        let events = vec![
            json!({"id": "e1", "event_time": "2026-12-02T10:00:00Z", "resource_name": "top",
                   "physical_resource_id": "S1", "resource_status": "CREATE_IN_PROGRESS",
                   "resource_status_reason": "Stack CREATE started", "links": link("S1")}),
            json!({"id": "e2", "event_time": "2026-12-02T10:00:01Z", "resource_name": "nest",
                   "physical_resource_id": "S2", "resource_status": "CREATE_IN_PROGRESS",
                   "resource_status_reason": "state changed", "links": link("S1")}),
            json!({"id": "e3", "event_time": "2026-12-02T10:00:02Z", "resource_name": "leaf",
                   "physical_resource_id": "", "resource_status": "CREATE_COMPLETE",
                   "resource_status_reason": "state changed", "links": link("S2")}),
        ];
        let mut ctx = LogContext::default();
        assert_eq!(
            log_lines(&events, &mut ctx),
            "2026-12-02 10:00:00Z e1 [top]: CREATE_IN_PROGRESS  Stack CREATE started\n\
             2026-12-02 10:00:01Z e2 [top.nest]: CREATE_IN_PROGRESS  state changed\n\
             2026-12-02 10:00:02Z e3 [nest.leaf]: CREATE_COMPLETE  state changed"
        );
    }
}
