//! `limit create|delete|list|set|show` and `registered limit create|delete|list|set|show`.
//! Keystone creates limits in batches: the POST body holds a list.

use crate::common::*;
use osc_core::resource::{col, table, Col, Resource};
use osc_core::{Context, Error, Method, Output, Result, Session};
use serde_json::{json, Value};

const LIMIT_SHOW: &[&str] = &[
    "description",
    "id",
    "project_id",
    "region_id",
    "resource_limit",
    "resource_name",
    "service_id",
];
const REG_SHOW: &[&str] = &[
    "default_limit",
    "description",
    "id",
    "region_id",
    "resource_name",
    "service_id",
];

/// POSTs one object to a batch-create collection and returns the created object.
fn create_one(s: &Session, r: &Resource, obj: Value) -> Result<Value> {
    let v = s.post(SVC, r.path, json!({ r.plural: [obj] }))?;
    v[r.plural]
        .as_array()
        .and_then(|a| a.first().cloned())
        .ok_or_else(|| Error::cmd(format!("Keystone returned no {}", r.display)))
}

fn region_id(s: &Session, r: &str) -> Result<String> {
    Ok(REGION.get(s, r)?["id"].as_str().unwrap_or(r).to_string())
}

fn service_id(s: &Session, sv: &str) -> Result<String> {
    Ok(find_service(s, sv)?["id"]
        .as_str()
        .unwrap_or(sv)
        .to_string())
}

/// Create a limit
#[derive(clap::Args)]
pub struct CreateLimit {
    /// Description of the limit
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Region for the limit to affect.
    #[arg(long, value_name = "<region>")]
    region: Option<String>,
    /// Project to associate the resource limit to
    #[arg(long, value_name = "<project>", required = true)]
    project: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Service responsible for the resource to limit
    #[arg(long, value_name = "<service>", required = true)]
    service: String,
    /// The resource limit for the project to assume
    #[arg(
        long = "resource-limit",
        value_name = "<resource-limit>",
        required = true
    )]
    resource_limit: i64,
    /// The name of the resource to limit
    #[arg(value_name = "resource-name")]
    resource_name: String,
}

impl osc_core::Command for CreateLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("resource_name", self.resource_name.clone())
            .set("resource_limit", self.resource_limit);
        b.nonempty("description", &self.description);
        b.set(
            "project_id",
            PROJECTS.id_in(s, &self.project, self.project_domain.as_deref())?,
        );
        b.set("service_id", service_id(s, &self.service)?);
        if let Some(r) = &self.region {
            b.set("region_id", region_id(s, r)?);
        }
        Ok(Output::Show(same_fields(
            &create_one(s, &LIMIT, b.value())?,
            LIMIT_SHOW,
        )))
    }
}

/// Delete a limit
#[derive(clap::Args)]
pub struct DeleteLimit {
    /// Limit to delete (ID)
    #[arg(value_name = "limit-id", required = true)]
    limit_id: Vec<String>,
}

impl osc_core::Command for DeleteLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.limit_id, "limit", "limits", |l| LIMIT.delete(s, l))
    }
}

/// List limits
#[derive(clap::Args)]
pub struct ListLimit {
    /// Service responsible for the resource to limit
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// The name of the resource to limit
    #[arg(long = "resource-name", value_name = "<resource-name>")]
    resource_name: Option<String>,
    /// Region for the registered limit to affect.
    #[arg(long, value_name = "<region>")]
    region: Option<String>,
    /// List resource limits associated with project
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
}

const LIMIT_LIST: &[Col] = &[
    col("ID", "id"),
    col("Project ID", "project_id"),
    col("Service ID", "service_id"),
    col("Resource Name", "resource_name"),
    col("Resource Limit", "resource_limit"),
    col("Description", "description"),
    col("Region ID", "region_id"),
];

impl osc_core::Command for ListLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(sv) = &self.service {
            query.push(q("service_id", service_id(s, sv)?));
        }
        if let Some(r) = &self.region {
            query.push(q("region_id", region_id(s, r)?));
        }
        if let Some(p) = &self.project {
            query.push(q(
                "project_id",
                PROJECTS.id_in(s, p, self.project_domain.as_deref())?,
            ));
        }
        if let Some(n) = &self.resource_name {
            query.push(q("resource_name", n));
        }
        Ok(Output::List(table(&LIMIT.list(s, &query)?, LIMIT_LIST)))
    }
}

/// Update information about a limit
#[derive(clap::Args)]
pub struct SetLimit {
    /// Limit to update (ID)
    #[arg(value_name = "limit-id")]
    limit_id: String,
    /// Description of the limit
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// The resource limit for the project to assume
    #[arg(long = "resource-limit", value_name = "<resource-limit>")]
    resource_limit: Option<i64>,
}

impl osc_core::Command for SetLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.nonempty("description", &self.description)
            .opt("resource_limit", self.resource_limit);
        let l = LIMIT.update(s, &self.limit_id, Method::PATCH, b.value())?;
        Ok(Output::Show(same_fields(&l, LIMIT_SHOW)))
    }
}

/// Display limit details
#[derive(clap::Args)]
pub struct ShowLimit {
    /// Limit to display (ID)
    #[arg(value_name = "limit-id")]
    limit_id: String,
}

impl osc_core::Command for ShowLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(same_fields(
            &LIMIT.get(s, &self.limit_id)?,
            LIMIT_SHOW,
        )))
    }
}

/// Create a registered limit
#[derive(clap::Args)]
pub struct CreateRegisteredLimit {
    /// Description of the registered limit
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Region for the registered limit to affect
    #[arg(long, value_name = "<region>")]
    region: Option<String>,
    /// Service responsible for the resource to limit (required)
    #[arg(long, value_name = "<service>", required = true)]
    service: String,
    /// The default limit for the resources to assume (required)
    #[arg(
        long = "default-limit",
        value_name = "<default-limit>",
        required = true
    )]
    default_limit: i64,
    /// The name of the resource to limit
    #[arg(value_name = "resource-name")]
    resource_name: String,
}

impl osc_core::Command for CreateRegisteredLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.nonempty("description", &self.description);
        b.set("service_id", service_id(s, &self.service)?);
        if let Some(r) = &self.region {
            b.set("region_id", region_id(s, r)?);
        }
        b.set("resource_name", self.resource_name.clone())
            .set("default_limit", self.default_limit);
        Ok(Output::Show(same_fields(
            &create_one(s, &REGISTERED_LIMIT, b.value())?,
            REG_SHOW,
        )))
    }
}

/// Delete a registered limit
#[derive(clap::Args)]
pub struct DeleteRegisteredLimit {
    /// Registered limit to delete (ID) (repeat option to remove multiple registered limits)
    #[arg(value_name = "registered-limit-id", required = true)]
    registered_limits: Vec<String>,
}

impl osc_core::Command for DeleteRegisteredLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.registered_limits,
            "registered limit",
            "registered limits",
            |l| REGISTERED_LIMIT.delete(s, l),
        )
    }
}

/// List registered limits
#[derive(clap::Args)]
pub struct ListRegisteredLimit {
    /// Service responsible for the resource to limit
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// The name of the resource to limit
    #[arg(long = "resource-name", value_name = "<resource-name>")]
    resource_name: Option<String>,
    /// Region for the limit to affect.
    #[arg(long, value_name = "<region>")]
    region: Option<String>,
}

const REG_LIST: &[Col] = &[
    col("ID", "id"),
    col("Service ID", "service_id"),
    col("Resource Name", "resource_name"),
    col("Default Limit", "default_limit"),
    col("Description", "description"),
    col("Region ID", "region_id"),
];

impl osc_core::Command for ListRegisteredLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(sv) = &self.service {
            query.push(q("service_id", service_id(s, sv)?));
        }
        if let Some(r) = &self.region {
            query.push(q("region_id", region_id(s, r)?));
        }
        if let Some(n) = &self.resource_name {
            query.push(q("resource_name", n));
        }
        Ok(Output::List(table(
            &REGISTERED_LIMIT.list(s, &query)?,
            REG_LIST,
        )))
    }
}

/// Update information about a registered limit
#[derive(clap::Args)]
pub struct SetRegisteredLimit {
    /// Registered limit to update (ID)
    #[arg(value_name = "registered-limit-id")]
    registered_limit_id: String,
    /// Service to be updated responsible for the resource to limit. Either --service, --resource-name or --region must be different than existing value otherwise it will be duplicate entry
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// Resource to be updated responsible for the resource to limit. Either --service, --resource-name or --region must be different than existing value otherwise it will be duplicate entry
    #[arg(long = "resource-name", value_name = "<resource-name>")]
    resource_name: Option<String>,
    /// The default limit for the resources to assume
    #[arg(long = "default-limit", value_name = "<default-limit>")]
    default_limit: Option<i64>,
    /// Description to update of the registered limit
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
    /// Region for the registered limit to affect. Either --service, --resource-name or --region must be different than existing value otherwise it will be duplicate entry
    #[arg(long, value_name = "<region>")]
    region: Option<String>,
}

impl osc_core::Command for SetRegisteredLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        if let Some(sv) = &self.service {
            b.set("service_id", service_id(s, sv)?);
        }
        b.nonempty("resource_name", &self.resource_name);
        // As OSC: a default limit of 0 is not sent.
        b.opt("default_limit", self.default_limit.filter(|d| *d != 0));
        b.nonempty("description", &self.description);
        if let Some(r) = &self.region {
            b.set("region_id", region_id(s, r)?);
        }
        let l = REGISTERED_LIMIT.update(s, &self.registered_limit_id, Method::PATCH, b.value())?;
        Ok(Output::Show(same_fields(&l, REG_SHOW)))
    }
}

/// Display registered limit details
#[derive(clap::Args)]
pub struct ShowRegisteredLimit {
    /// Registered limit to display (ID)
    #[arg(value_name = "registered-limit-id")]
    registered_limit_id: String,
}

impl osc_core::Command for ShowRegisteredLimit {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(same_fields(
            &REGISTERED_LIMIT.get(s, &self.registered_limit_id)?,
            REG_SHOW,
        )))
    }
}
