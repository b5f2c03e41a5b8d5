//! `block storage resource filter list/show` (3.33+).

use crate::common::*;
use osc_core::resource::Resource;
use osc_core::resource::ResourceRequest;
use osc_core::{Cell, Context, Error, Method, Output, Record, Result, Table};
use serde_json::Value;

const RESOURCE_FILTERS: Resource =
    Resource::new(BS, "/resource_filters", "", "resource_filters").max_microversion("3.33");

fn filters(ctx: &Context, cmd: &str, resource: Option<&str>) -> Result<Vec<Value>> {
    let s = ctx.session()?;
    require(
        s,
        "3.33",
        &format!("to support the 'block storage resource filter {cmd}' command"),
    )?;
    let mut req = RESOURCE_FILTERS.request(s, Method::GET, "/resource_filters")?;
    if let Some(r) = resource {
        req = req.query("resource", r);
    }
    Ok(s.json(req)?["resource_filters"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

/// List block storage resource filters
#[derive(clap::Args)]
pub struct ListBlockStorageResourceFilter {}

impl osc_core::Command for ListBlockStorageResourceFilter {
    fn run(self, ctx: &Context) -> Result<Output> {
        let mut t = Table::new(["Resource", "Filters"]);
        for f in filters(ctx, "list", None)? {
            t.rows.push(vec![
                Cell::raw(f["resource"].clone()),
                Cell::list(f["filters"].clone()),
            ]);
        }
        Ok(Output::List(t))
    }
}

/// Show filters for a block storage resource type
#[derive(clap::Args)]
pub struct ShowBlockStorageResourceFilter {
    /// Resource to show filters for (name).
    #[arg(value_name = "resource")]
    resource: String,
}

impl osc_core::Command for ShowBlockStorageResourceFilter {
    fn run(self, ctx: &Context) -> Result<Output> {
        let items = filters(ctx, "show", Some(&self.resource))?;
        let Some(f) = items.into_iter().next() else {
            return Err(Error::NotFound(format!(
                "No resource filter with a name of {}' exists.",
                self.resource
            )));
        };
        Ok(Output::Show(
            Record::new()
                .with("Resource", f["resource"].clone())
                .with("Filters", Cell::list(f["filters"].clone())),
        ))
    }
}
