//! `endpoint create|delete|list|set|show`, `endpoint add|remove project`.

use crate::common::*;
use osc_core::resource::{col, list_all, table, Col};
use osc_core::{Cell, Context, Error, Method, Output, Request, Result, Session};
use serde_json::Value;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Interface {
    Admin,
    Public,
    Internal,
}

impl Interface {
    fn as_str(self) -> &'static str {
        match self {
            Interface::Admin => "admin",
            Interface::Public => "public",
            Interface::Internal => "internal",
        }
    }
}

fn record(ep: &Value, svc: &Value) -> Output {
    let mut r = fields(
        ep,
        &[
            ("enabled", "enabled"),
            ("id", "id"),
            ("interface", "interface"),
            ("region", "region_id"),
            ("region_id", "region_id"),
            ("service_id", "service_id"),
            ("url", "url"),
        ],
    );
    r.push(
        "service_name",
        Cell::raw(
            svc.get("name")
                .cloned()
                .unwrap_or(Value::String(String::new())),
        ),
    );
    r.push("service_type", Cell::raw(svc["type"].clone()));
    Output::Show(r)
}

/// An endpoint by ID, or the only endpoint of a service given by ID, name or type.
fn find_endpoint(s: &Session, id: &str) -> Result<Value> {
    match ENDPOINT.get(s, id) {
        Ok(v) => return Ok(v),
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(e),
    }
    let not_found = || Error::NotFound(format!("No endpoint with an ID of '{id}' exists."));
    let svc = find_service(s, id).map_err(|_| not_found())?;
    let eps = ENDPOINT.list(s, &[q("service_id", svc["id"].as_str().unwrap_or(""))])?;
    match eps.len() {
        1 => Ok(eps.into_iter().next().unwrap_or_default()),
        0 => Err(not_found()),
        n => Err(Error::Ambiguous(format!(
            "Service '{id}' has {n} endpoints; use an endpoint ID instead"
        ))),
    }
}

fn endpoint_id(s: &Session, id: &str) -> Result<String> {
    Ok(find_endpoint(s, id)?["id"]
        .as_str()
        .unwrap_or(id)
        .to_string())
}

/// Endpoint/project association arguments.
#[derive(clap::Args)]
pub struct EndpointProject {
    /// Endpoint to associate with specified project (name or ID)
    #[arg(value_name = "endpoint")]
    endpoint: String,
    /// Project to associate with specified endpoint name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
}

impl EndpointProject {
    fn apply(&self, ctx: &Context, method: Method) -> Result<Output> {
        let s = ctx.session()?;
        let eid = endpoint_id(s, &self.endpoint)?;
        let pid = PROJECTS.id_in(s, &self.project, self.project_domain.as_deref())?;
        s.send(Request::new(
            method,
            SVC,
            format!("/OS-EP-FILTER/projects/{pid}/endpoints/{eid}"),
        ))?;
        Ok(Output::None)
    }
}

/// Associate a project to an endpoint
#[derive(clap::Args)]
pub struct AddProjectToEndpoint {
    #[command(flatten)]
    a: EndpointProject,
}

impl osc_core::Command for AddProjectToEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.a.apply(ctx, Method::PUT)
    }
}

/// Dissociate a project from an endpoint
#[derive(clap::Args)]
pub struct RemoveProjectFromEndpoint {
    #[command(flatten)]
    a: EndpointProject,
}

impl osc_core::Command for RemoveProjectFromEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.a.apply(ctx, Method::DELETE)
    }
}

/// Create new endpoint
#[derive(clap::Args)]
pub struct CreateEndpoint {
    /// Service to be associated with new endpoint (name or ID)
    #[arg(value_name = "service")]
    service: String,
    /// New endpoint interface type (admin, public or internal)
    #[arg(value_name = "interface", value_enum)]
    interface: Interface,
    /// New endpoint URL
    #[arg(value_name = "url")]
    url: String,
    /// New endpoint region ID
    #[arg(long, value_name = "<region-id>")]
    region: Option<String>,
    /// Enable endpoint (default)
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable endpoint
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for CreateEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let svc = find_service(s, &self.service)?;
        let mut b = Body::new();
        b.set("service_id", svc["id"].clone())
            .set("url", self.url.clone())
            .set("interface", self.interface.as_str());
        b.set("enabled", !self.disable);
        if let Some(r) = &self.region {
            let region = REGION.get(s, r)?;
            b.set("region_id", region["id"].clone());
        }
        let ep = ENDPOINT.create(s, b.value())?;
        Ok(record(&ep, &svc))
    }
}

/// Delete endpoint(s)
#[derive(clap::Args)]
pub struct DeleteEndpoint {
    /// Endpoint(s) to delete (ID only)
    #[arg(value_name = "endpoint-id", required = true)]
    endpoint: Vec<String>,
}

impl osc_core::Command for DeleteEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.endpoint, "endpoint", "endpoints", |e| {
            let id = endpoint_id(s, e)?;
            ENDPOINT.delete(s, &id)
        })
    }
}

/// List endpoints
#[derive(clap::Args)]
pub struct ListEndpoint {
    /// Filter by service (type, name or ID)
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// Filter by interface type (admin, public or internal)
    #[arg(long, value_name = "<interface>", value_enum)]
    interface: Option<Interface>,
    /// Filter by region ID
    #[arg(long, value_name = "<region-id>")]
    region: Option<String>,
    /// Endpoint to list filters
    #[arg(long, value_name = "<endpoint-group>", conflicts_with = "project")]
    endpoint: Option<String>,
    /// Project to list filters (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
}

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Region", "region_id"),
    col("Service Name", "service_name"),
    col("Service Type", "service_type"),
    col("Enabled", "enabled"),
    col("Interface", "interface"),
    col("URL", "url"),
];

impl osc_core::Command for ListEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if let Some(e) = &self.endpoint {
            let eid = endpoint_id(s, e)?;
            let projects = list_all(
                s,
                SVC,
                &format!("/OS-EP-FILTER/endpoints/{eid}/projects"),
                "projects",
                &[],
            )?;
            return Ok(Output::List(table(
                &projects,
                &[col("ID", "id"), col("Name", "name")],
            )));
        }
        let mut query = Vec::new();
        if let Some(sv) = &self.service {
            query.push(q(
                "service_id",
                find_service(s, sv)?["id"].as_str().unwrap_or(sv),
            ));
        }
        if let Some(i) = self.interface {
            query.push(q("interface", i.as_str()));
        }
        if let Some(r) = &self.region {
            query.push(q(
                "region_id",
                REGION.get(s, r)?["id"].as_str().unwrap_or(r),
            ));
        }
        let mut data = match &self.project {
            Some(p) => {
                let pid = PROJECTS.id_in(s, p, self.project_domain.as_deref())?;
                list_all(
                    s,
                    SVC,
                    &format!("/OS-EP-FILTER/projects/{pid}/endpoints"),
                    "endpoints",
                    &[],
                )?
            }
            None => ENDPOINT.list(s, &query)?,
        };
        // Service names and types come from one service listing, not one GET per endpoint.
        let services = SERVICE.list(s, &[])?;
        for ep in &mut data {
            let svc = services
                .iter()
                .find(|v| v["id"] == ep["service_id"])
                .cloned()
                .unwrap_or(Value::Null);
            if let Some(m) = ep.as_object_mut() {
                m.insert(
                    "service_name".into(),
                    svc.get("name")
                        .cloned()
                        .unwrap_or(Value::String(String::new())),
                );
                m.insert("service_type".into(), svc["type"].clone());
            }
        }
        Ok(Output::List(table(&data, LIST)))
    }
}

/// Set endpoint properties
#[derive(clap::Args)]
pub struct SetEndpoint {
    /// Endpoint to modify (ID only)
    #[arg(value_name = "endpoint-id")]
    endpoint: String,
    /// New endpoint region ID
    #[arg(long, value_name = "<region-id>")]
    region: Option<String>,
    /// New endpoint interface type (admin, public or internal)
    #[arg(long, value_name = "<interface>", value_enum)]
    interface: Option<Interface>,
    /// New endpoint URL
    #[arg(long, value_name = "<url>")]
    url: Option<String>,
    /// New endpoint service (name or ID)
    #[arg(long, value_name = "<service>")]
    service: Option<String>,
    /// Enable endpoint
    #[arg(long, conflicts_with = "disable")]
    enable: bool,
    /// Disable endpoint
    #[arg(long)]
    disable: bool,
}

impl osc_core::Command for SetEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = endpoint_id(s, &self.endpoint)?;
        let mut b = Body::new();
        if let Some(sv) = &self.service {
            b.set("service_id", find_service(s, sv)?["id"].clone());
        }
        b.opt("enabled", enabled(self.enable, self.disable));
        b.nonempty("url", &self.url)
            .opt("interface", self.interface.map(|i| i.as_str()))
            .nonempty("region_id", &self.region);
        ENDPOINT.update(s, &id, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display endpoint details
#[derive(clap::Args)]
pub struct ShowEndpoint {
    /// Endpoint to display (endpoint ID, service ID, service name, service type)
    #[arg(value_name = "endpoint")]
    endpoint: String,
}

impl osc_core::Command for ShowEndpoint {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let ep = find_endpoint(s, &self.endpoint)?;
        let svc = find_service(s, ep["service_id"].as_str().unwrap_or(""))?;
        Ok(record(&ep, &svc))
    }
}
