//! `endpoint group create|delete|list|set|show`, `endpoint group add|remove project`.

use crate::common::*;
use osc_core::resource::{col, list_all, table, Col};
use osc_core::{Context, Error, Method, Output, Request, Result, Session};
use serde_json::Value;

const SHOW: &[&str] = &["description", "filters", "id", "name"];

fn read_filters(path: &str) -> Result<Value> {
    let text = read_file(path)?;
    serde_json::from_str(&text).map_err(|e| Error::cmd(format!("{path}: {e}")))
}

fn group_id(s: &Session, g: &str) -> Result<String> {
    Ok(ENDPOINT_GROUP.find(s, g)?["id"]
        .as_str()
        .unwrap_or(g)
        .to_string())
}

/// Endpoint group/project association arguments.
#[derive(clap::Args)]
pub struct GroupProject {
    /// Endpoint group (name or ID)
    #[arg(value_name = "endpoint-group")]
    endpointgroup: String,
    /// Project to associate (name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
}

impl GroupProject {
    fn apply(&self, ctx: &Context, method: Method) -> Result<Output> {
        let s = ctx.session()?;
        let gid = group_id(s, &self.endpointgroup)?;
        let pid = PROJECTS.id_in(s, &self.project, self.project_domain.as_deref())?;
        s.send(Request::new(
            method,
            SVC,
            format!("/OS-EP-FILTER/endpoint_groups/{gid}/projects/{pid}"),
        ))?;
        Ok(Output::None)
    }
}

/// Add a project to an endpoint group
#[derive(clap::Args)]
pub struct AddProjectToEndpointGroup {
    #[command(flatten)]
    a: GroupProject,
}

impl osc_core::Command for AddProjectToEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.a.apply(ctx, Method::PUT)
    }
}

/// Remove project from endpoint group
#[derive(clap::Args)]
pub struct RemoveProjectFromEndpointGroup {
    #[command(flatten)]
    a: GroupProject,
}

impl osc_core::Command for RemoveProjectFromEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        self.a.apply(ctx, Method::DELETE)
    }
}

/// Create new endpoint group
#[derive(clap::Args)]
pub struct CreateEndpointGroup {
    /// Name of the endpoint group
    #[arg(value_name = "name")]
    name: String,
    /// Filename that contains a new set of filters
    #[arg(value_name = "filename")]
    filters: String,
    /// Description of the endpoint group
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for CreateEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("name", self.name.clone())
            .set("filters", read_filters(&self.filters)?)
            .opt("description", self.description.clone());
        Ok(Output::Show(same_fields(
            &ENDPOINT_GROUP.create(s, b.value())?,
            SHOW,
        )))
    }
}

/// Delete endpoint group(s)
#[derive(clap::Args)]
pub struct DeleteEndpointGroup {
    /// Endpoint group(s) to delete (name or ID)
    #[arg(value_name = "endpoint-group", required = true)]
    endpointgroup: Vec<String>,
}

impl osc_core::Command for DeleteEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(
            &self.endpointgroup,
            "endpointgroup",
            "endpointgroups",
            |g| {
                let id = group_id(s, g)?;
                ENDPOINT_GROUP.delete(s, &id)
            },
        )
    }
}

/// List endpoint groups
#[derive(clap::Args)]
pub struct ListEndpointGroup {
    /// Endpoint Group (name or ID)
    #[arg(long, value_name = "<endpoint-group>", conflicts_with = "project")]
    endpointgroup: Option<String>,
    /// Project (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    /// Domain owning <project> (name or ID)
    #[arg(long, value_name = "<domain>")]
    domain: Option<String>,
}

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Name", "name"),
    col("Description", "description"),
];

impl osc_core::Command for ListEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let data = if let Some(g) = &self.endpointgroup {
            let gid = group_id(s, g)?;
            list_all(
                s,
                SVC,
                &format!("/OS-EP-FILTER/endpoint_groups/{gid}/projects"),
                "projects",
                &[],
            )?
        } else if let Some(p) = &self.project {
            let pid = PROJECTS.id_in(s, p, self.domain.as_deref())?;
            list_all(
                s,
                SVC,
                &format!("/OS-EP-FILTER/projects/{pid}/endpoint_groups"),
                "endpoint_groups",
                &[],
            )?
        } else {
            ENDPOINT_GROUP.list(s, &[])?
        };
        Ok(Output::List(table(&data, LIST)))
    }
}

/// Set endpoint group properties
#[derive(clap::Args)]
pub struct SetEndpointGroup {
    /// Endpoint Group to modify (name or ID)
    #[arg(value_name = "endpoint-group")]
    endpointgroup: String,
    /// New endpoint group name
    #[arg(long, value_name = "<name>")]
    name: Option<String>,
    /// Filename that contains a new set of filters
    #[arg(long, value_name = "<filename>")]
    filters: Option<String>,
    /// New endpoint group description
    #[arg(long, value_name = "<description>")]
    description: Option<String>,
}

impl osc_core::Command for SetEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let gid = group_id(s, &self.endpointgroup)?;
        let mut b = Body::new();
        b.opt("name", self.name.clone())
            .opt("description", self.description.clone());
        if let Some(f) = &self.filters {
            b.set("filters", read_filters(f)?);
        }
        ENDPOINT_GROUP.update(s, &gid, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display endpoint group details
#[derive(clap::Args)]
pub struct ShowEndpointGroup {
    /// Endpoint group (name or ID)
    #[arg(value_name = "endpointgroup")]
    endpointgroup: String,
}

impl osc_core::Command for ShowEndpointGroup {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(same_fields(
            &ENDPOINT_GROUP.find(s, &self.endpointgroup)?,
            SHOW,
        )))
    }
}
