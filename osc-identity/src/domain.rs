//! `domain create|delete|list|set|show`.

use crate::common::*;
use osc_core::resource::{col, table, Col};
use osc_core::{Context, Method, Output, Result};
use serde_json::{json, Value};

const SHOW: &[&str] = &["id", "name", "enabled", "description", "options"];

fn record(d: &Value) -> Output {
    Output::Show(same_fields(d, SHOW))
}

/// Create new domain
#[derive(clap::Args)]
pub struct CreateDomain {
    /// New domain name
    #[arg(value_name = "domain-name")]
    name: String,
    /// New domain description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable domain (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable domain
    #[arg(long)]
    disable: bool,
    /// Return existing domain
    #[arg(long = "or-show")]
    or_show: bool,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
}

impl osc_core::Command for CreateDomain {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("name", self.name.clone())
            .opt("description", self.description.clone());
        b.set(
            "options",
            immutable_options(self.immutable, self.no_immutable).unwrap_or(json!({})),
        );
        b.set("enabled", !self.disable);
        let d = match DOMAIN.create(s, b.value()) {
            Ok(d) => d,
            Err(e) if e.status() == Some(409) && self.or_show => {
                osc_core::log::info(&format!("Returning existing domain {}", self.name));
                DOMAIN.find(s, &self.name)?
            }
            Err(e) => return Err(e),
        };
        Ok(record(&d))
    }
}

/// Delete domain(s)
#[derive(clap::Args)]
pub struct DeleteDomain {
    /// Domain(s) to delete (name or ID)
    #[arg(value_name = "domain", required = true)]
    domain: Vec<String>,
}

impl osc_core::Command for DeleteDomain {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.domain, "domain", "domains", |d| {
            let id = DOMAIN.find_id(s, d)?;
            DOMAIN.delete(s, &id)
        })
    }
}

/// List domains
#[derive(clap::Args)]
pub struct ListDomain {
    /// The domain name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// The domains that are enabled will be returned
    #[arg(long)]
    enabled: bool,
}

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Enabled", "enabled"),
    col("Description", "description"),
];

impl osc_core::Command for ListDomain {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(n) = &self.name {
            query.push(q("name", n));
        }
        if self.enabled {
            query.push(q("enabled", "true"));
        }
        Ok(Output::List(table(&DOMAIN.list(s, &query)?, LIST)))
    }
}

/// Set domain properties
#[derive(clap::Args)]
pub struct SetDomain {
    /// Domain to modify (name or ID)
    #[arg(value_name = "domain")]
    domain: String,
    /// New domain name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// New domain description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Enable domain
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable domain
    #[arg(long)]
    disable: bool,
    /// Make resource immutable. An immutable project may not be deleted or modified except to remove the immutable flag
    #[arg(long, conflicts_with = "no_immutable")]
    immutable: bool,
    /// Make resource mutable (default)
    #[arg(long = "no-immutable")]
    no_immutable: bool,
}

impl osc_core::Command for SetDomain {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = DOMAIN.find_id(s, &self.domain)?;
        let mut b = Body::new();
        b.nonempty("name", &self.name)
            .nonempty("description", &self.description);
        b.opt("enabled", enabled(self.enable, self.disable));
        b.opt(
            "options",
            immutable_options(self.immutable, self.no_immutable),
        );
        DOMAIN.update(s, &id, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display domain details
#[derive(clap::Args)]
pub struct ShowDomain {
    /// Domain to display (name or ID)
    #[arg(value_name = "domain")]
    domain: String,
}

impl osc_core::Command for ShowDomain {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(record(&DOMAIN.find(s, &self.domain)?))
    }
}
