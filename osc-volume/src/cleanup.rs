//! `block storage cleanup` (3.24+).

use crate::common::*;
use osc_core::resource::Resource;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Method, Output, Result, Table};
use serde_json::{json, Map, Value};

const WORKERS: Resource = Resource::new(BS, "/workers/cleanup", "", "").max_microversion("3.24");

/// Do block storage cleanup.
///
/// This command requires ``--os-volume-api-version`` 3.24 or greater.
#[derive(clap::Args)]
pub struct BlockStorageCleanup {
    /// Name of block storage cluster in which cleanup needs to be performed (name only)
    #[arg(long, value_name = "cluster")]
    cluster: Option<String>,
    /// Host where the service resides. (name only)
    #[arg(long, value_name = "host")]
    host: Option<String>,
    /// Name of the service binary.
    #[arg(long, value_name = "binary")]
    binary: Option<String>,
    /// Filter by up status. If this is set, services need to be up.
    #[arg(long, conflicts_with = "down")]
    up: bool,
    /// Filter by down status. If this is set, services need to be down.
    #[arg(long)]
    down: bool,
    /// Filter by disabled status.
    #[arg(long, conflicts_with = "enabled")]
    disabled: bool,
    /// Filter by enabled status.
    #[arg(long)]
    enabled: bool,
    /// UUID of a resource to cleanup.
    #[arg(long, value_name = "resource-id")]
    resource_id: Option<String>,
    /// Type of resource to cleanup.
    #[arg(long, value_name = "Volume|Snapshot", value_parser = ["Volume", "Snapshot"])]
    resource_type: Option<String>,
    /// The service ID field from the DB, not the UUID of the service.
    #[arg(long, value_name = "SERVICE_ID")]
    service_id: Option<i64>,
}

impl osc_core::Command for BlockStorageCleanup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        require(s, "3.24", "to support the 'block storage cleanup' command")?;
        let mut body = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                body.insert(k.to_string(), v);
            }
        };
        put("cluster_name", self.cluster.as_ref().map(|v| json!(v)));
        put("host", self.host.as_ref().map(|v| json!(v)));
        put("binary", self.binary.as_ref().map(|v| json!(v)));
        put("is_up", (self.up || self.down).then(|| json!(self.up)));
        put(
            "disabled",
            (self.disabled || self.enabled).then(|| json!(self.disabled)),
        );
        put("resource_id", self.resource_id.as_ref().map(|v| json!(v)));
        put(
            "resource_type",
            self.resource_type.as_ref().map(|v| json!(v)),
        );
        put("service_id", self.service_id.map(|v| json!(v)));
        let r = s.json(
            WORKERS
                .request(s, Method::POST, "/workers/cleanup")?
                .json(Value::Object(body)),
        )?;
        let mut t = Table::new(["ID", "Cluster Name", "Host", "Binary", "Status"]);
        for (key, status) in [("cleaning", "Cleaning"), ("unavailable", "Unavailable")] {
            for o in r[key].as_array().map(Vec::as_slice).unwrap_or(&[]) {
                t.rows.push(vec![
                    Cell::raw(o["id"].clone()),
                    Cell::raw(o["cluster_name"].clone()),
                    Cell::raw(o["host"].clone()),
                    Cell::raw(o["binary"].clone()),
                    Cell::raw(json!(status)),
                ]);
            }
        }
        Ok(Output::List(t))
    }
}
