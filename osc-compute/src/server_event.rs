//! `server event list|show` (instance actions).

use crate::common::{self, mv};
use crate::server::{find_id, server_path};
use osc_core::resource::encode_segment;
use osc_core::{Cell, Command, Context, Output, Record, Result, Session, Table};
use serde_json::{Map, Value};

fn is_uuid_like(v: &str) -> bool {
    let hex: String = v
        .trim_start_matches("urn:")
        .trim_start_matches("uuid:")
        .trim_matches(['{', '}'])
        .replace('-', "");
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// The server's ID; a UUID that no longer finds a server may be a deleted one (2.21+).
fn server_id(s: &Session, server: &str) -> Result<String> {
    match find_id(s, server, false) {
        Err(e) if e.is_not_found() && is_uuid_like(server) => Ok(server.to_string()),
        other => other,
    }
}

fn actions_path(id: &str) -> String {
    format!("{}/os-instance-actions", server_path(id))
}

/// List recent events of a server.
#[derive(clap::Args)]
pub struct ListServerEvent {
    /// Server to list events (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// List additional fields in output
    #[arg(long)]
    long: bool,
    /// List only server events changed later or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``. (supported with --os-compute-api-version 2.58 or above)
    #[arg(long = "changes-since", value_name = "changes-since")]
    changes_since: Option<String>,
    /// List only server events changed earlier or equal to a certain point of time. The provided time should be an ISO 8061 formatted time, e.g. ``2016-03-04T06:27:59Z``. (supported with --os-compute-api-version 2.66 or above)
    #[arg(long = "changes-before", value_name = "changes-before")]
    changes_before: Option<String>,
    /// The maximum number of entries to return per page.
    #[arg(long, value_name = "limit", value_parser = common::non_negative)]
    limit: Option<u64>,
    /// The first position in the collection to return results from.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests if needed.
    #[arg(long = "max-items", value_name = "max-items", value_parser = common::non_negative)]
    max_items: Option<u64>,
}

impl Command for ListServerEvent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(m) = &self.marker {
            common::require(s, "2.58", "the --marker option")?;
            q.push(("marker".into(), m.clone()));
        }
        if let Some(l) = self.limit.filter(|l| *l > 0) {
            common::require(s, "2.58", "the --limit option")?;
            q.push(("limit".into(), l.to_string()));
        }
        if let Some(c) = &self.changes_since {
            common::require(s, "2.58", "the --changes-since option")?;
            common::check_time(c, "changes-since")?;
            q.push(("changes-since".into(), c.clone()));
        }
        if let Some(c) = &self.changes_before {
            common::require(s, "2.66", "the --changes-before option")?;
            common::check_time(c, "changes-before")?;
            q.push(("changes-before".into(), c.clone()));
        }
        let id = server_id(s, &self.server)?;
        let paginate = self.limit.is_none_or(|l| l == 0);
        let data = common::list_limited(
            s,
            &actions_path(&id),
            "instanceActions",
            &q,
            mv::SERVER_ACTION,
            paginate,
            self.max_items.map(|n| n as usize),
            osc_core::page::Fields::All,
        )?;
        let mut cols = vec!["Request ID", "Server ID", "Action", "Start Time"];
        if self.long {
            cols.extend(["Message", "Project ID", "User ID"]);
        }
        let mut t = Table::new(cols);
        for a in &data {
            let get = |k: &str| Cell::raw(a.get(k).cloned().unwrap_or(Value::Null));
            let mut row = vec![
                get("request_id"),
                Cell::raw(id.clone()),
                get("action"),
                get("start_time"),
            ];
            if self.long {
                row.extend([get("message"), get("project_id"), get("user_id")]);
            }
            t.rows.push(row);
        }
        Ok(Output::List(t))
    }
}

/// Show server event details.
#[derive(clap::Args)]
pub struct ShowServerEvent {
    /// Server to show event details (name or ID)
    #[arg(value_name = "server")]
    server: String,
    /// Request ID of the event to show (ID only)
    #[arg(value_name = "request-id")]
    request_id: String,
}

/// One event as openstacksdk's ServerActionEvent without id/name/location, keys sorted.
fn event(e: &Value) -> Value {
    let mut m = Map::new();
    for k in [
        "details",
        "event",
        "finish_time",
        "host",
        "hostId",
        "result",
        "start_time",
        "traceback",
    ] {
        let out = if k == "hostId" { "host_id" } else { k };
        m.insert(out.to_string(), e.get(k).cloned().unwrap_or(Value::Null));
    }
    let mut sorted: Vec<(String, Value)> = m.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(sorted.into_iter().collect())
}

impl Command for ShowServerEvent {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = server_id(s, &self.server)?;
        let r = common::get(
            s,
            &format!("{}/{}", actions_path(&id), encode_segment(&self.request_id)),
            mv::SERVER_ACTION,
        )?;
        let a = common::unwrap_key(r, "instanceAction");
        let get = |k: &str| a.get(k).cloned().unwrap_or(Value::Null);
        let events: Vec<Value> = a
            .get("events")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(event).collect())
            .unwrap_or_default();
        let mut rec = Record::new()
            .with("action", get("action"))
            .with(
                "events",
                crate::common::list_dict_cell(Value::Array(events)),
            )
            .with("id", get("request_id"))
            .with("message", get("message"))
            .with("project_id", get("project_id"))
            .with("request_id", get("request_id"))
            .with("start_time", get("start_time"));
        rec.push("user_id", get("user_id"));
        Ok(Output::Show(rec))
    }
}
