//! `image task list` and `image task show`.

use crate::common::SVC;
use osc_core::resource::{col, encode_segment, table, Resource};
use osc_core::{Cell, Context, Output, Record, Result};
use serde_json::{Map, Value};

const TASK: Resource = Resource::new(SVC, "/tasks", "", "tasks")
    .display("task")
    .name_query(None);

/// Task fields OSC shows; every other field (but location/name/schema) goes into
/// `properties`. `owner_id` is Glance's `owner`.
fn task_record(t: &Value) -> Record {
    let mut fields: Vec<(String, Cell)> = Vec::new();
    let get = |k: &str| t.get(k).cloned().unwrap_or(Value::Null);
    for k in [
        "created_at",
        "expires_at",
        "id",
        "input",
        "message",
        "result",
        "status",
        "type",
        "updated_at",
    ] {
        fields.push((k.to_string(), Cell::raw(get(k))));
    }
    fields.push(("owner_id".into(), Cell::raw(get("owner"))));
    let mut props = Map::new();
    if let Some(o) = t.as_object() {
        for (k, v) in o {
            let known = [
                "created_at",
                "expires_at",
                "id",
                "input",
                "message",
                "result",
                "status",
                "type",
                "updated_at",
                "owner",
                "location",
                "name",
                "schema",
                "self",
            ];
            if !known.contains(&k.as_str()) {
                props.insert(k.clone(), v.clone());
            }
        }
    }
    fields.push(("properties".into(), Cell::dict(Value::Object(props))));
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    Record { fields }
}

#[derive(clap::Args, Debug)]
pub struct ShowTask {
    /// Task to display (ID)
    #[arg(value_name = "Task ID")]
    task: String,
}

impl osc_core::Command for ShowTask {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let t = s.get(SVC, &format!("/tasks/{}", encode_segment(&self.task)))?;
        Ok(Output::Show(task_record(&t)))
    }
}

#[derive(clap::Args, Debug)]
pub struct ListTask {
    /// Sorts the response by one of the following attributes: created_at, expires_at, id,
    /// status, type, updated_at. (default is created_at) (multiple keys and directions can
    /// be specified separated by comma)
    #[arg(long, value_name = "<key>[:<field>]")]
    sort_key: Option<String>,
    /// Sort output by selected keys and directions (asc or desc) (default: name:desc)
    /// (multiple keys and directions can be specified separated by comma)
    #[arg(long, value_name = "<key>[:<direction>]")]
    sort_dir: Option<String>,
    /// The maximum number of entries to return per page. If the value exceeds the
    /// server-defined maximum, then the server-defined value will be used. Note that this
    /// controls the page size, not the total number of entries returned. Use --max-items to
    /// limit the total number of entries returned.
    #[arg(long, value_name = "limit", value_parser = clap::value_parser!(u64))]
    limit: Option<u64>,
    /// The first position in the collection to return results from. This should be a value
    /// that was returned in a previous request.
    #[arg(long, value_name = "marker")]
    marker: Option<String>,
    /// The maximum number of entries to return in total, paging through multiple requests
    /// if needed. Use --limit to control the page size.
    #[arg(long, value_name = "max-items", value_parser = clap::value_parser!(u64))]
    max_items: Option<u64>,
    /// Filters the response by a task type.
    #[arg(long = "type", value_name = "type", value_parser = ["import"])]
    task_type: Option<String>,
    /// Filter tasks based on status.
    #[arg(long, value_name = "status", value_parser = ["pending", "processing", "success", "failure"])]
    status: Option<String>,
}

impl osc_core::Command for ListTask {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut q: Vec<(String, String)> = Vec::new();
        for (k, v) in [
            ("sort_key", &self.sort_key),
            ("sort_dir", &self.sort_dir),
            ("marker", &self.marker),
            ("type", &self.task_type),
            ("status", &self.status),
        ] {
            if let Some(v) = v {
                q.push((k.into(), v.clone()));
            }
        }
        if let Some(l) = self.limit {
            q.push(("limit".into(), l.to_string()));
        }
        let mut tasks = TASK.list(s, &q)?;
        if let Some(m) = self.max_items {
            tasks.truncate(m as usize);
        }
        Ok(Output::List(table(
            &tasks,
            &[
                col("ID", "id"),
                col("Type", "type"),
                col("Status", "status"),
                col("Owner", "owner"),
            ],
        )))
    }
}
