//! `credential create|delete|list|set|show` and `policy create|delete|list|set|show`.

use crate::common::*;
use osc_core::resource::{col, table, Col, ListSpec};
use osc_core::{Context, Method, Output, Result};
use serde_json::Value;

const SHOW: &[&str] = &["blob", "id", "project_id", "type", "user_id"];

fn record(v: &Value) -> Output {
    Output::Show(same_fields(v, SHOW))
}

/// Create new credential
#[derive(clap::Args)]
pub struct CreateCredential {
    /// user that owns the credential (name or ID)
    #[arg(value_name = "user")]
    user: String,
    /// New credential type: cert, ec2, totp and so on
    #[arg(long, value_name = "<type>", default_value = "cert")]
    r#type: String,
    /// New credential data
    #[arg(value_name = "data")]
    data: String,
    /// Project which limits the scope of the credential (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
}

impl osc_core::Command for CreateCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("user_id", USER.find_id(s, &self.user)?)
            .set("type", self.r#type.clone())
            .set("blob", self.data.clone());
        b.set(
            "project_id",
            match &self.project {
                Some(p) => Value::String(PROJECT.find_id(s, p)?),
                None => Value::Null,
            },
        );
        Ok(record(&CREDENTIAL.create(s, b.value())?))
    }
}

/// Delete credential(s)
#[derive(clap::Args)]
pub struct DeleteCredential {
    /// ID of credential(s) to delete
    #[arg(value_name = "credential-id", required = true)]
    credential: Vec<String>,
}

impl osc_core::Command for DeleteCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.credential, "credential", "credential", |c| {
            CREDENTIAL.delete(s, c)
        })
    }
}

/// List credentials
#[derive(clap::Args)]
pub struct ListCredential {
    /// Filter credentials by <user> (name or ID)
    #[arg(long, value_name = "<user>")]
    user: Option<String>,
    /// Domain the user belongs to (name or ID). This can be used in case collisions between user names exist.
    #[arg(long = "user-domain", value_name = "<user-domain>")]
    user_domain: Option<String>,
    /// Filter credentials by type: cert, ec2, totp and so on
    #[arg(long, value_name = "<type>")]
    r#type: Option<String>,
}

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Type", "type"),
    col("User ID", "user_id"),
    col("Data", "blob"),
    col("Project ID", "project_id"),
];

impl osc_core::Command for ListCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut query = Vec::new();
        if let Some(u) = &self.user {
            let dom = match &self.user_domain {
                Some(d) => Some(DOMAIN.find_id(s, d)?),
                None => None,
            };
            query.push(q(
                "user_id",
                USERS.find(s, u, dom.as_deref())?["id"]
                    .as_str()
                    .unwrap_or(u),
            ));
        }
        if let Some(t) = &self.r#type {
            query.push(q("type", t));
        }
        Ok(Output::List(table(&CREDENTIAL.list(s, &query)?, LIST)))
    }
}

/// Set credential properties
#[derive(clap::Args)]
pub struct SetCredential {
    /// ID of credential to change
    #[arg(value_name = "credential-id")]
    credential: String,
    /// User that owns the credential (name or ID)
    #[arg(long, value_name = "<user>", required = true)]
    user: String,
    /// New credential type: cert, ec2, totp and so on
    #[arg(long, value_name = "<type>", required = true)]
    r#type: String,
    /// New credential data
    #[arg(long, value_name = "<data>", required = true)]
    data: String,
    /// Project which limits the scope of the credential (name or ID)
    #[arg(long, value_name = "<project>")]
    project: Option<String>,
}

impl osc_core::Command for SetCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        // The user is looked up (a bad one fails, as in OSC) but never sent: Keystone lets
        // no credential change owner, and rejects `type`/`project_id` in an update even when
        // unchanged (which makes OSC's own `credential set` fail), so only changes are sent.
        USER.find_id(s, &self.user)?;
        let current = CREDENTIAL.get(s, &self.credential)?;
        b.set("blob", self.data.clone());
        if current["type"].as_str() != Some(self.r#type.as_str()) {
            b.set("type", self.r#type.clone());
        }
        if let Some(p) = &self.project {
            let pid = PROJECT.find_id(s, p)?;
            if current["project_id"].as_str() != Some(pid.as_str()) {
                b.set("project_id", pid);
            }
        }
        CREDENTIAL.update(s, &self.credential, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display credential details
#[derive(clap::Args)]
pub struct ShowCredential {
    /// ID of credential to display
    #[arg(value_name = "credential-id")]
    credential: String,
}

impl osc_core::Command for ShowCredential {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(record(&CREDENTIAL.get(s, &self.credential)?))
    }
}

fn policy_record(v: &Value) -> Output {
    Output::Show(fields(
        v,
        &[("id", "id"), ("rules", "blob"), ("type", "type")],
    ))
}

/// Create new policy
#[derive(clap::Args)]
pub struct CreatePolicy {
    /// New MIME type of the policy rules file (defaults to application/json)
    #[arg(long, value_name = "<type>", default_value = "application/json")]
    r#type: String,
    /// New serialized policy rules file
    #[arg(value_name = "filename")]
    rules: String,
}

impl osc_core::Command for CreatePolicy {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set("blob", read_file(&self.rules)?)
            .set("type", self.r#type.clone());
        Ok(policy_record(&POLICY.create(s, b.value())?))
    }
}

/// Delete policy(s)
#[derive(clap::Args)]
pub struct DeletePolicy {
    /// Policy(s) to delete
    #[arg(value_name = "policy", required = true)]
    policy: Vec<String>,
}

impl osc_core::Command for DeletePolicy {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.policy, "policy", "policies", |p| POLICY.delete(s, p))
    }
}

/// Set policy properties
#[derive(clap::Args)]
pub struct SetPolicy {
    /// Policy to modify
    #[arg(value_name = "policy")]
    policy: String,
    /// New MIME type of the policy rules file
    #[arg(long, value_name = "<type>")]
    r#type: Option<String>,
    /// New serialized policy rules file
    #[arg(long, value_name = "<filename>")]
    rules: Option<String>,
}

impl osc_core::Command for SetPolicy {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        if let Some(r) = &self.rules {
            b.set("blob", read_file(r)?);
        }
        b.nonempty("type", &self.r#type);
        POLICY.update(s, &self.policy, Method::PATCH, b.value())?;
        Ok(Output::None)
    }
}

/// Display policy details
#[derive(clap::Args)]
pub struct ShowPolicy {
    /// Policy to display
    #[arg(value_name = "policy")]
    policy: String,
}

impl osc_core::Command for ShowPolicy {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(policy_record(&POLICY.get(s, &self.policy)?))
    }
}

/// `policy list` is a plain listing.
pub const POLICY_LIST: ListSpec = ListSpec {
    resource: POLICY,
    columns: &[col("ID", "id"), col("Type", "type")],
    long_columns: &[col("ID", "id"), col("Type", "type"), col("Rules", "blob")],
    filters: &[],
};
