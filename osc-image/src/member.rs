//! Image sharing: `image add project`, `image remove project`, `image member list/get`.

use crate::common::{find_image, image_id, project_id, SVC};
use osc_core::resource::{col, encode_segment, table};
use osc_core::{Context, Output, Record, Result};
use serde_json::{json, Value};

/// A member as OSC shows it: openstacksdk's `Member.to_dict()` without id/name/location,
/// fields sorted. `member_id` is Glance's `member`.
fn member_record(m: &Value) -> Record {
    let get = |k: &str| m.get(k).cloned().unwrap_or(Value::Null);
    Record::new()
        .with("created_at", get("created_at"))
        .with("image_id", get("image_id"))
        .with("member_id", get("member_id"))
        .with("schema", get("schema"))
        .with("status", get("status"))
        .with("updated_at", get("updated_at"))
}

/// Glance's member object with the SDK's names (`member` is `member_id`).
fn normalise(mut m: Value) -> Value {
    if let Some(o) = m.as_object_mut() {
        if let Some(v) = o.remove("member") {
            o.insert("member_id".into(), v);
        }
    }
    m
}

#[derive(clap::Args, Debug)]
pub struct AddProjectToImage {
    /// Image to share (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Project to associate with image (ID)
    #[arg(value_name = "project")]
    project: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
}

impl osc_core::Command for AddProjectToImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let project = project_id(s, &self.project, self.project_domain.as_deref())?;
        let id = image_id(&find_image(s, &self.image)?)?;
        let m = s.post(
            SVC,
            &format!("/images/{id}/members"),
            json!({"member": project}),
        )?;
        Ok(Output::Show(member_record(&normalise(m))))
    }
}

#[derive(clap::Args, Debug)]
pub struct RemoveProjectImage {
    /// Image to unshare (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Project to disassociate with image (name or ID)
    #[arg(value_name = "project")]
    project: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
}

impl osc_core::Command for RemoveProjectImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let project = project_id(s, &self.project, self.project_domain.as_deref())?;
        let id = image_id(&find_image(s, &self.image)?)?;
        s.delete(
            SVC,
            &format!("/images/{id}/members/{}", encode_segment(&project)),
        )?;
        Ok(Output::None)
    }
}

#[derive(clap::Args, Debug)]
pub struct ListImageProjects {
    /// Image (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
}

impl osc_core::Command for ListImageProjects {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = image_id(&find_image(s, &self.image)?)?;
        let body = s.get(SVC, &format!("/images/{id}/members"))?;
        let members: Vec<Value> = body
            .get("members")
            .and_then(Value::as_array)
            .map(|a| a.iter().cloned().map(normalise).collect())
            .unwrap_or_default();
        Ok(Output::List(table(
            &members,
            &[
                col("Image ID", "image_id"),
                col("Member ID", "member_id"),
                col("Status", "status"),
            ],
        )))
    }
}

#[derive(clap::Args, Debug)]
pub struct ShowProjectImage {
    /// Image (name or ID)
    #[arg(value_name = "image")]
    image: String,
    /// Project to show (name or ID)
    #[arg(value_name = "project")]
    member: String,
    /// Domain the project belongs to (name or ID). This can be used in case collisions
    /// between project names exist.
    #[arg(long, value_name = "project-domain")]
    project_domain: Option<String>,
}

impl osc_core::Command for ShowProjectImage {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let id = image_id(&find_image(s, &self.image)?)?;
        // As OSC, the member is used as given (an ID).
        let m = s.get(
            SVC,
            &format!("/images/{id}/members/{}", encode_segment(&self.member)),
        )?;
        Ok(Output::Show(member_record(&normalise(m))))
    }
}
