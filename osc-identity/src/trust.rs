//! `trust create|delete|list|show`.

use crate::app_cred::check_expiration;
use crate::common::*;
use osc_core::resource::{col, table, Col};
use osc_core::{Context, Error, Output, Result};
use serde_json::{json, Value};

const SHOW: &[(&str, &str)] = &[
    ("expires_at", "expires_at"),
    ("id", "id"),
    ("is_impersonation", "impersonation"),
    ("project_id", "project_id"),
    ("redelegated_trust_id", "redelegated_trust_id"),
    ("redelegation_count", "redelegation_count"),
    ("remaining_uses", "remaining_uses"),
    ("roles", "roles"),
    ("trustee_user_id", "trustee_user_id"),
    ("trustor_user_id", "trustor_user_id"),
];

/// Create new trust
#[derive(clap::Args)]
pub struct CreateTrust {
    /// User that is delegating authorization (name or ID)
    #[arg(value_name = "trustor-user")]
    trustor: String,
    /// User that is assuming authorization (name or ID)
    #[arg(value_name = "trustee-user")]
    trustee: String,
    /// Project being delegated (name or ID) (required)
    #[arg(long, value_name = "<project>", required = true)]
    project: String,
    /// Roles to authorize (name or ID) (repeat option to set multiple values, required)
    #[arg(long = "role", value_name = "<role>", required = true)]
    roles: Vec<String>,
    /// Tokens generated from the trust will represent <trustor> (defaults to False)
    #[arg(long)]
    impersonate: bool,
    /// Sets an expiration date for the trust (format of YYYY-mm-ddTHH:MM:SS)
    #[arg(long, value_name = "<date-time>")]
    expiration: Option<String>,
    /// Domain the project belongs to (name or ID). This can be used in case collisions between project names exist.
    #[arg(long = "project-domain", value_name = "<project-domain>")]
    project_domain: Option<String>,
    /// Domain that contains <trustor> (name or ID)
    #[arg(long = "trustor-domain", value_name = "<trustor-domain>")]
    trustor_domain: Option<String>,
    /// Domain that contains <trustee> (name or ID)
    #[arg(long = "trustee-domain", value_name = "<trustee-domain>")]
    trustee_domain: Option<String>,
}

impl osc_core::Command for CreateTrust {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        let mut b = Body::new();
        b.set(
            "trustor_user_id",
            USERS.id_in(s, &self.trustor, self.trustor_domain.as_deref())?,
        );
        b.set(
            "trustee_user_id",
            USERS.id_in(s, &self.trustee, self.trustee_domain.as_deref())?,
        );
        b.set(
            "project_id",
            PROJECTS.id_in(s, &self.project, self.project_domain.as_deref())?,
        );
        let roles = self
            .roles
            .iter()
            .map(|r| Ok(json!({"id": ROLES.id(s, r, None)?})))
            .collect::<Result<Vec<_>>>()?;
        b.set("roles", roles);
        if let Some(e) = &self.expiration {
            b.set("expires_at", check_expiration(e)?);
        }
        b.set("impersonation", self.impersonate);
        Ok(Output::Show(fields(&TRUST.create(s, b.value())?, SHOW)))
    }
}

/// Delete trust(s)
#[derive(clap::Args)]
pub struct DeleteTrust {
    /// Trust(s) to delete
    #[arg(value_name = "trust", required = true)]
    trust: Vec<String>,
}

impl osc_core::Command for DeleteTrust {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        each(&self.trust, "trust", "trusts", |t| {
            let id = TRUST.get(s, t)?["id"].as_str().unwrap_or(t).to_string();
            TRUST.delete(s, &id)
        })
    }
}

/// List trusts
#[derive(clap::Args)]
pub struct ListTrust {
    /// Trustor user to filter (name or ID)
    #[arg(long, value_name = "<trustor-user>")]
    trustor: Option<String>,
    /// Trustee user to filter (name or ID)
    #[arg(long, value_name = "<trustee-user>")]
    trustee: Option<String>,
    /// Domain that contains <trustor> (name or ID)
    #[arg(long = "trustor-domain", value_name = "<trustor-domain>")]
    trustor_domain: Option<String>,
    /// Domain that contains <trustee> (name or ID)
    #[arg(long = "trustee-domain", value_name = "<trustee-domain>")]
    trustee_domain: Option<String>,
    /// Only list trusts related to the authenticated user
    #[arg(long = "auth-user")]
    auth_user: bool,
}

const LIST: &[Col] = &[
    col("ID", "id"),
    col("Expires At", "expires_at"),
    col("Impersonation", "impersonation"),
    col("Project ID", "project_id"),
    col("Trustee User ID", "trustee_user_id"),
    col("Trustor User ID", "trustor_user_id"),
];

impl osc_core::Command for ListTrust {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        if self.auth_user
            && (self.trustor.is_some()
                || self.trustee.is_some()
                || self.trustor_domain.is_some()
                || self.trustee_domain.is_some())
        {
            return Err(Error::cmd(
                "--authuser cannot be used with --trustee or --trustor",
            ));
        }
        if self.trustee_domain.is_some() && self.trustee.is_none() {
            return Err(Error::cmd(
                "Using --trustee-domain mandates the use of --trustee",
            ));
        }
        if self.trustor_domain.is_some() && self.trustor.is_none() {
            return Err(Error::cmd(
                "Using --trustor-domain mandates the use of --trustor",
            ));
        }
        let data: Vec<Value> = if self.auth_user {
            let me = auth_user_id(s)?;
            let mut all = TRUST.list(s, &[q("trustor_user_id", &me)])?;
            for t in TRUST.list(s, &[q("trustee_user_id", &me)])? {
                if !all.iter().any(|x| x["id"] == t["id"]) {
                    all.push(t);
                }
            }
            all
        } else {
            let mut query = Vec::new();
            if let Some(t) = &self.trustor {
                query.push(q(
                    "trustor_user_id",
                    USERS.id_in(s, t, self.trustor_domain.as_deref())?,
                ));
            }
            if let Some(t) = &self.trustee {
                query.push(q(
                    "trustee_user_id",
                    USERS.id_in(s, t, self.trustee_domain.as_deref())?,
                ));
            }
            TRUST.list(s, &query)?
        };
        Ok(Output::List(table(&data, LIST)))
    }
}

/// Display trust details
#[derive(clap::Args)]
pub struct ShowTrust {
    /// Trust to display
    #[arg(value_name = "trust")]
    trust: String,
}

impl osc_core::Command for ShowTrust {
    fn run(self, ctx: &Context) -> Result<Output> {
        let s = ctx.session()?;
        Ok(Output::Show(fields(&TRUST.get(s, &self.trust)?, SHOW)))
    }
}
