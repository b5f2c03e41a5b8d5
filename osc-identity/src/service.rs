//! `service create|delete|list|set|show`.

use crate::common::*;
use osc_core::resource::{col, ListSpec};
use osc_core::{Context, Method, Output, Result};
use serde_json::Value;

const SHOW: &[&str] = &["id", "name", "type", "enabled", "description"];

fn record(v: &Value) -> Output {
    Output::Show(same_fields(v, SHOW))
}

/// Create new service
#[derive(clap::Args)]
pub struct CreateService {
    /// New service type (compute, image, identity, volume, etc)
    #[arg(value_name = "type")]
    r#type: String,
    /// New service name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// New service description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable service (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable service
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for CreateService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.opt("name", self.name.clone())
            .set("type", self.r#type.clone())
            .opt("description", self.description.clone());
        b.set("enabled", !self.disable);
        Ok(record(&SERVICE.create(s, b.value())?))
    }
}

/// Delete service(s)
#[derive(clap::Args)]
pub struct DeleteService {
    /// Service(s) to delete (type, name or ID)
    #[arg(value_name = "service", required = true)]
    service: Vec<String>,
}

impl osc_core::Command for DeleteService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.service, "service", "services", |n| {
            let svc = find_service(s, n)?;
            SERVICE.delete(s, svc["id"].as_str().unwrap_or(n))
        })
    }
}

/// Set service properties
#[derive(clap::Args)]
pub struct SetService {
    /// Service to modify (type, name or ID)
    #[arg(value_name = "service")]
    service: String,
    /// New service type (compute, image, identity, volume, etc)
    #[arg(long, value_name = "<type>")]
    r#type: Option<String>,
    /// New service name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// New service description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable service
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable service
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for SetService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let svc = find_service(s, &self.service)?;
        let mut b = Body::new();
        b.nonempty("type", &self.r#type)
            .nonempty("name", &self.name)
            .nonempty("description", &self.description);
        b.opt("enabled", enabled(self.enable, self.disable));
        SERVICE.update(
            s,
            svc["id"].as_str().unwrap_or(&self.service),
            Method::PATCH,
            b.value(),
        )?;
        Ok(Output::None)
    }
}

/// Display service details
#[derive(clap::Args)]
pub struct ShowService {
    /// Service to display (type, name or ID)
    #[arg(value_name = "service")]
    service: String,
}

impl osc_core::Command for ShowService {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(record(&find_service(s, &self.service)?))
    }
}

/// `service list` is a plain listing.
pub const LIST: ListSpec = ListSpec {
    resource: SERVICE,
    columns: &[col("ID", "id"), col("Name", "name"), col("Type", "type")],
    long_columns: &[
        col("ID", "id"),
        col("Name", "name"),
        col("Type", "type"),
        col("Description", "description"),
        col("Enabled", "enabled"),
    ],
    filters: &[],
};
