//! `region create|delete|list|set|show`.

use crate::common::*;
use osc_core::resource::{col, Filter, ListSpec};
use osc_core::{Context, Method, Output, Result};
use serde_json::Value;

fn record(v: &Value) -> Output {
    Output::Show(fields(
        v,
        &[
            ("region", "id"),
            ("description", "description"),
            ("parent_region", "parent_region_id"),
        ],
    ))
}

/// Create new region
#[derive(clap::Args)]
pub struct CreateRegion {
    /// New region ID
    #[arg(value_name = "region-id")]
    region: String,
    /// Parent region ID
    #[arg(long = "parent-region", value_name = "<region-id>")]
    parent_region: Option<String>,
    /// New region description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for CreateRegion {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("id", self.region.clone())
            .opt("parent_region_id", self.parent_region.clone());
        b.opt("description", self.description.clone());
        Ok(record(&REGION.create(s, b.value())?))
    }
}

/// Delete region(s)
#[derive(clap::Args)]
pub struct DeleteRegion {
    /// Region ID(s) to delete
    #[arg(value_name = "region-id", required = true)]
    region: Vec<String>,
}

impl osc_core::Command for DeleteRegion {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.region, "region", "regions", |r| REGION.delete(s, r))
    }
}

/// Set region properties
#[derive(clap::Args)]
pub struct SetRegion {
    /// Region to modify
    #[arg(value_name = "region-id")]
    region: String,
    /// New parent region ID
    #[arg(long = "parent-region", value_name = "<region-id>")]
    parent_region: Option<String>,
    /// New region description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for SetRegion {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.nonempty("description", &self.description)
            .nonempty("parent_region_id", &self.parent_region);
        REGION.update(s, &self.region, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display region details
#[derive(clap::Args)]
pub struct ShowRegion {
    /// Region to display
    #[arg(value_name = "region-id")]
    region: String,
}

impl osc_core::Command for ShowRegion {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(record(&REGION.get(s, &self.region)?))
    }
}

/// `region list` is a plain listing with one filter.
pub const LIST: ListSpec = ListSpec {
    resource: REGION,
    columns: &[
        col("Region", "id"),
        col("Parent Region", "parent_region_id"),
        col("Description", "description"),
    ],
    long_columns: &[],
    filters: &[Filter {
        flag: "parent-region",
        query: "parent_region_id",
        help: "Filter by parent region ID",
    }],
};
