//! `ec2 credentials create|delete|list|show` (`/users/{id}/credentials/OS-EC2`).

use crate::common::*;
use osc_core::resource::{col, encode_segment, list_all, table};
use osc_core::{Context, Output, Result, Session};
use serde_json::{json, Value};

/// The user given by `--user`/`--user-domain`, or the authenticated one.
fn ec2_user(s: &Session, user: &Option<String>, domain: &Option<String>) -> Result<String> {
    match user {
        Some(u) => USERS.id_in(s, u, domain.as_deref()),
        None => auth_user_id(s),
    }
}

/// OSC shows every field sorted, with `tenant_id` renamed `project_id`.
fn record(v: &Value) -> Output {
    let mut v = v.clone();
    if let Some(m) = v.as_object_mut() {
        if let Some(t) = m.remove("tenant_id") {
            m.insert("project_id".into(), t);
        }
    }
    Output::Show(osc_core::resource::record_sorted(&v, &[], &[]))
}

/// User options shared by the EC2 commands.
#[derive(clap::Args)]
pub struct Ec2User {
    /// Specify an alternate user (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
}

/// Create EC2 credentials
#[derive(clap::Args)]
pub struct CreateEC2Creds {
    /// Create credentials in project (name or ID; default: current authenticated project)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
    #[command(flatten)]
    u: Ec2User,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
}

impl osc_core::Command for CreateEC2Creds {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = ec2_user(s, &self.u.user, &self.u.user_domain)?;
        let pid = match &self.project {
            Some(p) => PROJECTS.id_in(s, p, self.project_domain.as_deref())?,
            None => s.auth()?.project_id.clone().unwrap_or_default(),
        };
        let v = s.post(
            SVC,
            &format!("/users/{uid}/credentials/OS-EC2"),
            json!({"tenant_id": pid}),
        )?;
        Ok(record(&v["credential"]))
    }
}

/// Delete EC2 credentials
#[derive(clap::Args)]
pub struct DeleteEC2Creds {
    /// Credentials access key(s)
    #[arg(value_name = "access-key", required = true)]
    access_key: Vec<String>,
    #[command(flatten)]
    u: Ec2User,
}

impl osc_core::Command for DeleteEC2Creds {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = ec2_user(s, &self.u.user, &self.u.user_domain)?;
        each(&self.access_key, "EC2 key", "EC2 keys", |k| {
            s.delete(
                SVC,
                &format!("/users/{uid}/credentials/OS-EC2/{}", encode_segment(k)),
            )
        })
    }
}

/// List EC2 credentials
#[derive(clap::Args)]
pub struct ListEC2Creds {
    #[command(flatten)]
    u: Ec2User,
}

impl osc_core::Command for ListEC2Creds {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = ec2_user(s, &self.u.user, &self.u.user_domain)?;
        let data = list_all(
            s,
            SVC,
            &format!("/users/{uid}/credentials/OS-EC2"),
            "credentials",
            &[],
        )?;
        Ok(Output::List(table(
            &data,
            &[
                col("Access", "access"),
                col("Secret", "secret"),
                col("Project ID", "tenant_id"),
                col("User ID", "user_id"),
            ],
        )))
    }
}

/// Display EC2 credentials details
#[derive(clap::Args)]
pub struct ShowEC2Creds {
    /// Credentials access key
    #[arg(value_name = "access-key")]
    access_key: String,
    #[command(flatten)]
    u: Ec2User,
}

impl osc_core::Command for ShowEC2Creds {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let uid = ec2_user(s, &self.u.user, &self.u.user_domain)?;
        let v = s.get(
            SVC,
            &format!(
                "/users/{uid}/credentials/OS-EC2/{}",
                encode_segment(&self.access_key)
            ),
        )?;
        Ok(record(&v["credential"]))
    }
}
